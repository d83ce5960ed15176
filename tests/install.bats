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
	[ -f "$dest/usr/share/bash-completion/completions/crm" ]
	[ -f "$dest/usr/share/zsh/site-functions/_crm" ]
	[ -f "$dest/usr/share/fish/vendor_completions.d/crm.fish" ]
	run make -s -C "$root" uninstall DESTDIR="$dest" PREFIX=/usr
	expect_status 0
	[ ! -e "$dest/usr/bin/crm" ]
	[ ! -e "$dest/usr/share/man/man1/crm.1" ]
}
