/* vCard (RFC 2426 3.0, RFC 6350 4.0, and the 2.1 phones still write) for contacts: written by
 * `contact export -o FILE.vcf`, read by `contact import FILE.vcf` as rows for the import engine
 * (crm/import.h), so a vCard import validates, upserts, dry-runs and reports as a CSV one does.
 *
 * The line syntax is parsed here (docs/ARCHITECTURE.md says why no Debian library does it):
 * folded lines, groups (item1.EMAIL), parameters with quoted values, 2.1's bare types, its
 * QUOTED-PRINTABLE soft line breaks (decoded by GMime) and CHARSET (converted by GLib). */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>
#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/record.h"

/* The contacts q selects (q->fields is ignored: every field is read) as vCards of version 3 or
 * 4 (3.0 or 4.0): FN, N, EMAIL, TEL with TYPE, ORG (the account's name), TITLE, ADR (the
 * location's address), NOTE, UID (stable: derived from the contact's number), REV (its last
 * change), and every other field, custom field and attribute that has a value as an X-CRM-
 * property (X-CRM-LIFECYCLE-STAGE, X-CRM-ATTR-<KEY>), so that an import puts them back. Lines
 * end in CRLF and are folded at 75 octets, never inside a UTF-8 character. *out (caller frees);
 * *count (may be NULL) the cards written. */
int crm_vcard_write(struct crm *crm, const struct crm_query *q, int version, char **out, long long *count,
		    struct crm_err *err);

/* Reading: the whole text is parsed at once (phone exports are small; a photo is skipped as it
 * is met), into a header and one row a card, each row remembering the line its BEGIN:VCARD is
 * on. Errors (a card without END:VCARD, a line that is no property, bad quoted-printable, an
 * unknown charset, text that is not UTF-8) are CRM_EINVALID naming the file and the line, and
 * nothing is read.
 *
 * Columns: first_name, last_name, email, phone, mobile, account, title, notes, and every
 * X-CRM-<NAME> whose name (lowercase, '-' as '_') is a field of kind k; a column is there only
 * when some card has a value for it. What has no field (a second e-mail or phone, ADR, URL,
 * CATEGORIES, X-ANDROID-..., a foreign UID, ...) is kept in notes, below a line "[vCard]", one
 * property a line as a vCard writes it. PHOTO (and inline LOGO, SOUND, KEY) is dropped and
 * counted. */
struct crm_vcard_rows {
	int ncols;
	char **cols;      /* the header */
	int nrows;
	char ***rows;     /* rows[i][c], "" when the card has nothing for column c */
	long long *lines; /* the line of each card's BEGIN:VCARD */
	long long dropped; /* photos and other inline binary values left out */
};

int crm_vcard_read(const char *text, size_t len, const char *name, const struct crm_kind *k,
		   struct crm_vcard_rows *out, struct crm_err *err);
void crm_vcard_rows_free(struct crm_vcard_rows *r);

/* Does text (its start) look like a vCard file? (BEGIN:VCARD after blank space or a BOM) */
int crm_vcard_sniff(const char *text, size_t len);

/* The pieces, for the unit tests: fold one logical line (no line end) into out with CRLF
 * endings, each physical line at most 75 octets, never splitting a UTF-8 sequence; escape a
 * text value (\\ \, \; and newlines as \n). */
void crm_vcard_fold(const char *line, char **out);
char *crm_vcard_escape(const char *s);

#endif
