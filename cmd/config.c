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

/* The unknown-setting message of a check of the key alone (did you mean included), without the
 * file and line it would name, since the key came from the command line. */
static int bad_key(const char *key, const struct crm_err *err)
{
	const char *m = strstr(err->msg, "unknown setting");
	if (m)
		return cli_error(CRM_EUSAGE, "%s", m);
	return cli_error(CRM_EUSAGE, "cannot set '%s': %s", key, err->msg);
}

/* Whether crm knows key: a scratch file holding it alone, loaded and checked as a configuration
 * file. 0 if known (or if the check fails for another reason, left to the real write); else
 * the unknown-setting message is printed and 2 returned. */
static int check_key(const struct cli *cli, const char *key, const char *value)
{
	char path[512];
	snprintf(path, sizeof path, "%s/crm-key-XXXXXX", cli->env.tmpdir ? cli->env.tmpdir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	close(fd);
	struct crm_err err = { 0 };
	struct crm_config *c = NULL;
	int hc, rc = 0;
	if (!crm_config_file_set(path, key, value, 1, &hc, &err) &&
	    (crm_config_load(&c, path, &cli->env, &err) || crm_config_check(c, &err)) &&
	    strstr(err.msg, "unknown setting"))
		rc = bad_key(key, &err);
	crm_config_free(c);
	unlink(path);
	return rc;
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
	int rc = check_key(cli, key, "x");
	if (rc)
		return rc;
	return cli_error(CRM_ENOTFOUND, "configuration key '%s' is not set", key);
}

/* The whole file in *text (1), or 0 when it cannot be read. */
static int read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t cap = 4096, n = 0, got;
	char *b = malloc(cap);
	while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	*text = b;
	*len = n;
	return b != NULL;
}

static int config_set(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage(cli);
	const char *key = argv[1], *value = argv[2];
	struct crm_err err = { 0 };
	if (!*key || key[0] == '.' || key[strlen(key) - 1] == '.' || strstr(key, ".."))
		return cli_error(CRM_EUSAGE, "'%s' is not a key: names joined by dots (tickets.default_priority)", key);
	/* the key must be one crm knows */
	int krc = check_key(cli, key, value);
	if (krc)
		return krc;
	/* the file: the one --config or CRM_CONFIG names, else the user's own */
	const char *given = cli->config_path;
	char *path = given ? NULL : crm_config_user_path(&cli->env);
	const char *file = given ? given : path;
	if (!file)
		return cli_error(CRM_EFAIL, "no configuration file to write: set HOME or XDG_CONFIG_HOME, or give --config");
	int had_comments = 0;
	char *old = NULL;
	size_t oldlen = 0;
	int existed = read_whole(file, &old, &oldlen);
	int rc = crm_config_file_set(file, key, value, cli_has(cli, "force"), &had_comments, &err);
	if (!rc) {
		/* What was written must load as the configuration it is part of (roles only where they
		 * are trusted, and so on): if not, the file is put back as it was. */
		struct crm_config *check = NULL;
		long timeout;
		if (crm_config_load(&check, given, &cli->env, &err) || crm_config_check(check, &err) ||
		    crm_config_values(check, &timeout, &err)) {
			rc = err.code ? err.code : CRM_ECONFIG;
			FILE *f = existed ? fopen(file, "wb") : NULL;
			if (f) {
				fwrite(old, 1, oldlen, f);
				fclose(f);
			} else if (!existed) {
				remove(file);
			}
			cli_fail(&err);
			cli_error(rc, "'%s' left as it was", file);
		} else if (had_comments) {
			cli_info(cli, "rewrote '%s' without its comments (--force)", file);
		}
		crm_config_free(check);
	} else {
		cli_fail(&err);
	}
	free(old);
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
