/* Unit tests of the relationship manager's core logic: status flows, links in filters, the SQL
 * of computed and link fields. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crm/filter.h"
#include "db.h"
#include "crm/flow.h"
#include "links.h"
#include "unit.h"

static struct crm_config *config(const char *yaml)
{
	char path[] = "/tmp/crm-unit-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml))
		abort();
	close(fd);
	struct crm_config *cfg;
	struct crm_err err = { 0 };
	if (crm_config_load(&cfg, path, &err) != CRM_OK) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	unlink(path);
	return cfg;
}

static void test_flow(void)
{
	struct crm_config *cfg = config("flows:\n"
					"  contract:\n"
					"    field: status\n"
					"    start: draft\n"
					"    steps: {draft: [review], review: [draft, signed], signed: [], odd: active}\n"
					"  project: {field: status, start: lead}\n");
	struct crm crm = { .cfg = cfg, .user = "tester" };
	struct crm_err err = { 0 };
	CHECK_STR(crm_flow_field(cfg, "contract"), "status");
	CHECK_STR(crm_flow_start(cfg, "contract"), "draft");
	CHECK_STR(crm_flow_start(cfg, "project"), "lead");
	CHECK(crm_flow_field(cfg, "account") == NULL);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "draft", "review", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "Draft", "REVIEW", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "draft", "signed", &err), CRM_ECONFLICT);
	CHECK_STR(err.msg, "contract 'MSA' cannot go from draft to signed (from draft: review)");
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "signed", "draft", &err), CRM_ECONFLICT);
	CHECK(strstr(err.msg, "(from signed: nowhere)") != NULL);
	/* Staying put, a value the steps do not know, a scalar step, a kind without steps. */
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "signed", "signed", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "legacy", "draft", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "odd", "active", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", "odd", "draft", &err), CRM_ECONFLICT);
	CHECK_INT(crm_flow_check(&crm, "project", "Apollo", "lead", "won", &err), CRM_OK);
	CHECK_INT(crm_flow_check(&crm, "account", "Acme", "a", "b", &err), CRM_OK);
	/* A new record may start anywhere its permissions allow ("signed" needs one, from the
	 * built-in defaults this file merges with, and is checked by the bats tests). */
	CHECK_INT(crm_flow_check(&crm, "contract", "MSA", NULL, "review", &err), CRM_OK);
	crm_config_free(cfg);
}

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
	crm_links_label_sql(&b, crm_kind_field(p, "contacts", NULL));
	CHECK(strstr(b.s, "FROM contacts t WHERE t.id = l.target_id") != NULL);
	sb_free(&b);
}

int main(void)
{
	test_flow();
	test_links_filter();
	test_field_sql();
	return UNIT_DONE();
}
