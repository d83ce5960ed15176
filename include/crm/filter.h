/* Filters as users type them, compiled to a SQL condition with every value bound. */
#ifndef CRM_FILTER_H
#define CRM_FILTER_H

#include <time.h>
#include "crm/error.h"
#include "crm/kind.h"

/* A compiled filter: `sql` is a condition over the kind's table aliased `t` (never containing
 * user text); binds[i] is the text of the i+1-th `?`. */
struct crm_filter {
	char *sql;
	char **binds;
	int nbinds;
};

/* Compile terms, ANDed:
 *   field:value       equal (case-insensitive); `*` in value is a wildcard; empty value: unset
 *   field.not:value   not equal (or set, for an empty value)
 *   field.has:text    contains
 *   field.before:date field.after:date     (dates as crm_date_parse takes them)
 *   field.over:number field.under:number
 *   ref:value         a REF field matches the referenced record by id or natural key
 *   word              any CRM_FF_SEARCH field contains word
 * Unknown fields and bad comparison values are CRM_EUSAGE / CRM_EINVALID. An empty term list
 * gives sql "1". */
int crm_filter_compile(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
		       struct crm_filter *out, struct crm_err *err);
void crm_filter_free(struct crm_filter *f);

/* Does the word look like a filter term for this kind (field:..., field.op:...)? */
int crm_filter_is_term(const struct crm_kind *k, const char *word);

#endif
