/* Mail capture with GMime: a message becomes an `email` activity linked to the contacts and
 * users whose addresses it carries, its attachments becoming documents of the activity. Only
 * people already known are linked; the other addresses are handed back to be reported. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <gmime/gmime.h>
#include "lazy_gmime.h"
#include "crm/document.h"
#include "crm/mail.h"
#include "crm/record.h"
#include "util.h"
#include "db.h"

struct capture {
	struct crm *crm;
	struct crm_mail_result *out;
	struct idlist {
		struct strbuf text; /* "3,5" for the engine's links */
	} contacts, users;
	char **seen;        /* addresses looked at, lowercased, to look each up once */
	int nseen;
	char *body;         /* first text/plain part, UTF-8 */
	char *html;         /* first text/html part, a fallback for the body */
	GPtrArray *attachments; /* GMimeObject *, borrowed from the message */
};

/* A text part as UTF-8, losing nothing: decoded by GMime (base64, quoted-printable), converted
 * from its charset by GLib, and made valid by GLib, so that a byte that is not UTF-8 in a part
 * declared UTF-8, or a NUL, becomes U+FFFD and the text after it stays (GMime's own
 * g_mime_text_part_get_text drops what it cannot convert, and C strings end at a NUL). */
static char *text_of(GMimeObject *obj)
{
	GByteArray *bytes = g_byte_array_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes); /* owns bytes */
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(obj));
	if (content)
		g_mime_data_wrapper_write_to_stream(content, mem);
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
	gsize len = bytes->len, conv_len = 0;
	gchar *conv = NULL;
	if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0 && g_ascii_strcasecmp(charset, "utf8") != 0 &&
	    g_ascii_strcasecmp(charset, "us-ascii") != 0)
		conv = g_convert_with_fallback((const gchar *)bytes->data, (gssize)len, "UTF-8", charset, "\xef\xbf\xbd",
					       NULL, &conv_len, NULL);
	/* An empty part has no bytes at all (data NULL), which g_utf8_make_valid refuses. */
	gchar *valid = conv ? g_utf8_make_valid(conv, (gssize)conv_len)
		       : len ? g_utf8_make_valid((const gchar *)bytes->data, (gssize)len) : g_strdup("");
	g_free(conv);
	g_object_unref(mem);
	char *out = xstrdup(valid);
	g_free(valid);
	return out;
}

/* ---------------------------------------------------------------- people */

/* The id of the record with this e-mail address, 0 if none. */
static long long by_email(struct crm *crm, const char *sql, const char *addr, struct crm_err *err, int *rc)
{
	crm_stmt *st;
	if ((*rc = crm_stmt_get(crm, sql, &st, err)))
		return 0;
	crm_bind_text(st, 1, addr);
	int src = crm_step(st);
	long long id = src == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
	crm_stmt_done(st);
	if (src != CRM_SQL_ROW && src != CRM_SQL_DONE)
		*rc = crm_db_error(crm, src, "finding an address", err);
	return id;
}

static int person(struct capture *c, const char *addr, struct crm_err *err)
{
	if (!addr || !*addr)
		return CRM_OK;
	for (int i = 0; i < c->nseen; i++)
		if (strcasecmp(c->seen[i], addr) == 0)
			return CRM_OK;
	c->seen = xrealloc(c->seen, (size_t)(c->nseen + 1) * sizeof *c->seen);
	c->seen[c->nseen++] = xstrdup(addr);
	int rc = CRM_OK;
	long long id = by_email(c->crm, "SELECT id FROM contacts WHERE email = ? COLLATE NOCASE", addr, err, &rc);
	if (!rc && id) {
		sb_addf(&c->contacts.text, "%s%lld", c->contacts.text.len ? "," : "", id);
		c->out->ncontacts++;
		return CRM_OK;
	}
	if (!rc)
		id = by_email(c->crm, "SELECT id FROM users WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1", addr,
			      err, &rc);
	if (!rc && id) {
		sb_addf(&c->users.text, "%s%lld", c->users.text.len ? "," : "", id);
		c->out->nusers++;
		return CRM_OK;
	}
	if (!rc) {
		struct crm_mail_result *o = c->out;
		o->unknown = xrealloc(o->unknown, (size_t)(o->nunknown + 1) * sizeof *o->unknown);
		o->unknown[o->nunknown++] = xstrdup(addr);
	}
	return rc;
}

static int people(struct capture *c, InternetAddressList *list, struct crm_err *err)
{
	int n = list ? internet_address_list_length(list) : 0, rc = CRM_OK;
	for (int i = 0; i < n && !rc; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			rc = person(c, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), err);
		else if (INTERNET_ADDRESS_IS_GROUP(ia))
			rc = people(c, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), err);
	}
	return rc;
}

/* ---------------------------------------------------------------- parts */

/* Text parts without a file name are the message; everything else is an attachment. */
static void walk(struct capture *c, GMimeObject *obj)
{
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n; i++)
			walk(c, g_mime_multipart_get_part(mp, i));
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		g_ptr_array_add(c->attachments, obj);
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	GMimePart *part = GMIME_PART(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	int inline_text = GMIME_IS_TEXT_PART(obj) && !g_mime_part_is_attachment(part) && !g_mime_part_get_filename(part);
	if (inline_text && g_mime_content_type_is_type(ct, "text", "plain")) {
		if (!c->body)
			c->body = text_of(obj);
		return;
	}
	if (inline_text && g_mime_content_type_is_type(ct, "text", "html")) {
		if (!c->html)
			c->html = text_of(obj);
		return;
	}
	if (inline_text)
		return; /* other inline text (text/enriched, calendars without a name): not kept */
	g_ptr_array_add(c->attachments, obj);
}

static const char *find_nocase(const char *hay, const char *needle)
{
	for (size_t n = strlen(needle); *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* The words of an HTML body, for an HTML-only message: tags dropped, the common entities
 * decoded, blank runs folded. Good enough to read and search; the message itself is not
 * kept, only its text. */
static char *html_text(const char *html)
{
	static const char *const ents[][2] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
					       { "&quot;", "\"" }, { "&#39;", "'" }, { "&nbsp;", " " } };
	struct strbuf b = { 0 };
	int in_tag = 0, space = 0;
	for (const char *p = html; *p; p++) {
		if (in_tag) {
			in_tag = *p != '>';
			continue;
		}
		if (*p == '<') {
			/* Style sheets and scripts are not text. */
			static const char *const skip[][2] = { { "<style", "</style>" }, { "<script", "</script>" } };
			for (size_t i = 0; i < 2; i++)
				if (strncasecmp(p, skip[i][0], strlen(skip[i][0])) == 0) {
					const char *end = find_nocase(p, skip[i][1]);
					p = end ? end + strlen(skip[i][1]) - 1 : p + strlen(p) - 1;
					break;
				}
			in_tag = *p != '>';
			space = 1;
			continue;
		}
		if (*p == '&') {
			size_t i;
			for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
				if (strncmp(p, ents[i][0], strlen(ents[i][0])) == 0)
					break;
			if (i < sizeof ents / sizeof ents[0]) {
				if (space && b.len)
					sb_add(&b, " ");
				space = 0;
				sb_add(&b, ents[i][1]);
				p += strlen(ents[i][0]) - 1;
				continue;
			}
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && b.len)
			sb_add(&b, " ");
		space = 0;
		sb_addn(&b, p, 1);
	}
	return sb_take(&b);
}

/* An attachment's decoded content into an unlinked temporary file, then into the documents. */
static int attach(struct capture *c, long long activity, GMimeObject *obj, int nth, struct crm_err *err)
{
	int fd = crm_env_temp_fd(&c->crm->env, "crm-mail");
	if (fd < 0)
		return crm_error(err, CRM_EFAIL, "cannot create a temporary file in '%s': %s",
				 crm_env_tmpdir(&c->crm->env), strerror(errno));
	GMimeStream *out = g_mime_stream_fs_new(fd);
	g_mime_stream_fs_set_owner(GMIME_STREAM_FS(out), FALSE);
	const char *fname = NULL;
	gssize written;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		written = m ? g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, out) : 0;
	} else {
		fname = g_mime_part_get_filename(GMIME_PART(obj));
		GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(obj));
		written = content ? g_mime_data_wrapper_write_to_stream(content, out) : 0; /* decoded */
	}
	int flushed = g_mime_stream_flush(out);
	g_object_unref(out);
	if (written < 0 || flushed != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return crm_error(err, CRM_EFAIL, "cannot decode attachment %d of the message", nth);
	}
	/* A name is a name, not a path: "../x" must not look like one. */
	char name[256];
	const char *slash = fname ? strrchr(fname, '/') : NULL;
	if (slash)
		fname = slash + 1;
	if (fname && *fname)
		snprintf(name, sizeof name, "%s", fname);
	else if (GMIME_IS_MESSAGE_PART(obj) && g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)) &&
		 g_mime_message_get_subject(g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj))))
		snprintf(name, sizeof name, "%s.eml", g_mime_message_get_subject(g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj))));
	else
		snprintf(name, sizeof name, "attachment-%d%s", nth, GMIME_IS_MESSAGE_PART(obj) ? ".eml" : "");
	for (char *q = name; *q; q++)
		if (*q == '/')
			*q = '_';
	char *type = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
	struct crm_doc_info info;
	int rc = crm_doc_attach(c->crm, crm_kind_find("activity"), activity, name, type, fd, &info, err);
	g_free(type);
	close(fd);
	if (!rc)
		c->out->ndocuments++;
	return rc;
}

/* ---------------------------------------------------------------- the message */

/* A Message-ID for a message without one: the digest of its bytes, so that the same file
 * piped twice is still captured once. */
static char *digest_id(int fd, off_t start)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char buf[65536];
	ssize_t n;
	for (off_t off = start; (n = pread(fd, buf, sizeof buf, off)) > 0; off += n)
		g_checksum_update(sum, (const guchar *)buf, n);
	struct strbuf b = { 0 };
	sb_addf(&b, "%s@sha256.crm.invalid", g_checksum_get_string(sum));
	g_checksum_free(sum);
	return sb_take(&b);
}

static int existing(struct crm *crm, const char *message_id, long long *id, struct crm_err *err)
{
	int rc = CRM_OK;
	*id = by_email(crm, "SELECT id FROM activities WHERE message_id = ?", message_id, err, &rc);
	return rc;
}

static int capture(struct capture *c, GMimeMessage *msg, int fd, off_t start, struct crm_err *err)
{
	struct crm *crm = c->crm;
	const char *mid = g_mime_message_get_message_id(msg);
	char *own_id = mid && *mid ? NULL : digest_id(fd, start);
	const char *message_id = own_id ? own_id : mid;
	int rc = existing(crm, message_id, &c->out->activity, err);
	if (rc || c->out->activity) {
		c->out->duplicate = !rc;
		free(own_id);
		return rc;
	}
	if ((rc = people(c, g_mime_message_get_from(msg), err)) || (rc = people(c, g_mime_message_get_to(msg), err)) ||
	    (rc = people(c, g_mime_message_get_cc(msg), err))) {
		free(own_id);
		return rc;
	}
	walk(c, g_mime_message_get_mime_part(msg));
	char at[32] = "now";
	GDateTime *date = g_mime_message_get_date(msg);
	if (date) {
		GDateTime *utc = g_date_time_to_utc(date);
		gchar *s = utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
		if (s)
			snprintf(at, sizeof at, "%s", s);
		g_free(s);
		if (utc)
			g_date_time_unref(utc);
	}
	const char *subject = g_mime_message_get_subject(msg);
	char *body = c->body ? xstrdup(c->body) : c->html ? html_text(c->html) : NULL;
	/* CRLF is how mail travels, not how text is kept. */
	if (body) {
		char *w = body;
		for (const char *r = body; *r; r++)
			if (!(r[0] == '\r' && r[1] == '\n'))
				*w++ = *r;
		*w = '\0';
	}
	/* Trailing blank lines say nothing, and neither does a body of them. */
	size_t blen = body ? strlen(body) : 0;
	while (blen && strchr(" \t\r\n", body[blen - 1]))
		body[--blen] = '\0';
	if (body && !blen) {
		free(body);
		body = NULL;
	}
	struct crm_assign set[8];
	int n = 0;
	set[n++] = (struct crm_assign){ "summary", subject && *subject ? subject : "(no subject)" };
	set[n++] = (struct crm_assign){ "type", "email" };
	set[n++] = (struct crm_assign){ "at", at };
	set[n++] = (struct crm_assign){ "message_id", message_id };
	if (body)
		set[n++] = (struct crm_assign){ "body", body };
	if (c->contacts.text.len)
		set[n++] = (struct crm_assign){ "contacts", c->contacts.text.s };
	if (c->users.text.len)
		set[n++] = (struct crm_assign){ "users", c->users.text.s };
	/* The activity and its documents together, or nothing. */
	if (!(rc = crm_tx_begin(crm, err))) {
		rc = crm_record_add(crm, crm_kind_find("activity"), set, n, &c->out->activity, err);
		for (guint i = 0; !rc && i < c->attachments->len; i++)
			rc = attach(c, c->out->activity, g_ptr_array_index(c->attachments, i), (int)i + 1, err);
		/* and the message itself, as it came, so that nothing of it is ever lost */
		if (!rc && lseek(fd, start, SEEK_SET) != start)
			rc = crm_error(err, CRM_EFAIL, "cannot read the message again: %s", strerror(errno));
		if (!rc) {
			struct crm_doc_info info;
			rc = crm_doc_attach(crm, crm_kind_find("activity"), c->out->activity, "message.eml",
					    "message/rfc822", fd, &info, err);
			if (!rc)
				c->out->ndocuments++;
		}
		if (!rc)
			rc = crm_tx_commit(crm, err);
		else
			crm_tx_rollback(crm);
	}
	if (rc)
		c->out->activity = 0;
	free(body);
	free(own_id);
	return rc;
}

int crm_mail_import(struct crm *crm, int fd, struct crm_mail_result *out, struct crm_err *err)
{
	memset(out, 0, sizeof *out);
	int sfd, spooled;
	int rc = crm_lazy_gmime(err); /* loaded now, not by every command (lazy.c) */
	if (rc)
		return rc;
	rc = crm_fd_seekable(crm, fd, &sfd, &spooled, err);
	if (rc)
		return rc;
	off_t start = lseek(sfd, 0, SEEK_CUR);
	if (start < 0)
		start = 0;
	GMimeStream *stream = g_mime_stream_fs_new(sfd);
	g_mime_stream_fs_set_owner(GMIME_STREAM_FS(stream), FALSE);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
	/* A message needs headers; GMime accepts nearly anything, so ask for a sender or an id. */
	if (!msg || (!g_mime_message_get_message_id(msg) && !internet_address_list_length(g_mime_message_get_from(msg)) &&
		     !g_mime_message_get_subject(msg))) {
		rc = crm_error(err, CRM_EINVALID, "standard input is not an e-mail message (no From, Subject or Message-ID)");
	} else {
		struct capture c = { .crm = crm, .out = out, .attachments = g_ptr_array_new() };
		rc = capture(&c, msg, sfd, start, err);
		g_ptr_array_free(c.attachments, TRUE);
		for (int i = 0; i < c.nseen; i++)
			free(c.seen[i]);
		free(c.seen);
		free(c.body);
		free(c.html);
		sb_free(&c.contacts.text);
		sb_free(&c.users.text);
	}
	if (msg)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	if (spooled)
		close(sfd);
	return rc;
}

void crm_mail_result_free(struct crm_mail_result *r)
{
	for (int i = 0; i < r->nunknown; i++)
		free(r->unknown[i]);
	free(r->unknown);
	memset(r, 0, sizeof *r);
}
