/* crm report: the ticket summary on the terminal, and the Excel workbook (crm-report(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/finance.h"
#include "crm/record.h"
#include "crm/report.h"
#include "crm/sales.h"
#include "crm/ticket.h"

static int asof_day(struct cli *cli, char *day, size_t n);

/* The filter terms of a report, with its text for the About sheet. */
static int take_terms(int argc, char **argv, int from, const char **terms, int *nterms, char *text,
		      size_t textsz)
{
	*nterms = 0;
	text[0] = '\0';
	for (int i = from; i < argc; i++) {
		if (*nterms < 256)
			terms[(*nterms)++] = argv[i];
		size_t l = strlen(text);
		snprintf(text + l, textsz - l, "%s%s", l ? " " : "", argv[i]);
	}
	return 0;
}

static void count_rows(struct crm_printer *p, const char *key, const struct crm_report_count *list, int n)
{
	const char *names[] = { key, "tickets", "open", "breached" };
	crm_printer_columns(p, names, 4);
	for (int i = 0; i < n; i++) {
		char num[3][32];
		snprintf(num[0], sizeof num[0], "%lld", list[i].n);
		snprintf(num[1], sizeof num[1], "%lld", list[i].open);
		snprintf(num[2], sizeof num[2], "%lld", list[i].breached);
		struct crm_value cells[4] = { { CRM_V_TEXT, list[i].key }, { CRM_V_INT, num[0] }, { CRM_V_INT, num[1] },
					      { CRM_V_INT, num[2] } };
		crm_printer_row(p, cells);
	}
}

static void count_list(struct crm_printer *p, const char *key, const char *name,
		       const struct crm_report_count *list, int n)
{
	crm_printer_key(p, key);
	crm_printer_begin_list(p);
	for (int i = 0; i < n; i++) {
		char num[3][32];
		snprintf(num[0], sizeof num[0], "%lld", list[i].n);
		snprintf(num[1], sizeof num[1], "%lld", list[i].open);
		snprintf(num[2], sizeof num[2], "%lld", list[i].breached);
		crm_printer_begin_map(p);
		crm_printer_key(p, name);
		crm_printer_text(p, list[i].key);
		static const char *const keys[] = { "tickets", "open", "breached" };
		for (int j = 0; j < 3; j++) {
			struct crm_value v = { CRM_V_INT, num[j] };
			crm_printer_key(p, keys[j]);
			crm_printer_value(p, &v);
		}
		crm_printer_end(p);
	}
	crm_printer_end(p);
}

static void number(struct crm_printer *p, const char *key, double value, int real)
{
	char buf[64];
	if (real)
		snprintf(buf, sizeof buf, "%.1f", value);
	else
		snprintf(buf, sizeof buf, "%.0f", value);
	struct crm_value v = { real ? CRM_V_REAL : CRM_V_INT, buf };
	crm_printer_key(p, key);
	crm_printer_value(p, &v);
}

static int structured(struct cli *cli, const struct crm_ticket_report *r, const char *filter)
{
	int rc;
	struct crm_printer *p = cli_printer(cli, filter, &rc);
	if (!p)
		return rc;
	crm_printer_begin_map(p);
	number(p, "total", (double)r->total, 0);
	number(p, "open", (double)r->open, 0);
	number(p, "breached", (double)r->breached, 0);
	number(p, "open_breached", (double)r->open_breached, 0);
	count_list(p, "by_status", "status", r->by_status, r->nstatus);
	count_list(p, "by_priority", "priority", r->by_priority, r->npriority);
	count_list(p, "by_assignee", "assignee", r->by_assignee, r->nassignee);
	crm_printer_key(p, "open_age_days");
	crm_printer_begin_map(p);
	number(p, "average", r->age_avg / 24, 1);
	number(p, "oldest", r->age_max / 24, 1);
	number(p, "under_1", (double)r->age_buckets[0], 0);
	number(p, "from_1_to_3", (double)r->age_buckets[1], 0);
	number(p, "from_3_to_7", (double)r->age_buckets[2], 0);
	number(p, "over_7", (double)r->age_buckets[3], 0);
	crm_printer_end(p);
	number(p, "resolved", (double)r->resolved, 0);
	number(p, "resolve_hours_average", r->resolve_avg, 1);
	crm_printer_end(p);
	return cli_printer_finish(cli, p);
}

static int table(struct cli *cli, const char *title, const char *key, const struct crm_report_count *list, int n)
{
	struct crm_err err = { 0 };
	printf("\n%s\n", title);
	fflush(stdout);
	struct crm_printer_opts o = { .format = CRM_FMT_TABLE, .out = stdout, .headers = 1, .color = cli->color };
	struct crm_printer *p = crm_printer_new(&o, &err);
	if (!p)
		return cli_fail(&err);
	count_rows(p, key, list, n);
	return crm_printer_finish(p, &err) ? cli_fail(&err) : 0;
}

static int report_tickets(struct cli *cli, int argc, char **argv)
{
	const char *terms[256];
	char filter[2048];
	int nterms, rc = take_terms(argc, argv, 1, terms, &nterms, filter, sizeof filter);
	if (rc)
		return rc;
	struct crm_ticket_report r;
	struct crm_err err = { 0 };
	if (crm_report_tickets(cli->crm, terms, nterms, &r, &err))
		return cli_fail(&err);
	if (cli_structured(cli) || cli->output) {
		rc = structured(cli, &r, filter);
		crm_report_free(&r);
		return rc;
	}
	printf("Tickets: %lld, %lld open; %lld breaching their service level (%lld of them open)\n", r.total, r.open,
	       r.breached, r.open_breached);
	if (r.total) {
		rc = table(cli, "By status", "status", r.by_status, r.nstatus);
		if (!rc)
			rc = table(cli, "By priority", "priority", r.by_priority, r.npriority);
		if (!rc)
			rc = table(cli, "By assignee", "assignee", r.by_assignee, r.nassignee);
	}
	if (!rc && r.open)
		printf("\nOpen age: average %.1f days, oldest %.1f days; under 1 day %lld, 1-3 days %lld, "
		       "3-7 days %lld, over 7 days %lld\n", r.age_avg / 24, r.age_max / 24, r.age_buckets[0],
		       r.age_buckets[1], r.age_buckets[2], r.age_buckets[3]);
	if (!rc && r.resolved)
		printf("%sTime to resolve: average %.1f hours over %lld resolved ticket%s\n", r.open ? "" : "\n",
		       r.resolve_avg, r.resolved, r.resolved == 1 ? "" : "s");
	crm_report_free(&r);
	return rc;
}

static int report_export(struct cli *cli, int argc, char **argv)
{
	int xlsx = cli_has(cli, "xlsx"), n = argc;
	char **rest = argv;
	int rc = 0;
	int pipeline = n >= 2 && strcmp(rest[1], "pipeline") == 0;
	int value = n >= 2 && strcmp(rest[1], "client-value") == 0;
	char day[16] = "";
	if (n < 2 || (strcmp(rest[1], "tickets") != 0 && !pipeline && !value))
		rc = cli_error(CRM_EUSAGE, "report export takes a report name: tickets, pipeline or client-value");
	else if (value && n > 2)
		rc = cli_error(CRM_EUSAGE, "the client-value report takes no filter");
	else if (!value && cli_get(cli, "now"))
		rc = cli_error(CRM_EUSAGE, "--now is for the client-value report");
	else if (value && (rc = asof_day(cli, day, sizeof day)))
		return rc;
	else if (!pipeline && (cli_get(cli, "owner") || cli_get(cli, "from") || cli_get(cli, "to")))
		rc = cli_error(CRM_EUSAGE, "--owner, --from and --to are for the pipeline report");
	const char *path = cli->output;
	size_t len = path ? strlen(path) : 0;
	int xlsx_name = len > 5 && strcasecmp(path + len - 5, ".xlsx") == 0;
	if (!rc && !path)
		rc = cli_error(CRM_EUSAGE, "report export writes a file: give -o FILE.xlsx");
	else if (!rc && !xlsx && !xlsx_name)
		rc = cli_error(CRM_EUSAGE, "report export writes Excel: give --xlsx or a FILE.xlsx");
	else if (!rc && cli->format >= 0 && cli->format != CRM_FMT_XLSX)
		rc = cli_error(CRM_EUSAGE, "report export writes xlsx only, not %s", crm_format_name(cli->format));
	const char *terms[260]; /* 256 typed, and the options' */
	char filter[2048];
	char *owned[3] = { NULL, NULL, NULL };
	int nterms, nowned = 0;
	if (!rc)
		rc = take_terms(n, rest, 2, terms, &nterms, filter, sizeof filter);
	if (!rc && pipeline)
		nowned = cmd_pipeline_terms(cli, n, rest, n, terms, owned, &nterms);
	if (!rc) {
		char stamp[32];
		crm_time_format_utc(crm_time(cli->crm), stamp, sizeof stamp);
		struct crm_report_meta meta = { cli->cmdline, filter, crm_user(cli->crm), stamp };
		struct crm_err err = { 0 };
		/* As every -o: written to a temporary file renamed over the target once complete. */
		struct cli_out o;
		if (cli_out_open(&o, path, &err)) {
			for (int i = 0; i < nowned; i++)
				free(owned[i]);
			return cli_fail(&err);
		}
		/* libxlsxwriter writes by name: the temporary file, or a spool for a device or FIFO */
		const char *name = cli_out_name(&o, cli, &err);
		if (value) {
			snprintf(filter, sizeof filter, "as of %s", day);
			meta.filter = filter;
		}
		int failed = !name || (value ? crm_client_value_xlsx(cli->crm, day, name, &meta, &err)
				       : pipeline ? crm_pipeline_xlsx(cli->crm, terms, nterms, name, &meta, &err)
						  : crm_report_tickets_xlsx(cli->crm, terms, nterms, name, &meta, &err));
		if (failed) {
			struct crm_err ignored = { 0 };
			cli_out_close(&o, 0, &ignored);
			rc = cli_fail(&err);
		} else if (cli_out_close(&o, 1, &err)) {
			rc = cli_fail(&err);
		} else if (cli->verbose) {
			cli_info(cli, "wrote '%s'", path);
		}
	}
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}

/* The day a report is as of: --now, else today (CRM_NOW). */
static int asof_day(struct cli *cli, char *day, size_t n)
{
	const char *now = cli_get(cli, "now");
	struct crm_err err = { 0 };
	if (crm_date_parse_day(now ? now : "today", crm_time(cli->crm), day, n, &err))
		return cli_fail(&err);
	return 0;
}

static int report_receivables(struct cli *cli, int argc, char **argv)
{
	char day[16];
	int rc = asof_day(cli, day, sizeof day);
	if (rc)
		return rc;
	long long account = 0;
	struct crm_err err = { 0 };
	const char *acct = cli_get(cli, "account");
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	if (acct && crm_record_resolve(cli->crm, crm_kind_find("account"), acct, &account, &err))
		return cli_fail(&err);
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	if (cli_has(cli, "invoices") ? crm_open_invoices_print(cli->crm, account, day, p, &err)
				     : crm_receivables_print(cli->crm, account, day, !account, p, &err)) {
		struct crm_err ignored = { 0 };
		crm_printer_finish(p, &ignored);
		return cli_fail(&err);
	}
	return cli_printer_finish(cli, p);
}

static int report_client_value(struct cli *cli, int argc, char **argv)
{
	char day[16];
	int rc = asof_day(cli, day, sizeof day);
	(void)argv;
	if (rc)
		return rc;
	if (argc > 1)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	if (crm_client_value_print(cli->crm, day, p, &err)) {
		struct crm_err ignored = { 0 };
		crm_printer_finish(p, &ignored);
		return cli_fail(&err);
	}
	return cli_printer_finish(cli, p);
}

static const struct cmd_opt client_value_opts[] = {
	{ "now", 0, OPT_VALUE, "date", "as of this day: the last 12 months end here (default: today)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt receivables_opts[] = {
	{ "now", 0, OPT_VALUE, "date", "as of this day: how long invoices are past due (default: today)" },
	{ "account", 0, OPT_VALUE, "account", "only this account" },
	{ "invoices", 0, 0, NULL, "the open invoices one by one (with --account, of one account)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt export_opts[] = {
	{ "xlsx", 0, 0, NULL, "write Excel (also implied by -o FILE.xlsx)" },
	{ "owner", 0, OPT_VALUE, "login", "pipeline: only the opportunities this user owns (me is you)" },
	{ "from", 0, OPT_VALUE, "date", "pipeline: only those expected to close on or after this date" },
	{ "to", 0, OPT_VALUE, "date", "pipeline: only those expected to close on or before this date" },
	{ "now", 0, OPT_VALUE, "date", "client-value: as of this day (default: today)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_report_verbs[] = {
	{ "tickets", NULL, report_tickets, CMD_READ, "[<filter>...]",
	  "summarise tickets: by status, priority and assignee, open age, time to resolve, breaches", { NULL }, NULL, NULL },
	{ "receivables", NULL, report_receivables, CMD_READ, "",
	  "open balance per account and currency, payments allocated to invoices, ageing (current, 1-30, 31-60, "
	  "61-90, over 90 days past due)", { receivables_opts }, NULL, NULL },
	{ "client-value", NULL, report_client_value, CMD_READ, "",
	  "per account: revenue of the last 12 months and lifetime, margin, open pipeline, receivables and the "
	  "overdue share, tickets and activities, a score and a segment A/B/C (client_value: in the configuration)",
	  { client_value_opts }, NULL, NULL },
	{ "export", NULL, report_export, CMD_READ, "tickets|pipeline|client-value [<filter>...]",
	  "write the ticket report (sheets Tickets, Summary with charts, About) or the pipeline (sheets Pipeline "
	  "with a chart per currency, Opportunities, About) or the client value (Segments with a chart, Client value, About) "
	  "as an Excel workbook -o <file>",
	  { export_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
