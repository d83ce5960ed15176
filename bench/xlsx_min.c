/* The yardstick for `crm contact export -o x.xlsx`: the least a program can do to write the same
 * rows with libxlsxwriter in constant-memory mode (one query, one write call per cell, no
 * typing, no widths, no metadata sheet). Usage: xlsx_min CRM_DB OUT.xlsx [tickets|tickets-typed]
 * With "tickets", the rows of `crm report export tickets`' Tickets sheet (its summary and about
 * sheets are a few dozen cells), as text. With "tickets-typed", the cells the report writes,
 * typed as it types them: its 22 columns, the times as Excel dates and times (numbers that
 * libxlsxwriter prints with 16 digits, several times the work of the text), open and breach as
 * booleans, the two due times as the default service levels would put them (a day and a week
 * after opening); references as their stored text, as above. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static int digits(const char *s, int n)
{
	int v = 0;
	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* "2026-06-30T10:00:00Z" as a date and time, or 0; read by hand, as crm reads it (sscanf would
 * make the yardstick slower than the work it measures). */
static int to_datetime(const char *t, lxw_datetime *dt)
{
	if (!t || strlen(t) != 20 || t[4] != '-' || t[10] != 'T' || t[19] != 'Z')
		return 0;
	dt->year = digits(t, 4), dt->month = digits(t + 5, 2), dt->day = digits(t + 8, 2);
	dt->hour = digits(t + 11, 2), dt->min = digits(t + 14, 2), dt->sec = digits(t + 17, 2);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 4 && argv[3][0] == 't')) {
		fprintf(stderr, "usage: xlsx_min CRM_DB OUT.xlsx [tickets|tickets-typed]\n");
		return 2;
	}
	int typed = argc == 4 && strcmp(argv[3], "tickets-typed") == 0;
	sqlite3 *db;
	sqlite3_stmt *st;
	/* The columns and order of `crm contact export`: every field, references by name. */
	const char *sql = "SELECT t.id, t.first_name, t.last_name, t.title, t.email, t.phone, t.mobile, a.name, "
			  "l.name, t.lifecycle_stage, t.notes, t.created, t.updated FROM contacts t "
			  "LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN locations l ON l.id = t.location_id "
			  "ORDER BY t.last_name COLLATE NOCASE, t.first_name COLLATE NOCASE, t.id";
	if (argc == 4) /* the stored columns of a ticket, references by name */
		sql = "SELECT t.id, t.title, a.name, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), "
		      "t.project_id, t.contract_id, t.priority, t.status, u.login, t.assignee_group, t.reporter_id, "
		      "t.opened, t.responded, t.resolved, t.description, t.resolution, t.custom, t.created, t.updated "
		      "FROM tickets t LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN contacts c ON "
		      "c.id = t.contact_id LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.id";
	if (typed)
		sql = "SELECT t.id, t.title, a.name, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), "
		      "t.project_id, t.contract_id, t.priority, t.status, u.login, t.assignee_group, t.reporter_id, "
		      "t.opened, t.responded, t.resolved, t.description, t.resolution, t.resolved IS NULL, "
		      "strftime('%Y-%m-%dT%H:%M:%SZ', t.opened, '+1 day'), strftime('%Y-%m-%dT%H:%M:%SZ', t.opened, '+7 days'), "
		      "0, t.created, t.updated "
		      "FROM tickets t LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN contacts c ON "
		      "c.id = t.contact_id LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.id";
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "xlsx_min: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	lxw_workbook_options o = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb = workbook_new_opt(argv[2], &o);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *when = workbook_add_format(wb);
	format_set_num_format(when, "yyyy-mm-dd hh:mm");
	int n = sqlite3_column_count(st);
	for (int c = 0; c < n; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, sqlite3_column_name(st, c), NULL);
	lxw_row_t r = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		r++;
		worksheet_write_number(ws, r, 0, (double)sqlite3_column_int64(st, 0), NULL);
		for (int c = 1; c < n; c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			lxw_datetime dt;
			if (typed && (c == 11 || c == 12 || c == 13 || c == 17 || c == 18 || c == 20 || c == 21) &&
			    to_datetime(t, &dt))
				worksheet_write_datetime(ws, r, (lxw_col_t)c, &dt, when);
			else if (typed && (c == 16 || c == 19))
				worksheet_write_boolean(ws, r, (lxw_col_t)c, sqlite3_column_int(st, c), NULL);
			else if (t)
				worksheet_write_string(ws, r, (lxw_col_t)c, t, NULL);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
