#!/bin/sh
# The PostgreSQL import benchmark of docs/PERFORMANCE.md ("Import into PostgreSQL"), all in one
# run so that the machine's load is the same for each line:
#   crm contact import --mode upsert --key email --create-missing into SQLite   (reference 1)
#   the same file into a fresh PostgreSQL database                             (measured)
#   the same import again, every row unchanged, on PostgreSQL
#   psql \copy of the file into a staging table, then one INSERT … SELECT into crm's contacts
#   (accounts created and joined by name, the folded key by crm_fold)           (reference 2)
# The file is bench/gen_contacts.c's with its Account column filled (50 accounts, created by the
# import, --create-missing). Needs PostgreSQL's initdb and psql: without them it says so and
# exits 0 (make bench runs it after bench/run.sh).
# Usage: sh bench/pg_import.sh CRM_BIN [N...]   (default N: 20000 100000; BENCH_PG_URL=<base URL>
# uses a running cluster instead of starting one)
set -eu
if ! command -v psql > /dev/null; then
	echo "bench/pg_import.sh: no PostgreSQL here (psql): skipped"
	exit 0
fi
CRM=$1
shift
[ $# -gt 0 ] || set -- 20000 100000
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'; make deps)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-pgimport.XXXXXX")
chmod 755 "$dir"
export CRM_PG_STATE="$dir/cluster"
if [ -n "${BENCH_PG_URL:-}" ]; then # a running cluster's base URL (database "postgres")
	base=$BENCH_PG_URL
	trap 'rm -rf "$dir"' EXIT INT TERM
elif base=$(sh "$root/scripts/pg-cluster.sh" start 2> "$dir/cluster.err"); then
	trap 'sh "$root/scripts/pg-cluster.sh" stop >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
else
	echo "bench/pg_import.sh: no PostgreSQL cluster could be started: skipped ($(tail -1 "$dir/cluster.err"))"
	rm -rf "$dir"
	exit 0
fi
export CRM_CONFIG=/dev/null NO_COLOR=1 CRM_USER=bench
url() { echo "$base" | sed "s|/postgres?|/$1?|"; }
cc -O2 -o "$dir/gen" "$here/gen_contacts.c"

# Wall seconds of a command (its output discarded).
wall() {
	/usr/bin/time -f "%e" -o "$dir/time" "$@" > /dev/null
	cat "$dir/time"
}

for N in "$@"; do
	"$dir/gen" "$N" 20261125 50 > "$dir/contacts.csv"
	args="-q contact import --mode upsert --key email --create-missing $dir/contacts.csv"
	rm -f "$dir/crm.db"
	CRM_DB="$dir/crm.db" "$CRM" init -q
	# shellcheck disable=SC2086
	s=$(CRM_DB="$dir/crm.db" wall "$CRM" $args)
	db=imp$N
	psql -q "$base" -c "CREATE DATABASE $db"
	CRM_DB=$(url $db) "$CRM" init -q
	# shellcheck disable=SC2086
	p=$(CRM_DB=$(url $db) wall "$CRM" $args)
	# shellcheck disable=SC2086
	again=$(CRM_DB=$(url $db) wall "$CRM" $args)
	rows=$(psql -At "$(url $db)" -c "SELECT count(*), count(account_id) FROM contacts")
	psql -q "$base" -c "CREATE DATABASE ref$N"
	CRM_DB=$(url ref$N) "$CRM" init -q
	cat > "$dir/ref.sql" << EOF
CREATE TEMP TABLE staging (first text, last text, email text, phone text, mobile text, title text,
	account text, location text, stage text, notes text);
\\copy staging FROM '$dir/contacts.csv' WITH (FORMAT csv, HEADER)
INSERT INTO accounts (name, created, updated, name_fold)
	SELECT DISTINCT account, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', crm_fold(account)
	FROM staging WHERE account <> '';
INSERT INTO contacts (first_name, last_name, email, phone, mobile, title, account_id, lifecycle_stage, notes,
	created, updated, label_fold)
	SELECT s.first, s.last, s.email, s.phone, s.mobile, s.title, a.id, s.stage, s.notes, '2026-01-01T00:00:00Z',
	'2026-01-01T00:00:00Z', crm_fold(trim(coalesce(s.first, '') || ' ' || coalesce(s.last, '')))
	FROM staging s LEFT JOIN accounts a ON a.name = s.account ON CONFLICT DO NOTHING;
EOF
	c=$(wall psql -q -v ON_ERROR_STOP=1 -X -1 -f "$dir/ref.sql" "$(url ref$N)")
	echo "== $N contacts with an Account column (50 accounts created), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
	echo "  in PostgreSQL after the import: $rows (contacts|with an account)"
	printf "%-44s %8s %8s\n" "" "s" "ratio"
	printf "%-44s %8s %8s\n" "crm import, SQLite" "$s" "$(echo "$s $c" | awk '{ printf "%.2f", $1 / $2 }')"
	printf "%-44s %8s %8s\n" "crm import, PostgreSQL" "$p" "$(echo "$p $c" | awk '{ printf "%.2f", $1 / $2 }')"
	printf "%-44s %8s %8s\n" "crm import again (unchanged), PostgreSQL" "$again" \
		"$(echo "$again $c" | awk '{ printf "%.2f", $1 / $2 }')"
	printf "%-44s %8s %8s\n" "psql \\copy + INSERT … SELECT (reference)" "$c" "1.00"
	echo "  PostgreSQL import / SQLite import: $(echo "$p $s" | awk '{ printf "%.2f", $1 / $2 }')"
	psql -q "$base" -c "DROP DATABASE $db" -c "DROP DATABASE ref$N"
done
