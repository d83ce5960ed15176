/* The YAML configuration: built-in defaults, then files, then environment and flags. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <stddef.h>
#include "crm/env.h"
#include "crm/error.h"

enum crm_conf_type { CRM_CONF_SCALAR, CRM_CONF_SEQ, CRM_CONF_MAP };

struct crm_conf_node;
struct crm_config;

/* Load, lowest to highest: the built-in defaults, SYSCONFDIR/crm/config.yaml (the build's
 * system file, trusted), $CRM_SYSCONFDIR/crm/config.yaml when set (untrusted), then
 * $XDG_CONFIG_HOME/crm/config.yaml (or ~/.config/crm/config.yaml) (those from env, which may
 * be NULL). When explicit_path is not NULL (from --config or CRM_CONFIG) it replaces that
 * search: defaults, the system file's authorisation, then that one file.
 * Maps merge key by key; a scalar or sequence in a later file replaces the earlier one.
 * Authorisation (roles:, the guarded workflows: those whose trusted definition puts roles or a
 * permission on a transition, and any transition's roles and permission) comes only from the
 * defaults and the system file, read even when explicit_path replaces the search; in any other
 * file it is CRM_ECONFIG naming its place.
 * A missing search file is skipped; a missing explicit file is an error. "/dev/null" and empty
 * files are fine (no settings).
 * An invalid file gives CRM_ECONFIG with "PATH:LINE:COLUMN: what is wrong". */
int crm_config_load(struct crm_config **out, const char *explicit_path, const struct crm_env *env,
		    struct crm_err *err);
void crm_config_free(struct crm_config *cfg);

/* A misspelt setting would otherwise be silently ignored: CRM_ECONFIG naming the file, line and
 * column of the first key, at any depth, that crm does not know (a schema of known keys in
 * config.c; maps whose keys the user names, such as picklists, roles and the kinds under
 * workflow and custom_fields, take any key). A setting that went away (flows) is CRM_ECONFIG
 * saying how to write it now. */
int crm_config_check(const struct crm_config *cfg, struct crm_err *err);
/* Is the dotted key one crm knows (a setting, or a place under one such as a pick-list's name)?
 * CRM_EUSAGE otherwise, with the nearest known key ("did you mean 'notify.command'?"). */
int crm_config_key_check(const char *key, struct crm_err *err);
/* Every key crm knows, for completion: the settings' dotted paths (every kind of record where
 * a setting names one: workflow.ticket), and the names cfg gives below them
 * (picklists.industry, sla.targets.high). */
void crm_config_keys(const struct crm_config *cfg, void (*fn)(const char *key, void *ctx), void *ctx);

/* Set a scalar at a dotted path (e.g. "database", "user"), recording where it came from
 * (e.g. "environment CRM_DB", "flag --db"). Creates intermediate maps. */
void crm_config_set(struct crm_config *cfg, const char *path, const char *value, const char *source);
/* The same for a list of scalars (the database's role definitions). */
void crm_config_set_list(struct crm_config *cfg, const char *path, const char *const *values, size_t n,
			 const char *source);

/* Look up a dotted path ("roles.admin", "picklists.industry"). NULL if absent. */
const struct crm_conf_node *crm_config_node(const struct crm_config *cfg, const char *path);
/* The scalar at a path, or NULL if absent or not a scalar. */
const char *crm_config_get(const struct crm_config *cfg, const char *path);

enum crm_conf_type crm_conf_type(const struct crm_conf_node *n);
const char *crm_conf_scalar(const struct crm_conf_node *n); /* NULL unless scalar */
size_t crm_conf_count(const struct crm_conf_node *n);       /* items of a seq or map */
const struct crm_conf_node *crm_conf_child(const struct crm_conf_node *n, size_t i);
const char *crm_conf_key(const struct crm_conf_node *n, size_t i); /* map keys */
const struct crm_conf_node *crm_conf_get(const struct crm_conf_node *n, const char *key);
const char *crm_conf_source(const struct crm_conf_node *n); /* "built-in", a path, "environment CRM_DB" */
int crm_conf_line(const struct crm_conf_node *n);
int crm_conf_column(const struct crm_conf_node *n);

/* Calls fn for every leaf (scalar, or a sequence of scalars rendered as "[a, b]") in document
 * order with its dotted path, its value and its source. */
void crm_config_walk(const struct crm_config *cfg,
		     void (*fn)(const char *path, const char *value, const char *source, void *ctx),
		     void *ctx);

/* Set key (dotted: "notify.command") to value in the YAML file at path, written with libyaml's
 * emitter through a temporary file renamed over it (mode kept; a new file 0600, its directory
 * made 0700). libyaml keeps no comments: a file with comments is refused (CRM_EFAIL, saying so)
 * unless force; *had_comments tells. The key is not checked against the known settings here. */
int crm_config_file_set(const char *path, const char *key, const char *value, int force, int *had_comments,
			struct crm_err *err);
/* `crm config set`: the key checked (crm_config_key_check), set in `file` by
 * crm_config_file_set, then the whole configuration loaded as every command will (from `given`,
 * the --config file, or the usual places) and checked, its values too (crm_config_values). If
 * that fails the file is put back as it was, atomically (a copy of the old one renamed over it,
 * or removed if there was none) and *restored is set; err says what was wrong. */
int crm_config_set_checked(const char *file, const char *given, const struct crm_env *env, const char *key,
			   const char *value, int force, int *had_comments, int *restored, struct crm_err *err);
/* The user's configuration file ($XDG_CONFIG_HOME/crm/config.yaml, else ~/.config/...), malloc'd;
 * NULL without HOME. */
char *crm_config_user_path(const struct crm_env *env);

#endif
