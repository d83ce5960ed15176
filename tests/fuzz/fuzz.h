/* What the libFuzzer targets share: one crm on an in-memory SQLite database for the whole
 * process (opened at the first input, like the command would open it), and a temporary file
 * rewritten with each input for the parsers that read a file or a descriptor. Built by
 * `make fuzz` (clang -fsanitize=fuzzer,address,undefined) against build/fuzz/libcrm.a. */
#ifndef CRM_FUZZ_H
#define CRM_FUZZ_H

#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crm/config.h"
#include "crm/crm.h"

static inline struct crm *fuzz_crm(void)
{
	static struct crm *crm;
	if (crm)
		return crm;
	struct crm_config *cfg;
	struct crm_err err = { 0 };
	if (crm_config_load(&cfg, "/dev/null", NULL, &err) != CRM_OK)
		abort();
	crm_config_set(cfg, "database", ":memory:", "fuzz");
	crm_config_set(cfg, "user", "fuzz", "fuzz");
	crm_config_set(cfg, "import_profiles.fuzz.Mail", "email", "fuzz");
	if (crm_open(&crm, cfg, NULL, 0, &err) != CRM_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	return crm; /* lives as long as the process, with its configuration */
}

/* The input as a NUL-terminated string (malloc'd; NULs inside cut it short, as argv would). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The input written to this process's temporary file, left open at offset 0; returns the
 * descriptor (the same one each time) and, in *path, the file's name. */
static inline int fuzz_file(const uint8_t *data, size_t size, const char **path)
{
	static char name[64];
	static int fd = -1;
	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(name, sizeof name, "%s/crm-fuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
		if ((fd = mkstemp(name)) < 0)
			abort();
		unlink(name); /* gone when the process is; opened again by /proc/self/fd */
		snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (path)
		*path = name;
	return fd;
}

#endif
