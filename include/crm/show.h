/* One show for every kind: a record's fields, then the sections of records related to it,
 * emitted once through a printer, so the text view, json and yaml carry the same sections.
 *
 * The sections are data (core/show.c, `crm_show_sections[]`): a kind gains a section by a
 * row there, and nothing in cmd/ changes. */
#ifndef CRM_SHOW_H
#define CRM_SHOW_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"

struct crm_show_section {
	const char *kind;    /* the kind shown: "account" */
	const char *under;   /* NULL for a section of the record itself; else the key of the
			      * section of `kind` in whose every row this one is nested (an
			      * account's locations list each location's contacts) */
	const char *key;     /* its key in json and yaml: "projects" */
	const char *title;   /* its heading in the text view: "Projects" */
	/* Records of a kind: */
	const char *related; /* the kind listed: "project" */
	const char *filter;  /* filter terms relating them, space-separated; "{id}" is the number of
			      * the record shown (or of the row, when nested), "{kind}" its kind,
			      * "{label}" its label (a group's name):
			      * "account_id:{id}", "noun:{kind} record:{id}" */
	const char *fields;  /* the related kind's fields, comma-separated; the first is "id" */
	const char *sort;    /* a field ("-at" descending); NULL: the related kind's own order */
	long long limit;     /* 0: all; else at most this many, with a note saying there may be more */
	/* Or anything else as a table (a ticket's transitions, comments, history): columns and
	 * rows into the printer's open list. */
	int (*print)(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		     struct crm_err *err);
};

/* Every section of every kind, in the order they are shown; terminated by a NULL kind. */
extern const struct crm_show_section crm_show_sections[];

/* Record id of kind k as one map: its fields (all of them), then a key per section holding a
 * list (empty when nothing relates). The text view (table printer) prints non-empty sections
 * under their headings. CRM_ENOTFOUND when there is no such record. */
int crm_show_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		   struct crm_err *err);

enum {
	/* The record's group, for a kind with a parent (an account and its subsidiaries, at any
	 * depth): each section's records of the record or any under it (a filter account_id:{id}
	 * read as account.within:{id}), and a section of totals for the group. */
	CRM_SHOW_GROUP = 1 << 0,
};
/* The record as one row (csv, tsv, xlsx): the keys of the JSON of show, flat, a custom field
 * with a section named <section key>.<field> (tariff under Energy: energy.tariff), one outside
 * its scope and empty left out. */
int crm_show_print_row(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		       struct crm_err *err);
int crm_show_print_with(struct crm *crm, const struct crm_kind *k, long long id, unsigned flags,
			struct crm_printer *p, struct crm_err *err);

#endif
