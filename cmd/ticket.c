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

/* Field assignments taken from --set field=value and --<field> value. */
struct fields {
	struct crm_assign set[MAX_FIELDS];
	int n;
	char *owned[MAX_FIELDS];
	int nowned;
};

static void fields_free(struct fields *fs)
{
	for (int i = 0; i < fs->nowned; i++)
		free(fs->owned[i]);
	fs->nowned = 0;
}

/* Is argv[*i] a field option? 1 and the assignment taken (advancing *i), 0 if not, or an exit
 * code in *rc. */
static int take_field(struct cli *cli, int argc, char **argv, int *i, struct fields *fs, int *rc)
{
	const char *a = argv[*i], *v;
	if (a[0] != '-' || a[1] != '-' || !a[2])
		return 0;
	if (fs->n >= MAX_FIELDS) {
		*rc = cli_error(CRM_EUSAGE, "too many fields");
		return 1;
	}
	if (cli_opt(argc, argv, i, "--set", &v, rc)) {
		const char *eq = *rc ? NULL : strchr(v, '=');
		if (!*rc && (!eq || eq == v))
			*rc = cli_error(CRM_EUSAGE, "--set takes field=value, not '%s'", v);
		if (*rc)
			return 1;
		char *name = strndup(v, (size_t)(eq - v));
		fs->owned[fs->nowned++] = name;
		fs->set[fs->n++] = (struct crm_assign){ name, eq + 1 };
		return 1;
	}
	const char *eq = strchr(a + 2, '=');
	char *name = eq ? strndup(a + 2, (size_t)(eq - a - 2)) : strdup(a + 2);
	const struct crm_field *f = crm_kind_field(cli_kind(cli), name, NULL);
	if (!f || (f->flags & CRM_FF_READONLY)) {
		free(name);
		return 0;
	}
	fs->owned[fs->nowned++] = name;
	if (eq) {
		v = eq + 1;
	} else if (*i + 1 < argc) {
		v = argv[++*i];
	} else {
		*rc = cli_error(CRM_EUSAGE, "option '%s' needs a value", a);
		return 1;
	}
	fs->set[fs->n++] = (struct crm_assign){ name, v };
	return 1;
}

static int unknown_option(struct cli *cli, const char *opt)
{
	return cli_error(CRM_EUSAGE, "unknown option '%s' for ticket %s (see crm ticket %s --help)", opt,
			 cli->verb->name, cli->verb->name);
}

/* Ticket commands need a usable ticket configuration: a broken one is exit 78 up front. */
static int need_config(struct cli *cli)
{
	struct crm_err err = { 0 };
	return crm_ticket_config_check(cli->crm, &err) ? cli_fail(&err) : 0;
}

static int resolve_ticket(struct cli *cli, const char *ref, long long *id)
{
	struct crm_err err = { 0 };
	if (ref[0] == '-' && ref[1] == '-' && ref[2])
		return unknown_option(cli, ref);
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
		int fd = open(files[i], O_RDONLY);
		if (fd < 0)
			return crm_error(err, errno == ENOENT ? CRM_ENOTFOUND : CRM_EFAIL, "cannot read '%s': %s",
					 files[i], strerror(errno));
		const char *base = strrchr(files[i], '/');
		struct crm_doc_info info;
		int rc = crm_doc_attach(cli->crm, cli_kind(cli), id, base ? base + 1 : files[i], NULL, fd, &info, err);
		close(fd);
		if (!rc)
			rc = crm_ticket_action(cli->crm, id, "attach", NULL, NULL, NULL, base ? base + 1 : files[i], err);
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
	struct fields fs = { .n = 0 };
	const char *assign = NULL, *files[MAX_FILES];
	char *words[256];
	int nwords = 0, nfiles = 0, rc = need_config(cli);
	for (int i = 1; i < argc && !rc; i++) {
		const char *v;
		if (cli_opt(argc, argv, &i, "--assign", &v, &rc)) {
			assign = v;
		} else if (cli_opt(argc, argv, &i, "--attach", &v, &rc)) {
			if (!rc && nfiles == MAX_FILES)
				rc = cli_error(CRM_EUSAGE, "too many files");
			else if (!rc)
				files[nfiles++] = v;
		} else if (take_field(cli, argc, argv, &i, &fs, &rc)) {
			continue;
		} else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
			rc = unknown_option(cli, argv[i]);
		} else if (nwords < 256) {
			words[nwords++] = argv[i];
		}
	}
	char *title = !rc && nwords ? text_of(words, nwords) : NULL;
	if (!rc && !title)
		rc = cli_usage(cli);
	if (!rc) {
		struct crm_err err = { 0 };
		struct open_attach o = { cli, title, assign, fs.set, fs.n, files, nfiles, 0 };
		rc = crm_atomic(cli->crm, open_attach, &o, &err);
		if (rc)
			rc = cli_fail(&err);
		else
			printf("%lld\n", o.id);
	}
	free(title);
	fields_free(&fs);
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
	int scope = 0, rc = need_config(cli); /* 0 mine, 1 team, 2 all */
	if (rc)
		return rc;
	char **v = calloc((size_t)argc + 3, sizeof *v);
	int n = 0, about_status = 0;
	v[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--team") == 0) {
			scope = 1;
		} else if (strcmp(argv[i], "--all") == 0) {
			scope = 2;
		} else if (strcmp(argv[i], "--mine") == 0) {
			scope = 0;
		} else {
			if (argv[i][0] != '-' || argv[i][1] != '-')
				about_status |= term_names(argv[i], "status") || term_names(argv[i], "open") ||
						term_names(argv[i], "resolved");
			v[n++] = argv[i];
			/* An option's value is not a filter term. */
			if ((strcmp(argv[i], "--fields") == 0 || strcmp(argv[i], "--sort") == 0 ||
			     strcmp(argv[i], "--limit") == 0) && i + 1 < argc)
				v[n++] = argv[++i];
		}
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
	struct fields fs = { .n = 0 };
	const char *ref = NULL;
	int rc = need_config(cli);
	for (int i = 1; i < argc && !rc; i++) {
		if (take_field(cli, argc, argv, &i, &fs, &rc))
			continue;
		if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2])
			rc = unknown_option(cli, argv[i]);
		else if (!ref)
			ref = argv[i];
		else
			rc = cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[i]);
	}
	long long id;
	if (!rc && (!ref || !fs.n))
		rc = cli_usage(cli);
	if (!rc && !(rc = resolve_ticket(cli, ref, &id))) {
		struct crm_err err = { 0 };
		if (crm_ticket_edit(cli->crm, id, fs.set, fs.n, &err))
			rc = cli_fail(&err);
	}
	fields_free(&fs);
	return rc;
}

static int ticket_comment(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = ticket_arg(cli, argc, argv, 3, INT_MAX, &id);
	if (rc)
		return rc;
	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2])
			return unknown_option(cli, argv[i]);
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
	int rc = ticket_arg(cli, argc, argv, 3, 3, &id);
	if (rc)
		return rc;
	const char *to = argv[2];
	if (strcmp(to, "--none") == 0)
		to = NULL;
	else if (to[0] == '-' && to[1] == '-')
		return unknown_option(cli, to);
	struct crm_err err = { 0 };
	return crm_ticket_assign(cli->crm, id, to, &err) ? cli_fail(&err) : 0;
}

/* transition and its shortcuts: <ticket> [<to>] [--<field> <value>]... [-m <comment>]. A
 * shortcut's words after the ticket are its comment, or for resolve the resolution. */
static int move(struct cli *cli, int argc, char **argv, const char *shortcut)
{
	struct fields fs = { .n = 0 };
	const char *ref = NULL, *to = shortcut, *comment = NULL;
	char *words[256];
	int nwords = 0, rc = need_config(cli);
	for (int i = 1; i < argc && !rc; i++) {
		const char *v;
		if (cli_opt(argc, argv, &i, "--comment", &v, &rc) || cli_opt(argc, argv, &i, "-m", &v, &rc))
			comment = v;
		else if (take_field(cli, argc, argv, &i, &fs, &rc))
			continue;
		else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2])
			rc = unknown_option(cli, argv[i]);
		else if (!ref)
			ref = argv[i];
		else if (!to)
			to = argv[i];
		else if (nwords < 256)
			words[nwords++] = argv[i];
	}
	if (!rc && (!ref || !to))
		rc = cli_usage(cli);
	if (!rc && nwords && !shortcut)
		rc = cli_error(CRM_EUSAGE, "unexpected argument '%s' (a comment goes after -m)", words[0]);
	char *text = !rc && nwords ? text_of(words, nwords) : NULL;
	if (text && strcmp(shortcut, "resolve") == 0 && crm_kind_field(cli_kind(cli), "resolution", NULL) &&
	    fs.n < MAX_FIELDS)
		fs.set[fs.n++] = (struct crm_assign){ "resolution", text };
	else if (text && !comment)
		comment = text;
	long long id;
	if (!rc && !(rc = resolve_ticket(cli, ref, &id))) {
		struct crm_err err = { 0 };
		const char *taken;
		if (crm_ticket_transition(cli->crm, id, to, fs.set, fs.n, comment, &taken, &err))
			rc = cli_fail(&err);
		else if (cli->verbose)
			cli_info(cli, "ticket %lld: %s", id, taken);
	}
	free(text);
	fields_free(&fs);
	return rc;
}

static int ticket_transition(struct cli *cli, int argc, char **argv)
{
	return move(cli, argc, argv, NULL);
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

static int ticket_transitions(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = ticket_arg(cli, argc, argv, 2, 2, &id);
	if (rc)
		return rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_ticket_transitions_print(cli->crm, id, p, 0, NULL, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

static int ticket_watch(struct cli *cli, int argc, char **argv)
{
	const char *ref = NULL, *user = NULL, *contact = NULL;
	int stop = 0, rc = need_config(cli);
	for (int i = 1; i < argc && !rc; i++) {
		const char *v;
		if (cli_opt(argc, argv, &i, "--user", &v, &rc))
			user = v;
		else if (cli_opt(argc, argv, &i, "--contact", &v, &rc))
			contact = v;
		else if (strcmp(argv[i], "--stop") == 0)
			stop = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2])
			rc = unknown_option(cli, argv[i]);
		else if (!ref)
			ref = argv[i];
		else
			rc = cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[i]);
	}
	long long id;
	if (!rc && (!ref || (user && contact)))
		rc = cli_usage(cli);
	if (rc || (rc = resolve_ticket(cli, ref, &id)))
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

/* ---------------------------------------------------------------- show */

enum section { S_TRANSITIONS, S_COMMENTS, S_ACTIONS, S_WATCHERS, S_HISTORY };

static int section_rows(struct cli *cli, enum section s, long long id, struct crm_printer *p, int nested,
			long long *count, struct crm_err *err)
{
	switch (s) {
	case S_TRANSITIONS: return crm_ticket_transitions_print(cli->crm, id, p, nested, count, err);
	case S_COMMENTS: return crm_ticket_actions_print(cli->crm, id, 1, p, nested, count, err);
	case S_ACTIONS: return crm_ticket_actions_print(cli->crm, id, 0, p, nested, count, err);
	case S_WATCHERS: return crm_ticket_watchers_print(cli->crm, id, p, nested, count, err);
	case S_HISTORY: return crm_ticket_history_print(cli->crm, id, p, nested, count, err);
	}
	return CRM_OK;
}

static const struct {
	enum section s;
	const char *key, *title;
} sections[] = {
	{ S_TRANSITIONS, "transitions", "Transitions you may take" },
	{ S_COMMENTS, "comments", "Comments" },
	{ S_ACTIONS, "actions", "Actions" },
	{ S_WATCHERS, "watchers", "Watchers" },
	{ S_HISTORY, "history", "History" },
};

static int ticket_show(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = ticket_arg(cli, argc, argv, 2, 2, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	static const char *const doc_cols[] = { "id", "name", "size", "type", "created" };
	char noun[] = "noun:ticket", record[48];
	snprintf(record, sizeof record, "record:%lld", id);
	const char *doc_terms[] = { noun, record };
	if (cli_structured(cli)) {
		struct crm_printer *p = cli_printer(cli, NULL, &rc);
		if (!p)
			return rc;
		crm_printer_begin_map(p);
		rc = rec_print_fields(cli, p, cli_kind(cli), id, "");
		for (size_t i = 0; !rc && i < sizeof sections / sizeof *sections; i++) {
			crm_printer_key(p, sections[i].key);
			if (section_rows(cli, sections[i].s, id, p, 1, NULL, &err))
				rc = cli_fail(&err);
		}
		if (!rc)
			rc = rel_section(cli, p, "Attachments", "attachments", "document", doc_terms, 2, doc_cols, 5, 0);
		crm_printer_end(p);
		int frc = cli_printer_finish(cli, p);
		return rc ? rc : frc;
	}
	if ((rc = rec_print_fields(cli, NULL, cli_kind(cli), id, "")))
		return rc;
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		long long n = 0;
		if (section_rows(cli, sections[i].s, id, NULL, 0, &n, &err))
			return cli_fail(&err);
		if (!n)
			continue;
		printf("\n%s\n", sections[i].title);
		fflush(stdout);
		struct crm_printer_opts o = { .format = CRM_FMT_TABLE, .out = stdout, .headers = 1, .color = cli->color };
		struct crm_printer *p = crm_printer_new(&o, &err);
		if (!p)
			return cli_fail(&err);
		rc = section_rows(cli, sections[i].s, id, p, 0, NULL, &err);
		int frc = crm_printer_finish(p, &err);
		if (rc || frc)
			return cli_fail(&err);
	}
	return rel_section(cli, NULL, "Attachments", "attachments", "document", doc_terms, 2, doc_cols, 5, 0);
}

const struct cmd_verb cmd_ticket_verbs[] = {
	{ "open", NULL, ticket_open, CMD_WRITE,
	  "<title> --account <ref> [--contact <ref>] [--priority <p>] [--project <ref>] [--contract <ref>] "
	  "[--assign <login>|@<group>] [--description <text>] [--set <field>=<value>]... [--attach <file>]...",
	  "open a ticket; prints its number" },
	{ "list", "ls", ticket_list, CMD_READ,
	  "[<filter>...] [--mine|--team|--all] [--fields <f,...>] [--sort <field>] [--limit <n>]",
	  "list open tickets: yours, your team's or everyone's" },
	{ "show", NULL, ticket_show, CMD_READ, "<ticket>",
	  "show a ticket: fields, transitions, comments, actions, watchers, history, attachments" },
	{ "edit", NULL, ticket_edit, CMD_WRITE, "<ticket> --<field> <value>... [--set <field>=<value>]...",
	  "change a ticket's fields (its status moves by transitions)" },
	{ "comment", NULL, ticket_comment, CMD_WRITE, "<ticket> <text>...|-", "add a comment (- reads standard input)" },
	{ "assign", NULL, ticket_assign, CMD_WRITE, "<ticket> <login>|@<group>|--none", "give a ticket to a user or a group" },
	{ "transition", "move", ticket_transition, CMD_WRITE,
	  "<ticket> <transition>|<status> [--<field> <value>]... [-m <comment>]", "move a ticket along the workflow" },
	{ "transitions", NULL, ticket_transitions, CMD_READ, "<ticket>", "list the transitions you may take now" },
	{ "resolve", NULL, ticket_resolve, CMD_WRITE, "<ticket> [<resolution>...] [--<field> <value>]... [-m <comment>]",
	  "take the transition named resolve" },
	{ "close", NULL, ticket_close, CMD_WRITE, "<ticket> [<comment>...] [--<field> <value>]...",
	  "take the transition named close" },
	{ "reopen", NULL, ticket_reopen, CMD_WRITE, "<ticket> [<comment>...] [--<field> <value>]...",
	  "take the transition named reopen" },
	{ "watch", NULL, ticket_watch, CMD_WRITE, "<ticket> [--user <login>|--contact <ref>] [--stop]",
	  "be notified of everything done to a ticket (or stop)" },
	{ "attach", NULL, ticket_attach, CMD_WRITE, "<ticket> <file>...", "attach files to a ticket" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<ticket>...|<filter>... [--yes]", "remove tickets" },
	{ "history", NULL, rec_history, CMD_READ, "<ticket>", "show who changed a ticket, when and how" },
	{ "import", NULL, rec_import, CMD_WRITE, CMD_IMPORT_USAGE, "import tickets from a CSV file (no notifications)" },
	{ "export", NULL, rec_export, CMD_READ, CMD_EXPORT_USAGE, "export tickets, custom fields included" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
