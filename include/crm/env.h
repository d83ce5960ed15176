/* The process environment crm reads, read in one place (crm_env_read, called by main) and
 * handed to the configuration loader and crm_open. No other function calls getenv
 * (tests/layers.bats checks). */
#ifndef CRM_ENV_H
#define CRM_ENV_H

struct crm_env {
	/* crm's own (crm(1) ENVIRONMENT) */
	const char *db;              /* CRM_DB: the database file, under --db */
	const char *user;            /* CRM_USER: act as this login, under --as */
	const char *config;          /* CRM_CONFIG: the one configuration file, under --config */
	const char *now;             /* CRM_NOW: the time commands take as now (tests, backfills) */
	const char *sysconfdir;      /* CRM_SYSCONFDIR: instead of /etc for crm/config.yaml */
	const char *crm_pager;       /* CRM_PAGER: the pager on a terminal, over PAGER; "" or "cat": none */
	/* the system's */
	const char *xdg_config_home; /* XDG_CONFIG_HOME */
	const char *xdg_data_home;   /* XDG_DATA_HOME */
	const char *xdg_config_dirs; /* XDG_CONFIG_DIRS: more configuration, never trusted with roles */
	const char *home;            /* HOME */
	const char *tmpdir;          /* TMPDIR: spool files of documents and mail */
	const char *no_color;        /* NO_COLOR */
	const char *term;            /* TERM */
	const char *tz;              /* TZ: the client's zone, a PostgreSQL session's TimeZone too */
	const char *pager;           /* PAGER; kept when set but empty ("no pager"), as git does */
	const char *less;            /* LESS: when unset, the pager is given LESS=FRX */
	const char *lv;              /* LV: when unset, the pager is given LV=-c */
	const char *columns;         /* COLUMNS: the width crm calendar fits */
};

/* Fill env from the process environment; an unset or empty variable is NULL. The strings are
 * the environment's own (valid while it is not changed). */
void crm_env_read(struct crm_env *env);

/* The directory for temporary files: TMPDIR, else /tmp. */
const char *crm_env_tmpdir(const struct crm_env *env);

/* A new temporary file in that directory, mode 0600 and already unlinked (nothing is left
 * behind, whatever happens), named prefix.XXXXXX while it lasts; -1 with errno set. glibc's
 * tmpfile() would put it in /tmp whatever TMPDIR says. */
int crm_env_temp_fd(const struct crm_env *env, const char *prefix);

#endif
