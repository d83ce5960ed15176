/* Mail-merge templates (include/crm/template.h): parsed once into a tree of text, placeholders
 * and conditional blocks, rendered for each record without parsing again. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/template.h"
#include "util.h"

enum ntype { N_TEXT, N_VAR, N_IF };

struct node;
struct list {
	struct node **v;
	int n, cap;
};

struct node {
	enum ntype type;
	char *text;   /* N_TEXT: the text; N_VAR: the default, or NULL */
	int var;      /* N_VAR, N_IF: index into the template's names */
	int negate;   /* N_IF: #unless */
	int line;
	int in_else;  /* N_IF, while parsing: past {{else}} */
	struct list then, els;
};

struct crm_tpl {
	char *name;
	struct list body, subject;
	int has_subject;
	char **vars;
	int *lines;
	int nvars;
};

static void list_add(struct list *l, struct node *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = n;
}

static void list_free(struct list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i]->text);
		list_free(&l->v[i]->then);
		list_free(&l->v[i]->els);
		free(l->v[i]);
	}
	free(l->v);
}

void crm_tpl_free(struct crm_tpl *t)
{
	if (!t)
		return;
	list_free(&t->body);
	list_free(&t->subject);
	for (int i = 0; i < t->nvars; i++)
		free(t->vars[i]);
	free(t->vars);
	free(t->lines);
	free(t->name);
	free(t);
}

static int var_index(struct crm_tpl *t, const char *name, int line)
{
	for (int i = 0; i < t->nvars; i++)
		if (strcmp(t->vars[i], name) == 0)
			return i;
	t->vars = xrealloc(t->vars, (size_t)(t->nvars + 1) * sizeof *t->vars);
	t->lines = xrealloc(t->lines, (size_t)(t->nvars + 1) * sizeof *t->lines);
	t->vars[t->nvars] = xstrdup(name);
	t->lines[t->nvars] = line;
	return t->nvars++;
}

/* A name: parts of letters, digits and _ joined by dots. */
static int name_ok(const char *s)
{
	int part = 0;
	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || *s == '_')
			part++;
		else if (*s == '.' && part)
			part = 0;
		else
			return 0;
	}
	return part > 0;
}

/* Parsing state: where we are in the text, the open blocks, the text not yet a node. */
struct parser {
	struct crm_tpl *t;
	const char *name;
	int line;
	struct node *open[64];
	int nopen;
	struct list *root;
	struct strbuf text;
	struct crm_err *err;
};

static struct list *current(struct parser *p)
{
	if (!p->nopen)
		return p->root;
	struct node *b = p->open[p->nopen - 1];
	return b->in_else ? &b->els : &b->then;
}

static void flush(struct parser *p)
{
	if (!p->text.len)
		return;
	struct node *n = xcalloc(1, sizeof *n);
	n->type = N_TEXT;
	n->text = sb_take(&p->text);
	list_add(current(p), n);
}

static int fail(struct parser *p, int line, const char *fmt, const char *what)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, what);
	return crm_error(p->err, CRM_EINVALID, "template '%s' line %d: %s", p->name, line, msg);
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* One tag's content (between the braces, trimmed). *block: it was a block tag. */
static int tag(struct parser *p, const char *c, int line, int *block)
{
	*block = 1;
	if (*c == '!')
		return CRM_OK;
	if (strncmp(c, "#if", 3) == 0 || strncmp(c, "#unless", 7) == 0) {
		int negate = c[1] == 'u';
		const char *nm = c + (negate ? 7 : 3);
		if (*nm && !isspace((unsigned char)*nm))
			return fail(p, line, "unknown tag '{{%s}}' (#if, #unless, else, /if, /unless)", c);
		while (isspace((unsigned char)*nm))
			nm++;
		if (!*nm)
			return fail(p, line, "'{{%s}}' needs a name", c);
		if (!name_ok(nm))
			return fail(p, line, "bad placeholder name '%s' (letters, digits, _ and dots)", nm);
		if (p->nopen == (int)(sizeof p->open / sizeof *p->open))
			return fail(p, line, "blocks nested too deep at '{{%s}}'", c);
		struct node *n = xcalloc(1, sizeof *n);
		n->type = N_IF;
		n->negate = negate;
		n->line = line;
		n->var = var_index(p->t, nm, line);
		list_add(current(p), n);
		p->open[p->nopen++] = n;
		return CRM_OK;
	}
	if (strcmp(c, "else") == 0) {
		if (!p->nopen)
			return fail(p, line, "'{{%s}}' outside any {{#if}} or {{#unless}}", c);
		struct node *b = p->open[p->nopen - 1];
		if (b->in_else)
			return fail(p, line, "a second '{{%s}}' in one block", c);
		b->in_else = 1;
		return CRM_OK;
	}
	if (strcmp(c, "/if") == 0 || strcmp(c, "/unless") == 0) {
		int negate = c[1] == 'u';
		if (!p->nopen)
			return fail(p, line, "'{{%s}}' closes no block", c);
		struct node *b = p->open[p->nopen - 1];
		if (b->negate != negate) {
			char what[128];
			snprintf(what, sizeof what, "'{{%s}}' closes the {{#%s}} of line %d", c, b->negate ? "unless" : "if",
				 b->line);
			return fail(p, line, "%s", what);
		}
		p->nopen--;
		return CRM_OK;
	}
	if (*c == '#' || *c == '/')
		return fail(p, line, "unknown tag '{{%s}}' (#if, #unless, else, /if, /unless)", c);
	*block = 0;
	const char *bar = strchr(c, '|');
	char *nm = trimmed(c, bar ? (size_t)(bar - c) : strlen(c));
	if (!*nm || !name_ok(nm)) {
		int rc = fail(p, line, *nm ? "bad placeholder name '%s' (letters, digits, _ and dots)" : "empty placeholder%s",
			      nm);
		free(nm);
		return rc;
	}
	struct node *n = xcalloc(1, sizeof *n);
	n->type = N_VAR;
	n->line = line;
	n->var = var_index(p->t, nm, line);
	n->text = bar ? trimmed(bar + 1, strlen(bar + 1)) : NULL;
	free(nm);
	list_add(current(p), n);
	return CRM_OK;
}

/* Parse s[0..len) into root; line is the line s starts on. */
static int parse_into(struct parser *p, const char *s, size_t len, struct list *root, int line)
{
	p->root = root;
	p->line = line;
	p->nopen = 0;
	const char *start = s, *end = s + len;
	while (s < end) {
		if (*s == '\\' && end - s >= 3 && s[1] == '{' && s[2] == '{') {
			sb_add(&p->text, "{{");
			s += 3;
			continue;
		}
		if (!(*s == '{' && end - s >= 2 && s[1] == '{')) {
			if (*s == '\n')
				p->line++;
			sb_addn(&p->text, s, 1);
			s++;
			continue;
		}
		/* a tag: find its end */
		const char *open = s, *close = NULL;
		for (const char *q = s + 2; q + 1 < end; q++) {
			if (q[0] == '}' && q[1] == '}') {
				close = q;
				break;
			}
			if (*q == '\n')
				break;
		}
		if (!close)
			return fail(p, p->line, "'{{' without '}}' on the same line%s", "");
		char *c = trimmed(open + 2, (size_t)(close - open - 2));
		/* standalone: only spaces before it back to the line's start (in the source: the
		 * pending text ends with those spaces), and only spaces after it to the line's end */
		size_t k = 0;
		const char *b = open;
		while (b > start && (b[-1] == ' ' || b[-1] == '\t'))
			b--, k++;
		int alone = b == start || b[-1] == '\n';
		const char *after = close + 2, *a = after;
		while (a < end && (*a == ' ' || *a == '\t'))
			a++;
		if (a < end && *a != '\n' && !(*a == '\r' && a + 1 < end && a[1] == '\n'))
			alone = 0;
		int block, rc;
		if (alone && k && k <= p->text.len && (*c == '#' || *c == '/' || *c == '!' || strcmp(c, "else") == 0)) {
			p->text.len -= k;
			p->text.s[p->text.len] = '\0';
		}
		flush(p);
		rc = tag(p, c, p->line, &block);
		free(c);
		if (rc)
			return rc;
		s = after;
		if (block && alone) {
			s = a;
			if (s < end && *s == '\r')
				s++;
			if (s < end && *s == '\n') {
				s++;
				p->line++;
			}
		}
	}
	flush(p);
	if (p->nopen) {
		struct node *b = p->open[p->nopen - 1];
		char what[128];
		snprintf(what, sizeof what, "{{#%s %s}} is never closed (no {{/%s}})", b->negate ? "unless" : "if",
			 p->t->vars[b->var], b->negate ? "unless" : "if");
		return fail(p, b->line, "%s", what);
	}
	return CRM_OK;
}

int crm_tpl_parse(const char *name, const char *text, struct crm_tpl **out, struct crm_err *err)
{
	*out = NULL;
	struct crm_tpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	struct parser p = { .t = t, .name = name, .err = err };
	const char *s = text;
	int line = 1, rc = CRM_OK;
	if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (strncasecmp(s, "subject:", 8) == 0) {
		/* the header block: "Name: value" lines (a line starting with a space continues the
		 * one before), up to the first empty line */
		while (!rc && *s && *s != '\n' && !(*s == '\r' && s[1] == '\n')) {
			const char *eol = strchr(s, '\n');
			size_t n = eol ? (size_t)(eol - s) : strlen(s);
			const char *colon = memchr(s, ':', n);
			char *hname = trimmed(s, colon ? (size_t)(colon - s) : n);
			int hline = line;
			if (!colon || strcasecmp(hname, "subject") != 0 || t->has_subject) {
				char what[160];
				snprintf(what, sizeof what, "%s", hname);
				rc = fail(&p, line,
					  !colon ? "'%s' in the header block is no 'Name: value' (an empty line ends the headers)"
					  : strcasecmp(hname, "subject") != 0
						  ? "unknown header '%s' (the header block holds Subject only)"
						  : "a second '%s' header",
					  what);
				free(hname);
				break;
			}
			free(hname);
			struct strbuf v = { 0 };
			sb_addn(&v, colon + 1, n - (size_t)(colon + 1 - s));
			s += n + (eol ? 1 : 0);
			line++;
			while (*s == ' ' || *s == '\t') { /* continuation */
				eol = strchr(s, '\n');
				n = eol ? (size_t)(eol - s) : strlen(s);
				sb_add(&v, " ");
				sb_addn(&v, s, n);
				s += n + (eol ? 1 : 0);
				line++;
			}
			char *value = sb_take(&v);
			for (char *q = value; *q; q++)
				if (*q == '\r' || *q == '\n' || *q == '\t')
					*q = ' ';
			char *tv = trimmed(value, strlen(value));
			free(value);
			t->has_subject = 1;
			rc = parse_into(&p, tv, strlen(tv), &t->subject, hline);
			free(tv);
		}
		if (!rc && *s) { /* the empty line */
			s += *s == '\r' ? 2 : 1;
			line++;
		}
	}
	if (!rc)
		rc = parse_into(&p, s, strlen(s), &t->body, line);
	sb_free(&p.text);
	if (rc) {
		crm_tpl_free(t);
		return rc;
	}
	*out = t;
	return CRM_OK;
}

int crm_tpl_nvars(const struct crm_tpl *t)
{
	return t->nvars;
}

const char *crm_tpl_var(const struct crm_tpl *t, int i, int *line)
{
	if (line)
		*line = t->lines[i];
	return t->vars[i];
}

int crm_tpl_has_subject(const struct crm_tpl *t)
{
	return t->has_subject;
}

const char *crm_tpl_name(const struct crm_tpl *t)
{
	return t->name;
}

static void render(const struct list *l, const struct crm_tpl_value *vals, struct strbuf *b)
{
	for (int i = 0; i < l->n; i++) {
		const struct node *n = l->v[i];
		if (n->type == N_TEXT) {
			sb_add(b, n->text);
		} else if (n->type == N_VAR) {
			const char *v = vals[n->var].text;
			sb_add(b, v && *v ? v : n->text ? n->text : "");
		} else {
			int set = vals[n->var].set != 0;
			render(set != n->negate ? &n->then : &n->els, vals, b);
		}
	}
}

char *crm_tpl_render(const struct crm_tpl *t, enum crm_tpl_part part, const struct crm_tpl_value *vals)
{
	struct strbuf b = { 0 };
	render(part == CRM_TPL_SUBJECT ? &t->subject : &t->body, vals, &b);
	return sb_take(&b);
}
