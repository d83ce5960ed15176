/* crm contact: the generic verbs, with show listing the contact's projects, contracts and
 * activities. */
#include "cmd.h"

const struct cmd_verb cmd_contact_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a contact with its projects, contracts and activities", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
