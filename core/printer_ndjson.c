/* The ndjson backend: one JSON value per line (a list is one object per row, show one object
 * on one line), for streams and `jq -c`. The JSON writing itself is printer_json.c's. */
#include "printer_internal.h"

const struct crm_printer_ops crm_pr_ndjson = {
	.name = "ndjson",
	.structural = 1,
	.lists = 1,
	.row = crm_pr_json_row,
	.begin = crm_pr_json_begin,
	.key = crm_pr_json_key,
	.value = crm_pr_json_value_hook,
	.end = crm_pr_json_end,
	.finish = crm_pr_json_finish,
};
