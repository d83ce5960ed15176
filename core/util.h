/* Small helpers private to core/: allocation that cannot fail quietly, a growing string. */
#ifndef CRM_CORE_UTIL_H
#define CRM_CORE_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A non-empty run of ASCII digits: a record number as users type it. */
int is_digits(const char *s);

struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_add(struct strbuf *b, const char *s);
void sb_addn(struct strbuf *b, const char *s, size_t n);
void sb_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_take(struct strbuf *b); /* the string (never NULL); b is reset */
void sb_free(struct strbuf *b);

#endif
