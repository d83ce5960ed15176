/* The kinds of record crm keeps, each described once. */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "crm/attr.h"
#include "crm/custom.h"
#include "crm/finance.h"
#include "crm/document.h"
#include "crm/kind.h"
#include "crm/list.h"
#include "crm/money.h"
#include "crm/offer.h"
#include "crm/task.h"

#define STAMPS \
	{ "created", "created", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when it was added" }, \
	{ "updated", "updated", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when it last changed" }
#define ID { "id", "id", CRM_F_INT, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "its number" }
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
/* The currency of a record's amounts: an ISO 4217 code; its digits are those of the amounts
 * (crm/money.h). Left out, it is the configuration's `currency` once the record has an amount,
 * and at once for a record whose parts are priced in it (a contract's lines). */
#define CURRENCY(help) { "currency", "currency", CRM_F_TEXT, 0, NULL, NULL, help, .norm = crm_currency_norm }
#define CURRENCY_DEF(help) { "currency", "currency", CRM_F_TEXT, 0, NULL, NULL, help, .def = "config:currency", \
			     .norm = crm_currency_norm }

static const struct crm_field account_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the company's name, unique" },
	{ "parent", "parent_id", CRM_F_REF, CRM_FF_LIST, "account", NULL, "the parent account of a subsidiary" },
	{ "industry", "industry", CRM_F_TEXT, CRM_FF_LIST, NULL, "industry", "industry (pick-list)" },
	{ "country", "country", CRM_F_TEXT, CRM_FF_LIST, NULL, NULL, "country" },
	{ "line_of_business", "line_of_business", CRM_F_TEXT, 0, NULL, "line_of_business", "line of business" },
	{ "lifecycle_stage", "lifecycle_stage", CRM_F_TEXT, CRM_FF_LIST, NULL, "lifecycle_stage", "lead, prospect, customer, former" },
	{ "campaign", "campaign_id", CRM_F_REF, 0, "campaign", NULL, "the campaign that brought it (a prospect's source)" },
	{ "relationship_stage", "relationship_stage", CRM_F_TEXT, 0, NULL, "relationship_stage", "growing, mature, declining, closed" },
	{ "credit_rating", "credit_rating", CRM_F_TEXT, 0, NULL, "credit_rating", "credit rating (pick-list)" },
	{ "credit_limit", "credit_limit", CRM_F_MONEY, 0, NULL, NULL, "credit limit", .min = "0", .currency = "currency" },
	CURRENCY("currency of its credit limit (default: the configuration's currency)"),
	{ "website", "website", CRM_F_TEXT, 0, NULL, NULL, "web site" },
	{ "phone", "phone", CRM_F_TEXT, 0, NULL, NULL, "main phone number" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	{ "lists", "list_accounts", CRM_F_LINKS, CRM_FF_READONLY | CRM_FF_HIDDEN, "list", NULL, "the static lists the account is a member of (crm list add-member)" },
	{ "campaigns", "campaign_accounts", CRM_F_LINKS, CRM_FF_READONLY | CRM_FF_HIDDEN, "campaign", NULL, "the campaigns the account is a member of (crm campaign add-member)" },
	STAMPS,
};

static const struct crm_field location_fields[] = {
	ID,
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the account it belongs to" },
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "name, unique within the account" },
	{ "address", "address", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "street address" },
	{ "city", "city", CRM_F_TEXT, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "city" },
	{ "postal_code", "postal_code", CRM_F_TEXT, 0, NULL, NULL, "postal code" },
	{ "country", "country", CRM_F_TEXT, CRM_FF_LIST, NULL, NULL, "country" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_field contact_fields[] = {
	ID,
	{ "first_name", "first_name", CRM_F_TEXT, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "first name" },
	{ "last_name", "last_name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "last name" },
	{ "title", "title", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "job title" },
	{ "email", "email", CRM_F_EMAIL, CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "e-mail address, unique" },
	{ "phone", "phone", CRM_F_TEXT, 0, NULL, NULL, "office phone" },
	{ "mobile", "mobile", CRM_F_TEXT, 0, NULL, NULL, "mobile phone" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_LIST, "account", NULL, "the account the person works for" },
	{ "location", "location_id", CRM_F_REF, 0, "location", NULL, "the account's location the person works at" },
	{ "lifecycle_stage", "lifecycle_stage", CRM_F_TEXT, 0, NULL, "lifecycle_stage", "lead, prospect, customer, former" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	{ "do_not_email", "do_not_email", CRM_F_BOOL, 0, NULL, NULL, "yes: send the person no e-mail (contact email refuses)" },
	{ "do_not_mail", "do_not_mail", CRM_F_BOOL, 0, NULL, NULL, "yes: send the person no letters" },
	{ "lists", "list_contacts", CRM_F_LINKS, CRM_FF_READONLY | CRM_FF_HIDDEN, "list", NULL, "the static lists the person is a member of (crm list add-member)" },
	{ "campaigns", "campaign_contacts", CRM_F_LINKS, CRM_FF_READONLY | CRM_FF_HIDDEN, "campaign", NULL, "the campaigns the person is a member of (crm campaign add-member)" },
	STAMPS,
};

static const struct crm_field user_fields[] = {
	ID,
	{ "login", "login", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "login name, unique" },
	{ "name", "name", CRM_F_TEXT, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "full name" },
	{ "email", "email", CRM_F_EMAIL, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "e-mail address" },
	{ "manager", "manager_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user's manager" },
	{ "groups", "groups", CRM_F_LIST, CRM_FF_LIST, NULL, NULL, "groups, comma-separated (a group not yet known is added)", .names = "group" },
	{ "roles", "roles", CRM_F_LIST, CRM_FF_LIST, NULL, "roles", "roles, comma-separated (from the configuration)" },
	STAMPS,
};

/* Issue 4, the relationship manager: activities, projects (and their costs), contracts (and
 * their lines), documents. Many-to-many links live in link tables (CRM_F_LINKS). */
#define COSTS_SQL "(SELECT coalesce(sum(c.amount), 0) FROM project_costs c WHERE c.project_id = t.id)"
/* A line's amount: quantity (thousandths) times price (minor units), rounded half away from zero
 * to minor units, in integers as an invoice rounds each line; no quantity is one. */
#define LINE_AMOUNT_SQL(q, p) "(CASE WHEN " p " IS NULL THEN NULL WHEN coalesce(" q ", 1000) * " p " >= 0 " \
	"THEN (coalesce(" q ", 1000) * " p " + 500) / 1000 ELSE (coalesce(" q ", 1000) * " p " - 500) / 1000 END)"
/* A contract line's amount: quantity x price less its discount (hundredths of a percent), each
 * rounded half away from zero in minor units as an offer line's net is (quantity, price and
 * discount are at least 0), so that a contract made from an offer adds up to the offer's net. */
#define CL_AMOUNT_SQL(a) "(" LINE_AMOUNT_SQL(a ".quantity", a ".price") " - (" \
	LINE_AMOUNT_SQL(a ".quantity", a ".price") " * coalesce(" a ".discount, 0) + 5000) / 10000)"

static const struct crm_field activity_fields[] = {
	ID,
	{ "summary", "summary", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what happened, in one line" },
	{ "type", "type", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "activity_type", "call, meeting, email, letter, note, ... (pick-list)" },
	{ "at", "at", CRM_F_TIME, CRM_FF_NOW | CRM_FF_LIST, NULL, NULL, "when it happened (default: now)" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_LIST, "account", NULL, "the account it concerns" },
	{ "location", "location_id", CRM_F_REF, 0, "location", NULL, "the account's location it concerns" },
	{ "contacts", "activity_contacts", CRM_F_LINKS, CRM_FF_LIST, "contact", NULL, "the people it involved (repeat, or a comma list)" },
	{ "users", "activity_users", CRM_F_LINKS, 0, "user", NULL, "our users it involved (repeat, or a comma list)" },
	{ "projects", "activity_projects", CRM_F_LINKS, 0, "project", NULL, "the projects it belongs to (repeat, or a comma list)" },
	{ "contract", "contract_id", CRM_F_REF, 0, "contract", NULL, "the contract it concerns" },
	{ "result", "result", CRM_F_TEXT, CRM_FF_LIST, NULL, "activity_result", "its business result (pick-list; may move a project or contract on)" },
	{ "campaign", "campaign_id", CRM_F_REF, 0, "campaign", NULL, "the campaign it answers: with a result, a response (crm campaign respond)" },
	{ "body", "body", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "notes or the text of a message" },
	{ "message_id", "message_id", CRM_F_TEXT, 0, NULL, NULL, "the Message-ID of a captured e-mail" },
	STAMPS,
};

static const struct crm_field project_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the project's name" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_LIST, "account", NULL, "the account it is for" },
	{ "location", "location_id", CRM_F_REF, 0, "location", NULL, "the account's location it is for" },
	{ "manager", "manager_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the project manager (a user)" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.project.statuses", "its pipeline milestone (workflow.project)" },
	{ "product", "product", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "the product or service it is about" },
	{ "income", "income", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "potential income", .currency = "currency" },
	CURRENCY_DEF("currency of its income and costs (default: the configuration's currency)"),
	{ "costs", "(" COSTS_SQL ")", CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "total of its cost entries", .currency = "currency" },
	{ "margin", "(coalesce(t.income, 0) - " COSTS_SQL ")", CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "income less costs", .currency = "currency" },
	{ "start", "start_date", CRM_F_DATE, 0, NULL, NULL, "when it starts" },
	{ "due", "due_date", CRM_F_DATE, 0, NULL, NULL, "when it is expected to close or deliver" },
	{ "team", "project_team", CRM_F_LINKS, 0, "user", NULL, "internal contacts: our users on it (repeat, or a comma list)" },
	{ "contacts", "project_contacts", CRM_F_LINKS, 0, "contact", NULL, "external contacts: the client's people on it (repeat, or a comma list)" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	{ "template", "template", CRM_F_TEXT, CRM_FF_READONLY, NULL, NULL, "the template its plan was made from (crm project add --template)" },
	STAMPS,
};

static const struct crm_field cost_fields[] = {
	ID,
	{ "project", "project_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_PART, "project", NULL, "the project it was spent on" },
	{ "amount", "amount", CRM_F_MONEY, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, NULL, "how much, in the project's currency", .min = "0", .currency = "project.currency" },
	{ "what", "what", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what it was for" },
	{ "date", "date", CRM_F_DATE, CRM_FF_NOW | CRM_FF_LIST, NULL, NULL, "when (default: today)" },
	STAMPS,
};

static const struct crm_field contract_fields[] = {
	ID,
	{ "title", "title", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the contract's title or number" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the client (implied by the project)" },
	{ "project", "project_id", CRM_F_REF, CRM_FF_LIST, "project", NULL, "the project it follows" },
	{ "type", "type", CRM_F_TEXT, 0, NULL, "contract_type", "kind of contract (pick-list)" },
	{ "value", "value", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "total value", .min = "0", .currency = "currency" },
	CURRENCY_DEF("currency of its value and lines (default: the configuration's currency)"),
	{ "start", "start_date", CRM_F_DATE, 0, NULL, NULL, "when it starts" },
	{ "end", "end_date", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it ends (filter also as expires)" },
	{ "expires", "end_date", CRM_F_DATE, CRM_FF_READONLY | CRM_FF_HIDDEN, NULL, NULL, "the end date, for filters: expires.before:+60d" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.contract.statuses", "where it is in the signing workflow (workflow.contract)" },
	{ "resources", "contract_resources", CRM_F_LINKS, 0, "user", NULL, "our users who deliver it (repeat, or a comma list)" },
	{ "contacts", "contract_contacts", CRM_F_LINKS, 0, "contact", NULL, "the client's people on it (repeat, or a comma list)" },
	{ "lines_total", "(SELECT sum(" CL_AMOUNT_SQL("l") ") FROM contract_lines l WHERE l.contract_id = t.id)",
	  CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "total of its product and service lines, after their discounts", .currency = "currency" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_field contract_line_fields[] = {
	ID,
	{ "contract", "contract_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_PART, "contract", NULL, "the contract it belongs to" },
	{ "product", "product", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the product or service" },
	{ "quantity", "quantity", CRM_F_DECIMAL, CRM_FF_LIST, NULL, NULL, "how many, up to 3 decimals (default 1)", .min = "0", .def = "1", .scale = 3 },
	{ "price", "price", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "price of one, in the contract's currency", .min = "0", .currency = "contract.currency" },
	{ "discount", "discount", CRM_F_DECIMAL, 0, NULL, NULL, "discount in percent, up to 2 decimals", .min = "0", .max = "100", .scale = 2 },
	{ "amount", CL_AMOUNT_SQL("t"), CRM_F_MONEY, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "quantity times price less the discount, each rounded half away from zero", .currency = "contract.currency" },
	{ "delivered", "delivered", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it was delivered (crm contract deliver: bills it once, a draft invoice)" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

/* A document's content lives in the blobs table, once per SHA-256; core/document.c writes
 * the fixed fields when it attaches one, no user verb nor import changes them (name and type
 * are the user's). */
static const struct crm_field document_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "file name ('/', '\\' and control characters become '_')", .norm = crm_doc_name_norm },
	{ "noun", "noun", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_FIXED | CRM_FF_LIST, NULL, NULL, "the kind of record it is attached to" },
	{ "record", "record_id", CRM_F_INT, CRM_FF_REQUIRED | CRM_FF_FIXED | CRM_FF_LIST, NULL, NULL, "the number of the record it is attached to" },
	{ "size", "size", CRM_F_INT, CRM_FF_REQUIRED | CRM_FF_FIXED | CRM_FF_LIST, NULL, NULL, "size in bytes" },
	{ "type", "content_type", CRM_F_TEXT, 0, NULL, NULL, "content type (MIME), when known" },
	{ "sha256", "sha256", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_FIXED, NULL, NULL, "SHA-256 of the content, checked on every read" },
	{ "blob", "blob_id", CRM_F_INT, CRM_FF_REQUIRED | CRM_FF_FIXED | CRM_FF_HIDDEN, NULL, NULL, "where the content is stored" },
	STAMPS,
};

static const struct crm_kind activity_kind = {
	"activity", "activities", "activities", "t.summary", "t.at DESC",
	activity_fields, COUNT(activity_fields), "summary",
};
static const struct crm_kind project_kind = {
	"project", "projects", "projects", "t.name", "t.name COLLATE NOCASE",
	project_fields, COUNT(project_fields), "name",
};
static const struct crm_kind cost_kind = {
	"cost", "costs", "project_costs", "t.what", "t.project_id, t.date",
	cost_fields, COUNT(cost_fields), "project,amount,what",
};
static const struct crm_kind contract_kind = {
	"contract", "contracts", "contracts", "t.title", "t.title COLLATE NOCASE",
	contract_fields, COUNT(contract_fields), "title", .check = crm_contract_credit_check,
};
static const struct crm_kind contract_line_kind = {
	"contract_line", "contract_lines", "contract_lines", "t.product", "t.contract_id",
	contract_line_fields, COUNT(contract_line_fields), "contract,product",
};
static const struct crm_kind document_kind = {
	"document", "documents", "documents", "t.name", "t.id",
	document_fields, COUNT(document_fields), "name",
};

/* Issue 5, tickets. status follows workflow.ticket (changed by transitions, core/ticket.c);
 * the SLA fields are computed by SQL functions core/ticket.c registers on every connection. */
#define SLA_ARGS "t.priority, t.opened, t.responded, t.resolved, t.paused_seconds, t.paused_since"

static const struct crm_field ticket_fields[] = {
	ID,
	{ "title", "title", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what it is about, in one line" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the customer it is for" },
	{ "contact", "contact_id", CRM_F_REF, 0, "contact", NULL, "the customer's person who reported it (notified)" },
	{ "project", "project_id", CRM_F_REF, 0, "project", NULL, "the project it concerns" },
	{ "contract", "contract_id", CRM_F_REF, 0, "contract", NULL, "the contract it falls under" },
	{ "priority", "priority", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "priority", "urgent, high, normal, low (pick-list; sets the service level; default: tickets.default_priority)", .def = "config:tickets.default_priority" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.ticket.statuses", "where it is in the workflow (moved by transitions)" },
	{ "assignee", "assignee_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user responsible" },
	{ "group", "assignee_group", CRM_F_TEXT, CRM_FF_LIST, NULL, NULL, "the group responsible while no one user is" },
	{ "reporter", "reporter_id", CRM_F_REF, 0, "user", NULL, "the user who opened it (default: the current user)", .def = "user" },
	{ "opened", "opened", CRM_F_TIME, CRM_FF_NOW, NULL, NULL, "when it was opened (default: now)" },
	{ "responded", "responded", CRM_F_TIME, 0, NULL, NULL, "the first answer: a comment or a transition" },
	{ "resolved", "resolved", CRM_F_TIME, 0, NULL, NULL, "when it reached a resolved status" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "the whole story" },
	{ "resolution", "resolution", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "how it was resolved" },
	{ "open", "(crm_ticket_open(t.status))", CRM_F_BOOL, CRM_FF_READONLY, NULL, NULL, "yes until it reaches a resolved status", .calc = CRM_CALC_OPEN },
	{ "response_due", "(crm_sla_due('response', " SLA_ARGS "))", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when the first answer is due (sla.targets)", .calc = CRM_CALC_RESPONSE_DUE },
	{ "resolution_due", "(crm_sla_due('resolution', " SLA_ARGS "))", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when resolution is due; moves on while paused", .calc = CRM_CALC_RESOLUTION_DUE },
	{ "breach", "(crm_sla_breach(" SLA_ARGS "))", CRM_F_BOOL, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "yes when a service-level target was missed", .calc = CRM_CALC_BREACH },
	{ "responsible", "(crm_ticket_responsible(t.assignee_id, t.assignee_group))", CRM_F_LIST, CRM_FF_READONLY | CRM_FF_HIDDEN, NULL, NULL, "logins answering for it: the assignee, else the group's members" },
	{ "managers", "(crm_ticket_managers(t.assignee_id, t.assignee_group))", CRM_F_LIST, CRM_FF_READONLY | CRM_FF_HIDDEN, NULL, NULL, "logins of the managers, at any level, of those responsible" },
	STAMPS,
};

/* Issue 12, sales: products and services (priced exactly, taxed at a rate in hundredths of a
 * percent), and opportunities, whose stage follows workflow.opportunity; crm pipeline sums them
 * by currency and stage (crm/sales.h). */
static const struct crm_field product_fields[] = {
	ID,
	{ "code", "code", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "its code, unique (case and accents ignored)" },
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what it is called" },
	{ "unit", "unit", CRM_F_TEXT, CRM_FF_LIST, NULL, "unit", "unit of sale: piece, hour, day, month, year, licence (pick-list)" },
	{ "price", "price", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "price of one unit before tax, exact in its currency", .min = "0", .currency = "currency" },
	CURRENCY_DEF("currency of its price (default: the configuration's currency)"),
	{ "tax_rate", "tax_rate", CRM_F_DECIMAL, CRM_FF_LIST, NULL, NULL, "tax rate in percent, up to 2 decimals (19, 9, 5.5)", .min = "0", .max = "100", .scale = 2 },
	{ "active", "active", CRM_F_BOOL, CRM_FF_LIST, NULL, NULL, "yes while it is offered (default yes)", .def = "1" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "what it is, for offers" },
	STAMPS,
};

static const struct crm_kind product_kind = {
	"product", "products", "products", "t.name", "t.code",
	product_fields, COUNT(product_fields), "code,name",
};

/* value x probability %, rounded half away from zero to minor units */
#define WEIGHTED_SQL "(CASE WHEN t.value IS NULL OR t.probability IS NULL THEN NULL " \
	"WHEN t.value * t.probability >= 0 THEN (t.value * t.probability + 50) / 100 " \
	"ELSE (t.value * t.probability - 50) / 100 END)"

static const struct crm_field opportunity_fields[] = {
	ID,
	{ "title", "title", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what is to be sold, in one line" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the client" },
	{ "contact", "contact_id", CRM_F_REF, 0, "contact", NULL, "the client's person it is with" },
	{ "stage", "stage", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.opportunity.statuses", "where it is in workflow.opportunity (moved by transitions)" },
	{ "value", "value", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "what it would bring, exact in its currency", .min = "0", .currency = "currency" },
	CURRENCY_DEF("currency of its value (default: the configuration's currency)"),
	{ "probability", "probability", CRM_F_INT, CRM_FF_LIST, NULL, NULL, "chance of winning it, in percent (0 to 100)", .min = "0", .max = "100" },
	{ "weighted", WEIGHTED_SQL, CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "value times probability, rounded half away from zero", .currency = "currency" },
	{ "close", "close_date", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it is expected to close" },
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user who sells it (default: the current user)", .def = "user" },
	{ "campaign", "campaign_id", CRM_F_REF, 0, "campaign", NULL, "the campaign that brought it (crm campaign report)" },
	{ "lost_reason", "lost_reason", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "why it was lost (the transition lose needs it)" },
	{ "open", "(CASE WHEN lower(t.stage) IN ('won', 'lost') THEN 0 ELSE 1 END)", CRM_F_BOOL, CRM_FF_READONLY, NULL, NULL, "yes until it is won or lost" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind opportunity_kind = {
	"opportunity", "opportunities", "opportunities", "t.title", "t.id",
	opportunity_fields, COUNT(opportunity_fields), "title",
};

/* Offers (issue 12): a quote to an account, numbered from a yearly sequence (offers.number_format)
 * in the transaction that adds it, with lines (a product or free text; quantity, price, discount
 * and tax rate), sections each with an owner and a workflow of its own (workflow.offer_section),
 * and versions: a revision keeps the number with "-v<N>" after it and revises the one before.
 * Each line is rounded as an invoice rounds, half away from zero in minor units: its amount
 * (quantity x price), its discount (amount x discount %), its net, its tax (net x rate %); the
 * offer's subtotal, discount, tax and total add the rounded lines. Integers only, on both
 * backends. */
/* Every input of a line is at least 0 (a quantity more than 0, a price, a discount up to 100 %
 * and a tax rate from 0: the engine refuses less), so is everything computed from them, and half
 * away from zero is (x + h) / d: x written once. The CASE that also rounded negatives wrote x
 * twice at every level, 18 products a line for its total (2.3 x sqlite3 summing 100,000 offers'
 * lines; docs/PERFORMANCE.md). */
#define RDIV(x, d, h) "(((" x ") + " h ") / " d ")"
#define OL_GROSS(a) RDIV("coalesce(" a ".quantity, 1000) * " a ".price", "1000", "500")
#define OL_DISC(a) RDIV(OL_GROSS(a) " * coalesce(" a ".discount, 0)", "10000", "5000")
#define OL_NET(a) "(" OL_GROSS(a) " - " OL_DISC(a) ")"
#define OL_TAX(a) RDIV(OL_NET(a) " * coalesce(" a ".tax_rate, 0)", "10000", "5000")
#define OL_TOTAL(a) "(" OL_NET(a) " + " OL_TAX(a) ")"
#define OFFER_SUM(x) "(SELECT sum(" x ") FROM offer_lines l WHERE l.offer_id = t.id)"
#define OFFER_OPEN_SQL "(CASE WHEN lower(t.status) IN ('accepted', 'rejected', 'expired', 'superseded') " \
	"THEN 0 ELSE 1 END)"

static const struct crm_field offer_fields[] = {
	ID,
	{ "number", "number", CRM_F_TEXT, CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "its number, unique (default: the next of offers.number_format, OF-2026-0001)", .def = "sequence:offers.number_format" },
	{ "version", "version", CRM_F_INT, CRM_FF_LIST, NULL, NULL, "its version: 1, then one more for each revision (crm offer revise)", .min = "1", .def = "1" },
	{ "revises", "revises_id", CRM_F_REF, 0, "offer", NULL, "the version it revises" },
	{ "title", "title", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "its object: what is offered, in one line" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the client (implied by the opportunity or project)" },
	{ "contact", "contact_id", CRM_F_REF, 0, "contact", NULL, "the client's person it is addressed to" },
	{ "opportunity", "opportunity_id", CRM_F_REF, 0, "opportunity", NULL, "the opportunity it answers" },
	{ "project", "project_id", CRM_F_REF, 0, "project", NULL, "the project it is for" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "what it says to the client" },
	{ "budget", "budget", CRM_F_MONEY, 0, NULL, NULL, "the client's budget, in its currency", .min = "0", .currency = "currency" },
	CURRENCY_DEF("currency of its budget and lines (default: the configuration's currency)"),
	{ "valid_until", "valid_until", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "last day it holds; crm alert run expires it after" },
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user who answers for it (default: the current user)", .def = "user" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.offer.statuses", "where it is in workflow.offer (moved by transitions)" },
	{ "reject_reason", "reject_reason", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "why the client rejected it (the transition reject needs it)" },
	{ "template", "template", CRM_F_BOOL, 0, NULL, NULL, "yes: a template others start from (crm offer add --template <number>)" },
	{ "contract", "contract_id", CRM_F_REF, 0, "contract", NULL, "the contract made when it was accepted" },
	{ "subtotal", OFFER_SUM(OL_GROSS("l")), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "sum of its lines' amounts (quantity x price)", .currency = "currency" },
	{ "discount", OFFER_SUM(OL_DISC("l")), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "sum of its lines' discounts", .currency = "currency" },
	{ "net", OFFER_SUM(OL_NET("l")), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "subtotal less discount", .currency = "currency" },
	{ "tax", OFFER_SUM(OL_TAX("l")), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "sum of its lines' tax", .currency = "currency" },
	{ "total", OFFER_SUM(OL_TOTAL("l")), CRM_F_MONEY, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "net plus tax", .currency = "currency" },
	{ "open", OFFER_OPEN_SQL, CRM_F_BOOL, CRM_FF_READONLY, NULL, NULL, "yes until accepted, rejected, expired or superseded" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_field offer_line_fields[] = {
	ID,
	{ "offer", "offer_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_PART, "offer", NULL, "the offer it belongs to" },
	{ "product", "product_id", CRM_F_REF, CRM_FF_LIST, "product", NULL, "the product or service (by code); none for a free-text line" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what it is (default: the product's name)", .def = "from:product.name" },
	{ "unit", "unit", CRM_F_TEXT, 0, NULL, "unit", "unit of sale (default: the product's)", .def = "from:product.unit" },
	{ "quantity", "quantity", CRM_F_DECIMAL, CRM_FF_LIST, NULL, NULL, "how many, more than 0, up to 3 decimals (default 1)", .min = "0", .def = "1", .scale = 3 },
	{ "price", "price", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "price of one, in the offer's currency (default: the product's)", .min = "0", .currency = "offer.currency", .def = "from:product.price" },
	{ "currency", "currency", CRM_F_TEXT, 0, NULL, NULL, "currency of its price: the offer's (default: the product's; another is refused)", .norm = crm_currency_norm, .def = "from:product.currency" },
	{ "discount", "discount", CRM_F_DECIMAL, CRM_FF_LIST, NULL, NULL, "discount in percent, up to 2 decimals", .min = "0", .max = "100", .scale = 2 },
	{ "tax_rate", "tax_rate", CRM_F_DECIMAL, CRM_FF_LIST, NULL, NULL, "tax rate in percent, up to 2 decimals (default: the product's)", .min = "0", .max = "100", .scale = 2, .def = "from:product.tax_rate" },
	{ "amount", OL_GROSS("t"), CRM_F_MONEY, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "quantity times price, rounded half away from zero", .currency = "offer.currency" },
	{ "discount_amount", OL_DISC("t"), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "amount times discount %, rounded", .currency = "offer.currency" },
	{ "net", OL_NET("t"), CRM_F_MONEY, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "amount less discount", .currency = "offer.currency" },
	{ "tax", OL_TAX("t"), CRM_F_MONEY, CRM_FF_READONLY, NULL, NULL, "net times tax rate %, rounded", .currency = "offer.currency" },
	{ "total", OL_TOTAL("t"), CRM_F_MONEY, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "net plus tax", .currency = "offer.currency" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_field offer_section_fields[] = {
	ID,
	{ "offer", "offer_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_PART, "offer", NULL, "the offer it is a section of" },
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "its heading (Technical solution, Prices)" },
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user who fills it, submits and approves it (default: the current user)", .def = "user" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.offer_section.statuses", "where it is in workflow.offer_section: draft, submitted, approved" },
	{ "body", "body", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "its text" },
	STAMPS,
};

static const struct crm_kind offer_kind = {
	"offer", "offers", "offers", "t.number", "t.id",
	offer_fields, COUNT(offer_fields), "title", .check = crm_offer_credit_check,
	.parts_hint = "crm offer revise makes a new version to change", .parts_hint_by = "supersede",
};
static const struct crm_kind offer_line_kind = {
	"offer_line", "offer_lines", "offer_lines", "t.description", "t.offer_id, t.id",
	offer_line_fields, COUNT(offer_line_fields), "offer,product", crm_offer_line_check,
};
static const struct crm_kind offer_section_kind = {
	"offer_section", "offer_sections", "offer_sections", "t.name", "t.offer_id, t.id",
	offer_section_fields, COUNT(offer_section_fields), "offer,name", crm_offer_section_check,
};

static const struct crm_kind ticket_kind = {
	"ticket", "tickets", "tickets", "t.title", "t.id",
	ticket_fields, COUNT(ticket_fields), "title", .check = crm_ticket_credit_check,
};

/* Issue 15, financials (crm/finance.h): an account's invoices, payments and credit notes, exact
 * and always positive (the type says which way the money goes); the number is unique over all
 * of them, case and accents ignored. Receivables allocate payments and credit notes to invoices
 * (the one named by applies_to, else the oldest open first) per account and currency. */
static const struct crm_field transaction_fields[] = {
	ID,
	{ "type", "type", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "transaction_type", "invoice, payment or credit_note" },
	{ "number", "number", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "its number, unique over all transactions (case and accents ignored)" },
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the client (implied by the contract or offer)" },
	{ "date", "date", CRM_F_DATE, CRM_FF_REQUIRED | CRM_FF_NOW | CRM_FF_LIST, NULL, NULL, "when it was issued or paid (default: today)" },
	{ "due", "due_date", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "an invoice's due date (default: its date)", .after = "date" },
	{ "amount", "amount", CRM_F_MONEY, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, NULL, "how much, exact in its currency, more than 0", .min = "0", .currency = "currency" },
	{ "currency", "currency", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, NULL, "its currency, an ISO 4217 code (default: the configuration's currency)", .def = "config:currency", .norm = crm_currency_iso_norm },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "transaction_status", "draft (not yet issued), open, or void; draft and void ones are not receivables (default open)", .def = "open" },
	{ "applies_to", "applies_to_id", CRM_F_REF, 0, "transaction", NULL, "a payment's or credit note's invoice (its number); else it pays the oldest open one" },
	{ "contract", "contract_id", CRM_F_REF, 0, "contract", NULL, "the contract it bills or pays" },
	{ "offer", "offer_id", CRM_F_REF, 0, "offer", NULL, "the offer it bills or pays (a deposit on it)" },
	{ "line", "contract_line_id", CRM_F_REF, 0, "contract_line", NULL, "the delivered contract line it bills (crm contract deliver)" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind transaction_kind = {
	"transaction", "transactions", "transactions", "t.number", "t.date, t.id",
	transaction_fields, COUNT(transaction_fields), "type,number,amount", .check = crm_transaction_check,
};

/* An account's yearly figures, as a credit agency or its annual report gives them. */
static const struct crm_field financial_fields[] = {
	ID,
	{ "account", "account_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "account", NULL, "the account they are of" },
	{ "year", "year", CRM_F_INT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, NULL, "the financial year (one report per account and year)", .min = "1900", .max = "2999" },
	{ "revenue", "revenue", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "revenue (turnover) of the year", .min = "0", .currency = "currency" },
	{ "profit", "profit", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "profit, or loss when negative", .currency = "currency" },
	CURRENCY_DEF("currency of revenue and profit (default: the configuration's currency)"),
	{ "employees", "employees", CRM_F_INT, CRM_FF_LIST, NULL, NULL, "number of employees", .min = "0" },
	{ "source", "source", CRM_F_TEXT, CRM_FF_LIST | CRM_FF_SEARCH, NULL, NULL, "where the figures come from (annual report, credit agency)" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind financial_kind = {
	"financial", "financials", "financials", "CAST(t.year AS TEXT)", "t.account_id, t.year",
	financial_fields, COUNT(financial_fields), "account,year",
};

/* Issue 11: groups of users, and tasks and events. A group's members are the users whose groups
 * name it (users.groups, which tickets read too); the group record gives the name a description
 * and a manager, and lets a task be given to it (@support). */
#define IN_GROUP_SQL "instr(',' || lower(replace(coalesce(u.groups, ''), ' ', '')) || ',', ',' || lower(t.name) || ',') > 0"

static const struct crm_field group_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the group's name, unique (a task's assignee @name)" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what the group does" },
	{ "manager", "manager_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "who leads it" },
	{ "members", "(SELECT group_concat(m.login, ',') FROM (SELECT u.login FROM users u WHERE " IN_GROUP_SQL
	  " ORDER BY u.login) m)", CRM_F_LIST,
	  CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "logins of the users whose groups name it (crm user edit --groups)" },
	STAMPS,
};

static const struct crm_kind group_kind = {
	"group", "groups", "groups", "t.name", "t.name COLLATE NOCASE",
	group_fields, COUNT(group_fields), "name",
};

/* A task or an event: status follows workflow.task; assignee is a user or, written @name, a
 * group; due and end may not come before start. */
static const struct crm_field task_fields[] = {
	ID,
	{ "title", "title", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what is to be done, in one line" },
	{ "type", "type", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "task_type", "task, event, meeting, call, deadline (pick-list; default task)", .def = "task" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.task.statuses", "where it is in workflow.task (moved by transitions)" },
	{ "priority", "priority", CRM_F_TEXT, CRM_FF_LIST, NULL, "priority", "urgent, high, normal, low (pick-list)" },
	{ "start", "start_at", CRM_F_TIME, 0, NULL, NULL, "when it starts (an event's beginning)" },
	{ "end", "end_at", CRM_F_TIME, 0, NULL, NULL, "when it ends (not before start)", .after = "start" },
	{ "due", "due", CRM_F_TIME, CRM_FF_LIST, NULL, NULL, "when it must be done (not before start)", .after = "start" },
	{ "all_day", "all_day", CRM_F_BOOL, 0, NULL, NULL, "yes for a whole-day task or event" },
	{ "assignee", "assignee_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "who does it: a user, or a group written @name", .alt = "group" },
	{ "group", "group_id", CRM_F_REF, CRM_FF_LIST, "group", NULL, "the group it is given to while no one user is" },
	{ "account", "account_id", CRM_F_REF, 0, "account", NULL, "the account it concerns" },
	{ "contacts", "task_contacts", CRM_F_LINKS, 0, "contact", NULL, "the people it concerns (repeat, or a comma list)" },
	{ "project", "project_id", CRM_F_REF, 0, "project", NULL, "the project it belongs to" },
	{ "ticket", "ticket_id", CRM_F_REF, 0, "ticket", NULL, "the ticket it is for" },
	{ "contract", "contract_id", CRM_F_REF, 0, "contract", NULL, "the contract it concerns" },
	{ "activity", "activity_id", CRM_F_REF, 0, "activity", NULL, "the activity it follows up" },
	{ "repeat", "rrule", CRM_F_TEXT, 0, NULL, NULL, "daily, weekly, monthly, yearly, every 2 weeks, or an RRULE (FREQ=WEEKLY;BYDAY=MO): done, it brings the next one", .norm = crm_task_repeat_norm },
	{ "uid", "uid", CRM_F_TEXT, 0, NULL, NULL, "the iCalendar UID of an imported invitation (crm event import)" },
	{ "series", "series_id", CRM_F_INT, 0, NULL, NULL, "the number of the first task of its series (set on the next occurrence)" },
	{ "process", "process_id", CRM_F_INT, 0, NULL, NULL, "the number of the process run it is a step of (crm process start)" },
	{ "step", "process_step", CRM_F_INT, 0, NULL, NULL, "which step of its process run it is (1, 2, ...)" },
	{ "approval", "approval", CRM_F_BOOL, 0, NULL, NULL, "yes: it is done only through approval (submit, then approve), not by done" },
	{ "after", "task_after", CRM_F_LINKS, 0, "task", NULL, "the tasks it waits for: it is waiting until each is done or cancelled (repeat, or a comma list)" },
	{ "open", "(CASE WHEN lower(t.status) IN ('done', 'cancelled') THEN 0 ELSE 1 END)", CRM_F_BOOL, CRM_FF_READONLY, NULL, NULL, "yes until it is done or cancelled" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind task_kind = {
	"task", "tasks", "tasks", "t.title", "t.id",
	task_fields, COUNT(task_fields), "title",
};

/* Issue 11, point 6: a project's plan (core/plan.c) is its tasks, its deliverables (with a status
 * in workflow.deliverable) and its milestones, reached once every task and deliverable they name
 * is finished (a task done or cancelled, a deliverable accepted or cancelled). */
static const struct crm_field deliverable_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "what is to be delivered" },
	{ "project", "project_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "project", NULL, "the project it belongs to" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.deliverable.statuses", "where it is in workflow.deliverable (planned, delivered, accepted, rejected, cancelled)" },
	{ "due", "due", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it is to be delivered" },
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "who delivers it" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind deliverable_kind = {
	"deliverable", "deliverables", "deliverables", "t.name", "t.project_id, t.due, t.id",
	deliverable_fields, COUNT(deliverable_fields), "name",
};

/* A milestone is reached when it is marked (reached_on, a day); else, when it names tasks or
 * deliverables, once every one of them is finished; else, naming none, on its date: today as of
 * the command's clock (crm_today(), CRM_NOW or --now, as crm project plan counts it), not the
 * database's. */
#define MILESTONE_ITEMS_SQL "(EXISTS (SELECT 1 FROM milestone_tasks m WHERE m.record_id = t.id) " \
	"OR EXISTS (SELECT 1 FROM milestone_deliverables m WHERE m.record_id = t.id))"
#define MILESTONE_FINISHED_SQL "(NOT EXISTS (SELECT 1 FROM milestone_tasks m JOIN tasks k ON k.id = m.target_id " \
	"WHERE m.record_id = t.id AND lower(k.status) NOT IN ('done', 'cancelled')) " \
	"AND NOT EXISTS (SELECT 1 FROM milestone_deliverables m JOIN deliverables d ON d.id = m.target_id " \
	"WHERE m.record_id = t.id AND lower(d.status) NOT IN ('accepted', 'cancelled')))"
#define MILESTONE_REACHED_SQL "(CASE WHEN t.reached_on IS NOT NULL THEN 1 WHEN " MILESTONE_ITEMS_SQL " THEN " \
	"(CASE WHEN " MILESTONE_FINISHED_SQL " THEN 1 ELSE 0 END) " \
	"WHEN t.due IS NOT NULL AND t.due <= crm_today() THEN 1 ELSE 0 END)"

static const struct crm_field milestone_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the milestone's name" },
	{ "project", "project_id", CRM_F_REF, CRM_FF_REQUIRED | CRM_FF_LIST, "project", NULL, "the project it belongs to" },
	{ "due", "due", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it is to be reached" },
	{ "tasks", "milestone_tasks", CRM_F_LINKS, 0, "task", NULL, "the tasks that finish it (repeat, or a comma list)" },
	{ "deliverables", "milestone_deliverables", CRM_F_LINKS, 0, "deliverable", NULL, "the deliverables that finish it (repeat, or a comma list)" },
	{ "reached", MILESTONE_REACHED_SQL, CRM_F_BOOL, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "yes once marked (reached_on), or every task it names is done or cancelled and every deliverable accepted or cancelled; naming none, from its date" },
	{ "reached_on", "reached_on", CRM_F_DATE, 0, NULL, NULL, "the day it was marked reached (edit --reached-on today)" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
	STAMPS,
};

static const struct crm_kind milestone_kind = {
	"milestone", "milestones", "milestones", "t.name", "t.project_id, t.due, t.id",
	milestone_fields, COUNT(milestone_fields), "name",
};

/* Issue 14, distribution lists (crm/list.h): static ones keep their members in the link tables
 * of the contact's and the account's `lists` fields; a dynamic one is a saved filter over its
 * member kind, evaluated when used. crm_list_check keeps type, of and filter consistent. */
#define LIST_COUNT_SQL "(CASE WHEN lower(t.type) = 'static' THEN " \
	"(SELECT count(*) FROM list_contacts l WHERE l.target_id = t.id) + " \
	"(SELECT count(*) FROM list_accounts l WHERE l.target_id = t.id) END)"

static const struct crm_field list_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the list's name, unique (case and accents ignored)" },
	{ "type", "type", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "list_type", "static (members added one by one) or dynamic (a saved filter); default static", .def = "static" },
	{ "of", "member_kind", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST, NULL, "list_of", "what its members are: contact, account, or any (a static list of both); default contact", .def = "contact" },
	{ "filter", "filter_terms", CRM_F_TEXT, CRM_FF_LIST, NULL, NULL, "a dynamic list's filter over its members' kind, as crm contact list takes it (\"country:DE stage:customer\")" },
	{ "members", LIST_COUNT_SQL, CRM_F_INT, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "how many members a static list has (a dynamic one's: crm list show)" },
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user who keeps it (default: the current user)", .def = "user" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "what the list is for" },
	STAMPS,
};

static const struct crm_kind list_kind = {
	"list", "lists", "lists", "t.name", "t.name COLLATE NOCASE",
	list_fields, COUNT(list_fields), "name", .check = crm_list_check,
};

/* Issue 12, item 7: marketing campaigns (crm/campaign.h). status follows workflow.campaign;
 * members are contacts and accounts in the link tables of their `campaigns` fields, kept like a
 * static list's (core/members.h); responses are activities naming the campaign, with a result;
 * opportunities and accounts (prospects) name the campaign that brought them. */
#define CAMPAIGN_MEMBERS_SQL "((SELECT count(*) FROM campaign_contacts m WHERE m.target_id = t.id) + " \
	"(SELECT count(*) FROM campaign_accounts m WHERE m.target_id = t.id))"

static const struct crm_field campaign_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the campaign's name, unique (case and accents ignored)" },
	{ "type", "type", CRM_F_TEXT, CRM_FF_LIST, NULL, "campaign_type", "email, event, webinar, mail, ads, ... (pick-list)" },
	{ "status", "status", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_LIST | CRM_FF_WORKFLOW, NULL, "workflow.campaign.statuses", "where it is in workflow.campaign (moved by transitions)" },
	{ "start", "start_date", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it starts" },
	{ "end", "end_date", CRM_F_DATE, CRM_FF_LIST, NULL, NULL, "when it ends (not before start)", .after = "start" },
	{ "budget", "budget", CRM_F_MONEY, CRM_FF_LIST, NULL, NULL, "what it may spend, exact in its currency", .min = "0", .currency = "currency" },
	{ "actual_cost", "actual_cost", CRM_F_MONEY, 0, NULL, NULL, "what it has cost so far, exact in its currency (crm campaign report divides it)", .min = "0", .currency = "currency" },
	CURRENCY_DEF("currency of its budget and cost (default: the configuration's currency)"),
	{ "owner", "owner_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user who runs it (default: the current user)", .def = "user" },
	{ "members", CAMPAIGN_MEMBERS_SQL, CRM_F_INT, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "how many contacts and accounts are members (crm campaign members)" },
	{ "description", "description", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "what it is about" },
	STAMPS,
};

static const struct crm_kind campaign_kind = {
	"campaign", "campaigns", "campaigns", "t.name", "t.name COLLATE NOCASE",
	campaign_fields, COUNT(campaign_fields), "name",
};

static const struct crm_kind account_kind = {
	"account", "accounts", "accounts", "t.name", "t.name COLLATE NOCASE",
	account_fields, COUNT(account_fields), "name",
};
static const struct crm_kind location_kind = {
	"location", "locations", "locations", "t.name", "t.account_id, t.name COLLATE NOCASE",
	location_fields, COUNT(location_fields), "name",
};
static const struct crm_kind contact_kind = {
	"contact", "contacts", "contacts",
	"trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, ''))",
	"t.last_name COLLATE NOCASE, t.first_name COLLATE NOCASE",
	contact_fields, COUNT(contact_fields), "first_name,last_name",
};
static const struct crm_kind user_kind = {
	"user", "users", "users", "t.login", "t.login",
	user_fields, COUNT(user_fields), "login",
};

const struct crm_kind *const crm_kinds[] = {
	&account_kind, &location_kind, &contact_kind, &user_kind, &group_kind,
	&activity_kind, &project_kind, &cost_kind, &contract_kind, &contract_line_kind, &document_kind,
	&ticket_kind, &task_kind, &deliverable_kind, &milestone_kind, &product_kind, &opportunity_kind, &list_kind,
	&transaction_kind, &financial_kind,
	&campaign_kind,
	&offer_kind, &offer_line_kind, &offer_section_kind,
	NULL,
};

/* Issue 8: what crm keeps about its own work, listed like records (the generic list, its
 * filters, --fields, --sort, --limit, every format) but never added, changed or removed
 * through the record engine. They are not in crm_kinds[], so nothing counts them as
 * referring to a record, and no user verb writes them. */
#define RO(name, column, type, help) { name, column, type, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, help }

static const struct crm_field alert_fields[] = {
	ID,
	RO("raised", "raised", CRM_F_TIME, "when it was raised"),
	RO("ticket", "ticket_id", CRM_F_INT, "the number of the late ticket"),
	RO("task", "task_id", CRM_F_INT, "the number of the overdue task"),
	{ "deliverable", "deliverable_id", CRM_F_INT, CRM_FF_READONLY, NULL, NULL, "the number of the late deliverable" },
	{ "milestone", "milestone_id", CRM_F_INT, CRM_FF_READONLY, NULL, NULL, "the number of the milestone not reached" },
	{ "title", "(coalesce((SELECT k.title FROM tickets k WHERE k.id = t.ticket_id), "
	  "(SELECT k.title FROM tasks k WHERE k.id = t.task_id), (SELECT k.name FROM deliverables k WHERE k.id = t.deliverable_id), "
	  "(SELECT k.name FROM milestones k WHERE k.id = t.milestone_id)))", CRM_F_TEXT,
	  CRM_FF_READONLY | CRM_FF_LIST | CRM_FF_SEARCH, NULL, NULL, "the ticket's, task's, deliverable's or milestone's title" },
	RO("target", "target", CRM_F_TEXT, "a ticket's response or resolution, or a due time or date"),
	{ "rule", "rule", CRM_F_TEXT, CRM_FF_READONLY, NULL, NULL, "the project template's alert rule that raised it (template#n); empty for crm's own" },
	RO("due", "due", CRM_F_TIME, "when it was due"),
	RO("to", "recipients", CRM_F_LIST, "the logins it was sent to"),
	RO("acked", "acked", CRM_F_TIME, "when it was acknowledged"),
	RO("acked_by", "acked_by", CRM_F_TEXT, "who acknowledged it"),
};

static const struct crm_field notification_fields[] = {
	ID,
	RO("created", "created", CRM_F_TIME, "when it was queued"),
	RO("ticket", "ticket_id", CRM_F_INT, "the number of the ticket it is about"),
	RO("event", "event", CRM_F_TEXT, "what happened"),
	RO("recipient", "recipient", CRM_F_EMAIL, "the address it goes to"),
	{ "subject", "subject", CRM_F_TEXT, CRM_FF_READONLY | CRM_FF_LIST | CRM_FF_SEARCH, NULL, NULL, "its subject" },
	RO("attempts", "attempts", CRM_F_INT, "delivery attempts so far"),
	RO("next_attempt", "next_attempt", CRM_F_TIME, "when delivery is tried next"),
	RO("delivered", "delivered", CRM_F_TIME, "when it was delivered"),
	RO("last_error", "last_error", CRM_F_TEXT, "why the last attempt failed"),
	{ "body", "body", CRM_F_TEXT, CRM_FF_READONLY, NULL, NULL, "the message" },
};

static const struct crm_field import_batch_fields[] = {
	ID,
	RO("at", "at", CRM_F_TIME, "when it ran"),
	RO("user", "user", CRM_F_TEXT, "who ran it"),
	RO("kind", "kind", CRM_F_TEXT, "the kind of records imported"),
	{ "file", "file", CRM_F_TEXT, CRM_FF_READONLY | CRM_FF_LIST | CRM_FF_SEARCH, NULL, NULL, "the file" },
	RO("mode", "mode", CRM_F_TEXT, "create, update or upsert"),
	RO("key", "key", CRM_F_TEXT, "the fields that found existing records"),
	RO("rows", "rows", CRM_F_INT, "rows read"),
	RO("created", "created", CRM_F_INT, "records created"),
	RO("updated", "updated", CRM_F_INT, "records updated"),
	RO("unchanged", "unchanged", CRM_F_INT, "rows that changed nothing"),
	RO("rejected", "rejected", CRM_F_INT, "rows rejected"),
	RO("refs_created", "refs_created", CRM_F_INT, "referenced records created (--create-missing)"),
	RO("reverted_at", "reverted_at", CRM_F_TIME, "when it was reverted"),
	RO("reverted_by", "reverted_by", CRM_F_TEXT, "who reverted it"),
};

static const struct crm_kind alert_kind = {
	"alert", "alerts", "alerts", "CAST(t.id AS TEXT)", "t.id", alert_fields, COUNT(alert_fields), NULL,
};
static const struct crm_kind notification_kind = {
	"notification", "notifications", "notifications", "t.subject", "t.id", notification_fields,
	COUNT(notification_fields), NULL,
};
static const struct crm_kind import_batch_kind = {
	"import_batch", "import_batches", "import_batches", "t.file", "t.id DESC", import_batch_fields,
	COUNT(import_batch_fields), NULL,
};

/* Issue 11, point 5: the runs of task processes (core/process.c), made by crm process start and
 * moved on by their steps' tasks; a run's status is done once its last step is made and none of
 * its steps is open. */
#define PROCESS_STATUS_SQL "(CASE WHEN t.step >= t.steps AND NOT EXISTS (SELECT 1 FROM tasks s " \
	"WHERE s.process_id = t.id AND lower(s.status) NOT IN ('done', 'cancelled')) THEN 'done' ELSE 'running' END)"
static const struct crm_field process_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_READONLY | CRM_FF_LIST | CRM_FF_SEARCH, NULL, NULL, "the process (processes.<name> in the configuration)" },
	RO("status", PROCESS_STATUS_SQL, CRM_F_TEXT, "running, or done once its last step is made and no step is open"),
	RO("step", "step", CRM_F_INT, "the last step made so far"),
	RO("steps", "steps", CRM_F_INT, "how many steps the process had when it started"),
	RO("account", "account_id", CRM_F_INT, "the number of the account it concerns"),
	RO("contact", "contact_id", CRM_F_INT, "the number of the contact it concerns"),
	RO("project", "project_id", CRM_F_INT, "the number of the project it belongs to"),
	RO("ticket", "ticket_id", CRM_F_INT, "the number of the ticket it is for"),
	RO("activity", "activity_id", CRM_F_INT, "the number of the activity that started it (a form)"),
	RO("started_by", "started_by", CRM_F_TEXT, "who started it"),
	RO("created", "created", CRM_F_TIME, "when it started"),
	RO("updated", "updated", CRM_F_TIME, "when its last step was made"),
};
static const struct crm_kind process_kind = {
	"process", "processes", "process_runs", "t.name || ' ' || CAST(t.id AS TEXT)", "t.id", process_fields,
	COUNT(process_fields), NULL,
};

static const struct crm_kind *const views[] = { &alert_kind, &notification_kind, &import_batch_kind, &process_kind,
						NULL };

const struct crm_kind *crm_kind_find(const char *name)
{
	for (int i = 0; crm_kinds[i]; i++)
		if (strcasecmp(crm_kinds[i]->name, name) == 0 || strcasecmp(crm_kinds[i]->plural, name) == 0)
			return crm_custom_kind(crm_kinds[i]); /* with its configured custom fields */
	for (int i = 0; views[i]; i++)
		if (strcasecmp(views[i]->name, name) == 0 || strcasecmp(views[i]->plural, name) == 0)
			return views[i];
	return NULL;
}

/* Field names compare with '-' and '_' alike and case ignored, so --line-of-business works. */
static int name_eq(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	for (; i < n && a[i] && b[i]; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return i == n && b[i] == '\0';
}

const char *crm_noun(const char *kind_name)
{
	if (!kind_name || !strchr(kind_name, '_'))
		return kind_name;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", kind_name);
	for (char *c = buf; *c; c++)
		if (*c == '_')
			*c = ' ';
	return g_intern_string(buf);
}

const char *crm_kind_noun(const struct crm_kind *k)
{
	return crm_noun(k->name);
}

const struct crm_field *crm_kind_whole_field(const struct crm_kind *k)
{
	for (int i = 0; k && i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_REF && (k->fields[i].flags & CRM_FF_PART) && k->fields[i].ref)
			return &k->fields[i];
	return NULL;
}

const struct crm_field *crm_kind_parent_field(const struct crm_kind *k)
{
	for (int i = 0; k && i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_REF && k->fields[i].ref && strcmp(k->fields[i].ref, k->name) == 0)
			return &k->fields[i];
	return NULL;
}

const struct crm_field *crm_kind_field(const struct crm_kind *k, const char *name, int *as_id)
{
	if (as_id)
		*as_id = 0;
	if (strncasecmp(name, "attr.", 5) == 0) /* an attribute (crm/attr.h) */
		return crm_attr_field(k, name + 5);
	for (int i = 0; i < k->nfields; i++)
		if (name == k->fields[i].name) /* imports pass ours: no comparing, a cell at a time */
			return &k->fields[i];
	size_t len = strlen(name);
	for (int i = 0; i < k->nfields; i++)
		if (name_eq(name, k->fields[i].name, len))
			return &k->fields[i];
	/* A links field by its singular: "contact" for "contacts", "activity" for "activities". */
	for (int i = 0; i < k->nfields; i++) {
		const char *fn = k->fields[i].name;
		size_t fl = strlen(fn);
		if (k->fields[i].type != CRM_F_LINKS)
			continue;
		if (fl == len + 1 && fn[len] == 's' && strncasecmp(name, fn, len) == 0)
			return &k->fields[i];
		if (fl == len + 2 && len > 1 && strcmp(fn + fl - 3, "ies") == 0 && (name[len - 1] == 'y' || name[len - 1] == 'Y') &&
		    strncasecmp(name, fn, len - 1) == 0)
			return &k->fields[i];
	}
	if (len > 3 && name_eq(name + len - 3, "_id", 3)) {
		for (int i = 0; i < k->nfields; i++)
			if (k->fields[i].type == CRM_F_REF && name_eq(name, k->fields[i].name, len - 3)) {
				if (as_id)
					*as_id = 1;
				return &k->fields[i];
			}
	}
	return NULL;
}

const char *crm_ftype_name(enum crm_ftype t)
{
	static const char *const names[] = { "text", "integer", "number", "date", "timestamp",
					     "boolean", "email", "reference", "list", "links",
					     "money", "decimal" };
	return names[t];
}
