/* libFuzzer target for the YAML configuration: every input is a --config file, loaded (over the
 * built-in defaults), checked for unknown keys and for its values, and walked leaf by leaf, as
 * `crm config check` does. Alias bombs and deep nesting are in the seed corpus. */
#include "fuzz.h"

static void leaf(const char *path, const char *value, const char *source, void *ctx)
{
	/* every leaf has a path, a value and where it came from */
	if (!path || !value || !source)
		abort();
	*(size_t *)ctx += strlen(path) + strlen(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	fuzz_file(data, size, &path);
	struct crm_config *cfg;
	struct crm_err err = { 0 };
	if (crm_config_load(&cfg, path, NULL, &err) != CRM_OK) {
		if (!err.msg[0])
			abort(); /* a refusal says why */
		return 0;
	}
	long timeout;
	crm_config_check(cfg, &err);
	crm_config_values(cfg, &timeout, &err);
	size_t n = 0;
	crm_config_walk(cfg, leaf, &n);
	crm_config_free(cfg);
	return 0;
}
