/* Ticket reports: the summary managers ask for, on the terminal (through cmd/) or as an Excel
 * workbook written here with libxlsxwriter: the tickets, the summary tables with charts, and
 * how the report was made. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>
#include "lazy_xlsx.h"
#include "report_xlsx.h"
#include "crm/date.h"
#include "crm/record.h"
#include "crm/report.h"
#include "crm/workflow.h"
#include "printer_internal.h"
#include "util.h"
#include "db.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0"
#endif

/* ---------------------------------------------------------------- the summary */

static struct crm_report_count *count_in(struct crm_report_count **list, int *n, const char *key)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*list)[i].key, key) == 0)
			return &(*list)[i];
	*list = xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
	struct crm_report_count *c = &(*list)[(*n)++];
	memset(c, 0, sizeof *c);
	c->key = xstrdup(key);
	return c;
}

static void count(struct crm_report_count **list, int *n, const char *key, int open, int breached)
{
	struct crm_report_count *c = count_in(list, n, key);
	c->n++;
	c->open += open;
	c->breached += breached;
}

/* Put the keys named in order first, in that order; the rest keep theirs. */
static void order_by(struct crm_report_count *list, int n, const char *const *order, int norder)
{
	int at = 0;
	for (int i = 0; i < norder; i++)
		for (int j = at; j < n; j++)
			if (strcasecmp(list[j].key, order[i]) == 0) {
				struct crm_report_count t = list[j];
				memmove(&list[at + 1], &list[at], (size_t)(j - at) * sizeof *list);
				list[at++] = t;
				break;
			}
}

static int by_count(const void *a, const void *b)
{
	const struct crm_report_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int is_yes(const struct crm_value *v)
{
	return v->text && (strcmp(v->text, "1") == 0 || strcasecmp(v->text, "true") == 0);
}

/* The fields a summary reads from each ticket, in this order. */
static const char *const tally_fields[] = { "status", "priority", "assignee", "group", "opened", "resolved",
					    "open", "breach" };
#define NTALLY 8

struct tally {
	int col[NTALLY]; /* where each of tally_fields is in the row */
	double age_sum, resolve_sum;
};

/* Count one ticket into the summary. */
static void tally_row(struct crm *crm, struct crm_ticket_report *r, struct tally *t, const struct crm_value *row)
{
	const struct crm_value *v[NTALLY];
	for (int i = 0; i < NTALLY; i++)
		v[i] = &row[t->col[i]];
	int open = is_yes(v[6]), breached = is_yes(v[7]);
	r->total++;
	r->open += open;
	r->breached += breached;
	r->open_breached += open && breached;
	count(&r->by_status, &r->nstatus, v[0]->text ? v[0]->text : "(none)", open, breached);
	count(&r->by_priority, &r->npriority, v[1]->text ? v[1]->text : "(none)", open, breached);
	char who[256];
	if (v[2]->text)
		snprintf(who, sizeof who, "%s", v[2]->text);
	else if (v[3]->text)
		snprintf(who, sizeof who, "@%s", v[3]->text);
	else
		snprintf(who, sizeof who, "(nobody)");
	count(&r->by_assignee, &r->nassignee, who, open, breached);
	time_t opened = v[4]->text ? crm_time_parse_iso(v[4]->text) : (time_t)-1;
	time_t resolved = v[5]->text ? crm_time_parse_iso(v[5]->text) : (time_t)-1;
	if (opened == (time_t)-1)
		return;
	if (open) {
		double hours = (double)(crm->now - opened) / 3600.0;
		if (hours < 0)
			hours = 0;
		t->age_sum += hours;
		if (hours > r->age_max)
			r->age_max = hours;
		r->age_buckets[hours < 24 ? 0 : hours < 72 ? 1 : hours < 168 ? 2 : 3]++;
	} else if (resolved != (time_t)-1 && resolved >= opened) {
		t->resolve_sum += (double)(resolved - opened) / 3600.0;
		r->resolved++;
	}
}

/* Averages, and the orders the summary is shown in. */
static void tally_end(struct crm *crm, struct crm_ticket_report *r, const struct tally *t,
		      const struct crm_workflow *wf)
{
	r->age_avg = r->open ? t->age_sum / (double)r->open : 0;
	r->resolve_avg = r->resolved ? t->resolve_sum / (double)r->resolved : 0;
	order_by(r->by_status, r->nstatus, wf->statuses, wf->nstatuses);
	const struct crm_conf_node *prio = crm_config_node(crm->cfg, "picklists.priority");
	int np = (int)crm_conf_count(prio);
	const char **order = xcalloc((size_t)(np ? np : 1), sizeof *order);
	for (int i = 0; i < np; i++)
		order[i] = crm_conf_scalar(crm_conf_child(prio, (size_t)i)) ? crm_conf_scalar(crm_conf_child(prio, (size_t)i)) : "";
	order_by(r->by_priority, r->npriority, order, np);
	free(order);
	qsort(r->by_assignee, (size_t)r->nassignee, sizeof *r->by_assignee, by_count);
}

int crm_report_tickets(struct crm *crm, const char *const *terms, int nterms, struct crm_ticket_report *r,
		       struct crm_err *err)
{
	memset(r, 0, sizeof *r);
	struct crm_workflow *wf;
	int rc = crm_workflow_load(crm->cfg, "ticket", &wf, err);
	if (rc)
		return rc;
	struct crm_query q = { .kind = crm_kind_find("ticket"), .terms = terms, .nterms = nterms,
			       .fields = tally_fields, .nfields = NTALLY };
	struct crm_cursor *c;
	if ((rc = crm_query_open(crm, &q, &c, err))) {
		crm_workflow_free(wf);
		return rc;
	}
	struct tally t = { { 0, 1, 2, 3, 4, 5, 6, 7 }, 0, 0 };
	const struct crm_value *v;
	while ((rc = crm_cursor_next(c, &v, err)) == 1)
		tally_row(crm, r, &t, v);
	crm_cursor_close(c);
	if (rc < 0) {
		crm_workflow_free(wf);
		crm_report_free(r);
		return -rc;
	}
	tally_end(crm, r, &t, wf);
	crm_workflow_free(wf);
	return CRM_OK;
}

static void counts_free(struct crm_report_count *list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i].key);
	free(list);
}

void crm_report_free(struct crm_ticket_report *r)
{
	counts_free(r->by_status, r->nstatus);
	counts_free(r->by_priority, r->npriority);
	counts_free(r->by_assignee, r->nassignee);
	memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- the workbook */

struct book {
	lxw_workbook *wb;
	lxw_format *bold, *date, *time, *number, *integer, *wrap;
};

/* How a sheet prints: landscape, as wide as one page (as long as it takes), the header row
 * repeated on each page; `whole`: the whole sheet on one page (the About sheet, the charts). */
static void page_setup(lxw_worksheet *ws, int header, int whole)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, whole ? 1 : 0);
	if (header)
		worksheet_repeat_rows(ws, 0, 0);
}

static lxw_format *wrap_format; /* of the workbook being written: text that wraps */

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" or a stored timestamp "YYYY-MM-DDTHH:MM[:SS]Z" (written as UTC, as stored). By
 * hand rather than sscanf: a report reads several for each of 100,000 tickets. */
static int to_datetime(const char *s, lxw_datetime *dt)
{
	memset(dt, 0, sizeof *dt);
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return 0;
	dt->year = digits(s, 4);
	dt->month = digits(s + 5, 2);
	dt->day = digits(s + 8, 2);
	if (s[10] == 'T' || s[10] == ' ') {
		if (strlen(s) < 16 || s[13] != ':' || (dt->hour = digits(s + 11, 2)) < 0 || (dt->min = digits(s + 14, 2)) < 0)
			return 0;
		int sec = s[16] == ':' ? digits(s + 17, 2) : 0;
		if (sec < 0)
			return 0;
		dt->sec = sec;
	} else if (s[10]) {
		return 0;
	}
	return dt->year >= 1900 && dt->month >= 1 && dt->month <= 12 && dt->day >= 1 && dt->day <= 31;
}

static void text_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *text, lxw_format *f)
{
	if (!f && text && strchr(text, '\n'))
		f = wrap_format; /* a multi-line description shows its lines */
	char *tofree;
	const char *s = crm_pr_utf8_clean(text, &tofree); /* XML needs valid UTF-8 */
	/* Written as a string, never as a formula: a title starting with = stays text. */
	worksheet_write_string(ws, r, c, s, f);
	free(tofree);
}

static size_t cell(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const struct crm_value *v)
{
	lxw_datetime dt;
	switch (v->type) {
	case CRM_V_NULL:
		return 0;
	case CRM_V_INT:
	case CRM_V_REAL:
		worksheet_write_number(ws, r, c, strtod(v->text, NULL), NULL);
		return strlen(v->text);
	case CRM_V_BOOL:
		worksheet_write_boolean(ws, r, c, is_yes(v), NULL);
		return 5;
	case CRM_V_DATE:
		if (to_datetime(v->text, &dt)) {
			worksheet_write_datetime(ws, r, c, &dt, b->date);
			return 10;
		}
		break;
	case CRM_V_TIME:
		if (to_datetime(v->text, &dt)) {
			worksheet_write_datetime(ws, r, c, &dt, b->time);
			return 16;
		}
		break;
	case CRM_V_TEXT:
	case CRM_V_LIST: /* tickets have no link fields */
		break;
	}
	text_cell(ws, r, c, v->text, NULL);
	return crm_pr_width(v->text);
}

static void set_widths(lxw_worksheet *ws, const size_t *width, int ncols)
{
	for (int i = 0; i < ncols; i++) {
		size_t w = width[i] > CRM_PR_MAX_WIDTH ? CRM_PR_MAX_WIDTH : width[i];
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, (double)w + 2, NULL);
	}
}

/* The Tickets sheet from an open cursor over every field, counting each ticket into the summary
 * r as it goes (one pass over the tickets, not two). */
static int tickets_sheet(struct crm *crm, struct book *b, struct crm_cursor *c, struct crm_ticket_report *r,
			 struct tally *t, long long *rows, struct crm_err *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Tickets");
	int n = crm_cursor_ncols(c);
	const char *const *names = crm_cursor_names(c);
	size_t *width = xcalloc((size_t)n, sizeof *width);
	for (int i = 0; i < n; i++) {
		text_cell(ws, 0, (lxw_col_t)i, names[i], b->bold);
		width[i] = crm_pr_width(names[i]) + 1;
	}
	const struct crm_value *v;
	lxw_row_t row = 0;
	int rc;
	while ((rc = crm_cursor_next(c, &v, err)) == 1) {
		tally_row(crm, r, t, v);
		if (row >= LXW_ROW_MAX - 1)
			continue; /* a sheet holds no more; the summary counts them all */
		row++;
		for (int i = 0; i < n; i++) {
			size_t w = cell(b, ws, row, (lxw_col_t)i, &v[i]);
			if (w > width[i])
				width[i] = w;
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(n ? n - 1 : 0));
	set_widths(ws, width, n);
	page_setup(ws, 1, 0);
	free(width);
	*rows = (long long)row;
	return rc < 0 ? -rc : CRM_OK;
}

/* One summary table at row *row: a bold header, then a line per key; returns its first data row. */
static lxw_row_t table(struct book *b, lxw_worksheet *ws, lxw_row_t *row, const char *title,
		       const struct crm_report_count *list, int n)
{
	static const char *const heads[] = { "Tickets", "Open", "Breached" };
	text_cell(ws, *row, 0, title, b->bold);
	for (int i = 0; i < 3; i++)
		text_cell(ws, *row, (lxw_col_t)(i + 1), heads[i], b->bold);
	lxw_row_t first = ++*row;
	for (int i = 0; i < n; i++, ++*row) {
		text_cell(ws, *row, 0, list[i].key, NULL);
		worksheet_write_number(ws, *row, 1, (double)list[i].n, b->integer);
		worksheet_write_number(ws, *row, 2, (double)list[i].open, b->integer);
		worksheet_write_number(ws, *row, 3, (double)list[i].breached, b->integer);
	}
	++*row; /* a blank line after */
	return first;
}

static void chart(struct book *b, lxw_worksheet *ws, const char *title, lxw_row_t first, int n, lxw_row_t at)
{
	if (n == 0)
		return; /* an empty range makes a workbook Excel repairs */
	lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
	chart_series_set_categories(s, "Summary", first, 0, first + (lxw_row_t)n - 1, 0);
	chart_series_set_values(s, "Summary", first, 1, first + (lxw_row_t)n - 1, 1);
	chart_series_set_name(s, "Tickets");
	chart_title_set_name(ch, title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(ws, at, 6, ch);
}

static void figure(struct book *b, lxw_worksheet *ws, lxw_row_t *row, const char *name, double value,
		   lxw_format *f)
{
	text_cell(ws, *row, 0, name, NULL);
	worksheet_write_number(ws, *row, 1, value, f ? f : b->integer); /* counts: 4, not 4.0 */
	++*row;
}

static void summary_sheet(struct book *b, const struct crm_ticket_report *r)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Summary");
	lxw_row_t row = 0;
	lxw_row_t st = table(b, ws, &row, "Status", r->by_status, r->nstatus);
	lxw_row_t pr = table(b, ws, &row, "Priority", r->by_priority, r->npriority);
	table(b, ws, &row, "Assignee", r->by_assignee, r->nassignee);
	text_cell(ws, row++, 0, "Figures", b->bold);
	figure(b, ws, &row, "Tickets", (double)r->total, NULL);
	figure(b, ws, &row, "Open", (double)r->open, NULL);
	figure(b, ws, &row, "Breaching their service level", (double)r->breached, NULL);
	figure(b, ws, &row, "Open and breaching", (double)r->open_breached, NULL);
	figure(b, ws, &row, "Average age of open tickets (days)", r->age_avg / 24, b->number);
	figure(b, ws, &row, "Oldest open ticket (days)", r->age_max / 24, b->number);
	static const char *const buckets[] = { "Open under 1 day", "Open 1 to 3 days", "Open 3 to 7 days",
					       "Open over 7 days" };
	for (int i = 0; i < 4; i++)
		figure(b, ws, &row, buckets[i], (double)r->age_buckets[i], NULL);
	figure(b, ws, &row, "Resolved", (double)r->resolved, NULL);
	figure(b, ws, &row, "Average time to resolve (hours)", r->resolve_avg, b->number);
	worksheet_set_column(ws, 0, 0, 36, NULL);
	worksheet_set_column(ws, 1, 3, 10, NULL);
	chart(b, ws, "Tickets by status", st, r->nstatus, 1);
	chart(b, ws, "Tickets by priority", pr, r->npriority, 18);
	/* The tables and both charts (columns G to N, rows 2 to 33) on one page. */
	page_setup(ws, 0, 1);
	worksheet_print_area(ws, 0, 0, row > 33 ? row : 33, 13);
}

void crm_report_about_sheet(lxw_workbook *wb, const struct crm_report_meta *m)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "About");
	lxw_format *bold = workbook_add_format(wb), *time = workbook_add_format(wb), *wrap = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(time, "yyyy-mm-dd hh:mm");
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	static const char *const names[] = { "Command", "Filter", "User", "Time (UTC)", "Made by" };
	const char *values[] = { m->command, m->filter, m->user, m->time, "crm " CRM_VERSION };
	for (int i = 0; i < 5; i++) {
		text_cell(ws, (lxw_row_t)i, 0, names[i], bold);
		lxw_datetime dt;
		if (i == 3 && values[i] && to_datetime(values[i], &dt))
			worksheet_write_datetime(ws, (lxw_row_t)i, 1, &dt, time);
		else if (values[i] && *values[i])
			text_cell(ws, (lxw_row_t)i, 1, values[i], NULL);
	}
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 1, 1, 80, wrap);
	page_setup(ws, 0, 1); /* the time and the whole command on one page */
}

int crm_report_tickets_xlsx(struct crm *crm, const char *const *terms, int nterms, const char *path,
			    const struct crm_report_meta *meta, struct crm_err *err)
{
	struct crm_ticket_report r;
	memset(&r, 0, sizeof r);
	struct crm_workflow *wf = NULL;
	struct crm_cursor *c = NULL;
	const char *all[] = { "all" };
	struct crm_query q = { .kind = crm_kind_find("ticket"), .terms = terms, .nterms = nterms,
			       .fields = all, .nfields = 1 };
	int rc = crm_lazy_xlsx(err); /* loaded now, not by every command (lazy.c) */
	if (rc || (rc = crm_workflow_load(crm->cfg, "ticket", &wf, err)) || (rc = crm_query_open(crm, &q, &c, err))) {
		crm_workflow_free(wf);
		return rc;
	}
	/* The summary is counted from the Tickets sheet's rows: find its fields among them. */
	struct tally t = { { 0 }, 0, 0 };
	const char *const *names = crm_cursor_names(c);
	for (int i = 0; i < NTALLY; i++) {
		int j = 0;
		while (j < crm_cursor_ncols(c) && strcmp(names[j], tally_fields[i]) != 0)
			j++;
		if (j == crm_cursor_ncols(c)) {
			crm_cursor_close(c);
			crm_workflow_free(wf);
			return crm_error(err, CRM_EFAIL, "report: the tickets have no field '%s'", tally_fields[i]);
		}
		t.col[i] = j;
	}
	/* libxlsxwriter writes the file only when closing: find out now whether it can. */
	FILE *probe = fopen(path, "a");
	if (!probe) {
		crm_cursor_close(c);
		crm_workflow_free(wf);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	}
	fclose(probe);
	struct book b = { 0 };
	/* Constant memory: the tickets stream to a temporary file row by row (every sheet is written
	 * in row order), so 100,000 tickets take a few MiB, not a workbook held whole. */
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	b.wb = workbook_new_opt(path, &wo);
	if (!b.wb) {
		crm_cursor_close(c);
		crm_workflow_free(wf);
		return crm_error(err, CRM_EFAIL, "cannot write '%s': cannot create the workbook", path);
	}
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.date = workbook_add_format(b.wb);
	format_set_num_format(b.date, "yyyy-mm-dd");
	b.time = workbook_add_format(b.wb);
	format_set_num_format(b.time, "yyyy-mm-dd hh:mm");
	b.number = workbook_add_format(b.wb);
	format_set_num_format(b.number, "0.0");
	b.integer = workbook_add_format(b.wb);
	format_set_num_format(b.integer, "0");
	b.wrap = workbook_add_format(b.wb);
	format_set_text_wrap(b.wrap);
	format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
	wrap_format = b.wrap;
	long long rows;
	rc = tickets_sheet(crm, &b, c, &r, &t, &rows, err);
	crm_cursor_close(c);
	if (!rc) {
		tally_end(crm, &r, &t, wf);
		summary_sheet(&b, &r);
		crm_report_about_sheet(b.wb, meta);
	}
	lxw_error e = workbook_close(b.wb);
	wrap_format = NULL;
	if (!rc && e != LXW_NO_ERROR)
		rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, lxw_strerror(e));
	crm_report_free(&r);
	crm_workflow_free(wf);
	return rc;
}
