/* crm user: the generic verbs over our users, and role, the roles the database defines beside
 * the built-in ones and those of the system configuration (a user's own configuration file may
 * not define roles: whoever writes it could grant themselves anything). */
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "crm/auth.h"

/* role list: every role in force, what it grants and where it is defined. */
static int role_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	int rc = 0;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	static const char *const names[] = { "role", "grants", "source" };
	crm_printer_columns(p, names, 3);
	const struct crm_conf_node *roles = crm_config_node(cli->cfg, "roles");
	for (size_t i = 0; i < crm_conf_count(roles); i++) {
		const struct crm_conf_node *g = crm_conf_child(roles, i);
		char grants[4096] = "";
		size_t len = 0;
		if (crm_conf_type(g) == CRM_CONF_SCALAR)
			snprintf(grants, sizeof grants, "%s", crm_conf_scalar(g) ? crm_conf_scalar(g) : "");
		for (size_t j = 0; crm_conf_type(g) == CRM_CONF_SEQ && j < crm_conf_count(g); j++) {
			const char *s = crm_conf_scalar(crm_conf_child(g, j));
			int w = snprintf(grants + len, sizeof grants - len, "%s%s", j ? (char[]){ CRM_LIST_SEP, 0 } : "",
					 s ? s : "");
			if (w < 0 || (size_t)w >= sizeof grants - len)
				break;
			len += (size_t)w;
		}
		struct crm_value cells[3] = {
			{ CRM_V_TEXT, crm_conf_key(roles, i) }, { CRM_V_LIST, grants }, { CRM_V_TEXT, crm_conf_source(g) },
		};
		crm_printer_row(p, cells);
	}
	return cli_printer_finish(cli, p);
}

static int role_define(struct cli *cli, int argc, char **argv, int create)
{
	if (argc < 2)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	if (crm_role_define(cli->crm, argv[1], (const char *const *)argv + 2, argc - 2, create, &err))
		return cli_fail(&err);
	cli_info(cli, "role '%s' %s", argv[1], create ? "added" : "changed");
	return 0;
}

static int role_add(struct cli *cli, int argc, char **argv)
{
	return role_define(cli, argc, argv, 1);
}

static int role_edit(struct cli *cli, int argc, char **argv)
{
	return role_define(cli, argc, argv, 0);
}

static int role_rm(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	if (crm_role_remove(cli->crm, argv[1], &err))
		return cli_fail(&err);
	cli_info(cli, "role '%s' removed", argv[1]);
	return 0;
}

static const struct cmd_verb role_verbs[] = {
	{ "list", "ls", role_list, CMD_READ, "", "list the roles: what each grants, where it is defined", { NULL }, NULL, NULL },
	{ "add", NULL, role_add, CMD_WRITE, "<role> [<permission>...]", "define a role in the database, granting the "
	  "permissions (patterns such as account.add or contact.*)", { NULL }, NULL, NULL },
	{ "edit", NULL, role_edit, CMD_WRITE, "<role> [<permission>...]", "replace what a role of the database grants",
	  { NULL }, NULL, NULL },
	{ "rm", "remove", role_rm, CMD_WRITE, "<role>", "remove a role of the database that no user holds", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* What is special to users; add, list, show, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_user_verbs[] = {
	{ "role", NULL, NULL, CMD_READ, "<verb>", "list, add, edit or remove role definitions (needs user.role to "
	  "change them)", { NULL }, role_verbs, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
