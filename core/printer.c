/* The printer backends: table, tsv, csv, json, ndjson and yaml here; xlsx in printer_xlsx.c. */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "crm/date.h"
#include "crm/printer.h"
#include "printer_internal.h"

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* Grow an array so that it holds at least `need` elements of `size` bytes. */
static void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*cap = c;
	return xrealloc(p, c * size);
}

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	b->p = xgrow(b->p, &b->cap, b->n + n + 1, 1);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* ---- shared helpers ---- */

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
	struct buf b = {0};
	buf_add(&b, s, i);
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		if (k) {
			buf_add(&b, s + i, k);
			i += k;
		} else {
			buf_add(&b, "\xef\xbf\xbd", 3);
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

int crm_pr_risky(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* ---- formats ---- */

static const char *const format_names[] = {"table", "tsv", "csv", "json", "ndjson", "yaml", "xlsx"};
#define NFORMATS ((int)(sizeof format_names / sizeof format_names[0]))

int crm_format_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < NFORMATS; i++)
		if (ascii_caseeq(name, format_names[i]))
			return i;
	if (ascii_caseeq(name, "jsonl"))
		return CRM_FMT_NDJSON;
	if (ascii_caseeq(name, "yml"))
		return CRM_FMT_YAML;
	return -1;
}

const char *crm_format_name(enum crm_format f)
{
	return (int)f >= 0 && (int)f < NFORMATS ? format_names[f] : "unknown";
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
		if (ascii_caseeq(dot + 1, exts[i].ext))
			return exts[i].f;
	return -1;
}

/* ---- the printer ---- */

enum mode { MODE_NONE, MODE_TABULAR, MODE_STRUCT };

struct frame {
	int is_map;
	int have_key; /* map: a key was written, its value is due */
	long count;   /* keys (map) or items (list) written */
};

struct crm_printer {
	struct crm_printer_opts o;
	char *path; /* copy of o.path, for error messages */
	enum mode mode;
	int ncols;
	char **cols;
	long long nrows;

	/* table: cells of every row, already made printable, and the widths */
	char **tcells;
	size_t ntcells, captcells;
	size_t *twidth;

	/* structural json/ndjson/yaml */
	struct frame *stack;
	size_t depth, capstack;

	/* yaml */
	yaml_emitter_t em;
	int em_started, em_failed;

	struct crm_xlsx *xlsx;
};

static FILE *out(struct crm_printer *p)
{
	return p->o.out;
}

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
	struct crm_printer *p = xmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	p->o = *opts;
	p->path = opts->path ? xstrdup(opts->path) : NULL;
	if (opts->format == CRM_FMT_XLSX) {
		p->xlsx = crm_xlsx_new(opts, err);
		if (!p->xlsx) {
			free(p->path);
			free(p);
			return NULL;
		}
	} else if (opts->format == CRM_FMT_YAML) {
		if (!yaml_emitter_initialize(&p->em))
			abort();
		yaml_emitter_set_output_file(&p->em, opts->out);
		yaml_emitter_set_unicode(&p->em, 1); /* keep accents readable, not \xE9 */
		yaml_emitter_set_width(&p->em, -1);  /* long notes stay on one line */
		yaml_emitter_set_indent(&p->em, 2);
	}
	crm_err_clear(err);
	return p;
}

/* ---- tsv ---- */

static void tsv_field(FILE *f, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *esc = NULL;
		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		fwrite(run, 1, (size_t)(s - run), f);
		fputs(esc, f);
		run = s + 1;
	}
	fwrite(run, 1, (size_t)(s - run), f);
}

/* ---- csv ---- */

static void csv_field(FILE *f, const char *s)
{
	size_t n = strlen(s);
	/* Quote only when needed so that plain values stay readable (libcsv always quotes). */
	int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	if (!quote && strpbrk(s, ",\"\r\n"))
		quote = 1;
	if (quote)
		csv_fwrite(f, s, n);
	else
		fwrite(s, 1, n, f);
}

static void delimited_text(struct crm_printer *p, const char *s, int neutralise, int first)
{
	FILE *f = out(p);
	char *tmp = NULL;
	if (!first)
		fputc(p->o.format == CRM_FMT_CSV ? ',' : '\t', f);
	if (neutralise && crm_pr_risky(s)) {
		size_t n = strlen(s);
		tmp = xmalloc(n + 2);
		tmp[0] = '\'';
		memcpy(tmp + 1, s, n + 1);
		s = tmp;
	}
	if (p->o.format == CRM_FMT_CSV)
		csv_field(f, s);
	else
		tsv_field(f, s);
	free(tmp);
}

/* NULL is empty; only text is neutralised: numbers and dates are ours, never formulas. */
static void delimited_cell(struct crm_printer *p, const struct crm_value *v, int first)
{
	const char *s = v->type == CRM_V_NULL || !v->text ? "" : v->text;
	delimited_text(p, s, p->o.neutralise && v->type == CRM_V_TEXT, first);
}

static void delimited_header(struct crm_printer *p)
{
	for (int i = 0; i < p->ncols; i++)
		delimited_text(p, p->cols[i], 0, i == 0);
	fputc('\n', out(p));
}

/* ---- json ---- */

static void json_string(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0;
	fputc('"', f);
	while (i < n) {
		unsigned c = u[i];
		char esc[8];
		size_t k = 1;
		uint32_t cp;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = crm_pr_utf8_decode(u + i, n - i, &cp);
			if (k) {
				i += k;
				continue;
			}
			k = 1; /* JSON must be UTF-8: an invalid byte becomes U+FFFD */
			strcpy(esc, "\\ufffd");
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

/* 1 for true, 0 for false, -1 when the text is not a boolean. */
static int bool_value(const char *s)
{
	if (!strcmp(s, "1") || ascii_caseeq(s, "true"))
		return 1;
	if (!strcmp(s, "0") || ascii_caseeq(s, "false"))
		return 0;
	return -1;
}

static void json_value(FILE *f, const struct crm_value *v)
{
	if (v->type == CRM_V_NULL || !v->text) {
		fputs("null", f);
		return;
	}
	if ((v->type == CRM_V_INT || v->type == CRM_V_REAL) && json_number_ok(v->text)) {
		fputs(v->text, f);
		return;
	}
	if (v->type == CRM_V_BOOL && bool_value(v->text) >= 0) {
		fputs(bool_value(v->text) ? "true" : "false", f);
		return;
	}
	json_string(f, v->text);
}

static void json_row(struct crm_printer *p, const struct crm_value *cells)
{
	FILE *f = out(p);
	if (p->o.format == CRM_FMT_JSON)
		fputs(p->nrows == 0 ? "[\n" : ",\n", f);
	fputc('{', f);
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			fputc(',', f);
		json_string(f, p->cols[i]);
		fputc(':', f);
		json_value(f, &cells[i]);
	}
	fputc('}', f);
	if (p->o.format == CRM_FMT_NDJSON)
		fputc('\n', f);
}

/* ---- yaml ---- */

static void yaml_emit(struct crm_printer *p, yaml_event_t *ev)
{
	/* After a failure the emitter is in an undefined state: stop, report it at finish. */
	if (p->em_failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&p->em, ev))
		p->em_failed = 1;
}

static void yaml_stream_start(struct crm_printer *p)
{
	yaml_event_t ev;
	if (p->em_started)
		return;
	p->em_started = 1;
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		abort();
	yaml_emit(p, &ev);
}

static void yaml_doc(struct crm_printer *p, int start)
{
	yaml_event_t ev;
	int ok = start ? yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)
		       : yaml_document_end_event_initialize(&ev, 1);
	if (!ok)
		abort();
	yaml_emit(p, &ev);
}

static void yaml_collection(struct crm_printer *p, int is_map, int start)
{
	yaml_event_t ev;
	int ok;
	if (start && is_map)
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else if (start)
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	else if (is_map)
		ok = yaml_mapping_end_event_initialize(&ev);
	else
		ok = yaml_sequence_end_event_initialize(&ev);
	if (!ok)
		abort();
	yaml_emit(p, &ev);
}

static void yaml_scalar(struct crm_printer *p, const char *s, int plain_implicit, int quoted_implicit,
			yaml_scalar_style_t style)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
					  plain_implicit, quoted_implicit, style))
		abort();
	yaml_emit(p, &ev);
}

/* Would a YAML 1.1 reader (PyYAML, libyaml users) resolve this plain scalar to something other
 * than a string? Deliberately broad: quoting a string needlessly is harmless. */
static int yaml_looks_typed(const char *s)
{
	static const char *const words[] = {"y", "n", "yes", "no", "true", "false", "on", "off",
					    "null", "<<", "="};
	if (!*s || strchr("0123456789+-.~", *s))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (ascii_caseeq(s, words[i]))
			return 1;
	return 0;
}

static void yaml_string(struct crm_printer *p, const char *text)
{
	char *tofree;
	const char *s = crm_pr_utf8_clean(text, &tofree); /* the emitter rejects invalid UTF-8 */
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
	int plain_ok = 1;
	if (strchr(s, '\r') || strstr(s, "\xc2\x85") || strstr(s, "\xe2\x80\xa8") ||
	    strstr(s, "\xe2\x80\xa9")) {
		/* Readers normalise these line breaks unless they are escaped. */
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		plain_ok = 0;
	} else if (strchr(s, '\n')) {
		style = YAML_LITERAL_SCALAR_STYLE; /* the emitter falls back to quoting if it must */
		plain_ok = 0;
	} else if (yaml_looks_typed(s)) {
		plain_ok = 0; /* with plain_implicit=0 the emitter quotes */
	}
	yaml_scalar(p, s, plain_ok, 1, style);
	free(tofree);
}

/* Rewrite a number so that YAML 1.1 and 1.2 readers both see a number ("1e5" is a string to
 * PyYAML, "007" is octal): digits, an optional fraction, an exponent with a sign. Returns 0 if
 * the text is not a decimal number. */
static int yaml_number(const char *s, struct buf *b)
{
	const char *ip, *fp = NULL, *ep = NULL;
	size_t il, fl = 0, el = 0;
	char esign = '+';
	int neg = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	ip = s;
	while (*s >= '0' && *s <= '9')
		s++;
	il = (size_t)(s - ip);
	if (*s == '.') {
		fp = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		fl = (size_t)(s - fp);
	}
	if (il == 0 && fl == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			esign = *s++;
		ep = s;
		while (*s >= '0' && *s <= '9')
			s++;
		el = (size_t)(s - ep);
		if (el == 0)
			return 0;
	}
	if (*s)
		return 0;
	while (il > 1 && *ip == '0')
		ip++, il--;
	if (neg)
		buf_add(b, "-", 1);
	if (il)
		buf_add(b, ip, il);
	else
		buf_add(b, "0", 1);
	if (fp || ep) {
		buf_add(b, ".", 1);
		if (fl)
			buf_add(b, fp, fl);
		else
			buf_add(b, "0", 1);
	}
	if (ep) {
		buf_add(b, "e", 1);
		buf_add(b, &esign, 1);
		buf_add(b, ep, el);
	}
	return 1;
}

static void yaml_value(struct crm_printer *p, const struct crm_value *v)
{
	if (v->type == CRM_V_NULL || !v->text) {
		yaml_scalar(p, "null", 1, 0, YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	if (v->type == CRM_V_INT || v->type == CRM_V_REAL) {
		struct buf b = {0};
		if (yaml_number(v->text, &b)) {
			yaml_scalar(p, b.p, 1, 0, YAML_PLAIN_SCALAR_STYLE);
			free(b.p);
			return;
		}
		free(b.p);
	}
	if (v->type == CRM_V_BOOL && bool_value(v->text) >= 0) {
		yaml_scalar(p, bool_value(v->text) ? "true" : "false", 1, 0, YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	yaml_string(p, v->text);
}

/* ---- table ---- */

/* A cell as the terminal shows it: control characters (which could also drive the terminal)
 * become spaces, invalid UTF-8 becomes U+FFFD, and more than the maximum width is cut with "…". */
static char *table_text(const char *s, size_t *width)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, w = 0, cut = 0, k;
	uint32_t cp;
	struct buf b = {0};
	buf_add(&b, "", 0);
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		if (!k) {
			buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			buf_add(&b, " ", 1);
			i += k;
		} else {
			buf_add(&b, s + i, k);
			i += k;
		}
		if (++w == CRM_PR_MAX_WIDTH - 1)
			cut = b.n;
	}
	if (w > CRM_PR_MAX_WIDTH) {
		b.n = cut;
		buf_add(&b, "\xe2\x80\xa6", 3);
		w = CRM_PR_MAX_WIDTH;
	}
	*width = w;
	return b.p;
}

static void table_row(struct crm_printer *p, const struct crm_value *cells)
{
	p->tcells = xgrow(p->tcells, &p->captcells, p->ntcells + (size_t)p->ncols, sizeof *p->tcells);
	for (int i = 0; i < p->ncols; i++) {
		const char *s = cells[i].type == CRM_V_NULL || !cells[i].text ? "" : cells[i].text;
		/* People read tables: timestamps are stored in UTC but shown in local time. */
		char local[64];
		if (cells[i].type == CRM_V_TIME && cells[i].text) {
			crm_time_local_display(cells[i].text, local, sizeof local);
			s = local;
		}
		size_t w;
		p->tcells[p->ntcells++] = table_text(s, &w);
		if (w > p->twidth[i])
			p->twidth[i] = w;
	}
}

static void table_line(struct crm_printer *p, char *const *cells, int bold)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (int i = 0; i < p->ncols; i++) {
		buf_adds(&b, cells[i]);
		if (i + 1 < p->ncols)
			for (size_t w = crm_pr_width(cells[i]); w < p->twidth[i] + 2; w++)
				buf_add(&b, " ", 1);
	}
	while (b.n && b.p[b.n - 1] == ' ') /* empty trailing cells leave padding behind */
		b.p[--b.n] = '\0';
	if (bold)
		fprintf(out(p), "\033[1m%s\033[0m\n", b.p);
	else
		fprintf(out(p), "%s\n", b.p);
	free(b.p);
}

static void table_flush(struct crm_printer *p)
{
	if (p->nrows == 0 || p->ncols == 0)
		return;
	if (p->o.headers) {
		char **h = xmalloc((size_t)p->ncols * sizeof *h);
		for (int i = 0; i < p->ncols; i++) {
			size_t w;
			h[i] = table_text(p->cols[i], &w);
			if (w > p->twidth[i])
				p->twidth[i] = w;
		}
		table_line(p, h, p->o.color);
		for (int i = 0; i < p->ncols; i++)
			free(h[i]);
		free(h);
	}
	for (size_t r = 0; r < p->ntcells; r += (size_t)p->ncols)
		table_line(p, p->tcells + r, 0);
}

/* ---- tabular entry points ---- */

void crm_printer_columns(struct crm_printer *p, const char *const *names, int ncols)
{
	if (!p || p->mode != MODE_NONE || ncols < 0 || (ncols > 0 && !names))
		return;
	p->mode = MODE_TABULAR;
	p->ncols = ncols;
	p->cols = xmalloc((size_t)ncols * sizeof *p->cols);
	for (int i = 0; i < ncols; i++)
		p->cols[i] = xstrdup(names[i] ? names[i] : "");
	switch (p->o.format) {
	case CRM_FMT_TABLE:
		p->twidth = xmalloc((size_t)ncols * sizeof *p->twidth);
		memset(p->twidth, 0, (size_t)ncols * sizeof *p->twidth);
		break;
	case CRM_FMT_CSV:
		if (p->o.excel_bom)
			fputs("\xef\xbb\xbf", out(p));
		/* fall through */
	case CRM_FMT_TSV:
		if (p->o.headers)
			delimited_header(p);
		break;
	case CRM_FMT_YAML:
		yaml_stream_start(p);
		yaml_doc(p, 1);
		yaml_collection(p, 0, 1);
		break;
	case CRM_FMT_XLSX:
		crm_xlsx_columns(p->xlsx, (const char *const *)p->cols, ncols);
		break;
	case CRM_FMT_JSON:
	case CRM_FMT_NDJSON:
		break;
	}
}

void crm_printer_row(struct crm_printer *p, const struct crm_value *cells)
{
	if (!p || p->mode != MODE_TABULAR || (p->ncols > 0 && !cells))
		return;
	switch (p->o.format) {
	case CRM_FMT_TABLE:
		table_row(p, cells);
		break;
	case CRM_FMT_TSV:
	case CRM_FMT_CSV:
		for (int i = 0; i < p->ncols; i++)
			delimited_cell(p, &cells[i], i == 0);
		fputc('\n', out(p));
		break;
	case CRM_FMT_JSON:
	case CRM_FMT_NDJSON:
		json_row(p, cells);
		break;
	case CRM_FMT_YAML:
		yaml_collection(p, 1, 1);
		for (int i = 0; i < p->ncols; i++) {
			yaml_string(p, p->cols[i]);
			yaml_value(p, &cells[i]);
		}
		yaml_collection(p, 1, 0);
		break;
	case CRM_FMT_XLSX:
		crm_xlsx_row(p->xlsx, cells);
		break;
	}
	p->nrows++;
}

/* ---- structural entry points ---- */

static int structural(struct crm_printer *p)
{
	if (!p || p->mode == MODE_TABULAR)
		return 0;
	if (p->o.format != CRM_FMT_JSON && p->o.format != CRM_FMT_NDJSON && p->o.format != CRM_FMT_YAML)
		return 0;
	p->mode = MODE_STRUCT;
	return 1;
}

static struct frame *top(struct crm_printer *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

static int pretty(struct crm_printer *p)
{
	return p->o.format == CRM_FMT_JSON;
}

static void json_indent(struct crm_printer *p, size_t depth)
{
	fputc('\n', out(p));
	for (size_t i = 0; i < depth; i++)
		fputs("  ", out(p));
}

/* Everything that must happen before a value (scalar or collection) is written. Returns 0 when
 * a value is not allowed here (a map awaiting its key): the call is then ignored. */
static int before_value(struct crm_printer *p)
{
	if (!structural(p))
		return 0;
	struct frame *t = top(p);
	if (t && t->is_map && !t->have_key)
		return 0;
	if (p->o.format == CRM_FMT_YAML) {
		if (!t) {
			yaml_stream_start(p);
			yaml_doc(p, 1);
		}
	} else if (t && !t->is_map) {
		if (t->count)
			fputc(',', out(p));
		if (pretty(p))
			json_indent(p, p->depth);
	}
	if (t) {
		t->have_key = 0;
		if (!t->is_map)
			t->count++;
	}
	return 1;
}

/* After a complete value: a finished top-level value ends its line (json) or document (yaml). */
static void after_value(struct crm_printer *p)
{
	if (p->depth)
		return;
	if (p->o.format == CRM_FMT_YAML)
		yaml_doc(p, 0);
	else
		fputc('\n', out(p));
}

static void begin(struct crm_printer *p, int is_map)
{
	if (!before_value(p))
		return;
	if (p->o.format == CRM_FMT_YAML)
		yaml_collection(p, is_map, 1);
	else
		fputc(is_map ? '{' : '[', out(p));
	p->stack = xgrow(p->stack, &p->capstack, p->depth + 1, sizeof *p->stack);
	p->stack[p->depth++] = (struct frame){is_map, 0, 0};
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
	struct frame *t = top(p);
	if (!t || !t->is_map || t->have_key)
		return;
	if (!key)
		key = "";
	if (p->o.format == CRM_FMT_YAML) {
		yaml_string(p, key);
	} else {
		if (t->count)
			fputc(',', out(p));
		if (pretty(p))
			json_indent(p, p->depth);
		json_string(out(p), key);
		fputs(pretty(p) ? ": " : ":", out(p));
	}
	t->count++;
	t->have_key = 1;
}

void crm_printer_value(struct crm_printer *p, const struct crm_value *v)
{
	static const struct crm_value null = {CRM_V_NULL, NULL};
	if (!before_value(p))
		return;
	if (!v)
		v = &null;
	if (p->o.format == CRM_FMT_YAML)
		yaml_value(p, v);
	else
		json_value(out(p), v);
	after_value(p);
}

void crm_printer_text(struct crm_printer *p, const char *text)
{
	struct crm_value v = {text ? CRM_V_TEXT : CRM_V_NULL, text};
	crm_printer_value(p, &v);
}

void crm_printer_end(struct crm_printer *p)
{
	if (!structural(p))
		return;
	struct frame *t = top(p);
	if (!t)
		return;
	if (t->is_map && t->have_key) /* a key without its value: keep the output well-formed */
		crm_printer_value(p, NULL);
	struct frame f = *t;
	p->depth--;
	if (p->o.format == CRM_FMT_YAML) {
		yaml_collection(p, f.is_map, 0);
	} else {
		if (f.count && pretty(p))
			json_indent(p, p->depth);
		fputc(f.is_map ? '}' : ']', out(p));
	}
	after_value(p);
}

/* ---- finish ---- */

int crm_printer_finish(struct crm_printer *p, struct crm_err *err)
{
	int rc = CRM_OK;
	crm_err_clear(err);
	if (!p)
		return CRM_OK;
	if (p->mode == MODE_STRUCT)
		while (p->depth) /* close what the caller left open */
			crm_printer_end(p);
	switch (p->o.format) {
	case CRM_FMT_TABLE:
		table_flush(p);
		break;
	case CRM_FMT_JSON:
		if (p->mode == MODE_TABULAR)
			fputs(p->nrows ? "\n]\n" : "[]\n", out(p));
		break;
	case CRM_FMT_YAML:
		if (p->mode == MODE_TABULAR) {
			yaml_collection(p, 0, 0);
			yaml_doc(p, 0);
		}
		if (p->em_started) {
			yaml_event_t ev;
			if (!yaml_stream_end_event_initialize(&ev))
				abort();
			yaml_emit(p, &ev);
		}
		if (!p->em_failed && !yaml_emitter_flush(&p->em))
			p->em_failed = 1;
		if (p->em_failed)
			rc = crm_error(err, CRM_EFAIL, "cannot write YAML: %s",
				       p->em.problem ? p->em.problem : "write error");
		yaml_emitter_delete(&p->em);
		break;
	case CRM_FMT_XLSX:
		rc = crm_xlsx_finish(p->xlsx, err);
		break;
	case CRM_FMT_TSV:
	case CRM_FMT_CSV:
	case CRM_FMT_NDJSON:
		break;
	}
	if (p->o.format != CRM_FMT_XLSX && rc == CRM_OK) {
		errno = 0;
		if (fflush(out(p)) != 0 || ferror(out(p))) {
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
	for (size_t i = 0; i < p->ntcells; i++)
		free(p->tcells[i]);
	free(p->tcells);
	free(p->twidth);
	free(p->stack);
	free(p->path);
	free(p);
	return rc;
}
