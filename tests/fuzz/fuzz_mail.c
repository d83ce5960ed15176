/* libFuzzer target for mail capture (core/mail.c, `crm activity mail`): every input is a message
 * parsed by GMime and captured as an activity with its attachments, inside a transaction rolled
 * back afterwards so that the in-memory database does not grow. */
#include "fuzz.h"
#include "crm/mail.h"
#include "db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm *crm = fuzz_crm();
	int fd = fuzz_file(data, size, NULL);
	struct crm_err err = { 0 };
	if (crm_tx_begin(crm, &err) != CRM_OK)
		abort();
	struct crm_mail_result res;
	crm_mail_import(crm, fd, &res, &err);
	crm_mail_result_free(&res);
	crm_tx_rollback(crm);
	if (crm->tx_depth != 0)
		abort();
	return 0;
}
