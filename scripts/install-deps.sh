#!/bin/sh
# Install the Debian packages crm needs to build, test and run. As root it runs apt-get;
# otherwise it prints the exact command to run and stops.
set -eu

# One package a line: what it is for.
PACKAGES="
build-essential
pkg-config
libsqlite3-dev
libyaml-dev
libcsv-dev
libxlsxwriter-dev
libgmime-3.0-dev
libical-dev
libpango1.0-dev
libcairo2-dev
fonts-dejavu-core
time
sqlite3
libpq-dev
postgresql
bats
parallel
jq
mandoc
python3
python3-yaml
python3-openpyxl
python3-icalendar
python3-vobject
poppler-utils
zsh
fish
clang
libclang-rt-dev
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root:  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
