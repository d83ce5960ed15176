/* The tsv backend: one line per row, fields separated by tabs; a tab, a line break or a
 * backslash inside a field is escaped (\t \n \r \\), so every row stays one line. The
 * delimited-row logic here serves the csv backend too. */
#include <string.h>
#include "printer_internal.h"

void crm_pr_delimited_header(struct crm_printer *p, char sep, void (*field)(FILE *, const char *))
{
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			fputc(sep, p->o.out);
		field(p->o.out, p->cols[i]);
	}
	fputc('\n', p->o.out);
}

/* NULL is empty. The front has already neutralised risky text (only text: numbers and dates
 * are ours, never formulas). */
void crm_pr_delimited_row(struct crm_printer *p, const struct crm_value *cells, char sep,
			  void (*field)(FILE *, const char *))
{
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			fputc(sep, p->o.out);
		field(p->o.out, cells[i].type == CRM_V_NULL || !cells[i].text ? "" : cells[i].text);
	}
	fputc('\n', p->o.out);
}

static void tsv_field(FILE *f, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *esc = NULL;
		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		fwrite(run, 1, (size_t)(s - run), f);
		fputs(esc, f);
		run = s + 1;
	}
	fwrite(run, 1, (size_t)(s - run), f);
}

static void columns(struct crm_printer *p)
{
	if (p->o.headers)
		crm_pr_delimited_header(p, '\t', tsv_field);
}

static void row(struct crm_printer *p, const struct crm_value *cells)
{
	crm_pr_delimited_row(p, cells, '\t', tsv_field);
}

const struct crm_printer_ops crm_pr_tsv = {
	.name = "tsv",
	.neutralise = 1,
	.columns = columns,
	.row = row,
};
