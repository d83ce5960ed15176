/* Outreach (issue 14): e-mail to a contact through the outbox, logged as an activity. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/date.h"
#include "crm/document.h"
#include "crm/outreach.h"
#include "crm/record.h"
#include "mailout.h"
#include "util.h"
#include "db.h"

struct person {
	char *name, *email;
	long long account;
	int do_not_email;
};

static void person_free(struct person *p)
{
	free(p->name);
	free(p->email);
}

static char *col_dup(crm_stmt *st, int i)
{
	const char *s = (const char *)crm_col_text(st, i);
	return s && *s ? xstrdup(s) : NULL;
}

/* The contact's name, address, account and wish. */
static int read_contact(struct crm *crm, long long id, struct person *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT trim(coalesce(first_name, '') || ' ' || last_name), email, account_id, "
			      "coalesce(do_not_email, 0) FROM contacts WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW) {
		p->name = col_dup(st, 0);
		p->email = col_dup(st, 1);
		p->account = crm_col_type(st, 2) == CRM_COL_NULL ? 0 : crm_col_int64(st, 2);
		p->do_not_email = crm_col_int64(st, 3) != 0;
	}
	crm_stmt_done(st);
	if (rc == CRM_SQL_DONE)
		return crm_error(err, CRM_ENOTFOUND, "contact %lld not found", id);
	return rc == CRM_SQL_ROW ? CRM_OK : crm_db_error(crm, rc, "reading a contact", err);
}

/* The current user as a sender: their name and address, NULL when they have no address. */
static int sender_of(struct crm *crm, char **out, struct crm_err *err)
{
	*out = NULL;
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT name, email FROM users WHERE login = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, crm_user(crm));
	rc = crm_step(st);
	char *name = rc == CRM_SQL_ROW ? col_dup(st, 0) : NULL, *email = rc == CRM_SQL_ROW ? col_dup(st, 1) : NULL;
	crm_stmt_done(st);
	if (rc != CRM_SQL_ROW && rc != CRM_SQL_DONE)
		rc = crm_db_error(crm, rc, "reading the current user", err);
	else if (email && !(*out = crm_mail_mailbox(name, email, err)))
		rc = err->code ? err->code : CRM_EFAIL;
	else
		rc = CRM_OK;
	free(name);
	free(email);
	return rc;
}

int crm_user_mailbox(struct crm *crm, char **out, struct crm_err *err)
{
	return sender_of(crm, out, err);
}

static int queue(struct crm *crm, const char *to, const char *sender, const char *subject, const char *body,
		 long long activity, struct crm_err *err)
{
	char stamp[32];
	crm_time_format_utc(crm_time(crm), stamp, sizeof stamp);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT INTO notifications (created, ticket_id, event, recipient, subject, body, "
			      "next_attempt, sender, activity_id) VALUES (?1, NULL, 'email', ?2, ?3, ?4, ?1, ?5, ?6)",
			      &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, stamp);
	crm_bind_text(st, 2, to);
	crm_bind_text(st, 3, subject);
	crm_bind_text(st, 4, body);
	crm_bind_text(st, 5, sender);
	crm_bind_int64(st, 6, activity);
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "queueing an e-mail", err);
}

static int email_in_tx(struct crm *crm, long long contact, const char *subject, const char *body,
		       const struct crm_email_file *files, int nfiles, struct crm_email_sent *out,
		       struct crm_err *err)
{
	struct person p = { 0 };
	char *sender = NULL;
	int rc = read_contact(crm, contact, &p, err);
	if (!rc && !p.email)
		rc = crm_error(err, CRM_EINVALID, "contact %lld (%s) has no e-mail address", contact, p.name ? p.name : "");
	if (!rc && p.do_not_email)
		rc = crm_error(err, CRM_EINVALID, "contact %lld (%s) asked for no e-mail (do_not_email): nothing sent",
			       contact, p.name ? p.name : "");
	if (!rc && !(out->to = crm_mail_mailbox(p.name, p.email, err)))
		rc = err->code ? err->code : CRM_EFAIL;
	if (!rc)
		rc = sender_of(crm, &sender, err);
	const struct crm_kind *activity = crm_kind_find("activity");
	if (!rc) {
		char cid[32], aid[32];
		snprintf(cid, sizeof cid, "%lld", contact);
		snprintf(aid, sizeof aid, "%lld", p.account);
		struct crm_assign set[5] = { { "summary", subject }, { "type", "email" }, { "contacts", cid },
					     { "body", body && *body ? body : NULL }, { "account", aid } };
		rc = crm_record_add(crm, activity, set, p.account ? 5 : 4, &out->activity, err);
	}
	for (int i = 0; !rc && i < nfiles; i++) {
		struct crm_doc_info info;
		rc = crm_doc_attach(crm, activity, out->activity, files[i].name, NULL, files[i].fd, &info, err);
	}
	if (!rc)
		rc = queue(crm, out->to, sender, subject, body ? body : "", out->activity, err);
	free(sender);
	person_free(&p);
	return rc;
}

int crm_contact_email(struct crm *crm, long long contact, const char *subject, const char *body,
		      const struct crm_email_file *files, int nfiles, struct crm_email_sent *out,
		      struct crm_err *err)
{
	memset(out, 0, sizeof *out);
	if (!subject || !*subject)
		return crm_error(err, CRM_EUSAGE, "an e-mail needs a subject (--subject)");
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if ((rc = email_in_tx(crm, contact, subject, body, files, nfiles, out, err))) {
		crm_tx_rollback(crm);
		free(out->to);
		memset(out, 0, sizeof *out);
		return rc;
	}
	if ((rc = crm_tx_commit(crm, err))) {
		free(out->to);
		memset(out, 0, sizeof *out);
	}
	return rc;
}
