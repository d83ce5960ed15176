/* crm contact: the generic verbs, with show listing the contact's projects, contracts and
 * activities, and email (issue 14): a message queued through the outbox, logged as an activity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/outreach.h"

#define MAX_FILES 64

/* email <contact> --subject S (--body TEXT | --body -) [--attach FILE]... */
static int contact_email(struct cli *cli, int argc, char **argv)
{
	long long id;
	const char *subject = cli_get(cli, "subject"), *body = cli_get(cli, "body"), *paths[MAX_FILES];
	int nfiles = cli_getv(cli, "attach", paths, MAX_FILES);
	if (cli_has(cli, "attach") > MAX_FILES)
		return cli_error(CRM_EUSAGE, "too many files (at most %d)", MAX_FILES);
	if (!subject || !*subject)
		return cli_error(CRM_EUSAGE, "an e-mail needs a subject: --subject TEXT");
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	char *typed = NULL;
	if (body && strcmp(body, "-") == 0 && !(body = typed = cli_read_stdin()))
		return cli_error(CRM_EFAIL, "cannot read the body from standard input");
	struct crm_err err = { 0 };
	struct crm_email_file files[MAX_FILES];
	int opened = 0;
	for (; opened < nfiles; opened++) {
		const char *base = strrchr(paths[opened], '/');
		files[opened].name = base ? base + 1 : paths[opened];
		if (cli_open_attachment(paths[opened], "", &files[opened].fd, &err))
			break;
	}
	struct crm_email_sent sent = { 0 };
	if (opened < nfiles || crm_contact_email(cli->crm, id, subject, body, files, nfiles, &sent, &err)) {
		rc = cli_fail(&err);
	} else {
		printf("%lld\n", sent.activity);
		if (cli->verbose)
			cli_info(cli, "queued for %s; crm notify send delivers it", sent.to);
	}
	for (int i = 0; i < opened; i++)
		close(files[i].fd);
	free(sent.to);
	free(typed);
	return rc;
}

static const struct cmd_opt email_opts[] = {
	{ "subject", 0, OPT_VALUE, "text", "the subject (required)" },
	{ "body", 0, OPT_VALUE, "text|-", "the text; - reads it from standard input" },
	{ "attach", 0, OPT_VALUE | OPT_MULTI, "file", "attach a file (repeat for more)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_contact_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a contact with its projects, contracts and activities", { NULL }, NULL, NULL },
	{ "email", NULL, contact_email, CMD_WRITE, "%r", "e-mail a contact through the outbox, logged as an activity",
	  { email_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
