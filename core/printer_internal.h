/* Private to the printer files (core/printer.c and its backends): the printer object, the backend vtable, and the helpers the
 * backends share. The front (printer.c) owns the state every backend needs the same way:
 * the format's ops, the column names, the structural stack (so misuse is caught once, not
 * per backend), list values joined for flat formats, formula neutralising. A backend keeps
 * its own state behind `be`. */
#ifndef CRM_PRINTER_INTERNAL_H
#define CRM_PRINTER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "crm/error.h"
#include "crm/printer.h"

/* Widest a table or spreadsheet column is sized for, in characters. */
#define CRM_PR_MAX_WIDTH 60

struct crm_printer;

enum crm_pr_mode { CRM_PR_NONE, CRM_PR_TABULAR, CRM_PR_STRUCT };

struct crm_pr_frame {
	int is_map;
	int have_key;      /* map: a key was written, its value is due */
	long count;        /* keys (map) or items (list) written, before this call */
	int table;         /* list: columns were given, the items are rows */
	char *title;       /* the heading a text view shows (crm_printer_section), owned: of a list,
			    * or of a map that is a section's value */
};

/* One backend. Hooks a backend leaves NULL are not called (the call is ignored). */
struct crm_printer_ops {
	const char *name;
	/* Accepts the structural calls (begin/key/value/end). */
	unsigned structural : 1;
	/* Takes CRM_V_LIST values as they are; otherwise the front hands it the items joined by ", ". */
	unsigned lists : 1;
	/* Text cells starting with = + - @ TAB CR get a leading ' when opts.neutralise is set. */
	unsigned neutralise : 1;
	/* Renders a table nested in a structure itself (columns/row while a list is open);
	 * otherwise the front turns each row into a map of column -> cell. */
	unsigned nested_tables : 1;
	/* Set up p->be; return CRM_OK or an error. */
	int (*open)(struct crm_printer *p, struct crm_err *err);
	/* Tabular: p->cols and p->ncols are set. */
	void (*columns)(struct crm_printer *p);
	void (*row)(struct crm_printer *p, const struct crm_value *cells);
	/* Structural: the front has checked the call is well placed and pushed or popped the frame
	 * (begin sees the new frame on top; end sees the closed frame in *f, no longer on the stack). */
	void (*begin)(struct crm_printer *p, int is_map);
	void (*key)(struct crm_printer *p, const char *key);
	void (*value)(struct crm_printer *p, const struct crm_value *v);
	void (*end)(struct crm_printer *p, const struct crm_pr_frame *f);
	void (*note)(struct crm_printer *p, const char *text);
	/* Flush and free p->be. Output stream errors are checked by the front afterwards. */
	int (*finish)(struct crm_printer *p, struct crm_err *err);
};

struct crm_printer {
	struct crm_printer_opts o;
	const struct crm_printer_ops *ops;
	char *path; /* copy of o.path, for error messages */
	enum crm_pr_mode mode;
	int ncols;
	char **cols;
	long long nrows;
	struct crm_pr_frame *stack;
	size_t depth, capstack;
	char *title; /* the title of the next list (crm_printer_section) */
	void *be;    /* the backend's own state */
	/* during crm_printer_row_money: each cell's currency when it is money (see printer.h) */
	const char *const *row_currency;
};

extern const struct crm_printer_ops crm_pr_table, crm_pr_tsv, crm_pr_csv, crm_pr_json, crm_pr_ndjson,
	crm_pr_yaml, crm_pr_xlsx;

static inline struct crm_pr_frame *crm_pr_top(struct crm_printer *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

/* Allocation that cannot fail (abort on exhaustion, as everywhere in crm). */
void *crm_pr_alloc(size_t n);
void *crm_pr_grow(void *ptr, size_t *cap, size_t need, size_t size);
char *crm_pr_strdup(const char *s);

/* A growing string. */
struct crm_pr_buf {
	char *p;
	size_t n, cap;
};
void crm_pr_buf_add(struct crm_pr_buf *b, const char *s, size_t n);
void crm_pr_buf_adds(struct crm_pr_buf *b, const char *s);

int crm_pr_caseeq(const char *a, const char *b);

/* Decode one UTF-8 sequence from s (n bytes available). Returns its length and sets *cp, or 0 if
 * the bytes are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t crm_pr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* s when it is valid UTF-8; otherwise a copy (stored in *tofree, to be freed by the caller) with
 * each invalid byte replaced by U+FFFD. *tofree is set to NULL when no copy was made. */
const char *crm_pr_utf8_clean(const char *s, char **tofree);

/* Code points (an invalid byte counts as one): the xlsx backends' estimate of a column's width. */
size_t crm_pr_width(const char *s);

/* Columns on a terminal: a wide character (CJK, emoji) takes two, a zero-width one (a combining
 * accent, a joiner, a variation selector) none, any other one (an invalid byte too). The table
 * backend pads and cuts by these. */
int crm_pr_cp_columns(uint32_t cp);
size_t crm_pr_columns(const char *s);

/* Whether a text cell begins with a character a spreadsheet may read as a formula. */
int crm_pr_risky(const char *s);

/* 1 for true, 0 for false, -1 when the text is not a boolean. */
int crm_pr_bool(const char *s);

/* The items of a CRM_V_LIST value, one at a time: *item and *len the next one; 0 at the end. */
int crm_pr_list_next(const char **cursor, const char **item, size_t *len);

/* The tsv and csv backends share the delimited-row logic (printer_tsv.c). */
void crm_pr_delimited_header(struct crm_printer *p, char sep, void (*field)(FILE *, const char *));
void crm_pr_delimited_row(struct crm_printer *p, const struct crm_value *cells, char sep,
			  void (*field)(FILE *, const char *));

/* json and ndjson share the JSON writer (printer_json.c). */
void crm_pr_json_string(FILE *f, const char *s);
void crm_pr_json_value(FILE *f, const struct crm_value *v);
/* The json hooks; they pretty-print for the json backend, one line per value for ndjson. */
void crm_pr_json_row(struct crm_printer *p, const struct crm_value *cells);
void crm_pr_json_begin(struct crm_printer *p, int is_map);
void crm_pr_json_key(struct crm_printer *p, const char *key);
void crm_pr_json_value_hook(struct crm_printer *p, const struct crm_value *v);
void crm_pr_json_end(struct crm_printer *p, const struct crm_pr_frame *f);
int crm_pr_json_finish(struct crm_printer *p, struct crm_err *err);

#endif
