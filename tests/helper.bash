# Loaded by every bats file: each test gets its own database, configuration and home, so tests
# never see each other, the machine's /etc/crm or the user's ~/.config.

setup() {
	crm_test_env
}

crm_test_env() {
	export CRM_DB="$BATS_TEST_TMPDIR/crm.db"
	export CRM_CONFIG=/dev/null
	export NO_COLOR=1
	export TZ=UTC
	export HOME="$BATS_TEST_TMPDIR/home"
	export CRM_SYSCONFDIR="$BATS_TEST_TMPDIR/etc"
	unset CRM_USER XDG_CONFIG_HOME XDG_DATA_HOME CRM_NOW
	mkdir -p "$HOME"
	: "${CRM_BIN:=$BATS_TEST_DIRNAME/../crm}"
}

# The binary under test (possibly under valgrind, see tests/run).
crm() {
	${CRM_WRAP:-} "$CRM_BIN" "$@"
}

# Debian's python3, which has the yaml and openpyxl modules the checks use.
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
