/* Outgoing mail built by GMime (issue 14): headers encoded and folded by the library that reads
 * mail in, not by hand, so a name in any script keeps its address, a long subject stays within
 * RFC 5322's line limits, and a body's long lines are quoted-printable. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <gmime/gmime.h>
#include "lazy_gmime.h"
#include "mailout.h"
#include "util.h"

/* One line: a header value never carries a line break of its own (GMime folds it). */
static char *one_line(const char *s)
{
	char *out = xstrdup(s ? s : "");
	for (char *p = out; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return out;
}

/* Appends the addresses in text to list; 0 when text holds none. */
static int add_addresses(InternetAddressList *list, const char *text)
{
	char *line = one_line(text);
	InternetAddressList *parsed = internet_address_list_parse(NULL, line);
	free(line);
	if (!parsed)
		return 0;
	int n = internet_address_list_length(parsed);
	if (n > 0)
		internet_address_list_append(list, parsed);
	g_object_unref(parsed);
	return n > 0;
}

/* A file as an attachment, in base64, named as given. */
static int add_file(GMimeMultipart *mixed, const struct crm_mail_file *f, struct crm_err *err)
{
	char type[128] = "application", *subtype = "octet-stream";
	const char *slash = f->content_type ? strchr(f->content_type, '/') : NULL;
	if (slash && slash > f->content_type && slash[1] && strlen(f->content_type) < sizeof type) {
		snprintf(type, sizeof type, "%s", f->content_type);
		type[slash - f->content_type] = '\0';
		subtype = type + (slash - f->content_type) + 1;
	}
	int fd = dup(f->fd);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return crm_error(err, CRM_EFAIL, "cannot read the attachment '%s': %s", f->name, strerror(errno));
	}
	GMimeStream *stream = g_mime_stream_fs_new(fd); /* owns fd */
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	GMimePart *part = g_mime_part_new_with_type(type, subtype);
	g_mime_part_set_content(part, content);
	g_mime_part_set_filename(part, f->name);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_multipart_add(mixed, GMIME_OBJECT(part));
	g_object_unref(part);
	g_object_unref(content);
	g_object_unref(stream);
	return CRM_OK;
}

char *crm_mail_mailbox(const char *name, const char *addr, struct crm_err *err)
{
	if (crm_lazy_gmime(err))
		return NULL;
	InternetAddress *ia = internet_address_mailbox_new(name && *name ? name : NULL, addr ? addr : "");
	char *s = internet_address_to_string(ia, NULL, FALSE);
	char *out = xstrdup(s ? s : "");
	g_free(s);
	g_object_unref(ia);
	return out;
}

char *crm_mail_compose(const struct crm_mail_out *m, struct crm_err *err)
{
	if (crm_lazy_gmime(err)) /* loaded now, not by every command (lazy.c) */
		return NULL;
	char *out = NULL;
	GMimeMessage *msg = g_mime_message_new(TRUE);
	if (!add_addresses(g_mime_message_get_from(msg), m->from)) {
		crm_error(err, CRM_EINVALID, "the sender '%s' is not an e-mail address", m->from ? m->from : "");
		goto done;
	}
	if (!add_addresses(g_mime_message_get_to(msg), m->to)) {
		crm_error(err, CRM_EINVALID, "the recipient '%s' is not an e-mail address", m->to ? m->to : "");
		goto done;
	}
	char *subject = one_line(m->subject);
	g_mime_message_set_subject(msg, subject, "utf-8");
	free(subject);
	if (m->date != (time_t)-1) {
		GDateTime *date = g_date_time_new_from_unix_utc((gint64)m->date);
		if (date) {
			g_mime_message_set_date(msg, date);
			g_date_time_unref(date);
		}
	}
	if (m->message_id)
		g_mime_message_set_message_id(msg, m->message_id);
	for (const char *const *h = m->headers; h && h[0]; h += 2) {
		char *value = one_line(h[1]);
		g_mime_object_set_header(GMIME_OBJECT(msg), h[0], value, "utf-8");
		free(value);
	}
	GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
	/* The body's own UTF-8 bytes, labelled so: g_mime_text_part_set_text converts text that
	 * fits Latin-1 to it, which a utf-8 label then misnamed ("Sch\xf6ne"). */
	const char *body = m->body ? m->body : "";
	GByteArray *bytes = g_byte_array_new();
	g_byte_array_append(bytes, (const guint8 *)body, (guint)strlen(body));
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes); /* owns bytes */
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(text), content);
	g_object_unref(content);
	g_object_unref(mem);
	g_mime_text_part_set_charset(text, "utf-8");
	/* 7-bit safe and short lines: quoted-printable for mostly-ASCII text, base64 otherwise */
	g_mime_part_set_content_encoding(
		GMIME_PART(text), g_mime_part_get_best_content_encoding(GMIME_PART(text), GMIME_ENCODING_CONSTRAINT_7BIT));
	if (m->nfiles > 0) {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(text));
		for (int i = 0; i < m->nfiles; i++) {
			if (add_file(mixed, &m->files[i], err)) {
				g_object_unref(mixed);
				g_object_unref(text);
				goto done;
			}
		}
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
		g_object_unref(mixed);
	} else {
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(text));
	}
	g_object_unref(text);
	char *s = g_mime_object_to_string(GMIME_OBJECT(msg), NULL);
	out = xstrdup(s ? s : "");
	g_free(s);
done:
	g_object_unref(msg);
	return out;
}
