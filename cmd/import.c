/* crm import: the batches imports leave, to list, show and revert. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/import.h"

static int batch_number(struct cli *cli, int argc, char **argv, long long *batch)
{
	if (argc != 2)
		return cli_usage(cli);
	char *end;
	*batch = strtoll(argv[1], &end, 10);
	if (*end || *batch <= 0)
		return cli_error(CRM_EUSAGE, "an import batch is a number (see crm import list), not '%s'", argv[1]);
	return 0;
}

struct show {
	struct crm_printer *p; /* structured output, or NULL for text */
	int records;           /* inside the records list */
	int local_times;       /* on a terminal, times in local time; else ISO as stored */
};

/* One batch as "name: value" lines, or as the keys of a map. */
static void show_batch(void *ctx, const char *const *names, const struct crm_value *cells, int ncols)
{
	struct show *s = ctx;
	for (int i = 0; cells && i < ncols; i++) {
		if (s->p) {
			crm_printer_key(s->p, names[i]);
			crm_printer_value(s->p, &cells[i]);
		} else if (cells[i].text) {
			char local[64];
			const char *text = cells[i].text;
			if (cells[i].type == CRM_V_TIME && s->local_times) {
				crm_time_local_display(text, local, sizeof local);
				text = local;
			}
			char *clean = crm_printer_clean(text);
			printf("%-19s %s\n", names[i], clean);
			free(clean);
		}
	}
}

static void show_record(void *ctx, const char *const *names, const struct crm_value *cells, int ncols)
{
	struct show *s = ctx;
	if (!cells)
		return;
	if (s->p) {
		crm_printer_begin_map(s->p);
		for (int i = 0; i < ncols; i++) {
			crm_printer_key(s->p, names[i]);
			crm_printer_value(s->p, &cells[i]);
		}
		crm_printer_end(s->p);
		return;
	}
	if (!s->records++)
		printf("\nRecords\n");
	char *label = crm_printer_clean(cells[3].text);
	printf("  %-9s %s %s", cells[0].text, cells[1].text, cells[2].text);
	if (label)
		printf(" (%s)", label);
	else
		printf(" (removed)");
	free(label);
	putchar('\n');
}

static int batch_show(struct cli *cli, int argc, char **argv)
{
	long long batch;
	int rc = batch_number(cli, argc, argv, &batch);
	if (rc)
		return rc;
	struct show s = { NULL, 0, cli->stdout_tty };
	if (cli_structured(cli)) {
		if (!(s.p = cli_printer(cli, NULL, &rc)))
			return rc;
		crm_printer_begin_map(s.p);
	}
	struct crm_err err = { 0 };
	rc = crm_import_batches(cli->crm, batch, show_batch, &s, &err);
	if (!rc && s.p) {
		crm_printer_key(s.p, "records");
		crm_printer_begin_list(s.p);
	}
	if (!rc)
		rc = crm_import_batch_records(cli->crm, batch, show_record, &s, &err);
	if (s.p) {
		if (!rc)
			crm_printer_end(s.p);
		crm_printer_end(s.p);
		int frc = cli_printer_finish(cli, s.p);
		if (!rc)
			rc = frc;
		else
			cli_fail(&err);
		return rc;
	}
	return rc ? cli_fail(&err) : 0;
}

static int batch_revert(struct cli *cli, int argc, char **argv)
{
	long long batch;
	int rc = batch_number(cli, argc, argv, &batch);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	long long restored, deleted;
	if ((rc = crm_import_revert(cli->crm, batch, &restored, &deleted, &err)))
		return cli_fail(&err);
	cli_info(cli, "import batch %lld reverted: %lld %s deleted, %lld restored", batch, deleted,
		 deleted == 1 ? "record" : "records", restored);
	return 0;
}

/* Import batches are listed and exported like records (the generic list, newest first); show
 * adds the records a batch touched, revert undoes it. */
const struct cmd_verb cmd_import_verbs[] = {
	{ "show", NULL, batch_show, CMD_READ, "<batch>", "show an import batch and the records it created or updated", { NULL }, NULL, NULL },
	{ "revert", NULL, batch_revert, CMD_WRITE, "<batch>",
	  "delete what a batch created and restore what it updated, unless they changed since", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
