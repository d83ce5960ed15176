/* Unit tests for core/vcard.c: folding at 75 octets without splitting UTF-8, escaping, and the
 * reader's lines: unfolding, groups, 2.1 quoted-printable soft breaks, PREF, errors with lines. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include "crm/vcard.h"
#include "unit.h"

static char got[4096];

/* The header and rows as "LINE:col=value|..." lines (empty cells left out), or "ERR code msg". */
static const char *read_text(const char *text)
{
	struct crm_vcard_rows r;
	struct crm_err err = { 0 };
	int rc = crm_vcard_read(text, strlen(text), "t.vcf", crm_kind_find("contact"), &r, &err);
	if (rc) {
		snprintf(got, sizeof got, "ERR %d %s", rc, err.msg);
		return got;
	}
	size_t n = 0;
	got[0] = 0;
	for (int i = 0; i < r.nrows; i++) {
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%lld:", i ? "\n" : "", r.lines[i]);
		for (int c = 0, first = 1; c < r.ncols; c++)
			if (*r.rows[i][c]) {
				n += (size_t)snprintf(got + n, sizeof got - n, "%s%s=%s", first ? "" : "|", r.cols[c],
						      r.rows[i][c]);
				first = 0;
			}
	}
	if (r.dropped)
		snprintf(got + n, sizeof got - n, " dropped=%lld", r.dropped);
	crm_vcard_rows_free(&r);
	return got;
}

static int folded_ok(const char *s)
{
	const char *line = s;
	for (const char *p = s; *p; p++) {
		if (*p != '\r')
			continue;
		if (p[1] != '\n' || p - line > 75)
			return 0;
		if (p[2] && p[2] != ' ')
			return 0;
		if (p[2] && ((unsigned char)p[3] & 0xC0) == 0x80)
			return 0; /* a continuation line starting inside a character */
		line = p + 2;
		p++;
	}
	return 1;
}

int main(void)
{
	char *e = crm_vcard_escape("a,b;c\\d\ne\r\nf\rg");
	CHECK_STR(e, "a\\,b\\;c\\\\d\\ne\\nf\\ng");
	free(e);
	char *f;
	crm_vcard_fold("NOTE:short", &f);
	CHECK_STR(f, "NOTE:short\r\n");
	free(f);
	char line[400];
	memset(line, 'a', 200);
	line[200] = 0;
	crm_vcard_fold(line, &f);
	CHECK_INT((long long)strlen(f), 200 + 2 + 2 * 3); /* 75 + 74 + 51: two folds */
	CHECK(folded_ok(f));
	free(f);
	/* é is two octets: wherever the 75th octet falls, no character is split */
	for (int shift = 0; shift < 3; shift++) {
		size_t n = 0;
		for (int i = 0; i < shift; i++)
			line[n++] = 'x';
		while (n + 2 < 300) {
			line[n++] = '\xc3';
			line[n++] = '\xa9';
		}
		line[n] = 0;
		crm_vcard_fold(line, &f);
		CHECK(folded_ok(f));
		free(f);
	}
	/* 3.0: a folded NOTE with escapes, item1. groups, PREF picks the e-mail, TYPE=cell the mobile */
	CHECK_STR(read_text("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann;;;\r\nitem1.EMAIL;type=INTERNET:a@x.org\r\n"
			    "item2.EMAIL;TYPE=pref:b@x.org\r\nTEL;TYPE=\"voice,cell\":tel:+1 2\r\nNOTE:one\\, two\\;\r\n"
			    "  three\\nfour\r\nEND:VCARD\r\n"),
		  "1:email=b@x.org|first_name=Ann|last_name=Lee|mobile=+1 2|notes=one, two; three\nfour\n\n[vCard]\n"
		  "item1.EMAIL;TYPE=INTERNET:a@x.org");
	/* 2.1: quoted-printable with a soft line break and CHARSET; PHOTO counted; no N: FN split */
	CHECK_STR(read_text("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=\n"
			    "=FCller\nPHOTO;ENCODING=BASE64;JPEG:AAAA\n BBBB\n\nEMAIL;INTERNET:j@x.de\nEND:VCARD\n"),
		  "1:email=j@x.de|first_name=J\xc3\xbcrgen|last_name=M\xc3\xbcller dropped=1");
	CHECK_STR(read_text(""), "");
	CHECK_STR(read_text("BEGIN:VCARD\nN:A;B\n"), "ERR 6 't.vcf' line 1: the vCard begun here has no END:VCARD");
	CHECK_STR(read_text("BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:a=\nb=4\nEND:VCARD\n"),
		  "ERR 6 't.vcf' line 2: bad quoted-printable: '=4' is not = and two hex digits");
	CHECK_STR(read_text("N:A;B\n"), "ERR 6 't.vcf' line 1: 'N' outside a vCard (BEGIN:VCARD ... END:VCARD)");
	CHECK_STR(read_text("BEGIN:VCARD\nNOTE:caf\xe9\nEND:VCARD\n"),
		  "ERR 6 't.vcf' line 2: NOTE is not UTF-8; a CHARSET parameter must name its encoding");
	CHECK_STR(read_text("BEGIN:VCARD\nNOTE;X=\"a:b:c\n\nEND:VCARD\n"),
		  "ERR 6 't.vcf' line 2: a quoted parameter value is never closed");
	return UNIT_DONE();
}
