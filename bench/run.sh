#!/bin/sh
# The benchmarks of docs/PERFORMANCE.md, all in one run on the same file:
#   crm contact import --mode upsert --key email   vs  sqlite3 .import into the same indexed schema
#                                                      (and filling the same search index)
#   the same import again (every row unchanged)   vs  the first import
#   crm contact export -o x.xlsx                   vs  bench/xlsx_min.c (a minimal libxlsxwriter writer)
# then bench/refs.sh (references, ticket import, report export) at 100,000 contacts and at N,
# against the sqlite3 CLI on the same file, and how each grows from one to the other.
# Usage: sh bench/run.sh [N] [CRM_BIN]   (make bench N=100000; REFS=0 skips the second part)
set -eu
N=${1:-1000000}
CRM=${2:-./crm}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'; make deps)" >&2; exit 1; }
command -v sqlite3 > /dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }
cc -O2 -o "$dir/gen" "$here/gen_contacts.c"
# shellcheck disable=SC2046
cc -O2 -o "$dir/xlsx_min" "$here/xlsx_min.c" $(pkg-config --cflags --libs xlsxwriter sqlite3)
"$dir/gen" "$N" > "$dir/contacts.csv"

# One measurement: "wall_seconds cpu_seconds peak_kib".
measure() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" > /dev/null
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"
}

# The baseline: crm's contacts table with the columns of the file, in the file's order, with all
# its indexes (unique e-mail; account, with the names its contacts are listed by; location; and
# the full name: crm indexes it folded in a column it writes, sqlite3 lowered in an expression
# index), in WAL mode like crm's database.
sqlite3 "$dir/base.db" "PRAGMA journal_mode = WAL" > /dev/null
schema="CREATE TABLE contacts (first_name TEXT, last_name TEXT, email TEXT UNIQUE COLLATE NOCASE,
	phone TEXT, mobile TEXT, title TEXT, account_id INTEGER, location_id INTEGER, lifecycle_stage TEXT, notes TEXT);
	CREATE INDEX contacts_account ON contacts(account_id, last_name COLLATE NOCASE, first_name COLLATE NOCASE);
	CREATE INDEX contacts_location ON contacts(location_id);
	CREATE INDEX contacts_label ON contacts(lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))));"
sqlite3 "$dir/base.db" "$schema"
base=$(measure sqlite3 "$dir/base.db" ".import --csv --skip 1 $dir/contacts.csv contacts")
# crm also keeps its search index (issue 13) in the import's transaction: the same schema with
# crm's FTS5 table (the same tokenizer and prefix index), filled in the same run with each
# contact's words as crm indexes them (the name; title, e-mail and notes), lowered where crm
# folds. That is the same indexed work; the plain .import above is printed beside it.
sqlite3 "$dir/base_fts.db" "PRAGMA journal_mode = WAL" > /dev/null
sqlite3 "$dir/base_fts.db" "$schema
	CREATE VIRTUAL TABLE search_index USING fts5(lterms, bterms, tokenize = 'unicode61 remove_diacritics 0', prefix = '3')"
printf '%s\n' "BEGIN;" ".import --csv --skip 1 $dir/contacts.csv contacts" \
	"INSERT INTO search_index (rowid, lterms, bterms) SELECT rowid * 32 + 3,
		lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))),
		lower(coalesce(title, '') || ' ' || coalesce(email, '') || ' ' || coalesce(notes, '')) FROM contacts;" \
	"COMMIT;" > "$dir/base_fts.sql"
base_fts=$(measure sqlite3 "$dir/base_fts.db" ".read $dir/base_fts.sql")

export CRM_DB="$dir/crm.db" CRM_CONFIG=/dev/null
"$CRM" init -q
first=$(measure "$CRM" -q contact import --mode upsert --key email "$dir/contacts.csv")
again=$(measure "$CRM" -q contact import --mode upsert --key email "$dir/contacts.csv")
rows=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM contacts")
xlsx=$(measure "$CRM" contact export -o "$dir/x.xlsx")
xmin=$(measure "$dir/xlsx_min" "$CRM_DB" "$dir/min.xlsx")

echo "$N contacts ($(wc -c < "$dir/contacts.csv") bytes of CSV), $rows imported; $(nproc) CPUs"
printf '%-40s %9s %9s %9s\n' "" "wall s" "cpu s" "peak MiB"
show() { echo "$2" | awk -v what="$1" '{ printf "%-40s %9.2f %9.2f %9.1f\n", what, $1, $2, $3 / 1024 }'; }
show "sqlite3 .import" "$base"
show "sqlite3 .import + the search index" "$base_fts"
show "crm contact import (first)" "$first"
show "crm contact import (again, unchanged)" "$again"
show "xlsx_min (libxlsxwriter, minimal)" "$xmin"
show "crm contact export -o x.xlsx" "$xlsx"
echo
# Ratios on wall time (the targets) and on CPU time (steadier on a shared machine).
echo "$base $first $again $xmin $xlsx $base_fts" | awk '
function verdict(ok) { return ok ? "ok" : "MISSED" }
{
	imp = $4 / $16; impc = $5 / $17
	plain = $4 / $1; plainc = $5 / $2
	re = $4 / $7; rec = $5 / $8
	x = $13 / $10; xc = $14 / $11
	printf "import / .import + search index %5.2f (cpu %5.2f)  target <= 1.0   %s\n", imp, impc, verdict(imp <= 1.0)
	printf "import / plain .import (no FTS) %5.2f (cpu %5.2f)\n", plain, plainc
	printf "first import / re-import       %5.2f (cpu %5.2f)  target >= 2.0   %s\n", re, rec, verdict(re >= 2.0)
	printf "xlsx export / minimal writer   %5.2f (cpu %5.2f)  target <= 1.5   %s\n", x, xc, verdict(x <= 1.5)
	printf "peak memory: import %.1f MiB, export %.1f MiB   target < 64    %s\n", $6 / 1024, $15 / 1024,
		verdict($6 < 65536 && $9 < 65536 && $15 < 65536)
}'

[ "${REFS:-1}" = 1 ] || exit 0
# References: at 100,000 contacts and at N (a lookup must not grow with the table).
small=100000
[ "$N" -lt "$small" ] && small=$N
sh "$here/refs.sh" "$small" "$CRM" "$dir/refs.small"
if [ "$N" -gt "$small" ]; then
	sh "$here/refs.sh" "$N" "$CRM" "$dir/refs.big"
else
	cp "$dir/refs.small" "$dir/refs.big"
	cp "$dir/refs.small.plans" "$dir/refs.big.plans"
fi
echo
echo "References at $N contacts ($((N / 5)) activities, $(awk '$1 == "tickets" { print $2 }' "$dir/refs.big") tickets);"
echo "crm and the sqlite3 CLI doing the same indexed work on the same file, median of ${R:-7} runs;"
echo "ratios on wall time (the target) and on CPU time (steadier on a shared machine):"
awk -v small="$small" -v n="$N" '
function verdict(ok) { return ok ? "ok" : "MISSED" }
function line(what, key, target, fmt) {
	r = b[key] / c[key]; rc = bc[key] / cc[key]
	printf "%-38s " fmt " " fmt " %6.2f %6.2f %6s %6.2f %s\n", what, b[key], c[key], r, rc, "<=" target,
		bc[key] / s[key], verdict(r <= target || rc <= target)
}
FNR == NR { s[$1] = $4; next }
{ b[$1] = $2; c[$1] = $3; bc[$1] = $4; cc[$1] = $5 }
END {
	printf "%-38s %9s %9s %6s %6s %6s %6s\n", "", "crm ms", "other ms", "wall", "cpu", "target", "growth"
	line("crm --help / sqlite3 -version", "version", 99, "%9.1f")
	line("contact show <email>", "show_email", 1.5, "%9.1f")
	line("contact show <id>", "show_id", 1.5, "%9.1f")
	line("contact show \"FIRST LAST\" (folded)", "show_name", 1.5, "%9.1f")
	line("activity list --contact <email>", "activity_list", 1.5, "%9.1f")
	line("account show (20,000 contacts)", "account_show", 1.5, "%9.1f")
	line("activity log --contact <email> / <id>", "log_email_vs_id", 1.2, "%9.1f")
	line("ticket import ms a row, e-mail / id", "ticket_import_row", 1.2, "%9.3f")
	line("report export tickets / xlsx_min typed", "report_typed_ms", 1.3, "%9.0f")
	line("  / xlsx_min, every cell as text", "report_ms", 99, "%9.0f")
	printf "%-38s %9.1f %9.1f %34s\n", "  peak MiB", b["report_kib"] / 1024, c["report_kib"] / 1024, verdict(b["report_kib"] < 65536) " (< 64)"
	printf "(growth: CPU time at %d contacts over CPU time at %d: a lookup should stay near 1;\n", n, small
	printf "tickets, and so the ticket report, grow with the contacts: N/10)\n"
}' "$dir/refs.small" "$dir/refs.big"
echo
cat "$dir/refs.big.plans"
