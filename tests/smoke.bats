#!/usr/bin/env bats
load helper

@test "crm --version prints the version and exits 0" {
	run crm --version
	expect_status 0
	[[ "$output" == "crm "* ]]
}
