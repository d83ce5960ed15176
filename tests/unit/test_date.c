/* Unit tests for core/date.c. Every case pins TZ and `now` so results do not depend on the host. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <time.h>
#include "crm/date.h"
#include "unit.h"

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* A UTC timestamp as time_t; the parser under test is trusted only after its own checks below. */
static time_t at(const char *utc)
{
	return crm_time_parse_iso(utc);
}

static char got[1100]; /* room for "ERR n " plus a full crm_err message */

/* The parse result, or "ERR <code> <message>" so that failures show what happened. */
static const char *parse(const char *text, time_t now)
{
	struct crm_err err = {0};
	int rc = crm_date_parse(text, now, got, sizeof got, &err);
	if (rc != CRM_OK)
		snprintf(got, sizeof got, "ERR %d %s", rc, err.msg);
	return got;
}

static const char *parse_day(const char *text, time_t now)
{
	struct crm_err err = {0};
	int rc = crm_date_parse_day(text, now, got, sizeof got, &err);
	if (rc != CRM_OK)
		snprintf(got, sizeof got, "ERR %d %s", rc, err.msg);
	return got;
}

static void check_invalid(const char *text)
{
	char out[64] = "untouched", want[128];
	struct crm_err err = {0};
	CHECK_INT(crm_date_parse(text, at("2026-11-25T10:00:00Z"), out, sizeof out, &err), CRM_EINVALID);
	CHECK_INT(err.code, CRM_EINVALID);
	snprintf(want, sizeof want, "invalid date '%s'", text);
	CHECK_STR(err.msg, want);
	CHECK_STR(out, "untouched");
	err.code = 0;
	CHECK_INT(crm_date_parse_day(text, at("2026-11-25T10:00:00Z"), out, sizeof out, &err),
		  CRM_EINVALID);
	CHECK_STR(err.msg, want);
}

static void test_utc_helpers(void)
{
	char out[32];
	crm_time_format_utc(0, out, sizeof out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
	crm_time_format_utc(1795600800, out, sizeof out);
	CHECK_STR(out, "2026-11-25T10:00:00Z");
	CHECK_INT(at("2026-11-25T10:00:00Z"), 1795600800);
	CHECK_INT(crm_time_parse_iso("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(crm_time_parse_iso("2026-11-25"), 1795564800); /* local midnight, TZ=UTC */
	CHECK_INT(crm_time_parse_iso("2028-02-29T23:59:59Z"), 1835481599);
	CHECK_INT(crm_time_parse_iso("2026-11-25T10:00Z"), -1);
	CHECK_INT(crm_time_parse_iso("2026-11-25 10:00:00Z"), -1);
	CHECK_INT(crm_time_parse_iso("2026-11-25T10:00:00"), -1);
	CHECK_INT(crm_time_parse_iso("2026-11-25T10:00:00z"), -1);
	CHECK_INT(crm_time_parse_iso("2026-11-25T24:00:00Z"), -1);
	CHECK_INT(crm_time_parse_iso("2026-02-29"), -1);
	CHECK_INT(crm_time_parse_iso("today"), -1);
	CHECK_INT(crm_time_parse_iso(""), -1);
	CHECK_INT(crm_time_parse_iso(NULL), -1);

	crm_time_local_display("2026-12-01T14:30:05Z", out, sizeof out);
	CHECK_STR(out, "2026-12-01 14:30");
	crm_time_local_display("2026-12-01", out, sizeof out);
	CHECK_STR(out, "2026-12-01");
	crm_time_local_display("not a date", out, sizeof out);
	CHECK_STR(out, "not a date");
	char small[8];
	crm_time_local_display("2026-12-01T14:30:05Z", small, sizeof small);
	CHECK_STR(small, "2026-12");
}

static void test_keywords(void)
{
	time_t now = at("2026-11-25T10:00:00Z"); /* a Wednesday */
	CHECK_STR(parse("now", now), "2026-11-25T10:00:00Z");
	CHECK_STR(parse("today", now), "2026-11-25");
	CHECK_STR(parse("tomorrow", now), "2026-11-26");
	CHECK_STR(parse("yesterday", now), "2026-11-24");
	CHECK_STR(parse("TODAY", now), "2026-11-25");
	CHECK_STR(parse("Tomorrow", now), "2026-11-26");
	CHECK_STR(parse("NOW", now), "2026-11-25T10:00:00Z");
	CHECK_STR(parse("  today  ", now), "2026-11-25");
	CHECK_STR(parse("\ttomorrow\n", now), "2026-11-26");
	CHECK_STR(parse("eow", now), "2026-11-29");
	CHECK_STR(parse("eom", now), "2026-11-30");
	CHECK_STR(parse("eoq", now), "2026-12-31");
	CHECK_STR(parse("eoy", now), "2026-12-31");
	CHECK_STR(parse("EOM", now), "2026-11-30");

	/* Month boundaries for yesterday/tomorrow. */
	CHECK_STR(parse("tomorrow", at("2026-12-31T12:00:00Z")), "2027-01-01");
	CHECK_STR(parse("yesterday", at("2026-03-01T12:00:00Z")), "2026-02-28");
	CHECK_STR(parse("yesterday", at("2028-03-01T12:00:00Z")), "2028-02-29");

	/* eow on Sunday is that Sunday; on Monday, six days on. */
	CHECK_STR(parse("eow", at("2026-11-29T08:00:00Z")), "2026-11-29");
	CHECK_STR(parse("eow", at("2026-11-30T08:00:00Z")), "2026-12-06");
	CHECK_STR(parse("eow", at("2026-11-28T08:00:00Z")), "2026-11-29");
	CHECK_STR(parse("eow", at("2026-12-30T08:00:00Z")), "2027-01-03");

	CHECK_STR(parse("eom", at("2026-02-10T00:00:00Z")), "2026-02-28");
	CHECK_STR(parse("eom", at("2028-02-10T00:00:00Z")), "2028-02-29");
	CHECK_STR(parse("eom", at("2026-04-30T23:59:59Z")), "2026-04-30");

	CHECK_STR(parse("eoq", at("2026-01-01T00:00:00Z")), "2026-03-31");
	CHECK_STR(parse("eoq", at("2026-02-10T00:00:00Z")), "2026-03-31");
	CHECK_STR(parse("eoq", at("2026-03-31T23:59:59Z")), "2026-03-31");
	CHECK_STR(parse("eoq", at("2026-04-01T00:00:00Z")), "2026-06-30");
	CHECK_STR(parse("eoq", at("2026-06-30T00:00:00Z")), "2026-06-30");
	CHECK_STR(parse("eoq", at("2026-07-01T00:00:00Z")), "2026-09-30");
	CHECK_STR(parse("eoq", at("2026-09-15T00:00:00Z")), "2026-09-30");
	CHECK_STR(parse("eoq", at("2026-10-01T00:00:00Z")), "2026-12-31");

	CHECK_STR(parse("eoy", at("2026-01-01T00:00:00Z")), "2026-12-31");
	CHECK_STR(parse("eoy", at("2026-12-31T23:59:59Z")), "2026-12-31");
}

static void test_weekdays(void)
{
	time_t now = at("2026-11-25T10:00:00Z"); /* a Wednesday */
	CHECK_STR(parse("thursday", now), "2026-11-26");
	CHECK_STR(parse("friday", now), "2026-11-27");
	CHECK_STR(parse("saturday", now), "2026-11-28");
	CHECK_STR(parse("sunday", now), "2026-11-29");
	CHECK_STR(parse("monday", now), "2026-11-30");
	CHECK_STR(parse("tuesday", now), "2026-12-01");
	CHECK_STR(parse("wednesday", now), "2026-12-02"); /* never today */
	CHECK_STR(parse("thu", now), "2026-11-26");
	CHECK_STR(parse("fri", now), "2026-11-27");
	CHECK_STR(parse("sat", now), "2026-11-28");
	CHECK_STR(parse("sun", now), "2026-11-29");
	CHECK_STR(parse("mon", now), "2026-11-30");
	CHECK_STR(parse("tue", now), "2026-12-01");
	CHECK_STR(parse("wed", now), "2026-12-02");
	CHECK_STR(parse("Monday", now), "2026-11-30");
	CHECK_STR(parse("WED", now), "2026-12-02");
	CHECK_STR(parse("friday", at("2026-12-30T10:00:00Z")), "2027-01-01");
}

static void test_relative(void)
{
	time_t now = at("2026-11-25T10:00:00Z");
	CHECK_STR(parse("+3d", now), "2026-11-28");
	CHECK_STR(parse("3d", now), "2026-11-28");
	CHECK_STR(parse("-3d", now), "2026-11-22");
	CHECK_STR(parse("+0d", now), "2026-11-25");
	CHECK_STR(parse("+10d", now), "2026-12-05");
	CHECK_STR(parse("+37d", now), "2027-01-01");
	CHECK_STR(parse("+2w", now), "2026-12-09");
	CHECK_STR(parse("-2w", now), "2026-11-11");
	CHECK_STR(parse("+1m", now), "2026-12-25");
	CHECK_STR(parse("+2m", now), "2027-01-25");
	CHECK_STR(parse("-11m", now), "2025-12-25");
	CHECK_STR(parse("-12m", now), "2025-11-25");
	CHECK_STR(parse("+1y", now), "2027-11-25");
	CHECK_STR(parse("-1y", now), "2025-11-25");
	CHECK_STR(parse("1y", now), "2027-11-25");
	CHECK_STR(parse("+3D", now), "2026-11-28");
	CHECK_STR(parse("+3 days", now), "2026-11-28");
	CHECK_STR(parse("1 day", now), "2026-11-26");
	CHECK_STR(parse("+1 week", now), "2026-12-02");
	CHECK_STR(parse("2 months", now), "2027-01-25");
	CHECK_STR(parse("-1 year", now), "2025-11-25");

	/* Calendar months clamp the day to the end of the target month. */
	CHECK_STR(parse("+1m", at("2026-01-31T10:00:00Z")), "2026-02-28");
	CHECK_STR(parse("+1m", at("2028-01-31T10:00:00Z")), "2028-02-29");
	CHECK_STR(parse("+1m", at("2026-10-31T10:00:00Z")), "2026-11-30");
	CHECK_STR(parse("+2m", at("2026-12-31T10:00:00Z")), "2027-02-28");
	CHECK_STR(parse("-1m", at("2026-03-31T10:00:00Z")), "2026-02-28");
	CHECK_STR(parse("-1m", at("2026-01-15T10:00:00Z")), "2025-12-15");
	CHECK_STR(parse("+1y", at("2028-02-29T10:00:00Z")), "2029-02-28");
	CHECK_STR(parse("+4y", at("2028-02-29T10:00:00Z")), "2032-02-29");
	CHECK_STR(parse("-1y", at("2028-02-29T10:00:00Z")), "2027-02-28");
	CHECK_STR(parse("+12m", at("2028-02-29T10:00:00Z")), "2029-02-28");
	CHECK_STR(parse("+1d", at("2028-02-28T10:00:00Z")), "2028-02-29");
	CHECK_STR(parse("+1d", at("2100-02-28T10:00:00Z")), "2100-03-01");
	CHECK_STR(parse("+1d", at("2000-02-28T10:00:00Z")), "2000-02-29");
	CHECK_STR(parse("+1w", at("2026-12-28T10:00:00Z")), "2027-01-04");
}

static void test_iso(void)
{
	time_t now = at("2026-11-25T10:00:00Z");
	CHECK_STR(parse("2026-12-01", now), "2026-12-01");
	CHECK_STR(parse("2026-12-01T14:30", now), "2026-12-01T14:30:00Z");
	CHECK_STR(parse("2026-12-01T14:30:05", now), "2026-12-01T14:30:05Z");
	CHECK_STR(parse("2026-12-01 14:30", now), "2026-12-01T14:30:00Z");
	CHECK_STR(parse("2026-12-01 14:30:05", now), "2026-12-01T14:30:05Z");
	CHECK_STR(parse("2026-12-01T14:30Z", now), "2026-12-01T14:30:00Z");
	CHECK_STR(parse("2026-12-01T14:30:05Z", now), "2026-12-01T14:30:05Z");
	CHECK_STR(parse("2026-12-01t14:30:05z", now), "2026-12-01T14:30:05Z");
	CHECK_STR(parse("2026-12-01T00:00", now), "2026-12-01T00:00:00Z");
	CHECK_STR(parse("2026-12-01T23:59:59", now), "2026-12-01T23:59:59Z");
	CHECK_STR(parse(" 2026-12-01 ", now), "2026-12-01");
	CHECK_STR(parse("2028-02-29", now), "2028-02-29");
	CHECK_STR(parse("2000-02-29", now), "2000-02-29");
	CHECK_STR(parse("2026-04-30", now), "2026-04-30");
	CHECK_STR(parse("2026-01-31", now), "2026-01-31");

	CHECK_STR(parse_day("2026-12-01", now), "2026-12-01");
	CHECK_STR(parse_day("2026-12-01T14:30", now), "2026-12-01");
	CHECK_STR(parse_day("2026-12-01T23:59:59Z", now), "2026-12-01");
	CHECK_STR(parse_day("now", now), "2026-11-25");
	CHECK_STR(parse_day("tomorrow", now), "2026-11-26");
	CHECK_STR(parse_day("+1m", now), "2026-12-25");
}

static void test_invalid(void)
{
	check_invalid("");
	check_invalid("   ");
	check_invalid("2026-13-01");
	check_invalid("2026-00-10");
	check_invalid("2026-12-00");
	check_invalid("2026-12-32");
	check_invalid("2026-02-30");
	check_invalid("2026-02-29"); /* not a leap year */
	check_invalid("1900-02-29"); /* century, not a leap year */
	check_invalid("2026-04-31");
	check_invalid("2026-12-1");
	check_invalid("26-12-01");
	check_invalid("2026/12/01");
	check_invalid("2026-12-01T25:00");
	check_invalid("2026-12-01T24:00");
	check_invalid("2026-12-01T14:60");
	check_invalid("2026-12-01T14:30:60");
	check_invalid("2026-12-01T14");
	check_invalid("2026-12-01T14:3");
	check_invalid("2026-12-01T");
	check_invalid("2026-12-01Z");
	check_invalid("2026-12-01T14:30Zjunk");
	/* An offset from UTC: the time is converted, whatever the local zone. */
	CHECK_STR(parse("2026-12-01T14:30+02:00", 0), "2026-12-01T12:30:00Z");
	CHECK_STR(parse("2026-12-01T14:30:15-05:30", 0), "2026-12-01T20:00:15Z");
	CHECK_STR(parse("2026-12-01T01:30+0200", 0), "2026-11-30T23:30:00Z");
	CHECK_STR(parse("2026-12-01 14:30+02", 0), "2026-12-01T12:30:00Z");
	CHECK_STR(parse("2026-12-01T14:30:15.999Z", 0), "2026-12-01T14:30:15Z");
	CHECK_STR(parse_day("2026-12-01T23:30-02:00", 0), "2026-12-02");
	check_invalid("2026-12-01T14:30+2");
	check_invalid("2026-12-01T14:30+24:00");
	check_invalid("2026-12-01T14:30+02:60");
	check_invalid("2026-12-01T14:30+02:0");
	check_invalid("2026-12-01T14:30+020");
	check_invalid("2026-12-01T14:30Z+02");
	check_invalid("2026-12-01T14:30:15.");
	check_invalid("2026-12-01T14:30.5");
	check_invalid("+3x");
	check_invalid("+3");
	check_invalid("+d");
	check_invalid("3");
	check_invalid("+-3d");
	check_invalid("++3d");
	check_invalid("3dd");
	check_invalid("+99999999d");
	check_invalid("+9999999y");
	check_invalid("-3000y");
	check_invalid("fooday");
	check_invalid("mo");
	check_invalid("mond");
	check_invalid("today!");
	check_invalid("next monday");
	check_invalid("eod");

	/* The message keeps the user's text as typed, whitespace included. */
	struct crm_err err = {0};
	char out[32];
	CHECK_INT(crm_date_parse(" nope ", 0, out, sizeof out, &err), CRM_EINVALID);
	CHECK_STR(err.msg, "invalid date ' nope '");
	CHECK_INT(crm_date_parse(NULL, 0, out, sizeof out, &err), CRM_EINVALID);
	CHECK_STR(err.msg, "invalid date ''");
	/* err may be NULL. */
	CHECK_INT(crm_date_parse("nope", 0, out, sizeof out, NULL), CRM_EINVALID);

	/* Too small an output buffer is the caller's bug, not the user's. */
	char tiny[10];
	CHECK_INT(crm_date_parse("2026-12-01", 0, tiny, sizeof tiny, &err), CRM_EFAIL);
	char day[11];
	CHECK_INT(crm_date_parse("2026-12-01", 0, day, sizeof day, &err), CRM_OK);
	CHECK_STR(day, "2026-12-01");
	CHECK_INT(crm_date_parse_day("2026-12-01T14:30Z", 0, day, sizeof day, &err), CRM_OK);
	CHECK_STR(day, "2026-12-01");
}

static void test_bucharest(void)
{
	set_tz("Europe/Bucharest"); /* EET +02:00, EEST +03:00 from late March to late October */
	time_t now = at("2026-11-25T10:00:00Z");
	CHECK_STR(parse("2026-12-01T14:30", now), "2026-12-01T12:30:00Z");
	CHECK_STR(parse("2026-12-01 14:30:05", now), "2026-12-01T12:30:05Z");
	CHECK_STR(parse("2026-07-01T14:30", now), "2026-07-01T11:30:00Z");
	CHECK_STR(parse("2026-12-01T14:30Z", now), "2026-12-01T14:30:00Z");
	CHECK_STR(parse("2026-12-01T01:00", now), "2026-11-30T23:00:00Z");
	CHECK_STR(parse("2026-12-01", now), "2026-12-01");
	CHECK_STR(parse("now", now), "2026-11-25T10:00:00Z");

	/* 23:30Z is already the next day in Bucharest, so day keywords follow local time. */
	time_t late = at("2026-11-25T23:30:00Z");
	CHECK_STR(parse("today", late), "2026-11-26");
	CHECK_STR(parse("tomorrow", late), "2026-11-27");
	CHECK_STR(parse("wednesday", late), "2026-12-02"); /* Thursday locally */
	CHECK_STR(parse("thursday", late), "2026-12-03");
	CHECK_STR(parse("eom", at("2026-11-30T22:30:00Z")), "2026-12-31");
	CHECK_STR(parse_day("now", late), "2026-11-26");
	CHECK_STR(parse_day("2026-11-30T23:30Z", now), "2026-12-01");
	CHECK_STR(parse_day("2026-12-01T01:30", now), "2026-12-01");

	/* Day arithmetic across the DST switch (2026-03-29) stays on calendar days. */
	time_t before = at("2026-03-28T22:30:00Z"); /* 2026-03-29 00:30 local */
	CHECK_STR(parse("today", before), "2026-03-29");
	CHECK_STR(parse("+1d", before), "2026-03-30");
	/* 2026-10-26 00:30 local, after the switch back. */
	CHECK_STR(parse("-1d", at("2026-10-25T22:30:00Z")), "2026-10-25");

	CHECK_INT(crm_time_parse_iso("2026-12-01"), at("2026-11-30T22:00:00Z"));
	CHECK_INT(crm_time_parse_iso("2026-07-01"), at("2026-06-30T21:00:00Z"));
	char out[32];
	crm_time_local_display("2026-12-01T12:30:00Z", out, sizeof out);
	CHECK_STR(out, "2026-12-01 14:30");
	crm_time_local_display("2026-07-01T11:30:00Z", out, sizeof out);
	CHECK_STR(out, "2026-07-01 14:30");
	set_tz("UTC");
}

static void test_crm_now(void)
{
	unsetenv("CRM_NOW");
	time_t before = time(NULL);
	time_t t = crm_now(getenv("CRM_NOW"));
	CHECK(t >= before && t <= time(NULL));

	setenv("CRM_NOW", "2026-11-25T10:00:00Z", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T10:00:00Z"));
	setenv("CRM_NOW", "2026-11-25", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T00:00:00Z"));
	setenv("CRM_NOW", "2026-11-25T10:00", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T10:00:00Z"));

	set_tz("Europe/Bucharest");
	setenv("CRM_NOW", "2026-11-25", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-24T22:00:00Z"));
	setenv("CRM_NOW", "2026-11-25T12:00:00", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T10:00:00Z"));
	setenv("CRM_NOW", "2026-11-25 12:00", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T10:00:00Z"));
	setenv("CRM_NOW", "2026-11-25T10:00:00Z", 1);
	CHECK_INT(crm_now(getenv("CRM_NOW")), at("2026-11-25T10:00:00Z"));
	set_tz("UTC");

	/* An unusable value falls back to the clock. */
	setenv("CRM_NOW", "garbage", 1);
	before = time(NULL);
	t = crm_now(getenv("CRM_NOW"));
	CHECK(t >= before && t <= time(NULL));
	setenv("CRM_NOW", "", 1);
	before = time(NULL);
	t = crm_now(getenv("CRM_NOW"));
	CHECK(t >= before && t <= time(NULL));
	unsetenv("CRM_NOW");
}

int main(void)
{
	set_tz("UTC");
	test_utc_helpers();
	test_keywords();
	test_weekdays();
	test_relative();
	test_iso();
	test_invalid();
	test_bucharest();
	test_crm_now();
	return UNIT_DONE();
}
