/* The json backend: a list is one array of objects; show is one pretty-printed object. Numbers
 * and booleans keep their type, link fields (CRM_V_LIST) are arrays of strings, invalid UTF-8
 * becomes U+FFFD. Every control character is escaped (C0, DEL and C1 as \u00XX): the same
 * string to a parser, and nothing in it can drive a terminal the JSON is printed on. The writer
 * here serves the ndjson backend too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "printer_internal.h"

void crm_pr_json_string(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0;
	fputc('"', f);
	while (i < n) {
		unsigned c = u[i];
		char esc[8];
		size_t k = 1;
		uint32_t cp;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = crm_pr_utf8_decode(u + i, n - i, &cp);
			if (k && cp >= 0xa0) {
				i += k;
				continue;
			}
			if (k) { /* a C1 control (U+009B is CSI): escaped, the same string */
				snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			} else {
				k = 1; /* JSON must be UTF-8: an invalid byte becomes U+FFFD */
				strcpy(esc, "\\ufffd");
			}
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c, esc[2] = '\0';
		} else if (c == '\n') {
			strcpy(esc, "\\n");
		} else if (c == '\r') {
			strcpy(esc, "\\r");
		} else if (c == '\t') {
			strcpy(esc, "\\t");
		} else if (c == '\b') {
			strcpy(esc, "\\b");
		} else if (c == '\f') {
			strcpy(esc, "\\f");
		} else {
			snprintf(esc, sizeof esc, "\\u%04x", c);
		}
		fwrite(s + run, 1, i - run, f);
		fputs(esc, f);
		i += k;
		run = i;
	}
	fwrite(s + run, 1, i - run, f);
	fputc('"', f);
}

static int all_digits(const char **s)
{
	const char *b = *s;
	while (**s >= '0' && **s <= '9')
		(*s)++;
	return *s > b;
}

/* RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return 0;
	if (!all_digits(&s))
		return 0;
	if (*s == '.') {
		s++;
		if (!all_digits(&s))
			return 0;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!all_digits(&s))
			return 0;
	}
	return *s == '\0';
}

void crm_pr_json_value(FILE *f, const struct crm_value *v)
{
	if (v->type == CRM_V_NULL || !v->text) {
		fputs("null", f);
		return;
	}
	if ((v->type == CRM_V_INT || v->type == CRM_V_REAL) && json_number_ok(v->text)) {
		fputs(v->text, f);
		return;
	}
	if (v->type == CRM_V_BOOL && crm_pr_bool(v->text) >= 0) {
		fputs(crm_pr_bool(v->text) ? "true" : "false", f);
		return;
	}
	if (v->type == CRM_V_LIST) {
		const char *cur = v->text, *item;
		size_t len;
		int first = 1;
		fputc('[', f);
		while (crm_pr_list_next(&cur, &item, &len)) {
			struct crm_pr_buf b = {0};
			crm_pr_buf_add(&b, item, len);
			if (!first)
				fputc(',', f);
			crm_pr_json_string(f, b.p);
			free(b.p);
			first = 0;
		}
		fputc(']', f);
		return;
	}
	crm_pr_json_string(f, v->text);
}

/* ---- tabular: an array of objects, one per line ---- */

static void json_row(struct crm_printer *p, const struct crm_value *cells, int array)
{
	FILE *f = p->o.out;
	if (array)
		fputs(p->nrows == 0 ? "[\n" : ",\n", f);
	fputc('{', f);
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			fputc(',', f);
		crm_pr_json_string(f, p->cols[i]);
		fputc(':', f);
		crm_pr_json_value(f, &cells[i]);
	}
	fputc('}', f);
	if (!array)
		fputc('\n', f);
}

void crm_pr_json_row(struct crm_printer *p, const struct crm_value *cells)
{
	json_row(p, cells, p->ops == &crm_pr_json);
}

/* ---- structural; pretty (json) or one line per top-level value (ndjson) ---- */

static int pretty(struct crm_printer *p)
{
	return p->ops == &crm_pr_json;
}

static void indent(struct crm_printer *p, size_t depth)
{
	fputc('\n', p->o.out);
	for (size_t i = 0; i < depth; i++)
		fputs("  ", p->o.out);
}

/* Before a value in the frame `parent` (NULL at the top), which is at `depth`. */
static void separate(struct crm_printer *p, const struct crm_pr_frame *parent, size_t depth)
{
	if (!parent || parent->is_map)
		return; /* in a map the key wrote the separator */
	if (parent->count)
		fputc(',', p->o.out);
	if (pretty(p))
		indent(p, depth);
}

void crm_pr_json_begin(struct crm_printer *p, int is_map)
{
	separate(p, p->depth >= 2 ? &p->stack[p->depth - 2] : NULL, p->depth - 1);
	fputc(is_map ? '{' : '[', p->o.out);
}

void crm_pr_json_key(struct crm_printer *p, const char *k)
{
	struct crm_pr_frame *t = crm_pr_top(p);
	if (t->count)
		fputc(',', p->o.out);
	if (pretty(p))
		indent(p, p->depth);
	crm_pr_json_string(p->o.out, k);
	fputs(pretty(p) ? ": " : ":", p->o.out);
}

void crm_pr_json_value_hook(struct crm_printer *p, const struct crm_value *v)
{
	separate(p, crm_pr_top(p), p->depth);
	crm_pr_json_value(p->o.out, v);
	if (!p->depth)
		fputc('\n', p->o.out);
}

void crm_pr_json_end(struct crm_printer *p, const struct crm_pr_frame *f)
{
	if (f->count && pretty(p))
		indent(p, p->depth);
	fputc(f->is_map ? '}' : ']', p->o.out);
	if (!p->depth)
		fputc('\n', p->o.out);
}

int crm_pr_json_finish(struct crm_printer *p, struct crm_err *err)
{
	(void)err;
	if (p->mode == CRM_PR_TABULAR && pretty(p))
		fputs(p->nrows ? "\n]\n" : "[]\n", p->o.out);
	return CRM_OK;
}

const struct crm_printer_ops crm_pr_json = {
	.name = "json",
	.structural = 1,
	.lists = 1,
	.row = crm_pr_json_row,
	.begin = crm_pr_json_begin,
	.key = crm_pr_json_key,
	.value = crm_pr_json_value_hook,
	.end = crm_pr_json_end,
	.finish = crm_pr_json_finish,
};

