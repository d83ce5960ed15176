/* Likely duplicates of a kind's records, merging one record into another, and undoing a merge
 * (issue 13.4), for any kind: what points at a record is found from the schema's foreign keys,
 * the kinds' references, documents and attributes, not listed per kind. */
#ifndef CRM_DEDUPE_H
#define CRM_DEDUPE_H
#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"

/* The rules `duplicates` knows for kind k, as "name: what it matches" lines (NULL-terminated,
 * static), for --help and errors. */
const char *const *crm_duplicate_rules(const struct crm_kind *k);

/* Print groups of likely duplicates of kind k: rows of group, rule, id, name, matched. rules
 * names the rules (a built-in name, or fields joined by '+', compared ignoring case: last_name+city);
 * none: the configuration's duplicates.<kind>. An unknown rule or field: CRM_EINVALID, with a
 * did-you-mean. *groups counts the groups printed. */
int crm_duplicates_print(struct crm *crm, const struct crm_kind *k, const char *const *rules, int nrules,
			 struct crm_printer *p, long long *groups, struct crm_err *err);

struct crm_merge_result {
	long long merge;  /* the merge's number, for crm_merge_undo */
	int filled;       /* keep's empty fields given other's values */
	long long moved;  /* rows that pointed at other and now point at keep */
	long long dropped; /* rows left out because keep had the same (a link, a membership) */
};

/* Merge record other into record keep, both of kind k, in one transaction: every row that
 * pointed at other points at keep (or, where keep already has the same, is dropped), keep's
 * empty fields take other's values, other is removed; history records it on both. Needs the
 * kind's edit and rm permissions. Refused: the same record twice (CRM_EINVALID), one that is
 * the other's parent (CRM_ECONFLICT). */
int crm_record_merge(struct crm *crm, const struct crm_kind *k, long long keep, long long other,
		     struct crm_merge_result *res, struct crm_err *err);

/* Undo merge number merge: other comes back with its number and values, keep gets its values
 * from before, every row moved or dropped is put back. Refused when undone already, or when keep
 * changed since the merge unless force (CRM_ECONFLICT). *k, *keep and *other say what it was. */
int crm_merge_undo(struct crm *crm, long long merge, int force, const struct crm_kind **k, long long *keep,
		   long long *other, struct crm_err *err);

/* The last 100 merges, newest first: merge, kind, keep, other, at, user, undone. */
int crm_merges_print(struct crm *crm, struct crm_printer *p, struct crm_err *err);

#endif
