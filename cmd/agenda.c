/* crm agenda and crm calendar: whose open tasks and events fall when (crm-agenda(1),
 * crm-calendar(1)). The rows come from core (crm/agenda.h); the sections and the grid are laid
 * out here. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/agenda.h"
#include "crm/date.h"
#include "crm/ical.h"

/* --user, --group, --team (the last of them wins), and --now. */
static int scope_of(struct cli *cli, struct crm_agenda_scope *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < cli->args.nseen; i++) {
		const char *o = cli->args.seen[i].opt->name, *v = cli->args.seen[i].value;
		if (strcmp(o, "user") == 0)
			*s = (struct crm_agenda_scope){ .user = strcmp(v, "me") == 0 ? crm_user(cli->crm) : v };
		else if (strcmp(o, "group") == 0)
			*s = (struct crm_agenda_scope){ .group = v[0] == '@' ? v + 1 : v };
		else if (strcmp(o, "team") == 0)
			*s = (struct crm_agenda_scope){ .team = 1 };
	}
	const char *now = cli_get(cli, "now");
	if (now) {
		char buf[32];
		struct crm_err err = { 0 };
		if (crm_date_parse_time(now, crm_time(cli->crm), buf, sizeof buf, &err))
			return cli_error(CRM_EUSAGE, "--now: invalid date '%s'", now);
		if (crm_set_time(cli->crm, crm_time_parse_iso(buf), &err))
			return cli_fail(&err);
	}
	return 0;
}

/* A day or time expression as a UTC timestamp (a day: its local midnight). */
static void at(struct cli *cli, const char *expr, char *out, size_t size)
{
	struct crm_err err = { 0 };
	if (crm_date_parse_time(expr, crm_time(cli->crm), out, size, &err))
		snprintf(out, size, "%s", expr);
}

static const char *const agenda_cols[] = { "when", "id", "at", "title", "type", "priority", "status", "assignee",
					    "group", "account" };

/* The agenda: open tasks overdue (due before now), then those of today, then those of the rest
 * of this week (to eow), by time. */
static int agenda(struct cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[1]);
	struct crm_agenda_scope s;
	int rc = scope_of(cli, &s);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	size_t olen = cli->output ? strlen(cli->output) : 0;
	int ics = olen > 4 && strcmp(cli->output + olen - 4, ".ics") == 0 && !cli_has(cli, "explain");
	struct crm_printer *p = ics ? NULL : cli_printer(cli, NULL, &rc);
	if (!p && !ics)
		return rc;
	if (cli_has(cli, "explain")) {
		rc = crm_agenda_explain(cli->crm, &s, p, &err);
		int frc = cli_printer_finish(cli, p);
		return rc ? cli_fail(&err) : frc;
	}
	char now[32], today[32], tomorrow[32], eow[32], end[32];
	crm_time_format_utc(crm_time(cli->crm), now, sizeof now);
	at(cli, "today", today, sizeof today);
	at(cli, "tomorrow", tomorrow, sizeof tomorrow);
	at(cli, "eow", eow, sizeof eow);
	crm_time_format_utc(crm_time_parse_iso(eow) + 86400, end, sizeof end); /* the day after eow */
	if (strcmp(end, tomorrow) < 0)
		snprintf(end, sizeof end, "%s", tomorrow);
	struct crm_agenda_item *items;
	int n;
	rc = crm_agenda_items(cli->crm, &s, NULL, today, end, 0, &items, &n, &err);
	if (ics) { /* -o week.ics: the same tasks as VTODO and VEVENT */
		long long *ids = calloc((size_t)n + 1, sizeof *ids);
		char *text = NULL;
		for (int i = 0; i < n; i++)
			ids[i] = items[i].id;
		if (!rc)
			rc = crm_ical_write(cli->crm, ids, n, &text, &err);
		if (!rc)
			rc = rec_write_text(cli, text);
		else
			rc = cli_fail(&err);
		free(text);
		free(ids);
		if (!rc || n)
			crm_agenda_free(items, n);
		return rc;
	}
	if (!rc) {
		crm_printer_columns(p, agenda_cols, 10);
		static const char *const buckets[] = { "overdue", "today", "week" };
		for (int b = 0; b < 3; b++)
			for (int i = 0; i < n; i++) {
				const struct crm_agenda_item *it = &items[i];
				int in = it->due && strcmp(it->due, now) < 0 ? 0
				       : strcmp(it->at, today) < 0	       ? -1
				       : strcmp(it->at, tomorrow) < 0	       ? 1
									       : 2;
				if (in != b)
					continue;
				char id[32];
				snprintf(id, sizeof id, "%lld", it->id);
				struct crm_value row[10] = {
					{ CRM_V_TEXT, buckets[b] }, { CRM_V_INT, id }, { CRM_V_TIME, it->at },
					{ CRM_V_TEXT, it->title }, { CRM_V_TEXT, it->type },
					{ it->priority ? CRM_V_TEXT : CRM_V_NULL, it->priority }, { CRM_V_TEXT, it->status },
					{ it->assignee ? CRM_V_TEXT : CRM_V_NULL, it->assignee },
					{ it->group ? CRM_V_TEXT : CRM_V_NULL, it->group },
					{ it->account ? CRM_V_TEXT : CRM_V_NULL, it->account },
				};
				crm_printer_row(p, row);
			}
		crm_agenda_free(items, n);
	}
	cli->out.failed = rc != 0;
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* ---------------------------------------------------------------- the calendar's grid */

/* The terminal's width: COLUMNS, else the terminal's, else 80. */
static int width(const struct cli *cli)
{
	const char *c = cli->env.columns;
	int w = c ? atoi(c) : 0;
	struct winsize ws;
	if (w <= 0 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	return w > 0 ? w : 80;
}

/* Write s into a cell of w terminal columns (a wide character, CJK or emoji, takes two), cut or
 * padded; cleaned as every text view is (crm_printer_fit), so a title never drives the terminal
 * nor skews the grid. */
static void cell(const char *s, int w)
{
	char *fit = crm_printer_fit(s, w > 0 ? (size_t)w : 0);
	fputs(fit, stdout);
	free(fit);
}

static void rule(int cw)
{
	for (int d = 0; d < 7; d++) {
		putchar('+');
		for (int i = 0; i < cw; i++)
			putchar('-');
	}
	puts("+");
}

/* A day's local date (YYYY-MM-DD) and time (HH:MM) of a stored UTC timestamp. */
static void local_day(const char *iso, char *day, char *hm)
{
	time_t t = crm_time_parse_iso(iso);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
	strftime(hm, 6, "%H:%M", &tm);
}

/* The local day and time of each item, worked out once (not once for each day of the grid: a
 * month's 35 days times its items were most of the calendar's own time). */
struct when {
	char day[16], hm[8];
};

/* The entries of one day, "HH:MM title" (the title alone for all-day ones and those at
 * midnight, a day given without a time). */
static int day_entries(const struct crm_agenda_item *items, const struct when *at, int n, const char *day,
		       char out[][256], int max)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(at[i].day, day) != 0)
			continue;
		if (k < max) {
			if (items[i].all_day || strcmp(at[i].hm, "00:00") == 0)
				snprintf(out[k], 256, "%s", items[i].title);
			else
				snprintf(out[k], 256, "%s %s", at[i].hm, items[i].title);
		}
		k++;
	}
	return k;
}

static int calendar(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	struct crm_agenda_scope s;
	int rc = scope_of(cli, &s);
	if (rc)
		return rc;
	int month = 0, chosen = 0;
	for (int i = 0; i < cli->args.nseen; i++) /* the last of --week and --month */
		if (strcmp(cli->args.seen[i].opt->name, "month") == 0 || strcmp(cli->args.seen[i].opt->name, "week") == 0) {
			month = strcmp(cli->args.seen[i].opt->name, "month") == 0;
			chosen = 1;
		}
	/* A month as people write it (2026-12) is its first day, and asks for the month unless
	 * --week says otherwise. */
	const char *asked = argc > 1 ? argv[1] : "today";
	char first_of_month[16];
	if (strlen(asked) == 7 && strspn(asked, "0123456789") == 4 && asked[4] == '-' &&
	    strspn(asked + 5, "0123456789") == 2) {
		snprintf(first_of_month, sizeof first_of_month, "%s-01", asked);
		asked = first_of_month;
		if (!chosen)
			month = 1;
	}
	char day[32];
	struct crm_err err = { 0 };
	if (crm_date_parse_day(asked, crm_time(cli->crm), day, sizeof day, &err))
		return cli_error(CRM_EUSAGE, "invalid date '%s'", argv[1]);
	struct tm tm = { 0 };
	sscanf(day, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (month)
		tm.tm_mday = 1;
	time_t first = mktime(&tm);
	int back = (tm.tm_wday + 6) % 7; /* back to Monday */
	int ndays = 7;
	if (month) {
		struct tm last = tm;
		last.tm_mon++;
		last.tm_mday = 0; /* the month's last day */
		last.tm_isdst = -1;
		mktime(&last);
		ndays = (back + last.tm_mday + 6) / 7 * 7;
	}
	char days[42][16], from[32], to[32];
	for (int i = 0; i < ndays; i++) {
		struct tm d = tm;
		d.tm_mday += i - back;
		d.tm_isdst = -1;
		mktime(&d);
		strftime(days[i], sizeof days[i], "%Y-%m-%d", &d);
	}
	at(cli, days[0], from, sizeof from);
	struct tm after = tm;
	after.tm_mday += ndays - back;
	after.tm_isdst = -1;
	mktime(&after);
	char next[16];
	strftime(next, sizeof next, "%Y-%m-%d", &after);
	at(cli, next, to, sizeof to);
	struct crm_agenda_item *items;
	int n;
	if ((rc = crm_agenda_items(cli->crm, &s, from, from, to, 1, &items, &n, &err)))
		return cli_fail(&err);
	struct when *when = calloc((size_t)n + 1, sizeof *when);
	if (!when)
		abort();
	for (int i = 0; i < n; i++)
		local_day(items[i].at, when[i].day, when[i].hm);
	int cw = (width(cli) - 8) / 7;
	if (cw < 6)
		cw = 6;
	char title[64];
	struct tm ft;
	localtime_r(&first, &ft);
	if (month)
		strftime(title, sizeof title, "%B %Y", &ft);
	else
		snprintf(title, sizeof title, "Week of %s", days[0]);
	puts(title);
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	enum { MAXLINES = 8 };
	char lines[7][MAXLINES][256];
	rule(cw);
	if (month) {
		for (int d = 0; d < 7; d++) {
			putchar('|');
			cell(wd[d], cw);
		}
		puts("|");
		rule(cw);
	}
	for (int w = 0; w < ndays / 7; w++) {
		int count[7], rows = 0;
		for (int d = 0; d < 7; d++) {
			const char *dd = days[w * 7 + d];
			count[d] = day_entries(items, when, n, dd, lines[d], MAXLINES);
			int show = month ? (count[d] > 3 ? 3 : count[d]) : (count[d] > MAXLINES ? MAXLINES : count[d]);
			if (month && count[d] > 3)
				show = 3; /* the third line says how many more */
			rows = show > rows ? show : rows;
		}
		/* The day line: "Mon 07" for a week, the day of the month for a month. */
		for (int d = 0; d < 7; d++) {
			char head[32];
			const char *dd = days[w * 7 + d];
			if (month)
				snprintf(head, sizeof head, "%d", atoi(dd + 8));
			else
				snprintf(head, sizeof head, "%s %s", wd[d], dd + 5);
			putchar('|');
			cell(head, cw);
		}
		puts("|");
		if (!month)
			rule(cw);
		for (int r = 0; r < rows; r++) {
			for (int d = 0; d < 7; d++) {
				char more[32];
				const char *text = r < count[d] && r < MAXLINES ? lines[d][r] : "";
				if (month && r == 2 && count[d] > 3) {
					snprintf(more, sizeof more, "+%d more", count[d] - 2);
					text = more;
				}
				putchar('|');
				cell(text, cw);
			}
			puts("|");
		}
		rule(cw);
	}
	free(when);
	crm_agenda_free(items, n);
	return 0;
}


const struct cmd_opt cmd_agenda_opts[] = {
	{ "user", 0, OPT_VALUE, "login", "a user's agenda (with their groups'); me is you" },
	{ "group", 0, OPT_VALUE, "group", "the tasks given to a group" },
	{ "team", 0, 0, NULL, "the tasks of everyone under you, at any level" },
	{ "now", 0, OPT_VALUE, "time", "as of this time (default: now)" },
	{ "explain", 0, 0, NULL, "print the query plan instead: the indexes that serve it" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_opt cmd_calendar_opts[] = {
	{ "week", 0, 0, NULL, "a week, Monday to Sunday (default)" },
	{ "month", 0, 0, NULL, "a month, in weeks" },
	{ "user", 0, OPT_VALUE, "login", "a user's calendar (with their groups'); me is you" },
	{ "group", 0, OPT_VALUE, "group", "what is given to a group" },
	{ "team", 0, 0, NULL, "what is given to everyone under you, at any level" },
	{ "now", 0, OPT_VALUE, "time", "as of this time (default: now)" },
	{ NULL, 0, 0, NULL, NULL },
};

int cmd_agenda(struct cli *cli, int argc, char **argv)
{
	return agenda(cli, argc, argv);
}

int cmd_calendar(struct cli *cli, int argc, char **argv)
{
	return calendar(cli, argc, argv);
}
