/* libFuzzer target for the CSV reader and the import's mapping: every input is read as a CSV
 * file record by record, then imported as contacts (a dry run, so nothing accumulates) into an
 * in-memory database. Build and run with `make fuzz` (clang -fsanitize=fuzzer,address). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/config.h"
#include "crm/crm.h"
#include "crm/csvin.h"
#include "crm/import.h"
#include "db.h"

static struct crm *crm;

static struct crm *open_crm(void)
{
	struct crm_config *cfg;
	struct crm_err err = { 0 };
	if (crm_config_load(&cfg, "/dev/null", NULL, &err) != CRM_OK)
		abort();
	crm_config_set(cfg, "database", ":memory:", "fuzz");
	crm_config_set(cfg, "user", "fuzz", "fuzz");
	crm_config_set(cfg, "import_profiles.fuzz.Mail", "email", "fuzz");
	struct crm *c;
	if (crm_open(&c, cfg, NULL, 0, &err) != CRM_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	return c; /* lives as long as the process, with its configuration */
}

static void read_all(const uint8_t *data, size_t size, int delimiter, const char *encoding)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return;
	struct crm_csvin *r;
	struct crm_err err = { 0 };
	struct crm_csvin_opts o = { delimiter, encoding };
	if (crm_csvin_open(&r, f, "fuzz", &o, &err) == CRM_OK) {
		struct crm_csv_row row;
		long long last = 0;
		while (crm_csvin_next(r, &row, &err) == 1) {
			/* Records start on increasing lines, and every field is a C string of its length. */
			if (row.line <= last)
				abort();
			last = row.line;
			for (int i = 0; i < row.nfields; i++)
				if (strlen(row.fields[i]) != row.lengths[i] && !encoding)
					abort();
		}
		crm_csvin_close(r);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!crm)
		crm = open_crm();
	read_all(data, size, 0, NULL);
	read_all(data, size, ';', "latin1");
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct crm_import_opts o = { 0 };
	o.kind = crm_kind_find("contact");
	o.in = f;
	o.file = "fuzz";
	o.mode = size % 3 == 0 ? CRM_IMPORT_CREATE : CRM_IMPORT_UPSERT;
	o.ignore_extra = size % 2;
	o.create_missing = 1;
	o.dry_run = 1;
	o.profile = size % 5 == 0 ? "fuzz" : NULL;
	struct crm_import_result res;
	struct crm_err err = { 0 };
	crm_import_run(crm, &o, &res, &err);
	fclose(f);
	if (crm->tx_depth != 0)
		abort(); /* every import ends its transaction */
	return 0;
}
