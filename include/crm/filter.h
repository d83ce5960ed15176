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
 *   field:value       equal, folded (case and accents ignored, fold.h); `*` in value is a
 *                     wildcard; empty value: unset
 *   field.not:value   not equal (or set, for an empty value)
 *   field.has:text    contains
 *   field.before:date field.after:date     (dates as crm_date_parse takes them)
 *   field.over:number field.under:number
 *   ref:value         a REF field matches the referenced record by number, else by natural
 *                     key or label (folded)
 *   word              any CRM_FF_SEARCH field contains word (folded); with a searcher
 *                     (crm_filter_compile_searched) the record's indexed words start with it
 * Unknown fields and bad comparison values are CRM_EUSAGE / CRM_EINVALID. An empty term list
 * gives sql "1". */
int crm_filter_compile(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
		       struct crm_filter *out, struct crm_err *err);
void crm_filter_free(struct crm_filter *f);

/* Resolve, then query: a reference in a filter (contact:ann@example.com, account:Acme) becomes
 * record numbers before the query runs. The resolver gives every record of kind k that value
 * names (by natural key or label, folded; with `words`, failing those, by one word of the
 * label), as *nids numbers in *ids (the caller frees), or *nids = -1 when they are too many to
 * list. A number is record number, unresolved; without a resolver, or with a `*` in the value,
 * the filter names the records by a sub-select over the same folded keys. */
typedef int (*crm_filter_resolver)(void *ctx, const struct crm_kind *k, const char *value, int words,
				   long long **ids, int *nids, struct crm_err *err);
int crm_filter_compile_resolved(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
				crm_filter_resolver resolve, void *ctx, struct crm_filter *out,
				struct crm_err *err);

/* And a bare word through the search index (crm/search.h, crm_search_filter_sql): 1 with the
 * condition and the text to bind to its placeholder, 0 to search the fields with LIKE. */
typedef int (*crm_filter_searcher)(void *ctx, const struct crm_kind *k, const char *word, char **sql,
				   char **match);
int crm_filter_compile_searched(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
				crm_filter_resolver resolve, crm_filter_searcher search, void *ctx,
				struct crm_filter *out, struct crm_err *err);

/* Does the word look like a filter term for this kind (field:..., field.op:...)? */
int crm_filter_is_term(const struct crm_kind *k, const char *word);

#endif
