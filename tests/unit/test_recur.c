#define _POSIX_C_SOURCE 200809L
/* Recurrence rules (core/recur.c): friendly forms, RRULEs checked by libical, occurrences. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crm/recur.h"
#include "unit.h"

static void norm_is(const char *in, const char *want)
{
	char *out = NULL;
	struct crm_err err = { 0 };
	int rc = crm_rrule_normalize(in, &out, &err);
	CHECK(rc == CRM_OK);
	CHECK_STR(out ? out : "(null)", want);
	free(out);
}

static void norm_bad(const char *in)
{
	char *out = NULL;
	struct crm_err err = { 0 };
	CHECK(crm_rrule_normalize(in, &out, &err) == CRM_EINVALID);
	CHECK(out == NULL);
	CHECK(strstr(err.msg, "not a recurrence rule") != NULL);
}

int main(void)
{
	norm_is("daily", "FREQ=DAILY");
	norm_is("Weekly", "FREQ=WEEKLY");
	norm_is("monthly", "FREQ=MONTHLY");
	norm_is("yearly", "FREQ=YEARLY");
	norm_is("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2");
	norm_is("every 3 days", "FREQ=DAILY;INTERVAL=3");
	norm_is("every month", "FREQ=MONTHLY");
	norm_is("FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;BYDAY=MO,TH");
	norm_is("RRULE:FREQ=DAILY;COUNT=3", "FREQ=DAILY;COUNT=3");
	norm_is("", "(null)");
	norm_bad("FREQ=SOMETIMES");
	norm_bad("every 0 weeks");
	norm_bad("every blue moon");
	norm_bad("FREQ=WEEKLY;BYDAY=XX");
	norm_bad("FREQ=DAILY;INTERVAL=0");

	/* 2026-12-03 (a Thursday) 09:00 UTC, weekly on Mondays: 7, 14, 21 December. */
	time_t start = 1796288400, next[3];
	struct crm_err err = { 0 };
	CHECK(crm_rrule_after("FREQ=WEEKLY;BYDAY=MO", "UTC", start, start, next, 3, &err) == 3);
	CHECK(next[0] == start + 4 * 86400);
	CHECK(next[1] == next[0] + 7 * 86400);
	CHECK(next[2] == next[1] + 7 * 86400);
	/* strictly after: the start itself is not its own next occurrence */
	CHECK(crm_rrule_after("FREQ=DAILY", NULL, start, start, next, 1, &err) == 1);
	CHECK(next[0] == start + 86400);
	/* a series that has ended */
	CHECK(crm_rrule_after("FREQ=DAILY;COUNT=2", NULL, start, start + 86400, next, 1, &err) == 0);
	CHECK(crm_rrule_after("FREQ=NEVER", NULL, start, start, next, 1, &err) == -1);

	/* In the user's zone: Monday 19 October 2026 09:00 in Bucharest (06:00 UTC, summer time),
	 * weekly: still 09:00 there after summer time ends on the 25th, so 07:00 UTC. */
	time_t oct19 = 1792389600;
	CHECK(crm_rrule_after("FREQ=WEEKLY", "Europe/Bucharest", oct19, oct19, next, 2, &err) == 2);
	CHECK(next[0] == 1792998000);
	CHECK(next[1] == 1793602800);
	/* in UTC it would not move */
	CHECK(crm_rrule_after("FREQ=WEEKLY", "UTC", oct19, oct19, next, 1, &err) == 1);
	CHECK(next[0] == oct19 + 7 * 86400);
	/* a zone libical does not know by name (a POSIX rule) goes through the C library's clock */
	const char *rule = "EET-2EEST,M3.5.0/3,M10.5.0/4";
	setenv("TZ", rule, 1);
	tzset();
	CHECK(crm_rrule_after("FREQ=WEEKLY", rule, oct19, oct19, next, 2, &err) == 2);
	CHECK(next[0] == 1792998000);
	CHECK(next[1] == 1793602800);
	return UNIT_DONE();
}
