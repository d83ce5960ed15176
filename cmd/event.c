/* crm event: the same records as crm task (kind task), seen as calendar entries: add makes an
 * event unless --type says otherwise, list leaves plain tasks out unless the filter names a
 * type (crm-event(1)). Every other verb is the generic one over kind task. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

static int typed(const struct cli *cli)
{
	for (int i = 0; i < cli->args.nset; i++)
		if (strcmp(cli->args.set[i].field, "type") == 0)
			return 1;
	return 0;
}

static int event_add(struct cli *cli, int argc, char **argv)
{
	const struct crm_assign type = { "type", "event" };
	return rec_add_with(cli, argc, argv, &type, typed(cli) ? 0 : 1);
}

static int event_list(struct cli *cli, int argc, char **argv)
{
	int about_type = 0;
	for (int i = 1; i < argc; i++)
		about_type |= strncmp(argv[i], "type", 4) == 0 && (argv[i][4] == ':' || argv[i][4] == '.');
	if (about_type)
		return rec_list(cli, argc, argv);
	char **v = calloc((size_t)argc + 2, sizeof *v);
	memcpy(v, argv, (size_t)argc * sizeof *v);
	v[argc] = "type.not:task";
	int rc = rec_list(cli, argc + 1, v);
	free(v);
	return rc;
}

const struct cmd_verb cmd_event_verbs[] = {
	{ "add", NULL, event_add, CMD_WRITE | CMD_FIELDS, "%P", "add an event (type event unless --type says otherwise); prints its number",
	  { cmd_set_opts }, NULL, NULL },
	{ "list", "ls", event_list, CMD_READ, "[<filter>...]", "list events, meetings, calls and deadlines (not plain tasks)",
	  { cmd_list_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an event with the transitions you may take and its history", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
