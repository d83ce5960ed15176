/* Attributes (crm/attr.h): rows of the table `attributes` (migration 019), keyed by kind,
 * record and key. Every change goes through crm_attr_set and crm_attr_rm here, which write the
 * record's history and its search index in the same transaction. */
#define _POSIX_C_SOURCE 200809L
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include "crm/attr.h"
#include "crm/search.h"
#include "db.h"
#include "util.h"

#define KEY_MAX 64

int crm_attr_key_check(const char *key, struct crm_err *err)
{
	size_t n = key ? strlen(key) : 0;
	int ok = n >= 1 && n <= KEY_MAX && key[0] >= 'a' && key[0] <= 'z';
	for (size_t i = 1; ok && i < n; i++)
		ok = (key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9') || key[i] == '_';
	if (ok)
		return CRM_OK;
	return crm_error(err, CRM_EINVALID, "invalid attribute key '%s': a lowercase letter, then lowercase letters, "
			 "digits or _ (at most %d)", key ? key : "", KEY_MAX);
}

/* The field attr.<key> of kind k: a read-only text whose column is a sub-select of the
 * attribute. The key and the kind's name are in the SQL text, as a column's name is: the key
 * passed crm_attr_key_check (letters, digits, _), the kind's name is the descriptor's. Made
 * once per kind and key, kept for the process. */
const struct crm_field *crm_attr_field(const struct crm_kind *k, const char *key)
{
	static GHashTable *made;
	if (crm_attr_key_check(key, NULL) != CRM_OK)
		return NULL;
	if (!made)
		made = g_hash_table_new(g_str_hash, g_str_equal);
	char *name = g_strdup_printf("%s\x1f%s", k->name, key);
	struct crm_field *f = g_hash_table_lookup(made, name);
	if (f) {
		g_free(name);
		return f;
	}
	f = xcalloc(1, sizeof *f);
	f->name = g_strdup_printf("attr.%s", key);
	f->column = g_strdup_printf("(SELECT a.value FROM attributes a WHERE a.kind = '%s' AND a.record_id = t.id "
				    "AND a.key = '%s')", k->name, key);
	f->type = CRM_F_TEXT;
	f->flags = CRM_FF_READONLY;
	f->help = "an attribute (crm attr)";
	g_hash_table_insert(made, name, f);
	return f;
}

/* The record must exist: its label, for messages. */
static int need_record(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	char *label = crm_record_label(crm, k, id);
	if (!label)
		return crm_error(err, CRM_ENOTFOUND, "%s %lld not found", crm_noun(k->name), id);
	free(label);
	return CRM_OK;
}

static int current(struct crm *crm, const struct crm_kind *k, long long id, const char *key, char **value,
		   struct crm_err *err)
{
	crm_stmt *st;
	*value = NULL;
	int rc = crm_stmt_get(crm, "SELECT value FROM attributes WHERE kind = ? AND record_id = ? AND key = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	crm_bind_text(st, 3, key);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW)
		*value = xstrdup(crm_col_text(st, 0));
	crm_stmt_done(st);
	return rc == CRM_SQL_ROW || rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading an attribute", err);
}

static int write_one(struct crm *crm, const struct crm_kind *k, long long id, const char *key, const char *value,
		     struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "DELETE FROM attributes WHERE kind = ? AND record_id = ? AND key = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	crm_bind_text(st, 3, key);
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(crm, rc, "changing an attribute", err);
	if (!value)
		return CRM_OK;
	if ((rc = crm_stmt_get(crm, "INSERT INTO attributes (kind, record_id, key, value) VALUES (?, ?, ?, ?)", &st, err)))
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	crm_bind_text(st, 3, key);
	crm_bind_text(st, 4, value);
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "changing an attribute", err);
}

/* Each key to its value (NULL: removed), the changes in one history row. */
static int change(struct crm *crm, const struct crm_kind *k, long long id, const struct crm_assign *set, int nset,
		  int must_exist, struct crm_err *err)
{
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if ((rc = need_record(crm, k, id, err)))
		goto fail;
	const char **fields = xcalloc((size_t)nset + 1, sizeof *fields);
	char **olds = xcalloc((size_t)nset + 1, sizeof *olds), **names = xcalloc((size_t)nset + 1, sizeof *names);
	const char **news = xcalloc((size_t)nset + 1, sizeof *news);
	int n = 0;
	for (int i = 0; i < nset && !rc; i++) {
		const char *value = set[i].value && *set[i].value ? set[i].value : NULL;
		char *old = NULL;
		int dup = 0;
		for (int j = i + 1; j < nset; j++)
			dup |= strcmp(set[j].field, set[i].field) == 0; /* the last one given wins */
		if (dup || (rc = crm_attr_key_check(set[i].field, err)) || (rc = crm_check_utf8(set[i].field, value, err)) ||
		    (rc = current(crm, k, id, set[i].field, &old, err)))
			continue;
		if (!old && must_exist) {
			char *label = crm_record_label(crm, k, id);
			rc = crm_error(err, CRM_ENOTFOUND, "%s '%s' has no attribute '%s'", crm_noun(k->name), label ? label : "?",
				       set[i].field);
			free(label);
		} else if ((old || value) && !(old && value && strcmp(old, value) == 0)) {
			rc = write_one(crm, k, id, set[i].field, value, err);
			names[n] = g_strdup_printf("attr.%s", set[i].field);
			fields[n] = names[n];
			olds[n] = old;
			news[n++] = value;
			old = NULL;
		}
		free(old);
	}
	if (!rc && n)
		rc = crm_history_changes(crm, k, id, fields, (const char *const *)olds, news, n, err);
	if (!rc && n)
		rc = crm_search_index(crm, k, id, 0, err);
	for (int i = 0; i < n; i++) {
		g_free(names[i]);
		free(olds[i]);
	}
	free(fields);
	free(olds);
	free(names);
	free(news);
	if (rc)
		goto fail;
	return crm_tx_commit(crm, err);
fail:
	crm_tx_rollback(crm);
	return rc;
}

int crm_attr_set(struct crm *crm, const struct crm_kind *k, long long id, const struct crm_assign *set, int nset,
		 struct crm_err *err)
{
	return change(crm, k, id, set, nset, 0, err);
}

int crm_attr_rm(struct crm *crm, const struct crm_kind *k, long long id, const char *const *keys, int nkeys,
		struct crm_err *err)
{
	struct crm_assign *set = xcalloc((size_t)nkeys + 1, sizeof *set);
	for (int i = 0; i < nkeys; i++)
		set[i].field = keys[i];
	int rc = change(crm, k, id, set, nkeys, 1, err);
	free(set);
	return rc;
}

int crm_attr_forget(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "DELETE FROM attributes WHERE kind = ? AND record_id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "removing attributes", err);
}

int crm_attr_rows(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT key, value FROM attributes WHERE kind = ? AND record_id = ? ORDER BY key", &st,
			      err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	static const char *const names[] = { "key", "value" };
	crm_printer_columns(p, names, 2);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const struct crm_value cells[2] = { { CRM_V_TEXT, crm_col_text(st, 0) }, { CRM_V_TEXT, crm_col_text(st, 1) } };
		crm_printer_row(p, cells);
	}
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading attributes", err);
}

int crm_attr_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT kind, record_id, key, value FROM attributes "
			     "WHERE (? IS NULL OR kind = ?) AND (? = 0 OR record_id = ?) ORDER BY kind, record_id, key", &st, err);
	if (rc)
		return rc;
	if (k) {
		crm_bind_text(st, 1, k->name);
		crm_bind_text(st, 2, k->name);
	} else {
		crm_bind_null(st, 1);
		crm_bind_null(st, 2);
	}
	crm_bind_int64(st, 3, id);
	crm_bind_int64(st, 4, id);
	static const char *const names[] = { "kind", "id", "label", "key", "value" };
	crm_printer_columns(p, names, 5);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const struct crm_kind *rk = crm_kind_find(crm_col_text(st, 0));
		long long rid = crm_col_int64(st, 1);
		char *label = rk ? crm_record_label(crm, rk, rid) : NULL;
		const struct crm_value cells[5] = {
			{ CRM_V_TEXT, crm_col_text(st, 0) }, { CRM_V_INT, crm_col_text(st, 1) },
			{ label ? CRM_V_TEXT : CRM_V_NULL, label }, { CRM_V_TEXT, crm_col_text(st, 2) },
			{ CRM_V_TEXT, crm_col_text(st, 3) },
		};
		crm_printer_row(p, cells);
		free(label);
	}
	crm_finalize(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading attributes", err);
}
