/* Date expressions as users type them, stored as ISO 8601 days or UTC timestamps. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* timegm */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "crm/date.h"

/* Longer than any valid expression; anything longer is rejected without further parsing. */
#define EXPR_MAX 64
/* Caps a relative count so the arithmetic below cannot overflow; the year check rejects the rest. */
#define REL_DIGITS_MAX 7

struct iso {
	int y, m, d;
	int has_time, hh, mm, ss;
	int utc;    /* Z or an offset: not local time */
	int offset; /* seconds east of UTC (+02:00 is 7200) */
};

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Civil-day arithmetic (H. Hinnant's algorithm) keeps relative dates free of DST and mktime
 * normalisation surprises: day counts are plain integers. */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Strict ISO 8601 subset: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]][Z|(+|-)HH[:MM]|(+|-)HHMM]].
 * T and Z may be lower case; a fraction of a second is dropped. */
static int parse_iso(const char *s, struct iso *r)
{
	memset(r, 0, sizeof *r);
	if (digits(s, 4, &r->y) || s[4] != '-' || digits(s + 5, 2, &r->m) || s[7] != '-' ||
	    digits(s + 8, 2, &r->d))
		return -1;
	if (r->y < 1 || r->m < 1 || r->m > 12 || r->d < 1 || r->d > days_in_month(r->y, r->m))
		return -1;
	s += 10;
	if (*s == '\0')
		return 0;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(s, 2, &r->hh) || s[2] != ':' || digits(s + 3, 2, &r->mm))
		return -1;
	s += 5;
	if (*s == ':') {
		if (digits(s + 1, 2, &r->ss))
			return -1;
		s += 3;
		if (*s == '.' || *s == ',') {
			if (!isdigit((unsigned char)s[1]))
				return -1;
			for (s++; isdigit((unsigned char)*s); s++)
				;
		}
	}
	if (*s == 'Z' || *s == 'z') {
		r->utc = 1;
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1, oh, om = 0;
		if (digits(s + 1, 2, &oh))
			return -1;
		s += 3;
		if (*s == ':' ? digits(s + 1, 2, &om) == 0 : isdigit((unsigned char)*s) && digits(s, 2, &om) == 0)
			s += *s == ':' ? 3 : 2;
		else if (*s == ':' || isdigit((unsigned char)*s))
			return -1;
		if (oh > 23 || om > 59)
			return -1;
		r->utc = 1;
		r->offset = sign * (oh * 3600 + om * 60);
	}
	if (*s != '\0' || r->hh > 23 || r->mm > 59 || r->ss > 59)
		return -1;
	r->has_time = 1;
	return 0;
}

/* A date alone is local midnight; a time without Z is local, with tm_isdst=-1 so mktime decides
 * whether DST applies (times in a DST gap are normalised forward by mktime). */
static int iso_to_time(const struct iso *r, time_t *out)
{
	struct tm tm = {0};
	tm.tm_year = r->y - 1900;
	tm.tm_mon = r->m - 1;
	tm.tm_mday = r->d;
	tm.tm_hour = r->hh;
	tm.tm_min = r->mm;
	tm.tm_sec = r->ss;
	tm.tm_isdst = -1;
	errno = 0;
	time_t t = r->utc ? timegm(&tm) : mktime(&tm);
	/* (time_t)-1 is also a real second, so only errno tells failure apart. */
	if (t == (time_t)-1 && errno != 0)
		return -1;
	*out = t - r->offset;
	return 0;
}

static void put_digits(char *p, int v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "YYYY-MM-DDTHH:MM:SSZ", by hand rather than gmtime and snprintf: a report of 100,000 tickets
 * writes two for each. */
static int format_ts(time_t t, char *out, size_t outsz)
{
	long long secs = (long long)t, days = secs / 86400, rem = secs % 86400, y;
	int m, d;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 1 || y > 9999 || outsz < 21)
		return -1;
	memcpy(out, "0000-00-00T00:00:00Z", 21);
	put_digits(out, (int)y, 4);
	put_digits(out + 5, m, 2);
	put_digits(out + 8, d, 2);
	put_digits(out + 11, (int)(rem / 3600), 2);
	put_digits(out + 14, (int)(rem / 60 % 60), 2);
	put_digits(out + 17, (int)(rem % 60), 2);
	return 0;
}

static int format_day(long long y, int m, int d, char *out, size_t outsz)
{
	if (y < 1 || y > 9999)
		return -1;
	int n = snprintf(out, outsz, "%04d-%02d-%02d", (int)y, m, d);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

time_t crm_now(const char *env)
{
	char buf[EXPR_MAX];
	struct iso r;
	time_t t;
	/* An unusable CRM_NOW falls back to the clock: this function has no way to report it. */
	if (env && *env && strlen(env) < sizeof buf) {
		memcpy(buf, env, strlen(env) + 1);
		if (parse_iso(buf, &r) == 0 && iso_to_time(&r, &t) == 0)
			return t;
	}
	return time(NULL);
}

static const char *const weekdays[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

static int weekday_index(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (strcmp(s, weekdays[i]) == 0 || (strlen(s) == 3 && strncmp(s, weekdays[i], 3) == 0))
			return i;
	return -1;
}

/* [+-]N unit, where unit is d/w/m/y or day(s)/week(s)/month(s)/year(s), optionally after a space.
 * Returns 0 and fills *n (signed) and *unit, or -1. */
static int parse_relative(const char *s, long long *n, char *unit)
{
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	long long v = 0;
	int nd = 0;
	while (isdigit((unsigned char)*s)) {
		if (++nd > REL_DIGITS_MAX)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if (nd == 0)
		return -1;
	if (*s == ' ')
		s++;
	static const char *const units[][3] = {
		{"d", "day", "days"}, {"w", "week", "weeks"},
		{"m", "month", "months"}, {"y", "year", "years"},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		for (int j = 0; j < 3; j++)
			if (strcmp(s, units[i][j]) == 0) {
				*n = sign * v;
				*unit = units[i][0][0];
				return 0;
			}
	return -1;
}

/* Evaluates a lower-cased, trimmed expression; returns 0 or -1 (invalid). */
static int evaluate(const char *s, time_t now, char *out, size_t outsz)
{
	struct iso r;
	if (isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '-') {
		if (parse_iso(s, &r) != 0)
			return -1;
		if (!r.has_time)
			return format_day(r.y, r.m, r.d, out, outsz);
		time_t t;
		if (iso_to_time(&r, &t) != 0)
			return -1;
		return format_ts(t, out, outsz);
	}
	if (strcmp(s, "now") == 0)
		return format_ts(now, out, outsz);

	/* Everything else is a day relative to today's local date. */
	struct tm lt;
	if (!localtime_r(&now, &lt))
		return -1;
	long long y = lt.tm_year + 1900LL;
	int m = lt.tm_mon + 1, d = lt.tm_mday, wday = lt.tm_wday;
	long long today = days_from_civil(y, m, d);
	long long n;
	char unit;
	int w;

	if (strcmp(s, "today") == 0)
		civil_from_days(today, &y, &m, &d);
	else if (strcmp(s, "tomorrow") == 0)
		civil_from_days(today + 1, &y, &m, &d);
	else if (strcmp(s, "yesterday") == 0)
		civil_from_days(today - 1, &y, &m, &d);
	else if (strcmp(s, "eow") == 0)
		civil_from_days(today + (7 - wday) % 7, &y, &m, &d);
	else if (strcmp(s, "eom") == 0)
		d = days_in_month((int)y, m);
	else if (strcmp(s, "eoq") == 0) {
		m = (m - 1) / 3 * 3 + 3;
		d = days_in_month((int)y, m);
	} else if (strcmp(s, "eoy") == 0) {
		m = 12;
		d = 31;
	} else if ((w = weekday_index(s)) >= 0) {
		int ahead = (w - wday + 7) % 7;
		civil_from_days(today + (ahead ? ahead : 7), &y, &m, &d);
	} else if (parse_relative(s, &n, &unit) == 0) {
		if (unit == 'd' || unit == 'w') {
			civil_from_days(today + (unit == 'w' ? 7 * n : n), &y, &m, &d);
		} else {
			/* Calendar months/years: keep the day of month, clamped to the target month's end. */
			long long months = y * 12 + (m - 1) + (unit == 'y' ? 12 * n : n);
			long long q = months >= 0 ? months / 12 : -((-months + 11) / 12);
			y = q;
			m = (int)(months - q * 12) + 1;
			if (y < 1 || y > 9999)
				return -1;
			int dim = days_in_month((int)y, m);
			if (d > dim)
				d = dim;
		}
	} else {
		return -1;
	}
	return format_day(y, m, d, out, outsz);
}

int crm_date_parse(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err)
{
	const char *raw = text ? text : "";
	const char *b = raw, *e = raw + strlen(raw);
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	char buf[EXPR_MAX];
	size_t len = (size_t)(e - b);
	if (len == 0 || len >= sizeof buf)
		return crm_error(err, CRM_EINVALID, "invalid date '%s'", raw);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)b[i]);
	buf[len] = '\0';
	char res[32];
	if (evaluate(buf, now, res, sizeof res) != 0)
		return crm_error(err, CRM_EINVALID, "invalid date '%s'", raw);
	if (!out || strlen(res) >= outsz)
		return crm_error(err, CRM_EFAIL, "date buffer too small for '%s'", res);
	memcpy(out, res, strlen(res) + 1);
	return CRM_OK;
}

int crm_date_parse_day(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err)
{
	char res[32];
	int rc = crm_date_parse(text, now, res, sizeof res, err);
	if (rc != CRM_OK)
		return rc;
	if (strlen(res) > 10) {
		time_t t = crm_time_parse_iso(res);
		struct tm lt;
		if (t == (time_t)-1 || !localtime_r(&t, &lt) ||
		    format_day(lt.tm_year + 1900LL, lt.tm_mon + 1, lt.tm_mday, res, sizeof res) != 0)
			return crm_error(err, CRM_EINVALID, "invalid date '%s'", text ? text : "");
	}
	if (!out || strlen(res) >= outsz)
		return crm_error(err, CRM_EFAIL, "date buffer too small for '%s'", res);
	memcpy(out, res, strlen(res) + 1);
	return CRM_OK;
}

int crm_date_parse_time(const char *text, time_t now, char *out, size_t outsz, struct crm_err *err)
{
	char res[32];
	int rc = crm_date_parse(text, now, res, sizeof res, err);
	if (rc != CRM_OK)
		return rc;
	if (strlen(res) == 10) {
		/* A day: its first second, local midnight, in UTC. */
		struct iso r;
		time_t t;
		if (parse_iso(res, &r) != 0 || iso_to_time(&r, &t) != 0 || format_ts(t, res, sizeof res) != 0)
			return crm_error(err, CRM_EINVALID, "invalid date '%s'", text ? text : "");
	}
	if (!out || strlen(res) >= outsz)
		return crm_error(err, CRM_EFAIL, "date buffer too small for '%s'", res);
	memcpy(out, res, strlen(res) + 1);
	return CRM_OK;
}

void crm_time_format_utc(time_t t, char *out, size_t outsz)
{
	/* Every record an import writes asks for the same time: remember the last answer. */
	static time_t last = -1;
	static char last_text[32];
	if (outsz == 0)
		return;
	if (t == last && outsz > strlen(last_text)) {
		memcpy(out, last_text, strlen(last_text) + 1);
		return;
	}
	if (format_ts(t, out, outsz) != 0) {
		out[0] = '\0';
		return;
	}
	if (strlen(out) < sizeof last_text) {
		last = t;
		memcpy(last_text, out, strlen(out) + 1);
	}
}

time_t crm_time_parse_iso(const char *iso)
{
	struct iso r;
	time_t t;
	if (!iso)
		return -1;
	size_t len = strlen(iso);
	/* Only the two exact shapes this module writes; upper-case T and Z only. */
	if (len == 10) {
		if (parse_iso(iso, &r) != 0)
			return -1;
	} else if (len == 20 && iso[10] == 'T' && iso[19] == 'Z') {
		if (parse_iso(iso, &r) != 0)
			return -1;
	} else {
		return -1;
	}
	if (iso_to_time(&r, &t) != 0)
		return -1;
	return t;
}

void crm_time_local_display(const char *stored, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	const char *s = stored ? stored : "";
	struct tm lt;
	time_t t;
	if (strlen(s) == 20 && s[10] == 'T' && (t = crm_time_parse_iso(s)) != (time_t)-1 &&
	    localtime_r(&t, &lt)) {
		snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", lt.tm_year + 1900, lt.tm_mon + 1,
			 lt.tm_mday, lt.tm_hour, lt.tm_min);
		return;
	}
	snprintf(out, outsz, "%s", s);
}

/* The client's time zone by name: TZ (":Area/City", a zoneinfo path, or a POSIX rule), else
 * what /etc/localtime links to, else /etc/timezone, else UTC. */
void crm_zone_name(const char *tz, char *out, size_t size)
{
	char link[512];
	snprintf(out, size, "UTC");
	if (tz) {
		if (*tz == ':')
			tz++;
		const char *z = strstr(tz, "zoneinfo/");
		if (z)
			tz = z + strlen("zoneinfo/");
		if (*tz)
			snprintf(out, size, "%s", tz);
		return;
	}
	ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n > 0) {
		link[n] = 0;
		const char *z = strstr(link, "zoneinfo/");
		if (z && z[strlen("zoneinfo/")]) {
			snprintf(out, size, "%s", z + strlen("zoneinfo/"));
			return;
		}
	}
	FILE *f = fopen("/etc/timezone", "r");
	if (f) {
		if (fgets(link, sizeof link, f)) {
			link[strcspn(link, " \t\r\n")] = 0;
			if (*link)
				snprintf(out, size, "%s", link);
		}
		fclose(f);
	}
}
