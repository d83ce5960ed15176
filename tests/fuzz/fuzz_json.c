/* libFuzzer target for JSON and NDJSON import (core/csvin.c over libyaml): every input is read
 * record by record as JSON and as NDJSON, then imported as contacts from JSON (a dry run into the
 * process's in-memory database, so nothing accumulates). */
#include "fuzz.h"
#include "crm/csvin.h"
#include "crm/import.h"
#include "crm/kind.h"
#include "db.h"

static void read_all(const uint8_t *data, size_t size, enum crm_in_format format)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return;
	struct crm_csvin *r;
	struct crm_err err = { 0 };
	struct crm_csvin_opts o = { 0 };
	o.format = format;
	o.kind = crm_kind_find("contact");
	if (crm_csvin_open(&r, f, "fuzz", &o, &err) == CRM_OK) {
		struct crm_csv_row row;
		while (crm_csvin_next(r, &row, &err) == 1)
			for (int i = 0; i < row.nfields; i++)
				if (!row.fields[i])
					abort();
		crm_csvin_close(r);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm *crm = fuzz_crm();
	read_all(data, size, CRM_IN_JSON);
	read_all(data, size, CRM_IN_NDJSON);
	read_all(data, size, CRM_IN_AUTO);
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct crm_import_opts o = { 0 };
	o.kind = crm_kind_find("contact");
	o.in = f;
	o.file = "fuzz";
	o.csv.format = size % 2 ? CRM_IN_JSON : CRM_IN_NDJSON;
	o.mode = size % 3 == 0 ? CRM_IMPORT_CREATE : CRM_IMPORT_UPSERT;
	o.ignore_extra = 1;
	o.create_missing = 1;
	o.dry_run = 1;
	struct crm_import_result res;
	struct crm_err err = { 0 };
	crm_import_run(crm, &o, &res, &err);
	fclose(f);
	if (crm->tx_depth != 0)
		abort(); /* every import ends its transaction */
	return 0;
}
