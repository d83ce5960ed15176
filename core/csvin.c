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
#include <sys/stat.h>
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
	int at_line_start, at_line_start_done, inject;
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
	int hcap, hdr_done;            /* json: room in hdr; the header row was given */
	int prepass;                   /* json: a regular file, read twice (keys of every object first) */
	int from_stdin;
	long long start_off;           /* json prepass: where the file's bytes start */
	/* json: the bytes checked as RFC 8259 outside libyaml (which reads YAML, JSON's superset) */
	int jc_str, jc_esc, jc_depth, jc_started, jc_closed, jc_cr;
	unsigned char jc_last;
	long long jc_line;
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

static const char *json_kind(const struct crm_csvin *r)
{
	return r->format == CRM_IN_NDJSON ? "NDJSON (one JSON object a line)" : "JSON";
}

static int json_check_fail(struct crm_csvin *r, const char *what, int prefix)
{
	char m[256];
	snprintf(m, sizeof m, "%s%s%s", prefix ? "not valid " : "", prefix ? json_kind(r) : "", prefix ? ": " : "");
	snprintf(m + strlen(m), sizeof m - strlen(m), "%s", what);
	fail(r, &r->read_err, CRM_EINVALID, r->jc_line, m);
	return -1;
}

/* What libyaml takes and JSON does not is seen in the bytes, outside strings: comments, single
 * quotes, tags, anchors and aliases, unquoted text, a trailing comma, text after the array (or
 * after an ndjson line's object), a record over several ndjson lines; inside strings: escapes
 * JSON has not and raw control characters (which YAML folds). The values themselves (a plain
 * scalar is a number, true, false or null) are checked on libyaml's events. */
static int json_check(struct crm_csvin *r, unsigned char c)
{
	if (c == '\n' && r->jc_cr) {
		r->jc_cr = 0;
		return 0; /* the LF of a CRLF */
	}
	r->jc_cr = c == '\r';
	if (r->jc_str) {
		if (r->jc_esc == 1) {
			if (!strchr("\"\\/bfnrtu", c) || !c) {
				char m[96];
				snprintf(m, sizeof m, "an escape JSON does not have: \\%c", c >= 0x20 && c < 0x7f ? c : '?');
				return json_check_fail(r, m, 1);
			}
			r->jc_esc = c == 'u' ? 5 : 0;
		} else if (r->jc_esc > 1) {
			if (!isxdigit(c))
				return json_check_fail(r, "\\u takes four hexadecimal digits", 1);
			r->jc_esc = r->jc_esc == 2 ? 0 : r->jc_esc - 1;
		} else if (c == '\\') {
			r->jc_esc = 1;
		} else if (c == '"') {
			r->jc_str = 0;
		} else if (c < 0x20) {
			return json_check_fail(r, "a control character (a tab or line break) inside a string; "
					       "JSON writes it as an escape: \\t, \\n", 1);
		}
		if (c == '\n' || c == '\r')
			r->jc_line++;
		return 0;
	}
	if (c == '\n' || c == '\r') {
		if (r->format == CRM_IN_NDJSON) {
			if (r->jc_depth > 0)
				return json_check_fail(r, "the record does not end on its line", 1);
			r->jc_depth = 0;
			r->jc_started = r->jc_closed = 0;
			r->jc_last = 0;
		}
		r->jc_line++;
		return 0;
	}
	if (c == ' ' || c == '\t')
		return 0;
	switch (c) {
	case '#':
		return json_check_fail(r, "a comment ('#'); JSON has no comments", 1);
	case '\'':
		return json_check_fail(r, "a single quote; JSON text and keys are in double quotes", 1);
	case '!':
		return json_check_fail(r, "a YAML tag ('!'); JSON has none", 1);
	case '&':
	case '*':
		return json_check_fail(r, "a YAML anchor or alias ('&', '*'); JSON has none", 1);
	}
	if (r->jc_closed)
		return json_check_fail(r, r->format == CRM_IN_NDJSON ? "text after the line's object" :
				       "text after the array (a file holds one array of objects)", 1);
	if (!r->jc_started) {
		if (r->format == CRM_IN_JSON && c != '[')
			return json_check_fail(r, "a JSON file to import is an array of objects ([{...}, ...]); "
					       "NDJSON is one object a line", 0);
		if (r->format == CRM_IN_NDJSON && c != '{')
			return json_check_fail(r, "each record is an object: {\"field\": value, ...}", 0);
		r->jc_started = 1;
	}
	unsigned char last = r->jc_last;
	r->jc_last = c;
	switch (c) {
	case '"':
		r->jc_str = 1;
		return 0;
	case '[':
	case '{':
		r->jc_depth++;
		return 0;
	case ']':
	case '}':
		if (last == ',') {
			char m[96];
			snprintf(m, sizeof m, "a comma before '%c' (JSON has no trailing comma)", c);
			return json_check_fail(r, m, 1);
		}
		if (--r->jc_depth <= 0)
			r->jc_closed = 1;
		return 0;
	case ',':
	case ':':
		if (last == ',' || last == ':' || last == '[' || last == '{')
			return json_check_fail(r, c == ',' ? "a comma where a value is wanted" :
					       "a colon where a key is wanted", 1);
		return 0;
	}
	if (c && (isdigit(c) || strchr("-+.eE", c) || strchr("truefalsn", c)))
		return 0; /* a number, true, false or null: the whole word is checked on libyaml's events */
	return json_check_fail(r, "text outside double quotes; JSON text and keys are in double quotes, "
			       "a bare value is a number, true, false or null", 1);
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
		if (!r->inject && !r->at_line_start_done && json_check(r, c))
			return 0;
		r->at_line_start_done = 0;
		if (r->format == CRM_IN_NDJSON && r->at_line_start && c != '\n' && c != '\r') {
			r->at_line_start_done = 1; /* checked: not again after the "- " */
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

static int json_bad(struct crm_csvin *r, yaml_event_t *ev, struct crm_err *err, const char *what)
{
	long long line = (long long)ev->start_mark.line + 1;
	yaml_event_delete(ev);
	return fail(r, err, CRM_EINVALID, line, what);
}

/* The next event, refused when it is YAML's own (a tag, an anchor, an alias, an explicit document
 * start or end): the bytes were checked already (json_check), this holds whatever passed them. */
static int json_event(struct crm_csvin *r, yaml_event_t *ev, struct crm_err *err)
{
	if (yaml_parser_parse(&r->yp, ev)) {
		const yaml_char_t *tag = NULL, *anchor = NULL;
		int yamlish = 0;
		switch (ev->type) {
		case YAML_ALIAS_EVENT:
			yamlish = 1;
			break;
		case YAML_SCALAR_EVENT:
			tag = ev->data.scalar.tag, anchor = ev->data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
			tag = ev->data.sequence_start.tag, anchor = ev->data.sequence_start.anchor;
			break;
		case YAML_MAPPING_START_EVENT:
			tag = ev->data.mapping_start.tag, anchor = ev->data.mapping_start.anchor;
			break;
		case YAML_DOCUMENT_START_EVENT:
			yamlish = !ev->data.document_start.implicit || ev->data.document_start.version_directive ||
				  ev->data.document_start.tag_directives.start != ev->data.document_start.tag_directives.end;
			break;
		case YAML_DOCUMENT_END_EVENT:
			yamlish = !ev->data.document_end.implicit;
			break;
		default:
			break;
		}
		if (!yamlish && !tag && !anchor)
			return 0;
		char what[160];
		snprintf(what, sizeof what, "not valid %s: YAML's %s", json_kind(r), tag ? "tag" : anchor ? "anchor" :
			 ev->type == YAML_ALIAS_EVENT ? "alias" : "document marker (---, ...)");
		return json_bad(r, ev, err, what);
	}
	if (r->read_err.code) {
		*err = r->read_err;
		return -r->read_err.code;
	}
	char what[256];
	snprintf(what, sizeof what, "not valid %s: %s%s%s", json_kind(r), r->yp.problem ? r->yp.problem : "unreadable",
		 r->yp.context ? " " : "", r->yp.context ? r->yp.context : "");
	return fail(r, err, CRM_EINVALID, (long long)r->yp.problem_mark.line + 1, what);
}

/* A number as RFC 8259 writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return !*s;
}

/* A scalar's text, when it is JSON's: a string in double quotes, or a plain number, true, false
 * or null (null is ""). NULL, with the error made, for anything else. */
static char *json_scalar(struct crm_csvin *r, yaml_event_t *ev, const char *key, struct crm_err *err)
{
	const char *v = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		return xstrndup(v, ev->data.scalar.length);
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strlen(v) == ev->data.scalar.length) {
		if (strcmp(v, "null") == 0)
			return xstrdup("");
		if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 || json_number(v))
			return xstrdup(v);
	}
	char what[200];
	snprintf(what, sizeof what, "not valid %s: the value of '%.64s' is neither text in double quotes nor a "
		 "number, true, false or null", json_kind(r), key);
	json_bad(r, ev, err, what);
	return NULL;
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
		if (!(*out = json_scalar(r, &ev, key, err)))
			return -CRM_EINVALID;
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
		char *v = json_scalar(r, &ev, key, err);
		if (!v) {
			sb_free(&b);
			return -CRM_EINVALID;
		}
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

/* After the array (json) or the lines (ndjson): the end of the one document, nothing more. */
static int json_end(struct crm_csvin *r, struct crm_err *err)
{
	yaml_event_t ev;
	int rc;
	r->json_ended = 1;
	for (;;) {
		if ((rc = json_event(r, &ev, err)))
			return rc;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_DOCUMENT_END_EVENT) {
			char what[160];
			snprintf(what, sizeof what, "not valid %s: text after the array (a file holds one array of "
				 "objects)", json_kind(r));
			return json_bad(r, &ev, err, what);
		}
		yaml_event_delete(&ev);
	}
}

/* The next object into r->vals: 1, its first line in *line; 0 at the end. An unknown key is
 * added to the header when grow is set, else an error. */
static int json_record(struct crm_csvin *r, long long *line, int grow, struct crm_err *err)
{
	yaml_event_t ev;
	int rc;
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
			rc = json_end(r, err);
			return rc ? rc : 0;
		}
		if (r->format == CRM_IN_NDJSON && ev.type == YAML_SCALAR_EVENT &&
		    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev.data.scalar.length) {
			yaml_event_delete(&ev); /* a blank line of ndjson */
			continue;
		}
		if (ev.type != YAML_MAPPING_START_EVENT)
			return json_bad(r, &ev, err, "each record is an object: {\"field\": value, ...}");
		break;
	}
	*line = (long long)ev.start_mark.line + 1;
	yaml_event_delete(&ev);
	for (;;) {
		if ((rc = json_event(r, &ev, err))) {
			json_free_row(r);
			return rc;
		}
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT || ev.data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
			json_free_row(r);
			return json_bad(r, &ev, err, ev.type == YAML_SCALAR_EVENT ? "a key must be a string in double quotes"
					: "a key must be a string");
		}
		char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
		int at = -1;
		for (int i = 0; i < r->nhdr; i++)
			if (strcmp(r->hdr[i], key) == 0)
				at = i;
		char what[320];
		if (at < 0 && !grow) {
			snprintf(what, sizeof what, "key '%.64s' is not in the first record; every record takes its "
				 "keys from those%s", key, !r->from_stdin ? " (a regular file, not a pipe, may have "
				 "different keys in each record)" : " (a file, not standard input, may have different "
				 "keys in each record)");
			free(key);
			json_free_row(r);
			return fail(r, err, CRM_EINVALID, *line, what);
		}
		if (at >= 0 && r->vals[at]) {
			snprintf(what, sizeof what, "key '%.64s' given twice", key);
			free(key);
			json_free_row(r);
			return fail(r, err, CRM_EINVALID, *line, what);
		}
		if (at < 0) {
			if (r->nhdr >= CRM_CSV_MAX_FIELDS) {
				free(key);
				json_free_row(r);
				return fail(r, err, CRM_EINVALID, *line, "too many keys");
			}
			if (r->nhdr == r->hcap) {
				r->hcap = r->hcap ? 2 * r->hcap : 32;
				r->hdr = xrealloc(r->hdr, (size_t)r->hcap * sizeof *r->hdr);
				r->vals = xrealloc(r->vals, (size_t)r->hcap * sizeof *r->vals);
				r->from_array = xrealloc(r->from_array, (size_t)r->hcap);
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
	return 1;
}

static void json_parser_start(struct crm_csvin *r)
{
	if (!yaml_parser_initialize(&r->yp))
		abort();
	r->yp_open = 1;
	r->at_line_start = 1;
	r->at_line_start_done = 0;
	r->inject = 0;
	r->njesc = r->njout = r->jout_at = 0;
	r->jc_str = r->jc_esc = r->jc_depth = r->jc_started = r->jc_closed = r->jc_cr = 0;
	r->jc_last = 0;
	r->jc_line = 1;
	r->json_started = r->json_ended = 0;
	yaml_parser_set_input(&r->yp, json_read, r);
}

/* The second pass over a regular file: its bytes from the start again, a fresh parser. */
static int json_rewind(struct crm_csvin *r, struct crm_err *err)
{
	yaml_parser_delete(&r->yp);
	r->yp_open = 0;
	clearerr(r->in);
	if (fseeko(r->in, (off_t)r->start_off, SEEK_SET) != 0)
		return fail(r, err, CRM_EFAIL, 0, strerror(errno ? errno : EIO));
	r->pos = r->len = r->raw_len = 0;
	r->in_eof = r->eof = r->bad_encoding = 0;
	r->offset = r->start_off;
	if (r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
	int rc = refill(r, err);
	if (rc)
		return -rc;
	if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
		r->pos += 3;
	json_parser_start(r);
	return 0;
}

static int json_next(struct crm_csvin *r, struct crm_csv_row *row, struct crm_err *err)
{
	int rc;
	long long line = 0;
	if (r->held) { /* the first object's values, after the header */
		r->held = 0;
		rc = json_emit(r, row, err, r->vals, r->held_line);
		json_free_row(r);
		return rc;
	}
	if (!r->hdr_done) {
		r->hdr_done = 1;
		if (r->prepass) {
			/* every object's keys, in the order first met: the header */
			long long first = 0;
			while ((rc = json_record(r, &line, 1, err)) == 1) {
				json_free_row(r);
				if (!first)
					first = line;
			}
			if (rc < 0)
				return rc;
			if (!first)
				return 0; /* no objects */
			if ((rc = json_rewind(r, err)))
				return rc;
			line = first;
		} else {
			if ((rc = json_record(r, &line, 1, err)) != 1)
				return rc;
			r->held = 1;
			r->held_line = line;
		}
		if (!r->hdr) { /* {} first: no columns */
			r->hdr = xcalloc(1, sizeof *r->hdr);
			r->vals = xcalloc(1, sizeof *r->vals);
			r->from_array = xcalloc(1, 1);
		}
		return json_emit(r, row, err, r->hdr, line);
	}
	if ((rc = json_record(r, &line, 0, err)) != 1)
		return rc;
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

/* A spreadsheet or YAML given to import: what import reads instead, rather than a puzzling
 * error about encodings or columns. Spreadsheets by their bytes (a ZIP: xlsx, ods; OLE: xls) or
 * name; YAML by name, or (when the format is sniffed) a first line starting "- " or "---". */
static int not_ours(struct crm_csvin *r, const char *name, int sniffing, struct crm_err *err)
{
	const unsigned char *s = r->buf + r->pos;
	size_t n = r->len - r->pos;
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (dot && strchr(dot, '/'))
		dot = NULL;
	int sheet = (n >= 4 && memcmp(s, "PK\3\4", 4) == 0) ||
		    (n >= 8 && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0);
	int yaml = 0;
	if (dot && sniffing) {
		sheet |= strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xls") == 0 || strcasecmp(dot, ".ods") == 0;
		yaml = strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0;
	}
	if (sniffing && ((n >= 2 && memcmp(s, "- ", 2) == 0) || (n >= 3 && memcmp(s, "---", 3) == 0)))
		yaml = 1;
	if (sheet)
		return crm_error(err, CRM_EUSAGE, "'%s' is a spreadsheet (xlsx, ods or xls); import reads csv, tsv, "
				 "json and ndjson: save the sheet as CSV", r->name);
	if (yaml)
		return crm_error(err, CRM_EUSAGE, "'%s' is YAML; import reads csv, tsv, json and ndjson: export "
				 "with -F csv, -F json or -F ndjson to re-import", r->name);
	return 0;
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
	r->from_stdin = o && o->from_stdin;
	struct stat sb;
	if (!r->from_stdin && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (r->start_off = (long long)ftello(in)) >= 0)
		r->prepass = 1; /* json: may be read twice */
	int rc = refill(r, err);
	if (rc) {
		crm_csvin_close(r);
		return -rc;
	}
	if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
		r->pos += 3;
	r->format = o ? o->format : CRM_IN_CSV;
	if ((rc = not_ours(r, name, r->format == CRM_IN_AUTO && !given, err))) {
		crm_csvin_close(r);
		return rc;
	}
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
		json_parser_start(r);
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
