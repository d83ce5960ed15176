/* Mail-merge templates (crm-merge(1)): a small syntax parsed once into a tree, then rendered
 * for each record. The syntax, in full:
 *
 *   {{name}}                   the value of a placeholder ("" when it has none)
 *   {{name|default text}}      the default text when the value is empty (spaces around the
 *                              name and the default are trimmed)
 *   {{#if name}}...{{/if}}     the part when the value is set (not empty; a yes-or-no field is
 *   {{#if name}}...{{else}}...{{/if}}        set when yes)
 *   {{#unless name}}...{{/unless}}           the part when it is not set ({{else}} too)
 *   {{! a comment }}           nothing
 *   \{{                        a literal "{{"
 *
 * A block tag (#if, #unless, else, /if, /unless, !comment) alone on its line, but for spaces,
 * takes the line with it, so that conditional paragraphs leave no empty lines.
 * A name is letters, digits and _, in parts joined by dots (account.name, attr.vat_id). What
 * names exist is for the caller to say (core/merge.c checks them against the kinds).
 *
 * A template may start with a header block: lines "Subject: text" (the text is a template
 * too, on one line), ended by an empty line; Subject is the only header. A first line that is
 * not "Subject:" starts the body. */
#ifndef CRM_TEMPLATE_H
#define CRM_TEMPLATE_H

#include "crm/error.h"

struct crm_tpl;

enum crm_tpl_part {
	CRM_TPL_BODY,
	CRM_TPL_SUBJECT,
};

/* The value of one placeholder for one record. */
struct crm_tpl_value {
	const char *text; /* NULL or "" when empty */
	int set;          /* true in {{#if}}: not empty, and for a yes-or-no field yes */
};

/* Parse text (UTF-8). A syntax error (an unclosed {{ or {{#if}}, an {{else}} or {{/if}} with
 * no block, a bad name, an unknown header) is CRM_EINVALID naming `name` and the line:
 * "template 'letter.txt' line 4: {{#if title}} is never closed". */
int crm_tpl_parse(const char *name, const char *text, struct crm_tpl **out, struct crm_err *err);
void crm_tpl_free(struct crm_tpl *t);

/* The distinct placeholder names used (in the subject and the body), in order of first use,
 * with the line of that first use. vals[] given to crm_tpl_render follow this order. */
int crm_tpl_nvars(const struct crm_tpl *t);
const char *crm_tpl_var(const struct crm_tpl *t, int i, int *line);
/* Does the template have a Subject header? */
int crm_tpl_has_subject(const struct crm_tpl *t);
/* The template's name as given to crm_tpl_parse. */
const char *crm_tpl_name(const struct crm_tpl *t);

/* The part rendered with vals (one per placeholder, crm_tpl_nvars of them). free() it. The
 * subject of a template without one is "". */
char *crm_tpl_render(const struct crm_tpl *t, enum crm_tpl_part part, const struct crm_tpl_value *vals);

#endif
