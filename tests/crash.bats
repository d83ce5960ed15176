#!/usr/bin/env bats
# Issue 17: crash safety. A large import is killed with SIGKILL at a random moment, CRM_CRASH_KILLS
# times (3 here; `make stress` runs 20 and more): after each kill the database is intact
# (SQLite's integrity_check; on PostgreSQL the server rolls back the dead client's transaction),
# the killed import is all there or not there at all (its contacts, its batch, its history), and
# the same import run again completes with every row.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	KILLS=${CRM_CRASH_KILLS:-3}
	ROWS=${CRM_CRASH_ROWS:-10000}
	D=$BATS_TEST_TMPDIR
}

q() {
	if [ "${CRM_TEST_BACKEND:-sqlite}" = pg ]; then
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$CRM_DB" -c "$1"
	else
		sqlite3 -batch "$CRM_DB" "$1"
	fi
}

# A file of ROWS contacts, each with the marker $1 in its last name and address.
file_of() {
	awk -v m="$1" -v n="$ROWS" 'BEGIN { print "first_name,last_name,email,phone,notes";
		for (i = 1; i <= n; i++) printf "F%d,%s-%d,%s-%d@crash.test,+49 30 %d,\"a note, with \"\"quotes\"\"\"\n", i, m, i, m, i, i }' \
		>"$D/$1.csv"
}

# The import of marker $1 is all there or not there at all: prints how many of its rows there are.
all_or_nothing() {
	local n batches
	n=$(q "SELECT count(*) FROM contacts WHERE last_name LIKE '$1-%'")
	batches=$(q "SELECT count(*) FROM import_batches WHERE file LIKE '%/$1.csv'")
	if [ "$n" = 0 ]; then
		[ "$batches" = 0 ] || { echo "$1: no contacts but $batches batch rows" >&2; return 1; }
	elif [ "$n" = "$ROWS" ]; then
		[ "$batches" = 1 ] || { echo "$1: all contacts but $batches batch rows" >&2; return 1; }
		[ "$(q "SELECT created FROM import_batches WHERE file LIKE '%/$1.csv'")" = "$ROWS" ]
	else
		echo "$1: $n of $ROWS contacts: a partial batch" >&2
		return 1
	fi
	echo "$n"
}

intact() {
	if [ "${CRM_TEST_BACKEND:-sqlite}" != pg ]; then
		[ "$(q 'PRAGMA integrity_check')" = ok ] || { q 'PRAGMA integrity_check' | head >&2; return 1; }
		[ "$(q 'PRAGMA foreign_key_check')" = "" ]
	fi
	crm contact list --limit 1 >/dev/null
}

@test "SIGKILL during a large import at random moments: intact, all or nothing, and the re-run completes" {
	crm contact add "Before All" --email before@crash.test >/dev/null
	# how long one import takes here (a sanitizer build, a loaded machine): the kills fall in it
	file_of cal
	t0=$(date +%s%N)
	crm contact import "$D/cal.csv" >/dev/null 2>&1
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	[ "$(all_or_nothing cal)" = "$ROWS" ]
	killed=0 finished=0 whole=0 none=0
	for k in $(seq 1 "$KILLS"); do
		file_of "k$k"
		# from 5% to 130% of an import's time: mostly during it, sometimes around or after the
		# commit; the first within its first half, so that at least one kill lands in it however
		# the first import's time misjudged the others (a sanitizer build's first run is slower)
		if [ "$k" = 1 ]; then
			delay=$(( ms * (5 + RANDOM % 46) / 100 ))
		else
			delay=$(( ms * (5 + RANDOM % 126) / 100 ))
		fi
		# exec: $! must be crm itself, not a subshell running the helper function (killing
		# that would leave crm importing while the checks run)
		( exec ${CRM_WRAP:-} "$CRM_BIN" contact import "$D/k$k.csv" >/dev/null 2>&1 ) &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		case $st in
		137) killed=$((killed + 1)) ;;
		0) finished=$((finished + 1)) ;;
		*) echo "import k$k exited $st" >&2; false ;;
		esac
		refute kill -0 "$pid" 2>/dev/null
		intact
		n=$(all_or_nothing "k$k")
		if [ "$n" = 0 ]; then none=$((none + 1)); else whole=$((whole + 1)); fi
		# the same import again completes: created if it was rolled back, unchanged if not
		run --separate-stderr crm contact import "$D/k$k.csv"
		expect_status 0
		[ "$(all_or_nothing "k$k")" = "$ROWS" ]
		intact
	done
	# nothing before the imports was touched
	[ "$(q "SELECT count(*) FROM contacts WHERE email = 'before@crash.test'")" = 1 ]
	[ "$killed" -ge 1 ]
	echo "# kills: $killed of $KILLS during the import, $finished after it ended; after them $none rolled back, $whole committed, 0 partial; import of $ROWS rows: $ms ms" >&3
}
