#!/bin/sh
# The receivables benchmark of docs/PERFORMANCE.md (issue 15): A accounts, T transactions
# (invoices, payments and credit notes over 2024-2026 in EUR and a few in USD), written straight
# into a crm database by sqlite3; then the median whole-process time of R runs of
#   crm report receivables          (allocation, ageing, every account)
# against the sqlite3 CLI running the aggregate it stands on (balance per account and currency)
# on the same file, and the plan of crm's walk.
# Usage: sh bench/receivables.sh [A] [T] [CRM_BIN]   (defaults 100000 5000000 ./crm; R=5; KEEP=1
# keeps the database and says where)
set -eu
A=${1:-100000}
T=${2:-5000000}
CRM=${3:-./crm}
R=${R:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-recv.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT INT TERM
command -v sqlite3 > /dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }
median_ms() {
	"$@" > /dev/null
	i=0
	while [ "$i" -lt "$R" ]; do
		s=$(date +%s%N)
		"$@" > /dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}
export CRM_CONFIG=/dev/null CRM_DB="$dir/crm.db"
"$CRM" init -q
s=$(date +%s)
sqlite3 "$CRM_DB" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $A)
INSERT INTO accounts (id, name, name_fold, currency, created, updated)
SELECT i, 'Account ' || i, 'account ' || i, 'EUR', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $T)
INSERT INTO transactions (id, type, number, number_fold, account_id, date, due_date, amount, currency, status,
			  created, updated)
SELECT i, CASE WHEN i % 10 < 6 THEN 'invoice' WHEN i % 10 < 9 THEN 'payment' ELSE 'credit_note' END,
       'T-' || i, 't-' || i, 1 + (i * 7919) % $A,
       date('2024-01-01', '+' || (i % 1000) || ' days'),
       CASE WHEN i % 10 < 6 THEN date('2024-01-01', '+' || (i % 1000 + 30) || ' days') END,
       1000 + (i * 37) % 500000, CASE WHEN i % 50 = 0 THEN 'USD' ELSE 'EUR' END, 'open',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM n;
COMMIT;
ANALYZE;
SQL
e=$(date +%s)
echo "database: $dir"; echo "$A accounts, $T transactions written in $((e - s)) s; $(nproc) CPUs; medians of $R runs"
crm_ms=$(median_ms "$CRM" report receivables --now 2026-11-30 -F tsv)
sql_ms=$(median_ms sqlite3 "$CRM_DB" "SELECT account_id, currency, sum(CASE WHEN type = 'invoice' THEN amount ELSE -amount END), count(*) FROM transactions WHERE status = 'open' GROUP BY account_id, currency")
printf '%-40s %10s\n' "crm report receivables (ms)" "$crm_ms" "sqlite3 GROUP BY account, currency (ms)" "$sql_ms"
awk -v a="$crm_ms" -v b="$sql_ms" 'BEGIN { printf "ratio %.2f\n", a / b }'
echo "plan of crm's walk:"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN SELECT t.account_id, t.currency, t.type, t.id, NULL, t.amount, t.date, t.due_date, t.applies_to_id FROM transactions t WHERE t.status = 'open' ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
/usr/bin/time -f "crm report receivables: %M KiB peak" "$CRM" report receivables --now 2026-11-30 -F tsv > /dev/null
