/* What every Excel report shares (core/report.c). */
#ifndef CRM_REPORT_XLSX_H
#define CRM_REPORT_XLSX_H
#include <xlsxwriter.h>
#include "crm/report.h"

/* The About sheet every report ends with: the command, its filter, the user, the time (a date
 * cell) and the crm that made it, on one printed page. */
void crm_report_about_sheet(lxw_workbook *wb, const struct crm_report_meta *m);

#endif
