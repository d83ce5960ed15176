/* Financials (issue 15): an account's transactions (invoices, payments, credit notes), their
 * receivables (payments and credit notes allocated to invoices, ageing), the credit rules of the
 * configuration (`credit:`), contract fulfilment, and the client value report. Every amount is
 * an integer of minor units of its currency; amounts in two currencies are never added. */
#ifndef CRM_FINANCE_H
#define CRM_FINANCE_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/report.h"

/* The transaction kind's own rules (crm_kind.check): an amount more than 0; applies_to only on
 * a payment or credit note, naming an invoice of the same account and currency; line only on
 * an invoice. */
int crm_transaction_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			  struct crm_err *err);

/* The credit rules (crm-config(5), `credit:`) checked when a contract is added (its value with
 * the account's open balance against the credit limit, the rating's refusal, deposit and
 * payment method) and when a ticket is opened (the open balance against the limit, the
 * rating's refusal). A refusal is CRM_EINVALID; a warning goes to the warning hook. */
int crm_contract_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			      struct crm_err *err);
/* The same for an offer: when it is added (the balance against the limit, the rating's refusal)
 * and when it is sent (its total, as a contract's value); a contract also when an edit raises
 * its value. */
int crm_offer_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			   struct crm_err *err);
int crm_ticket_credit_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			    struct crm_err *err);
/* Where warnings of the credit rules go (cmd/ prints them on stderr); NULL: nowhere. */
void crm_finance_set_warn(void (*fn)(void *ctx, const char *msg), void *ctx);

/* Receivables of one account and currency as of a day. */
enum { CRM_AGE_CURRENT, CRM_AGE_1_30, CRM_AGE_31_60, CRM_AGE_61_90, CRM_AGE_OVER_90, CRM_AGE_N };
struct crm_receivable {
	long long account_id;
	const char *currency;
	int digits;
	long long invoiced;        /* open invoices' amounts */
	long long credited;        /* open payments' and credit notes' amounts */
	long long balance;         /* invoiced - credited (negative: the client is in credit) */
	long long unapplied;       /* credit left once every invoice is paid */
	long long age[CRM_AGE_N];  /* what is still open of the invoices, by days past due */
	long long overdue;         /* the sum of the past-due buckets */
	long long open_invoices;   /* how many invoices are not fully paid */
	long long credit_notes;    /* open credit notes' amounts (part of credited) */
	long long invoiced_since, credit_notes_since; /* the same, dated after the since day of
						       * crm_receivables_since (else 0) */
};
/* One invoice not fully paid. */
struct crm_open_invoice {
	long long id, account_id;
	const char *number, *date, *due, *currency;
	int digits;
	long long amount, open; /* its amount, and what is left of it */
	long long days;         /* days past due (0 or less: not yet due) */
};

/* Walk the receivables of account (0: every account) as of the day asof (YYYY-MM-DD): for each
 * account and currency with open transactions, inv for each invoice not fully paid (may be
 * NULL), then sum. Allocation: a payment or credit note pays the invoice it applies_to first,
 * what it has left and the others pay the open invoices oldest due first. Draft and void
 * transactions do not count. */
int crm_receivables(struct crm *crm, long long account, const char *asof,
		    int (*sum)(void *ctx, const struct crm_receivable *r),
		    int (*inv)(void *ctx, const struct crm_open_invoice *i), void *ctx, struct crm_err *err);
/* The same, also summing the invoices and credit notes dated after since (YYYY-MM-DD) into
 * invoiced_since and credit_notes_since: revenue read in the same walk (client value). */
int crm_receivables_since(struct crm *crm, long long account, const char *asof, const char *since,
			  int (*sum)(void *ctx, const struct crm_receivable *r),
			  int (*inv)(void *ctx, const struct crm_open_invoice *i), void *ctx, struct crm_err *err);

/* As rows through a printer: account, currency, balance, current, days_1_30, days_31_60,
 * days_61_90, days_over_90, overdue, unapplied, open_invoices (report receivables, and the
 * account show section); with_account 0 leaves out the account column. */
int crm_receivables_print(struct crm *crm, long long account, const char *asof, int with_account,
			  struct crm_printer *p, struct crm_err *err);
/* The open invoices of one account: number, date, due, currency, amount, open, days_overdue. */
int crm_open_invoices_print(struct crm *crm, long long account, const char *asof, struct crm_printer *p,
			    struct crm_err *err);
/* An issued (open) invoice's allocation as of today (CRM_NOW): currency, amount, paid (by the
 * payments and credit notes allocated to it), open, days_overdue; nothing for another
 * transaction, a draft or a void invoice. */
int crm_invoice_open_print(struct crm *crm, long long id, struct crm_printer *p, struct crm_err *err);
/* What the credit rules say of an account: rating, limit, balance, available, deposit, payment,
 * refused. */
int crm_credit_print(struct crm *crm, long long account, struct crm_printer *p, struct crm_err *err);

/* Contract fulfilment: line (of contract) delivered on day (NULL: today) and, once, a draft
 * invoice for its amount in the contract's currency (*txn its number, *created 0 when the line
 * was billed already). In the caller's transaction (crm_atomic). */
int crm_contract_deliver(struct crm *crm, long long contract, const char *line, const char *day, long long *txn,
			 int *created, struct crm_err *err);

/* Client value per account (report client-value): revenue (invoices less credit notes) of the
 * 12 months to asof and lifetime, margin of its projects, open pipeline, receivables and the
 * overdue share, tickets and activities, and a segment A, B or C from the weights and
 * thresholds of `client_value:`. Per account and currency of its money. */
int crm_client_value_print(struct crm *crm, const char *asof, struct crm_printer *p, struct crm_err *err);
int crm_client_value_xlsx(struct crm *crm, const char *asof, const char *path, const struct crm_report_meta *meta,
			  struct crm_err *err);

#endif
