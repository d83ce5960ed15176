/* One printer interface, many backends (the notmuch sprinter shape): core/printer.c is the
 * front, each format a backend in core/printer_<format>.c behind a vtable.
 *
 * Tabular use (list, export):   crm_printer_columns() once, crm_printer_row() per row.
 * Structural use (show):        begin_map / key / value / begin_list / end, nested freely.
 * A table inside a structure:   begin_list, then columns and rows, then end: json and yaml
 *                               write a list of maps, the text view an aligned table.
 * Every backend accepts tabular use. json, ndjson, yaml and table accept structural use (table
 * renders it as the text view people read: "name  value" lines, a heading per non-empty
 * section, one line per record); tsv, csv and xlsx ignore it (show writes one row for them).
 *
 * CRM_V_LIST values (link fields) are arrays in json and yaml and items joined by ", "
 * everywhere else. */
#ifndef CRM_PRINTER_H
#define CRM_PRINTER_H

#include <stdio.h>
#include "crm/error.h"
#include "crm/value.h"

enum crm_format {
	CRM_FMT_TABLE = 0,
	CRM_FMT_TSV,
	CRM_FMT_CSV,
	CRM_FMT_JSON,
	CRM_FMT_NDJSON,
	CRM_FMT_YAML,
	CRM_FMT_XLSX,
};

struct crm_printer_opts {
	enum crm_format format;
	FILE *out;            /* stdout or an opened -o file; not for xlsx */
	const char *path;     /* the -o path: required for xlsx, informational otherwise */
	int headers;          /* print a header line (table, tsv, csv) */
	int color;            /* table only: bold header */
	int iso_times;        /* table: timestamps as stored (ISO 8601 UTC), not in local time */
	int excel_bom;        /* csv: start with a UTF-8 byte-order mark */
	int neutralise;       /* csv/tsv/xlsx text: prefix cells starting with = + - @ TAB CR with ' */
	int terminal;         /* out is a terminal: tsv and csv text has its control characters
			       * cleaned as the table's is (crm_printer_clean), so data never drives it */
	/* xlsx only: the metadata sheet (command line, filter, user, time); may be NULL */
	const char *meta_command, *meta_filter, *meta_user, *meta_time;
	const char *sheet_name; /* xlsx only: main sheet name, default "Data" */
	/* xlsx only: told what the file could not hold as given (cells longer than Excel's 32,767
	 * characters, cut to fit), once, at finish; the file is written all the same. May be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

struct crm_printer;

/* Parse a format name (table, tsv, csv, json, ndjson, yaml, xlsx); -1 if unknown. */
int crm_format_parse(const char *name);
const char *crm_format_name(enum crm_format f);
/* Format from a file name's extension (.csv .tsv .json .ndjson .jsonl .yaml .yml .xlsx .txt); -1 if none. */
int crm_format_from_path(const char *path);

struct crm_printer *crm_printer_new(const struct crm_printer_opts *opts, struct crm_err *err);

/* Tabular. columns may be called once per printer; the names are copied. */
void crm_printer_columns(struct crm_printer *p, const char *const *names, int ncols);
void crm_printer_row(struct crm_printer *p, const struct crm_value *cells);
/* A row whose amounts of money say so: currency[i] is cell i's currency ("EUR"; "" for money in
 * no named currency) when the cell is money, NULL otherwise, as the field's type says (not its
 * name). xlsx writes those cells as numbers in the currency's format; every other format prints
 * the cells as crm_printer_row does. currency may be NULL (no money in the row). */
void crm_printer_row_money(struct crm_printer *p, const struct crm_value *cells, const char *const *currency);

/* Structural (json, ndjson, yaml). In ndjson each top-level value is one line. */
void crm_printer_begin_map(struct crm_printer *p);
void crm_printer_begin_list(struct crm_printer *p);
void crm_printer_key(struct crm_printer *p, const char *key);
void crm_printer_value(struct crm_printer *p, const struct crm_value *v);
void crm_printer_text(struct crm_printer *p, const char *text); /* CRM_V_TEXT, or null when NULL */
void crm_printer_end(struct crm_printer *p); /* closes the innermost map or list */
/* In a map: the key of a list about to begin, with the heading a text view prints above it
 * (only when the list has items). Other backends use the key alone. */
void crm_printer_section(struct crm_printer *p, const char *key, const char *title);
/* A remark for people under the current list ("the 10 most recent"): printed by the text view,
 * ignored by data formats. */
void crm_printer_note(struct crm_printer *p, const char *text);

/* Text as the table backend shows it, for the few text views that draw their own lines
 * (account tree, import show, the calendar's grid, completion descriptions): control characters
 * (C0, DEL, C1) become spaces, invalid UTF-8 U+FFFD, so data never drives the terminal. The one
 * cleaning there is: the table backend's cells and tsv/csv on a terminal go through it too.
 * NULL gives NULL; free the result. */
char *crm_printer_clean(const char *text);
/* The same cleaning for messages on standard error, which must still say what the text held:
 * newlines and tabs stay, other control characters are written \xHH (C1 ones \u00HH) and bytes
 * that are not UTF-8 \xHH. NULL gives NULL; free the result. */
char *crm_printer_escape(const char *text);
/* How many columns text takes on a terminal: a wide character (CJK, emoji) two, a combining
 * accent or other zero-width character none. NULL gives 0. */
size_t crm_printer_width(const char *text);
/* text cleaned (crm_printer_clean), cut to at most `width` terminal columns and padded with
 * spaces to exactly `width` (a wide character that would straddle the edge is left out): a cell
 * of a grid. NULL is "". Free the result. */
char *crm_printer_fit(const char *text, size_t width);

/* Flush everything (the table backend prints here), free the printer. Returns CRM_OK or an
 * error (e.g. the xlsx file could not be written). */
int crm_printer_finish(struct crm_printer *p, struct crm_err *err);

#endif
