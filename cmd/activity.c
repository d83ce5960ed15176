/* crm activity: the generic verbs, plus log (the quick form at the prompt), list from any point
 * of view, and import-mail (a message on standard input becomes an activity). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/mail.h"
#include "crm/record.h"

/* All of standard input as text (a body typed or piped in), without trailing newlines. */
static char *read_stdin(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
		}
	}
	if (!buf)
		return NULL;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
}

/* log is add with the conveniences of the prompt: --body - reads the body from standard
 * input, and the user logging it is one of the users it involved unless --user says who. */
static int activity_log(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const struct crm_field *users = crm_kind_field(k, "users", NULL), *bodyf = crm_kind_field(k, "body", NULL);
	struct cmd_args *a = &cli->args;
	char *body = NULL;
	int has_user = 0;
	for (int i = 0; i < a->nset; i++) {
		const struct crm_field *f = crm_kind_field(k, a->set[i].field, NULL);
		has_user |= f == users;
		if (f == bodyf && strcmp(a->set[i].value, "-") == 0) {
			free(body);
			if (!(body = read_stdin()))
				return cli_error(CRM_EFAIL, "cannot read the body from standard input: %s", strerror(errno));
			a->set[i].value = body;
		}
	}
	long long me;
	struct crm_err err = { 0 };
	struct crm_assign extra = { "users", crm_user(cli->crm) };
	int nextra = !has_user &&
		     crm_record_resolve(cli->crm, crm_kind_find("user"), crm_user(cli->crm), &me, &err) == CRM_OK;
	int rc = rec_add_with(cli, argc, argv, &extra, nextra);
	free(body);
	return rc;
}

/* Points of view become filter terms; everything else goes to the generic list. */
static const struct cmd_opt view_opts[] = {
	{ "account", 0, OPT_VALUE, "ref", "activities of this account" },
	{ "location", 0, OPT_VALUE, "ref", "of this location" },
	{ "contact", 0, OPT_VALUE, "ref", "involving this contact" },
	{ "project", 0, OPT_VALUE, "ref", "of this project" },
	{ "user", 0, OPT_VALUE, "login|me", "involving this user (me: you)" },
	{ "contract", 0, OPT_VALUE, "ref", "about this contract" },
	{ "type", 0, OPT_VALUE, "type", "of this type" },
	{ "result", 0, OPT_VALUE, "result", "with this result" },
	{ "from", 0, OPT_VALUE, "date", "on or after this day" },
	{ "since", 0, OPT_VALUE, "date", "the same as --from" },
	{ "to", 0, OPT_VALUE, "date", "on or before this day" },
	{ "until", 0, OPT_VALUE, "date", "the same as --to" },
	{ NULL, 0, 0, NULL, NULL },
};

static int activity_list(struct cli *cli, int argc, char **argv)
{
	static const struct {
		const char *opt, *term;
	} views[] = {
		{ "account", "account:" }, { "location", "location:" }, { "contact", "contacts:" },
		{ "project", "projects:" }, { "user", "users:" }, { "contract", "contract:" },
		{ "type", "type:" }, { "result", "result:" },
		/* From and to include their own day: "not before" and "not after". */
		{ "from", "-at.before:" }, { "since", "-at.before:" }, { "to", "-at.after:" },
		{ "until", "-at.after:" },
	};
	int nviews = (int)(sizeof views / sizeof views[0]);
	char **v = calloc((size_t)argc + CMD_MAX_SEEN + 1, sizeof *v), **owned = calloc(CMD_MAX_SEEN + 1, sizeof *owned);
	int n = 0, nowned = 0;
	for (int i = 0; i < argc; i++)
		v[n++] = argv[i];
	for (int i = 0; i < cli->args.nseen; i++) {
		const char *name = cli->args.seen[i].opt->name, *val = cli->args.seen[i].value;
		for (int j = 0; j < nviews; j++) {
			if (strcmp(views[j].opt, name) != 0)
				continue;
			/* "--user me": the current user. */
			if (strcmp(name, "user") == 0 && strcmp(val, "me") == 0)
				val = crm_user(cli->crm);
			size_t len = strlen(views[j].term) + strlen(val) + 1;
			char *term = malloc(len);
			snprintf(term, len, "%s%s", views[j].term, val);
			owned[nowned++] = term;
			v[n++] = term;
		}
	}
	v[n] = NULL;
	int rc = rec_list(cli, n, v);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(v);
	return rc;
}

static int activity_import_mail(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	if (isatty(STDIN_FILENO))
		return cli_error(CRM_EUSAGE, "import-mail reads a message from standard input: crm activity import-mail < message.eml");
	struct crm_mail_result r = { 0 };
	struct crm_err err = { 0 };
	int rc = crm_mail_import(cli->crm, STDIN_FILENO, &r, &err);
	if (rc) {
		crm_mail_result_free(&r);
		return cli_fail(&err);
	}
	for (int i = 0; i < r.nunknown; i++)
		cli_info(cli, "crm: no contact or user has the address '%s'; not linked", r.unknown[i]);
	if (r.duplicate)
		cli_info(cli, "message already captured as activity %lld; nothing done", r.activity);
	else if (cli->verbose)
		cli_info(cli, "activity %lld: %d contacts, %d users, %d documents", r.activity, r.ncontacts, r.nusers,
			 r.ndocuments);
	printf("%lld\n", r.activity);
	crm_mail_result_free(&r);
	return 0;
}

/* What is special to activities; add, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_activity_verbs[] = {
	{ "log", NULL, activity_log, CMD_WRITE | CMD_FIELDS, "<summary>",
	  "log an activity with all its links at once (--body - reads standard input); prints its number",
	  { cmd_set_opts }, NULL, NULL },
	{ "list", "ls", activity_list, CMD_READ, "[<filter>...]", "list activities from any point of view",
	  { view_opts, cmd_list_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an activity and its documents", { NULL }, NULL, NULL },
	{ "import-mail", NULL, activity_import_mail, CMD_WRITE, "< message.eml",
	  "log an e-mail message read from standard input, with its attachments", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
