#!/bin/sh
# The agenda benchmark of docs/PERFORMANCE.md (issue 11): N tasks across U users (and 20 groups,
# every user in one), written straight into a crm database by sqlite3; then paired runs, back to
# back, of
#   crm agenda --user <u>                  vs  the sqlite3 CLI's indexed query for the same rows
#   crm calendar --month --user <u> <day>  vs  the same for the month's grid
# the median of R each (default 3) in wall time, the CPU time of K runs each (default 50), their
# ratios and crm's peak memory; then the same after the
# tasks of other users are cut to a tenth (the user's own and their group's kept): the times
# must not grow with other users' tasks. Last, the plans of the statements both commands run.
# Usage: sh bench/agenda.sh [N] [U] [CRM_BIN]   (defaults 1000000 1000 ./crm; make bench-agenda,
# make bench; a smoke run: sh bench/agenda.sh 10000 10; KEEP=1 keeps the database)
set -eu
N=${1:-1000000}
U=${2:-1000}
CRM=${3:-./crm}
R=${R:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-agenda.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT INT TERM
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'; make deps)" >&2; exit 1; }
command -v sqlite3 > /dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }
export CRM_CONFIG=/dev/null CRM_DB="$dir/crm.db" TZ=UTC
"$CRM" init -q
s=$(date +%s)
# Task i goes to user 2 + i % U (user 1 is root) or, one in twenty, to a group; a fifth are
# meetings (start and end, no due time), the rest tasks with a due time, over 2025-2027 between
# 07:00 and 16:00; 70% done, 25% open, 4% cancelled, 1% waiting for approval.
sqlite3 "$CRM_DB" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO groups (id, name, created, updated) SELECT i, 'team' || i, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $U)
INSERT INTO users (id, login, name, email, manager_id, groups, roles, created, updated)
SELECT i + 1, 'u' || i, 'User ' || i, 'u' || i || '@example.com', CASE WHEN i > 10 THEN 2 + i % 10 END,
       'team' || (1 + i % 20), 'agent', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1),
t(i, k, d, ev) AS (SELECT i, i / $U, strftime('%Y-%m-%dT%H:00:00Z', '2025-01-01', '+' || ((i * 7919 + (i / $U) * 37) % 1095) || ' days',
				       '+' || (7 + (i / 7) % 10) || ' hours'), (i / $U * 3 + i) % 5 = 0 FROM n)
INSERT INTO tasks (id, title, type, status, priority, start_at, end_at, due, all_day, assignee_id, group_id, created, updated)
SELECT i + 1, 'Task ' || (i + 1), CASE WHEN ev THEN 'meeting' ELSE 'task' END,
       CASE WHEN k % 100 < 70 THEN 'done' WHEN k % 100 < 95 THEN 'open' WHEN k % 100 < 99 THEN 'cancelled' ELSE 'approval' END,
       CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'normal' END,
       CASE WHEN ev THEN d END, CASE WHEN ev THEN strftime('%Y-%m-%dT%H:%M:%SZ', d, '+1 hour') END,
       CASE WHEN NOT ev THEN d END, 0,
       CASE WHEN (i / $U + i) % 20 <> 7 THEN 2 + i % $U END, CASE WHEN (i / $U + i) % 20 = 7 THEN 1 + (i / 20) % 20 END,
       '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'
FROM t;
COMMIT;
ANALYZE;
SQL
e=$(date +%s)
# The user in the middle, their id and their group's.
login=u$((U / 2))
uid=$((U / 2 + 1))
gid=$((1 + U / 2 % 20))
now=2026-11-30T10:00:00Z
# The rows crm agenda shows (overdue, today, this week: to the day after Sunday 6 December) and
# crm calendar --month 2026-12-01 (Monday 30 November to Monday 4 January), as one would write
# them for the sqlite3 CLI on the same indexes.
cols="t.id, t.title, t.type, t.status, t.priority, coalesce(t.due, t.start_at), t.due, t.start_at, t.end_at, t.all_day,
u.login, g.name, a.name FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN groups g ON g.id = t.group_id
LEFT JOIN accounts a ON a.id = t.account_id"
open="status COLLATE NOCASE IN ('open', 'approval')"
all="status COLLATE NOCASE IN ('open', 'approval', 'done', 'cancelled')"
agenda_sql="SELECT $cols WHERE t.id IN (
SELECT id FROM tasks WHERE assignee_id = $uid AND $open AND due < '2026-12-07T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE assignee_id = $uid AND $open AND due IS NULL AND start_at >= '2026-11-30T00:00:00Z' AND start_at < '2026-12-07T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE group_id = $gid AND $open AND due < '2026-12-07T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE group_id = $gid AND $open AND due IS NULL AND start_at >= '2026-11-30T00:00:00Z' AND start_at < '2026-12-07T00:00:00Z')
ORDER BY coalesce(t.due, t.start_at), t.id"
month_sql="SELECT $cols WHERE t.id IN (
SELECT id FROM tasks WHERE assignee_id = $uid AND $all AND due >= '2026-11-30T00:00:00Z' AND due < '2027-01-04T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE assignee_id = $uid AND $all AND due IS NULL AND start_at >= '2026-11-30T00:00:00Z' AND start_at < '2027-01-04T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE group_id = $gid AND $all AND due >= '2026-11-30T00:00:00Z' AND due < '2027-01-04T00:00:00Z' UNION ALL
SELECT id FROM tasks WHERE group_id = $gid AND $all AND due IS NULL AND start_at >= '2026-11-30T00:00:00Z' AND start_at < '2027-01-04T00:00:00Z')
ORDER BY coalesce(t.due, t.start_at), t.id"

# Microseconds of one run.
us() {
	s=$(date +%s%N)
	"$@" > /dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 1000))
}
# CPU milliseconds (user and system) per run, over K runs (default 50; a machine shared with other
# work stretches wall times, far less CPU times).
cpu_ms() {
	/usr/bin/time -f "%U %S" -o "$dir/cpu" sh -c 'i=0; while [ "$i" -lt "$0" ]; do "$@" > /dev/null; i=$((i + 1)); done' \
		"${K:-50}" "$@"
	awk -v k="${K:-50}" '{ printf "%.1f", ($1 + $2) * 1000 / k }' "$dir/cpu"
}
median() {
	sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}
# One line: label, crm's median wall ms, sqlite3's, the ratio, the same for CPU ms, crm's peak
# KiB, the rows; R pairs, crm and sqlite3 back to back, after one warming run of each.
pair() {
	label=$1
	sql=$2
	shift 2
	"$@" > /dev/null
	sqlite3 "$CRM_DB" "$sql" > /dev/null
	: > "$dir/a"
	: > "$dir/b"
	i=0
	while [ "$i" -lt "$R" ]; do
		us "$@" >> "$dir/a"
		us sqlite3 "$CRM_DB" "$sql" >> "$dir/b"
		i=$((i + 1))
	done
	a=$(median < "$dir/a")
	b=$(median < "$dir/b")
	c=$(cpu_ms "$@")
	d=$(cpu_ms sqlite3 "$CRM_DB" "$sql")
	/usr/bin/time -f "%M" -o "$dir/time" "$@" > /dev/null
	rows=$(sqlite3 "$CRM_DB" "$sql" | wc -l)
	printf '%-30s %8s %8s %6s %8s %8s %6s %8s %6s\n' "$label" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" \
		"$c" "$d" "$(awk -v a="$c" -v b="$d" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$(cat "$dir/time")" "$rows"
	echo "$a $c" >> "$dir/$label.crm"
}
run() {
	printf '%-30s %8s %8s %6s %8s %8s %6s %8s %6s\n' "$1" "crm ms" "sqlite3" "ratio" "crm cpu" "sqlite3" "ratio" "crm KiB" "rows"
	pair "agenda" "$agenda_sql" "$CRM" agenda --user "$login" --now "$now" -F tsv
	pair "calendar --month" "$month_sql" "$CRM" calendar --month --user "$login" --now "$now" 2026-12-01
}
echo "database: $dir"
echo "$N tasks across $U users written in $((e - s)) s; $(nproc) CPUs; $login (group team$gid); medians of $R pairs"
run "$N tasks"
# The same user among a tenth of the others' tasks: the times must stay where they were.
sqlite3 "$CRM_DB" "DELETE FROM tasks WHERE coalesce(assignee_id, 0) <> $uid AND coalesce(group_id, 0) <> $gid AND id % 10 <> 0;
	VACUUM; ANALYZE;" > /dev/null
left=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM tasks")
run "$left tasks (others cut)"
# Full against cut, in wall and in CPU time (the first is at the mercy of the machine's load).
for label in agenda "calendar --month"; do
	paste -d' ' - - < "$dir/$label.crm" | awk -v l="$label" \
		'{ printf "growth with the others'"'"' tasks, %s (full / cut): wall %.2f, cpu %.2f\n", l, $1 / $3, $2 / $4 }'
done
echo "plans (crm agenda --explain; the calendar's statement is the same with a lower bound on due):"
"$CRM" agenda --user "$login" --explain -F tsv --no-headers | sed 's/^/  /'
echo "plan of the sqlite3 query for the month:"
sqlite3 "$CRM_DB" "EXPLAIN QUERY PLAN $month_sql" | sed 's/^/  /'
