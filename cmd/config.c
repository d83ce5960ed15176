/* crm config: the effective configuration and where each value came from. */
#include <stdlib.h>
#include <stdio.h>
#include "cmd.h"

struct show_ctx {
	struct crm_printer *p;
};

static void show_leaf(const char *path, const char *value, const char *source, void *ctx)
{
	struct show_ctx *s = ctx;
	struct crm_value cells[3] = { { CRM_V_TEXT, path }, { CRM_V_TEXT, value }, { CRM_V_TEXT, source } };
	crm_printer_row(s->p, cells);
}

static int config_show(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	int rc = 0;
	/* The database and user in force are shown even when nothing set them. */
	char *db = crm_default_db_path(cli->cfg, &cli->env), *user = crm_current_login(cli->cfg, &cli->env);
	if (!crm_config_get(cli->cfg, "database"))
		crm_config_set(cli->cfg, "database", db, "default");
	if (!crm_config_get(cli->cfg, "user"))
		crm_config_set(cli->cfg, "user", user, "login name");
	free(db);
	free(user);
	struct show_ctx s = { cli_printer(cli, NULL, &rc) };
	if (!s.p)
		return rc;
	static const char *const names[] = { "key", "value", "source" };
	crm_printer_columns(s.p, names, 3);
	crm_config_walk(cli->cfg, show_leaf, &s);
	return cli_printer_finish(cli, s.p);
}

const struct cmd_verb cmd_config_verbs[] = {
	{ "show", NULL, config_show, CMD_NODB, "", "print the effective configuration: key, value and source", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
