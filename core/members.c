/* The static members of a list or a campaign (core/members.h): link tables written in one
 * transaction, with one history row on the holding record. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"
#include "members.h"
#include "db.h"
#include "util.h"

static long long count_in(struct crm *crm, const char *table, long long id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE target_id = ?", table);
	long long n;
	return crm_query_int64(crm, &n, NULL, sql, "i", id) ? 0 : n;
}

long long crm_members_count(struct crm *crm, const struct crm_members *m, long long id)
{
	return count_in(crm, m->contacts, id) + count_in(crm, m->accounts, id);
}

/* The record's history says how many members it had and has, and its updated stamp moves. */
static int touch(struct crm *crm, const struct crm_members *m, long long id, long long before, struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find(m->kind);
	char was[32], now[32];
	snprintf(was, sizeof was, "%lld", before);
	snprintf(now, sizeof now, "%lld", crm_members_count(crm, m, id));
	const char *fields[] = { "members" }, *olds[] = { was }, *news[] = { now };
	int rc = crm_history_changes(crm, k, id, fields, olds, news, 1, err);
	if (rc)
		return rc;
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE %s SET updated = ? WHERE id = ?", k->table);
	crm_stmt *st;
	if ((rc = crm_stmt_get(crm, sql, &st, err)))
		return rc;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_int64(st, 2, id);
	int src = crm_step(st);
	crm_stmt_done(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "changing members", err);
}

/* Run the statements (each bound with the member's id, if any, then the record's; or with the
 * filter's values, the record's number being in the text) in one transaction, then touch the record when something changed. */
static int apply(struct crm *crm, const struct crm_members *m, long long id, const char *const *sqls, int nsqls,
		 const long long *ids, int nids, const struct crm_filter *f, const char *what, long long *changed,
		 struct crm_err *err)
{
	long long n = 0, before;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		goto out;
	before = crm_members_count(crm, m, id);
	for (int s = 0; s < nsqls && !rc; s++) {
		for (int i = 0; i < (ids ? nids : 1) && !rc; i++) {
			crm_stmt *st;
			int b = 1;
			if ((rc = f ? crm_prepare(crm, sqls[s], &st, err) : crm_stmt_get(crm, sqls[s], &st, err)))
				break;
			if (ids)
				crm_bind_int64(st, b++, ids[i]);
			if (f)
				for (int j = 0; j < f->nbinds; j++)
					crm_bind_text_copy(st, b++, f->binds[j]);
			if (!f)
				crm_bind_int64(st, b, id);
			int src = crm_step(st);
			if (f)
				crm_finalize(st);
			else
				crm_stmt_done(st);
			if (src != CRM_SQL_DONE)
				rc = crm_db_error(crm, src, what, err);
			else
				n += crm_store_changes(crm);
		}
	}
	if (!rc && n)
		rc = touch(crm, m, id, before, err);
	if (rc)
		crm_tx_rollback(crm);
	else
		rc = crm_tx_commit(crm, err);
out:
	if (changed)
		*changed = rc ? 0 : n;
	return rc;
}

int crm_members_change(struct crm *crm, const struct crm_members *m, long long id, int accounts, int add,
		       const long long *ids, int nids, long long *changed, struct crm_err *err)
{
	const char *table = accounts ? m->accounts : m->contacts;
	char sql[160];
	if (add)
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO %s (record_id, target_id) VALUES (?, ?)", table);
	else
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE record_id = ? AND target_id = ?", table);
	const char *sqls[] = { sql };
	return apply(crm, m, id, sqls, 1, ids, nids, NULL, add ? "adding members" : "removing members", changed, err);
}

int crm_members_add_where(struct crm *crm, const struct crm_members *m, long long id, int accounts,
			  const char *const *terms, int nterms, long long *changed, struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find(accounts ? "account" : "contact");
	struct crm_filter f;
	int rc = crm_query_filter(crm, k, terms, nterms, &f, err);
	if (rc) {
		if (changed)
			*changed = 0;
		return rc;
	}
	/* The record's number is a constant of ours; every user value is one of the filter's binds. */
	struct strbuf sql = { 0 };
	sb_addf(&sql, "INSERT OR IGNORE INTO %s (record_id, target_id) SELECT t.id, %lld FROM %s t WHERE %s",
		accounts ? m->accounts : m->contacts, id, k->table, f.sql);
	const char *sqls[] = { sql.s };
	rc = apply(crm, m, id, sqls, 1, NULL, 0, &f, "adding members", changed, err);
	sb_free(&sql);
	crm_filter_free(&f);
	return rc;
}

int crm_members_clear(struct crm *crm, const struct crm_members *m, long long id, long long *changed,
		      struct crm_err *err)
{
	char a[128], b[128];
	snprintf(a, sizeof a, "DELETE FROM %s WHERE target_id = ?", m->contacts);
	snprintf(b, sizeof b, "DELETE FROM %s WHERE target_id = ?", m->accounts);
	const char *sqls[] = { a, b };
	return apply(crm, m, id, sqls, 2, NULL, 0, NULL, "removing members", changed, err);
}

int crm_members_of_record_print(struct crm *crm, const struct crm_members *m, const char *status,
				const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err)
{
	const struct crm_kind *hk = crm_kind_find(m->kind);
	int contact = strcmp(k->name, "contact") == 0;
	char st_col[64]; /* a column of ours, or no status */
	snprintf(st_col, sizeof st_col, status ? "h.%s" : "NULL", status ? status : "");
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT h.id, h.name, h.type, %s, 'member' FROM %s m JOIN %s h ON h.id = m.target_id "
		"WHERE m.record_id = ?", st_col, contact ? m->contacts : m->accounts, hk->table);
	if (contact)
		sb_addf(&sql, " UNION ALL SELECT h.id, h.name, h.type, %s, 'through its account' FROM contacts c "
			"JOIN %s m ON m.record_id = c.account_id JOIN %s h ON h.id = m.target_id WHERE c.id = ?",
			st_col, m->accounts, hk->table);
	sb_add(&sql, " ORDER BY 5, 2, 1");
	crm_stmt *st;
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	if (contact)
		crm_bind_int64(st, 2, id);
	int src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		static const char *const keys[] = { "id", "name", "type", "status", "how" };
		crm_printer_begin_map(p);
		for (int i = 0; i < 5; i++) {
			if (i == 3 && !status)
				continue;
			const char *v = (const char *)crm_col_text(st, i);
			struct crm_value cv = { !v ? CRM_V_NULL : i == 0 ? CRM_V_INT : CRM_V_TEXT, v };
			crm_printer_key(p, keys[i]);
			crm_printer_value(p, &cv);
		}
		crm_printer_end(p);
	}
	crm_finalize(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "reading memberships", err);
}
