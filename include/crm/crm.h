/* The open CRM: database, configuration and who is acting. The structure is private to core/
 * (core/db.h): cmd/ holds a pointer and asks through the functions below. */
#ifndef CRM_CRM_H
#define CRM_CRM_H

#include <time.h>
#include "crm/config.h"
#include "crm/env.h"
#include "crm/error.h"

struct crm;

/* The schema version this binary writes. */
int crm_schema_version(void);

/* The version of the storage library, for `crm --version`. */
const char *crm_storage_version(void);

/* The database path from the configuration ("database", set from --db or CRM_DB by cmd/), else
 * $XDG_DATA_HOME/crm/crm.db, else ~/.local/share/crm/crm.db (env may be NULL). Caller frees. */
char *crm_default_db_path(const struct crm_config *cfg, const struct crm_env *env);

/* The current user: "user" in the configuration (set from --as or CRM_USER by cmd/), else the
 * login name (crm_os_login). Caller frees. */
char *crm_current_login(const struct crm_config *cfg, const struct crm_env *env);

/* The password database's name for the real user id: who runs crm, whatever the environment
 * says (LOGNAME and USER are not read); "#<uid>" when it has no name. Caller frees. */
char *crm_os_login(void);

enum crm_open_flags {
	CRM_OPEN_READONLY = 1 << 0, /* for commands that only read: see crm_open */
};

/* Open (creating with mode 0600 and parent directories if needed) and migrate the database.
 * A database written by a newer crm is refused, untouched. A new database makes the current
 * user its first admin, and the system login too when it acts as someone else. env (may be NULL) gives the time (CRM_NOW), the default paths and the
 * login.
 * With CRM_OPEN_READONLY the file is opened read-only and nothing is created or written: a
 * missing file, an empty one and one whose schema is older than this crm's are errors
 * (CRM_EFAIL) saying that a command that writes, or `crm init`, sets it up or upgrades it. A
 * file the user may only read can be opened so. */
/* The values every command checks before it opens the database: busy_timeout a number of
 * milliseconds (*timeout, 5000 when not set), currency an ISO 4217 code, each pick-list a list;
 * CRM_ECONFIG naming the file, line and column otherwise. `config set` checks what it wrote
 * with it too. */
int crm_config_values(const struct crm_config *cfg, long *timeout, struct crm_err *err);
int crm_open(struct crm **out, struct crm_config *cfg, const struct crm_env *env, unsigned flags,
	     struct crm_err *err);
void crm_close(struct crm *crm);

/* What cmd/ may know of an open CRM. */
const char *crm_user(const struct crm *crm);    /* login of the current user */
const char *crm_real_user(const struct crm *crm); /* crm_os_login: who is acting as crm_user */
const char *crm_db_path(const struct crm *crm); /* the database file or URL (without a password) */
/* A database location as shown anywhere (messages, `config show`, an xlsx "About" sheet): a file
 * as it is, a postgresql:// URL without its password. The caller frees. */
char *crm_db_location_display(const char *location);
time_t crm_time(const struct crm *crm);         /* "now" for this command (CRM_NOW or the clock) */
int crm_set_time(struct crm *crm, time_t now, struct crm_err *err); /* act as of another time (--now) */
int crm_created(const struct crm *crm);         /* did this open create the database? */

/* Run fn inside one transaction: everything it writes is kept when it returns CRM_OK, and
 * nothing when it fails (its status is returned, err filled). Commands that make several calls
 * that belong together (attach several files, sign several contracts) use it. */
int crm_atomic(struct crm *crm, int (*fn)(struct crm *crm, void *ctx, struct crm_err *err), void *ctx,
	       struct crm_err *err);

/* 1 when the last failure was a conflict with another writer's concurrent transaction that
 * doing the whole operation again may resolve (a PostgreSQL serialization failure or deadlock;
 * everything was undone); clears it. A command that failed so is run again (cmd/main.c). */
int crm_take_retry(struct crm *crm);
int crm_retry_pending(const struct crm *crm); /* the same, without clearing it */
/* The pause before the attempt-th try again (1, 2, ...): short, random, growing. */
void crm_retry_wait(int attempt);

#endif
