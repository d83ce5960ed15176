/* crm db copy: one database into another, on either backend, through the storage interface
 * only (core/store.h): the same SQL reads and writes SQLite and PostgreSQL.
 *
 * - Every table of the schema is named below, in an order in which every reference points to a
 *   table already copied; a table's reference to itself (a user's manager, an account's parent)
 *   is written NULL first and set once the table is complete.
 * - Values keep the type the source gives them (integer, number, text): a number is never
 *   turned into text nor text into 0 on the way.
 * - Record numbers are kept (an INSERT naming its id moves PostgreSQL's identity sequence past
 *   it, core/store_pg.c). Document contents get new internal numbers (blobs.id), streamed piece
 *   by piece through crm_blob_*; documents.blob_id follows them.
 * - Verification: per table, the row count and the SHA-256 of a canonical text of its rows in
 *   key order, computed by one function over what each side gives back; documents' contents are
 *   re-read on the target and checked against their SHA-256. It runs inside the target's
 *   transaction, so a mismatch commits nothing. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "crm/auth.h"
#include "crm/copy.h"
#include "crm/search.h"
#include "db.h"
#include "fold.h"

struct copy_table {
	const char *name;
	const char *cols;  /* every column, in SQL */
	const char *order; /* its key: rows are read and compared in this order */
	const char *self;  /* a column referring to the table itself, or NULL */
};

/* The schema (as of migration 015), parents before children. import_created has no id of its own: its
 * rows keep their order (SQLite's rowid, PostgreSQL's rowid column), not their numbers. blobs
 * and documents are copied by copy_blobs. */
static const struct copy_table tables[] = {
	{ "roles", "id, name, grants, created, updated", "id", NULL },
	{ "users", "id, login, name, email, manager_id, groups, roles, created, updated, custom", "id", "manager_id" },
	{ "groups", "id, name, description, manager_id, custom, created, updated", "id", NULL },
	{ "campaigns", "id, name, name_fold, type, status, start_date, end_date, budget, actual_cost, currency, owner_id, "
		       "description, custom, created, updated", "id", NULL },
	{ "accounts", "id, name, parent_id, industry, country, line_of_business, lifecycle_stage, relationship_stage, "
		      "credit_rating, credit_limit, currency, website, phone, notes, created, updated, custom, name_fold, "
		      "campaign_id",
	  "id", "parent_id" },
	{ "locations", "id, account_id, name, address, city, postal_code, country, notes, created, updated, custom, "
		       "name_fold", "id", NULL },
	{ "contacts", "id, first_name, last_name, title, email, phone, mobile, account_id, location_id, lifecycle_stage, "
		      "notes, created, updated, custom, label_fold, do_not_email, do_not_mail", "id", NULL },
	{ "projects", "id, name, account_id, location_id, manager_id, status, product, income, currency, start_date, due_date, "
		      "notes, created, updated, custom, name_fold, template", "id", NULL },
	{ "project_costs", "id, project_id, amount, what, date, created, updated", "id", NULL },
	{ "contracts", "id, title, account_id, project_id, type, value, currency, start_date, end_date, status, notes, "
		       "created, updated, custom, title_fold", "id", NULL },
	{ "contract_lines", "id, contract_id, product, quantity, price, notes, created, updated, delivered, discount", "id", NULL },
	{ "activities", "id, summary, type, at, account_id, location_id, contract_id, result, body, message_id, created, "
			"updated, custom, campaign_id", "id", NULL },
	{ "project_team", "record_id, target_id", "record_id, target_id", NULL },
	{ "project_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "contract_resources", "record_id, target_id", "record_id, target_id", NULL },
	{ "contract_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "activity_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "activity_users", "record_id, target_id", "record_id, target_id", NULL },
	{ "activity_projects", "record_id, target_id", "record_id, target_id", NULL },
	{ "import_batches", "id, at, user, kind, file, mode, key, rows, created, updated, unchanged, rejected, "
			    "refs_created, reverted_at, reverted_by, revert_first, revert_last, real_user", "id", NULL },
	{ "history", "id, at, user, kind, record_id, action, changes, batch_id, real_user", "id", NULL },
	{ "import_created", "batch_id, kind, first_id, last_id, after_history", "rowid", NULL },
	{ "blobs", NULL, NULL, NULL },
	{ "documents", "id, name, noun, record_id, size, content_type, sha256, blob_id, created, updated", "id", NULL },
	{ "tickets", "id, title, account_id, contact_id, project_id, contract_id, priority, status, assignee_id, "
		     "assignee_group, reporter_id, opened, responded, resolved, description, resolution, paused_seconds, "
		     "paused_since, cycle, custom, created, updated", "id", NULL },
	{ "ticket_actions", "id, ticket_id, at, user, action, name, from_status, to_status, text, real_user", "id", NULL },
	{ "products", "id, code, code_fold, name, unit, price, currency, tax_rate, active, description, custom, created, "
		      "updated", "id", NULL },
	{ "opportunities", "id, title, account_id, contact_id, stage, value, currency, probability, close_date, owner_id, "
			   "lost_reason, notes, custom, created, updated, campaign_id", "id", NULL },
	{ "sequences", "name, value", "name", NULL },
	{ "offers", "id, number, number_fold, version, revises_id, title, account_id, contact_id, opportunity_id, "
		    "project_id, description, budget, currency, valid_until, owner_id, status, reject_reason, template, "
		    "contract_id, notes, custom, created, updated", "id", "revises_id" },
	{ "offer_lines", "id, offer_id, product_id, description, unit, quantity, price, currency, discount, tax_rate, "
			 "notes, custom, created, updated", "id", NULL },
	{ "offer_sections", "id, offer_id, name, owner_id, status, body, custom, created, updated", "id", NULL },
	{ "ticket_watchers", "id, ticket_id, user_id, contact_id", "id", NULL },
	{ "process_runs", "id, name, steps, step, account_id, contact_id, project_id, ticket_id, activity_id, started_by, "
			  "created, updated", "id", NULL },
	{ "tasks", "id, title, type, status, priority, start_at, end_at, due, all_day, assignee_id, group_id, account_id, "
		   "project_id, ticket_id, contract_id, activity_id, notes, custom, created, updated, rrule, series_id, uid, "
		   "process_id, process_step, approval", "id", NULL },
	{ "task_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "task_attendees", "task_id, position, role, email, name, status, contact_id, user_id", "task_id, position", NULL },
	{ "task_after", "record_id, target_id", "record_id, target_id", NULL },
	{ "deliverables", "id, name, project_id, status, due, owner_id, notes, custom, created, updated", "id", NULL },
	{ "milestones", "id, name, project_id, due, reached_on, notes, custom, created, updated", "id", NULL },
	{ "milestone_tasks", "record_id, target_id", "record_id, target_id", NULL },
	{ "milestone_deliverables", "record_id, target_id", "record_id, target_id", NULL },
	{ "lists", "id, name, name_fold, type, member_kind, filter_terms, description, owner_id, custom, created, updated",
		   "id", NULL },
	{ "list_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "list_accounts", "record_id, target_id", "record_id, target_id", NULL },
	{ "campaign_contacts", "record_id, target_id", "record_id, target_id", NULL },
	{ "campaign_accounts", "record_id, target_id", "record_id, target_id", NULL },
	{ "attributes", "kind, record_id, key, value", "kind, record_id, key", NULL },
	{ "alerts", "id, raised, ticket_id, task_id, deliverable_id, milestone_id, target, rule, cycle, due, recipients, acked, acked_by", "id", NULL },
	{ "notifications", "id, created, ticket_id, event, recipient, subject, body, attempts, next_attempt, lease_owner, "
			   "lease_until, delivered, last_error, sender, activity_id", "id", NULL },
	{ "merge_sent", "run, contact_id, activity_id, sent", "run, contact_id", NULL },
	{ "transactions", "id, type, number, number_fold, account_id, date, due_date, amount, currency, status, "
			  "applies_to_id, contract_id, contract_line_id, notes, custom, created, updated, offer_id", "id", "applies_to_id" },
	{ "financials", "id, account_id, year, revenue, profit, currency, employees, source, notes, custom, created, "
			"updated", "id", NULL },
	{ "record_merges", "id, kind, keep_id, other_id, at, user, real_user, keep_history, undone_at, undone_by", "id",
	  NULL },
	{ "record_merge_cells", "merge_id, row_no, tbl, role, moved, col, type, value", "merge_id, row_no, col", NULL },
};
/* The report has room for every table (crm/copy.h): a table added past it would overrun it. */
_Static_assert(sizeof tables / sizeof tables[0] <= CRM_COPY_MAX_TABLES, "raise CRM_COPY_MAX_TABLES");
#define NTABLES (sizeof tables / sizeof tables[0])
/* the report has a row for each table: a table more than it holds would write past it */
_Static_assert(NTABLES <= CRM_COPY_MAX_TABLES, "raise CRM_COPY_MAX_TABLES in crm/copy.h");

int crm_schema_table(const char *table, const char **cols, const char **key)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].name, table) == 0 && tables[i].cols) {
			*cols = tables[i].cols;
			*key = tables[i].order;
			return 1;
		}
	return 0;
}

/* What the checksums read of blobs and documents: a content by its SHA-256 and size, a
 * document with its content's SHA-256 in place of the content's internal number. */
#define BLOBS_SQL "SELECT sha256, size FROM blobs ORDER BY id"
#define DOCUMENTS_SQL "SELECT d.id, d.name, d.noun, d.record_id, d.size, d.content_type, d.sha256, b.sha256, " \
	"d.created, d.updated FROM documents d LEFT JOIN blobs b ON b.id = d.blob_id ORDER BY d.id"

#define CHUNK 65536

/* Who is told how far the copy is (crm_copy's caller), for the life of one copy. */
struct progress {
	crm_copy_progress *fn;
	void *ctx;
};

static void tell(const struct progress *p, const char *doing, const char *table, long long rows)
{
	if (p && p->fn)
		p->fn(doing, table, rows, p->ctx);
}

static char *sql_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sql_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

static int count_cols(const char *cols)
{
	int n = 1;
	for (const char *p = cols; *p; p++)
		n += *p == ',';
	return n;
}

/* The canonical text of column i of the current row, added to the checksum: a type letter and
 * the value, numbers written one way whatever the backend returned them as. */
static void canon_value(GChecksum *sum, crm_stmt *st, int i)
{
	char buf[64];
	switch (crm_col_type(st, i)) {
	case CRM_COL_NULL:
		g_checksum_update(sum, (const guchar *)"N", 1);
		break;
	case CRM_COL_INTEGER:
		snprintf(buf, sizeof buf, "I%lld", crm_col_int64(st, i));
		g_checksum_update(sum, (const guchar *)buf, -1);
		break;
	case CRM_COL_FLOAT:
		snprintf(buf, sizeof buf, "R%.17g", crm_col_double(st, i));
		g_checksum_update(sum, (const guchar *)buf, -1);
		break;
	default: {
		const char *t = crm_col_text(st, i);
		/* The length first: no text can pass for two values. */
		snprintf(buf, sizeof buf, "T%zu:", strlen(t ? t : ""));
		g_checksum_update(sum, (const guchar *)buf, -1);
		g_checksum_update(sum, (const guchar *)(t ? t : ""), -1);
	}
	}
	g_checksum_update(sum, (const guchar *)"\t", 1);
}

static void canon_row(GChecksum *sum, crm_stmt *st, int ncols)
{
	for (int i = 0; i < ncols; i++)
		canon_value(sum, st, i);
	g_checksum_update(sum, (const guchar *)"\n", 1);
}

/* A value read from the source, kept until its row is written with others. */
struct cell {
	int type;
	long long i;
	double d;
	char *t;
};

static void cell_take(struct cell *c, crm_stmt *st, int i)
{
	c->type = crm_col_type(st, i);
	if (c->type == CRM_COL_INTEGER)
		c->i = crm_col_int64(st, i);
	else if (c->type == CRM_COL_FLOAT)
		c->d = crm_col_double(st, i);
	else if (c->type != CRM_COL_NULL)
		c->t = g_strdup(crm_col_text(st, i));
}

static void cell_bind(crm_stmt *ins, int at, struct cell *c)
{
	switch (c->type) {
	case CRM_COL_NULL:
		crm_bind_null(ins, at);
		break;
	case CRM_COL_INTEGER:
		crm_bind_int64(ins, at, c->i);
		break;
	case CRM_COL_FLOAT:
		crm_bind_double(ins, at, c->d);
		break;
	default:
		crm_bind_text_own(ins, at, c->t); /* g_strdup is malloc */
		c->t = NULL;
	}
	c->type = CRM_COL_NULL;
}

/* Read a whole query into a checksum; rows counted. */
static int checksum_query(struct crm *crm, const char *sql, long long *rows, char out[65], struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	int ncols = crm_col_count(st), src;
	*rows = 0;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		if (!ncols)
			ncols = crm_col_count(st);
		canon_row(sum, st, ncols);
		(*rows)++;
	}
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading for verification", err);
	snprintf(out, 65, "%s", g_checksum_get_string(sum));
	g_checksum_free(sum);
	crm_finalize(st);
	return rc;
}

static int exec_sql(struct crm *crm, const char *sql, const char *doing, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	int src = crm_step(st);
	crm_finalize(st);
	return src == CRM_SQL_DONE || src == CRM_SQL_ROW ? CRM_OK : crm_db_error(crm, src, doing, err);
}

static int count_rows(struct crm *crm, const char *table, long long *n, struct crm_err *err)
{
	char *sql = sql_printf("SELECT count(*) FROM %s", table);
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	g_free(sql);
	if (rc)
		return rc;
	int src = crm_step(st);
	*n = src == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
	crm_finalize(st);
	return src == CRM_SQL_ROW ? CRM_OK : crm_db_error(crm, src, "counting records", err);
}

/* Empty the target, children first; references within a table are cut first. Removing a
 * document removes its content (the schema's triggers). */
static int empty_target(struct crm *to, struct crm_err *err)
{
	int rc;
	for (size_t i = 0; i < NTABLES; i++)
		if (tables[i].self) {
			char *sql = sql_printf("UPDATE %s SET %s = NULL WHERE %s IS NOT NULL", tables[i].name, tables[i].self,
					       tables[i].self);
			rc = exec_sql(to, sql, "emptying the target", err);
			g_free(sql);
			if (rc)
				return rc;
		}
	for (size_t i = NTABLES; i-- > 0;) {
		char *sql = sql_printf("DELETE FROM %s", tables[i].name);
		rc = exec_sql(to, sql, "emptying the target", err);
		g_free(sql);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* Source blob number to target blob number, in the source's (ascending) order. */
struct blob_map {
	long long (*pairs)[2];
	size_t n, cap;
};

static long long blob_lookup(const struct blob_map *m, long long from)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->pairs[mid][0] == from)
			return m->pairs[mid][1];
		if (m->pairs[mid][0] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Stream one content from the source into a new content on the target, checking it against
 * its SHA-256 on the way. */
static int copy_one_blob(struct crm *from, struct crm *to, long long id, const char *sha, long long size,
			 long long *newid, unsigned char *buf, struct crm_err *err)
{
	struct crm_blob *in = NULL, *out = NULL;
	int src = crm_blob_create(to, sha, size, newid), rc = CRM_OK;
	if (src != CRM_SQL_OK)
		return crm_db_error(to, src, "writing a document's content", err);
	if ((src = crm_blob_open(from, id, 0, &in)) != CRM_SQL_OK)
		return crm_db_error(from, src, "reading a document's content", err);
	if ((src = crm_blob_open(to, *newid, 1, &out)) != CRM_SQL_OK) {
		crm_blob_close(from, in);
		return crm_db_error(to, src, "writing a document's content", err);
	}
	if (crm_blob_size(from, in) != size)
		rc = crm_error(err, CRM_EFAIL, "the source's document content %s has %lld bytes, not %lld; it is "
			       "damaged, nothing was copied", sha, crm_blob_size(from, in), size);
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	for (long long off = 0; !rc && off < size; off += CHUNK) {
		int n = size - off < CHUNK ? (int)(size - off) : CHUNK;
		if ((src = crm_blob_read(from, in, buf, n, off)) != CRM_SQL_OK)
			rc = crm_db_error(from, src, "reading a document's content", err);
		else if ((src = crm_blob_write(to, out, buf, n, off)) != CRM_SQL_OK)
			rc = crm_db_error(to, src, "writing a document's content", err);
		else
			g_checksum_update(sum, buf, n);
	}
	if (!rc && strcmp(g_checksum_get_string(sum), sha) != 0)
		rc = crm_error(err, CRM_EFAIL, "the source's document content %s does not match its SHA-256; it is "
			       "damaged, nothing was copied", sha);
	g_checksum_free(sum);
	crm_blob_close(from, in);
	if ((src = crm_blob_close(to, out)) != CRM_SQL_OK && !rc)
		rc = crm_db_error(to, src, "writing a document's content", err);
	return rc;
}

static int copy_blobs(struct crm *from, struct crm *to, struct blob_map *map, const struct progress *pr,
		      struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(from, "SELECT id, sha256, size FROM blobs ORDER BY id", &st, err), src;
	if (rc)
		return rc;
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		abort();
	while (!rc && (src = crm_step(st)) == CRM_SQL_ROW) {
		long long id = crm_col_int64(st, 0), size = crm_col_int64(st, 2), newid = 0;
		const char *sha = crm_col_text(st, 1);
		rc = copy_one_blob(from, to, id, sha ? sha : "", size, &newid, buf, err);
		if (rc)
			break;
		if (map->n == map->cap) {
			map->cap = map->cap ? 2 * map->cap : 64;
			map->pairs = realloc(map->pairs, map->cap * sizeof *map->pairs);
			if (!map->pairs)
				abort();
		}
		map->pairs[map->n][0] = id;
		map->pairs[map->n][1] = newid;
		map->n++;
		tell(pr, "copying", "blobs", (long long)map->n);
	}
	if (!rc && src != CRM_SQL_DONE)
		rc = crm_db_error(from, src, "reading documents' contents", err);
	free(buf);
	crm_finalize(st);
	return rc;
}

/* "INSERT INTO t (cols) VALUES (?, ...), ..." for n rows. */
static char *insert_sql(const struct copy_table *t, int ncols, int n)
{
	GString *b = g_string_new(NULL);
	g_string_printf(b, "INSERT INTO %s (%s) VALUES ", t->name, t->cols);
	for (int r = 0; r < n; r++) {
		g_string_append(b, r ? ", (" : "(");
		for (int i = 0; i < ncols; i++)
			g_string_append(b, i ? ", ?" : "?");
		g_string_append(b, ")");
	}
	return g_string_free(b, FALSE);
}

/* Write the n rows buffered (several rows a statement: a server answers once for them all). */
static int flush_rows(struct crm *to, const struct copy_table *t, int ncols, struct cell *rows, int n,
		      crm_stmt **full, int batch, struct crm_err *err)
{
	crm_stmt *in = n == batch ? *full : NULL;
	int rc;
	if (!in) {
		char *sql = insert_sql(t, ncols, n);
		rc = crm_prepare(to, sql, &in, err);
		g_free(sql);
		if (rc)
			return rc;
		if (n == batch)
			*full = in;
	}
	for (int k = 0; k < n * ncols; k++)
		cell_bind(in, k + 1, &rows[k]);
	int irc = crm_step(in);
	crm_reset(in);
	crm_clear_bindings(in);
	if (in != *full)
		crm_finalize(in);
	if (irc != CRM_SQL_DONE) {
		char doing[96];
		snprintf(doing, sizeof doing, "copying %s", t->name);
		return crm_db_error(to, irc, doing, err);
	}
	return CRM_OK;
}

/* Copy one table, rows in key order, a batch of rows a statement. */
static int copy_table(struct crm *from, struct crm *to, const struct copy_table *t, const struct blob_map *map,
		      const struct progress *pr, struct crm_err *err)
{
	long long done = 0;
	int ncols = count_cols(t->cols), rc, src = CRM_SQL_DONE;
	/* Parameters a statement: well under SQLite's 32766 and PostgreSQL's 65535. */
	int batch = 8000 / ncols > 256 ? 256 : 8000 / ncols, n = 0;
	char *sel = sql_printf("SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
	struct cell *rows = calloc((size_t)batch * ncols, sizeof *rows);
	if (!rows)
		abort();
	crm_stmt *st = NULL, *full = NULL, *fix = NULL;
	int self = -1, blob = -1;
	/* Which columns are the reference to itself and the content's number. */
	{
		char **names = g_strsplit(t->cols, ",", -1);
		for (int i = 0; names[i]; i++) {
			g_strstrip(names[i]);
			if (t->self && strcmp(names[i], t->self) == 0)
				self = i;
			if (strcmp(t->name, "documents") == 0 && strcmp(names[i], "blob_id") == 0)
				blob = i;
		}
		g_strfreev(names);
	}
	if ((rc = crm_prepare(from, sel, &st, err)))
		goto out;
	if (self >= 0) {
		char *sql = sql_printf("UPDATE %s SET %s = ? WHERE id = ?", t->name, t->self);
		rc = crm_prepare(to, sql, &fix, err);
		g_free(sql);
		if (rc)
			goto out;
	}
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		struct cell *row = &rows[(size_t)n * ncols];
		for (int i = 0; i < ncols; i++) {
			if (i == self) {
				row[i].type = CRM_COL_NULL;
			} else if (i == blob) {
				row[i].type = CRM_COL_INTEGER;
				row[i].i = blob_lookup(map, crm_col_int64(st, i));
			} else {
				cell_take(&row[i], st, i);
			}
		}
		if (++n == batch) {
			if ((rc = flush_rows(to, t, ncols, rows, n, &full, batch, err)))
				goto out;
			done += n;
			n = 0;
			tell(pr, "copying", t->name, done);
		}
	}
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(from, src, "reading the source", err);
		goto out;
	}
	if (n && (rc = flush_rows(to, t, ncols, rows, n, &full, batch, err)))
		goto out;
	n = 0;
	/* The references within the table, now that every row they may name is there. */
	if (self >= 0) {
		crm_finalize(st);
		char *sql = sql_printf("SELECT id, %s FROM %s WHERE %s IS NOT NULL ORDER BY id", t->self, t->name, t->self);
		rc = crm_prepare(from, sql, &st, err);
		g_free(sql);
		if (rc) {
			st = NULL;
			goto out;
		}
		while ((src = crm_step(st)) == CRM_SQL_ROW) {
			crm_bind_int64(fix, 1, crm_col_int64(st, 1));
			crm_bind_int64(fix, 2, crm_col_int64(st, 0));
			int frc = crm_step(fix);
			crm_reset(fix);
			crm_clear_bindings(fix);
			if (frc != CRM_SQL_DONE) {
				rc = crm_db_error(to, frc, "copying references", err);
				goto out;
			}
		}
		if (src != CRM_SQL_DONE)
			rc = crm_db_error(from, src, "reading the source", err);
	}
out:
	for (size_t k = 0; k < (size_t)batch * ncols; k++)
		g_free(rows[k].t);
	free(rows);
	crm_finalize(st);
	crm_finalize(full);
	crm_finalize(fix);
	g_free(sel);
	return rc;
}

/* The target numbers the table's next record as the source would: past the largest number the
 * source ever gave, a removed record's included. */
static int copy_sequence(struct crm *from, struct crm *to, const char *table, struct crm_err *err)
{
	long long last = 0, max = 0;
	int src = crm_store_seq_get(from, table, &last);
	if (src != CRM_SQL_OK)
		return crm_db_error(from, src, "reading the numbering of the source", err);
	char *sql = sql_printf("SELECT max(id) FROM %s", table);
	crm_stmt *st;
	int rc = crm_prepare(to, sql, &st, err);
	g_free(sql);
	if (rc)
		return rc;
	if ((src = crm_step(st)) == CRM_SQL_ROW)
		max = crm_col_int64(st, 0);
	crm_finalize(st);
	if (src != CRM_SQL_ROW)
		return crm_db_error(to, src, "reading the numbering of the target", err);
	src = crm_store_seq_set(to, table, last > max ? last : max);
	return src == CRM_SQL_OK ? CRM_OK : crm_db_error(to, src, "setting the numbering of the target", err);
}

/* The query a table's checksum reads, the same on both sides. */
static char *check_sql(const struct copy_table *t)
{
	if (strcmp(t->name, "blobs") == 0)
		return g_strdup(BLOBS_SQL);
	if (strcmp(t->name, "documents") == 0)
		return g_strdup(DOCUMENTS_SQL);
	return sql_printf("SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
}

/* Every content on the target re-read and checked against its SHA-256. */
static int verify_contents(struct crm *to, int *ok, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(to, "SELECT id, sha256, size FROM blobs ORDER BY id", &st, err), src;
	if (rc)
		return rc;
	unsigned char *buf = malloc(CHUNK);
	if (!buf)
		abort();
	*ok = 1;
	while (!rc && (src = crm_step(st)) == CRM_SQL_ROW) {
		struct crm_blob *b = NULL;
		long long id = crm_col_int64(st, 0), size = crm_col_int64(st, 2);
		const char *sha = crm_col_text(st, 1);
		if ((src = crm_blob_open(to, id, 0, &b)) != CRM_SQL_OK) {
			rc = crm_db_error(to, src, "re-reading a document's content", err);
			break;
		}
		GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
		if (crm_blob_size(to, b) != size)
			*ok = 0;
		for (long long off = 0; !rc && *ok && off < size; off += CHUNK) {
			int n = size - off < CHUNK ? (int)(size - off) : CHUNK;
			if ((src = crm_blob_read(to, b, buf, n, off)) != CRM_SQL_OK)
				rc = crm_db_error(to, src, "re-reading a document's content", err);
			else
				g_checksum_update(sum, buf, n);
		}
		if (!rc && *ok && strcmp(g_checksum_get_string(sum), sha ? sha : "") != 0)
			*ok = 0;
		g_checksum_free(sum);
		crm_blob_close(to, b);
	}
	if (!rc && src != CRM_SQL_DONE)
		rc = crm_db_error(to, src, "re-reading documents' contents", err);
	free(buf);
	crm_finalize(st);
	return rc;
}

static int schema_of(struct crm *crm, int *version, struct crm_err *err)
{
	int foreign = 0;
	int rc = crm->store->schema_version(crm, version, &foreign);
	return rc == CRM_SQL_OK ? CRM_OK : crm_db_error(crm, rc, "reading the schema version", err);
}

/* Inside both transactions: empty (or refuse) the target, copy, verify. */
/* SQLite's NOCASE ignores the case of ASCII letters only, and a SQLite database made before the
 * engine checked the rest may hold 'ábaco' and 'ÁBACO' as two accounts; a database whose keys
 * ignore the case of every letter cannot: such rows are named before anything is written. */
static int check_unicode_keys(struct crm *from, struct crm *to, struct crm_err *err)
{
	if (!to->store->unicode_nocase || from->store->unicode_nocase)
		return CRM_OK;
	GString *clash = g_string_new(NULL);
	int nclash = 0, rc = CRM_OK;
	for (int i = 0; i < crm_nocase_nkeys && !rc; i++) {
		const struct crm_nocase_key *nk = &crm_nocase_keys[i];
		char *sql = sql_printf("SELECT id, %s, %s FROM %s WHERE %s IS NOT NULL ORDER BY id",
				       nk->scope ? nk->scope : "''", nk->key, nk->table, nk->key);
		crm_stmt *st;
		rc = crm_prepare(from, sql, &st, err);
		g_free(sql);
		if (rc)
			break;
		GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		int s;
		while ((s = crm_step(st)) == CRM_SQL_ROW) {
			const char *scope = (const char *)crm_col_text(st, 1), *key = (const char *)crm_col_text(st, 2);
			gchar *low = g_utf8_strdown(key, -1);
			gchar *k = g_strdup_printf("%s\x1f%s", scope ? scope : "", low);
			g_free(low);
			const char *first = g_hash_table_lookup(seen, k); /* "id<US>key" */
			if (first) {
				if (nclash++ < 10) {
					const char *us = strchr(first, '\x1f');
					g_string_append_printf(clash, "%s%s %.*s '%s' and %lld '%s'", clash->len ? "; " : "",
							       nk->table, (int)(us - first), first, us + 1,
							       crm_col_int64(st, 0), key);
				}
				g_free(k);
			} else {
				g_hash_table_insert(seen, k, g_strdup_printf("%lld\x1f%s", crm_col_int64(st, 0), key));
			}
		}
		if (s != CRM_SQL_DONE)
			rc = crm_db_error(from, s, "reading the source", err);
		crm_finalize(st);
		g_hash_table_destroy(seen);
	}
	if (!rc && nclash)
		rc = crm_error(err, CRM_ECONFLICT, "'%s' keeps keys that differ only in the case of non-ASCII letters, "
			       "which '%s' takes as the same: %s%s; nothing was copied (rename one of each)",
			       crm_db_path(from), crm_db_path(to), clash->str, nclash > 10 ? "; ..." : "");
	g_string_free(clash, TRUE);
	return rc;
}

static int copy_all(struct crm *from, struct crm *to, unsigned flags, const struct progress *pr,
		    struct crm_copy_report *rep, struct crm_err *err)
{
	int rc;
	long long total = 0, users = 0;
	for (size_t i = 0; i < NTABLES; i++) {
		long long n;
		if ((rc = count_rows(to, tables[i].name, &n, err)))
			return rc;
		total += n;
		if (strcmp(tables[i].name, "users") == 0)
			users = n;
	}
	if ((rc = check_unicode_keys(from, to, err)))
		return rc;
	/* A new database holds its first admin and nothing else: that is no one's data yet. */
	int fresh = total == users && users <= 1;
	if (total && !fresh && !(flags & CRM_COPY_FORCE))
		return crm_error(err, CRM_ECONFLICT, "database '%s' already holds records; nothing was copied "
				 "(--force empties it first)", crm_db_path(to));
	/* Emptying a team's database is an admin's decision (permission db.copy). */
	if (total && !fresh && (rc = crm_auth_check(to, "db.copy", err)))
		return rc;
	if (total) {
		if ((rc = empty_target(to, err)))
			return rc;
		rep->emptied = !fresh;
	}
	struct blob_map map = { 0 };
	for (size_t i = 0; i < NTABLES; i++) {
		struct crm_copy_table *r = &rep->tables[rep->n++];
		r->name = tables[i].name;
		tell(pr, "copying", r->name, 0);
		rc = strcmp(tables[i].name, "blobs") == 0 ? copy_blobs(from, to, &map, pr, err)
							    : copy_table(from, to, &tables[i], &map, pr, err);
		if (!rc && tables[i].order && strcmp(tables[i].order, "id") == 0)
			rc = copy_sequence(from, to, tables[i].name, err);
		if (rc)
			goto out;
	}
	/* Verify: the same canonical text read back from both sides. */
	rep->ok = 1;
	for (size_t i = 0; i < NTABLES; i++) {
		struct crm_copy_table *r = &rep->tables[i];
		tell(pr, "verifying", r->name, 0);
		char *sql = check_sql(&tables[i]);
		rc = checksum_query(from, sql, &r->rows, r->sha256, err);
		if (!rc)
			rc = checksum_query(to, sql, &r->target_rows, r->target_sha256, err);
		g_free(sql);
		if (rc)
			goto out;
		r->ok = r->rows == r->target_rows && strcmp(r->sha256, r->target_sha256) == 0;
		if (r->ok && strcmp(r->name, "blobs") == 0 && (rc = verify_contents(to, &r->ok, err)))
			goto out;
		rep->ok &= r->ok;
	}
	rep->verified = 1;
	/* The search index is the target's own, made from what it now holds. */
	if (rep->ok && (rc = crm_search_rebuild(to, NULL, err)))
		goto out;
	if (!rep->ok) {
		for (int i = 0; i < rep->n; i++)
			if (!rep->tables[i].ok) {
				rc = crm_error(err, CRM_EFAIL, "the copy of table '%s' does not match its source (%lld rows "
					       "read, %lld written); nothing was written to '%s'", rep->tables[i].name,
					       rep->tables[i].rows, rep->tables[i].target_rows, crm_db_path(to));
				break;
			}
	}
out:
	free(map.pairs);
	return rc;
}

int crm_copy(struct crm *from, struct crm *to, unsigned flags, crm_copy_progress *progress, void *ctx,
	     struct crm_copy_report *rep, struct crm_err *err)
{
	struct progress pr = { progress, ctx };
	memset(rep, 0, sizeof *rep);
	int vf, vt, rc;
	if ((rc = schema_of(from, &vf, err)) || (rc = schema_of(to, &vt, err)))
		return rc;
	if (vf != vt || vf != crm_schema_version())
		return crm_error(err, CRM_EFAIL, "database '%s' has schema %d and '%s' schema %d; a copy needs both at "
				 "schema %d", crm_db_path(from), vf, crm_db_path(to), vt, crm_schema_version());
	if (to->readonly)
		return crm_error(err, CRM_EFAIL, "database '%s' was opened read-only", crm_db_path(to));
	/* The source is read in one snapshot: what is copied and what is verified are the same. */
	int src = crm_store_exec(from, from->store->begin_read);
	if (src != CRM_SQL_OK)
		return crm_db_error(from, src, "reading the source", err);
	if ((rc = crm_tx_begin(to, err)))
		goto out;
	rc = copy_all(from, to, flags, &pr, rep, err);
	if (rc)
		crm_tx_rollback(to);
	else
		rc = crm_tx_commit(to, err);
out:
	crm_store_exec(from, "COMMIT");
	return rc;
}
