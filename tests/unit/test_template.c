/* Unit tests of core/template.c: the mail-merge syntax parsed once and rendered per record:
 * placeholders and defaults, #if/#unless/else, standalone block lines, escapes, the Subject
 * header, and the errors with their lines. */
#include <stdlib.h>
#include "crm/template.h"
#include "unit.h"

/* Render text with values given as name=value pairs ("" for empty, a name missing: empty);
 * a value "no" is not set, as a yes-or-no field reads. */
static char *render(const char *text, enum crm_tpl_part part, const char *const *pairs)
{
	struct crm_tpl *t;
	struct crm_err err = { 0 };
	if (crm_tpl_parse("t", text, &t, &err)) {
		fprintf(stderr, "  parse failed: %s\n", err.msg);
		return NULL;
	}
	int n = crm_tpl_nvars(t);
	struct crm_tpl_value vals[16] = { { 0 } };
	for (int i = 0; i < n && i < 16; i++) {
		const char *name = crm_tpl_var(t, i, NULL);
		for (int k = 0; pairs && pairs[k]; k += 2)
			if (strcmp(pairs[k], name) == 0) {
				vals[i].text = pairs[k + 1];
				vals[i].set = *pairs[k + 1] && strcmp(pairs[k + 1], "no") != 0;
			}
	}
	char *out = crm_tpl_render(t, part, vals);
	crm_tpl_free(t);
	return out;
}

static void check_render(const char *text, const char *const *pairs, const char *want)
{
	char *got = render(text, CRM_TPL_BODY, pairs);
	CHECK_STR(got, want);
	if (!got || strcmp(got, want) != 0)
		fprintf(stderr, "  template: '%s'\n", text);
	free(got);
}

static void check_error(const char *text, const char *want)
{
	struct crm_tpl *t = NULL;
	struct crm_err err = { 0 };
	CHECK_INT(crm_tpl_parse("t.txt", text, &t, &err), CRM_EINVALID);
	CHECK(t == NULL);
	CHECK_STR(err.msg, want);
	crm_tpl_free(t);
}

int main(void)
{
	const char *ann[] = { "name", "Ann", "title", "CEO", "account.name", "Acme", "vip", "yes", "dnm", "no", NULL };
	check_render("Hello {{name}}!", ann, "Hello Ann!");
	check_render("Hello {{ name }} of {{account.name}}", ann, "Hello Ann of Acme");
	check_render("{{missing|friend}} {{title|none}} {{ missing | two words }}", ann, "friend CEO two words");
	check_render("{{missing}}.", ann, ".");
	check_render("{{#if title}}T={{title}}{{else}}none{{/if}}", ann, "T=CEO");
	check_render("{{#if missing}}T{{else}}none{{/if}}", ann, "none");
	check_render("{{#unless missing}}u{{/unless}}{{#unless title}}x{{else}}y{{/unless}}", ann, "uy");
	check_render("{{#if dnm}}a{{else}}b{{/if}}", ann, "b");
	check_render("{{#if vip}}{{#if title}}both{{/if}}{{/if}}", ann, "both");
	/* a block tag alone on its line takes the line with it; inline ones keep the text */
	check_render("A\n{{#if title}}\nB\n{{else}}\nC\n{{/if}}\nD\n", ann, "A\nB\nD\n");
	check_render("A\n  {{#if missing}}  \nB\n  {{/if}}\nD", ann, "A\nD");
	check_render("{{#if title}}\nB\n{{/if}}\n", ann, "B\n");
	check_render("x {{#if title}}B{{/if}} y\n", ann, "x B y\n");
	check_render("{{! a note }}\nText", ann, "Text");
	/* escapes and lone braces */
	check_render("\\{{name}} {name} }} \\x", ann, "{{name}} {name} }} \\x");
	check_render("ăîșțâ {{name}} ĂÎȘȚÂ", ann, "ăîșțâ Ann ĂÎȘȚÂ");
	/* the header block */
	char *s = render("Subject: Hi {{name}}\n  and more\n\nBody {{title}}\n", CRM_TPL_SUBJECT, ann);
	CHECK_STR(s, "Hi Ann   and more");
	free(s);
	s = render("Subject: Hi {{name}}\n\nBody {{title}}\n", CRM_TPL_BODY, ann);
	CHECK_STR(s, "Body CEO\n");
	free(s);
	s = render("Dear {{name}}\n", CRM_TPL_SUBJECT, ann);
	CHECK_STR(s, "");
	free(s);
	struct crm_tpl *t;
	struct crm_err err = { 0 };
	CHECK_INT(crm_tpl_parse("t", "Subject: {{a}}\n\n{{b}}{{a}}\n{{#if c}}{{/if}}", &t, &err), CRM_OK);
	CHECK_INT(crm_tpl_nvars(t), 3);
	int line = 0;
	CHECK_STR(crm_tpl_var(t, 1, &line), "b");
	CHECK_INT(line, 3);
	CHECK_STR(crm_tpl_var(t, 2, &line), "c");
	CHECK_INT(line, 4);
	CHECK(crm_tpl_has_subject(t));
	crm_tpl_free(t);
	/* errors name the template and the line */
	check_error("a\n{{#if x}}\nb\n", "template 't.txt' line 2: {{#if x}} is never closed (no {{/if}})");
	check_error("a\n\n{{/if}}", "template 't.txt' line 3: '{{/if}}' closes no block");
	check_error("{{#if x}}{{/unless}}", "template 't.txt' line 1: '{{/unless}}' closes the {{#if}} of line 1");
	check_error("{{else}}", "template 't.txt' line 1: '{{else}}' outside any {{#if}} or {{#unless}}");
	check_error("{{#if x}}a{{else}}b{{else}}c{{/if}}", "template 't.txt' line 1: a second '{{else}}' in one block");
	check_error("a\nb {{name\n}}", "template 't.txt' line 2: '{{' without '}}' on the same line");
	check_error("{{}}", "template 't.txt' line 1: empty placeholder");
	check_error("{{a b}}", "template 't.txt' line 1: bad placeholder name 'a b' (letters, digits, _ and dots)");
	check_error("{{a..b}}", "template 't.txt' line 1: bad placeholder name 'a..b' (letters, digits, _ and dots)");
	check_error("{{#each x}}", "template 't.txt' line 1: unknown tag '{{#each x}}' (#if, #unless, else, /if, /unless)");
	check_error("{{#if}}", "template 't.txt' line 1: '{{#if}}' needs a name");
	check_error("Subject: a\nFrom: b\n\nx", "template 't.txt' line 2: unknown header 'From' (the header block holds Subject only)");
	check_error("Subject: a\nSubject: b\n\nx", "template 't.txt' line 2: a second 'Subject' header");
	check_error("Subject: a\nnot a header\n\nx",
		    "template 't.txt' line 2: 'not a header' in the header block is no 'Name: value' (an empty line ends the headers)");
	check_error("Subject: {{#if a}}x\n\nbody", "template 't.txt' line 1: {{#if a}} is never closed (no {{/if}})");
	return UNIT_DONE();
}
