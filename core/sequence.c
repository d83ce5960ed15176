/* Numbers from a sequence, given in the transaction that writes the record (crm/sequence.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crm/sequence.h"
#include "util.h"
#include "db.h"

/* The format expanded with the counter n (n < 0: the counter left out, for the sequence's name). */
static int expand(const char *fmt, const struct tm *tm, long long n, struct strbuf *out)
{
	int counters = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			size_t len = e ? (size_t)(e - p - 1) : 0;
			if (e && len == 4 && strncmp(p + 1, "YYYY", 4) == 0) {
				sb_addf(out, "%04d", tm->tm_year + 1900);
				p = e;
				continue;
			}
			if (e && len == 2 && strncmp(p + 1, "YY", 2) == 0) {
				sb_addf(out, "%02d", (tm->tm_year + 1900) % 100);
				p = e;
				continue;
			}
			if (e && len == 2 && strncmp(p + 1, "MM", 2) == 0) {
				sb_addf(out, "%02d", tm->tm_mon + 1);
				p = e;
				continue;
			}
			if (e && len > 0 && len < 20 && strspn(p + 1, "N") == len) {
				if (n >= 0)
					sb_addf(out, "%0*lld", (int)len, n);
				counters++;
				p = e;
				continue;
			}
		}
		sb_addf(out, "%c", *p);
	}
	return counters;
}

int crm_sequence_next(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, const char *format,
		      char **out, struct crm_err *err)
{
	const char *fmt = format && *format ? format : "{NNNN}";
	struct tm tm;
	time_t now = crm->now;
	localtime_r(&now, &tm);
	struct strbuf name = { 0 };
	sb_addf(&name, "%s:", k->name);
	if (expand(fmt, &tm, -1, &name) != 1) {
		sb_free(&name);
		return crm_error(err, CRM_ECONFIG, "the number format of %s '%s' needs one counter, such as {NNNN}",
				 k->plural, fmt);
	}
	struct strbuf exists = { 0 };
	sb_addf(&exists, "SELECT 1 FROM %s WHERE %s = ?", k->table, f->column);
	int rc = CRM_OK;
	for (int tries = 0; tries < 10000; tries++) {
		crm_stmt *st;
		if ((rc = crm_stmt_get(crm, "INSERT INTO sequences (name, value) VALUES (?, 1) "
				       "ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1", &st, err)))
			break;
		crm_bind_text(st, 1, name.s);
		int src = crm_step(st);
		crm_stmt_done(st);
		if (src != CRM_SQL_DONE) {
			rc = crm_db_error(crm, src, "numbering a record", err);
			break;
		}
		if ((rc = crm_stmt_get(crm, "SELECT value FROM sequences WHERE name = ?", &st, err)))
			break;
		crm_bind_text(st, 1, name.s);
		src = crm_step(st);
		long long v = src == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
		crm_stmt_done(st);
		if (src != CRM_SQL_ROW) {
			rc = crm_db_error(crm, src, "numbering a record", err);
			break;
		}
		struct strbuf num = { 0 };
		expand(fmt, &tm, v, &num);
		if ((rc = crm_stmt_get(crm, exists.s, &st, err))) {
			sb_free(&num);
			break;
		}
		crm_bind_text(st, 1, num.s);
		src = crm_step(st);
		crm_stmt_done(st);
		if (src == CRM_SQL_DONE) { /* free */
			*out = sb_take(&num);
			break;
		}
		sb_free(&num);
		if (src != CRM_SQL_ROW) {
			rc = crm_db_error(crm, src, "numbering a record", err);
			break;
		}
	}
	sb_free(&name);
	sb_free(&exists);
	return rc;
}
