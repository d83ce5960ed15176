/* crm opportunity and crm pipeline (issue 12): opportunities are served by the generic verbs
 * (add, list, show, edit, rm, history, import, export, transition); here are the workflow's
 * usual moves as verbs of their own, and the pipeline: counts, value and weighted value by
 * currency and stage (crm/sales.h). Products have no verbs of their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/sales.h"

static int opp_win(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "win");
}

static int opp_lose(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "lose");
}

const struct cmd_verb cmd_opportunity_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an opportunity with the transitions you may take and its history",
	  { NULL }, NULL, NULL },
	{ "win", NULL, opp_win, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named win",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "lose", NULL, opp_lose, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named lose (it needs --lost-reason)",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

const struct cmd_opt cmd_pipeline_opts[] = {
	{ "owner", 0, OPT_VALUE, "login", "only the opportunities this user owns (me is you)" },
	{ "from", 0, OPT_VALUE, "date", "only those expected to close on or after this date" },
	{ "to", 0, OPT_VALUE, "date", "only those expected to close on or before this date" },
	{ NULL, 0, 0, NULL, NULL },
};

/* The filter terms, after the *nterms there are: argv[from..argc), then the options said as
 * terms. */
int cmd_pipeline_terms(struct cli *cli, int argc, char **argv, int from, const char **terms, char **owned,
		       int *nterms)
{
	int n = *nterms;
	for (int i = from; i < argc && n < 250; i++)
		terms[n++] = argv[i];
	const char *owner = cli_get(cli, "owner"), *d1 = cli_get(cli, "from"), *d2 = cli_get(cli, "to");
	int o = 0;
	if (owner) {
		const char *login = strcmp(owner, "me") == 0 ? crm_user(cli->crm) : owner;
		size_t len = strlen(login) + 8;
		owned[o] = malloc(len);
		snprintf(owned[o], len, "owner:%s", login);
		terms[n++] = owned[o++];
	}
	if (d1 || d2)
		terms[n++] = "close.not:";
	/* not before from, not after to: the comparisons are strict */
	if (d1) {
		size_t len = strlen(d1) + 16;
		owned[o] = malloc(len);
		snprintf(owned[o], len, "-close.before:%s", d1);
		terms[n++] = owned[o++];
	}
	if (d2) {
		size_t len = strlen(d2) + 16;
		owned[o] = malloc(len);
		snprintf(owned[o], len, "-close.after:%s", d2);
		terms[n++] = owned[o++];
	}
	*nterms = n;
	return o;
}

int cmd_pipeline(struct cli *cli, int argc, char **argv)
{
	const char *terms[256];
	char *owned[3] = { NULL, NULL, NULL };
	int nterms = 0, nowned = cmd_pipeline_terms(cli, argc, argv, 1, terms, owned, &nterms);
	struct crm_pipeline_row *rows;
	int n, rc = 0;
	struct crm_err err = { 0 };
	if (crm_pipeline(cli->crm, terms, nterms, &rows, &n, &err)) {
		rc = cli_fail(&err);
	} else {
		struct crm_printer *p = cli_printer(cli, NULL, &rc);
		if (p) {
			crm_pipeline_print(rows, n, p);
			rc = cli_printer_finish(cli, p);
		}
		crm_pipeline_free(rows, n);
	}
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}
