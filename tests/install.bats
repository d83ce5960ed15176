#!/usr/bin/env bats
# make install puts the binary, every man page and the three completions where they belong.

load helper

@test "make install DESTDIR=… PREFIX=/usr installs binary, man pages and completions" {
	local root=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr
	expect_status 0
	[ -x "$dest/usr/bin/crm" ]
	run "$dest/usr/bin/crm" --version
	expect_status 0
	for page in "$root"/man/*.1; do
		[ -f "$dest/usr/share/man/man1/$(basename "$page")" ]
	done
	[ -f "$dest/usr/share/man/man5/crm-config.5" ]
	# the pages name the system file of this build (SYSCONFDIR, /etc by default)
	grep -q '^\.Pa /etc/crm/config.yaml$' "$dest/usr/share/man/man5/crm-config.5"
	[ "$(stat -c %a "$dest/usr/share/man/man5/crm-config.5")" = 644 ]
	[ -f "$dest/usr/share/bash-completion/completions/crm" ]
	[ -f "$dest/usr/share/zsh/site-functions/_crm" ]
	[ -f "$dest/usr/share/fish/vendor_completions.d/crm.fish" ]
	run make -s -C "$root" uninstall DESTDIR="$dest" PREFIX=/usr
	expect_status 0
	[ ! -e "$dest/usr/bin/crm" ]
	[ ! -e "$dest/usr/share/man/man1/crm.1" ]
}

@test "make install SYSCONFDIR=… names that system file in the installed man pages" {
	local root=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/opt/crm/etc
	expect_status 0
	grep -q '^\.Pa /opt/crm/etc/crm/config.yaml$' "$dest/usr/share/man/man5/crm-config.5"
	grep -q '/opt/crm/etc/crm/config.yaml' "$dest/usr/share/man/man1/crm.1"
	refute grep -q '/etc/crm/config.yaml' <(grep -v '/opt/crm/etc/crm' "$dest/usr/share/man/man5/crm-config.5")
}
