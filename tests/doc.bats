#!/usr/bin/env bats
# crm doc: files kept inside the database, once per SHA-256, streamed in chunks, checked on
# every read.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
	T=$BATS_TEST_TMPDIR
}

seed() {
	crm account add Acme >/dev/null
	crm project add Apollo --account Acme >/dev/null
	crm contract add MSA --account Acme >/dev/null
	crm activity log Call --type call --account Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add vic --roles viewer >/dev/null
	head -c 200000 /dev/urandom > "$T/random.bin"
	printf 'hello\n' > "$T/hello.txt"
}

blobs() {
	db_sql 'SELECT count(*) FROM blobs'
}

# ---------------------------------------------------------------- attach, list, get

@test "doc attach prints one number per file; doc get gives the same bytes back" {
	seed
	run --separate-stderr crm doc attach project Apollo "$T/random.bin" "$T/hello.txt"
	expect_status 0
	[ "$output" = "$(printf '1\n2')" ]
	[ -z "$stderr" ]
	crm doc get 1 > "$T/out.bin"
	cmp "$T/random.bin" "$T/out.bin"
	crm doc get 2 -o "$T/out.txt"
	cmp "$T/hello.txt" "$T/out.txt"
	crm doc get random.bin -o "$T/by-name.bin"
	cmp "$T/random.bin" "$T/by-name.bin"
}

@test "documents attach to activities, projects, contracts and accounts by kind name" {
	seed
	crm doc attach activity 1 "$T/hello.txt" >/dev/null
	crm doc attach project Apollo "$T/hello.txt" >/dev/null
	crm doc attach contract MSA "$T/hello.txt" >/dev/null
	crm doc attach account Acme "$T/hello.txt" >/dev/null
	run -3 crm doc attach contacts 1 "$T/hello.txt"
	run crm doc list --fields id,noun,record
	expect_status 0
	[ "${lines[1]}" = "$(printf '1\tactivity\t1')" ]
	[ "${lines[4]}" = "$(printf '4\taccount\t1')" ]
	[ "$(crm doc list contract MSA --no-headers --fields id)" = 3 ]
	[ "$(crm doc list noun:project --no-headers --fields id)" = 2 ]
	run -2 crm doc attach planet Mars "$T/hello.txt"
	[[ "$output" == *"cannot attach documents to 'planet'"* ]]
	run -3 crm doc attach project Hermes "$T/hello.txt"
	run -3 crm doc attach project Apollo "$T/missing.pdf"
	[[ "$output" == *"cannot read"*"missing.pdf"* ]]
}

@test "doc attach from standard input needs --name" {
	seed
	run -2 crm doc attach project Apollo < "$T/hello.txt"
	[[ "$output" == *"--name"* ]]
	cat "$T/random.bin" | crm doc attach project Apollo --name piped.bin --type application/x-test >/dev/null
	[ "$(crm doc show 1 -F json | jq -r .name)" = piped.bin ]
	[ "$(crm doc show 1 -F json | jq -r .type)" = application/x-test ]
	[ "$(crm doc show 1 -F json | jq -r .size)" = 200000 ]
	crm doc get piped.bin | cmp - "$T/random.bin"
	printf 'abc' | crm doc attach project Apollo - --name dash.txt >/dev/null
	[ "$(crm doc get dash.txt)" = abc ]
	run -2 crm doc attach project Apollo "$T/hello.txt" "$T/random.bin" --name both
}

@test "doc show gives size, type and SHA-256; the content type follows the name" {
	seed
	crm doc attach project Apollo "$T/hello.txt" >/dev/null
	run crm doc show 1 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .sha256)" = "$(sha256sum "$T/hello.txt" | cut -d' ' -f1)" ]
	[ "$(echo "$output" | jq -r .size)" = 6 ]
	[ "$(echo "$output" | jq -r .type)" = text/plain ]
	[ "$(echo "$output" | jq -r .noun)" = project ]
	[ "$(echo "$output" | jq 'has("blob")')" = false ]
}

@test "the same content is stored once, however many documents use it" {
	seed
	crm doc attach project Apollo "$T/random.bin" >/dev/null
	cp "$T/random.bin" "$T/copy.bin"
	crm doc attach contract MSA "$T/copy.bin" >/dev/null
	cat "$T/random.bin" | crm doc attach account Acme --name third.bin >/dev/null
	[ "$(blobs)" -eq 1 ]
	[ "$(crm doc list --no-headers | wc -l)" -eq 3 ]
	crm doc get 3 | cmp - "$T/random.bin"
}

@test "doc rm removes the document; the content goes with its last document" {
	seed
	crm doc attach project Apollo "$T/random.bin" "$T/hello.txt" >/dev/null
	crm doc attach contract MSA "$T/random.bin" >/dev/null
	[ "$(blobs)" -eq 2 ]
	crm doc rm 1
	[ "$(blobs)" -eq 2 ]
	crm doc get 3 | cmp - "$T/random.bin"
	crm doc rm 3 hello.txt
	[ "$(blobs)" -eq 0 ]
	run -3 crm doc get 1
	run crm doc history 1
	[[ "$output" == *"add	name		random.bin"*"rm	name	random.bin"* ]]
}

@test "a record with documents cannot be removed until they are" {
	seed
	crm doc attach project Apollo "$T/hello.txt" >/dev/null
	run -4 crm project rm Apollo
	[[ "$output" == *"1 document"* ]]
	crm doc rm 1
	crm project rm Apollo
}

@test "attaching several files is all or nothing" {
	seed
	run -3 crm doc attach project Apollo "$T/hello.txt" "$T/missing.bin"
	[ "$(crm doc list --no-headers | wc -l)" -eq 0 ]
	[ "$(blobs)" -eq 0 ]
}

@test "doc get -o leaves no file behind when it fails" {
	seed
	run -3 crm doc get 9 -o "$T/nothing.bin"
	[ ! -e "$T/nothing.bin" ]
	[ -z "$(ls "$T" | grep crm-)" ]
}

@test "doc permissions: agents attach, viewers read only" {
	seed
	run crm --as bob doc attach project Apollo "$T/hello.txt"
	expect_status 0
	run -5 crm --as vic doc attach project Apollo "$T/hello.txt"
	[[ "$output" == *"may not doc.attach"* ]]
	run crm --as vic doc get 1
	expect_status 0
	run -5 crm --as bob doc rm 1
}

# ---------------------------------------------------------------- damage

@test "a damaged document is an error, never returned" {
	seed
	crm doc attach project Apollo "$T/random.bin" >/dev/null
	crm doc attach contract MSA "$T/hello.txt" >/dev/null
	if is_pg; then # the content is a large object: overwrite its first bytes
		db_sql "SELECT lo_put(content, 0, decode(md5(random()::text), 'hex')) FROM blobs WHERE id = 1" >/dev/null
	else
		sqlite3 "$CRM_DB" "UPDATE blobs SET content = randomblob(size) WHERE id = 1"
	fi
	run -1 crm doc get 1 -o "$T/out.bin"
	[[ "$output" == *"document 1 'random.bin' is damaged"* ]]
	[ ! -e "$T/out.bin" ]
	[ -z "$(ls "$T" | grep crm-)" ]
	run -1 --separate-stderr crm doc get 1
	[ -z "$output" ]
	[[ "$stderr" == *"damaged"* ]]
	run -1 crm doc verify
	[[ "$output" == *"document 1"*"damaged"* ]]
	run crm doc verify 2
	expect_status 0
}

@test "a document whose content was cut short or lost is damaged too" {
	seed
	crm doc attach project Apollo "$T/random.bin" "$T/hello.txt" >/dev/null
	if is_pg; then # 131072: INV_WRITE
		db_sql "SELECT lo_truncate(lo_open(content, 131072), 1000) FROM blobs WHERE id = 1" >/dev/null
	else
		sqlite3 "$CRM_DB" "UPDATE blobs SET content = substr(content, 1, 1000) WHERE id = 1"
	fi
	run -1 crm doc get 1
	[[ "$output" == *"damaged"* ]]
	if is_pg; then # the large object goes, its row stays
		db_sql "SELECT lo_unlink(content) FROM blobs WHERE id = 2" >/dev/null
	else
		sqlite3 "$CRM_DB" "PRAGMA foreign_keys = OFF; DELETE FROM blobs WHERE id = 2"
	fi
	run -1 crm doc get 2
	[[ "$output" == *"damaged"* ]]
}

# ---------------------------------------------------------------- large files

# Peak resident memory (KiB) of one crm command.
peak() {
	/usr/bin/time -f %M -o "$T/rss" "$CRM_BIN" "$@" >/dev/null
	cat "$T/rss"
}

@test "a 100 MB file goes in and out in chunks, without memory growth" {
	[ -x /usr/bin/time ] || skip "GNU time is not installed (scripts/install-deps.sh)"
	[ -z "${CRM_WRAP:-}" ] || skip "memory is not measured under valgrind"
	seed
	head -c 100000000 /dev/urandom > "$T/big.bin"
	base=$(peak doc list)
	attach=$(peak doc attach project Apollo "$T/big.bin")
	get=$(peak doc get 1 -o "$T/big.out")
	cmp "$T/big.bin" "$T/big.out"
	rm -f "$T/big.out"
	piped=$(/usr/bin/time -f %M -o "$T/rss" "$CRM_BIN" doc get 1 | cmp - "$T/big.bin" && cat "$T/rss")
	stdin=$(/usr/bin/time -f %M -o "$T/rss" "$CRM_BIN" doc attach account Acme --name big2.bin < "$T/big.bin" >/dev/null && cat "$T/rss")
	echo "peak KiB: baseline $base, attach $attach, get $get, get to a pipe $piped, attach from stdin $stdin" >&3
	# A few megabytes over the baseline at most: far below the file's 97 656 KiB.
	for kib in $attach $get $piped $stdin; do
		[ $((kib - base)) -lt 16384 ]
	done
	[ "$(blobs)" -eq 1 ]
}

# ---------------------------------------------------------------- fixed fields (trial, item 1)

@test "doc import cannot change what a document is attached to, its size or digest" {
	seed
	crm doc attach account Acme "$T/hello.txt" >/dev/null
	for row in 'id,noun,record\n1,account,99\n' 'id,noun\n1,bogusnoun\n' 'id,size\n1,999\n' 'id,sha256\n1,abc\n'; do
		printf "$row" > "$T/d.csv"
		run -6 crm doc import "$T/d.csv" --mode update --key id
		[[ "$output" == *"of a document is fixed when it is created, it cannot be changed"* ]]
	done
	run -0 crm doc verify 1
	run -0 crm doc show 1 -F json
	[[ "$output" == *'"record": 1'* ]]
	[[ "$output" == *'"size": 6'* ]]
	# The name is the user's; an export re-imports unchanged.
	printf 'id,name\n1,greeting.txt\n' > "$T/d.csv"
	run -0 crm doc import "$T/d.csv" --key id
	run -0 crm doc show 1
	[[ "$output" == *greeting.txt* ]]
}

@test "doc import does not create documents; doc history keeps the blob to itself" {
	seed
	crm doc attach account Acme "$T/hello.txt" >/dev/null
	printf 'name,noun,record\nx.txt,account,1\n' > "$T/d.csv"
	run -6 crm doc import "$T/d.csv"
	[[ "$output" == *"an import only updates documents (give their id)"* ]]
	[[ "$output" != *blob* ]]
	run -0 crm doc history 1
	[[ "$output" == *sha256* ]]
	[[ "$output" != *blob* ]]
	run -2 crm doc edit 1 --size 3
}

@test "doc is a kind like the others: generic edit of name and type, rm --yes, export re-imports as is" {
	seed
	crm doc attach account Acme "$T/hello.txt" "$T/hello.txt" "$T/random.bin" >/dev/null
	run -0 crm doc edit 3 --name x.bin --type application/x-test
	run -0 crm doc show 3 -F json
	[ "$(echo "$output" | jq -c '[.name, .type]')" = '["x.bin","application/x-test"]' ]
	run -2 crm doc edit 3 --noun project
	[[ "$output" == *"field 'noun' of document cannot be set"* ]]
	# rm takes the generic options; the content goes with its last document.
	run -0 crm doc rm 3 --yes
	[ "$(blobs)" = 1 ]
	run -0 crm doc rm 1
	[ "$(blobs)" = 1 ]
	run -0 crm doc rm 2 --yes
	[ "$(blobs)" = 0 ]
	# Two documents share a name: an export re-imports by id, without --key.
	crm doc attach account Acme "$T/hello.txt" "$T/hello.txt" >/dev/null
	crm doc export -o "$T/ex.csv"
	run -0 crm doc import "$T/ex.csv" --dry-run
	[[ "$output" == *"dry run, nothing written: 0 to create, 0 to update, 2 unchanged, 0 rejected"* ]]
}

@test "doc get -o writes a FIFO in place, keeps a file's mode, refuses a symbolic link" {
	seed
	crm doc attach account Acme "$T/hello.txt" >/dev/null
	mkdir "$T/out" "$T/elsewhere"
	# a FIFO stays a FIFO and gets the content
	mkfifo "$T/out/pipe"
	cat "$T/out/pipe" > "$T/got" &
	run -0 crm doc get 1 -o "$T/out/pipe"
	wait
	[ -p "$T/out/pipe" ]
	cmp "$T/got" "$T/hello.txt"
	# an existing file is not replaced without --force (exit 4, untouched)...
	echo old > "$T/out/secret.txt"
	chmod 600 "$T/out/secret.txt"
	run -4 crm doc get 1 -o "$T/out/secret.txt"
	[ "$output" = "crm: '$T/out/secret.txt' exists; --force replaces it" ]
	[ "$(cat "$T/out/secret.txt")" = old ]
	# ... and with it keeps its mode (a confidential file stays confidential)
	run -0 crm doc get 1 -o "$T/out/secret.txt" --force
	cmp "$T/out/secret.txt" "$T/hello.txt"
	[ "$(stat -c %a "$T/out/secret.txt")" = 600 ]
	# a symbolic link is neither followed out of the directory nor replaced
	echo untouched > "$T/elsewhere/target"
	ln -s ../elsewhere/target "$T/out/link"
	run -1 crm doc get 1 -o "$T/out/link"
	[ "$output" = "crm: will not write through the symbolic link '$T/out/link'; name the file itself" ]
	[ -L "$T/out/link" ]
	[ "$(cat "$T/elsewhere/target")" = untouched ]
	[ "$(ls "$T/out" | sort | tr '\n' ' ')" = "link pipe secret.txt " ]
	# - is standard output
	run -0 crm doc get 1 -o -
	[ "$output" = hello ]
}

@test "doc get -o into a hard-linked file writes it where it is, only once complete; set-ID bits dropped" {
	seed
	crm doc attach account Acme "$T/hello.txt" "$T/random.bin" >/dev/null
	mkdir "$T/out"
	echo old > "$T/out/a"
	ln "$T/out/a" "$T/out/b"
	run -4 crm doc get 1 -o "$T/out/a"
	[ "$(cat "$T/out/b")" = old ]
	run -0 crm doc get 1 -o "$T/out/a" --force
	cmp "$T/out/b" "$T/hello.txt"
	[ "$(stat -c %h "$T/out/a")" = 2 ]
	# a write that fails part way (a 64 KiB file size cap; the document is 200 kB) changes nothing
	run bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' capped "$CRM_BIN" doc get 2 -o "$T/out/a" --force
	[ "$status" -eq 1 ]
	[ "$output" = "crm: cannot write document 2: File too large" ]
	cmp "$T/out/b" "$T/hello.txt"
	echo old > "$T/out/c"
	run bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' capped "$CRM_BIN" doc get 2 -o "$T/out/c" --force
	[ "$status" -eq 1 ]
	[ "$(cat "$T/out/c")" = old ]
	[ "$(ls "$T/out" | sort | tr '\n' ' ')" = "a b c " ]
	# the mode is kept but for set-user-ID and set-group-ID, which a write would have cleared
	chmod 6750 "$T/out/c"
	run -0 crm doc get 2 -o "$T/out/c" --force
	cmp "$T/out/c" "$T/random.bin"
	[ "$(stat -c %a "$T/out/c")" = 750 ]
}

@test "doc get -o DIR writes the document's own name there, never out of it, never over a file without --force" {
	seed
	crm doc attach account Acme "$T/hello.txt" >/dev/null
	printf 'x' | crm doc attach account Acme - --name '../../escape.txt' >/dev/null
	printf 'y' | crm doc attach account Acme - --name '..' >/dev/null
	mkdir "$T/out"
	run -0 --separate-stderr crm doc get 1 -o "$T/out"
	[ "$stderr" = "wrote '$T/out/hello.txt'" ]
	cmp "$T/out/hello.txt" "$T/hello.txt"
	# a name that was a path was made one name at attach; '..' becomes document-N
	run -0 crm doc get 2 -o "$T/out/"
	[ "$(cat "$T/out/.._.._escape.txt")" = x ]
	run -0 crm doc get 3 -o "$T/out/"
	[ "$(cat "$T/out/document-3")" = y ]
	[ "$(ls -A "$T" | grep -c escape)" = 0 ]
	# again: refused, the file kept; --force replaces it
	echo mine > "$T/out/hello.txt"
	run -4 crm doc get 1 -o "$T/out"
	[ "$output" = "crm: '$T/out/hello.txt' exists; --force replaces it" ]
	[ "$(cat "$T/out/hello.txt")" = mine ]
	run -0 crm doc get 1 -o "$T/out" --force
	cmp "$T/out/hello.txt" "$T/hello.txt"
	# a directory that is not there is said, nothing made
	run -1 crm doc get 1 -o "$T/none/"
	[ "$output" = "crm: cannot write into '$T/none/': no such directory" ]
	[ ! -e "$T/none" ]
	[ "$(ls -A "$T/out" | sort | tr '\n' ' ')" = ".._.._escape.txt document-3 hello.txt " ]
}

@test "doc attach refuses a FIFO or a device; names lose '/' and control characters" {
	seed
	mkfifo "$T/pipe"
	run -2 timeout 10 "$CRM_BIN" doc attach account Acme "$T/pipe"
	[ "$output" = "crm: '$T/pipe' is not a regular file; pipe it in with --name to attach what it gives" ]
	run -2 timeout 10 "$CRM_BIN" doc attach account Acme /dev/zero
	[ "$output" = "crm: '/dev/zero' is not a regular file; pipe it in with --name to attach what it gives" ]
	# nor is a device read as standard input (it was, up to the database's limit of 1 GB)
	run -2 timeout 10 "$CRM_BIN" doc attach account Acme --name zeros < /dev/zero
	[ "$output" = "crm: standard input is a device, not a file or a pipe; nothing read" ]
	run -2 timeout 10 "$CRM_BIN" doc attach account Acme - --name zeros < /dev/zero
	[ "$output" = "crm: standard input is a device, not a file or a pipe; nothing read" ]
	# (it was spooled until the disk was full for every command reading '-')
	run -2 timeout 10 "$CRM_BIN" account import - < /dev/zero
	[ "$output" = "crm: standard input is a device, not a file or a pipe; nothing read" ]
	run -0 crm doc list --no-headers
	[ -z "$output" ]
	run -0 crm doc attach account Acme --name "$(printf '../etc/pass\033[2Jwd')" < "$T/hello.txt"
	run -0 crm doc show 1 -F json
	[ "$(echo "$output" | jq -r .name)" = ".._etc_pass_[2Jwd" ]
	# so do C1 controls (CSI as UTF-8) and bytes that are not UTF-8, and so do edit and import
	run -0 crm doc attach account Acme --name "$(printf 'a\302\2332Jb\377c.txt')" < "$T/hello.txt"
	[ "$(crm doc show 2 -F json | jq -r .name)" = a_2Jb_c.txt ]
	run -0 crm doc edit 1 --name 'x/y\z'
	[ "$(crm doc show 1 -F json | jq -r .name)" = x_y_z ]
	printf 'id,name\n1,"../up\tthere"\n' > "$T/names.csv"
	run -0 crm doc import "$T/names.csv"
	[ "$(crm doc show 1 -F json | jq -r .name)" = .._up_there ]
	# /dev/null is empty input, as it always was
	run -0 timeout 10 "$CRM_BIN" doc attach account Acme --name empty < /dev/null
	[ "$(crm doc show "$output" -F json | jq -r .size)" = 0 ]
}
