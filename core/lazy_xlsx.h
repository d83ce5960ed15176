/* Private to core/: libxlsxwriter (Excel workbooks), loaded with dlopen the first time a command needs it
 * (core/lazy.c). Linking it would load it, and the libraries it needs, into every process: the
 * start of every command, `crm contact show` included, took 1.4 ms more CPU for it.
 * Include after <xlsxwriter.h>: its functions become calls through a table that
 * crm_lazy_xlsx() fills. */
#ifndef CRM_CORE_LAZY_XLSX_H
#define CRM_CORE_LAZY_XLSX_H

#include "crm/error.h"

#define CRM_LAZY_XLSX_FNS(X) \
	X(chart_add_series) \
	X(chart_legend_set_position) \
	X(chart_series_set_categories) \
	X(chart_series_set_name) \
	X(chart_series_set_values) \
	X(chart_title_set_name) \
	X(format_set_align) \
	X(format_set_bold) \
	X(format_set_num_format) \
	X(format_set_text_wrap) \
	X(lxw_strerror) \
	X(lxw_workbook_free) \
	X(workbook_add_chart) \
	X(workbook_add_format) \
	X(workbook_add_worksheet) \
	X(workbook_close) \
	X(workbook_new_opt) \
	X(workbook_validate_sheet_name) \
	X(worksheet_autofilter) \
	X(worksheet_fit_to_pages) \
	X(worksheet_freeze_panes) \
	X(worksheet_insert_chart) \
	X(worksheet_print_area) \
	X(worksheet_repeat_rows) \
	X(worksheet_set_column) \
	X(worksheet_set_landscape) \
	X(worksheet_set_paper) \
	X(worksheet_write_boolean) \
	X(worksheet_write_datetime) \
	X(worksheet_write_number) \
	X(worksheet_write_string)

struct crm_lazy_xlsx {
#define CRM_LAZY_SLOT(f) __typeof__(f) *f;
	CRM_LAZY_XLSX_FNS(CRM_LAZY_SLOT)
#undef CRM_LAZY_SLOT
};
extern struct crm_lazy_xlsx crm_lazy_xlsx_fns;

/* Load libxlsxwriter (once): CRM_OK, or CRM_EFAIL saying it cannot be loaded. */
int crm_lazy_xlsx(struct crm_err *err);

#ifndef CRM_LAZY_NO_MACROS
#define chart_add_series (crm_lazy_xlsx_fns.chart_add_series)
#define chart_legend_set_position (crm_lazy_xlsx_fns.chart_legend_set_position)
#define chart_series_set_categories (crm_lazy_xlsx_fns.chart_series_set_categories)
#define chart_series_set_name (crm_lazy_xlsx_fns.chart_series_set_name)
#define chart_series_set_values (crm_lazy_xlsx_fns.chart_series_set_values)
#define chart_title_set_name (crm_lazy_xlsx_fns.chart_title_set_name)
#define format_set_align (crm_lazy_xlsx_fns.format_set_align)
#define format_set_bold (crm_lazy_xlsx_fns.format_set_bold)
#define format_set_num_format (crm_lazy_xlsx_fns.format_set_num_format)
#define format_set_text_wrap (crm_lazy_xlsx_fns.format_set_text_wrap)
#define lxw_strerror (crm_lazy_xlsx_fns.lxw_strerror)
#define lxw_workbook_free (crm_lazy_xlsx_fns.lxw_workbook_free)
#define workbook_add_chart (crm_lazy_xlsx_fns.workbook_add_chart)
#define workbook_add_format (crm_lazy_xlsx_fns.workbook_add_format)
#define workbook_add_worksheet (crm_lazy_xlsx_fns.workbook_add_worksheet)
#define workbook_close (crm_lazy_xlsx_fns.workbook_close)
#define workbook_new_opt (crm_lazy_xlsx_fns.workbook_new_opt)
#define workbook_validate_sheet_name (crm_lazy_xlsx_fns.workbook_validate_sheet_name)
#define worksheet_autofilter (crm_lazy_xlsx_fns.worksheet_autofilter)
#define worksheet_fit_to_pages (crm_lazy_xlsx_fns.worksheet_fit_to_pages)
#define worksheet_freeze_panes (crm_lazy_xlsx_fns.worksheet_freeze_panes)
#define worksheet_insert_chart (crm_lazy_xlsx_fns.worksheet_insert_chart)
#define worksheet_print_area (crm_lazy_xlsx_fns.worksheet_print_area)
#define worksheet_repeat_rows (crm_lazy_xlsx_fns.worksheet_repeat_rows)
#define worksheet_set_column (crm_lazy_xlsx_fns.worksheet_set_column)
#define worksheet_set_landscape (crm_lazy_xlsx_fns.worksheet_set_landscape)
#define worksheet_set_paper (crm_lazy_xlsx_fns.worksheet_set_paper)
#define worksheet_write_boolean (crm_lazy_xlsx_fns.worksheet_write_boolean)
#define worksheet_write_datetime (crm_lazy_xlsx_fns.worksheet_write_datetime)
#define worksheet_write_number (crm_lazy_xlsx_fns.worksheet_write_number)
#define worksheet_write_string (crm_lazy_xlsx_fns.worksheet_write_string)
#endif

#endif
