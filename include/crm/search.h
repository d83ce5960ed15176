/* The search index: every record of every kind, its label and its searched text (names,
 * e-mails, notes, bodies, custom fields, attributes, a ticket's comments, a text document's
 * content), kept by the record engine for every write: in the write's own transaction on SQLite,
 * just after it commits on PostgreSQL (core/search.c, "after the commit"); `crm search`.
 * SQLite's FTS5 or PostgreSQL's tsvector under the storage interface (core/store.h). */
#ifndef CRM_SEARCH_H
#define CRM_SEARCH_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"

/* For a list filter's bare word: 1 with *sql a condition over the kind's table aliased t that
 * holds the records of kind k whose index has the words of text in that order (a phrase, the
 * last word a prefix), and *match the
 * text to bind to its one placeholder (both the caller's to free); 0 when the index cannot
 * serve it (a kind it does not hold, no word in text). */
int crm_search_filter_sql(struct crm *crm, const struct crm_kind *k, const char *text, char **sql, char **match);

/* The migration that creates the index (core/sql/NNN_search.sql): crossing it fills it. */
#define CRM_SEARCH_MIGRATION 19
/* The migration after which the index holds every kind (products, opportunities, lists,
 * transactions, financial years, campaigns, offers): crossing it fills the index again. */
#define CRM_SEARCH_KINDS_MIGRATION 33
/* The migration after which SQLite's index holds only the words: crossing it fills it again. */
#define CRM_SEARCH_WORDS_MIGRATION 36

/* Write (or rewrite) the index row of record id of kind k from what is stored now; a record
 * that is not there loses its row. fresh: the record was just added (no row to replace). A
 * kind the index does not hold is no error. */
int crm_search_index(struct crm *crm, const struct crm_kind *k, long long id, int fresh, struct crm_err *err);
/* A ticket's comment (its action number) is a row of its own, added and never read again by
 * a writer: on PostgreSQL, a comment that rewrote its ticket's row from all its comments would
 * make every two people commenting on one ticket at once a serialization conflict. It is found
 * as its ticket (kind ticket, the record number the negative action number; crm_search_print
 * shows the ticket, once). */
int crm_search_comment(struct crm *crm, long long action_id, const char *text, struct crm_err *err);
/* The record's row goes (it was removed). */
int crm_search_forget(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err);
/* On a backend that indexes after the commit (PostgreSQL): why the last write's index rows
 * could not be written after it committed (the write stands; `crm search --rebuild` repairs
 * the index), or NULL. */
const char *crm_search_lag(const struct crm *crm);
/* Empty the index and fill it from every record, in one transaction; *rows (may be NULL) gets
 * how many rows it holds. */
int crm_search_rebuild(struct crm *crm, long long *rows, struct crm_err *err);

struct crm_search {
	const char *const *words; /* what to find: each word's folded parts a phrase, the last a prefix */
	int nwords;
	const struct crm_kind *kind; /* NULL: every kind */
	long long limit;             /* 0: no limit */
	int explain;                 /* print the query plan instead (the index that serves it) */
};

/* The hits, best first (bm25 on SQLite, ts_rank on PostgreSQL), as rows of kind, id, label,
 * snippet. A query of no words that can be searched is CRM_EUSAGE. */
int crm_search_print(struct crm *crm, const struct crm_search *q, struct crm_printer *p, long long *count,
		     struct crm_err *err);

/* The folded words of text as the index keeps them (crm_fold, then every run of letters and
 * digits a word, one space between): for tests and the list's bare words. Caller frees; NULL
 * when there is none. */
char *crm_search_words(const char *text);

#endif
