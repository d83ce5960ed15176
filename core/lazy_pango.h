/* Private to core/: Cairo and Pango (pangocairo) for the PDFs of core/pdf.c (crm merge --pdf's letters,
 * crm offer preview), loaded with dlopen the first time a command writes one (core/lazy.c), as
 * libxlsxwriter, GMime and libical are. One handle, libpangocairo's: its dependencies (Cairo,
 * Pango, GObject) answer dlsym through it. Include after <pango/pangocairo.h> and
 * <cairo-pdf.h>: their functions become calls through a table that crm_lazy_pango() fills. */
#ifndef CRM_CORE_LAZY_PANGO_H
#define CRM_CORE_LAZY_PANGO_H

#include "crm/error.h"

#define CRM_LAZY_PANGO_FNS(X) \
	X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) \
	X(cairo_create) \
	X(cairo_destroy) \
	X(cairo_surface_destroy) \
	X(cairo_surface_finish) \
	X(cairo_surface_status) \
	X(cairo_status) \
	X(cairo_show_page) \
	X(cairo_move_to) \
	X(cairo_set_source_rgb) \
	X(pango_cairo_create_layout) \
	X(pango_cairo_context_set_resolution) \
	X(pango_layout_get_context) \
	X(pango_layout_context_changed) \
	X(pango_layout_set_width) \
	X(pango_layout_set_wrap) \
	X(pango_layout_set_text) \
	X(pango_font_description_from_string) \
	X(pango_layout_set_font_description) \
	X(pango_font_description_free) \
	X(pango_layout_get_line_count) \
	X(pango_layout_get_line_readonly) \
	X(pango_layout_line_get_pixel_extents) \
	X(pango_cairo_show_layout_line) \
	X(g_object_unref) \
	X(pango_cairo_font_map_set_default) \
	X(pango_layout_set_markup) \
	X(pango_layout_set_tabs) \
	X(pango_tab_array_new) \
	X(pango_tab_array_set_tab) \
	X(pango_tab_array_free)

struct crm_lazy_pango {
#define CRM_LAZY_SLOT(f) __typeof__(f) *f;
	CRM_LAZY_PANGO_FNS(CRM_LAZY_SLOT)
#undef CRM_LAZY_SLOT
};
extern struct crm_lazy_pango crm_lazy_pango_fns;

/* Load pangocairo (once): CRM_OK, or CRM_EFAIL saying it cannot be loaded. */
int crm_lazy_pango(struct crm_err *err);

#ifndef CRM_LAZY_NO_MACROS
#define cairo_pdf_surface_create_for_stream (crm_lazy_pango_fns.cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata (crm_lazy_pango_fns.cairo_pdf_surface_set_metadata)
#define cairo_create (crm_lazy_pango_fns.cairo_create)
#define cairo_destroy (crm_lazy_pango_fns.cairo_destroy)
#define cairo_surface_destroy (crm_lazy_pango_fns.cairo_surface_destroy)
#define cairo_surface_finish (crm_lazy_pango_fns.cairo_surface_finish)
#define cairo_surface_status (crm_lazy_pango_fns.cairo_surface_status)
#define cairo_status (crm_lazy_pango_fns.cairo_status)
#define cairo_show_page (crm_lazy_pango_fns.cairo_show_page)
#define cairo_move_to (crm_lazy_pango_fns.cairo_move_to)
#define cairo_set_source_rgb (crm_lazy_pango_fns.cairo_set_source_rgb)
#define pango_cairo_create_layout (crm_lazy_pango_fns.pango_cairo_create_layout)
#define pango_cairo_context_set_resolution (crm_lazy_pango_fns.pango_cairo_context_set_resolution)
#define pango_layout_get_context (crm_lazy_pango_fns.pango_layout_get_context)
#define pango_layout_context_changed (crm_lazy_pango_fns.pango_layout_context_changed)
#define pango_layout_set_width (crm_lazy_pango_fns.pango_layout_set_width)
#define pango_layout_set_wrap (crm_lazy_pango_fns.pango_layout_set_wrap)
#define pango_layout_set_text (crm_lazy_pango_fns.pango_layout_set_text)
#define pango_font_description_from_string (crm_lazy_pango_fns.pango_font_description_from_string)
#define pango_layout_set_font_description (crm_lazy_pango_fns.pango_layout_set_font_description)
#define pango_font_description_free (crm_lazy_pango_fns.pango_font_description_free)
#define pango_layout_get_line_count (crm_lazy_pango_fns.pango_layout_get_line_count)
#define pango_layout_get_line_readonly (crm_lazy_pango_fns.pango_layout_get_line_readonly)
#define pango_layout_line_get_pixel_extents (crm_lazy_pango_fns.pango_layout_line_get_pixel_extents)
#define pango_cairo_show_layout_line (crm_lazy_pango_fns.pango_cairo_show_layout_line)
#define g_object_unref (crm_lazy_pango_fns.g_object_unref)
#define pango_cairo_font_map_set_default (crm_lazy_pango_fns.pango_cairo_font_map_set_default)
#define pango_layout_set_markup (crm_lazy_pango_fns.pango_layout_set_markup)
#define pango_layout_set_tabs (crm_lazy_pango_fns.pango_layout_set_tabs)
#define pango_tab_array_new (crm_lazy_pango_fns.pango_tab_array_new)
#define pango_tab_array_set_tab (crm_lazy_pango_fns.pango_tab_array_set_tab)
#define pango_tab_array_free (crm_lazy_pango_fns.pango_tab_array_free)
#endif

#endif
