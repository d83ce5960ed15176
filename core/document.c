/* Documents inside the database: content in the blobs table once per SHA-256, written and read
 * through SQLite's incremental blob I/O in fixed chunks so that a file of any size costs the
 * same memory, and checked against its digest on every read. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include "crm/document.h"
#include "crm/record.h"
#include "util.h"
#include "db.h"

#define CHUNK (64 * 1024)

static ssize_t read_some(int fd, void *buf, size_t n)
{
	ssize_t r;
	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int crm_fd_seekable(struct crm *crm, int fd, int *out, int *spooled, struct crm_err *err)
{
	struct stat sb;
	*spooled = 0;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		*out = fd;
		return CRM_OK;
	}
	int t = crm_env_temp_fd(&crm->env, "crm-spool");
	if (t < 0)
		return crm_error(err, CRM_EFAIL, "cannot create a temporary file in '%s': %s",
				 crm_env_tmpdir(&crm->env), strerror(errno));
	char *buf = xmalloc(CHUNK);
	ssize_t n;
	int rc = CRM_OK;
	/* At most what the database can keep: standard input may never end (/dev/zero). */
	long long limit = crm->db ? crm_store_max_length(crm) : 1000000000LL, total = 0;
	while ((n = read_some(fd, buf, CHUNK)) > 0) {
		if ((total += n) > limit) {
			rc = crm_error(err, CRM_EINVALID, "the input is too large to keep in the database (more than "
				       "%lld bytes)", limit);
			break;
		}
		if (write_all(t, buf, (size_t)n) != 0) {
			rc = crm_error(err, CRM_EFAIL, "cannot write a temporary file: %s", strerror(errno));
			break;
		}
	}
	if (!rc && n < 0)
		rc = crm_error(err, CRM_EFAIL, "cannot read the input: %s", strerror(errno));
	free(buf);
	if (!rc && lseek(t, 0, SEEK_SET) != 0)
		rc = crm_error(err, CRM_EFAIL, "cannot rewind a temporary file: %s", strerror(errno));
	if (rc) {
		close(t);
		return rc;
	}
	*out = t;
	*spooled = 1;
	return CRM_OK;
}

/* Read fd from `start` to its end through SHA-256, optionally copying each chunk into blob b. */
static int digest_fd(struct crm *crm, int fd, off_t start, struct crm_blob *b, char hex[65], long long *size,
		     const char *name, struct crm_err *err)
{
	if (lseek(fd, start, SEEK_SET) < 0)
		return crm_error(err, CRM_EFAIL, "cannot read '%s': %s", name, strerror(errno));
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *buf = xmalloc(CHUNK);
	long long total = 0;
	ssize_t n;
	int rc = CRM_OK;
	while ((n = read_some(fd, buf, CHUNK)) > 0) {
		g_checksum_update(sum, (const guchar *)buf, (gssize)n);
		if (b) {
			/* The blob was sized by the first pass: a file that grew since does not fit. */
			if (total + n > crm_blob_size(crm, b)) {
				rc = crm_error(err, CRM_ECONFLICT, "'%s' changed while it was being attached", name);
				break;
			}
			int src = crm_blob_write(crm, b, buf, (int)n, total);
			if (src != CRM_SQL_OK) {
				rc = crm_error(err, CRM_EFAIL, "storing '%s': %s", name, crm_store_errmsg(crm, src));
				break;
			}
		}
		total += n;
	}
	if (!rc && n < 0)
		rc = crm_error(err, CRM_EFAIL, "cannot read '%s': %s", name, strerror(errno));
	if (!rc) {
		snprintf(hex, 65, "%s", g_checksum_get_string(sum));
		*size = total;
	}
	free(buf);
	g_checksum_free(sum);
	return rc;
}

/* A content type from the file name, for the common cases; NULL when unknown. */
static const char *guess_type(const char *name)
{
	static const char *const types[][2] = {
		{ "pdf", "application/pdf" }, { "txt", "text/plain" }, { "csv", "text/csv" },
		{ "html", "text/html" }, { "htm", "text/html" }, { "png", "image/png" },
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "gif", "image/gif" },
		{ "zip", "application/zip" }, { "eml", "message/rfc822" }, { "json", "application/json" },
		{ "xml", "application/xml" }, { "ics", "text/calendar" },
		{ "doc", "application/msword" }, { "xls", "application/vnd.ms-excel" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	};
	const char *dot = strrchr(name, '.');
	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot + 1, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

/* The blob already holding this content, or 0. */
static int find_blob(struct crm *crm, const char *hex, long long size, long long *blob, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT id FROM blobs WHERE sha256 = ? AND size = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, hex);
	crm_bind_int64(st, 2, size);
	rc = crm_step(st);
	*blob = rc == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
	crm_stmt_done(st);
	return rc == CRM_SQL_ROW || rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "finding a document", err);
}

/* A new blob of `size` zero bytes, made by the backend without holding the content in memory,
 * then filled chunk by chunk. */
static int store_blob(struct crm *crm, int fd, off_t start, const char *hex, long long size, const char *name,
		      long long *blob, struct crm_err *err)
{
	int rc = crm_blob_create(crm, hex, size, blob);
	if (rc != CRM_SQL_OK)
		return crm_db_error(crm, rc, "storing a document", err);
	struct crm_blob *b;
	if ((rc = crm_blob_open(crm, *blob, 1, &b)) != CRM_SQL_OK)
		return crm_db_error(crm, rc, "storing a document", err);
	char again[65];
	long long copied = 0;
	rc = digest_fd(crm, fd, start, b, again, &copied, name, err);
	int crc = crm_blob_close(crm, b);
	if (!rc && crc != CRM_SQL_OK)
		rc = crm_db_error(crm, crc, "storing a document", err);
	if (!rc && (copied != size || strcmp(again, hex) != 0))
		rc = crm_error(err, CRM_ECONFLICT, "'%s' changed while it was being attached", name);
	return rc;
}

/* A name is a file name, never a path or a terminal command (a mail attachment's name comes
 * from outside): '/', '\\', control characters (C0, DEL, and C1 as UTF-8) and bytes that are not
 * UTF-8 become '_'. Attach, edit and import all pass here (the field's norm). */
int crm_doc_name_norm(const char *in, char **out, struct crm_err *err)
{
	(void)err;
	struct strbuf b = { 0 };
	const char *p = in, *end = in + strlen(in);
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) { /* not UTF-8: one byte at a time */
			sb_add(&b, "_");
			p++;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '/' || c == '\\')
			sb_add(&b, "_");
		else
			sb_addn(&b, p, (size_t)(next - p));
		p = next;
	}
	*out = b.len ? sb_take(&b) : NULL;
	sb_free(&b);
	return CRM_OK;
}

int crm_doc_attach(struct crm *crm, const struct crm_kind *k, long long record_id, const char *name,
		   const char *content_type, int fd, struct crm_doc_info *out, struct crm_err *err)
{
	memset(out, 0, sizeof *out);
	if (!name || !*name)
		return crm_error(err, CRM_EUSAGE, "a document needs a name");
	char *clean;
	crm_doc_name_norm(name, &clean, err);
	name = clean;
	char *label = crm_record_label(crm, k, record_id);
	if (!label) {
		free(clean);
		return crm_error(err, CRM_ENOTFOUND, "%s %lld not found", crm_noun(k->name), record_id);
	}
	free(label);
	int sfd, spooled;
	int rc = crm_fd_seekable(crm, fd, &sfd, &spooled, err);
	if (rc) {
		free(clean);
		return rc;
	}
	off_t start = spooled ? 0 : lseek(sfd, 0, SEEK_CUR);
	if (start < 0)
		start = 0;
	if ((rc = digest_fd(crm, sfd, start, NULL, out->sha256, &out->size, name, err)))
		goto out;
	long long limit = crm_store_max_length(crm);
	if (out->size > limit) {
		rc = crm_error(err, CRM_EINVALID, "'%s' is too large to keep in the database (%lld bytes; at most %lld)",
			       name, out->size, limit);
		goto out;
	}
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	long long blob;
	if ((rc = find_blob(crm, out->sha256, out->size, &blob, err)))
		goto fail;
	out->deduped = blob != 0;
	if (!blob && (rc = store_blob(crm, sfd, start, out->sha256, out->size, name, &blob, err)))
		goto fail;
	char size[32], rec[32], blobid[32];
	snprintf(size, sizeof size, "%lld", out->size);
	snprintf(rec, sizeof rec, "%lld", record_id);
	snprintf(blobid, sizeof blobid, "%lld", blob);
	const struct crm_assign set[] = {
		{ "name", name }, { "noun", k->name }, { "record", rec }, { "size", size },
		{ "type", content_type ? content_type : guess_type(name) }, { "sha256", out->sha256 },
		{ "blob", blobid },
	};
	if ((rc = crm_record_add(crm, crm_kind_find("document"), set, (int)(sizeof set / sizeof set[0]), &out->id, err)))
		goto fail;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	if (spooled)
		close(sfd);
	free(clean);
	return rc;
}

/* Read document id's content, through SHA-256, into fd (or nowhere when fd < 0). */
static int read_doc(struct crm *crm, long long id, int fd, int verify_first, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT blob_id, sha256, size, name FROM documents WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	rc = crm_step(st);
	if (rc != CRM_SQL_ROW) {
		crm_finalize(st);
		return rc == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "document %lld not found", id)
					 : crm_db_error(crm, rc, "reading a document", err);
	}
	long long blob = crm_col_int64(st, 0), size = crm_col_int64(st, 2);
	char want[65], *name;
	snprintf(want, sizeof want, "%s", (const char *)crm_col_text(st, 1));
	name = xstrdup((const char *)crm_col_text(st, 3));
	crm_finalize(st);

	struct crm_blob *b = NULL;
	char *buf = xmalloc(CHUNK);
	rc = crm_blob_open(crm, blob, 0, &b);
	int damaged = rc != CRM_SQL_OK || crm_blob_size(crm, b) != size;
	rc = CRM_OK;
	/* Pass 0 only checks (verify_first); the last pass writes and checks again. */
	for (int pass = verify_first && fd >= 0 ? 0 : 1; pass <= 1 && !damaged && !rc; pass++) {
		GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
		for (long long off = 0; off < size && !rc; off += CHUNK) {
			int n = size - off < CHUNK ? (int)(size - off) : CHUNK;
			int src = crm_blob_read(crm, b, buf, n, off);
			if (src != CRM_SQL_OK) {
				rc = crm_db_error(crm, src, "reading a document", err);
				break;
			}
			g_checksum_update(sum, (const guchar *)buf, n);
			if (pass == 1 && fd >= 0 && write_all(fd, buf, (size_t)n) != 0)
				rc = crm_error(err, CRM_EFAIL, "cannot write document %lld: %s", id, strerror(errno));
		}
		damaged = !rc && strcmp(g_checksum_get_string(sum), want) != 0;
		g_checksum_free(sum);
	}
	if (damaged)
		rc = crm_error(err, CRM_EFAIL, "document %lld '%s' is damaged: its content does not match its "
			       "SHA-256; restore it from a backup", id, name);
	if (b)
		crm_blob_close(crm, b);
	free(buf);
	free(name);
	return rc;
}

/* Reads hold one snapshot (a deferred transaction, never the write lock) so that the check
 * and the copy see the same content. */
static int in_snapshot(struct crm *crm, long long id, int fd, int verify_first, struct crm_err *err)
{
	int own = crm->tx_depth == 0 && !crm_store_in_transaction(crm);
	int brc = own ? crm_store_exec(crm, crm->store->begin_read) : CRM_SQL_OK;
	if (brc != CRM_SQL_OK)
		return crm_db_error(crm, brc, "reading a document", err);
	int rc = read_doc(crm, id, fd, verify_first, err);
	if (own)
		crm_store_exec(crm, "COMMIT");
	return rc;
}

int crm_doc_get(struct crm *crm, long long id, int fd, int verify_first, struct crm_err *err)
{
	return in_snapshot(crm, id, fd, verify_first, err);
}

int crm_doc_verify(struct crm *crm, long long id, struct crm_err *err)
{
	return in_snapshot(crm, id, -1, 0, err);
}

int crm_doc_rm(struct crm *crm, long long id, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	long long blob = 0;
	if ((rc = crm_prepare(crm, "SELECT blob_id FROM documents WHERE id = ?", &st, err)))
		goto fail;
	crm_bind_int64(st, 1, id);
	if (crm_step(st) == CRM_SQL_ROW)
		blob = crm_col_int64(st, 0);
	crm_finalize(st);
	if ((rc = crm_record_rm(crm, crm_kind_find("document"), id, err)))
		goto fail;
	/* The content goes with its last document. */
	if ((rc = crm_prepare(crm, "DELETE FROM blobs WHERE id = ?1 AND NOT EXISTS "
			      "(SELECT 1 FROM documents WHERE blob_id = ?1)", &st, err)))
		goto fail;
	crm_bind_int64(st, 1, blob);
	int src = crm_step(st);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "removing a document", err);
		goto fail;
	}
	return crm_tx_commit(crm, err);
fail:
	crm_tx_rollback(crm);
	return rc;
}
