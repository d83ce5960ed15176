/* Recurrence rules through libical (crm/recur.h). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <libical/ical.h>
#include "crm/recur.h"
#include "lazy_ical.h"
#include "util.h"

static int load(struct crm_err *err)
{
	int rc = crm_lazy_ical(err);
	if (!rc)
		icalerror_set_errors_are_fatal(0); /* a bad rule is the user's error, not an abort */
	return rc;
}

/* "weekly" -> "FREQ=WEEKLY"; "every 2 weeks" -> "FREQ=WEEKLY;INTERVAL=2"; NULL otherwise. */
static char *friendly(const char *in)
{
	static const struct { const char *word, *unit, *freq; } units[] = {
		{ "daily", "day", "DAILY" }, { "weekly", "week", "WEEKLY" },
		{ "monthly", "month", "MONTHLY" }, { "yearly", "year", "YEARLY" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strcasecmp(in, units[i].word) == 0) {
			snprintf(buf, sizeof buf, "FREQ=%s", units[i].freq);
			return xstrdup(buf);
		}
	if (strncasecmp(in, "every ", 6) != 0)
		return NULL;
	const char *p = in + 6;
	while (*p == ' ')
		p++;
	long n = 1;
	if (isdigit((unsigned char)*p)) {
		char *end;
		n = strtol(p, &end, 10);
		if (n < 1 || n > 1000 || *end != ' ')
			return NULL;
		p = end;
		while (*p == ' ')
			p++;
	}
	size_t len = strlen(p);
	if (len && (p[len - 1] == 's' || p[len - 1] == 'S'))
		len--;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strlen(units[i].unit) == len && strncasecmp(p, units[i].unit, len) == 0) {
			if (n == 1)
				snprintf(buf, sizeof buf, "FREQ=%s", units[i].freq);
			else
				snprintf(buf, sizeof buf, "FREQ=%s;INTERVAL=%ld", units[i].freq, n);
			return xstrdup(buf);
		}
	return NULL;
}

static int parse(const char *rule, struct icalrecurrencetype *r, struct crm_err *err)
{
	int rc = load(err);
	if (rc)
		return rc;
	*icalerrno_return() = ICAL_NO_ERROR;
	*r = icalrecurrencetype_from_string(rule);
	if (r->freq == ICAL_NO_RECURRENCE || *icalerrno_return() != ICAL_NO_ERROR || r->interval < 1) {
		*icalerrno_return() = ICAL_NO_ERROR;
		return crm_error(err, CRM_EINVALID, "repeat: '%s' is not a recurrence rule (daily, weekly, monthly, "
				 "yearly, every 2 weeks, or an RRULE such as FREQ=WEEKLY;BYDAY=MO)", rule);
	}
	return CRM_OK;
}

int crm_rrule_normalize(const char *in, char **out, struct crm_err *err)
{
	*out = NULL;
	while (in && isspace((unsigned char)*in))
		in++;
	if (!in || !*in)
		return CRM_OK;
	char *rule = friendly(in);
	const char *text = rule ? rule : in;
	if (!rule && strncasecmp(text, "RRULE:", 6) == 0)
		text += 6;
	struct icalrecurrencetype r;
	int rc = parse(text, &r, err);
	if (!rc) {
		char *s = icalrecurrencetype_as_string_r(&r);
		*out = xstrdup(s);
		icalmemory_free_buffer(s);
	} else if (rule) {
		rc = crm_error(err, CRM_EINVALID, "repeat: '%s' is not a recurrence rule", in);
	}
	free(rule);
	return rc;
}

/* The zone occurrences are computed in: libical's own for an IANA name it knows (its rules from
 * the system's zoneinfo), NULL for UTC, or *floating set for a zone only the C library knows (a
 * POSIX rule such as "EET-2EEST,M3.5.0/3,M10.5.0/4"): then local times go through mktime. */
static icaltimezone *zone_of(const char *zone, int *floating)
{
	*floating = 0;
	if (!zone || !*zone || strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0 || strcmp(zone, "UTC0") == 0)
		return NULL;
	icaltimezone *z = icaltimezone_get_builtin_timezone(zone);
	*floating = z == NULL;
	return z;
}

int crm_rrule_after(const char *rrule, const char *zone, time_t dtstart, time_t after, time_t *out, int max,
		    struct crm_err *err)
{
	struct icalrecurrencetype r;
	if (parse(rrule, &r, err))
		return -1;
	int floating;
	icaltimezone *z = zone_of(zone, &floating), *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype start;
	if (floating) { /* the C library's local time, without a zone: a wall clock */
		struct tm tm;
		localtime_r(&dtstart, &tm);
		start = icaltime_null_time();
		start.year = tm.tm_year + 1900;
		start.month = tm.tm_mon + 1;
		start.day = tm.tm_mday;
		start.hour = tm.tm_hour;
		start.minute = tm.tm_min;
		start.second = tm.tm_sec;
	} else {
		start = icaltime_from_timet_with_zone(dtstart, 0, z ? z : utc);
		start.zone = z ? z : utc; /* libical converts the clock but leaves the zone UTC */
	}
	icalrecur_iterator *it = icalrecur_iterator_new(r, start);
	if (!it) {
		crm_error(err, CRM_EINVALID, "repeat: '%s' cannot be iterated", rrule);
		return -1;
	}
	int n = 0;
	/* A series of a hundred years of daily occurrences is 36,500 steps: bounded. */
	for (int steps = 0; n < max && steps < 100000; steps++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		time_t when;
		if (floating) {
			struct tm tm = { .tm_year = t.year - 1900, .tm_mon = t.month - 1, .tm_mday = t.day,
					 .tm_hour = t.hour, .tm_min = t.minute, .tm_sec = t.second, .tm_isdst = -1 };
			when = mktime(&tm);
		} else {
			when = icaltime_as_timet_with_zone(t, z ? z : utc);
		}
		if (when > after)
			out[n++] = when;
	}
	icalrecur_iterator_free(it);
	return n;
}
