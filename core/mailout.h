/* Outgoing mail, built by GMime (core/mailout.c): one place that turns a sender, a recipient, a
 * subject and a text into an RFC 5322 message, for every message crm sends. */
#ifndef CRM_CORE_MAILOUT_H
#define CRM_CORE_MAILOUT_H

#include <time.h>
struct crm_mail_file;
#include "crm/error.h"

struct crm_mail_out {
	const char *from;       /* "Name <addr>" or "addr", any script in the name */
	const char *to;         /* one address or a comma list, in the same form */
	const char *subject;    /* UTF-8; line breaks become spaces */
	const char *body;       /* UTF-8 text */
	time_t date;            /* the Date header; (time_t)-1 for none */
	const char *message_id; /* without the angle brackets; NULL for none */
	/* more headers as name, value pairs, ending with NULL; values UTF-8 */
	const char *const *headers;
	/* files after the text (multipart/mixed), each read from its descriptor's start */
	const struct crm_mail_file *files;
	int nfiles;
};

struct crm_mail_file {
	const char *name;         /* the file name the reader sees */
	const char *content_type; /* "application/pdf"; NULL for application/octet-stream */
	int fd;                   /* seekable; not closed */
};

/* A mailbox as a header holds it, "Ann Lee <ann@example.com>", the name quoted or encoded as
 * needed (a comma, quotes, any script); just the address when name is NULL or empty. NULL
 * with err set when GMime cannot be loaded. free() the result. */
char *crm_mail_mailbox(const char *name, const char *addr, struct crm_err *err);

/* The message as a sender program takes it on standard input (LF line ends): addresses, the
 * subject and other headers encoded and folded by GMime (RFC 2047, 5322), the body as text/plain
 * UTF-8 in quoted-printable or base64 with short lines. NULL with err set (CRM_EINVALID) when an
 * address is none. free() the result. */
char *crm_mail_compose(const struct crm_mail_out *m, struct crm_err *err);

#endif
