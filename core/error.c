#include <stdarg.h>
#include <stdio.h>
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
