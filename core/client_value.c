/* Client value (crm/finance.h): per account, in the configuration's currency, revenue of the
 * last 12 months and lifetime, margin of its projects, open pipeline, receivables and the overdue
 * share, tickets and activities of the last 12 months, a score from the weights of
 * `client_value:` and a segment A, B or C; on any printer and as a workbook with a chart. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <xlsxwriter.h>
#include "lazy_xlsx.h"
#include "report_xlsx.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/finance.h"
#include "crm/money.h"
#include "printer_internal.h"
#include "util.h"
#include "db.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0"
#endif

enum { M_REV12, M_REV, M_MARGIN, M_PIPELINE, M_RECEIVABLE, M_OVERDUE, M_TICKETS, M_ACTIVITIES, M_N };

struct cv_row {
	long long id;
	char *name;
	long long m[M_N];
	long long share_tenths; /* overdue / receivables, in tenths of a percent; -1: none owed */
	long long score;        /* minor units of the currency */
	char segment;
};

struct cv {
	struct cv_row *rows;
	int n;
	char currency[8];
	int digits;
	GHashTable *by_id; /* account id -> index + 1 */
};

static struct cv_row *row_of(struct cv *cv, long long id)
{
	gpointer v = g_hash_table_lookup(cv->by_id, &id);
	return v ? &cv->rows[GPOINTER_TO_INT(v) - 1] : NULL;
}

static long long num(crm_stmt *st, int i)
{
	const char *s = (const char *)crm_col_text(st, i);
	return s ? strtoll(s, NULL, 10) : 0;
}

/* SELECT account_id, figure[, figure] ... : into metrics m0 (and m1). */
static int grouped(struct crm *crm, struct cv *cv, const char *sql, const char *bind1, const char *bind2, int m0,
		   int m1, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	if (bind1)
		crm_bind_text(st, 1, bind1);
	if (bind2)
		crm_bind_text(st, 2, bind2);
	int step;
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		struct cv_row *r = row_of(cv, crm_col_int64(st, 0));
		if (!r)
			continue;
		r->m[m0] += num(st, 1);
		if (m1 >= 0)
			r->m[m1] += num(st, 2);
	}
	if (step != CRM_SQL_DONE)
		rc = crm_db_error(crm, step, "summing the client value", err);
	crm_finalize(st);
	return rc;
}

static int cv_receivable(void *ctx, const struct crm_receivable *r)
{
	struct cv *cv = ctx;
	struct cv_row *row;
	if (strcmp(r->currency, cv->currency) == 0 && (row = row_of(cv, r->account_id))) {
		row->m[M_RECEIVABLE] = r->balance;
		row->m[M_OVERDUE] = r->overdue;
		/* revenue: open (issued) invoices less credit notes, read in the same walk */
		row->m[M_REV12] = r->invoiced_since - r->credit_notes_since;
		row->m[M_REV] = r->invoiced - r->credit_notes;
	}
	return 0;
}

/* A weight from the configuration as an integer of ten-thousandths (0.2 is 2000). */
static long long weight(struct crm *crm, const char *name)
{
	char path[64];
	snprintf(path, sizeof path, "client_value.weights.%s", name);
	const char *s = crm_config_get(crm->cfg, path);
	long long w = 0;
	if (!s || crm_dec_parse(s, 4, &w) != CRM_DEC_OK)
		return 0;
	return w;
}

static long long threshold(struct crm *crm, const char *name, int digits)
{
	char path[64];
	snprintf(path, sizeof path, "client_value.segments.%s", name);
	const char *s = crm_config_get(crm->cfg, path);
	long long v = 0;
	if (!s || crm_dec_parse(s, digits, &v) != CRM_DEC_OK)
		return 0;
	return v;
}

static int by_score(const void *a, const void *b)
{
	const struct cv_row *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcasecmp(x->name, y->name);
}

static void cv_free(struct cv *cv)
{
	for (int i = 0; i < cv->n; i++)
		free(cv->rows[i].name);
	free(cv->rows);
	if (cv->by_id)
		g_hash_table_destroy(cv->by_id);
}

static int cv_compute(struct crm *crm, const char *asof, struct cv *cv, struct crm_err *err)
{
	memset(cv, 0, sizeof *cv);
	const char *cur = crm_config_get(crm->cfg, "currency");
	snprintf(cv->currency, sizeof cv->currency, "%s", cur ? cur : "EUR");
	cv->digits = crm_currency_digits(cv->currency);
	cv->by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	char day[16], since[48], since_ts[64];
	if (!asof) {
		struct crm_err ignored = { 0 };
		if (crm_date_parse_day("today", crm->now, day, sizeof day, &ignored))
			snprintf(day, sizeof day, "1970-01-01");
		asof = day;
	}
	/* a year back: the same day of the previous year */
	int y = 1970, mo = 1, d = 1;
	sscanf(asof, "%4d-%2d-%2d", &y, &mo, &d);
	snprintf(since, sizeof since, "%04d-%02d-%02d", y - 1, mo, d);
	snprintf(since_ts, sizeof since_ts, "%sT00:00:00Z", since);
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT id, name FROM accounts ORDER BY id", &st, err);
	if (rc)
		return rc;
	int step, cap = 0;
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		if (cv->n == cap)
			cv->rows = xrealloc(cv->rows, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *cv->rows);
		struct cv_row *r = &cv->rows[cv->n];
		memset(r, 0, sizeof *r);
		r->id = crm_col_int64(st, 0);
		const char *name = (const char *)crm_col_text(st, 1);
		r->name = xstrdup(name ? name : "");
		long long *key = g_new(long long, 1);
		*key = r->id;
		g_hash_table_insert(cv->by_id, key, GINT_TO_POINTER(cv->n + 1));
		cv->n++;
	}
	if (step != CRM_SQL_DONE)
		rc = crm_db_error(crm, step, "reading the accounts", err);
	crm_finalize(st);
	/* Revenue (issued invoices less credit notes, the last 12 months and all) comes from the
	 * receivables walk below, which reads the same open transactions: one pass, not two. */
	if (!rc)
		rc = grouped(crm, cv,
			     "SELECT t.account_id, sum(coalesce(t.income, 0) - (SELECT coalesce(sum(c.amount), 0) "
			     "FROM project_costs c WHERE c.project_id = t.id)) FROM projects t "
			     "WHERE t.account_id IS NOT NULL AND t.currency = ?1 GROUP BY t.account_id",
			     cv->currency, NULL, M_MARGIN, -1, err);
	if (!rc)
		rc = grouped(crm, cv,
			     "SELECT account_id, sum(coalesce(value, 0)) FROM opportunities "
			     "WHERE lower(stage) NOT IN ('won', 'lost') AND currency = ?1 GROUP BY account_id",
			     cv->currency, NULL, M_PIPELINE, -1, err);
	if (!rc)
		rc = grouped(crm, cv, "SELECT account_id, count(*) FROM tickets WHERE opened > ?1 GROUP BY account_id",
			     since_ts, NULL, M_TICKETS, -1, err);
	if (!rc)
		rc = grouped(crm, cv,
			     "SELECT account_id, count(*) FROM activities WHERE at > ?1 AND account_id IS NOT NULL "
			     "GROUP BY account_id", since_ts, NULL, M_ACTIVITIES, -1, err);
	if (!rc)
		rc = crm_receivables_since(crm, 0, asof, since, cv_receivable, NULL, cv, err);
	if (rc) {
		cv_free(cv);
		return rc;
	}
	/* The score: amounts times their weights (ten-thousandths), counts times theirs in units of
	 * the currency; in 128-bit integers, rounded half away from zero. */
	long long w[M_N] = { 0 };
	w[M_REV12] = weight(crm, "revenue_12m");
	w[M_MARGIN] = weight(crm, "margin");
	w[M_PIPELINE] = weight(crm, "pipeline");
	w[M_OVERDUE] = weight(crm, "overdue");
	w[M_TICKETS] = weight(crm, "tickets");
	w[M_ACTIVITIES] = weight(crm, "activities");
	long long unit = 1;
	for (int i = 0; i < cv->digits; i++)
		unit *= 10;
	long long a = threshold(crm, "a", cv->digits), b = threshold(crm, "b", cv->digits);
	for (int i = 0; i < cv->n; i++) {
		struct cv_row *r = &cv->rows[i];
		__int128 s = 0;
		for (int m = 0; m < M_N; m++)
			s += (__int128)r->m[m] * w[m] * (m == M_TICKETS || m == M_ACTIVITIES ? unit : 1);
		s = s >= 0 ? (s + 5000) / 10000 : (s - 5000) / 10000;
		r->score = (long long)s;
		r->segment = a && r->score >= a ? 'A' : b && r->score >= b ? 'B' : 'C';
		r->share_tenths = r->m[M_RECEIVABLE] > 0
			? (r->m[M_OVERDUE] * 1000 + r->m[M_RECEIVABLE] / 2) / r->m[M_RECEIVABLE] : -1;
	}
	if (cv->n > 1)
		qsort(cv->rows, (size_t)cv->n, sizeof *cv->rows, by_score);
	g_hash_table_destroy(cv->by_id);
	cv->by_id = NULL;
	return CRM_OK;
}

static const char *const cv_names[] = { "account", "currency", "revenue_12m", "revenue", "margin", "pipeline",
					"receivables", "overdue", "overdue_share", "tickets", "activities", "score",
					"segment" };
#define CV_COLS 13

int crm_client_value_print(struct crm *crm, const char *asof, struct crm_printer *p, struct crm_err *err)
{
	struct cv cv;
	int rc = cv_compute(crm, asof, &cv, err);
	if (rc)
		return rc;
	crm_printer_columns(p, cv_names, CV_COLS);
	for (int i = 0; i < cv.n; i++) {
		const struct cv_row *r = &cv.rows[i];
		char money[7][32], share[32], tickets[32], acts[32], seg[2] = { r->segment, 0 };
		const long long amounts[6] = { r->m[M_REV12], r->m[M_REV], r->m[M_MARGIN], r->m[M_PIPELINE],
					       r->m[M_RECEIVABLE], r->m[M_OVERDUE] };
		struct crm_value cells[CV_COLS];
		const char *curs[CV_COLS] = { NULL };
		cells[0] = (struct crm_value){ CRM_V_TEXT, r->name };
		cells[1] = (struct crm_value){ CRM_V_TEXT, cv.currency };
		for (int m = 0; m < 6; m++) {
			crm_dec_format(amounts[m], cv.digits, money[m], sizeof money[m]);
			cells[2 + m] = (struct crm_value){ CRM_V_REAL, money[m] };
			curs[2 + m] = cv.currency;
		}
		crm_dec_format(r->share_tenths, 1, share, sizeof share);
		cells[8] = r->share_tenths < 0 ? (struct crm_value){ CRM_V_NULL, NULL } : (struct crm_value){ CRM_V_REAL, share };
		snprintf(tickets, sizeof tickets, "%lld", r->m[M_TICKETS]);
		snprintf(acts, sizeof acts, "%lld", r->m[M_ACTIVITIES]);
		cells[9] = (struct crm_value){ CRM_V_INT, tickets };
		cells[10] = (struct crm_value){ CRM_V_INT, acts };
		crm_dec_format(r->score, cv.digits, money[6], sizeof money[6]);
		cells[11] = (struct crm_value){ CRM_V_REAL, money[6] };
		curs[11] = cv.currency;
		cells[12] = (struct crm_value){ CRM_V_TEXT, seg };
		crm_printer_row_money(p, cells, curs);
	}
	cv_free(&cv);
	return CRM_OK;
}

/* ---------------------------------------------------------------- the workbook */

static void xtext(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	char *tofree;
	worksheet_write_string(ws, r, c, crm_pr_utf8_clean(s ? s : "", &tofree), f);
	free(tofree);
}

static void xmoney(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long long v, int digits, lxw_format *f)
{
	char buf[32];
	crm_dec_format(v, digits, buf, sizeof buf);
	worksheet_write_number(ws, r, c, strtod(buf, NULL), f);
}

int crm_client_value_xlsx(struct crm *crm, const char *asof, const char *path, const struct crm_report_meta *meta,
			  struct crm_err *err)
{
	int rc = crm_lazy_xlsx(err);
	if (rc)
		return rc;
	struct cv cv;
	if ((rc = cv_compute(crm, asof, &cv, err)))
		return rc;
	FILE *probe = fopen(path, "a");
	if (!probe) {
		cv_free(&cv);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	}
	fclose(probe);
	/* Constant memory: rows go to the file as they are written (100,000 accounts stay small). */
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	if (!wb) {
		cv_free(&cv);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': cannot create the workbook", path);
	}
	lxw_format *bold = workbook_add_format(wb), *integer = workbook_add_format(wb), *money = workbook_add_format(wb),
		   *pct = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(integer, "0");
	char fmt[32];
	snprintf(fmt, sizeof fmt, "#,##0%s%.*s", cv.digits ? "." : "", cv.digits, "0000");
	format_set_num_format(money, fmt);
	format_set_num_format(pct, "0.0");
	/* Segments: accounts, revenue of the last 12 months and score by segment, with a chart. */
	lxw_worksheet *seg = workbook_add_worksheet(wb, "Segments");
	static const char *const sh[] = { "Segment", "Accounts", "Revenue 12 months", "Score" };
	for (int i = 0; i < 4; i++)
		xtext(seg, 0, (lxw_col_t)i, sh[i], bold);
	for (int s = 0; s < 3; s++) {
		long long count = 0, rev = 0, score = 0;
		for (int i = 0; i < cv.n; i++)
			if (cv.rows[i].segment == 'A' + s) {
				count++;
				rev += cv.rows[i].m[M_REV12];
				score += cv.rows[i].score;
			}
		char name[2] = { (char)('A' + s), 0 };
		xtext(seg, (lxw_row_t)(s + 1), 0, name, NULL);
		worksheet_write_number(seg, (lxw_row_t)(s + 1), 1, (double)count, integer);
		xmoney(seg, (lxw_row_t)(s + 1), 2, rev, cv.digits, money);
		xmoney(seg, (lxw_row_t)(s + 1), 3, score, cv.digits, money);
	}
	worksheet_set_column(seg, 0, 0, 10, NULL);
	worksheet_set_column(seg, 1, 3, 20, NULL);
	lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(se, "Segments", 1, 0, 3, 0);
	chart_series_set_values(se, "Segments", 1, 2, 3, 2);
	char title[64];
	snprintf(title, sizeof title, "Revenue of the last 12 months by segment, %s", cv.currency);
	chart_series_set_name(se, "Revenue 12 months");
	chart_title_set_name(ch, title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	worksheet_insert_chart(seg, 5, 0, ch);
	/* Every account, typed cells. */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Client value");
	for (int i = 0; i < CV_COLS; i++) {
		xtext(ws, 0, (lxw_col_t)i, cv_names[i], bold);
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i == 0 ? 28 : 14, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (int i = 0; i < cv.n && i < (int)LXW_ROW_MAX - 2; i++) {
		const struct cv_row *r = &cv.rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		xtext(ws, row, 0, r->name, NULL);
		xtext(ws, row, 1, cv.currency, NULL);
		const long long amounts[6] = { r->m[M_REV12], r->m[M_REV], r->m[M_MARGIN], r->m[M_PIPELINE],
					       r->m[M_RECEIVABLE], r->m[M_OVERDUE] };
		for (int m = 0; m < 6; m++)
			xmoney(ws, row, (lxw_col_t)(2 + m), amounts[m], cv.digits, money);
		if (r->share_tenths >= 0)
			xmoney(ws, row, 8, r->share_tenths, 1, pct);
		worksheet_write_number(ws, row, 9, (double)r->m[M_TICKETS], integer);
		worksheet_write_number(ws, row, 10, (double)r->m[M_ACTIVITIES], integer);
		xmoney(ws, row, 11, r->score, cv.digits, money);
		char s[2] = { r->segment, 0 };
		xtext(ws, row, 12, s, NULL);
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)cv.n, CV_COLS - 1);
	crm_report_about_sheet(wb, meta);
	lxw_error e = workbook_close(wb);
	cv_free(&cv);
	if (e != LXW_NO_ERROR)
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, lxw_strerror(e));
	return CRM_OK;
}
