/* crm event: the same records as crm task (kind task), seen as calendar entries: add makes an
 * event unless --type says otherwise, list leaves plain tasks out unless the filter names a
 * type (crm-event(1)). Every other verb is the generic one over kind task. */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include "cmd.h"
#include "crm/ical.h"

struct ics_import {
	const char *text;
	int created, updated;
};

static int ics_import(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct ics_import *im = ctx;
	return crm_ical_import(crm, im->text, &im->created, &im->updated, err);
}

/* import: the generic CSV import, or an iCalendar file (FILE.ics): each VEVENT and VTODO added, or
 * updated by its UID (crm event import, crm task import). */
int cmd_ics_import(struct cli *cli, int argc, char **argv)
{
	size_t n = argc > 1 ? strlen(argv[1]) : 0;
	if (argc != 2 || n < 5 || strcmp(argv[1] + n - 4, ".ics") != 0)
		return rec_import(cli, argc, argv);
	FILE *f = fopen(argv[1], "r");
	if (!f)
		return cli_error(errno == ENOENT ? CRM_ENOTFOUND : CRM_EFAIL, "cannot read '%s': %s", argv[1], strerror(errno));
	size_t cap = 65536, len = 0, got;
	char *text = malloc(cap);
	while (text && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 2)
			text = realloc(text, cap *= 2);
	}
	fclose(f);
	if (!text)
		abort();
	text[len] = '\0';
	struct ics_import im = { text, 0, 0 };
	struct crm_err err = { 0 };
	int rc = crm_atomic(cli->crm, ics_import, &im, &err);
	free(text);
	if (rc)
		return cli_fail(&err);
	cli_info(cli, "%d created, %d updated", im.created, im.updated);
	return 0;
}

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
	{ "import", NULL, cmd_ics_import, CMD_WRITE, "<file>|-", "import events from an iCalendar file (FILE.ics: "
	  "an invitation, updated by its UID when imported again) or a CSV file", { cmd_import_opts }, NULL, NULL },
	{ "add", NULL, event_add, CMD_WRITE | CMD_FIELDS, "%P", "add an event (type event unless --type says otherwise); prints its number",
	  { cmd_set_opts }, NULL, NULL },
	{ "list", "ls", event_list, CMD_READ, "[<filter>...]", "list events, meetings, calls and deadlines (not plain tasks)",
	  { cmd_list_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an event with the transitions you may take and its history", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
