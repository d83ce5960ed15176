/* Status codes and the error record every core function fills on failure. */
#ifndef CRM_ERROR_H
#define CRM_ERROR_H

/* The exit codes of CONVENTIONS.md; core returns them, cmd/ exits with them. */
enum crm_status {
	CRM_OK = 0,
	CRM_EFAIL = 1,      /* failure not covered below */
	CRM_EUSAGE = 2,     /* unknown command, bad option, missing argument */
	CRM_ENOTFOUND = 3,  /* the named record does not exist */
	CRM_ECONFLICT = 4,  /* duplicate key, stale edit, transition not allowed */
	CRM_EPERM = 5,      /* the current user's roles do not allow it */
	CRM_EINVALID = 6,   /* validation failed */
	CRM_EBUSY = 75,     /* database busy past the timeout */
	CRM_ECONFIG = 78,   /* configuration invalid or names something unknown */
};

struct crm_err {
	int code;
	char msg[1024];
	char field[64]; /* the field at fault when one is (imports report it per row), else "" */
};

/* Fill err (if not NULL) with code and a printf-style message; returns code so that
 * error paths stay one line: `return crm_error(err, CRM_ENOTFOUND, "...", ...);` */
int crm_error(struct crm_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reset err to CRM_OK with an empty message. */
void crm_err_clear(struct crm_err *err);
/* Text to be stored must be UTF-8: CRM_EINVALID naming `what` and the first bad byte otherwise. */
int crm_check_utf8(const char *what, const char *s, struct crm_err *err);

#endif
