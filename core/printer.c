/* The printer's front: creation by format, the structural stack, typed values, list joining,
 * formula neutralising, and the helpers the backends share. Each format is a backend
 * (struct crm_printer_ops) in its own file: printer_table.c, printer_tsv.c, printer_csv.c,
 * printer_json.c, printer_ndjson.c, printer_yaml.c, printer_xlsx.c. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "crm/printer.h"
#include "printer_internal.h"

/* ---- shared helpers ---- */

void *crm_pr_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *crm_pr_grow(void *ptr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return ptr;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*cap = c;
	ptr = realloc(ptr, c * size);
	if (!ptr)
		abort();
	return ptr;
}

char *crm_pr_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(crm_pr_alloc(n), s, n);
}

void crm_pr_buf_add(struct crm_pr_buf *b, const char *s, size_t n)
{
	b->p = crm_pr_grow(b->p, &b->cap, b->n + n + 1, 1);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void crm_pr_buf_adds(struct crm_pr_buf *b, const char *s)
{
	crm_pr_buf_add(b, s, strlen(s));
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int crm_pr_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

size_t crm_pr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

const char *crm_pr_utf8_clean(const char *s, char **tofree)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;
	*tofree = NULL;
	while (i < n && (k = crm_pr_utf8_decode(u + i, n - i, &cp)) > 0)
		i += k;
	if (i == n)
		return s;
	struct crm_pr_buf b = {0};
	crm_pr_buf_add(&b, s, i);
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		if (k) {
			crm_pr_buf_add(&b, s + i, k);
			i += k;
		} else {
			crm_pr_buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	*tofree = b.p;
	return b.p;
}

size_t crm_pr_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, w = 0, k;
	uint32_t cp;
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		i += k ? k : 1;
		w++;
	}
	return w;
}

int crm_pr_cp_columns(uint32_t cp)
{
	if (cp < 0x300)
		return 1; /* Latin, before the combining marks: the fast answer */
	if (g_unichar_iszerowidth((gunichar)cp))
		return 0;
	return g_unichar_iswide((gunichar)cp) ? 2 : 1;
}

size_t crm_pr_columns(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, w = 0, k;
	uint32_t cp;
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		w += k ? (size_t)crm_pr_cp_columns(cp) : 1;
		i += k ? k : 1;
	}
	return w;
}

size_t crm_printer_width(const char *text)
{
	return text ? crm_pr_columns(text) : 0;
}

int crm_pr_risky(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

int crm_pr_bool(const char *s)
{
	if (!strcmp(s, "1") || crm_pr_caseeq(s, "true"))
		return 1;
	if (!strcmp(s, "0") || crm_pr_caseeq(s, "false"))
		return 0;
	return -1;
}

int crm_pr_list_next(const char **cursor, const char **item, size_t *len)
{
	const char *s = *cursor;
	if (!s || !*s)
		return 0;
	const char *sep = strchr(s, CRM_LIST_SEP);
	*item = s;
	*len = sep ? (size_t)(sep - s) : strlen(s);
	*cursor = sep ? sep + 1 : s + *len;
	return 1;
}

/* ---- formats ---- */

static const struct {
	const char *name;
	const struct crm_printer_ops *ops;
} formats[] = {
	[CRM_FMT_TABLE] = {"table", &crm_pr_table}, [CRM_FMT_TSV] = {"tsv", &crm_pr_tsv},
	[CRM_FMT_CSV] = {"csv", &crm_pr_csv},       [CRM_FMT_JSON] = {"json", &crm_pr_json},
	[CRM_FMT_NDJSON] = {"ndjson", &crm_pr_ndjson}, [CRM_FMT_YAML] = {"yaml", &crm_pr_yaml},
	[CRM_FMT_XLSX] = {"xlsx", &crm_pr_xlsx},
};
#define NFORMATS ((int)(sizeof formats / sizeof formats[0]))

int crm_format_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < NFORMATS; i++)
		if (crm_pr_caseeq(name, formats[i].name))
			return i;
	if (crm_pr_caseeq(name, "jsonl"))
		return CRM_FMT_NDJSON;
	if (crm_pr_caseeq(name, "yml"))
		return CRM_FMT_YAML;
	return -1;
}

const char *crm_format_name(enum crm_format f)
{
	return (int)f >= 0 && (int)f < NFORMATS ? formats[f].name : "unknown";
}

int crm_format_from_path(const char *path)
{
	if (!path)
		return -1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot)
		return -1;
	static const struct { const char *ext; enum crm_format f; } exts[] = {
		{"csv", CRM_FMT_CSV}, {"tsv", CRM_FMT_TSV}, {"json", CRM_FMT_JSON},
		{"ndjson", CRM_FMT_NDJSON}, {"jsonl", CRM_FMT_NDJSON}, {"yaml", CRM_FMT_YAML},
		{"yml", CRM_FMT_YAML}, {"xlsx", CRM_FMT_XLSX}, {"txt", CRM_FMT_TABLE},
	};
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (crm_pr_caseeq(dot + 1, exts[i].ext))
			return exts[i].f;
	return -1;
}

/* ---- creation ---- */

struct crm_printer *crm_printer_new(const struct crm_printer_opts *opts, struct crm_err *err)
{
	if (!opts || (int)opts->format < 0 || (int)opts->format >= NFORMATS) {
		crm_error(err, CRM_EUSAGE, "unknown output format");
		return NULL;
	}
	if (opts->format != CRM_FMT_XLSX && !opts->out) {
		crm_error(err, CRM_EFAIL, "no output stream for format %s", crm_format_name(opts->format));
		return NULL;
	}
	struct crm_printer *p = crm_pr_alloc(sizeof *p);
	memset(p, 0, sizeof *p);
	p->o = *opts;
	p->ops = formats[opts->format].ops;
	p->path = opts->path ? crm_pr_strdup(opts->path) : NULL;
	crm_err_clear(err);
	if (p->ops->open && p->ops->open(p, err) != CRM_OK) {
		free(p->path);
		free(p);
		return NULL;
	}
	return p;
}

/* ---- values on their way to a backend ---- */

/* A cell as this backend takes it: lists joined for flat formats (an empty list is no value),
 * risky text neutralised when asked. *tofree receives what to free afterwards. */
static struct crm_value adapt(const struct crm_printer *p, const struct crm_value *v, char **tofree)
{
	struct crm_value out = *v;
	*tofree = NULL;
	if (out.type != CRM_V_NULL && !out.text)
		out.type = CRM_V_NULL;
	if (out.type == CRM_V_LIST && !p->ops->lists) {
		struct crm_pr_buf b = {0};
		const char *cur = out.text, *item;
		size_t len;
		while (crm_pr_list_next(&cur, &item, &len)) {
			if (b.n)
				crm_pr_buf_add(&b, ", ", 2);
			crm_pr_buf_add(&b, item, len);
		}
		out = b.p ? (struct crm_value){CRM_V_TEXT, b.p} : (struct crm_value){CRM_V_NULL, NULL};
		*tofree = b.p;
	}
	/* The text view for people says yes or no (as search snippets do); tsv and csv keep 1 and
	 * 0, JSON and YAML true and false. */
	if (out.type == CRM_V_BOOL && p->o.format == CRM_FMT_TABLE && crm_pr_bool(out.text) >= 0)
		out.text = crm_pr_bool(out.text) ? "yes" : "no";
	if (out.type == CRM_V_TEXT && p->o.terminal && (p->o.format == CRM_FMT_TSV || p->o.format == CRM_FMT_CSV)) {
		char *c = crm_printer_clean(out.text);
		free(*tofree);
		*tofree = c;
		out.text = c;
	}
	if (out.type == CRM_V_TEXT && p->ops->neutralise && p->o.neutralise && crm_pr_risky(out.text)) {
		size_t n = strlen(out.text);
		char *s = crm_pr_alloc(n + 2);
		s[0] = '\'';
		memcpy(s + 1, out.text, n + 1);
		free(*tofree);
		*tofree = s;
		out.text = s;
	}
	return out;
}

static void backend_row(struct crm_printer *p, const struct crm_value *cells)
{
	struct crm_value *row = crm_pr_alloc((size_t)(p->ncols ? p->ncols : 1) * sizeof *row);
	char **owned = crm_pr_alloc((size_t)(p->ncols ? p->ncols : 1) * sizeof *owned);
	for (int i = 0; i < p->ncols; i++)
		row[i] = adapt(p, &cells[i], &owned[i]);
	p->ops->row(p, row);
	for (int i = 0; i < p->ncols; i++)
		free(owned[i]);
	free(owned);
	free(row);
}

static void set_columns(struct crm_printer *p, const char *const *names, int ncols)
{
	for (int i = 0; i < p->ncols; i++)
		free(p->cols[i]);
	free(p->cols);
	p->ncols = ncols;
	p->cols = crm_pr_alloc((size_t)(ncols ? ncols : 1) * sizeof *p->cols);
	for (int i = 0; i < ncols; i++)
		p->cols[i] = crm_pr_strdup(names[i] ? names[i] : "");
}

/* ---- structural ---- */

static int structural(struct crm_printer *p)
{
	if (!p || p->mode == CRM_PR_TABULAR || !p->ops->structural)
		return 0;
	p->mode = CRM_PR_STRUCT;
	return 1;
}

/* Is a value (scalar or collection) allowed here? Not where a map awaits its key, nor in a list
 * that holds table rows. */
static int value_allowed(struct crm_printer *p)
{
	if (!structural(p))
		return 0;
	struct crm_pr_frame *t = crm_pr_top(p);
	return !t || (t->is_map ? t->have_key : !t->table);
}

/* A value was written into the innermost frame. */
static void value_done(struct crm_printer *p)
{
	struct crm_pr_frame *t = crm_pr_top(p);
	if (!t)
		return;
	if (t->is_map)
		t->have_key = 0;
	else
		t->count++;
}

static void begin(struct crm_printer *p, int is_map)
{
	if (!value_allowed(p))
		return;
	p->stack = crm_pr_grow(p->stack, &p->capstack, p->depth + 1, sizeof *p->stack);
	/* a list takes the pending section's title, and so does a map that is a section's value (a
	 * group of the record's fields shown under a heading) */
	p->stack[p->depth++] = (struct crm_pr_frame){is_map, 0, 0, 0, p->title};
	p->title = NULL;
	if (p->ops->begin)
		p->ops->begin(p, is_map);
}

void crm_printer_begin_map(struct crm_printer *p)
{
	begin(p, 1);
}

void crm_printer_begin_list(struct crm_printer *p)
{
	begin(p, 0);
}

void crm_printer_key(struct crm_printer *p, const char *key)
{
	if (!structural(p))
		return;
	struct crm_pr_frame *t = crm_pr_top(p);
	if (!t || !t->is_map || t->have_key)
		return;
	free(p->title);
	p->title = NULL;
	if (p->ops->key)
		p->ops->key(p, key ? key : "");
	t->count++;
	t->have_key = 1;
}

void crm_printer_section(struct crm_printer *p, const char *key, const char *title)
{
	struct crm_pr_frame *t = structural(p) ? crm_pr_top(p) : NULL;
	if (!t || !t->is_map || t->have_key)
		return;
	crm_printer_key(p, key);
	p->title = title ? crm_pr_strdup(title) : NULL;
}

void crm_printer_value(struct crm_printer *p, const struct crm_value *v)
{
	static const struct crm_value null = {CRM_V_NULL, NULL};
	if (!value_allowed(p))
		return;
	char *tofree;
	struct crm_value a = adapt(p, v ? v : &null, &tofree);
	if (p->ops->value)
		p->ops->value(p, &a);
	free(tofree);
	value_done(p);
}

void crm_printer_text(struct crm_printer *p, const char *text)
{
	struct crm_value v = {text ? CRM_V_TEXT : CRM_V_NULL, text};
	crm_printer_value(p, &v);
}

void crm_printer_note(struct crm_printer *p, const char *text)
{
	if (structural(p) && p->depth && text && p->ops->note)
		p->ops->note(p, text);
}

void crm_printer_end(struct crm_printer *p)
{
	if (!structural(p))
		return;
	struct crm_pr_frame *t = crm_pr_top(p);
	if (!t)
		return;
	if (t->is_map && t->have_key) /* a key without its value: keep the output well-formed */
		crm_printer_value(p, NULL);
	struct crm_pr_frame f = *t;
	p->depth--;
	if (p->ops->end)
		p->ops->end(p, &f);
	free(f.title);
	value_done(p);
}

/* ---- tabular, and tables inside a structure ---- */

void crm_printer_columns(struct crm_printer *p, const char *const *names, int ncols)
{
	if (!p || ncols < 0 || (ncols > 0 && !names))
		return;
	if (p->mode == CRM_PR_NONE) {
		p->mode = CRM_PR_TABULAR;
		set_columns(p, names, ncols);
		if (p->ops->columns)
			p->ops->columns(p);
		return;
	}
	/* Nested: right after begin_list, once. */
	struct crm_pr_frame *t = p->mode == CRM_PR_STRUCT ? crm_pr_top(p) : NULL;
	if (!t || t->is_map || t->table || t->count)
		return;
	t->table = 1;
	set_columns(p, names, ncols);
	if (p->ops->nested_tables && p->ops->columns)
		p->ops->columns(p);
}

void crm_printer_row_money(struct crm_printer *p, const struct crm_value *cells, const char *const *currency)
{
	if (!p)
		return;
	p->row_currency = currency;
	crm_printer_row(p, cells);
	p->row_currency = NULL;
}

void crm_printer_row(struct crm_printer *p, const struct crm_value *cells)
{
	if (!p || (p->ncols > 0 && !cells))
		return;
	if (p->mode == CRM_PR_TABULAR) {
		if (p->ops->row)
			backend_row(p, cells);
		p->nrows++;
		return;
	}
	struct crm_pr_frame *t = p->mode == CRM_PR_STRUCT ? crm_pr_top(p) : NULL;
	if (!t || t->is_map || !t->table)
		return;
	if (p->ops->nested_tables) {
		if (p->ops->row)
			backend_row(p, cells);
		t->count++;
		return;
	}
	/* Each row a map of column -> cell. */
	t->table = 0;
	crm_printer_begin_map(p);
	for (int i = 0; i < p->ncols; i++) {
		crm_printer_key(p, p->cols[i]);
		crm_printer_value(p, &cells[i]);
	}
	crm_printer_end(p);
	t = crm_pr_top(p);
	t->table = 1;
}

/* ---- finish ---- */

int crm_printer_finish(struct crm_printer *p, struct crm_err *err)
{
	int rc = CRM_OK;
	crm_err_clear(err);
	if (!p)
		return CRM_OK;
	if (p->mode == CRM_PR_STRUCT)
		while (p->depth) /* close what the caller left open */
			crm_printer_end(p);
	if (p->ops->finish)
		rc = p->ops->finish(p, err);
	if (p->o.format != CRM_FMT_XLSX && rc == CRM_OK) {
		errno = 0;
		if (fflush(p->o.out) != 0 || ferror(p->o.out)) {
			const char *why = errno ? strerror(errno) : "write error";
			if (p->path)
				rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", p->path, why);
			else
				rc = crm_error(err, CRM_EFAIL, "cannot write output: %s", why);
		}
	}
	for (int i = 0; i < p->ncols; i++)
		free(p->cols[i]);
	free(p->cols);
	free(p->stack);
	free(p->title);
	free(p->path);
	free(p);
	return rc;
}
