/* The one place crm reads its environment. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

const char *crm_env_tmpdir(const struct crm_env *env)
{
	return env && env->tmpdir && *env->tmpdir ? env->tmpdir : "/tmp";
}

int crm_env_temp_fd(const struct crm_env *env, const char *prefix)
{
	const char *dir = crm_env_tmpdir(env);
	size_t len = strlen(dir) + strlen(prefix) + 16;
	char *path = malloc(len);
	if (!path) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(path, len, "%s/%s.XXXXXX", dir, prefix);
	int fd = mkstemp(path); /* 0600 whatever the umask */
	if (fd >= 0)
		unlink(path);
	int e = errno;
	free(path);
	errno = e;
	return fd;
}
