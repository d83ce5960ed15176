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

static int is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* log is add with the conveniences of the prompt: --body - reads the body from standard
 * input, and the user logging it is one of the users it involved unless --user says who. */
static int activity_log(struct cli *cli, int argc, char **argv)
{
	char **v = calloc((size_t)argc + 3, sizeof *v);
	char *body = NULL;
	int n = 0, has_user = 0, rc;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i && strcmp(a, "--") == 0) {
			while (i < argc)
				v[n++] = argv[i++];
			break;
		}
		if (i && (is_opt(a, "--user") || is_opt(a, "--users")))
			has_user = 1;
		if (i && (strcmp(a, "--body=-") == 0 || (strcmp(a, "--body") == 0 && i + 1 < argc &&
							    strcmp(argv[i + 1], "-") == 0))) {
			free(body);
			if (!(body = read_stdin())) {
				free(v);
				return cli_error(CRM_EFAIL, "cannot read the body from standard input: %s", strerror(errno));
			}
			v[n++] = "--body";
			v[n++] = body;
			i += strcmp(a, "--body") == 0;
			continue;
		}
		v[n++] = argv[i];
	}
	long long me;
	struct crm_err err = { 0 };
	if (!has_user && crm_record_resolve(cli->crm, crm_kind_find("user"), crm_user(cli->crm), &me, &err) == CRM_OK) {
		v[n++] = "--users";
		v[n++] = (char *)crm_user(cli->crm); /* argv words are not written to */
	}
	rc = rec_add(cli, n, v);
	free(body);
	free(v);
	return rc;
}

/* Points of view become filter terms; everything else goes to the generic list. */
static int activity_list(struct cli *cli, int argc, char **argv)
{
	static const struct {
		const char *opt, *term;
	} views[] = {
		{ "--account", "account:" }, { "--location", "location:" }, { "--contact", "contacts:" },
		{ "--project", "projects:" }, { "--user", "users:" }, { "--contract", "contract:" },
		{ "--type", "type:" }, { "--result", "result:" },
		/* From and to include their own day: "not before" and "not after". */
		{ "--from", "-at.before:" }, { "--since", "-at.before:" }, { "--to", "-at.after:" },
		{ "--until", "-at.after:" },
	};
	char **v = calloc((size_t)argc + 1, sizeof *v), **owned = calloc((size_t)argc + 1, sizeof *owned);
	int n = 0, nowned = 0, rc = 0;
	v[n++] = argv[0];
	for (int i = 1; i < argc && !rc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				v[n++] = argv[i++];
			break;
		}
		size_t j;
		const char *val = NULL;
		for (j = 0; j < sizeof views / sizeof views[0]; j++)
			if (cli_opt(argc, argv, &i, views[j].opt, &val, &rc))
				break;
		if (rc)
			break;
		if (j == sizeof views / sizeof views[0]) {
			v[n++] = argv[i];
			continue;
		}
		/* "--user me": the current user. */
		if (strcmp(views[j].opt, "--user") == 0 && strcmp(val, "me") == 0)
			val = crm_user(cli->crm);
		size_t len = strlen(views[j].term) + strlen(val) + 1;
		char *term = malloc(len);
		snprintf(term, len, "%s%s", views[j].term, val);
		owned[nowned++] = term;
		v[n++] = term;
	}
	if (!rc)
		rc = rec_list(cli, n, v);
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

const struct cmd_verb cmd_activity_verbs[] = {
	{ "log", NULL, activity_log, CMD_WRITE,
	  "<summary> --type <type> [--at <date>] [--account <ref>] [--location <ref>] [--contact <ref>]... "
	  "[--user <login>]... [--project <ref>]... [--contract <ref>] [--result <result>] [--body -|<text>]",
	  "log an activity with all its links at once; prints its number" },
	{ "add", NULL, rec_add, CMD_WRITE, "<summary> --type <type> [--<field> <value>]...", "add an activity; prints its number" },
	{ "list", "ls", activity_list, CMD_READ,
	  "[--account <ref>] [--location <ref>] [--contact <ref>] [--project <ref>] [--user <login>|me] "
	  "[--contract <ref>] [--type <type>] [--result <result>] [--from <date>] [--to <date>] [<filter>...] "
	  "[--fields <f,...>] [--sort <field>] [--limit <n>]",
	  "list activities from any point of view" },
	{ "show", NULL, rel_show, CMD_READ, "<activity>", "show an activity and its documents" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<activity>|<filter>... --<field> <value>... [--yes]", "change activities (--contact +ref adds, -ref removes)" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<activity>...|<filter>... [--yes]", "remove activities" },
	{ "history", NULL, rec_history, CMD_READ, "<activity>", "show who changed an activity, when and how" },
	{ "import-mail", NULL, activity_import_mail, CMD_WRITE, "< message.eml",
	  "log an e-mail message read from standard input, with its attachments" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
