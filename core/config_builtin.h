/* The built-in defaults (core/defaults.yaml) as scripts/defaults2c.c turns them into C when crm
 * is built: the nodes in document order, each followed by its children. */
#ifndef CRM_CONFIG_BUILTIN_H
#define CRM_CONFIG_BUILTIN_H

#include <stddef.h>

#include "crm/config.h"

struct crm_builtin_node {
	enum crm_conf_type type;
	size_t count;             /* children of a sequence or mapping, which follow it */
	int line, column;         /* in core/defaults.yaml */
	int key_line, key_column; /* of its key, for a mapping's item; else 0 */
	const char *key;          /* a mapping's item: its key; else NULL */
	const char *scalar;       /* CRM_CONF_SCALAR: its value; else NULL */
};

extern const struct crm_builtin_node crm_builtin_config[];
extern const size_t crm_builtin_config_count;

#endif
