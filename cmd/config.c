/* crm config: the effective configuration and where each value came from. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"

struct show_ctx {
	struct crm_printer *p;
};

static void show_leaf(const char *path, const char *value, const char *source, void *ctx)
{
	struct show_ctx *s = ctx;
	/* Any value that is a database URL is shown without its password. */
	char *shown = value ? crm_db_location_display(value) : NULL;
	struct crm_value cells[3] = { { CRM_V_TEXT, path }, { CRM_V_TEXT, shown }, { CRM_V_TEXT, source } };
	crm_printer_row(s->p, cells);
	free(shown);
}

/* The database and user in force are shown even when nothing set them. */
static void with_defaults(struct cli *cli)
{
	char *db = crm_default_db_path(cli->cfg, &cli->env), *user = crm_current_login(cli->cfg, &cli->env);
	if (!crm_config_get(cli->cfg, "database"))
		crm_config_set(cli->cfg, "database", db, "default");
	if (!crm_config_get(cli->cfg, "user"))
		crm_config_set(cli->cfg, "user", user, "login name");
	free(db);
	free(user);
}

static int config_show(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	int rc = 0;
	with_defaults(cli);
	struct show_ctx s = { cli_printer(cli, NULL, &rc) };
	if (!s.p)
		return rc;
	static const char *const names[] = { "key", "value", "source" };
	crm_printer_columns(s.p, names, 3);
	crm_config_walk(cli->cfg, show_leaf, &s);
	return cli_printer_finish(cli, s.p);
}

struct get_ctx {
	const char *prefix;
	size_t len;
	int found;
};

static void get_leaf(const char *path, const char *value, const char *source, void *ctx)
{
	(void)source;
	struct get_ctx *g = ctx;
	if (strncmp(path, g->prefix, g->len) == 0 && path[g->len] == '.') {
		printf("%s\t%s\n", path + g->len + 1, value);
		g->found = 1;
	}
}

static int config_get(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli);
	const char *key = argv[1];
	with_defaults(cli);
	const struct crm_conf_node *n = crm_config_node(cli->cfg, key);
	if (n && crm_conf_type(n) == CRM_CONF_SCALAR) {
		printf("%s\n", crm_conf_scalar(n));
		return 0;
	}
	if (n && crm_conf_type(n) == CRM_CONF_SEQ) {
		for (size_t i = 0; i < crm_conf_count(n); i++) {
			const char *v = crm_conf_scalar(crm_conf_child(n, i));
			if (v)
				printf("%s\n", v);
		}
		return 0;
	}
	if (n) { /* a map: its leaves, under it */
		struct get_ctx g = { key, strlen(key), 0 };
		crm_config_walk(cli->cfg, get_leaf, &g);
		return 0;
	}
	/* Not set: a key crm does not know is a usage error, with a did-you-mean. */
	struct crm_err err = { 0 };
	if (crm_config_key_check(key, &err))
		return cli_fail(&err);
	return cli_error(CRM_ENOTFOUND, "configuration key '%s' is not set", key);
}

static int config_set(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage(cli);
	const char *key = argv[1], *value = argv[2];
	struct crm_err err = { 0 };
	/* the file: the one --config or CRM_CONFIG names, else the user's own */
	const char *given = cli->config_path;
	char *path = given ? NULL : crm_config_user_path(&cli->env);
	const char *file = given ? given : path;
	if (!file)
		return cli_error(CRM_EFAIL, "no configuration file to write: set HOME or XDG_CONFIG_HOME, or give --config");
	int had_comments = 0, restored = 0;
	int rc = crm_config_set_checked(file, given, &cli->env, key, value, cli_has(cli, "force"), &had_comments,
					&restored, &err);
	if (rc) {
		cli_fail(&err);
		if (restored)
			cli_error(rc, "'%s' left as it was", file);
	} else if (had_comments) {
		cli_info(cli, "rewrote '%s' without its comments (--force)", file);
	}
	free(path);
	return rc;
}

static const struct cmd_opt set_opts[] = {
	{ "force", 0, 0, NULL, "rewrite a file that has comments (libyaml cannot keep them)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_config_verbs[] = {
	{ "get", NULL, config_get, CMD_NODB, "<key>", "print one setting's value (a list: an item a line; a map: key and value a line)", { NULL }, NULL, NULL },
	{ "set", NULL, config_set, CMD_NODB, "<key> <value>", "write one setting into your configuration file", { set_opts }, NULL, NULL },
	{ "show", NULL, config_show, CMD_NODB, "", "print the effective configuration: key, value and source", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
