/* Dates as users type them, stored as ISO 8601. */
#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <stddef.h>
#include <time.h>
#include "crm/error.h"

/* The current time, or `now` when it is a usable ISO 8601 date or time (CRM_NOW, e.g. 2026-11-25
 * or 2026-11-25T10:00:00Z, which makes tests and backfills repeatable); NULL, empty or
 * unusable: the clock. */
time_t crm_now(const char *now);

/* Parse a date expression relative to `now`:
 *   ISO 8601: 2026-12-01, 2026-12-01T14:30, 2026-12-01T14:30:05, 2026-12-01 14:30, ...Z (UTC),
 *   ...+02:00, ...-0500, ...+02 (an offset from UTC); a fraction of a second is dropped
 *   today, tomorrow, yesterday, now
 *   weekday names (monday, mon, ...): the next such day, never today
 *   +3d -2w +1m -1y (also +3 days, 2w ago is not needed), eow, eom, eoq, eoy (end of week/month/quarter/year)
 * Names are case-insensitive. On success writes to out either a date "YYYY-MM-DD" (when the
 * expression names a day) or a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (when it carries a time;
 * local times are converted to UTC using TZ). Returns CRM_OK, or CRM_EINVALID with a message
 * "invalid date 'TEXT'". */
int crm_date_parse(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err);

/* Like crm_date_parse but always yields a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ", for fields that
 * hold a moment: a day ("today", "2026-12-01", "fri") is its first second, local midnight. */
int crm_date_parse_time(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err);

/* Like crm_date_parse but always yields a day "YYYY-MM-DD" (a timestamp is cut to its local day). */
int crm_date_parse_day(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err);

/* Format t as a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ". out must hold 21 bytes. */
void crm_time_format_utc(time_t t, char *out, size_t outsz);

/* Parse an ISO date or UTC timestamp as written by this module back to time_t; -1 if invalid. */
time_t crm_time_parse_iso(const char *iso);

/* For display on a terminal: a stored UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" shown in local time as
 * "YYYY-MM-DD HH:MM"; anything else copied unchanged. */
void crm_time_local_display(const char *stored, char *out, size_t outsz);

/* The client's time zone by name (an IANA name such as "Europe/Bucharest"): tz (the TZ variable:
 * ":Area/City", a zoneinfo path, or a POSIX rule, kept as it is), else what /etc/localtime links
 * to, else /etc/timezone, else "UTC". A PostgreSQL session's TimeZone, and the zone repeating
 * tasks recur in (crm/recur.h) and iCalendar files name. */
void crm_zone_name(const char *tz, char *out, size_t size);

#endif
