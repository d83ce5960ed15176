/* The kinds of record crm keeps, each described once. */
#include <string.h>
#include <strings.h>
#include "crm/kind.h"

#define STAMPS \
	{ "created", "created", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when it was added" }, \
	{ "updated", "updated", CRM_F_TIME, CRM_FF_READONLY, NULL, NULL, "when it last changed" }
#define ID { "id", "id", CRM_F_INT, CRM_FF_READONLY | CRM_FF_LIST, NULL, NULL, "its number" }
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct crm_field account_fields[] = {
	ID,
	{ "name", "name", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "the company's name, unique" },
	{ "parent", "parent_id", CRM_F_REF, CRM_FF_LIST, "account", NULL, "the parent account of a subsidiary" },
	{ "industry", "industry", CRM_F_TEXT, CRM_FF_LIST, NULL, "industry", "industry (pick-list)" },
	{ "country", "country", CRM_F_TEXT, CRM_FF_LIST, NULL, NULL, "country" },
	{ "line_of_business", "line_of_business", CRM_F_TEXT, 0, NULL, "line_of_business", "line of business" },
	{ "lifecycle_stage", "lifecycle_stage", CRM_F_TEXT, CRM_FF_LIST, NULL, "lifecycle_stage", "lead, prospect, customer, former" },
	{ "relationship_stage", "relationship_stage", CRM_F_TEXT, 0, NULL, "relationship_stage", "growing, mature, declining, closed" },
	{ "credit_rating", "credit_rating", CRM_F_TEXT, 0, NULL, "credit_rating", "credit rating (pick-list)" },
	{ "credit_limit", "credit_limit", CRM_F_REAL, 0, NULL, NULL, "credit limit" },
	{ "website", "website", CRM_F_TEXT, 0, NULL, NULL, "web site" },
	{ "phone", "phone", CRM_F_TEXT, 0, NULL, NULL, "main phone number" },
	{ "notes", "notes", CRM_F_TEXT, CRM_FF_SEARCH, NULL, NULL, "free text" },
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
	STAMPS,
};

static const struct crm_field user_fields[] = {
	ID,
	{ "login", "login", CRM_F_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "login name, unique" },
	{ "name", "name", CRM_F_TEXT, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "full name" },
	{ "email", "email", CRM_F_EMAIL, CRM_FF_SEARCH | CRM_FF_LIST, NULL, NULL, "e-mail address" },
	{ "manager", "manager_id", CRM_F_REF, CRM_FF_LIST, "user", NULL, "the user's manager" },
	{ "groups", "groups", CRM_F_LIST, CRM_FF_LIST, NULL, NULL, "groups, comma-separated" },
	{ "roles", "roles", CRM_F_LIST, CRM_FF_LIST, NULL, "roles", "roles, comma-separated (from the configuration)" },
	STAMPS,
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
	&account_kind, &location_kind, &contact_kind, &user_kind, NULL,
};

const struct crm_kind *crm_kind_find(const char *name)
{
	for (int i = 0; crm_kinds[i]; i++)
		if (strcasecmp(crm_kinds[i]->name, name) == 0 || strcasecmp(crm_kinds[i]->plural, name) == 0)
			return crm_kinds[i];
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

const struct crm_field *crm_kind_field(const struct crm_kind *k, const char *name, int *as_id)
{
	size_t len = strlen(name);
	if (as_id)
		*as_id = 0;
	for (int i = 0; i < k->nfields; i++)
		if (name_eq(name, k->fields[i].name, len))
			return &k->fields[i];
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
					     "boolean", "email", "reference", "list" };
	return names[t];
}
