/* The generic record engine: add, edit, rm, resolve and query for every kind. */
#ifndef CRM_RECORD_H
#define CRM_RECORD_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/value.h"

/* One field set by the user; value NULL or "" clears it. */
struct crm_assign {
	const char *field;
	const char *value;
};

/* Resolve a reference: its number, else each natural key, else the label ("Ann Lee"), compared
 * folded (case and accents ignored in every script) through indexes; the first that finds any
 * record decides. Not found: CRM_ENOTFOUND; naming several: CRM_ECONFLICT listing them. */
int crm_record_resolve(struct crm *crm, const struct crm_kind *k, const char *ref, long long *id,
		       struct crm_err *err);
/* "; did you mean 'Acme'?" appended to err's message when a record of kind k has a label (or,
 * for a kind whose label is not folded, a key) within two edits of ref; nothing otherwise. */
void crm_record_near(struct crm *crm, const struct crm_kind *k, const char *ref, struct crm_err *err);

/* Imports resolve each reference text once a batch: between crm_resolve_cache(1) and
 * crm_resolve_cache(0), crm_record_resolve remembers what it found. Adding, changing or removing
 * a record forgets what was found of its kind; crm_resolve_cache_forget(NULL) forgets all (a
 * row rolled back may have added what was found). */
void crm_resolve_cache(int on);
void crm_resolve_cache_forget(const struct crm_kind *k);

/* Validate (types, required, pick-lists, e-mail shape, dates, references, cycles) and write,
 * with history, in one transaction. */
int crm_record_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set,
		   int nset, long long *id, struct crm_err *err);
/* *changed (may be NULL) receives the number of fields whose value changed. */
int crm_record_edit(struct crm *crm, const struct crm_kind *k, long long id,
		    const struct crm_assign *set, int nset, int *changed, struct crm_err *err);
/* Refuses with CRM_ECONFLICT while other records refer to this one. */
int crm_record_rm(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err);

/* Bulk forms: every record changes, or on the first refusal none does (one transaction).
 * *changed (may be NULL) receives how many records an edit actually changed. */
int crm_record_edit_many(struct crm *crm, const struct crm_kind *k, const long long *ids, int nids,
			 const struct crm_assign *set, int nset, int *changed, struct crm_err *err);
int crm_record_rm_many(struct crm *crm, const struct crm_kind *k, const long long *ids, int nids,
		       struct crm_err *err);

/* A record's label (its name) for messages; caller frees; NULL if it does not exist. */
char *crm_record_label(struct crm *crm, const struct crm_kind *k, long long id);
/* A record's values as crm_record_edit takes them (money and decimals as decimal text), one per
 * field of k (custom fields included), NULL where empty; *out (caller frees with
 * crm_record_values_free) has k->nfields entries. */
int crm_record_values(struct crm *crm, const struct crm_kind *k, long long id, char ***out, struct crm_err *err);
void crm_record_values_free(const struct crm_kind *k, char **values);

struct crm_query {
	const struct crm_kind *kind;
	const char *const *terms;  /* filter terms (crm_filter_compile) */
	int nterms;
	const char *const *fields; /* columns; NULL: the kind's default list; {"all"}: every field */
	int nfields;
	const char *sort;          /* a field name, "-name" for descending; NULL: the kind's order */
	long long limit;           /* 0: no limit */
	int unordered;             /* no order at all (sort ignored): the first rows the filter's index
				    * finds, for a few candidates out of many (completion) */
	/* Core only (crm/list.h builds it from descriptors, never from user text): a further
	 * condition over the kind's table aliased t, ANDed, its `?` bound to where_binds after the
	 * filter's. NULL: none. */
	const char *where;
	const char *const *where_binds;
	int nwhere_binds;
};

struct crm_cursor;

int crm_query_open(struct crm *crm, const struct crm_query *q, struct crm_cursor **out,
		   struct crm_err *err);
/* Compile filter terms as every query does: references resolved to numbers first, bare words
 * through the search index (crm/filter.h). */
struct crm_filter;
int crm_query_filter(struct crm *crm, const struct crm_kind *k, const char *const *terms, int nterms,
		     struct crm_filter *out, struct crm_err *err);
/* How many records q's filter and where select (its fields, sort and limit ignored). */
int crm_query_count(struct crm *crm, const struct crm_query *q, long long *count, struct crm_err *err);
int crm_cursor_ncols(const struct crm_cursor *c);
const char *const *crm_cursor_names(const struct crm_cursor *c);
/* For the row crm_cursor_next gave: each column's currency when its field is money ("" for no
 * named currency), NULL for other columns; NULL when no column is money. Valid until the next
 * row. */
const char *const *crm_cursor_currencies(const struct crm_cursor *c);

/* The allowed values of field f as the configuration cfg gives them: picklists.<name>, a path
 * such as workflow.contract.statuses, or the roles' names; a sequence of values or a map whose
 * keys are the values. NULL when f has no pick-list or the configuration none. */
struct crm_config;
struct crm_conf_node;
const struct crm_conf_node *crm_field_picklist(const struct crm_config *cfg, const struct crm_field *f);
/* 1: a row in *cells (valid until the next call); 0: no more rows; negative: -status, err filled. */
int crm_cursor_next(struct crm_cursor *c, const struct crm_value **cells, struct crm_err *err);
void crm_cursor_close(struct crm_cursor *c);

/* Run a query into a printer's tabular interface; *count (may be NULL) receives the rows. */
int crm_query_print(struct crm *crm, const struct crm_query *q, struct crm_printer *p,
		    long long *count, struct crm_err *err);

/* The names of every field a query may ask for (for --fields help), NULL-terminated, static. */
int crm_query_field_names(const struct crm_kind *k, const char **names, int max);

/* How a stored history value of field f reads to a person ("3 (Acme)" for a reference, names
 * for links); NULL when the stored text reads as it is. Caller frees. */
char *crm_history_value_text(struct crm *crm, const struct crm_field *f, const char *stored);

/* History of one record, oldest first: at, user, action, field, old, new. */
int crm_history_print(struct crm *crm, const struct crm_kind *k, long long id,
		      struct crm_printer *p, struct crm_err *err);

#endif
