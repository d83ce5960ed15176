/* crm user: served by the generic record verbs. */
#include "cmd.h"

const struct cmd_verb cmd_user_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE, "<login> [--<field> <value>]...", "add a user; prints its number" },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]", "list users" },
	{ "show", NULL, rec_show, CMD_READ, "<user>", "show a user" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<user>|<filter>... --<field> <value>... [--yes]", "change users" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<user>...|<filter>... [--yes]", "remove users" },
	{ "history", NULL, rec_history, CMD_READ, "<user>", "show who changed a user, when and how" },
	{ "import", NULL, rec_import, CMD_WRITE, CMD_IMPORT_USAGE, "import users from a CSV file" },
	{ "export", NULL, rec_export, CMD_READ, CMD_EXPORT_USAGE, "export users to csv, tsv, json, ndjson, yaml or xlsx" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
