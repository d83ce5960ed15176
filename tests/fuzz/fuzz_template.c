/* libFuzzer target for mail-merge templates (core/template.c): every input is parsed as a
 * template; what parses is rendered, subject and body, with values that are empty, set, and
 * long in turn, as crm merge renders it for each record. */
#include "fuzz.h"
#include "crm/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct crm_tpl *t;
	struct crm_err err = { 0 };
	if (crm_tpl_parse("fuzz", s, &t, &err) != CRM_OK) {
		if (!err.msg[0])
			abort(); /* a refusal says why */
		free(s);
		return 0;
	}
	int n = crm_tpl_nvars(t);
	struct crm_tpl_value *vals = calloc(n ? (size_t)n : 1, sizeof *vals);
	for (int i = 0; i < n; i++) {
		int line;
		if (!crm_tpl_var(t, i, &line))
			abort();
		vals[i].text = i % 3 == 0 ? NULL : i % 3 == 1 ? "" : "Ann {{Lee}} \xc3\xa9\r\nX-Injected: 1";
		vals[i].set = i % 2;
	}
	crm_tpl_has_subject(t);
	crm_tpl_name(t);
	free(crm_tpl_render(t, CRM_TPL_BODY, vals));
	if (crm_tpl_has_subject(t))
		free(crm_tpl_render(t, CRM_TPL_SUBJECT, vals));
	free(vals);
	crm_tpl_free(t);
	free(s);
	return 0;
}
