/* The xlsx backend: libxlsxwriter in constant-memory mode, so rows stream to a temporary file
 * and memory stays flat however many rows are written.
 *
 * In that mode rows must be written in order, but the column widths, the autofilter and the
 * frozen pane are stored apart from the cells and written out at workbook_close (the <cols>
 * element is assembled then), so widths are measured over every row and set at finish.
 *
 * Text is written with worksheet_write_string, which Excel never evaluates as a formula, so
 * opts.neutralise is not applied here: a visible ' would only corrupt the value.
 *
 * As people open it (issue 16): text with line breaks is wrapped (and its rows grow), dates are
 * dates and timestamps say they are UTC ("2026-03-04 05:06 UTC": they are stored so, and Excel
 * has no time zones), money (cells the caller marks so from the field's type, with the row's
 * currency: crm_printer_row_money) has its currency's decimals, a thousands separator and the
 * currency's code, the page is landscape with the columns
 * fitted to its width and the header repeated on every page, and a cell longer than Excel
 * holds is cut to fit and said (opts.warn), not cut silently. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "lazy_xlsx.h"
#include "crm/money.h"
#include "crm/printer.h"
#include "printer_internal.h"

/* Excel's limit on the characters of a cell (UTF-16 units). */
#define XLSX_STR_MAX 32767

struct crm_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date, *time, *wrap, *money;
	char *path, *sheet;
	/* money: a format per currency met */
	char *cur_name[16];
	lxw_format *cur_fmt[16];
	int ncur;
	/* cells cut to Excel's limit: how many, and the first */
	long long cut;
	lxw_row_t cut_row;
	int cut_col;
	char **names;
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	char *meta[4]; /* command, filter, user, time */
	int ncols;
	size_t *width;
	lxw_row_t nrows;     /* data rows written (the header is row 0) */
	long long dropped;   /* rows beyond Excel's limit */
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static void xlsx_free(struct crm_xlsx *x)
{
	free(x->path);
	free(x->sheet);
	for (int i = 0; i < 4; i++)
		free(x->meta[i]);
	free(x->width);
	for (int i = 0; i < x->ncur; i++)
		free(x->cur_name[i]);
	for (int i = 0; x->names && i < x->ncols; i++)
		free(x->names[i]);
	free(x->names);
	free(x);
}

static struct crm_xlsx *xlsx_new(const struct crm_printer_opts *o, struct crm_err *err)
{
	if (!o->path || !*o->path) {
		crm_error(err, CRM_EUSAGE, "xlsx output needs a file name (-o FILE.xlsx)");
		return NULL;
	}
	if (crm_lazy_xlsx(err)) /* loaded now, not by every command (lazy.c) */
		return NULL;
	/* libxlsxwriter creates the file only at workbook_close: check now that it can be written,
	 * not after a long export (and without the library's own message on stderr). */
	FILE *f = fopen(o->path, "r");
	int existed = f != NULL || errno != ENOENT;
	if (f)
		fclose(f);
	f = fopen(o->path, "a");
	if (!f) {
		crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		return NULL;
	}
	fclose(f);
	if (!existed)
		remove(o->path);

	struct crm_xlsx *x = xmalloc(sizeof *x);
	memset(x, 0, sizeof *x);
	x->path = xstrdup(o->path);
	x->sheet = xstrdup(o->sheet_name && *o->sheet_name ? o->sheet_name : "Data");
	x->meta[0] = xstrdup(o->meta_command);
	x->meta[1] = xstrdup(o->meta_filter);
	x->meta[2] = xstrdup(o->meta_user);
	x->meta[3] = xstrdup(o->meta_time);
	x->warn = o->warn;
	x->warn_ctx = o->warn_ctx;

	lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
	x->wb = workbook_new_opt(x->path, &wo);
	if (!x->wb) {
		crm_error(err, CRM_EFAIL, "cannot write '%s': cannot create the workbook", x->path);
		xlsx_free(x);
		return NULL;
	}
	lxw_error e = workbook_validate_sheet_name(x->wb, x->sheet);
	if (e != LXW_NO_ERROR) {
		crm_error(err, CRM_EUSAGE, "invalid sheet name '%s': %s", x->sheet, lxw_strerror(e));
		lxw_workbook_free(x->wb); /* nothing was written yet */
		xlsx_free(x);
		return NULL;
	}
	x->ws = workbook_add_worksheet(x->wb, x->sheet);
	if (!x->ws) {
		crm_error(err, CRM_EFAIL, "cannot write '%s': cannot create a temporary file", x->path);
		lxw_workbook_free(x->wb);
		xlsx_free(x);
		return NULL;
	}
	x->bold = workbook_add_format(x->wb);
	x->date = workbook_add_format(x->wb);
	x->time = workbook_add_format(x->wb);
	x->wrap = workbook_add_format(x->wb);
	x->money = workbook_add_format(x->wb);
	if (!x->bold || !x->date || !x->time || !x->wrap || !x->money)
		abort();
	format_set_bold(x->bold);
	format_set_num_format(x->date, "yyyy-mm-dd");
	format_set_num_format(x->time, "yyyy-mm-dd hh:mm \"UTC\"");
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_num_format(x->money, "#,##0.00");
	return x;
}

/* Excel counts UTF-16 units; U+FFFD stands in for invalid bytes as in the other backends. */
static size_t utf16_len(const char *s, size_t *cut_at, size_t limit)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, units = 0, k;
	uint32_t cp;
	*cut_at = n;
	while (i < n) {
		k = crm_pr_utf8_decode(u + i, n - i, &cp);
		size_t add = k && cp > 0xffff ? 2 : 1;
		if (units + add > limit && *cut_at == n)
			*cut_at = i;
		units += add;
		i += k ? k : 1;
	}
	return units;
}

static size_t cell_width(const char *s)
{
	size_t w = crm_pr_width(s);
	return w > CRM_PR_MAX_WIDTH ? CRM_PR_MAX_WIDTH : w;
}

/* Writes text (wrapped when it has line breaks and no other format is given); 1 if it was cut
 * to fit a cell. */
static int write_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *text,
		      lxw_format *fmt, lxw_format *wrap)
{
	char *tofree;
	const char *s = crm_pr_utf8_clean(text, &tofree); /* XML needs valid UTF-8 */
	size_t cut;
	char *copy = NULL;
	int cut_now = 0;
	if (utf16_len(s, &cut, XLSX_STR_MAX) > XLSX_STR_MAX) {
		cut_now = 1;
		/* Longer than a cell holds: keep what fits rather than lose the whole cell. */
		copy = xmalloc(cut + 1);
		memcpy(copy, s, cut);
		copy[cut] = '\0';
		s = copy;
	}
	if (!fmt && wrap && strchr(s, '\n'))
		fmt = wrap;
	worksheet_write_string(ws, r, c, s, fmt);
	free(copy);
	free(tofree);
	return cut_now;
}

static void xlsx_columns(struct crm_xlsx *x, const char *const *names, int ncols)
{
	if (ncols > LXW_COL_MAX)
		ncols = LXW_COL_MAX;
	x->ncols = ncols;
	x->width = xmalloc((size_t)(ncols ? ncols : 1) * sizeof *x->width);
	for (int i = 0; i < ncols; i++) {
		write_text(x->ws, 0, (lxw_col_t)i, names[i], x->bold, NULL);
		x->width[i] = cell_width(names[i]) + 1; /* bold is a little wider */
	}
	x->names = xmalloc((size_t)(ncols ? ncols : 1) * sizeof *x->names);
	for (int i = 0; i < ncols; i++)
		x->names[i] = xstrdup(names[i]);
	worksheet_freeze_panes(x->ws, 1, 0);
	/* printed: landscape, every column on the page's width, the header on each page */
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_repeat_rows(x->ws, 0, 0);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* "YYYY-MM-DD", then for a timestamp "THH:MM[:SS[.fff]][Z]" (or a space for the T). Excel has
 * no time zones: the UTC time is written as stored. */
static int parse_datetime(const char *s, int with_time, lxw_datetime *dt)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	memset(dt, 0, sizeof *dt);
	if (strlen(s) < 10 || !digits(s, 4, &dt->year) || s[4] != '-' || !digits(s + 5, 2, &dt->month) ||
	    s[7] != '-' || !digits(s + 8, 2, &dt->day))
		return 0;
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->day > mdays[dt->month - 1])
		return 0;
	if (dt->month == 2 && dt->day == 29 &&
	    !(dt->year % 4 == 0 && (dt->year % 100 != 0 || dt->year % 400 == 0)))
		return 0;
	s += 10;
	if (!with_time)
		return *s == '\0';
	if (*s == '\0')
		return 1;
	int sec = 0;
	if ((*s != 'T' && *s != ' ') || !digits(s + 1, 2, &dt->hour) || s[3] != ':' ||
	    !digits(s + 4, 2, &dt->min))
		return 0;
	s += 6;
	if (*s == ':') {
		if (!digits(s + 1, 2, &sec))
			return 0;
		s += 3;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	if (*s == 'Z')
		s++;
	dt->sec = sec;
	return *s == '\0' && dt->hour < 24 && dt->min < 60 && sec < 60;
}

/* The number format of money in currency cur ("EUR", "$"): #,##0.00 "EUR" with the currency's
 * decimals (#,##0 "JPY"); plain #,##0.00 for none, or for text that is no currency's name. */
static lxw_format *money_format(struct crm_xlsx *x, const char *cur)
{
	size_t n = cur ? strlen(cur) : 0;
	if (!n || n > 8)
		return x->money;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)cur[i];
		if (!(c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '$'))
			return x->money;
	}
	for (int i = 0; i < x->ncur; i++)
		if (strcmp(x->cur_name[i], cur) == 0)
			return x->cur_fmt[i];
	if (x->ncur == 16)
		return x->money;
	lxw_format *f = workbook_add_format(x->wb);
	if (!f)
		return x->money;
	char num[64];
	int d = crm_currency_digits(cur); /* JPY 0 decimals, KWD 3 */
	snprintf(num, sizeof num, "#,##0%s%.*s \"%s\"", d ? "." : "", d, "0000", cur);
	format_set_num_format(f, num);
	x->cur_name[x->ncur] = xstrdup(cur);
	x->cur_fmt[x->ncur++] = f;
	return f;
}

/* The digits of a plain decimal that carry its value: all but the leading zeros and the
 * fraction's trailing ones (12345678901234.00 has 14). */
static int significant_digits(const char *s)
{
	const char *point = strchr(s, '.'), *end = s + strlen(s);
	if (point)
		while (end > point + 1 && end[-1] == '0')
			end--;
	int n = 0, leading = 1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s != '0')
			leading = 0;
		n += !leading;
	}
	return n;
}

/* currency: the cell's when it is money ("" for none named), else NULL. */
static void write_cell(struct crm_xlsx *x, lxw_row_t r, lxw_col_t c, const struct crm_value *v,
		       const char *currency)
{
	const char *s = v->text;
	size_t w = 0;
	if (v->type == CRM_V_NULL || !s)
		return; /* blank */
	switch (v->type) {
	case CRM_V_INT:
	case CRM_V_REAL: {
		char *end;
		double d = strtod(s, &end);
		/* Only plain decimals (strtod also takes "inf", hex, leading blanks); a number
		 * beyond Excel's 15 significant digits (a large amount with its cents too) stays
		 * text so that no digit is lost. */
		if (*s && strchr("+-.0123456789", *s) && !strpbrk(s, "xXeE") && !*end && isfinite(d) &&
		    significant_digits(s) <= 15) {
			if (currency) {
				worksheet_write_number(x->ws, r, c, d, money_format(x, currency));
				w = strlen(s) + 4 + strlen(currency);
			} else {
				worksheet_write_number(x->ws, r, c, d, NULL);
				w = strlen(s);
			}
			goto done;
		}
		break;
	}
	case CRM_V_BOOL:
		if (!strcmp(s, "1") || !strcmp(s, "0") || !strcmp(s, "true") || !strcmp(s, "false")) {
			worksheet_write_boolean(x->ws, r, c, s[0] == '1' || s[0] == 't', NULL);
			w = 5;
			goto done;
		}
		break;
	case CRM_V_DATE:
	case CRM_V_TIME: {
		lxw_datetime dt;
		int t = v->type == CRM_V_TIME;
		if (parse_datetime(s, t, &dt)) {
			worksheet_write_datetime(x->ws, r, c, &dt, t ? x->time : x->date);
			w = t ? 20 : 10;
			goto done;
		}
		break;
	}
	case CRM_V_NULL:
	case CRM_V_TEXT:
	case CRM_V_LIST: /* the front has joined lists into text */
		break;
	}
	char *with_currency = NULL;
	if (currency && *currency && (v->type == CRM_V_INT || v->type == CRM_V_REAL)) {
		/* money kept as text keeps its currency too */
		size_t n = strlen(s) + strlen(currency) + 2;
		with_currency = xmalloc(n);
		snprintf(with_currency, n, "%s %s", s, currency);
		s = with_currency;
	}
	int cut_now = write_text(x->ws, r, c, s, NULL, x->wrap);
	if (cut_now && !x->cut++) {
		x->cut_row = r;
		x->cut_col = c;
	}
	w = cell_width(s);
	free(with_currency);
done:
	if (w > x->width[c])
		x->width[c] = w;
}

static void xlsx_row(struct crm_xlsx *x, const struct crm_value *cells, const char *const *currency)
{
	if (x->nrows >= LXW_ROW_MAX - 1) {
		x->dropped++;
		return;
	}
	x->nrows++;
	for (int i = 0; i < x->ncols; i++)
		write_cell(x, x->nrows, (lxw_col_t)i, &cells[i], currency ? currency[i] : NULL);
}

static int names_clash(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		int cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
		if (ca != cb)
			return 0;
	}
	return *a == *b;
}

static lxw_worksheet *write_about(struct crm_xlsx *x)
{
	static const char *const keys[] = {"command", "filter", "user", "time"};
	const char *name = names_clash(x->sheet, "About") ? "About crm" : "About";
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	lxw_row_t r = 0;
	size_t w = 10;
	if (!ws)
		return NULL; /* no temporary file: the data matter more than the metadata */
	for (int i = 0; i < 4; i++) {
		if (!x->meta[i])
			continue;
		worksheet_write_string(ws, r, 0, keys[i], x->bold);
		write_text(ws, r, 1, x->meta[i], NULL, NULL);
		size_t mw = crm_pr_width(x->meta[i]);
		if (mw > w)
			w = mw;
		r++;
	}
	worksheet_write_string(ws, r, 0, "rows", x->bold);
	worksheet_write_number(ws, r, 1, (double)x->nrows, NULL);
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 1, (double)(w > 100 ? 100 : w) + 2, NULL);
	return ws;
}

static int xlsx_finish(struct crm_xlsx *x, struct crm_err *err)
{
	int rc = CRM_OK;
	for (int i = 0; i < x->ncols; i++)
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, (double)x->width[i] + 2, NULL);
	if (x->ncols > 0)
		worksheet_autofilter(x->ws, 0, 0, x->nrows, (lxw_col_t)(x->ncols - 1));
	lxw_worksheet *about = write_about(x);
	/* In constant-memory mode each sheet's rows wait in a temporary file that libxlsxwriter
	 * closes only while assembling the xlsx; when it cannot create the file at all (checked
	 * before the workbook is touched) it leaks them. Known for 1.1.4; newer versions may fix it,
	 * and a double fclose is worse than a leak, so only for the versions known to leak. */
	FILE *tmp[2] = {x->ws->optimize_tmpfile, about ? about->optimize_tmpfile : NULL};
	lxw_error e = workbook_close(x->wb);
#if LXW_VERSION_ID <= 114
	if (e == LXW_ERROR_CREATING_XLSX_FILE)
		for (int i = 0; i < 2; i++)
			if (tmp[i])
				fclose(tmp[i]);
#else
	(void)tmp;
#endif
	if (e == LXW_NO_ERROR && x->cut && x->warn) {
		char msg[512];
		snprintf(msg, sizeof msg, "%lld %s longer than Excel's 32,767 characters %s cut to fit (the first: "
			 "row %u, column '%s'); the whole text is in csv, tsv, json or yaml", x->cut,
			 x->cut == 1 ? "cell" : "cells", x->cut == 1 ? "was" : "were", (unsigned)x->cut_row + 1,
			 x->names[x->cut_col]);
		x->warn(x->warn_ctx, msg);
	}
	if (e != LXW_NO_ERROR)
		rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", x->path, lxw_strerror(e));
	else if (x->dropped)
		rc = crm_error(err, CRM_EFAIL,
			       "cannot write '%s': a sheet holds at most %d rows; the last %lld were left out",
			       x->path, LXW_ROW_MAX - 1, x->dropped);
	xlsx_free(x);
	return rc;
}

/* ---- the backend's hooks ---- */

static int open_xlsx(struct crm_printer *p, struct crm_err *err)
{
	p->be = xlsx_new(&p->o, err);
	return p->be ? CRM_OK : (err && err->code ? err->code : CRM_EFAIL);
}

static void columns(struct crm_printer *p)
{
	xlsx_columns(p->be, (const char *const *)p->cols, p->ncols);
}

static void row(struct crm_printer *p, const struct crm_value *cells)
{
	xlsx_row(p->be, cells, p->row_currency);
}

/* Writes the file and frees the backend, whatever the outcome. */
static int finish(struct crm_printer *p, struct crm_err *err)
{
	return xlsx_finish(p->be, err);
}

const struct crm_printer_ops crm_pr_xlsx = {
	.name = "xlsx",
	.open = open_xlsx,
	.columns = columns,
	.row = row,
	.finish = finish,
};
