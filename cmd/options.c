/* The verb tables and the one option parser: every verb declares its options (struct cmd_opt),
 * and the parser, the help, the completions and the man page test read the same tables. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/custom.h"
#include "crm/record.h"
#include "crm/workflow.h"

#define MAX_ASSIGN 256

/* A verb of table t by name or alias; NULL-named rows end it. */
static const struct cmd_verb *in_table(const struct cmd_verb *t, const char *name)
{
	for (int i = 0; t && t[i].name; i++)
		if (strcmp(t[i].name, name) == 0 || (t[i].alias && strcmp(t[i].alias, name) == 0))
			return &t[i];
	return NULL;
}

/* How a table takes the generic verbs: none (no kind), all, or only those that neither write
 * nor show changes (a CMD_RDONLY noun). */
enum { GEN_NONE, GEN_ALL, GEN_READ };

static int generic_of(const struct cmd_noun *n)
{
	return !n->kind ? GEN_NONE : (n->flags & CMD_RDONLY) ? GEN_READ : GEN_ALL;
}

/* Does the kind named kind take generic verb g? The workflow verbs only with a workflow field. */
static int serves(const char *kind, const struct cmd_verb *g)
{
	if (!(g->flags & CMD_WORKFLOW))
		return 1;
	const struct crm_kind *k = kind ? crm_kind_find(kind) : NULL;
	return k && crm_workflow_field(k) != NULL;
}

static int refused(const struct cmd_verb *g, int generic, const char *kind)
{
	return (generic == GEN_READ && (g->flags & (CMD_WRITE | CMD_CHANGES))) || !serves(kind, g);
}

/* A table's own rows first (overrides, refusals), then the generic verbs when it serves a kind. */
static const struct cmd_verb *find_in(const struct cmd_verb *own, int generic, const char *kind, const char *name)
{
	const struct cmd_verb *v = in_table(own, name);
	if (v)
		return v->run || v->sub ? v : NULL;
	if (generic == GEN_NONE)
		return NULL;
	v = in_table(cmd_generic_verbs, name);
	/* A generic verb the noun overrides under its own name is found above; by alias here. */
	return v && !in_table(own, v->name) && !refused(v, generic, kind) ? v : NULL;
}

const struct cmd_verb *cmd_find_verb(const struct cmd_noun *n, const char *name)
{
	return find_in(n->verbs, generic_of(n), n->kind, name);
}

const struct cmd_verb *cmd_find_sub(const struct cmd_verb *parent, const char *name)
{
	return find_in(parent->sub, parent->sub_kind ? GEN_ALL : GEN_NONE, parent->sub_kind, name);
}

static const struct cmd_verb *at_in(const struct cmd_verb *own, int generic, const char *kind, int i)
{
	if (generic != GEN_NONE)
		for (int g = 0; cmd_generic_verbs[g].name; g++) {
			const struct cmd_verb *o = in_table(own, cmd_generic_verbs[g].name);
			if ((o && !o->run) || (!o && refused(&cmd_generic_verbs[g], generic, kind)))
				continue; /* refused */
			if (i-- == 0)
				return o ? o : &cmd_generic_verbs[g];
		}
	for (int j = 0; own && own[j].name; j++) {
		if (generic != GEN_NONE && in_table(cmd_generic_verbs, own[j].name))
			continue; /* listed in the generic verb's place */
		if (!own[j].run && !own[j].sub)
			continue;
		if (i-- == 0)
			return &own[j];
	}
	return NULL;
}

const struct cmd_verb *cmd_verb_at(const struct cmd_noun *n, int i)
{
	return at_in(n->verbs, generic_of(n), n->kind, i);
}

const struct cmd_verb *cmd_sub_at(const struct cmd_verb *parent, int i)
{
	return at_in(parent->sub, parent->sub_kind ? GEN_ALL : GEN_NONE, parent->sub_kind, i);
}

/* "--line-of-business" for line_of_business. */
static void opt_name(const char *field, char *out, size_t size)
{
	size_t n = strlen(field);
	if (size < 3)
		return;
	if (n > size - 3)
		n = size - 3;
	out[0] = out[1] = '-';
	memcpy(out + 2, field, n);
	out[n + 2] = '\0';
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = '-';
}

void cmd_expand(const char *tmpl, const struct crm_kind *k, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (const char *p = tmpl ? tmpl : ""; *p && len + 1 < size; p++) {
		char word[256] = "";
		if (p[0] != '%' || !p[1] || !k) {
			out[len++] = *p;
			out[len] = '\0';
			continue;
		}
		switch (*++p) {
		case 'k': /* the kind: "contract line" */
		case 'a': { /* with its article: "an account" */
			char name[64];
			snprintf(name, sizeof name, "%s", k->name);
			for (char *c = name; *c; c++)
				if (*c == '_')
					*c = ' ';
			if (*p == 'a')
				snprintf(word, sizeof word, "%s %s", strchr("aeio", name[0]) ? "an" : "a", name);
			else
				snprintf(word, sizeof word, "%s", name);
			break;
		}
		case 'r': /* a reference to one: "<account>"; a part of a record by the word its
			   * verbs come under: "<line>" in crm contract line show <line> */
			snprintf(word, sizeof word, "<%s>", strrchr(k->name, '_') ? strrchr(k->name, '_') + 1 : k->name);
			break;
		case 'p': /* the plural: "contract lines" */
			snprintf(word, sizeof word, "%s", k->plural);
			for (char *c = word; *c; c++)
				if (*c == '_')
					*c = ' ';
			break;
		case 'P': { /* the positional fields of add: "<first_name> <last_name>" */
			const char *s = k->positional ? k->positional : "";
			size_t w = 0;
			while (*s && w + 4 < sizeof word) {
				size_t n = strcspn(s, ",");
				w += (size_t)snprintf(word + w, sizeof word - w, "%s<%.*s>", w ? " " : "", (int)n, s);
				s += n + (s[n] == ',');
			}
			if (strchr(k->positional ? k->positional : "", ',') && w + 4 < sizeof word)
				strcat(word, "..."); /* the last field takes the rest of the words */
			break;
		}
		default:
			snprintf(word, sizeof word, "%%%c", *p);
		}
		len += (size_t)snprintf(out + len, size - len, "%s", word);
		if (len >= size)
			len = size - 1;
	}
}

/* An option's value as shown: "<n>", or the placeholder as written when it has brackets. */
static const char *meta(const struct cmd_opt *o, char *buf, size_t size)
{
	const char *m = o->meta ? o->meta : "value";
	if (strchr(m, '<'))
		return m;
	snprintf(buf, size, "<%s>", m);
	return buf;
}

void cmd_usage_text(const struct cmd_verb *v, const struct crm_kind *k, char *out, size_t size)
{
	char m[128];
	cmd_expand(v->usage, k, out, size);
	size_t len = strlen(out);
#define ADD(...) do { if (len < size) len += (size_t)snprintf(out + len, size - len, __VA_ARGS__); } while (0)
	if (v->flags & CMD_FIELDS)
		ADD("%s[--<field> <value>]...", len ? " " : "");
	for (int s = 0; s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name; o++) {
			if (o->flags & OPT_VALUE)
				ADD("%s[--%s %s]%s", len ? " " : "", o->name, meta(o, m, sizeof m),
				    (o->flags & OPT_MULTI) ? "..." : "");
			else
				ADD("%s[--%s]", len ? " " : "", o->name);
		}
#undef ADD
	if (len >= size)
		out[size - 1] = '\0';
}

/* The help of a verb; skip (by field index, or NULL) leaves out the custom fields whose scope
 * does not take the record the help is for, named by label. */
static void verb_help(const char *path, const struct cmd_verb *v, const struct crm_kind *k, const unsigned char *skip,
		      const char *label, FILE *out)
{
	char usage[2048], summary[512];
	cmd_usage_text(v, k, usage, sizeof usage);
	cmd_expand(v->summary, k, summary, sizeof summary);
	fprintf(out, "usage: crm %s%s%s\n\n%s\n", path, *usage ? " " : "", usage, summary);
	fputs("\nOptions:\n", out);
	for (int s = 0; s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name; o++) {
			char left[256];
			char shrt[8] = "";
			if (o->alias)
				snprintf(shrt, sizeof shrt, "-%c, ", o->alias);
			char m[128];
			if (o->flags & OPT_VALUE)
				snprintf(left, sizeof left, "%s--%s %s", shrt, o->name, meta(o, m, sizeof m));
			else
				snprintf(left, sizeof left, "%s--%s", shrt, o->name);
			char help[512];
			cmd_expand(o->help, k, help, sizeof help);
			fprintf(out, "  %-24s %s%s\n", left, help, (o->flags & OPT_MULTI) ? " (repeatable)" : "");
		}
	fprintf(out, "  %-24s %s\n", "-h, --help", "this help");
	for (int s = 0; s < CMD_OPTSETS; s++)
		if (v->opts[s] == cmd_list_opts)
			fputs("\nFilters: field:value, field.not:value, field.has:text, field.before:date,\n"
			      "field.after:date, field.over:n, field.under:n, -field:value, or a bare word.\n", out);
	if (k && (v->flags & CMD_FIELDS)) {
		if (skip)
			fprintf(out, "\nFields of %s '%s' (--<field> <value>, or --set <field>=<value>):\n", k->name,
				label);
		else
			fputs("\nFields (--<field> <value>, or --set <field>=<value>):\n", out);
		for (int i = 0; i < k->nfields; i++) {
			const struct crm_field *f = &k->fields[i];
			if ((f->flags & (CRM_FF_READONLY | CRM_FF_FIXED)) || (skip && skip[i]))
				continue;
			char opt[64];
			opt_name(f->name, opt, sizeof opt);
			/* A required field that has a default (the workflow's initial status, a help
			 * naming its default) may be left out: not marked required. */
			int dflt = (f->flags & CRM_FF_WORKFLOW) || f->def || (f->help && strstr(f->help, "default"));
			fprintf(out, "  %-24s %s%s%s\n", opt, f->help ? f->help : "",
				(f->flags & CRM_FF_WORKFLOW) ? " (default: the workflow's initial status)" : "",
				(f->flags & CRM_FF_REQUIRED) && !dflt ? " (required)" : "");
		}
	}
}

void cmd_print_verb_help(const char *path, const struct cmd_verb *v, const struct crm_kind *k, FILE *out)
{
	verb_help(path, v, k, NULL, NULL, out);
}

void cmd_print_record_help(struct cli *cli, const char *path, const struct cmd_verb *v, const struct crm_kind *k,
			   const char *ref, FILE *out)
{
	/* Only a verb that names one record first (edit, show, a transition), and a kind with
	 * custom fields of a narrower scope: the others apply to every record. */
	int scoped = 0;
	for (int i = 0; k && i < k->nfields && !scoped; i++)
		scoped = crm_custom_scope(&k->fields[i]) != NULL;
	if (!scoped || !ref || ref[0] == '-' || !v->usage || strncmp(v->usage, "%r", 2) != 0 ||
	    !(v->flags & CMD_FIELDS)) {
		verb_help(path, v, k, NULL, NULL, out);
		return;
	}
	/* Read only, and only for the help: a database that cannot be opened, or a record that
	 * is not there (or a filter, for a bulk edit), gives the help of every record. */
	struct crm_err err = { 0 };
	struct crm *crm = cli->crm, *opened = NULL;
	if (!crm && crm_open(&opened, cli->cfg, &cli->env, CRM_OPEN_READONLY, &err) == CRM_OK)
		crm = opened;
	/* Opening configures the custom fields again: the kind is found anew. */
	if (opened && cli->kind)
		k = crm_kind_find(cli->kind);
	long long id = 0;
	unsigned char *skip = NULL;
	char *label = NULL;
	if (crm && crm_record_resolve(crm, k, ref, &id, &err) == CRM_OK) {
		skip = calloc((size_t)k->nfields, 1);
		for (int i = 0; skip && i < k->nfields; i++) {
			int in = 1;
			if (crm_custom_scope(&k->fields[i]) && crm_custom_in_scope(crm, k, &k->fields[i], id, &in, &err))
				in = 1; /* a scope the configuration gets wrong: said on write, listed here */
			skip[i] = !in;
		}
		label = crm_record_label(crm, k, id);
	}
	verb_help(path, v, k, label ? skip : NULL, label, out);
	free(skip);
	free(label);
	crm_close(opened);
}

/* Every option name a verb takes, "--name", for suggestions and completion; returns how many. */
int cmd_option_names(const struct cmd_verb *v, const struct crm_kind *k, char names[][64], int max)
{
	int n = 0;
	for (int s = 0; s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name && n < max; o++)
			snprintf(names[n++], 64, "--%s", o->name);
	if (k && (v->flags & CMD_FIELDS))
		for (int i = 0; i < k->nfields && n < max; i++) {
			const struct crm_field *f = &k->fields[i];
			if (f->flags & (CRM_FF_READONLY | CRM_FF_FIXED))
				continue;
			opt_name(f->name, names[n++], 64);
			/* A link field also by its singular: --contact Ann, as the parser takes it. */
			size_t len = strlen(f->name);
			char one[64];
			if (f->type == CRM_F_LINKS && len > 1 && len < sizeof one && f->name[len - 1] == 's' && n < max) {
				snprintf(one, sizeof one, "%.*s", (int)(len - 1), f->name);
				if (crm_kind_field(k, one, NULL) == f)
					opt_name(one, names[n++], 64);
			}
		}
	if (n < max)
		snprintf(names[n++], 64, "--help");
	return n;
}

static const struct cmd_opt *find_opt(const struct cmd_verb *v, const char *name, size_t len, char alias)
{
	for (int s = 0; s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = v->opts[s]; o && o->name; o++)
			if (alias ? o->alias == alias : (strlen(o->name) == len && strncmp(o->name, name, len) == 0))
				return o;
	return NULL;
}

void cmd_args_free(struct cmd_args *a)
{
	for (int i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->set);
	memset(a, 0, sizeof *a);
}

static int add_assign(struct cmd_args *a, char *field, const char *value)
{
	if (!a->set) {
		a->set = calloc(MAX_ASSIGN + 8, sizeof *a->set);
		a->owned = calloc(MAX_ASSIGN + 8, sizeof *a->owned);
	}
	if (a->nset >= MAX_ASSIGN) {
		free(field);
		return cli_error(CRM_EUSAGE, "too many fields");
	}
	a->owned[a->nowned++] = field;
	a->set[a->nset].field = field;
	a->set[a->nset++].value = value;
	return 0;
}

static int unknown_option(const char *path, const struct cmd_verb *v, const struct crm_kind *k, const char *word)
{
	static char names[256][64];
	const char *ptrs[256];
	int n = cmd_option_names(v, k, names, 256);
	/* a misspelt global option standing after the verb */
	for (const struct cmd_opt *o = cmd_global_opts; o->name && n < 256; o++)
		snprintf(names[n++], sizeof names[0], "--%s", o->name);
	for (int i = 0; i < n; i++)
		ptrs[i] = names[i];
	char hint[256] = "";
	size_t len = strcspn(word, "=");
	char w[128];
	snprintf(w, sizeof w, "%.*s", (int)(len < 120 ? len : 120), word);
	if (w[1] == '-')
		cli_suggest(w, ptrs, n, hint, sizeof hint);
	return cli_error(CRM_EUSAGE, "unknown option '%s' for %s%s%s%s", w, path, *hint ? "; did you mean " : "", hint,
			 *hint ? "?" : "");
}

int cmd_parse(struct cli *cli, const char *path, const struct cmd_verb *v, const struct crm_kind *k, int *argc,
	      char **argv)
{
	struct cmd_args *a = &cli->args;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--") == 0) { /* the rest are arguments, even "-x" */
			while (++i < *argc)
				argv[out++] = argv[i];
			break;
		}
		if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
			cmd_print_record_help(cli, path, v, k, *argc > 1 ? argv[1] : NULL, stdout);
			return -1;
		}
		int is_long = w[0] == '-' && w[1] == '-' && w[2];
		int is_short = w[0] == '-' && isalpha((unsigned char)w[1]) && !w[2];
		if (!is_long && !is_short) { /* an argument: a word, "-", a number, "-field:value" */
			argv[out++] = argv[i];
			continue;
		}
		const char *name = w + 2, *eq = is_long ? strchr(name, '=') : NULL;
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cmd_opt *o = find_opt(v, name, len, is_short ? w[1] : 0);
		int as_id;
		const struct crm_field *f = NULL;
		char *fname = NULL;
		if (!o && is_long && k && (v->flags & CMD_FIELDS)) {
			fname = strndup(name, len);
			f = crm_kind_field(k, fname, &as_id);
			if (f && (f->flags & (CRM_FF_READONLY | CRM_FF_FIXED))) {
				int rc = cli_error(CRM_EUSAGE, "field '%s' of %s cannot be set", f->name, k->name);
				free(fname);
				return rc;
			}
			if (!f) {
				free(fname);
				fname = NULL;
			}
		}
		if (!o && !f)
			return unknown_option(path, v, k, w);
		const char *value = NULL;
		if (f || (o->flags & OPT_VALUE)) {
			if (eq) {
				value = eq + 1;
			} else if (i + 1 < *argc) {
				value = argv[++i];
			} else {
				free(fname);
				return cli_error(CRM_EUSAGE, "option '%.*s' needs a value", (int)(len + (is_long ? 2 : 2)), w);
			}
		} else if (eq) {
			return cli_error(CRM_EUSAGE, "option '--%s' takes no value", o->name);
		}
		if (f) {
			int rc = add_assign(a, fname, value);
			if (rc)
				return rc;
			continue;
		}
		if (strcmp(o->name, "set") == 0 && (v->flags & CMD_FIELDS)) {
			const char *e = strchr(value, '=');
			if (!e || e == value)
				return cli_error(CRM_EUSAGE, "--set takes field=value, not '%s'", value);
			int rc = add_assign(a, strndup(value, (size_t)(e - value)), e + 1);
			if (rc)
				return rc;
			continue;
		}
		if (strcmp(o->name, "yes") == 0)
			cli->yes = 1;
		if (a->nseen >= CMD_MAX_SEEN)
			return cli_error(CRM_EUSAGE, "too many options");
		a->seen[a->nseen].opt = o;
		a->seen[a->nseen++].value = value;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

const char *cli_get(const struct cli *cli, const char *name)
{
	const char *v = NULL;
	for (int i = 0; i < cli->args.nseen; i++)
		if (strcmp(cli->args.seen[i].opt->name, name) == 0)
			v = cli->args.seen[i].value ? cli->args.seen[i].value : "";
	return v;
}

int cli_has(const struct cli *cli, const char *name)
{
	int n = 0;
	for (int i = 0; i < cli->args.nseen; i++)
		n += strcmp(cli->args.seen[i].opt->name, name) == 0;
	return n;
}

int cli_getv(const struct cli *cli, const char *name, const char **out, int max)
{
	int n = 0;
	for (int i = 0; i < cli->args.nseen && n < max; i++)
		if (strcmp(cli->args.seen[i].opt->name, name) == 0)
			out[n++] = cli->args.seen[i].value;
	return n;
}
