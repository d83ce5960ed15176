# Paired timing for the benchmarks (sourced): pair LABEL crm-command... -- reference-command...
# runs R rounds of crm's command then the reference, back to back (so both see the same load of
# a shared machine), output to /dev/null, and prints the median wall and CPU (user + system)
# seconds of each, the ratios, and crm's largest peak resident memory. Needs /usr/bin/time.
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'; make deps)" >&2; exit 1; }
command -v sqlite3 > /dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

pair() {
	label=$1
	shift
	a=""
	while [ "$1" != "--" ]; do a="$a $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"; shift; done
	shift
	b=""
	for w in "$@"; do b="$b $(printf '%s' "$w" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"; done
	: > "$dir/pa"
	: > "$dir/pb"
	eval "$a" > /dev/null # warm the page cache for both
	i=0
	while [ "$i" -lt "$R" ]; do
		eval "/usr/bin/time -f '%e %U %S %M' -o '$dir/t' $a" > /dev/null
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/t" >> "$dir/pa"
		eval "/usr/bin/time -f '%e %U %S %M' -o '$dir/t' $b" > /dev/null
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/t" >> "$dir/pb"
		i=$((i + 1))
	done
	aw=$(cut -d' ' -f1 "$dir/pa" | median); ac=$(cut -d' ' -f2 "$dir/pa" | median)
	bw=$(cut -d' ' -f1 "$dir/pb" | median); bc=$(cut -d' ' -f2 "$dir/pb" | median)
	am=$(cut -d' ' -f3 "$dir/pa" | sort -n | tail -1); bm=$(cut -d' ' -f3 "$dir/pb" | sort -n | tail -1)
	awk -v l="$label" -v aw="$aw" -v ac="$ac" -v bw="$bw" -v bc="$bc" -v am="$am" -v bm="$bm" 'BEGIN { printf "%-32s crm %7.2f s (CPU %6.2f, %5.1f MiB)  sqlite3 %7.2f s (CPU %6.2f, %5.1f MiB)  ratio wall %.2f CPU %.2f\n", l, aw, ac, am / 1024, bw, bc, bm / 1024, (bw > 0 ? aw / bw : 0), (bc > 0 ? ac / bc : 0) }'
}
