/* crm workflow: check the configured workflows (and what tickets take from the configuration
 * with them: custom fields, service levels, priorities), draw one as Graphviz DOT
 * (crm-workflow(1)). Both need no database. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd.h"
#include "crm/custom.h"
#include "crm/sla.h"
#include "crm/workflow.h"

/* Problems of the service levels against the ticket workflow and the priority pick-list. */
static int check_sla(struct cli *cli, const struct crm_workflow *wf, int *problems)
{
	struct crm_sla *sla;
	struct crm_err err = { 0 };
	if (crm_sla_load(cli->cfg, &sla, &err)) {
		(*problems)++;
		return cli_fail(&err);
	}
	const struct crm_conf_node *prio = crm_config_node(cli->cfg, "picklists.priority");
	for (int i = 0; crm_sla_priority(sla, i); i++) {
		const char *p = crm_sla_priority(sla, i);
		int known = 0;
		for (size_t j = 0; j < crm_conf_count(prio); j++)
			known |= crm_conf_scalar(crm_conf_child(prio, j)) &&
				 strcasecmp(crm_conf_scalar(crm_conf_child(prio, j)), p) == 0;
		if (!known) {
			cli_error(CRM_ECONFIG, "%s: sla.targets: '%s' is not a priority (picklists.priority)",
				  crm_wf_where(crm_config_node(cli->cfg, "sla.targets")), p);
			(*problems)++;
		}
	}
	for (int i = 0; wf && crm_sla_paused_status(sla, i); i++)
		if (!crm_workflow_status(wf, crm_sla_paused_status(sla, i))) {
			cli_error(CRM_ECONFIG, "%s: sla.paused: '%s' is not a status of workflow.ticket",
				  crm_wf_where(crm_config_node(cli->cfg, "sla.paused")), crm_sla_paused_status(sla, i));
			(*problems)++;
		}
	crm_sla_free(sla);
	const char *to = crm_config_get(cli->cfg, "alerts.to");
	if (to && strcmp(to, "manager") != 0 && strcmp(to, "role") != 0) {
		cli_error(CRM_ECONFIG, "%s: alerts.to is manager or role, not '%s'",
			  crm_wf_where(crm_config_node(cli->cfg, "alerts.to")), to);
		(*problems)++;
	}
	const char *role = crm_config_get(cli->cfg, "alerts.role");
	if (role && !crm_conf_get(crm_config_node(cli->cfg, "roles"), role)) {
		cli_error(CRM_ECONFIG, "%s: alerts.role: role '%s' is not defined (roles:)",
			  crm_wf_where(crm_config_node(cli->cfg, "alerts.role")), role);
		(*problems)++;
	}
	return 0;
}

static int check_one(struct cli *cli, const char *kind, int *problems)
{
	struct crm_workflow *wf;
	struct crm_err err = { 0 };
	if (crm_workflow_load(cli->cfg, kind, &wf, &err)) {
		(*problems)++;
		cli_fail(&err);
		if (strcmp(kind, "ticket") == 0)
			check_sla(cli, NULL, problems);
		return 0;
	}
	const struct crm_kind *k = crm_kind_find(kind);
	if (!k) {
		cli_error(CRM_ECONFIG, "%s: workflow.%s: there is no kind of record '%s'", crm_wf_where(wf->node),
			  kind, kind);
		(*problems)++;
	}
	char **list;
	int n = crm_workflow_check(wf, cli->cfg, k, &list);
	for (int i = 0; i < n; i++)
		cli_error(CRM_ECONFIG, "%s", list[i]);
	crm_workflow_problems_free(list, n);
	*problems += n;
	if (strcmp(kind, "ticket") == 0)
		check_sla(cli, wf, problems);
	if (!n)
		cli_info(cli, "workflow %s: %d statuses, %d transitions", kind, wf->nstatuses, wf->ntr);
	crm_workflow_free(wf);
	return 0;
}

static int workflow_check(struct cli *cli, int argc, char **argv)
{
	int problems = 0;
	struct crm_err err = { 0 };
	/* Custom fields first: transitions may require them. */
	if (crm_custom_configure(cli->cfg, &err)) {
		cli_fail(&err);
		problems++;
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			check_one(cli, argv[i], &problems);
	} else {
		const struct crm_conf_node *all = crm_config_node(cli->cfg, "workflow");
		for (size_t i = 0; i < crm_conf_count(all); i++)
			check_one(cli, crm_conf_key(all, i), &problems);
		if (!crm_conf_count(all))
			cli_info(cli, "no workflows configured");
	}
	crm_custom_reset();
	if (problems)
		return cli_error(CRM_ECONFIG, "%d problem%s in the configuration", problems, problems == 1 ? "" : "s");
	return 0;
}

static int workflow_graph(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage(cli);
	const char *kind = argc == 2 ? argv[1] : "ticket";
	struct crm_workflow *wf;
	struct crm_err err = { 0 };
	if (crm_workflow_load(cli->cfg, kind, &wf, &err))
		return cli_fail(&err);
	char *dot = crm_workflow_dot(wf);
	crm_workflow_free(wf);
	if (!cli->output) {
		int bad = fputs(dot, stdout) < 0;
		bad |= fflush(stdout) != 0;
		free(dot);
		return bad ? cli_error(CRM_EFAIL, "cannot write the graph") : 0;
	}
	/* As every -o: a temporary file renamed over the target once complete, keeping its mode;
	 * a device or FIFO written in place; never through a symbolic link. */
	struct cli_out o;
	if (cli_out_open(&o, cli->output, &err)) {
		free(dot);
		return cli_fail(&err);
	}
	const char *s = dot;
	size_t left = strlen(dot);
	int e = 0;
	while (left && !e) {
		ssize_t w = write(o.fd, s, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else {
			s += w;
			left -= (size_t)w;
		}
	}
	free(dot);
	int rc = cli_out_close(&o, !e, &err);
	if (e)
		return cli_error(CRM_EFAIL, "cannot write '%s': %s", cli->output, strerror(e));
	return rc ? cli_fail(&err) : 0;
}

const struct cmd_verb cmd_workflow_verbs[] = {
	{ "check", NULL, workflow_check, CMD_NODB, "[<kind>...]",
	  "validate workflows: unreachable statuses, unknown roles, dead ends (exit 78)", { NULL }, NULL, NULL },
	{ "graph", NULL, workflow_graph, CMD_NODB, "[<kind>]", "print a workflow as a Graphviz DOT graph", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
