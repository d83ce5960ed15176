/* libFuzzer target for recurrence and iCalendar (core/recur.c, core/ical.c, through libical):
 * the input's first line is a repeat rule as a user types it (`--repeat`), normalised and, when
 * it is one, expanded from a fixed start; the whole input is then an iCalendar file imported as
 * tasks and written back out, inside a transaction rolled back afterwards. */
#include "fuzz.h"
#include <time.h>
#include "crm/ical.h"
#include "crm/recur.h"
#include "db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm *crm = fuzz_crm();
	char *text = fuzz_str(data, size);
	char *nl = strchr(text, '\n');
	char *line = nl ? strndup(text, (size_t)(nl - text)) : strdup(text);
	struct crm_err err = { 0 };
	char *rule = NULL;
	if (crm_rrule_normalize(line, &rule, &err) == CRM_OK && rule) {
		time_t start = 1767225600; /* 2026-01-01T00:00:00Z */
		time_t out[32];
		/* on UTC, and on a wall clock with daylight saving time */
		const char *zone = size % 2 ? "Europe/Bucharest" : NULL;
		int n = crm_rrule_after(rule, zone, start, start + (time_t)(size % 4000) * 86400, out, 32, &err);
		for (int i = 1; i < n; i++)
			if (out[i] <= out[i - 1])
				abort(); /* occurrences come in order, each once */
		char *again = NULL;
		/* what normalize wrote, it reads back as itself */
		if (crm_rrule_normalize(rule, &again, &err) != CRM_OK || !again || strcmp(again, rule) != 0)
			abort();
		free(again);
	}
	free(rule);
	free(line);
	if (crm_tx_begin(crm, &err) != CRM_OK)
		abort();
	int created = 0, updated = 0;
	if (crm_ical_import(crm, text, &created, &updated, &err) == CRM_OK && created > 0) {
		long long ids[64];
		int n = created < 64 ? created : 64;
		for (int i = 0; i < n; i++)
			ids[i] = i + 1;
		char *ics = NULL;
		if (crm_ical_write(crm, ids, n, &ics, &err) == CRM_OK && !ics)
			abort();
		free(ics);
	}
	crm_tx_rollback(crm);
	if (crm->tx_depth != 0)
		abort();
	free(text);
	return 0;
}
