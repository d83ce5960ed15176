/* Private to core/: pages of text drawn with Pango into a PDF through Cairo (loaded when
 * needed, core/lazy_pango.h). Mail merge's letters (core/merge.c) and an offer's document
 * (core/offer.c) are written by it. */
#ifndef CRM_CORE_PDF_H
#define CRM_CORE_PDF_H

#include <stdio.h>
#include "crm/error.h"

/* A tab stop, in points from the left margin; right: the text before the next tab (or the end
 * of the line) ends there. */
struct crm_pdf_tab {
	double pos;
	int right;
};

/* Write docs[0..n) to out, each starting on a new A4 page and running onto more as needed
 * (*pages counts them): plain text, or with markup Pango markup (the caller escapes what it
 * did not write itself, g_markup_escape_text). creator goes into the PDF's metadata. */
int crm_pdf_write(FILE *out, const char *creator, const char *const *docs, int n, int markup,
		  const struct crm_pdf_tab *tabs, int ntabs, int *pages, struct crm_err *err);

#endif
