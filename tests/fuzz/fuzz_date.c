/* libFuzzer target for dates as users type them (core/date.c): every input is parsed as a date,
 * a timestamp and a day relative to a fixed now, as an ISO date read back, as CRM_NOW, and shown
 * as local time. What parses must come out in the stored shape. */
#include "fuzz.h"
#include <time.h>
#include "crm/date.h"

#define NOW ((time_t)1767225600) /* 2026-01-01T00:00:00Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	char out[64];
	struct crm_err err = { 0 };
	if (crm_date_parse(s, NOW, out, sizeof out, &err) == CRM_OK && strlen(out) < 10)
		abort();
	if (crm_date_parse_time(s, NOW, out, sizeof out, &err) == CRM_OK &&
	    (strlen(out) != 20 || out[10] != 'T' || out[19] != 'Z'))
		abort();
	if (crm_date_parse_day(s, NOW, out, sizeof out, &err) == CRM_OK && (strlen(out) != 10 || out[4] != '-'))
		abort();
	/* a small buffer is refused or filled, never overrun */
	char small[8];
	crm_date_parse(s, NOW, small, sizeof small, &err);
	crm_time_parse_iso(s);
	crm_now(s);
	crm_time_local_display(s, out, sizeof out);
	free(s);
	return 0;
}
