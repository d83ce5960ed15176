/* A minimal unit-test harness: CHECK records a failure and goes on; main returns non-zero on any. */
#ifndef CRM_UNIT_H
#define CRM_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures, unit_checks;

#define CHECK(cond) do { unit_checks++; if (!(cond)) { unit_failures++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); unit_checks++; \
	if (!g_ || !w_ || strcmp(g_, w_) != 0) { unit_failures++; \
	fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, __LINE__, g_ ? g_ : "(null)", \
		w_ ? w_ : "(null)"); } } while (0)
#define CHECK_INT(got, want) do { long long g_ = (got), w_ = (want); unit_checks++; \
	if (g_ != w_) { unit_failures++; \
	fprintf(stderr, "%s:%d: got %lld, want %lld\n", __FILE__, __LINE__, g_, w_); } } while (0)
#define UNIT_DONE() (printf("%s: %d checks, %d failed\n", __FILE__, unit_checks, unit_failures), \
	unit_failures ? 1 : 0)

#endif
