#!/bin/sh
# The PostgreSQL benchmark of docs/PERFORMANCE.md (issue 10), on a private cluster
# (scripts/pg-cluster.sh) started for the run:
# 1. W concurrent writers for S seconds, each looping `contact add`, `activity log`,
#    `ticket comment`, against PostgreSQL and against SQLite in the same run: commands that
#    succeeded, failed, failed with "busy", per second; then the database is counted, to show that
#    nothing a writer was told was written is missing.
# 2. `crm contact show <email>` on N contacts against psql running the same indexed query on the
#    same database (whole process, median of R runs).
# Usage: sh bench/pg.sh CRM_BIN [N] [W] [S]
set -eu
CRM=$1
N=${2:-1000000}
W=${3:-8}
S=${4:-30}
R=${R:-7}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-pgbench.XXXXXX")
chmod 755 "$dir"
export CRM_PG_STATE="$dir/cluster"
base=$(sh "$root/scripts/pg-cluster.sh" start)
trap 'sh "$root/scripts/pg-cluster.sh" stop >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
export CRM_CONFIG=/dev/null NO_COLOR=1
# A database of the cluster by name: the base URL names the database "postgres".
url() { echo "$base" | sed "s|/postgres?|/$1?|"; }
psql -q "$base" -c "CREATE DATABASE writers" -c "CREATE DATABASE big"

# ------------------------------------------------------------------ 1. concurrent writers
writers() { # db_url_or_file label
	db=$1
	CRM_DB=$db "$CRM" init -q
	CRM_DB=$db "$CRM" account add "Acme" > /dev/null
	CRM_DB=$db "$CRM" ticket open "Shared ticket" --account Acme > /dev/null
	end=$(($(date +%s) + S))
	w=1
	while [ $w -le "$W" ]; do
		(
			ok=0 fail=0 busy=0 i=0
			while [ "$(date +%s)" -lt $end ]; do
				i=$((i + 1))
				for cmd in add log comment; do
					case $cmd in
					add) set -- contact add "W$w" "N$i" --email "w$w.$i@bench.example" ;;
					log) set -- activity log "call $w $i" --type call --account Acme ;;
					comment) set -- ticket comment 1 "comment $w $i" ;;
					esac
					if CRM_DB=$db "$CRM" "$@" > /dev/null 2> "$dir/err.$w"; then
						ok=$((ok + 1))
					else
						fail=$((fail + 1))
						grep -qi busy "$dir/err.$w" && busy=$((busy + 1))
					fi
				done
			done
			echo "$ok $fail $busy" > "$dir/writer.$w"
		) &
		w=$((w + 1))
	done
	wait
	cat "$dir"/writer.* | awk -v label="$2" -v s="$S" '{ ok += $1; fail += $2; busy += $3 }
		END { printf "%-10s %8d %8d %8d %10.1f\n", label, ok, fail, busy, ok / s }'
	rm -f "$dir"/writer.* "$dir"/err.*
	# Everything a writer was told was written is there: contacts, activities, comments.
	contacts=$(CRM_DB=$db "$CRM" contact list --format tsv --no-headers | wc -l)
	activities=$(CRM_DB=$db "$CRM" activity list --format tsv --no-headers | wc -l)
	echo "  in the database: $contacts contacts, $activities activities"
}
echo "== $W writers for $S s (contact add, activity log, ticket comment in turn)"
printf "%-10s %8s %8s %8s %10s\n" backend ok failed busy ok/s
writers "$(url writers)" postgresql
writers "$dir/writers.db" sqlite

# ------------------------------------------------------------------ 2. contact show at N contacts
echo "== contact show <email> at $N contacts (median of $R whole-process runs, ms)"
cc -O2 -o "$dir/gen" "$here/gen_contacts.c"
"$dir/gen" "$N" > "$dir/contacts.csv"
big=$(url big)
CRM_DB=$big "$CRM" init -q
# Loaded straight into the table (setup, not measured) through a staging table of the CSV's
# columns; the folded key crm keeps is computed by the schema's crm_fold.
psql -q "$big" -c "CREATE TABLE staging (first text, last text, email text, phone text, mobile text, title text,
	account text, location text, stage text, notes text)" \
	-c "\\copy staging FROM '$dir/contacts.csv' WITH (FORMAT csv, HEADER)" \
	-c "INSERT INTO contacts (first_name, last_name, email, phone, mobile, title, lifecycle_stage, notes, created, updated,
	label_fold) SELECT first, last, email, phone, mobile, title, stage, notes, '2026-01-01T00:00:00Z',
	'2026-01-01T00:00:00Z', crm_fold(trim(coalesce(first, '') || ' ' || coalesce(last, ''))) FROM staging
	ON CONFLICT DO NOTHING" -c "DROP TABLE staging" -c "VACUUM ANALYZE contacts"
email=$(psql -At "$big" -c "SELECT email FROM contacts WHERE id = $((N / 2))")
ms() {
	i=0
	while [ $i -lt "$R" ]; do
		s=$(date +%s%N)
		"$@" > /dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}
SEL="SELECT c.*, a.name, l.name FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN locations l ON l.id = c.location_id"
c=$(CRM_DB=$big ms "$CRM" contact show "$email")
p=$(ms psql -At "$big" -c "$SEL WHERE c.email = '$email'")
echo "crm contact show: $c ms   psql: $p ms   ratio $(echo "$c $p" | awk '{ printf "%.2f", $1 / $2 }')"
echo "peak memory of crm contact show (KiB): $(CRM_DB=$big /usr/bin/time -f %M "$CRM" contact show "$email" 2>&1 >/dev/null | tail -1)"
