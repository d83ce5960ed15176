/* Recurrence rules through libical (crm/recur.h). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

int crm_rrule_after(const char *rrule, time_t dtstart, time_t after, time_t *out, int max, struct crm_err *err)
{
	struct icalrecurrencetype r;
	if (parse(rrule, &r, err))
		return -1;
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icalrecur_iterator *it = icalrecur_iterator_new(r, icaltime_from_timet_with_zone(dtstart, 0, utc));
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
		time_t when = icaltime_as_timet(t);
		if (when > after)
			out[n++] = when;
	}
	icalrecur_iterator_free(it);
	return n;
}
