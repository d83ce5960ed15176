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

char *crm_fold(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), i;
	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n || !g_utf8_validate(s, (gssize)n, NULL)) {
		/* ASCII (most keys, and the fast path of a million-row import), or not UTF-8. */
		char *out = xmalloc(n + 1);
		for (i = 0; i <= n; i++) {
			unsigned char c = (unsigned char)s[i];
			out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		return squeeze(out);
	}
	gchar *cf = g_utf8_casefold(s, (gssize)n);
	gchar *nfkd = g_utf8_normalize(cf, -1, G_NORMALIZE_NFKD);
	g_free(cf);
	if (!nfkd) /* cannot happen for valid UTF-8 */
		return squeeze(xstrdup(s));
	struct strbuf b = { 0 };
	for (const gchar *p = nfkd; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		GUnicodeType t = g_unichar_type(c);
		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK)
			continue;
		if (g_unichar_isspace(c)) {
			sb_add(&b, " ");
			continue;
		}
		sb_addn(&b, p, (size_t)(g_utf8_next_char(p) - p));
	}
	g_free(nfkd);
	/* Recompose what is left (Hangul, scripts whose letters decompose without marks). */
	char *flat = sb_take(&b);
	gchar *nfc = g_utf8_normalize(flat, -1, G_NORMALIZE_NFC);
	free(flat);
	char *out = xstrdup(nfc ? nfc : "");
	g_free(nfc);
	return squeeze(out);
}

static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	char *f = crm_fold((const char *)sqlite3_value_text(argv[0]));
	sqlite3_result_text(ctx, f, -1, free);
}

int crm_fold_attach(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "crm_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					  NULL, fold_fn, NULL, NULL, NULL);
}

/* The folded columns, migration 006. users (a few dozen rows, logins in ASCII) and the kinds
 * without a natural key are matched by crm_fold() over their label, a scan of a small table or
 * of numbers people rarely name by title. */
static const struct crm_fold_col cols[] = {
	{ "accounts", "name_fold", "name", NULL },
	{ "locations", "name_fold", "name", NULL },
	{ "contacts", "email_fold", "email", NULL },
	{ "contacts", "label_fold", NULL, "first_name last_name" },
	{ "projects", "name_fold", "name", NULL },
	{ "contracts", "title_fold", "title", NULL },
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

int crm_fold_expr(struct strbuf *b, const struct crm_kind *k, const struct crm_field *f)
{
	if (!f) {
		const char *l = k->label_sql;
		for (int i = 0; i < k->nfields; i++)
			if ((k->fields[i].flags & CRM_FF_KEY) && strncmp(l, "t.", 2) == 0 &&
			    strcmp(l + 2, k->fields[i].column) == 0)
				return 0;
	}
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
