/* Private to core/: the static members of a record (a distribution list's, a campaign's), contacts
 * and accounts kept in two link tables of the member (crm/kind.h CRM_F_LINKS: record_id the
 * member, target_id the record holding them). Each change is one transaction and leaves one
 * history row on the holding record saying how many members it had and has ("members: 3 → 5"),
 * however many were added by a filter; its updated stamp moves. crm/list.h and crm/campaign.h
 * are the public faces. */
#ifndef CRM_CORE_MEMBERS_H
#define CRM_CORE_MEMBERS_H

#include "crm/crm.h"
#include "crm/error.h"

struct crm_members {
	const char *kind;     /* the kind holding them: "list", "campaign" */
	const char *contacts; /* its link table of contacts: "list_contacts" */
	const char *accounts; /* and of accounts: "list_accounts" */
};

/* How many members record id has, contacts and accounts. */
long long crm_members_count(struct crm *crm, const struct crm_members *m, long long id);

/* Add (add 1) or remove the accounts (accounts 1) or contacts ids; one already there (or not
 * there) changes nothing: *changed (may be NULL) counts those that did. */
int crm_members_change(struct crm *crm, const struct crm_members *m, long long id, int accounts, int add,
		       const long long *ids, int nids, long long *changed, struct crm_err *err);

/* Add every account (or contact) the filter terms match (crm/filter.h; none: everyone). */
int crm_members_add_where(struct crm *crm, const struct crm_members *m, long long id, int accounts,
			  const char *const *terms, int nterms, long long *changed, struct crm_err *err);

/* Remove every member. */
int crm_members_clear(struct crm *crm, const struct crm_members *m, long long id, long long *changed,
		      struct crm_err *err);

/* A show section (crm/show.h) of a contact or an account (k): the records of m->kind holding it,
 * a map each: id, name, type, then `status` when that column is given, and how ("member", or for a
 * contact "through its account"). */
struct crm_printer;
struct crm_kind;
int crm_members_of_record_print(struct crm *crm, const struct crm_members *m, const char *status,
				const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err);

#endif
