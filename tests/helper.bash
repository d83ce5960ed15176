# Loaded by every bats file: each test gets its own database, configuration and home, so tests
# never see each other, the machine's /etc/crm or the user's ~/.config.

# The backend under test: CRM_TEST_BACKEND=pg (make test-pg) gives each test its own database
# on the private cluster whose base URL is CRM_TEST_PG_URL (scripts/pg-cluster.sh); otherwise
# each test has its own SQLite file.
setup() {
	crm_test_env
}

teardown() {
	crm_test_cleanup
}

crm_test_env() {
	pg_pending_skip
	if [ "${CRM_TEST_BACKEND:-sqlite}" = pg ]; then
		crm_test_pg_db
	else
		export CRM_DB="$BATS_TEST_TMPDIR/crm.db"
	fi
	export CRM_CONFIG=/dev/null
	export NO_COLOR=1
	# tests on a pseudo-terminal see their output unpaged (tests/pager.bats unsets it)
	export CRM_PAGER=cat
	export TZ=UTC
	export HOME="$BATS_TEST_TMPDIR/home"
	export CRM_SYSCONFDIR="$BATS_TEST_TMPDIR/etc"
	export XDG_CONFIG_DIRS="$BATS_TEST_TMPDIR/xdg-dirs"
	unset CRM_USER XDG_CONFIG_HOME XDG_DATA_HOME CRM_NOW
	mkdir -p "$HOME" "$BATS_TEST_TMPDIR/trusted"
	: "${CRM_BIN:=$BATS_TEST_DIRNAME/../crm}"
	# The tests' build of crm (make's $(BUILD)/crm-test): its system configuration, the one
	# trusted with roles and guarded workflows, is /dev/fd/7/crm/config.yaml, so each test hands
	# it a directory of its own on descriptor 7 (see use_system_config).
	if [ -z "${CRM_TEST_BIN:-}" ]; then
		CRM_TEST_BIN=$(dirname "$CRM_BIN")/crm-test
		[ -x "$CRM_TEST_BIN" ] || CRM_TEST_BIN=$BATS_TEST_DIRNAME/../build/release/crm-test
	fi
	unset CRM_TEST_TRUSTED
}

# The binary under test (possibly under valgrind, see tests/run); after use_system_config, the
# tests' build, which reads that system configuration as the trusted one.
crm() {
	if [ -n "${CRM_TEST_TRUSTED:-}" ]; then
		${CRM_WRAP:-} "$CRM_TEST_BIN" "$@" 7<"$BATS_TEST_TMPDIR/trusted"
	else
		${CRM_WRAP:-} "$CRM_BIN" "$@"
	fi
}

# Standard input becomes the system configuration (the build's SYSCONFDIR/crm/config.yaml, the
# file trusted with roles: and guarded workflows); from now on crm runs the tests' build, which
# reads it there. An installed crm reads /etc/crm/config.yaml (or its SYSCONFDIR's) instead.
use_system_config() {
	mkdir -p "$BATS_TEST_TMPDIR/trusted/crm"
	cat > "$BATS_TEST_TMPDIR/trusted/crm/config.yaml"
	unset CRM_CONFIG
	export CRM_TEST_TRUSTED=1
}

# Debian's python3, which has the yaml and openpyxl modules the checks use.
# Run crm on a pseudo-terminal (util-linux script) so that stdout and stderr are a terminal; prints
# what the terminal showed, carriage returns removed, and returns crm's exit status. The shell in
# the terminal waits a moment after crm so that script(1) has read all of crm's output before its
# child ends: under load it can otherwise lose the last lines (seen in CI).
crm_on_tty() {
	command -v script >/dev/null || skip "script(1) (util-linux) is not installed"
	local cmd="$CRM_BIN" a rc=0 out
	for a in "$@"; do
		cmd+=" $(printf '%q' "$a")"
	done
	out=$(script -qec "$cmd; rc=\$?; sleep 0.2; exit \$rc" /dev/null </dev/null) || rc=$?
	printf '%s' "$out" | tr -d '\r'
	return "$rc"
}

py() {
	/usr/bin/python3 "$@"
}

# Fail, naming the command, when it succeeds. Under bats a line `! cmd` that is not a test's
# last line passes whatever cmd does (set -e ignores a negated command); tests/run refuses it.
# refute is for predicates: exit 1 is "no"; a status above 1 is an error (grep on a missing
# file exits 2) and fails too, so a test cannot pass on a file that is not there.
refute() {
	local rc=0
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "expected to fail: $*" >&2
		return 1
	fi
	if [ "$rc" -gt 1 ]; then
		echo "error (exit $rc), not a failure: $*" >&2
		return 1
	fi
}

# Fail with the output shown when a command's status is not the expected one.
expect_status() {
	local want=$1
	if [ "$status" -ne "$want" ]; then
		echo "expected exit $want, got $status; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# ---------------------------------------------------------------- the backend under test

# A fresh, empty PostgreSQL database for this test, named from its temporary directory (so
# that bats --jobs runs never share one); CRM_DB is its URL. crm creates the schema on first
# use, as it does in a new SQLite file.
crm_test_pg_db() {
	: "${CRM_TEST_PG_URL:?CRM_TEST_BACKEND=pg needs CRM_TEST_PG_URL (make test-pg sets it)}"
	CRM_TEST_PG_NAME="crm_t_$(printf '%s' "$BATS_TEST_TMPDIR" | md5sum | cut -c1-20)"
	export CRM_TEST_PG_NAME
	# FILE_COPY: half the time of PostgreSQL 15's default for a small template, on a cluster
	# without fsync (scripts/pg-cluster.sh)
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$CRM_TEST_PG_URL" \
		-c "DROP DATABASE IF EXISTS \"$CRM_TEST_PG_NAME\"" \
		-c "CREATE DATABASE \"$CRM_TEST_PG_NAME\" STRATEGY = FILE_COPY" >/dev/null
	CRM_DB=$(pg_url "$CRM_TEST_PG_NAME")
	export CRM_DB
}

# The base URL with another database name: postgresql://user@host/NAME?params.
pg_url() {
	printf '%s\n' "$CRM_TEST_PG_URL" | sed "s|^\(postgres[a-z]*://[^/]*/\)[^?]*|\1$1|"
}

# After each test: its PostgreSQL database goes (connections a test left behind included).
crm_test_cleanup() {
	if [ -n "${CRM_TEST_PG_NAME:-}" ]; then
		psql -X -q -d "$CRM_TEST_PG_URL" -c "DROP DATABASE IF EXISTS \"$CRM_TEST_PG_NAME\" WITH (FORCE)" \
			>/dev/null 2>&1 || true
	fi
}

is_pg() {
	[ "${CRM_TEST_BACKEND:-sqlite}" = pg ]
}

# Is $CRM_DB (as the test now has it) a PostgreSQL URL?
db_is_url() {
	case $CRM_DB in
	postgres://* | postgresql://*) return 0 ;;
	*) return 1 ;;
	esac
}

# Run a query on the test's database, whichever backend: sqlite3 on the file, psql on the
# URL, rows as lines, columns separated by |, no headers. For queries both dialects accept.
db_sql() {
	if db_is_url; then
		PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$CRM_DB" -c "$1"
	else
		sqlite3 "$CRM_DB" "$1"
	fi
}

# Nothing was created: no database file, or on PostgreSQL a database without crm's tables.
db_absent() {
	if db_is_url; then
		[ -z "$(db_sql "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")" ]
	else
		[ ! -e "$CRM_DB" ]
	fi
}

# Skip a test that is about the SQLite file itself (its mode, -wal and -shm, a read-only or
# corrupt file, another program's file, migrations from an old SQLite schema) when the suite
# runs on PostgreSQL. Say why.
skip_unless_sqlite() {
	if is_pg; then
		skip "SQLite only: $1"
	fi
}

# A test known not to pass on PostgreSQL yet is listed, with the reason, in tests/pg-pending
# ("file.bats<TAB>test name<TAB>why"): on PostgreSQL it is skipped saying so, and the list is
# the backend's open work (issue 10). Everywhere else it runs.
pg_pending_skip() {
	[ "${CRM_TEST_BACKEND:-sqlite}" = pg ] || return 0
	local file why
	file=$(basename "$BATS_TEST_FILENAME")
	why=$(awk -F '\t' -v f="$file" -v t="$BATS_TEST_DESCRIPTION" '$1 == f && $2 == t { print $3; exit }' \
		"$BATS_TEST_DIRNAME/pg-pending" 2>/dev/null)
	if [ -n "$why" ]; then
		skip "pending on PostgreSQL (tests/pg-pending): $why"
	fi
}
