/* Mail capture: an e-mail message becomes an activity linked to the people it names. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

#include "crm/crm.h"

struct crm_mail_result {
	long long activity;  /* the activity logged, or the one logged before for this Message-ID */
	int duplicate;       /* captured before: nothing was written */
	int ncontacts, nusers, ndocuments;
	char **unknown;      /* addresses (From, To, Cc) no contact or user has: reported, not added */
	int nunknown;
};

/* Parse the message read from fd (GMime; a pipe is spooled to a temporary file first) and, in
 * one transaction, log an `email` activity: the decoded subject as summary, the Date as at,
 * the first text part as body, the contacts and users whose addresses appear in From, To and
 * Cc linked, every attachment stored as a document of the activity. A Message-ID seen before
 * writes nothing (out->duplicate). Not a message: CRM_EINVALID. */
int crm_mail_import(struct crm *crm, int fd, struct crm_mail_result *out, struct crm_err *err);
void crm_mail_result_free(struct crm_mail_result *r);

#endif
