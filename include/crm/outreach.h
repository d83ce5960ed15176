/* Outreach (issue 14): e-mail to a contact, queued through the outbox (core/notify.c) and
 * built by GMime when sent (core/mailout.c), logged as an `email` activity. */
#ifndef CRM_OUTREACH_H
#define CRM_OUTREACH_H

#include "crm/crm.h"

struct crm_email_file {
	const char *name; /* as the reader sees it */
	int fd;           /* read from where it is; not closed */
};

struct crm_email_sent {
	long long activity; /* the `email` activity logged, holding the files as documents */
	char *to;           /* the recipient as addressed ("Ann Lee <ann@example.com>"); free() it */
};

/* Queue an e-mail to contact `contact` with subject and body (UTF-8) and files, from the
 * current user (their name and address; notify.from when they have none), and log it as an
 * `email` activity on the contact and their account, the files attached to it: all in one
 * transaction, or nothing. A contact without an address, or who asked for no e-mail
 * (do_not_email), is CRM_EINVALID. */
int crm_contact_email(struct crm *crm, long long contact, const char *subject, const char *body,
		      const struct crm_email_file *files, int nfiles, struct crm_email_sent *out,
		      struct crm_err *err);

/* The current user as a sender, "Name <addr>" encoded as a header holds it, in *out (free()
 * it); NULL when they have no address (notify.from is then the sender). */
int crm_user_mailbox(struct crm *crm, char **out, struct crm_err *err);

#endif
