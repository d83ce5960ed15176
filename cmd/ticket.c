/* crm ticket: open, list (mine, my team's, everyone's), show, edit, comment, assign, the
 * workflow's transitions and their shortcuts, watchers, attachments (crm-ticket(1)). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/document.h"
#include "crm/record.h"
#include "crm/ticket.h"

#define MAX_FIELDS 128
#define MAX_FILES 64

/* Ticket commands need a usable ticket configuration: a broken one is exit 78 up front. */
static int need_config(struct cli *cli)
{
	struct crm_err err = { 0 };
	return crm_ticket_config_check(cli->crm, &err) ? cli_fail(&err) : 0;
}

static int resolve_ticket(struct cli *cli, const char *ref, long long *id)
{
	struct crm_err err = { 0 };
	return crm_record_resolve(cli->crm, cli_kind(cli), ref, id, &err) ? cli_fail(&err) : 0;
}

/* The preamble of every verb on one ticket: a usable configuration, argc within [min, max]
 * (argv[0] the verb, argv[1] the ticket), and the ticket resolved. */
static int ticket_arg(struct cli *cli, int argc, char **argv, int min, int max, long long *id)
{
	int rc = need_config(cli);
	if (!rc && (argc < min || argc > max))
		rc = cli_usage(cli);
	return rc ? rc : resolve_ticket(cli, argv[1], id);
}

/* Words joined by spaces; "-" alone reads standard input. Caller frees. */
static char *text_of(char **words, int n)
{
	if (n == 1 && strcmp(words[0], "-") == 0) {
		size_t cap = 4096, len = 0, got;
		char *buf = malloc(cap);
		while (buf && (got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
			len += got;
			if (cap - len < 2)
				buf = realloc(buf, cap *= 2);
		}
		if (!buf)
			abort();
		while (len && buf[len - 1] == '\n')
			len--;
		buf[len] = '\0';
		return buf;
	}
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *s = calloc(1, len);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

static int attach_files(struct cli *cli, long long id, const char *const *files, int nfiles,
			struct crm_err *err)
{
	for (int i = 0; i < nfiles; i++) {
		int fd, rc = cli_open_attachment(files[i], "", &fd, err);
		if (rc)
			return rc;
		const char *base = strrchr(files[i], '/');
		struct crm_doc_info info;
		rc = crm_doc_attach(cli->crm, cli_kind(cli), id, base ? base + 1 : files[i], NULL, fd, &info, err);
		close(fd);
		if (!rc)
			rc = crm_ticket_attached(cli->crm, id, base ? base + 1 : files[i], err);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* A ticket opened with its attachments, or files attached to one: together or not at all. */
struct open_attach {
	struct cli *cli;
	const char *title, *assign;
	const struct crm_assign *set;
	int nset;
	const char *const *files;
	int nfiles;
	long long id; /* opened, or given */
};

static int open_attach(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct open_attach *o = ctx;
	int rc = o->title ? crm_ticket_open(crm, o->title, o->set, o->nset, o->assign, &o->id, err) : CRM_OK;
	return rc ? rc : attach_files(o->cli, o->id, o->files, o->nfiles, err);
}

static int ticket_open(struct cli *cli, int argc, char **argv)
{
	const char *assign = cli_get(cli, "assign"), *files[MAX_FILES];
	int nfiles = cli_getv(cli, "attach", files, MAX_FILES), rc = need_config(cli);
	if (!rc && cli_has(cli, "attach") > MAX_FILES)
		rc = cli_error(CRM_EUSAGE, "too many files");
	char *title = !rc && argc > 1 ? text_of(argv + 1, argc - 1) : NULL;
	if (!rc && !title)
		rc = cli_usage(cli);
	if (!rc) {
		struct crm_err err = { 0 };
		struct open_attach o = { cli, title, assign, cli->args.set, cli->args.nset, files, nfiles, 0 };
		rc = crm_atomic(cli->crm, open_attach, &o, &err);
		if (rc)
			rc = cli_fail(&err);
		else
			printf("%lld\n", o.id);
	}
	free(title);
	return rc;
}

/* The field a filter term is about: "-status.not:x" is about status. */
static int term_names(const char *term, const char *field)
{
	size_t n = strlen(field);
	if (*term == '-')
		term++;
	return strncmp(term, field, n) == 0 && (term[n] == ':' || term[n] == '.');
}

/* list: the generic list, narrowed to the tickets the current user answers for (default), those
 * of the people under them (--team) or everyone's (--all), and to open ones unless the filter
 * says something about status. */
static int ticket_list(struct cli *cli, int argc, char **argv)
{
	int rc = need_config(cli);
	if (rc)
		return rc;
	/* The last of --mine, --team, --all wins. */
	int scope = 0; /* 0 mine, 1 team, 2 all */
	for (int i = 0; i < cli->args.nseen; i++) {
		const char *o = cli->args.seen[i].opt->name;
		if (strcmp(o, "mine") == 0)
			scope = 0;
		else if (strcmp(o, "team") == 0)
			scope = 1;
		else if (strcmp(o, "all") == 0)
			scope = 2;
	}
	char **v = calloc((size_t)argc + 3, sizeof *v);
	int n = 0, about_status = 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			about_status |= term_names(argv[i], "status") || term_names(argv[i], "open") ||
					term_names(argv[i], "resolved");
		v[n++] = argv[i];
	}
	char scope_term[256];
	if (scope < 2) {
		snprintf(scope_term, sizeof scope_term, "%s:%s", scope ? "managers" : "responsible", crm_user(cli->crm));
		v[n++] = scope_term;
	}
	if (!about_status)
		v[n++] = "open:yes";
	v[n] = NULL;
	rc = rec_list(cli, n, v);
	free(v);
	return rc;
}

static int ticket_edit(struct cli *cli, int argc, char **argv)
{
	int rc = need_config(cli);
	long long id;
	if (!rc && (argc != 2 || !cli->args.nset))
		rc = argc > 2 ? cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]) : cli_usage(cli);
	if (!rc && !(rc = resolve_ticket(cli, argv[1], &id))) {
		struct crm_err err = { 0 };
		if (crm_ticket_edit(cli->crm, id, cli->args.set, cli->args.nset, &err))
			rc = cli_fail(&err);
	}
	return rc;
}

static int ticket_comment(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = ticket_arg(cli, argc, argv, 3, INT_MAX, &id);
	if (rc)
		return rc;
	char *text = text_of(argv + 2, argc - 2);
	struct crm_err err = { 0 };
	if (crm_ticket_comment(cli->crm, id, text, &err))
		rc = cli_fail(&err);
	free(text);
	return rc;
}

static int ticket_assign(struct cli *cli, int argc, char **argv)
{
	long long id;
	int none = cli_has(cli, "none");
	int rc = ticket_arg(cli, argc, argv, none ? 2 : 3, none ? 2 : 3, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	return crm_ticket_assign(cli->crm, id, none ? NULL : argv[2], &err) ? cli_fail(&err) : 0;
}

/* transition and its shortcuts: <ticket> [<to>] [--<field> <value>]... [-m <comment>]. A
 * shortcut's words after the ticket are its comment, or for resolve the resolution. */
static int move(struct cli *cli, int argc, char **argv, const char *shortcut)
{
	const char *ref = argc > 1 ? argv[1] : NULL, *to = shortcut, *comment = cli_get(cli, "comment");
	int first = 2, rc = need_config(cli);
	if (!to && argc > 2)
		to = argv[first++];
	int nwords = argc > first ? argc - first : 0;
	if (!rc && (!ref || !to))
		rc = cli_usage(cli);
	if (!rc && nwords && !shortcut)
		rc = cli_error(CRM_EUSAGE, "unexpected argument '%s' (a comment goes after -m)", argv[first]);
	char *text = !rc && nwords ? text_of(argv + first, nwords) : NULL;
	struct crm_assign *set = calloc((size_t)cli->args.nset + 1, sizeof *set);
	int nset = cli->args.nset;
	if (nset)
		memcpy(set, cli->args.set, (size_t)nset * sizeof *set);
	if (text && strcmp(shortcut, "resolve") == 0 && crm_kind_field(cli_kind(cli), "resolution", NULL))
		set[nset++] = (struct crm_assign){ "resolution", text };
	else if (text && !comment)
		comment = text;
	long long id;
	if (!rc && !(rc = resolve_ticket(cli, ref, &id))) {
		struct crm_err err = { 0 };
		const char *taken;
		if (crm_ticket_transition(cli->crm, id, to, set, nset, comment, &taken, &err))
			rc = cli_fail(&err);
		else if (cli->verbose)
			cli_info(cli, "ticket %lld: %s", id, taken);
	}
	free(set);
	free(text);
	return rc;
}

static int ticket_resolve(struct cli *cli, int argc, char **argv)
{
	return move(cli, argc, argv, "resolve");
}

static int ticket_close(struct cli *cli, int argc, char **argv)
{
	return move(cli, argc, argv, "close");
}

static int ticket_reopen(struct cli *cli, int argc, char **argv)
{
	return move(cli, argc, argv, "reopen");
}

static int ticket_watch(struct cli *cli, int argc, char **argv)
{
	const char *user = cli_get(cli, "user"), *contact = cli_get(cli, "contact");
	int stop = cli_has(cli, "stop"), rc = need_config(cli);
	long long id;
	if (!rc && (argc != 2 || (user && contact)))
		rc = argc > 2 ? cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]) : cli_usage(cli);
	if (rc || (rc = resolve_ticket(cli, argv[1], &id)))
		return rc;
	struct crm_err err = { 0 };
	return crm_ticket_watch(cli->crm, id, user, contact, stop, &err) ? cli_fail(&err) : 0;
}

static int ticket_attach(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = ticket_arg(cli, argc, argv, 3, INT_MAX, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	struct open_attach o = { cli, NULL, NULL, NULL, 0, (const char *const *)argv + 2, argc - 2, id };
	return crm_atomic(cli->crm, open_attach, &o, &err) ? cli_fail(&err) : 0;
}

/* show: the generic show (sections in core/show.c), once the configuration is known good. */
static int ticket_show(struct cli *cli, int argc, char **argv)
{
	int rc = need_config(cli);
	return rc ? rc : rec_show(cli, argc, argv);
}

static const struct cmd_opt open_opts[] = {
	{ "assign", 0, OPT_VALUE, "login|@group", "give it to a user or a group" },
	{ "attach", 0, OPT_VALUE | OPT_MULTI, "file", "attach a file" },
	{ "set", 0, OPT_VALUE | OPT_MULTI, "<field>=<value>", "set a field by its name, custom fields too" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt scope_opts[] = {
	{ "mine", 0, 0, NULL, "the tickets you answer for (the default)" },
	{ "team", 0, 0, NULL, "those of the people under you" },
	{ "all", 0, 0, NULL, "everyone's" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt move_opts[] = {
	{ "comment", 'm', OPT_VALUE, "comment", "a comment on the move" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt assign_opts[] = {
	{ "none", 0, 0, NULL, "nobody: take it off its assignee" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt watch_opts[] = {
	{ "user", 0, OPT_VALUE, "login", "this user rather than you" },
	{ "contact", 0, OPT_VALUE, "ref", "this contact rather than you" },
	{ "stop", 0, 0, NULL, "stop watching" },
	{ NULL, 0, 0, NULL, NULL },
};

/* What is special to tickets; rm, history, import and export are generic, and open takes the
 * place of add. */
const struct cmd_verb cmd_ticket_verbs[] = {
	{ "add", NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
	{ "open", NULL, ticket_open, CMD_WRITE | CMD_FIELDS, "<title>", "open a ticket; prints its number", { open_opts }, NULL, NULL },
	{ "list", "ls", ticket_list, CMD_READ, "[<filter>...]", "list open tickets: yours, your team's or everyone's",
	  { scope_opts, cmd_list_opts }, NULL, NULL },
	{ "show", NULL, ticket_show, CMD_READ, "<ticket>",
	  "show a ticket: fields, transitions, comments, actions, watchers, history, attachments", { NULL }, NULL, NULL },
	{ "edit", NULL, ticket_edit, CMD_WRITE | CMD_FIELDS, "<ticket>",
	  "change a ticket's fields (its status moves by transitions)", { cmd_set_opts }, NULL, NULL },
	{ "comment", NULL, ticket_comment, CMD_WRITE, "<ticket> <text>...|-", "add a comment (- reads standard input)", { NULL }, NULL, NULL },
	{ "assign", NULL, ticket_assign, CMD_WRITE, "<ticket> <login>|@<group>", "give a ticket to a user or a group",
	  { assign_opts }, NULL, NULL },
	{ "resolve", NULL, ticket_resolve, CMD_WRITE | CMD_FIELDS, "<ticket> [<resolution>...]",
	  "take the transition named resolve", { move_opts, cmd_set_opts }, NULL, NULL },
	{ "close", NULL, ticket_close, CMD_WRITE | CMD_FIELDS, "<ticket> [<comment>...]", "take the transition named close",
	  { move_opts, cmd_set_opts }, NULL, NULL },
	{ "reopen", NULL, ticket_reopen, CMD_WRITE | CMD_FIELDS, "<ticket> [<comment>...]",
	  "take the transition named reopen", { move_opts, cmd_set_opts }, NULL, NULL },
	{ "watch", NULL, ticket_watch, CMD_WRITE, "<ticket>", "be notified of everything done to a ticket (or stop)",
	  { watch_opts }, NULL, NULL },
	{ "attach", NULL, ticket_attach, CMD_WRITE, "<ticket> <file>...", "attach files to a ticket", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
