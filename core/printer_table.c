/* The table backend: aligned columns for people, and the text view of a structure (show).
 *
 * Tabular: every row is kept, then printed at finish with each column as wide as its widest
 * cell (at most CRM_PR_MAX_WIDTH, cut with "…").
 *
 * Structural (notmuch's sprinter-text in spirit), as `crm <noun> show` reads on a terminal:
 *   - the outermost map's scalars are "name                value" lines (null ones left out);
 *   - a list is a section: its heading (crm_printer_section) and its items, printed only when
 *     it has items; a map in a list is one line of its non-empty values two spaces apart;
 *     a list inside such a map (a location's contacts) follows the line, indented further;
 *   - a map that is a section of the outermost map (a group of the record's fields) is its
 *     heading and "name value" lines as the record's own, printed only when one has a value;
 *   - a table inside a structure (columns and rows in a list) is an aligned table with headers;
 *   - notes (crm_printer_note) are printed under the items.
 * Control characters never reach the terminal: they become spaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/date.h"
#include "printer_internal.h"

struct table {
	/* cells of every row, already made printable: their text one after another in one buffer
	 * (a cell is where it starts there, and its width), rather than a block each; and each
	 * column's width */
	struct crm_pr_buf text;
	struct cell {
		size_t at, width;
	} *cells;
	size_t ncells, capcells;
	size_t *width;
	struct crm_pr_buf out;  /* the table line being written */
	/* structural */
	char *key;             /* the outermost map's pending key */
	struct crm_pr_buf line; /* the item being collected */
	int line_open;
	int line_indent;
	int fields_heading;     /* a section of fields (see field_section) has printed its heading */
};

static struct table *T(struct crm_printer *p)
{
	return p->be;
}

static int open_table(struct crm_printer *p, struct crm_err *err)
{
	(void)err;
	struct table *t = crm_pr_alloc(sizeof *t);
	memset(t, 0, sizeof *t);
	p->be = t;
	return CRM_OK;
}

/* What never reaches a terminal as it is: the C0 controls, DEL and the C1 controls (U+0080 to
 * U+009F: U+009B is CSI, U+009D OSC), any of which could drive it (retitle it, clear it, move
 * the cursor, rewrite what is shown). */
static int is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* THE cleaning of text for people (crm_printer_clean, crm_printer_escape and every table cell
 * go through here), appended to b. Rendered as views show it (escape 0): a control character
 * becomes a space, a byte that is not UTF-8 (a lone 0x9b is an 8-bit CSI) U+FFFD, and more
 * than `max` terminal columns (0: no limit; a wide character, CJK or emoji, takes two, a combining
 * accent none: crm_pr_cp_columns) are cut to fewer with "…". Rendered as messages show it (escape 1):
 * newlines and tabs stay, other controls are written \xHH (C1 ones \u00HH), a byte that is not
 * UTF-8 \xHH, so the message still says what the text held. Runs of printable ASCII are copied
 * whole: a table of 20,000 rows is mostly that. Returns the width added in terminal columns
 * (views only). */
static size_t clean_to(struct crm_pr_buf *b, const char *s, size_t max, int escape)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, w = 0, cut = b->n, cut_w = 0, k;
	uint32_t cp;
	char hex[8];
	int cw;
	crm_pr_buf_add(b, "", 0);
	for (;;) {
		/* the printable ASCII at i, up to where a cut may fall */
		size_t j = i;
		while (u[j] >= 0x20 && u[j] < 0x7f && (!max || w + (j - i) < max - 1))
			j++;
		if (j > i) {
			crm_pr_buf_add(b, s + i, j - i);
			w += j - i;
			cut = b->n, cut_w = w; /* the fast run stops at max - 1 */
			i = j;
		}
		if (!u[i] || (max && w > max))
			break; /* the end, or too wide already: the rest is cut */
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		cw = 1;
		if (!k) {
			if (escape) {
				snprintf(hex, sizeof hex, "\\x%02x", u[i]);
				crm_pr_buf_adds(b, hex);
			} else {
				crm_pr_buf_add(b, "\xef\xbf\xbd", 3);
			}
			i++;
		} else if (escape && (cp == '\n' || cp == '\t')) {
			crm_pr_buf_add(b, s + i, k);
			i += k;
		} else if (is_control(cp)) {
			if (escape) {
				snprintf(hex, sizeof hex, cp < 0x80 ? "\\x%02x" : "\\u%04x", (unsigned)cp);
				crm_pr_buf_adds(b, hex);
			} else {
				crm_pr_buf_add(b, " ", 1);
			}
			i += k;
		} else {
			crm_pr_buf_add(b, s + i, k);
			i += k;
			cw = crm_pr_cp_columns(cp);
		}
		w += (size_t)cw;
		if (max && w <= max - 1) /* zero-width marks stay with the character before them */
			cut = b->n, cut_w = w;
	}
	if (max && w > max) {
		b->n = cut;
		crm_pr_buf_add(b, "\xe2\x80\xa6", 3);
		w = cut_w + 1;
	}
	return w;
}

static size_t printable_to(struct crm_pr_buf *b, const char *s, size_t max)
{
	return clean_to(b, s, max, 0);
}

static char *printable(const char *s, size_t max, size_t *width)
{
	struct crm_pr_buf b = {0};
	size_t w = printable_to(&b, s, max);
	if (width)
		*width = w;
	return b.p;
}

char *crm_printer_fit(const char *text, size_t width)
{
	struct crm_pr_buf b = {0};
	char *clean = printable(text ? text : "", 0, NULL);
	const unsigned char *u = (const unsigned char *)clean;
	size_t n = strlen(clean), i = 0, w = 0, k;
	uint32_t cp;
	crm_pr_buf_add(&b, "", 0);
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp); /* clean: always valid */
		if (!k)
			k = 1, cp = '?';
		size_t cw = (size_t)crm_pr_cp_columns(cp);
		if (w + cw > width)
			break;
		crm_pr_buf_add(&b, clean + i, k);
		w += cw;
		i += k;
	}
	for (; w < width; w++)
		crm_pr_buf_add(&b, " ", 1);
	free(clean);
	return b.p;
}

char *crm_printer_clean(const char *text)
{
	return text ? printable(text, 0, NULL) : NULL;
}

char *crm_printer_escape(const char *text)
{
	if (!text)
		return NULL;
	struct crm_pr_buf b = {0};
	clean_to(&b, text, 0, 1);
	return b.p;
}

/* The text of a cell: "" for null; timestamps, stored in UTC, in local time unless asked not to
 * (tabular tables always show local time). */
static const char *cell_text(struct crm_printer *p, const struct crm_value *v, char *local, size_t n,
			     int tabular)
{
	const char *s = v->type == CRM_V_NULL || !v->text ? "" : v->text;
	if (v->type == CRM_V_TIME && v->text && (tabular || !p->o.iso_times)) {
		crm_time_local_display(v->text, local, n);
		s = local;
	}
	return s;
}

/* ---- rows, tabular or nested ---- */

static void columns(struct crm_printer *p)
{
	struct table *t = T(p);
	free(t->width);
	t->width = crm_pr_alloc((size_t)(p->ncols ? p->ncols : 1) * sizeof *t->width);
	memset(t->width, 0, (size_t)(p->ncols ? p->ncols : 1) * sizeof *t->width);
}

static void heading(struct crm_printer *p, const struct crm_pr_frame *list);

/* Appends text, made printable, to buf with its NUL (crm_pr_buf_add always leaves room for
 * one), and says in c where it starts there and how wide it is. */
static void keep_cell(struct crm_pr_buf *buf, const char *text, struct cell *c)
{
	c->at = buf->n;
	c->width = printable_to(buf, text, CRM_PR_MAX_WIDTH);
	buf->n++;
}

static void row(struct crm_printer *p, const struct crm_value *cells)
{
	struct table *t = T(p);
	struct crm_pr_frame *top = crm_pr_top(p);
	if (top && top->count == 0)
		heading(p, top);
	t->cells = crm_pr_grow(t->cells, &t->capcells, t->ncells + (size_t)p->ncols, sizeof *t->cells);
	for (int i = 0; i < p->ncols; i++) {
		char local[64];
		struct cell *c = &t->cells[t->ncells++];
		keep_cell(&t->text, cell_text(p, &cells[i], local, sizeof local, !top), c);
		if (c->width > t->width[i])
			t->width[i] = c->width;
	}
}

/* One line of the table: each cell padded to its column's width and two spaces. */
static void table_line(struct crm_printer *p, const char *text, const struct cell *cells, int bold)
{
	static const char spaces[] = "                                ";
	struct table *t = T(p);
	struct crm_pr_buf *b = &t->out;
	b->n = 0;
	crm_pr_buf_add(b, "", 0);
	for (int i = 0; i < p->ncols; i++) {
		const char *cell = text + cells[i].at;
		crm_pr_buf_add(b, cell, strlen(cell));
		if (i + 1 < p->ncols)
			for (size_t pad = t->width[i] + 2 - cells[i].width; pad; ) {
				size_t n = pad < sizeof spaces - 1 ? pad : sizeof spaces - 1;
				crm_pr_buf_add(b, spaces, n);
				pad -= n;
			}
	}
	while (b->n && b->p[b->n - 1] == ' ') /* empty trailing cells leave padding behind */
		b->p[--b->n] = '\0';
	if (bold)
		fputs("\033[1m", p->o.out);
	fwrite(b->p, 1, b->n, p->o.out);
	fputs(bold ? "\033[0m\n" : "\n", p->o.out);
}

/* Print the rows kept so far under a header, and forget them. */
static void flush_rows(struct crm_printer *p)
{
	struct table *t = T(p);
	if (t->ncells && p->ncols) {
		if (p->o.headers) {
			struct crm_pr_buf names = {0};
			struct cell *h = crm_pr_alloc((size_t)p->ncols * sizeof *h);
			for (int i = 0; i < p->ncols; i++) {
				keep_cell(&names, p->cols[i], &h[i]);
				if (h[i].width > t->width[i])
					t->width[i] = h[i].width;
			}
			table_line(p, names.p, h, p->o.color);
			free(names.p);
			free(h);
		}
		for (size_t r = 0; r < t->ncells; r += (size_t)p->ncols)
			table_line(p, t->text.p, t->cells + r, 0);
	}
	t->ncells = 0;
	t->text.n = 0;
}

/* ---- the text view of a structure ---- */

/* Is the innermost frame a map that is a section of the outermost map: fields under a heading? */
static int field_section(const struct crm_printer *p)
{
	return p->depth == 2 && p->stack[0].is_map && p->stack[1].is_map;
}

/* How many lists enclose the innermost frame (inclusive). */
static int list_level(struct crm_printer *p)
{
	int n = 0;
	for (size_t i = 0; i < p->depth; i++)
		n += !p->stack[i].is_map;
	return n;
}

static int item_indent(int level)
{
	return level <= 0 ? 0 : 2 + 4 * (level - 1);
}

/* A list's heading, before its first item. */
static void heading(struct crm_printer *p, const struct crm_pr_frame *list)
{
	if (list->title) {
		char *s = printable(list->title, 0, NULL);
		fprintf(p->o.out, "\n%s\n", s);
		free(s);
	}
}

static void line_flush(struct crm_printer *p)
{
	struct table *t = T(p);
	if (!t->line_open)
		return;
	for (int i = 0; i < t->line_indent; i++)
		putc(' ', p->o.out);
	if (t->line.n)
		fwrite(t->line.p, 1, t->line.n, p->o.out);
	putc('\n', p->o.out);
	t->line.n = 0;
	if (t->line.p)
		t->line.p[0] = '\0';
	t->line_open = 0;
}

static void begin(struct crm_printer *p, int is_map)
{
	struct table *t = T(p);
	struct crm_pr_frame *parent = p->depth >= 2 ? &p->stack[p->depth - 2] : NULL;
	if (parent && !parent->is_map && parent->count == 0)
		heading(p, parent);
	if (!is_map) {
		line_flush(p); /* the item a nested list belongs to comes first */
		return;
	}
	if (field_section(p))
		t->fields_heading = 0;
	if (parent && !parent->is_map) { /* an item of a list: one line */
		line_flush(p);
		t->line_open = 1;
		t->line_indent = item_indent(list_level(p));
	}
}

static void key(struct crm_printer *p, const char *k)
{
	struct table *t = T(p);
	if (p->depth != 1 && !field_section(p))
		return; /* only the record's own fields print their names (value) */
	free(t->key);
	t->key = crm_pr_strdup(k);
}

static void value(struct crm_printer *p, const struct crm_value *v)
{
	struct table *t = T(p);
	struct crm_pr_frame *top = crm_pr_top(p);
	char local[64];
	const char *s = cell_text(p, v, local, sizeof local, 0);
	if (!top || (!top->is_map && p->depth >= 1)) {
		/* a scalar on its own, or an item of a list: a line */
		if (top && top->count == 0)
			heading(p, top);
		char *text = printable(s, 0, NULL);
		fprintf(p->o.out, "%*s%s\n", item_indent(list_level(p)), "", text);
		free(text);
		return;
	}
	if (p->depth == 1 || field_section(p)) { /* the record's own fields */
		if (v->type == CRM_V_NULL)
			return;
		if (p->depth == 2 && !t->fields_heading) {
			heading(p, top);
			t->fields_heading = 1;
		}
		char *text = printable(s, 0, NULL);
		char *name = printable(t->key ? t->key : "", 0, NULL);
		size_t nw = crm_pr_columns(name);
		fprintf(p->o.out, "%s%*s %s\n", name, nw < 19 ? (int)(19 - nw) : 0, "", text);
		free(name);
		free(text);
		return;
	}
	if (!*s || !t->line_open)
		return;
	if (t->line.n)
		crm_pr_buf_add(&t->line, "  ", 2);
	printable_to(&t->line, s, 0);
}

static void end(struct crm_printer *p, const struct crm_pr_frame *f)
{
	if (f->is_map) {
		line_flush(p);
	} else if (f->table) {
		flush_rows(p);
	}
}

static void note(struct crm_printer *p, const char *text)
{
	struct crm_pr_frame *top = crm_pr_top(p);
	line_flush(p);
	/* a table's rows are kept until its end: print them first, so that the note follows
	 * them, as it follows lines, and starts where the table does */
	int table = top && !top->is_map && top->table;
	if (table)
		flush_rows(p);
	char *s = printable(text, 0, NULL);
	fprintf(p->o.out, "%*s%s\n", table ? 0 : item_indent(top && !top->is_map ? list_level(p) : 1), "", s);
	free(s);
}

static int finish(struct crm_printer *p, struct crm_err *err)
{
	(void)err;
	struct table *t = T(p);
	line_flush(p);
	if (p->mode == CRM_PR_TABULAR && p->nrows)
		flush_rows(p);
	free(t->text.p);
	free(t->out.p);
	free(t->cells);
	free(t->width);
	free(t->key);
	free(t->line.p);
	free(t);
	return CRM_OK;
}

const struct crm_printer_ops crm_pr_table = {
	.name = "table",
	.structural = 1,
	.nested_tables = 1,
	.open = open_table,
	.columns = columns,
	.row = row,
	.begin = begin,
	.key = key,
	.value = value,
	.end = end,
	.note = note,
	.finish = finish,
};
