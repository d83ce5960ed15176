/* Reading CSV files as a stream of records, whatever spreadsheet wrote them: libcsv does the
 * RFC 4180 parsing; this module adds what imports need around it. Memory does not grow with the
 * file: one record is held at a time (up to CRM_CSV_MAX_RECORD bytes).
 *
 *  - the physical line each record starts on (quoted fields may hold line breaks);
 *  - CRLF, LF or CR line ends; a UTF-8 byte-order mark and empty lines are skipped;
 *  - the delimiter (`,` `;` or TAB) sniffed from the header line, given, or named by an Excel
 *    "sep=;" first line;
 *  - text checked to be UTF-8, or converted to it with iconv from the encoding given;
 *  - malformed quoting (a quote inside an unquoted field, text after a closing quote, a quote
 *    never closed) is an error naming the line, not a silent guess. */
#ifndef CRM_CSVIN_H
#define CRM_CSVIN_H

#include <stddef.h>
#include <stdio.h>
#include "crm/error.h"

/* The longest record accepted; longer is reported as an error (usually a quote never closed). */
#define CRM_CSV_MAX_RECORD (1 << 20)
/* The most fields a record may have. */
#define CRM_CSV_MAX_FIELDS 4096

/* What the rows are written in. CSV is any spreadsheet's; TSV is what `-F tsv` writes: one line
 * a record, fields split at tabs, \t \n \r \\ escapes, quotes are text; JSON is what `-F json`
 * writes (an array of objects) and NDJSON what `-F ndjson` writes (an object a line): the keys
 * of every object (in the order first met) are the header, read in a first pass over a regular
 * file; from standard input or a pipe, read once, the first object's keys are the header and
 * another key is an error. Every object gives its values under them (a key missing is empty, null is empty, an array is its items joined by ", " as csv has a link field (in
 * a column crm_csvin_list_columns names, by CRM_LIST_SEP, so that an item may hold commas), an
 * unknown key is an error). JSON is read strictly (RFC 8259): YAML that libyaml would take (unquoted
 * or single-quoted text, comments, tags, anchors, a trailing comma, a second document, text after
 * the array) is an error naming the line. AUTO: JSON when the first character is '[', NDJSON when '{', TSV
 * when the header line splits best at tabs, else CSV. */
/* VCARD: vCard files of contacts (crm/vcard.h), read whole, a card a row; AUTO takes a file
 * beginning with BEGIN:VCARD for one. */
enum crm_in_format { CRM_IN_CSV = 0, CRM_IN_TSV, CRM_IN_JSON, CRM_IN_NDJSON, CRM_IN_VCARD, CRM_IN_AUTO };

struct crm_kind;
struct crm_csvin_opts {
	int delimiter;        /* ',', ';' or '\t'; 0: sniffed from the first line (csv) */
	const char *encoding; /* the file's encoding (latin1, cp1252, ...) for iconv; NULL: UTF-8 */
	enum crm_in_format format;
	const struct crm_kind *kind; /* vcard: the kind imported (its X-CRM- fields become columns) */
	int from_stdin;       /* json: standard input, read once (a regular file is read twice: the
			       * keys of every object, then the rows) */
};

struct crm_csv_row {
	int nfields;
	const char *const *fields; /* NUL-terminated UTF-8, valid until the next crm_csvin_next */
	const size_t *lengths;
	long long line;            /* the physical line the record starts on, from 1 */
};

struct crm_csvin;

/* Start reading `in` (not closed by this module). `name` is used in messages. Fails with
 * CRM_EUSAGE for an unknown encoding or delimiter, for a spreadsheet (a ZIP or OLE file: xlsx,
 * ods, xls) and, format AUTO, for YAML (a first line starting "- " or "---"), CRM_EFAIL when the file cannot be read. */
int crm_csvin_open(struct crm_csvin **out, FILE *in, const char *name, const struct crm_csvin_opts *o,
		   struct crm_err *err);
/* 1: a record in *row; 0: end of file; negative: -status with err filled ("line 7: ..."),
 * CRM_EINVALID for malformed input, CRM_EFAIL for a read error. After an error, no more records. */
int crm_csvin_next(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err);
/* The delimiter in use (after sniffing, which happens at open). */
int crm_csvin_delimiter(const struct crm_csvin *r);
/* The format being read (AUTO resolved at open). */
enum crm_in_format crm_csvin_format(const struct crm_csvin *r);
/* "csv", "tsv", "json", "ndjson", "vcard" or NULL. */
int crm_in_format_parse(const char *name);
const char *crm_in_format_name(enum crm_in_format f);
/* The columns (by header position, n of them) whose values are lists (links, multi-valued
 * fields): a JSON array there keeps its items apart, joined by CRM_LIST_SEP. Set after the
 * header row, before the first record. */
void crm_csvin_list_columns(struct crm_csvin *r, const unsigned char *is_list, int n);
/* vcard: the photos (and other inline binary values) left out. */
long long crm_csvin_dropped(const struct crm_csvin *r);
/* Bytes of the file read so far, for progress. */
long long crm_csvin_offset(const struct crm_csvin *r);
void crm_csvin_close(struct crm_csvin *r);

#endif
