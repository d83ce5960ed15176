/* Pages of text into a PDF with Pango and Cairo (core/pdf.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#include "lazy_pango.h"
#include "pdf.h"

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 70.866 /* 25 mm */

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length)
{
	return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int crm_pdf_write(FILE *out, const char *creator, const char *const *docs, int n, int markup,
		  const struct crm_pdf_tab *tabs, int ntabs, int *pages, struct crm_err *err)
{
	*pages = 0;
	int rc = crm_lazy_pango(err);
	if (rc)
		return rc;
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_file, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator);
	cairo_t *cr = cairo_create(surface);
	PangoLayout *layout = pango_cairo_create_layout(cr);
	pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72);
	pango_layout_context_changed(layout);
	PangoFontDescription *font = pango_font_description_from_string("Serif 11");
	pango_layout_set_font_description(layout, font);
	pango_font_description_free(font);
	pango_layout_set_width(layout, (int)((A4_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	if (ntabs > 0) {
		PangoTabArray *ta = pango_tab_array_new(ntabs, TRUE);
		for (int i = 0; i < ntabs; i++)
			pango_tab_array_set_tab(ta, i, tabs[i].right ? PANGO_TAB_RIGHT : PANGO_TAB_LEFT, (int)tabs[i].pos);
		pango_layout_set_tabs(layout, ta);
		pango_tab_array_free(ta);
	}
	for (int l = 0; l < n; l++) {
		if (markup)
			pango_layout_set_markup(layout, docs[l], -1);
		else
			pango_layout_set_text(layout, docs[l], -1);
		double y = MARGIN;
		int lines = pango_layout_get_line_count(layout);
		cairo_set_source_rgb(cr, 0, 0, 0);
		for (int i = 0; i < lines; i++) {
			PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
			PangoRectangle ink, logical;
			pango_layout_line_get_pixel_extents(line, &ink, &logical);
			if (y + logical.height > A4_H - MARGIN && y > MARGIN) {
				cairo_show_page(cr);
				++*pages;
				y = MARGIN;
			}
			cairo_move_to(cr, MARGIN, y - logical.y);
			pango_cairo_show_layout_line(cr, line);
			y += logical.height;
		}
		cairo_show_page(cr);
		++*pages;
	}
	g_object_unref(layout);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	/* The fonts found are kept by Pango for the life of the process: release them (a process
	 * writes one PDF). fontconfig's own caches stay (FcFini asserts while Cairo's font faces
	 * still refer to them): tests/lsan.supp names them for the leak checker. */
	pango_cairo_font_map_set_default(NULL);
	if (st != CAIRO_STATUS_SUCCESS)
		return crm_error(err, CRM_EFAIL, "cannot write the PDF (cairo status %d)", (int)st);
	return CRM_OK;
}
