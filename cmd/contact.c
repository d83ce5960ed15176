#define _POSIX_C_SOURCE 200809L
/* crm contact: the generic verbs, with show listing the contact's projects, contracts and
 * activities, and email (issue 14): a message queued through the outbox, logged as an activity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/merge.h"
#include "crm/outreach.h"
#include "crm/vcard.h"

#define MAX_FILES 64

/* The template rendered for contact id (crm/merge.h: its placeholders checked first): the
 * body in *body, the subject in *subject unless one was given. */
static int from_template(struct cli *cli, const char *path, long long id, char **subject, char **body)
{
	int rc = 0;
	char *text = cli_read_template(path, &rc);
	if (!text)
		return rc;
	char term[40];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[] = { term };
	struct crm_merge *m = NULL;
	struct crm_err err = { 0 };
	if (crm_merge_open(cli->crm, path, text, 0, terms, 1, &m, &err))
		rc = cli_fail(&err);
	else if (crm_merge_count(m) != 1)
		rc = cli_error(CRM_ENOTFOUND, "contact %lld not found", id);
	if (!rc) {
		*body = crm_merge_render(m, 0, CRM_TPL_BODY);
		if (!*subject) {
			if (crm_tpl_has_subject(crm_merge_template(m)))
				*subject = crm_merge_render(m, 0, CRM_TPL_SUBJECT);
			else
				rc = cli_error(CRM_EUSAGE, "an e-mail needs a subject: --subject TEXT, or a first line "
					       "'Subject: ...' in template '%s'", path);
		}
	}
	crm_merge_close(m);
	free(text);
	return rc;
}

/* email <contact> (--subject S) (--body TEXT | --body - | --template FILE) [--attach FILE]... */
static int contact_email(struct cli *cli, int argc, char **argv)
{
	long long id;
	const char *subject = cli_get(cli, "subject"), *body = cli_get(cli, "body"), *paths[MAX_FILES];
	const char *tpl = cli_get(cli, "template");
	int nfiles = cli_getv(cli, "attach", paths, MAX_FILES);
	if (cli_has(cli, "attach") > MAX_FILES)
		return cli_error(CRM_EUSAGE, "too many files (at most %d)", MAX_FILES);
	if (body && tpl)
		return cli_error(CRM_EUSAGE, "--body and --template both give the text: give one");
	if ((!subject || !*subject) && !tpl)
		return cli_error(CRM_EUSAGE, "an e-mail needs a subject: --subject TEXT");
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	char *typed = NULL, *rendered_subject = NULL, *rendered = NULL;
	if (tpl) {
		char *subj = subject && *subject ? strdup(subject) : NULL;
		rc = from_template(cli, tpl, id, &subj, &rendered);
		rendered_subject = subj;
		if (rc) {
			free(rendered_subject);
			free(rendered);
			return rc;
		}
		subject = rendered_subject;
		body = rendered;
	}
	if (body && strcmp(body, "-") == 0 && !tpl && !(body = typed = cli_read_stdin()))
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
	free(rendered);
	free(rendered_subject);
	return rc;
}

/* Does -o name a vCard file (FILE.vcf, FILE.vcard)? */
static int to_vcf(const struct cli *cli)
{
	const char *dot = cli->output ? strrchr(cli->output, '.') : NULL;
	return dot && !strchr(dot, '/') && (strcasecmp(dot, ".vcf") == 0 || strcasecmp(dot, ".vcard") == 0);
}

/* export: the generic one, or vCards (crm/vcard.h) with -o FILE.vcf or --vcard-version. */
static int contact_export(struct cli *cli, int argc, char **argv)
{
	const char *ver = cli_get(cli, "vcard-version");
	if (!to_vcf(cli) && !ver)
		return rec_export(cli, argc, argv);
	int version = 4;
	if (ver) {
		if (!strcmp(ver, "4.0") || !strcmp(ver, "4"))
			version = 4;
		else if (!strcmp(ver, "3.0") || !strcmp(ver, "3"))
			version = 3;
		else
			return cli_error(CRM_EUSAGE, "--vcard-version takes 4.0 or 3.0, not '%s'", ver);
		if (cli->output && !to_vcf(cli))
			return cli_error(CRM_EUSAGE, "--vcard-version writes a vCard: name a .vcf file, not '%s'",
					 cli->output);
	}
	if (cli->format >= 0)
		return cli_error(CRM_EUSAGE, "a vCard file has its own format: leave out -F");
	if (cli_has(cli, "fields"))
		return cli_error(CRM_EUSAGE, "a vCard holds every field: leave out --fields");
	struct crm_query q = { .kind = cli_kind(cli), .terms = (const char *const *)argv + 1, .nterms = argc - 1,
			       .sort = cli_get(cli, "sort") };
	char *text = NULL;
	long long count = 0;
	struct crm_err err = { 0 };
	if (crm_vcard_write(cli->crm, &q, version, &text, &count, &err))
		return cli_fail(&err);
	int rc = rec_write_text(cli, text);
	free(text);
	if (!rc && cli->verbose)
		cli_info(cli, "%lld %s exported", count, count == 1 ? "contact" : "contacts");
	return rc;
}

static const struct cmd_opt vcard_opts[] = {
	{ "vcard-version", 0, OPT_VALUE, "4.0|3.0", "write vCard 4.0 (the default for FILE.vcf) or 3.0" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt email_opts[] = {
	{ "subject", 0, OPT_VALUE, "text", "the subject (required)" },
	{ "body", 0, OPT_VALUE, "text|-", "the text; - reads it from standard input" },
	{ "template", 0, OPT_VALUE, "file", "the text (and subject) from a mail-merge template filled for the contact (crm-merge(1))" },
	{ "attach", 0, OPT_VALUE | OPT_MULTI, "file", "attach a file (repeat for more)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_contact_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a contact with its projects, contracts and activities", { NULL }, NULL, NULL },
	{ "export", NULL, contact_export, CMD_READ, "[<filter>...]",
	  "export contacts to csv, tsv, json, ndjson, yaml, xlsx, or vCard (-o FILE.vcf)", { cmd_export_opts, vcard_opts },
	  NULL, NULL },
	{ "email", NULL, contact_email, CMD_WRITE, "%r", "e-mail a contact through the outbox, logged as an activity",
	  { email_opts }, NULL, NULL },
	{ "duplicates", NULL, rec_duplicates, CMD_READ, "",
	  "list likely duplicates: the same e-mail, name and account, or phone (duplicates.contact)",
	  { rec_duplicates_opts }, NULL, NULL },
	{ "merge", NULL, rec_merge, CMD_WRITE, "<keep> <other>",
	  "merge a contact into another: its activities, tickets, links, documents and attributes move; undo with crm merge undo",
	  { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
