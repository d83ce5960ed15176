/* crm db: the database as a whole. copy moves every record to another database, on either
 * backend (crm-db(1)). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/copy.h"

static const struct cmd_opt copy_opts[] = {
	{ "from", 0, OPT_VALUE, "DB", "the database to copy: a SQLite file or a postgresql:// URL (never changed)" },
	{ "to", 0, OPT_VALUE, "DB", "the database to fill: a SQLite file or a postgresql:// URL" },
	{ "force", 0, 0, NULL, "empty a target that already holds records first" },
	{ NULL, 0, 0, NULL, NULL },
};

static int is_url(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

/* Do the two names lead to one database? Files by their resolved path (a target not created
 * yet is another file); URLs as written. */
static int same_database(const char *a, const char *b)
{
	if (is_url(a) || is_url(b))
		return strcmp(a, b) == 0;
	char ra[PATH_MAX], rb[PATH_MAX];
	if (!realpath(a, ra) || !realpath(b, rb))
		return 0;
	return strcmp(ra, rb) == 0;
}

/* On a terminal: which table, how many rows, on one line rewritten. */
static void show_progress(const char *doing, const char *table, long long rows, void *ctx)
{
	(void)ctx;
	if (rows)
		fprintf(stderr, "\r\033[K%s %s: %lld", doing, table, rows);
	else
		fprintf(stderr, "\r\033[K%s %s", doing, table);
	fflush(stderr);
}

static int db_copy(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	const char *from = cli_get(cli, "from"), *to = cli_get(cli, "to");
	if (!from || !*from || !to || !*to)
		return cli_error(CRM_EUSAGE, "db copy needs --from <database> and --to <database>");
	if (same_database(from, to))
		return cli_error(CRM_EUSAGE, "--from and --to name the same database '%s'", to);
	struct crm_err err = { 0 };
	struct crm *src = NULL, *dst = NULL;
	struct crm_copy_report rep;
	int rc;
	/* The source is only read: opened read-only, it is neither created nor upgraded. */
	crm_config_set(cli->cfg, "database", from, "option --from");
	if ((rc = crm_open(&src, cli->cfg, &cli->env, CRM_OPEN_READONLY, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	crm_config_set(cli->cfg, "database", to, "option --to");
	if ((rc = crm_open(&dst, cli->cfg, &cli->env, 0, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	int tty = !cli->quiet && isatty(STDERR_FILENO);
	rc = crm_copy(src, dst, cli_has(cli, "force") ? CRM_COPY_FORCE : 0, tty ? show_progress : NULL, NULL, &rep,
		      &err);
	if (tty)
		fputs("\r\033[K", stderr);
	if (rep.verified) {
		int prc = 0;
		/* -q: no table; a mismatch is still said on stderr */
		struct crm_printer *p = cli->quiet ? NULL : cli_printer(cli, NULL, &prc);
		if (!p && !cli->quiet) {
			rc = rc ? rc : prc;
			goto out;
		}
		static const char *const names[] = { "table", "rows", "sha256", "ok" };
		if (p)
			crm_printer_columns(p, names, 4);
		long long records = 0;
		for (int i = 0; i < rep.n; i++) {
			const struct crm_copy_table *t = &rep.tables[i];
			char rows[32];
			snprintf(rows, sizeof rows, "%lld", t->rows);
			records += t->rows;
			struct crm_value cells[4] = { { CRM_V_TEXT, t->name }, { CRM_V_INT, rows }, { CRM_V_TEXT, t->sha256 },
						      { CRM_V_BOOL, t->ok ? "1" : "0" } };
			if (p)
				crm_printer_row(p, cells);
			if (!t->ok)
				fprintf(stderr, "crm: %s: %lld rows read, %lld written; sha256 %s read, %s written\n",
					t->name, t->rows, t->target_rows, t->sha256, t->target_sha256);
		}
		prc = p ? cli_printer_finish(cli, p) : 0;
		if (!rc && prc)
			rc = prc;
		if (!rc)
			cli_info(cli, "copied %lld rows in %d tables from '%s' to '%s'%s; counts and checksums match",
				 records, rep.n, crm_db_path(src), crm_db_path(dst),
				 rep.emptied ? " (emptied first)" : "");
	}
	if (rc && err.msg[0])
		cli_fail(&err);
out:
	crm_close(src);
	crm_close(dst);
	return rc;
}

const struct cmd_verb cmd_db_verbs[] = {
	{ "copy", NULL, db_copy, CMD_NODB | CMD_NOPAGER, "",
	  "copy a whole database into another one (SQLite or PostgreSQL), verified table by table",
	  { copy_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
