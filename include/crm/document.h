/* Documents: files attached to any record, kept inside the database once per SHA-256, written
 * and read in chunks (never whole in memory), verified on every read. */
#ifndef CRM_DOCUMENT_H
#define CRM_DOCUMENT_H

#include "crm/crm.h"
#include "crm/kind.h"

struct crm_doc_info {
	long long id;       /* the new document */
	long long size;
	char sha256[65];    /* lowercase hex */
	int deduped;        /* the content was stored already; only the document row is new */
};

/* Attach the content read from fd to record `record_id` of kind k under `name` (content_type
 * may be NULL: guessed from the name). A regular file is read twice (digest, then copy) and
 * must not change in between; anything else (a pipe) is first spooled to a temporary file.
 * The document row, its history and the content are written in one transaction. */
int crm_doc_attach(struct crm *crm, const struct crm_kind *k, long long record_id, const char *name,
		   const char *content_type, int fd, struct crm_doc_info *out, struct crm_err *err);

/* The document name field's norm: '/', '\\', control characters and bytes that are not UTF-8
 * become '_' (a name is a file name, never a path nor a terminal command). */
int crm_doc_name_norm(const char *in, char **out, struct crm_err *err);

/* Write document id's content to fd. The SHA-256 is checked as the content is read: a damaged
 * document is CRM_EFAIL. With verify_first the whole content is checked before the first
 * byte is written (for output that cannot be taken back, such as a pipe); otherwise the
 * caller must discard what was written when this fails. */
int crm_doc_get(struct crm *crm, long long id, int fd, int verify_first, struct crm_err *err);

/* Check a document's content against its SHA-256 (CRM_EFAIL when damaged). */
int crm_doc_verify(struct crm *crm, long long id, struct crm_err *err);

/* Remove a document (with history); its content goes when no other document uses it. */
int crm_doc_rm(struct crm *crm, long long id, struct crm_err *err);

/* A seekable descriptor with fd's content: fd itself when it is a regular file (*spooled 0),
 * else a new unlinked temporary file (in TMPDIR, else /tmp) holding everything read from fd
 * (*spooled 1; the caller closes it). */
int crm_fd_seekable(struct crm *crm, int fd, int *out, int *spooled, struct crm_err *err);

#endif
