/* Private to core/: folded keys, so that names, e-mails and other natural keys compare case- and
 * accent-insensitively in every script (ß and SS, Ș and ş, Ö and o, Ж and ж), and the columns
 * that keep them indexed (migration 006). */
#ifndef CRM_CORE_FOLD_H
#define CRM_CORE_FOLD_H

#include "crm/kind.h"
struct strbuf; /* util.h */

/* s folded for comparison: Unicode case folding (GLib's g_utf8_casefold, so ß is "ss"), then
 * compatibility decomposition (NFKD) with the combining marks dropped (Ș is "s"), white space
 * runs made one space, leading and trailing space trimmed. Text that is not UTF-8 is folded as
 * bytes, ASCII letters lowered. NULL for NULL; the caller frees. */
char *crm_fold(const char *s);

/* A column a kind's table keeps folded: `fold` holds crm_fold() of the field `field`, or of the
 * kind's label when field is NULL. Both are indexed. */
struct crm_fold_col {
	const char *table;
	const char *fold;   /* the folded column: name_fold */
	const char *field;  /* the natural key it folds, or NULL for the label */
	const char *parts;  /* for the label: the fields it is made of, joined by a space */
};

/* The folded column of kind k for its key field f (or for its label when f is NULL), or NULL
 * when the table keeps none. */
const struct crm_fold_col *crm_fold_col(const struct crm_kind *k, const struct crm_field *f);

/* Every folded column of k's table in turn: *i starts at 0; NULL at the end. */
const struct crm_fold_col *crm_fold_next(const struct crm_kind *k, int *i);

/* How a key is compared (crm_fold_key). */
enum crm_fold_how {
	CRM_FOLD_SKIP,   /* nothing to compare: the label of a kind whose label is one of its keys */
	CRM_FOLD_FOLDED, /* bind crm_fold(value) */
	CRM_FOLD_RAW,    /* bind the value as typed: an e-mail address, compared as its unique
			  * index compares it (ASCII case ignored; two addresses that differ by an
			  * accent are two mailboxes) */
};

/* Append to b the expression, over alias t, that k's key field f (k's label when f is NULL)
 * is compared with for equality, and say how to bind the value: the folded column (indexed)
 * where the table keeps one, the e-mail column itself, else crm_fold() of the column. */
enum crm_fold_how crm_fold_key(struct strbuf *b, const struct crm_kind *k, const struct crm_field *f);

/* The folded text of field f (the label when NULL) for patterns and words (LIKE, GLOB): the
 * folded column where there is one, else crm_fold() of the column. Returns 0, appending
 * nothing, for the label of a kind whose label is one of its keys. */
int crm_fold_expr(struct strbuf *b, const struct crm_kind *k, const struct crm_field *f);

/* A GLOB pattern for a folded column from a filter value: the value folded, GLOB's own
 * metacharacters taken literally, `*` the wildcard. Caller frees. */
char *crm_fold_glob(const char *value);

/* Keys unique whatever the case of any of their letters, within scope (a column, or NULL for
 * the whole table): PostgreSQL's citext compares them so; SQLite's NOCASE ignores the case of
 * ASCII letters only, so the engine checks the rest (core/record.c) and a copy to PostgreSQL
 * looks for rows that would collide (core/copy.c). */
struct crm_nocase_key {
	const char *table, *scope, *key;
};
extern const struct crm_nocase_key crm_nocase_keys[];
extern const int crm_nocase_nkeys;

#endif
