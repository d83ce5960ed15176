/* Libraries only some commands need, loaded on first use: libxlsxwriter for .xlsx output, GMime
 * for mail capture, libical for recurrence rules and iCalendar files, Cairo and Pango for PDF letters. Linked, they and what they pull in (libcrypto, GIO, gpgme, libmount, ...)
 * were loaded and relocated by every crm process: 3.3 ms of CPU before main, more than all
 * `crm contact show` otherwise does. libpq is loaded only for a postgresql:// database. The
 * functions core/ calls are listed in lazy_xlsx.h, lazy_gmime.h and lazy_pq.h; those headers turn each call into a call through a table filled here. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <string.h>
#include <gmime/gmime.h>
#include <xlsxwriter.h>
#include <libpq-fe.h>
#include <libpq/libpq-fs.h>
#include <libical/ical.h>
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#define CRM_LAZY_NO_MACROS
#include "lazy_gmime.h"
#include "lazy_xlsx.h"
#include "lazy_pq.h"
#include "lazy_ical.h"
#include "lazy_pango.h"

struct crm_lazy_xlsx crm_lazy_xlsx_fns;
struct crm_lazy_gmime crm_lazy_gmime_fns;
struct crm_lazy_pq crm_lazy_pq_fns;
struct crm_lazy_ical crm_lazy_ical_fns;
struct crm_lazy_pango crm_lazy_pango_fns;

#define CRM_LAZY_NAME(f) #f,
static const char *const xlsx_names[] = { CRM_LAZY_XLSX_FNS(CRM_LAZY_NAME) };
static const char *const gmime_names[] = { CRM_LAZY_GMIME_FNS(CRM_LAZY_NAME) };
static const char *const pq_names[] = { CRM_LAZY_PQ_FNS(CRM_LAZY_NAME) };
static const char *const ical_names[] = { CRM_LAZY_ICAL_FNS(CRM_LAZY_NAME) };
static const char *const pango_names[] = { CRM_LAZY_PANGO_FNS(CRM_LAZY_NAME) };

/* Open the first of the names that loads and fill slots (function pointers, in the order of
 * names) from it. 1 when done (now or before). */
static int load(const char *const *sonames, const char *const *names, size_t n, void *slots, int *state,
		const char *what, struct crm_err *err)
{
	if (*state == 1)
		return CRM_OK;
	void *h = NULL;
	for (size_t i = 0; sonames[i] && !h; i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return crm_error(err, CRM_EFAIL, "cannot load %s (%s): %s", what, sonames[0], dlerror());
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, names[i]);
		if (!f)
			return crm_error(err, CRM_EFAIL, "cannot load %s: it has no %s", what, names[i]);
		memcpy((char *)slots + i * sizeof f, &f, sizeof f); /* every slot is a function pointer */
	}
	*state = 1;
	return CRM_OK;
}

int crm_lazy_xlsx(struct crm_err *err)
{
	static int state;
	static const char *const so[] = { "libxlsxwriter.so.4", "libxlsxwriter.so.5", "libxlsxwriter.so", NULL };
	_Static_assert(sizeof crm_lazy_xlsx_fns == sizeof xlsx_names / sizeof *xlsx_names * sizeof(void (*)(void)),
		       "lazy_xlsx.h: a slot per name");
	return load(so, xlsx_names, sizeof xlsx_names / sizeof *xlsx_names, &crm_lazy_xlsx_fns, &state,
		    "libxlsxwriter, needed to write .xlsx", err);
}

int crm_lazy_gmime(struct crm_err *err)
{
	static int state;
	static const char *const so[] = { "libgmime-3.0.so.0", "libgmime-3.0.so", NULL };
	_Static_assert(sizeof crm_lazy_gmime_fns == sizeof gmime_names / sizeof *gmime_names * sizeof(void (*)(void)),
		       "lazy_gmime.h: a slot per name");
	static int initialised;
	int rc = load(so, gmime_names, sizeof gmime_names / sizeof *gmime_names, &crm_lazy_gmime_fns, &state,
		      "GMime, needed for mail", err);
	/* Once per process, never shut down: GMime 3.2 cannot be initialised again after
	 * g_mime_shutdown (its charset tables stay freed), and a command may read mail and send it. */
	if (rc == CRM_OK && !initialised++)
		crm_lazy_gmime_fns.g_mime_init();
	return rc;
}

int crm_lazy_pq(struct crm_err *err)
{
	static int state;
	static const char *const so[] = { "libpq.so.5", "libpq.so", NULL };
	_Static_assert(sizeof crm_lazy_pq_fns == sizeof pq_names / sizeof *pq_names * sizeof(void (*)(void)),
		       "lazy_pq.h: a slot per name");
	return load(so, pq_names, sizeof pq_names / sizeof *pq_names, &crm_lazy_pq_fns, &state,
		    "libpq, needed for a postgresql:// database", err);
}

int crm_lazy_ical(struct crm_err *err)
{
	static int state;
	static const char *const so[] = { "libical.so.3", "libical.so", NULL };
	_Static_assert(sizeof crm_lazy_ical_fns == sizeof ical_names / sizeof *ical_names * sizeof(void (*)(void)),
		       "lazy_ical.h: a slot per name");
	return load(so, ical_names, sizeof ical_names / sizeof *ical_names, &crm_lazy_ical_fns, &state,
		    "libical, needed for recurrence and iCalendar", err);
}

int crm_lazy_pango(struct crm_err *err)
{
	static int state;
	static const char *const so[] = { "libpangocairo-1.0.so.0", "libpangocairo-1.0.so", NULL };
	_Static_assert(sizeof crm_lazy_pango_fns == sizeof pango_names / sizeof *pango_names * sizeof(void (*)(void)),
		       "lazy_pango.h: a slot per name");
	return load(so, pango_names, sizeof pango_names / sizeof *pango_names, &crm_lazy_pango_fns, &state,
		    "Cairo and Pango (pangocairo), needed to write PDF letters", err);
}
