#include <stdarg.h>
#include <stdio.h>
#include <glib.h>
#include "crm/error.h"

int crm_error(struct crm_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
		err->field[0] = '\0';
	}
	return code;
}

void crm_err_clear(struct crm_err *err)
{
	if (err) {
		err->code = CRM_OK;
		err->msg[0] = '\0';
		err->field[0] = '\0';
	}
}

int crm_check_utf8(const char *what, const char *s, struct crm_err *err)
{
	const char *bad;
	if (!s || g_utf8_validate(s, -1, &bad)) /* stored text is UTF-8, and every printer relies on it */
		return CRM_OK;
	return crm_error(err, CRM_EINVALID, "%s is not valid UTF-8 (byte %td is 0x%02x); convert it first, "
			 "e.g. with iconv -f cp1252 -t utf-8", what, bad - s + 1, (unsigned char)*bad);
}
