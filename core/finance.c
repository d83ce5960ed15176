/* Financials (crm/finance.h): the transaction kind's rules, receivables and ageing, the credit
 * rules of the configuration, contract fulfilment. Amounts are integers of minor units. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/config.h"
#include "crm/date.h"
#include "crm/finance.h"
#include "crm/money.h"
#include "crm/record.h"
#include "util.h"
#include "db.h"

/* ---------------------------------------------------------------- helpers */

static int field_index(const struct crm_kind *k, const char *name)
{
	for (int i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	return -1;
}

static const char *val(const struct crm_kind *k, const char *const *vals, const char *name)
{
	int i = field_index(k, name);
	return i < 0 ? NULL : vals[i];
}

static int field_error(struct crm_err *err, int code, const char *field, const char *fmt, const char *a,
		       const char *b)
{
	crm_error(err, code, fmt, a ? a : "", b ? b : "");
	if (err)
		snprintf(err->field, sizeof err->field, "%s", field);
	return code;
}

/* The year, month and day of a YYYY-MM-DD; 0 when unreadable. */
static int read_ymd(const char *s, int *y, int *m, int *d)
{
	if (!s)
		return 0;
#define D(i) (s[i] >= '0' && s[i] <= '9')
	if (D(0) && D(1) && D(2) && D(3) && s[4] == '-' && D(5) && D(6) && s[7] == '-' && D(8) && D(9)) {
		/* the stored form, read by hand: sscanf was a fifth of a report over millions of rows */
		*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		*m = (s[5] - '0') * 10 + (s[6] - '0');
		*d = (s[8] - '0') * 10 + (s[9] - '0');
		return 1;
	}
#undef D
	return sscanf(s, "%4d-%2d-%2d", y, m, d) == 3;
}

/* Days since 1970-01-01 of a YYYY-MM-DD (the civil calendar, no time zone); 0 when unreadable. */
static long long day_number(const char *s)
{
	int y, m, d;
	if (!read_ymd(s, &y, &m, &d))
		return 0;
	if (y > 0 && m >= 1 && m <= 12) { /* days before the year, before the month, of the month */
		static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
		/* the year's first day and leap, kept for the next date (mostly of the same year) */
		static _Thread_local int year;
		static _Thread_local long long first;
		static _Thread_local int leap;
		if (y != year) {
			long long p = y - 1;
			first = p * 365 + p / 4 - p / 100 + p / 400 - 719162;
			leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
			year = y;
		}
		return first + before[m - 1] + (m > 2 && leap) + d - 1;
	}
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* A YYYY-MM-DD as a number in the same order (year, month, day packed), not a day number: all
 * an order or a "since" needs, without the calendar's arithmetic. 0 when unreadable. */
static long long date_key(const char *s)
{
	int y, m, d;
	if (!read_ymd(s, &y, &m, &d))
		return 0;
	return ((long long)y * 16 + m) * 32 + d;
}

static void today(struct crm *crm, char *out, size_t n)
{
	struct crm_err ignored = { 0 };
	if (crm_date_parse_day("today", crm->now, out, n, &ignored))
		snprintf(out, n, "1970-01-01");
}

/* ---------------------------------------------------------------- the transaction kind's rules */

int crm_transaction_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			  struct crm_err *err)
{
	const char *type = val(k, vals, "type"), *amount = val(k, vals, "amount"), *cur = val(k, vals, "currency");
	const char *applies = val(k, vals, "applies_to"), *line = val(k, vals, "line"), *acct = val(k, vals, "account");
	long long v = 0;
	if (amount && (crm_dec_parse(amount, crm_currency_digits(cur), &v) != CRM_DEC_OK || v <= 0))
		return field_error(err, CRM_EINVALID, "amount", "transaction amount '%s' must be more than 0%s", amount, "");
	int invoice = type && strcasecmp(type, "invoice") == 0;
	if (line && !invoice)
		return field_error(err, CRM_EINVALID, "line", "only an invoice bills a contract line, not a %s%s", type, "");
	if (!applies)
		return CRM_OK;
	if (invoice)
		return field_error(err, CRM_EINVALID, "applies_to",
				   "an invoice applies to no other transaction; a payment or credit note names the invoice it pays%s%s",
				   "", "");
	long long target = atoll(applies);
	if (target == id)
		return field_error(err, CRM_EINVALID, "applies_to", "a transaction cannot pay itself%s%s", "", "");
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT type, account_id, currency, number FROM transactions WHERE id = ?1", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, target);
	int step = crm_step(st);
	char ttype[32] = "", tcur[8] = "", num[128] = "";
	long long tacct = 0;
	if (step == CRM_SQL_ROW) {
		const char *s = (const char *)crm_col_text(st, 0);
		snprintf(ttype, sizeof ttype, "%s", s ? s : "");
		tacct = crm_col_int64(st, 1);
		s = (const char *)crm_col_text(st, 2);
		snprintf(tcur, sizeof tcur, "%s", s ? s : "");
		s = (const char *)crm_col_text(st, 3);
		snprintf(num, sizeof num, "%s", s ? s : "");
	}
	crm_stmt_done(st);
	if (step != CRM_SQL_ROW)
		return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading an invoice", err);
	if (strcasecmp(ttype, "invoice") != 0)
		return field_error(err, CRM_EINVALID, "applies_to", "transaction '%s' is a %s, not an invoice", num, ttype);
	if (acct && tacct != atoll(acct))
		return field_error(err, CRM_EINVALID, "applies_to", "invoice '%s' is another account's%s", num, "");
	if (cur && strcasecmp(cur, tcur) != 0) {
		/* name both currencies: which one the user gave is the thing to mend */
		char both[32];
		snprintf(both, sizeof both, "%s, not %s", tcur, cur);
		return field_error(err, CRM_EINVALID, "applies_to", "invoice '%s' is in %s: a payment or credit note is "
				   "in its invoice's currency", num, both);
	}
	return CRM_OK;
}

/* ---------------------------------------------------------------- receivables */

struct rx_inv {
	long long id, amount, open;
	long long due_n; /* a day number: the order and the ageing */
	long long date_n; /* date_key: the order among invoices due the same day */
	char *number, *date, *due; /* only when open invoices are listed */
};
struct rx_credit {
	long long amount, applies_to;
};
struct rx_sums { /* what the group's rows add up to as they are read */
	long long credit_notes, invoiced_since, credit_notes_since;
};

static int by_due(const void *a, const void *b)
{
	const struct rx_inv *x = a, *y = b;
	if (x->due_n != y->due_n)
		return x->due_n < y->due_n ? -1 : 1;
	if (x->date_n != y->date_n)
		return x->date_n < y->date_n ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

struct rx_group {
	long long account;
	char currency[8];
	struct rx_inv *inv;
	int ninv, cap;
	struct rx_credit *cr;
	int ncr, capcr;
	struct rx_sums sums;
	char digits_of[8]; /* the currency digits was looked up for, and its minor digits */
	int digits;
};

static void group_reset(struct rx_group *g, int copies)
{
	for (int i = 0; copies && i < g->ninv; i++) {
		free(g->inv[i].number);
		free(g->inv[i].date);
		free(g->inv[i].due);
	}
	g->ninv = g->ncr = 0;
	memset(&g->sums, 0, sizeof g->sums);
}

static int group_end(struct rx_group *g, long long asof, int (*sum)(void *, const struct crm_receivable *),
		     int (*inv)(void *, const struct crm_open_invoice *), void *ctx)
{
	struct crm_receivable r = { .account_id = g->account, .currency = g->currency,
				    .digits = g->digits, .credit_notes = g->sums.credit_notes,
				    .invoiced_since = g->sums.invoiced_since,
				    .credit_notes_since = g->sums.credit_notes_since };
	long long pool = 0;
	for (int i = 0; i < g->ninv; i++) {
		g->inv[i].open = g->inv[i].amount;
		r.invoiced += g->inv[i].amount;
	}
	/* First what a payment or credit note names: the invoice it applies to. */
	for (int c = 0; c < g->ncr; c++) {
		long long left = g->cr[c].amount;
		r.credited += left;
		for (int i = 0; i < g->ninv && g->cr[c].applies_to && left; i++)
			if (g->inv[i].id == g->cr[c].applies_to) {
				long long take = left < g->inv[i].open ? left : g->inv[i].open;
				g->inv[i].open -= take;
				left -= take;
			}
		pool += left;
	}
	/* Then the rest, oldest due first: the walk's order already, but for invoices without a due
	 * date (due on their date), which the index puts first. */
	int sorted = 1;
	for (int i = 1; i < g->ninv && sorted; i++)
		sorted = by_due(&g->inv[i - 1], &g->inv[i]) <= 0;
	if (!sorted)
		qsort(g->inv, (size_t)g->ninv, sizeof *g->inv, by_due);
	for (int i = 0; i < g->ninv && pool; i++) {
		long long take = pool < g->inv[i].open ? pool : g->inv[i].open;
		g->inv[i].open -= take;
		pool -= take;
	}
	r.balance = r.invoiced - r.credited;
	r.unapplied = pool;
	int rc = 0;
	for (int i = 0; i < g->ninv && !rc; i++) {
		if (!g->inv[i].open)
			continue;
		long long days = asof - g->inv[i].due_n;
		int b = days <= 0 ? CRM_AGE_CURRENT : days <= 30 ? CRM_AGE_1_30 : days <= 60 ? CRM_AGE_31_60
			: days <= 90 ? CRM_AGE_61_90 : CRM_AGE_OVER_90;
		r.age[b] += g->inv[i].open;
		if (b != CRM_AGE_CURRENT)
			r.overdue += g->inv[i].open;
		r.open_invoices++;
		if (inv) {
			struct crm_open_invoice oi = { g->inv[i].id, g->account, g->inv[i].number, g->inv[i].date,
						       g->inv[i].due, g->currency, r.digits, g->inv[i].amount,
						       g->inv[i].open, days };
			rc = inv(ctx, &oi);
		}
	}
	if (!rc && sum && (g->ninv || g->ncr))
		rc = sum(ctx, &r);
	group_reset(g, inv != NULL);
	return rc;
}

/* Whether two short strings (a currency, a type) are the same: compared inline, not by a
 * library call per row (those calls were a twentieth of a report over millions of rows). */
static inline int same_text(const char *a, const char *b)
{
	/* a currency's three letters unrolled, the rest in a loop */
	if (a[0] != b[0] || !a[0])
		return a[0] == b[0];
	if (a[1] != b[1] || !a[1])
		return a[1] == b[1];
	if (a[2] != b[2] || !a[2])
		return a[2] == b[2];
	a += 3, b += 3;
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A transaction's type: 'i' invoice, 'c' credit note, 'p' anything else (a payment, or a
 * type the configuration adds). The whole word is compared only when its first letter could
 * begin one of the two (comparing every row's whole word in any case with strcasecmp was a
 * twentieth of a report over millions of rows). */
static char type_of(const char *t)
{
	if (!t)
		return 'p';
	char c = (char)(t[0] | 0x20);
	if (c == 'i') /* as stored, one letter after the other; else in any case */
		return (t[0] == 'i' && t[1] == 'n' && t[2] == 'v' && t[3] == 'o' && t[4] == 'i' && t[5] == 'c' &&
			t[6] == 'e' && !t[7]) || strcasecmp(t, "invoice") == 0 ? 'i' : 'p';
	if (c == 'c')
		return same_text(t, "credit_note") || strcasecmp(t, "credit_note") == 0 ? 'c' : 'p';
	return 'p';
}

int crm_receivables(struct crm *crm, long long account, const char *asof,
		    int (*sum)(void *ctx, const struct crm_receivable *r),
		    int (*inv)(void *ctx, const struct crm_open_invoice *i), void *ctx, struct crm_err *err)
{
	return crm_receivables_since(crm, account, asof, NULL, sum, inv, ctx, err);
}

int crm_receivables_since(struct crm *crm, long long account, const char *asof, const char *since,
			  int (*sum)(void *ctx, const struct crm_receivable *r),
			  int (*inv)(void *ctx, const struct crm_open_invoice *i), void *ctx, struct crm_err *err)
{
	long long since_n = since ? date_key(since) : 0;
	char day[16];
	if (!asof) {
		today(crm, day, sizeof day);
		asof = day;
	}
	long long asof_n = day_number(asof);
	/* In the order of the index transactions_receivables: one account and currency after
	 * another, never a sort of the whole table; a group is ordered by due date in memory. */
	/* The invoices' numbers only when they are listed: without them the index covers the walk. */
	const char *sql = account
		? (inv ? "SELECT t.account_id, t.currency, t.type, t.id, t.number, t.amount, t.date, t.due_date, "
			 "t.applies_to_id FROM transactions t WHERE t.account_id = ?1 AND t.status = 'open' "
			 "ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
		       : "SELECT t.account_id, t.currency, t.type, t.id, NULL, t.amount, t.date, t.due_date, "
			 "t.applies_to_id FROM transactions t WHERE t.account_id = ?1 AND t.status = 'open' "
			 "ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id")
		: (inv ? "SELECT t.account_id, t.currency, t.type, t.id, t.number, t.amount, t.date, t.due_date, "
			 "t.applies_to_id FROM transactions t WHERE t.status = 'open' "
			 "ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
		       : "SELECT t.account_id, t.currency, t.type, t.id, NULL, t.amount, t.date, t.due_date, "
			 "t.applies_to_id FROM transactions t WHERE t.status = 'open' "
			 "ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id");
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	if (account)
		crm_bind_int64(st, 1, account);
	struct rx_group g = { .digits = 2 };
	int step, started = 0, stop = 0;
	while (!stop && (step = crm_step(st)) == CRM_SQL_ROW) {
		long long acct = crm_col_int64(st, 0);
		const char *cur = (const char *)crm_col_text(st, 1);
		if (!cur)
			cur = "";
		int same = started && acct == g.account && same_text(cur, g.currency);
		if (started && !same)
			stop = group_end(&g, asof_n, sum, inv, ctx);
		if (!same) {
			started = 1;
			g.account = acct;
			snprintf(g.currency, sizeof g.currency, "%s", cur);
			if (!started || !same_text(g.currency, g.digits_of)) { /* a table search: once a currency */
				memcpy(g.digits_of, g.currency, sizeof g.digits_of);
				g.digits = crm_currency_digits(g.currency);
			}
		}
		char type = type_of((const char *)crm_col_text(st, 2));
		long long amount = crm_col_int64(st, 5);
		if (type == 'i') {
			if (g.ninv == g.cap)
				g.inv = xrealloc(g.inv, (size_t)(g.cap = g.cap ? g.cap * 2 : 16) * sizeof *g.inv);
			struct rx_inv *x = &g.inv[g.ninv++];
			const char *date = (const char *)crm_col_text(st, 6), *due = (const char *)crm_col_text(st, 7);
			x->id = crm_col_int64(st, 3);
			x->amount = amount;
			x->date_n = date_key(date);
			if (since && x->date_n > since_n)
				g.sums.invoiced_since += amount;
			x->due_n = day_number(due ? due : date);
			/* Copies only for the invoices listed: a report of every account's balance
			 * reads millions of rows and keeps numbers. */
			if (inv) {
				const char *num = (const char *)crm_col_text(st, 4);
				x->number = xstrdup(num ? num : "");
				x->date = xstrdup(date ? date : "");
				x->due = xstrdup(due ? due : x->date);
			} else {
				x->number = x->date = x->due = NULL;
			}
		} else {
			if (type == 'c') {
				g.sums.credit_notes += amount;
				if (since && date_key((const char *)crm_col_text(st, 6)) > since_n)
					g.sums.credit_notes_since += amount;
			}
			if (g.ncr == g.capcr)
				g.cr = xrealloc(g.cr, (size_t)(g.capcr = g.capcr ? g.capcr * 2 : 16) * sizeof *g.cr);
			g.cr[g.ncr].amount = amount;
			g.cr[g.ncr++].applies_to = crm_col_int64(st, 8);
		}
	}
	if (!stop && step != CRM_SQL_DONE)
		rc = crm_db_error(crm, step, "reading the receivables", err);
	crm_finalize(st);
	if (!rc && !stop && started)
		stop = group_end(&g, asof_n, sum, inv, ctx);
	group_reset(&g, inv != NULL);
	free(g.inv);
	free(g.cr);
	if (!rc && stop)
		rc = stop;
	return rc;
}

/* The accounts' names for a report over all of them, read in one pass in the walk's order
 * (account number) before the walk, instead of one lookup per account while it runs (which on
 * PostgreSQL would also make the streamed walk be buffered whole). */
struct rx_names {
	long long *ids;
	size_t *at; /* offsets into text */
	struct strbuf text;
	size_t n, cap, pos;
};

static int names_load(struct crm *crm, struct rx_names *nm, struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find("account");
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT t.id, %s FROM %s t ORDER BY t.id", k->label_sql, k->table);
	crm_stmt *st;
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	int step;
	sb_addn(&nm->text, "", 1); /* names end in their NUL; none starts at 0 */
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		if (nm->n == nm->cap) {
			nm->cap = nm->cap ? nm->cap * 2 : 1024;
			nm->ids = xrealloc(nm->ids, nm->cap * sizeof *nm->ids);
			nm->at = xrealloc(nm->at, nm->cap * sizeof *nm->at);
		}
		const char *t = (const char *)crm_col_text(st, 1);
		nm->ids[nm->n] = crm_col_int64(st, 0);
		nm->at[nm->n++] = nm->text.len;
		sb_addn(&nm->text, t ? t : "", (t ? strlen(t) : 0) + 1);
	}
	if (step != CRM_SQL_DONE)
		rc = crm_db_error(crm, step, "reading the accounts' names", err);
	crm_finalize(st);
	return rc;
}

/* The name of account id: the walk asks in rising order, so a cursor moves on; else a search. */
static const char *names_get(struct rx_names *nm, long long id)
{
	while (nm->pos < nm->n && nm->ids[nm->pos] < id)
		nm->pos++;
	if (nm->pos < nm->n && nm->ids[nm->pos] == id)
		return nm->text.s + nm->at[nm->pos];
	size_t lo = 0, hi = nm->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nm->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nm->n && nm->ids[lo] == id) {
		nm->pos = lo;
		return nm->text.s + nm->at[lo];
	}
	return "";
}

static void names_free(struct rx_names *nm)
{
	free(nm->ids);
	free(nm->at);
	sb_free(&nm->text);
}

struct rx_print {
	struct crm *crm;
	struct crm_printer *p;
	int with_account;
	long long label_of;
	char *label;
	struct rx_names *names; /* all accounts', when the report is over all of them */
};

static int print_sum(void *ctx, const struct crm_receivable *r)
{
	struct rx_print *x = ctx;
	if (x->with_account && x->label_of != r->account_id) {
		free(x->label);
		x->label = x->names ? NULL : crm_record_label(x->crm, crm_kind_find("account"), r->account_id);
		x->label_of = r->account_id;
	}
	const char *label = x->names ? names_get(x->names, r->account_id) : x->label ? x->label : "";
	long long amounts[9] = { r->balance, r->age[0], r->age[1], r->age[2], r->age[3], r->age[4], r->overdue,
				 r->unapplied };
	char buf[9][32], count[32];
	struct crm_value cells[12];
	const char *curs[12] = { NULL };
	int n = 0;
	if (x->with_account)
		cells[n++] = (struct crm_value){ CRM_V_TEXT, label };
	cells[n++] = (struct crm_value){ *r->currency ? CRM_V_TEXT : CRM_V_NULL, *r->currency ? r->currency : NULL };
	for (int i = 0; i < 8; i++) {
		crm_dec_format(amounts[i], r->digits, buf[i], sizeof buf[i]);
		curs[n] = r->currency;
		cells[n++] = (struct crm_value){ CRM_V_REAL, buf[i] };
	}
	snprintf(count, sizeof count, "%lld", r->open_invoices);
	cells[n++] = (struct crm_value){ CRM_V_INT, count };
	crm_printer_row_money(x->p, cells, curs);
	return 0;
}

int crm_receivables_print(struct crm *crm, long long account, const char *asof, int with_account,
			  struct crm_printer *p, struct crm_err *err)
{
	static const char *const names[] = { "account", "currency", "balance", "current", "days_1_30", "days_31_60",
					     "days_61_90", "days_over_90", "overdue", "unapplied", "open_invoices" };
	crm_printer_columns(p, names + !with_account, 11 - !with_account);
	struct rx_names all = { 0 };
	struct rx_print x = { crm, p, with_account, 0, NULL, NULL };
	int rc = CRM_OK;
	if (with_account && !account) {
		rc = names_load(crm, &all, err);
		x.names = &all;
	}
	if (!rc)
		rc = crm_receivables(crm, account, asof, print_sum, NULL, &x, err);
	free(x.label);
	names_free(&all);
	return rc;
}

static int print_inv(void *ctx, const struct crm_open_invoice *i)
{
	struct rx_print *x = ctx;
	char amount[32], open[32], days[32];
	crm_dec_format(i->amount, i->digits, amount, sizeof amount);
	crm_dec_format(i->open, i->digits, open, sizeof open);
	snprintf(days, sizeof days, "%lld", i->days > 0 ? i->days : 0);
	struct crm_value cells[7] = {
		{ CRM_V_TEXT, i->number }, { CRM_V_DATE, i->date }, { CRM_V_DATE, i->due },
		{ *i->currency ? CRM_V_TEXT : CRM_V_NULL, *i->currency ? i->currency : NULL },
		{ CRM_V_REAL, amount }, { CRM_V_REAL, open }, { CRM_V_INT, days },
	};
	const char *curs[7] = { NULL, NULL, NULL, NULL, i->currency, i->currency, NULL };
	crm_printer_row_money(x->p, cells, curs);
	return 0;
}

int crm_open_invoices_print(struct crm *crm, long long account, const char *asof, struct crm_printer *p,
			    struct crm_err *err)
{
	static const char *const names[] = { "number", "date", "due", "currency", "amount", "open", "days_overdue" };
	crm_printer_columns(p, names, 7);
	struct rx_print x = { crm, p, 0, 0, NULL, NULL };
	return crm_receivables(crm, account, asof, NULL, print_inv, &x, err);
}

/* One invoice's part of the walk: what is left of it and how late, when the walk has it. */
struct one_inv {
	long long id, open, days;
	int found;
};

static int one_inv(void *ctx, const struct crm_open_invoice *i)
{
	struct one_inv *o = ctx;
	if (i->id == o->id) {
		o->open = i->open;
		o->days = i->days;
		o->found = 1;
	}
	return 0;
}

int crm_invoice_open_print(struct crm *crm, long long id, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT type, status, account_id, currency, amount FROM transactions WHERE id = ?1",
			      &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step = crm_step(st);
	char type[32] = "", status[32] = "", cur[8] = "";
	long long account = 0, amount = 0;
	if (step == CRM_SQL_ROW) {
		const char *s = (const char *)crm_col_text(st, 0);
		snprintf(type, sizeof type, "%s", s ? s : "");
		s = (const char *)crm_col_text(st, 1);
		snprintf(status, sizeof status, "%s", s ? s : "");
		account = crm_col_int64(st, 2);
		s = (const char *)crm_col_text(st, 3);
		snprintf(cur, sizeof cur, "%s", s ? s : "");
		amount = crm_col_int64(st, 4);
	}
	crm_stmt_done(st);
	if (step != CRM_SQL_ROW)
		return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading an invoice", err);
	/* only an issued invoice is owed: a draft or void one has nothing to say here */
	if (strcasecmp(type, "invoice") != 0 || strcasecmp(status, "open") != 0)
		return CRM_OK;
	struct one_inv o = { id, 0, 0, 0 };
	if ((rc = crm_receivables(crm, account, NULL, NULL, one_inv, &o, err)))
		return rc;
	static const char *const names[] = { "currency", "amount", "paid", "open", "days_overdue" };
	crm_printer_columns(p, names, 5);
	int digits = crm_currency_digits(cur);
	char a[32], paid[32], open[32], days[32];
	crm_dec_format(amount, digits, a, sizeof a);
	crm_dec_format(amount - o.open, digits, paid, sizeof paid);
	crm_dec_format(o.open, digits, open, sizeof open);
	snprintf(days, sizeof days, "%lld", o.found && o.days > 0 ? o.days : 0);
	struct crm_value cells[5] = {
		{ *cur ? CRM_V_TEXT : CRM_V_NULL, *cur ? cur : NULL }, { CRM_V_REAL, a }, { CRM_V_REAL, paid },
		{ CRM_V_REAL, open }, { CRM_V_INT, days },
	};
	const char *curs[5] = { NULL, cur, cur, cur, NULL };
	crm_printer_row_money(p, cells, curs);
	return CRM_OK;
}

/* ---------------------------------------------------------------- credit rules */

static void (*warn_fn)(void *, const char *);
static void *warn_ctx;

void crm_finance_set_warn(void (*fn)(void *ctx, const char *msg), void *ctx)
{
	warn_fn = fn;
	warn_ctx = ctx;
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	if (!warn_fn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	warn_fn(warn_ctx, msg);
}

struct balance_ctx {
	const char *currency;
	long long balance, overdue_days, max_days;
	int seen;
};

static int balance_sum(void *ctx, const struct crm_receivable *r)
{
	struct balance_ctx *b = ctx;
	if (b->currency && strcmp(r->currency, b->currency) == 0) {
		b->balance = r->balance;
		b->seen = 1;
	}
	return 0;
}

static int balance_inv(void *ctx, const struct crm_open_invoice *i)
{
	struct balance_ctx *b = ctx;
	if (i->days > b->max_days)
		b->max_days = i->days;
	return 0;
}

struct account_credit {
	char *name, *rating, *currency;
	long long limit; /* -1: none */
	int digits;
	long long balance, max_days;
	/* the rating's rule */
	int refuse;
	long long deposit; /* percent */
	const char *payment;
};

static void credit_free(struct account_credit *a)
{
	free(a->name);
	free(a->rating);
	free(a->currency);
}

static const char *conf_str(const struct crm_conf_node *n, const char *key)
{
	const struct crm_conf_node *c = n ? crm_conf_get(n, key) : NULL;
	return c ? crm_conf_scalar(c) : NULL;
}

static int account_credit(struct crm *crm, long long account, struct account_credit *a, struct crm_err *err)
{
	memset(a, 0, sizeof *a);
	a->limit = -1;
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT name, credit_rating, credit_limit, currency FROM accounts WHERE id = ?1", &st,
			      err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, account);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW) {
		const char *s = (const char *)crm_col_text(st, 0);
		a->name = xstrdup(s ? s : "");
		s = (const char *)crm_col_text(st, 1);
		a->rating = s ? xstrdup(s) : NULL;
		if (crm_col_type(st, 2) != CRM_COL_NULL)
			a->limit = crm_col_int64(st, 2);
		s = (const char *)crm_col_text(st, 3);
		a->currency = xstrdup(s ? s : crm_config_get(crm->cfg, "currency") ? crm_config_get(crm->cfg, "currency") : "EUR");
	}
	crm_stmt_done(st);
	if (step != CRM_SQL_ROW)
		return step == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "account %lld not found", account)
					    : crm_db_error(crm, step, "reading an account", err);
	a->digits = crm_currency_digits(a->currency);
	struct balance_ctx b = { a->currency, 0, 0, 0, 0 };
	if ((rc = crm_receivables(crm, account, NULL, balance_sum, balance_inv, &b, err))) {
		credit_free(a);
		return rc;
	}
	a->balance = b.balance;
	a->max_days = b.max_days;
	const struct crm_conf_node *ratings = crm_config_node(crm->cfg, "credit.ratings");
	size_t n = crm_conf_count(ratings);
	for (size_t i = 0; a->rating && i < n; i++)
		if (strcasecmp(crm_conf_key(ratings, i), a->rating) == 0) {
			const struct crm_conf_node *r = crm_conf_child(ratings, i);
			const char *refuse = conf_str(r, "refuse"), *deposit = conf_str(r, "deposit");
			a->refuse = refuse && (strcasecmp(refuse, "yes") == 0 || strcasecmp(refuse, "true") == 0);
			a->deposit = deposit ? atoll(deposit) : 0;
			a->payment = conf_str(r, "payment");
		}
	return CRM_OK;
}

/* "refuse", "warn" or "ignore" for what: contract, offer, ticket. */
static const char *over_limit_rule(struct crm *crm, const char *what)
{
	char path[64];
	snprintf(path, sizeof path, "credit.over_limit.%s", what);
	const char *s = crm_config_get(crm->cfg, path);
	return s ? s : "ignore";
}

static int credit_check(struct crm *crm, const char *what, long long account, long long value, const char *currency,
			struct crm_err *err)
{
	struct account_credit a;
	int rc = account_credit(crm, account, &a, err);
	if (rc)
		return rc;
	char bal[32], lim[32], after[32];
	crm_dec_format(a.balance, a.digits, bal, sizeof bal);
	if (a.refuse) {
		rc = crm_error(err, CRM_EINVALID, "account '%s' has credit rating %s: no new %s (credit.ratings)", a.name,
			       a.rating, what);
		snprintf(err->field, sizeof err->field, "account");
		credit_free(&a);
		return rc;
	}
	const char *over = over_limit_rule(crm, what);
	int comparable = a.limit >= 0 && (!currency || strcmp(currency, a.currency) == 0);
	long long total = a.balance + (comparable ? value : 0);
	if (comparable && total > a.limit && strcasecmp(over, "ignore") != 0) {
		crm_dec_format(a.limit, a.digits, lim, sizeof lim);
		crm_dec_format(total, a.digits, after, sizeof after);
		if (strcasecmp(over, "refuse") == 0) {
			if (value)
				rc = crm_error(err, CRM_EINVALID,
					       "account '%s' would owe %s %s with this %s, over its credit limit of %s %s "
					       "(open balance %s)", a.name, after, a.currency, what, lim, a.currency, bal);
			else
				rc = crm_error(err, CRM_EINVALID,
					       "account '%s' owes %s %s, over its credit limit of %s %s: no new %s",
					       a.name, bal, a.currency, lim, a.currency, what);
			snprintf(err->field, sizeof err->field, "account");
			credit_free(&a);
			return rc;
		}
		if (value)
			warn("account '%s' would owe %s %s with this %s, over its credit limit of %s %s (open balance %s)",
			     a.name, after, a.currency, what, lim, a.currency, bal);
		else
			warn("account '%s' owes %s %s, over its credit limit of %s %s", a.name, bal, a.currency, lim,
			     a.currency);
	}
	const char *od = crm_config_get(crm->cfg, "credit.overdue_days");
	if (od && a.max_days > atoll(od))
		warn("account '%s' has an invoice %lld days overdue (credit.overdue_days: %s)", a.name, a.max_days, od);
	if (value && a.deposit > 0) {
		long long dep = 0;
		char d[32];
		int digits = crm_currency_digits(currency);
		crm_dec_mul(value, digits, a.deposit, 2, digits, &dep);
		/* deposit is whole percent: value x deposit / 100 */
		crm_dec_format(dep, digits, d, sizeof d);
		warn("account '%s' (credit rating %s) pays a deposit of %lld%% (%s %s) before work starts%s%s", a.name,
		     a.rating, a.deposit, d, currency ? currency : "", a.payment ? "; payment: " : "",
		     a.payment ? a.payment : "");
	}
	credit_free(&a);
	return CRM_OK;
}

/* The stored text of field name of record id (crm_record_values), copied into out ("" when empty). */
static int stored_value(struct crm *crm, const struct crm_kind *k, long long id, const char *name, char *out,
			size_t n, struct crm_err *err)
{
	char **old;
	int rc = crm_record_values(crm, k, id, &old, err);
	if (rc)
		return rc;
	int i = field_index(k, name);
	snprintf(out, n, "%s", i >= 0 && old[i] ? old[i] : "");
	crm_record_values_free(k, old);
	return CRM_OK;
}

/* Whether an edit moves record id to another account: then it is new work for that account,
 * checked as an add is. */
static int moved(struct crm *crm, const struct crm_kind *k, long long id, const char *acct, int *yes,
		 struct crm_err *err)
{
	char before[32];
	int rc = stored_value(crm, k, id, "account", before, sizeof before, err);
	*yes = !rc && acct && atoll(before) != atoll(acct);
	return rc;
}

int crm_contract_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			      struct crm_err *err)
{
	const char *acct = val(k, vals, "account"), *value = val(k, vals, "value"), *cur = val(k, vals, "currency");
	if (!acct)
		return CRM_OK;
	long long v = 0;
	if (value)
		crm_dec_parse(value, crm_currency_digits(cur), &v);
	int other = 0, rc = id ? moved(crm, k, id, acct, &other, err) : CRM_OK;
	if (rc)
		return rc;
	if (id && !other) {
		/* an edit on the same account: checked again only when it raises the value in the
		 * same currency; in another currency, or moved to another account, it is all new */
		char before[64], bcur[16];
		long long o = 0;
		rc = stored_value(crm, k, id, "value", before, sizeof before, err);
		if (!rc)
			rc = stored_value(crm, k, id, "currency", bcur, sizeof bcur, err);
		if (rc)
			return rc;
		if (*before)
			crm_dec_parse(before, crm_currency_digits(cur), &o);
		if (v <= o && strcasecmp(bcur, cur ? cur : "") == 0)
			return CRM_OK;
	}
	return credit_check(crm, "contract", atoll(acct), v, cur, err);
}

int crm_offer_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			   struct crm_err *err)
{
	const char *acct = val(k, vals, "account"), *status = val(k, vals, "status"), *cur = val(k, vals, "currency");
	if (!acct)
		return CRM_OK;
	int other = 0;
	if (!id) /* a new offer has no lines yet: the balance alone, and the rating */
		return credit_check(crm, "offer", atoll(acct), 0, NULL, err);
	int rc = moved(crm, k, id, acct, &other, err);
	if (rc)
		return rc;
	/* Sending it to the client commits to its total; a sent offer moved to another account
	 * commits that one. Moved while not sent, it is a new offer for that account. */
	int sent = status && strcasecmp(status, "sent") == 0;
	if (!sent)
		return other ? credit_check(crm, "offer", atoll(acct), 0, NULL, err) : CRM_OK;
	char before[64], total[64];
	rc = stored_value(crm, k, id, "status", before, sizeof before, err);
	if (!rc && (other || strcasecmp(before, "sent") != 0))
		rc = stored_value(crm, k, id, "total", total, sizeof total, err);
	if (rc || (!other && strcasecmp(before, "sent") == 0))
		return rc;
	long long v = 0;
	if (*total)
		crm_dec_parse(total, crm_currency_digits(cur), &v);
	return credit_check(crm, "offer", atoll(acct), v, cur, err);
}

/* A ticket carries no amount: what counts is the account it is work for (its balance against
 * the limit, and its rating). An edit that moves it to another account is new work there. */
int crm_ticket_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			    struct crm_err *err)
{
	const char *acct = val(k, vals, "account");
	if (!acct)
		return CRM_OK;
	int other = 1;
	int rc = id ? moved(crm, k, id, acct, &other, err) : CRM_OK;
	return rc || !other ? rc : credit_check(crm, "ticket", atoll(acct), 0, NULL, err);
}

int crm_credit_print(struct crm *crm, long long account, struct crm_printer *p, struct crm_err *err)
{
	struct account_credit a;
	int rc = account_credit(crm, account, &a, err);
	if (rc)
		return rc;
	static const char *const names[] = { "rating", "currency", "limit", "balance", "available", "deposit",
					     "payment", "new_contracts" };
	crm_printer_columns(p, names, 8);
	if (!a.rating && a.limit < 0) { /* nothing to say: no row, the section stays out */
		credit_free(&a);
		return CRM_OK;
	}
	char lim[32], bal[32], avail[32], dep[32];
	crm_dec_format(a.balance, a.digits, bal, sizeof bal);
	if (a.limit >= 0) {
		crm_dec_format(a.limit, a.digits, lim, sizeof lim);
		crm_dec_format(a.limit - a.balance, a.digits, avail, sizeof avail);
	}
	snprintf(dep, sizeof dep, "%lld%%", a.deposit);
	struct crm_value cells[8] = {
		{ a.rating ? CRM_V_TEXT : CRM_V_NULL, a.rating },
		{ CRM_V_TEXT, a.currency },
		{ a.limit >= 0 ? CRM_V_REAL : CRM_V_NULL, a.limit >= 0 ? lim : NULL },
		{ CRM_V_REAL, bal },
		{ a.limit >= 0 ? CRM_V_REAL : CRM_V_NULL, a.limit >= 0 ? avail : NULL },
		{ CRM_V_TEXT, dep },
		{ a.payment ? CRM_V_TEXT : CRM_V_NULL, a.payment },
		{ CRM_V_TEXT, a.refuse ? "refused" : a.limit >= 0 && a.balance > a.limit ? "over limit" : "allowed" },
	};
	const char *curs[8] = { NULL, NULL, a.currency, a.currency, a.currency, NULL, NULL, NULL };
	crm_printer_row_money(p, cells, curs);
	credit_free(&a);
	return CRM_OK;
}

/* ---------------------------------------------------------------- contract fulfilment */

int crm_contract_deliver(struct crm *crm, long long contract, const char *line, const char *day, long long *txn,
			 int *created, struct crm_err *err)
{
	const struct crm_kind *lk = crm_kind_find("contract_line"), *tk = crm_kind_find("transaction");
	const struct crm_field *amount = crm_kind_field(lk, "amount", NULL);
	*txn = 0;
	*created = 0;
	char when[16];
	int rc;
	if (day) {
		if ((rc = crm_date_parse_day(day, crm->now, when, sizeof when, err)))
			return rc;
	} else {
		today(crm, when, sizeof when);
	}
	/* The line: its number, or its product among the contract's lines. */
	long long lid = 0;
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT t.id, t.contract_id, %s, c.currency, c.account_id, t.product, c.title FROM contract_lines t "
		"JOIN contracts c ON c.id = t.contract_id WHERE t.contract_id = ?1 AND "
		"(CAST(t.id AS TEXT) = ?2 OR lower(t.product) = lower(?2))", amount->column);
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, contract);
	crm_bind_text(st, 2, line);
	long long amt = 0, account = 0;
	int has_amount = 0, n = 0, step;
	char cur[8] = "", product[256] = "", title[256] = "";
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		n++;
		lid = crm_col_int64(st, 0);
		has_amount = crm_col_type(st, 2) != CRM_COL_NULL;
		amt = crm_col_int64(st, 2);
		const char *s = (const char *)crm_col_text(st, 3);
		snprintf(cur, sizeof cur, "%s", s ? s : "");
		account = crm_col_int64(st, 4);
		s = (const char *)crm_col_text(st, 5);
		snprintf(product, sizeof product, "%s", s ? s : "");
		s = (const char *)crm_col_text(st, 6);
		snprintf(title, sizeof title, "%s", s ? s : "");
	}
	crm_finalize(st);
	if (step != CRM_SQL_DONE)
		return crm_db_error(crm, step, "reading a contract line", err);
	if (n == 0)
		return crm_error(err, CRM_ENOTFOUND, "contract line '%s' not found on contract %lld", line, contract);
	if (n > 1)
		return crm_error(err, CRM_ECONFLICT, "contract %lld has %d lines of '%s'; name the line by number",
				 contract, n, line);
	/* Delivered: the line's date, once (a later delivery keeps the first date). */
	rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	crm_stmt *q;
	if ((rc = crm_stmt_get(crm, "SELECT id FROM transactions WHERE contract_line_id = ?1", &q, err)))
		goto fail;
	crm_bind_int64(q, 1, lid);
	if ((step = crm_step(q)) == CRM_SQL_ROW)
		*txn = crm_col_int64(q, 0);
	crm_stmt_done(q);
	if (step != CRM_SQL_ROW && step != CRM_SQL_DONE) {
		rc = crm_db_error(crm, step, "finding the line's invoice", err);
		goto fail;
	}
	struct crm_assign d[] = { { "delivered", when } };
	char *stored = NULL;
	if ((rc = crm_stmt_get(crm, "SELECT delivered FROM contract_lines WHERE id = ?1", &q, err)))
		goto fail;
	crm_bind_int64(q, 1, lid);
	if (crm_step(q) == CRM_SQL_ROW && crm_col_text(q, 0))
		stored = xstrdup((const char *)crm_col_text(q, 0));
	crm_stmt_done(q);
	if (!stored && (rc = crm_record_edit(crm, lk, lid, d, 1, NULL, err)))
		goto fail;
	free(stored);
	if (!*txn) {
		if (!has_amount || amt <= 0) {
			rc = crm_error(err, CRM_EINVALID, "contract line %lld ('%s') has no price: nothing to invoice", lid,
				       product);
			goto fail;
		}
		char num[64], ids[3][32], money[32], notes[600];
		snprintf(num, sizeof num, "D-%lld-%lld", contract, lid);
		snprintf(ids[0], sizeof ids[0], "%lld", account);
		snprintf(ids[1], sizeof ids[1], "%lld", contract);
		snprintf(ids[2], sizeof ids[2], "%lld", lid);
		crm_dec_format(amt, crm_currency_digits(cur), money, sizeof money);
		snprintf(notes, sizeof notes, "delivered: %s (%s)", product, title);
		struct crm_assign set[] = {
			{ "type", "invoice" }, { "number", num }, { "account", ids[0] }, { "date", when },
			{ "amount", money }, { "currency", cur }, { "status", "draft" }, { "contract", ids[1] },
			{ "line", ids[2] }, { "notes", notes },
		};
		if ((rc = crm_record_add(crm, tk, set, (int)(sizeof set / sizeof *set), txn, err)))
			goto fail;
		*created = 1;
	}
	return crm_tx_commit(crm, err);
fail:
	crm_tx_rollback(crm);
	return rc;
}
