/* Custom fields: extra fields of a kind defined in the configuration,
 *
 *   custom_fields:
 *     ticket:
 *       - {name: severity, type: choice, values: [minor, major], required: always}
 *       - {name: root_cause, type: text, required: resolved}   # needed once resolved
 *
 * type is text, number, date, choice or bool. They become fields of the kind like any other
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

#endif
