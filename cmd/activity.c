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
#include "crm/task.h"

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
			if (!(body = cli_read_stdin()))
				return cli_error(CRM_EFAIL, "cannot read the body from standard input: %s", strerror(errno));
			a->set[i].value = body;
		}
	}
	/* --follow-up WHEN [TITLE]: the title is the last argument after the summary (which, unquoted,
	 * is otherwise every word) */
	const char *due = cli_get(cli, "follow-up"), *title = NULL, *form = cli_get(cli, "form");
	if (due && argc >= 3)
		title = argv[--argc];
	long long me, id, task = 0;
	struct crm_err err = { 0 };
	struct crm_assign extra = { "users", crm_user(cli->crm) };
	int nextra = !has_user &&
		     crm_record_resolve(cli->crm, crm_kind_find("user"), crm_user(cli->crm), &me, &err) == CRM_OK;
	struct crm_follow_up fu = { due, title, 0, form, 0 };
	int rc = rec_add_id(cli, argc, argv, &extra, nextra, due || form ? crm_activity_add_following_up : NULL, &fu, &id);
	task = fu.task;
	if (!rc) {
		printf("%lld\n", id); /* the activity's number alone, as add prints it */
		if (task)
			cli_info(cli, "follow-up: task %lld", task);
		if (fu.ntasks)
			cli_info(cli, "form %s: %d task%s", form, fu.ntasks, fu.ntasks == 1 ? "" : "s");
	}
	free(body);
	return rc;
}

static const struct cmd_opt log_opts[] = {
	{ "follow-up", 0, OPT_VALUE, "when", "also make a task to follow it up, due then (+3d, friday, a date), "
	  "yours, about what the activity was about; its title is the argument after the summary", NULL },
	{ "form", 0, OPT_VALUE, "name", "log it with a form of the configuration (forms.<name>): refused without the "
	  "form's fields; brings the form's follow-up tasks and starts its process", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

/* Points of view are filter terms of the generic list. From and to include their own day:
 * "not before" and "not after". */
static const struct cmd_opt view_opts[] = {
	{ "account", 0, OPT_VALUE, "ref", "activities of this account", "account:%s" },
	{ "location", 0, OPT_VALUE, "ref", "of this location", "location:%s" },
	{ "contact", 0, OPT_VALUE, "ref", "involving this contact", "contacts:%s" },
	{ "project", 0, OPT_VALUE, "ref", "of this project", "projects:%s" },
	{ "user", 0, OPT_VALUE | OPT_ME, "login|me", "involving this user (me: you)", "users:%s" },
	{ "contract", 0, OPT_VALUE, "ref", "about this contract", "contract:%s" },
	{ "type", 0, OPT_VALUE, "type", "of this type", "type:%s" },
	{ "result", 0, OPT_VALUE, "result", "with this result", "result:%s" },
	{ "from", 0, OPT_VALUE, "date", "on or after this day", "-at.before:%s" },
	{ "since", 0, OPT_VALUE, "date", "the same as --from", "-at.before:%s" },
	{ "to", 0, OPT_VALUE, "date", "on or before this day", "-at.after:%s" },
	{ "until", 0, OPT_VALUE, "date", "the same as --to", "-at.after:%s" },
	{ NULL, 0, 0, NULL, NULL },
};

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
	{ "log", NULL, activity_log, CMD_WRITE | CMD_FIELDS, "<summary> [<follow-up title>]",
	  "log an activity with all its links at once (--body - reads standard input), and with "
	  "--follow-up a task to follow it up; prints its number", { log_opts, cmd_set_opts }, NULL, NULL },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...]", "list activities from any point of view",
	  { view_opts, cmd_list_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an activity and its documents", { NULL }, NULL, NULL },
	{ "import-mail", NULL, activity_import_mail, CMD_WRITE | CMD_STDIN, "< message.eml",
	  "log an e-mail message read from standard input, with its attachments", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
