/* Marketing campaigns (issue 12, item 7).
 *
 * A campaign is a record of kind "campaign" (core/kinds.c; add, list, show, edit, rm, history,
 * import, export and transition are the engine's, its status follows workflow.campaign). What
 * only campaigns have is here:
 *   - members: contacts and accounts, kept like a static list's (core/members.h), added one by
 *     one, by a filter, or from a distribution list;
 *   - responses: activities naming the campaign (activities.campaign_id) with a result;
 *   - attribution: opportunities and accounts (prospects) naming the campaign that brought them;
 *   - the report: members, responses by result, response rate, opportunities, pipeline and won
 *     value per currency, cost per response and per won opportunity, exact. */
#ifndef CRM_CAMPAIGN_H
#define CRM_CAMPAIGN_H

#include "crm/crm.h"
#include "crm/error.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

/* The campaign a reference names (number or name, case and accents ignored); not found, the
 * message says which campaign's name is nearest ("did you mean 'Spring fair'?"). */
int crm_campaign_resolve(struct crm *crm, const char *ref, long long *id, struct crm_err *err);

/* Members. `accounts` says the records are accounts, else contacts. Adding one already there
 * or removing one not there changes nothing: *changed (may be NULL) counts those that did.
 * Each call is one transaction. */
int crm_campaign_add_members(struct crm *crm, long long campaign, int accounts, const long long *ids, int nids,
			     long long *changed, struct crm_err *err);
int crm_campaign_rm_members(struct crm *crm, long long campaign, int accounts, const long long *ids, int nids,
			    long long *changed, struct crm_err *err);
/* Every contact (or account) the filter terms match. */
int crm_campaign_add_where(struct crm *crm, long long campaign, int accounts, const char *const *terms,
			   int nterms, long long *changed, struct crm_err *err);
/* The members of a distribution list (crm/list.h): a static list's contacts and accounts as they
 * are, a dynamic list's contacts or accounts as its filter matches them now. */
int crm_campaign_add_list(struct crm *crm, long long campaign, long long list, long long *changed,
			  struct crm_err *err);
int crm_campaign_clear(struct crm *crm, long long campaign, long long *changed, struct crm_err *err);

/* The member contacts (or accounts), filtered further by terms, through the engine's query:
 * fields NULL for the kind's list columns. */
int crm_campaign_members_print(struct crm *crm, long long campaign, int accounts, const char *const *terms,
			       int nterms, const char *const *fields, int nfields, const char *sort,
			       long long limit, struct crm_printer *p, struct crm_err *err);

/* A response: an activity through the engine (validated, in history) naming the campaign and the
 * contact, with this result (picklists.activity_result), type `response`, summary (NULL: "Response
 * to <campaign>: <result>"), at (NULL: now) and body; the contact becomes a member if it was not.
 * One transaction. */
int crm_campaign_respond(struct crm *crm, long long campaign, long long contact, const char *result,
			 const char *summary, const char *at, const char *body, long long *activity,
			 struct crm_err *err);

/* The report as rows measure, value, currency (money exact, in its currency's digits):
 * members, contacts, accounts, responses, responses:<result> each, responders (member contacts
 * who responded), response_rate (responders per member contact, percent, one decimal),
 * opportunities, won, pipeline (open opportunities' value) and won_value per currency, prospects
 * (accounts at lifecycle stage prospect it brought), budget, cost, cost_per_response and
 * cost_per_won (cost divided, rounded half away from zero to minor units; empty when there is
 * nothing to divide by or no cost). */
int crm_campaign_report_print(struct crm *crm, long long campaign, struct crm_printer *p, struct crm_err *err);

/* Show sections (crm/show.h): a contact's or an account's campaigns; a campaign's member counts
 * and responses by result. */
int crm_campaign_of_record_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
				 struct crm_err *err);

#endif
