/* Private to core/printer*.c: helpers shared by the backends and the xlsx backend's entry points. */
#ifndef CRM_PRINTER_INTERNAL_H
#define CRM_PRINTER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "crm/error.h"
#include "crm/printer.h"

/* Widest a table or spreadsheet column is sized for, in characters. */
#define CRM_PR_MAX_WIDTH 60

/* Decode one UTF-8 sequence from s (n bytes available). Returns its length and sets *cp, or 0 if
 * the bytes are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t crm_pr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* s when it is valid UTF-8; otherwise a copy (stored in *tofree, to be freed by the caller) with
 * each invalid byte replaced by U+FFFD. *tofree is set to NULL when no copy was made. */
const char *crm_pr_utf8_clean(const char *s, char **tofree);

/* Display width: code points (an invalid byte counts as one). */
size_t crm_pr_width(const char *s);

/* Whether a text cell begins with a character a spreadsheet may read as a formula. */
int crm_pr_risky(const char *s);

/* The xlsx backend (core/printer_xlsx.c). */
struct crm_xlsx;
struct crm_xlsx *crm_xlsx_new(const struct crm_printer_opts *opts, struct crm_err *err);
void crm_xlsx_columns(struct crm_xlsx *x, const char *const *names, int ncols);
void crm_xlsx_row(struct crm_xlsx *x, const struct crm_value *cells);
/* Writes the file and frees x, whatever the outcome. */
int crm_xlsx_finish(struct crm_xlsx *x, struct crm_err *err);

#endif
