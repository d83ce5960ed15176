/* crm location: served by the generic record verbs. */
#include "cmd.h"

const struct cmd_verb cmd_location_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE, "<name> --account <account> [--<field> <value>]...", "add a location; prints its number" },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]", "list locations" },
	{ "show", NULL, rec_show, CMD_READ, "<location>", "show a location" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<location>|<filter>... --<field> <value>... [--yes]", "change locations" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<location>...|<filter>... [--yes]", "remove locations" },
	{ "history", NULL, rec_history, CMD_READ, "<location>", "show who changed a location, when and how" },
	{ "import", NULL, rec_import, CMD_WRITE, CMD_IMPORT_USAGE, "import locations from a CSV file" },
	{ "export", NULL, rec_export, CMD_READ, CMD_EXPORT_USAGE, "export locations to csv, tsv, json, ndjson, yaml or xlsx" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
