/* crm attr: key=value attributes on any record (crm-attr(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/attr.h"
#include "crm/auth.h"

/* <kind> as a noun names it (doc, event) or by the kind's own name or plural; *noun the noun
 * whose permissions apply (doc.edit for a document). */

/* argv[1] the kind, argv[2] the record: resolved, and the right to change it checked. */
static int target(struct cli *cli, char **argv, const struct crm_kind **k, long long *id, int write)
{
	const char *noun;
	if (!(*k = cli_record_kind(argv[1], &noun)))
		return cli_unknown_kind("unknown kind", argv[1], "account, contact, project, ticket, doc, ...");
	struct crm_err err = { 0 };
	char perm[96];
	snprintf(perm, sizeof perm, "%s.edit", noun);
	if (crm_record_resolve(cli->crm, *k, argv[2], id, &err) || (write && crm_auth_check(cli->crm, perm, &err)))
		return cli_fail(&err);
	return 0;
}

static int attr_set(struct cli *cli, int argc, char **argv)
{
	if (argc < 4)
		return cli_usage(cli);
	const struct crm_kind *k;
	long long id;
	int rc = target(cli, argv, &k, &id, 1);
	if (rc)
		return rc;
	struct crm_assign *set = calloc((size_t)argc, sizeof *set);
	char **keys = calloc((size_t)argc, sizeof *keys);
	if (!set || !keys)
		abort();
	int n = 0;
	for (int i = 3; i < argc && !rc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq) {
			rc = cli_error(CRM_EUSAGE, "'%s' is not key=value", argv[i]);
			break;
		}
		keys[n] = strndup(argv[i], (size_t)(eq - argv[i]));
		set[n].field = keys[n];
		set[n++].value = eq + 1;
	}
	struct crm_err err = { 0 };
	if (!rc && crm_attr_set(cli->crm, k, id, set, n, &err))
		rc = cli_fail(&err);
	for (int i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(set);
	return rc;
}

static int attr_rm(struct cli *cli, int argc, char **argv)
{
	if (argc < 4)
		return cli_usage(cli);
	const struct crm_kind *k;
	long long id;
	int rc = target(cli, argv, &k, &id, 1);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	return crm_attr_rm(cli->crm, k, id, (const char *const *)argv + 3, argc - 3, &err) ? cli_fail(&err) : 0;
}

static int attr_list(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = NULL;
	long long id = 0;
	const char *noun;
	int rc;
	if (argc > 3)
		return cli_usage(cli);
	if (argc == 2 && !(k = cli_record_kind(argv[1], &noun)))
		return cli_unknown_kind("unknown kind", argv[1], "account, contact, project, ticket, doc, ...");
	if (argc == 3 && (rc = target(cli, argv, &k, &id, 0)))
		return rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_attr_print(cli->crm, k, id, p, &err);
	cli->out.failed = rc != 0;
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* set and rm check <noun>.edit of the record's kind themselves (CMD_READWRITE: the database
 * opened for writing, no permission of "attr" of its own). */
const struct cmd_verb cmd_attr_verbs[] = {
	{ "set", NULL, attr_set, CMD_READWRITE, "<kind> <ref> <key>=<value>...",
	  "set attributes of a record (an empty value removes one)", { NULL }, NULL, NULL },
	{ "rm", "remove", attr_rm, CMD_READWRITE, "<kind> <ref> <key>...", "remove attributes of a record", { NULL },
	  NULL, NULL },
	{ "list", "ls", attr_list, CMD_READ, "[<kind> [<ref>]]", "list the attributes of a record, a kind or all",
	  { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
