/* libFuzzer target for the filter compiler (core/filter.c): each line of the input is a term,
 * the terms are compiled for each of several kinds (no database: references are compiled as
 * the unit tests do, unresolved), and user text must never reach the SQL text, only the binds. */
#include "fuzz.h"
#include <time.h>
#include "crm/filter.h"
#include "crm/kind.h"

#define NOW ((time_t)1767225600)
#define MAX_TERMS 16

/* The SQL text's only literals are the compiler's own: '' ',' ' ' '\\' 'localtime', and
 * words (the ISO 4217 codes of currencies without two decimals, 'JPY'; a kind's name and an
 * attribute's key, checked to be [a-z][a-z0-9_]* by crm_attr_key_check): nothing that could end
 * the literal or the statement. */
static int own_literals(const char *sql)
{
	static const char *const ok[] = { "", ",", " ", "\\", "localtime" };
	for (const char *p = strchr(sql, '\''); p; p = strchr(p, '\'')) {
		const char *end = strchr(p + 1, '\'');
		if (!end)
			return 0;
		size_t len = (size_t)(end - p - 1), i;
		for (i = 0; i < sizeof ok / sizeof *ok; i++)
			if (strlen(ok[i]) == len && !memcmp(ok[i], p + 1, len))
				break;
		if (i == sizeof ok / sizeof *ok &&
		    strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != len)
			return 0;
		p = end + 1;
	}
	return !strchr(sql, ';');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	const char *terms[MAX_TERMS];
	int n = 0;
	for (char *p = s; n < MAX_TERMS;) {
		terms[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (size_t i = 0; crm_kinds[i]; i++) {
		const struct crm_kind *k = crm_kinds[i];
		for (int t = 0; t < n; t++)
			crm_filter_is_term(k, terms[t]);
		struct crm_filter f = { 0 };
		struct crm_err err = { 0 };
		if (crm_filter_compile(k, terms, n, NOW, &f, &err) == CRM_OK) {
			if (!f.sql)
				abort();
			/* any other literal in the SQL text could only have come from the user */
			if (!own_literals(f.sql)) {
				fprintf(stderr, "fuzz: user text in the SQL: %s\n", f.sql);
				abort();
			}
			crm_filter_free(&f);
		} else if (!err.msg[0]) {
			abort();
		}
	}
	free(s);
	return 0;
}
