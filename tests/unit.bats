#!/usr/bin/env bats
# The C unit tests of core modules (filters, dates, config, printers), one bats test each.

load helper

unit() {
	local dir=${UNIT_DIR:-$BATS_TEST_DIRNAME/../build/release/unit}
	[ -x "$dir/$1" ] || { echo "unit test $1 not built (run make)" >&2; return 1; }
	run "$dir/$1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed"* ]]
}

@test "unit: dates" { unit test_date; }
@test "unit: configuration" { unit test_config; }
@test "unit: printers" { unit test_printer; }
@test "unit: filter compiler" { unit test_filter; }
@test "unit: workflow and service levels" { unit test_workflow; }
@test "unit: links in filters, computed fields" { unit test_relations; }
@test "unit: CSV reader" { unit test_csvin; }
@test "unit: vCard lines, folding and escaping" { unit test_vcard; }
@test "unit: recurrence rules" { unit test_recur; }
@test "unit: exact money" { unit test_money; }
@test "unit: mail-merge templates" { unit test_template; }
@test "unit: references resolve through indexes, never a scan of contacts" { unit test_refs; }
