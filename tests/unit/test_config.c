/* Unit tests of core/config.c: defaults, file search and override, errors, set, walk. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/config.h"
#include "unit.h"

/* Temporary files and directories, removed at the end (in reverse order, files first). */
#define MAX_MADE 64
static char made[MAX_MADE][256];
static int nmade;

static void remember(const char *path)
{
	if (nmade == MAX_MADE) {
		fputs("test_config: too many temporary files\n", stderr);
		exit(2);
	}
	snprintf(made[nmade++], sizeof made[0], "%s", path);
}

/* Writes text to a new mkstemp file and returns its path (static storage, one per call). */
static const char *temp_yaml(const char *text)
{
	char path[] = "/tmp/crm_test_config_XXXXXX";
	int fd = mkstemp(path);
	size_t len = strlen(text);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		perror("temp_yaml");
		exit(2);
	}
	close(fd);
	remember(path);
	return made[nmade - 1];
}

static const char *temp_dir(void)
{
	char path[] = "/tmp/crm_test_config_dir_XXXXXX";
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		exit(2);
	}
	remember(path);
	return made[nmade - 1];
}

/* Writes DIR/SUB/crm/config.yaml (SUB may be "") and remembers what it made. */
static void write_config_in(const char *dir, const char *sub, const char *text)
{
	char path[256];
	FILE *f;

	if (*sub) {
		snprintf(path, sizeof path, "%s/%s", dir, sub);
		mkdir(path, 0700);
		remember(path);
	}
	snprintf(path, sizeof path, "%s%s%s/crm", dir, *sub ? "/" : "", sub);
	mkdir(path, 0700);
	remember(path);
	snprintf(path, sizeof path, "%s%s%s/crm/config.yaml", dir, *sub ? "/" : "", sub);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	remember(path);
}

static void cleanup(void)
{
	while (nmade > 0)
		remove(made[--nmade]); /* remove() handles both files and (empty) directories */
}

/* Loads path (NULL: the search) expecting success. */
static struct crm_config *load_ok(const char *path)
{
	struct crm_config *cfg = NULL;
	struct crm_err err;
	struct crm_env env; /* the search reads the environment the test set */
	crm_env_read(&env);
	int rc = crm_config_load(&cfg, path, &env, &err);
	CHECK_INT(rc, CRM_OK);
	if (rc)
		fprintf(stderr, "  load %s: %s\n", path ? path : "(search)", err.msg);
	return cfg;
}

/* Loads path expecting CRM_ECONFIG and returns the message. */
static const char *load_fail(const char *path)
{
	static struct crm_err err;
	struct crm_config *cfg = (struct crm_config *)&err; /* must be reset to NULL */
	struct crm_env env;
	crm_env_read(&env);
	CHECK_INT(crm_config_load(&cfg, path, &env, &err), CRM_ECONFIG);
	CHECK(cfg == NULL);
	return err.msg;
}

static int seq_has(const struct crm_conf_node *n, const char *value)
{
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		const char *s = crm_conf_scalar(crm_conf_child(n, i));
		if (s && strcmp(s, value) == 0)
			return 1;
	}
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_defaults(void)
{
	struct crm_config *cfg = load_ok("/dev/null");
	const struct crm_conf_node *admin, *stage;

	if (!cfg)
		return;
	admin = crm_config_node(cfg, "roles.admin");
	CHECK(admin != NULL);
	CHECK_INT(crm_conf_type(admin), CRM_CONF_SEQ);
	CHECK(seq_has(admin, "*"));
	CHECK_STR(crm_conf_source(admin), "built-in");
	CHECK(crm_conf_line(admin) > 0);
	stage = crm_config_node(cfg, "picklists.lifecycle_stage");
	CHECK_INT(crm_conf_type(stage), CRM_CONF_SEQ);
	CHECK_INT(crm_conf_count(stage), 4);
	CHECK_INT(crm_conf_type(crm_config_node(cfg, "roles")), CRM_CONF_MAP);
	CHECK(crm_conf_get(crm_config_node(cfg, "roles"), "viewer") != NULL);
	CHECK_INT(crm_conf_count(crm_config_node(cfg, "roles.viewer")), 0);
	CHECK(crm_config_get(cfg, "busy_timeout") != NULL);
	/* Absent paths, and paths through scalars or sequences, give NULL. */
	CHECK(crm_config_node(cfg, "roles.nobody") == NULL);
	CHECK(crm_config_node(cfg, "busy_timeout.x") == NULL);
	CHECK(crm_config_get(cfg, "roles.admin") == NULL); /* not a scalar */
	CHECK_STR(crm_config_get(cfg, "roles.admin.0"), "*");
	CHECK(crm_config_get(cfg, "roles.admin.1") == NULL);
	CHECK(crm_config_node(cfg, "nothing") == NULL);
	crm_config_free(cfg);
}

static void test_override(void)
{
	const char *path = temp_yaml("# my settings\n"
				     "busy_timeout: 250\n"
				     "picklists:\n"
				     "  lifecycle_stage: [a, b]\n"
				     "  my-extra_list:\n"
				     "    - x\n"
				     "sla:\n"
				     "  paused: everything\n"
				     "newkey: hello\n");
	struct crm_config *cfg = load_ok(path);
	const struct crm_conf_node *n, *pl;

	if (!cfg)
		return;
	CHECK_STR(crm_config_get(cfg, "busy_timeout"), "250");
	n = crm_config_node(cfg, "busy_timeout");
	CHECK_STR(crm_conf_source(n), path);
	CHECK_INT(crm_conf_line(n), 2);
	CHECK_INT(crm_conf_column(n), 15);

	n = crm_config_node(cfg, "picklists.lifecycle_stage");
	CHECK_INT(crm_conf_count(n), 2);
	CHECK_STR(crm_conf_scalar(crm_conf_child(n, 1)), "b");
	CHECK_STR(crm_conf_source(n), path);
	CHECK_INT(crm_conf_line(n), 4);
	CHECK_INT(crm_conf_column(n), 20);

	/* Other default keys of a merged map stay, in their order; new keys come last. */
	pl = crm_config_node(cfg, "picklists");
	CHECK_STR(crm_conf_key(pl, 0), "lifecycle_stage");
	CHECK_STR(crm_conf_key(pl, 1), "relationship_stage");
	CHECK_STR(crm_conf_key(pl, crm_conf_count(pl) - 1), "my-extra_list");
	CHECK(crm_conf_key(pl, crm_conf_count(pl)) == NULL);
	CHECK_STR(crm_conf_source(crm_config_node(cfg, "picklists.industry")), "built-in");
	CHECK_STR(crm_config_get(cfg, "picklists.my-extra_list.0"), "x");

	/* A type change replaces: the paused list becomes a scalar. */
	CHECK_STR(crm_config_get(cfg, "sla.paused"), "everything");
	CHECK_INT(crm_conf_line(crm_config_node(cfg, "sla.paused")), 8);
	CHECK(crm_config_node(cfg, "sla.targets.urgent") != NULL);
	CHECK(seq_has(crm_config_node(cfg, "roles.manager"), "import.*"));

	CHECK_STR(crm_config_get(cfg, "newkey"), "hello");
	CHECK_INT(crm_conf_line(crm_config_node(cfg, "newkey")), 9);
	CHECK_INT(crm_conf_column(crm_config_node(cfg, "newkey")), 9);
	crm_config_free(cfg);
}

static void test_aliases(void)
{
	const char *path = temp_yaml("base: &b [p, q]\n"
				     "picklists:\n"
				     "  industry: *b\n");
	struct crm_config *cfg = load_ok(path);
	if (!cfg)
		return;
	CHECK_INT(crm_conf_count(crm_config_node(cfg, "picklists.industry")), 2);
	CHECK_STR(crm_config_get(cfg, "picklists.industry.1"), "q");
	crm_config_free(cfg);
}

/* Checks that msg is "PATH:SUFFIX..." */
static void check_msg(const char *msg, const char *path, const char *suffix)
{
	char want[512];
	snprintf(want, sizeof want, "%s%s", path, suffix);
	CHECK(starts_with(msg, want));
	if (!starts_with(msg, want))
		fprintf(stderr, "  got '%s', want it to start with '%s'\n", msg, want);
}

static void test_errors(void)
{
	const char *path;
	struct crm_config *cfg;

	/* The flow sequence opened on line 2 is still open at the end of the file (line 3). */
	path = temp_yaml("a: 1\nkey: [unclosed\n");
	check_msg(load_fail(path), path, ":3:1: did not find expected ',' or ']'");
	path = temp_yaml("a: 1\n  b: 2\n");
	check_msg(load_fail(path), path, ":2:4: mapping values are not allowed");
	path = temp_yaml("a: 1\nb: *nowhere\n");
	check_msg(load_fail(path), path, ":2:4: found undefined alias");
	path = temp_yaml("a: 1\nb: \"\xff\"\n"); /* not UTF-8 */
	check_msg(load_fail(path), path, ":2:5: ");

	path = temp_yaml("- a\n- b\n");
	check_msg(load_fail(path), path, ":1:1: the configuration must be a mapping");
	path = temp_yaml("\n\njust text\n");
	check_msg(load_fail(path), path, ":3:1: the configuration must be a mapping");

	path = temp_yaml("roles:\n  admin: []\n  admin: [x]\n");
	check_msg(load_fail(path), path, ":3:3: duplicate key 'admin'");
	/* Roles only from the system configuration (or the database): refused, where written. */
	path = temp_yaml("busy_timeout: 1\nroles:\n  agent: ['*']\n");
	check_msg(load_fail(path), path, ":2:1: roles are defined only in the system configuration");
	path = temp_yaml("a.b: 1\n");
	check_msg(load_fail(path), path, ":1:1: key 'a.b' must not contain '.'");
	path = temp_yaml("? [a]\n: 1\n");
	check_msg(load_fail(path), path, ":1:3: a key must be a scalar");
	path = temp_yaml("a: 1\n---\nb: 2\n");
	check_msg(load_fail(path), path, ":2:1: only one YAML document is allowed");
	path = temp_yaml("a: &x [*x]\n"); /* would recurse forever */
	check_msg(load_fail(path), path, ":1:4: nesting is too deep");

	CHECK_STR(load_fail("/tmp/crm_test_config_no_such_file.yaml"),
		  "cannot read config '/tmp/crm_test_config_no_such_file.yaml': "
		  "No such file or directory");
	CHECK_STR(load_fail("/tmp"), "cannot read config '/tmp': Is a directory");

	/* Files that hold no settings are fine. */
	path = temp_yaml("");
	cfg = load_ok(path);
	crm_config_free(cfg);
	path = temp_yaml("# nothing but a comment\n---\n");
	cfg = load_ok(path);
	CHECK(crm_config_node(cfg, "roles.admin") != NULL);
	crm_config_free(cfg);
}

static void test_set(void)
{
	struct crm_config *cfg = load_ok("/dev/null");
	const struct crm_conf_node *n;

	if (!cfg)
		return;
	crm_config_set(cfg, "database", "/tmp/x.db", "environment CRM_DB");
	CHECK_STR(crm_config_get(cfg, "database"), "/tmp/x.db");
	n = crm_config_node(cfg, "database");
	CHECK_STR(crm_conf_source(n), "environment CRM_DB");
	CHECK_INT(crm_conf_line(n), 0);
	CHECK_INT(crm_conf_column(n), 0);

	crm_config_set(cfg, "database", "/tmp/y.db", "flag --db");
	CHECK_STR(crm_config_get(cfg, "database"), "/tmp/y.db");
	CHECK_STR(crm_conf_source(crm_config_node(cfg, "database")), "flag --db");

	crm_config_set(cfg, "a.b-c.d_e", "deep", "test");
	CHECK_STR(crm_config_get(cfg, "a.b-c.d_e"), "deep");
	CHECK_INT(crm_conf_type(crm_config_node(cfg, "a.b-c")), CRM_CONF_MAP);

	crm_config_set(cfg, "roles.admin", "all", "test"); /* replaces the sequence */
	CHECK_STR(crm_config_get(cfg, "roles.admin"), "all");
	CHECK(crm_config_node(cfg, "roles.manager") != NULL);
	crm_config_set(cfg, "busy_timeout.sub", "1", "test"); /* a scalar becomes a map */
	CHECK_STR(crm_config_get(cfg, "busy_timeout.sub"), "1");

	crm_config_set(cfg, "bad..path", "x", "test"); /* ignored */
	CHECK(crm_config_node(cfg, "bad") == NULL);
	crm_config_free(cfg);
}

struct walk_out {
	char text[32768]; /* the built-in defaults grow with every kind */
	size_t len;
};

static void collect(const char *path, const char *value, const char *source, void *ctx)
{
	struct walk_out *w = ctx;
	int n = snprintf(w->text + w->len, sizeof w->text - w->len, "%s=%s (%s)\n", path, value,
			 source);
	if (n > 0 && (size_t)n < sizeof w->text - w->len)
		w->len += (size_t)n;
}

static void test_walk(void)
{
	const char *path = temp_yaml("zeta: last\n"
				     "picklists:\n"
				     "  credit_rating: [x, \"y z\"]\n"
				     "hooks:\n"
				     "  - name: one\n"
				     "    args: [a, b]\n"
				     "  - plain\n"
				     "empty: {}\n"
				     "nested: [[1, 2], []]\n");
	struct crm_config *cfg = load_ok(path);
	static struct walk_out w;
	char want[512];
	const char *p;

	if (!cfg)
		return;
	crm_config_set(cfg, "user", "alice", "flag --user");
	crm_config_walk(cfg, collect, &w);

	/* Defaults first, in file order; the overriding file's new keys after, then set ones. */
	CHECK(starts_with(w.text, "busy_timeout="));
	CHECK(strstr(w.text, "picklists.lifecycle_stage=[lead, prospect, customer, former] "
			     "(built-in)\n") != NULL);
	snprintf(want, sizeof want, "picklists.credit_rating=[x, y z] (%s)\n", path);
	CHECK(strstr(w.text, want) != NULL);
	CHECK(strstr(w.text, "picklists.line_of_business=[] (built-in)\n") != NULL);
	CHECK(strstr(w.text, "roles.admin=[*] (built-in)\n") != NULL);
	/* The merged sequence keeps its place among the defaults. */
	CHECK(strstr(w.text, "picklists.credit_rating=") < strstr(w.text, "picklists.line_of_business="));
	CHECK(strstr(w.text, "picklists.industry=") < strstr(w.text, "picklists.credit_rating="));

	snprintf(want, sizeof want,
		 "roles.viewer=[] (built-in)\n"
		 "zeta=last (%s)\n"
		 "hooks.0.name=one (%s)\n"
		 "hooks.0.args=[a, b] (%s)\n"
		 "hooks.1=plain (%s)\n"
		 "empty={} (%s)\n"
		 "nested.0=[1, 2] (%s)\n"
		 "nested.1=[] (%s)\n"
		 "user=alice (flag --user)\n",
		 path, path, path, path, path, path, path);
	p = strstr(w.text, "roles.viewer=");
	CHECK_STR(p, want);
	crm_config_free(cfg);
}

static void test_search(void)
{
	const char *sys = temp_dir(), *xdg = temp_dir(), *home = temp_dir();
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	struct crm_config *cfg;
	char sysfile[256];

	setenv("CRM_SYSCONFDIR", sys, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);

	/* Nothing in any of them: defaults only. */
	cfg = load_ok(NULL);
	CHECK_STR(crm_conf_source(crm_config_node(cfg, "busy_timeout")), "built-in");
	crm_config_free(cfg);

	write_config_in(sys, "", "busy_timeout: 1\nuser: sys\ndatabase: /sys.db\n");
	snprintf(sysfile, sizeof sysfile, "%s/crm/config.yaml", sys);
	cfg = load_ok(NULL);
	CHECK_STR(crm_config_get(cfg, "busy_timeout"), "1");
	CHECK_STR(crm_conf_source(crm_config_node(cfg, "busy_timeout")), sysfile);
	crm_config_free(cfg);

	/* The user's file wins over the system one. */
	write_config_in(xdg, "", "user: xdg\n");
	cfg = load_ok(NULL);
	CHECK_STR(crm_config_get(cfg, "busy_timeout"), "1");
	CHECK_STR(crm_config_get(cfg, "user"), "xdg");
	CHECK_STR(crm_config_get(cfg, "database"), "/sys.db");
	crm_config_free(cfg);

	/* XDG_CONFIG_HOME empty or unset: ~/.config. */
	write_config_in(home, ".config", "user: home\n");
	setenv("XDG_CONFIG_HOME", "", 1);
	cfg = load_ok(NULL);
	CHECK_STR(crm_config_get(cfg, "user"), "home");
	crm_config_free(cfg);
	unsetenv("XDG_CONFIG_HOME");
	cfg = load_ok(NULL);
	CHECK_STR(crm_config_get(cfg, "user"), "home");
	crm_config_free(cfg);

	/* An explicit file replaces the search. */
	cfg = load_ok(temp_yaml("database: /explicit.db\n"));
	CHECK_STR(crm_config_get(cfg, "database"), "/explicit.db");
	CHECK(crm_config_get(cfg, "user") == NULL);
	CHECK_STR(crm_config_get(cfg, "busy_timeout"), "5000");
	crm_config_free(cfg);

	/* An invalid search file is an error, not skipped. */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	write_config_in(xdg, "", "user: [\n");
	CHECK(strstr(load_fail(NULL), "/crm/config.yaml:2:1: ") != NULL);

	unsetenv("CRM_SYSCONFDIR");
	unsetenv("XDG_CONFIG_HOME");
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_home);
}

int main(void)
{
	test_defaults();
	test_override();
	test_aliases();
	test_errors();
	test_set();
	test_walk();
	test_search();
	cleanup();
	return UNIT_DONE();
}
