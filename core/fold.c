/* Folded keys: one comparison for every script (see fold.h). */
#include <glib.h>
#include <string.h>
#include "fold.h"
#include "util.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* White space runs become one space; leading and trailing space goes. In place. */
static char *squeeze(char *s)
{
	char *w = s;
	int space = 1; /* drop leading space */
	for (const char *r = s; *r; r++) {
		if (is_space((unsigned char)*r)) {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
	return s;
}

/* One character folded: casefold, NFKD, nonspacing and enclosing marks dropped, recomposed.
 * Spacing marks (most Indic vowel signs) stay: they are letters more than accents. */
static char *fold_char(gunichar c)
{
	if (g_unichar_isspace(c))
		return xstrdup(" ");
	gchar u[8];
	u[g_unichar_to_utf8(c, u)] = '\0';
	gchar *cf = g_utf8_casefold(u, -1);
	gchar *nfkd = g_utf8_normalize(cf, -1, G_NORMALIZE_NFKD);
	g_free(cf);
	struct strbuf b = { 0 };
	for (const gchar *p = nfkd; p && *p; p = g_utf8_next_char(p)) {
		GUnicodeType t = g_unichar_type(g_utf8_get_char(p));
		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK)
			continue;
		sb_addn(&b, p, (size_t)(g_utf8_next_char(p) - p));
	}
	g_free(nfkd);
	char *flat = sb_take(&b);
	gchar *nfc = g_utf8_normalize(flat, -1, G_NORMALIZE_NFC);
	free(flat);
	char *out = xstrdup(nfc ? nfc : "");
	g_free(nfc);
	return out;
}

/* What each character of the Basic Multilingual Plane folds to, worked out when first met: a
 * name of accented letters then folds at about the speed of ASCII (a million-row import folds
 * every name). Process state, never freed; about 8 bytes a character actually met. */
static char **bmp;

static const char *fold_cached(gunichar c, char **tofree)
{
	*tofree = NULL;
	if (c >= 0x10000)
		return *tofree = fold_char(c);
	if (!bmp)
		bmp = xcalloc(0x10000, sizeof *bmp);
	if (!bmp[c])
		bmp[c] = fold_char(c);
	return bmp[c];
}

char *crm_fold(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), i;
	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n || !g_utf8_validate(s, (gssize)n, NULL)) {
		/* ASCII (most keys), or not UTF-8: bytes, ASCII letters lowered. */
		char *out = xmalloc(n + 1);
		for (i = 0; i <= n; i++) {
			unsigned char c = (unsigned char)s[i];
			out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		return squeeze(out);
	}
	/* Character by character: case folding and NFKD are defined per character, and the marks
	 * that canonical ordering would move are dropped anyway. */
	struct strbuf b = { 0 };
	for (const char *p = s; *p;) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			char low = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			sb_addn(&b, &low, 1);
			p++;
			continue;
		}
		char *tofree;
		sb_add(&b, fold_cached(g_utf8_get_char(p), &tofree));
		free(tofree);
		p = g_utf8_next_char(p);
	}
	return squeeze(sb_take(&b));
}

/* The folded columns, migrations 006 and 007. E-mail addresses compare through their unique
 * NOCASE index (crm_fold_key); users (a few dozen rows) and the kinds without a natural key are
 * matched by crm_fold() over their key or label, a scan of a small table or of records people
 * name by number. */
static const struct crm_fold_col cols[] = {
	{ "accounts", "name_fold", "name", NULL },
	{ "locations", "name_fold", "name", NULL },
	{ "contacts", "label_fold", NULL, "first_name last_name" },
	{ "projects", "name_fold", "name", NULL },
	{ "contracts", "title_fold", "title", NULL },
	{ "products", "code_fold", "code", NULL },
	{ "offers", "number_fold", "number", NULL },
	{ "lists", "name_fold", "name", NULL },
	{ "transactions", "number_fold", "number", NULL },
	{ "campaigns", "name_fold", "name", NULL },
};

const struct crm_fold_col *crm_fold_next(const struct crm_kind *k, int *i)
{
	for (; *i < (int)(sizeof cols / sizeof *cols); (*i)++)
		if (strcmp(cols[*i].table, k->table) == 0)
			return &cols[(*i)++];
	return NULL;
}

const struct crm_fold_col *crm_fold_col(const struct crm_kind *k, const struct crm_field *f)
{
	int i = 0;
	const struct crm_fold_col *c;
	while ((c = crm_fold_next(k, &i))) {
		if (f && c->field && strcmp(c->field, f->name) == 0)
			return c;
		/* A kind whose label is its key (an account's name) keeps one column for both. */
		if (!f && (!c->field || strcmp(k->label_sql + (strncmp(k->label_sql, "t.", 2) ? 0 : 2), c->field) == 0))
			return c;
	}
	return NULL;
}

static int label_is_key(const struct crm_kind *k)
{
	const char *l = k->label_sql;
	for (int i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & CRM_FF_KEY) && strncmp(l, "t.", 2) == 0 && strcmp(l + 2, k->fields[i].column) == 0)
			return 1;
	return 0;
}

int crm_fold_expr(struct strbuf *b, const struct crm_kind *k, const struct crm_field *f)
{
	if (!f && label_is_key(k))
		return 0;
	const struct crm_fold_col *c = crm_fold_col(k, f);
	if (c)
		sb_addf(b, "t.%s", c->fold);
	else if (f && f->column[0] == '(')
		sb_addf(b, "crm_fold(%s)", f->column);
	else if (f)
		sb_addf(b, "crm_fold(t.%s)", f->column);
	else
		sb_addf(b, "crm_fold(%s)", k->label_sql);
	return 1;
}

enum crm_fold_how crm_fold_key(struct strbuf *b, const struct crm_kind *k, const struct crm_field *f)
{
	if (f && f->type == CRM_F_EMAIL && f->column[0] != '(' && !crm_fold_col(k, f)) {
		sb_addf(b, "t.%s", f->column);
		return CRM_FOLD_RAW;
	}
	return crm_fold_expr(b, k, f) ? CRM_FOLD_FOLDED : CRM_FOLD_SKIP;
}

char *crm_fold_glob(const char *value)
{
	char *f = crm_fold(value);
	struct strbuf b = { 0 };
	for (const char *p = f; *p; p++) {
		if (*p == '?' || *p == '[' || *p == ']')
			sb_addf(&b, "[%c]", *p);
		else
			sb_addn(&b, p, 1);
	}
	free(f);
	return sb_take(&b);
}

const struct crm_nocase_key crm_nocase_keys[] = {
	{ "users", NULL, "login" },
	{ "accounts", NULL, "name" },
	{ "locations", "account_id", "name" },
	{ "contacts", NULL, "email" },
	{ "groups", NULL, "name" },
};
const int crm_nocase_nkeys = (int)(sizeof crm_nocase_keys / sizeof *crm_nocase_keys);
