/* What `crm __complete` offers once the noun and the verb are known (issue 16): record
 * references with their labels as descriptions ("12<TAB>Acme GmbH DE"), transition names,
 * field names for --fields, --sort and filters, pick-list values for --<field> and filter terms,
 * and ":files" where a file name is wanted (the shell's own completion does those). A line is a
 * candidate, then optionally a tab and its description: zsh and fish show it; bash drops it. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/workflow.h"

#define MAX_RECORDS 200

static int prefixed(const char *s, const char *cur)
{
	return strncmp(s, cur, strlen(cur)) == 0;
}

/* An option's value completed in the word "--fields=na": what comes before the value
 * ("--fields="), written before every candidate, as zsh and fish replace the whole word
 * (bash replaces only the part after "=", and its completion takes the prefix off). */
static char value_prefix[80];

/* Print a candidate line (printf's format), with value_prefix before it. */
static void candidate(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(value_prefix, stdout);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The option of verb v (or a --<field> of kind k) word names, and whether it takes a value. */
static const struct crm_field *field_option(const struct crm_kind *k, const char *word)
{
	char name[64];
	if (!k || strncmp(word, "--", 2) != 0 || strlen(word + 2) >= sizeof name)
		return NULL;
	snprintf(name, sizeof name, "%s", word + 2);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return crm_kind_field(k, name, NULL);
}

/* The verb's or the global option word names ("--attach", "-o"), or NULL. */
static const struct cmd_opt *option_of(const struct cmd_verb *v, const char *word)
{
	if (word[0] != '-')
		return NULL;
	for (int s = 0; s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name; o++)
			if ((word[1] == '-' && strcmp(word + 2, o->name) == 0) || (o->alias && word[1] == o->alias && !word[2]))
				return o;
	for (const struct cmd_opt *o = cmd_global_opts; o->name; o++)
		if ((word[1] == '-' && strcmp(word + 2, o->name) == 0) || (o->alias && word[1] == o->alias && !word[2]))
			return o;
	return NULL;
}

static int takes_value(const struct cmd_verb *v, const struct crm_kind *k, const char *word)
{
	if (word[0] != '-')
		return 0;
	const struct cmd_opt *o = option_of(v, word);
	if (o)
		return (o->flags & OPT_VALUE) != 0;
	return (v->flags & CMD_FIELDS) && field_option(k, word) != NULL;
}

/* The values of a field's pick-list (config picklists.<name>, or a path such as
 * workflow.contract.statuses), with prefix before each. */
static void picklist_values(const struct cli *cli, const struct crm_field *f, const char *prefix, const char *cur)
{
	const struct crm_conf_node *n = crm_field_picklist(cli->cfg, f);
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		const struct crm_conf_node *c = crm_conf_child(n, i);
		const char *v = crm_conf_scalar(c);
		if (!v && crm_conf_type(n) == CRM_CONF_MAP)
			v = crm_conf_key(n, i);
		if (!v)
			v = crm_conf_scalar(crm_conf_get(c, "name"));
		char cand[512];
		snprintf(cand, sizeof cand, "%s%s", prefix, v ? v : "");
		if (v && prefixed(cand, cur))
			candidate("%s\n", cand);
	}
}

/* Print the records a query gives as candidates: the key's values, or numbers each described
 * by the record's first listed values. At most `room` of those that start with word. */
static int print_records(struct cli *cli, const struct crm_query *q, const char *prefix, const char *word,
			 int numeric, int room)
{
	struct crm_err err = { 0 };
	struct crm_cursor *c;
	if (room <= 0 || crm_query_open(cli->crm, q, &c, &err))
		return 0;
	const struct crm_value *cells;
	int ncols = crm_cursor_ncols(c), shown = 0;
	while (shown < room && crm_cursor_next(c, &cells, &err) == 1) {
		if (!cells[0].text || !prefixed(cells[0].text, word))
			continue;
		if (!numeric) {
			/* a key with control characters is no candidate: the shell would show them raw */
			char *clean = crm_printer_clean(cells[0].text);
			int plain = strcmp(clean, cells[0].text) == 0;
			free(clean);
			if (plain && ++shown)
				candidate("%s%s\n", prefix, cells[0].text);
			continue;
		}
		shown++;
		candidate("%s%s\t", prefix, cells[0].text);
		int said = 0;
		for (int i = 1; i < ncols && said < 3; i++)
			if (cells[i].type != CRM_V_NULL && cells[i].text && *cells[i].text) {
				if (said++)
					putchar(' ');
				/* the description, cleaned as every text view (tabs and newlines too) */
				char *clean = crm_printer_clean(cells[i].text);
				fputs(clean, stdout);
				free(clean);
			}
		putchar('\n');
	}
	crm_cursor_close(c);
	return shown;
}

/* Records of kind k: their numbers, described by their first listed values; with a word that
 * is not a number, the values of their key field that start with it. At most MAX_RECORDS,
 * however many records there are, each found through an index: a key's values by key:word*
 * (its index's range), numbers starting with the word as ranges of numbers (12, 120-129,
 * 1200-1299, ...), smallest first. */
static void records(struct cli *cli, const struct crm_kind *k, const char *prefix, const char *cur)
{
	struct crm_err err = { 0 };
	if (!k || (!cli->crm && crm_open(&cli->crm, cli->cfg, &cli->env, CRM_OPEN_READONLY, &err)))
		return;
	const char *word = cur + strlen(prefix);
	int numeric = strspn(word, "0123456789") == strlen(word);
	const struct crm_field *key = NULL;
	for (int i = 0; i < k->nfields && !key; i++)
		if (k->fields[i].flags & CRM_FF_KEY)
			key = &k->fields[i];
	struct crm_query q = { .kind = k };
	const char *fields[1], *terms[2];
	char t0[512], t1[64];
	if (!numeric && key) {
		fields[0] = key->name;
		q.fields = fields;
		q.nfields = 1;
		q.unordered = 1; /* the shell sorts them: the first the key's index gives will do */
		q.limit = MAX_RECORDS;
		if (*word && snprintf(t0, sizeof t0, "%s:%s*", key->name, word) < (int)sizeof t0) {
			terms[0] = t0;
			q.terms = terms;
			q.nterms = 1;
		}
		print_records(cli, &q, prefix, word, 0, MAX_RECORDS);
		return;
	}
	q.sort = "id";
	if (!numeric || !*word || *word == '0') { /* every record, the first numbers first */
		q.limit = MAX_RECORDS;
		print_records(cli, &q, prefix, word, numeric, MAX_RECORDS);
		return;
	}
	terms[0] = t0;
	terms[1] = t1;
	q.terms = terms;
	q.nterms = 2;
	int shown = 0;
	unsigned long long lo = strtoull(word, NULL, 10), width = 1;
	for (int digits = (int)strlen(word); digits <= 18 && shown < MAX_RECORDS; digits++, lo *= 10, width *= 10) {
		snprintf(t0, sizeof t0, "id.over:%llu", lo - 1);
		snprintf(t1, sizeof t1, "id.under:%llu", lo + width);
		q.limit = MAX_RECORDS - shown;
		shown += print_records(cli, &q, prefix, word, 1, MAX_RECORDS - shown);
	}
}

/* Field names of k: "name", or "prefix" + name + suffix. */
static void field_names(const struct crm_kind *k, const char *prefix, const char *suffix, const char *cur)
{
	const char *names[256];
	int n = k ? crm_query_field_names(k, names, 256) : 0;
	for (int i = 0; i < n; i++) {
		char cand[256];
		snprintf(cand, sizeof cand, "%s%s%s", prefix, names[i], suffix);
		if (prefixed(cand, cur))
			candidate("%s\n", cand);
	}
}

/* The transitions the user may take now on the record ref names, as `crm <noun> transitions`
 * lists them (the engine decides: the record's status, roles, users); 0 when ref names none. */
static int record_transitions(struct cli *cli, const struct crm_kind *k, const char *ref, const char *cur)
{
	struct crm_err err = { 0 };
	long long id;
	if (!k || !ref || (!cli->crm && crm_open(&cli->crm, cli->cfg, &cli->env, CRM_OPEN_READONLY, &err)) ||
	    crm_record_resolve(cli->crm, k, ref, &id, &err))
		return 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return 0;
	struct crm_printer_opts o = { .format = CRM_FMT_TSV, .out = mem };
	struct crm_printer *p = crm_printer_new(&o, &err);
	int rc = p ? crm_workflow_transitions_print(cli->crm, k, id, p, &err) : CRM_EFAIL;
	if (p)
		crm_printer_finish(p, rc ? NULL : &err);
	fclose(mem);
	for (char *line = buf, *next; !rc && line && *line; line = next) { /* name, from, to, ... */
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *from = strchr(line, '\t'), *to = from ? strchr(from + 1, '\t') : NULL, *end;
		if (!to)
			continue;
		*from = '\0';
		if ((end = strchr(++to, '\t')))
			*end = '\0';
		if (prefixed(line, cur))
			printf("%s\tto %s\n", line, to);
	}
	free(buf);
	return !rc;
}

static void transitions(struct cli *cli, const char *kind, const char *ref, const char *cur)
{
	if (record_transitions(cli, crm_kind_find(kind), ref, cur))
		return;
	char path[96];
	snprintf(path, sizeof path, "workflow.%s.transitions", kind);
	const struct crm_conf_node *n = crm_config_node(cli->cfg, path);
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		const struct crm_conf_node *t = crm_conf_child(n, i);
		const char *name = crm_conf_scalar(crm_conf_get(t, "name"));
		const char *to = crm_conf_scalar(crm_conf_get(t, "to"));
		if (name && prefixed(name, cur))
			printf("%s\tto %s\n", name, to ? to : "?");
	}
}

static void print_key(const char *key, void *cur)
{
	if (prefixed(key, cur))
		printf("%s\n", key);
}

/* Does the verb's usage name a record of its kind first ("<account>", "%r")? */
static int takes_ref(const struct cmd_verb *v, const struct crm_kind *k)
{
	if (!v->usage || !k)
		return 0;
	if (strncmp(v->usage, "%r", 2) == 0)
		return 1;
	char want[64];
	snprintf(want, sizeof want, "<%s>", k->name);
	return strncmp(v->usage, want, strlen(want)) == 0;
}

/* The values of the global options that have a fixed set: after "--format" or "-F", and in
 * "--format=…" and "--color=…" words, before the noun or after the verb. */
int cmd_complete_global(const char *prev, const char *cur)
{
	const char *eq = strchr(cur, '=');
	char prefix[16] = "";
	if (cur[0] == '-' && cur[1] == '-' && eq && eq - cur < (long)sizeof prefix)
		snprintf(prefix, sizeof prefix, "%.*s", (int)(eq - cur + 1), cur);
	if (!strcmp(prefix, "--color=") || !strcmp(prefix, "--colour=")) {
		static const char *const when[] = { "always", "never", "auto" };
		for (int i = 0; i < 3; i++)
			if (prefixed(when[i], eq + 1))
				printf("%s%s\n", prefix, when[i]);
		return 1;
	}
	if (strcmp(prefix, "--format=") != 0) {
		if (strcmp(prev, "--format") != 0 && strcmp(prev, "-F") != 0)
			return 0;
		prefix[0] = '\0';
	}
	for (int f = CRM_FMT_TABLE; f <= CRM_FMT_XLSX; f++)
		if (prefixed(crm_format_name((enum crm_format)f), cur + strlen(prefix)))
			printf("%s%s\n", prefix, crm_format_name((enum crm_format)f));
	return 1;
}

/* The names under a map of the configuration (processes, forms). */
static void config_names(const struct cli *cli, const char *path, const char *cur)
{
	const struct crm_conf_node *n = cli->cfg ? crm_config_node(cli->cfg, path) : NULL;
	for (size_t i = 0; n && crm_conf_type(n) == CRM_CONF_MAP && i < crm_conf_count(n); i++)
		if (prefixed(crm_conf_key(n, i), cur))
			candidate("%s\n", crm_conf_key(n, i));
}

/* The value of the option prev (which takes one) starting with cur. */
static void option_value(struct cli *cli, const struct cmd_verb *v, const struct crm_kind *k, const char *prev,
			 const char *cur)
{
	const struct cmd_opt *opt = option_of(v, prev);
	if (!strcmp(prev, "--fields") || !strcmp(prev, "--sort")) {
		const char *comma = !strcmp(prev, "--fields") ? strrchr(cur, ',') : NULL;
		char prefix[256] = "";
		if (comma)
			snprintf(prefix, sizeof prefix, "%.*s", (int)(comma - cur + 1), cur);
		else if (!strcmp(prev, "--sort") && cur[0] == '-')
			strcpy(prefix, "-");
		field_names(k, prefix, "", cur);
		if (!comma && !strcmp(prev, "--fields") && prefixed("help", cur))
			candidate("help\n");
	} else if (opt && opt->meta && !strcmp(opt->meta, "field")) {
		field_names(k, "", "", cur); /* account tree --by */
	} else if (!strcmp(prev, "-o") || !strcmp(prev, "--output") ||
		   (opt && opt->meta && (!strcmp(opt->meta, "file") || !strcmp(opt->meta, "dir")))) {
		/* and every option whose value is a file: --reject, --attach; a file after
		 * "--attach=" is the shell's to complete, which it does not know to */
		if (!*value_prefix)
			puts(":files");
	} else if (!strcmp(prev, "--set")) {
		field_names(k, "", "=", cur);
	} else if (opt && opt->meta && !strcmp(opt->meta, "list") && crm_kind_find("list")) {
		records(cli, crm_kind_find("list"), "", cur); /* merge --list */
	} else if (opt && opt->meta && !strcmp(opt->meta, "kind")) {
		/* a kind of record, by its noun: search --kind (what crm keeps of its own work,
		 * alerts and notifications, is no kind of record) */
		for (int i = 0; cmd_nouns[i].name; i++) {
			const struct crm_kind *nk = cmd_nouns[i].kind ? crm_kind_find(cmd_nouns[i].kind) : NULL;
			int record = 0;
			for (int j = 0; nk && crm_kinds[j] && !record; j++)
				record = strcmp(crm_kinds[j]->name, nk->name) == 0;
			if (record && cmd_nouns[i].summary && prefixed(cmd_nouns[i].name, cur))
				candidate("%s\n", cmd_nouns[i].name);
		}
	} else if (opt && opt->meta && strchr(opt->meta, '|')) {
		/* a fixed set of values, as the placeholder lists them: --reachable email|mail;
		 * a placeholder naming what to give is no value (FILE|URL, text|-, login|@group) */
		for (const char *m = opt->meta; *m;) {
			size_t n = strcspn(m, "|");
			int word = n > 0 && !(n == 1 && *m == '-') && !(n == 4 && !strncmp(m, "text", 4)) &&
				   !(n == 5 && !strncmp(m, "login", 5));
			for (size_t i = 0; i < n && word; i++)
				word = !isupper((unsigned char)m[i]) && m[i] != '@';
			if (word && !strncmp(m, cur, strlen(cur)) && strlen(cur) <= n)
				candidate("%.*s\n", (int)n, m);
			m += n + (m[n] == '|');
		}
	} else if (opt && opt->meta && !strcmp(opt->meta, "result") && crm_kind_find("activity")) {
		/* campaign respond --result: the results of activities */
		picklist_values(cli, crm_kind_field(crm_kind_find("activity"), "result", NULL), "", cur);
	} else if (opt && !strcmp(opt->name, "form")) {
		config_names(cli, "forms", cur); /* activity log --form: the configured forms */
	} else if (opt && !strcmp(opt->name, "template") && k && !strcmp(k->name, "offer")) {
		config_names(cli, "offers.templates", cur); /* offer add --template: the configured ones */
	} else if (opt && !strcmp(opt->name, "template") && k && !strcmp(k->name, "project")) {
		config_names(cli, "project_templates", cur); /* project add --template */
	} else if (opt && opt->meta && !strcmp(opt->meta, "ref") && crm_kind_find(opt->name)) {
		records(cli, crm_kind_find(opt->name), "", cur); /* process start --account */
	} else {
		const struct crm_field *f = (v->flags & CMD_FIELDS) ? field_option(k, prev) : NULL;
		if (f && f->picklist)
			picklist_values(cli, f, "", cur);
		else if (f && (f->type == CRM_F_REF || f->type == CRM_F_LINKS))
			records(cli, crm_kind_find(f->ref), "", cur);
	}
}

int cmd_complete_args(struct cli *cli, const struct cmd_verb *v, const char *kind, char **after, int nafter,
		      const char *cur)
{
	const struct crm_kind *k = kind ? crm_kind_find(kind) : NULL;
	const char *prev = nafter ? after[nafter - 1] : "";
	/* an option of the verb's own under a global option's name (merge --format txt|md|eml)
	 * is completed as the verb's, below */
	const struct cmd_opt *own = NULL;
	for (int s = 0; s < CMD_OPTSETS && prev[0] == '-' && prev[1] == '-' && !own; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name && !own; o++)
			if (strcmp(prev + 2, o->name) == 0)
				own = o;
	if (!own && cmd_complete_global(prev, cur))
		return 1;
	/* the value of an option */
	if (prev[0] == '-' && takes_value(v, k, prev)) {
		option_value(cli, v, k, prev, cur);
		return 1;
	}
	/* the value of an option in the same word, "--fields=na": the candidates "--fields=name" */
	const char *eq = cur[0] == '-' && cur[1] == '-' ? strchr(cur, '=') : NULL;
	if (eq && (size_t)(eq - cur) < sizeof value_prefix - 1) {
		char name[sizeof value_prefix];
		snprintf(name, sizeof name, "%.*s", (int)(eq - cur), cur);
		if (takes_value(v, k, name)) {
			snprintf(value_prefix, sizeof value_prefix, "%.*s", (int)(eq - cur + 1), cur);
			option_value(cli, v, k, name, eq + 1);
			value_prefix[0] = '\0';
			return 1;
		}
	}
	/* an option: the caller lists them (a "-field:value" filter term is not one) */
	if (cur[0] == '-' && !strchr(cur, ':'))
		return 0;
	/* positional words so far */
	int npos = 0;
	for (int i = 0; i < nafter; i++) {
		if (after[i][0] == '-' && after[i][1]) {
			if (!strchr(after[i], '=') && takes_value(v, k, after[i]))
				i++;
			continue;
		}
		npos++;
	}
	if (v->usage && !strncmp(v->usage, "<template>", 10)) { /* merge <template> */
		if (npos == 0)
			puts(":files");
		return 1;
	}
	if (strstr(v->usage ? v->usage : "", "<file>")) {
		/* import <file>, attach <noun> <ref> <file>...: the record first where it is named */
		if (!strncmp(v->usage, "<file>", 6) || npos >= 2 || (takes_ref(v, k) && npos >= 1))
			puts(":files");
		else if (takes_ref(v, k))
			records(cli, k, "", cur);
		return 1;
	}
	if (!strcmp(v->name, "start") && kind && !strcmp(kind, "process")) {
		if (npos == 0)
			config_names(cli, "processes", cur);
		return 1;
	}
	if (!strncmp(v->usage ? v->usage : "", "<key>", 5) && npos == 0) { /* config get|set */
		crm_config_keys(cli->cfg, print_key, (void *)cur);
		return 1;
	}
	if (!strcmp(v->name, "transition") && npos == 1 && kind) {
		const char *ref = NULL; /* the first positional word */
		for (int i = 0; i < nafter && !ref; i++) {
			if (after[i][0] == '-' && after[i][1]) {
				if (!strchr(after[i], '=') && takes_value(v, k, after[i]))
					i++;
				continue;
			}
			ref = after[i];
		}
		transitions(cli, kind, ref, cur);
		return 1;
	}
	/* the members of a list or a campaign, and the contact of a campaign's response: contacts,
	 * or accounts after --account */
	if (kind && (!strcmp(kind, "list") || !strcmp(kind, "campaign")) && npos >= 1 &&
	    (!strcmp(v->name, "add-member") || !strcmp(v->name, "rm-member") || (!strcmp(v->name, "respond") && npos == 1))) {
		int accounts = 0;
		for (int i = 0; i < nafter; i++)
			accounts |= !strcmp(after[i], "--account");
		records(cli, crm_kind_find(accounts ? "account" : "contact"), "", cur);
		return 1;
	}
	if (takes_ref(v, k) && npos == 0 && !strchr(cur, ':')) {
		records(cli, k, "", cur);
		if (strstr(v->usage, "<filter>"))
			field_names(k, "", ":", cur);
		return 1;
	}
	if (k && strstr(v->usage ? v->usage : "", "<filter>")) {
		const char *colon = strchr(cur, ':');
		if (!colon) {
			field_names(k, "", ":", cur);
			return 1;
		}
		char fname[64], prefix[96];
		const char *name = cur[0] == '-' ? cur + 1 : cur; /* "-field:value" excludes */
		snprintf(fname, sizeof fname, "%.*s", (int)(colon - name), name);
		snprintf(prefix, sizeof prefix, "%.*s", (int)(colon - cur + 1), cur);
		char *dot = strchr(fname, '.');
		if (dot)
			*dot = '\0';
		const struct crm_field *f = crm_kind_field(k, fname, NULL);
		if (f && f->picklist)
			picklist_values(cli, f, prefix, cur);
		else if (f && (f->type == CRM_F_REF || f->type == CRM_F_LINKS))
			records(cli, crm_kind_find(f->ref), prefix, cur);
	}
	return 1;
}

/* crm history <noun> <ref>: the records of noun's kind. */
void cmd_complete_history(struct cli *cli, const char *kind, const char *cur)
{
	records(cli, kind ? crm_kind_find(kind) : NULL, "", cur);
}
