/* The csv backend (RFC 4180 through libcsv): fields quoted only when they must be, an optional
 * UTF-8 byte-order mark for Excel. */
#include <csv.h>
#include <string.h>
#include "printer_internal.h"

static void csv_field(FILE *f, const char *s)
{
	size_t n = strlen(s);
	/* Quote only when needed so that plain values stay readable (libcsv always quotes). */
	int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	if (!quote && strpbrk(s, ",\"\r\n"))
		quote = 1;
	if (quote)
		csv_fwrite(f, s, n);
	else
		fwrite(s, 1, n, f);
}

static void columns(struct crm_printer *p)
{
	if (p->o.excel_bom)
		fputs("\xef\xbb\xbf", p->o.out);
	if (p->o.headers)
		crm_pr_delimited_header(p, ',', csv_field);
}

static void row(struct crm_printer *p, const struct crm_value *cells)
{
	crm_pr_delimited_row(p, cells, ',', csv_field);
}

const struct crm_printer_ops crm_pr_csv = {
	.name = "csv",
	.neutralise = 1,
	.columns = columns,
	.row = row,
};
