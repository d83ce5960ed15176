#!/bin/sh
# The sales benchmark of docs/PERFORMANCE.md (issue 12): O opportunities over 1,000 accounts
# (eight stages, 5 % in USD) and F offers of 20 lines each, written straight into a crm database
# (made by crm init) by sqlite3 with recursive CTEs; then, in pairs (crm, then the sqlite3 CLI on
# the same file, back to back), R rounds of
#   crm pipeline -F tsv                         vs  the same GROUP BY currency, stage in sqlite3
#   crm offer list --fields number,total -F tsv vs  each offer's total summed from its lines
# printing the median wall and CPU time of each, the ratios, peak memory and the plans.
# Usage: sh bench/sales.sh [O] [F] [CRM_BIN]   (defaults 1000000 100000 ./crm; R=3;
# KEEP=1 keeps the database and says where,
# REUSE=<that directory> measures it again). A smoke test: sh bench/sales.sh 10000 1000
set -eu
O=${1:-1000000}
F=${2:-100000}
CRM=${3:-./crm}
R=${R:-3}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pair.sh"
if [ -n "${REUSE:-}" ]; then # the directory a KEEP=1 run left: measure again, no new data
	dir=$REUSE
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-sales.XXXXXX")
	[ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT INT TERM
fi
export CRM_CONFIG=/dev/null CRM_DB="$dir/crm.db" CRM_NOW=2026-11-30T12:00:00Z
s=$(date +%s)
e=$s
if [ -z "${REUSE:-}" ]; then
"$CRM" init -q
sqlite3 "$CRM_DB" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO accounts (id, name, name_fold, created, updated)
SELECT i, 'Account ' || i, 'account ' || i, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $O)
INSERT INTO opportunities (id, title, account_id, stage, value, currency, probability, close_date, created, updated)
SELECT i, 'Deal ' || i, 1 + i % 1000,
       CASE i % 8 WHEN 0 THEN 'lead' WHEN 1 THEN 'qualified' WHEN 2 THEN 'proposal' WHEN 3 THEN 'negotiation'
		  WHEN 4 THEN 'won' WHEN 5 THEN 'lost' WHEN 6 THEN 'qualified' ELSE 'proposal' END,
       100 + (i * 7919) % 10000000, CASE WHEN i % 20 = 0 THEN 'USD' ELSE 'EUR' END, (i * 13) % 101,
       date('2026-01-01', '+' || (i % 700) || ' days'), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $F)
INSERT INTO offers (id, number, number_fold, version, title, account_id, currency, status, created, updated)
SELECT i, printf('OF-2026-%06d', i), printf('of-2026-%06d', i), 1, 'Offer ' || i, 1 + i % 1000, 'EUR', 'draft',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $F * 20)
INSERT INTO offer_lines (id, offer_id, description, quantity, price, currency, discount, tax_rate, created, updated)
SELECT i, 1 + (i - 1) / 20, 'Line ' || i, 1000 * (1 + i % 7) + (i % 3) * 250, 10 + (i * 37) % 100000, 'EUR',
       CASE WHEN i % 5 = 0 THEN 500 END, 1900, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM n;
COMMIT;
ANALYZE;
SQL
e=$(date +%s)
fi
echo "database: $dir"
echo "$O opportunities, $F offers x 20 lines written in $((e - s)) s; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $R pairs"

# The aggregates crm's statements stand on, as a person would write them for sqlite3.
PIPE_SQL="SELECT coalesce(currency, ''), stage, count(*), sum(value), sum((value * probability + 50) / 100) FROM opportunities GROUP BY 1, 2"
TOTAL_SQL="SELECT o.number, sum(l.net + (l.net * coalesce(l.tax_rate, 0) + 5000) / 10000) FROM offers o JOIN (SELECT offer_id, tax_rate, g - (g * coalesce(discount, 0) + 5000) / 10000 AS net FROM (SELECT offer_id, tax_rate, discount, (coalesce(quantity, 1000) * price + 500) / 1000 AS g FROM offer_lines)) l ON l.offer_id = o.id GROUP BY o.id ORDER BY o.id"

pair "crm pipeline" "$CRM" pipeline -F tsv -- sqlite3 "$CRM_DB" "$PIPE_SQL"
pair "crm offer list (number, total)" "$CRM" offer list --fields number,total -F tsv -- sqlite3 "$CRM_DB" "$TOTAL_SQL"
echo "crm's results agree with sqlite3's:"
"$CRM" pipeline -F tsv | tail -n +2 | awk -F '\t' '{ print $1, $2, $3 }' | sort > "$dir/a"
sqlite3 -separator ' ' "$CRM_DB" "$PIPE_SQL" | awk '{ print $1, $2, $3 }' | sort > "$dir/b"
if cmp -s "$dir/a" "$dir/b"; then echo "  pipeline counts: same"; else echo "  pipeline counts: DIFFER"; fi
"$CRM" offer list --fields number,total -F tsv --no-headers | tr -d '.' | sed 's/\t0*/ /' > "$dir/a"
sqlite3 -separator ' ' "$CRM_DB" "$TOTAL_SQL" | sed 's/ 0*/ /' > "$dir/b"
if cmp -s "$dir/a" "$dir/b"; then echo "  offer totals: same"; else echo "  offer totals: DIFFER"; fi
echo "plans:"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN SELECT coalesce(t.currency, ''), t.stage, count(*), sum(t.value), sum(t.probability) FROM opportunities t WHERE 1 GROUP BY coalesce(t.currency, ''), t.stage"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN SELECT t.number, (SELECT sum(l.price) FROM offer_lines l WHERE l.offer_id = t.id) FROM offers t ORDER BY t.id"
