/* crm contact: served by the generic record verbs. */
#include "cmd.h"

const struct cmd_verb cmd_contact_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE, "<first> <last> [--<field> <value>]...", "add a contact; prints its number" },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]", "list contacts" },
	{ "show", NULL, rel_show, CMD_READ, "<contact>", "show a contact with its projects, contracts and activities" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<contact>|<filter>... --<field> <value>... [--yes]", "change contacts" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<contact>...|<filter>... [--yes]", "remove contacts" },
	{ "history", NULL, rec_history, CMD_READ, "<contact>", "show who changed a contact, when and how" },
	{ "import", NULL, rec_import, CMD_WRITE, CMD_IMPORT_USAGE, "import contacts from a CSV file" },
	{ "export", NULL, rec_export, CMD_READ, CMD_EXPORT_USAGE, "export contacts to csv, tsv, json, ndjson, yaml or xlsx" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
