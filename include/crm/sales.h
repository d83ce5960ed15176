/* Sales (issue 12): the pipeline of opportunities, by currency and stage, on the terminal, in
 * every format and as an Excel workbook with a chart. Amounts are exact: integers of each
 * currency's minor units, summed in integers, never mixed across currencies. */
#ifndef CRM_SALES_H
#define CRM_SALES_H

#include "crm/crm.h"
#include "crm/printer.h"
#include "crm/report.h"

struct crm_pipeline_row {
	char *currency; /* "" when the opportunities name none */
	char *stage;
	int digits;     /* the currency's minor-unit digits */
	long long count;
	long long value;    /* sum of values, minor units */
	long long weighted; /* sum of each one's value x probability %, rounded half away from zero */
};

/* The opportunities the filter terms select (crm_filter_compile), grouped by currency, then
 * stage in workflow.opportunity's order (stages it no longer names last). */
int crm_pipeline(struct crm *crm, const char *const *terms, int nterms, struct crm_pipeline_row **rows, int *n,
		 struct crm_err *err);
void crm_pipeline_free(struct crm_pipeline_row *rows, int n);

/* The rows as a table: currency, stage, count, value, weighted (exact decimal text). */
void crm_pipeline_print(const struct crm_pipeline_row *rows, int n, struct crm_printer *p);

/* The workbook: Pipeline (the rows with a total per currency, money cells in the currency's
 * format, and a column chart of value and weighted value by stage for each currency),
 * Opportunities (every field of each one), About (command, filter, user, time). */
int crm_pipeline_xlsx(struct crm *crm, const char *const *terms, int nterms, const char *path,
		      const struct crm_report_meta *meta, struct crm_err *err);

#endif
