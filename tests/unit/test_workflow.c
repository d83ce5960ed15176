/* Unit tests of core/workflow.c (loading, moves, roles, checks, DOT) and core/sla.c (durations,
 * targets, the clock with pauses). */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "crm/config.h"
#include "crm/date.h"
#include "crm/kind.h"
#include "crm/sla.h"
#include "crm/workflow.h"
#include "unit.h"

static char made[64][64];
static int nmade;

/* A configuration from YAML text (the built-in defaults under it). */
/* yaml as the system configuration, the one trusted with workflows' roles and permissions:
 * the unit tests are linked with the tests' config.o, whose system file is
 * /dev/fd/7/crm/config.yaml, so a directory of ours goes on descriptor 7. */
static struct crm_config *config(const char *yaml, struct crm_err *err)
{
	char dir[] = "/tmp/crm_test_workflow_XXXXXX", path[64];
	if (!mkdtemp(dir) || nmade == 64) {
		perror("config");
		exit(2);
	}
	snprintf(path, sizeof path, "%s/crm", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/crm/config.yaml", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t len = strlen(yaml);
	if (fd < 0 || write(fd, yaml, len) != (ssize_t)len) {
		perror("config");
		exit(2);
	}
	close(fd);
	snprintf(made[nmade++], sizeof made[0], "%s", dir);
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	if (d < 0 || dup2(d, 7) < 0) {
		perror("config");
		exit(2);
	}
	close(d);
	struct crm_config *cfg = NULL;
	crm_config_load(&cfg, NULL, NULL, err);
	close(7);
	return cfg;
}

/* Roles come from the system configuration or the database, never from a file a test writes:
 * defines the NULL-terminated names as roles that grant nothing. */
static struct crm_config *with_roles(struct crm_config *cfg, ...)
{
	va_list ap;
	va_start(ap, cfg);
	for (const char *r; (r = va_arg(ap, const char *));) {
		char path[64];
		snprintf(path, sizeof path, "roles.%s", r);
		crm_config_set_list(cfg, path, NULL, 0, "test");
	}
	va_end(ap);
	return cfg;
}

static const char *const small =
	"workflow:\n"
	"  ticket:\n"
	"    statuses: [new, open, waiting, done, closed]\n"
	"    initial: new\n"
	"    resolved: [done, closed]\n"
	"    transitions:\n"
	"      - {name: start, from: new, to: open}\n"
	"      - {name: wait, from: [new, open], to: waiting, roles: [agent, boss]}\n"
	"      - {name: resume, from: waiting, to: open}\n"
	"      - {name: finish, from: [open, waiting], to: done, roles: [agent], required: [resolution]}\n"
	"      - {name: close, from: done, to: closed, roles: [boss]}\n"
	"      - {name: reopen, from: [done, closed], to: open}\n"
	"      - {name: cancel, from: '*', to: closed, roles: [boss]}\n";

static void test_load_and_moves(void)
{
	struct crm_err err = { 0 };
	struct crm_config *cfg = with_roles(config(small, &err), "agent", "boss", (char *)NULL);
	CHECK(cfg != NULL);
	struct crm_workflow *wf;
	CHECK_INT(crm_workflow_load(cfg, "ticket", &wf, &err), CRM_OK);
	CHECK_INT(wf->nstatuses, 5);
	CHECK_STR(wf->initial, "new");
	CHECK_INT(wf->ntr, 7);
	CHECK(crm_workflow_is_resolved(wf, "done"));
	CHECK(crm_workflow_is_resolved(wf, "CLOSED"));
	CHECK(!crm_workflow_is_resolved(wf, "open"));
	CHECK_STR(crm_workflow_status(wf, "Waiting"), "waiting");
	CHECK(crm_workflow_status(wf, "nope") == NULL);

	const struct crm_wf_transition *t;
	/* By transition name, by target status; any role for a transition without roles. */
	CHECK_INT(crm_workflow_move(wf, "new", "start", "", &t, &err), CRM_OK);
	CHECK_STR(t->to, "open");
	CHECK_INT(crm_workflow_move(wf, "new", "open", "viewer", &t, &err), CRM_OK);
	CHECK_STR(t->name, "start");
	CHECK_INT(crm_workflow_move(wf, "open", "waiting", "agent", &t, &err), CRM_OK);
	CHECK_STR(t->name, "wait");
	/* Illegal from here: the allowed moves are named. */
	CHECK_INT(crm_workflow_move(wf, "new", "done", "agent", &t, &err), CRM_ECONFLICT);
	CHECK(strstr(err.msg, "from 'new' to 'done'") != NULL);
	CHECK(strstr(err.msg, "allowed: start (to open), wait (to waiting), cancel (to closed)") != NULL);
	CHECK_INT(crm_workflow_move(wf, "new", "bogus", "agent", &t, &err), CRM_ECONFLICT);
	CHECK(strstr(err.msg, "no such status or transition") != NULL);
	/* Legal, but not for these roles. */
	CHECK_INT(crm_workflow_move(wf, "done", "close", "agent,viewer", &t, &err), CRM_EPERM);
	CHECK(strstr(err.msg, "'close'") != NULL && strstr(err.msg, "boss") != NULL);
	CHECK_INT(crm_workflow_move(wf, "done", "closed", "boss", &t, &err), CRM_OK);
	CHECK_STR(t->name, "close");
	CHECK_INT(crm_workflow_move(wf, "waiting", "done", "boss", &t, &err), CRM_EPERM);
	/* "*": from every status. */
	CHECK_INT(crm_workflow_move(wf, "waiting", "cancel", "boss", &t, &err), CRM_OK);
	CHECK_STR(t->to, "closed");
	/* Required fields and roles are kept. */
	CHECK_INT(crm_workflow_move(wf, "open", "finish", "agent", &t, &err), CRM_OK);
	CHECK_INT(t->nrequired, 1);
	CHECK_STR(t->required[0], "resolution");
	CHECK(crm_workflow_may(t, "boss, agent"));
	CHECK(!crm_workflow_may(t, "boss"));
	CHECK(!crm_workflow_may(t, ""));

	char **problems;
	CHECK_INT(crm_workflow_check(wf, cfg, NULL, &problems), 0);
	crm_workflow_problems_free(problems, 0);

	char *dot = crm_workflow_dot(wf);
	CHECK(strncmp(dot, "digraph \"ticket\" {", 18) == 0);
	CHECK(strstr(dot, "\"\" -> \"new\";") != NULL);
	CHECK(strstr(dot, "\"new\" -> \"open\" [label=\"start\"];") != NULL);
	CHECK(strstr(dot, "\"done\" [peripheries=2];") != NULL);
	CHECK(strstr(dot, "\"open\" -> \"done\" [label=\"finish\\n[agent]\\nneeds resolution\"];") != NULL);
	CHECK(strstr(dot, "\"waiting\" -> \"closed\" [label=\"cancel\\n[boss]\"];") != NULL);
	CHECK(dot[strlen(dot) - 2] == '}');
	free(dot);
	crm_workflow_free(wf);
	crm_config_free(cfg);
}

static void test_load_errors(void)
{
	/* Another kind than ticket, so that nothing merges in from the built-in workflow. */
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "x: 1\n", "no workflow for quote" },
		{ "workflow: {quote: [a, b]}\n", "must be a map" },
		{ "workflow: {quote: {statuses: []}}\n", "statuses must list" },
		{ "workflow: {quote: {statuses: [a, A]}}\n", "listed twice" },
		{ "workflow: {quote: {statuses: [a, b], initial: c}}\n", "initial: 'c' is not one of" },
		{ "workflow: {quote: {statuses: [a, b], resolved: [z]}}\n", "unknown status 'z'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: a}]}}\n", "has no 'to'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: a, to: q}]}}\n", "unknown status 'q'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{to: b}]}}\n", "needs 'from'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: x, to: b}]}}\n", "unknown status 'x'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: a, to: b, who: c}]}}\n",
		  "unknown key 'who'" },
		{ "workflow: {quote: {statuses: [a, b], transitions: {from: a}}}\n", "must be a list" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: a, to: b, permission: [x]}]}}\n",
		  "permission of transition 1 is one permission" },
		{ "workflow: {quote: {statuses: [a, b], transitions: [{from: a, to: b, clear: {x: 1}}]}}\n",
		  "clear of transition 1 must be a list" },
		{ "workflow: {quote: {statuses: [a, b], effects: [bogus]}}\n", "no effect 'bogus' for quote" },
		/* A ticket's effects are the ticket's own. */
		{ "workflow: {quote: {statuses: [a, b], effects: [stamps]}}\n", "no effect 'stamps' for quote (none)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct crm_err err = { 0 };
		struct crm_config *cfg = config(cases[i].yaml, &err);
		CHECK(cfg != NULL);
		struct crm_workflow *wf = NULL;
		CHECK_INT(crm_workflow_load(cfg, "quote", &wf, &err), CRM_ECONFIG);
		if (!strstr(err.msg, cases[i].want))
			fprintf(stderr, "case %zu: '%s' does not say '%s'\n", i, err.msg, cases[i].want);
		CHECK(strstr(err.msg, cases[i].want) != NULL);
		/* Where: file, line and column (but for a workflow that is not there at all). */
		CHECK(i == 0 || strstr(err.msg, "/dev/fd/7/crm/config.yaml:") != NULL);
		CHECK(wf == NULL);
		crm_config_free(cfg);
	}
}

static int has_problem(char **list, int n, const char *text);

/* Field values for crm_workflow_required: "name=value" pairs. */
static const char *get_pair(void *ctx, const char *field)
{
	for (const char *const *p = ctx; *p; p += 2)
		if (strcmp(p[0], field) == 0)
			return p[1];
	return NULL;
}

static void test_transitions_fields_effects(void)
{
	struct crm_err err = { 0 };
	struct crm_config *cfg = config("workflow:\n"
					"  ticket:\n"
					"    statuses: [new, open, resolved]\n"
					"    resolved: [resolved]\n"
					"    transitions:\n"
					"      - {name: start, from: new, to: open}\n"
					"      - {name: resolve, from: [new, open], to: resolved, required: [resolution, cause]}\n"
					"      - {name: reopen, from: resolved, to: open, clear: [resolution, cause]}\n"
					"      - {name: escalate, from: '*', to: open, permission: ticket.escalate}\n"
					"    effects: [stamps, action]\n",
					&err);
	CHECK(cfg != NULL);
	struct crm_workflow *wf;
	CHECK_INT(crm_workflow_load(cfg, "ticket", &wf, &err), CRM_OK);
	/* Transition lookup: by name, leaving a status (NULL: from anywhere). */
	const struct crm_wf_transition *t = crm_workflow_transition(wf, "resolved", "REOPEN");
	CHECK(t != NULL);
	CHECK_STR(t->name, "reopen");
	CHECK(crm_workflow_transition(wf, "new", "reopen") == NULL);
	CHECK(crm_workflow_transition(wf, NULL, "reopen") == t);
	CHECK(crm_workflow_transition(wf, "open", "nope") == NULL);
	/* Fields cleared on entry. */
	CHECK_INT(t->nclear, 2);
	CHECK_STR(t->clear[0], "resolution");
	CHECK_STR(t->clear[1], "cause");
	CHECK(t->permission == NULL);
	t = crm_workflow_transition(wf, "resolved", "escalate");
	CHECK(t != NULL && t->permission && strcmp(t->permission, "ticket.escalate") == 0);
	/* Required fields: all missing ones named, the first as the field at fault. */
	t = crm_workflow_transition(wf, "open", "resolve");
	const char *none[] = { "resolution", "", NULL };
	CHECK_INT(crm_workflow_required(t, get_pair, none, &err), CRM_EINVALID);
	CHECK_STR(err.msg, "transition 'resolve' needs resolution, cause (give --resolution <value> or --set "
		  "resolution=...)");
	CHECK_STR(err.field, "resolution");
	const char *half[] = { "resolution", "fixed", NULL };
	CHECK_INT(crm_workflow_required(t, get_pair, half, &err), CRM_EINVALID);
	CHECK_STR(err.field, "cause");
	const char *all[] = { "resolution", "fixed", "cause", "dust", NULL };
	CHECK_INT(crm_workflow_required(t, get_pair, all, &err), CRM_OK);
	/* Effects are found by name among the kind's own, in the configured order. */
	CHECK_INT(wf->neffects, 2);
	CHECK_STR(wf->effects[0]->name, "stamps");
	CHECK(wf->effects[0]->before != NULL && wf->effects[0]->after == NULL);
	CHECK_STR(wf->effects[1]->name, "action");
	CHECK(wf->effects[1]->after != NULL);
	CHECK(crm_wf_effect_find("ticket", "notify") != NULL);
	CHECK(crm_wf_effect_find("contract", "notify") == NULL);
	/* The kinds with a status workflow say so in their descriptor. */
	CHECK_STR(crm_workflow_field(crm_kind_find("ticket"))->name, "status");
	CHECK_STR(crm_workflow_field(crm_kind_find("contract"))->name, "status");
	CHECK_STR(crm_workflow_field(crm_kind_find("project"))->name, "status");
	CHECK(crm_workflow_field(crm_kind_find("account")) == NULL);
	/* check: cleared fields must be ones that can be emptied. */
	char **list;
	int n = crm_workflow_check(wf, cfg, crm_kind_find("ticket"), &list);
	CHECK(has_problem(list, n, "transition 'reopen' clears unknown field 'cause'"));
	CHECK(has_problem(list, n, "transition 'resolve' requires unknown field 'cause'"));
	crm_workflow_problems_free(list, n);
	n = crm_workflow_check(wf, cfg, crm_kind_find("account"), &list);
	CHECK(has_problem(list, n, "accounts has no status for a workflow to govern"));
	crm_workflow_problems_free(list, n);
	crm_workflow_free(wf);
	crm_config_free(cfg);

	/* The built-in contract and project workflows are sound. */
	cfg = config("x: 1\n", &err);
	for (int i = 0; i < 2; i++) {
		const char *kind = i ? "project" : "contract";
		CHECK_INT(crm_workflow_load(cfg, kind, &wf, &err), CRM_OK);
		n = crm_workflow_check(wf, cfg, crm_kind_find(kind), &list);
		CHECK_INT(n, 0);
		crm_workflow_problems_free(list, n);
		if (i == 0) {
			t = crm_workflow_transition(wf, "review", "sign");
			CHECK(t && strcmp(t->to, "signed") == 0 && strcmp(t->permission, "contract.sign") == 0);
		}
		crm_workflow_free(wf);
	}
	crm_config_free(cfg);
}

/* A misspelt key at any depth is named with its place; the old flows say how to move on. */
static void test_config_schema(void)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "workflow:\n  ticket:\n    transitons: []\n", ":3:5: unknown setting 'workflow.ticket.transitons'; did you mean 'transitions'?" },
		{ "notify: {bogus: 1}\n", "unknown setting 'notify.bogus'" },
		{ "workflow: {ticket: {transitions: [{name: x, form: a}]}}\n", "unknown setting 'workflow.ticket.transitions.form'; did you mean 'from'?" },
		{ "sla: {targets: {urgent: {respnse: 1h}}}\n", "unknown setting 'sla.targets.urgent.respnse'" },
		{ "workflow: {account: {statuses: [a]}}\n", "no kind of record 'account' with a status" },
		{ "flows: {contract: {field: status}}\n", "'flows' is gone" },
		{ "picklists: {project_status: [a]}\n", "workflow.project.statuses" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct crm_err err = { 0 };
		struct crm_config *cfg = config(cases[i].yaml, &err);
		CHECK(cfg != NULL);
		CHECK_INT(crm_config_check(cfg, &err), CRM_ECONFIG);
		if (!strstr(err.msg, cases[i].want))
			fprintf(stderr, "case %zu: '%s' does not say '%s'\n", i, err.msg, cases[i].want);
		CHECK(strstr(err.msg, cases[i].want) != NULL);
		CHECK(strstr(err.msg, "/dev/fd/7/crm/config.yaml:") != NULL);
		crm_config_free(cfg);
	}
	/* User-named keys: pick-lists, roles, kinds, priorities. */
	struct crm_err err = { 0 };
	struct crm_config *cfg = config("picklists: {anything: [a], more: {x: {}}}\n"
					"sla: {targets: {someday: {response: 1w}}}\ncustom_fields: {ticket: [{name: x}]}\n",
					&err);
	CHECK_INT(crm_config_check(cfg, &err), CRM_OK);
	crm_config_free(cfg);
}

static int has_problem(char **list, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (strstr(list[i], text))
			return 1;
	return 0;
}

static void test_check(void)
{
	struct crm_err err = { 0 };
	struct crm_config *cfg = with_roles(config("workflow:\n"
						   "  ticket:\n"
						   "    statuses: [new, open, limbo, island, done]\n"
						   "    resolved: [done]\n"
						   "    transitions:\n"
						   "      - {from: new, to: open, roles: [agent, wizard]}\n"
						   "      - {from: open, to: limbo}\n"
						   "      - {from: open, to: done}\n"
						   "      - {from: island, to: done}\n",
						   &err), "agent", (char *)NULL);
	CHECK(cfg != NULL);
	struct crm_workflow *wf;
	CHECK_INT(crm_workflow_load(cfg, "ticket", &wf, &err), CRM_OK);
	/* Unnamed transitions are named after their target. */
	CHECK_STR(wf->tr[0].name, "open");
	char **list;
	int n = crm_workflow_check(wf, cfg, NULL, &list);
	CHECK_INT(n, 3);
	CHECK(has_problem(list, n, "status 'island' is unreachable from 'new'"));
	CHECK(has_problem(list, n, "status 'limbo' is a dead end: no transition leaves it"));
	CHECK(has_problem(list, n, "unknown role 'wizard'"));
	crm_workflow_problems_free(list, n);
	crm_workflow_free(wf);
	crm_config_free(cfg);

	/* A loop that never reaches a resolved status is a dead end too. */
	cfg = config("workflow:\n"
		     "  ticket:\n"
		     "    statuses: [new, a, b, done]\n"
		     "    resolved: [done]\n"
		     "    transitions:\n"
		     "      - {from: new, to: a}\n"
		     "      - {from: a, to: b}\n"
		     "      - {from: b, to: a}\n"
		     "      - {from: new, to: done}\n",
		     &err);
	CHECK_INT(crm_workflow_load(cfg, "ticket", &wf, &err), CRM_OK);
	n = crm_workflow_check(wf, cfg, NULL, &list);
	CHECK_INT(n, 2);
	CHECK(has_problem(list, n, "status 'a' is a dead end: no resolved status can be reached"));
	CHECK(has_problem(list, n, "status 'b' is a dead end"));
	crm_workflow_problems_free(list, n);
	crm_workflow_free(wf);
	crm_config_free(cfg);

	/* The built-in workflow is sound. */
	cfg = config("", &err);
	CHECK_INT(crm_workflow_load(cfg, "ticket", &wf, &err), CRM_OK);
	n = crm_workflow_check(wf, cfg, NULL, &list);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "built-in workflow: %s\n", list[i]);
	CHECK_INT(n, 0);
	crm_workflow_problems_free(list, n);
	crm_workflow_free(wf);
	crm_config_free(cfg);
}

static void test_durations(void)
{
	long long s;
	CHECK_INT(crm_duration_parse("90m", &s), 0);
	CHECK_INT(s, 5400);
	CHECK_INT(crm_duration_parse("4h", &s), 0);
	CHECK_INT(s, 14400);
	CHECK_INT(crm_duration_parse("1d12h", &s), 0);
	CHECK_INT(s, 129600);
	CHECK_INT(crm_duration_parse("2 days", &s), 0);
	CHECK_INT(s, 172800);
	CHECK_INT(crm_duration_parse("1w", &s), 0);
	CHECK_INT(s, 604800);
	CHECK_INT(crm_duration_parse("30s", &s), 0);
	CHECK_INT(s, 30);
	CHECK_INT(crm_duration_parse("", &s), -1);
	CHECK_INT(crm_duration_parse("4", &s), -1);
	CHECK_INT(crm_duration_parse("h", &s), -1);
	CHECK_INT(crm_duration_parse("4x", &s), -1);
	CHECK_INT(crm_duration_parse("-4h", &s), -1);
}

static time_t at(const char *iso)
{
	return crm_time_parse_iso(iso);
}

static void test_sla_clock(void)
{
	struct crm_err err = { 0 };
	struct crm_config *cfg = config("sla:\n"
					"  paused: [waiting]\n"
					"  targets:\n"
					"    high: {response: 4h, resolution: 1d}\n"
					"    minor: {resolution: 1w}\n",
					&err);
	struct crm_sla *sla;
	CHECK_INT(crm_sla_load(cfg, &sla, &err), CRM_OK);
	CHECK_INT(crm_sla_target(sla, "high", CRM_SLA_RESPONSE), 14400);
	CHECK_INT(crm_sla_target(sla, "HIGH", CRM_SLA_RESOLUTION), 86400);
	CHECK_INT(crm_sla_target(sla, "minor", CRM_SLA_RESPONSE), -1);
	CHECK_INT(crm_sla_target(sla, "minor", CRM_SLA_RESOLUTION), 604800);
	/* The built-in targets stay for priorities the file does not name (maps merge key by key). */
	CHECK_INT(crm_sla_target(sla, "urgent", CRM_SLA_RESPONSE), 3600);
	CHECK_INT(crm_sla_target(sla, "none", CRM_SLA_RESOLUTION), -1);
	CHECK(crm_sla_paused(sla, "waiting"));
	CHECK(!crm_sla_paused(sla, "open"));

	struct crm_sla_ticket t = { "high", at("2026-01-05T09:00:00Z"), 0, 0, 0, 0 };
	struct crm_sla_state s;
	/* Unanswered after 3 hours: fine; after 5: the response target is missed. */
	crm_sla_eval(sla, &t, at("2026-01-05T12:00:00Z"), &s);
	CHECK_INT(s.response_due, at("2026-01-05T13:00:00Z"));
	CHECK_INT(s.resolution_due, at("2026-01-06T09:00:00Z"));
	CHECK(!s.response_breach && !s.resolution_breach);
	crm_sla_eval(sla, &t, at("2026-01-05T14:00:00Z"), &s);
	CHECK(s.response_breach && !s.resolution_breach);
	/* Answered in time stays in time. */
	t.responded = at("2026-01-05T10:00:00Z");
	crm_sla_eval(sla, &t, at("2026-01-05T14:00:00Z"), &s);
	CHECK(!s.response_breach);
	/* Paused since 11:00 (2 hours used): the deadline moves on while it waits... */
	t.paused_since = at("2026-01-05T11:00:00Z");
	crm_sla_eval(sla, &t, at("2026-01-08T11:00:00Z"), &s);
	CHECK(!s.resolution_breach);
	CHECK_INT(s.resolution_due, at("2026-01-09T09:00:00Z"));
	/* ...and after 3 days waiting, resumed: 2 + 23 hours used by the next morning is late. */
	t.paused_since = 0;
	t.paused_seconds = 3 * 86400;
	crm_sla_eval(sla, &t, at("2026-01-09T08:00:00Z"), &s);
	CHECK(!s.resolution_breach);
	crm_sla_eval(sla, &t, at("2026-01-09T10:00:00Z"), &s);
	CHECK(s.resolution_breach);
	CHECK_INT(s.resolution_due, at("2026-01-09T09:00:00Z"));
	/* Resolved (clock stopped) in time: not a breach, however late it is now. */
	t.paused_seconds = 0;
	t.resolved = t.paused_since = at("2026-01-05T20:00:00Z");
	crm_sla_eval(sla, &t, at("2026-02-01T00:00:00Z"), &s);
	CHECK(!s.resolution_breach);
	CHECK_INT(s.resolution_due, at("2026-01-06T09:00:00Z"));
	/* No targets for a priority: never late. */
	struct crm_sla_ticket u = { "none", at("2020-01-01T00:00:00Z"), 0, 0, 0, 0 };
	crm_sla_eval(sla, &u, at("2026-01-01T00:00:00Z"), &s);
	CHECK(!s.response_breach && !s.resolution_breach && !s.response_due && !s.resolution_due);
	crm_sla_free(sla);
	crm_config_free(cfg);

	cfg = config("sla: {targets: {high: {response: soon}}}\n", &err);
	CHECK_INT(crm_sla_load(cfg, &sla, &err), CRM_ECONFIG);
	CHECK(strstr(err.msg, "'soon' is not a duration") != NULL);
	CHECK(strstr(err.msg, ":1:") != NULL);
	crm_config_free(cfg);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	unsetenv("CRM_NOW");
	test_load_and_moves();
	test_load_errors();
	test_check();
	test_transitions_fields_effects();
	test_config_schema();
	test_durations();
	test_sla_clock();
	for (int i = 0; i < nmade; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/crm/config.yaml", made[i]);
		unlink(path);
		snprintf(path, sizeof path, "%s/crm", made[i]);
		rmdir(path);
		rmdir(made[i]);
	}
	return UNIT_DONE();
}
