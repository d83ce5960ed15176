/* vCard files of contacts: written from a query, read into rows for the import engine
 * (crm/vcard.h). The line syntax is parsed here; GMime decodes quoted-printable and GLib
 * converts charsets (docs/ARCHITECTURE.md, "vCard", says why no vCard library does it). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <gmime/gmime.h>
#include "crm/vcard.h"
#include "db.h"
#include "lazy_gmime.h"
#include "util.h"

/* ---------------------------------------------------------------- writing */

char *crm_vcard_escape(const char *s)
{
	struct strbuf b = { 0 };
	sb_add(&b, "");
	for (; *s; s++) {
		if (*s == '\\' || *s == ',' || *s == ';') {
			char e[3] = { '\\', *s, 0 };
			sb_add(&b, e);
		} else if (*s == '\r') {
			sb_add(&b, "\\n");
			if (s[1] == '\n')
				s++;
		} else if (*s == '\n') {
			sb_add(&b, "\\n");
		} else {
			sb_addn(&b, s, 1);
		}
	}
	return sb_take(&b);
}

static void fold_into(struct strbuf *b, const char *line)
{
	size_t n = strlen(line), limit = 75;
	while (n > limit) {
		size_t cut = limit;
		while (cut > 0 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--; /* never inside a UTF-8 sequence */
		sb_addn(b, line, cut);
		sb_add(b, "\r\n ");
		line += cut;
		n -= cut;
		limit = 74; /* the space starting a continuation line is one of its 75 octets */
	}
	sb_addn(b, line, n);
	sb_add(b, "\r\n");
}

void crm_vcard_fold(const char *line, char **out)
{
	struct strbuf b = { 0 };
	sb_add(&b, "");
	fold_into(&b, line);
	*out = sb_take(&b);
}

/* One property: name (with its parameters) and a value already escaped. */
static void prop(struct strbuf *b, const char *name, const char *escaped)
{
	struct strbuf l = { 0 };
	sb_addf(&l, "%s:%s", name, escaped);
	fold_into(b, l.s);
	sb_free(&l);
}

static void text_prop(struct strbuf *b, const char *name, const char *value)
{
	char *e = crm_vcard_escape(value);
	prop(b, name, e);
	free(e);
}

struct wrow {
	int n;
	char **names, **vals;
	int *types;
};

static const char *get(const struct wrow *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->vals[i] && *r->vals[i] ? r->vals[i] : NULL;
	return NULL;
}

/* A UUID (in version 5's layout) from the SHA-1 of the contact's number and creation time:
 * the same for a contact every time it is exported, different for every other contact. */
static void uid_of(const char *id, const char *created, char out[37])
{
	char seed[128];
	snprintf(seed, sizeof seed, "crm contact %s %s", id ? id : "", created ? created : "");
	gchar *h = g_compute_checksum_for_string(G_CHECKSUM_SHA1, seed, -1);
	char v[33];
	memcpy(v, h, 32);
	v[32] = 0;
	g_free(h);
	v[12] = '5';
	v[16] = "89ab"[strtol((char[]){ v[16], 0 }, NULL, 16) & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", v, v + 8, v + 12, v + 16, v + 20);
}

/* X-CRM-LIFECYCLE-STAGE from lifecycle_stage. */
static void x_name(char *out, size_t n, const char *prefix, const char *field)
{
	size_t i = 0, p = strlen(prefix);
	snprintf(out, n, "%s", prefix);
	for (i = p; i + 1 < n && field[i - p]; i++) {
		char c = field[i - p];
		out[i] = c == '_' || c == '.' ? '-' : (char)toupper((unsigned char)c);
	}
	out[i < n ? i : n - 1] = 0;
}

static const char *const standard[] = { "id", "first_name", "last_name", "email", "phone", "mobile", "account",
					"title", "notes", "created", "updated", NULL };

static int is_standard(const char *name)
{
	for (int i = 0; standard[i]; i++)
		if (strcmp(standard[i], name) == 0)
			return 1;
	return 0;
}

static int write_card(struct crm *crm, struct strbuf *b, const struct wrow *r, int v4, struct crm_err *err)
{
	const char *id = get(r, "id"), *first = get(r, "first_name"), *last = get(r, "last_name");
	sb_add(b, "BEGIN:VCARD\r\n");
	sb_add(b, v4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
	prop(b, "PRODID", "-//crm//crm " CRM_VERSION "//EN");
	char uid[37];
	uid_of(id, get(r, "created"), uid);
	struct strbuf u = { 0 };
	sb_addf(&u, "%s%s", v4 ? "urn:uuid:" : "", uid);
	prop(b, "UID", u.s);
	sb_free(&u);
	if (id) /* crm's own number: a card without an e-mail finds its contact again by it */
		prop(b, "X-CRM-ID", id);
	struct strbuf fn = { 0 };
	sb_addf(&fn, "%s%s%s", first ? first : "", first && last ? " " : "", last ? last : "");
	if (!fn.len)
		sb_add(&fn, get(r, "email") ? get(r, "email") : id ? id : "");
	text_prop(b, "FN", fn.s);
	sb_free(&fn);
	char *el = crm_vcard_escape(last ? last : ""), *ef = crm_vcard_escape(first ? first : "");
	struct strbuf n = { 0 };
	sb_addf(&n, "%s;%s;;;", el, ef);
	prop(b, "N", n.s);
	sb_free(&n);
	free(el);
	free(ef);
	const char *v;
	if ((v = get(r, "email")))
		text_prop(b, v4 ? "EMAIL" : "EMAIL;TYPE=INTERNET", v);
	if ((v = get(r, "phone")))
		text_prop(b, v4 ? "TEL;TYPE=work,voice" : "TEL;TYPE=WORK,VOICE", v);
	if ((v = get(r, "mobile")))
		text_prop(b, v4 ? "TEL;TYPE=cell" : "TEL;TYPE=CELL", v);
	if ((v = get(r, "account")))
		text_prop(b, "ORG", v); /* one component: the account's name */
	if ((v = get(r, "title")))
		text_prop(b, "TITLE", v);
	if (get(r, "location") && id) {
		crm_stmt *st;
		int rc = crm_prepare(crm, "SELECT l.address, l.city, l.postal_code, l.country FROM contacts c "
				     "JOIN locations l ON l.id = c.location_id WHERE c.id = ?", &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, atoll(id));
		int step = crm_step(st);
		if (step == CRM_SQL_ROW) {
			struct strbuf a = { 0 };
			sb_add(&a, ";;");
			for (int i = 0; i < 4; i++) {
				const char *c = crm_col_type(st, i) == CRM_COL_NULL ? "" : crm_col_text(st, i);
				char *e = crm_vcard_escape(c);
				sb_addf(&a, "%s%s", e, i == 1 ? ";;" : i < 3 ? ";" : "");
				free(e);
			}
			if (strcmp(a.s, ";;;;;;"))
				prop(b, v4 ? "ADR;TYPE=work" : "ADR;TYPE=WORK", a.s);
			sb_free(&a);
		} else if (step != CRM_SQL_DONE) {
			crm_finalize(st);
			return crm_db_error(crm, step, "reading a contact's location", err);
		}
		crm_finalize(st);
	}
	if ((v = get(r, "notes")))
		text_prop(b, "NOTE", v);
	char name[160];
	for (int i = 0; i < r->n; i++) {
		if (is_standard(r->names[i]) || !r->vals[i] || !*r->vals[i])
			continue;
		x_name(name, sizeof name, "X-CRM-", r->names[i]);
		char *val = xstrdup(r->vals[i]);
		for (char *p = val; *p; p++)
			if (*p == CRM_LIST_SEP)
				*p = ','; /* a list's items, as a csv cell has them; escaped below */
		if (r->types[i] == CRM_V_LIST) {
			/* "a, b" as the import reads a list */
			struct strbuf l = { 0 };
			for (char *p = val; *p; p++) {
				sb_addn(&l, p, 1);
				if (*p == ',')
					sb_add(&l, " ");
			}
			free(val);
			val = l.s ? sb_take(&l) : xstrdup("");
		}
		text_prop(b, name, val);
		free(val);
	}
	if (id) {
		crm_stmt *st;
		int rc = crm_prepare(crm, "SELECT key, value FROM attributes WHERE kind = 'contact' AND record_id = ? "
				     "ORDER BY key", &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, atoll(id));
		int step;
		while ((step = crm_step(st)) == CRM_SQL_ROW) {
			x_name(name, sizeof name, "X-CRM-ATTR-", crm_col_text(st, 0));
			text_prop(b, name, crm_col_text(st, 1));
		}
		crm_finalize(st);
		if (step != CRM_SQL_DONE)
			return crm_db_error(crm, step, "reading a contact's attributes", err);
	}
	if ((v = get(r, "updated"))) {
		char rev[32];
		size_t j = 0;
		for (; *v && j + 1 < sizeof rev; v++)
			if (*v != '-' && *v != ':')
				rev[j++] = *v;
		rev[j] = 0;
		prop(b, "REV", rev);
	}
	sb_add(b, "END:VCARD\r\n");
	return CRM_OK;
}

static void wrow_free(struct wrow *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->vals[i]);
	}
	free(r->names);
	free(r->vals);
	free(r->types);
}

int crm_vcard_write(struct crm *crm, const struct crm_query *q, int version, char **out, long long *count,
		    struct crm_err *err)
{
	*out = NULL;
	if (count)
		*count = 0;
	if (version != 3 && version != 4)
		return crm_error(err, CRM_EUSAGE, "vCard versions written are 3.0 and 4.0");
	if (strcmp(q->kind->name, "contact") != 0)
		return crm_error(err, CRM_EUSAGE, "vCard files hold contacts, not %s", q->kind->plural);
	static const char *const all[] = { "all" };
	struct crm_query aq = *q;
	aq.fields = all;
	aq.nfields = 1;
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &aq, &c, err);
	if (rc)
		return rc;
	/* Rows are copied out before the per-contact queries run: a server backend streams the
	 * cursor's rows over the connection those queries need. */
	int ncols = crm_cursor_ncols(c), nrows = 0, cap = 0;
	const char *const *names = crm_cursor_names(c);
	struct wrow *rows = NULL;
	const struct crm_value *cells;
	while ((rc = crm_cursor_next(c, &cells, err)) == 1) {
		if (nrows == cap) {
			cap = cap ? 2 * cap : 64;
			rows = xrealloc(rows, (size_t)cap * sizeof *rows);
		}
		struct wrow *r = &rows[nrows++];
		r->n = ncols;
		r->names = xcalloc((size_t)ncols, sizeof *r->names);
		r->vals = xcalloc((size_t)ncols, sizeof *r->vals);
		r->types = xcalloc((size_t)ncols, sizeof *r->types);
		for (int i = 0; i < ncols; i++) {
			r->names[i] = xstrdup(names[i]);
			r->vals[i] = cells[i].text ? xstrdup(cells[i].text) : NULL;
			r->types[i] = cells[i].type;
		}
	}
	crm_cursor_close(c);
	rc = rc < 0 ? -rc : CRM_OK;
	struct strbuf b = { 0 };
	sb_add(&b, "");
	for (int i = 0; i < nrows && !rc; i++)
		rc = write_card(crm, &b, &rows[i], version == 4, err);
	for (int i = 0; i < nrows; i++)
		wrow_free(&rows[i]);
	free(rows);
	if (rc) {
		sb_free(&b);
		return rc;
	}
	if (count)
		*count = nrows;
	*out = sb_take(&b);
	return CRM_OK;
}

/* ---------------------------------------------------------------- reading */

struct vprop {
	char *group, *name;  /* name in capitals */
	int np;
	char **pn, **pv;     /* parameter names in capitals ("TYPE" for a 2.1 bare type), values */
	char *raw;           /* the value as written, lines unfolded */
	long long line;
};

struct reader {
	const char *name;
	const struct crm_kind *k;
	struct crm_vcard_rows *out;
	struct crm_err *err;
	int in_card;
	long long card_line;
	struct vprop *props;
	int nprops, cap;
};

static int bad(struct reader *r, long long line, const char *fmt, const char *arg)
{
	char what[320];
	snprintf(what, sizeof what, fmt, arg ? arg : "");
	return crm_error(r->err, CRM_EINVALID, "'%s' line %lld: %s", r->name, line, what);
}

static void vprop_free(struct vprop *p)
{
	free(p->group);
	free(p->name);
	for (int i = 0; i < p->np; i++) {
		free(p->pn[i]);
		free(p->pv[i]);
	}
	free(p->pn);
	free(p->pv);
	free(p->raw);
}

static void upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static const char *param(const struct vprop *p, const char *name)
{
	for (int i = 0; i < p->np; i++)
		if (strcmp(p->pn[i], name) == 0)
			return p->pv[i];
	return NULL;
}

/* Split "[group.]NAME;P=v;BARE:value" (the line starting at line). */
static int parse_line(struct reader *r, const char *s, long long line, struct vprop *p)
{
	memset(p, 0, sizeof *p);
	p->line = line;
	const char *q = s;
	while (*q && (isalnum((unsigned char)*q) || *q == '-' || *q == '.' || *q == '_'))
		q++;
	if (q == s || (*q != ':' && *q != ';')) {
		char shown[48];
		snprintf(shown, sizeof shown, "%.40s", s);
		return bad(r, line, "'%s' is not a vCard property line (NAME:value)", shown);
	}
	const char *dot = memchr(s, '.', (size_t)(q - s));
	const char *ns = s;
	if (dot) {
		const char *last = dot;
		for (const char *d = dot; d < q; d++)
			if (*d == '.')
				last = d;
		p->group = xstrndup(s, (size_t)(last - s));
		ns = last + 1;
	}
	p->name = xstrndup(ns, (size_t)(q - ns));
	upcase(p->name);
	if (!*p->name) {
		vprop_free(p);
		return bad(r, line, "a property without a name", NULL);
	}
	int cap = 0;
	while (*q == ';') {
		q++;
		struct strbuf pn = { 0 }, pv = { 0 };
		sb_add(&pn, "");
		sb_add(&pv, "");
		int has_eq = 0, quoted = 0;
		for (; *q && (quoted || (*q != ';' && *q != ':')); q++) {
			if (*q == '"') {
				quoted = !quoted;
				continue;
			}
			if (*q == '=' && !has_eq && !quoted) {
				has_eq = 1;
				continue;
			}
			sb_addn(has_eq ? &pv : &pn, q, 1);
		}
		if (quoted) {
			sb_free(&pn);
			sb_free(&pv);
			vprop_free(p);
			return bad(r, line, "a quoted parameter value is never closed", NULL);
		}
		char *n = sb_take(&pn), *v = sb_take(&pv);
		upcase(n);
		if (!has_eq) { /* vCard 2.1: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE */
			free(v);
			v = n;
			int enc = strcasecmp(v, "QUOTED-PRINTABLE") == 0 || strcasecmp(v, "BASE64") == 0 ||
				  strcasecmp(v, "8BIT") == 0 || strcasecmp(v, "7BIT") == 0;
			n = xstrdup(enc ? "ENCODING" : "TYPE");
		}
		if (p->np == cap) {
			cap = cap ? 2 * cap : 4;
			p->pn = xrealloc(p->pn, (size_t)cap * sizeof *p->pn);
			p->pv = xrealloc(p->pv, (size_t)cap * sizeof *p->pv);
		}
		p->pn[p->np] = n;
		p->pv[p->np++] = v;
	}
	if (*q != ':') {
		char shown[48];
		snprintf(shown, sizeof shown, "%.40s", p->name);
		vprop_free(p);
		return bad(r, line, "property '%s' has no ':' before its value", shown);
	}
	p->raw = xstrdup(q + 1);
	return CRM_OK;
}

static int is_qp(const struct vprop *p)
{
	const char *e = param(p, "ENCODING");
	return e && strcasecmp(e, "QUOTED-PRINTABLE") == 0;
}

static int is_binary(const struct vprop *p)
{
	const char *e = param(p, "ENCODING");
	if (e && (strcasecmp(e, "BASE64") == 0 || strcasecmp(e, "B") == 0))
		return 1;
	return strncasecmp(p->raw, "data:", 5) == 0;
}

/* The value as UTF-8 text: quoted-printable decoded, the CHARSET converted; NULL and err set
 * when it cannot be. Escapes are left in. */
static char *decoded(struct reader *r, const struct vprop *p)
{
	size_t n = strlen(p->raw);
	char *v;
	if (is_qp(p)) {
		for (size_t i = 0; i < n; i++)
			if (p->raw[i] == '=' &&
			    (i + 2 >= n + 0 || !isxdigit((unsigned char)p->raw[i + 1]) ||
			     !isxdigit((unsigned char)p->raw[i + 2]))) {
				char shown[8];
				snprintf(shown, sizeof shown, "%.3s", p->raw + i);
				bad(r, p->line, "bad quoted-printable: '%s' is not = and two hex digits", shown);
				return NULL;
			}
		if (crm_lazy_gmime(r->err))
			return NULL;
		v = xmalloc(n + 1);
		int state = 0;
		guint32 save = 0;
		size_t m = g_mime_encoding_quoted_decode_step((const unsigned char *)p->raw, n, (unsigned char *)v,
							      &state, &save);
		v[m] = 0;
		n = m;
		if (memchr(v, 0, n)) {
			free(v);
			bad(r, p->line, "quoted-printable decodes to a NUL byte", NULL);
			return NULL;
		}
	} else {
		v = xstrdup(p->raw);
	}
	const char *cs = param(p, "CHARSET");
	if (cs && strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "UTF8") != 0 && strcasecmp(cs, "US-ASCII") != 0) {
		GIConv cd = g_iconv_open("UTF-8", cs);
		if (cd == (GIConv)-1) {
			free(v);
			bad(r, p->line, "unknown CHARSET '%s'", cs);
			return NULL;
		}
		g_iconv_close(cd);
		GError *ge = NULL;
		gsize written = 0;
		gchar *u = g_convert(v, (gssize)n, "UTF-8", cs, NULL, &written, &ge);
		if (!u) {
			if (ge)
				g_error_free(ge);
			free(v);
			bad(r, p->line, "the value is not valid in CHARSET '%s'", cs);
			return NULL;
		}
		free(v);
		v = xstrndup(u, written);
		g_free(u);
	}
	if (!g_utf8_validate(v, -1, NULL)) {
		free(v);
		bad(r, p->line, "%s is not UTF-8; a CHARSET parameter must name its encoding", p->name);
		return NULL;
	}
	return v;
}

/* Undo \n \, \; \\ (and CRLF to LF) in n bytes of s. */
static char *unescape(const char *s, size_t n)
{
	char *o = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char e = s[i + 1];
			if (e == 'n' || e == 'N') {
				o[j++] = '\n';
				i++;
				continue;
			}
			if (e == ',' || e == ';' || e == '\\' || e == ':') {
				o[j++] = e;
				i++;
				continue;
			}
		}
		if (s[i] == '\r') {
			o[j++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
			continue;
		}
		o[j++] = s[i];
	}
	o[j] = 0;
	return o;
}

/* The components of a structured value (N, ORG, ADR) split at unescaped ';', unescaped. */
static int components(const char *v, char ***out)
{
	int n = 0, cap = 4;
	char **c = xmalloc((size_t)cap * sizeof *c);
	const char *start = v;
	for (const char *q = v;; q++) {
		if (*q == '\\' && q[1]) {
			q++;
			continue;
		}
		if (*q == ';' || !*q) {
			if (n == cap) {
				cap *= 2;
				c = xrealloc(c, (size_t)cap * sizeof *c);
			}
			c[n++] = unescape(start, (size_t)(q - start));
			if (!*q)
				break;
			start = q + 1;
		}
	}
	*out = c;
	return n;
}

static void free_components(char **c, int n)
{
	for (int i = 0; i < n; i++)
		free(c[i]);
	free(c);
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Does p carry the type t (TYPE=work,cell; 2.1's bare CELL; TYPE="voice,cell")? */
static int has_type(const struct vprop *p, const char *t)
{
	size_t tl = strlen(t);
	for (int i = 0; i < p->np; i++) {
		if (strcmp(p->pn[i], "TYPE") != 0)
			continue;
		for (const char *s = p->pv[i]; *s;) {
			const char *e = strchr(s, ',');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			if (l == tl && strncasecmp(s, t, l) == 0)
				return 1;
			s += l + (e ? 1 : 0);
		}
	}
	return 0;
}

/* Lower is preferred: PREF=1 (4.0), TYPE=pref or a bare PREF (2.1, 3.0), else none. */
static int pref_rank(const struct vprop *p)
{
	const char *v = param(p, "PREF");
	if (v)
		return atoi(v) > 0 ? atoi(v) : 1;
	return has_type(p, "pref") ? 1 : 1000;
}

/* A property as one line of the kept block: parameters but ENCODING and CHARSET (the value is
 * decoded), line ends as \n. */
static void keep_line(struct strbuf *block, const struct vprop *p, const char *value)
{
	if (block->len)
		sb_add(block, "\n");
	if (p->group)
		sb_addf(block, "%s.", p->group);
	sb_add(block, p->name);
	for (int i = 0; i < p->np; i++) {
		if (strcmp(p->pn[i], "ENCODING") == 0 || strcmp(p->pn[i], "CHARSET") == 0)
			continue;
		int q = strpbrk(p->pv[i], ",;:") != NULL;
		sb_addf(block, ";%s=%s%s%s", p->pn[i], q ? "\"" : "", p->pv[i], q ? "\"" : "");
	}
	sb_add(block, ":");
	for (const char *s = value; *s; s++) {
		if (*s == '\r' || *s == '\n') {
			sb_add(block, "\\n");
			if (*s == '\r' && s[1] == '\n')
				s++;
		} else {
			sb_addn(block, s, 1);
		}
	}
}

/* The column's index, added to the header when new. */
static int column(struct crm_vcard_rows *o, const char *name)
{
	for (int i = 0; i < o->ncols; i++)
		if (strcmp(o->cols[i], name) == 0)
			return i;
	o->cols = xrealloc(o->cols, (size_t)(o->ncols + 1) * sizeof *o->cols);
	o->cols[o->ncols] = xstrdup(name);
	return o->ncols++;
}

struct cell {
	int col;
	char *value;
};

struct cardrow {
	int n;
	struct cell c[64];
};

static void set_cell(struct crm_vcard_rows *o, struct cardrow *cr, const char *col, char *value)
{
	int c = column(o, col);
	for (int i = 0; i < cr->n; i++)
		if (cr->c[i].col == c) {
			free(cr->c[i].value);
			cr->c[i].value = value;
			return;
		}
	if (cr->n == (int)(sizeof cr->c / sizeof *cr->c)) {
		free(value);
		return;
	}
	cr->c[cr->n].col = c;
	cr->c[cr->n++].value = value;
}

/* Pick the preferred of the properties named by idx (n of them): the lowest PREF rank, the
 * first among equals. */
static int best(struct vprop *const *ps, int n)
{
	int b = -1;
	for (int i = 0; i < n; i++)
		if (b < 0 || pref_rank(ps[i]) < pref_rank(ps[b]))
			b = i;
	return b;
}

static char *tel_value(const char *v)
{
	char *u = unescape(v, strlen(v));
	if (strncasecmp(u, "tel:", 4) == 0)
		memmove(u, u + 4, strlen(u + 4) + 1);
	trim(u);
	return u;
}

/* A card's properties become a row. */
static int finish_card(struct reader *r)
{
	struct crm_vcard_rows *o = r->out;
	struct cardrow cr = { 0 };
	struct strbuf block = { 0 }, note = { 0 };
	char *first = NULL, *last = NULL, *fn = NULL;
	int from_crm = 0, rc = CRM_OK, had_n = 0;
	struct vprop **emails = xcalloc((size_t)r->nprops + 1, sizeof *emails);
	struct vprop **tels = xcalloc((size_t)r->nprops + 1, sizeof *tels);
	char **tvals = xcalloc((size_t)r->nprops + 1, sizeof *tvals), **evals = xcalloc((size_t)r->nprops + 1, sizeof *evals);
	int ne = 0, nt = 0, have_org = 0, have_title = 0;
	long long fn_line = 0;
	for (int i = 0; i < r->nprops; i++)
		if (strcmp(r->props[i].name, "PRODID") == 0 && strncmp(r->props[i].raw, "-//crm//", 8) == 0)
			from_crm = 1;
	for (int i = 0; i < r->nprops && !rc; i++) {
		struct vprop *p = &r->props[i];
		const char *n = p->name;
		if (!strcmp(n, "PHOTO") || ((!strcmp(n, "LOGO") || !strcmp(n, "SOUND") || !strcmp(n, "KEY")) &&
					    is_binary(p))) {
			o->dropped++;
			continue;
		}
		if (!strcmp(n, "VERSION") || !strcmp(n, "PRODID") || !strcmp(n, "REV") ||
		    (from_crm && !strcmp(n, "UID")))
			continue;
		if (is_binary(p)) {
			o->dropped++;
			continue;
		}
		char *v = decoded(r, p);
		if (!v) {
			rc = CRM_EINVALID;
			break;
		}
		if (!strcmp(n, "N") && !had_n) {
			char **c;
			int nc = components(v, &c);
			last = xstrdup(nc > 0 ? c[0] : "");
			first = xstrdup(nc > 1 ? c[1] : "");
			trim(last);
			trim(first);
			int extra = 0;
			for (int j = 2; j < nc; j++)
				extra |= c[j][0] != 0;
			if (extra)
				keep_line(&block, p, v);
			free_components(c, nc);
			had_n = 1;
		} else if (!strcmp(n, "FN") && !fn) {
			fn = unescape(v, strlen(v));
			trim(fn);
			fn_line = p->line;
		} else if (!strcmp(n, "EMAIL")) {
			emails[ne] = p;
			evals[ne++] = xstrdup(v);
		} else if (!strcmp(n, "TEL")) {
			tels[nt] = p;
			tvals[nt++] = xstrdup(v);
		} else if (!strcmp(n, "ORG") && !have_org) {
			char **c;
			int nc = components(v, &c);
			trim(c[0]);
			set_cell(o, &cr, "account", xstrdup(c[0]));
			if (nc > 1)
				keep_line(&block, p, v);
			free_components(c, nc);
			have_org = 1;
		} else if (!strcmp(n, "TITLE") && !have_title) {
			set_cell(o, &cr, "title", unescape(v, strlen(v)));
			have_title = 1;
		} else if (!strcmp(n, "NOTE")) {
			char *t = unescape(v, strlen(v));
			sb_addf(&note, "%s%s", note.len ? "\n" : "", t);
			free(t);
		} else if (from_crm && !strcmp(n, "X-CRM-ID")) {
			/* the number the export gave: found by it when the card has no e-mail (crm-import(1)) */
			set_cell(o, &cr, "id", unescape(v, strlen(v)));
		} else if (!strncmp(n, "X-CRM-", 6) && strncmp(n, "X-CRM-ATTR-", 11) != 0) {
			char col[128];
			snprintf(col, sizeof col, "%s", n + 6);
			for (char *c = col; *c; c++)
				*c = *c == '-' ? '_' : (char)tolower((unsigned char)*c);
			int as_id = 0;
			const struct crm_field *f = crm_kind_field(r->k, col, &as_id);
			if (f && !as_id && !(f->flags & CRM_FF_READONLY) && !is_standard(col))
				set_cell(o, &cr, f->name, unescape(v, strlen(v)));
			else
				keep_line(&block, p, v);
		} else {
			keep_line(&block, p, v);
		}
		free(v);
	}
	(void)fn_line;
	if (!rc) {
		int from_fn = fn && (!had_n || (!*first && !*last));
		if (from_fn) { /* no N: the last word of FN is the last name */
			free(first);
			free(last);
			char *sp = strrchr(fn, ' ');
			last = xstrdup(sp ? sp + 1 : fn);
			first = sp ? xstrndup(fn, (size_t)(sp - fn)) : xstrdup("");
			trim(first);
		}
		if (first || last) {
			set_cell(o, &cr, "first_name", xstrdup(first ? first : ""));
			set_cell(o, &cr, "last_name", xstrdup(last ? last : ""));
		}
		if (fn && !from_fn) { /* a formatted name saying more than the two names is kept */
			struct strbuf d = { 0 };
			sb_addf(&d, "%s%s%s", first ? first : "", first && *first && last && *last ? " " : "", last ? last : "");
			if (strcmp(d.s ? d.s : "", fn) != 0) {
				struct vprop fp = { .name = "FN", .raw = fn };
				keep_line(&block, &fp, fn);
			}
			sb_free(&d);
		}
		int b = best(emails, ne);
		for (int i = 0; i < ne; i++) {
			if (i == b) {
				char *e = unescape(evals[i], strlen(evals[i]));
				trim(e);
				set_cell(o, &cr, "email", e);
			} else {
				keep_line(&block, emails[i], evals[i]);
			}
		}
		/* mobile: the preferred of the cell phones; phone: the preferred of the others */
		struct vprop **cells = xcalloc((size_t)nt + 1, sizeof *cells), **others = xcalloc((size_t)nt + 1, sizeof *others);
		int nc = 0, no = 0;
		for (int i = 0; i < nt; i++) {
			if (has_type(tels[i], "cell") || has_type(tels[i], "mobile"))
				cells[nc++] = tels[i];
			else
				others[no++] = tels[i];
		}
		int bc = best(cells, nc), bo = best(others, no);
		for (int i = 0; i < nt; i++) {
			if (bc >= 0 && tels[i] == cells[bc])
				set_cell(o, &cr, "mobile", tel_value(tvals[i]));
			else if (bo >= 0 && tels[i] == others[bo])
				set_cell(o, &cr, "phone", tel_value(tvals[i]));
			else
				keep_line(&block, tels[i], tvals[i]);
		}
		free(cells);
		free(others);
		if (note.len || block.len) {
			struct strbuf all = { 0 };
			sb_add(&all, note.s ? note.s : "");
			if (block.len)
				sb_addf(&all, "%s[vCard]\n%s", note.len ? "\n\n" : "", block.s);
			set_cell(o, &cr, "notes", sb_take(&all));
		}
		o->rows = xrealloc(o->rows, (size_t)(o->nrows + 1) * sizeof *o->rows);
		o->lines = xrealloc(o->lines, (size_t)(o->nrows + 1) * sizeof *o->lines);
		/* the row is sized at the end, when the header is complete */
		char **row = xcalloc((size_t)cr.n * 2 + 1, sizeof *row);
		for (int i = 0; i < cr.n; i++) {
			row[2 * i] = (char *)(intptr_t)(cr.c[i].col + 1);
			row[2 * i + 1] = cr.c[i].value;
			cr.c[i].value = NULL;
		}
		o->rows[o->nrows] = row;
		o->lines[o->nrows++] = r->card_line;
	}
	for (int i = 0; i < cr.n; i++)
		free(cr.c[i].value);
	for (int i = 0; i < ne; i++)
		free(evals[i]);
	for (int i = 0; i < nt; i++)
		free(tvals[i]);
	free(evals);
	free(tvals);
	free(emails);
	free(tels);
	free(first);
	free(last);
	free(fn);
	sb_free(&block);
	sb_free(&note);
	for (int i = 0; i < r->nprops; i++)
		vprop_free(&r->props[i]);
	r->nprops = 0;
	return rc;
}

/* One logical (unfolded) line. */
static int logical(struct reader *r, const char *s, long long line)
{
	struct vprop p;
	int rc = parse_line(r, s, line, &p);
	if (rc)
		return rc;
	if (!strcmp(p.name, "BEGIN") && !p.group) {
		int card = strcasecmp(p.raw, "VCARD") == 0;
		vprop_free(&p);
		if (!card)
			return bad(r, line, "BEGIN:%s where a vCard (BEGIN:VCARD) was expected", s + 6);
		if (r->in_card) {
			char l[32];
			snprintf(l, sizeof l, "%lld", r->card_line);
			return bad(r, line, "BEGIN:VCARD inside the vCard begun on line %s, which has no END:VCARD", l);
		}
		r->in_card = 1;
		r->card_line = line;
		return CRM_OK;
	}
	if (!strcmp(p.name, "END") && !p.group) {
		int card = strcasecmp(p.raw, "VCARD") == 0;
		vprop_free(&p);
		if (!r->in_card || !card)
			return bad(r, line, "%s without BEGIN:VCARD", s);
		r->in_card = 0;
		return finish_card(r);
	}
	if (!r->in_card) {
		char shown[48];
		snprintf(shown, sizeof shown, "%.40s", p.name);
		vprop_free(&p);
		return bad(r, line, "'%s' outside a vCard (BEGIN:VCARD ... END:VCARD)", shown);
	}
	if (r->nprops == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->props = xrealloc(r->props, (size_t)r->cap * sizeof *r->props);
	}
	r->props[r->nprops++] = p;
	return CRM_OK;
}

/* Is the logical line begun in b quoted-printable (so that a trailing '=' is a soft break)? */
static int line_is_qp(const char *s, size_t n)
{
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ':' && !quoted) {
			n = i;
			break;
		}
	}
	for (size_t i = 0; i + 16 <= n; i++)
		if (strncasecmp(s + i, "QUOTED-PRINTABLE", 16) == 0)
			return 1;
	return 0;
}

int crm_vcard_sniff(const char *text, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	return len - i >= 11 && strncasecmp(text + i, "BEGIN:VCARD", 11) == 0;
}

int crm_vcard_read(const char *text, size_t len, const char *name, const struct crm_kind *k,
		   struct crm_vcard_rows *out, struct crm_err *err)
{
	memset(out, 0, sizeof *out);
	if (!k || strcmp(k->name, "contact") != 0)
		return crm_error(err, CRM_EUSAGE, "'%s': vCard files hold contacts: crm contact import FILE.vcf", name);
	struct reader r = { .name = name, .k = k, .out = out, .err = err };
	/* A column is in the header when some card has its property: a field no card names is
	 * left as it is by an update, as a CSV file without that column would leave it. The
	 * e-mail, the key, always is: a file of cards without one (a phone's) adds contacts,
	 * as a card without one does among others. */
	column(out, "email");
	struct strbuf cur = { 0 };
	long long cur_line = 0, line = 1;
	int cur_qp = 0, rc = CRM_OK;
	size_t pos = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && !rc) {
		size_t s = pos, e = pos;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		pos = e;
		if (pos < len && text[pos] == '\r')
			pos++;
		if (pos < len && text[pos] == '\n' && (pos == e || text[pos - 1] == '\r'))
			pos++;
		if (memchr(text + s, 0, e - s)) {
			rc = bad(&r, line, "a NUL byte (is the file UTF-16?)", NULL);
			break;
		}
		size_t n = e - s;
		if (cur_line && cur_qp && cur.len && cur.s[cur.len - 1] == '=') {
			cur.s[--cur.len] = 0; /* a quoted-printable soft line break */
			sb_addn(&cur, text + s, n);
		} else if (cur_line && n && (text[s] == ' ' || text[s] == '\t')) {
			sb_addn(&cur, text + s + 1, n - 1); /* a folded line */
		} else {
			if (cur_line)
				rc = logical(&r, cur.s, cur_line);
			cur.len = 0;
			cur_line = 0;
			int blank = 1;
			for (size_t i = s; i < e; i++)
				blank &= isspace((unsigned char)text[i]) != 0;
			if (!blank && !rc) {
				sb_addn(&cur, text + s, n);
				cur_line = line;
				cur_qp = line_is_qp(cur.s, cur.len);
			}
		}
		line++;
	}
	if (!rc && cur_line)
		rc = logical(&r, cur.s, cur_line);
	if (!rc && r.in_card)
		rc = bad(&r, r.card_line, "the vCard begun here has no END:VCARD", NULL);
	sb_free(&cur);
	for (int i = 0; i < r.nprops; i++)
		vprop_free(&r.props[i]);
	free(r.props);
	/* rows as (column + 1, value) pairs become full rows under the final header */
	for (int i = 0; i < out->nrows; i++) {
		char **pairs = out->rows[i], **row = xcalloc((size_t)out->ncols, sizeof *row);
		for (int j = 0; pairs[2 * j]; j++) {
			int c = (int)(intptr_t)pairs[2 * j] - 1;
			free(row[c]);
			row[c] = pairs[2 * j + 1];
		}
		for (int c = 0; c < out->ncols; c++)
			if (!row[c])
				row[c] = xstrdup("");
		free(pairs);
		out->rows[i] = row;
	}
	if (rc) {
		crm_vcard_rows_free(out);
		return rc;
	}
	return CRM_OK;
}

void crm_vcard_rows_free(struct crm_vcard_rows *r)
{
	for (int i = 0; i < r->nrows; i++) {
		for (int c = 0; c < r->ncols; c++)
			free(r->rows[i][c]);
		free(r->rows[i]);
	}
	for (int c = 0; c < r->ncols; c++)
		free(r->cols[c]);
	free(r->cols);
	free(r->rows);
	free(r->lines);
	memset(r, 0, sizeof *r);
}
