#!/usr/bin/env bats
# make install puts the binary, every man page and the three completions where they belong.

load helper

@test "make install DESTDIR=… PREFIX=/usr installs binary, man pages and completions" {
	local root=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$root" BIN="$CRM_BIN" -o "$CRM_BIN" install DESTDIR="$dest" PREFIX=/usr
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
	# zsh's where this system's zsh reads /usr's completions: Debian's reads vendor-completions
	if [ -d /usr/share/zsh/vendor-completions ]; then
		[ -f "$dest/usr/share/zsh/vendor-completions/_crm" ]
		[ ! -e "$dest/usr/share/zsh/site-functions/_crm" ]
		if command -v zsh >/dev/null; then
			run zsh -fc 'print -l $fpath'
			[[ "$output" == *$'\n/usr/share/zsh/vendor-completions\n'* ]]
		fi
	else
		[ -f "$dest/usr/share/zsh/site-functions/_crm" ]
	fi
	[ -f "$dest/usr/share/fish/vendor_completions.d/crm.fish" ]
	run make -s -C "$root" BIN="$CRM_BIN" -o "$CRM_BIN" uninstall DESTDIR="$dest" PREFIX=/usr
	expect_status 0
	[ ! -e "$dest/usr/bin/crm" ]
	[ ! -e "$dest/usr/share/man/man1/crm.1" ]
}

@test "make install SYSCONFDIR=… names that system file in the installed man pages" {
	local root=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$root" BIN="$CRM_BIN" -o "$CRM_BIN" install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/opt/crm/etc
	expect_status 0
	grep -q '^\.Pa /opt/crm/etc/crm/config.yaml$' "$dest/usr/share/man/man5/crm-config.5"
	grep -q '/opt/crm/etc/crm/config.yaml' "$dest/usr/share/man/man1/crm.1"
	refute grep -q '/etc/crm/config.yaml' <(grep -v '/opt/crm/etc/crm' "$dest/usr/share/man/man5/crm-config.5")
}

@test "make install PREFIX=…: fish and zsh find the installed completions there" {
	local root=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$root" BIN="$CRM_BIN" -o "$CRM_BIN" install DESTDIR="$dest" PREFIX=/opt/crm
	expect_status 0
	# where fish.pc (pkg-config) puts vendor completions, under this PREFIX
	local fishdir=$dest/opt/crm/share/fish/vendor_completions.d
	[ -f "$fishdir/crm.fish" ]
	cmp "$root/completions/crm.fish" "$fishdir/crm.fish"
	if command -v pkg-config >/dev/null && pkg-config --exists fish; then
		[ "$(pkg-config --define-variable=datadir=/opt/crm/share --variable=completionsdir fish)" = /opt/crm/share/fish/vendor_completions.d ]
	fi
	command -v fish >/dev/null || skip "fish is not installed (scripts/install-deps.sh installs it; CI runs this test)"
	# a fish told of that share directory (XDG_DATA_DIRS, as desktop sessions set it) autoloads
	# crm.fish from it, and completes with the installed crm
	PATH="$dest/opt/crm/bin:$PATH" XDG_DATA_DIRS="$dest/opt/crm/share:/usr/share" run fish -c '
		complete --do-complete "crm account sh"
		functions --details __crm_complete'
	expect_status 0
	[ "${lines[0]}" = show ]
	[ "${lines[1]}" = "$fishdir/crm.fish" ]
	# and zsh with the installed site-functions on its fpath
	command -v zsh >/dev/null || skip "zsh is not installed (scripts/install-deps.sh installs it; CI runs this test)"
	PATH="$dest/opt/crm/bin:$PATH" run zsh -f "$BATS_TEST_DIRNAME/zsh_complete.zsh" "$dest/opt/crm/share/zsh/site-functions" 'crm account sh'
	expect_status 0
	[ "$output" = "$(printf '## crm account sh\nshow')" ]
}
