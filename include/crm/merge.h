/* Mail merge (issue 14.4, crm-merge(1)): a template (crm/template.h) rendered for each contact a
 * filter selects, to files, to one PDF of letters, or queued as e-mails through the outbox. */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include <stdio.h>
#include "crm/crm.h"
#include "crm/template.h"

struct crm_merge;

/* One member: a contact, and what the template needs of it. */
struct crm_merge_member {
	long long contact;
	char *name;       /* "Ann Lee" */
	char *email;      /* NULL when none */
	int do_not_email; /* the contact's wishes (unset is no) */
	int do_not_mail;
	struct crm_tpl_value *vals; /* one per placeholder */
};

/* Parse the template and check every placeholder before anything is read or written: a
 * contact field (custom ones too), attr.<key> (an attribute), <ref>.<field> through a
 * reference of the contact (account.name, location.city, account.attr.<key>), or name (the
 * contact's full name) and today. An unknown one is CRM_EINVALID naming it, its line and the
 * nearest name ("did you mean"). Then the members: the contacts of distribution list `list`
 * (crm/list.h; an account member stands for its contacts) when it is not 0, those the filter
 * terms select (ANDed with the list's), in the contacts' order, with their values formatted as
 * crm shows them (a timestamp in local time, money with its currency, yes or no, lists joined
 * by ", "). */
int crm_merge_open(struct crm *crm, const char *tpl_name, const char *tpl_text, long long list,
		   const char *const *terms, int nterms, struct crm_merge **out, struct crm_err *err);
void crm_merge_close(struct crm_merge *m);
const struct crm_tpl *crm_merge_template(const struct crm_merge *m);
int crm_merge_count(const struct crm_merge *m);
const struct crm_merge_member *crm_merge_member(const struct crm_merge *m, int i);
/* Member i's rendering of a part of the template; free() it. */
char *crm_merge_render(const struct crm_merge *m, int i, enum crm_tpl_part part);

/* Member i as an RFC 5322 message (built by GMime): from the current user's mailbox (else
 * notify.from), to the member, the subject given or the template's; NULL with err set when
 * the member has no address. free() it. */
char *crm_merge_eml(struct crm *crm, const struct crm_merge *m, int i, const char *subject, struct crm_err *err);

/* What an e-mail run did. */
struct crm_merge_sent {
	int sent;         /* queued now */
	int already;      /* sent by an earlier run of the same run key */
	int no_email;     /* skipped: no address */
	int do_not_email; /* skipped: the contact asked for no e-mail */
	int left;         /* not sent for the limit: the next run sends them */
};

/* Queue the members' e-mails through the outbox as crm contact email does (an `email` activity
 * on the contact and their account), at most limit of them (0: all), each in its own
 * transaction with a row remembering it under `run` (the template and the source), so that the
 * next run with the same key sends only to those not yet sent. subject: NULL for the
 * template's own (CRM_EUSAGE when it has none). Stops at the first failure, what was sent
 * standing and counted. */
int crm_merge_email(struct crm *crm, const struct crm_merge *m, const char *run, const char *subject,
		    long long limit, struct crm_merge_sent *out, struct crm_err *err);

/* The letters of the members numbered in which[] (n of them) as one PDF (Cairo and Pango,
 * loaded on first use): A4, 25 mm margins, the text wrapped at words, each letter starting on
 * a new page, as many pages as it needs; written to out. *pages receives the page count. */
int crm_merge_pdf(const struct crm_merge *m, const int *which, int n, FILE *out, int *pages, struct crm_err *err);

#endif
