/* Attributes: key=value pairs on any record (crm attr), beside its fields. Filtered as
 * attr.<key>:<value>, listed as a column --fields attr.<key>, searched (crm search key=value),
 * shown by every show, kept in history as the field attr.<key>. */
#ifndef CRM_ATTR_H
#define CRM_ATTR_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

/* A key is a lowercase letter, then lowercase letters, digits or _, at most 64 in all:
 * CRM_EINVALID naming the rule otherwise. */
int crm_attr_key_check(const char *key, struct crm_err *err);

/* Set (a value) or remove (NULL or "") each key of record id, with a history row of the
 * changes, the search index rewritten, all in one transaction. CRM_ENOTFOUND when there is no
 * such record. */
int crm_attr_set(struct crm *crm, const struct crm_kind *k, long long id, const struct crm_assign *set, int nset,
		 struct crm_err *err);
/* Remove keys; one the record does not have is CRM_ENOTFOUND and nothing changes. */
int crm_attr_rm(struct crm *crm, const struct crm_kind *k, long long id, const char *const *keys, int nkeys,
		struct crm_err *err);
/* The attributes as rows of kind, id, label, key, value: of one record (k and id), of every
 * record of k (id 0), or of every record (k NULL). */
int crm_attr_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err);
/* One record's attributes as rows of key and value, into a list the caller opened (show). */
int crm_attr_rows(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err);

/* Private to core/: the record was removed (the engine), and the field "attr.<key>" of kind k
 * that queries, filters and sorts read (crm_kind_field), or NULL for a bad key. */
int crm_attr_forget(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err);
const struct crm_field *crm_attr_field(const struct crm_kind *k, const char *key);

#endif
