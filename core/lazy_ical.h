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
	X(icalmemory_free_buffer) \
	X(icalcomponent_new) \
	X(icalcomponent_new_vcalendar) \
	X(icalcomponent_add_component) \
	X(icalcomponent_add_property) \
	X(icalcomponent_as_ical_string_r) \
	X(icalcomponent_free) \
	X(icalproperty_new_uid) \
	X(icalproperty_new_summary) \
	X(icalproperty_new_description) \
	X(icalproperty_new_dtstart) \
	X(icalproperty_new_dtend) \
	X(icalproperty_new_due) \
	X(icalproperty_new_dtstamp) \
	X(icalproperty_new_status) \
	X(icalproperty_new_rrule) \
	X(icalproperty_new_version) \
	X(icalproperty_new_prodid) \
	X(icalproperty_new_priority) \
	X(icalproperty_new_lastmodified) \
	X(icalparser_parse_string) \
	X(icalcomponent_get_first_component) \
	X(icalcomponent_get_next_component) \
	X(icalcomponent_isa) \
	X(icalcomponent_get_uid) \
	X(icalcomponent_get_summary) \
	X(icalcomponent_get_dtstart) \
	X(icalcomponent_get_dtend) \
	X(icalcomponent_get_description) \
	X(icaltime_as_timet_with_zone) \
	X(icaltimezone_get_builtin_timezone) \
	X(icaltimezone_get_component) \
	X(icaltimezone_get_tzid) \
	X(icalcomponent_new_clone) \
	X(icaltime_null_time) \
	X(icalproperty_add_parameter) \
	X(icalparameter_new_tzid) \
	X(icalproperty_new_organizer) \
	X(icalproperty_new_attendee) \
	X(icalparameter_new_cn) \
	X(icalparameter_new_partstat) \
	X(icalparameter_new_role) \
	X(icalcomponent_get_first_property) \
	X(icalcomponent_get_next_property) \
	X(icalproperty_get_organizer) \
	X(icalproperty_get_attendee) \
	X(icalproperty_get_first_parameter) \
	X(icalparameter_get_cn) \
	X(icalparameter_get_partstat) \
	X(icalparameter_get_role) \
	X(icaltimezone_get_location) \
	X(icalproperty_set_tzid) \
	X(icalcomponent_get_due) \
	X(icalparameter_get_tzid)

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
#define icalcomponent_new (crm_lazy_ical_fns.icalcomponent_new)
#define icalcomponent_new_vcalendar (crm_lazy_ical_fns.icalcomponent_new_vcalendar)
#define icalcomponent_add_component (crm_lazy_ical_fns.icalcomponent_add_component)
#define icalcomponent_add_property (crm_lazy_ical_fns.icalcomponent_add_property)
#define icalcomponent_as_ical_string_r (crm_lazy_ical_fns.icalcomponent_as_ical_string_r)
#define icalcomponent_free (crm_lazy_ical_fns.icalcomponent_free)
#define icalproperty_new_uid (crm_lazy_ical_fns.icalproperty_new_uid)
#define icalproperty_new_summary (crm_lazy_ical_fns.icalproperty_new_summary)
#define icalproperty_new_description (crm_lazy_ical_fns.icalproperty_new_description)
#define icalproperty_new_dtstart (crm_lazy_ical_fns.icalproperty_new_dtstart)
#define icalproperty_new_dtend (crm_lazy_ical_fns.icalproperty_new_dtend)
#define icalproperty_new_due (crm_lazy_ical_fns.icalproperty_new_due)
#define icalproperty_new_dtstamp (crm_lazy_ical_fns.icalproperty_new_dtstamp)
#define icalproperty_new_status (crm_lazy_ical_fns.icalproperty_new_status)
#define icalproperty_new_rrule (crm_lazy_ical_fns.icalproperty_new_rrule)
#define icalproperty_new_version (crm_lazy_ical_fns.icalproperty_new_version)
#define icalproperty_new_prodid (crm_lazy_ical_fns.icalproperty_new_prodid)
#define icalproperty_new_priority (crm_lazy_ical_fns.icalproperty_new_priority)
#define icalproperty_new_lastmodified (crm_lazy_ical_fns.icalproperty_new_lastmodified)
#define icalparser_parse_string (crm_lazy_ical_fns.icalparser_parse_string)
#define icalcomponent_get_first_component (crm_lazy_ical_fns.icalcomponent_get_first_component)
#define icalcomponent_get_next_component (crm_lazy_ical_fns.icalcomponent_get_next_component)
#define icalcomponent_isa (crm_lazy_ical_fns.icalcomponent_isa)
#define icalcomponent_get_uid (crm_lazy_ical_fns.icalcomponent_get_uid)
#define icalcomponent_get_summary (crm_lazy_ical_fns.icalcomponent_get_summary)
#define icalcomponent_get_dtstart (crm_lazy_ical_fns.icalcomponent_get_dtstart)
#define icalcomponent_get_dtend (crm_lazy_ical_fns.icalcomponent_get_dtend)
#define icalcomponent_get_description (crm_lazy_ical_fns.icalcomponent_get_description)
#define icaltime_as_timet_with_zone (crm_lazy_ical_fns.icaltime_as_timet_with_zone)
#define icaltimezone_get_builtin_timezone (crm_lazy_ical_fns.icaltimezone_get_builtin_timezone)
#define icaltimezone_get_component (crm_lazy_ical_fns.icaltimezone_get_component)
#define icaltimezone_get_tzid (crm_lazy_ical_fns.icaltimezone_get_tzid)
#define icalcomponent_new_clone (crm_lazy_ical_fns.icalcomponent_new_clone)
#define icaltime_null_time (crm_lazy_ical_fns.icaltime_null_time)
#define icalproperty_add_parameter (crm_lazy_ical_fns.icalproperty_add_parameter)
#define icalparameter_new_tzid (crm_lazy_ical_fns.icalparameter_new_tzid)
#define icalproperty_new_organizer (crm_lazy_ical_fns.icalproperty_new_organizer)
#define icalproperty_new_attendee (crm_lazy_ical_fns.icalproperty_new_attendee)
#define icalparameter_new_cn (crm_lazy_ical_fns.icalparameter_new_cn)
#define icalparameter_new_partstat (crm_lazy_ical_fns.icalparameter_new_partstat)
#define icalparameter_new_role (crm_lazy_ical_fns.icalparameter_new_role)
#define icalcomponent_get_first_property (crm_lazy_ical_fns.icalcomponent_get_first_property)
#define icalcomponent_get_next_property (crm_lazy_ical_fns.icalcomponent_get_next_property)
#define icalproperty_get_organizer (crm_lazy_ical_fns.icalproperty_get_organizer)
#define icalproperty_get_attendee (crm_lazy_ical_fns.icalproperty_get_attendee)
#define icalproperty_get_first_parameter (crm_lazy_ical_fns.icalproperty_get_first_parameter)
#define icalparameter_get_cn (crm_lazy_ical_fns.icalparameter_get_cn)
#define icalparameter_get_partstat (crm_lazy_ical_fns.icalparameter_get_partstat)
#define icalparameter_get_role (crm_lazy_ical_fns.icalparameter_get_role)
#define icaltimezone_get_location (crm_lazy_ical_fns.icaltimezone_get_location)
#define icalproperty_set_tzid (crm_lazy_ical_fns.icalproperty_set_tzid)
#define icalcomponent_get_due (crm_lazy_ical_fns.icalcomponent_get_due)
#define icalparameter_get_tzid (crm_lazy_ical_fns.icalparameter_get_tzid)
#endif

#endif
