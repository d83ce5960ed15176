/* Duplicates, merge and undo (crm/dedupe.h, issue 13.4).
 *
 * What points at a record is found, not listed: the schema's foreign keys to the kind's table
 * (the backend's catalogue), the kinds' reference fields, documents and attributes. A merge saves,
 * cell by cell (record_merge_cells, typed), the other record's row, the kept record's row before,
 * and every row it moves or drops, so that an undo puts each back exactly, numbers included. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/auth.h"
#include "crm/config.h"
#include "crm/copy.h"
#include "crm/date.h"
#include "crm/dedupe.h"
#include "crm/near.h"
#include "crm/record.h"
#include "crm/custom.h"
#include "crm/search.h"
#include "db.h"
#include "printer_internal.h"
#include "util.h"

/* ---------------------------------------------------------------- duplicates */

/* Digits of a phone number: the usual separators taken out; fewer than 7 digits is no key. */
#define DIGITS_OF(c) "replace(replace(replace(replace(replace(replace(replace(" c ", ' ', ''), '-', ''), " \
	"'(', ''), ')', ''), '.', ''), '+', ''), '/', '')"
#define PHONE_KEY(c) "(CASE WHEN length(" DIGITS_OF(c) ") >= 7 THEN " DIGITS_OF(c) " END)"

struct rule {
	const char *kind, *name, *key, *help;
	const char *shown; /* what the matched column shows, when not the key itself */
};

static const struct rule rules[] = {
	{ "contact", "email",
	  "(CASE WHEN instr(t.email, '+') > 0 AND instr(t.email, '+') < instr(t.email, '@') "
	  "THEN lower(substr(t.email, 1, instr(t.email, '+') - 1) || substr(t.email, instr(t.email, '@'))) "
	  "ELSE lower(t.email) END)",
	  "the same e-mail address, case and a +tag ignored" },
	{ "contact", "name", "(t.label_fold || '|' || coalesce(t.account_id, 0))",
	  "the same name, case and accents ignored, at the same account (or both at none)", "t.label_fold" },
	{ "contact", "phone", PHONE_KEY("coalesce(t.phone, t.mobile)"),
	  "the same phone digits (the phone, else the mobile; at least 7)" },
	{ "account", "name", "t.name_fold", "the same name, case and accents ignored" },
	{ "account", "phone", PHONE_KEY("t.phone"), "the same phone digits (at least 7)" },
	{ "account", "website",
	  "nullif(rtrim(replace(replace(replace(lower(t.website), 'https://', ''), 'http://', ''), 'www.', ''), '/'), '')",
	  "the same web site, scheme, www. and a final / ignored" },
};
#define NRULES (sizeof rules / sizeof rules[0])

const char *const *crm_duplicate_rules(const struct crm_kind *k)
{
	static char *lines[NRULES + 1];
	static const char *out[NRULES + 1];
	size_t n = 0;
	for (size_t i = 0; i < NRULES; i++) {
		if (strcmp(rules[i].kind, k->name) != 0)
			continue;
		if (!lines[i]) {
			struct strbuf b = { 0 };
			sb_addf(&b, "%s: %s", rules[i].name, rules[i].help);
			lines[i] = sb_take(&b);
		}
		out[n++] = lines[i];
	}
	out[n] = NULL;
	return out;
}

/* A field of k as a rule may name it: stored in a column of its own. */
static const struct crm_field *rule_field(const struct crm_kind *k, const char *name)
{
	const struct crm_field *f = crm_kind_field(k, name, NULL);
	if (!f || f->type == CRM_F_LINKS || (f->column[0] == '(' && !(f->flags & CRM_FF_CUSTOM)))
		return NULL;
	return f;
}

/* The SQL key of a rule: a built-in's, or fields joined by '+' (each folded to lower case, all
 * needed). */
/* An example of fields joined by '+' for kind k, for help and errors. */
static const char *rule_example(const struct crm_kind *k)
{
	return strcmp(k->name, "contact") == 0 ? "last_name+phone" : strcmp(k->name, "account") == 0 ? "name+country"
											   : "field+field";
}

static int rule_key(const struct crm_kind *k, const char *name, struct strbuf *key, struct strbuf *shown,
		    struct crm_err *err)
{
	for (size_t i = 0; i < NRULES; i++)
		if (strcmp(rules[i].kind, k->name) == 0 && strcasecmp(rules[i].name, name) == 0) {
			sb_add(key, rules[i].key);
			sb_add(shown, rules[i].shown ? rules[i].shown : rules[i].key);
			return CRM_OK;
		}
	if (!strchr(name, '+') && !rule_field(k, name)) {
		const char *names[NRULES];
		size_t n = 0;
		struct strbuf all = { 0 };
		for (size_t i = 0; i < NRULES; i++)
			if (strcmp(rules[i].kind, k->name) == 0) {
				sb_addf(&all, "%s%s", n ? ", " : "", rules[i].name);
				names[n++] = rules[i].name;
			}
		const char *near = crm_near(name, names, n);
		if (!near)
			near = crm_kind_near_field(k, name);
		int rc = crm_error(err, CRM_EINVALID, "no duplicate rule '%s' for %s%s%s%s; rules: %s, or fields joined "
				   "by '+' (%s)", name, k->plural, near ? " (did you mean '" : "", near ? near : "",
				   near ? "'?)" : "", all.len ? all.s : "none", rule_example(k));
		sb_free(&all);
		return rc;
	}
	if (name[0] == '+' || !*name || name[strlen(name) - 1] == '+' || strstr(name, "++"))
		return crm_error(err, CRM_EINVALID, "duplicate rule '%s': a field is missing around a '+' (%s)", name,
				 rule_example(k));
	char *copy = xstrdup(name), *save = NULL;
	sb_add(key, "(CASE WHEN ");
	struct strbuf parts = { 0 }, test = { 0 };
	int n = 0;
	for (char *w = strtok_r(copy, "+", &save); w; w = strtok_r(NULL, "+", &save), n++) {
		const struct crm_field *f = rule_field(k, w);
		if (!f) {
			const char *near = crm_kind_near_field(k, w);
			int rc = crm_error(err, CRM_EINVALID, "duplicate rule '%s': %s have no field '%s' of their own%s%s%s",
					   name, k->plural, w, near ? " (did you mean '" : "", near ? near : "",
					   near ? "'?)" : "");
			free(copy);
			sb_free(&parts);
			sb_free(&test);
			return rc;
		}
		const char *t = f->column[0] == '(' ? "" : "t."; /* a custom field's column is an expression */
		sb_addf(&test, "%s%s%s IS NOT NULL", n ? " AND " : "", t, f->column);
		sb_addf(&parts, "%slower(CAST(%s%s AS TEXT))", n ? " || ' + ' || " : "", t, f->column);
	}
	sb_addf(key, "%s THEN %s END)", test.s, parts.s);
	sb_add(shown, key->s);
	free(copy);
	sb_free(&parts);
	sb_free(&test);
	return CRM_OK;
}

int crm_duplicates_print(struct crm *crm, const struct crm_kind *k, const char *const *given, int ngiven,
			 struct crm_printer *p, long long *groups, struct crm_err *err)
{
	*groups = 0;
	const char *names[32];
	int n = 0;
	if (ngiven) {
		for (int i = 0; i < ngiven && n < 32; i++)
			names[n++] = given[i];
	} else {
		char path[64];
		snprintf(path, sizeof path, "duplicates.%s", k->name);
		const struct crm_conf_node *node = crm_config_node(crm->cfg, path);
		int scalar = node && crm_conf_scalar(node);
		if (scalar) /* one rule, written without brackets */
			names[n++] = crm_conf_scalar(node);
		for (size_t i = 0; node && !scalar && i < crm_conf_count(node) && n < 32; i++) {
			const char *s = crm_conf_scalar(crm_conf_child(node, i));
			if (s)
				names[n++] = s;
		}
		if (node && !n)
			return crm_error(err, CRM_ECONFIG, "%s:%d: %s names no rule (%s, or fields joined by '+')",
					 crm_conf_source(node), crm_conf_line(node), path,
					 strcmp(k->name, "contact") == 0 ? "email, name, phone" : "name, phone, website");
		if (!node) /* a kind the configuration says nothing of: its built-in rules */
			for (size_t i = 0; i < NRULES && n < 32; i++)
				if (strcmp(rules[i].kind, k->name) == 0)
					names[n++] = rules[i].name;
	}
	if (!n)
		return crm_error(err, CRM_EINVALID, "no duplicate rules for %s: give --rule %s", k->plural,
				 rule_example(k));
	/* a rule named twice is run once */
	int kept = 0;
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < kept && !seen; j++)
			seen = strcasecmp(names[j], names[i]) == 0;
		if (!seen)
			names[kept++] = names[i];
	}
	n = kept;
	struct strbuf *keys = xcalloc((size_t)n, sizeof *keys), *shown = xcalloc((size_t)n, sizeof *shown);
	int rc = CRM_OK;
	for (int i = 0; !rc && i < n; i++)
		rc = rule_key(k, names[i], &keys[i], &shown[i], err);
	if (rc == CRM_EINVALID && !ngiven) { /* the configuration's rule: said as its error */
		char path[64];
		snprintf(path, sizeof path, "duplicates.%s", k->name);
		const struct crm_conf_node *node = crm_config_node(crm->cfg, path);
		char *msg = xstrdup(err->msg);
		rc = crm_error(err, CRM_ECONFIG, "%s:%d: %s: %s", node ? crm_conf_source(node) : "?",
			       node ? crm_conf_line(node) : 0, path, msg);
		free(msg);
	}
	static const char *const cols[] = { "group", "rule", "id", "name", "matched" };
	if (!rc)
		crm_printer_columns(p, cols, 5);
	for (int i = 0; !rc && i < n; i++) {
		/* the keys that occur more than once, then their records (one pass each over the table) */
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT x.k, x.id, %s, %s FROM (SELECT %s AS k, t.id AS id FROM %s t) x, %s t "
			"WHERE t.id = x.id AND x.k IN (SELECT %s FROM %s t GROUP BY 1 HAVING count(*) > 1) "
			"ORDER BY x.k, x.id", k->label_sql, shown[i].s, keys[i].s, k->table, k->table, keys[i].s, k->table);
		crm_stmt *st;
		rc = crm_prepare(crm, sql.s, &st, err);
		sb_free(&sql);
		if (rc)
			break;
		char *last = NULL;
		int src;
		while ((src = crm_step(st)) == CRM_SQL_ROW) {
			const char *key = (const char *)crm_col_text(st, 0);
			if (!key)
				continue;
			if (!last || strcmp(last, key) != 0) {
				free(last);
				last = xstrdup(key);
				++*groups;
			}
			char group[24];
			snprintf(group, sizeof group, "%lld", *groups);
			const char *label = (const char *)crm_col_text(st, 2);
			struct crm_value cells[5] = {
				{ CRM_V_INT, group },
				{ CRM_V_TEXT, names[i] },
				{ CRM_V_INT, (const char *)crm_col_text(st, 1) },
				{ label ? CRM_V_TEXT : CRM_V_NULL, label },
				{ CRM_V_TEXT, crm_col_text(st, 3) ? (const char *)crm_col_text(st, 3) : key },
			};
			crm_printer_row(p, cells);
		}
		free(last);
		crm_finalize(st);
		if (src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "finding duplicates", err);
	}
	for (int i = 0; i < n; i++) {
		sb_free(&keys[i]);
		sb_free(&shown[i]);
	}
	free(keys);
	free(shown);
	return rc;
}

/* ---------------------------------------------------------------- saved rows */

/* The columns of a table as db copy knows them: names (caller frees with strv_free), or NULL. */
static char **table_columns(const char *table, char ***key, int *n, int *nkey)
{
	const char *cols, *keys;
	if (!crm_schema_table(table, &cols, &keys))
		return NULL;
	char **out = xcalloc(64, sizeof *out), **kout = xcalloc(8, sizeof *kout);
	*n = *nkey = 0;
	const char *p = cols;
	while (*p && *n < 63) {
		size_t len = strcspn(p, ",");
		out[(*n)++] = xstrndup(p, len);
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	p = keys;
	while (*p && *nkey < 7) {
		size_t len = strcspn(p, ",");
		kout[(*nkey)++] = xstrndup(p, len);
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	*key = kout;
	return out;
}

static void strv_free(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* One saved cell: its type letter and text. */
struct cell {
	char type;
	char *value;
};

static void cell_read(crm_stmt *st, int i, struct cell *c)
{
	int t = crm_col_type(st, i);
	c->type = t == CRM_COL_NULL ? 'n' : t == CRM_COL_INTEGER ? 'i' : t == CRM_COL_FLOAT ? 'r' : 't';
	if (t == CRM_COL_FLOAT) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.17g", crm_col_double(st, i));
		c->value = xstrdup(buf);
	} else {
		const char *s = (const char *)crm_col_text(st, i);
		c->value = s ? xstrdup(s) : NULL;
	}
}

static void cell_bind(crm_stmt *st, int i, const struct cell *c)
{
	if (c->type == 'n' || !c->value)
		crm_bind_null(st, i);
	else if (c->type == 'i')
		crm_bind_int64(st, i, strtoll(c->value, NULL, 10));
	else if (c->type == 'r')
		crm_bind_double(st, i, strtod(c->value, NULL));
	else
		crm_bind_text(st, i, c->value);
}

static int cells_save(struct crm *crm, long long merge, int row, const char *table, const char *role,
		      const char *moved, char **cols, const struct cell *cells, int n, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT INTO record_merge_cells (merge_id, row_no, tbl, role, moved, col, type, value) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	for (int i = 0; !rc && i < n; i++) {
		char type[2] = { cells[i].type, 0 };
		crm_bind_int64(st, 1, merge);
		crm_bind_int64(st, 2, row);
		crm_bind_text(st, 3, table);
		crm_bind_text(st, 4, role);
		if (moved)
			crm_bind_text(st, 5, moved);
		else
			crm_bind_null(st, 5);
		crm_bind_text(st, 6, cols[i]);
		crm_bind_text_copy(st, 7, type);
		if (cells[i].value)
			crm_bind_text(st, 8, cells[i].value);
		else
			crm_bind_null(st, 8);
		int src = crm_step(st);
		crm_stmt_done(st);
		if (src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "saving a merged row", err);
	}
	return rc;
}

/* A table's rows where column = id (and, with extra, extra = extra_value): every column. */
struct rows {
	char **cols, **key;
	int ncols, nkey, nrows;
	struct cell **row;
};

static void rows_free(struct rows *r)
{
	for (int i = 0; i < r->nrows; i++) {
		for (int c = 0; c < r->ncols; c++)
			free(r->row[i][c].value);
		free(r->row[i]);
	}
	free(r->row);
	strv_free(r->cols, r->ncols);
	strv_free(r->key, r->nkey);
	memset(r, 0, sizeof *r);
}

static int rows_load(struct crm *crm, const char *table, const char *column, long long id, const char *extra,
		     const char *extra_value, struct rows *r, struct crm_err *err)
{
	memset(r, 0, sizeof *r);
	if (!(r->cols = table_columns(table, &r->key, &r->ncols, &r->nkey)))
		return crm_error(err, CRM_EFAIL, "cannot merge: table '%s' refers to the records and is not known "
				 "to crm's schema list (core/copy.c)", table);
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT ");
	for (int c = 0; c < r->ncols; c++)
		sb_addf(&sql, "%s%s", c ? ", " : "", r->cols[c]);
	sb_addf(&sql, " FROM %s WHERE %s = ?", table, column);
	if (extra)
		sb_addf(&sql, " AND %s = ?", extra);
	crm_stmt *st;
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	if (extra)
		crm_bind_text(st, 2, extra_value);
	int src, cap = 0;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		if (r->nrows == cap) {
			cap = cap ? 2 * cap : 16;
			r->row = xrealloc(r->row, (size_t)cap * sizeof *r->row);
		}
		struct cell *cells = xcalloc((size_t)r->ncols, sizeof *cells);
		for (int c = 0; c < r->ncols; c++)
			cell_read(st, c, &cells[c]);
		r->row[r->nrows++] = cells;
	}
	crm_finalize(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "reading the rows to merge", err);
}

static int col_index(const struct rows *r, const char *name)
{
	for (int c = 0; c < r->ncols; c++)
		if (strcmp(r->cols[c], name) == 0)
			return c;
	return -1;
}

/* " WHERE k1 = ? AND k2 = ?" for a row's key, the parameters from `first` on; a key column that
 * is `swap` takes swap_value instead of the saved one (the row was moved there). */
static void key_where(struct strbuf *sql, const struct rows *r)
{
	sb_add(sql, " WHERE ");
	for (int i = 0; i < r->nkey; i++)
		sb_addf(sql, "%s%s = ?", i ? " AND " : "", r->key[i]);
}

static void key_bind(crm_stmt *st, int first, const struct rows *r, const struct cell *row, const char *swap,
		     long long swap_value)
{
	for (int i = 0; i < r->nkey; i++) {
		int c = col_index(r, r->key[i]);
		if (swap && strcmp(r->key[i], swap) == 0)
			crm_bind_int64(st, first + i, swap_value);
		else
			cell_bind(st, first + i, &row[c]);
	}
}

/* ---------------------------------------------------------------- what points at a record */

struct ref {
	char *table, *column;
	const char *extra, *extra_value; /* documents: noun = kind; attributes: kind = kind */
};

static void refs_add(struct ref **refs, int *n, int *cap, const char *table, const char *column, const char *extra,
		     const char *extra_value)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*refs)[i].table, table) == 0 && strcmp((*refs)[i].column, column) == 0)
			return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		*refs = xrealloc(*refs, (size_t)*cap * sizeof **refs);
	}
	(*refs)[(*n)++] = (struct ref){ xstrdup(table), xstrdup(column), extra, extra_value };
}

static void refs_free(struct ref *refs, int n)
{
	for (int i = 0; i < n; i++) {
		free(refs[i].table);
		free(refs[i].column);
	}
	free(refs);
}

static int refs_find(struct crm *crm, const struct crm_kind *k, struct ref **out, int *nout, struct crm_err *err)
{
	struct ref *refs = NULL;
	int n = 0, cap = 0;
	crm_stmt *st;
	int rc = crm_prepare(crm, crm_store_references(crm), &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->table);
	int src;
	while ((src = crm_step(st)) == CRM_SQL_ROW)
		refs_add(&refs, &n, &cap, (const char *)crm_col_text(st, 0), (const char *)crm_col_text(st, 1), NULL, NULL);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		refs_free(refs, n);
		return crm_db_error(crm, src, "finding what refers to the records", err);
	}
	/* references the schema does not declare (a number kept without a foreign key) */
	for (int i = 0; crm_kinds[i]; i++)
		for (int j = 0; j < crm_kinds[i]->nfields; j++) {
			const struct crm_field *f = &crm_kinds[i]->fields[j];
			if (f->type == CRM_F_REF && f->ref && strcmp(f->ref, k->name) == 0 && f->column[0] != '(')
				refs_add(&refs, &n, &cap, crm_kinds[i]->table, f->column, NULL, NULL);
			else if (f->type == CRM_F_LINKS && f->ref && strcmp(f->ref, k->name) == 0)
				refs_add(&refs, &n, &cap, f->column, "target_id", NULL, NULL);
		}
	refs_add(&refs, &n, &cap, "documents", "record_id", "noun", k->name);
	refs_add(&refs, &n, &cap, "attributes", "record_id", "kind", k->name);
	*out = refs;
	*nout = n;
	return CRM_OK;
}

/* ---------------------------------------------------------------- merge */

static int history_note(struct crm *crm, const struct crm_kind *k, long long id, const char *action,
			const char *changes, struct crm_err *err)
{
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT INTO history (at, user, kind, record_id, action, changes, real_user) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_text(st, 3, k->name);
	crm_bind_int64(st, 4, id);
	crm_bind_text(st, 5, action);
	crm_bind_text(st, 6, changes);
	if (crm_real_user_differs(crm))
		crm_bind_text(st, 7, crm->real_user);
	else
		crm_bind_null(st, 7);
	int src = crm_step(st);
	crm_stmt_done(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "recording the merge in history", err);
}


static int exists(struct crm *crm, const struct crm_kind *k, long long id)
{
	char *label = crm_record_label(crm, k, id);
	free(label);
	return label != NULL;
}

/* Save a record's whole row as role (other or keep), row number row. */
static int save_record(struct crm *crm, const struct crm_kind *k, long long id, long long merge, int row,
		       const char *role, struct crm_err *err)
{
	struct rows r;
	int rc = rows_load(crm, k->table, "id", id, NULL, NULL, &r, err);
	if (!rc && r.nrows != 1)
		rc = crm_error(err, CRM_ENOTFOUND, "%s %lld not found", k->name, id);
	if (!rc)
		rc = cells_save(crm, merge, row, k->table, role, NULL, r.cols, r.row[0], r.ncols, err);
	rows_free(&r);
	return rc;
}

/* Fields of k a merge fills in keep from other: stored (custom ones too), set by users, not the
 * status, not the parent (which could put keep under itself). */
static int fillable(const struct crm_kind *k, const struct crm_field *f)
{
	if (f->flags & (CRM_FF_READONLY | CRM_FF_FIXED | CRM_FF_WORKFLOW) || f->type == CRM_F_LINKS)
		return 0;
	if (f == crm_kind_parent_field(k))
		return 0;
	return f->column[0] != '(' || (f->flags & CRM_FF_CUSTOM);
}

/* A custom field that applies to some records only fills keep only where it applies to keep
 * (other's value is then kept in the merge's saved rows, for an undo). */
static int in_scope(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, long long keep)
{
	int in = 1;
	if ((f->flags & CRM_FF_CUSTOM) && crm_custom_scope(f) && crm_custom_in_scope(crm, k, f, keep, &in, NULL))
		in = 0;
	return in;
}

/* The kind whose records a table holds, or NULL (a link table, attributes). */
static const struct crm_kind *kind_of_table(const char *table)
{
	for (int i = 0; crm_kinds[i]; i++)
		if (strcmp(crm_kinds[i]->table, table) == 0)
			return crm_kinds[i];
	return NULL;
}

static const struct crm_field *field_of_column(const struct crm_kind *k, const char *column)
{
	for (int i = 0; k && i < k->nfields; i++)
		if (strcmp(k->fields[i].column, column) == 0)
			return &k->fields[i];
	return NULL;
}

/* Is record a under record b (b an ancestor, at any depth) through k's field up? */
static int is_under(struct crm *crm, const struct crm_kind *k, const struct crm_field *up, long long a, long long b)
{
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT %s FROM %s WHERE id = ?", up->column, k->table);
	crm_stmt *st;
	int found = 0;
	if (crm_prepare(crm, sql.s, &st, NULL) == CRM_OK) {
		for (int steps = 0; a && steps < 100000 && !found; steps++) {
			crm_bind_int64(st, 1, a);
			a = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
			crm_reset(st);
			found = a == b;
		}
		crm_finalize(st);
	}
	sb_free(&sql);
	return found;
}

/* {"field": [old, new]} for history, the values JSON strings. */
static char *change_json(const char *field, const char *old, const char *new)
{
	char *m = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&m, &len);
	if (!f)
		abort();
	fputc('{', f);
	crm_pr_json_string(f, field);
	fputs(": [", f);
	if (old)
		crm_pr_json_string(f, old);
	else
		fputs("null", f);
	fputs(", ", f);
	if (new)
		crm_pr_json_string(f, new);
	else
		fputs("null", f);
	fputs("]}", f);
	fclose(f);
	return m;
}

static int merge_body(struct crm *crm, const struct crm_kind *k, long long keep, long long other,
		      struct crm_merge_result *res, struct crm_err *err)
{
	char perm[96];
	int rc;
	snprintf(perm, sizeof perm, "%s.edit", k->name);
	if ((rc = crm_auth_check(crm, perm, err)))
		return rc;
	snprintf(perm, sizeof perm, "%s.rm", k->name);
	if ((rc = crm_auth_check(crm, perm, err)))
		return rc;
	char **kv = NULL, **ov = NULL;
	if ((rc = crm_record_values(crm, k, keep, &kv, err)) || (rc = crm_record_values(crm, k, other, &ov, err)))
		goto out;
	/* keep under other (an account and the group above it): other's subsidiaries would move
	 * under their own descendant */
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type != CRM_F_REF || !f->ref || strcmp(f->ref, k->name) != 0 || !is_under(crm, k, f, keep, other))
			continue;
		char *a = crm_record_label(crm, k, keep), *b = crm_record_label(crm, k, other);
		rc = crm_error(err, CRM_ECONFLICT, "%s '%s' is under '%s' (its %s, at some depth): merge the one "
			       "under into the one above, or change the %s first", k->name, a ? a : "?", b ? b : "?",
			       f->name, f->name);
		free(a);
		free(b);
		goto out;
	}
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_stmt *st;
	if ((rc = crm_prepare(crm, "INSERT INTO record_merges (kind, keep_id, other_id, at, user, real_user) "
			      "VALUES (?, ?, ?, ?, ?, ?)", &st, err)))
		goto out;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, keep);
	crm_bind_int64(st, 3, other);
	crm_bind_text_copy(st, 4, stamp);
	crm_bind_text(st, 5, crm->user);
	if (crm_real_user_differs(crm))
		crm_bind_text(st, 6, crm->real_user);
	else
		crm_bind_null(st, 6);
	int src = crm_step(st);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "recording the merge", err);
		goto out;
	}
	long long merge = res->merge = crm_store_last_id(crm);
	int row = 0;
	if ((rc = save_record(crm, k, other, merge, ++row, "other", err)) ||
	    (rc = save_record(crm, k, keep, merge, ++row, "keep", err)))
		goto out;
	/* every row that points at other: saved, then pointed at keep, or dropped where keep has
	 * the same already (a unique key says so) */
	struct ref *refs = NULL;
	int nrefs = 0;
	if ((rc = refs_find(crm, k, &refs, &nrefs, err)))
		goto out;
	for (int i = 0; !rc && i < nrefs; i++) {
		struct rows r;
		if ((rc = rows_load(crm, refs[i].table, refs[i].column, other, refs[i].extra, refs[i].extra_value, &r,
				    err))) {
			rows_free(&r);
			break;
		}
		struct strbuf up = { 0 }, del = { 0 };
		sb_addf(&up, "UPDATE %s SET %s = ?", refs[i].table, refs[i].column);
		key_where(&up, &r);
		sb_addf(&del, "DELETE FROM %s", refs[i].table);
		key_where(&del, &r);
		const struct crm_kind *rk = kind_of_table(refs[i].table);
		const struct crm_field *rf = field_of_column(rk, refs[i].column);
		for (int j = 0; !rc && j < r.nrows; j++) {
			int idc = col_index(&r, "id");
			long long rid = idc >= 0 && r.row[j][idc].value ? atoll(r.row[j][idc].value) : 0;
			if (rk == k && rid == other)
				continue; /* other itself (a parent of its own) goes with it */
			if ((rc = crm_prepare(crm, up.s, &st, err)))
				break;
			crm_bind_int64(st, 1, keep);
			key_bind(st, 2, &r, r.row[j], NULL, 0);
			src = crm_step(st);
			crm_finalize(st);
			const char *role = "moved";
			if (src == CRM_SQL_CONSTRAINT_UNIQUE || src == CRM_SQL_CONSTRAINT_PRIMARYKEY) {
				if (rk) { /* a record of its own (a location, a year's figures): not ours to drop */
					char *label = crm_record_label(crm, rk, rid);
					rc = crm_error(err, CRM_ECONFLICT, "cannot merge: both have %s '%s' (%s %lld is the "
						       "other's); rename, move or merge one of them first", rk->name,
						       label ? label : "?", rk->name, rid);
					free(label);
					break;
				}
				role = "dropped"; /* the same link, membership or attribute key: keep has it */
				if ((rc = crm_prepare(crm, del.s, &st, err)))
					break;
				key_bind(st, 1, &r, r.row[j], NULL, 0);
				src = crm_step(st);
				crm_finalize(st);
			}
			if (src != CRM_SQL_DONE) {
				rc = crm_db_error(crm, src, "moving a row to the record kept", err);
				break;
			}
			if (*role == 'm')
				res->moved++;
			else
				res->dropped++;
			/* a record moved: its number and the column suffice, and its history says so */
			if (rk && idc >= 0) {
				int mc = col_index(&r, refs[i].column);
				char *cols2[2] = { r.cols[idc], r.cols[mc] };
				struct cell cells2[2] = { r.row[j][idc], r.row[j][mc] };
				rc = cells_save(crm, merge, ++row, refs[i].table, role, refs[i].column, cols2, cells2, 2, err);
				if (!rc && rf && !(rf->flags & CRM_FF_HIDDEN)) {
					char o[24], kk[24];
					snprintf(o, sizeof o, "%lld", other);
					snprintf(kk, sizeof kk, "%lld", keep);
					char *note = change_json(rf->name, o, kk);
					rc = history_note(crm, rk, rid, "edit", note, err);
					free(note);
				}
			} else {
				rc = cells_save(crm, merge, ++row, refs[i].table, role, refs[i].column, r.cols, r.row[j],
						r.ncols, err);
			}
		}
		sb_free(&up);
		sb_free(&del);
		rows_free(&r);
	}
	refs_free(refs, nrefs);
	char note[96];
	snprintf(note, sizeof note, "{\"merged_into\": [null, \"%lld (merge %lld)\"]}", keep, merge);
	if (rc || (rc = history_note(crm, k, other, "edit", note, err)) || (rc = crm_record_rm(crm, k, other, err)))
		goto out;
	/* keep's empty fields take other's values (other is gone: its unique keys are free); its
	 * references only when it has none (a location of another account would move it there) */
	int refs_set = 0;
	for (int i = 0; i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_REF && fillable(k, &k->fields[i]) && kv[i])
			refs_set = 1;
	struct crm_assign set[256];
	int nset = 0;
	for (int i = 0; i < k->nfields && nset < 256; i++)
		if (fillable(k, &k->fields[i]) && !kv[i] && ov[i] && !(refs_set && k->fields[i].type == CRM_F_REF) &&
		    in_scope(crm, k, &k->fields[i], keep))
			set[nset++] = (struct crm_assign){ k->fields[i].name, ov[i] };
	res->filled = nset;
	if (nset && (rc = crm_record_edit(crm, k, keep, set, nset, NULL, err)))
		goto out;
	snprintf(note, sizeof note, "{\"merged\": [null, \"%lld (merge %lld)\"]}", other, merge);
	if ((rc = history_note(crm, k, keep, "edit", note, err)))
		goto out;
	if (!rc && !(rc = crm_search_index(crm, k, keep, 0, err)))
		rc = save_record(crm, k, keep, merge, ++row, "after", err);
out:
	crm_record_values_free(k, kv);
	crm_record_values_free(k, ov);
	return rc;
}

struct merge_args {
	const struct crm_kind *k;
	long long keep, other;
	struct crm_merge_result *res;
};

static int merge_atomic(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct merge_args *a = ctx;
	memset(a->res, 0, sizeof *a->res);
	return merge_body(crm, a->k, a->keep, a->other, a->res, err);
}

int crm_record_merge(struct crm *crm, const struct crm_kind *k, long long keep, long long other,
		     struct crm_merge_result *res, struct crm_err *err)
{
	if (keep == other)
		return crm_error(err, CRM_EINVALID, "cannot merge %s %lld into itself", k->name, keep);
	struct merge_args a = { k, keep, other, res };
	crm_resolve_cache_forget(k);
	return crm_atomic(crm, merge_atomic, &a, err);
}

/* ---------------------------------------------------------------- undo */

struct saved {
	int row;
	char *table, *role, *moved;
	char **cols;
	struct cell *cells;
	int n, cap;
};

static void saved_free(struct saved *s, int n)
{
	for (int i = 0; i < n; i++) {
		free(s[i].table);
		free(s[i].role);
		free(s[i].moved);
		for (int c = 0; c < s[i].n; c++) {
			free(s[i].cols[c]);
			free(s[i].cells[c].value);
		}
		free(s[i].cols);
		free(s[i].cells);
	}
	free(s);
}

static int saved_load(struct crm *crm, long long merge, struct saved **out, int *nout, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT row_no, tbl, role, moved, col, type, value FROM record_merge_cells "
			     "WHERE merge_id = ? ORDER BY row_no, col", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, merge);
	struct saved *s = NULL;
	int n = 0, cap = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		int row = crm_col_int(st, 0);
		if (!n || s[n - 1].row != row) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				s = xrealloc(s, (size_t)cap * sizeof *s);
			}
			const char *moved = (const char *)crm_col_text(st, 3);
			s[n++] = (struct saved){ row, xstrdup((const char *)crm_col_text(st, 1)),
						 xstrdup((const char *)crm_col_text(st, 2)), moved ? xstrdup(moved) : NULL,
						 NULL, NULL, 0, 0 };
		}
		struct saved *r = &s[n - 1];
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 16;
			r->cols = xrealloc(r->cols, (size_t)r->cap * sizeof *r->cols);
			r->cells = xrealloc(r->cells, (size_t)r->cap * sizeof *r->cells);
		}
		const char *type = (const char *)crm_col_text(st, 5), *value = (const char *)crm_col_text(st, 6);
		r->cols[r->n] = xstrdup((const char *)crm_col_text(st, 4));
		r->cells[r->n].type = type ? type[0] : 'n';
		r->cells[r->n].value = value ? xstrdup(value) : NULL;
		r->n++;
	}
	crm_finalize(st);
	*out = s;
	*nout = n;
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "reading the merge", err);
}

static const struct cell *saved_cell(const struct saved *s, const char *col)
{
	for (int c = 0; c < s->n; c++)
		if (strcmp(s->cols[c], col) == 0)
			return &s->cells[c];
	return NULL;
}

/* INSERT the saved row as it was. */
static int saved_insert(struct crm *crm, const struct saved *s, struct crm_err *err)
{
	struct strbuf sql = { 0 };
	sb_addf(&sql, "INSERT INTO %s (", s->table);
	for (int c = 0; c < s->n; c++)
		sb_addf(&sql, "%s%s", c ? ", " : "", s->cols[c]);
	sb_add(&sql, ") VALUES (");
	for (int c = 0; c < s->n; c++)
		sb_add(&sql, c ? ", ?" : "?");
	sb_add(&sql, ")");
	crm_stmt *st;
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	for (int c = 0; c < s->n; c++)
		cell_bind(st, c + 1, &s->cells[c]);
	int src = crm_step(st);
	crm_finalize(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "putting a merged row back", err);
}

/* UPDATE the row with the saved key to the saved values: every column but the id, or with
 * only_moved the column swap alone, and then only where it still holds `now` (a record moved back
 * while it points at keep). In the key, the column swap is read as `now` (the row was moved). */
static int saved_update(struct crm *crm, const struct saved *s, int only_moved, const char *swap, long long now,
			struct crm_err *err)
{
	const char *cols, *keys;
	if (!crm_schema_table(s->table, &cols, &keys))
		return crm_error(err, CRM_EFAIL, "cannot undo: table '%s' is not known", s->table);
	struct rows r = { 0 };
	r.cols = table_columns(s->table, &r.key, &r.ncols, &r.nkey);
	struct strbuf sql = { 0 };
	sb_addf(&sql, "UPDATE %s SET ", s->table);
	int nset = 0;
	for (int c = 0; c < s->n; c++) {
		if ((only_moved && strcmp(s->cols[c], swap) != 0) || strcmp(s->cols[c], "id") == 0)
			continue;
		sb_addf(&sql, "%s%s = ?", nset++ ? ", " : "", s->cols[c]);
	}
	key_where(&sql, &r);
	int still = only_moved && swap && !strstr(keys, swap);
	if (still)
		sb_addf(&sql, " AND %s = ?", swap);
	crm_stmt *st;
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (!rc) {
		int p = 1;
		for (int c = 0; c < s->n; c++) {
			if ((only_moved && strcmp(s->cols[c], swap) != 0) || strcmp(s->cols[c], "id") == 0)
				continue;
			cell_bind(st, p++, &s->cells[c]);
		}
		for (int i = 0; i < r.nkey; i++, p++) {
			const struct cell *c = saved_cell(s, r.key[i]);
			if (swap && strcmp(r.key[i], swap) == 0)
				crm_bind_int64(st, p, now);
			else if (c)
				cell_bind(st, p, c);
			else
				crm_bind_null(st, p);
		}
		if (still)
			crm_bind_int64(st, p, now);
		int src = crm_step(st);
		crm_finalize(st);
		if (src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "putting a merged row back", err);
	}
	strv_free(r.cols, r.ncols);
	strv_free(r.key, r.nkey);
	return rc;
}

struct undo_args {
	long long merge;
	int force;
	const struct crm_kind **k;
	long long *keep, *other;
};


/* Does record id's row differ from the saved one? */
static int changed_since(struct crm *crm, const struct saved *saved, long long id)
{
	struct rows r;
	int changed = 1;
	if (rows_load(crm, saved->table, "id", id, NULL, NULL, &r, NULL) == CRM_OK && r.nrows == 1) {
		changed = 0;
		for (int c = 0; c < r.ncols && !changed; c++) {
			const struct cell *was = saved_cell(saved, r.cols[c]), *now = &r.row[0][c];
			changed = !was || (was->value == NULL) != (now->value == NULL) ||
				  (was->value && strcmp(was->value, now->value) != 0);
		}
	}
	rows_free(&r);
	return changed;
}

/* History rows for what an undo put back on keep: a row per field that changed. */
static int keep_history_rows(struct crm *crm, const struct crm_kind *k, long long keep, char **before,
			     struct crm_err *err)
{
	char **after = NULL;
	int rc = crm_record_values(crm, k, keep, &after, err);
	for (int i = 0; !rc && i < k->nfields; i++) {
		const char *b = before[i], *a = after[i];
		if ((!b && !a) || (b && a && strcmp(b, a) == 0) || (k->fields[i].flags & CRM_FF_READONLY))
			continue;
		char *note = change_json(k->fields[i].name, b, a);
		rc = history_note(crm, k, keep, "edit", note, err);
		free(note);
	}
	crm_record_values_free(k, after);
	return rc;
}

static int undo_body(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct undo_args *a = ctx;
	long long later = 0;
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT kind, keep_id, other_id, undone_at, undone_by FROM record_merges "
			     "WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, a->merge);
	int src = crm_step(st);
	if (src != CRM_SQL_ROW) {
		crm_finalize(st);
		return src == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "merge %lld not found", a->merge)
					   : crm_db_error(crm, src, "reading the merge", err);
	}
	const struct crm_kind *k = crm_kind_find((const char *)crm_col_text(st, 0));
	long long keep = crm_col_int64(st, 1), other = crm_col_int64(st, 2);
	if (crm_col_type(st, 3) != CRM_COL_NULL)
		rc = crm_error(err, CRM_ECONFLICT, "merge %lld was undone already (%s by %s)", a->merge,
			       (const char *)crm_col_text(st, 3), (const char *)crm_col_text(st, 4));
	crm_finalize(st);
	if (!rc && !k)
		rc = crm_error(err, CRM_EFAIL, "merge %lld is of a kind crm no longer has", a->merge);
	*a->k = k;
	*a->keep = keep;
	*a->other = other;
	char perm[96];
	if (!rc) {
		snprintf(perm, sizeof perm, "%s.edit", k->name);
		rc = crm_auth_check(crm, perm, err);
	}
	if (!rc) {
		snprintf(perm, sizeof perm, "%s.add", k->name);
		rc = crm_auth_check(crm, perm, err);
	}
	if (!rc && !exists(crm, k, keep))
		rc = crm_error(err, CRM_ECONFLICT, "%s %lld, which merge %lld kept, was removed since", k->name, keep,
			       a->merge);
	else if (!rc && exists(crm, k, other))
		rc = crm_error(err, CRM_ECONFLICT, "%s %lld, which merge %lld removed, exists again", k->name, other,
			       a->merge);
	else if (!rc && !(rc = crm_query_int64(crm, &later, err, "SELECT max(id) FROM record_merges WHERE kind = ? AND "
					      "keep_id = ? AND id > ? AND undone_at IS NULL", "tii", k->name, keep,
					      a->merge)) && later > 0)
		rc = crm_error(err, CRM_ECONFLICT, "merge %lld merged another %s into %s %lld since: undo merge %lld first",
			       later, k->name, k->name, keep, later);
	if (rc)
		return rc;
	struct saved *s = NULL;
	int n = 0;
	if ((rc = saved_load(crm, a->merge, &s, &n, err)))
		goto out;
	/* keep as the merge left it, or changed since (then only with --force) */
	for (int i = 0; !rc && !a->force && i < n; i++)
		if (strcmp(s[i].role, "after") == 0 && changed_since(crm, &s[i], keep))
			rc = crm_error(err, CRM_ECONFLICT, "%s %lld was changed after merge %lld (crm %s history %lld); "
				       "--force undoes the merge anyway and gives it back its values from before the merge",
				       k->name, keep, a->merge, k->name, keep);
	if (rc)
		goto out;
	crm_resolve_cache_forget(k);
	/* keep as it was first (it may hold what was other's unique key), then other, then the rows */
	char **before = NULL;
	rc = crm_record_values(crm, k, keep, &before, err);
	for (int i = 0; !rc && i < n; i++)
		if (strcmp(s[i].role, "keep") == 0)
			rc = saved_update(crm, &s[i], 0, NULL, 0, err);
	if (!rc)
		rc = keep_history_rows(crm, k, keep, before, err);
	crm_record_values_free(k, before);
	for (int i = 0; !rc && i < n; i++)
		if (strcmp(s[i].role, "other") == 0 && (rc = saved_insert(crm, &s[i], err)) == CRM_ECONFLICT) {
			char *msg = xstrdup(err->msg);
			rc = crm_error(err, CRM_ECONFLICT, "cannot undo merge %lld: another %s now holds what %s %lld held "
				       "(%s); change that one first", a->merge, k->name, k->name, other, msg);
			free(msg);
		}
	for (int i = 0; !rc && i < n; i++) {
		const struct crm_kind *rk = kind_of_table(s[i].table);
		if (strcmp(s[i].role, "moved") == 0 && rk) {
			/* a record moved back only while it still points at keep: one given to another
			 * since stays where it was put */
			long long changed = 0;
			rc = saved_update(crm, &s[i], 1, s[i].moved, keep, err);
			changed = crm_store_changes(crm);
			const struct crm_field *rf = field_of_column(rk, s[i].moved);
			const struct cell *idc = saved_cell(&s[i], "id");
			if (!rc && changed && rf && idc && idc->value && !(rf->flags & CRM_FF_HIDDEN)) {
				char o[24], kk[24];
				snprintf(o, sizeof o, "%lld", other);
				snprintf(kk, sizeof kk, "%lld", keep);
				char *note = change_json(rf->name, kk, o);
				rc = history_note(crm, rk, atoll(idc->value), "edit", note, err);
				free(note);
			}
		} else if (strcmp(s[i].role, "moved") == 0) {
			rc = saved_update(crm, &s[i], 0, s[i].moved, keep, err); /* a link, an attribute: whole */
		} else if (strcmp(s[i].role, "dropped") == 0) {
			rc = saved_insert(crm, &s[i], err);
		}
	}
	char note[96];
	if (!rc) {
		snprintf(note, sizeof note, "{\"merged\": [\"%lld (merge %lld)\", null]}", other, a->merge);
		rc = history_note(crm, k, keep, "edit", note, err);
	}
	if (!rc) {
		snprintf(note, sizeof note, "{\"merged_into\": [\"%lld (merge %lld)\", null]}", keep, a->merge);
		rc = history_note(crm, k, other, "add", note, err);
	}
	if (!rc && !(rc = crm_search_index(crm, k, keep, 0, err)))
		rc = crm_search_index(crm, k, other, 1, err);
	if (!rc) {
		char stamp[32];
		crm_time_format_utc(crm->now, stamp, sizeof stamp);
		if (!(rc = crm_prepare(crm, "UPDATE record_merges SET undone_at = ?, undone_by = ? WHERE id = ?", &st, err))) {
			crm_bind_text_copy(st, 1, stamp);
			crm_bind_text(st, 2, crm->user);
			crm_bind_int64(st, 3, a->merge);
			src = crm_step(st);
			crm_finalize(st);
			if (src != CRM_SQL_DONE)
				rc = crm_db_error(crm, src, "recording the undo", err);
		}
	}
out:
	saved_free(s, n);
	return rc;
}

int crm_merge_undo(struct crm *crm, long long merge, int force, const struct crm_kind **k, long long *keep,
		   long long *other, struct crm_err *err)
{
	struct undo_args a = { merge, force, k, keep, other };
	*k = NULL;
	*keep = *other = 0;
	return crm_atomic(crm, undo_body, &a, err);
}

int crm_merges_print(struct crm *crm, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT id, kind, keep_id, other_id, at, user, undone_at FROM record_merges "
			     "ORDER BY id DESC LIMIT 100", &st, err);
	if (rc)
		return rc;
	static const char *const cols[] = { "merge", "kind", "keep", "other", "at", "user", "undone" };
	crm_printer_columns(p, cols, 7);
	int src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		const char *undone = (const char *)crm_col_text(st, 6);
		struct crm_value row[7] = {
			{ CRM_V_INT, (const char *)crm_col_text(st, 0) }, { CRM_V_TEXT, (const char *)crm_col_text(st, 1) },
			{ CRM_V_INT, (const char *)crm_col_text(st, 2) }, { CRM_V_INT, (const char *)crm_col_text(st, 3) },
			{ CRM_V_TIME, (const char *)crm_col_text(st, 4) }, { CRM_V_TEXT, (const char *)crm_col_text(st, 5) },
			{ undone ? CRM_V_TIME : CRM_V_NULL, undone },
		};
		crm_printer_row(p, row);
	}
	crm_finalize(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "reading the merges", err);
}
