/* Custom fields: extra fields of a kind defined in the configuration,
 *
 *   custom_fields:
 *     ticket:
 *       - {name: severity, type: choice, values: [minor, major], required: always}
 *       - {name: root_cause, type: text, required: resolved}   # needed once resolved
 *
 * type is text, number, date, choice or bool. A field may apply to some records only, and be
 * shown under a section of its own in `show`:
 *
 *       - {name: tariff, type: choice, values: [regulated, market], scope: "industry:energy",
 *          section: Energy}
 *       - {name: grid_code, type: text, scope: {list: Energy clients}}   # members of a list
 *       - {name: escrow_agent, type: text, scope: {record: Acme}}         # one record
 *
 * A value outside its scope is refused on every write (CRM_EINVALID); `required` then means
 * required of the records in scope. They become fields of the kind like any other
 * (validated on every write, filtered, listed, shown, exported, kept in history), stored as the
 * keys of the JSON column `custom` of the kind's table. */
#ifndef CRM_CUSTOM_H
#define CRM_CUSTOM_H

#include "crm/config.h"
#include "crm/crm.h"
#include "crm/kind.h"

/* Build, for every kind with custom fields, a descriptor holding its own fields and then the
 * custom ones; from then on crm_kind_find returns it. A malformed definition is CRM_ECONFIG
 * naming file, line and column. crm_open calls this; calling it again rebuilds. */
int crm_custom_configure(const struct crm_config *cfg, struct crm_err *err);
/* Do the tables of the kinds with custom fields have their `custom` column? CRM_ECONFIG if not. */
int crm_custom_check_tables(struct crm *crm, struct crm_err *err);
/* Forget the configured descriptors (crm_close). */
void crm_custom_reset(void);

/* The configured descriptor of a kind, or k itself when it has no custom fields. */
const struct crm_kind *crm_custom_kind(const struct crm_kind *k);

/* For a custom field required only in some status: that status; otherwise NULL. */
const char *crm_custom_required_status(const struct crm_field *f);
/* The key of a custom field in the `custom` JSON object (its name). */
const char *crm_custom_key(const struct crm_field *f);

/* A custom field's scope in words ("accounts matching industry:energy"), NULL when it applies to
 * every record of its kind. */
const char *crm_custom_scope(const struct crm_field *f);
/* The section of `show` a custom field appears under, or NULL (with the record's own fields). */
const char *crm_custom_section(const struct crm_field *f);
/* Does custom field f apply to record id of kind k (*in 1), as the database is now? */
int crm_custom_in_scope(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, long long id, int *in,
			struct crm_err *err);
/* The key of a custom field's section in JSON and YAML (its name folded), or NULL. */
const char *crm_custom_section_key(const struct crm_field *f);
/* Before an edit of record id (olds and vals indexed like k's fields): for each scoped field
 * whose value the edit leaves as it is, was record id in its scope (1) or not (2)? *was_in
 * NULL when there is none; the caller frees it. */
int crm_custom_scope_before(struct crm *crm, const struct crm_kind *k, long long id, const char *const *olds,
			    const char *const *vals, unsigned char **was_in, struct crm_err *err);
/* After a write of record id (vals indexed like k's fields; was_in from crm_custom_scope_before
 * for an edit, NULL for an add): every value of a scoped field is in its scope, unless the edit
 * left it as it was on a record already outside; every scoped field needed there (required,
 * or required in the record's status) has one. Else CRM_EINVALID naming the field. */
int crm_custom_scope_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			   const unsigned char *was_in, struct crm_err *err);

#endif
