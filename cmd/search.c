/* crm search: every kind of record through one index (crm-search(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/search.h"

/* --kind names a kind as its noun does (doc, event) or by its own name or plural. */
static const struct crm_kind *kind_named(const char *name)
{
	const struct crm_kind *k = NULL;
	for (int i = 0; cmd_nouns[i].name && !k; i++)
		if (cmd_nouns[i].kind && strcmp(cmd_nouns[i].name, name) == 0)
			k = crm_kind_find(cmd_nouns[i].kind);
	if (!k)
		k = crm_kind_find(name);
	for (int i = 0; k && crm_kinds[i]; i++)
		if (strcmp(crm_kinds[i]->name, k->name) == 0)
			return k;
	return NULL; /* what crm keeps about its own work (alerts, ...) is not searched */
}

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
	if (v && !(q.kind = kind_named(v))) {
		const char *names[64];
		int n = 0;
		for (int i = 0; cmd_nouns[i].name && n < 64; i++)
			if (cmd_nouns[i].summary && kind_named(cmd_nouns[i].name))
				names[n++] = cmd_nouns[i].name;
		char hint[256];
		cli_suggest(v, names, n, hint, sizeof hint);
		if (*hint)
			return cli_error(CRM_EUSAGE, "unknown kind '%s'; did you mean %s?", v, hint);
		return cli_error(CRM_EUSAGE, "unknown kind '%s' (account, contact, activity, ticket, doc, ...)", v);
	}
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
