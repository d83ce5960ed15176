/* crm: global options, configuration, the command table and dispatch. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/near.h"
#include "crm/auth.h"
#include "crm/custom.h"
#include "crm/finance.h"
#include "crm/search.h"

/* What the credit rules say without refusing (a deposit, a limit exceeded): on stderr, unless -q. */
static void finance_warn(void *ctx, const char *msg)
{
	const struct cli *cli = ctx;
	if (!cli->quiet)
		cli_warn("warning: %s", msg);
}

#ifndef CRM_VERSION
#define CRM_VERSION "0.1.0"
#endif

/* Every noun, in the order help lists them. */
const struct cmd_noun cmd_nouns[] = {
	{ "account", "account", cmd_account_verbs, "customer companies, their hierarchy and relationship view", NULL, 0, NULL },
	{ "location", "location", NULL, "sites and work-areas of an account", NULL, 0, NULL },
	{ "contact", "contact", cmd_contact_verbs, "people at accounts", NULL, 0, NULL },
	{ "user", "user", cmd_user_verbs, "people of our own organisation, their managers, groups and roles", NULL, 0, NULL },
	{ "activity", "activity", cmd_activity_verbs, "calls, meetings, e-mails, letters, notes: what happened, with whom", NULL, 0, NULL },
	{ "project", "project", cmd_project_verbs, "engagements with an account: milestones, costs, income, people", NULL, 0, NULL },
	{ "contract", "contract", cmd_contract_verbs, "agreements: value, dates, lines, resources, signing flow", NULL, 0, NULL },
	{ "doc", "document", cmd_doc_verbs, "documents attached to records, kept and checked in the database", NULL, 0, NULL },
	{ "ticket", "ticket", cmd_ticket_verbs, "support tickets: workflow, comments, assignment, service levels", NULL, 0, NULL },
	{ "task", "task", cmd_task_verbs, "tasks and events: due dates, assignees (users or @groups), workflow", NULL, 0, NULL },
	{ "event", "task", cmd_event_verbs, "events, meetings, calls and deadlines: tasks seen as calendar entries", NULL, 0, NULL },
	{ "deliverable", "deliverable", cmd_deliverable_verbs, "what a project delivers: due day, owner, planned, delivered, accepted", NULL, 0, NULL },
	{ "milestone", "milestone", cmd_milestone_verbs, "a project's milestones: due day, reached once their tasks and deliverables are finished", NULL, 0, NULL },
	{ "group", "group", cmd_group_verbs, "groups of users: who they are, what is given to them", NULL, 0, NULL },
	{ "product", "product", NULL, "products and services: code, unit, exact price, currency, tax rate", NULL, 0, NULL },
	{ "opportunity", "opportunity", cmd_opportunity_verbs, "possible sales: value, probability, stage, expected close", NULL, 0, NULL },
	{ "transaction", "transaction", NULL, "invoices, payments and credit notes: exact amounts, due dates, receivables", NULL, 0, NULL },
	{ "financial", "financial", NULL, "accounts' yearly figures: revenue, profit, employees, source", NULL, 0, NULL },
	{ "offer", "offer", cmd_offer_verbs, "quotes: numbered, lines with exact totals, sections, approval, versions", NULL, 0, NULL },
	{ "list", "list", cmd_list_verbs, "distribution lists: static members or a saved filter, for mailings and mail merge", NULL, 0, NULL },
	{ "campaign", "campaign", cmd_campaign_verbs, "marketing campaigns: members, responses, attributed opportunities, report", NULL, 0, NULL },
	{ "process", "process", cmd_process_verbs, "runs of the configured task processes: start one, list them, show their steps", NULL, CMD_RDONLY, NULL },
	{ "pipeline", NULL, NULL, "opportunities by currency and stage: counts, value, weighted value", cmd_pipeline,
	  0, "[<filter>...]", cmd_pipeline_opts },
	{ "merge", NULL, NULL, "mail merge: a template filled in for each contact, to files, a PDF of letters or e-mail",
	  cmd_merge, 0, "<template> | undo [<merge>]", cmd_merge_opts },
	{ "agenda", NULL, NULL, "open tasks and events: overdue, today, this week", cmd_agenda, 0, "", cmd_agenda_opts },
	{ "calendar", NULL, NULL, "a week or a month of tasks and events, as a grid", cmd_calendar, 0, "[<date>]",
	  cmd_calendar_opts },
	{ "attr", NULL, cmd_attr_verbs, "key=value attributes on any record: set, rm, list", NULL, 0, NULL },
	{ "search", NULL, NULL, "find records of every kind by their words: names, notes, bodies, comments, attributes",
	  cmd_search, 0, "<word>...", cmd_search_opts },
	{ "workflow", NULL, cmd_workflow_verbs, "check the configured workflows, or draw one as a graph", NULL, 0, NULL },
	{ "alert", "alert", cmd_alert_verbs, "escalations of tickets past their service level", NULL, CMD_RDONLY, NULL },
	{ "notify", "notification", cmd_notify_verbs, "the notification outbox and its delivery", NULL, CMD_RDONLY, NULL },
	{ "report", NULL, cmd_report_verbs, "reports on the terminal and in Excel: tickets, receivables, client value", NULL, 0, NULL },
	{ "history", NULL, NULL, "who changed what and when, for one record", cmd_history, 0, "<noun> <ref>" },
	{ "import", "import_batch", cmd_import_verbs, "import batches: list, show and revert them", NULL, CMD_RDONLY, NULL },
	{ "db", NULL, cmd_db_verbs, "the database as a whole: copy it to another, SQLite or PostgreSQL", NULL, 0, NULL },
	{ "config", NULL, cmd_config_verbs, "the effective configuration", NULL, 0, NULL },
	{ "init", NULL, NULL, "create or upgrade the database (a command that writes does it too)", cmd_init, CMD_READWRITE, "" },
	{ "help", NULL, NULL, "help on a noun or verb", cmd_help, CMD_NODB, "[<noun> [<verb>]]" },
	{ "__complete", NULL, NULL, NULL, cmd_complete, CMD_NODB, "<word>..." },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

const struct cmd_opt cmd_global_opts[] = {
	{ "db", 0, OPT_VALUE, "FILE|URL", "database file, or postgresql:// URL (also CRM_DB)" },
	{ "config", 0, OPT_VALUE, "FILE", "configuration file, replacing the search (also CRM_CONFIG)" },
	{ "format", 'F', OPT_VALUE, "FMT", "table, tsv, csv, json, ndjson, yaml or xlsx" },
	{ "output", 'o', OPT_VALUE, "FILE", "write data to FILE; the format follows its extension" },
	{ "as", 0, OPT_VALUE, "LOGIN", "act as this user (also CRM_USER)" },
	{ "no-headers", 0, 0, NULL, "leave out the header line of tables" },
	{ "raw", 0, 0, NULL, "no ' before text starting with = + - @ in csv/tsv files" },
	{ "quiet", 'q', 0, NULL, "no informational messages" },
	{ "verbose", 'v', 0, NULL, "more detail" },
	{ "no-pager", 0, 0, NULL, "print straight to the terminal, not through $CRM_PAGER, $PAGER or less" },
	{ "color", 0, OPT_OPTIONAL, "WHEN", "always, never or auto (default); also --colour" },
	{ "version", 'V', 0, NULL, "print the version" },
	{ "help", 'h', 0, NULL, "this help; 'crm help <noun> [<verb>]' for more" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt *global_opt(const char *name)
{
	for (const struct cmd_opt *o = cmd_global_opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

static const struct cmd_noun *find_noun(const char *name)
{
	for (int i = 0; cmd_nouns[i].name; i++)
		if (strcmp(cmd_nouns[i].name, name) == 0)
			return &cmd_nouns[i];
	return NULL;
}

static void print_global_help(FILE *out)
{
	fputs("usage: crm [global options] <noun> <verb> [options] [arguments]\n\n"
	      "Nouns:\n", out);
	int width = 10; /* the longest name sets the column, so that the summaries line up */
	for (int i = 0; cmd_nouns[i].name; i++)
		if (cmd_nouns[i].summary && (int)strlen(cmd_nouns[i].name) > width)
			width = (int)strlen(cmd_nouns[i].name);
	for (int i = 0; cmd_nouns[i].name; i++)
		if (cmd_nouns[i].summary)
			fprintf(out, "  %-*s %s\n", width, cmd_nouns[i].name, cmd_nouns[i].summary);
	fputs("\nGlobal options:\n", out);
	for (const struct cmd_opt *o = cmd_global_opts; o->name; o++) {
		char left[64], alias[8] = "";
		if (o->alias)
			snprintf(alias, sizeof alias, "-%c, ", o->alias);
		snprintf(left, sizeof left, "%s--%s%s%s%s", alias, o->name,
			 o->flags & OPT_OPTIONAL ? "[=" : o->meta ? " " : "", o->meta ? o->meta : "",
			 o->flags & OPT_OPTIONAL ? "]" : "");
		fprintf(out, "  %-20s %s\n", left, o->help);
	}
	fputs("\nExit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 conflict, 5 permission denied,\n"
	      "6 invalid data, 75 busy (retry), 78 configuration error. See crm(1).\n", out);
}

/* The verbs of a noun (parent NULL) or the sub-verbs of one of its verbs. */
static const struct cmd_verb *verb_at(const struct cmd_noun *n, const struct cmd_verb *parent, int i)
{
	return parent ? cmd_sub_at(parent, i) : cmd_verb_at(n, i);
}

static void print_noun_help(const struct cmd_noun *n, const struct cmd_verb *parent, FILE *out)
{
	if (!n->verbs && !n->kind && n->opts) {
		const struct cmd_verb v = { .name = "", .usage = n->usage, .summary = n->summary, .opts = { n->opts } };
		cmd_print_verb_help(n->name, &v, NULL, out);
		fprintf(out, "\nSee crm-%s(1).\n", n->name);
		return;
	}
	if (!n->verbs && !n->kind) {
		fprintf(out, "usage: crm %s %s\n\n%s\n", n->name, n->usage ? n->usage : "", n->summary ? n->summary : "");
		return;
	}
	const char *kind = parent ? parent->sub_kind : n->kind;
	const struct crm_kind *k = crm_kind_find(kind ? kind : "");
	char summary[512];
	cmd_expand(parent ? parent->summary : n->summary, k, summary, sizeof summary);
	fprintf(out, "usage: crm %s%s%s <verb> [options] [arguments]\n\n%s\n\nVerbs:\n", n->name,
		parent ? " " : "", parent ? parent->name : "", summary);
	const struct cmd_verb *v;
	int width = 10;
	for (int i = 0; (v = verb_at(n, parent, i)); i++)
		if ((int)strlen(v->name) > width)
			width = (int)strlen(v->name);
	for (int i = 0; (v = verb_at(n, parent, i)); i++) {
		cmd_expand(v->summary, k, summary, sizeof summary);
		fprintf(out, "  %-*s %s%s%s%s\n", width, v->name, summary, v->alias ? " (alias: " : "",
			v->alias ? v->alias : "", v->alias ? ")" : "");
	}
	fprintf(out, "\nSee 'crm help %s%s%s <verb>' or crm-%s(1).\n", n->name, parent ? " " : "",
		parent ? parent->name : "", n->name);
}

/* The verb (and sub-verb) words name, with the kind they serve and their path for messages;
 * on failure the error is printed and the exit code returned. */
struct target {
	const struct cmd_noun *noun;
	const struct cmd_verb *verb, *parent;
	const char *kind;
	char path[96];
};

static int unknown(const char *what, const char *word, const char *const *names, int n);

static int find_target(const struct cmd_noun *noun, int argc, char **argv, struct target *t, int help_at)
{
	const char *names[64];
	int n = 0;
	memset(t, 0, sizeof *t);
	t->noun = noun;
	t->kind = noun->kind;
	if (argc < 1) {
		print_noun_help(noun, NULL, help_at ? stdout : stderr);
		return help_at ? -1 : CRM_EUSAGE;
	}
	const struct cmd_verb *v = cmd_find_verb(noun, argv[0]), *x;
	if (!v) {
		for (int i = 0; (x = cmd_verb_at(noun, i)) && n < 64; i++)
			names[n++] = x->name;
		char what[64];
		snprintf(what, sizeof what, "%s verb", noun->name);
		return unknown(what, argv[0], names, n);
	}
	if (v->sub) {
		t->parent = v;
		t->kind = v->sub_kind;
		if (argc < 2) {
			print_noun_help(noun, v, help_at ? stdout : stderr);
			return help_at ? -1 : CRM_EUSAGE;
		}
		const struct cmd_verb *s = cmd_find_sub(v, argv[1]);
		if (!s) {
			for (int i = 0; (x = cmd_sub_at(v, i)) && n < 64; i++)
				names[n++] = x->name;
			char what[64];
			snprintf(what, sizeof what, "%s %s verb", noun->name, v->name);
			return unknown(what, argv[1], names, n);
		}
		snprintf(t->path, sizeof t->path, "%s %s %s", noun->name, v->name, s->name);
		t->verb = s;
		return 0;
	}
	snprintf(t->path, sizeof t->path, "%s %s", noun->name, v->name);
	t->verb = v;
	return 0;
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2) {
		print_global_help(stdout);
		return 0;
	}
	const struct cmd_noun *n = find_noun(argv[1]);
	if (!n) {
		const char *names[64];
		int nnames = 0;
		for (int i = 0; cmd_nouns[i].name && nnames < 64; i++)
			if (cmd_nouns[i].summary)
				names[nnames++] = cmd_nouns[i].name;
		return unknown("command", argv[1], names, nnames);
	}
	if (argc < 3) {
		print_noun_help(n, NULL, stdout);
		return 0;
	}
	struct target t;
	int rc = find_target(n, argc - 2, argv + 2, &t, 1);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (argc > (t.parent ? 4 : 3))
		return cli_error(CRM_EUSAGE, "help takes a noun and a verb: 'crm help %s'", t.path);
	crm_custom_configure(cli->cfg, &(struct crm_err){ 0 });
	cmd_print_verb_help(t.path, t.verb, t.kind ? crm_kind_find(t.kind) : NULL, stdout);
	return 0;
}

/* Hidden helper for the shell completions: prints the candidates for the last word. */
int cmd_complete(struct cli *cli, int argc, char **argv)
{
	/* argv[1..argc-1]: the words after "crm", the last being the one to complete. */
	int nwords = argc - 1;
	char **w = argv + 1;
	/* Skip global options (and their values) so they do not count as the noun. */
	int i = 0;
	const char *value_of = NULL; /* the global option whose value is being completed */
	for (; i < nwords - 1 && w[i][0] == '-'; i++)
		for (const struct cmd_opt *o = cmd_global_opts; o->name; o++)
			if ((o->flags & OPT_VALUE) && ((w[i][1] == '-' && strcmp(w[i] + 2, o->name) == 0) ||
						       (o->alias && w[i][1] == o->alias && !w[i][2]))) {
				if (++i == nwords - 1)
					value_of = o->name;
				break;
			}
	const char *cur = nwords ? w[nwords - 1] : "";
	if (value_of) {
		/* Formats are known here; files (--db, --config, -o) and logins are left to the shell. */
		cmd_complete_global(w[nwords - 2], cur);
		return 0;
	}
	if (i >= nwords - 1) {
		if (cmd_complete_global("", cur))
			return 0;
		if (cur[0] == '-') {
			for (const struct cmd_opt *o = cmd_global_opts; o->name; o++) {
				printf("--%s\n", o->name);
				if (o->alias && (o->flags & OPT_VALUE))
					printf("-%c\n", o->alias);
			}
			return 0;
		}
		for (int j = 0; cmd_nouns[j].name; j++)
			if (cmd_nouns[j].summary)
				puts(cmd_nouns[j].name);
		return 0;
	}
	const struct cmd_noun *n = find_noun(w[i]);
	if (!n)
		return 0;
	if (n->run == cmd_history || n->run == cmd_help) {
		if (i + 1 == nwords - 1)
			for (int j = 0; cmd_nouns[j].name; j++)
				if ((cmd_nouns[j].kind && cmd_find_verb(&cmd_nouns[j], "history")) ||
				    (n->run == cmd_help && cmd_nouns[j].summary))
					puts(cmd_nouns[j].name);
		/* "crm help <noun> <verb>" */
		const struct cmd_noun *h = n->run == cmd_help && i + 2 == nwords - 1 ? find_noun(w[i + 1]) : NULL;
		const struct cmd_verb *v;
		for (int j = 0; h && (v = cmd_verb_at(h, j)); j++)
			puts(v->name);
		/* "crm history <noun> <ref>" */
		const struct cmd_noun *hn = n->run == cmd_history && i + 2 == nwords - 1 ? find_noun(w[i + 1]) : NULL;
		if (hn && hn->kind)
			cmd_complete_history(cli, hn->kind, cur);
		return 0;
	}
	if (!n->verbs && !n->kind) {
		/* a noun without verbs (search, agenda): its options and their values, as a verb's */
		if (!n->opts)
			return 0;
		const struct cmd_verb as_verb = { n->name, NULL, n->run, n->flags, n->usage, n->summary, { n->opts }, NULL, NULL };
		if (cmd_complete_args(cli, &as_verb, NULL, w + i + 1, nwords - 2 - i, cur) || cur[0] != '-')
			return 0;
		static char names[256][64];
		int nn = cmd_option_names(&as_verb, NULL, names, 256);
		for (int j = 0; j < nn; j++)
			puts(names[j]);
		return 0;
	}
	const struct cmd_verb *v;
	if (i + 1 == nwords - 1) {
		for (int j = 0; (v = cmd_verb_at(n, j)); j++)
			puts(v->name);
		return 0;
	}
	v = cmd_find_verb(n, w[i + 1]);
	if (!v)
		return 0;
	const char *kind = n->kind;
	int first = i + 2; /* the first word after the verb */
	if (v->sub) {
		first++;
		kind = v->sub_kind;
		if (i + 2 == nwords - 1) {
			const struct cmd_verb *s;
			for (int j = 0; (s = cmd_sub_at(v, j)); j++)
				puts(s->name);
			return 0;
		}
		if (!(v = cmd_find_sub(v, w[i + 2])))
			return 0;
	}
	/* Arguments and option values: references, fields, pick-lists, transitions, files. */
	if (cmd_complete_args(cli, v, kind, w + first, nwords - 1 - first, cur) || cur[0] != '-')
		return 0;
	/* Every option the verb's tables declare, fields included. */
	static char names[256][64];
	int nn = cmd_option_names(v, kind ? crm_kind_find(kind) : NULL, names, 256);
	for (int j = 0; j < nn; j++)
		puts(names[j]);
	return 0;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	/* Only a new database makes the current login its admin; an existing one is just named. */
	if (crm_created(cli->crm) && strcmp(crm_user(cli->crm), crm_real_user(cli->crm)) != 0)
		cli_info(cli, "created database '%s' (schema %d, admins '%s' and '%s')", crm_db_path(cli->crm),
			 crm_schema_version(), crm_user(cli->crm), crm_real_user(cli->crm));
	else if (crm_created(cli->crm))
		cli_info(cli, "created database '%s' (schema %d, admin '%s')", crm_db_path(cli->crm),
			 crm_schema_version(), crm_user(cli->crm));
	else
		cli_info(cli, "using database '%s' (schema %d)", crm_db_path(cli->crm), crm_schema_version());
	return 0;
}

/* Global options may stand anywhere before "--": they are taken out of argv, by the table. */
#define NGLOBALS 16
struct globals {
	const char *val[NGLOBALS]; /* by index in cmd_global_opts; "" for a flag given */
	int help;                  /* where --help stood, to tell "crm --help" from "crm account add --help" */
};

static const char *gval(const struct globals *g, const char *name)
{
	return g->val[global_opt(name) - cmd_global_opts];
}

/* The global option argv[*i] is, or NULL; its value in *value (advancing *i over it). */
static const struct cmd_opt *match_global(int argc, char **argv, int *i, const char **value, int *rc)
{
	const char *a = argv[*i];
	*value = "";
	if (a[0] != '-' || !a[1])
		return NULL;
	for (const struct cmd_opt *o = cmd_global_opts; o->name; o++) {
		const char *rest = NULL;
		if (a[1] == '-') {
			size_t n = strlen(o->name);
			if (strncmp(a + 2, o->name, n) == 0)
				rest = a + 2 + n;
			else if (strcmp(o->name, "color") == 0 && strncmp(a + 2, "colour", 6) == 0)
				rest = a + 8;
			if (!rest || (*rest && *rest != '='))
				continue;
		} else if (o->alias && a[1] == o->alias) {
			rest = a + 2;
			/* -Fjson: only the format takes its value glued to the letter */
			if (*rest && o->alias != 'F')
				continue;
			if (*rest) {
				*value = rest;
				return o;
			}
		} else
			continue;
		if (*rest == '=') {
			if (!(o->flags & (OPT_VALUE | OPT_OPTIONAL))) {
				*rc = cli_error(CRM_EUSAGE, "option '--%s' takes no value", o->name);
				return o;
			}
			*value = rest + 1;
		} else if (o->flags & OPT_VALUE) {
			if (*i + 1 >= argc) {
				*rc = cli_error(CRM_EUSAGE, "option '%s' needs a value", a);
				return o;
			}
			*value = argv[++*i];
		} else if (o->flags & OPT_OPTIONAL)
			*value = "always";
		return o;
	}
	return NULL;
}

static int take_globals(int *argc, char **argv, struct globals *g)
{
	int out = 1, rc = 0;
	for (int i = 1; i < *argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		const struct cmd_opt *o = match_global(*argc, argv, &i, &v, &rc);
		if (rc)
			return rc;
		if (!o)
			argv[out++] = argv[i];
		else if (strcmp(o->name, "help") == 0)
			g->help = out;
		else
			g->val[o - cmd_global_opts] = v;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static char *join_args(int argc, char **argv)
{
	/* A database URL among the words (--db URL, --db=URL, db copy --to URL) is kept without
	 * its password: the line goes into files (an xlsx's About sheet). */
	char **shown = calloc((size_t)argc + 1, sizeof *shown);
	size_t len = 1;
	for (int i = 0; i < argc; i++) {
		const char *eq = strncmp(argv[i], "--", 2) == 0 ? strchr(argv[i], '=') : NULL;
		if (eq) {
			char *url = crm_db_location_display(eq + 1);
			size_t n = (size_t)(eq + 1 - argv[i]);
			shown[i] = calloc(1, n + strlen(url) + 1);
			memcpy(shown[i], argv[i], n);
			strcat(shown[i], url);
			free(url);
		} else {
			shown[i] = crm_db_location_display(argv[i]);
		}
		len += strlen(shown[i]) + 3;
	}
	char *s = calloc(1, len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		int quote = strpbrk(shown[i], " \t\"'") != NULL || !shown[i][0];
		if (quote)
			strcat(s, "'");
		strcat(s, shown[i]);
		if (quote)
			strcat(s, "'");
		free(shown[i]);
	}
	free(shown);
	return s;
}

static int unknown(const char *what, const char *word, const char *const *names, int n)
{
	char hint[256];
	cli_suggest(word, names, n, hint, sizeof hint);
	if (*hint)
		return cli_error(CRM_EUSAGE, "unknown %s '%s'; did you mean %s?", what, word, hint);
	return cli_error(CRM_EUSAGE, "unknown %s '%s'; see 'crm help'", what, word);
}

/* A write that lost to another writer's concurrent transaction (a PostgreSQL serialization
 * failure: everything it did was undone) is run again, a few times; the error of an attempt that
 * is retried is not shown (cli_fail). Five: with the search rows written after the commit
 * (core/search.c), eight writers editing one record on a loaded machine needed at most that
 * (docs/PERFORMANCE.md); ten were needed while the index was in the write's transaction. */
#define COMMAND_TRIES 5

static int run_retrying(struct cli *cli, int (*run)(struct cli *, int, char **), int argc, char **argv)
{
	int rc = 0;
	for (int attempt = 0; attempt < COMMAND_TRIES; attempt++) {
		if (attempt)
			crm_retry_wait(attempt);
		cli_retrying = attempt < COMMAND_TRIES - 1 ? cli->crm : NULL;
		crm_take_retry(cli->crm);
		cli_stdin_rewind();
		rc = run(cli, argc, argv);
		if (!rc || !crm_take_retry(cli->crm))
			break;
	}
	cli_retrying = NULL;
	/* The write stands; only its search rows, written after it (PostgreSQL), are missing. */
	if (crm_search_lag(cli->crm))
		fprintf(stderr, "crm: warning: the search index was not updated (%s); 'crm search --rebuild' "
			"repairs it\n", crm_search_lag(cli->crm));
	return rc;
}

static int dispatch(struct cli *cli, int argc, char **argv, int help_at)
{
	const char *names[64];
	int n = 0;
	if (argc < 2) {
		if (help_at)
			cli_pager_start(cli, 0);
		print_global_help(help_at ? stdout : stderr);
		return help_at ? 0 : CRM_EUSAGE;
	}
	/* "crm -- account list": the options end before the noun */
	if (strcmp(argv[1], "--") == 0) {
		argv[1] = argv[0];
		return dispatch(cli, argc - 1, argv + 1, help_at);
	}
	/* Global options were taken out already: a dash here is an option nobody knows. */
	if (argv[1][0] == '-' && argv[1][1]) {
		char w[128], buf[NGLOBALS][64];
		snprintf(w, sizeof w, "%.*s", (int)strcspn(argv[1], "="), argv[1]);
		for (const struct cmd_opt *o = cmd_global_opts; o->name && n < NGLOBALS; o++, n++) {
			snprintf(buf[n], sizeof buf[n], "--%s", o->name);
			names[n] = buf[n];
		}
		char hint[256] = "";
		if (w[1] == '-')
			cli_suggest(w, names, n, hint, sizeof hint);
		if (*hint)
			return cli_error(CRM_EUSAGE, "unknown option '%s'; did you mean %s?", w, hint);
		return cli_error(CRM_EUSAGE, "unknown option '%s'; see 'crm --help'", w);
	}
	for (int i = 0; cmd_nouns[i].name && n < 64; i++)
		if (cmd_nouns[i].summary)
			names[n++] = cmd_nouns[i].name;
	const struct cmd_noun *noun = find_noun(argv[1]);
	if (!noun)
		return unknown("command", argv[1], names, n);
	/* "-" as a word or an option's value reads standard input: seen before the parser takes
	 * options out of argv. */
	int reads_stdin = 0;
	for (int i = 2; i < argc && !reads_stdin; i++) {
		size_t len = strlen(argv[i]);
		reads_stdin = strcmp(argv[i], "-") == 0 || (len > 1 && strcmp(argv[i] + len - 2, "=-") == 0);
	}
	cli->noun = noun;
	/* "crm account help [<verb>]" is "crm help account [<verb>]", as git and gh have it
	 * (a noun's own verb called help would win); "crm agenda help" is "crm help agenda". */
	if (argc >= 3 && strcmp(argv[2], "help") == 0 &&
	    ((noun->verbs || noun->kind) ? !cmd_find_verb(noun, "help") :
	     argc == 3 && !(noun->usage && noun->usage[0] == '<'))) { /* crm search help: a word to find */
		char *hargv[8] = { "help", argv[1] };
		int hargc = 2;
		for (int i = 3; i < argc && hargc < 7; i++)
			hargv[hargc++] = argv[i];
		cli_pager_start(cli, 0);
		return cmd_help(cli, hargc, hargv);
	}
	int vargc = argc - 1;
	char **vargv = argv + 1;
	unsigned flags = noun->flags;
	int (*run)(struct cli *, int, char **) = noun->run;
	char perm[128];
	snprintf(perm, sizeof perm, "%s", noun->name);
	if (noun->verbs || noun->kind) {
		struct target t;
		int rc = find_target(noun, argc - 2, argv + 2, &t, help_at);
		if (rc)
			return rc < 0 ? 0 : rc;
		cli->verb = t.verb;
		cli->parent = t.parent;
		cli->kind = t.kind;
		snprintf(cli->path, sizeof cli->path, "%s", t.path);
		snprintf(perm, sizeof perm, "%s.%s", noun->name, t.parent ? t.parent->name : t.verb->name);
		vargc = argc - (t.parent ? 3 : 2);
		vargv = argv + (t.parent ? 3 : 2);
		flags = t.verb->flags;
		run = t.verb->run;
		/* Custom fields are options of add and edit: the descriptors need them first. */
		if (cli->kind) {
			struct crm_err err = { 0 };
			if (crm_custom_configure(cli->cfg, &err) && !help_at)
				return cli_fail(&err);
		}
		if (help_at) {
			cli_pager_start(cli, 0);
			cmd_print_record_help(cli, cli->path, t.verb, cli_kind(cli), vargc > 1 ? vargv[1] : NULL, stdout);
			return 0;
		}
		rc = cmd_parse(cli, cli->path, t.verb, cli_kind(cli), &vargc, vargv);
		if (rc)
			return rc < 0 ? 0 : rc;
	} else if (help_at && run != cmd_help) {
		cli_pager_start(cli, 0);
		print_noun_help(noun, NULL, stdout);
		return 0;
	} else if (run != cmd_help) {
		/* history, init: no options, but "--" and a misspelt option are handled alike. */
		/* agenda, calendar: options of the noun's own (cmd_noun.opts). */
		const struct cmd_verb bare = { .name = "", .usage = noun->opts ? noun->usage : "",
					       .summary = noun->summary, .opts = { noun->opts } };
		snprintf(cli->path, sizeof cli->path, "%s", noun->name);
		int rc = cmd_parse(cli, cli->path, &bare, NULL, &vargc, vargv);
		if (rc == -1)
			print_noun_help(noun, NULL, stdout);
		if (rc)
			return rc < 0 ? 0 : rc;
		/* An option that writes (search --rebuild) makes the command a write; so does
		 * `merge undo N` (a merge of records undone; mail merge takes one template). */
		if (run == cmd_merge && vargc == 3 && strcmp(vargv[1], "undo") == 0) {
			flags |= CMD_WRITE;
			snprintf(perm, sizeof perm, "merge.undo");
		}
		for (int i = 0; i < cli->args.nseen; i++)
			if (cli->args.seen[i].opt->flags & OPT_WRITES) {
				flags |= CMD_WRITE;
				snprintf(perm, sizeof perm, "%s.%s", noun->name, cli->args.seen[i].opt->name);
			}
	}
	if (!(flags & CMD_NODB)) {
		struct crm_err err = { 0 };
		crm_finance_set_warn(finance_warn, cli);
		unsigned open = flags & (CMD_WRITE | CMD_READWRITE) ? 0 : CRM_OPEN_READONLY;
		if (crm_open(&cli->crm, cli->cfg, &cli->env, open, &err) || crm_auth_identity(cli->crm, &err))
			return cli_fail(&err);
		cli_out_protect(crm_db_path(cli->crm));
		if (flags & CMD_WRITE) {
			if (crm_auth_check(cli->crm, perm, &err) || crm_auth_clock(cli->crm, &err))
				return cli_fail(&err);
		}
	}
	cli_pager_start(cli, flags);
	if (!(flags & CMD_WRITE) || !cli->crm)
		return run(cli, vargc, vargv);
	/* A write that reads standard input ("-" as a word or an option's value, or a verb that
	 * always does) keeps it for every attempt. */
	reads_stdin |= (flags & CMD_STDIN) != 0;
	if (reads_stdin) {
		int src = cli_stdin_spool(cli);
		if (src)
			return src;
	}
	return run_retrying(cli, run, vargc, vargv);
}

int main(int argc, char **argv)
{
	struct globals g = { 0 };
	struct cli cli = { .format = -1, .headers = 1 };
	char *cmdline = join_args(argc, argv);
	cli.cmdline = cmdline;
	crm_env_read(&cli.env);
	/* The completion helper sees the words as typed: global options there are words to complete. */
	if (argc > 1 && strcmp(argv[1], "__complete") == 0) {
		/* The database and configuration the typed line names (--db, --config before the
		 * word completed) win over the environment, as they will when the line runs. */
		const char *typed_db = NULL, *typed_config = NULL;
		for (int i = 2; i < argc - 1; i++) {
			const char **to = !strncmp(argv[i], "--db", 4) ? &typed_db
					: !strncmp(argv[i], "--config", 8) ? &typed_config : NULL;
			size_t n = to == &typed_db ? 4 : 8;
			if (to && argv[i][n] == '=')
				*to = argv[i] + n + 1;
			else if (to && !argv[i][n] && i + 1 < argc - 1)
				*to = argv[++i];
		}
		/* Custom fields are options too: they come from the configuration, if it loads. */
		struct crm_err cerr = { 0 };
		if (crm_config_load(&cli.cfg, typed_config ? (*typed_config ? typed_config : NULL) : cli.env.config,
				    &cli.env, &cerr) == CRM_OK) {
			crm_custom_configure(cli.cfg, &cerr);
			/* references are read from the database in force */
			if (typed_db || cli.env.db)
				crm_config_set(cli.cfg, "database", typed_db ? typed_db : cli.env.db,
					       typed_db ? "option --db" : "environment CRM_DB");
		}
		int crc = cmd_complete(&cli, argc - 1, argv + 1);
		crm_close(cli.crm);
		cli.crm = NULL;
		crm_custom_reset();
		crm_config_free(cli.cfg);
		free(cmdline);
		return crc;
	}
	int rc = take_globals(&argc, argv, &g);
	if (rc)
		goto out;
	if (gval(&g, "version")) {
		printf("crm %s (schema %d, %s)\n", CRM_VERSION, crm_schema_version(), crm_storage_version());
		goto out;
	}
	const char *output = gval(&g, "output"), *format = gval(&g, "format"), *color = gval(&g, "color");
	cli.output = output && *output && strcmp(output, "-") != 0 ? output : NULL;
	cli.quiet = gval(&g, "quiet") != NULL;
	cli.verbose = gval(&g, "verbose") != NULL;
	cli.headers = !gval(&g, "no-headers");
	cli.raw = gval(&g, "raw") != NULL;
	cli.no_pager = gval(&g, "no-pager") != NULL;
	cli.stdout_tty = isatty(STDOUT_FILENO);
	if (format) {
		/* merge --format txt|md|eml: the files' format, which merge checks */
		if (argc > 1 && strcmp(argv[1], "merge") == 0) {
			cli.format_text = format;
		} else if ((cli.format = crm_format_parse(format)) < 0) {
			const char *names[] = { "table", "tsv", "csv", "json", "ndjson", "yaml", "xlsx" };
			const char *near = crm_near(format, names, 7);
			if (near)
				rc = cli_error(CRM_EUSAGE, "unknown format '%s'; did you mean '%s'?", format, near);
			else
				rc = cli_error(CRM_EUSAGE, "unknown format '%s' (table, tsv, csv, json, ndjson, yaml, xlsx)", format);
			goto out;
		}
	}
	if (cli_format(&cli) == CRM_FMT_XLSX && !cli.output) {
		rc = cli_error(CRM_EUSAGE, "xlsx needs a file: give -o FILE.xlsx");
		goto out;
	}
	/* Colour: --color wins, then NO_COLOR and TERM=dumb, then whether stdout is a terminal. */
	const char *term = cli.env.term;
	cli.color = cli.stdout_tty && !cli.env.no_color && !(term && strcmp(term, "dumb") == 0);
	if (color) {
		if (strcmp(color, "always") == 0)
			cli.color = 1;
		else if (strcmp(color, "never") == 0)
			cli.color = 0;
		else if (strcmp(color, "auto") != 0) {
			rc = cli_error(CRM_EUSAGE, "--color takes always, never or auto, not '%s'", color);
			goto out;
		}
	}
	struct crm_err err = { 0 };
	const char *gconfig = gval(&g, "config"), *db = gval(&g, "db"), *as = gval(&g, "as");
	const char *config = gconfig ? (*gconfig ? gconfig : NULL) : cli.env.config;
	cli.config_path = config;
	if (crm_config_load(&cli.cfg, config, &cli.env, &err) || crm_config_check(cli.cfg, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	/* Environment above files, flags above the environment. */
	if (cli.env.db)
		crm_config_set(cli.cfg, "database", cli.env.db, "environment CRM_DB");
	if (cli.env.user)
		crm_config_set(cli.cfg, "user", cli.env.user, "environment CRM_USER");
	if (db && !*db) { /* an unset variable in a script must not mean the user's own database */
		rc = cli_error(CRM_EUSAGE, "--db needs a file or a postgresql:// URL, not an empty word");
		goto out;
	}
	if (db)
		crm_config_set(cli.cfg, "database", db, "option --db");
	if (as)
		crm_config_set(cli.cfg, "user", as, "option --as");
	rc = dispatch(&cli, argc, argv, g.help);
	if (cli.out.path) { /* a command that stopped before finishing its output: discard the file */
		if (cli.outfile)
			fclose(cli.outfile);
		cli_out_close(&cli.out, 0, &err);
	}
out:
	cmd_args_free(&cli.args);
	if (cli.outfile)
		fclose(cli.outfile);
	crm_close(cli.crm);
	crm_custom_reset(); /* configured by dispatch even when no database was opened */
	crm_config_free(cli.cfg);
	free(cmdline);
	return rc;
}
