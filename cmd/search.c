/* crm search: every kind of record through one index (crm-search(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/search.h"

int cmd_search(struct cli *cli, int argc, char **argv)
{
	struct crm_err err = { 0 };
	int rc;
	if (cli_has(cli, "rebuild")) {
		if (argc > 1)
			return cli_error(CRM_EUSAGE, "--rebuild takes no words");
		long long rows;
		if (crm_search_rebuild(cli->crm, &rows, &err))
			return cli_fail(&err);
		cli_info(cli, "search index rebuilt: %lld record%s", rows, rows == 1 ? "" : "s");
		return 0;
	}
	if (argc < 2)
		return cli_usage(cli);
	struct crm_search q = { .words = (const char *const *)argv + 1, .nwords = argc - 1,
				.explain = cli_has(cli, "explain"), .limit = 20 };
	const char *v = cli_get(cli, "kind");
	if (v && !(q.kind = cli_record_kind(v, NULL)))
		return cli_unknown_kind("unknown kind", v, "account, contact, activity, ticket, doc, ...");
	if ((v = cli_get(cli, "limit"))) {
		char *end;
		q.limit = strtoll(v, &end, 10);
		if (!*v || *end || q.limit < 0)
			return cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
	}
	char filter[1024] = "";
	for (int i = 1; i < argc; i++) {
		size_t l = strlen(filter);
		snprintf(filter + l, sizeof filter - l, "%s%s", i > 1 ? " " : "", argv[i]);
	}
	struct crm_printer *p = cli_printer(cli, filter, &rc);
	if (!p)
		return rc;
	rc = crm_search_print(cli->crm, &q, p, NULL, &err);
	cli->out.failed = rc != 0;
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

const struct cmd_opt cmd_search_opts[] = {
	{ "kind", 0, OPT_VALUE, "kind", "only records of this kind (account, contact, ticket, doc, ...)" },
	{ "limit", 0, OPT_VALUE, "n", "at most n hits (default 20; 0: all)" },
	{ "rebuild", 0, OPT_WRITES, NULL, "empty the index and fill it again from every record" },
	{ "explain", 0, 0, NULL, "print the query plan instead: the index that serves it" },
	{ NULL, 0, 0, NULL, NULL },
};
