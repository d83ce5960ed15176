/* The search index (crm/search.h): one row per record, written here and nowhere else. The
 * record engine (core/record.c) calls crm_search_index after every add and edit and
 * crm_search_forget after every removal, inside the write's own transaction; a ticket's
 * comment (core/ticket.c) and an attribute (core/attr.c) reindex their record the same way.
 * On SQLite the row is written there and then; on PostgreSQL the record is noted and its row
 * written once the transaction has committed ("after the commit" below).
 *
 * What a row holds is read back from the database, not from the writer's hands, so that every
 * writer indexes alike: the kind's label, and as body the values of its searched fields
 * (CRM_FF_SEARCH) outside the label, its custom fields, its attributes as key=value, a
 * ticket's comments, a text document's content. The text is indexed folded (crm_fold: case,
 * accents, ß as ss, in every script) and cut into words here, and a query is folded and cut the
 * same way, so both backends find the same records; the snippet is cut here from the body as
 * written, the same on both. */
#define _POSIX_C_SOURCE 200809L
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include "crm/record.h"
#include "crm/search.h"
#include "db.h"
#include "fold.h"
#include "links.h"
#include "util.h"

/* Each kind's code, part of its rows' numbers on SQLite (record number * 32 + code): fixed
 * forever, whatever order crm_kinds[] takes. A new kind takes the next free code below 32. */
static const struct {
	const char *kind;
	int code;
} codes[] = {
	{ "account", 1 }, { "location", 2 }, { "contact", 3 }, { "user", 4 }, { "group", 5 },
	{ "activity", 6 }, { "project", 7 }, { "cost", 8 }, { "contract", 9 }, { "contract_line", 10 },
	{ "document", 11 }, { "ticket", 12 }, { "task", 13 }, { "product", 14 }, { "opportunity", 15 },
	{ "list", 16 }, { "transaction", 17 }, { "financial", 18 }, { "campaign", 19 }, { "offer", 20 },
	{ "offer_line", 21 }, { "offer_section", 22 }, { "deliverable", 23 }, { "milestone", 24 },
};

static int code_of(const struct crm_kind *k)
{
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strcmp(codes[i].kind, k->name) == 0)
			return codes[i].code;
	return 0;
}

#define DOC_TEXT_MAX (1024 * 1024) /* a text document's content is searched up to this size */

/* ---------------------------------------------------------------- words */

/* Is the character at p a letter or digit? Its length in *len (1 for a byte that is not UTF-8,
 * which is not one). */
static int word_char(const char *p, size_t *len)
{
	unsigned char a = (unsigned char)*p;
	if (a < 0x80) { /* ASCII: most text */
		*len = 1;
		return g_ascii_isalnum(a);
	}
	gunichar c = g_utf8_get_char_validated(p, -1);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*len = 1;
		return 0;
	}
	*len = (size_t)(g_utf8_next_char(p) - p);
	return g_unichar_isalnum(c);
}

/* The folded words of text, one space apart, appended to b: each word copied whole (a
 * character at a time was a seventh of a rebuild). */
static void add_words(struct strbuf *b, const char *text)
{
	char *f = crm_fold(text);
	if (!f)
		return;
	const char *p = f;
	size_t len;
	while (*p) {
		while (*p && !word_char(p, &len)) /* what separates words */
			p += len;
		const char *word = p;
		while (*p && word_char(p, &len))
			p += len;
		if (p > word) {
			if (b->len)
				sb_add(b, " ");
			sb_addn(b, word, (size_t)(p - word));
		}
	}
	free(f);
}

char *crm_search_words(const char *text)
{
	struct strbuf b = { 0 };
	if (text)
		add_words(&b, text);
	return b.len ? sb_take(&b) : (sb_free(&b), NULL);
}

/* ---------------------------------------------------------------- what a row holds */

/* Is field f of k written into the body? Searched text stored in the row (not the label's own
 * columns, which are the label), and custom fields. */
static int in_body(const struct crm_kind *k, const struct crm_field *f)
{
	if (f->flags & CRM_FF_CUSTOM)
		return 1;
	if (!(f->flags & CRM_FF_SEARCH) || f->column[0] == '(' || f->type == CRM_F_LINKS)
		return 0;
	size_t n = strlen(f->column);
	for (const char *p = strstr(k->label_sql, "t."); p; p = strstr(p + 2, "t."))
		if (strncmp(p + 2, f->column, n) == 0 && !(g_ascii_isalnum(p[2 + n]) || p[2 + n] == '_'))
			return 0;
	return 1;
}

/* SELECT id, label, the body's fields..., attributes, the kind's extra FROM its table t, then
 * where (a WHERE clause or an ORDER BY). */
static char *row_sql(const struct crm_kind *k, const char *where, int *nbody)
{
	struct strbuf b = { 0 };
	sb_addf(&b, "SELECT t.id, %s", k->label_sql);
	*nbody = 0;
	for (int i = 0; i < k->nfields; i++)
		if (in_body(k, &k->fields[i])) {
			sb_add(&b, ", ");
			crm_field_sql(&b, &k->fields[i]);
			++*nbody;
		}
	/* The kind's name is the descriptor's, never user text. */
	sb_addf(&b, ", (SELECT group_concat(z.pair, ' ') FROM (SELECT a.key || '=' || a.value AS pair FROM attributes a "
		    "WHERE a.kind = '%s' AND a.record_id = t.id ORDER BY a.key) z)", k->name);
	if (strcmp(k->name, "document") == 0)
		sb_addf(&b, ", CASE WHEN lower(t.content_type) LIKE 'text/%%' AND t.size <= %d THEN t.blob_id END",
			DOC_TEXT_MAX);
	else
		sb_add(&b, ", NULL");
	sb_addf(&b, " FROM %s t %s", k->table, where);
	return sb_take(&b);
}

/* A text document's content, as text (invalid UTF-8 made valid), or NULL. */
static char *doc_text(struct crm *crm, long long blob)
{
	struct crm_blob *b;
	if (crm_blob_open(crm, blob, 0, &b) != CRM_SQL_OK)
		return NULL;
	long long size = crm_blob_size(crm, b);
	char *buf = NULL;
	if (size >= 0 && size <= DOC_TEXT_MAX) {
		buf = xmalloc((size_t)size + 1);
		if (size && crm_blob_read(crm, b, buf, (int)size, 0) != CRM_SQL_OK) {
			free(buf);
			buf = NULL;
		} else {
			buf[size] = '\0';
		}
	}
	crm_blob_close(crm, b);
	if (buf && !g_utf8_validate(buf, -1, NULL)) {
		gchar *valid = g_utf8_make_valid(buf, -1);
		free(buf);
		buf = xstrdup(valid);
		g_free(valid);
	}
	return buf;
}

static void body_add(struct strbuf *body, const char *text)
{
	if (!text || !*text)
		return;
	if (body->len)
		sb_add(body, "; ");
	sb_add(body, text);
}

/* Write the row of record id of k. fresh: the record was just added, so it has no row yet, and
 * a plain insert does; should one be there after all (a number used again in the same
 * transaction), the failed insert is undone by SQLite and the row written over. */
static int put(struct crm *crm, const struct crm_kind *k, long long id, const char *label, const char *body,
	       int fresh, struct crm_err *err)
{
	const char *sql = fresh && crm->store->search.add ? crm->store->search.add : crm->store->search.put;
	char *lw = crm_search_words(label), *bw = crm_search_words(body);
	int rc;
	for (;;) {
		crm_stmt *st;
		if ((rc = crm_stmt_get(crm, sql, &st, err)))
			break;
		crm_bind_text(st, 1, k->name);
		crm_bind_int64(st, 2, id);
		crm_bind_text(st, 3, label);
		crm_bind_text(st, 4, body);
		crm_bind_text(st, 5, lw); /* NULL binds NULL, as label and body do */
		crm_bind_text(st, 6, bw);
		crm_bind_int64(st, 7, id * 32 + code_of(k));
		rc = crm_step(st);
		crm_stmt_done(st);
		if ((rc & 0xff) != CRM_SQL_CONSTRAINT || sql == crm->store->search.put)
			break;
		sql = crm->store->search.put;
	}
	free(lw);
	free(bw);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "updating the search index", err);
}

/* The label and body of the row st is on (row_sql's columns); the body NULL when empty. */
static void row_text(struct crm *crm, const struct crm_kind *k, crm_stmt *st, int nbody, char **labelp,
		     struct strbuf *bodyp)
{
	char *label = crm_col_text(st, 1) ? xstrdup(crm_col_text(st, 1)) : NULL;
	struct strbuf body = { 0 };
	/* A custom number as list and show print it (43, not the 43.0 of its stored double), a
	 * custom yes-or-no as the table says it (yes, no; not 1, 0). */
	const struct crm_field *f = k->fields;
	for (int i = 0; i < nbody + 2; i++) {
		while (i < nbody && !in_body(k, f))
			f++;
		const struct crm_field *bf = i < nbody ? f++ : NULL;
		char num[64];
		const char *text = crm_col_text(st, 2 + i);
		if (bf && text && bf->type == CRM_F_REAL) {
			snprintf(num, sizeof num, "%.15g", crm_col_double(st, 2 + i));
			text = num;
		} else if (bf && text && bf->type == CRM_F_BOOL) {
			text = crm_col_int64(st, 2 + i) ? "yes" : "no";
		}
		if (i < nbody + 1 || strcmp(k->name, "document") != 0)
			body_add(&body, text);
	}
	long long blob = 0;
	if (strcmp(k->name, "document") == 0 && crm_col_type(st, 3 + nbody) != CRM_COL_NULL)
		blob = crm_col_int64(st, 3 + nbody);
	if (blob) {
		char *text = doc_text(crm, blob);
		body_add(&body, text);
		free(text);
	}
	*labelp = label;
	*bodyp = body;
}

/* Index the row st is on (row_sql's columns). */
static int put_row(struct crm *crm, const struct crm_kind *k, crm_stmt *st, int nbody, int fresh,
		   struct crm_err *err)
{
	char *label;
	struct strbuf body;
	row_text(crm, k, st, nbody, &label, &body);
	int rc = put(crm, k, crm_col_int64(st, 0), label, body.s, fresh, err);
	free(label);
	sb_free(&body);
	return rc;
}

/* ---------------------------------------------------------------- after the commit */

/* On a backend that indexes after the commit (store.h: search.after_commit, PostgreSQL), a
 * write in a transaction leaves its record to index here; once the outermost transaction has
 * committed (crm_tx_commit), the records are indexed in transactions of their own, FLUSH_ROWS
 * a statement and a transaction: each record's row read from what is committed then, its kind
 * locked first, so that of two writers of one record the second indexes after the first, from
 * the first's commit or newer, and the index ends as the record is. The SERIALIZABLE transaction
 * of the write then neither reads nor writes the index: two writers never conflict over it
 * (they did: the index's reads and writes lengthened every write and put it in the conflict
 * set of the others), and an import's rows are indexed FLUSH_ROWS to a round trip rather
 * than one round trip each. What is lost: a crash between the two commits leaves the record
 * unindexed until `crm search --rebuild` (said by crm_search_lag when the second fails). */
struct crm_search_todo {
	long long key; /* the row's number: id * 32 + code, the order rows are locked in */
	long long id;  /* the record's; a ticket's comment: its action's, negated */
	int code;
	int fresh; /* noted as added: it had no row before (crm_search_index) */
};

#define FLUSH_ROWS 500
/* The locks' numbers: this plus a kind's code (pg_advisory_xact_lock's key space is shared by
 * every program on the database: core/store_pg.c's migration lock is 4242001). */
#define LOCK_BASE 4242100

static int later(struct crm *crm, const struct crm_kind *k, long long id, int fresh)
{
	if (!(crm->store->search.after_commit || crm->search_bulk) || crm->tx_depth == 0 || !k || !code_of(k))
		return 0;
	if (crm->nsearch_todo == crm->cap_search_todo) {
		crm->cap_search_todo = crm->cap_search_todo ? 2 * crm->cap_search_todo : 16;
		crm->search_todo = xrealloc(crm->search_todo, crm->cap_search_todo * sizeof *crm->search_todo);
	}
	struct crm_search_todo *t = &crm->search_todo[crm->nsearch_todo++];
	t->code = code_of(k);
	t->id = id;
	t->key = id * 32 + t->code;
	t->fresh = fresh;
	return 1;
}

void crm_search_drop(struct crm *crm)
{
	crm->nsearch_todo = 0;
}

const char *crm_search_lag(const struct crm *crm)
{
	return crm ? crm->search_lag : NULL;
}

static int todo_cmp(const void *a, const void *b)
{
	long long x = ((const struct crm_search_todo *)a)->key, y = ((const struct crm_search_todo *)b)->key;
	return (x > y) - (x < y);
}

/* An element of a PostgreSQL array literal: quoted, NULL unquoted. */
static void arr_add(struct strbuf *b, const char *v)
{
	sb_add(b, b->len ? "," : "{");
	if (!v) {
		sb_add(b, "NULL");
		return;
	}
	sb_add(b, "\"");
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, "\"\\");
		sb_addn(b, p, n);
		p += n;
		if (*p) {
			sb_add(b, "\\");
			sb_addn(b, p++, 1);
		}
	}
	sb_add(b, "\"");
}

static void arr_add_int(struct strbuf *b, long long v)
{
	sb_addf(b, "%s%lld", b->len ? "," : "{", v);
}

static char *arr_take(struct strbuf *b)
{
	sb_add(b, b->len ? "}" : "{}");
	return sb_take(b);
}

/* One statement with arrays for parameters, run to its end. */
static int run_arrays(struct crm *crm, const char *sql, char **arrays, int n, const char *doing, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, sql, &st, err);
	if (rc) {
		for (int i = 0; i < n; i++)
			free(arrays[i]);
		return rc;
	}
	for (int i = 0; i < n; i++)
		crm_bind_text_own(st, i + 1, arrays[i]);
	int src;
	while ((src = crm_step(st)) == CRM_SQL_ROW)
		;
	crm_stmt_done(st);
	return src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, doing, err);
}

/* The rows to write, as arrays (put_many). */
struct rows {
	struct strbuf a[6];
	int n;
};

static void rows_add(struct rows *r, const char *kind, long long id, const char *label, const char *body)
{
	char *lw = crm_search_words(label), *bw = crm_search_words(body);
	arr_add(&r->a[0], kind);
	arr_add_int(&r->a[1], id);
	arr_add(&r->a[2], label);
	arr_add(&r->a[3], body);
	arr_add(&r->a[4], lw);
	arr_add(&r->a[5], bw);
	free(lw);
	free(bw);
	r->n++;
}

/* The records of one kind (comments: their ticket's code, negative ids) among t[0..n): their
 * rows read and added to r, the ids of those no longer there into gone. */
static int flush_kind(struct crm *crm, const struct crm_kind *k, int comments, const struct crm_search_todo *t,
		      size_t n, struct rows *r, struct strbuf *gone, struct crm_err *err)
{
	int code = code_of(k);
	struct strbuf ids = { 0 };
	GHashTable *found = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code && (t[i].id < 0) == comments)
			arr_add_int(&ids, comments ? -t[i].id : t[i].id);
	if (!ids.len) {
		g_hash_table_destroy(found);
		return CRM_OK;
	}
	int nbody = 0;
	char *sql;
	if (comments) {
		sql = xstrdup("SELECT id, text FROM ticket_actions WHERE action = 'comment' AND id");
		sql = xrealloc(sql, strlen(sql) + strlen(crm->store->search.in) + 1);
		strcat(sql, crm->store->search.in);
	} else {
		struct strbuf w = { 0 };
		sb_addf(&w, "WHERE t.id%s", crm->store->search.in);
		sql = row_sql(k, w.s, &nbody);
		sb_free(&w);
	}
	crm_stmt *st;
	int rc = crm_stmt_get(crm, sql, &st, err), src = CRM_SQL_DONE;
	free(sql);
	if (rc) {
		sb_free(&ids);
		g_hash_table_destroy(found);
		return rc;
	}
	crm_bind_text_own(st, 1, arr_take(&ids));
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		long long id = crm_col_int64(st, 0);
		if (comments) {
			rows_add(r, k->name, -id, NULL, crm_col_text(st, 1));
			id = -id;
		} else {
			char *label;
			struct strbuf body;
			row_text(crm, k, st, nbody, &label, &body);
			rows_add(r, k->name, id, label, body.s);
			free(label);
			sb_free(&body);
		}
		g_hash_table_add(found, g_memdup2(&id, sizeof id));
	}
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading records for the search index", err);
	for (size_t i = 0; !rc && i < n; i++)
		if (t[i].code == code && (t[i].id < 0) == comments && !g_hash_table_contains(found, &t[i].id))
			arr_add_int(gone, t[i].id);
	g_hash_table_destroy(found);
	return rc;
}

/* One stretch of records, sorted by row number: locked, read, written. */
static int flush_stretch(struct crm *crm, const struct crm_search_todo *t, size_t n, struct crm_err *err)
{
	const struct crm_store_search *s = &crm->store->search;
	/* One lock per kind (in the order of their codes), not per row: a lock a row would fill
	 * the server's shared lock table with a big import's, failing other sessions. */
	struct strbuf keys = { 0 };
	for (size_t c = 0; c < sizeof codes / sizeof *codes; c++)
		for (size_t i = 0; i < n; i++)
			if (t[i].code == codes[c].code) {
				arr_add_int(&keys, LOCK_BASE + t[i].code);
				break;
			}
	char *lock[1] = { arr_take(&keys) };
	int rc = run_arrays(crm, s->lock, lock, 1, "locking the search index", err);
	struct rows r = { 0 };
	for (size_t c = 0; !rc && c < sizeof codes / sizeof *codes; c++) {
		const struct crm_kind *k = crm_kind_find(codes[c].kind); /* with its custom fields */
		struct strbuf gone = { 0 };
		if (!k)
			continue;
		for (int comments = 0; !rc && comments < 2; comments++)
			rc = flush_kind(crm, k, comments, t, n, &r, &gone, err);
		if (!rc && gone.len) {
			char *a[2] = { xstrdup(k->name), arr_take(&gone) };
			rc = run_arrays(crm, s->rm_many, a, 2, "updating the search index", err);
		}
		sb_free(&gone);
	}
	char *a[6];
	for (int i = 0; i < 6; i++)
		a[i] = arr_take(&r.a[i]);
	if (!rc && r.n)
		return run_arrays(crm, s->put_many, a, 6, "updating the search index", err);
	for (int i = 0; i < 6; i++)
		free(a[i]);
	return rc;
}

void crm_search_flush(struct crm *crm)
{
	if (!crm->nsearch_todo)
		return;
	struct crm_search_todo *t = crm->search_todo;
	size_t n = crm->nsearch_todo, m = 0;
	crm->search_todo = NULL;
	crm->nsearch_todo = crm->cap_search_todo = 0;
	qsort(t, n, sizeof *t, todo_cmp);
	for (size_t i = 0; i < n; i++)
		if (!m || t[i].key != t[m - 1].key)
			t[m++] = t[i];
	/* A transaction a stretch: the kinds' locks are held for one stretch only. */
	struct crm_err err = { 0 };
	int flat = crm->tx_flat, rc = CRM_OK;
	crm->tx_flat = 0;
	for (size_t at = 0; !rc && at < m; at += FLUSH_ROWS) {
		if ((rc = crm_tx_begin_queue(crm, &err)))
			break;
		rc = flush_stretch(crm, t + at, m - at < FLUSH_ROWS ? m - at : FLUSH_ROWS, &err);
		if (!rc)
			rc = crm_tx_commit(crm, &err);
		else
			crm_tx_rollback(crm);
	}
	crm->tx_flat = flat;
	free(crm->search_lag);
	crm->search_lag = rc ? xstrdup(err.msg) : NULL;
	free(t);
}

/* ---------------------------------------------------------------- in bulk, in the transaction */

/* SQLite, during an import (crm->search_bulk): the records written are noted (later) and
 * indexed BULK_ROWS at a time, and the rest before the transaction commits, inside it: each
 * kind's run of consecutive numbers read back with one statement, in order, rather than one
 * look-up each (an import creates its records in runs). Anything that reads the index in the
 * transaction first writes what is pending (crm_search_filter_sql). */
#define BULK_ROWS 4096

static int rm_now(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err);
static const char *row_sql_memo(const struct crm_kind *k, int range, int *nbody);

static int bulk_due(struct crm *crm, struct crm_err *err)
{
	if (crm->store->search.after_commit || crm->nsearch_todo < BULK_ROWS)
		return CRM_OK;
	return crm_search_write_pending(crm, err);
}

static int kind_id_cmp(const void *a, const void *b)
{
	const struct crm_search_todo *x = a, *y = b;
	if (x->code != y->code)
		return (x->code > y->code) - (x->code < y->code);
	return (x->id > y->id) - (x->id < y->id);
}

static const struct crm_kind *kind_of_code(int code)
{
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (codes[i].code == code)
			return crm_kind_find(codes[i].kind); /* with its custom fields */
	return NULL;
}

/* The records of k numbered first to last, all noted (t[0..n), in order of number, a number
 * once or more): each indexed, or its row removed when it is not there (any more). A record
 * noted as added in this stretch had no row before it, whatever else was noted of it. */
static int index_run(struct crm *crm, const struct crm_kind *k, const struct crm_search_todo *t, size_t n,
		     struct crm_err *err)
{
	long long first = t[0].id, last = t[n - 1].id;
	size_t at = 0;
	int nbody, rc, src;
	crm_stmt *st;
	if ((rc = crm_stmt_get(crm, row_sql_memo(k, 1, &nbody), &st, err)))
		return rc;
	crm_bind_int64(st, 1, first);
	crm_bind_int64(st, 2, last);
	long long next = first;
	while (!rc && (src = crm_step(st)) == CRM_SQL_ROW) {
		long long id = crm_col_int64(st, 0);
		for (; !rc && next < id; next++)
			rc = rm_now(crm, k, next, err);
		int fresh = 0;
		for (; at < n && t[at].id <= id; at++)
			fresh |= t[at].id == id && t[at].fresh;
		if (!rc)
			rc = put_row(crm, k, st, nbody, fresh, err);
		next = id + 1;
	}
	if (!rc && src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading records for the search index", err);
	crm_stmt_done(st);
	for (; !rc && next <= last; next++)
		rc = rm_now(crm, k, next, err);
	return rc;
}

/* A ticket's comment (action a): indexed, or its row removed. */
static int index_comment(struct crm *crm, const struct crm_kind *ticket, long long a, int fresh,
			 struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT text FROM ticket_actions WHERE id = ? AND action = 'comment'", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, a);
	int src = crm_step(st);
	if (src == CRM_SQL_ROW)
		rc = put(crm, ticket, -a, NULL, crm_col_text(st, 0), fresh, err);
	else if (src == CRM_SQL_DONE)
		rc = rm_now(crm, ticket, -a, err);
	else
		rc = crm_db_error(crm, src, "reading a comment for the search index", err);
	crm_stmt_done(st);
	return rc;
}

int crm_search_write_pending(struct crm *crm, struct crm_err *err)
{
	if (crm->store->search.after_commit || !crm->nsearch_todo)
		return CRM_OK;
	struct crm_search_todo *t = crm->search_todo;
	size_t n = crm->nsearch_todo;
	crm->search_todo = NULL;
	crm->nsearch_todo = crm->cap_search_todo = 0;
	qsort(t, n, sizeof *t, kind_id_cmp);
	int rc = CRM_OK;
	for (size_t i = 0; i < n && !rc;) {
		const struct crm_kind *k = kind_of_code(t[i].code);
		size_t j = i + 1;
		if (!k) {
			i = j;
			continue;
		}
		if (t[i].id < 0) {
			int fresh = t[i].fresh;
			while (j < n && t[j].code == t[i].code && t[j].id == t[i].id)
				fresh |= t[j++].fresh;
			rc = index_comment(crm, k, -t[i].id, fresh, err);
		} else {
			while (j < n && t[j].code == t[i].code && t[j].id <= t[j - 1].id + 1)
				j++;
			rc = index_run(crm, k, t + i, j - i, err);
		}
		i = j;
	}
	free(t);
	return rc;
}

int crm_search_comment(struct crm *crm, long long action_id, const char *text, struct crm_err *err)
{
	if (later(crm, crm_kind_find("ticket"), -action_id, 1))
		return bulk_due(crm, err);
	return put(crm, crm_kind_find("ticket"), -action_id, NULL, text, 1, err);
}

static int forget_one(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err);

int crm_search_forget(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	if (!code_of(k))
		return CRM_OK;
	if (strcmp(k->name, "ticket") == 0 && id > 0) {
		/* its comments' rows too (crm_search_comment), while the ticket still has them */
		crm_stmt *st;
		int rc = crm_stmt_get(crm, "SELECT id FROM ticket_actions WHERE ticket_id = ? AND action = 'comment'", &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, id);
		long long *ids = NULL;
		size_t n = 0, cap = 0;
		while ((rc = crm_step(st)) == CRM_SQL_ROW) {
			if (n == cap)
				ids = xrealloc(ids, (cap = cap ? 2 * cap : 16) * sizeof *ids);
			ids[n++] = crm_col_int64(st, 0);
		}
		crm_stmt_done(st);
		rc = rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "finding a ticket's comments", err);
		for (size_t i = 0; i < n && !rc; i++)
			rc = forget_one(crm, k, -ids[i], err);
		free(ids);
		if (rc)
			return rc;
	}
	return forget_one(crm, k, id, err);
}

static int forget_one(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	if (later(crm, k, id, 0))
		return bulk_due(crm, err);
	return rm_now(crm, k, id, err);
}

static int rm_now(struct crm *crm, const struct crm_kind *k, long long id, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, crm->store->search.rm, &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, k->name);
	crm_bind_int64(st, 2, id);
	crm_bind_int64(st, 7, id * 32 + code_of(k));
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "updating the search index", err);
}

/* The SQL of row_sql per kind and process (the descriptor may change: custom fields): one
 * record (?), or with range the records numbered ?1 to ?2. */
static const char *row_sql_memo(const struct crm_kind *k, int range, int *nbody)
{
	static struct {
		const struct crm_kind *k;
		const struct crm_field *fields;
		int nfields, nbody, range;
		char *sql;
	} memo[32];
	int i = 0;
	for (; i < 32 && memo[i].k; i++)
		if (memo[i].k == k && memo[i].fields == k->fields && memo[i].nfields == k->nfields &&
		    memo[i].range == range) {
			*nbody = memo[i].nbody;
			return memo[i].sql;
		}
	if (i == 32)
		i = (int)((((unsigned long)k >> 4) + (unsigned long)range) % 32);
	free(memo[i].sql);
	memo[i].k = k;
	memo[i].fields = k->fields;
	memo[i].nfields = k->nfields;
	memo[i].range = range;
	memo[i].sql = row_sql(k, range ? "WHERE t.id BETWEEN ?1 AND ?2 ORDER BY t.id" : "WHERE t.id = ?", &memo[i].nbody);
	*nbody = memo[i].nbody;
	return memo[i].sql;
}

int crm_search_index(struct crm *crm, const struct crm_kind *k, long long id, int fresh, struct crm_err *err)
{
	if (!code_of(k))
		return CRM_OK;
	if (later(crm, k, id, fresh))
		return bulk_due(crm, err);
	/* An edit writes the row over (one statement fewer than removing it first: on PostgreSQL
	 * a shorter transaction loses fewer serialization races). */
	k = crm_kind_find(k->name); /* with its custom fields */
	int rc = CRM_OK, nbody;
	crm_stmt *st;
	if ((rc = crm_stmt_get(crm, row_sql_memo(k, 0, &nbody), &st, err)))
		return rc;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st);
	if (src == CRM_SQL_ROW)
		rc = put_row(crm, k, st, nbody, fresh, err);
	else if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading a record for the search index", err);
	crm_stmt_done(st);
	return src == CRM_SQL_DONE ? crm_search_forget(crm, k, id, err) : rc;
}

int crm_search_rebuild(struct crm *crm, long long *rows, struct crm_err *err)
{
	long long n = 0;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	int src = crm_store_exec(crm, crm->store->search.clear);
	if (src != CRM_SQL_OK)
		rc = crm_db_error(crm, src, "emptying the search index", err);
	for (int i = 0; crm_kinds[i] && !rc; i++) {
		const struct crm_kind *k = crm_kind_find(crm_kinds[i]->name);
		if (!code_of(k))
			continue;
		int nbody;
		char *sql = row_sql(k, "ORDER BY t.id", &nbody);
		crm_stmt *st;
		rc = crm_prepare(crm, sql, &st, err);
		free(sql);
		if (rc)
			break;
		while (!rc && (src = crm_step(st)) == CRM_SQL_ROW) {
			rc = put_row(crm, k, st, nbody, 1, err); /* the index was emptied */
			n++;
		}
		if (!rc && src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "reading records for the search index", err);
		crm_finalize(st);
	}
	crm_stmt *st;
	if (!rc && !(rc = crm_prepare(crm, "SELECT id, text FROM ticket_actions WHERE action = 'comment' ORDER BY id", &st, err))) {
		while (!rc && (src = crm_step(st)) == CRM_SQL_ROW)
			rc = put(crm, crm_kind_find("ticket"), -crm_col_int64(st, 0), NULL, crm_col_text(st, 1), 1, err);
		if (!rc && src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "reading comments for the search index", err);
		crm_finalize(st);
	}
	if (rc) {
		crm_tx_rollback(crm);
		return rc;
	}
	if (rows)
		*rows = n;
	return crm_tx_commit(crm, err);
}

/* ---------------------------------------------------------------- queries */

/* Does one of the folded words of w start with one of the query's parts? */
static int word_hits(const char *w, size_t len, char *const *parts, int nparts)
{
	char *copy = xstrndup(w, len), *words = crm_search_words(copy);
	free(copy);
	int hit = 0;
	for (char *p = words; p && *p && !hit;) {
		size_t n = strcspn(p, " ");
		for (int i = 0; i < nparts && !hit; i++)
			hit = strlen(parts[i]) <= n && strncmp(p, parts[i], strlen(parts[i])) == 0;
		p += n + (p[n] == ' ');
	}
	free(words);
	return hit;
}

#define SNIPPET_BEFORE 4
#define SNIPPET_WORDS 12
#define SNIPPET_SCAN (64 * 1024)

/* A few words of body around the first that matches the query (the first words when none
 * does, the match being the label's), with … where it was cut; white space made one space. */
static char *snippet(const char *body, char *const *parts, int nparts)
{
	if (!body)
		return NULL;
	/* The words, as [start, end) offsets, up to the scan limit. */
	struct span { size_t s, e; };
	GArray *at = g_array_new(FALSE, FALSE, sizeof(struct span));
	long long hit = -1;
	for (size_t i = 0; body[i] && i < SNIPPET_SCAN;) {
		while (body[i] && g_ascii_isspace(body[i]))
			i++;
		if (!body[i])
			break;
		size_t s = i;
		while (body[i] && !g_ascii_isspace(body[i]))
			i++;
		struct span span = { s, i };
		g_array_append_val(at, span);
		if (hit < 0 && word_hits(body + s, i - s, parts, nparts))
			hit = (long long)at->len - 1;
		if (hit >= 0 && (long long)at->len >= hit + SNIPPET_WORDS)
			break;
	}
	long long first = hit > SNIPPET_BEFORE ? hit - SNIPPET_BEFORE : 0;
	long long last = first + SNIPPET_WORDS; /* exclusive */
	struct strbuf b = { 0 };
	size_t end = 0;
	for (long long w = first; w < last && w < (long long)at->len; w++) {
		struct span *span = &g_array_index(at, struct span, (guint)w);
		if (b.len)
			sb_add(&b, " ");
		else if (first > 0)
			sb_add(&b, "…");
		sb_addn(&b, body + span->s, span->e - span->s);
		end = span->e;
	}
	while (body[end] && g_ascii_isspace(body[end]))
		end++;
	if (b.len && body[end])
		sb_add(&b, "…");
	g_array_free(at, TRUE);
	return b.len ? sb_take(&b) : (sb_free(&b), NULL);
}

/* A hit's label and body, as the index row was written from (words only: they are not kept
 * in it): the record's, or a ticket's comment (id: minus its action) as body. Not 0 when the
 * record or comment is not there any more. */
static int hit_text(struct crm *crm, const struct crm_kind *k, long long id, char **label, char **body)
{
	crm_stmt *st;
	int nbody = 0, found = 0;
	*label = *body = NULL;
	if (crm_stmt_get(crm, id < 0 ? "SELECT text FROM ticket_actions WHERE id = ? AND action = 'comment'"
				     : row_sql_memo(k, 0, &nbody),
			 &st, NULL) != CRM_OK)
		return 1;
	crm_bind_int64(st, 1, id < 0 ? -id : id);
	if (crm_step(st) == CRM_SQL_ROW) {
		found = 1;
		if (id < 0) {
			*body = crm_col_text(st, 0) ? xstrdup(crm_col_text(st, 0)) : NULL;
		} else {
			struct strbuf b;
			row_text(crm, k, st, nbody, label, &b);
			*body = b.s ? sb_take(&b) : NULL;
		}
	}
	crm_stmt_done(st);
	return !found;
}

/* The ticket of comment (action) a, 0 when there is none any more. */
static long long comment_ticket(struct crm *crm, long long a)
{
	crm_stmt *st;
	long long t = 0;
	if (crm_stmt_get(crm, "SELECT ticket_id FROM ticket_actions WHERE id = ?", &st, NULL) != CRM_OK)
		return 0;
	crm_bind_int64(st, 1, a);
	if (crm_step(st) == CRM_SQL_ROW)
		t = crm_col_int64(st, 0);
	crm_stmt_done(st);
	return t;
}

/* The match expression of one user word (its folded parts a phrase, the last a prefix), ANDed to
 * match; each part also goes to parts (may be NULL) for the snippets. */
static void match_add(const struct crm_store_search *s, struct strbuf *match, const char *word, GPtrArray *parts)
{
	char *w = crm_search_words(word);
	if (!w)
		return;
	sb_add(match, match->len ? s->and : "");
	sb_add(match, s->open);
	for (char *t = w; *t;) {
		size_t n = strcspn(t, " ");
		if (t != w)
			sb_add(match, s->between);
		sb_addn(match, t, n);
		if (parts)
			g_ptr_array_add(parts, xstrndup(t, n));
		t += n + (t[n] == ' ');
	}
	sb_add(match, s->close);
	free(w);
}

int crm_search_filter_sql(struct crm *crm, const struct crm_kind *k, const char *text, char **sql, char **match)
{
	const struct crm_store_search *s = &crm->store->search;
	*sql = *match = NULL;
	if (!s->ids || !code_of(k))
		return 0;
	/* what this transaction left to index in bulk is read too: written first (a failure
	 * recurs at the commit, which then fails) */
	struct crm_err ignored = { 0 };
	crm_search_write_pending(crm, &ignored);
	struct strbuf m = { 0 };
	/* words in one term are a phrase, the last a prefix: "Ana Pop" as people write the name */
	match_add(s, &m, text, NULL);
	if (!m.len) {
		sb_free(&m);
		return 0;
	}
	struct strbuf q = { 0 };
	int code = code_of(k);
	/* k->name is a descriptor's, never user text; a ticket's comments are rows of their own
	 * (numbered minus their action): their ticket. Words only: a record's row is numbered
	 * id * 32 + code, a comment's -action * 32 + code (rowid % 32 is then code - 32). */
	if (s->words_only)
		sb_addf(&q, "(t.id IN (SELECT rowid / 32 %s AND rowid %% 32 = %d)", s->ids, code);
	else
		sb_addf(&q, "(t.id IN (SELECT record_id %s AND kind = '%s')", s->ids, k->name);
	if (strcmp(k->name, "ticket") == 0 && s->words_only)
		sb_addf(&q, " OR t.id IN (SELECT a.ticket_id FROM ticket_actions a WHERE a.id IN (SELECT (%d - rowid) / 32 "
			"%s AND rowid %% 32 = %d))", code, s->ids, code - 32);
	else if (strcmp(k->name, "ticket") == 0)
		sb_addf(&q, " OR t.id IN (SELECT a.ticket_id FROM ticket_actions a WHERE a.id IN (SELECT -record_id %s "
			"AND kind = 'ticket' AND record_id < 0))", s->ids);
	sb_add(&q, ")");
	*sql = sb_take(&q);
	*match = sb_take(&m);
	return 1;
}

int crm_search_print(struct crm *crm, const struct crm_search *q, struct crm_printer *p, long long *count,
		     struct crm_err *err)
{
	const struct crm_store_search *s = &crm->store->search;
	struct strbuf match = { 0 };
	GPtrArray *parts = g_ptr_array_new_with_free_func(free);
	for (int i = 0; i < q->nwords; i++)
		match_add(s, &match, q->words[i], parts);
	if (!match.len) {
		g_ptr_array_free(parts, TRUE);
		sb_free(&match);
		return crm_error(err, CRM_EUSAGE, "search for what? give a word with a letter or digit in it");
	}
	crm_stmt *st;
	int pg = strcmp(crm->store->name, "sqlite") != 0;
	struct strbuf sql = { 0 };
	sb_addf(&sql, "%s%s", !q->explain ? "" : pg ? "EXPLAIN " : "EXPLAIN QUERY PLAN ", s->query);
	int rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc) {
		g_ptr_array_free(parts, TRUE);
		sb_free(&match);
		return rc;
	}
	crm_bind_text_own(st, 1, sb_take(&match));
	if (q->kind && s->words_only)
		crm_bind_int64(st, 2, code_of(q->kind));
	else if (q->kind)
		crm_bind_text(st, 2, q->kind->name);
	else
		crm_bind_null(st, 2);
	crm_bind_int64(st, 3, q->limit > 0 ? q->limit : (1LL << 62)); /* PostgreSQL takes no -1 */
	static const char *const names[] = { "kind", "id", "label", "snippet" }, *const plan[] = { "detail" };
	crm_printer_columns(p, q->explain ? plan : names, q->explain ? 1 : 4);
	long long n = 0;
	int src = CRM_SQL_DONE;
	while (q->explain && (src = crm_step(st)) == CRM_SQL_ROW) {
		/* SQLite: id, parent, notused, detail; PostgreSQL: one column */
		struct crm_value v = { CRM_V_TEXT, crm_col_text(st, pg ? 0 : 3) };
		crm_printer_row(p, &v);
	}
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	while (!q->explain && (src = crm_step(st)) == CRM_SQL_ROW) {
		char *kind, *label = NULL, *body = NULL, num[32];
		long long id;
		if (s->words_only) {
			long long r = crm_col_int64(st, 0);
			int code = (int)((r % 32 + 32) % 32);
			const struct crm_kind *k = kind_of_code(code);
			id = (r - code) / 32;
			if (!k || hit_text(crm, k, id, &label, &body)) {
				free(label);
				free(body);
				continue; /* gone since (search --rebuild tidies) */
			}
			kind = xstrdup(k->name);
		} else {
			kind = xstrdup(crm_col_text(st, 0));
			id = atoll(crm_col_text(st, 1));
			if (crm_col_text(st, 2))
				label = xstrdup(crm_col_text(st, 2));
			if (crm_col_text(st, 3))
				body = xstrdup(crm_col_text(st, 3));
		}
		if (id < 0 && !(id = comment_ticket(crm, -id))) { /* a comment: its ticket */
			free(kind);
			free(label);
			free(body);
			continue; /* of a ticket removed since (search --rebuild tidies) */
		}
		char *snip = snippet(body, (char *const *)parts->pdata, (int)parts->len);
		free(body);
		char *key = g_strdup_printf("%s %lld", kind, id);
		if (!g_hash_table_contains(seen, key)) { /* a ticket once, its best hit */
			g_hash_table_add(seen, key);
			key = NULL;
			if (!label)
				label = crm_record_label(crm, crm_kind_find(kind), id);
			snprintf(num, sizeof num, "%lld", id);
			const struct crm_value cells[4] = {
				{ CRM_V_TEXT, kind },
				{ CRM_V_INT, num },
				{ label ? CRM_V_TEXT : CRM_V_NULL, label },
				{ snip ? CRM_V_TEXT : CRM_V_NULL, snip },
			};
			crm_printer_row(p, cells);
			n++;
		}
		g_free(key);
		free(snip);
		free(label);
		free(kind);
	}
	g_hash_table_destroy(seen);
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "searching", err);
	crm_finalize(st);
	g_ptr_array_free(parts, TRUE);
	if (count)
		*count = n;
	return rc;
}
