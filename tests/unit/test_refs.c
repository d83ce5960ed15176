/* Unit tests of references against the real engine: resolve, then query. A reference (a number,
 * an e-mail, a name in any case and accent) is resolved through indexes, so that no statement the
 * engine runs for it scans the contacts table. The statements are watched with SQLite's own
 * counters (SQLITE_STMTSTATUS_FULLSCAN_STEP: rows stepped in full table scans), and the query
 * plan of any that scanned is printed. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "crm/config.h"
#include "crm/crm.h"
#include "crm/filter.h"
#include "crm/record.h"
#include "db.h" /* struct crm, private to core/: the test watches its connection */
#include "fold.h"
#include "unit.h"

#define NCONTACTS 3000

static struct crm *crm;
static long long scanned;     /* full-scan steps of the statements since the last watch() */
static long long sorted;      /* sorts they did (SQLITE_STMTSTATUS_SORT) */
static char worst[4096];      /* the statement that scanned most */
static long long worst_steps;

static int on_profile(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx;
	(void)x;
	if (type != SQLITE_TRACE_PROFILE)
		return 0;
	sqlite3_stmt *st = p;
	long long n = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1) +
		      sqlite3_stmt_status(st, SQLITE_STMTSTATUS_AUTOINDEX, 1);
	scanned += n;
	sorted += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 1);
	if (n > worst_steps) {
		worst_steps = n;
		snprintf(worst, sizeof worst, "%s", sqlite3_sql(st));
	}
	return 0;
}

static void watch(void)
{
	scanned = 0;
	sorted = 0;
	worst_steps = 0;
	worst[0] = '\0';
}

/* What a scan of contacts would show: far fewer full-scan steps than there are contacts. */
static void no_scan(int line, const char *what)
{
	unit_checks++;
	if (scanned < NCONTACTS / 10)
		return;
	unit_failures++;
	fprintf(stderr, "%s:%d: %s stepped %lld rows in full scans; worst:\n  %s\n", __FILE__, line, what, scanned,
		worst);
	char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", worst);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(crm->db, eqp, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(stderr, "  plan: %s\n", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	sqlite3_free(eqp);
}
#define NO_SCAN(what) no_scan(__LINE__, what)

static long long add(const char *kind, const struct crm_assign *set, int n)
{
	long long id = 0;
	struct crm_err err = { 0 };
	if (crm_record_add(crm, crm_kind_find(kind), set, n, &id, &err) != CRM_OK) {
		fprintf(stderr, "test_refs: adding a %s: %s\n", kind, err.msg);
		exit(2);
	}
	return id;
}

static int resolve(const char *kind, const char *ref, long long *id, struct crm_err *err)
{
	memset(err, 0, sizeof *err);
	*id = 0;
	return crm_record_resolve(crm, crm_kind_find(kind), ref, id, err);
}

/* The ids a query of kind selects with one filter term, "1,2", by number or (sort NULL) in the
 * kind's own order */
static const char *query_sorted(const char *kind, const char *term, const char *sort, char *buf, size_t size)
{
	const char *terms[] = { term }, *fields[] = { "id" };
	struct crm_query q = { .kind = crm_kind_find(kind), .terms = terms, .nterms = 1, .fields = fields, .nfields = 1,
			       .sort = sort };
	struct crm_cursor *c;
	struct crm_err err = { 0 };
	buf[0] = '\0';
	if (crm_query_open(crm, &q, &c, &err) != CRM_OK) {
		snprintf(buf, size, "ERR %.200s", err.msg);
		return buf;
	}
	const struct crm_value *cells;
	size_t len = 0;
	while (crm_cursor_next(c, &cells, &err) == 1 && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", cells[0].text);
	crm_cursor_close(c);
	return buf;
}

static const char *query(const char *kind, const char *term, char *buf, size_t size)
{
	return query_sorted(kind, term, "id", buf, size);
}

static void test_fold(void)
{
	char *f;
#define FOLD(in, want) do { f = crm_fold(in); CHECK_STR(f, want); free(f); } while (0)
	FOLD("Ann Lee", "ann lee");
	FOLD("  Ann \t  Lee ", "ann lee");
	FOLD("Straße", "strasse");
	FOLD("STRASSE", "strasse");
	FOLD("Ștefan Şerban", "stefan serban");
	FOLD("ştefan șerban", "stefan serban");
	FOLD("ÖLWERKE Zürich", "olwerke zurich");
	FOLD("Жуков", "жуков");
	FOLD("ЖУКОВ", "жуков");
	FOLD("Ελένη", "ελενη");
	FOLD("日本語", "日本語");
	FOLD("한국", "한국");
	FOLD("\xff\xfe" "AB", "\xff\xfe" "ab"); /* not UTF-8: bytes, ASCII lowered */
	FOLD("", "");
	CHECK(crm_fold(NULL) == NULL);
#undef FOLD
}

static void test_refs(void)
{
	char dir[] = "/tmp/crm-refs-XXXXXX", path[128], yaml[256];
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/config.yaml", dir);
	snprintf(yaml, sizeof yaml, "database: %s/crm.db\nuser: tester\n", dir);
	FILE *fp = fopen(path, "w");
	fputs(yaml, fp);
	fclose(fp);
	struct crm_config *cfg;
	struct crm_err err = { 0 };
	if (crm_config_load(&cfg, path, NULL, &err) != CRM_OK || crm_open(&crm, cfg, NULL, 0, &err) != CRM_OK) {
		fprintf(stderr, "test_refs: %s\n", err.msg);
		exit(2);
	}
	crm_tx_begin(crm, &err);
	struct crm_assign acc[] = { { "name", "Zürich Ölwerke AG" } };
	add("account", acc, 1);
	char first[32], last[32], email[64];
	for (int i = 1; i <= NCONTACTS; i++) {
		snprintf(first, sizeof first, "Ann%d", i);
		snprintf(last, sizeof last, "Lee%d", i);
		snprintf(email, sizeof email, "ann%d@example.com", i);
		struct crm_assign c[] = { { "first_name", first }, { "last_name", last }, { "email", email } };
		add("contact", c, 3);
	}
	struct crm_assign s1[] = { { "first_name", "Ștefan" }, { "last_name", "Müller" }, { "email", "stefan@x.ro" },
				   { "account", "zurich olwerke ag" } };
	long long stefan = add("contact", s1, 4);
	struct crm_assign s2[] = { { "first_name", "Ana" }, { "last_name", "Straße" } };
	long long ana = add("contact", s2, 2);
	struct crm_assign s3[] = { { "first_name", "Иван" }, { "last_name", "Жуков" } };
	long long ivan = add("contact", s3, 2);
	struct crm_assign s4[] = { { "first_name", "Иван" }, { "last_name", "Жуков" }, { "email", "ivan2@x.ru" } };
	long long ivan2 = add("contact", s4, 3);
	struct crm_assign a1[] = { { "summary", "call" }, { "type", "call" }, { "contacts", "stefan@x.ro" } };
	long long call = add("activity", a1, 3);
	struct crm_assign a2[] = { { "summary", "visit" }, { "type", "meeting" }, { "contacts", "5" } };
	long long visit = add("activity", a2, 3);
	CHECK_INT(crm_tx_commit(crm, &err), CRM_OK);
	sqlite3_trace_v2(crm->db, SQLITE_TRACE_PROFILE, on_profile, NULL);

	/* The detector works: a word with '*' matches inside every contact's text (a bare word goes
	 * through the search index), a scan by design. */
	char buf[1100], want[64];
	watch();
	query("contact", "*müller*", buf, sizeof buf);
	snprintf(want, sizeof want, "%lld", stefan);
	CHECK_STR(buf, want);
	CHECK(scanned >= NCONTACTS);

	long long id;
	/* by number, e-mail (any case), full name (any case and accent) */
	watch();
	CHECK_INT(resolve("contact", "42", &id, &err), CRM_OK);
	CHECK_INT(id, 42);
	CHECK_INT(resolve("contact", "ANN2999@Example.COM", &id, &err), CRM_OK);
	CHECK_INT(id, 2999);
	CHECK_INT(resolve("contact", "ann1500 LEE1500", &id, &err), CRM_OK);
	CHECK_INT(id, 1500);
	CHECK_INT(resolve("contact", "stefan muller", &id, &err), CRM_OK);
	CHECK_INT(id, stefan);
	CHECK_INT(resolve("contact", "ȘTEFAN MÜLLER", &id, &err), CRM_OK);
	CHECK_INT(id, stefan);
	CHECK_INT(resolve("contact", "ana strasse", &id, &err), CRM_OK);
	CHECK_INT(id, ana);
	CHECK_INT(resolve("contact", "ANA STRASSE", &id, &err), CRM_OK);
	CHECK_INT(id, ana);
	CHECK_INT(resolve("contact", "nobody here", &id, &err), CRM_ENOTFOUND);
	CHECK_STR(err.msg, "contact 'nobody here' not found");
	/* ambiguous: an error naming the candidates */
	CHECK_INT(resolve("contact", "иван жуков", &id, &err), CRM_ECONFLICT);
	snprintf(want, sizeof want, "%lld (Иван Жуков), %lld (Иван Жуков)", ivan, ivan2);
	CHECK(strstr(err.msg, want) != NULL);
	CHECK_INT(resolve("account", "ZURICH ÖLWERKE ag", &id, &err), CRM_OK);
	CHECK_INT(id, 1);
	NO_SCAN("resolving contacts by number, e-mail and name");

	/* filters: contacts:5 is record 5; a name or e-mail resolves first, then the query binds numbers */
	watch();
	snprintf(want, sizeof want, "%lld", visit);
	CHECK_STR(query("activity", "contacts:5", buf, sizeof buf), want);
	snprintf(want, sizeof want, "%lld", call);
	CHECK_STR(query("activity", "contact:STEFAN@x.ro", buf, sizeof buf), want);
	CHECK_STR(query("activity", "contact:Ștefan Müller", buf, sizeof buf), want);
	CHECK_STR(query("activity", "contact:stefan muller", buf, sizeof buf), want);
	snprintf(want, sizeof want, "%lld", stefan);
	CHECK_STR(query("contact", "account:zürich ölwerke ag", buf, sizeof buf), want);
	CHECK_STR(query("contact", "id:5", buf, sizeof buf), "5");
	CHECK_STR(query("contact", "email:ANN7@example.com", buf, sizeof buf), "7");
	NO_SCAN("filters naming contacts");

	/* An account's contacts in their own order (last name, first name: account show, contact
	 * list account:X) are read in order from the index on (account, names): nothing sorted. */
	struct crm_assign big[] = { { "name", "Big" } };
	long long big_id = add("account", big, 1);
	const char *const people[][2] = { { "Zoe", "Ångström" }, { "Bea", "adams" }, { "Al", "Adams" }, { "Cy", "Baker" } };
	long long who[4];
	for (int i = 0; i < 4; i++) {
		char acc[32];
		snprintf(acc, sizeof acc, "%lld", big_id);
		struct crm_assign c[] = { { "first_name", people[i][0] }, { "last_name", people[i][1] }, { "account", acc } };
		who[i] = add("contact", c, 3);
	}
	char term[48];
	snprintf(term, sizeof term, "account:%lld", big_id);
	watch();
	query_sorted("contact", term, NULL, buf, sizeof buf);
	/* Adams and adams by first name, then Baker; SQLite's NOCASE folds ASCII alone: Å last */
	snprintf(want, sizeof want, "%lld,%lld,%lld,%lld", who[2], who[1], who[3], who[0]);
	CHECK_STR(buf, want);
	CHECK_INT(sorted, 0);
	NO_SCAN("an account's contacts in their order");
	watch(); /* the detector works: by e-mail they are sorted */
	query_sorted("contact", term, "email", buf, sizeof buf);
	CHECK(sorted > 0);

	/* an edit keeps the folded keys: the new name is found, the old one is not */
	struct crm_assign e[] = { { "last_name", "Șerban" } };
	CHECK_INT(crm_record_edit(crm, crm_kind_find("contact"), 7, e, 1, NULL, &err), CRM_OK);
	watch();
	CHECK_INT(resolve("contact", "ann7 serban", &id, &err), CRM_OK);
	CHECK_INT(id, 7);
	CHECK_INT(resolve("contact", "ann7 lee7", &id, &err), CRM_ENOTFOUND);
	NO_SCAN("resolving an edited contact");

	sqlite3_trace_v2(crm->db, 0, NULL, NULL);
	crm_close(crm);
	crm_config_free(cfg);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_refs: could not remove %s\n", dir);
}

int main(void)
{
	test_fold();
	test_refs();
	return UNIT_DONE();
}
