/* Unit tests of the relationship manager's core logic: links in filters, the SQL
 * of computed and link fields. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crm/filter.h"
#include "db.h"
#include "links.h"
#include "unit.h"

static void test_links_filter(void)
{
	const struct crm_kind *k = crm_kind_find("activity");
	struct crm_filter f;
	struct crm_err err = { 0 };
	const char *hostile[] = { "contact:x') OR 1=1; DROP TABLE contacts; --" };
	CHECK_INT(crm_filter_compile(k, hostile, 1, 0, &f, &err), CRM_OK);
	CHECK(strstr(f.sql, "activity_contacts") != NULL);
	CHECK(strstr(f.sql, "DROP") == NULL);
	CHECK(f.nbinds >= 1);
	int found = 0; /* folded (core/fold.c): lower case */
	for (int i = 0; i < f.nbinds; i++)
		found |= strcmp(f.binds[i], "x') or 1=1; drop table contacts; --") == 0;
	CHECK(found);
	crm_filter_free(&f);

	const char *none[] = { "contacts:" };
	CHECK_INT(crm_filter_compile(k, none, 1, 0, &f, &err), CRM_OK);
	CHECK(strstr(f.sql, "NOT EXISTS") != NULL);
	CHECK_INT(f.nbinds, 0);
	crm_filter_free(&f);

	const char *bad[] = { "project.over:3" };
	CHECK_INT(crm_filter_compile(k, bad, 1, 0, &f, &err), CRM_EUSAGE);
	CHECK(strstr(err.msg, "links records") != NULL);

	/* A links field answers to its singular, and only a links field does. */
	CHECK(crm_kind_field(k, "contact", NULL) == crm_kind_field(k, "contacts", NULL));
	CHECK(crm_kind_field(k, "project", NULL) != NULL);
	CHECK(crm_kind_field(crm_kind_find("contract"), "resource", NULL) != NULL);
	CHECK(crm_kind_field(crm_kind_find("account"), "nam", NULL) == NULL);
}

static void test_field_sql(void)
{
	const struct crm_kind *p = crm_kind_find("project");
	struct strbuf b = { 0 };
	crm_field_sql(&b, crm_kind_field(p, "name", NULL));
	CHECK_STR(b.s, "t.name");
	sb_free(&b);
	crm_field_sql(&b, crm_kind_field(p, "margin", NULL));
	CHECK(b.s[0] == '(' && strstr(b.s, "project_costs") != NULL);
	sb_free(&b);
	crm_field_sql(&b, crm_kind_field(p, "team", NULL));
	CHECK(strstr(b.s, "FROM project_team l WHERE l.record_id = t.id") != NULL);
	sb_free(&b);
	crm_links_label_sql(&b, crm_kind_field(p, "contacts", NULL), 1);
	CHECK(strstr(b.s, "group_concat(label, '\037')") != NULL); /* the list separator, a literal */
	CHECK(strstr(b.s, "FROM contacts t WHERE t.id = l.target_id") != NULL);
	sb_free(&b);
}

int main(void)
{
	test_links_filter();
	test_field_sql();
	return UNIT_DONE();
}
