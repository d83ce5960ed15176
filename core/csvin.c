/* Reading CSV as a stream of records on top of libcsv; see include/crm/csvin.h.
 *
 * libcsv says nothing about lines, so the input is fed to it one physical line at a time: a
 * record that ends is then known to end on the line just fed, and one that starts is known to
 * start on it. Lines end at LF, CRLF or a lone CR (old Mac spreadsheets). */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "crm/csvin.h"
#include "crm/value.h"
#include "crm/vcard.h"
#include "util.h"

#define CHUNK (64 * 1024)
/* iconv output room: UTF-8 takes at most 4 bytes per character, most encodings at least 1. */
#define CONV_CAP (4 * CHUNK)

struct crm_csvin {
	FILE *in;
	char *name;
	struct csv_parser p;
	int delim;
	iconv_t cd;           /* (iconv_t)-1 when the file is read as UTF-8 */
	unsigned char *raw;   /* bytes from the file */
	size_t raw_len;       /* converting: bytes not yet converted */
	unsigned char *conv;  /* converting: UTF-8 output */
	const unsigned char *buf; /* the UTF-8 bytes being fed: raw or conv */
	size_t len, pos;
	int in_eof;           /* fread saw the end */
	int eof;              /* no more UTF-8 bytes */
	int bad_encoding;     /* iconv met bytes invalid in the encoding given */
	int finished;         /* csv_fini was called */
	int failed;           /* the status of an earlier error */
	long long offset;     /* bytes read from the file */
	long long line;       /* the line the next byte belongs to */
	int pending_cr;       /* the last segment ended in CR at the buffer's end */
	/* UTF-8 check across segments: continuation bytes still expected, and the first one's range */
	int u8_need;
	unsigned char u8_lo, u8_hi;
	/* the record being read */
	int in_record, done, too_many;
	long long rec_line;
	size_t rec_bytes;
	char *arena;
	size_t arena_len, arena_cap;
	size_t *offs, *lens;
	const char **ptrs;
	int nf;
	enum crm_in_format format;
	/* tsv: the physical line being gathered */
	char *tline;
	size_t tline_len, tline_cap;
	/* json and ndjson, read by libyaml (JSON is YAML's flow style); ndjson is given to it as a
	 * block sequence, "- " before each line */
	yaml_parser_t yp;
	int yp_open, json_started, json_ended, held;
	int at_line_start, inject;
	struct crm_err read_err; /* a read error met inside libyaml's input handler */
	char **hdr, **vals;
	int nhdr;
	char jesc[12];                 /* json: an escape held back, perhaps half a surrogate pair */
	int njesc;
	char jout[16];                 /* json: bytes made, waiting for libyaml's buffer */
	int njout, jout_at;
	unsigned char *from_array;     /* json: the value was an array, its items joined by CRM_LIST_SEP */
	unsigned char *list_cols;      /* json: columns whose arrays stay items (crm_csvin_list_columns) */
	int nlist_cols;
	long long held_line;
	/* vcard: every card read at open, handed out a row at a time after the header */
	struct crm_vcard_rows vc;
	int vc_open, vc_next;
};

static int space_only(unsigned char c)
{
	return c == ' ';
}

static int is_space(const struct crm_csvin *r, unsigned char c)
{
	return c == ' ' || (c == '\t' && r->delim != '\t');
}

static void on_field(void *s, size_t len, void *data)
{
	struct crm_csvin *r = data;
	if (r->nf >= CRM_CSV_MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	if (r->arena_len + len + 1 > r->arena_cap) {
		while (r->arena_len + len + 1 > r->arena_cap)
			r->arena_cap = r->arena_cap ? 2 * r->arena_cap : 4096;
		r->arena = xrealloc(r->arena, r->arena_cap);
	}
	if (len)
		memcpy(r->arena + r->arena_len, s, len);
	r->arena[r->arena_len + len] = '\0';
	r->offs[r->nf] = r->arena_len;
	r->lens[r->nf] = len;
	r->nf++;
	r->arena_len += len + 1;
}

static void on_record(int c, void *data)
{
	(void)c;
	struct crm_csvin *r = data;
	r->done = 1;
}

static int fail(struct crm_csvin *r, struct crm_err *err, int code, long long line, const char *what)
{
	if (line > 0)
		crm_error(err, code, "'%s' line %lld: %s", r->name, line, what);
	else
		crm_error(err, code, "'%s': %s", r->name, what);
	r->failed = code;
	return -code;
}

static const char *const encoding_hint =
	"not valid UTF-8; give --encoding with the file's encoding (e.g. --encoding cp1252)";

/* Check that s continues valid UTF-8 (state carried across calls); NUL bytes are refused too,
 * since a C string cannot hold them (and they usually mean a UTF-16 file). */
static int utf8_ok(struct crm_csvin *r, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (r->u8_need) {
			if (c < r->u8_lo || c > r->u8_hi)
				return 0;
			r->u8_lo = 0x80;
			r->u8_hi = 0xBF;
			r->u8_need--;
			i++;
			continue;
		}
		if (c >= 0x01 && c < 0x80) {
			i++;
			/* Most text is ASCII: skip it eight bytes at a time. */
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if ((w & 0x8080808080808080ULL) || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
					break;
				i += 8;
			}
			continue;
		}
		r->u8_lo = 0x80;
		r->u8_hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			r->u8_need = 1;
		else if (c == 0xE0)
			r->u8_need = 2, r->u8_lo = 0xA0;
		else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
			r->u8_need = 2;
		else if (c == 0xED) /* no surrogates */
			r->u8_need = 2, r->u8_hi = 0x9F;
		else if (c == 0xF0)
			r->u8_need = 3, r->u8_lo = 0x90;
		else if (c >= 0xF1 && c <= 0xF3)
			r->u8_need = 3;
		else if (c == 0xF4) /* nothing beyond U+10FFFF */
			r->u8_need = 3, r->u8_hi = 0x8F;
		else
			return 0;
		i++;
	}
	return 1;
}

/* Make more UTF-8 bytes available in buf (pos == len on entry). Sets eof at the end. */
static int refill(struct crm_csvin *r, struct crm_err *err)
{
	r->pos = r->len = 0;
	if (r->cd == (iconv_t)-1) {
		size_t n = r->in_eof ? 0 : fread(r->raw, 1, CHUNK, r->in);
		if (n == 0) {
			if (ferror(r->in))
				return fail(r, err, CRM_EFAIL, 0, strerror(errno ? errno : EIO));
			r->in_eof = r->eof = 1;
		}
		r->offset += (long long)n;
		r->buf = r->raw;
		r->len = n;
		return 0;
	}
	if (r->bad_encoding)
		return fail(r, err, CRM_EINVALID, r->line, "not valid in the encoding given by --encoding");
	while (r->len == 0 && !r->eof) {
		if (!r->in_eof) {
			size_t n = fread(r->raw + r->raw_len, 1, CHUNK - r->raw_len, r->in);
			if (n == 0) {
				if (ferror(r->in))
					return fail(r, err, CRM_EFAIL, 0, strerror(errno ? errno : EIO));
				r->in_eof = 1;
			}
			r->offset += (long long)n;
			r->raw_len += n;
		}
		char *ip = (char *)r->raw, *op = (char *)r->conv;
		size_t il = r->raw_len, ol = CONV_CAP;
		size_t before = il;
		if (iconv(r->cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == EILSEQ || (errno == EINVAL && r->in_eof))
				r->bad_encoding = 1; /* reported once the good part before it is read */
		}
		if (r->in_eof && !r->bad_encoding && il == 0)
			iconv(r->cd, NULL, NULL, &op, &ol); /* the final shift state of stateful encodings */
		memmove(r->raw, ip, il);
		r->raw_len = il;
		r->buf = r->conv;
		r->len = (size_t)(op - (char *)r->conv);
		if (r->len == 0) {
			if (r->bad_encoding)
				return fail(r, err, CRM_EINVALID, r->line, "not valid in the encoding given by --encoding");
			if (r->in_eof && il == 0)
				r->eof = 1;
			else if (il == before && r->in_eof)
				return fail(r, err, CRM_EINVALID, r->line, "ends inside a character");
		}
	}
	return 0;
}

/* The first line decides the delimiter: an Excel "sep=;" line, or the most frequent of , ; TAB
 * outside quotes (a comma when none occurs). */
static void sniff(struct crm_csvin *r, int given)
{
	const unsigned char *s = r->buf + r->pos, *end = r->buf + r->len;
	if (end - s >= 5 && strncasecmp((const char *)s, "sep=", 4) == 0 &&
	    (s + 5 == end || s[5] == '\n' || s[5] == '\r')) {
		if (!given)
			r->delim = s[4];
		const unsigned char *p = s + 5;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		r->pos = (size_t)(p - r->buf);
		r->line++;
		return;
	}
	if (given)
		return;
	int comma = 0, semi = 0, tab = 0, quoted = 0;
	for (const unsigned char *p = s; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted)
			comma += *p == ',', semi += *p == ';', tab += *p == '\t';
	}
	r->delim = ',';
	if (semi > comma && semi >= tab)
		r->delim = ';';
	else if (tab > comma && tab > semi)
		r->delim = '\t';
}

static int emit(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err);

static const char *const format_names[] = { "csv", "tsv", "json", "ndjson", "vcard" };

int crm_in_format_parse(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (strcasecmp(name, format_names[i]) == 0)
			return i;
	if (strcasecmp(name, "jsonl") == 0)
		return CRM_IN_NDJSON;
	return -1;
}

const char *crm_in_format_name(enum crm_in_format f)
{
	return f <= CRM_IN_VCARD ? format_names[f] : "auto";
}

enum crm_in_format crm_csvin_format(const struct crm_csvin *r)
{
	return r->format;
}

/* ---------------------------------------------------------------- json and ndjson */

/* Does the held escape still read as a surrogate pair, \uD8xx\uDCxx, so far? */
static int pair_so_far(const char *e, int n)
{
	static const char *const at[12] = { "\\", "u", "dD", "89abAB", NULL, NULL, "\\", "u", "dD", "cdefCDEF", NULL, NULL };
	char c = e[n - 1];
	return at[n - 1] ? strchr(at[n - 1], c) != NULL && c : isxdigit((unsigned char)c) != 0;
}

static void json_out(struct crm_csvin *r, const char *s, int n)
{
	memcpy(r->jout + r->njout, s, (size_t)n);
	r->njout += n;
}

/* JSON writes a character beyond U+FFFF as two escapes (\ud83d\ude00, as Python's json and
 * JavaScript do); libyaml takes \u one UTF-16 unit at a time and refuses a surrogate. Such a
 * pair is given to it as YAML's one escape for the character, \U0001F600. */
static void json_feed(struct crm_csvin *r, char c)
{
	if (!r->njesc) {
		if (c == '\\')
			r->jesc[r->njesc++] = c;
		else
			json_out(r, &c, 1);
		return;
	}
	r->jesc[r->njesc++] = c;
	if (pair_so_far(r->jesc, r->njesc)) {
		if (r->njesc == 12) {
			unsigned hi = (unsigned)strtoul((char[]){ r->jesc[2], r->jesc[3], r->jesc[4], r->jesc[5], 0 }, NULL, 16);
			unsigned lo = (unsigned)strtoul((char[]){ r->jesc[8], r->jesc[9], r->jesc[10], r->jesc[11], 0 }, NULL, 16);
			char u[12];
			snprintf(u, sizeof u, "\\U%08X", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
			json_out(r, u, 10);
			r->njesc = 0;
		}
		return;
	}
	/* Not a pair: what was held goes as it came. An escape's own character (\n, \\) goes with
	 * its backslash, so that an escaped backslash never starts an escape. */
	int n = r->njesc;
	r->njesc = 0;
	if (n == 2 || n == 8) {
		json_out(r, r->jesc, n);
		return;
	}
	json_out(r, r->jesc, n - 1);
	json_feed(r, c);
}

/* libyaml's input: the UTF-8 bytes of buf, with "- " put before each line of ndjson. */
static int json_read(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct crm_csvin *r = data;
	*size_read = 0;
	while (*size_read < size) {
		if (r->jout_at < r->njout) {
			buffer[(*size_read)++] = (unsigned char)r->jout[r->jout_at++];
			continue;
		}
		r->njout = r->jout_at = 0;
		if (r->inject) {
			buffer[(*size_read)++] = r->inject == 2 ? '-' : ' ';
			r->inject--;
			continue;
		}
		if (r->pos == r->len) {
			if (r->eof) {
				if (!r->njesc)
					break;
				json_out(r, r->jesc, r->njesc); /* a half escape at the end: libyaml says so */
				r->njesc = 0;
				continue;
			}
			if (refill(r, &r->read_err))
				return 0;
			continue;
		}
		unsigned char c = r->buf[r->pos];
		if (r->format == CRM_IN_NDJSON && r->at_line_start && c != '\n' && c != '\r') {
			r->at_line_start = 0;
			r->inject = 2;
			continue;
		}
		json_feed(r, (char)c);
		r->pos++;
		if (c == '\n' || c == '\r')
			r->at_line_start = 1;
	}
	return 1;
}

static int json_event(struct crm_csvin *r, yaml_event_t *ev, struct crm_err *err)
{
	if (yaml_parser_parse(&r->yp, ev))
		return 0;
	if (r->read_err.code) {
		*err = r->read_err;
		return -r->read_err.code;
	}
	char what[256];
	snprintf(what, sizeof what, "not valid %s: %s%s%s", r->format == CRM_IN_NDJSON ? "NDJSON (one JSON "
		 "object a line)" : "JSON", r->yp.problem ? r->yp.problem : "unreadable",
		 r->yp.context ? " " : "", r->yp.context ? r->yp.context : "");
	return fail(r, err, CRM_EINVALID, (long long)r->yp.problem_mark.line + 1, what);
}

static int json_bad(struct crm_csvin *r, yaml_event_t *ev, struct crm_err *err, const char *what)
{
	long long line = (long long)ev->start_mark.line + 1;
	yaml_event_delete(ev);
	return fail(r, err, CRM_EINVALID, line, what);
}

/* A scalar's text: null (plain null, ~ or nothing) is "". */
static char *json_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!*v || strcmp(v, "null") == 0 || strcmp(v, "~") == 0))
		return xstrdup("");
	return xstrndup(v, ev->data.scalar.length);
}

/* The value after a key: a scalar, or an array of scalars joined by ", ". */
static int json_value(struct crm_csvin *r, const char *key, char **out, int *array, struct crm_err *err)
{
	*array = 0;
	yaml_event_t ev;
	int rc = json_event(r, &ev, err);
	if (rc)
		return rc;
	if (ev.type == YAML_SCALAR_EVENT) {
		*out = json_scalar(&ev);
		yaml_event_delete(&ev);
		return 0;
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		char what[160];
		snprintf(what, sizeof what, "'%.64s' is an object; a value is text, a number, true, false, null "
			 "or an array of them", key);
		return json_bad(r, &ev, err, what);
	}
	yaml_event_delete(&ev);
	*array = 1;
	struct strbuf b = { 0 };
	sb_add(&b, "");
	for (int n = 0;; n++) {
		if ((rc = json_event(r, &ev, err))) {
			sb_free(&b);
			return rc;
		}
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			sb_free(&b);
			char what[160];
			snprintf(what, sizeof what, "'%.64s' holds an array or object inside an array", key);
			return json_bad(r, &ev, err, what);
		}
		char *v = json_scalar(&ev);
		if (*v)
			sb_addf(&b, "%s%s", b.len ? CRM_LIST_SEP_STR : "", v);
		free(v);
		yaml_event_delete(&ev);
	}
	*out = b.s;
	return 0;
}

static void json_free_row(struct crm_csvin *r)
{
	for (int i = 0; r->vals && i < r->nhdr; i++) {
		free(r->vals[i]);
		r->vals[i] = NULL;
		r->from_array[i] = 0;
	}
}

static int json_emit(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err, char **cells,
		     long long line)
{
	r->nf = 0;
	r->arena_len = 0;
	for (int i = 0; i < r->nhdr; i++) {
		char *c = cells[i] ? cells[i] : "";
		if (cells == r->vals && r->from_array[i] && !(i < r->nlist_cols && r->list_cols[i])) {
			/* an array where one value is wanted: its items as csv has them */
			struct strbuf b = { 0 };
			for (const char *p = c; *p; p++)
				if (*p == CRM_LIST_SEP)
					sb_add(&b, ", ");
				else
					sb_addn(&b, p, 1);
			on_field(b.s ? b.s : "", b.len, r);
			sb_free(&b);
			continue;
		}
		if (cells == r->vals && r->from_array[i] && *c && !strchr(c, CRM_LIST_SEP)) {
			/* one item: the separator still says it is one, whatever commas it holds */
			struct strbuf b = { 0 };
			sb_addf(&b, "%s%c", c, CRM_LIST_SEP);
			on_field(b.s, b.len, r);
			sb_free(&b);
			continue;
		}
		on_field(c, strlen(c), r);
	}
	r->rec_line = line;
	return emit(r, row, err);
}

static int json_next(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	yaml_event_t ev;
	int rc;
	if (r->held) { /* the first object's values, after its keys as the header */
		r->held = 0;
		rc = json_emit(r, row, err, r->vals, r->held_line);
		json_free_row(r);
		return rc;
	}
	if (r->json_ended)
		return 0;
	while (!r->json_started) {
		if ((rc = json_event(r, &ev, err)))
			return rc;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			r->json_ended = 1;
			return 0;
		}
		if (t == YAML_SEQUENCE_START_EVENT)
			r->json_started = 1;
		else if (t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_START_EVENT)
			return json_bad(r, &ev, err, "a JSON file to import is an array of objects ([{...}, ...]); "
					"NDJSON is one object a line");
		yaml_event_delete(&ev);
	}
	for (;;) {
		if ((rc = json_event(r, &ev, err)))
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			r->json_ended = 1;
			return 0;
		}
		if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    !ev.data.scalar.length) {
			yaml_event_delete(&ev); /* a blank line of ndjson */
			continue;
		}
		if (ev.type != YAML_MAPPING_START_EVENT)
			return json_bad(r, &ev, err, "each record is an object: {\"field\": value, ...}");
		break;
	}
	long long line = (long long)ev.start_mark.line + 1;
	yaml_event_delete(&ev);
	int first = r->hdr == NULL;
	int cap = 0;
	for (;;) {
		if ((rc = json_event(r, &ev, err))) {
			json_free_row(r);
			return rc;
		}
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			json_free_row(r);
			return json_bad(r, &ev, err, "a key must be a string");
		}
		char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
		int at = -1;
		for (int i = 0; i < r->nhdr; i++)
			if (strcmp(r->hdr[i], key) == 0)
				at = i;
		char what[256];
		if (at < 0 && !first) {
			snprintf(what, sizeof what, "key '%.64s' is not in the first record; every record takes its "
				 "keys from those", key);
			free(key);
			json_free_row(r);
			return fail(r, err, CRM_EINVALID, line, what);
		}
		if (at >= 0 && (first || r->vals[at])) {
			snprintf(what, sizeof what, "key '%.64s' given twice", key);
			free(key);
			json_free_row(r);
			return fail(r, err, CRM_EINVALID, line, what);
		}
		if (at < 0) {
			if (r->nhdr >= CRM_CSV_MAX_FIELDS) {
				free(key);
				json_free_row(r);
				return fail(r, err, CRM_EINVALID, line, "too many keys");
			}
			if (r->nhdr == cap) {
				cap = cap ? 2 * cap : 32;
				r->hdr = xrealloc(r->hdr, (size_t)cap * sizeof *r->hdr);
				r->vals = xrealloc(r->vals, (size_t)cap * sizeof *r->vals);
				r->from_array = xrealloc(r->from_array, (size_t)cap);
			}
			at = r->nhdr++;
			r->hdr[at] = key;
			r->vals[at] = NULL;
			r->from_array[at] = 0;
		} else {
			free(key);
		}
		char *v = NULL;
		int array = 0;
		if ((rc = json_value(r, r->hdr[at], &v, &array, err))) {
			json_free_row(r);
			return rc;
		}
		r->vals[at] = v;
		r->from_array[at] = (unsigned char)array;
	}
	if (first) {
		if (!r->hdr) { /* {} first: no columns */
			r->hdr = xcalloc(1, sizeof *r->hdr);
			r->vals = xcalloc(1, sizeof *r->vals);
			r->from_array = xcalloc(1, 1);
		}
		r->held = 1;
		r->held_line = line;
		return json_emit(r, row, err, r->hdr, line);
	}
	rc = json_emit(r, row, err, r->vals, line);
	json_free_row(r);
	return rc;
}

/* ---------------------------------------------------------------- tsv */

/* Split the gathered line at tabs, undoing the escapes -F tsv writes. */
static int tsv_emit(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	char *t = r->tline;
	size_t n = r->tline_len, w = 0, start = 0;
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (c == '\t') {
			on_field(t + start, w - start, r);
			start = w;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			char e = t[i + 1];
			if (e == 't' || e == 'n' || e == 'r' || e == '\\') {
				c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\\';
				i++;
			}
		}
		t[w++] = c;
	}
	on_field(t + start, w - start, r);
	r->tline_len = 0;
	return emit(r, row, err);
}

static void tsv_gather(struct crm_csvin *r, const unsigned char *s, size_t n)
{
	if (r->tline_len + n + 1 > r->tline_cap) {
		while (r->tline_len + n + 1 > r->tline_cap)
			r->tline_cap = r->tline_cap ? 2 * r->tline_cap : 4096;
		r->tline = xrealloc(r->tline, r->tline_cap);
	}
	memcpy(r->tline + r->tline_len, s, n);
	r->tline_len += n;
}

int crm_csvin_open(struct crm_csvin **out, FILE *in, const char *name, const struct crm_csvin_opts *o,
		   struct crm_err *err)
{
	*out = NULL;
	int given = o && o->delimiter;
	if (given && o->delimiter != ',' && o->delimiter != ';' && o->delimiter != '\t' && o->delimiter != '|')
		return crm_error(err, CRM_EUSAGE, "the delimiter must be ',', ';', '|' or a tab");
	struct crm_csvin *r = xcalloc(1, sizeof *r);
	r->in = in;
	r->name = xstrdup(name && *name ? name : "-");
	r->cd = (iconv_t)-1;
	r->line = 1;
	r->delim = given ? o->delimiter : ',';
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();
	const char *enc = o ? o->encoding : NULL;
	if (enc && *enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0) {
		r->cd = iconv_open("UTF-8", enc);
		if (r->cd == (iconv_t)-1) {
			int rc = crm_error(err, CRM_EUSAGE, "unknown encoding '%s' (try latin1, cp1252, utf-16)", enc);
			crm_csvin_close(r);
			return rc;
		}
		r->conv = xmalloc(CONV_CAP);
	}
	r->raw = xmalloc(CHUNK);
	r->offs = xmalloc(CRM_CSV_MAX_FIELDS * sizeof *r->offs);
	r->lens = xmalloc(CRM_CSV_MAX_FIELDS * sizeof *r->lens);
	r->ptrs = xmalloc(CRM_CSV_MAX_FIELDS * sizeof *r->ptrs);
	int rc = refill(r, err);
	if (rc) {
		crm_csvin_close(r);
		return -rc;
	}
	if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
		r->pos += 3;
	r->format = o ? o->format : CRM_IN_CSV;
	if (r->format == CRM_IN_AUTO && !given) {
		size_t i = r->pos;
		while (i < r->len && strchr(" \t\r\n", r->buf[i]))
			i++;
		if (i < r->len && r->buf[i] == '[')
			r->format = CRM_IN_JSON;
		else if (i < r->len && r->buf[i] == '{')
			r->format = CRM_IN_NDJSON;
	}
	if (r->format == CRM_IN_AUTO && !given && crm_vcard_sniff((const char *)r->buf + r->pos, r->len - r->pos))
		r->format = CRM_IN_VCARD;
	if (r->format == CRM_IN_VCARD) {
		/* the whole file (a phone's export is small; its photos are skipped), then a row a card */
		struct strbuf all = { 0 };
		sb_add(&all, "");
		for (;;) {
			sb_addn(&all, (const char *)r->buf + r->pos, r->len - r->pos);
			r->pos = r->len;
			if (r->eof)
				break;
			if ((rc = refill(r, err))) {
				sb_free(&all);
				crm_csvin_close(r);
				return -rc;
			}
		}
		rc = crm_vcard_read(all.s, all.len, r->name, o->kind, &r->vc, err);
		sb_free(&all);
		if (rc) {
			crm_csvin_close(r);
			return rc;
		}
		r->vc_open = 1;
		*out = r;
		return CRM_OK;
	}
	if (r->format == CRM_IN_JSON || r->format == CRM_IN_NDJSON) {
		if (!yaml_parser_initialize(&r->yp))
			abort();
		r->yp_open = 1;
		r->at_line_start = 1;
		yaml_parser_set_input(&r->yp, json_read, r);
		*out = r;
		return CRM_OK;
	}
	if (r->format == CRM_IN_TSV && !given) {
		r->delim = '\t';
		given = 1;
	}
	sniff(r, given);
	if (r->format == CRM_IN_AUTO)
		r->format = r->delim == '\t' && !(o && o->delimiter) ? CRM_IN_TSV : CRM_IN_CSV;
	csv_set_delim(&r->p, (unsigned char)r->delim);
	/* libcsv's own test (space or tab) is inline; a function is called for every character. */
	if (r->delim == '\t')
		csv_set_space_func(&r->p, space_only);
	*out = r;
	return CRM_OK;
}

/* ---------------------------------------------------------------- vcard */

/* The header, then each card's row (no rows at all when the file has no card). */
static int vcard_next(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	struct crm_vcard_rows *v = &r->vc;
	if (!v->nrows || r->vc_next > v->nrows)
		return 0;
	char **cells = r->vc_next == 0 ? v->cols : v->rows[r->vc_next - 1];
	r->nf = 0;
	r->arena_len = 0;
	for (int i = 0; i < v->ncols; i++)
		on_field(cells[i], strlen(cells[i]), r);
	r->rec_line = r->vc_next == 0 ? v->lines[0] : v->lines[r->vc_next - 1];
	r->vc_next++;
	return emit(r, row, err);
}

long long crm_csvin_dropped(const struct crm_csvin *r)
{
	return r->vc.dropped;
}

int crm_csvin_delimiter(const struct crm_csvin *r)
{
	return r->delim;
}

long long crm_csvin_offset(const struct crm_csvin *r)
{
	return r->offset;
}

static int blank(const struct crm_csvin *r, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n' && s[i] != '\r' && !is_space(r, s[i]))
			return 0;
	return 1;
}

static int emit(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	if (r->too_many) {
		char what[96];
		snprintf(what, sizeof what, "more than %d fields", CRM_CSV_MAX_FIELDS);
		return fail(r, err, CRM_EINVALID, r->rec_line, what);
	}
	r->in_record = 0;
	for (int i = 0; i < r->nf; i++)
		r->ptrs[i] = r->arena + r->offs[i];
	row->nfields = r->nf;
	row->fields = r->ptrs;
	row->lengths = r->lens;
	row->line = r->rec_line;
	return 1;
}

static int at_end(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	if (r->finished)
		return 0;
	r->finished = 1;
	if (r->u8_need)
		return fail(r, err, CRM_EINVALID, r->line, encoding_hint);
	if (r->format == CRM_IN_TSV)
		return r->in_record ? tsv_emit(r, row, err) : 0;
	if (csv_fini(&r->p, on_field, on_record, r) != 0) {
		if (csv_error(&r->p) == CSV_EPARSE)
			return fail(r, err, CRM_EINVALID, r->rec_line,
				    "a quoted field starting on this line is never closed");
		return fail(r, err, CRM_EFAIL, r->rec_line, csv_strerror(csv_error(&r->p)));
	}
	if (r->done)
		return emit(r, row, err);
	return 0;
}

int crm_csvin_next(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	if (r->failed) {
		crm_error(err, r->failed, "'%s': reading stopped at an earlier error", r->name);
		return -r->failed;
	}
	if (r->format == CRM_IN_JSON || r->format == CRM_IN_NDJSON)
		return json_next(r, row, err);
	if (r->format == CRM_IN_VCARD)
		return vcard_next(r, row, err);
	r->nf = 0;
	r->arena_len = 0;
	r->done = 0;
	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				return at_end(r, row, err);
			int rc = refill(r, err);
			if (rc)
				return rc;
			continue;
		}
		const unsigned char *s = r->buf + r->pos, *end = r->buf + r->len, *p = s;
		while (p < end && *p != '\n' && *p != '\r')
			p++;
		int ends_line = 0, was_pending = r->pending_cr;
		r->pending_cr = 0;
		if (p < end) {
			ends_line = 1;
			if (*p == '\r') {
				if (p + 1 < end && p[1] == '\n')
					p++;
				else if (p + 1 == end)
					r->pending_cr = 1; /* an LF at the start of the next buffer is this line's */
			} else if (p == s && was_pending) {
				ends_line = 0; /* the LF of a CRLF split between two reads */
			}
			p++;
		}
		size_t n = (size_t)(p - s);
		if (!r->in_record) {
			if (blank(r, s, n)) {
				r->pos += n;
				r->line += ends_line;
				continue;
			}
			r->in_record = 1;
			r->rec_line = r->line;
			r->rec_bytes = 0;
		}
		if (!utf8_ok(r, s, n))
			return fail(r, err, CRM_EINVALID, r->line, encoding_hint);
		if (r->format == CRM_IN_TSV) {
			tsv_gather(r, s, n);
			r->pos += n;
			r->line += ends_line;
			r->rec_bytes += n;
			if (ends_line)
				return tsv_emit(r, row, err);
			if (r->rec_bytes > CRM_CSV_MAX_RECORD) {
				char what[96];
				snprintf(what, sizeof what, "a line longer than %d bytes", CRM_CSV_MAX_RECORD);
				return fail(r, err, CRM_EINVALID, r->rec_line, what);
			}
			continue;
		}
		size_t used = csv_parse(&r->p, s, n, on_field, on_record, r);
		if (used != n) {
			if (csv_error(&r->p) == CSV_EPARSE)
				return fail(r, err, CRM_EINVALID, r->line,
					    "malformed quoting: a quote inside an unquoted field, or text after a "
					    "closing quote (double a quote inside a quoted field: \"\")");
			return fail(r, err, CRM_EFAIL, r->line, csv_strerror(csv_error(&r->p)));
		}
		r->pos += n;
		r->line += ends_line;
		r->rec_bytes += n;
		if (r->done)
			return emit(r, row, err);
		if (r->too_many || r->rec_bytes > CRM_CSV_MAX_RECORD) {
			char what[128];
			if (r->too_many)
				snprintf(what, sizeof what, "more than %d fields", CRM_CSV_MAX_FIELDS);
			else
				snprintf(what, sizeof what, "a record longer than %d bytes starts here; is a quote "
					 "never closed?", CRM_CSV_MAX_RECORD);
			return fail(r, err, CRM_EINVALID, r->rec_line, what);
		}
	}
}

void crm_csvin_list_columns(struct crm_csvin *r, const unsigned char *is_list, int n)
{
	free(r->list_cols);
	r->list_cols = n > 0 ? xmalloc((size_t)n) : NULL;
	if (n > 0)
		memcpy(r->list_cols, is_list, (size_t)n);
	r->nlist_cols = n > 0 ? n : 0;
}

void crm_csvin_close(struct crm_csvin *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	if (r->vc_open)
		crm_vcard_rows_free(&r->vc);
	if (r->yp_open)
		yaml_parser_delete(&r->yp);
	json_free_row(r);
	for (int i = 0; i < r->nhdr; i++)
		free(r->hdr[i]);
	free(r->hdr);
	free(r->vals);
	free(r->from_array);
	free(r->list_cols);
	free(r->tline);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->name);
	free(r->raw);
	free(r->conv);
	free(r->arena);
	free(r->offs);
	free(r->lens);
	free(r->ptrs);
	free(r);
}
