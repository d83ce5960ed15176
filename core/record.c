/* The generic record engine: every kind's add, edit, rm, resolve and query, with validation and
 * history, driven by the descriptors in kinds.c. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "crm/custom.h"
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/import.h"
#include "crm/money.h"
#include "crm/record.h"
#include "crm/near.h"
#include "crm/search.h"
#include "crm/sequence.h"
#include "crm/attr.h"
#include "crm/auth.h"
#include "crm/ticket.h"
#include "fold.h"
#include "crm/workflow.h"
#include "links.h"
#include "util.h"
#include "db.h"
#include "printer_internal.h"

/* "a name" but "an account". */
static const char *article(const char *word)
{
	return strchr("aeiou", word[0]) && word[0] ? "an" : "a";
}

/* label_sql is written over alias "t"; joins need it over another alias. */
static char *realias(const char *sql, const char *alias)
{
	struct strbuf b = { 0 };
	for (const char *p = sql; *p; p++) {
		if (p[0] == 't' && p[1] == '.' && (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			sb_addf(&b, "%s.", alias);
			p++;
		} else {
			sb_addn(&b, p, 1);
		}
	}
	return sb_take(&b);
}

/* ---------------------------------------------------------------- resolve */

char *crm_record_label(struct crm *crm, const struct crm_kind *k, long long id)
{
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT %s FROM %s t WHERE t.id = ?", k->label_sql, k->table);
	crm_stmt *st;
	char *label = NULL;
	if (crm_stmt_get(crm, sql.s, &st, NULL) == CRM_OK) { /* kept prepared: imports label each row's */
		crm_bind_int64(st, 1, id);
		if (crm_step(st) == CRM_SQL_ROW) {
			const char *t = (const char *)crm_col_text(st, 0);
			label = xstrdup(t ? t : "");
		}
		crm_stmt_done(st);
	}
	sb_free(&sql);
	return label;
}

/* One step of resolving: the records whose key f (the label when f is NULL) folds to what ref
 * folds to, through the folded column where the table keeps one (fold.h). *found is how many;
 * one is *id, several are a CRM_ECONFLICT listing them. */
static int resolve_step(struct crm *crm, const struct crm_kind *k, const struct crm_field *f,
			const char *ref, const struct crm_field *within, long long whole, long long *id,
			int *found, struct crm_err *err)
{
	struct strbuf expr = { 0 }, sql = { 0 };
	*found = 0;
	enum crm_fold_how how = crm_fold_key(&expr, k, f);
	if (how == CRM_FOLD_SKIP) {
		sb_free(&expr);
		return CRM_OK; /* the label is a key, looked up as one */
	}
	char *value = how == CRM_FOLD_RAW ? xstrdup(ref) : crm_fold(ref);
	/* First the numbers alone (an import resolves a cell a row); the candidates' names only
	 * when there are several to list. */
	sb_addf(&sql, "SELECT t.id FROM %s t WHERE %s = ?1", k->table, expr.s);
	if (within) /* within one whole: the sections of one offer */
		sb_addf(&sql, " AND t.%s = ?2", within->column);
	sb_add(&sql, " ORDER BY t.id LIMIT 2");
	crm_stmt *st;
	int rc = crm_stmt_get(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		goto out;
	crm_bind_text(st, 1, value);
	if (within)
		crm_bind_int64(st, 2, whole);
	while ((rc = crm_step(st)) == CRM_SQL_ROW)
		if (!(*found)++)
			*id = crm_col_int64(st, 0);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE) {
		rc = crm_db_error(crm, rc, "finding a record", err);
		goto out;
	}
	rc = CRM_OK;
	if (*found < 2)
		goto out;
	/* Candidates that share a name (two accounts' "HQ") are told apart by their account; parts
	 * (two offers' "Introduction") by their whole, which names them as <whole>/<name>. */
	const struct crm_field *owner = crm_kind_field(k, "account", NULL);
	const struct crm_field *part_of = crm_kind_whole_field(k);
	const struct crm_kind *wk = part_of ? crm_kind_find(part_of->ref) : NULL;
	if (wk && !within) {
		char *wl = realias(wk->label_sql, "w");
		sb_addf(&sql, "SELECT t.id, %s, (SELECT %s FROM %s w WHERE w.id = t.%s)", k->label_sql, wl, wk->table,
			part_of->column);
		free(wl);
	} else if (owner && owner->type == CRM_F_REF && strcmp(owner->ref, "account") == 0)
		sb_addf(&sql, "SELECT t.id, %s, (SELECT a.name FROM accounts a WHERE a.id = t.%s)", k->label_sql,
			owner->column);
	else
		sb_addf(&sql, "SELECT t.id, %s, NULL", k->label_sql);
	/* and the key as stored: one spelt as typed, whatever the case (Zürich beside Zurich), is
	 * the one meant */
	if (f && f->column[0] != '(')
		sb_addf(&sql, ", t.%s", f->column);
	else
		sb_addf(&sql, ", %s", k->label_sql);
	sb_addf(&sql, " FROM %s t WHERE %s = ?1", k->table, expr.s);
	if (within)
		sb_addf(&sql, " AND t.%s = ?2", within->column);
	sb_add(&sql, " ORDER BY t.id LIMIT 11");
	rc = crm_stmt_get(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		goto out;
	crm_bind_text(st, 1, value);
	if (within)
		crm_bind_int64(st, 2, whole);
	struct strbuf cands = { 0 };
	char *example = NULL; /* the first candidate as <whole>/<name> */
	*found = 0;
	int nsame = 0;
	long long same_id = 0;
	gchar *typed = g_utf8_strdown(ref, -1);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const char *key = (const char *)crm_col_text(st, 3);
		if (key && g_utf8_validate(key, -1, NULL)) {
			gchar *low = g_utf8_strdown(key, -1);
			if (strcmp(low, typed) == 0 && nsame++ == 0)
				same_id = crm_col_int64(st, 0);
			g_free(low);
		}
		if (*found < 10) {
			const char *label = (const char *)crm_col_text(st, 1);
			const char *of = (const char *)crm_col_text(st, 2);
			sb_addf(&cands, "%s%lld (%s%s%s)", *found ? ", " : "", (long long)crm_col_int64(st, 0),
				label ? label : "", of ? " of " : "", of ? of : "");
			if (wk && !within && of && label && !example)
				example = g_strdup_printf(" or as '%s/%s'", of, label);
		} else if (*found == 10) {
			sb_add(&cands, ", ...");
		}
		(*found)++;
	}
	crm_stmt_done(st);
	g_free(typed);
	if (rc != CRM_SQL_DONE) {
		rc = crm_db_error(crm, rc, "finding a record", err);
	} else if (nsame == 1 && *found <= 10) {
		*id = same_id;
		*found = 1;
		rc = CRM_OK;
	} else {
		rc = crm_error(err, CRM_ECONFLICT, "%s '%s' is ambiguous: %s; name it by number%s", crm_kind_noun(k), ref,
			       cands.s ? cands.s : "", example ? example : "");
	}
	g_free(example);
	sb_free(&cands);
out:
	free(value);
	sb_free(&expr);
	return rc;
}

/* For filters (crm_filter_resolver): every record a reference names, by each key and the label
 * alike, through the same indexes; failing those, for a links field, those with the value as
 * one word of their label (contact:Ann). More than FILTER_IDS is left to a sub-select. */
#define FILTER_IDS 1000
/* A list's bare word through the search index (the kinds it holds). */
static int search_for_filter(void *ctx, const struct crm_kind *k, const char *word, char **sql, char **match)
{
	return crm_search_filter_sql(ctx, k, word, sql, match);
}

static int resolve_for_filter(void *ctx, const struct crm_kind *k, const char *value, int words,
			      long long **ids, int *nids, struct crm_err *err)
{
	struct crm *crm = ctx;
	int n = 0, cap = 0, rc = CRM_OK;
	long long *out = NULL;
	char *folded = crm_fold(value);
	for (int i = 0; i <= k->nfields + 1 && rc == CRM_OK && n <= FILTER_IDS; i++) {
		const struct crm_field *f = i < k->nfields ? &k->fields[i] : NULL;
		if (f && !(f->flags & CRM_FF_KEY))
			continue;
		if (i == k->nfields + 1 && (n || !words))
			break;
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT t.id FROM %s t WHERE ", k->table);
		enum crm_fold_how how = CRM_FOLD_FOLDED;
		if (i <= k->nfields) {
			if ((how = crm_fold_key(&sql, k, f)) == CRM_FOLD_SKIP) {
				sb_free(&sql);
				continue;
			}
			sb_add(&sql, " = ?1");
		} else { /* one word of the label: a scan, only when nothing else matched */
			struct strbuf expr = { 0 };
			crm_fold_expr(&expr, k, NULL);
			sb_addf(&sql, "%s GLOB ?2 OR %s GLOB ?3", expr.s, expr.s);
			sb_free(&expr);
		}
		sb_addf(&sql, " LIMIT %d", FILTER_IDS + 1);
		crm_stmt *st;
		rc = crm_stmt_get(crm, sql.s, &st, err);
		sb_free(&sql);
		if (rc)
			break;
		crm_bind_text(st, 1, how == CRM_FOLD_RAW ? value : folded);
		if (i > k->nfields) {
			char *g = crm_fold_glob(value);
			struct strbuf a = { 0 }, z = { 0 };
			sb_addf(&a, "%s *", g);
			sb_addf(&z, "* %s", g);
			free(g);
			crm_bind_text_own(st, 2, sb_take(&a));
			crm_bind_text_own(st, 3, sb_take(&z));
		}
		int src;
		while ((src = crm_step(st)) == CRM_SQL_ROW) {
			long long id = crm_col_int64(st, 0);
			int dup = 0;
			for (int j = 0; j < n && !dup; j++)
				dup = out[j] == id;
			if (dup)
				continue;
			if (n == cap)
				out = xrealloc(out, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *out);
			out[n++] = id;
			if (n > FILTER_IDS)
				break;
		}
		crm_stmt_done(st);
		if (src != CRM_SQL_DONE && src != CRM_SQL_ROW)
			rc = crm_db_error(crm, src, "finding records", err);
	}
	free(folded);
	if (rc || n > FILTER_IDS) {
		free(out);
		*ids = NULL;
		*nids = -1; /* too many to list: the filter matches them by a sub-select */
		return rc;
	}
	*ids = out;
	*nids = n;
	return CRM_OK;
}

/* The resolve cache of an import batch (crm_resolve_cache): per table, what each reference
 * text resolved to. Process state, like the custom kinds of custom.c: one process runs one
 * import at a time. A write to a table forgets its entries (a new "Ann Lee" makes the name
 * ambiguous; a renamed account no longer answers to its old name). */
#define CACHE_MAX 65536 /* entries per table: beyond, start again (memory stays small) */
static struct resolve_cache {
	const char *table;
	GHashTable *ids; /* reference text -> record number */
} caches[16];
static int caching;

void crm_resolve_cache(int on)
{
	caching = on;
	crm_resolve_cache_forget(NULL);
}

void crm_resolve_cache_forget(const struct crm_kind *k)
{
	for (size_t i = 0; i < sizeof caches / sizeof *caches && caches[i].table; i++)
		if (caches[i].ids && (!k || strcmp(caches[i].table, k->table) == 0)) {
			if (caching && g_hash_table_size(caches[i].ids))
				g_hash_table_remove_all(caches[i].ids);
			else if (!caching) {
				g_hash_table_destroy(caches[i].ids);
				caches[i].ids = NULL;
			}
		}
}

static GHashTable *cache_of(const struct crm_kind *k)
{
	size_t i;
	for (i = 0; i < sizeof caches / sizeof *caches && caches[i].table; i++)
		if (strcmp(caches[i].table, k->table) == 0)
			break;
	if (i == sizeof caches / sizeof *caches)
		return NULL;
	caches[i].table = k->table; /* static strings of kinds.c */
	if (!caches[i].ids)
		caches[i].ids = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	return caches[i].ids;
}

static void cache_put(const struct crm_kind *k, const char *ref, long long id)
{
	GHashTable *h = cache_of(k);
	if (!h)
		return;
	if (g_hash_table_size(h) >= CACHE_MAX)
		g_hash_table_remove_all(h);
	long long *v = xmalloc(sizeof *v);
	*v = id;
	g_hash_table_replace(h, xstrdup(ref), v);
}

static int resolve(struct crm *crm, const struct crm_kind *k, const char *ref, long long *id,
		   struct crm_err *err);

int crm_record_resolve(struct crm *crm, const struct crm_kind *k, const char *ref, long long *id,
		       struct crm_err *err)
{
	if (!ref || !*ref)
		return crm_error(err, CRM_EUSAGE, "no %s named", crm_kind_noun(k));
	if (caching) {
		GHashTable *h = cache_of(k);
		const long long *hit = h ? g_hash_table_lookup(h, ref) : NULL;
		if (hit) {
			*id = *hit;
			return CRM_OK;
		}
	}
	int rc = resolve(crm, k, ref, id, err);
	if (rc == CRM_OK && caching) {
		cache_put(k, ref, *id);
		/* The import hands the engine the number it found: that resolves from here too. */
		char num[24];
		snprintf(num, sizeof num, "%lld", *id);
		if (strcmp(num, ref) != 0)
			cache_put(k, num, *id);
	}
	return rc;
}

/* A part named within its whole, "<whole>/<label>": OF-2026-0001/Introduction, the section
 * Introduction of that offer (several offers have one). Each '/' is tried from the left, so a
 * name with a '/' in it ("Prices / terms") still reads; the first whole that exists and has such
 * a part decides, an ambiguous one is an error. *found stays 0 when none has. */
static int resolve_within(struct crm *crm, const struct crm_kind *k, const char *ref, long long *id, int *found,
			  struct crm_err *err)
{
	const struct crm_field *wf = crm_kind_whole_field(k);
	const struct crm_kind *wk = wf ? crm_kind_find(wf->ref) : NULL;
	if (!wk)
		return CRM_OK;
	for (const char *slash = strchr(ref, '/'); slash && !*found; slash = strchr(slash + 1, '/')) {
		if (slash == ref || !slash[1])
			continue;
		char *whole_ref = g_strndup(ref, (gsize)(slash - ref));
		long long whole = 0;
		struct crm_err werr = { 0 };
		int rc = resolve(crm, wk, whole_ref, &whole, &werr);
		g_free(whole_ref);
		if (rc == CRM_ENOTFOUND)
			continue;
		if (rc) {
			if (err)
				*err = werr;
			return rc;
		}
		if ((rc = resolve_step(crm, k, NULL, slash + 1, wf, whole, id, found, err)))
			return rc;
	}
	return CRM_OK;
}

static int resolve(struct crm *crm, const struct crm_kind *k, const char *ref, long long *id,
		   struct crm_err *err)
{
	crm_stmt *st;
	int rc;
	if (is_digits(ref)) { /* the number first */
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT id FROM %s WHERE id = ?", k->table);
		rc = crm_stmt_get(crm, sql.s, &st, err);
		sb_free(&sql);
		if (rc)
			return rc;
		crm_bind_text(st, 1, ref);
		rc = crm_step(st);
		if (rc == CRM_SQL_ROW)
			*id = crm_col_int64(st, 0);
		crm_stmt_done(st);
		if (rc == CRM_SQL_ROW)
			return CRM_OK;
		if (rc != CRM_SQL_DONE)
			return crm_db_error(crm, rc, "finding a record", err);
	}
	/* Then by each natural key, then by label ("Ann Smith"), folded (fold.h) and through an index
	 * where the table keeps one: the first step that finds anyone decides. Several matches are
	 * listed, never guessed. */
	int found = 0;
	for (int i = 0; i <= k->nfields && !found; i++) {
		const struct crm_field *f = i < k->nfields ? &k->fields[i] : NULL;
		if (f && !(f->flags & CRM_FF_KEY))
			continue;
		if ((rc = resolve_step(crm, k, f, ref, NULL, 0, id, &found, err)))
			return rc;
	}
	if (found == 0 && (rc = resolve_within(crm, k, ref, id, &found, err)))
		return rc;
	if (found == 0)
		return crm_error(err, CRM_ENOTFOUND, "%s '%s' not found", crm_kind_noun(k), ref);
	return CRM_OK;
}

/* ---------------------------------------------------------------- validation */

/* A reference that names nothing: "; did you mean 'Acme'?" after the message when a record of
 * a kind with a folded label (fold.c) has a label within two edits of it. One index range over
 * the labels starting with the same letter, at most 1,000 of them; only on the way to an error. */
static void near_hint(struct crm *crm, const struct crm_kind *k, const char *ref, struct crm_err *err)
{
	const struct crm_fold_col *c = crm_fold_col(k, NULL);
	const char *shown = k->label_sql;
	char keycol[64];
	if (!c) { /* a kind whose label is not folded (a product's name): its folded key (the code) */
		int i = 0;
		c = crm_fold_next(k, &i);
		if (c && c->field) {
			snprintf(keycol, sizeof keycol, "t.%s", c->field);
			shown = keycol;
		}
	}
	char *folded = crm_fold(ref);
	if (!c || !err || !folded[0] || (unsigned char)folded[0] >= 0x7f) {
		free(folded);
		return;
	}
	char lo[2] = { folded[0], 0 }, hi[2] = { (char)(folded[0] + 1), 0 };
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT %s, t.%s FROM %s t WHERE t.%s >= ?1 AND t.%s < ?2 LIMIT 1000", shown, c->fold,
		k->table, c->fold, c->fold);
	crm_stmt *st;
	struct crm_err ignored = { 0 };
	if (crm_prepare(crm, sql.s, &st, &ignored)) {
		sb_free(&sql);
		free(folded);
		return;
	}
	sb_free(&sql);
	crm_bind_text(st, 1, lo);
	crm_bind_text(st, 2, hi);
	char *best = NULL;
	size_t best_d = 0;
	while (crm_step(st) == CRM_SQL_ROW) {
		const char *label = (const char *)crm_col_text(st, 0), *f = (const char *)crm_col_text(st, 1);
		size_t d = label && f ? crm_nearness(folded, f) : 0;
		if (d && (!best || d < best_d)) {
			free(best);
			best = xstrdup(label);
			best_d = d;
		}
	}
	crm_finalize(st);
	free(folded);
	if (best) {
		size_t len = strlen(err->msg);
		snprintf(err->msg + len, sizeof err->msg - len, "; did you mean '%s'?", best);
		free(best);
	}
}

void crm_record_near(struct crm *crm, const struct crm_kind *k, const char *ref, struct crm_err *err)
{
	near_hint(crm, k, ref, err);
}

/* A field's value after validation: canonical text (NULL to clear) and, for references, the id. */
struct slot {
	const struct crm_field *field;
	char *text;
	int set; /* the user named this field */
};

static int valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return 0;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
			return 0;
	return 1;
}

const struct crm_conf_node *crm_field_picklist(const struct crm_config *cfg, const struct crm_field *f)
{
	char path[128];
	if (!f || !f->picklist)
		return NULL;
	if (strcmp(f->picklist, "roles") == 0)
		return crm_config_node(cfg, "roles");
	if (strchr(f->picklist, '.')) /* a configuration path: workflow.ticket.statuses */
		return crm_config_node(cfg, f->picklist);
	snprintf(path, sizeof path, "picklists.%s", f->picklist);
	return crm_config_node(cfg, path);
}

static const struct crm_conf_node *picklist(struct crm *crm, const struct crm_field *f)
{
	return crm_field_picklist(crm->cfg, f);
}

/* The canonical spelling of v in a pick-list (a sequence of values, or a map's keys). */
static const char *pick(const struct crm_conf_node *list, const char *v)
{
	size_t n = crm_conf_count(list);
	for (size_t i = 0; i < n; i++) {
		const char *item = crm_conf_type(list) == CRM_CONF_MAP ? crm_conf_key(list, i)
								       : crm_conf_scalar(crm_conf_child(list, i));
		if (item && strcasecmp(item, v) == 0)
			return item;
	}
	return NULL;
}

static int picklist_error(const struct crm_kind *k, const struct crm_field *f, const char *v,
			  const struct crm_conf_node *list, struct crm_err *err)
{
	struct strbuf allowed = { 0 };
	size_t n = crm_conf_count(list);
	for (size_t i = 0; i < n; i++) {
		const char *item = crm_conf_type(list) == CRM_CONF_MAP ? crm_conf_key(list, i)
								       : crm_conf_scalar(crm_conf_child(list, i));
		sb_addf(&allowed, "%s%s", i ? ", " : "", item ? item : "");
	}
	int rc = crm_error(err, CRM_EINVALID, "invalid %s '%s' for %s (one of: %s)", f->name, v, crm_kind_noun(k),
			   allowed.s ? allowed.s : "");
	sb_free(&allowed);
	return rc;
}

static int at_field(struct crm_err *err, const struct crm_field *f, int rc);

/* A number below the field's declared minimum (crm_field.min) is invalid. */
static int check_min(const struct crm_field *f, double v, const char *in, struct crm_err *err)
{
	if (f->min && v < strtod(f->min, NULL))
		return crm_error(err, CRM_EINVALID, "%s '%s' is below its minimum, %s", f->name, in, f->min);
	if (f->max && v > strtod(f->max, NULL))
		return crm_error(err, CRM_EINVALID, "%s '%s' is above its maximum, %s", f->name, in, f->max);
	return CRM_OK;
}

static int normalize(struct crm *crm, const struct crm_kind *k, const struct crm_field *f,
		     const char *in, char **out, struct crm_err *err);

/* A fixed-scale decimal reads without trailing zeros: a quantity of 3, of 1.5. */
static char *dec_trim(char *t)
{
	char *dot = strchr(t, '.');
	if (dot) {
		size_t n = strlen(t);
		while (n > (size_t)(dot - t) && (t[n - 1] == '0' || t[n - 1] == '.'))
			if (t[--n] == '.') {
				t[n] = '\0';
				break;
			} else {
				t[n] = '\0';
			}
	}
	return t;
}

/* An exact decimal the user gave that does not parse at its scale. */
static int dec_error(const struct crm_kind *k, const struct crm_field *f, const char *in, int why,
		     int digits, const char *currency, struct crm_err *err)
{
	(void)k;
	if (why == CRM_DEC_RANGE)
		return crm_error(err, CRM_EINVALID, "%s '%s' is too large", f->name, in);
	if (why == CRM_DEC_DIGITS && currency)
		return crm_error(err, CRM_EINVALID, "%s '%s' has more decimals than %s allows (%d)", f->name, in,
				 *currency ? currency : "an amount without a currency", digits);
	if (why == CRM_DEC_DIGITS && digits >= 0)
		return crm_error(err, CRM_EINVALID, "%s '%s' has more than %d decimals", f->name, in, digits);
	if (why == CRM_DEC_DIGITS)
		return crm_error(err, CRM_EINVALID, "%s '%s' has too many decimals", f->name, in);
	if (strchr(in, ','))
		return crm_error(err, CRM_EINVALID, "%s '%s' is not a number (write it without thousands separators, "
				 "with a decimal point: 1234.56)", f->name, in);
	return crm_error(err, CRM_EINVALID, "%s '%s' is not a number", f->name, in);
}

/* Below the field's minimum (crm_field.min), compared exactly at the value's scale. */
static int dec_min(const struct crm_kind *k, const struct crm_field *f, long long v, int digits,
		   const char *in, struct crm_err *err)
{
	long long min;
	(void)k;
	if (f->min && crm_dec_parse(f->min, digits, &min) == CRM_DEC_OK && v < min)
		return crm_error(err, CRM_EINVALID, "%s '%s' is below its minimum, %s", f->name, in, f->min);
	if (f->max && crm_dec_parse(f->max, digits, &min) == CRM_DEC_OK && v > min)
		return crm_error(err, CRM_EINVALID, "%s '%s' is above its maximum, %s", f->name, in, f->max);
	return CRM_OK;
}

/* The minor units of canonical decimal text ("1234.56" is 123456): its own decimals are the
 * field's scale. */
static long long dec_units(const char *text)
{
	const char *dot = strchr(text, '.');
	long long v = 0;
	crm_dec_parse(text, dot ? (int)strlen(dot + 1) : 0, &v);
	return v;
}

/* The currency of a money field in a record's slots ("" for none): its own field's, or that of
 * the record it refers to ("contract.currency"), copied into buf. */
static const char *slot_currency(struct crm *crm, const struct crm_kind *k, const struct slot *s,
				 const struct crm_field *f, char *buf, size_t n)
{
	const char *dot = f->currency ? strchr(f->currency, '.') : NULL;
	buf[0] = '\0';
	if (f->currency && !dot) {
		const struct crm_field *cf = crm_kind_field(k, f->currency, NULL);
		const char *c = cf ? s[cf - k->fields].text : NULL;
		snprintf(buf, n, "%s", c ? c : "");
	} else if (dot) {
		char ref[64];
		snprintf(ref, sizeof ref, "%.*s", (int)(dot - f->currency), f->currency);
		const struct crm_field *rf = crm_kind_field(k, ref, NULL);
		const struct crm_kind *rk = rf && rf->ref ? crm_kind_find(rf->ref) : NULL;
		const struct crm_field *cf = rk ? crm_kind_field(rk, dot + 1, NULL) : NULL;
		const char *id = rf ? s[rf - k->fields].text : NULL;
		if (!cf || !id)
			return buf;
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT %s FROM %s WHERE id = ?", cf->column, rk->table);
		crm_stmt *st;
		if (crm_stmt_get(crm, sql.s, &st, NULL) == CRM_OK) {
			crm_bind_int64(st, 1, atoll(id));
			if (crm_step(st) == CRM_SQL_ROW && crm_col_text(st, 0))
				snprintf(buf, n, "%s", (const char *)crm_col_text(st, 0));
			crm_stmt_done(st);
		}
		sb_free(&sql);
	}
	return buf;
}

/* Every money field of a record, in its currency's minor units: more decimals than the
 * currency has are refused (6), fewer are filled ("12.5" EUR is "12.50"), the minimum checked. */
static int money_canon(struct crm *crm, const struct crm_kind *k, struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type != CRM_F_MONEY || !s[i].text || (f->flags & CRM_FF_READONLY))
			continue;
		/* An amount without a currency of its own is in the configuration's. */
		const struct crm_field *own = f->currency && !strchr(f->currency, '.') ? crm_kind_field(k, f->currency, NULL) : NULL;
		const char *dflt = own && !s[own - k->fields].text ? crm_config_get(crm->cfg, "currency") : NULL;
		if (dflt && *dflt) {
			int rc = normalize(crm, k, own, dflt, &s[own - k->fields].text, err);
			if (rc)
				return at_field(err, own, rc);
		}
		char cbuf[16];
		const char *cur = slot_currency(crm, k, s, f, cbuf, sizeof cbuf);
		int digits = crm_currency_digits(cur);
		long long v;
		int rc = crm_dec_parse(s[i].text, digits, &v);
		if (rc)
			return at_field(err, f, dec_error(k, f, s[i].text, rc, digits, cur, err));
		if ((rc = dec_min(k, f, v, digits, s[i].text, err)))
			return at_field(err, f, rc);
		char buf[32];
		free(s[i].text);
		s[i].text = xstrdup(crm_dec_format(v, digits, buf, sizeof buf));
	}
	return CRM_OK;
}

static int normalize(struct crm *crm, const struct crm_kind *k, const struct crm_field *f,
		     const char *in, char **out, struct crm_err *err)
{
	*out = NULL;
	if (!in || !*in) {
		if (f->flags & CRM_FF_REQUIRED)
			return crm_error(err, CRM_EINVALID, "%s needs %s %s", crm_kind_noun(k), article(f->name), f->name);
		return CRM_OK;
	}
	int bad = crm_check_utf8(f->name, in, err);
	if (bad)
		return bad;
	char buf[64];
	char *end;
	switch (f->type) {
	case CRM_F_INT: {
		long long v = strtoll(in, &end, 10);
		if (*end || isspace((unsigned char)*in))
			return crm_error(err, CRM_EINVALID, "%s '%s' is not a whole number", f->name, in);
		if (check_min(f, (double)v, in, err))
			return CRM_EINVALID;
		snprintf(buf, sizeof buf, "%lld", v);
		*out = xstrdup(buf);
		return CRM_OK;
	}
	case CRM_F_REAL: {
		double v = strtod(in, &end);
		if (*end || isspace((unsigned char)*in) || !isfinite(v))
			return crm_error(err, CRM_EINVALID, "%s '%s' is not a number", f->name, in);
		if (check_min(f, v, in, err))
			return CRM_EINVALID;
		snprintf(buf, sizeof buf, "%.15g", v);
		*out = xstrdup(buf);
		return CRM_OK;
	}
	case CRM_F_MONEY:
	case CRM_F_DECIMAL: {
		/* The form is checked here; a money field's decimals against its record's
		 * currency, once every field is set (check_record: money_canon). */
		int digits = f->type == CRM_F_DECIMAL ? f->scale : CRM_DEC_MAXDIGITS;
		long long v;
		int rc = crm_dec_parse(in, digits, &v);
		if (rc)
			return dec_error(k, f, in, rc, f->type == CRM_F_DECIMAL ? digits : -1, NULL, err);
		if (f->type == CRM_F_MONEY) {
			*out = xstrdup(in[0] == '+' ? in + 1 : in);
			return CRM_OK;
		}
		if ((f->min || f->max) && (rc = dec_min(k, f, v, digits, in, err)))
			return rc;
		*out = xstrdup(dec_trim(crm_dec_format(v, digits, buf, sizeof buf)));
		return CRM_OK;
	}
	case CRM_F_DATE:
		if (crm_date_parse_day(in, crm->now, buf, sizeof buf, err))
			return crm_error(err, CRM_EINVALID, "%s: invalid date '%s'", f->name, in);
		*out = xstrdup(buf);
		return CRM_OK;
	case CRM_F_TIME:
		if (crm_date_parse_time(in, crm->now, buf, sizeof buf, err))
			return crm_error(err, CRM_EINVALID, "%s: invalid date '%s'", f->name, in);
		*out = xstrdup(buf);
		return CRM_OK;
	case CRM_F_BOOL:
		if (!strcasecmp(in, "yes") || !strcasecmp(in, "true") || !strcmp(in, "1") || !strcasecmp(in, "y"))
			*out = xstrdup("1");
		else if (!strcasecmp(in, "no") || !strcasecmp(in, "false") || !strcmp(in, "0") || !strcasecmp(in, "n"))
			*out = xstrdup("0");
		else
			return crm_error(err, CRM_EINVALID, "%s '%s' is not yes or no", f->name, in);
		return CRM_OK;
	case CRM_F_EMAIL:
		if (!valid_email(in))
			return crm_error(err, CRM_EINVALID, "%s '%s' is not an e-mail address", f->name, in);
		*out = xstrdup(in);
		return CRM_OK;
	case CRM_F_REF: {
		const struct crm_kind *rk = crm_kind_find(f->ref);
		long long id;
		int rc = crm_record_resolve(crm, rk, in, &id, err);
		if (rc == CRM_ENOTFOUND)
			near_hint(crm, rk, in, err);
		/* A product is picked from the catalogue: one that is not in it is invalid data (6), as
		 * a misspelt pick-list value is, not a record the command was asked about (3). */
		if (rc == CRM_ENOTFOUND && strcmp(rk->name, "product") == 0) {
			rc = CRM_EINVALID;
			if (err) {
				err->code = CRM_EINVALID;
				snprintf(err->field, sizeof err->field, "%s", f->name);
			}
		}
		if (rc)
			return rc;
		snprintf(buf, sizeof buf, "%lld", id);
		*out = xstrdup(buf);
		return CRM_OK;
	}
	case CRM_F_LIST: {
		/* Words separated by commas, trimmed, each checked against the pick-list if any. */
		const struct crm_conf_node *list = f->picklist ? picklist(crm, f) : NULL;
		struct strbuf b = { 0 };
		char *copy = xstrdup(in), *save = NULL;
		const char *sep = strchr(in, CRM_LIST_SEP) ? CRM_LIST_SEP_STR : ",";
		for (char *w = strtok_r(copy, sep, &save); w; w = strtok_r(NULL, sep, &save)) {
			while (isspace((unsigned char)*w))
				w++;
			size_t n = strlen(w);
			while (n && isspace((unsigned char)w[n - 1]))
				w[--n] = '\0';
			if (!n)
				continue;
			const char *canon = w;
			int rc = list && !(canon = pick(list, w)) ? picklist_error(k, f, w, list, err) : CRM_OK;
			if (!rc && strcmp(f->picklist ? f->picklist : "", "roles") == 0)
				rc = crm_auth_may_give(crm, canon, err);
			if (rc) {
				free(copy);
				sb_free(&b);
				return rc;
			}
			sb_addf(&b, "%s%s", b.len ? "," : "", canon);
		}
		free(copy);
		*out = b.len ? sb_take(&b) : NULL;
		sb_free(&b);
		if (!*out && (f->flags & CRM_FF_REQUIRED))
			return crm_error(err, CRM_EINVALID, "%s needs %s %s", crm_kind_noun(k), article(f->name), f->name);
		return CRM_OK;
	}
	case CRM_F_LINKS: /* set through crm_links_assign */
		break;
	case CRM_F_TEXT:
		if (f->norm) {
			int rc = f->norm(in, out, err);
			if (!rc && !*out && (f->flags & CRM_FF_REQUIRED))
				rc = crm_error(err, CRM_EINVALID, "%s needs %s %s", crm_kind_noun(k), article(f->name), f->name);
			return rc;
		}
		if (f->picklist) {
			const struct crm_conf_node *list = picklist(crm, f);
			if (list && crm_conf_count(list) > 0) {
				const char *canon = pick(list, in);
				if (!canon)
					return picklist_error(k, f, in, list, err);
				*out = xstrdup(canon);
				return CRM_OK;
			}
		}
		*out = xstrdup(in);
		return CRM_OK;
	}
	return crm_error(err, CRM_EFAIL, "field '%s' has an unknown type", f->name);
}

/* ---------------------------------------------------------------- rows as slots */

static struct slot *slots_new(const struct crm_kind *k)
{
	struct slot *s = xcalloc((size_t)k->nfields, sizeof *s);
	for (int i = 0; i < k->nfields; i++)
		s[i].field = &k->fields[i];
	return s;
}

static void slots_free(const struct crm_kind *k, struct slot *s)
{
	if (!s)
		return;
	for (int i = 0; i < k->nfields; i++)
		free(s[i].text);
	free(s);
}

/* The SQL that loads a record of kind k, built once per kind and process: an import loads a
 * record per row, and building it took longer than running it. */
static const char *load_sql(const struct crm_kind *k)
{
	static struct {
		const struct crm_kind *k;
		const struct crm_field *fields;
		int nfields;
		char *sql;
	} memo[32];
	int i = 0;
	for (; i < 32 && memo[i].k; i++)
		if (memo[i].k == k && memo[i].fields == k->fields && memo[i].nfields == k->nfields)
			return memo[i].sql;
	if (i == 32)
		i = (int)(((unsigned long)k >> 4) % 32); /* full (never, with the kinds there are): reuse */
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT ");
	for (int f = 0; f < k->nfields; f++) {
		if (f)
			sb_add(&sql, ", ");
		crm_field_sql(&sql, &k->fields[f]); /* a column, a computed expression, linked ids */
	}
	sb_addf(&sql, " FROM %s t WHERE t.id = ?", k->table);
	free(memo[i].sql);
	memo[i].k = k;
	memo[i].fields = k->fields;
	memo[i].nfields = k->nfields;
	memo[i].sql = sb_take(&sql);
	return memo[i].sql;
}

/* Load a stored record's writable fields as text. */
static int slots_load(struct crm *crm, const struct crm_kind *k, long long id, struct slot *s,
		      struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, load_sql(k), &st, err); /* imports load a record per row */
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW) {
		for (int i = 0; i < k->nfields; i++) {
			const char *t = (const char *)crm_col_text(st, i);
			if (crm_col_type(st, i) == CRM_COL_FLOAT) {
				char buf[64];
				snprintf(buf, sizeof buf, "%.15g", crm_col_double(st, i));
				s[i].text = xstrdup(buf);
			} else {
				s[i].text = t ? xstrdup(t) : NULL;
			}
		}
		/* Exact amounts are integers of minor units; the slots hold their decimal text. */
		for (int i = 0; i < k->nfields; i++) {
			const struct crm_field *f = &k->fields[i];
			if (!s[i].text || (f->type != CRM_F_MONEY && f->type != CRM_F_DECIMAL))
				continue;
			char buf[32];
			char cbuf[16];
			int digits = f->type == CRM_F_DECIMAL ? f->scale
							      : crm_currency_digits(slot_currency(crm, k, s, f, cbuf, sizeof cbuf));
			long long v = strtoll(s[i].text, NULL, 10);
			free(s[i].text);
			crm_dec_format(v, digits, buf, sizeof buf);
			if (f->type == CRM_F_DECIMAL)
				dec_trim(buf);
			s[i].text = xstrdup(buf);
		}
		rc = CRM_OK;
	} else if (rc == CRM_SQL_DONE) {
		rc = crm_error(err, CRM_ENOTFOUND, "%s '%lld' not found", crm_kind_noun(k), id);
	} else {
		rc = crm_db_error(crm, rc, "reading a record", err);
	}
	crm_stmt_done(st);
	return rc;
}

/* Name the field at fault (imports report it per row); returns rc. */
static int at_field(struct crm_err *err, const struct crm_field *f, int rc)
{
	if (err)
		snprintf(err->field, sizeof err->field, "%s", f->name);
	return rc;
}

static struct slot *slot_named(const struct crm_kind *k, struct slot *s, const char *name);

/* Apply the user's assignments to slots, validating each. */
static int slots_assign(struct crm *crm, const struct crm_kind *k, struct slot *s,
			const struct crm_assign *set, int nset, struct crm_err *err)
{
	for (int i = 0; i < nset; i++) {
		int as_id;
		const struct crm_field *f = crm_kind_field(k, set[i].field, &as_id);
		if (!f)
			return crm_error(err, CRM_EUSAGE, "unknown field '%s' for %s%s%s%s", set[i].field, crm_kind_noun(k),
					 crm_kind_near_field(k, set[i].field) ? "; did you mean '" : "",
					 crm_kind_near_field(k, set[i].field) ? crm_kind_near_field(k, set[i].field) : "",
					 crm_kind_near_field(k, set[i].field) ? "'?" : "");
		if (f->flags & CRM_FF_READONLY)
			return crm_error(err, CRM_EUSAGE, "field '%s' of %s cannot be set", f->name, crm_kind_noun(k));
		struct slot *slot = &s[f - k->fields];
		if (f->type == CRM_F_LINKS) {
			/* Repeated options accumulate: --contact Ann --contact Bob. */
			int rc = crm_links_assign(crm, k, f, &slot->text, !slot->set, set[i].value, err);
			if (rc)
				return rc;
			slot->set = 1;
			continue;
		}
		const char *value = set[i].value;
		/* A field with an alternative (a task's assignee: a user, or @group): "@name" goes to
		 * the other field, and either one set empties the other. */
		struct slot *other = NULL;
		if (f->type == CRM_F_REF && f->alt && (other = slot_named(k, s, f->alt)) != NULL) {
			if (value && value[0] == '@') {
				struct slot *tmp = slot;
				slot = other;
				other = tmp;
				f = slot->field;
				value++;
			}
		}
		char *text;
		int rc = normalize(crm, k, f, value, &text, err);
		if (rc == CRM_ENOTFOUND && other) /* an assignee is data: naming no one is invalid */
			rc = crm_error(err, CRM_EINVALID, "%s: no %s '%s'", set[i].field, f->ref, value);
		if (rc)
			return at_field(err, f, rc);
		free(slot->text);
		slot->text = text;
		slot->set = 1;
		if (other && text) {
			free(other->text);
			other->text = NULL;
			other->set = 1;
		}
	}
	return CRM_OK;
}

static struct slot *slot_named(const struct crm_kind *k, struct slot *s, const char *name)
{
	const struct crm_field *f = crm_kind_field(k, name, NULL);
	return f ? &s[f - k->fields] : NULL;
}

/* The slots' texts indexed like k->fields (borrowed; defined below). */
static char **slot_texts(const struct crm_kind *k, const struct slot *s);

/* Rules across fields, stated once for every kind that has the fields concerned. */
static int check_record(struct crm *crm, const struct crm_kind *k, long long id, struct slot *s,
			struct crm_err *err)
{
	int mrc = money_canon(crm, k, s, err);
	if (mrc)
		return mrc;
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if ((f->flags & CRM_FF_REQUIRED) && !(f->flags & CRM_FF_READONLY) && !s[i].text)
			return at_field(err, f, crm_error(err, CRM_EINVALID, "%s needs %s %s", crm_kind_noun(k),
							  article(f->name), f->name));
		/* A custom field may be needed only in one status (custom_fields: required: resolved). */
		const char *when = crm_custom_scope(f) ? NULL : crm_custom_required_status(f);
		const struct slot *status = when ? slot_named(k, s, "status") : NULL;
		if (when && !s[i].text && status && status->text && strcasecmp(when, status->text) == 0)
			return crm_error(err, CRM_EINVALID, "%s needs %s %s when %s (--set %s=...)", crm_kind_noun(k),
					 article(f->name), f->name, when, f->name);
		/* A due date or an end before the start. */
		const struct slot *before = f->after && s[i].text ? slot_named(k, s, f->after) : NULL;
		if (before && before->text && strcmp(s[i].text, before->text) < 0)
			return at_field(err, f, crm_error(err, CRM_EINVALID, "%s %s is before its %s %s", f->name,
							  s[i].text, before->field->name, before->text));
		/* A record may not end up its own ancestor (parent account, manager). */
		if (f->type == CRM_F_REF && strcmp(f->ref, k->name) == 0 && s[i].text && id) {
			long long cur = atoll(s[i].text);
			for (int depth = 0; cur && depth < 10000; depth++) {
				if (cur == id)
					return crm_error(err, CRM_EINVALID,
							 "%s %lld cannot be its own %s (directly or through others)",
							 crm_kind_noun(k), id, f->name);
				struct strbuf sql = { 0 };
				sb_addf(&sql, "SELECT %s FROM %s WHERE id = ?", f->column, k->table);
				crm_stmt *st;
				int rc = crm_prepare(crm, sql.s, &st, err);
				sb_free(&sql);
				if (rc)
					return rc;
				crm_bind_int64(st, 1, cur);
				cur = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
				crm_finalize(st);
			}
		}
	}
	/* A location belongs to one account: a record naming both must agree, and naming only
	 * the location implies its account. */
	struct slot *acc = slot_named(k, s, "account"), *loc = slot_named(k, s, "location");
	if (acc && loc && loc->field->type == CRM_F_REF && loc->text) {
		crm_stmt *st;
		int rc = crm_prepare(crm, "SELECT account_id FROM locations WHERE id = ?", &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, atoll(loc->text));
		long long owner = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
		crm_finalize(st);
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", owner);
		/* On an edit naming a new location but no account, the contact moves with it. */
		if (!acc->text || (loc->set && !acc->set)) {
			free(acc->text);
			acc->text = xstrdup(buf);
		} else if (strcmp(acc->text, buf) != 0) {
			char *ln = crm_record_label(crm, crm_kind_find("location"), atoll(loc->text));
			char *an = crm_record_label(crm, crm_kind_find("account"), atoll(acc->text));
			rc = crm_error(err, CRM_EINVALID, "location '%s' does not belong to account '%s'",
				       ln ? ln : "?", an ? an : "?");
			free(ln);
			free(an);
			return rc;
		}
	}
	/* Moving a location to another account would leave its contacts with the old one. */
	if (id && acc && acc->text && strcmp(k->name, "location") == 0) {
		crm_stmt *st;
		int rc = crm_prepare(crm, "SELECT count(*), min(account_id) FROM contacts "
				     "WHERE location_id = ?1 AND (account_id <> ?2 OR account_id IS NULL)", &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, atoll(acc->text));
		long long n = 0, other = 0;
		if (crm_step(st) == CRM_SQL_ROW) {
			n = crm_col_int64(st, 0);
			other = crm_col_int64(st, 1);
		}
		crm_finalize(st);
		if (n) {
			char *ln = crm_record_label(crm, k, id);
			char *an = crm_record_label(crm, crm_kind_find("account"), other);
			rc = crm_error(err, CRM_ECONFLICT,
				       "location '%s' has %lld %s of account '%s'; move them first", ln ? ln : "?",
				       n, n == 1 ? "contact" : "contacts", an ? an : "?");
			free(ln);
			free(an);
			return rc;
		}
	}
	/* The rules a kind states for itself (a distribution list's type, members and filter). */
	if (k->check) {
		char **vals = slot_texts(k, s);
		int rc = k->check(crm, k, id, (const char *const *)vals, err);
		free(vals);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* Custom fields that apply to some records only (custom_fields: scope:), checked once the
 * record is written, since a scope is a query over the database (a filter, a list). */
static int has_scoped(const struct crm_kind *k)
{
	for (int i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & CRM_FF_CUSTOM) && crm_custom_scope(&k->fields[i]))
			return 1;
	return 0;
}


/* Before an edit: was the record in the scope of the values the edit leaves alone? */
static int scope_before(struct crm *crm, const struct crm_kind *k, long long id, const struct slot *old,
			const struct slot *s, unsigned char **was_in, struct crm_err *err)
{
	*was_in = NULL;
	if (!has_scoped(k))
		return CRM_OK;
	char **olds = slot_texts(k, old), **vals = slot_texts(k, s);
	int rc = crm_custom_scope_before(crm, k, id, (const char *const *)olds, (const char *const *)vals, was_in, err);
	free(olds);
	free(vals);
	return rc;
}

static int scope_check(struct crm *crm, const struct crm_kind *k, long long id, const struct slot *s,
		       const unsigned char *was_in, struct crm_err *err)
{
	if (!has_scoped(k))
		return CRM_OK;
	char **vals = slot_texts(k, s);
	int rc = crm_custom_scope_check(crm, k, id, (const char *const *)vals, was_in, err);
	free(vals);
	return rc;
}

/* ---------------------------------------------------------------- history */

/* "?N" and what follows, without printf: an import builds this SQL for every row. */
static void sb_param(struct strbuf *b, int n, const char *then)
{
	char buf[16];
	int len = (int)sizeof buf;
	do /* every digit: past ?999 a dropped one would bind the wrong value */
		buf[--len] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	buf[--len] = '?';
	sb_addn(b, buf + len, sizeof buf - (size_t)len);
	sb_add(b, then);
}

/* JSON text for the changes of a history row and for custom fields, written here (the printer's
 * JSON string writer does the escaping) and bound as one parameter: the same SQL serves every
 * set of changes, and every backend. */
static void json_str(struct strbuf *b, const char *v)
{
	if (!v) {
		sb_add(b, "null");
		return;
	}
	char *m = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&m, &len);
	if (!f)
		abort();
	crm_pr_json_string(f, v);
	fclose(f);
	sb_addn(b, m, len);
	free(m);
}

/* A field's value as JSON: numbers for the numeric types (as they are bound), else a string. */
static void json_slot(struct strbuf *b, const struct slot *s)
{
	const struct crm_field *f = s->field;
	if (s->text && (f->type == CRM_F_INT || f->type == CRM_F_REF || f->type == CRM_F_BOOL))
		sb_addf(b, "%lld", atoll(s->text));
	else if (s->text && f->type == CRM_F_REAL)
		sb_addf(b, "%.17g", atof(s->text));
	else if (s->text && (f->type == CRM_F_MONEY || f->type == CRM_F_DECIMAL))
		sb_add(b, s->text); /* canonical decimal text: a JSON number, exact */
	else
		json_str(b, s->text);
}

/* One history row for one change of one record: every changed field as [old, new] in a JSON
 * object built by SQLite (so no hand-written escaping), n pairs of slots. */
/* Does a history row record field f? The fields users set; or, for the row a change of one of
 * its parts writes (computed), the computed fields (costs, margin, lines_total). */
static int logged(const struct crm_field *f, int computed)
{
	int is_computed = (f->flags & CRM_FF_READONLY) && f->column[0] == '(';
	/* Hidden bookkeeping (a document's blob) is not the user's business. */
	return computed ? is_computed : !(f->flags & (CRM_FF_READONLY | CRM_FF_HIDDEN));
}

static int history_insert(struct crm *crm, const struct crm_kind *k, long long id, const char *action, char *changes,
			  struct crm_err *err);

static int history_write(struct crm *crm, const struct crm_kind *k, long long id, const char *action,
			 const struct slot *old, const struct slot *new, int computed, struct crm_err *err)
{
	int n = 0;
	for (int i = 0; i < k->nfields; i++) {
		const char *o = old ? old[i].text : NULL, *w = new ? new[i].text : NULL;
		n += !(!logged(&k->fields[i], computed) || (!o && !w) || (o && w && strcmp(o, w) == 0));
	}
	if (computed && n == 0)
		return CRM_OK;
	struct strbuf changes = { 0 };
	sb_add(&changes, "{");
	n = 0;
	for (int i = 0; i < k->nfields; i++) {
		const char *o = old ? old[i].text : NULL, *w = new ? new[i].text : NULL;
		if (!logged(&k->fields[i], computed) || (!o && !w) || (o && w && strcmp(o, w) == 0))
			continue;
		sb_add(&changes, n++ ? ", " : "");
		json_str(&changes, k->fields[i].name);
		sb_add(&changes, ": [");
		json_str(&changes, o);
		sb_add(&changes, ", ");
		json_str(&changes, w);
		sb_add(&changes, "]");
	}
	sb_add(&changes, "}");
	return history_insert(crm, k, id, action, sb_take(&changes), err);
}

int crm_history_changes(struct crm *crm, const struct crm_kind *k, long long id, const char *const *fields,
			const char *const *olds, const char *const *news, int n, struct crm_err *err)
{
	struct strbuf changes = { 0 };
	sb_add(&changes, "{");
	for (int i = 0; i < n; i++) {
		sb_add(&changes, i ? ", " : "");
		json_str(&changes, fields[i]);
		sb_add(&changes, ": [");
		json_str(&changes, olds[i]);
		sb_add(&changes, ", ");
		json_str(&changes, news[i]);
		sb_add(&changes, "]");
	}
	sb_add(&changes, "}");
	return history_insert(crm, k, id, "edit", sb_take(&changes), err);
}

/* The history row, changes (a JSON object, taken) written as they are. */
static int history_insert(struct crm *crm, const struct crm_kind *k, long long id, const char *action, char *changes,
			  struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT INTO history (at, \"user\", kind, record_id, action, batch_id, changes, "
			     "real_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc) {
		free(changes);
		return rc;
	}
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_text(st, 3, k->name);
	crm_bind_int64(st, 4, id);
	crm_bind_text(st, 5, action);
	if (crm->batch_id)
		crm_bind_int64(st, 6, crm->batch_id);
	crm_bind_text_own(st, 7, changes);
	if (crm_real_user_differs(crm))
		crm_bind_text(st, 8, crm->real_user);
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "recording history", err);
}

/* ---------------------------------------------------------------- writes */

static int history_add(struct crm *crm, const struct crm_kind *k, long long id, const char *action,
		       const struct slot *old, const struct slot *new, struct crm_err *err)
{
	/* An import keeps the records it adds as ranges (import_created), shown by
	 * crm_import_history_rows below: a row each would double a big import's writes. */
	if (!old && crm->import_adding == k)
		return CRM_OK;
	return history_write(crm, k, id, action, old, new, 0, err);
}

/* A part (a record whose reference flagged CRM_FF_PART names its whole: an offer's line) is
 * added, changed or removed only while its whole is in a status its workflow lists in
 * parts_editable (an offer in draft); otherwise CRM_ECONFLICT naming the status and the way out.
 * old: the part as it was (NULL on add); s: as it will be (NULL on removal). */
static int parts_editable(struct crm *crm, const struct crm_kind *k, const struct slot *old,
			  const struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (!(f->flags & CRM_FF_PART) || f->type != CRM_F_REF)
			continue;
		const char *ids[2] = { old ? old[i].text : NULL, s ? s[i].text : NULL };
		for (int j = 0; j < 2; j++) {
			if (!ids[j] || (j == 1 && ids[0] && strcmp(ids[0], ids[1]) == 0))
				continue;
			const struct crm_kind *pk = crm_kind_find(f->ref);
			const struct crm_field *wff = pk ? crm_workflow_field(pk) : NULL;
			const struct crm_workflow *wf = NULL;
			if (!wff)
				continue;
			int rc = crm_workflow_get(crm, pk, &wf, err);
			if (rc)
				return rc;
			if (!wf || !wf->nparts_editable)
				continue;
			struct strbuf sql = { 0 };
			sb_addf(&sql, "SELECT %s FROM %s WHERE id = ?", wff->column, pk->table);
			crm_stmt *st;
			rc = crm_prepare(crm, sql.s, &st, err);
			sb_free(&sql);
			if (rc)
				return rc;
			long long pid = atoll(ids[j]);
			crm_bind_int64(st, 1, pid);
			char *status = NULL;
			if (crm_step(st) == CRM_SQL_ROW && crm_col_text(st, 0))
				status = xstrdup((const char *)crm_col_text(st, 0));
			crm_finalize(st);
			if (!status || crm_workflow_parts_editable(wf, status)) {
				free(status);
				continue;
			}
			/* "lines" for offer_line of an offer, else the kind's plural in words */
			size_t pl = strlen(pk->name);
			const char *what = strncmp(k->plural, pk->name, pl) == 0 && k->plural[pl] == '_' ? k->plural + pl + 1
													   : k->plural;
			struct strbuf b = { 0 }, back = { 0 };
			for (int m = 0; m < wf->nparts_editable; m++)
				sb_addf(&b, "%s%s", m ? (m == wf->nparts_editable - 1 ? " or " : ", ") : "",
					wf->parts_editable[m]);
			for (int m = 0; m < wf->ntr; m++)
				if (wf->tr[m].name && crm_workflow_leaves(&wf->tr[m], status) &&
				    crm_workflow_parts_editable(wf, wf->tr[m].to))
					sb_addf(&back, "%s%s takes it back to %s", back.len ? "; " : "", wf->tr[m].name,
						wf->tr[m].to);
			const char *hint = pk->parts_hint;
			if (hint && pk->parts_hint_by && !crm_workflow_transition(wf, status, pk->parts_hint_by))
				hint = NULL; /* no way out from here (an accepted offer is not revised) */
			char *label = crm_record_label(crm, pk, pid);
			crm_error(err, CRM_ECONFLICT, "%s '%s' is %s: its %s change only while it is %s%s%s%s%s%s", crm_kind_noun(pk),
				  label ? label : ids[j], status, what, b.s, back.len || hint ? " (" : "",
				  back.len ? back.s : "", back.len && hint ? "; " : "", hint ? hint : "",
				  back.len || hint ? ")" : "");
			snprintf(err->field, sizeof err->field, "%s", f->name);
			free(label);
			free(status);
			sb_free(&b);
			sb_free(&back);
			return CRM_ECONFLICT;
		}
	}
	return CRM_OK;
}

/* The records a change of a part (a REF field flagged CRM_FF_PART: a project's cost, a
 * contract's line) changes too: their computed fields, loaded before the write, and after it
 * compared in an "edit" row of their own history, so that a project's history shows its costs
 * and margin move. A part moved from one record to another changes both. */
struct parts {
	int n;
	const struct crm_kind *k[4];
	long long id[4];
	struct slot *before[4];
};

static void parts_begin(struct crm *crm, const struct crm_kind *k, const struct slot *old,
			const struct slot *s, struct parts *p)
{
	p->n = 0;
	if (crm->import_adding == k) /* kept as ranges, like the parts' own add rows */
		return;
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (!(f->flags & CRM_FF_PART) || f->type != CRM_F_REF)
			continue;
		const char *ids[2] = { old ? old[i].text : NULL, s ? s[i].text : NULL };
		for (int j = 0; j < 2 && p->n < 4; j++) {
			if (!ids[j] || (j == 1 && ids[0] && strcmp(ids[0], ids[1]) == 0))
				continue;
			const struct crm_kind *pk = crm_kind_find(f->ref);
			struct slot *before = slots_new(pk);
			if (slots_load(crm, pk, atoll(ids[j]), before, NULL) != CRM_OK) {
				slots_free(pk, before);
				continue;
			}
			p->k[p->n] = pk;
			p->id[p->n] = atoll(ids[j]);
			p->before[p->n++] = before;
		}
	}
}

static void parts_free(struct parts *p)
{
	for (int i = 0; i < p->n; i++)
		slots_free(p->k[i], p->before[i]);
	p->n = 0;
}

static int parts_end(struct crm *crm, struct parts *p, struct crm_err *err)
{
	int rc = CRM_OK;
	for (int i = 0; i < p->n && !rc; i++) {
		struct slot *after = slots_new(p->k[i]);
		if (!(rc = slots_load(crm, p->k[i], p->id[i], after, err)))
			rc = history_write(crm, p->k[i], p->id[i], "edit", p->before[i], after, 1, err);
		slots_free(p->k[i], after);
	}
	parts_free(p);
	return rc;
}

static void bind_slot(crm_stmt *st, int pos, const struct slot *s)
{
	if (!s->text)
		crm_bind_null(st, pos);
	else if (s->field->type == CRM_F_INT || s->field->type == CRM_F_REF || s->field->type == CRM_F_BOOL)
		crm_bind_int64(st, pos, atoll(s->text));
	else if (s->field->type == CRM_F_REAL)
		crm_bind_double(st, pos, atof(s->text));
	else if (s->field->type == CRM_F_MONEY)
		crm_bind_int64(st, pos, dec_units(s->text)); /* canonical: the currency's digits */
	else if (s->field->type == CRM_F_DECIMAL) {
		long long v = 0;
		crm_dec_parse(s->text, s->field->scale, &v);
		crm_bind_int64(st, pos, v);
	}
	else
		crm_bind_text(st, pos, s->text);
}

/* A UNIQUE failure names the field and value the user gave, not SQLite's column list. */
static int write_error(struct crm *crm, const struct crm_kind *k, struct slot *s, int rc,
		       const char *doing, struct crm_err *err)
{
	if (rc == CRM_SQL_CONSTRAINT_UNIQUE || rc == CRM_SQL_CONSTRAINT_PRIMARYKEY) {
		/* a copy: the labels looked up below run statements, after which the database's
		 * message may be another or gone */
		char *msg = xstrdup(crm_store_errmsg(crm, 0) ? crm_store_errmsg(crm, 0) : "");
		/* every column of the key the user gave a value for, as "account 'Acme' and year
		 * '2025'": a key of two columns named by one alone reads as if the value were taken
		 * everywhere */
		struct strbuf said = { 0 };
		const struct crm_field *at = NULL;
		for (int i = 0; i < k->nfields; i++) {
			/* the field's column, or the folded copy kept of it (a name unique folded) */
			const struct crm_fold_col *fc = crm_fold_col(k, &k->fields[i]);
			int whole = 0;
			for (int twice = 0; twice < 2 && !whole; twice++) {
				const char *column = twice ? (fc ? fc->fold : NULL) : k->fields[i].column;
				if (!column)
					continue;
				struct strbuf col = { 0 };
				sb_addf(&col, "%s.%s", k->table, column);
				const char *hit = strstr(msg, col.s);
				whole = hit && hit > msg && hit[-1] == ' ' && (hit[col.len] == '\0' || hit[col.len] == ',');
				sb_free(&col);
			}
			if (!whole || !s[i].text || (k->fields[i].flags & CRM_FF_READONLY))
				continue;
			/* a reference holds the number it resolved to: say the record's label */
			const struct crm_kind *rk = k->fields[i].type == CRM_F_REF && k->fields[i].ref
							    ? crm_kind_find(k->fields[i].ref) : NULL;
			char *label = rk && s[i].text[strspn(s[i].text, "0123456789")] == '\0'
					      ? crm_record_label(crm, rk, atoll(s[i].text)) : NULL;
			sb_addf(&said, "%s%s '%s'", said.len ? " and " : "", k->fields[i].name, label ? label : s[i].text);
			free(label);
			if (k->fields[i].type != CRM_F_REF)
				at = &k->fields[i];
		}
		if (at)
			rc = at_field(err, at, crm_error(err, CRM_ECONFLICT, "%s with %s already exists", crm_kind_noun(k),
							 said.s));
		else
			rc = crm_error(err, CRM_ECONFLICT, "%s already exists (%s)", crm_kind_noun(k), msg);
		sb_free(&said);
		free(msg);
		return rc;
	}
	return crm_db_error(crm, rc, doing, err);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A field stored in the kind's own table (not computed, not a link table). */
static int stored(const struct crm_field *f)
{
	return !(f->flags & CRM_FF_READONLY) && f->type != CRM_F_LINKS && !(f->flags & CRM_FF_CUSTOM);
}

/* Custom fields are keys of the JSON column `custom`. Those that changed (all that are set, for
 * an add) go into one JSON object, bound as one parameter. */
static int custom_changed(const struct slot *old, const struct slot *s, int i)
{
	return (s[i].field->flags & CRM_FF_CUSTOM) && (old ? !same(old[i].text, s[i].text) : s[i].text != NULL);
}

/* The changed custom fields as one JSON object, one parameter (*n + 1): emptied ones are null,
 * which json_patch drops. 0 when none changed. */
static int custom_object(const struct crm_kind *k, const struct slot *old, const struct slot *s, int *n,
			 struct strbuf *b)
{
	int count = 0;
	for (int i = 0; i < k->nfields; i++)
		count += custom_changed(old, s, i);
	if (count)
		sb_param(b, ++*n, "");
	return count;
}

static void custom_bind(crm_stmt *st, const struct crm_kind *k, const struct slot *old,
			const struct slot *s, int *n)
{
	struct strbuf json = { 0 };
	int count = 0;
	for (int i = 0; i < k->nfields; i++)
		if (custom_changed(old, s, i)) {
			sb_add(&json, count++ ? ", " : "{");
			json_str(&json, crm_custom_key(&k->fields[i]));
			sb_add(&json, ": ");
			json_slot(&json, &s[i]);
		}
	if (count) {
		sb_add(&json, "}");
		crm_bind_text_own(st, ++*n, sb_take(&json));
	}
}

/* A default read from the record a reference field of the same kind names: f->def is
 * "from:<reference field>.<field of the kind it refers to>". Nothing when that reference is empty
 * or the field is; the value is normalised as f's own. */
static int default_from(struct crm *crm, const struct crm_kind *k, struct slot *s, const struct crm_field *f,
			struct crm_err *err)
{
	char ref[64];
	const char *dot = strchr(f->def + 5, '.');
	if (!dot || (size_t)(dot - (f->def + 5)) >= sizeof ref)
		return CRM_OK;
	memcpy(ref, f->def + 5, (size_t)(dot - (f->def + 5)));
	ref[dot - (f->def + 5)] = '\0';
	int j = 0;
	while (j < k->nfields && strcmp(k->fields[j].name, ref) != 0)
		j++;
	if (j == k->nfields || k->fields[j].type != CRM_F_REF || !s[j].text || !*s[j].text)
		return CRM_OK;
	const struct crm_kind *rk = crm_kind_find(k->fields[j].ref);
	if (!rk)
		return CRM_OK;
	char term[48];
	snprintf(term, sizeof term, "id:%s", s[j].text);
	const char *terms[1] = { term }, *fields[1] = { dot + 1 };
	struct crm_query q = { .kind = rk, .terms = terms, .nterms = 1, .fields = fields, .nfields = 1 };
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &q, &c, err);
	if (rc)
		return rc;
	const struct crm_value *cells;
	char *val = NULL;
	int got = crm_cursor_next(c, &cells, err);
	if (got == 1 && cells[0].text && *cells[0].text)
		val = xstrdup(cells[0].text);
	crm_cursor_close(c);
	if (got < 0)
		return -got;
	if (val) {
		rc = normalize(crm, k, f, val, &s[f - k->fields].text, err);
		free(val);
	}
	return rc;
}

/* Fields whose default is "sequence:<path>" (an offer's number): the next of the sequence the
 * configuration value at path formats, given inside the transaction that writes the record. */
static int fill_sequences(struct crm *crm, const struct crm_kind *k, struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (s[i].text || !f->def || strncmp(f->def, "sequence:", 9) != 0)
			continue;
		int rc = crm_sequence_next(crm, k, f, crm_config_get(crm->cfg, f->def + 9), &s[i].text, err);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* What a new record gets when the user leaves it empty: now/today, its workflow's initial status. */
static int fill_defaults(struct crm *crm, const struct crm_kind *k, struct slot *s, struct crm_err *err)
{
	const struct crm_workflow *wf;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc)
		return rc;
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		const char *dflt = NULL;
		if (s[i].text)
			continue;
		if (f->flags & CRM_FF_NOW)
			dflt = "now";
		else if (wf && (f->flags & CRM_FF_WORKFLOW))
			dflt = wf->initial;
		else if (f->def && strncmp(f->def, "config:", 7) == 0)
			dflt = crm_config_get(crm->cfg, f->def + 7);
		else if (f->def && strcmp(f->def, "user") == 0 && crm->user && *crm->user) {
			/* The current user, when crm knows them as a user record. */
			struct crm_err ignored = { 0 };
			if (normalize(crm, k, f, crm->user, &s[i].text, &ignored))
				s[i].text = NULL;
			continue;
		} else if (f->def && strncmp(f->def, "from:", 5) == 0) {
			/* "from:product.price": the value of that field of the record the reference
			 * names (an offer line's price is its product's) */
			if ((rc = default_from(crm, k, s, f, err)))
				return rc;
			continue;
		} else if (f->def && strncmp(f->def, "sequence:", 9) == 0) {
			continue; /* given inside the transaction that writes the record (crm/sequence.h) */
		} else if (f->def && strcmp(f->def, "user") != 0)
			dflt = f->def; /* a value given as it is ("1") */
		if (dflt && *dflt && (rc = normalize(crm, k, f, dflt, &s[i].text, err)))
			return rc;
	}
	return CRM_OK;
}

/* The slots' texts as an array indexed like k->fields (borrowed). */
static char **slot_texts(const struct crm_kind *k, const struct slot *s)
{
	char **v = xcalloc((size_t)k->nfields, sizeof *v);
	for (int i = 0; s && i < k->nfields; i++)
		v[i] = s[i].text;
	return v;
}

/* The account implied by what a record refers to (before the required fields are checked). */
static int imply_account(struct crm *crm, const struct crm_kind *k, struct slot *s, struct crm_err *err)
{
	char **v = slot_texts(k, s);
	int rc = crm_imply_account(crm, k, v, err);
	for (int i = 0; i < k->nfields; i++)
		s[i].text = v[i];
	free(v);
	return rc;
}

/* The kind's status workflow (core/workflow.c) sees the record being written through these. */
struct wf_slots {
	struct crm *crm;
	const struct crm_kind *k;
	struct slot *s;
};

static const char *wf_get(void *ctx, const char *name)
{
	struct wf_slots *w = ctx;
	struct slot *slot = slot_named(w->k, w->s, name);
	return slot ? slot->text : NULL;
}

static int wf_set(void *ctx, const char *name, const char *value, struct crm_err *err)
{
	struct wf_slots *w = ctx;
	struct slot *slot = slot_named(w->k, w->s, name);
	if (!slot || slot->set) /* what the user gives in the same write wins */
		return CRM_OK;
	char *text;
	int rc = normalize(w->crm, w->k, slot->field, value, &text, err);
	if (rc)
		return at_field(err, slot->field, rc);
	free(slot->text);
	slot->text = text;
	return CRM_OK;
}

/* A write that moves the status must take a transition (old is NULL for an add): checked,
 * its cleared fields and its effects' stamps applied to the slots; ev->npath says whether its
 * after-effects are due once the row is written. */
static int workflow_enter(struct crm *crm, const struct crm_kind *k, long long id, struct slot *old,
			  struct slot *s, struct wf_slots *ws, struct crm_wf_event *ev, struct crm_err *err)
{
	const struct crm_workflow *wf;
	ev->npath = 0;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc || !wf)
		return rc;
	int i = (int)(crm_workflow_field(k) - k->fields);
	/* The record named in messages: by the first of its positional fields that is not a
	 * reference (a section's name, not its offer), else "name"; by number when it has none. */
	const struct slot *name = NULL;
	/* A label that is a natural key (an offer's number) names it as the user does. */
	if (strncmp(k->label_sql, "t.", 2) == 0) {
		const struct slot *c = slot_named(k, s, k->label_sql + 2);
		if (c && (c->field->flags & CRM_FF_KEY) && c->text && *c->text)
			name = c;
	}
	char *words = xstrdup(k->positional ? k->positional : "name"), *save = NULL;
	for (char *w = strtok_r(words, ",", &save); w && !name; w = strtok_r(NULL, ",", &save)) {
		const struct slot *c = slot_named(k, s, w);
		if (c && c->field->type != CRM_F_REF && c->field->type != CRM_F_LINKS && c->text && *c->text)
			name = c;
	}
	free(words);
	char num[32];
	snprintf(num, sizeof num, "%lld", id);
	/* A part by its whole and its name, as it is named (OF-2026-0001/Introduction). */
	char *qualified = NULL;
	const struct crm_field *whole = crm_kind_whole_field(k);
	const struct slot *ws_slot = whole && name ? slot_named(k, s, whole->name) : NULL;
	if (ws_slot && ws_slot->text && *ws_slot->text) {
		char *wl = crm_record_label(crm, crm_kind_find(whole->ref), atoll(ws_slot->text));
		if (wl && *wl)
			qualified = g_strdup_printf("%s/%s", wl, name->text);
		free(wl);
	}
	*ws = (struct wf_slots){ crm, k, s };
	ev->kind = k;
	ev->get = wf_get;
	ev->set = wf_set;
	ev->ctx = ws;
	rc = crm_workflow_enter(crm, wf, id, qualified ? qualified : name ? name->text : id ? num : NULL,
				old ? old[i].text : NULL, s[i].text, ev, err);
	g_free(qualified);
	return rc;
}

/* After the row is written: its links, then the records its pick-list values move on. */
static int write_links(struct crm *crm, const struct crm_kind *k, long long id, struct slot *old,
		       struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_LINKS && !same(old ? old[i].text : NULL, s[i].text)) {
			int rc = crm_links_write(crm, &k->fields[i], id, s[i].text, err);
			if (rc)
				return rc;
		}
	/* Words that name records (a user's groups): the records they name, added when missing. */
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		const struct crm_kind *nk = f->type == CRM_F_LIST && f->names ? crm_kind_find(f->names) : NULL;
		const struct crm_field *key = NULL;
		for (int j = 0; nk && j < nk->nfields && !key; j++)
			if (nk->fields[j].flags & CRM_FF_KEY)
				key = &nk->fields[j];
		if (!key || !s[i].text || same(old ? old[i].text : NULL, s[i].text))
			continue;
		char stamp[32];
		crm_time_format_utc(crm->now, stamp, sizeof stamp);
		struct strbuf sql = { 0 };
		sb_addf(&sql, "INSERT OR IGNORE INTO %s (%s, created, updated) VALUES (?1, ?2, ?2)", nk->table, key->column);
		char *copy = xstrdup(s[i].text), *save = NULL;
		int rc = CRM_OK;
		const char *sep = strchr(copy, CRM_LIST_SEP) ? CRM_LIST_SEP_STR : ",";
		for (char *w = strtok_r(copy, sep, &save); w && !rc; w = strtok_r(NULL, sep, &save)) {
			long long found;
			struct crm_err ignored = { 0 };
			if (crm_record_resolve(crm, nk, w, &found, &ignored) == CRM_OK)
				continue;
			crm_stmt *st;
			if ((rc = crm_prepare(crm, sql.s, &st, err)))
				break;
			crm_bind_text(st, 1, w);
			crm_bind_text(st, 2, stamp);
			int step = crm_step(st);
			crm_finalize(st);
			if (step != CRM_SQL_DONE)
				rc = crm_db_error(crm, step, "adding a named record", err);
		}
		free(copy);
		sb_free(&sql);
		if (rc)
			return rc;
	}
	char **ov = old ? slot_texts(k, old) : NULL, **nv = slot_texts(k, s);
	int rc = crm_apply_pick_rules(crm, k, ov, nv, err);
	free(ov);
	free(nv);
	return rc;
}

/* The slot of the field named exactly name (len bytes): once per row of an import, without
 * crm_kind_field's spelling rules. */
static struct slot *slot_exact(const struct crm_kind *k, struct slot *s, const char *name, size_t len)
{
	for (int i = 0; i < k->nfields; i++)
		if (strncmp(k->fields[i].name, name, len) == 0 && !k->fields[i].name[len])
			return &s[i];
	return NULL;
}

/* The folded value of a folded column (fold.h) for the record in slots s: of its key field, or of
 * the label's parts joined by a space. NULL when the key is empty. */
static char *fold_value(const struct crm_kind *k, struct slot *s, const struct crm_fold_col *c)
{
	if (c->field) {
		struct slot *f = slot_exact(k, s, c->field, strlen(c->field));
		return f && f->text ? crm_fold(f->text) : NULL;
	}
	struct strbuf b = { 0 };
	for (const char *w = c->parts; *w;) {
		size_t len = strcspn(w, " ");
		struct slot *f = slot_exact(k, s, w, len);
		sb_add(&b, " "); /* crm_fold makes runs of space one and trims */
		if (f && f->text)
			sb_add(&b, f->text);
		w += len + (w[len] == ' ');
	}
	char *joined = sb_take(&b), *out = crm_fold(joined);
	free(joined);
	return out;
}

/* Did an edit change what folded column c is made of? */
static int fold_changed(const struct crm_kind *k, struct slot *old, struct slot *s, const struct crm_fold_col *c)
{
	char *a = fold_value(k, old, c), *b = fold_value(k, s, c);
	int changed = !same(a, b);
	free(a);
	free(b);
	return changed;
}

static void bind_fold(crm_stmt *st, int pos, const struct crm_kind *k, struct slot *s,
		      const struct crm_fold_col *c)
{
	char *v = fold_value(k, s, c);
	if (v)
		crm_bind_text_own(st, pos, v);
	else
		crm_bind_null(st, pos);
}

/* The INSERT of a record of kind k without custom values: with built, remember it (a copy);
 * without, the one remembered, or NULL. Kept per kind and process, as load_sql's. */
static const char *insert_sql_memo(const struct crm_kind *k, const char *built)
{
	static struct {
		const struct crm_kind *k;
		const struct crm_field *fields;
		int nfields;
		char *sql;
	} memo[32];
	int i = 0;
	for (; i < 32 && memo[i].k; i++)
		if (memo[i].k == k && memo[i].fields == k->fields && memo[i].nfields == k->nfields)
			break;
	if (i < 32 && memo[i].k && !built)
		return memo[i].sql;
	if (!built)
		return NULL;
	if (i == 32)
		i = (int)(((unsigned long)k >> 4) % 32); /* full (never, with the kinds there are): reuse */
	free(memo[i].sql);
	memo[i].k = k;
	memo[i].fields = k->fields;
	memo[i].nfields = k->nfields;
	memo[i].sql = xstrdup(built);
	return memo[i].sql;
}

/* A key unique whatever its letters' case (core/fold.h) that another record of k already holds
 * in another case ('ZÜRICH AG' beside 'Zürich AG'): refused as the unique index refuses the same
 * case, so that SQLite, whose NOCASE folds ASCII letters only, refuses what PostgreSQL's citext
 * does. Candidates come by the folded key (its index where the table keeps one) and are then
 * compared with every letter lowered, as citext compares. E-mail addresses are left to their
 * index (no folded column; a contact import would pay a scan a row). old: the record before an
 * edit, whose unchanged key is not looked for again; NULL for an add. */
static int nocase_key_taken(struct crm *crm, const struct crm_kind *k, long long id, const struct slot *old,
			    struct slot *s, struct crm_err *err)
{
	int rc = CRM_OK;
	for (int i = 0; i < crm_nocase_nkeys && !rc; i++) {
		const struct crm_nocase_key *nk = &crm_nocase_keys[i];
		if (strcmp(nk->table, k->table) != 0)
			continue;
		int fi = -1, si = -1;
		for (int j = 0; j < k->nfields; j++) {
			if (strcmp(k->fields[j].column, nk->key) == 0)
				fi = j;
			if (nk->scope && strcmp(k->fields[j].column, nk->scope) == 0)
				si = j;
		}
		if (fi < 0 || k->fields[fi].type == CRM_F_EMAIL || !s[fi].text || (nk->scope && si < 0))
			continue;
		if (old && same(old[fi].text, s[fi].text) && (si < 0 || same(old[si].text, s[si].text)))
			continue;
		const struct crm_fold_col *fc = crm_fold_col(k, &k->fields[fi]);
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT id, %s FROM %s t WHERE ", nk->key, k->table);
		if (fc)
			sb_addf(&sql, "t.%s = ?1", fc->fold);
		else
			sb_addf(&sql, "crm_fold(t.%s) = ?1", nk->key);
		sb_add(&sql, " AND t.id <> ?2");
		if (nk->scope)
			sb_addf(&sql, " AND t.%s = ?3", nk->scope);
		crm_stmt *st;
		rc = crm_stmt_get(crm, sql.s, &st, err);
		sb_free(&sql);
		if (rc)
			break;
		crm_bind_text_own(st, 1, crm_fold(s[fi].text));
		crm_bind_int64(st, 2, id);
		if (nk->scope)
			bind_slot(st, 3, &s[si]);
		gchar *mine = g_utf8_strdown(s[fi].text, -1);
		int step;
		while ((step = crm_step(st)) == CRM_SQL_ROW) {
			const char *theirs = (const char *)crm_col_text(st, 1);
			gchar *low = g_utf8_strdown(theirs ? theirs : "", -1);
			int clash = strcmp(low, mine) == 0;
			g_free(low);
			if (clash) {
				/* said as the unique index says it, and which record when it is spelt otherwise */
				if (g_ascii_strcasecmp(theirs, s[fi].text) == 0)
					rc = crm_error(err, CRM_ECONFLICT, "%s with %s '%s' already exists", crm_kind_noun(k),
						       k->fields[fi].name, s[fi].text);
				else
					rc = crm_error(err, CRM_ECONFLICT, "%s with %s '%s' already exists: %lld '%s' "
						       "(the case of letters does not make another %s)", crm_kind_noun(k),
						       k->fields[fi].name, s[fi].text, crm_col_int64(st, 0), theirs,
						       k->fields[fi].name);
				at_field(err, &k->fields[fi], rc);
				break;
			}
		}
		if (!rc && step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "looking for the same key in another case", err);
		g_free(mine);
		crm_stmt_done(st);
	}
	return rc;
}

int crm_record_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set,
		   int nset, long long *id, struct crm_err *err)
{
	if (caching)
		crm_resolve_cache_forget(k);
	struct slot *s = slots_new(k);
	struct wf_slots ws;
	struct crm_wf_event ev = { .npath = 0 };
	int rc = CRM_OK;
	/* A kind with fixed fields is created by its own verb (doc attach), never by an import. */
	for (int i = 0; i < k->nfields && crm->import_adding == k; i++)
		if (k->fields[i].flags & CRM_FF_FIXED)
			rc = crm_error(err, CRM_EINVALID, "an import only updates %s (give their id); "
				       "they are created with their content", k->plural);
	if (!rc)
		rc = slots_assign(crm, k, s, set, nset, err);
	if (!rc)
		rc = fill_defaults(crm, k, s, err);
	if (!rc)
		rc = imply_account(crm, k, s, err);
	if (!rc)
		rc = workflow_enter(crm, k, 0, NULL, s, &ws, &ev, err);
	if (!rc)
		rc = check_record(crm, k, 0, s, err);
	if (!rc)
		rc = parts_editable(crm, k, NULL, s, err);
	if (rc) {
		slots_free(k, s);
		return rc;
	}
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	int nstored = 0;
	for (int i = 0; i < k->nfields; i++)
		nstored += stored(&k->fields[i]);
	int n = nstored;
	struct strbuf sql = { 0 }, custom = { 0 };
	int has_custom = custom_object(k, NULL, s, &n, &custom);
	/* Without custom values the INSERT is the same text for every row of a kind: built once
	 * (an import adds a record a row, and building it cost more than looking it up). */
	const char *text = has_custom ? NULL : insert_sql_memo(k, NULL);
	if (!text) {
		struct strbuf vals = { 0 };
		sb_add(&sql, "INSERT INTO ");
		sb_add(&sql, k->table);
		sb_add(&sql, " (");
		int p = 0;
		for (int i = 0; i < k->nfields; i++) {
			if (!stored(&k->fields[i]))
				continue;
			sb_add(&sql, k->fields[i].column);
			sb_add(&sql, ", ");
			sb_param(&vals, ++p, ", ");
		}
		if (has_custom) { /* numbered after the stored fields' (n counts them all) */
			sb_add(&sql, "custom, ");
			sb_addf(&vals, "%s, ", custom.s);
		}
		const struct crm_fold_col *fc;
		for (int fi = 0; (fc = crm_fold_next(k, &fi));) { /* folded keys, kept by the engine */
			sb_add(&sql, fc->fold);
			sb_add(&sql, ", ");
			sb_param(&vals, ++n, ", ");
		}
		sb_add(&sql, "created, updated) VALUES (");
		sb_add(&sql, vals.s ? vals.s : "");
		sb_param(&sql, n + 1, ", ");
		sb_param(&sql, n + 1, ")");
		sb_free(&vals);
		text = has_custom ? sql.s : insert_sql_memo(k, sql.s);
	}
	sb_free(&custom);
	const struct crm_fold_col *fc;
	crm_stmt *st = NULL;
	struct parts parts = { 0 };
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	if ((rc = fill_sequences(crm, k, s, err)))
		goto fail;
	if ((rc = nocase_key_taken(crm, k, 0, NULL, s, err)))
		goto fail;
	parts_begin(crm, k, NULL, s, &parts);
	if ((rc = crm_stmt_get(crm, text, &st, err))) /* compiled once per import, not per row */
		goto fail;
	n = 0;
	for (int i = 0; i < k->nfields; i++)
		if (stored(&k->fields[i]))
			bind_slot(st, ++n, &s[i]);
	custom_bind(st, k, NULL, s, &n);
	for (int fi = 0; (fc = crm_fold_next(k, &fi));)
		bind_fold(st, ++n, k, s, fc);
	crm_bind_text(st, n + 1, stamp);
	int src = crm_step(st);
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE) {
		rc = write_error(crm, k, s, src, "adding a record", err);
		goto fail;
	}
	*id = crm_store_last_id(crm);
	if ((rc = history_add(crm, k, *id, "add", NULL, s, err)))
		goto fail;
	if ((rc = write_links(crm, k, *id, NULL, s, err)))
		goto fail;
	if ((rc = scope_check(crm, k, *id, s, NULL, err)))
		goto fail;
	if ((rc = crm_search_index(crm, k, *id, 1, err)))
		goto fail;
	if ((rc = crm_workflow_written(crm, k, *id, NULL, err)))
		goto fail;
	if (ev.npath && (rc = crm_workflow_entered(crm, &ev, *id, err)))
		goto fail;
	if ((rc = parts_end(crm, &parts, err)))
		goto fail;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	parts_free(&parts);
	sb_free(&sql);
	slots_free(k, s);
	return rc;
}

/* The workflow's `written` hooks after an edit: the fields given that changed, the workflow's own
 * field left out (its move is a transition of its own). */
static int written(struct crm *crm, const struct crm_kind *k, long long id, const struct crm_assign *set,
		   int nset, const struct slot *old, const struct slot *s, struct crm_err *err)
{
	struct strbuf what = { 0 };
	for (int j = 0; j < nset; j++) {
		const struct crm_field *f = crm_kind_field(k, set[j].field, NULL);
		if (!f || (f->flags & CRM_FF_WORKFLOW))
			continue;
		int i = (int)(f - k->fields), dup = 0;
		for (int m = 0; m < j; m++)
			dup |= crm_kind_field(k, set[m].field, NULL) == f;
		if (!dup && !same(old[i].text, s[i].text))
			sb_addf(&what, "%s%s", what.len ? ", " : "changed ", f->name);
	}
	int rc = what.len ? crm_workflow_written(crm, k, id, what.s, err) : CRM_OK;
	sb_free(&what);
	return rc;
}

/* Fields crm fixes at creation (CRM_FF_FIXED: what a document is attached to, its size,
 * digest and blob) keep their values through every edit and import. */
static int fixed_kept(const struct crm_kind *k, const struct slot *old, const struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & CRM_FF_FIXED) && !same(old[i].text, s[i].text))
			return at_field(err, &k->fields[i],
					crm_error(err, CRM_EINVALID, "%s of %s %s is fixed when it is created, it cannot be changed",
						  k->fields[i].name, article(crm_kind_noun(k)), crm_kind_noun(k)));
	return CRM_OK;
}

/* A user record is changed or removed only by one who may (crm_auth_may_change_user): old the
 * record as it was, after as assigned (NULL for a removal). */
static int user_guard(struct crm *crm, const struct crm_kind *k, struct slot *old, struct slot *after,
		      struct crm_err *err)
{
	if (strcmp(k->name, "user") != 0)
		return CRM_OK;
	const struct slot *login = slot_named(k, old, "login"), *roles = slot_named(k, old, "roles");
	int renames = 0;
	if (after) {
		const struct slot *now = slot_named(k, after, "login");
		renames = now && login && now->text && login->text && strcmp(now->text, login->text) != 0;
	}
	return crm_auth_may_change_user(crm, login ? login->text : NULL, roles ? roles->text : NULL, renames, err);
}

/* A record's currency may not change while amounts of other records are in it (a contract's
 * lines, priced in the contract's currency, "contract.currency"): their minor units would be
 * read in another currency. Its own amounts keep their decimal value (money_canon). */
static int currency_guard(struct crm *crm, const struct crm_kind *k, long long id, const struct slot *old,
			  const struct slot *s, struct crm_err *err)
{
	for (int i = 0; i < k->nfields; i++) {
		if (same(old[i].text, s[i].text) || k->fields[i].type != CRM_F_TEXT)
			continue;
		for (int j = 0; crm_kinds[j]; j++) {
			const struct crm_kind *ok = crm_kinds[j];
			for (int m = 0; m < ok->nfields; m++) {
				const struct crm_field *mf = &ok->fields[m];
				const char *dot = mf->type == CRM_F_MONEY && mf->currency ? strchr(mf->currency, '.') : NULL;
				if (!dot || (mf->flags & CRM_FF_READONLY) || strcmp(dot + 1, k->fields[i].name) != 0)
					continue;
				char ref[64];
				snprintf(ref, sizeof ref, "%.*s", (int)(dot - mf->currency), mf->currency);
				const struct crm_field *rf = crm_kind_field(ok, ref, NULL);
				if (!rf || !rf->ref || strcmp(rf->ref, k->name) != 0)
					continue;
				struct strbuf sql = { 0 };
				sb_addf(&sql, "SELECT count(*) FROM %s WHERE %s = ? AND %s IS NOT NULL", ok->table, rf->column,
					mf->column);
				crm_stmt *st;
				int rc = crm_prepare(crm, sql.s, &st, err);
				sb_free(&sql);
				if (rc)
					return rc;
				crm_bind_int64(st, 1, id);
				long long n = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
				crm_finalize(st);
				if (n)
					return at_field(err, &k->fields[i],
							crm_error(err, CRM_ECONFLICT, "%s %lld has %lld %s with a %s in %s; "
								  "the %s cannot change while they are there", crm_kind_noun(k), id, n,
								  crm_noun(n == 1 ? ok->name : ok->plural), mf->name,
								  old[i].text ? old[i].text : "no currency", k->fields[i].name));
			}
		}
	}
	return CRM_OK;
}

int crm_record_edit(struct crm *crm, const struct crm_kind *k, long long id,
		    const struct crm_assign *set, int nset, int *changed, struct crm_err *err)
{
	if (caching)
		crm_resolve_cache_forget(k);
	struct slot *old = slots_new(k), *s = slots_new(k);
	struct strbuf sql = { 0 };
	struct wf_slots ws;
	struct crm_wf_event ev = { .npath = 0 };
	struct parts parts = { 0 };
	int rc, nchanged = 0;
	struct crm_assign *named = NULL; /* set, with transition names made statuses */
	unsigned char *was_in = NULL;    /* scoped fields: the record in their scope before */
	if (changed)
		*changed = 0;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	if ((rc = slots_load(crm, k, id, old, err)))
		goto fail;
	for (int i = 0; i < k->nfields; i++)
		s[i].text = old[i].text ? xstrdup(old[i].text) : NULL;
	/* --status <transition name>: the status that transition leads to, and that transition. */
	const struct crm_field *wff = crm_workflow_field(k);
	int intended = 0;
	for (int i = 0; wff && i < nset && !rc; i++) {
		const struct crm_workflow *wf;
		if (strcmp(set[i].field, wff->name) != 0 || !set[i].value ||
		    (rc = crm_workflow_get(crm, k, &wf, err)) || !wf || crm_workflow_is_status(wf, set[i].value))
			continue;
		const char *from = old[wff - k->fields].text;
		const struct crm_wf_transition *t = crm_workflow_transition(wf, from ? from : wf->initial, set[i].value);
		if (!t && crm_workflow_transition(wf, NULL, set[i].value)) {
			rc = crm_error(err, CRM_ECONFLICT, "cannot %s from '%s'", set[i].value, from ? from : wf->initial);
			snprintf(err->field, sizeof err->field, "%s", wff->name);
		}
		if (!t)
			continue;
		if (!named) {
			named = xcalloc((size_t)nset, sizeof *named);
			memcpy(named, set, (size_t)nset * sizeof *named);
		}
		named[i].value = t->to;
		if (!crm_workflow_intended(k, id)) {
			crm_workflow_intend(k, id, t->name, NULL);
			intended = 1;
		}
	}
	if (named)
		set = named;
	if (rc || (rc = slots_assign(crm, k, s, set, nset, err)) || (rc = user_guard(crm, k, old, s, err)) ||
	    (rc = fixed_kept(k, old, s, err)) ||
	    (rc = imply_account(crm, k, s, err)) || (rc = workflow_enter(crm, k, id, old, s, &ws, &ev, err)) ||
	    (rc = check_record(crm, k, id, s, err)) || (rc = currency_guard(crm, k, id, old, s, err)) ||
	    (rc = parts_editable(crm, k, old, s, err))) {
		if (intended)
			crm_workflow_intend(k, 0, NULL, NULL);
		goto fail;
	}
	if (intended)
		crm_workflow_intend(k, 0, NULL, NULL);
	if ((rc = scope_before(crm, k, id, old, s, &was_in, err)))
		goto fail;
	sb_addf(&sql, "UPDATE %s SET ", k->table);
	for (int i = 0; i < k->nfields; i++)
		if (stored(&k->fields[i]) && !same(old[i].text, s[i].text))
			sb_addf(&sql, "%s = ?%d, ", k->fields[i].column, ++nchanged);
	struct strbuf custom = { 0 }; /* json_patch drops the keys of emptied fields (null) */
	if (custom_object(k, old, s, &nchanged, &custom))
		sb_addf(&sql, "custom = json_patch(coalesce(custom, '{}'), %s), ", custom.s);
	sb_free(&custom);
	int nfold = 0; /* folded keys follow what they fold; not a change of their own */
	const struct crm_fold_col *fc;
	for (int fi = 0; (fc = crm_fold_next(k, &fi));)
		if (fold_changed(k, old, s, fc))
			sb_addf(&sql, "%s = ?%d, ", fc->fold, nchanged + ++nfold);
	int nlinks = 0; /* links changed: no column of the row, but a change all the same */
	for (int i = 0; i < k->nfields; i++)
		nlinks += k->fields[i].type == CRM_F_LINKS && !same(old[i].text, s[i].text);
	if (nchanged + nlinks == 0) {
		if (ev.npath && (rc = crm_workflow_entered(crm, &ev, id, err)))
			goto fail;
		rc = crm_tx_commit(crm, err);
		goto out;
	}
	if ((rc = nocase_key_taken(crm, k, id, old, s, err)))
		goto fail;
	parts_begin(crm, k, old, s, &parts);
	sb_addf(&sql, "updated = ?%d WHERE id = ?%d", nchanged + nfold + 1, nchanged + nfold + 2);
	crm_stmt *st;
	if ((rc = crm_stmt_get(crm, sql.s, &st, err)))
		goto fail;
	int n = 0;
	for (int i = 0; i < k->nfields; i++)
		if (stored(&k->fields[i]) && !same(old[i].text, s[i].text))
			bind_slot(st, ++n, &s[i]);
	custom_bind(st, k, old, s, &n);
	for (int fi = 0; (fc = crm_fold_next(k, &fi));)
		if (fold_changed(k, old, s, fc))
			bind_fold(st, ++n, k, s, fc);
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_text(st, n + 1, stamp);
	crm_bind_int64(st, n + 2, id);
	int src = crm_step(st);
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE) {
		rc = write_error(crm, k, s, src, "changing a record", err);
		goto fail;
	}
	if ((rc = history_add(crm, k, id, "edit", old, s, err)))
		goto fail;
	if ((rc = write_links(crm, k, id, old, s, err)))
		goto fail;
	if ((rc = scope_check(crm, k, id, s, was_in, err)))
		goto fail;
	if ((rc = crm_search_index(crm, k, id, 0, err)))
		goto fail;
	if ((rc = written(crm, k, id, set, nset, old, s, err)))
		goto fail;
	if (ev.npath && (rc = crm_workflow_entered(crm, &ev, id, err)))
		goto fail;
	if ((rc = parts_end(crm, &parts, err)))
		goto fail;
	if (changed)
		*changed = nchanged + nlinks;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	free(named); /* after written(), which reads set */
	free(was_in);
	parts_free(&parts);
	sb_free(&sql);
	slots_free(k, old);
	slots_free(k, s);
	return rc;
}

/* Which records still point at this one: "2 locations, 3 contacts", or NULL. */
static char *referrers(struct crm *crm, const struct crm_kind *k, long long id)
{
	struct strbuf b = { 0 };
	for (int i = 0; crm_kinds[i]; i++) {
		const struct crm_kind *other = crm_kinds[i];
		for (int j = 0; j < other->nfields; j++) {
			const struct crm_field *f = &other->fields[j];
			if ((f->type != CRM_F_REF && f->type != CRM_F_LINKS) || strcmp(f->ref, k->name) != 0)
				continue;
			struct strbuf sql = { 0 };
			sb_addf(&sql, "SELECT count(*) FROM %s WHERE %s = ?", f->type == CRM_F_LINKS ? f->column : other->table,
				f->type == CRM_F_LINKS ? "target_id" : f->column);
			crm_stmt *st;
			long long n = 0;
			if (crm_store_prepare(crm, sql.s, &st) == CRM_SQL_OK) {
				crm_bind_int64(st, 1, id);
				if (crm_step(st) == CRM_SQL_ROW)
					n = crm_col_int64(st, 0);
				crm_finalize(st);
			}
			sb_free(&sql);
			if (n)
				sb_addf(&b, "%s%lld %s%s", b.len ? ", " : "", n, crm_noun(n == 1 ? other->name : other->plural),
					other == k ? (strcmp(f->name, "parent") == 0 ? " (subsidiaries)" : "") : "");
		}
	}
	long long docs = crm_documents_count(crm, k, id);
	if (docs)
		sb_addf(&b, "%s%lld %s", b.len ? ", " : "", docs, docs == 1 ? "document" : "documents");
	return b.len ? sb_take(&b) : NULL;
}

int crm_record_values(struct crm *crm, const struct crm_kind *k, long long id, char ***out, struct crm_err *err)
{
	struct slot *s = slots_new(k);
	int rc = slots_load(crm, k, id, s, err);
	char **v = xcalloc((size_t)k->nfields + 1, sizeof *v);
	for (int i = 0; !rc && i < k->nfields; i++)
		if (s[i].text && *s[i].text)
			v[i] = xstrdup(s[i].text);
	slots_free(k, s);
	if (rc) {
		free(v);
		v = NULL;
	}
	*out = v;
	return rc;
}

void crm_record_values_free(const struct crm_kind *k, char **values)
{
	for (int i = 0; values && i < k->nfields; i++)
		free(values[i]);
	free(values);
}

int crm_record_rm(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	if (caching)
		crm_resolve_cache_forget(k);
	struct slot *s = slots_new(k);
	struct parts parts = { 0 };
	int rc;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	if ((rc = slots_load(crm, k, id, s, err)) || (rc = user_guard(crm, k, s, NULL, err)) ||
	    (rc = parts_editable(crm, k, s, NULL, err)))
		goto fail;
	char *refs = referrers(crm, k, id);
	if (refs) {
		char *label = crm_record_label(crm, k, id);
		rc = crm_error(err, CRM_ECONFLICT, "%s '%s' is still referred to by %s; remove or move them first",
			       crm_kind_noun(k), label ? label : "?", refs);
		free(label);
		free(refs);
		goto fail;
	}
	parts_begin(crm, k, s, NULL, &parts);
	/* out of the search index first: a ticket's comments' rows are found by its actions,
	 * which go with it */
	if ((rc = crm_search_forget(crm, k, id, err)))
		goto fail;
	struct strbuf sql = { 0 };
	sb_addf(&sql, "DELETE FROM %s WHERE id = ?", k->table);
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		goto fail;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "removing a record", err);
		goto fail;
	}
	if ((rc = history_add(crm, k, id, "rm", s, NULL, err)))
		goto fail;
	if ((rc = crm_attr_forget(crm, k, id, err)))
		goto fail;
	if ((rc = parts_end(crm, &parts, err)))
		goto fail;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	parts_free(&parts);
	slots_free(k, s);
	return rc;
}

int crm_record_edit_many(struct crm *crm, const struct crm_kind *k, const long long *ids, int nids,
			 const struct crm_assign *set, int nset, int *changed, struct crm_err *err)
{
	int rc = crm_tx_begin(crm, err), total = 0;
	for (int i = 0; i < nids && !rc; i++) {
		int one = 0;
		rc = crm_record_edit(crm, k, ids[i], set, nset, &one, err);
		total += one > 0;
	}
	if (changed)
		*changed = rc ? 0 : total;
	if (rc) {
		crm_tx_rollback(crm);
		return rc;
	}
	return crm_tx_commit(crm, err);
}

int crm_record_rm_many(struct crm *crm, const struct crm_kind *k, const long long *ids, int nids,
		       struct crm_err *err)
{
	int rc = crm_tx_begin(crm, err);
	for (int i = 0; i < nids && !rc; i++)
		rc = crm_record_rm(crm, k, ids[i], err);
	if (rc) {
		crm_tx_rollback(crm);
		return rc;
	}
	return crm_tx_commit(crm, err);
}

/* ---------------------------------------------------------------- queries */

struct crm_cursor {
	struct crm *crm;
	crm_stmt *st;
	int ncols;
	char **names;
	enum crm_vtype *types;
	struct crm_value *cells;
	char (*numbuf)[32];
	int *dec;    /* exact decimals: the column's fixed scale, -1 when its currency's digits
		      * (in column curcol), -2 not a decimal */
	int *curcol;
	/* the current row's currency of each money column ("" when none), NULL for the others;
	 * NULL itself when no column is money */
	const char **currency;
	/* Fields computed in C (enum crm_calc), over the columns CRM_TICKET_CLOCK_SQL selects after
	 * the visible ones, from column `clockcol` (-1: none). */
	enum crm_calc *calc;
	int clockcol;
	struct crm_ticket_clock *clock;
	struct crm_ticket_sla sla;
};

static enum crm_vtype vtype(enum crm_ftype t)
{
	switch (t) {
	case CRM_F_INT: return CRM_V_INT;
	case CRM_F_REAL: return CRM_V_REAL;
	case CRM_F_MONEY: return CRM_V_REAL; /* exact decimal text */
	case CRM_F_DECIMAL: return CRM_V_REAL;
	case CRM_F_DATE: return CRM_V_DATE;
	case CRM_F_TIME: return CRM_V_TIME;
	case CRM_F_BOOL: return CRM_V_BOOL;
	default: return CRM_V_TEXT;
	}
}

int crm_query_field_names(const struct crm_kind *k, const char **names, int max)
{
	int n = 0;
	for (int i = 0; i < k->nfields && n < max; i++) {
		names[n++] = k->fields[i].name;
		if (k->fields[i].type == CRM_F_REF && n < max) {
			/* "<ref>_id" spelled from a fixed table so the pointer stays valid. */
			static char idnames[64][48];
			static int used;
			char buf[48];
			snprintf(buf, sizeof buf, "%s_id", k->fields[i].name);
			int j;
			for (j = 0; j < used && strcmp(idnames[j], buf); j++)
				;
			if (j == used && used < 64)
				snprintf(idnames[used++], sizeof idnames[0], "%s", buf);
			if (j < 64)
				names[n++] = idnames[j];
		}
	}
	return n;
}

/* The field whose name is nearest a misspelt one (crm/near.h), or NULL: for "did you mean". */
const char *crm_kind_near_field(const struct crm_kind *k, const char *name)
{
	if (!k)
		return NULL;
	const char **names = xcalloc((size_t)k->nfields + 1, sizeof *names);
	size_t n = 0;
	for (int i = 0; i < k->nfields; i++)
		if (!(k->fields[i].flags & CRM_FF_HIDDEN))
			names[n++] = k->fields[i].name;
	const char *best = crm_near(name, names, n);
	free(names);
	return best;
}
#define near_field crm_kind_near_field
#define NEAR(k, name) near_field(k, name) ? "; did you mean '" : "", \
	near_field(k, name) ? near_field(k, name) : "", near_field(k, name) ? "'?" : ""

/* Add one output column for a field to the select list. */
static void select_field(struct strbuf *sel, struct strbuf *joins, int *njoin,
			 const struct crm_field *f, int as_id, enum crm_vtype *type)
{
	if (f->type == CRM_F_REF && !as_id) {
		const struct crm_kind *rk = crm_kind_find(f->ref);
		char alias[16];
		snprintf(alias, sizeof alias, "r%d", ++*njoin);
		char *label = realias(rk->label_sql, alias);
		/* No record referred to is null, whatever the label's expression makes of nulls. */
		sb_addf(sel, "CASE WHEN %s.id IS NULL THEN NULL ELSE %s END", alias, label);
		sb_addf(joins, " LEFT JOIN %s %s ON %s.id = t.%s", rk->table, alias, alias, f->column);
		free(label);
		*type = CRM_V_TEXT;
	} else if (f->type == CRM_F_LINKS) {
		crm_links_label_sql(sel, f, 1);
		*type = CRM_V_LIST;
	} else if (f->type == CRM_F_LIST && f->column[0] != '(') {
		/* Comma-separated words (roles, groups, an alert's recipients): a list, as link
		 * fields are, so json and yaml get an array. */
		sb_addf(sel, "coalesce(replace(replace(t.%s, ', ', ','), ',', '\037'), '')", f->column);
		*type = CRM_V_LIST;
	} else if (f->type == CRM_F_LIST) { /* computed (a group's members): a list too */
		sb_add(sel, "coalesce(replace(");
		crm_field_sql(sel, f);
		sb_add(sel, ", ',', '\037'), '')");
		*type = CRM_V_LIST;
	} else {
		crm_field_sql(sel, f);
		*type = as_id ? CRM_V_INT : vtype(f->type);
	}
}

int crm_query_filter(struct crm *crm, const struct crm_kind *k, const char *const *terms, int nterms,
		     struct crm_filter *out, struct crm_err *err)
{
	return crm_filter_compile_searched(k, terms, nterms, crm->now, resolve_for_filter, search_for_filter, crm, out,
					   err);
}

int crm_query_count(struct crm *crm, const struct crm_query *q, long long *count, struct crm_err *err)
{
	struct crm_filter filter;
	*count = 0;
	int rc = crm_query_filter(crm, q->kind, q->terms, q->nterms, &filter, err);
	if (rc)
		return rc;
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT count(*) FROM %s t WHERE %s", q->kind->table, filter.sql);
	if (q->where)
		sb_addf(&sql, " AND (%s)", q->where);
	crm_stmt *st;
	if (!(rc = crm_prepare(crm, sql.s, &st, err))) {
		for (int i = 0; i < filter.nbinds; i++)
			crm_bind_text_copy(st, i + 1, filter.binds[i]);
		for (int i = 0; i < q->nwhere_binds; i++)
			crm_bind_text_copy(st, filter.nbinds + i + 1, q->where_binds[i]);
		int src = crm_step(st);
		if (src == CRM_SQL_ROW)
			*count = crm_col_int64(st, 0);
		else
			rc = crm_db_error(crm, src, "counting records", err);
		crm_finalize(st);
	}
	sb_free(&sql);
	crm_filter_free(&filter);
	return rc;
}

int crm_query_open(struct crm *crm, const struct crm_query *q, struct crm_cursor **out,
		   struct crm_err *err)
{
	const struct crm_kind *k = q->kind;
	const char **defaults = NULL; /* as many as the kind has: custom fields have no bound */
	const char *const *fields = q->fields;
	int nfields = q->nfields;
	int all = fields && nfields == 1 && strcmp(fields[0], "all") == 0;
	if (!fields || all) {
		nfields = 0;
		defaults = xcalloc((size_t)k->nfields + 1, sizeof *defaults);
		for (int i = 0; i < k->nfields; i++)
			if ((all && !(k->fields[i].flags & CRM_FF_HIDDEN)) || (k->fields[i].flags & CRM_FF_LIST))
				defaults[nfields++] = k->fields[i].name;
		fields = defaults;
	}
	struct crm_filter filter;
	int rc = crm_query_filter(crm, k, q->terms, q->nterms, &filter, err);
	if (rc) {
		free(defaults);
		return rc;
	}
	struct crm_cursor *c = xcalloc(1, sizeof *c);
	c->crm = crm;
	c->ncols = nfields;
	c->names = xcalloc((size_t)nfields, sizeof *c->names);
	c->types = xcalloc((size_t)nfields, sizeof *c->types);
	c->cells = xcalloc((size_t)nfields, sizeof *c->cells);
	c->numbuf = xcalloc((size_t)nfields, sizeof *c->numbuf);
	c->calc = xcalloc((size_t)nfields, sizeof *c->calc);
	c->dec = xcalloc((size_t)nfields, sizeof *c->dec);
	c->curcol = xcalloc((size_t)nfields, sizeof *c->curcol);
	c->clockcol = -1;
	struct strbuf extra = { 0 }; /* the currencies of money columns, after the fields */
	int nextra = 0;
	struct strbuf sel = { 0 }, joins = { 0 }, sql = { 0 };
	int njoin = 0;
	for (int i = 0; i < nfields; i++) {
		int as_id;
		const struct crm_field *f = crm_kind_field(k, fields[i], &as_id);
		if (!f) {
			rc = crm_error(err, CRM_EUSAGE, "unknown field '%s' for %s%s%s%s (try --fields help)", fields[i],
				       crm_kind_noun(k), NEAR(k, fields[i]));
			goto fail;
		}
		if (i)
			sb_add(&sel, ", ");
		if (f->calc && !as_id) {
			/* computed from the clock's columns in crm_cursor_next */
			sb_add(&sel, "NULL");
			c->types[i] = vtype(f->type);
			c->calc[i] = f->calc;
			c->clockcol = nfields;
		} else {
			select_field(&sel, &joins, &njoin, f, as_id, &c->types[i]);
		}
		c->dec[i] = -2;
		if (!as_id && f->type == CRM_F_DECIMAL) {
			c->dec[i] = f->scale;
		} else if (!as_id && f->type == CRM_F_MONEY) {
			if (!c->currency)
				c->currency = xcalloc((size_t)nfields, sizeof *c->currency);
			c->currency[i] = "";
			c->dec[i] = f->currency ? -1 : 2;
			if (f->currency) {
				sb_add(&extra, ", ");
				crm_money_currency_sql(&extra, k, f);
				c->curcol[i] = nfields + nextra++;
			}
		}
		if (as_id) {
			char buf[64];
			snprintf(buf, sizeof buf, "%s_id", f->name);
			c->names[i] = xstrdup(buf);
		} else {
			c->names[i] = xstrdup(f->name);
		}
	}
	if (extra.s)
		sb_add(&sel, extra.s);
	sb_free(&extra);
	if (c->clockcol >= 0) {
		c->clockcol = nfields + nextra;
		sb_add(&sel, ", " CRM_TICKET_CLOCK_SQL);
	}
	sb_addf(&sql, "SELECT %s FROM %s t%s WHERE %s", sel.s ? sel.s : "1", k->table, joins.s ? joins.s : "",
		filter.sql);
	if (q->where)
		sb_addf(&sql, " AND (%s)", q->where);
	if (!q->unordered)
		sb_add(&sql, " ORDER BY ");
	if (q->sort && *q->sort && !q->unordered) {
		int desc = q->sort[0] == '-', as_id;
		const struct crm_field *f = crm_kind_field(k, q->sort + desc, &as_id);
		if (!f) {
			rc = crm_error(err, CRM_EUSAGE, "cannot sort %s by unknown field '%s'%s%s%s", k->plural,
				       q->sort + desc, NEAR(k, q->sort + desc));
			goto fail;
		}
		/* Text ignoring case: lower() orders as SQLite's NOCASE does (ASCII letters folded)
		 * on both backends, where a collation name would be SQLite's alone. Empty values
		 * first, as SQLite orders them; PostgreSQL is told so. */
		int nocase = f->type == CRM_F_TEXT || f->type == CRM_F_EMAIL || f->type == CRM_F_LINKS;
		if (nocase)
			sb_add(&sql, "lower(");
		if (f->type == CRM_F_LINKS) {
			crm_links_label_sql(&sql, f, 0);
		} else if (f->type == CRM_F_MONEY && f->currency) { /* JPY and EUR at one scale */
			struct strbuf cur = { 0 };
			crm_money_currency_sql(&cur, k, f);
			sb_add(&sql, "(");
			crm_field_sql(&sql, f);
			sb_add(&sql, ") * ");
			crm_money_factor_sql(&sql, cur.s);
			sb_free(&cur);
		} else {
			crm_field_sql(&sql, f);
		}
		sb_addf(&sql, "%s%s, ", nocase ? ")" : "", desc ? " DESC NULLS LAST" : " NULLS FIRST");
	}
	if (!q->unordered)
		sb_addf(&sql, "%s, t.id", k->order_sql);
	if (q->limit > 0)
		sb_addf(&sql, " LIMIT %lld", q->limit);
	if ((rc = crm_prepare(crm, sql.s, &c->st, err)))
		goto fail;
	for (int i = 0; i < filter.nbinds; i++)
		crm_bind_text_copy(c->st, i + 1, filter.binds[i]);
	for (int i = 0; i < q->nwhere_binds; i++)
		crm_bind_text_copy(c->st, filter.nbinds + i + 1, q->where_binds[i]);
	sb_free(&sel);
	sb_free(&joins);
	sb_free(&sql);
	crm_filter_free(&filter);
	free(defaults);
	*out = c;
	return CRM_OK;
fail:
	sb_free(&sel);
	sb_free(&joins);
	sb_free(&sql);
	crm_filter_free(&filter);
	free(defaults);
	crm_cursor_close(c);
	return rc;
}

int crm_cursor_ncols(const struct crm_cursor *c)
{
	return c->ncols;
}

const char *const *crm_cursor_names(const struct crm_cursor *c)
{
	return (const char *const *)c->names;
}

const char *const *crm_cursor_currencies(const struct crm_cursor *c)
{
	return c->currency;
}

int crm_cursor_next(struct crm_cursor *c, const struct crm_value **cells, struct crm_err *err)
{
	int rc = crm_step(c->st);
	if (rc == CRM_SQL_DONE)
		return 0;
	if (rc != CRM_SQL_ROW)
		return -crm_db_error(c->crm, rc, "reading records", err);
	for (int i = 0; i < c->ncols; i++) {
		int t = crm_col_type(c->st, i);
		if (t == CRM_COL_NULL) {
			c->cells[i].type = CRM_V_NULL;
			c->cells[i].text = NULL;
			continue;
		}
		c->cells[i].type = c->types[i];
		if (c->dec[i] > -2) {
			/* integer units to exact decimal text */
			const char *cur = c->dec[i] >= 0 ? NULL : (const char *)crm_col_text(c->st, c->curcol[i]);
			int digits = c->dec[i] >= 0 ? c->dec[i] : crm_currency_digits(cur);
			if (c->dec[i] == -1)
				c->currency[i] = cur ? cur : "";
			long long v = t == CRM_COL_FLOAT ? (long long)crm_col_double(c->st, i)
							 : strtoll((const char *)crm_col_text(c->st, i), NULL, 10);
			c->cells[i].text = crm_dec_format(v, digits, c->numbuf[i], sizeof c->numbuf[i]);
			if (c->dec[i] >= 0)
				dec_trim(c->numbuf[i]);
		} else if (t == CRM_COL_FLOAT) {
			snprintf(c->numbuf[i], sizeof c->numbuf[i], "%.15g", crm_col_double(c->st, i));
			c->cells[i].text = c->numbuf[i];
		} else {
			c->cells[i].text = (const char *)crm_col_text(c->st, i);
		}
	}
	if (c->clockcol >= 0) {
		int rc = c->clock ? CRM_OK : crm_ticket_clock_new(c->crm, &c->clock, err);
		if (rc)
			return -rc;
		int k = c->clockcol;
		crm_ticket_clock_eval(c->clock, crm_col_text(c->st, k),
				      crm_col_text(c->st, k + 1),
				      crm_col_text(c->st, k + 2),
				      crm_col_text(c->st, k + 3),
				      crm_col_text(c->st, k + 4), crm_col_int64(c->st, k + 5),
				      crm_col_text(c->st, k + 6), &c->sla);
		for (int i = 0; i < c->ncols; i++) {
			const char *text = NULL;
			switch (c->calc[i]) {
			case CRM_CALC_NONE:
				continue;
			case CRM_CALC_OPEN:
				text = c->sla.open < 0 ? NULL : c->sla.open ? "1" : "0";
				break;
			case CRM_CALC_BREACH:
				text = c->sla.breach < 0 ? NULL : c->sla.breach ? "1" : "0";
				break;
			case CRM_CALC_RESPONSE_DUE:
				text = c->sla.response_due[0] ? c->sla.response_due : NULL;
				break;
			case CRM_CALC_RESOLUTION_DUE:
				text = c->sla.resolution_due[0] ? c->sla.resolution_due : NULL;
				break;
			}
			c->cells[i].type = text ? c->types[i] : CRM_V_NULL;
			c->cells[i].text = text;
		}
	}
	*cells = c->cells;
	return 1;
}

void crm_cursor_close(struct crm_cursor *c)
{
	if (!c)
		return;
	crm_finalize(c->st);
	for (int i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	free(c->types);
	free(c->cells);
	free(c->numbuf);
	free(c->calc);
	free(c->dec);
	free(c->curcol);
	free(c->currency);
	crm_ticket_clock_free(c->clock);
	free(c);
}

int crm_query_print(struct crm *crm, const struct crm_query *q, struct crm_printer *p,
		    long long *count, struct crm_err *err)
{
	struct crm_cursor *c;
	int rc = crm_query_open(crm, q, &c, err);
	if (rc)
		return rc;
	crm_printer_columns(p, crm_cursor_names(c), crm_cursor_ncols(c));
	const struct crm_value *cells;
	long long n = 0;
	while ((rc = crm_cursor_next(c, &cells, err)) == 1) {
		crm_printer_row_money(p, cells, crm_cursor_currencies(c));
		n++;
	}
	crm_cursor_close(c);
	if (count)
		*count = n;
	return rc < 0 ? -rc : CRM_OK;
}

char *crm_history_value_text(struct crm *crm, const struct crm_field *f, const char *stored)
{
	if (!f || !stored)
		return NULL;
	if (f->type == CRM_F_LINKS)
		return crm_links_describe(crm, f, stored);
	if (f->type != CRM_F_REF)
		return NULL;
	/* References are stored by number; show the name they have now beside it. */
	char *label = crm_record_label(crm, crm_kind_find(f->ref), atoll(stored));
	struct strbuf b = { 0 };
	sb_addf(&b, "%s (%s)", stored, label ? label : "removed");
	free(label);
	return sb_take(&b);
}

int crm_history_print(struct crm *crm, const struct crm_kind *k, long long id,
		      struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	/* A number that never named a record is "not found", not an empty history. */
	int rc = crm_stmt_get(crm, "SELECT 1 FROM history WHERE kind = ? AND record_id = ? LIMIT 1", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	int any = crm_step(st) == CRM_SQL_ROW;
	crm_stmt_done(st);
	char *label = any ? NULL : crm_record_label(crm, k, id);
	if (!any && !label)
		return crm_error(err, CRM_ENOTFOUND, "%s '%lld' not found", crm_kind_noun(k), id);
	free(label);
	rc = crm_prepare(crm,
			     "SELECT h.at, h.user, h.action, j.key, j.value ->> 0, j.value ->> 1, h.id, h.real_user "
			     "FROM history h, json_each(h.changes) j "
			     "WHERE h.kind = ? AND h.record_id = ? ORDER BY h.id, j.id", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	static const char *const names[] = { "at", "user", "action", "field", "old", "new", "real_user" };
	crm_printer_columns(p, names, 7);
	struct crm_value cells[7];
	char *labels[2] = { NULL, NULL };
	struct crm_import_history imported = { 0 };
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		crm_import_history_rows(crm, k, id, crm_col_int64(st, 6), &imported, p);
		const char *field = (const char *)crm_col_text(st, 3);
		const struct crm_field *f = field ? crm_kind_field(k, field, NULL) : NULL;
		for (int i = 0; i < 6; i++) {
			const char *t = (const char *)crm_col_text(st, i);
			cells[i].type = t ? (i == 0 ? CRM_V_TIME : CRM_V_TEXT) : CRM_V_NULL;
			cells[i].text = t;
			if (i >= 4 && t && (labels[i - 4] = crm_history_value_text(crm, f, t)))
				cells[i].text = labels[i - 4];
		}
		const char *real = (const char *)crm_col_text(st, 7);
		cells[6].type = real ? CRM_V_TEXT : CRM_V_NULL;
		cells[6].text = real;
		crm_printer_row(p, cells);
		free(labels[0]);
		free(labels[1]);
		labels[0] = labels[1] = NULL;
	}
	crm_finalize(st);
	if (rc == CRM_SQL_DONE)
		crm_import_history_rows(crm, k, id, LLONG_MAX, &imported, p);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading history", err);
}
