/* crm: global options, configuration, the command table and dispatch. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/auth.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0.1.0"
#endif

/* Every noun, in the order help lists them. */
const struct cmd_noun cmd_nouns[] = {
	{ "account", "account", cmd_account_verbs, "customer companies, their hierarchy and relationship view", NULL, 0, NULL },
	{ "location", "location", cmd_location_verbs, "sites and work-areas of an account", NULL, 0, NULL },
	{ "contact", "contact", cmd_contact_verbs, "people at accounts", NULL, 0, NULL },
	{ "user", "user", cmd_user_verbs, "people of our own organisation, their managers, groups and roles", NULL, 0, NULL },
	{ "activity", "activity", cmd_activity_verbs, "calls, meetings, e-mails, letters, notes: what happened, with whom", NULL, 0, NULL },
	{ "project", "project", cmd_project_verbs, "engagements with an account: milestones, costs, income, people", NULL, 0, NULL },
	{ "contract", "contract", cmd_contract_verbs, "agreements: value, dates, lines, resources, signing flow", NULL, 0, NULL },
	{ "doc", "document", cmd_doc_verbs, "documents attached to records, kept and checked in the database", NULL, 0, NULL },
	{ "ticket", "ticket", cmd_ticket_verbs, "support tickets: workflow, comments, assignment, service levels", NULL, 0, NULL },
	{ "workflow", NULL, cmd_workflow_verbs, "check the configured workflows, or draw one as a graph", NULL, 0, NULL },
	{ "alert", NULL, cmd_alert_verbs, "escalations of tickets past their service level", NULL, 0, NULL },
	{ "notify", NULL, cmd_notify_verbs, "the notification outbox and its delivery", NULL, 0, NULL },
	{ "report", NULL, cmd_report_verbs, "ticket reports on the terminal and in Excel", NULL, 0, NULL },
	{ "history", NULL, NULL, "who changed what and when, for one record", cmd_history, 0, "<noun> <ref>" },
	{ "import", NULL, cmd_import_verbs, "import batches: list, show and revert them", NULL, 0, NULL },
	{ "config", NULL, cmd_config_verbs, "the effective configuration", NULL, 0, NULL },
	{ "init", NULL, NULL, "create the database (done on first use anyway)", cmd_init, 0, "" },
	{ "help", NULL, NULL, "help on a noun or verb", cmd_help, CMD_NODB, "[<noun> [<verb>]]" },
	{ "__complete", NULL, NULL, NULL, cmd_complete, CMD_NODB, "<word>..." },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct cmd_noun *find_noun(const char *name)
{
	for (int i = 0; cmd_nouns[i].name; i++)
		if (strcmp(cmd_nouns[i].name, name) == 0)
			return &cmd_nouns[i];
	return NULL;
}

static const struct cmd_verb *find_verb(const struct cmd_noun *n, const char *name)
{
	for (int i = 0; n->verbs && n->verbs[i].name; i++)
		if (strcmp(n->verbs[i].name, name) == 0 ||
		    (n->verbs[i].alias && strcmp(n->verbs[i].alias, name) == 0))
			return &n->verbs[i];
	return NULL;
}

static void print_global_help(FILE *out)
{
	fputs("usage: crm [global options] <noun> <verb> [options] [arguments]\n\n"
	      "Nouns:\n", out);
	for (int i = 0; cmd_nouns[i].name; i++)
		if (cmd_nouns[i].summary)
			fprintf(out, "  %-10s %s\n", cmd_nouns[i].name, cmd_nouns[i].summary);
	fputs("\nGlobal options:\n"
	      "  --db FILE            database file (also CRM_DB)\n"
	      "  --config FILE        configuration file, replacing the search (also CRM_CONFIG)\n"
	      "  -F, --format FMT     table, tsv, csv, json, ndjson, yaml or xlsx\n"
	      "  -o FILE              write data to FILE; the format follows its extension\n"
	      "  --as LOGIN           act as this user (also CRM_USER)\n"
	      "  --no-headers         leave out the header line of tables\n"
	      "  -q, --quiet          no informational messages\n"
	      "  -v, --verbose        more detail\n"
	      "  --color[=WHEN]       always, never or auto (default)\n"
	      "  --version            print the version\n"
	      "  -h, --help           this help; 'crm help <noun> [<verb>]' for more\n"
	      "\nExit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 conflict, 5 permission denied,\n"
	      "6 invalid data, 75 busy (retry), 78 configuration error. See crm(1).\n", out);
}

static void print_noun_help(const struct cmd_noun *n, FILE *out)
{
	if (!n->verbs) {
		fprintf(out, "usage: crm %s %s\n\n%s\n", n->name, n->usage ? n->usage : "", n->summary ? n->summary : "");
		return;
	}
	fprintf(out, "usage: crm %s <verb> [options] [arguments]\n\n%s\n\nVerbs:\n", n->name, n->summary);
	for (int i = 0; n->verbs[i].name; i++)
		fprintf(out, "  %-10s %s%s%s%s\n", n->verbs[i].name, n->verbs[i].summary,
			n->verbs[i].alias ? " (alias: " : "", n->verbs[i].alias ? n->verbs[i].alias : "",
			n->verbs[i].alias ? ")" : "");
	fprintf(out, "\nSee 'crm help %s <verb>' or crm-%s(1).\n", n->name, n->name);
}

/* The fields a generic verb takes, listed under its usage. */
static void print_verb_help(const struct cmd_noun *n, const struct cmd_verb *v, FILE *out)
{
	fprintf(out, "usage: crm %s %s %s\n\n%s\n", n->name, v->name, v->usage, v->summary);
	const struct crm_kind *k = n->kind ? crm_kind_find(n->kind) : NULL;
	if (k && (v->run == rec_add || v->run == rec_edit)) {
		fputs("\nFields (--<field> <value>, or --set <field>=<value>):\n", out);
		for (int i = 0; i < k->nfields; i++) {
			const struct crm_field *f = &k->fields[i];
			if (f->flags & CRM_FF_READONLY)
				continue;
			char opt[64];
			snprintf(opt, sizeof opt, "--%s", f->name);
			for (char *p = opt; *p; p++)
				if (*p == '_')
					*p = '-';
			fprintf(out, "  %-22s %s%s\n", opt, f->help, (f->flags & CRM_FF_REQUIRED) ? " (required)" : "");
		}
	}
	if (k && v->run == rec_list)
		fputs("\nFilters: field:value, field.not:value, field.has:text, field.before:date,\n"
		      "field.after:date, field.over:n, field.under:n, -field:value, or a bare word.\n"
		      "Options: --fields a,b,c (--fields help lists them), --sort [-]field, --limit N\n", out);
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2) {
		print_global_help(stdout);
		return 0;
	}
	const struct cmd_noun *n = find_noun(argv[1]);
	if (!n)
		return cli_error(CRM_EUSAGE, "no help for unknown command '%s'", argv[1]);
	if (argc < 3) {
		print_noun_help(n, stdout);
		return 0;
	}
	const struct cmd_verb *v = find_verb(n, argv[2]);
	if (!v)
		return cli_error(CRM_EUSAGE, "no help for unknown command '%s %s'", argv[1], argv[2]);
	print_verb_help(n, v, stdout);
	return 0;
}

/* Print the option opt[0..len) unless seen ("\n"-separated, starting with "\n") has it. */
static void put_option(char *seen, size_t size, const char *opt, size_t len)
{
	char key[80];
	if (len + 3 > sizeof key)
		return;
	snprintf(key, sizeof key, "\n%.*s\n", (int)len, opt);
	if (strstr(seen, key))
		return;
	size_t used = strlen(seen);
	if (used + len + 2 <= size)
		snprintf(seen + used, size - used, "%.*s\n", (int)len, opt);
	printf("%.*s\n", (int)len, opt);
}

/* Hidden helper for the shell completions: prints the candidates for the last word. */
int cmd_complete(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	/* argv[1..argc-1]: the words after "crm", the last being the one to complete. */
	int nwords = argc - 1;
	char **w = argv + 1;
	/* Skip global options (and their values) so they do not count as the noun. */
	static const char *const with_value[] = { "--db", "--config", "--format", "-F", "-o", "--output", "--as", NULL };
	int i = 0;
	const char *value_of = NULL; /* the global option whose value is being completed */
	for (; i < nwords - 1 && w[i][0] == '-'; i++)
		for (int j = 0; with_value[j]; j++)
			if (strcmp(w[i], with_value[j]) == 0) {
				if (++i == nwords - 1)
					value_of = w[i - 1];
				break;
			}
	const char *cur = nwords ? w[nwords - 1] : "";
	if (value_of) {
		/* Formats are known here; files (--db, --config, -o) and logins are left to the shell. */
		if (strcmp(value_of, "--format") == 0 || strcmp(value_of, "-F") == 0)
			for (int f = CRM_FMT_TABLE; f <= CRM_FMT_XLSX; f++)
				puts(crm_format_name((enum crm_format)f));
		return 0;
	}
	if (i >= nwords - 1) {
		if (strncmp(cur, "--format=", 9) == 0) {
			for (int f = CRM_FMT_TABLE; f <= CRM_FMT_XLSX; f++)
				printf("--format=%s\n", crm_format_name((enum crm_format)f));
			return 0;
		}
		if (strncmp(cur, "--color=", 8) == 0) {
			puts("--color=always\n--color=never\n--color=auto");
			return 0;
		}
		if (cur[0] == '-') {
			static const char *const globals[] = { "--db", "--config", "--format", "-F", "-o", "--as",
				"--no-headers", "--quiet", "--verbose", "--color", "--version", "--help", NULL };
			for (int j = 0; globals[j]; j++)
				puts(globals[j]);
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
				if (cmd_nouns[j].kind || (n->run == cmd_help && cmd_nouns[j].summary))
					puts(cmd_nouns[j].name);
		/* "crm help <noun> <verb>" */
		const struct cmd_noun *h = n->run == cmd_help && i + 2 == nwords - 1 ? find_noun(w[i + 1]) : NULL;
		for (int j = 0; h && h->verbs && h->verbs[j].name; j++)
			puts(h->verbs[j].name);
		return 0;
	}
	if (!n->verbs)
		return 0;
	if (i + 1 == nwords - 1) {
		for (int j = 0; n->verbs[j].name; j++)
			puts(n->verbs[j].name);
		return 0;
	}
	const struct cmd_verb *v = find_verb(n, w[i + 1]);
	const struct crm_kind *k = n->kind ? crm_kind_find(n->kind) : NULL;
	if (!v || cur[0] != '-')
		return 0;
	/* The generic options and those a verb's usage names overlap: each is printed once. */
	char seen[4096] = "\n";
	put_option(seen, sizeof seen, "--help", 6);
	if (k && (v->run == rec_add || v->run == rec_edit)) {
		for (int j = 0; j < k->nfields; j++) {
			if (k->fields[j].flags & CRM_FF_READONLY)
				continue;
			char opt[80];
			int len = snprintf(opt, sizeof opt, "--%s", k->fields[j].name);
			for (char *p = opt; *p; p++)
				if (*p == '_')
					*p = '-';
			if (len > 0 && (size_t)len < sizeof opt)
				put_option(seen, sizeof seen, opt, (size_t)len);
		}
		put_option(seen, sizeof seen, "--set", 5);
	}
	if (k && v->run == rec_list) {
		put_option(seen, sizeof seen, "--fields", 8);
		put_option(seen, sizeof seen, "--sort", 6);
		put_option(seen, sizeof seen, "--limit", 7);
	}
	if (v->run == rec_edit || v->run == rec_rm)
		put_option(seen, sizeof seen, "--yes", 5);
	/* Options a noun's own verbs take are listed in their usage: "[--by <field>]". */
	for (const char *p = v->usage; (p = strstr(p, "--")); ) {
		size_t len = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
		if (len > 2)
			put_option(seen, sizeof seen, p, len);
		p += len ? len : 2;
	}
	return 0;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	/* Only a new database makes the current login its admin; an existing one is just named. */
	if (crm_created(cli->crm))
		cli_info(cli, "created database '%s' (schema %d, admin '%s')", crm_db_path(cli->crm),
			 crm_schema_version(), crm_user(cli->crm));
	else
		cli_info(cli, "using database '%s' (schema %d)", crm_db_path(cli->crm), crm_schema_version());
	return 0;
}

/* Global options may stand anywhere before "--": they are taken out of argv. */
struct globals {
	const char *db, *config, *format, *as, *color, *output;
	int help, version, quiet, verbose, no_headers;
};

static int take_globals(int *argc, char **argv, struct globals *g)
{
	int out = 1, rc = 0;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (cli_opt(*argc, argv, &i, "--db", &v, &rc))
			g->db = v;
		else if (cli_opt(*argc, argv, &i, "--config", &v, &rc))
			g->config = v;
		else if (cli_opt(*argc, argv, &i, "--format", &v, &rc) || cli_opt(*argc, argv, &i, "-F", &v, &rc))
			g->format = v;
		else if (strncmp(a, "-F", 2) == 0 && a[2])
			g->format = a + 2;
		else if (cli_opt(*argc, argv, &i, "-o", &v, &rc) || cli_opt(*argc, argv, &i, "--output", &v, &rc))
			g->output = v;
		else if (cli_opt(*argc, argv, &i, "--as", &v, &rc))
			g->as = v;
		else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0)
			g->color = "always";
		else if (strncmp(a, "--color=", 8) == 0)
			g->color = a + 8;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			g->quiet = 1;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			g->verbose = 1;
		else if (strcmp(a, "--no-headers") == 0)
			g->no_headers = 1;
		else if (strcmp(a, "--version") == 0)
			g->version = 1;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			g->help = out; /* remember where, to tell "crm --help" from "crm account add --help" */
		else
			argv[out++] = argv[i];
		if (rc)
			return rc;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 3;
	char *s = calloc(1, len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		int quote = strpbrk(argv[i], " \t\"'") != NULL || !argv[i][0];
		if (quote)
			strcat(s, "'");
		strcat(s, argv[i]);
		if (quote)
			strcat(s, "'");
	}
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

static int dispatch(struct cli *cli, int argc, char **argv, int help_at)
{
	const char *names[64];
	int n = 0;
	if (argc < 2) {
		print_global_help(help_at ? stdout : stderr);
		return help_at ? 0 : CRM_EUSAGE;
	}
	/* Global options were taken out already: a dash here is an option nobody knows. */
	if (argv[1][0] == '-' && argv[1][1])
		return cli_error(CRM_EUSAGE, "unknown option '%s'; see 'crm --help'", argv[1]);
	for (int i = 0; cmd_nouns[i].name && n < 64; i++)
		if (cmd_nouns[i].summary)
			names[n++] = cmd_nouns[i].name;
	const struct cmd_noun *noun = find_noun(argv[1]);
	if (!noun)
		return unknown("command", argv[1], names, n);
	cli->noun = noun;
	int vargc = argc - 1;
	char **vargv = argv + 1;
	unsigned flags = noun->flags;
	int (*run)(struct cli *, int, char **) = noun->run;
	if (noun->verbs) {
		if (argc < 3) {
			print_noun_help(noun, help_at ? stdout : stderr);
			return help_at ? 0 : CRM_EUSAGE;
		}
		const struct cmd_verb *verb = find_verb(noun, argv[2]);
		if (!verb) {
			n = 0;
			for (int i = 0; noun->verbs[i].name && n < 64; i++)
				names[n++] = noun->verbs[i].name;
			char what[64];
			snprintf(what, sizeof what, "%s verb", noun->name);
			return unknown(what, argv[2], names, n);
		}
		cli->verb = verb;
		vargc = argc - 2;
		vargv = argv + 2;
		flags = verb->flags;
		run = verb->run;
		if (help_at) {
			print_verb_help(noun, verb, stdout);
			return 0;
		}
	} else if (help_at && run != cmd_help) {
		print_noun_help(noun, stdout);
		return 0;
	}
	if (!(flags & CMD_NODB)) {
		struct crm_err err = { 0 };
		if (crm_open(&cli->crm, cli->cfg, &err))
			return cli_fail(&err);
		if (flags & CMD_WRITE) {
			char perm[96];
			snprintf(perm, sizeof perm, "%s.%s", noun->name, cli->verb->name);
			if (crm_auth_check(cli->crm, perm, &err))
				return cli_fail(&err);
		}
	}
	return run(cli, vargc, vargv);
}

int main(int argc, char **argv)
{
	struct globals g = { 0 };
	struct cli cli = { .format = -1, .headers = 1 };
	char *cmdline = join_args(argc, argv);
	cli.cmdline = cmdline;
	/* The completion helper sees the words as typed: global options there are words to complete. */
	if (argc > 1 && strcmp(argv[1], "__complete") == 0) {
		int crc = cmd_complete(&cli, argc - 1, argv + 1);
		free(cmdline);
		return crc;
	}
	int rc = take_globals(&argc, argv, &g);
	if (rc)
		goto out;
	if (g.version) {
		printf("crm %s (schema %d, SQLite %s)\n", CRM_VERSION, crm_schema_version(), crm_storage_version());
		goto out;
	}
	cli.output = g.output && *g.output && strcmp(g.output, "-") != 0 ? g.output : NULL;
	cli.quiet = g.quiet;
	cli.verbose = g.verbose;
	cli.headers = !g.no_headers;
	cli.stdout_tty = isatty(STDOUT_FILENO);
	if (g.format) {
		cli.format = crm_format_parse(g.format);
		if (cli.format < 0) {
			rc = cli_error(CRM_EUSAGE, "unknown format '%s' (table, tsv, csv, json, ndjson, yaml, xlsx)", g.format);
			goto out;
		}
	}
	if (cli.output && cli.format < 0 && crm_format_from_path(cli.output) < 0 && cli.verbose)
		cli_info(&cli, "no format known for '%s'; writing tsv", cli.output);
	if (cli_format(&cli) == CRM_FMT_XLSX && !cli.output) {
		rc = cli_error(CRM_EUSAGE, "xlsx needs a file: give -o FILE.xlsx");
		goto out;
	}
	/* Colour: --color wins, then NO_COLOR and TERM=dumb, then whether stdout is a terminal. */
	const char *term = getenv("TERM");
	const char *nocolor = getenv("NO_COLOR");
	cli.color = cli.stdout_tty && !(nocolor && *nocolor) && !(term && strcmp(term, "dumb") == 0);
	if (g.color) {
		if (strcmp(g.color, "always") == 0)
			cli.color = 1;
		else if (strcmp(g.color, "never") == 0)
			cli.color = 0;
		else if (strcmp(g.color, "auto") != 0) {
			rc = cli_error(CRM_EUSAGE, "--color takes always, never or auto, not '%s'", g.color);
			goto out;
		}
	}
	struct crm_err err = { 0 };
	const char *config = g.config ? g.config : getenv("CRM_CONFIG");
	if (config && !*config)
		config = NULL;
	if (crm_config_load(&cli.cfg, config, &err) || crm_config_check(cli.cfg, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	/* Environment above files, flags above the environment. */
	const char *env;
	if ((env = getenv("CRM_DB")) && *env)
		crm_config_set(cli.cfg, "database", env, "environment CRM_DB");
	if ((env = getenv("CRM_USER")) && *env)
		crm_config_set(cli.cfg, "user", env, "environment CRM_USER");
	if (g.db)
		crm_config_set(cli.cfg, "database", g.db, "option --db");
	if (g.as)
		crm_config_set(cli.cfg, "user", g.as, "option --as");
	rc = dispatch(&cli, argc, argv, g.help);
out:
	if (cli.outfile)
		fclose(cli.outfile);
	crm_close(cli.crm);
	crm_config_free(cli.cfg);
	free(cmdline);
	return rc;
}
