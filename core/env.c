/* The one place crm reads its environment. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include "crm/env.h"

static const char *get(const char *name, int keep_empty)
{
	const char *v = getenv(name);
	return v && (*v || keep_empty) ? v : NULL;
}

static const char *var(const char *name)
{
	return get(name, 0);
}

void crm_env_read(struct crm_env *env)
{
	env->db = var("CRM_DB");
	env->user = var("CRM_USER");
	env->config = var("CRM_CONFIG");
	env->now = var("CRM_NOW");
	env->sysconfdir = var("CRM_SYSCONFDIR");
	env->xdg_config_home = var("XDG_CONFIG_HOME");
	env->xdg_data_home = var("XDG_DATA_HOME");
	env->xdg_config_dirs = var("XDG_CONFIG_DIRS");
	env->home = var("HOME");
	env->tmpdir = var("TMPDIR");
	env->no_color = var("NO_COLOR");
	env->term = var("TERM");
	env->columns = var("COLUMNS");
	env->tz = get("TZ", 1); /* set but empty: UTC */
	/* set but empty means "no pager": not folded to NULL */
	env->crm_pager = get("CRM_PAGER", 1);
	env->pager = get("PAGER", 1);
	env->less = get("LESS", 1);
	env->lv = get("LV", 1);
}
