#!/bin/sh
# The reference benchmark of docs/PERFORMANCE.md ("Resolve, then query"): on N contacts, N/5
# activities and N/10 tickets, each crm command against the sqlite3 CLI doing the same indexed
# work on the same file (whole process, median of R runs), ticket import by e-mail against by
# number, and `report export tickets` against a minimal libxlsxwriter writer of the same rows
# (as text, and typed as the report types them).
# Usage: sh bench/refs.sh N CRM_BIN OUT
# (OUT receives "name crm_wall_ms sqlite_wall_ms crm_cpu_ms sqlite_cpu_ms" lines)
set -eu
N=$1
CRM=$2
OUT=$3
R=${R:-7}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-refs.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
cc -O2 -o "$dir/gen" "$here/gen_contacts.c"
# shellcheck disable=SC2046
cc -O2 -o "$dir/xlsx_min" "$here/xlsx_min.c" $(pkg-config --cflags --libs xlsxwriter sqlite3)
"$dir/gen" "$N" > "$dir/contacts.csv"
export CRM_DB="$dir/crm.db" CRM_CONFIG=/dev/null CRM_USER=bench NO_COLOR=1
db=$CRM_DB
"$CRM" init -q
"$CRM" -q contact import --mode upsert --key email "$dir/contacts.csv"
"$CRM" account add "Big Account" > /dev/null
"$CRM" account add "Small Account" > /dev/null

# The rest of the data, written straight into the tables (setup, not measured): an account
# with 20,000 contacts; N/5 activities, each linking one contact; contact T has 20 of them.
T=$((N / 2))
big=$((N < 20000 ? N : 20000))
A=$((N / 5))
sqlite3 "$db" "
UPDATE contacts SET account_id = 1 WHERE id <= $big;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $A)
INSERT INTO activities (id, summary, type, at, created, updated)
	SELECT n, 'call ' || n, 'call', printf('2026-%02d-%02dT10:00:00Z', 1 + n % 12, 1 + n % 28), 'x', 'x' FROM i;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $A)
INSERT INTO activity_contacts (record_id, target_id)
	SELECT n, CASE WHEN n <= 20 THEN $T ELSE 1 + (n * 7919) % $N END FROM i;"
# The generated names repeat (a full name is ambiguous); T gets one of its own, named below in
# capitals without its accents: ȘTEFAN is found as STEFAN.
"$CRM" contact edit "$T" --first-name Ștefan --last-name Müller-Bänch > /dev/null
uname="STEFAN MULLER-BANCH"
email=$(sqlite3 "$db" "SELECT email FROM contacts WHERE id = $T")
fold=$(sqlite3 "$db" "SELECT label_fold FROM contacts WHERE id = $T")
q() { printf "%s" "$1" | sed "s/'/''/g"; }

# "wall cpu": the median wall and CPU milliseconds of R runs of a command, both as perf counts
# them for the command alone (its elapsed time, and its task-clock: user and system), not
# perf's own start, which took 35 ms here and made every short command look alike. CPU time is
# the steadier one on a machine shared with other work.
ms() {
	i=0
	while [ $i -lt "$R" ]; do
		perf stat -e task-clock -o "$dir/perf" "$@" > /dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
		awk '/task-clock/ { c = $1 * 1000 } /seconds time elapsed/ { w = $1 * 1000000 } END { printf "%d %d\n", w, c }' "$dir/perf"
		i=$((i + 1))
	done > "$dir/runs"
	w=$(cut -d' ' -f1 "$dir/runs" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }')
	c=$(cut -d' ' -f2 "$dir/runs" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }')
	echo "$w $c"
}
# "name crm_wall sqlite_wall crm_cpu sqlite_cpu"
row() { echo "$1 ${2% *} ${3% *} ${2#* } ${3#* }" >> "$OUT"; }

: > "$OUT"
SEL="SELECT c.*, a.name, l.name FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN locations l ON l.id = c.location_id"
row show_email "$(ms "$CRM" contact show "$email")" "$(ms sqlite3 "$db" "$SEL WHERE c.email = '$(q "$email")' COLLATE NOCASE")"
row show_id "$(ms "$CRM" contact show "$T")" "$(ms sqlite3 "$db" "$SEL WHERE c.id = $T")"
row show_name "$(ms "$CRM" contact show "$uname")" "$(ms sqlite3 "$db" "$SEL WHERE c.label_fold = '$(q "$fold")'")"
row activity_list "$(ms "$CRM" activity list --contact "$email")" "$(ms sqlite3 "$db" "SELECT t.id, t.summary, t.type, t.at,
	(SELECT group_concat(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), ', ') FROM activity_contacts l
	JOIN contacts c ON c.id = l.target_id WHERE l.record_id = t.id) FROM activities t WHERE t.id IN (SELECT record_id FROM
	activity_contacts WHERE target_id = (SELECT id FROM contacts WHERE email = '$(q "$email")' COLLATE NOCASE)) ORDER BY t.at DESC")"
row account_show "$(ms "$CRM" account show "Big Account")" "$(ms sqlite3 "$db" "SELECT * FROM accounts WHERE name_fold = 'big account';
	SELECT id, first_name, last_name, email FROM contacts WHERE account_id = 1 AND location_id IS NULL ORDER BY last_name, first_name;
	SELECT id, at, type, summary FROM activities WHERE account_id = 1 ORDER BY at DESC LIMIT 10")"
row log_email_vs_id "$(ms "$CRM" activity log bench --type call --contact "$email")" "$(ms "$CRM" activity log bench --type call --contact "$T")"

# Ticket import, naming contacts by e-mail against by number (N/20 tickets each).
M=$((N / 20))
sqlite3 -csv "$db" "SELECT 'title', 'account', 'contact', 'priority', 'status';
	SELECT 'Ticket ' || id, 'Big Account', email, 'low', 'new' FROM contacts WHERE id % 20 = 0 ORDER BY id LIMIT $M" > "$dir/by_email.csv"
sqlite3 -csv "$db" "SELECT 'title', 'account', 'contact', 'priority', 'status';
	SELECT 'Ticket ' || id, 'Big Account', id, 'low', 'new' FROM contacts WHERE id % 20 = 10 ORDER BY id LIMIT $M" > "$dir/by_id.csv"
t() {
	perf stat -e task-clock -o "$dir/perf" "$@" > /dev/null 2>&1
	awk -v m="$M" '/task-clock/ { c = $1 } /seconds time elapsed/ { w = $1 * 1000 } END { printf "%.4f %.4f", w / m, c / m }' "$dir/perf"
}
row ticket_import_row "$(t "$CRM" -q ticket import --mode create "$dir/by_email.csv")" "$(t "$CRM" -q ticket import --mode create "$dir/by_id.csv")"

# report export tickets (N/10 tickets) against the minimal writer: wall ms and peak KiB.
# "wall_ms cpu_ms peak_kib"
mem() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@" > /dev/null 2>&1
	awk '{ printf "%.0f %.0f %s", $1 * 1000, ($2 + $3) * 1000, $4 }' "$dir/time"
}
rep=$(mem "$CRM" report export tickets -o "$dir/t.xlsx")
min=$(mem "$dir/xlsx_min" "$db" "$dir/min.xlsx" tickets)
# the same rows typed as the report types them (times as Excel dates, booleans): the same cells
typed=$(mem "$dir/xlsx_min" "$db" "$dir/min.xlsx" tickets-typed)
echo "report_ms $(echo "$rep" | cut -d' ' -f1) $(echo "$min" | cut -d' ' -f1) $(echo "$rep" | cut -d' ' -f2) $(echo "$min" | cut -d' ' -f2)" >> "$OUT"
echo "report_typed_ms $(echo "$rep" | cut -d' ' -f1) $(echo "$typed" | cut -d' ' -f1) $(echo "$rep" | cut -d' ' -f2) $(echo "$typed" | cut -d' ' -f2)" >> "$OUT"
echo "report_kib $(echo "$rep" | cut -d' ' -f3) $(echo "$min" | cut -d' ' -f3) 0 0" >> "$OUT"
echo "tickets $(sqlite3 "$db" "SELECT count(*) FROM tickets") 0 0 0" >> "$OUT"
# process start: crm --help (--version also loads libpq, to name its version)
echo "version $(ms "$CRM" --help) $(ms sqlite3 -version)" | awk '{ print $1, $2, $4, $3, $5 }' >> "$OUT"

# The plans of what crm runs for a reference (SQL as core/record.c and core/filter.c write it).
{
	echo "EXPLAIN QUERY PLAN at $N contacts:"
	for sql in "SELECT t.id FROM contacts t WHERE t.email = 'x' ORDER BY t.id LIMIT 11" \
		"SELECT t.id FROM contacts t WHERE t.label_fold = 'x' ORDER BY t.id LIMIT 11" \
		"SELECT t.id FROM activities t WHERE t.id IN (SELECT l.record_id FROM activity_contacts l WHERE l.target_id IN (5))" \
		"SELECT t.id FROM tickets t WHERE (t.status = 'open' COLLATE NOCASE)"; do
		echo "  $sql"
		sqlite3 "$db" "EXPLAIN QUERY PLAN $sql" | sed 's/^/    /'
	done
} > "$OUT.plans"
