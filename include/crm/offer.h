/* Offers (issue 12): the kinds are described in core/kinds.c and served by the record engine
 * (add, list, show, edit, rm, history, import, export, transition); what is special to them is
 * here: the rules of a line, the section gate on approval (the effect `sections` of
 * workflow.offer), revisions, acceptance into a contract, templates and expiry. */
#ifndef CRM_OFFER_H
#define CRM_OFFER_H

#include <stdio.h>
#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

/* An offer line's own rules (crm_kind.check): a quantity above 0, and the currency of its price,
 * given or the product's, the offer's (else CRM_EINVALID). */
int crm_offer_line_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			 struct crm_err *err);

/* An offer section's own rule (crm_kind.check): its name is its offer's only one of that name,
 * whatever the case of its letters, so that <offer>/<name> names one section (else
 * CRM_ECONFLICT). */
int crm_offer_section_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			    struct crm_err *err);

/* What the words after an offer line's offer name (crm offer line add <offer> <words>): a
 * product (its code or number: *product 1), or, when no product has it and none is near it,
 * the text of a free-text line (*product 0). A near product is taken for a misspelling:
 * CRM_EINVALID with "did you mean" (a free-text line with such a text takes --description). */
int crm_offer_line_words(struct crm *crm, const char *words, int *product, struct crm_err *err);

/* Add an offer (set as crm_record_add takes it) and fill it from template `name`: the
 * configuration's offers.templates.<name> (sections and lines), else an offer marked template
 * named by name; all in one transaction. name NULL: a plain add. ctx is the template's name
 * (the shape of cmd/'s rec_add_fn). */
int crm_offer_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset, void *name,
		  long long *id, struct crm_err *err);

/* A new version of offer id: a copy with its lines and sections (sections back in draft),
 * version one more, number "<number of version 1>-v<version>", revising id, which takes the
 * transition supersede. *new_id is the copy. */
int crm_offer_revise(struct crm *crm, long long id, long long *new_id, struct crm_err *err);

/* Take the transition accept; with create_contract, also add a contract (title "<number>
 * <title>", the account, project, contact, currency, value the offer's net) with a line for
 * each of the offer's, and set the offer's contract to it (*contract_id, else 0). */
int crm_offer_accept(struct crm *crm, long long id, int create_contract, long long *contract_id,
		     struct crm_err *err);

/* crm alert run: every open offer whose validity date has passed takes the transition expire
 * and its owner is told (a notification, event offer-expired); *expired counts them. An offer
 * whose owner has no e-mail address (or which has no owner) expires all the same, and *unsent
 * (may be NULL; left alone when there is none; caller frees) says so, a line for each. In the
 * caller's transaction. */
int crm_offer_expire(struct crm *crm, long long *expired, char **unsent, struct crm_err *err);

/* The offer as a document for the client: header, client, object, description, sections,
 * lines and totals, validity. Markdown text (the terminal's preview and -o offer.md). Caller
 * frees. */
int crm_offer_markdown(struct crm *crm, long long id, char **out, struct crm_err *err);
/* The same document as a PDF drawn with Pango and Cairo (any script: ș ț ă î â), written to out;
 * *pages counts its pages. */
int crm_offer_pdf(struct crm *crm, long long id, FILE *out, int *pages, struct crm_err *err);
/* Its lines and totals as rows through a printer (xlsx, csv, json...): #, description,
 * quantity, unit, price, discount, tax_rate, net, total; then Subtotal, Discount, Net, Tax and
 * Total in the total column. Money in the offer's currency. */
int crm_offer_lines_print(struct crm *crm, long long id, struct crm_printer *p, struct crm_err *err);

#endif
