/* Status flows: a small state machine per kind, read from the configuration, checked by the
 * record engine on every add and edit so that no verb can go around it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "crm/auth.h"
#include "crm/flow.h"
#include "util.h"
#include "db.h"

static const struct crm_conf_node *flow(const struct crm_config *cfg, const char *kind)
{
	char path[128];
	snprintf(path, sizeof path, "flows.%s", kind);
	const struct crm_conf_node *n = crm_config_node(cfg, path);
	return n && crm_conf_type(n) == CRM_CONF_MAP ? n : NULL;
}

const char *crm_flow_field(const struct crm_config *cfg, const char *kind)
{
	const struct crm_conf_node *f = flow(cfg, kind);
	return f ? crm_conf_scalar(crm_conf_get(f, "field")) : NULL;
}

const char *crm_flow_start(const struct crm_config *cfg, const char *kind)
{
	const struct crm_conf_node *f = flow(cfg, kind);
	return f ? crm_conf_scalar(crm_conf_get(f, "start")) : NULL;
}

/* The key of a map equal to v ignoring case, or NULL. */
static const struct crm_conf_node *get_nocase(const struct crm_conf_node *map, const char *v)
{
	if (!map || crm_conf_type(map) != CRM_CONF_MAP)
		return NULL;
	for (size_t i = 0; i < crm_conf_count(map); i++)
		if (strcasecmp(crm_conf_key(map, i), v) == 0)
			return crm_conf_child(map, i);
	return NULL;
}

int crm_flow_check(struct crm *crm, const char *kind, const char *label, const char *from,
		   const char *to, struct crm_err *err)
{
	const struct crm_conf_node *f = flow(crm->cfg, kind);
	if (!f || !to || (from && strcasecmp(from, to) == 0))
		return CRM_OK;
	const struct crm_conf_node *steps = crm_conf_get(f, "steps");
	if (from && steps) {
		const struct crm_conf_node *next = get_nocase(steps, from);
		int ok = 0;
		struct strbuf allowed = { 0 };
		for (size_t i = 0; next && i < crm_conf_count(next); i++) {
			const char *s = crm_conf_scalar(crm_conf_child(next, i));
			if (!s)
				continue;
			ok |= strcasecmp(s, to) == 0;
			sb_addf(&allowed, "%s%s", allowed.len ? ", " : "", s);
		}
		if (next && crm_conf_type(next) == CRM_CONF_SCALAR) {
			const char *s = crm_conf_scalar(next);
			ok = s && strcasecmp(s, to) == 0;
			sb_add(&allowed, s ? s : "");
		}
		/* A value the steps do not know (written before the flow was configured) may move. */
		if (!next)
			ok = 1;
		if (!ok) {
			int rc = crm_error(err, CRM_ECONFLICT, "%s '%s' cannot go from %s to %s (from %s: %s)", kind,
					   label ? label : "?", from, to, from,
					   allowed.len ? allowed.s : "nowhere");
			sb_free(&allowed);
			return rc;
		}
		sb_free(&allowed);
	}
	const char *perm = crm_conf_scalar(get_nocase(crm_conf_get(f, "permissions"), to));
	if (perm && *perm) {
		int rc = crm_auth_check(crm, perm, err);
		if (rc == CRM_EPERM)
			return crm_error(err, CRM_EPERM, "permission denied: user '%s' may not set %s '%s' to %s "
					 "(needs %s)", crm->user, kind, label ? label : "?", to, perm);
		return rc;
	}
	return CRM_OK;
}
