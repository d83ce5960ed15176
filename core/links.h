/* Private to core/: how the record engine handles fields that are not plain columns (computed
 * expressions, many-to-many links) and the rules that tie records together (an account implied
 * by what a record refers to, pick-list values that move linked records on). */
#ifndef CRM_CORE_LINKS_H
#define CRM_CORE_LINKS_H

#include "crm/crm.h"
#include "db.h"
#include "crm/kind.h"
#include "util.h"

/* The SQL for a field's stored value over the kind's table aliased t: "t.column", a computed
 * expression as written in kinds.c, or for CRM_F_LINKS the linked ids, ascending, as "3,5". */
void crm_field_sql(struct strbuf *b, const struct crm_field *f);

/* For CRM_F_LINKS: the labels of the linked records, sorted, as "Ann Smith, Bob Jones". */
void crm_links_label_sql(struct strbuf *b, const struct crm_field *f, int as_list);

/* Apply one assignment to a LINKS value (*ids: "3,5" or NULL). value is a reference or a comma
 * list of them; "+ref" adds, "-ref" removes, a plain reference is added; when `first` (the
 * first assignment of the field in this change) a plain reference starts from an empty set,
 * so that repeated options accumulate and an edit replaces. NULL or "" empties the set. */
int crm_links_assign(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, char **ids,
		     int first, const char *value, struct crm_err *err);

/* Replace record id's links in f's link table by ids ("3,5" or NULL). */
int crm_links_write(struct crm *crm, const struct crm_field *f, long long id, const char *ids,
		    struct crm_err *err);

/* "3 (Ann Smith), 5 (Bob Jones)" for history; caller frees. */
char *crm_links_describe(struct crm *crm, const struct crm_field *f, const char *ids);

/* How many records link to target (of f->ref) through f. */
long long crm_links_count(struct crm *crm, const struct crm_field *f, long long target);

/* How many documents are attached to record id of kind k. */
long long crm_documents_count(struct crm *crm, const struct crm_kind *k, long long id);

/* vals[i] is the text of k->fields[i] about to be written (owned; may be replaced). A record
 * with an account that refers to records having an account (a project, a contract) must agree
 * with them, and takes their account when it names none; linked records (contacts) that all
 * share one account give it too. */
int crm_imply_account(struct crm *crm, const struct crm_kind *k, char **vals, struct crm_err *err);

/* A pick-list value may be a map of changes ("won: {project.status: won}"): once a record takes
 * that value, each record of the named kind it refers to or links is edited through the engine
 * (so the change is validated, permission-checked and in history). old may be NULL (an add). */
int crm_apply_pick_rules(struct crm *crm, const struct crm_kind *k, char *const *old,
			 char *const *vals, struct crm_err *err);

#endif
