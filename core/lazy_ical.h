/* Private to core/: libical (RFC 5545 recurrence rules and iCalendar files), loaded with dlopen
 * the first time a command needs it (core/lazy.c), as libxlsxwriter and GMime are: a task's
 * --repeat, the next occurrences, .ics export and import. Include after <libical/ical.h>: its
 * functions become calls through a table that crm_lazy_ical() fills. */
#ifndef CRM_CORE_LAZY_ICAL_H
#define CRM_CORE_LAZY_ICAL_H

#include "crm/error.h"

#define CRM_LAZY_ICAL_FNS(X) \
	X(icalerror_set_errors_are_fatal) \
	X(icalerrno_return) \
	X(icalrecurrencetype_from_string) \
	X(icalrecurrencetype_as_string_r) \
	X(icalrecur_iterator_new) \
	X(icalrecur_iterator_next) \
	X(icalrecur_iterator_free) \
	X(icaltime_from_timet_with_zone) \
	X(icaltime_as_timet) \
	X(icaltime_is_null_time) \
	X(icaltimezone_get_utc_timezone) \
	X(icalmemory_free_buffer)

struct crm_lazy_ical {
#define CRM_LAZY_SLOT(f) __typeof__(f) *f;
	CRM_LAZY_ICAL_FNS(CRM_LAZY_SLOT)
#undef CRM_LAZY_SLOT
};
extern struct crm_lazy_ical crm_lazy_ical_fns;

/* Load libical (once): CRM_OK, or CRM_EFAIL saying it cannot be loaded. */
int crm_lazy_ical(struct crm_err *err);

#ifndef CRM_LAZY_NO_MACROS
#define icalerror_set_errors_are_fatal (crm_lazy_ical_fns.icalerror_set_errors_are_fatal)
#define icalerrno_return (crm_lazy_ical_fns.icalerrno_return)
#define icalrecurrencetype_from_string (crm_lazy_ical_fns.icalrecurrencetype_from_string)
#define icalrecurrencetype_as_string_r (crm_lazy_ical_fns.icalrecurrencetype_as_string_r)
#define icalrecur_iterator_new (crm_lazy_ical_fns.icalrecur_iterator_new)
#define icalrecur_iterator_next (crm_lazy_ical_fns.icalrecur_iterator_next)
#define icalrecur_iterator_free (crm_lazy_ical_fns.icalrecur_iterator_free)
#define icaltime_from_timet_with_zone (crm_lazy_ical_fns.icaltime_from_timet_with_zone)
#define icaltime_as_timet (crm_lazy_ical_fns.icaltime_as_timet)
#define icaltime_is_null_time (crm_lazy_ical_fns.icaltime_is_null_time)
#define icaltimezone_get_utc_timezone (crm_lazy_ical_fns.icaltimezone_get_utc_timezone)
#define icalmemory_free_buffer (crm_lazy_ical_fns.icalmemory_free_buffer)
#endif

#endif
