/* crm project: the generic verbs, show with totals and everything around the project, and its
 * cost entries (crm project cost add|list|rm). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/auth.h"
#include "crm/record.h"

/* The sub-verbs of `cost` and `line`: add, list (ls), rm (remove). */
int sub_is(const char *word, const char *name, const char *alias)
{
	return strcmp(word, name) == 0 || (alias && strcmp(word, alias) == 0);
}

struct rm_many {
	const struct crm_kind *k;
	int argc;
	char **argv;
};

static int rm_many(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct rm_many *r = ctx;
	int rc = 0;
	for (int i = 0; i < r->argc && !rc; i++) {
		long long id;
		rc = crm_record_resolve(crm, r->k, r->argv[i], &id, err);
		if (!rc)
			rc = crm_record_rm(crm, r->k, id, err);
	}
	return rc;
}

/* Remove child records of `kind` named by number, together or not at all. */
int sub_rm(struct cli *cli, const char *kind, int argc, char **argv)
{
	const struct crm_kind *k = crm_kind_find(kind);
	struct crm_err err = { 0 };
	if (argc < 1)
		return cli_usage(cli);
	struct rm_many r = { k, argc, argv };
	return crm_atomic(cli->crm, rm_many, &r, &err) ? cli_fail(&err) : 0;
}

/* List the child records of `kind` whose `field` is the parent named by argv[0] (or all). */
int sub_list(struct cli *cli, const char *kind, const char *field, int argc, char **argv)
{
	char term[256];
	const char *terms[1];
	int nterms = 0, rc = 0;
	if (argc > 1)
		return cli_usage(cli);
	if (argc == 1) {
		snprintf(term, sizeof term, "%s:%s", field, argv[0]);
		terms[nterms++] = term;
	}
	struct crm_query q = { .kind = crm_kind_find(kind), .terms = terms, .nterms = nterms };
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_query_print(cli->crm, &q, p, NULL, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* Add a child record from positional words and --field options, printing its number. */
int sub_add(struct cli *cli, const char *kind, const char *const *positional, int npositional, int argc,
	    char **argv)
{
	const struct crm_kind *k = crm_kind_find(kind);
	struct crm_assign *set = calloc((size_t)argc + 1, sizeof *set);
	char *joined = NULL;
	int nset = 0, npos = 0, rc = 0;
	size_t joinlen = 0;
	for (int i = 0; i < argc && !rc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a + 2, '=');
			if (!eq && i + 1 >= argc) {
				rc = cli_error(CRM_EUSAGE, "option '%s' needs a value", a);
				break;
			}
			/* The field name stays inside argv: "--price=10" is cut at '='. */
			set[nset].field = a + 2;
			set[nset++].value = eq ? eq + 1 : argv[++i];
			if (eq)
				argv[i][eq - argv[i]] = '\0';
		} else if (npos < npositional - 1) {
			set[nset].field = positional[npos++];
			set[nset++].value = a;
		} else {
			/* The last positional field takes the rest of the words: "travel to site". */
			size_t len = strlen(a);
			joined = realloc(joined, joinlen + len + 2);
			if (joinlen)
				joined[joinlen++] = ' ';
			memcpy(joined + joinlen, a, len + 1);
			joinlen += len;
		}
	}
	if (!rc && joined) {
		set[nset].field = positional[npositional - 1];
		set[nset++].value = joined;
		npos = npositional;
	}
	if (!rc && npos < npositional)
		rc = cli_usage(cli);
	if (!rc) {
		rc = rec_add_print(cli, k, set, nset);
	}
	free(joined);
	free(set);
	return rc;
}

static int project_cost(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli);
	const char *sub = argv[1];
	struct crm_err err = { 0 };
	if (sub_is(sub, "list", "ls"))
		return sub_list(cli, "cost", "project", argc - 2, argv + 2);
	/* cost is a read verb for list; changing costs needs project.cost. */
	if (crm_auth_check(cli->crm, "project.cost", &err))
		return cli_fail(&err);
	if (sub_is(sub, "add", NULL)) {
		static const char *const pos[] = { "project", "amount", "what" };
		return sub_add(cli, "cost", pos, 3, argc - 2, argv + 2);
	}
	if (sub_is(sub, "rm", "remove"))
		return sub_rm(cli, "cost", argc - 2, argv + 2);
	return cli_error(CRM_EUSAGE, "unknown project cost verb '%s' (add, list, rm)", sub);
}

const struct cmd_verb cmd_project_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE, "<name> [--account <ref>] [--manager <login>] [--status <milestone>] "
	  "[--income <amount>] [--team <login>]... [--contact <ref>]... [--<field> <value>]...", "add a project; prints its number" },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]", "list projects" },
	{ "show", NULL, rel_show, CMD_READ, "<project>", "show a project with its totals, costs, contracts, activities and documents" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<project>|<filter>... --<field> <value>... [--yes]", "change projects (--contact +ref adds, -ref removes)" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<project>...|<filter>... [--yes]", "remove projects nothing refers to" },
	{ "history", NULL, rec_history, CMD_READ, "<project>", "show who changed a project, when and how" },
	{ "cost", NULL, project_cost, CMD_READ, "add <project> <amount> <what>... [--date <date>] | list [<project>] | rm <cost>...",
	  "add, list or remove the project's cost entries" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
