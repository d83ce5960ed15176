#!/bin/sh
# The search benchmark of docs/PERFORMANCE.md (issue 13):
#   crm search <word>                  vs  crm contact list *<word>* (the LIKE scan it replaces)
#                                      on N contacts and N activities, and beside it the sqlite3
#                                      CLI running FTS5's own query for the same words
#                                      (and each program's start: crm --help, sqlite3 -version)
#   crm contact import of N contacts   with the index written in stretches in the import's
#                                      transaction (and, when BASE_CRM names a crm built without
#                                      the index, without it: the cost)
#   crm search --rebuild               of that database: N contacts and N activities
# Whole-process times, the median of R runs (default 11) for the queries.
# Usage: sh bench/search.sh [N] [CRM_BIN]   (make bench-search N=100000; BASE_CRM=path R=21)
set -eu
N=${1:-1000000}
CRM=${2:-./crm}
R=${R:-11}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-search.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'; make deps)" >&2; exit 1; }
command -v sqlite3 > /dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }
cc -O2 -o "$dir/gen" "$here/gen_contacts.c"
"$dir/gen" "$N" > "$dir/contacts.csv"

# Wall seconds of one run.
wall() {
	/usr/bin/time -f "%e" -o "$dir/time" "$@" > /dev/null
	cat "$dir/time"
}
# Median wall milliseconds of R runs (a first run warms the page cache).
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

export CRM_CONFIG=/dev/null
if [ -n "${BASE_CRM:-}" ]; then
	CRM_DB="$dir/base.db" "$BASE_CRM" init -q
	base=$(CRM_DB="$dir/base.db" wall "$BASE_CRM" -q contact import "$dir/contacts.csv")
	rm -f "$dir/base.db"*
fi
export CRM_DB="$dir/crm.db"
"$CRM" init -q
import=$(wall "$CRM" -q contact import "$dir/contacts.csv")
# N activities written straight into the table (setup, not measured), each logging a call with
# one contact; the timed rebuild below indexes them with the contacts. One activity in 1,000
# mentions a renewal, so a word of activities alone has N/1000 hits.
sqlite3 "$CRM_DB" "
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $N)
INSERT INTO activities (id, summary, type, at, body, created, updated)
	SELECT n, CASE WHEN n % 1000 = 0 THEN 'Renewal call ' || n ELSE 'Call ' || n END, 'call',
		printf('2026-%02d-%02dT10:00:00Z', 1 + n % 12, 1 + n % 28),
		'Talked about the order, the delivery dates and the invoice ' || n, 'x', 'x' FROM i;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $N)
INSERT INTO activity_contacts (record_id, target_id) SELECT n, 1 + (n * 7919) % $N FROM i;"
rebuild=$(wall "$CRM" -q search --rebuild)
# Words that name one person: the e-mail address of the contact in the middle, and two words
# of it, and a prefix that many share.
email=$(sqlite3 "$CRM_DB" "SELECT email FROM contacts WHERE id = $((N / 2 + 1))")
local=${email%@*}
first=${local%%.*}
num=${local##*.}
rows=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM contacts")
acts=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM activities")
# FTS5's own query for crm's words, run by the sqlite3 CLI on the same file: each word folded
# and cut as crm cuts it, a phrase whose last word is a prefix, ANDed (core/search.c).
fts_match() {
	for w in "$@"; do
		printf '%s\n' "$w" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9][^a-z0-9]*/ /g; s/^ //; s/ $//; s/.*/"&"*/'
	done | paste -sd' ' - | sed 's/"\* "/"* AND "/g'
}
echo "$N contacts generated, $rows imported; $acts activities; $(nproc) CPUs; medians of $R runs"
printf '%-52s %8s\n' "process start: crm --help, ms" "$(median_ms "$CRM" --help)"
printf '%-52s %8s\n' "process start: sqlite3 -version, ms" "$(median_ms sqlite3 -version)"
printf '%-52s %10s %10s %10s %8s\n' "query" "search ms" "sqlite3 ms" "list ms" "ratio"
for q in "$local" "$first $num" "$email"; do
	s=$(median_ms "$CRM" search --limit 20 -F tsv $q)
	# shellcheck disable=SC2086
	f=$(median_ms sqlite3 "$CRM_DB" "SELECT rowid FROM search_index WHERE search_index MATCH '$(fts_match $q)' ORDER BY rank LIMIT 20")
	# the LIKE scan a bare word was before the index: a word with * keeps it
	like=$(for w in $q; do printf '*%s* ' "$w"; done)
	l=$(median_ms "$CRM" contact list --limit 20 -F tsv $like)
	hits=$("$CRM" search --limit 0 -F tsv --no-headers $q | wc -l)
	lhits=$("$CRM" contact list -F tsv --no-headers $like | wc -l)
	printf '%-52s %10s %10s %10s %7.1fx   (%s and %s hits)\n' "$q" "$s" "$f" "$l" "$(echo "$l $s" | awk '{ print $1 / $2 }')" "$hits" "$lhits"
done
s=$(median_ms "$CRM" search --limit 20 -F tsv renewal)
f=$(median_ms sqlite3 "$CRM_DB" "SELECT rowid FROM search_index WHERE search_index MATCH '\"renewal\"*' ORDER BY rank LIMIT 20")
l=$(median_ms "$CRM" activity list --limit 20 -F tsv '*renewal*')
printf '%-52s %10s %10s %10s %7.1fx   (activities: %s hits)\n' "renewal (activities only)" "$s" "$f" "$l" \
	"$(echo "$l $s" | awk '{ print $1 / $2 }')" "$("$CRM" search --limit 0 -F tsv --no-headers renewal | wc -l)"
s=$(median_ms "$CRM" search --limit 20 -F tsv "$first")
printf '%-52s %10s %10s %10s\n' "$first (prefix of many, first 20)" "$s" "-" "-"
two=$(printf '%.2s' "$first")
s=$(median_ms "$CRM" search --limit 20 -F tsv "$two")
printf '%-52s %10s %10s %10s\n' "$two (two letters: every word they begin, first 20)" "$s" "-" "-"
echo
printf '%-52s %10s\n' "crm contact import (index kept), s" "$import"
[ -n "${BASE_CRM:-}" ] && printf '%-52s %10s   (+%s%%)\n' "crm contact import ($BASE_CRM, no index), s" "$base" \
	"$(echo "$import $base" | awk '{ printf "%.0f", ($1 / $2 - 1) * 100 }')"
printf '%-52s %10s\n' "crm search --rebuild ($rows contacts, $acts activities), s" "$rebuild"
echo
echo "plan of crm search $local:"
"$CRM" search --explain "$local" -F tsv --no-headers | sed 's/^/  /'
