/* Unit tests of core/filter.c: the exact SQL and binds of every term form, that user text never
 * reaches the SQL text (only the binds), and that the SQL runs on the real schema and matches
 * hostile values only literally. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <sqlite3.h>
#include "crm/filter.h"
#include "fold.h"
#include "store.h"
#include "unit.h"

/* The schema migrations compiled into the binary (core/sql/NNN_*.sql), NULL-terminated. */
extern const char *const crm_migrations[];

/* 2026-01-01T00:00:00Z, a Thursday: "today" is 2026-01-01 under TZ=UTC. */
#define NOW ((time_t)1767225600)

static const struct crm_kind *account, *contact, *user, *location;

/* ---- compiling ---- */

struct result {
	int rc;
	struct crm_filter f;
	struct crm_err err;
};

static struct result compile_n(const struct crm_kind *k, const char *const *terms, int n)
{
	struct result r;
	memset(&r, 0, sizeof r);
	r.rc = crm_filter_compile(k, terms, n, NOW, &r.f, &r.err);
	return r;
}

static struct result compile1(const struct crm_kind *k, const char *term)
{
	return compile_n(k, &term, 1);
}

/* term compiles to exactly want_sql with the nbinds binds that follow. */
static void expect_sql(int line, const struct crm_kind *k, const char *term, const char *want_sql,
		       int nbinds, ...)
{
	struct result r = compile1(k, term);
	unit_checks++;
	if (r.rc != CRM_OK) {
		unit_failures++;
		fprintf(stderr, "%s:%d: '%s' failed: %d %s\n", __FILE__, line, term, r.rc, r.err.msg);
		return;
	}
	if (strcmp(r.f.sql, want_sql) != 0) {
		unit_failures++;
		fprintf(stderr, "%s:%d: '%s'\n  got  %s\n  want %s\n", __FILE__, line, term, r.f.sql, want_sql);
	}
	unit_checks++;
	if (r.f.nbinds != nbinds) {
		unit_failures++;
		fprintf(stderr, "%s:%d: '%s': %d binds, want %d\n", __FILE__, line, term, r.f.nbinds, nbinds);
	}
	va_list ap;
	va_start(ap, nbinds);
	for (int i = 0; i < nbinds && i < r.f.nbinds; i++) {
		const char *want = va_arg(ap, const char *);
		unit_checks++;
		if (strcmp(r.f.binds[i], want) != 0) {
			unit_failures++;
			fprintf(stderr, "%s:%d: '%s' bind %d: got '%s', want '%s'\n", __FILE__, line, term,
				i + 1, r.f.binds[i], want);
		}
	}
	va_end(ap);
	crm_filter_free(&r.f);
}
#define EXPECT_SQL(k, term, sql, ...) expect_sql(__LINE__, k, term, sql, __VA_ARGS__)

/* term fails with code, its message containing want_msg. */
static void expect_error(int line, const struct crm_kind *k, const char *term, int code, const char *want_msg)
{
	struct result r = compile1(k, term);
	unit_checks++;
	if (r.rc != code || !strstr(r.err.msg, want_msg) || r.f.sql || r.f.binds || r.f.nbinds) {
		unit_failures++;
		fprintf(stderr, "%s:%d: '%s': got %d '%s', want %d '...%s...'\n", __FILE__, line, term, r.rc,
			r.err.msg, code, want_msg);
	}
	crm_filter_free(&r.f);
}
#define EXPECT_ERROR(k, term, code, msg) expect_error(__LINE__, k, term, code, msg)

/* ---- the term forms ---- */

static void test_forms(void)
{
	const char *none = NULL;
	struct result r = compile_n(account, &none, 0);
	CHECK_INT(r.rc, CRM_OK);
	CHECK_STR(r.f.sql, "1 = 1");
	CHECK_INT(r.f.nbinds, 0);
	crm_filter_free(&r.f);

	/* eq, not, has, wildcard, empty value, negation */
	/* text compares folded (fold.h), a key through its folded column */
	EXPECT_SQL(account, "name:Acme", "(t.name_fold = ?)", 1, "acme");
	EXPECT_SQL(account, "NAME:Acme", "(t.name_fold = ?)", 1, "acme");
	EXPECT_SQL(account, "name:ZÜRICH Ölwerke", "(t.name_fold = ?)", 1, "zurich olwerke");
	EXPECT_SQL(account, "name.not:Acme", "(t.name IS NULL OR t.name_fold <> ?)", 1, "acme");
	EXPECT_SQL(account, "name.NOT:Acme", "(t.name IS NULL OR t.name_fold <> ?)", 1, "acme");
	EXPECT_SQL(account, "name.has:cm", "(t.name_fold LIKE ? ESCAPE '\\')", 1, "%cm%");
	/* a start to match compares the column itself, so that its index serves */
	EXPECT_SQL(account, "name:Ac*", "(t.name_fold GLOB ?)", 1, "ac*");
	EXPECT_SQL(contact, "email:Ann*", "(t.email LIKE ? ESCAPE '\\')", 1, "Ann%");
	EXPECT_SQL(account, "name:*cme", "(coalesce(t.name_fold, '') GLOB ?)", 1, "*cme");
	EXPECT_SQL(account, "name.not:Ac*", "(NOT coalesce(t.name_fold, '') GLOB ?)", 1, "ac*");
	EXPECT_SQL(account, "country:", "(t.country IS NULL OR t.country = '')", 0);
	EXPECT_SQL(account, "country.not:", "(t.country IS NOT NULL AND t.country <> '')", 0);
	EXPECT_SQL(account, "-name:Acme", "NOT coalesce((t.name_fold = ?), FALSE)", 1, "acme");
	EXPECT_SQL(account, "-name.has:cm", "NOT coalesce((t.name_fold LIKE ? ESCAPE '\\'), FALSE)", 1, "%cm%");
	/* field names take dashes for underscores and any case; a pick-list compares NOCASE, as the
	 * index of its column does (tickets_status) */
	EXPECT_SQL(account, "line-of-business:x", "(t.line_of_business = ? COLLATE NOCASE)", 1, "x");
	/* an e-mail address compares as its unique index does: ASCII case ignored, accents not */
	EXPECT_SQL(contact, "email:Ann@Example.com", "(t.email = ?)", 1, "Ann@Example.com");
	EXPECT_SQL(contact, "last_name:STRAẞE", "(crm_fold(t.last_name) = ?)", 1, "strasse");
	/* a value may hold colons: only the first one splits */
	EXPECT_SQL(account, "website:http://x", "(crm_fold(t.website) = ?)", 1, "http://x");

	/* numbers; money compares exactly, as integers at the common scale of 4 decimals (crm/money.h):
	 * the row's minor units times the factor of its currency's digits */
#define FACTOR "(CASE WHEN upper(t.currency) IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', " \
	"'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') THEN 10000 WHEN upper(t.currency) IN " \
	"('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 10 WHEN upper(t.currency) IN ('CLF', 'UYW') " \
	"THEN 1 ELSE 100 END)"
	EXPECT_SQL(account, "credit_limit:5", "((t.credit_limit) * " FACTOR " = CAST(? AS BIGINT))", 1, "50000");
	EXPECT_SQL(account, "credit_limit.over:10000", "((t.credit_limit) * " FACTOR " > CAST(? AS BIGINT))", 1, "100000000");
	EXPECT_SQL(account, "credit_limit.under:2.5", "((t.credit_limit) * " FACTOR " < CAST(? AS BIGINT))", 1, "25000");
	EXPECT_SQL(account, "credit_limit.over:-1000", "((t.credit_limit) * " FACTOR " > CAST(? AS BIGINT))", 1, "-10000000");
	EXPECT_SQL(account, "credit_limit:0.0001", "((t.credit_limit) * " FACTOR " = CAST(? AS BIGINT))", 1, "1");
	EXPECT_SQL(account, "id:7", "(t.id = CAST(? AS BIGINT))", 1, "7");

	/* dates: timestamps compare by their local day, or by time when one is given */
	EXPECT_SQL(account, "created.before:2026-03-01", "(date(t.created, 'localtime') < ?)", 1, "2026-03-01");
	EXPECT_SQL(account, "created.after:today", "(date(t.created, 'localtime') > ?)", 1, "2026-01-01");
	EXPECT_SQL(account, "updated.before:tomorrow", "(date(t.updated, 'localtime') < ?)", 1, "2026-01-02");
	EXPECT_SQL(account, "created.after:2026-01-01T10:30", "(t.created > ?)", 1, "2026-01-01T10:30:00Z");
	EXPECT_SQL(account, "created:yesterday", "(date(t.created, 'localtime') = ?)", 1, "2025-12-31");

	/* LIST fields match one whole item, spaces ignored */
	EXPECT_SQL(user, "roles:admin",
		   "((',' || replace(coalesce(t.roles, ''), ' ', '') || ',') LIKE ? ESCAPE '\\')", 1, "%,admin,%");
	EXPECT_SQL(user, "roles.not:admin",
		   "(NOT (',' || replace(coalesce(t.roles, ''), ' ', '') || ',') LIKE ? ESCAPE '\\')", 1,
		   "%,admin,%");
	EXPECT_SQL(user, "roles:adm*",
		   "((',' || replace(coalesce(t.roles, ''), ' ', '') || ',') LIKE ? ESCAPE '\\')", 1, "%,adm%,%");
	EXPECT_SQL(user, "roles:a_b",
		   "((',' || replace(coalesce(t.roles, ''), ' ', '') || ',') LIKE ? ESCAPE '\\')", 1, "%,a\\_b,%");
	EXPECT_SQL(user, "roles.has:adm", "(crm_fold(t.roles) LIKE ? ESCAPE '\\')", 1, "%adm%");

	/* REF fields: by name (natural key or label, folded), by number (only: parent:12 is record
	 * 12), unset, contains. Without a resolver (crm_query_open has one) a name is a sub-select. */
	EXPECT_SQL(account, "parent:Acme",
		   "(t.parent_id IN (SELECT t.id FROM accounts t WHERE t.name_fold = ?))", 1, "acme");
	EXPECT_SQL(account, "parent:12", "(t.parent_id IN (?))", 1, "12");
	EXPECT_SQL(account, "parent:Ac*",
		   "(t.parent_id IN (SELECT t.id FROM accounts t WHERE t.name_fold GLOB ?))", 1, "ac*");
	EXPECT_SQL(account, "parent:", "(t.parent_id IS NULL)", 0);
	EXPECT_SQL(account, "parent.not:", "(NOT coalesce((t.parent_id IS NULL), FALSE))", 0);
	EXPECT_SQL(account, "parent.not:Acme",
		   "(NOT coalesce((t.parent_id IN (SELECT t.id FROM accounts t WHERE t.name_fold = ?)), FALSE))", 1,
		   "acme");
	EXPECT_SQL(account, "parent.has:cm",
		   "(t.parent_id IN (SELECT t.id FROM accounts t WHERE t.name_fold LIKE ? ESCAPE '\\'))", 1, "%cm%");
	EXPECT_SQL(contact, "account:Acme",
		   "(t.account_id IN (SELECT t.id FROM accounts t WHERE t.name_fold = ?))", 1, "acme");
	EXPECT_SQL(user, "manager:alice",
		   "(t.manager_id IN (SELECT t.id FROM users t WHERE crm_fold(t.login) = ?))", 1, "alice");
	EXPECT_SQL(location, "account:3", "(t.account_id IN (?))", 1, "3");
	/* <ref>_id: the number itself */
	EXPECT_SQL(account, "parent_id:3", "(t.parent_id = CAST(? AS BIGINT))", 1, "3");
	EXPECT_SQL(contact, "account_id:3", "(t.account_id = CAST(? AS BIGINT))", 1, "3");
	EXPECT_SQL(contact, "location_id.over:3", "(t.location_id > CAST(? AS BIGINT))", 1, "3");

	/* bare words search the kind's text fields */
	EXPECT_SQL(account, "acme", "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%acme%",
		   "%acme%");
	EXPECT_SQL(contact, "ann",
		   "(crm_fold(t.first_name) LIKE ? ESCAPE '\\' OR crm_fold(t.last_name) LIKE ? ESCAPE '\\' OR "
		   "crm_fold(t.title) LIKE ? ESCAPE '\\' OR crm_fold(t.email) LIKE ? ESCAPE '\\' OR "
		   "crm_fold(t.notes) LIKE ? ESCAPE '\\')", 5, "%ann%", "%ann%", "%ann%",
		   "%ann%", "%ann%");
	/* a colon that starts the word, or a word with a space, is text, not a term */
	EXPECT_SQL(account, ":x", "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%:x%", "%:x%");
	EXPECT_SQL(account, "re: a", "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%re: a%",
		   "%re: a%");
	EXPECT_SQL(account, "-acme", "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%-acme%",
		   "%-acme%");

	/* terms are ANDed, binds in order */
	const char *two[] = { "name:a", "country.not:DE", "credit_limit.over:5" };
	r = compile_n(account, two, 3);
	CHECK_INT(r.rc, CRM_OK);
	CHECK_STR(r.f.sql, "(t.name_fold = ?) AND (t.country IS NULL OR crm_fold(t.country) <> ?) "
		  "AND ((t.credit_limit) * " FACTOR " > CAST(? AS BIGINT))");
	CHECK_INT(r.f.nbinds, 3);
	if (r.f.nbinds == 3) {
		CHECK_STR(r.f.binds[0], "a");
		CHECK_STR(r.f.binds[1], "de");
		CHECK_STR(r.f.binds[2], "50000");
	}
	crm_filter_free(&r.f);
}

static void test_errors(void)
{
	EXPECT_ERROR(account, "bogus:x", CRM_EUSAGE, "unknown field 'bogus' for account");
	EXPECT_ERROR(account, "-bogus:x", CRM_EUSAGE, "unknown field 'bogus'");
	EXPECT_ERROR(account, "name.bogus:x", CRM_EUSAGE, "unknown comparison in filter 'name.bogus:x'");
	EXPECT_ERROR(account, "credit_limit.over:abc", CRM_EINVALID, "'abc' is not a number");
	EXPECT_ERROR(account, "credit_limit.over:", CRM_EINVALID, "is not a number");
	EXPECT_ERROR(account, "credit_limit: 5", CRM_EINVALID, "is not a number");
	EXPECT_ERROR(account, "credit_limit.over:nan", CRM_EINVALID, "'nan' is not a number");
	EXPECT_ERROR(account, "credit_limit.under:inf", CRM_EINVALID, "'inf' is not a number");
	EXPECT_ERROR(account, "credit_limit:0x10", CRM_EINVALID, "'0x10' is not a number");
	EXPECT_ERROR(account, "credit_limit.over:-1e3", CRM_EINVALID, "'-1e3' is not a number");
	EXPECT_ERROR(account, "credit_limit:0.00001", CRM_EINVALID, "(too many decimals)");
	EXPECT_ERROR(account, "credit_limit:1,000", CRM_EINVALID, "'1,000' is not a number");
	EXPECT_ERROR(account, "name.over:5", CRM_EUSAGE, "field 'name' is not a number");
	EXPECT_ERROR(account, "name.before:today", CRM_EUSAGE, "field 'name' is not a date");
	EXPECT_ERROR(account, "created.before:nope", CRM_EINVALID, "invalid date 'nope'");
	EXPECT_ERROR(account, "created:nope", CRM_EINVALID, "invalid date 'nope'");
	EXPECT_ERROR(account, "http://example.com", CRM_EUSAGE, "unknown field 'http'");
	/* the first failing term stops the compile, the others leave nothing behind */
	const char *terms[] = { "name:a", "bogus:x", "name:b" };
	struct result r = compile_n(account, terms, 3);
	CHECK_INT(r.rc, CRM_EUSAGE);
	CHECK(r.f.sql == NULL && r.f.binds == NULL && r.f.nbinds == 0);
}

static void test_is_term(void)
{
	CHECK(crm_filter_is_term(account, "name:x"));
	CHECK(crm_filter_is_term(account, "name:"));
	CHECK(crm_filter_is_term(account, "-name:x"));
	CHECK(crm_filter_is_term(account, "name.has:x"));
	CHECK(crm_filter_is_term(account, "Name.Not:x"));
	CHECK(crm_filter_is_term(account, "line-of-business:x"));
	CHECK(crm_filter_is_term(account, "parent_id:3"));
	CHECK(crm_filter_is_term(account, "created.before:today"));
	CHECK(crm_filter_is_term(user, "roles:admin"));
	CHECK(!crm_filter_is_term(account, "name.bogus:x"));
	CHECK(!crm_filter_is_term(account, "bogus:x"));
	CHECK(!crm_filter_is_term(account, "login:x")); /* a user field, not an account one */
	CHECK(!crm_filter_is_term(account, "Acme"));
	CHECK(!crm_filter_is_term(account, "name"));
	CHECK(!crm_filter_is_term(account, ":x"));
	CHECK(!crm_filter_is_term(account, ".not:x"));
	CHECK(!crm_filter_is_term(account, ""));
	CHECK(!crm_filter_is_term(account, "42"));
	CHECK(!crm_filter_is_term(contact, "industry:it"));
}

/* ---- hostile input ---- */

static char *repeat(const char *unit, int times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * (size_t)times + 1);
	for (int i = 0; i < times; i++)
		memcpy(s + n * (size_t)i, unit, n);
	s[n * (size_t)times] = '\0';
	return s;
}

/* With a hostile value the SQL text is exactly the one a plain value gives: the value can only
 * be in the binds. */
static void check_hostile(const struct crm_kind *k, const char *form, const char *value)
{
	/* the plain value has the hostile one's shape: a start to match (one '*' at the end) is
	 * compiled apart from other patterns */
	const char *star = strchr(value, '*');
	int prefix = star && star > value && star[1] == '\0';
	size_t n = strlen(form) + strlen(value) + 1;
	char *term = malloc(n), *plain = malloc(strlen(form) + 4);
	snprintf(term, n, "%s%s", form, value);
	snprintf(plain, strlen(form) + 4, "%s%s", form, prefix ? "x*" : star ? "*x" : "x");
	struct result h = compile1(k, term), p = compile1(k, plain);
	unit_checks++;
	if (h.rc != CRM_OK || p.rc != CRM_OK || strcmp(h.f.sql, p.f.sql) != 0 || h.f.nbinds != p.f.nbinds) {
		unit_failures++;
		fprintf(stderr, "%s:%d: hostile '%.60s': rc %d '%.200s' vs '%s'\n", __FILE__, __LINE__, term,
			h.rc, h.rc ? h.err.msg : h.f.sql, p.rc ? p.err.msg : p.f.sql);
	} else if (strlen(value) > 2) {
		CHECK(strstr(h.f.sql, value) == NULL);
	}
	/* Each bind holds the value, whole, folded (LIKE patterns escape it, so check its length). */
	char *folded = crm_fold(value);
	for (int i = 0; h.rc == CRM_OK && i < h.f.nbinds; i++)
		CHECK(strlen(h.f.binds[i]) >= strlen(folded));
	free(folded);
	crm_filter_free(&h.f);
	crm_filter_free(&p.f);
	free(term);
	free(plain);
}

static void test_hostile(void)
{
	char *longval = repeat("x'\"%_\\;", 20000);
	char *longquote = repeat("'", 5000);
	const char *values[] = {
		"'", "\"", "%", "_", "\\", ";", "--", "*/", "/*",
		"O'Brien", "a\"b", "50%", "a_b", "back\\slash",
		"x'; DROP TABLE accounts; --", "\" OR 1=1 --", "') OR ('1'='1", "*/ OR 1=1 /*",
		"? ?1 :a @b $c", "%' ESCAPE '", "\\' OR 1 --",
		"Müller ☃ 日本語 🚀", "\xff\xfe", "\t\r\n",
		longval, longquote,
	};
	const char *account_forms[] = { "name:", "name.not:", "name.has:", "-name:", "-name.has:", "notes:",
					"parent:", "parent.not:", "parent.has:", "country.not:" };
	for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
		for (size_t f = 0; f < sizeof account_forms / sizeof *account_forms; f++)
			check_hostile(account, account_forms[f], values[v]);
		check_hostile(user, "roles:", values[v]);
		check_hostile(user, "roles.not:", values[v]);
		check_hostile(user, "manager:", values[v]);
		check_hostile(contact, "account:", values[v]);
		check_hostile(contact, "-email.has:", values[v]);
		/* a bare word (without a colon it is text) */
		if (!strchr(values[v], ':')) {
			struct result h = compile1(account, values[v]);
			CHECK_INT(h.rc, CRM_OK);
			if (h.rc == CRM_OK)
				CHECK_STR(h.f.sql, "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')");
			crm_filter_free(&h.f);
		}
	}

	/* LIKE metacharacters of the user's text are escaped; only * is a wildcard */
	EXPECT_SQL(account, "name.has:50%", "(t.name_fold LIKE ? ESCAPE '\\')", 1, "%50\\%%");
	EXPECT_SQL(account, "name.has:a_b", "(t.name_fold LIKE ? ESCAPE '\\')", 1, "%a\\_b%");
	EXPECT_SQL(account, "name.has:a\\b", "(t.name_fold LIKE ? ESCAPE '\\')", 1, "%a\\\\b%");
	EXPECT_SQL(account, "name.has:a*b", "(t.name_fold LIKE ? ESCAPE '\\')", 1, "%a%b%");
	EXPECT_SQL(account, "name:%_\\*", "(t.name_fold GLOB ?)", 1, "%_\\*");
	EXPECT_SQL(account, "name:a?[b]*", "(t.name_fold GLOB ?)", 1, "a[?][[]b[]]*");
	EXPECT_SQL(account, "name:50%", "(t.name_fold = ?)", 1, "50%");
	EXPECT_SQL(account, "a_b", "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%a\\_b%",
		   "%a\\_b%");
	EXPECT_SQL(account, "parent:a_*",
		   "(t.parent_id IN (SELECT t.id FROM accounts t WHERE t.name_fold GLOB ?))", 1, "a_*");
	EXPECT_SQL(account, "name:O'Brien", "(t.name_fold = ?)", 1, "o'brien");
	EXPECT_SQL(account, "name:x'); DROP TABLE accounts; --", "(t.name_fold = ?)", 1,
		   "x'); drop table accounts; --");
	/* a hostile comparison or field name is refused, not pasted */
	EXPECT_ERROR(account, "name.has'--:x", CRM_EUSAGE, "unknown comparison");
	EXPECT_ERROR(account, "name';--:x", CRM_EUSAGE, "unknown field");
	EXPECT_ERROR(account, "credit_limit.over:1; DROP TABLE accounts", CRM_EINVALID, "is not a number");

	/* an embedded NUL ends the string: only what precedes it is seen */
	static const char nul_term[] = "name:ab\0' OR 1=1 --";
	EXPECT_SQL(account, nul_term, "(t.name_fold = ?)", 1, "ab");
	static const char nul_word[] = "ab\0cd";
	EXPECT_SQL(account, nul_word, "(t.name_fold LIKE ? ESCAPE '\\' OR crm_fold(t.notes) LIKE ? ESCAPE '\\')", 2, "%ab%", "%ab%");

	/* very long values travel whole */
	char *term = malloc(strlen(longval) + 16);
	sprintf(term, "name.has:%s", longval);
	struct result r = compile1(account, term);
	CHECK_INT(r.rc, CRM_OK);
	CHECK_STR(r.f.sql, "(t.name_fold LIKE ? ESCAPE '\\')");
	CHECK_INT(r.f.nbinds, 1);
	/* 140000 characters, 60000 of them escaped, plus the two % */
	if (r.f.nbinds == 1)
		CHECK_INT((long long)strlen(r.f.binds[0]), 140000 + 60000 + 2);
	crm_filter_free(&r.f);
	free(term);
	free(longval);
	free(longquote);
}

/* ---- against the real schema ---- */

static sqlite3 *db;

static void exec_sql(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "test_filter: %s\n", msg ? msg : "?");
		exit(2);
	}
}

static sqlite3_int64 insert(const char *sql, int n, ...)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "test_filter: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	va_list ap;
	va_start(ap, n);
	for (int i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);
		if (v)
			sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "test_filter: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(db);
}

static sqlite3_int64 add_account(const char *name, const char *parent, const char *country,
				 const char *limit, const char *created)
{
	/* the limit in whole euros, stored as cents (migration 017) */
	return insert("INSERT INTO accounts (name, parent_id, country, credit_limit, currency, created, updated) "
		      "VALUES (?, ?, ?, CAST(? AS INTEGER) * 100, 'EUR', ?, ?)", 6, name, parent, country, limit, created,
		      created);
}

static void add_user(const char *login, const char *roles, const char *manager)
{
	insert("INSERT INTO users (login, roles, manager_id, created, updated) VALUES (?, ?, ?, "
	       "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", 3, login, roles, manager);
}

static char matched[4096];

/* The label column of the rows of k's table that the terms select, "|"-joined in id order,
 * or "ERR <why>". */
static const char *match_n(const struct crm_kind *k, const char *label, const char *const *terms, int n)
{
	struct result r = compile_n(k, terms, n);
	if (r.rc) {
		snprintf(matched, sizeof matched, "ERR %d %s", r.rc, r.err.msg);
		return matched;
	}
	char sql[8192];
	snprintf(sql, sizeof sql, "SELECT coalesce(group_concat(%s, '|'), '') FROM (SELECT t.%s FROM %s t WHERE %s "
		 "ORDER BY t.id)", label, label, k->table, r.f.sql);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(matched, sizeof matched, "ERR prepare: %s in %s", sqlite3_errmsg(db), r.f.sql);
		crm_filter_free(&r.f);
		return matched;
	}
	CHECK_INT(sqlite3_bind_parameter_count(st), r.f.nbinds);
	for (int i = 0; i < r.f.nbinds; i++)
		sqlite3_bind_text(st, i + 1, r.f.binds[i], -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(matched, sizeof matched, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		snprintf(matched, sizeof matched, "ERR step: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	crm_filter_free(&r.f);
	return matched;
}

static const char *match(const struct crm_kind *k, const char *term)
{
	return match_n(k, k == user ? "login" : k == contact ? "last_name" : "name", &term, 1);
}

/* Two terms select the same rows (match returns a static buffer, so copy the first). */
#define CHECK_SAME(k, a, b) do { char *a_ = strdup(match(k, a)); CHECK_STR(match(k, b), a_); \
	free(a_); } while (0)

static int count_accounts(void)
{
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_sqlite(void)
{
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		fprintf(stderr, "test_filter: cannot open an in-memory database\n");
		exit(2);
	}
	exec_sql("PRAGMA foreign_keys = ON");
	crm_store_sqlite_attach_fold(db); /* migration 006 fills the folded keys with it; filters compare with it */
	for (int i = 0; crm_migrations[i]; i++)
		exec_sql(crm_migrations[i]);

	add_account("Acme", NULL, "DE", "5000", "2025-06-01T10:00:00Z");         /* 1 */
	add_account("50% off", NULL, "FR", "100", "2026-01-01T09:00:00Z");      /* 2 */
	add_account("50X off", NULL, "", NULL, "2026-01-01T09:00:00Z");          /* 3 */
	add_account("a_b", NULL, NULL, NULL, "2026-01-01T09:00:00Z");            /* 4 */
	add_account("axb", NULL, NULL, NULL, "2026-01-01T09:00:00Z");            /* 5 */
	add_account("back\\slash", NULL, NULL, NULL, "2026-01-01T09:00:00Z");    /* 6 */
	add_account("O'Brien \"Quoted\"", NULL, NULL, NULL, "2026-01-01T09:00:00Z"); /* 7 */
	add_account("x'); DROP TABLE accounts; --", NULL, NULL, NULL, "2026-01-01T09:00:00Z"); /* 8 */
	add_account("Müller ☃", NULL, NULL, NULL, "2026-01-01T09:00:00Z");       /* 9 */
	add_account("Acme Sub", "1", "DE", "20000", "2026-01-01T09:00:00Z");     /* 10 */
	add_account("12", NULL, NULL, NULL, "2026-01-01T09:00:00Z");             /* 11: a name that is a number */
	add_account("Twelve Sub", "11", NULL, NULL, "2026-01-01T09:00:00Z");     /* 12 */
	add_account("b_ Sub", "4", NULL, NULL, "2026-01-01T09:00:00Z");          /* 13: child of a_b */
	add_account("bx Sub", "5", NULL, NULL, "2026-01-01T09:00:00Z");          /* 14: child of axb */
	add_account("*/ star", NULL, NULL, NULL, "2026-01-01T09:00:00Z");        /* 15 */
	add_user("alice", "admin", NULL);
	add_user("bob", "viewer, agent", "1");
	add_user("carol", "administrator", "1");
	add_user("dave", "%,a_b", NULL);
	add_user("eve", NULL, NULL);
	insert("INSERT INTO contacts (first_name, last_name, account_id, created, updated) "
	       "VALUES ('Ann', 'Smith', 1, 'x', 'x'), ('Bo', 'Jones', 10, 'x', 'x'), ('Cy', 'Nil', NULL, 'x', 'x')", 0);
	/* the folded keys, as the engine writes them */
	exec_sql("UPDATE accounts SET name_fold = crm_fold(name); UPDATE contacts SET label_fold = "
		 "crm_fold(first_name || ' ' || last_name)");

	/* literal matches of LIKE metacharacters and quotes */
	CHECK_STR(match(account, "name:50% off"), "50% off");
	CHECK_STR(match(account, "name.has:%"), "50% off");
	CHECK_STR(match(account, "name.has:_"), "a_b|b_ Sub");
	CHECK_STR(match(account, "name:a_b"), "a_b");
	CHECK_STR(match(account, "name:a_*"), "a_b");
	CHECK_STR(match(account, "name:50%*"), "50% off");
	CHECK_STR(match(account, "name.has:\\"), "back\\slash");
	CHECK_STR(match(account, "name:back\\slash"), "back\\slash");
	CHECK_STR(match(account, "name:O'Brien \"Quoted\""), "O'Brien \"Quoted\"");
	CHECK_STR(match(account, "name.has:'"), "O'Brien \"Quoted\"|x'); DROP TABLE accounts; --");
	CHECK_STR(match(account, "name.has:\""), "O'Brien \"Quoted\"");
	CHECK_STR(match(account, "'); DROP"), "x'); DROP TABLE accounts; --");
	CHECK_STR(match(account, "name:x'); DROP TABLE accounts; --"), "x'); DROP TABLE accounts; --");
	CHECK_STR(match(account, "name.has:--"), "x'); DROP TABLE accounts; --");
	CHECK_STR(match(account, "name.has:;"), "x'); DROP TABLE accounts; --");
	CHECK_STR(match(account, "*/"), "*/ star");
	CHECK_STR(match(account, "name:' OR '1'='1"), "");
	CHECK_STR(match(account, "name.has:' OR 1=1 --"), "");
	CHECK_STR(match(account, "Müller ☃"), "Müller ☃");
	CHECK_STR(match(account, "name:Müller*"), "Müller ☃");
	CHECK_INT(count_accounts(), 15); /* nothing was dropped */

	/* eq is case-insensitive, not, negation, empty */
	CHECK_STR(match(account, "name:acme"), "Acme");
	CHECK_STR(match(account, "name:ACME*"), "Acme|Acme Sub");
	CHECK_STR(match(account, "country:de"), "Acme|Acme Sub");
	CHECK_STR(match(account, "country.not:DE"), "50% off|50X off|a_b|axb|back\\slash|O'Brien \"Quoted\"|"
		  "x'); DROP TABLE accounts; --|Müller ☃|12|Twelve Sub|b_ Sub|bx Sub|*/ star");
	CHECK_STR(match(account, "country:FR"), "50% off");
	CHECK_SAME(account, "-country:DE", "country.not:DE");
	CHECK_STR(match(account, "country.not:"), "Acme|50% off|Acme Sub");
	const char *both[] = { "country:", "name.has:off" };
	CHECK_STR(match_n(account, "name", both, 2), "50X off");

	/* numbers and dates */
	CHECK_STR(match(account, "credit_limit.over:1000"), "Acme|Acme Sub");
	CHECK_STR(match(account, "credit_limit.under:1000"), "50% off");
	CHECK_STR(match(account, "credit_limit:5000"), "Acme");
	CHECK_STR(match(account, "credit_limit:5000.00"), "Acme");
	CHECK_STR(match(account, "credit_limit.over:4999.99"), "Acme|Acme Sub");
	CHECK_STR(match(account, "credit_limit.under:5000.0001"), "Acme|50% off");
	CHECK_STR(match(account, "id:10"), "Acme Sub");
	CHECK_STR(match(account, "id.under:3"), "Acme|50% off");
	CHECK_STR(match(account, "created.before:2025-12-31"), "Acme");
	CHECK_STR(match(account, "created.before:today"), "Acme");
	CHECK_STR(match(account, "created:2025-06-01"), "Acme");
	CHECK_STR(match(account, "created.after:2026-01-01T09:30"), "");
	CHECK_SAME(account, "created.after:2025-06-01T09:30", "id.over:0");

	/* references: by name, any case, by number, a name that is a number, wildcards, unset */
	CHECK_STR(match(account, "parent:Acme"), "Acme Sub");
	CHECK_STR(match(account, "parent:acme"), "Acme Sub");
	CHECK_STR(match(account, "parent:1"), "Acme Sub");
	CHECK_STR(match(account, "parent:12"), ""); /* record 12 (Twelve Sub) has no subsidiary */
	CHECK_STR(match(account, "parent:11"), "Twelve Sub");
	CHECK_STR(match(account, "parent:MÜLLER ☃"), "");
	CHECK_STR(match(account, "name:MULLER ☃"), "Müller ☃");
	CHECK_STR(match(account, "MÜLL"), "Müller ☃");
	CHECK_STR(match(account, "parent:a_b"), "b_ Sub");
	CHECK_STR(match(account, "parent:a_*"), "b_ Sub");
	CHECK_STR(match(account, "parent.has:_"), "b_ Sub");
	CHECK_STR(match(account, "parent:Nobody"), "");
	CHECK_STR(match(account, "parent_id:1"), "Acme Sub");
	CHECK_STR(match(account, "parent.not:"), "Acme Sub|Twelve Sub|b_ Sub|bx Sub");
	CHECK_STR(match(account, "parent.not:acme"), "Acme|50% off|50X off|a_b|axb|back\\slash|"
		  "O'Brien \"Quoted\"|x'); DROP TABLE accounts; --|Müller ☃|12|Twelve Sub|b_ Sub|bx Sub|*/ star");
	CHECK_STR(match(contact, "account:ACME"), "Smith");
	CHECK_STR(match(contact, "account:Acme Sub"), "Jones");
	CHECK_STR(match(contact, "account:"), "Nil");
	CHECK_STR(match(contact, "account_id:10"), "Jones");
	CHECK_STR(match(user, "manager:alice"), "bob|carol");
	CHECK_STR(match(user, "manager:1"), "bob|carol");

	/* lists: one whole item, spaces ignored, metacharacters literal */
	CHECK_STR(match(user, "roles:admin"), "alice");
	CHECK_STR(match(user, "roles:agent"), "bob");
	CHECK_STR(match(user, "roles:viewer"), "bob");
	CHECK_STR(match(user, "roles:adm*"), "alice|carol");
	CHECK_STR(match(user, "roles.has:admin"), "alice|carol");
	CHECK_STR(match(user, "roles:%"), "dave");
	CHECK_STR(match(user, "roles:a_b"), "dave");
	CHECK_STR(match(user, "roles:axb"), "");
	CHECK_STR(match(user, "roles.not:admin"), "bob|carol|dave|eve");
	CHECK_STR(match(user, "roles:"), "eve");

	/* every hostile value compiles to SQL that prepares and matches nothing it should not */
	const char *hostile[] = { "'", "\"", "%", "_", "\\", ";", "--", "*/", "/*", "' OR 1=1 --",
				  "\" OR \"\"=\"", "'); DELETE FROM accounts; --" };
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		char term[128];
		snprintf(term, sizeof term, "name:%s", hostile[i]);
		const char *got = match(account, term);
		CHECK(strncmp(got, "ERR", 3) != 0);
		/* "*" is the wildcard: "*" "/" means "ends with a slash", which nothing here does */
		CHECK_STR(got, "");
		snprintf(term, sizeof term, "parent:%s", hostile[i]);
		CHECK_STR(match(account, term), "");
		snprintf(term, sizeof term, "roles:%s", hostile[i]);
		CHECK_STR(match(user, term), strcmp(hostile[i], "%") == 0 ? "dave" : "");
		CHECK(strncmp(match(account, hostile[i]), "ERR", 3) != 0);
	}
	CHECK_INT(count_accounts(), 15);
	sqlite3_close(db);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	account = crm_kind_find("account");
	contact = crm_kind_find("contact");
	user = crm_kind_find("user");
	location = crm_kind_find("location");
	if (!account || !contact || !user || !location) {
		fputs("test_filter: a kind is missing\n", stderr);
		return 2;
	}
	test_forms();
	test_errors();
	test_is_term();
	test_hostile();
	test_sqlite();
	return UNIT_DONE();
}
