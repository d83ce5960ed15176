/* Sales: the pipeline of opportunities (crm/sales.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>
#include "lazy_xlsx.h"
#include "report_xlsx.h"
#include "crm/filter.h"
#include "crm/money.h"
#include "crm/record.h"
#include "crm/sales.h"
#include "crm/workflow.h"
#include "printer_internal.h"
#include "util.h"
#include "db.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0"
#endif

static long long units(const char *text)
{
	return text ? strtoll(text, NULL, 10) : 0;
}

static int stage_rank(const struct crm_workflow *wf, const char *stage)
{
	for (int i = 0; wf && i < wf->nstatuses; i++)
		if (strcasecmp(wf->statuses[i], stage) == 0)
			return i;
	return wf ? wf->nstatuses : 0;
}

static const struct crm_workflow *sort_wf;

static int by_currency_stage(const void *a, const void *b)
{
	const struct crm_pipeline_row *x = a, *y = b;
	int c = strcmp(x->currency, y->currency);
	if (c)
		return c;
	int rx = stage_rank(sort_wf, x->stage), ry = stage_rank(sort_wf, y->stage);
	return rx != ry ? (rx < ry ? -1 : 1) : strcasecmp(x->stage, y->stage);
}

int crm_pipeline(struct crm *crm, const char *const *terms, int nterms, struct crm_pipeline_row **rows, int *n,
		 struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find("opportunity");
	const struct crm_field *value = crm_kind_field(k, "value", NULL), *weighted = crm_kind_field(k, "weighted", NULL);
	const struct crm_workflow *wf = NULL;
	*rows = NULL;
	*n = 0;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc)
		return rc;
	struct crm_filter f;
	if ((rc = crm_query_filter(crm, k, terms, nterms, &f, err)))
		return rc;
	/* Sums of integers, grouped by currency: amounts in two currencies are never added. */
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT coalesce(t.currency, ''), t.stage, count(*), sum(t.%s), sum(%s) FROM %s t WHERE %s "
		"GROUP BY coalesce(t.currency, ''), t.stage", value->column, weighted->column, k->table, f.sql);
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc) {
		crm_filter_free(&f);
		return rc;
	}
	for (int i = 0; i < f.nbinds; i++)
		crm_bind_text_copy(st, i + 1, f.binds[i]);
	int step;
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		*rows = xrealloc(*rows, (size_t)(*n + 1) * sizeof **rows);
		struct crm_pipeline_row *r = &(*rows)[(*n)++];
		const char *cur = (const char *)crm_col_text(st, 0), *stage = (const char *)crm_col_text(st, 1);
		r->currency = xstrdup(cur ? cur : "");
		r->stage = xstrdup(stage ? stage : "");
		r->digits = crm_currency_digits(r->currency);
		r->count = crm_col_int64(st, 2);
		r->value = units((const char *)crm_col_text(st, 3));
		r->weighted = units((const char *)crm_col_text(st, 4));
	}
	if (step != CRM_SQL_DONE)
		rc = crm_db_error(crm, step, "summing the pipeline", err);
	crm_finalize(st);
	crm_filter_free(&f);
	if (rc) {
		crm_pipeline_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return rc;
	}
	sort_wf = wf;
	if (*n > 1) /* qsort may not be given NULL, even for no rows */
		qsort(*rows, (size_t)*n, sizeof **rows, by_currency_stage);
	sort_wf = NULL;
	return CRM_OK;
}

void crm_pipeline_free(struct crm_pipeline_row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].currency);
		free(rows[i].stage);
	}
	free(rows);
}

void crm_pipeline_print(const struct crm_pipeline_row *rows, int n, struct crm_printer *p)
{
	static const char *const names[] = { "currency", "stage", "count", "value", "weighted" };
	crm_printer_columns(p, names, 5);
	for (int i = 0; i < n; i++) {
		char count[32], value[32], weighted[32];
		snprintf(count, sizeof count, "%lld", rows[i].count);
		crm_dec_format(rows[i].value, rows[i].digits, value, sizeof value);
		crm_dec_format(rows[i].weighted, rows[i].digits, weighted, sizeof weighted);
		struct crm_value cells[5] = {
			{ *rows[i].currency ? CRM_V_TEXT : CRM_V_NULL, *rows[i].currency ? rows[i].currency : NULL },
			{ CRM_V_TEXT, rows[i].stage }, { CRM_V_INT, count }, { CRM_V_REAL, value }, { CRM_V_REAL, weighted },
		};
		const char *const currency[5] = { NULL, NULL, NULL, rows[i].currency, rows[i].currency };
		crm_printer_row_money(p, cells, currency);
	}
}

/* ---------------------------------------------------------------- the workbook */

struct book {
	lxw_workbook *wb;
	lxw_format *bold, *integer, *date, *time;
	lxw_format *money[CRM_DEC_MAXDIGITS + 1][2]; /* by digits; [1] bold, for totals */
};

static void text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	char *tofree;
	worksheet_write_string(ws, r, c, crm_pr_utf8_clean(s ? s : "", &tofree), f);
	free(tofree);
}

/* An exact amount as an Excel number: the nearest double to its decimal text, in a format
 * with the currency's decimals (the sums were made in integers). */
static void money(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long long v, int digits, int bold)
{
	char buf[32];
	crm_dec_format(v, digits, buf, sizeof buf);
	worksheet_write_number(ws, r, c, strtod(buf, NULL), b->money[digits][bold]);
}

static void pipeline_sheet(struct book *b, const struct crm_pipeline_row *rows, int n)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Pipeline");
	static const char *const heads[] = { "Currency", "Stage", "Count", "Value", "Weighted" };
	for (int i = 0; i < 5; i++)
		text(ws, 0, (lxw_col_t)i, heads[i], b->bold);
	lxw_row_t row = 1, charts_at = 1;
	for (int i = 0; i < n;) {
		int j = i;
		long long count = 0, value = 0, weighted = 0;
		lxw_row_t first = row;
		for (; j < n && strcmp(rows[j].currency, rows[i].currency) == 0; j++, row++) {
			text(ws, row, 0, rows[j].currency, NULL);
			text(ws, row, 1, rows[j].stage, NULL);
			worksheet_write_number(ws, row, 2, (double)rows[j].count, b->integer);
			money(b, ws, row, 3, rows[j].value, rows[j].digits, 0);
			money(b, ws, row, 4, rows[j].weighted, rows[j].digits, 0);
			count += rows[j].count;
			value += rows[j].value;
			weighted += rows[j].weighted;
		}
		text(ws, row, 0, rows[i].currency, b->bold);
		text(ws, row, 1, "Total", b->bold);
		worksheet_write_number(ws, row, 2, (double)count, b->integer);
		money(b, ws, row, 3, value, rows[i].digits, 1);
		money(b, ws, row, 4, weighted, rows[i].digits, 1);
		/* A chart per currency: value and weighted value by stage. */
		lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
		static const char *const series[] = { "Value", "Weighted" };
		for (int s = 0; s < 2; s++) {
			lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
			chart_series_set_categories(se, "Pipeline", first, 1, row - 1, 1);
			chart_series_set_values(se, "Pipeline", first, (lxw_col_t)(3 + s), row - 1, (lxw_col_t)(3 + s));
			chart_series_set_name(se, series[s]);
		}
		char title[64];
		snprintf(title, sizeof title, "Pipeline by stage%s%s", *rows[i].currency ? ", " : "", rows[i].currency);
		chart_title_set_name(ch, title);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		worksheet_insert_chart(ws, charts_at, 6, ch);
		charts_at += 16;
		row += 2;
		i = j;
	}
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 1, 16, NULL);
	worksheet_set_column(ws, 2, 2, 8, NULL);
	worksheet_set_column(ws, 3, 4, 18, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
}

/* Every field of the opportunities, typed cells. */
static int opportunities_sheet(struct crm *crm, struct book *b, const char *const *terms, int nterms,
			       struct crm_err *err)
{
	const char *all[] = { "all" };
	struct crm_query q = { .kind = crm_kind_find("opportunity"), .terms = terms, .nterms = nterms, .fields = all,
			       .nfields = 1 };
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &q, &c, err);
	if (rc)
		return rc;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Opportunities");
	int n = crm_cursor_ncols(c), curcol = -1;
	const char *const *names = crm_cursor_names(c);
	for (int i = 0; i < n; i++) {
		text(ws, 0, (lxw_col_t)i, names[i], b->bold);
		if (strcmp(names[i], "currency") == 0)
			curcol = i;
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 14, NULL);
	}
	const struct crm_value *v;
	lxw_row_t row = 0;
	while ((rc = crm_cursor_next(c, &v, err)) == 1 && row < LXW_ROW_MAX - 1) {
		row++;
		int digits = crm_currency_digits(curcol >= 0 ? v[curcol].text : NULL);
		for (int i = 0; i < n; i++) {
			lxw_datetime dt = { 0 };
			switch (v[i].type) {
			case CRM_V_NULL:
				break;
			case CRM_V_INT:
				worksheet_write_number(ws, row, (lxw_col_t)i, strtod(v[i].text, NULL), b->integer);
				break;
			case CRM_V_REAL: /* value, weighted: money */
				worksheet_write_number(ws, row, (lxw_col_t)i, strtod(v[i].text, NULL), b->money[digits][0]);
				break;
			case CRM_V_BOOL:
				worksheet_write_boolean(ws, row, (lxw_col_t)i, v[i].text[0] == '1', NULL);
				break;
			case CRM_V_DATE:
			case CRM_V_TIME: {
				int y, mo, d, h = 0, mi = 0, se = 0;
				int n = sscanf(v[i].text, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se);
				if (n == 3 || n == 6) {
					dt.year = y;
					dt.month = mo;
					dt.day = d;
					dt.hour = h;
					dt.min = mi;
					dt.sec = se;
					worksheet_write_datetime(ws, row, (lxw_col_t)i, &dt, n == 3 ? b->date : b->time);
					break;
				}
				text(ws, row, (lxw_col_t)i, v[i].text, NULL);
				break;
			}
			default:
				text(ws, row, (lxw_col_t)i, v[i].text, NULL);
				break;
			}
		}
	}
	crm_cursor_close(c);
	if (rc < 0)
		return -rc;
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(n ? n - 1 : 0));
	return CRM_OK;
}

int crm_pipeline_xlsx(struct crm *crm, const char *const *terms, int nterms, const char *path,
		      const struct crm_report_meta *meta, struct crm_err *err)
{
	struct crm_pipeline_row *rows;
	int n;
	int rc = crm_lazy_xlsx(err);
	if (rc || (rc = crm_pipeline(crm, terms, nterms, &rows, &n, err)))
		return rc;
	FILE *probe = fopen(path, "a");
	if (!probe) {
		crm_pipeline_free(rows, n);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	}
	fclose(probe);
	struct book b = { 0 };
	lxw_workbook_options wo = { .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	b.wb = workbook_new_opt(path, &wo);
	if (!b.wb) {
		crm_pipeline_free(rows, n);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': cannot create the workbook", path);
	}
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.integer = workbook_add_format(b.wb);
	format_set_num_format(b.integer, "0");
	b.date = workbook_add_format(b.wb);
	format_set_num_format(b.date, "yyyy-mm-dd");
	b.time = workbook_add_format(b.wb);
	format_set_num_format(b.time, "yyyy-mm-dd hh:mm");
	for (int d = 0; d <= CRM_DEC_MAXDIGITS; d++)
		for (int bold = 0; bold < 2; bold++) {
			char fmt[32];
			snprintf(fmt, sizeof fmt, "#,##0%s%.*s", d ? "." : "", d, "0000");
			b.money[d][bold] = workbook_add_format(b.wb);
			format_set_num_format(b.money[d][bold], fmt);
			if (bold)
				format_set_bold(b.money[d][bold]);
		}
	pipeline_sheet(&b, rows, n);
	rc = opportunities_sheet(crm, &b, terms, nterms, err);
	crm_report_about_sheet(b.wb, meta);
	lxw_error e = workbook_close(b.wb);
	if (!rc && e != LXW_NO_ERROR)
		rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, lxw_strerror(e));
	crm_pipeline_free(rows, n);
	return rc;
}
