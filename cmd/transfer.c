/* The import and export verbs every kind of record shares: `crm <noun> import FILE` and
 * `crm <noun> export [filter...] -o FILE`. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/import.h"
#include "crm/record.h"

/* Rejected rows told on stderr when they go to no --reject file. */
#define MAX_REJECTS_SHOWN 20

struct import_ui {
	struct cli *cli;
	const char *file;
	struct crm_printer *report; /* dry run and --diff: what happens to each row */
	int dry_run, diff;
	int rejects_to_file;
	long long rejects_seen;
	int progress;               /* stderr is a terminal and -q was not given */
	int progress_shown;
	long long size;             /* of a regular file, for the time left; 0 if unknown */
	double start, last;
};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(struct import_ui *ui)
{
	if (ui->progress_shown) {
		fputs("\r\033[K", stderr);
		ui->progress_shown = 0;
	}
}

static void on_progress(void *ctx, long long rows, long long bytes)
{
	struct import_ui *ui = ctx;
	double now = seconds();
	if (!ui->progress || now - ui->last < 0.2)
		return;
	ui->last = now;
	double elapsed = now - ui->start;
	double rate = elapsed > 0 ? (double)rows / elapsed : 0;
	fprintf(stderr, "\r\033[K%s: %lld rows, %.0f rows/s", ui->file, rows, rate);
	if (ui->size > 0 && bytes > 0 && bytes < ui->size) {
		long long left = (long long)(elapsed * (double)(ui->size - bytes) / (double)bytes);
		fprintf(stderr, ", %lld:%02lld left", left / 60, left % 60);
	}
	ui->progress_shown = 1;
}

static void on_event(void *ctx, const struct crm_import_event *ev)
{
	struct import_ui *ui = ctx;
	if (strcmp(ev->action, "reject") == 0 && !ui->rejects_to_file) {
		if (ui->rejects_seen < MAX_REJECTS_SHOWN) {
			clear_progress(ui);
			cli_warn("'%s' line %lld: %s", ui->file, ev->line, ev->error);
		}
		ui->rejects_seen++;
	}
	int show = ui->dry_run || (ui->diff && ev->field && strcmp(ev->action, "update") == 0);
	if (!ui->report || !show)
		return;
	char line[32], id[32];
	snprintf(line, sizeof line, "%lld", ev->line);
	snprintf(id, sizeof id, "%lld", ev->id);
	struct crm_value cells[] = {
		{ CRM_V_INT, line },
		{ CRM_V_TEXT, ev->action },
		{ CRM_V_TEXT, ev->kind },
		{ ev->id ? CRM_V_INT : CRM_V_NULL, ev->id ? id : NULL },
		{ ev->record ? CRM_V_TEXT : CRM_V_NULL, ev->record },
		{ ev->field ? CRM_V_TEXT : CRM_V_NULL, ev->field },
		{ ev->old_value ? CRM_V_TEXT : CRM_V_NULL, ev->old_value },
		{ ev->new_value ? CRM_V_TEXT : CRM_V_NULL, ev->new_value },
		{ ev->error ? CRM_V_TEXT : CRM_V_NULL, ev->error },
	};
	crm_printer_row(ui->report, cells);
}

static int parse_delimiter(const char *v, int *out)
{
	if (!strcmp(v, ",") || !strcmp(v, "comma"))
		*out = ',';
	else if (!strcmp(v, ";") || !strcmp(v, "semicolon"))
		*out = ';';
	else if (!strcmp(v, "\t") || !strcmp(v, "\\t") || !strcmp(v, "tab"))
		*out = '\t';
	else if (!strcmp(v, "|") || !strcmp(v, "pipe"))
		*out = '|';
	else
		return cli_error(CRM_EUSAGE, "--delimiter takes ',', ';', 'tab' or '|', not '%s'", v);
	return 0;
}

/* What a file to import is written in: --input-format, else its extension, else (stdin, .txt,
 * no extension) found from its content (CRM_IN_AUTO). */
static int input_format(const struct cli *cli, const char *path, enum crm_in_format *out)
{
	const char *v = cli_get(cli, "input-format");
	if (v) {
		int f = crm_in_format_parse(v);
		if (f < 0)
			return cli_error(CRM_EUSAGE, "--input-format takes csv, tsv, json, ndjson or vcard, not '%s'", v);
		*out = (enum crm_in_format)f;
		return 0;
	}
	*out = CRM_IN_AUTO;
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return 0;
	static const struct { const char *ext; enum crm_in_format f; } exts[] = {
		{ ".csv", CRM_IN_CSV }, { ".tsv", CRM_IN_TSV }, { ".tab", CRM_IN_TSV }, { ".json", CRM_IN_JSON },
		{ ".ndjson", CRM_IN_NDJSON }, { ".jsonl", CRM_IN_NDJSON }, { ".vcf", CRM_IN_VCARD },
		{ ".vcard", CRM_IN_VCARD },
	};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		if (strcasecmp(dot, exts[i].ext) == 0)
			*out = exts[i].f;
	return 0;
}

int rec_import(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	struct crm_import_opts o = { .kind = k, .mode = CRM_IMPORT_UPSERT };
	const char *path = NULL, *reject_path = cli_get(cli, "reject"), *v;
	const char **maps = calloc((size_t)CMD_MAX_SEEN + 1, sizeof *maps);
	int rc = 0;
	if ((v = cli_get(cli, "mode")) && (int)(o.mode = crm_import_mode_parse(v)) < 0)
		rc = cli_error(CRM_EUSAGE, "--mode takes create, update or upsert, not '%s'", v);
	o.key = cli_get(cli, "key");
	o.nmaps = cli_getv(cli, "map", maps, CMD_MAX_SEEN);
	o.profile = cli_get(cli, "profile");
	if (!rc && (v = cli_get(cli, "delimiter")))
		rc = parse_delimiter(v, &o.csv.delimiter);
	o.csv.encoding = cli_get(cli, "encoding");
	o.ignore_extra = cli_has(cli, "ignore-extra");
	o.create_missing = cli_has(cli, "create-missing");
	o.partial = cli_has(cli, "partial");
	o.dry_run = cli_has(cli, "dry-run");
	o.diff = cli_has(cli, "diff");
	o.raw = cli->raw || cli_has(cli, "raw");
	if (!rc && argc > 2)
		rc = cli_error(CRM_EUSAGE, "one file at a time: '%s' and '%s'", argv[1], argv[2]);
	if (!rc && argc < 2)
		rc = cli_usage(cli);
	if (rc) {
		free(maps);
		return rc;
	}
	path = argv[1];
	o.maps = maps;
	if ((rc = input_format(cli, path, &o.csv.format))) {
		free(maps);
		return rc;
	}
	/* --delimiter is of csv: a tab-delimited file from a spreadsheet, quotes and all */
	if (o.csv.delimiter && (o.csv.format == CRM_IN_AUTO || o.csv.format == CRM_IN_TSV) &&
	    !cli_get(cli, "input-format"))
		o.csv.format = CRM_IN_CSV;
	if (o.csv.delimiter && o.csv.format != CRM_IN_CSV) {
		free(maps);
		return cli_error(CRM_EUSAGE, "--delimiter is for csv files, not %s", crm_in_format_name(o.csv.format));
	}
	if (o.csv.format == CRM_IN_VCARD && strcmp(k->name, "contact") != 0) {
		free(maps);
		return cli_error(CRM_EUSAGE, "vCard files hold contacts: crm contact import FILE.vcf");
	}
	struct import_ui ui = { .cli = cli, .dry_run = o.dry_run, .diff = o.diff };
	struct crm_import_result res = { 0 };
	int stdin_file = strcmp(path, "-") == 0;
	o.file = ui.file = stdin_file ? "stdin" : path;
	o.in = stdin_file ? stdin : fopen(path, "rb");
	o.csv.from_stdin = stdin_file;
	if (!o.in) {
		free(maps);
		return cli_error(errno == ENOENT ? CRM_ENOTFOUND : CRM_EFAIL, "cannot read '%s': %s", path,
				 strerror(errno));
	}
	struct stat sb;
	if (fstat(fileno(o.in), &sb) == 0 && S_ISREG(sb.st_mode))
		ui.size = (long long)sb.st_size;
	/* As every -o: a temporary file renamed over the target once complete, keeping its mode; a
	 * device or FIFO written in place (and never removed); never through a symbolic link. */
	struct cli_out rout = { .fd = -1, .target = -1 };
	if (reject_path) {
		ui.rejects_to_file = 1;
		struct crm_err rerr = { 0 };
		if (cli_out_open(&rout, reject_path, &rerr)) {
			rc = cli_fail(&rerr);
			goto out;
		}
		int fd = dup(rout.fd);
		o.rejects = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!o.rejects) {
			rc = cli_error(CRM_EFAIL, "cannot write '%s': %s", reject_path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	if (o.dry_run || o.diff) {
		if (!(ui.report = cli_printer(cli, NULL, &rc)))
			goto out;
		static const char *const cols[] = { "line", "action", "kind", "id", "record", "field", "old", "new",
						    "error" };
		crm_printer_columns(ui.report, cols, 9);
	}
	ui.progress = !cli->quiet && isatty(STDERR_FILENO);
	ui.start = ui.last = seconds();
	o.event = on_event;
	o.progress = on_progress;
	o.ctx = &ui;
	struct crm_err err = { 0 };
	rc = crm_import_run(cli->crm, &o, &res, &err);
	clear_progress(&ui);
	if (ui.report) {
		int frc = cli_printer_finish(cli, ui.report);
		if (!rc)
			rc = frc;
	}
	if (rc && (rc != CRM_EINVALID || res.failed)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (ui.rejects_seen > MAX_REJECTS_SHOWN)
		fprintf(stderr, "crm: ... and %lld more rejected rows (--reject FILE keeps them all)\n",
			ui.rejects_seen - MAX_REJECTS_SHOWN);
	if (!cli->quiet) {
		char counts[256];
		snprintf(counts, sizeof counts, "%lld created, %lld updated, %lld unchanged, %lld rejected",
			 res.created, res.updated, res.unchanged, res.rejected);
		if (res.refs_created)
			snprintf(counts + strlen(counts), sizeof counts - strlen(counts), " (and %lld referenced "
				 "records created)", res.refs_created);
		if (res.dropped)
			snprintf(counts + strlen(counts), sizeof counts - strlen(counts), ", %lld %s dropped",
				 res.dropped, res.dropped == 1 ? "photo" : "photos");
		/* nothing written: what the rows would have done, never "created" */
		char would[256];
		snprintf(would, sizeof would, "%lld to create, %lld to update, %lld unchanged, %lld rejected", res.created,
			 res.updated, res.unchanged, res.rejected);
		if (res.refs_created)
			snprintf(would + strlen(would), sizeof would - strlen(would), " (and %lld referenced records to "
				 "create)", res.refs_created);
		if (o.dry_run)
			fprintf(stderr, "dry run, nothing written: %s\n", would);
		else if (!res.written && (o.partial || !res.rejected))
			fprintf(stderr, "%s (nothing written, no import batch)\n", counts);
		else if (!res.written)
			fprintf(stderr, "nothing written: %s; fix the rejected rows%s, or import the others with "
				"--partial\n", would, reject_path ? " (in the --reject file)" : "");
		else
			fprintf(stderr, "%s (import batch %lld)\n", counts, res.batch);
	}
out:
	if (o.rejects) {
		int bad = fclose(o.rejects) != 0;
		if (bad && !rc)
			rc = cli_error(CRM_EFAIL, "cannot write '%s': %s", reject_path, strerror(errno));
		struct crm_err rerr = { 0 };
		if (!bad && !ui.rejects_seen && !res.rejected && !rout.in_place) {
			/* no stale rejects from an earlier run: a regular file only, never a device */
			struct stat st;
			cli_out_close(&rout, 0, &rerr);
			if (lstat(reject_path, &st) == 0 && S_ISREG(st.st_mode))
				unlink(reject_path);
		} else if (cli_out_close(&rout, !bad, &rerr) && !rc) {
			rc = cli_fail(&rerr);
		}
	} else if (rout.fd >= 0) {
		struct crm_err ignored = { 0 };
		cli_out_close(&rout, 0, &ignored);
	}
	if (!stdin_file)
		fclose(o.in);
	free(maps);
	return rc;
}

int rec_export(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const char *const *terms = (const char *const *)argv + 1, *fields[128];
	int nterms = argc - 1, nfields = 0, rc = 0, raw = cli->raw || cli_has(cli, "raw");
	struct crm_query q = { .kind = k, .sort = cli_get(cli, "sort") };
	char *fieldcopy = NULL;
	if (cli_has(cli, "excel"))
		cli->excel_bom = 1;
	if ((nfields = rec_fields_option(cli, k, fields, 128, &fieldcopy)) < 0)
		return 0;
	/* Exports are for other programs: CSV unless -F or the -o extension says otherwise. */
	if (cli->format < 0 && (!cli->output || crm_format_from_path(cli->output) < 0) && !cli_unknown_extension(cli))
		cli->format = CRM_FMT_CSV;
	cli->neutralise = !raw;
	static const char *const all[] = { "all" };
	q.terms = terms;
	q.nterms = nterms;
	q.fields = nfields ? fields : all;
	q.nfields = nfields ? nfields : 1;
	char filter[1024] = "";
	for (int i = 0; i < nterms; i++) {
		size_t l = strlen(filter);
		snprintf(filter + l, sizeof filter - l, "%s%s", i ? " " : "", terms[i]);
	}
	struct crm_printer *p = cli_printer(cli, filter, &rc);
	if (p) {
		struct crm_err err = { 0 };
		long long count = 0;
		rc = crm_query_print(cli->crm, &q, p, &count, &err);
		cli->out.failed = rc != 0; /* a failed query leaves an -o file as it was */
		int frc = cli_printer_finish(cli, p);
		if (rc)
			rc = cli_fail(&err);
		else if (!(rc = frc) && cli->verbose)
			cli_info(cli, "%lld %s exported", count, count == 1 ? k->name : k->plural);
	}
	free(fieldcopy);
	return rc;
}

const struct cmd_opt cmd_import_opts[] = {
	{ "mode", 0, OPT_VALUE, "create|update|upsert", "create new records only, update existing ones only, or both (default)" },
	{ "key", 0, OPT_VALUE, "field,...", "the columns that identify the existing record a row changes" },
	{ "map", 0, OPT_VALUE | OPT_MULTI, "<Header>=<field>", "read column Header into field" },
	{ "profile", 0, OPT_VALUE, "name", "take the column mappings from import_profiles.<name>" },
	{ "input-format", 0, OPT_VALUE, "csv|tsv|json|ndjson|vcard", "what the file is written in (default: from its extension, else its content)" },
	{ "delimiter", 0, OPT_VALUE, "c", "the csv delimiter: ',', ';', 'tab' or '|' (default: from the header)" },
	{ "encoding", 0, OPT_VALUE, "enc", "the file's character encoding, such as latin1 or cp1252" },
	{ "ignore-extra", 0, 0, NULL, "skip columns that name no field, instead of refusing the file" },
	{ "create-missing", 0, 0, NULL, "add the records a reference column names that do not exist yet" },
	{ "partial", 0, 0, NULL, "write the good rows even when others are rejected" },
	{ "dry-run", 'n', 0, NULL, "check every row and print what would happen to each; write nothing" },
	{ "diff", 0, 0, NULL, "print every field an update changes" },
	{ "reject", 0, OPT_VALUE, "file", "write the rejected rows to file, with their line and error" },
	{ "raw", 0, 0, NULL, "keep the ' that export puts before text starting with = + - @" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_opt cmd_export_opts[] = {
	{ "fields", 0, OPT_VALUE, "f,...", "the columns, in order (default: all; 'help' lists them)" },
	{ "sort", 0, OPT_VALUE, "field", "order by this field; -field for descending" },
	{ "excel", 0, 0, NULL, "csv for Excel: a byte-order mark first" },
	{ "raw", 0, 0, NULL, "no ' before text starting with = + - @ (the formula guard)" },
	{ NULL, 0, 0, NULL, NULL },
};
