#!/bin/sh
# A private PostgreSQL cluster for the test suite (make test-pg), in a temporary directory.
#   pg-cluster.sh start   initdb + start; prints the base URL
#   pg-cluster.sh url     prints the base URL of the running cluster
#   pg-cluster.sh stop    stops it and removes its directory
# The server listens on a Unix socket in that directory only (no TCP), with trust
# authentication; the user running this script gets a role with LOGIN CREATEDB (not superuser),
# named after its login, and the URL is postgresql://<login>@/postgres?host=<dir>.
# initdb and pg_ctl refuse to run as root: as root the server runs as the system user
# $CRM_PG_USER (default crmtest, created when missing); otherwise as the calling user.
# Where the cluster is recorded: $CRM_PG_STATE (default build/pg-cluster in the worktree), so
# two worktrees on one machine each have their own.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
state=${CRM_PG_STATE:-$root/build/pg-cluster}
me=$(id -un)

bindir() {
	if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
		pg_config --bindir
		return
	fi
	# Debian keeps initdb and pg_ctl out of PATH, per major version.
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
	echo "pg-cluster: initdb not found (apt-get install postgresql)" >&2
	exit 1
}

# Run a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}

url() {
	echo "postgresql://$me@/postgres?host=$1"
}

case ${1:-} in
start)
	if [ -s "$state" ] && [ -d "$(cat "$state")" ]; then
		echo "pg-cluster: already running in $(cat "$state") (pg-cluster.sh stop first)" >&2
		exit 1
	fi
	bin=$(bindir)
	owner=$me
	if [ "$(id -u)" -eq 0 ]; then
		owner=${CRM_PG_USER:-crmtest}
		if ! id "$owner" >/dev/null 2>&1; then
			useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
		fi
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/crm-pg.XXXXXX")
	chmod 755 "$dir"
	[ "$owner" = "$me" ] || chown "$owner" "$dir"
	mkdir -p "$(dirname "$state")"
	echo "$dir" > "$state"
	as_owner "$bin/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
		> "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# Throw-away data: no fsync. Enough connections for bats --jobs and the concurrency tests.
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s start -o \
		"-c listen_addresses= -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off \
		 -c full_page_writes=off -c max_connections=200" || { cat "$dir/server.log" >&2; exit 1; }
	if [ "$owner" != "$me" ]; then
		as_owner "$bin/psql" -X -q -h "$dir" -d postgres -v ON_ERROR_STOP=1 \
			-c "CREATE ROLE \"$me\" LOGIN CREATEDB" >/dev/null
	fi
	url "$dir"
	;;
url)
	[ -s "$state" ] || { echo "pg-cluster: not running (pg-cluster.sh start)" >&2; exit 1; }
	url "$(cat "$state")"
	;;
stop)
	[ -s "$state" ] || exit 0
	dir=$(cat "$state")
	if [ -d "$dir/data" ]; then
		owner=$(stat -c %U "$dir/data")
		as_owner "$(bindir)/pg_ctl" -D "$dir/data" -w -s -m immediate stop || true
	fi
	rm -rf "$dir"
	rm -f "$state"
	;;
*)
	echo "usage: pg-cluster.sh start|stop|url" >&2
	exit 2
	;;
esac
