#!/bin/sh
# The financials benchmark of docs/PERFORMANCE.md (issue 15): A accounts, T transactions
# (invoices, payments and credit notes over 2024-2026 in EUR and a few in USD), written straight
# into a crm database (made by crm init) by sqlite3 with recursive CTEs; then, in pairs (crm,
# then the sqlite3 CLI on the same file, back to back), R rounds of
#   crm report receivables       vs  the aggregate it stands on (balance per account and currency)
#   crm report client-value      vs  the aggregates it stands on (revenue, balance, pipeline,
#                                    tickets, activities per account, with the account's name)
# printing the median wall and CPU time of each, the ratios and peak memory; then the peak
# memory of crm report export client-value -o v.xlsx (the issue: under 64 MiB) and the plans.
# Usage: sh bench/receivables.sh [A] [T] [CRM_BIN]   (defaults 100000 5000000 ./crm; R=3;
# KEEP=1 keeps the database and says where,
# REUSE=<that directory> measures it again). A smoke test: sh bench/receivables.sh 1000 50000
set -eu
A=${1:-100000}
T=${2:-5000000}
CRM=${3:-./crm}
R=${R:-3}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pair.sh"
if [ -n "${REUSE:-}" ]; then # the directory a KEEP=1 run left: measure again, no new data
	dir=$REUSE
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-recv.XXXXXX")
	[ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT INT TERM
fi
export CRM_CONFIG=/dev/null CRM_DB="$dir/crm.db"
s=$(date +%s)
e=$s
if [ -z "${REUSE:-}" ]; then
"$CRM" init -q
# The transactions' indexes are built after the rows (a sort each, not millions of random
# inserts): their definitions as crm's migrations made them, dropped, then made again.
indexes=$(sqlite3 "$CRM_DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transactions' AND sql IS NOT NULL")
drops=$(sqlite3 "$CRM_DB" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transactions' AND sql IS NOT NULL")
sqlite3 "$CRM_DB" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -65536;
BEGIN;
$drops
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $A)
INSERT INTO accounts (id, name, name_fold, currency, created, updated)
SELECT i, 'Account ' || i, 'account ' || i, 'EUR', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $T)
INSERT INTO transactions (id, type, number, number_fold, account_id, date, due_date, amount, currency, status,
			  created, updated)
SELECT i, CASE WHEN i % 10 < 6 THEN 'invoice' WHEN i % 10 < 9 THEN 'payment' ELSE 'credit_note' END,
       printf('T-%08d', i), printf('t-%08d', i), 1 + (i * 7919) % $A,
       date('2024-01-01', '+' || (i % 1000) || ' days'),
       CASE WHEN i % 10 < 6 THEN date('2024-01-01', '+' || (i % 1000 + 30) || ' days') END,
       1000 + (i * 37) % 500000, CASE WHEN i % 50 = 0 THEN 'USD' ELSE 'EUR' END, 'open',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM n;
$indexes
COMMIT;
ANALYZE;
SQL
e=$(date +%s)
fi
echo "database: $dir"
echo "$A accounts, $T transactions written in $((e - s)) s; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $R pairs"
export CRM_NOW=2026-11-30T12:00:00Z
RECV_SQL="SELECT a.name, t.currency, sum(CASE WHEN t.type = 'invoice' THEN t.amount ELSE -t.amount END), count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.status = 'open' GROUP BY t.account_id, t.currency"
CV_SQL="SELECT a.name, r.rev12, r.rev, r.bal, p.v, k.n, c.n FROM accounts a
LEFT JOIN (SELECT account_id, sum(CASE WHEN type <> 'payment' AND date > '2025-11-30' THEN (CASE WHEN type = 'invoice' THEN amount ELSE -amount END) ELSE 0 END) AS rev12,
		  sum(CASE WHEN type <> 'payment' THEN (CASE WHEN type = 'invoice' THEN amount ELSE -amount END) ELSE 0 END) AS rev,
		  sum(CASE WHEN type = 'invoice' THEN amount ELSE -amount END) AS bal
	   FROM transactions WHERE status = 'open' AND currency = 'EUR' GROUP BY account_id) r ON r.account_id = a.id
LEFT JOIN (SELECT account_id, sum(value) AS v FROM opportunities WHERE lower(stage) NOT IN ('won', 'lost') AND currency = 'EUR' GROUP BY account_id) p ON p.account_id = a.id
LEFT JOIN (SELECT account_id, count(*) AS n FROM tickets WHERE opened > '2025-11-30' GROUP BY account_id) k ON k.account_id = a.id
LEFT JOIN (SELECT account_id, count(*) AS n FROM activities WHERE at > '2025-11-30' GROUP BY account_id) c ON c.account_id = a.id
ORDER BY r.rev12 DESC"
CV_SQL=$(printf '%s' "$CV_SQL" | tr '\n\t' '  ')
pair "crm report receivables" "$CRM" report receivables --now 2026-11-30 -F tsv -- sqlite3 "$CRM_DB" "$RECV_SQL"
pair "crm report client-value" "$CRM" report client-value --now 2026-11-30 -F tsv -- sqlite3 "$CRM_DB" "$CV_SQL"
/usr/bin/time -f "%e %U %S %M" -o "$dir/t" "$CRM" report export client-value --now 2026-11-30 -o "$dir/v.xlsx"
awk '{ printf "crm report export client-value -o v.xlsx: %.2f s (CPU %.2f), peak %.1f MiB (target < 64)\n", $1, $2 + $3, $4 / 1024 }' "$dir/t"
echo "plans of crm's statements over transactions:"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN SELECT t.account_id, t.currency, t.type, t.id, NULL, t.amount, t.date, t.due_date, t.applies_to_id FROM transactions t WHERE t.status = 'open' ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN SELECT account_id, sum(CASE WHEN date > '2025-11-30' THEN amount ELSE 0 END), sum(amount) FROM transactions WHERE status = 'open' AND type IN ('invoice', 'credit_note') AND currency = 'EUR' GROUP BY account_id"
