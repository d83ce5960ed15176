#!/usr/bin/env bats
# Issue 17: writers and readers at once on one database. 8 writers (contact add, activity log,
# ticket comment, ticket transitions, small imports) and 2 readers run for CRM_CONCURRENCY_SECONDS
# (20 by default; `make stress` runs longer); then every write a writer reported exists exactly
# once with its history (a history row, a ticket action, an import batch's range), nothing exists
# that no writer reported, no command failed except with exit 75 (after the busy timeout), and
# SQLite's integrity_check is ok. The same on PostgreSQL (make test-pg), the checks by psql.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	SECONDS_RUN=${CRM_CONCURRENCY_SECONDS:-20}
	W=$BATS_TEST_TMPDIR/w
	mkdir -p "$W"
}

# SQL on the database under test, unaligned, one row a line.
q() {
	if [ "${CRM_TEST_BACKEND:-sqlite}" = pg ]; then
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$CRM_DB" -c "$1"
	else
		sqlite3 -batch "$CRM_DB" "$1"
	fi
}

# Run one command for writer/reader $1 (the rest is the command); append to $W/$1.log:
#   ok <stdout>   |   busy <ms> <command>   |   fail <status> <command>: <stderr>
step() {
	local who=$1 out rc=0 t0 t1
	shift
	t0=$(date +%s%N)
	out=$(crm "$@" 2>"$W/$who.err") || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -eq 0 ]; then
		printf 'ok %s\n' "$(printf '%s' "$out" | tr '\n' ' ')" >>"$W/$who.log"
	elif [ "$rc" -eq 75 ]; then
		printf 'busy %d %s\n' $(( (t1 - t0) / 1000000 )) "$*" >>"$W/$who.log"
	else
		printf 'fail %d %s: %s\n' "$rc" "$*" "$(tr '\n' ' ' <"$W/$who.err")" >>"$W/$who.log"
	fi
	return 0
}

# writer kind: loops until the deadline; what it reports is kept in its log, one line a write.
writer() {
	local who=$1 kind=$2 i=0 end=$(( $(date +%s) + SECONDS_RUN ))
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		case $kind in
		contact) step "$who" contact add "$who N$i" --email "$who-$i@conc.test" && \
			 sed -i "\$s/\$/ $who-$i@conc.test/" "$W/$who.log" ;;
		activity) step "$who" activity log "conc $who-$i" --type call ;;
		comment) step "$who" ticket comment 1 "conc $who-$i" ;;
		transition)
			if [ $((i % 2)) = 1 ]; then step "$who" ticket resolve 2 "conc $who-$i"
			else step "$who" ticket reopen 2 "conc $who-$i"; fi ;;
		import)
			printf 'first_name,last_name,email\n' >"$W/$who-$i.csv"
			for r in 1 2 3; do printf 'Imp,%s,%s@conc.test\n' "$who-$i-$r" "$who-$i-$r" >>"$W/$who-$i.csv"; done
			step "$who" contact import "$W/$who-$i.csv" ;;
		esac
	done
}

reader() {
	local who=$1 end=$(( $(date +%s) + SECONDS_RUN ))
	while [ "$(date +%s)" -lt "$end" ]; do
		step "$who" contact list email:*@conc.test --no-headers
		step "$who" ticket show 1
		step "$who" activity list --no-headers
	done
	sed -i 's/^ok .*/ok/' "$W/$who.log"
}

@test "8 writers and 2 readers: every reported write exists once with its history, nothing else, no failure but 75" {
	crm account add Acme >/dev/null
	crm ticket open "Comments" --account Acme >/dev/null
	crm ticket open "Transitions" --account Acme >/dev/null
	writer c1 contact & writer c2 contact & writer a1 activity & writer a2 activity &
	writer t1 comment & writer t2 transition & writer i1 import & writer i2 import &
	reader r1 & reader r2 &
	wait

	# no command failed, except busy: on SQLite after (about) the 5 s busy timeout; on PostgreSQL
	# after a serialization failure retried a few times (README), so at any time
	run grep -h '^fail' "$W"/*.log
	[ -z "$output" ] || { echo "$output"; false; }
	if [ "${CRM_TEST_BACKEND:-sqlite}" != pg ]; then
		run awk '$1 == "busy" && $2 < 4500' "$W"/*.log
		[ -z "$output" ] || { echo "busy before the timeout: $output"; false; }
	fi
	nbusy=$(cat "$W"/*.log | grep -c '^busy' || true)
	nreads=$(cat "$W"/r*.log | grep -c '^ok' || true)
	[ "$nreads" -gt 0 ]

	# contacts added: each reported id has its address, once, and one history row 'add'
	sort "$W"/c[12].log | awk '$1 == "ok" { print $2 "|" $3 }' | sort >"$W/contacts.want"
	q "SELECT id || '|' || email FROM contacts WHERE email LIKE 'c_-%@conc.test'" | sort >"$W/contacts.got"
	diff "$W/contacts.want" "$W/contacts.got"
	[ -s "$W/contacts.want" ]
	run q "SELECT c.id FROM contacts c WHERE c.email LIKE 'c_-%@conc.test' AND (SELECT count(*) FROM history h
		WHERE h.kind = 'contact' AND h.record_id = c.id AND h.action = 'add') <> 1"
	[ -z "$output" ]

	# activities: each reported id, once, with its summary and its history row
	awk '$1 == "ok" { print $2 }' "$W"/a[12].log | sort >"$W/act.ids"
	q "SELECT id FROM activities WHERE summary LIKE 'conc %'" | sort >"$W/act.got"
	diff "$W/act.ids" "$W/act.got"
	[ -s "$W/act.ids" ]
	run q "SELECT summary FROM activities WHERE summary LIKE 'conc %' GROUP BY summary HAVING count(*) > 1"
	[ -z "$output" ]
	run q "SELECT a.id FROM activities a WHERE a.summary LIKE 'conc %' AND (SELECT count(*) FROM history h
		WHERE h.kind = 'activity' AND h.record_id = a.id AND h.action = 'add') <> 1"
	[ -z "$output" ]

	# comments: as many as reported, each text once
	nok=$(grep -c '^ok' "$W/t1.log")
	[ "$nok" -gt 0 ]
	[ "$(q "SELECT count(*) FROM ticket_actions WHERE ticket_id = 1 AND action = 'comment' AND text LIKE 'conc t1-%'")" = "$nok" ]
	run q "SELECT text FROM ticket_actions WHERE ticket_id = 1 GROUP BY text HAVING count(*) > 1"
	[ -z "$output" ]

	# transitions: one action each, alternating, the ticket where the last one left it
	nok=$(grep -c '^ok' "$W/t2.log")
	[ "$nok" -gt 0 ]
	[ "$(q "SELECT count(*) FROM ticket_actions WHERE ticket_id = 2 AND action = 'transition'")" = "$nok" ]
	run q "SELECT count(*) FROM history WHERE kind = 'ticket' AND record_id = 2 AND action = 'edit'"
	[ "$output" -ge "$nok" ]

	# imports: every batch reported holds its three contacts, in its import_created range; no
	# contact of an import that was not reported
	nimp=$(cat "$W"/i[12].log | grep -c '^ok' || true)
	[ "$nimp" -gt 0 ]
	[ "$(q "SELECT count(*) FROM import_batches WHERE file LIKE '%/i_-%.csv'")" = "$nimp" ]
	[ "$(q "SELECT count(*) FROM contacts WHERE last_name LIKE 'i_-%'")" = $((nimp * 3)) ]
	run q "SELECT c.id FROM contacts c WHERE c.last_name LIKE 'i_-%' AND NOT EXISTS (SELECT 1 FROM import_created r
		WHERE r.kind = 'contact' AND c.id BETWEEN r.first_id AND r.last_id)"
	[ -z "$output" ]
	run q "SELECT b.id FROM import_batches b WHERE b.file LIKE '%/i_-%.csv' AND b.created <> 3"
	[ -z "$output" ]

	if [ "${CRM_TEST_BACKEND:-sqlite}" != pg ]; then
		[ "$(q 'PRAGMA integrity_check')" = ok ]
	fi
	echo "# writes checked: contacts $(wc -l <"$W/contacts.want"), activities $(wc -l <"$W/act.ids"), imports $nimp, busy $nbusy, reads $nreads" >&3
}
