/* libFuzzer target for vCard reading (core/vcard.c): every input is read whole as a contact's
 * vCard file, then imported as contacts through the import engine (a dry run). */
#include "fuzz.h"
#include "crm/csvin.h"
#include "crm/import.h"
#include "crm/kind.h"
#include "crm/vcard.h"
#include "db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm *crm = fuzz_crm();
	const struct crm_kind *k = crm_kind_find("contact");
	crm_vcard_sniff((const char *)data, size);
	struct crm_vcard_rows rows;
	struct crm_err err = { 0 };
	if (crm_vcard_read((const char *)data, size, "fuzz", k, &rows, &err) == CRM_OK) {
		for (int i = 0; i < rows.nrows; i++)
			for (int c = 0; c < rows.ncols; c++)
				if (!rows.rows[i][c])
					abort();
		crm_vcard_rows_free(&rows);
	}
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct crm_import_opts o = { 0 };
	o.kind = k;
	o.in = f;
	o.file = "fuzz.vcf";
	o.csv.format = CRM_IN_VCARD;
	o.csv.kind = k;
	o.mode = CRM_IMPORT_UPSERT;
	o.ignore_extra = 1;
	o.dry_run = 1;
	struct crm_import_result res;
	crm_import_run(crm, &o, &res, &err);
	fclose(f);
	if (crm->tx_depth != 0)
		abort();
	return 0;
}
