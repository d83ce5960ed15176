/* Distribution lists (issue 14): who a mailing, a mail merge or a letter goes to.
 *
 * A list is a record of kind "list" (core/kinds.c; add, list, show, edit, rm, history, import
 * and export are the engine's). It is
 *   - static: its members are contacts and/or accounts added one by one, by filter or from a
 *     CSV file (`of` is contact, account, or any for both); or
 *   - dynamic: a saved filter (`filter`, the terms `crm contact list` takes) over contacts or
 *     accounts, evaluated each time the list is used; nothing is added to it.
 *
 * For consumers (mail merge): resolve the list, then iterate its members as contacts:
 *
 *     long long list;
 *     if (crm_list_resolve(crm, "Newsletter", &list, &err)) ...
 *     struct crm_list_query q = { .reach = CRM_REACH_EMAIL, .fields = all, .nfields = 1 };
 *     struct crm_cursor *c;                                 // all = { "all" }: every contact field
 *     if (crm_list_members_open(crm, list, &q, &c, &err)) ...
 *     while ((rc = crm_cursor_next(c, &cells, &err)) == 1) ... // crm/record.h
 *     crm_cursor_close(c);
 *
 * The cursor is the engine's query over contacts (crm/record.h), so the columns are the
 * contact's fields by name (`account_id` gives the account's number, `attr.x` an attribute).
 * An account that is a member stands for its contacts; a contact reached twice (directly and
 * through its account) comes once. */
#ifndef CRM_LIST_H
#define CRM_LIST_H

#include <stdio.h>
#include "crm/crm.h"
#include "crm/error.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

/* Whom a mailing may reach. */
enum crm_list_reach {
	CRM_REACH_ALL,   /* every member */
	CRM_REACH_EMAIL, /* contacts with an e-mail address and do_not_email not set */
	CRM_REACH_MAIL,  /* contacts with do_not_mail not set */
};

struct crm_list_query {
	const char *const *terms;  /* further filter terms over the members' kind, ANDed */
	int nterms;
	const char *const *fields; /* columns; NULL: the kind's list columns, and for contacts
				    * do_not_email and do_not_mail */
	int nfields;
	const char *sort;          /* NULL: the kind's order */
	long long limit;           /* 0: all */
	enum crm_list_reach reach; /* anything but ALL implies contacts */
	int accounts;              /* 1: the member accounts themselves (a list of accounts or of
				    * both); 0: contacts, member accounts standing for theirs */
};

/* The list a reference names (number or name, case and accents ignored). */
int crm_list_resolve(struct crm *crm, const char *ref, long long *id, struct crm_err *err);

/* What a list is: *dynamic 1 for a dynamic one; *of "contact", "account" or "any" (static). */
int crm_list_about(struct crm *crm, long long list, int *dynamic, const char **of, struct crm_err *err);

/* A list's members (see struct crm_list_query) as a cursor of crm/record.h, or printed. */
int crm_list_members_open(struct crm *crm, long long list, const struct crm_list_query *q,
			  struct crm_cursor **out, struct crm_err *err);
int crm_list_members_print(struct crm *crm, long long list, const struct crm_list_query *q,
			   struct crm_printer *p, long long *count, struct crm_err *err);

/* Static lists only (a dynamic one is CRM_ECONFLICT). `accounts` says the records are accounts,
 * else contacts; the list's `of` must allow them (CRM_EUSAGE). Adding a member already there
 * changes nothing, removing one not there neither: *changed (may be NULL) counts those that
 * did. Each call is one transaction. */
int crm_list_add_members(struct crm *crm, long long list, int accounts, const long long *ids, int nids,
			 long long *changed, struct crm_err *err);
int crm_list_rm_members(struct crm *crm, long long list, int accounts, const long long *ids, int nids,
			long long *changed, struct crm_err *err);
/* Everyone the filter terms match (an empty filter: everyone). */
int crm_list_add_where(struct crm *crm, long long list, int accounts, const char *const *terms, int nterms,
		       long long *changed, struct crm_err *err);
/* Every member, contacts and accounts. */
int crm_list_clear(struct crm *crm, long long list, long long *changed, struct crm_err *err);
/* The references in one column of a CSV file (crm/csvin.h): the column headed email, id, ref,
 * contact, account or name, else the first column, then without a header when its first cell
 * names a record. Every row naming no record is told to `unknown` (line, value, why) and then
 * nothing is added (CRM_EINVALID). */
int crm_list_add_csv(struct crm *crm, long long list, int accounts, FILE *in, const char *name,
		     void (*unknown)(void *ctx, long long line, const char *value, const struct crm_err *why),
		     void *ctx, long long *changed, struct crm_err *err);

/* A saved filter as terms: words split at white space, "double quotes" keep a term's spaces.
 * *words and *store are the caller's to free. */
int crm_list_filter_words(const char *filter, char **store, const char ***words);

/* For the descriptor (crm_kind.check): a list's type, members' kind and filter agree, the
 * filter compiles over that kind (CRM_EUSAGE otherwise), a list with members stays static. */
int crm_list_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
		   struct crm_err *err);

/* Show sections (crm/show.h): a contact's or an account's lists (static memberships, through its
 * account for a contact, and the dynamic lists it matches), and a list's member counts. */
int crm_list_of_record_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			     struct crm_err *err);
int crm_list_counts_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			  struct crm_err *err);

#endif
