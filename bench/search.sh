#!/bin/sh
# The search benchmark of docs/PERFORMANCE.md (issue 13):
#   crm search <word>                  vs  crm contact list *<word>* (the LIKE scan it replaces)
#   crm contact import of N contacts   with the index kept row by row (and, when BASE_CRM names a
#                                      crm built without the index, without it: the cost)
#   crm search --rebuild               of that database
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
rebuild=$(wall "$CRM" -q search --rebuild)
# Words that name one person: the e-mail address of the contact in the middle, and two words
# of it, and a prefix that many share.
email=$(sqlite3 "$CRM_DB" "SELECT email FROM contacts WHERE id = $((N / 2 + 1))")
local=${email%@*}
first=${local%%.*}
num=${local##*.}
rows=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM contacts")
echo "$N contacts generated, $rows imported; $(nproc) CPUs; medians of $R runs"
printf '%-52s %10s %10s %8s\n' "query" "search ms" "list ms" "ratio"
for q in "$local" "$first $num" "$email"; do
	s=$(median_ms "$CRM" search --limit 20 -F tsv $q)
	# the LIKE scan a bare word was before the index: a word with * keeps it
	like=$(for w in $q; do printf '*%s* ' "$w"; done)
	l=$(median_ms "$CRM" contact list --limit 20 -F tsv $like)
	hits=$("$CRM" search --limit 0 -F tsv --no-headers $q | wc -l)
	lhits=$("$CRM" contact list -F tsv --no-headers $like | wc -l)
	printf '%-52s %10s %10s %7.1fx   (%s and %s hits)\n' "$q" "$s" "$l" "$(echo "$l $s" | awk '{ print $1 / $2 }')" "$hits" "$lhits"
done
s=$(median_ms "$CRM" search --limit 20 -F tsv "$first")
printf '%-52s %10s %10s\n' "$first (prefix of many, first 20)" "$s" "-"
two=$(printf '%.2s' "$first")
s=$(median_ms "$CRM" search --limit 20 -F tsv "$two")
printf '%-52s %10s %10s\n' "$two (two letters: every word they begin, first 20)" "$s" "-"
echo
printf '%-52s %10s\n' "crm contact import (index kept), s" "$import"
[ -n "${BASE_CRM:-}" ] && printf '%-52s %10s   (+%s%%)\n' "crm contact import ($BASE_CRM, no index), s" "$base" \
	"$(echo "$import $base" | awk '{ printf "%.0f", ($1 / $2 - 1) * 100 }')"
printf '%-52s %10s\n' "crm search --rebuild, s" "$rebuild"
echo
echo "plan of crm search $local:"
"$CRM" search --explain "$local" -F tsv --no-headers | sed 's/^/  /'
