/* Bulk import: CSV rows mapped to fields and written through the record engine (the very
 * crm_record_add and crm_record_edit that add and edit use, so an import validates exactly as
 * they do), in one transaction recorded as one batch. Batches are listed, shown and reverted
 * from the history rows they left (history.batch_id). */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "crm/auth.h"
#include "crm/date.h"
#include "crm/import.h"
#include "crm/near.h"
#include "crm/workflow.h"
#include "crm/record.h"
#include "fold.h"
#include "util.h"
#include "db.h"

#define MAX_KEYS 8
/* How often (in rows) the progress callback hears from the import. */
#define PROGRESS_EVERY 4096

static const char *const mode_names[] = { "upsert", "create", "update" };

int crm_import_mode_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, mode_names[i]) == 0)
			return i;
	return -1;
}

const char *crm_import_mode_name(enum crm_import_mode m)
{
	return mode_names[m];
}

/* ---------------------------------------------------------------- mapping headers to fields */

/* Headers and field names compare without case, spaces, '_', '-' or '.': "E-mail" is email. */
static void squash(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	for (; *in && n + 1 < outsz; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t')
			continue;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

/* What other programs call our fields (squashed). A synonym applies only to a kind that has
 * the field; the entries naming a kind come first ("Company" is an account's own name, but the
 * account a contact works for). */
static const struct synonym {
	const char *kind, *header, *field;
} synonyms[] = {
	{ "account", "company", "name" },
	{ "account", "companyname", "name" },
	{ "account", "organization", "name" },
	{ "account", "organisation", "name" },
	{ "account", "accountname", "name" },
	{ "account", "account", "name" },
	{ "account", "parentaccount", "parent" },
	{ "account", "parentcompany", "parent" },
	{ "location", "locationname", "name" },
	{ "location", "site", "name" },
	{ "user", "username", "login" },
	{ "user", "fullname", "name" },
	{ "user", "displayname", "name" },
	{ NULL, "company", "account" },
	{ NULL, "companyname", "account" },
	{ NULL, "organization", "account" },
	{ NULL, "organisation", "account" },
	{ NULL, "accountname", "account" },
	{ NULL, "employer", "account" },
	{ NULL, "emailaddress", "email" },
	{ NULL, "mail", "email" },
	{ NULL, "primaryemail", "email" },
	{ NULL, "workemail", "email" },
	{ NULL, "businessemail", "email" },
	{ NULL, "givenname", "first_name" },
	{ NULL, "forename", "first_name" },
	{ NULL, "first", "first_name" },
	{ NULL, "surname", "last_name" },
	{ NULL, "familyname", "last_name" },
	{ NULL, "last", "last_name" },
	{ NULL, "jobtitle", "title" },
	{ NULL, "position", "title" },
	{ NULL, "phonenumber", "phone" },
	{ NULL, "telephone", "phone" },
	{ NULL, "telephonenumber", "phone" },
	{ NULL, "tel", "phone" },
	{ NULL, "workphone", "phone" },
	{ NULL, "officephone", "phone" },
	{ NULL, "businessphone", "phone" },
	{ NULL, "mobilephone", "mobile" },
	{ NULL, "mobilenumber", "mobile" },
	{ NULL, "mobilephonenumber", "mobile" },
	{ NULL, "cell", "mobile" },
	{ NULL, "cellphone", "mobile" },
	{ NULL, "zip", "postal_code" },
	{ NULL, "zipcode", "postal_code" },
	{ NULL, "postcode", "postal_code" },
	{ NULL, "town", "city" },
	{ NULL, "street", "address" },
	{ NULL, "streetaddress", "address" },
	{ NULL, "address1", "address" },
	{ NULL, "addressline1", "address" },
	{ NULL, "countryregion", "country" },
	{ NULL, "web", "website" },
	{ NULL, "url", "website" },
	{ NULL, "homepage", "website" },
	{ NULL, "websiteurl", "website" },
	{ NULL, "note", "notes" },
	{ NULL, "comment", "notes" },
	{ NULL, "comments", "notes" },
	{ NULL, "description", "notes" },
	{ NULL, "sector", "industry" },
	{ NULL, "lifecycle", "lifecycle_stage" },
	{ NULL, "stage", "lifecycle_stage" },
};

/* The field a header names: the field's own name, "<ref>_id", or a synonym. */
static const struct crm_field *field_for(const struct crm_kind *k, const char *header, int *as_id)
{
	char h[128], f[128];
	squash(header, h, sizeof h);
	*as_id = 0;
	if (!*h)
		return NULL;
	for (int i = 0; i < k->nfields; i++) {
		squash(k->fields[i].name, f, sizeof f);
		if (strcmp(h, f) == 0)
			return &k->fields[i];
	}
	for (int i = 0; i < k->nfields; i++) {
		if (k->fields[i].type != CRM_F_REF)
			continue;
		squash(k->fields[i].name, f, sizeof f);
		size_t n = strlen(f);
		if (strncmp(h, f, n) == 0 && strcmp(h + n, "id") == 0) {
			*as_id = 1;
			return &k->fields[i];
		}
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++) {
			const struct synonym *s = &synonyms[i];
			if ((pass == 0) != (s->kind != NULL) || (s->kind && strcmp(s->kind, k->name) != 0) ||
			    strcmp(s->header, h) != 0)
				continue;
			const struct crm_field *fd = crm_kind_field(k, s->field, NULL);
			if (fd)
				return fd;
		}
	return NULL;
}

struct column {
	const struct crm_field *field; /* NULL: not imported */
	int as_id;                     /* "<ref>_id": the cell is the referenced record's number */
	int meta;                      /* _line, _field or _error of a rejects file */
	int given;                     /* mapped by --map or a profile (may map to nothing) */
	int sel;                       /* where the key query returns its stored value, or 0 */
};

struct created {
	const struct crm_kind *k;
	long long first, last;
};

struct importer {
	int no_rows; /* a JSON or NDJSON file with no records: nothing to import */
	struct crm *crm;
	const struct crm_import_opts *o;
	const struct crm_kind *k;
	struct crm_import_result *res;
	struct crm_csvin *csv;
	int ncols;
	char **headers;
	struct column *cols;
	int nkeys;
	int keycol[MAX_KEYS];
	const struct crm_field *keyf[MAX_KEYS];
	int keysel[MAX_KEYS];          /* a folded key's stored text, selected at this column; else 0 */
	char *key_sql;
	char *empty_key_sql;           /* a row whose key is empty: its record by the id column, if
					* that record's key is empty too */
	int idcol;                     /* the id column, for empty_key_sql; else -1 */
	char *key_text;                /* as recorded with the batch: "email", "name,account" */
	struct crm_assign *set;
	char **owned;                  /* the row's resolved reference numbers */
	int nowned;
	struct strbuf label;
	char allowed_add[16];          /* create_missing: kinds whose "<kind>.add" was granted */
	int nallowed;
	int rejects_header_done;
	long long after_history;       /* the last history row before the batch */
	struct created *created;       /* what the batch created, as ranges of numbers */
	int ncreated, cap_created;
	struct pending { const struct crm_kind *k; long long id; } *pending; /* created by this row */
	int npending;
	char **stored;                 /* the found record's stored values, by column */
	int *setcol;                   /* the column of each assignment */
	int compare;                   /* every imported field is a plain column: unchanged rows are
					* told by comparing, without the engine */
	int unique_key;                /* a unique index backs the key */
	int expect_new;                /* the last row created a record: try adding first */
	/* Rows naming a record of their own kind not found yet (a subsidiary before its parent):
	 * kept, and imported after the rest of the file, as long as that finds more of them. */
	struct held_row { long long line; int nfields; char **fields; size_t *lengths; } *held;
	int nheld, cap_held;
	int holding;                   /* rows may still be held back */
	/* Writing ahead (crm_store_ahead_begin, a server backend): a stretch of rows is written
	 * without waiting for each write. Its rows are kept, to be imported again one write at a
	 * time if the stretch fails; what they report is told once it stands; mark is the state
	 * it began in. */
	int ahead, ahead_ok, ahead_failures;
	struct held_row *stretch;
	int nstretch, cap_stretch;
	struct later *later;
	int nlater, cap_later;
	struct {
		struct crm_import_result res;
		struct created *created;
		int ncreated, expect_new, nheld, tx_flat, tx_depth;
	} mark;
};

/* What a row of a stretch written ahead reports: an event, or a rejected row. */
struct later {
	struct crm_import_event ev;
	char *text[5];                 /* the event's record, field, old and new value, error */
	int reject;
	struct held_row row;
	struct crm_err why;
};

static int is_meta(const char *h)
{
	return strcmp(h, "_line") == 0 || strcmp(h, "_field") == 0 || strcmp(h, "_error") == 0;
}

static int apply_target(struct importer *im, int c, const char *target, const char *where,
			int code, struct crm_err *err)
{
	struct column *col = &im->cols[c];
	col->given = 1;
	col->field = NULL;
	col->as_id = 0;
	if (!*target || strcmp(target, "-") == 0)
		return CRM_OK;
	col->field = crm_kind_field(im->k, target, &col->as_id);
	const char *near = col->field ? NULL : crm_kind_near_field(im->k, target);
	if (!col->field)
		return crm_error(err, code, "%s: %s has no field '%s'%s%s%s (see crm %s list --fields help)", where,
				 crm_noun(im->k->name), target, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
				 crm_noun(im->k->name));
	return CRM_OK;
}

/* --map first, then the profile, then names and synonyms. */
static int map_columns(struct importer *im, struct crm_err *err)
{
	const struct crm_import_opts *o = im->o;
	char h[128], m[128];
	for (int i = 0; i < o->nmaps; i++) {
		const char *eq = strchr(o->maps[i], '=');
		if (!eq || eq == o->maps[i])
			return crm_error(err, CRM_EUSAGE, "--map takes 'Header=field', not '%s'", o->maps[i]);
		char *header = xstrndup(o->maps[i], (size_t)(eq - o->maps[i]));
		squash(header, m, sizeof m);
		int hit = 0, rc = CRM_OK;
		for (int c = 0; c < im->ncols && !rc; c++) {
			squash(im->headers[c], h, sizeof h);
			if (strcmp(h, m) == 0 || strcmp(im->headers[c], header) == 0) {
				char where[256];
				snprintf(where, sizeof where, "--map '%s'", o->maps[i]);
				rc = apply_target(im, c, eq + 1, where, CRM_EUSAGE, err);
				hit = 1;
			}
		}
		if (!rc && !hit) {
			const char *near = crm_near(header, (const char *const *)im->headers, (size_t)im->ncols);
			rc = crm_error(err, CRM_EUSAGE, "--map '%s': '%s' has no column '%s'%s%s%s", o->maps[i], o->file,
				       header, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		}
		free(header);
		if (rc)
			return rc;
	}
	if (o->profile && *o->profile) {
		char path[256];
		snprintf(path, sizeof path, "import_profiles.%s", o->profile);
		const struct crm_conf_node *prof = crm_config_node(im->crm->cfg, path);
		if (!prof || crm_conf_type(prof) != CRM_CONF_MAP)
			return crm_error(err, CRM_ECONFIG, "no import profile '%s' in the configuration (%s: "
					 "{Header: field, ...})", o->profile, path);
		for (size_t i = 0; i < crm_conf_count(prof); i++) {
			const char *header = crm_conf_key(prof, i);
			const struct crm_conf_node *v = crm_conf_child(prof, i);
			const char *target = crm_conf_scalar(v);
			char where[512];
			snprintf(where, sizeof where, "%s:%d: %s.%s", crm_conf_source(v), crm_conf_line(v), path, header);
			if (!target)
				return crm_error(err, CRM_ECONFIG, "%s: give a field name", where);
			squash(header, m, sizeof m);
			for (int c = 0; c < im->ncols; c++) {
				squash(im->headers[c], h, sizeof h);
				if (!im->cols[c].given && strcmp(h, m) == 0) {
					int rc = apply_target(im, c, target, where, CRM_ECONFIG, err);
					if (rc)
						return rc;
				}
			}
		}
	}
	struct strbuf unknown = { 0 };
	int nunknown = 0;
	for (int c = 0; c < im->ncols; c++) {
		struct column *col = &im->cols[c];
		if (col->given)
			continue;
		if (is_meta(im->headers[c])) {
			col->meta = 1;
			continue;
		}
		col->field = field_for(im->k, im->headers[c], &col->as_id);
		if (!col->field && !o->ignore_extra) {
			if (nunknown < 5) {
				/* "Emial" is near email; "First Nmae" near first_name */
				char *as_field = xstrdup(im->headers[c]);
				for (char *p = as_field; *p; p++)
					if (*p == ' ' || *p == '-')
						*p = '_';
				const char *near = crm_kind_near_field(im->k, as_field);
				free(as_field);
				sb_addf(&unknown, "%s'%s'%s%s%s", nunknown ? ", " : "", im->headers[c],
					near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			}
			nunknown++;
		}
	}
	if (nunknown) {
		int rc = crm_error(err, CRM_EINVALID,
				   "'%s' line 1: %s %s%s match%s no %s field; map %s with --map 'Header=field' "
				   "or skip %s with --ignore-extra", o->file, nunknown == 1 ? "column" : "columns",
				   unknown.s, nunknown > 5 ? ", ..." : "", nunknown == 1 ? "es" : "", crm_noun(im->k->name),
				   nunknown == 1 ? "it" : "them", nunknown == 1 ? "it" : "them");
		sb_free(&unknown);
		return rc;
	}
	sb_free(&unknown);
	for (int a = 0; a < im->ncols; a++)
		for (int b = a + 1; b < im->ncols; b++)
			if (im->cols[a].field && im->cols[a].field == im->cols[b].field &&
			    im->cols[a].as_id == im->cols[b].as_id)
				return crm_error(err, CRM_EINVALID, "'%s' line 1: columns '%s' and '%s' both give %s",
						 o->file, im->headers[a], im->headers[b], im->cols[a].field->name);
	return CRM_OK;
}

/* The natural key: the kind's key fields, with the references that scope them (a location's
 * name is unique within its account). */
static int natural_key(const struct crm_kind *k, const struct crm_field **keys)
{
	int n = 0;
	for (int i = 0; i < k->nfields && n < MAX_KEYS; i++)
		if (k->fields[i].flags & CRM_FF_KEY)
			keys[n++] = &k->fields[i];
	for (int i = 0; n && i < k->nfields && n < MAX_KEYS; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type == CRM_F_REF && (f->flags & CRM_FF_REQUIRED) && strcmp(f->ref, k->name) != 0)
			keys[n++] = f;
	}
	return n;
}

static int column_of(const struct importer *im, const struct crm_field *f)
{
	for (int c = 0; c < im->ncols; c++)
		if (im->cols[c].field == f)
			return c;
	return -1;
}

/* A field kept as it is in a column of its own (not computed, not elsewhere). */
static int plain_column(struct crm *crm, const struct crm_kind *k, const struct crm_field *f)
{
	return crm_store_has_column(crm, k->table, f->column);
}

/* Does a unique index hold exactly the key's columns? Then adding a record whose key exists
 * fails on it, and an import may try adding first. */
static int unique_index(struct crm *crm, const struct crm_kind *k, const struct crm_field *const *keys, int n)
{
	const char *cols[MAX_KEYS];
	for (int i = 0; i < n && i < MAX_KEYS; i++)
		cols[i] = strcmp(keys[i]->name, "id") ? keys[i]->column : "id";
	return crm_store_unique_over(crm, k->table, cols, n < MAX_KEYS ? n : MAX_KEYS);
}

/* A key field a row may leave empty: a contact's e-mail, or the number (a new activity added to
 * an exported file), unlike a required one (an account's name). */
static int optional_key(const struct crm_field *f)
{
	return !(f->flags & CRM_FF_REQUIRED);
}

static int setup_key(struct importer *im, struct crm_err *err)
{
	const struct crm_import_opts *o = im->o;
	const struct crm_kind *k = im->k;
	const struct crm_field *keys[MAX_KEYS];
	int n = 0;
	if (o->key && *o->key) {
		char *copy = xstrdup(o->key), *save = NULL;
		for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			while (*w == ' ')
				w++;
			const struct crm_field *f = crm_kind_field(k, w, NULL);
			if (!f || n == MAX_KEYS) {
				int rc = f ? crm_error(err, CRM_EUSAGE, "--key: at most %d fields", MAX_KEYS)
					   : crm_error(err, CRM_EUSAGE, "--key: %s has no field '%s'", crm_noun(k->name), w);
				free(copy);
				return rc;
			}
			if ((f->flags & CRM_FF_READONLY) && strcmp(f->name, "id") != 0) {
				int rc = crm_error(err, CRM_EUSAGE, "--key: %s is set by crm, it cannot find records",
						   f->name);
				free(copy);
				return rc;
			}
			keys[n++] = f;
		}
		free(copy);
	} else {
		n = natural_key(k, keys);
		/* A kind without a natural key (activities, costs) is found by number when the file
		 * has one: an export imported back updates what it exported. */
		const struct crm_field *idf = crm_kind_field(k, "id", NULL);
		if (column_of(im, idf) < 0)
			idf = NULL;
		/* So is a kind whose natural key is not unique (documents share names). */
		if (idf && (!n || !unique_index(im->crm, k, keys, n))) {
			keys[0] = idf;
			n = 1;
		}
	}
	struct strbuf text = { 0 };
	for (int i = 0; i < n; i++)
		sb_addf(&text, "%s%s", i ? "," : "", keys[i]->name);
	im->key_text = text.len ? sb_take(&text) : NULL;
	sb_free(&text);
	if (o->mode == CRM_IMPORT_CREATE && !(o->key && *o->key)) {
		/* Create needs no key; the key's columns only name the rows in reports. */
		for (int i = 0; i < n; i++) {
			int c = column_of(im, keys[i]);
			if (c >= 0 && im->nkeys < MAX_KEYS) {
				im->keycol[im->nkeys] = c;
				im->keyf[im->nkeys++] = keys[i];
			}
		}
		return CRM_OK;
	}
	if (!n) {
		char plural[64]; /* offer_lines: offer lines */
		snprintf(plural, sizeof plural, "%s", k->plural);
		for (char *p = plural; *p; p++)
			if (*p == '_')
				*p = ' ';
		return crm_error(err, CRM_EUSAGE, "%s have no natural key to %s by: --mode create adds every row as a "
				 "new one; an id column, or --key <field>, finds the records to update", plural,
				 mode_names[o->mode]);
	}
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT id");
	im->compare = 1;
	int sel = 1;
	for (int c = 0; c < im->ncols; c++) {
		const struct crm_field *f = im->cols[c].field;
		if (!f || (f->flags & CRM_FF_READONLY))
			continue;
		if (!plain_column(im->crm, k, f)) {
			im->compare = 0;
			continue;
		}
		sb_addf(&sql, ", %s", f->column);
		im->cols[c].sel = sel++;
	}
	/* A key unique whatever the case of its letters (fold.h) is looked for by its folded column,
	 * and the candidates kept whose text is the cell's but for case: as PostgreSQL's citext
	 * compares, where SQLite's NOCASE would miss a record spelt with other non-ASCII capitals. */
	struct strbuf where = { 0 }, empty = { 0 };
	int nfolded = 0;
	for (int i = 0; i < n; i++) {
		int c = column_of(im, keys[i]);
		if (c < 0)
			return sb_free(&sql), crm_error(err, CRM_EINVALID, "'%s' line 1: no column gives the key "
							"field %s, which %s needs to find records (see --key, --map)",
							o->file, keys[i]->name, mode_names[o->mode]);
		im->keycol[i] = c;
		im->keyf[i] = keys[i];
		im->keysel[i] = 0;
		const struct crm_field *f = keys[i];
		if (optional_key(f) && strcmp(f->name, "id") != 0)
			sb_addf(&empty, " AND (t.%s IS NULL OR t.%s = '')", f->column, f->column);
		int text = f->type == CRM_F_TEXT || f->type == CRM_F_EMAIL;
		const struct crm_fold_col *fc = f->type == CRM_F_TEXT && !(f->flags & CRM_FF_CUSTOM) ? crm_fold_col(k, f) : NULL;
		if (fc) {
			sb_addf(&where, "%st.%s = ?", i ? " AND " : "", fc->fold);
			sb_addf(&sql, ", t.%s", f->column);
			im->keysel[i] = sel++;
			nfolded++;
		} else if (text && (f->flags & CRM_FF_CUSTOM)) {
			/* A custom field is JSON text (->>), which a collation does not reach on
			 * PostgreSQL: both sides lowered, as NOCASE compares (no index to lose). */
			sb_addf(&where, "%slower(%s) = lower(?)", i ? " AND " : "", f->column);
		} else {
			sb_addf(&where, "%s%s = ?%s", i ? " AND " : "", strcmp(f->name, "id") == 0 ? "id" : f->column,
				text ? " COLLATE NOCASE" : "");
		}
	}
	im->nkeys = n;
	/* A record exported without its key (a contact with no e-mail) comes back by the number the
	 * export gave it, when the record of that number has no key either; else the row adds one. */
	im->idcol = column_of(im, crm_kind_field(k, "id", NULL));
	if (im->idcol >= 0 && empty.len) {
		struct strbuf by_id = { 0 };
		sb_addf(&by_id, "%s FROM %s t WHERE t.id = ?%s", sql.s, k->table, empty.s);
		im->empty_key_sql = sb_take(&by_id);
	}
	sb_free(&empty);
	sb_addf(&sql, " FROM %s t WHERE %s", k->table, where.s); /* alias t: a custom field's column is over t */
	sb_free(&where);
	if (!nfolded) /* folded candidates are few, and only those spelt alike count */
		sb_add(&sql, " LIMIT 2");
	im->key_sql = sb_take(&sql);
	im->unique_key = unique_index(im->crm, k, im->keyf, n);
	crm_stmt *st;
	struct strbuf any = { 0 };
	sb_addf(&any, "SELECT EXISTS (SELECT 1 FROM %s)", k->table);
	if (crm_prepare(im->crm, any.s, &st, NULL) == CRM_OK) {
		im->expect_new = crm_step(st) == CRM_SQL_ROW && !crm_col_int(st, 0);
		crm_finalize(st);
	}
	sb_free(&any);
	return CRM_OK;
}

/* ---------------------------------------------------------------- one row */

/* A cell as the record engine is to get it: export's protection against formulas taken off. */
static const char *cell(const struct importer *im, const struct crm_csv_row *row, int c)
{
	const char *v = row->fields[c];
	if (!im->o->raw && v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
		return v + 1;
	return v;
}

static const char *own(struct importer *im, char *s)
{
	im->owned[im->nowned++] = s;
	return s;
}

static void release_owned(struct importer *im)
{
	for (int i = 0; i < im->nowned; i++)
		free(im->owned[i]);
	im->nowned = 0;
	for (int c = 0; im->stored && c < im->ncols; c++) {
		free(im->stored[c]);
		im->stored[c] = NULL;
	}
}

/* Every value the row gives is the one stored: nothing for the engine to check or write
 * (stored values are the engine's canonical spelling, which it keeps as it is). */
static int same_as_stored(const struct importer *im, int nset)
{
	for (int i = 0; i < nset; i++) {
		const char *v = im->set[i].value, *old = im->stored[im->setcol[i]];
		if (old ? strcmp(v, old) != 0 : *v != '\0')
			return 0;
	}
	return 1;
}

/* Add through the engine without a history row per record: the batch keeps the ranges. */
static int add_record(struct importer *im, const struct crm_kind *k, const struct crm_assign *set, int nset,
		      long long *id, struct crm_err *err)
{
	im->crm->import_adding = k;
	int rc = crm_record_add(im->crm, k, set, nset, id, err);
	im->crm->import_adding = NULL;
	if (rc == CRM_OK) {
		im->pending[im->npending].k = k;
		im->pending[im->npending++].id = *id;
	}
	return rc;
}

/* The row went in: what it created joins the batch's ranges. */
static void keep_created(struct importer *im)
{
	for (int i = 0; i < im->npending; i++) {
		const struct pending *p = &im->pending[i];
		struct created *c = NULL;
		for (int j = im->ncreated - 1; j >= 0 && !c; j--)
			if (im->created[j].k == p->k)
				c = &im->created[j];
		if (c && c->last + 1 == p->id) {
			c->last = p->id;
			continue;
		}
		if (im->ncreated == im->cap_created) {
			im->cap_created = im->cap_created ? 2 * im->cap_created : 8;
			im->created = xrealloc(im->created, (size_t)im->cap_created * sizeof *im->created);
		}
		im->created[im->ncreated++] = (struct created){ p->k, p->id, p->id };
	}
	im->npending = 0;
}

/* The field of kind rk that a single value may create a record from: its only required field,
 * which must be its natural key (an account's name, a user's login). */
static const struct crm_field *creatable(const struct crm_kind *rk)
{
	const struct crm_field *key = NULL;
	for (int i = 0; i < rk->nfields; i++) {
		const struct crm_field *f = &rk->fields[i];
		if ((f->flags & CRM_FF_READONLY) || !(f->flags & CRM_FF_REQUIRED))
			continue;
		if (key || !(f->flags & CRM_FF_KEY))
			return NULL;
		key = f;
	}
	return key;
}

static void copy_row(struct held_row *h, const struct crm_csv_row *row)
{
	h->line = row->line;
	h->nfields = row->nfields;
	h->fields = xmalloc((size_t)(row->nfields ? row->nfields : 1) * sizeof *h->fields);
	h->lengths = xmalloc((size_t)(row->nfields ? row->nfields : 1) * sizeof *h->lengths);
	for (int i = 0; i < row->nfields; i++) {
		h->fields[i] = xstrndup(row->fields[i], row->lengths[i]);
		h->lengths[i] = row->lengths[i];
	}
}

static struct crm_csv_row held_as_row(const struct held_row *h)
{
	struct crm_csv_row row = { h->nfields, (const char *const *)h->fields, h->lengths, h->line };
	return row;
}

static struct later *later_new(struct importer *im)
{
	if (im->nlater == im->cap_later) {
		im->cap_later = im->cap_later ? 2 * im->cap_later : 16;
		im->later = xrealloc(im->later, (size_t)im->cap_later * sizeof *im->later);
	}
	struct later *l = &im->later[im->nlater++];
	memset(l, 0, sizeof *l);
	return l;
}

static void emit(struct importer *im, long long line, const char *action, const char *kind, long long id,
		 const char *record, const char *field, const char *old_value, const char *new_value,
		 const char *error)
{
	if (!im->o->event)
		return;
	struct crm_import_event ev = { line, action, kind, id, record, field, old_value, new_value, error };
	if (im->ahead) { /* told once the stretch stands */
		struct later *l = later_new(im);
		l->ev = ev;
		const char *text[5] = { record, field, old_value, new_value, error };
		for (int i = 0; i < 5; i++)
			l->text[i] = text[i] ? xstrdup(text[i]) : NULL;
		l->ev.record = l->text[0];
		l->ev.field = l->text[1];
		l->ev.old_value = l->text[2];
		l->ev.new_value = l->text[3];
		l->ev.error = l->text[4];
		return;
	}
	im->o->event(im->o->ctx, &ev);
}

/* A name "ACME" that is several records of rk, narrowed by the row's other references: a
 * location named in a row that also names its account. */
static int resolve_scoped(struct importer *im, const struct crm_csv_row *row, const struct crm_kind *rk,
			  const char *value, long long *id, struct crm_err *err)
{
	for (int i = 0; i < rk->nfields; i++) {
		const struct crm_field *g = &rk->fields[i];
		if (g->type != CRM_F_REF || !(g->flags & CRM_FF_REQUIRED))
			continue;
		for (int c = 0; c < im->ncols; c++) {
			const struct crm_field *h = im->cols[c].field;
			if (!h || h->type != CRM_F_REF || strcmp(h->ref, g->ref) != 0 || !*row->fields[c])
				continue;
			long long scope;
			struct crm_err ignored = { 0 };
			if (crm_record_resolve(im->crm, crm_kind_find(g->ref), cell(im, row, c), &scope, &ignored))
				continue;
			struct strbuf sql = { 0 };
			sb_addf(&sql, "SELECT t.id FROM %s t WHERE t.%s = ?1 AND (", rk->table, g->column);
			for (int j = 0; j <= rk->nfields; j++) /* its keys and label, folded (fold.h) */
				if (j == rk->nfields || (rk->fields[j].flags & CRM_FF_KEY)) {
					if (crm_fold_expr(&sql, rk, j < rk->nfields ? &rk->fields[j] : NULL))
						sb_add(&sql, " = ?2 OR ");
				}
			sb_add(&sql, "1 = 0) LIMIT 2"); /* "OR 0" is no boolean on PostgreSQL */
			crm_stmt *st;
			int rc = crm_stmt_get(im->crm, sql.s, &st, err);
			sb_free(&sql);
			if (rc)
				return rc;
			crm_bind_int64(st, 1, scope);
			crm_bind_text_own(st, 2, crm_fold(value));
			int n = 0;
			while (crm_step(st) == CRM_SQL_ROW && n < 2) {
				*id = crm_col_int64(st, 0);
				n++;
			}
			crm_stmt_done(st);
			if (n == 1)
				return CRM_OK;
		}
	}
	return CRM_ECONFLICT;
}

/* A reference cell as the referenced record's number: by number or natural key, narrowed by
 * the row's other references when ambiguous, or created when create_missing allows it. */
static int resolve_ref(struct importer *im, const struct crm_csv_row *row, int c, const char *value,
		       long long *id, int *fatal, struct crm_err *err)
{
	const struct column *col = &im->cols[c];
	const struct crm_field *f = col->field;
	const struct crm_kind *rk = crm_kind_find(f->ref);
	if (col->as_id && strspn(value, "0123456789") != strlen(value))
		return crm_error(err, CRM_EINVALID, "%s_id '%s' is not a number", f->name, value);
	int rc = crm_record_resolve(im->crm, rk, value, id, err);
	if (rc == CRM_ECONFLICT && !col->as_id && resolve_scoped(im, row, rk, value, id, err) == CRM_OK)
		return CRM_OK;
	const struct crm_field *key;
	if (rc == CRM_ENOTFOUND && im->o->create_missing && !col->as_id && (key = creatable(rk))) {
		/* Creating accounts is adding accounts: the user needs that right too. */
		int granted = 0, kind_index = 0;
		for (int i = 0; crm_kinds[i]; i++)
			if (crm_kinds[i] == rk)
				kind_index = i;
		for (int i = 0; i < im->nallowed; i++)
			granted |= im->allowed_add[i] == kind_index;
		if (!granted) {
			char perm[96];
			snprintf(perm, sizeof perm, "%s.add", rk->name);
			if ((rc = crm_auth_check(im->crm, perm, err))) {
				*fatal = 1;
				return rc;
			}
			if (im->nallowed < (int)sizeof im->allowed_add)
				im->allowed_add[im->nallowed++] = (char)kind_index;
		}
		struct crm_assign set = { key->name, value };
		if ((rc = add_record(im, rk, &set, 1, id, err)) == CRM_OK) {
			im->res->refs_created++;
			emit(im, row->line, "create-ref", rk->name, *id, value, NULL, NULL, NULL, NULL);
		}
	}
	return rc;
}

/* The row's record: found by its key (*id, or 0 when there is none). */
/* Is the stored text of each folded key the row's cell, but for the case of letters? */
static int keys_spelt_alike(struct importer *im, const struct crm_csv_row *row, crm_stmt *st)
{
	for (int i = 0; i < im->nkeys; i++) {
		if (!im->keysel[i])
			continue;
		const char *stored = (const char *)crm_col_text(st, im->keysel[i]);
		gchar *a = g_utf8_strdown(stored ? stored : "", -1), *b = g_utf8_strdown(cell(im, row, im->keycol[i]), -1);
		int alike = strcmp(a, b) == 0;
		g_free(a);
		g_free(b);
		if (!alike)
			return 0;
	}
	return 1;
}

/* Is an optional cell of the row's key empty? Then the key cannot find its record: the row adds
 * one, or comes back by its number (empty_key_sql). An empty required key is an error. */
static int key_empty(struct importer *im, const struct crm_csv_row *row)
{
	for (int i = 0; i < im->nkeys; i++)
		if (optional_key(im->keyf[i]) && !*cell(im, row, im->keycol[i]))
			return 1;
	return 0;
}

/* Are the row's positional fields (a contact's names) the stored record's, but for case? */
static int names_alike(struct importer *im, const struct crm_csv_row *row, crm_stmt *st)
{
	if (!im->k->positional)
		return 1;
	char *copy = xstrdup(im->k->positional), *save = NULL;
	int alike = 1;
	for (char *w = strtok_r(copy, ",", &save); w && alike; w = strtok_r(NULL, ",", &save)) {
		int c = column_of(im, crm_kind_field(im->k, w, NULL));
		if (c < 0 || !im->cols[c].sel)
			continue;
		const char *stored = (const char *)crm_col_text(st, im->cols[c].sel);
		gchar *a = g_utf8_casefold(stored ? stored : "", -1), *b = g_utf8_casefold(cell(im, row, c), -1);
		alike = strcmp(a, b) == 0;
		g_free(a);
		g_free(b);
	}
	free(copy);
	return alike;
}

static int read_found(struct importer *im, const struct crm_csv_row *row, crm_stmt *st, long long *id,
		      int by_key, struct crm_err *err);

static int find_existing(struct importer *im, const struct crm_csv_row *row, long long *id,
			 struct crm_err *err)
{
	crm_stmt *st;
	*id = 0;
	if (key_empty(im, row)) {
		const char *num = im->empty_key_sql ? cell(im, row, im->idcol) : "";
		if (!is_digits(num))
			return CRM_OK; /* nothing can find it: the row adds a record */
		int rc = crm_stmt_get(im->crm, im->empty_key_sql, &st, err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, atoll(num));
		return read_found(im, row, st, id, 0, err);
	}
	int rc = crm_stmt_get(im->crm, im->key_sql, &st, err);
	if (rc)
		return rc;
	for (int i = 0; i < im->nkeys; i++) {
		const struct crm_field *f = im->keyf[i];
		int c = im->keycol[i];
		const char *v = cell(im, row, c);
		if (f->type == CRM_F_REF) {
			long long ref = 0;
			struct crm_err ignored = { 0 };
			if (im->cols[c].as_id ? strspn(v, "0123456789") != strlen(v) :
			    crm_record_resolve(im->crm, crm_kind_find(f->ref), v, &ref, &ignored) != CRM_OK) {
				/* An unknown account has no locations yet: nothing to find. */
				crm_stmt_done(st);
				return CRM_OK;
			}
			crm_bind_int64(st, i + 1, im->cols[c].as_id ? atoll(v) : ref);
		} else if (im->keysel[i]) {
			crm_bind_text_own(st, i + 1, crm_fold(v));
		} else {
			crm_bind_text(st, i + 1, v);
		}
	}
	return read_found(im, row, st, id, 1, err);
}

/* The record a key statement found, its stored values kept to compare; st is done after. By the
 * key, only candidates spelt alike count; by the number of a keyless row, only one whose name
 * (the positional fields the file has) is the row's, so another database's record of that
 * number is not changed into this one. */
static int read_found(struct importer *im, const struct crm_csv_row *row, crm_stmt *st, long long *id,
		      int by_key, struct crm_err *err)
{
	int rc, n = 0;
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		if (by_key ? !keys_spelt_alike(im, row, st) : !names_alike(im, row, st))
			continue;
		*id = crm_col_int64(st, 0);
		for (int c = 0; !n && c < im->ncols; c++) {
			int sel = im->cols[c].sel;
			if (!sel)
				continue;
			char num[64];
			const char *t = (const char *)crm_col_text(st, sel);
			if (crm_col_type(st, sel) == CRM_COL_FLOAT) { /* as the engine spells it */
				snprintf(num, sizeof num, "%.15g", crm_col_double(st, sel));
				t = num;
			}
			im->stored[c] = t ? xstrdup(t) : NULL;
		}
		n++;
	}
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(im->crm, rc, "finding a record by its key", err);
	if (n > 1) {
		*id = 0;
		rc = crm_error(err, CRM_ECONFLICT, "several %s have this %s; give a --key that names one",
			       im->k->plural, im->key_text);
		snprintf(err->field, sizeof err->field, "%s", im->keyf[0]->name);
		return rc;
	}
	return CRM_OK;
}

/* How the row names its record in reports: its key values, else its positional fields. */
static const char *row_label(struct importer *im, const struct crm_csv_row *row)
{
	im->label.len = 0;
	if (im->label.s)
		im->label.s[0] = '\0';
	for (int i = 0; i < im->nkeys; i++) {
		const char *v = row->nfields == im->ncols ? cell(im, row, im->keycol[i]) : "";
		if (*v)
			sb_addf(&im->label, "%s%s", im->label.len ? " " : "", v);
	}
	if (!im->label.len && row->nfields == im->ncols && im->k->positional) {
		char *copy = xstrdup(im->k->positional), *save = NULL;
		for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			int c = column_of(im, crm_kind_field(im->k, w, NULL));
			if (c >= 0 && *row->fields[c])
				sb_addf(&im->label, "%s%s", im->label.len ? " " : "", cell(im, row, c));
		}
		free(copy);
	}
	return im->label.len ? im->label.s : "";
}

/* A cell of the rejects file: quoted (by libcsv) only when it has to be. */
static void reject_cell(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	size_t n = strlen(s);
	int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	if (quote || strpbrk(s, ",;\"\r\n"))
		csv_fwrite(f, s, n);
	else
		fwrite(s, 1, n, f);
}

static void write_reject(struct importer *im, const struct crm_csv_row *row, const char *field,
			 const char *error)
{
	FILE *f = im->o->rejects;
	if (!f)
		return;
	int first = 1;
	if (!im->rejects_header_done) {
		for (int c = 0; c < im->ncols; c++)
			if (!im->cols[c].meta) {
				reject_cell(f, im->headers[c], first);
				first = 0;
			}
		reject_cell(f, "_line", first);
		reject_cell(f, "_field", 0);
		reject_cell(f, "_error", 0);
		fputc('\n', f);
		im->rejects_header_done = 1;
		first = 1;
	}
	/* The row as it was, so that the fixed file imports as it is; a ragged row stays ragged. */
	for (int c = 0; c < row->nfields; c++)
		if (c >= im->ncols || !im->cols[c].meta) {
			reject_cell(f, row->fields[c], first);
			first = 0;
		}
	char line[32];
	snprintf(line, sizeof line, "%lld", row->line);
	reject_cell(f, line, first);
	reject_cell(f, field ? field : "", 0);
	reject_cell(f, error, 0);
	fputc('\n', f);
}

static void reject_out(struct importer *im, const struct crm_csv_row *row, const struct crm_err *why)
{
	const char *field = why->field[0] ? why->field : NULL;
	write_reject(im, row, field, why->msg);
	emit(im, row->line, "reject", im->k->name, 0, im->o->event ? row_label(im, row) : NULL, field, NULL,
	     NULL, why->msg);
}

static void reject(struct importer *im, const struct crm_csv_row *row, const struct crm_err *why)
{
	im->res->rejected++;
	if (im->ahead && (im->o->rejects || im->o->event)) { /* told once the stretch stands */
		struct later *l = later_new(im);
		l->reject = 1;
		copy_row(&l->row, row);
		l->why = *why;
		return;
	}
	reject_out(im, row, why);
}

/* --diff: the fields the edit just changed, from the history row it left. */
static void emit_diff(struct importer *im, const struct crm_csv_row *row, long long id, const char *label)
{
	crm_stmt *st;
	struct crm_err err = { 0 };
	if (crm_stmt_get(im->crm, "SELECT j.key, j.value ->> 0, j.value ->> 1 FROM history h, json_each(h.changes) j "
		     "WHERE h.id = (SELECT max(id) FROM history WHERE kind = ?1 AND record_id = ?2) ORDER BY j.id",
		     &st, &err))
		return;
	crm_bind_text(st, 1, im->k->name);
	crm_bind_int64(st, 2, id);
	while (crm_step(st) == CRM_SQL_ROW)
		emit(im, row->line, "update", im->k->name, id, label, (const char *)crm_col_text(st, 0),
		     (const char *)crm_col_text(st, 1), (const char *)crm_col_text(st, 2), NULL);
	crm_stmt_done(st);
}

/* Import one row. A rejected row returns its reason in *why and leaves nothing behind; a
 * failure that ends the whole import sets *fatal. */
/* Whether the row names, in a reference to its own kind, a record that does not exist (yet). */
static int names_missing_own(struct importer *im, const struct crm_csv_row *row)
{
	for (int c = 0; c < im->ncols; c++) {
		const struct crm_field *f = im->cols[c].field;
		if (!f || f->type != CRM_F_REF || (f->flags & CRM_FF_READONLY) || strcmp(f->ref, im->k->name) != 0 ||
		    !*row->fields[c])
			continue;
		long long id;
		struct crm_err ignored = { 0 };
		if (crm_record_resolve(im->crm, im->k, cell(im, row, c), &id, &ignored) == CRM_ENOTFOUND)
			return 1;
	}
	return 0;
}

static void hold(struct importer *im, const struct crm_csv_row *row)
{
	if (im->nheld == im->cap_held) {
		im->cap_held = im->cap_held ? 2 * im->cap_held : 16;
		im->held = xrealloc(im->held, (size_t)im->cap_held * sizeof *im->held);
	}
	copy_row(&im->held[im->nheld++], row);
}

static void clear_rows(struct held_row *h, int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < h[i].nfields; j++)
			free(h[i].fields[j]);
		free(h[i].fields);
		free(h[i].lengths);
	}
}

static void free_held(struct held_row *h, int n)
{
	clear_rows(h, n);
	free(h);
}

static void import_row(struct importer *im, const struct crm_csv_row *row, int *fatal, struct crm_err *err)
{
	struct crm_err why = { 0 };
	const struct crm_import_opts *o = im->o;
	if (row->nfields != im->ncols) {
		crm_error(&why, CRM_EINVALID, "%d %s where the header has %d", row->nfields,
			  row->nfields == 1 ? "field" : "fields", im->ncols);
		reject(im, row, &why);
		return;
	}
	if (im->holding && names_missing_own(im, row)) {
		hold(im, row);
		return;
	}
	/* create_missing may add referenced records before the row fails: the row is undone whole. */
	int savepoint = o->create_missing && !im->crm->tx_flat;
	int rc;
	if (savepoint && (rc = crm_tx_begin(im->crm, err))) {
		*fatal = 1;
		return;
	}
	long long found = 0, id = 0;
	rc = CRM_OK;
	/* After a row that created its record, the next probably creates one too: try adding first
	 * (one index search instead of two), which the unique key refuses when it exists. */
	int keyless = o->mode != CRM_IMPORT_CREATE && key_empty(im, row);
	int add_first = o->mode == CRM_IMPORT_CREATE ||
			(o->mode == CRM_IMPORT_UPSERT && im->unique_key && im->expect_new && !keyless);
	for (int i = 0; i < im->nkeys && o->mode != CRM_IMPORT_CREATE && !rc; i++)
		if (!*cell(im, row, im->keycol[i]) &&
		    (!optional_key(im->keyf[i]) || (o->mode == CRM_IMPORT_UPDATE && !im->empty_key_sql))) {
			rc = crm_error(&why, CRM_EINVALID, "%s is empty, and it is the key that finds the %s",
				       im->keyf[i]->name, crm_noun(im->k->name));
			snprintf(why.field, sizeof why.field, "%s", im->keyf[i]->name);
		}
	if (!rc && !add_first)
		rc = find_existing(im, row, &found, &why);
	if (!rc && !found && o->mode == CRM_IMPORT_UPDATE) {
		if (keyless)
			rc = crm_error(&why, CRM_ENOTFOUND, "no %s to update: its %s is empty, and its id finds "
				       "no %s named '%s' without one", crm_noun(im->k->name), im->key_text, crm_noun(im->k->name),
				       row_label(im, row));
		else
			rc = crm_error(&why, CRM_ENOTFOUND, "no %s with %s '%s' to update", crm_noun(im->k->name),
				       im->key_text, row_label(im, row));
		snprintf(why.field, sizeof why.field, "%s", im->keyf[0]->name);
	}
	int nset = 0;
	for (int c = 0; c < im->ncols && !rc; c++) {
		const struct crm_field *f = im->cols[c].field;
		if (!f || (f->flags & CRM_FF_READONLY))
			continue;
		const char *v = cell(im, row, c);
		if (f->type == CRM_F_REF && *v) {
			long long ref;
			if ((rc = resolve_ref(im, row, c, v, &ref, fatal, &why))) {
				if (!why.field[0])
					snprintf(why.field, sizeof why.field, "%s", f->name);
				break;
			}
			char num[32];
			snprintf(num, sizeof num, "%lld", ref);
			v = own(im, xstrdup(num));
		}
		im->setcol[nset] = c;
		im->set[nset].field = f->name;
		im->set[nset++].value = v;
	}
	int changed = 0;
	if (!rc && !found && add_first) {
		int undone_before = im->crm->tx_flat < 2; /* a failed part could still be undone */
		rc = add_record(im, im->k, im->set, nset, &id, &why);
		if (rc == CRM_ECONFLICT && o->mode == CRM_IMPORT_UPSERT && im->nkeys && why.field[0] &&
		    strcmp(why.field, im->keyf[0]->name) == 0) {
			/* It exists after all: update it. */
			crm_err_clear(&why);
			rc = find_existing(im, row, &found, &why);
			if (!rc && !found)
				rc = crm_error(&why, CRM_ECONFLICT, "%s '%s' exists but cannot be found by %s",
					       crm_noun(im->k->name), row_label(im, row), im->key_text);
		} else if (rc && rc != CRM_EBUSY && rc != CRM_EFAIL && o->mode == CRM_IMPORT_UPSERT && im->nkeys &&
			   (im->crm->tx_flat < 2 || !undone_before)) {
			/* Refused as a new record before the key was tried (a status a new record may not
			 * start in): if the record exists, the row is an update after all. Not when the
			 * refusal came after the write (a custom field's scope) and the all-or-nothing
			 * import could not undo it: the record found would be that row itself. */
			struct crm_err as_new = why, lookup = { 0 };
			long long existing = 0;
			if (find_existing(im, row, &existing, &lookup) == CRM_OK && existing) {
				found = existing;
				rc = CRM_OK;
				crm_err_clear(&why);
			} else {
				why = as_new;
			}
		}
	}
	if (!rc && found) {
		id = found;
		if (im->compare && same_as_stored(im, nset))
			changed = 0;
		else
			rc = crm_record_edit(im->crm, im->k, id, im->set, nset, &changed, &why);
	} else if (!rc && !id) {
		rc = add_record(im, im->k, im->set, nset, &id, &why);
	}
	im->expect_new = !found;
	release_owned(im);
	if (rc)
		im->npending = 0;
	/* A permission the row's own content asks for (a workflow transition the user may not take,
	 * which names the field at fault) rejects the row like any invalid value. */
	if (*fatal || rc == CRM_EBUSY || rc == CRM_EFAIL || (rc == CRM_EPERM && !why.field[0])) {
		/* Not the row's fault: the database or the user's rights failed; the import stops. */
		*err = why;
		*fatal = 1;
		if (savepoint)
			crm_tx_rollback(im->crm);
		return;
	}
	if (rc) {
		if (savepoint) {
			crm_tx_rollback(im->crm);
			crm_resolve_cache_forget(NULL); /* what the row added is gone */
		}
		reject(im, row, &why);
		return;
	}
	if (savepoint && (rc = crm_tx_commit(im->crm, err))) {
		*fatal = 1;
		return;
	}
	keep_created(im);
	const char *action = !found ? "create" : changed ? "update" : "unchanged";
	if (!found)
		im->res->created++;
	else if (changed)
		im->res->updated++;
	else
		im->res->unchanged++;
	if (o->event) {
		const char *label = row_label(im, row);
		if (changed && o->diff)
			emit_diff(im, row, id, label);
		else
			emit(im, row->line, action, im->k->name, id, label, NULL, NULL, NULL, NULL);
	}
}

/* ---------------------------------------------------------------- writing ahead */

/* Rows in a stretch written ahead (a server's round trips are per stretch, not per row). */
#define STRETCH_ROWS 256
/* Stretches that fail (a row refused by the database, or another session numbering records of
 * the same kind) are imported again row by row; after this many the import stops writing ahead. */
#define AHEAD_TRIES 8

static void later_clear(struct importer *im, int tell)
{
	for (int i = 0; i < im->nlater; i++) {
		struct later *l = &im->later[i];
		if (tell && l->reject) {
			struct crm_csv_row row = held_as_row(&l->row);
			reject_out(im, &row, &l->why);
		} else if (tell) {
			im->o->event(im->o->ctx, &l->ev);
		}
		for (int j = 0; j < 5; j++)
			free(l->text[j]);
		if (l->reject)
			clear_rows(&l->row, 1);
	}
	im->nlater = 0;
}

static void ahead_begin(struct importer *im)
{
	if (!crm_store_ahead_begin(im->crm)) {
		im->ahead_ok = 0;
		return;
	}
	im->ahead = 1;
	im->mark.res = *im->res;
	im->mark.created = xrealloc(im->mark.created, (size_t)(im->ncreated + 1) * sizeof *im->created);
	if (im->ncreated)
		memcpy(im->mark.created, im->created, (size_t)im->ncreated * sizeof *im->created);
	im->mark.ncreated = im->ncreated;
	im->mark.expect_new = im->expect_new;
	im->mark.nheld = im->nheld;
	im->mark.tx_flat = im->crm->tx_flat;
	im->mark.tx_depth = im->crm->tx_depth;
}

/* The stretch ends: what its rows reported is told; or, when the database undid it, the import
 * is as it was before it, and its rows are imported again, each write waited for. */
static void ahead_end(struct importer *im, int *fatal, struct crm_err *err)
{
	struct crm *crm = im->crm;
	im->ahead = 0;
	if (crm_store_ahead_end(crm) == CRM_SQL_OK) {
		later_clear(im, 1);
	} else {
		later_clear(im, 0);
		long long rows = im->res->rows;
		*im->res = im->mark.res;
		im->res->rows = rows;
		if (im->mark.ncreated)
			memcpy(im->created, im->mark.created, (size_t)im->mark.ncreated * sizeof *im->created);
		im->ncreated = im->mark.ncreated;
		im->expect_new = im->mark.expect_new;
		if (im->nheld > im->mark.nheld)
			clear_rows(im->held + im->mark.nheld, im->nheld - im->mark.nheld);
		im->nheld = im->mark.nheld;
		crm->tx_flat = im->mark.tx_flat;
		crm->tx_depth = im->mark.tx_depth;
		im->npending = 0;
		crm_resolve_cache_forget(NULL); /* what the stretch added is gone */
		*fatal = 0;
		crm_err_clear(err);
		if (++im->ahead_failures >= AHEAD_TRIES)
			im->ahead_ok = 0;
		for (int i = 0; i < im->nstretch && !*fatal; i++) {
			struct crm_csv_row row = held_as_row(&im->stretch[i]);
			import_row(im, &row, fatal, err);
		}
	}
	clear_rows(im->stretch, im->nstretch);
	im->nstretch = 0;
}

/* ---------------------------------------------------------------- the whole file */

static void importer_free(struct importer *im)
{
	for (int c = 0; c < im->ncols; c++)
		free(im->headers[c]);
	free(im->headers);
	free(im->cols);
	free(im->key_sql);
	free(im->empty_key_sql);
	free(im->key_text);
	free(im->set);
	release_owned(im);
	free(im->owned);
	free(im->pending);
	free(im->created);
	free(im->stored);
	free(im->setcol);
	free_held(im->held, im->nheld);
	free_held(im->stretch, im->nstretch);
	later_clear(im, 0);
	free(im->later);
	free(im->mark.created);
	sb_free(&im->label);
	crm_csvin_close(im->csv);
}

/* A JSON array under a links or list field keeps its items apart (a name may hold a comma). */
static void list_columns(struct importer *im)
{
	unsigned char *is_list = xcalloc((size_t)im->ncols + 1, 1);
	for (int c = 0; c < im->ncols; c++) {
		const struct crm_field *f = im->cols[c].field;
		is_list[c] = f && (f->type == CRM_F_LINKS || f->type == CRM_F_LIST);
	}
	crm_csvin_list_columns(im->csv, is_list, im->ncols);
	free(is_list);
}

static int read_header(struct importer *im, struct crm_err *err)
{
	struct crm_csv_row row;
	int rc = crm_csvin_next(im->csv, &row, err);
	if (rc < 0)
		return -rc;
	if (rc == 0 && crm_csvin_format(im->csv) >= CRM_IN_JSON) {
		im->no_rows = 1; /* [] or no line: what -F json/ndjson writes for no records */
		return CRM_OK;
	}
	if (rc == 0)
		return crm_error(err, CRM_EINVALID, "'%s' is empty: the first line must name the columns",
				 im->o->file);
	im->ncols = row.nfields;
	im->headers = xcalloc((size_t)row.nfields, sizeof *im->headers);
	im->cols = xcalloc((size_t)row.nfields, sizeof *im->cols);
	im->set = xcalloc((size_t)row.nfields, sizeof *im->set);
	im->owned = xcalloc((size_t)row.nfields + 1, sizeof *im->owned);
	im->pending = xcalloc((size_t)row.nfields + 1, sizeof *im->pending);
	im->stored = xcalloc((size_t)row.nfields, sizeof *im->stored);
	im->setcol = xcalloc((size_t)row.nfields, sizeof *im->setcol);
	for (int c = 0; c < row.nfields; c++)
		im->headers[c] = xstrdup(row.fields[c]);
	return CRM_OK;
}

/* The largest history number so far (0 for none), read in the caller's transaction. */
static int last_history_id(struct crm *crm, long long *id, struct crm_err *err)
{
	return crm_query_int64(crm, id, err, "SELECT coalesce(max(id), 0) FROM history", "");
}

static int batch_begin(struct importer *im, struct crm_err *err)
{
	struct crm *crm = im->crm;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_stmt *st;
	/* The next number is one past the largest, taken inside the import's transaction: a
	 * rolled-back import (a dry run, a refusal, nothing to write) leaves no gap, on PostgreSQL
	 * too, where a sequence is not rolled back. Two imports at once take the same number: one
	 * loses (a serialization failure or the key) and is run again. */
	int rc = crm_stmt_get(crm, "INSERT INTO import_batches (id, at, \"user\", kind, file, mode, key, real_user) "
			  "SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM import_batches", &st, err);
	if (rc)
		return rc;
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_text(st, 3, im->k->name);
	crm_bind_text(st, 4, im->o->file);
	crm_bind_text(st, 5, mode_names[im->o->mode]);
	crm_bind_text(st, 6, im->key_text);
	if (crm_real_user_differs(crm))
		crm_bind_text(st, 7, crm->real_user);
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(crm, rc, "recording the import batch", err);
	im->res->batch = crm_store_last_id(crm);
	return last_history_id(crm, &im->after_history, err);
}

static int batch_end(struct importer *im, struct crm_err *err)
{
	const struct crm_import_result *r = im->res;
	crm_stmt *st;
	int rc = crm_stmt_get(im->crm, "UPDATE import_batches SET rows = ?, created = ?, updated = ?, "
			  "unchanged = ?, rejected = ?, refs_created = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	long long v[] = { r->rows, r->created, r->updated, r->unchanged, r->rejected, r->refs_created, r->batch };
	for (int i = 0; i < 7; i++)
		crm_bind_int64(st, i + 1, v[i]);
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(im->crm, rc, "recording the import batch", err);
	for (int i = 0; i < im->ncreated; i++) {
		if ((rc = crm_stmt_get(im->crm, "INSERT INTO import_created (batch_id, kind, first_id, last_id, "
				   "after_history) VALUES (?, ?, ?, ?, ?)", &st, err)))
			return rc;
		crm_bind_int64(st, 1, r->batch);
		crm_bind_text(st, 2, im->created[i].k->name);
		crm_bind_int64(st, 3, im->created[i].first);
		crm_bind_int64(st, 4, im->created[i].last);
		crm_bind_int64(st, 5, im->after_history);
		rc = crm_step(st);
		crm_stmt_done(st);
		if (rc != CRM_SQL_DONE)
			return crm_db_error(im->crm, rc, "recording the import batch", err);
	}
	return CRM_OK;
}

int crm_import_run(struct crm *crm, const struct crm_import_opts *o, struct crm_import_result *res,
		   struct crm_err *err)
{
	memset(res, 0, sizeof *res);
	struct importer im = { .crm = crm, .o = o, .k = o->kind, .res = res };
	res->failed = 1; /* until the rows are read */
	struct crm_csvin_opts copts = o->csv;
	copts.kind = o->kind; /* a vCard's X-CRM- properties name its fields */
	int rc = crm_csvin_open(&im.csv, o->in, o->file, &copts, err);
	if (rc)
		return rc;
	crm_store_bulk(crm); /* the backend's settings for many rows (core/store_sqlite.c) */
	if (!(rc = read_header(&im, err)) && im.no_rows) {
		importer_free(&im); /* nothing to write, so no batch */
		res->failed = 0;
		return CRM_OK;
	}
	if (rc || (rc = map_columns(&im, err)) || (rc = setup_key(&im, err)) ||
	    (rc = crm_tx_begin(crm, err))) {
		importer_free(&im);
		return rc;
	}
	list_columns(&im);
	res->failed = 0;
	/* All or nothing: a rejected row means no commit, so its rows need no savepoint each
	 * (4 of the 10 µs a row costs); with --partial each row is undone alone when rejected. */
	int flat = crm->tx_flat, bulk = crm->search_bulk;
	if (!o->partial && crm->tx_depth == 1)
		crm->tx_flat = 1;
	crm->search_bulk = 1; /* the index written a stretch of records at a time (core/search.c) */
	long long saved_batch = crm->batch_id;
	if ((rc = batch_begin(&im, err)))
		goto fail;
	crm->batch_id = res->batch;
	crm_resolve_cache(1); /* each reference text is resolved once a batch */
	im.holding = 1;
	struct crm_csv_row row;
	int fatal = 0, got;
	/* All or nothing, rows told apart by what they report: a server backend may write ahead. */
	im.ahead_ok = crm->tx_flat && crm->tx_depth == 1 && !o->diff;
	while ((got = crm_csvin_next(im.csv, &row, err)) == 1) {
		res->rows++;
		if (im.ahead_ok && !im.ahead)
			ahead_begin(&im);
		if (im.ahead) {
			if (im.nstretch == im.cap_stretch) {
				im.cap_stretch = im.cap_stretch ? 2 * im.cap_stretch : STRETCH_ROWS;
				im.stretch = xrealloc(im.stretch, (size_t)im.cap_stretch * sizeof *im.stretch);
			}
			copy_row(&im.stretch[im.nstretch++], &row);
		}
		import_row(&im, &row, &fatal, err);
		if (im.ahead && (fatal || im.nstretch >= STRETCH_ROWS || crm_store_ahead_failed(crm)))
			ahead_end(&im, &fatal, err);
		if (fatal) {
			rc = err->code ? err->code : CRM_EFAIL;
			goto fail;
		}
		if (o->progress && res->rows % PROGRESS_EVERY == 0)
			o->progress(o->ctx, res->rows, crm_csvin_offset(im.csv));
	}
	if (im.ahead) {
		struct crm_err read_err = *err;
		ahead_end(&im, &fatal, err);
		if (fatal) {
			rc = err->code ? err->code : CRM_EFAIL;
			goto fail;
		}
		*err = read_err;
	}
	if (got < 0) {
		rc = -got;
		goto fail;
	}
	/* The rows held back, again, while that imports some; then once more without holding, so
	 * those still naming nobody are rejected (or, with create_missing, create it). */
	while (im.nheld) {
		struct held_row *h = im.held;
		int n = im.nheld;
		im.held = NULL;
		im.nheld = im.cap_held = 0;
		for (int i = 0; i < n && !fatal; i++) {
			const char *const *fields = (const char *const *)h[i].fields;
			struct crm_csv_row again = { h[i].nfields, fields, h[i].lengths, h[i].line };
			import_row(&im, &again, &fatal, err);
		}
		free_held(h, n);
		if (fatal) {
			rc = err->code ? err->code : CRM_EFAIL;
			goto fail;
		}
		if (im.nheld == n)
			im.holding = 0;
	}
	if (o->progress)
		o->progress(o->ctx, res->rows, crm_csvin_offset(im.csv));
	if (o->dry_run || (res->rejected && !o->partial) ||
	    (!res->created && !res->updated && !res->refs_created)) {
		/* a dry run, a refusal, or nothing to write (a header alone, an unchanged file): no batch */
		crm_tx_rollback(crm);
		res->batch = 0;
	} else {
		if ((rc = batch_end(&im, err)))
			goto fail;
		if ((rc = crm_tx_commit(crm, err))) {
			res->batch = 0;
			goto out;
		}
		res->written = 1;
	}
	rc = res->rejected ? CRM_EINVALID : CRM_OK;
	if (rc)
		crm_error(err, rc, "%lld of %lld rows rejected", res->rejected, res->rows);
	goto out;
fail:
	if (im.ahead) {
		im.ahead = 0;
		crm_store_ahead_end(crm);
	}
	crm_tx_rollback(crm);
	res->batch = 0;
	res->failed = 1;
out:
	res->dropped = crm_csvin_dropped(im.csv);
	crm_resolve_cache(0);
	crm->tx_flat = flat;
	crm->search_bulk = bulk;
	crm->batch_id = saved_batch;
	importer_free(&im);
	return rc;
}

/* ---------------------------------------------------------------- batches */

int crm_import_batches(struct crm *crm, long long only, crm_row_fn fn, void *ctx, struct crm_err *err)
{
	static const char *const names[] = { "id", "at", "user", "kind", "file", "mode", "key", "rows", "created",
		"updated", "unchanged", "rejected", "refs_created", "reverted_at", "reverted_by" };
	static const enum crm_vtype types[] = { CRM_V_INT, CRM_V_TIME, CRM_V_TEXT, CRM_V_TEXT, CRM_V_TEXT,
		CRM_V_TEXT, CRM_V_TEXT, CRM_V_INT, CRM_V_INT, CRM_V_INT, CRM_V_INT, CRM_V_INT, CRM_V_INT,
		CRM_V_TIME, CRM_V_TEXT };
	enum { NCOLS = sizeof names / sizeof names[0] };
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT id, at, \"user\", kind, file, mode, key, rows, created, updated, unchanged, "
			     "rejected, refs_created, reverted_at, reverted_by FROM import_batches "
			     "WHERE ?1 = 0 OR id = ?1 ORDER BY id DESC", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, only);
	struct crm_value cells[NCOLS];
	long long n = 0;
	fn(ctx, names, NULL, NCOLS);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		for (int i = 0; i < NCOLS; i++) {
			const char *t = (const char *)crm_col_text(st, i);
			cells[i].type = t ? types[i] : CRM_V_NULL;
			cells[i].text = t;
		}
		fn(ctx, names, cells, NCOLS);
		n++;
	}
	crm_finalize(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(crm, rc, "reading import batches", err);
	if (only && !n)
		return crm_error(err, CRM_ENOTFOUND, "import batch %lld not found", only);
	return CRM_OK;
}

int crm_import_batch_records(struct crm *crm, long long batch, crm_row_fn fn, void *ctx, struct crm_err *err)
{
	static const char *const names[] = { "action", "kind", "id", "record" };
	crm_stmt *st;
	/* What it created (ranges), then what it updated (history rows). */
	int rc = crm_prepare(crm, "WITH RECURSIVE ids(kind, id, last, ord) AS ("
			     " SELECT kind, first_id, last_id, rowid FROM import_created WHERE batch_id = ?1"
			     " UNION ALL SELECT kind, id + 1, last, ord FROM ids WHERE id < last) "
			     "SELECT 'created', kind, id, 0 AS o1, ord FROM ids "
			     "UNION ALL SELECT CASE action WHEN 'add' THEN 'created' WHEN 'edit' THEN 'updated' ELSE action END, "
			     "kind, record_id, 1, id FROM history WHERE batch_id = ?1 ORDER BY 4, 5, 3", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, batch);
	struct crm_value cells[4];
	fn(ctx, names, NULL, 4);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const char *kind = (const char *)crm_col_text(st, 1);
		const struct crm_kind *k = kind ? crm_kind_find(kind) : NULL;
		char *label = k ? crm_record_label(crm, k, crm_col_int64(st, 2)) : NULL;
		cells[0] = (struct crm_value){ CRM_V_TEXT, (const char *)crm_col_text(st, 0) };
		cells[1] = (struct crm_value){ CRM_V_TEXT, kind };
		cells[2] = (struct crm_value){ CRM_V_INT, (const char *)crm_col_text(st, 2) };
		cells[3] = (struct crm_value){ label ? CRM_V_TEXT : CRM_V_NULL, label };
		fn(ctx, names, cells, 4);
		free(label);
	}
	crm_finalize(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading an import batch", err);
}

/* Later history rows that do not count as a change: the batch's own, and those of batches that
 * were reverted together with their revert (which put everything back as it was). */
#define NOT_UNDONE "(l.batch_id <> ?1 OR l.batch_id IS NULL) AND NOT EXISTS (SELECT 1 FROM import_batches b " \
	"WHERE b.reverted_at IS NOT NULL AND (l.batch_id = b.id OR l.id BETWEEN b.revert_first AND b.revert_last))"

/* Records the batch touched that changed after it: "contact 12 (Ann Smith), ..." or NULL. */
static char *changed_since(struct crm *crm, long long batch, long long *count, struct crm_err *err)
{
	crm_stmt *st;
	*count = 0;
	if (crm_prepare(crm, "SELECT DISTINCT h.kind, h.record_id FROM history h WHERE h.batch_id = ?1 AND "
			"EXISTS (SELECT 1 FROM history l WHERE l.kind = h.kind AND l.record_id = h.record_id "
			"AND l.id > h.id AND " NOT_UNDONE ") "
			"UNION SELECT l.kind, l.record_id FROM import_created c JOIN history l ON l.kind = c.kind "
			"AND l.record_id BETWEEN c.first_id AND c.last_id AND l.id > c.after_history "
			"WHERE c.batch_id = ?1 AND " NOT_UNDONE " ORDER BY 1, 2", &st, err))
		return NULL;
	crm_bind_int64(st, 1, batch);
	struct strbuf b = { 0 };
	while (crm_step(st) == CRM_SQL_ROW) {
		const struct crm_kind *k = crm_kind_find((const char *)crm_col_text(st, 0));
		long long id = crm_col_int64(st, 1);
		if (*count < 10) {
			char *label = k ? crm_record_label(crm, k, id) : NULL;
			sb_addf(&b, "%s%s %lld (%s)", b.len ? ", " : "", crm_col_text(st, 0), id,
				label ? label : "removed");
			free(label);
		} else if (*count == 10) {
			sb_add(&b, ", ...");
		}
		(*count)++;
	}
	crm_finalize(st);
	return b.len ? sb_take(&b) : NULL;
}

/* Reverting changes records as by hand: "<kind>.edit" to restore one, "<kind>.rm" to delete
 * one the batch created (besides import.revert, and the checks of the edit and removal
 * themselves: no user holding more than the one reverting is changed). */
static int may(struct crm *crm, const struct crm_kind *k, const char *verb, struct crm_err *err)
{
	char perm[96];
	snprintf(perm, sizeof perm, "%s.%s", k->name, verb);
	return crm_auth_check(crm, perm, err);
}

/* Put back the values one history row of the batch changed (its "old" side). */
static int restore(struct crm *crm, const struct crm_kind *k, long long id, long long history_id,
		   struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT j.key, j.value ->> 0 FROM history h, json_each(h.changes) j "
			     "WHERE h.id = ? ORDER BY j.id", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, history_id);
	struct crm_assign set[128];
	char *owned[256];
	int n = 0, nowned = 0;
	while (crm_step(st) == CRM_SQL_ROW && n < 128) {
		const char *field = (const char *)crm_col_text(st, 0);
		const char *old = (const char *)crm_col_text(st, 1);
		if (!field || !crm_kind_field(k, field, NULL))
			continue;
		set[n].field = owned[nowned++] = xstrdup(field);
		set[n++].value = old ? (owned[nowned++] = xstrdup(old)) : NULL;
	}
	crm_finalize(st);
	rc = n ? may(crm, k, "edit", err) : CRM_OK;
	if (!rc && n)
		rc = crm_record_edit(crm, k, id, set, n, NULL, err);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}

struct doomed {
	const struct crm_kind *k;
	long long id;
};

/* Delete what the batch created, newest first; a record still referred to by another the batch
 * created (an account made for its contacts, a parent) waits for a later pass. */
static int delete_created(struct crm *crm, long long batch, long long *deleted, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT kind, first_id, last_id FROM import_created WHERE batch_id = ?1 "
			     "UNION ALL SELECT kind, record_id, record_id FROM history WHERE batch_id = ?1 "
			     "AND action = 'add'", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, batch);
	struct doomed *d = NULL;
	size_t n = 0, cap = 0;
	while (crm_step(st) == CRM_SQL_ROW) {
		const struct crm_kind *k = crm_kind_find((const char *)crm_col_text(st, 0));
		for (long long id = crm_col_int64(st, 1); k && id <= crm_col_int64(st, 2); id++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				d = xrealloc(d, cap * sizeof *d);
			}
			d[n++] = (struct doomed){ k, id };
		}
	}
	crm_finalize(st);
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || d[i].k != d[i - 1].k) && (rc = may(crm, d[i].k, "rm", err))) {
			free(d);
			return rc;
		}
	size_t left = n;
	while (left) {
		size_t before = left;
		for (size_t i = n; i-- > 0;) {
			if (!d[i].k)
				continue;
			rc = crm_record_rm(crm, d[i].k, d[i].id, err);
			if (rc == CRM_OK) {
				d[i].k = NULL;
				left--;
				(*deleted)++;
			} else if (rc != CRM_ECONFLICT) {
				free(d);
				return rc;
			}
		}
		if (left == before) {
			free(d);
			return rc; /* referred to from outside the batch: err says by what */
		}
	}
	free(d);
	return CRM_OK;
}

static int last_history_id(struct crm *crm, long long *id, struct crm_err *err);

int crm_import_revert(struct crm *crm, long long batch, long long *restored, long long *deleted,
		      struct crm_err *err)
{
	*restored = *deleted = 0;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	crm_stmt *st;
	if ((rc = crm_prepare(crm, "SELECT reverted_at, reverted_by FROM import_batches WHERE id = ?", &st, err)))
		goto fail;
	crm_bind_int64(st, 1, batch);
	int found = crm_step(st) == CRM_SQL_ROW;
	if (found && crm_col_type(st, 0) != CRM_COL_NULL)
		rc = crm_error(err, CRM_ECONFLICT, "import batch %lld was already reverted (%s by %s)", batch,
			       crm_col_text(st, 0), crm_col_text(st, 1));
	crm_finalize(st);
	if (!found)
		rc = crm_error(err, CRM_ENOTFOUND, "import batch %lld not found", batch);
	if (rc)
		goto fail;
	long long nchanged;
	char *changed = changed_since(crm, batch, &nchanged, err);
	if (changed) {
		rc = crm_error(err, CRM_ECONFLICT, "cannot revert import batch %lld: %lld %s changed since: %s", batch,
			       nchanged, nchanged == 1 ? "record" : "records", changed);
		free(changed);
		goto fail;
	}
	long long first_history, last_history;
	if ((rc = last_history_id(crm, &first_history, err)))
		goto fail;
	first_history++;
	/* Updates first, newest first (they may point at records the batch created), then the
	 * records it created. */
	if ((rc = crm_prepare(crm, "SELECT id, kind, record_id FROM history WHERE batch_id = ? AND action = 'edit' "
			      "ORDER BY id DESC", &st, err)))
		goto fail;
	crm_bind_int64(st, 1, batch);
	while (!rc && crm_step(st) == CRM_SQL_ROW) {
		const struct crm_kind *k = crm_kind_find((const char *)crm_col_text(st, 1));
		crm_workflow_reverting(1);
		if (k && !(rc = restore(crm, k, crm_col_int64(st, 2), crm_col_int64(st, 0), err)))
			(*restored)++;
		crm_workflow_reverting(0);
	}
	crm_finalize(st);
	if (rc || (rc = delete_created(crm, batch, deleted, err)))
		goto fail;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	if ((rc = last_history_id(crm, &last_history, err)))
		goto fail;
	if ((rc = crm_prepare(crm, "UPDATE import_batches SET reverted_at = ?, reverted_by = ?, revert_first = ?, "
			      "revert_last = ? WHERE id = ?", &st, err)))
		goto fail;
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_int64(st, 3, first_history);
	crm_bind_int64(st, 4, last_history);
	crm_bind_int64(st, 5, batch);
	int src = crm_step(st);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "recording the revert", err);
		goto fail;
	}
	return crm_tx_commit(crm, err);
fail:
	crm_tx_rollback(crm);
	return rc;
}

/* ---------------------------------------------------------------- history of imported records */

/* The values a record had when batch `after` created it: the "old" side of the first later
 * change of each field (up to its removal), else its value now. */
static void imported_add(struct crm *crm, const struct crm_kind *k, long long id, long long after,
			 const char *at, const char *user, const char *real_user, struct crm_printer *p)
{
	char **value = xcalloc((size_t)k->nfields, sizeof *value);
	char *known = xcalloc((size_t)k->nfields, 1);
	int removed = 0;
	crm_stmt *st;
	if (crm_prepare(crm, "SELECT h.action, j.key, j.value ->> 0, h.id FROM history h, json_each(h.changes) j "
			"WHERE h.kind = ? AND h.record_id = ? AND h.id > ? ORDER BY h.id, j.id", &st, NULL) == CRM_OK) {
		crm_bind_text(st, 1, k->name);
		crm_bind_int64(st, 2, id);
		crm_bind_int64(st, 3, after);
		long long removal = 0;
		while (crm_step(st) == CRM_SQL_ROW) {
			const char *action = (const char *)crm_col_text(st, 0);
			if (removal && crm_col_int64(st, 3) != removal)
				break;
			if (action && strcmp(action, "add") == 0)
				break; /* a later record with the same number */
			if (action && strcmp(action, "rm") == 0)
				removal = crm_col_int64(st, 3), removed = 1;
			const struct crm_field *f = crm_kind_field(k, (const char *)crm_col_text(st, 1), NULL);
			if (f && !known[f - k->fields]) {
				const char *old = (const char *)crm_col_text(st, 2);
				known[f - k->fields] = 1;
				value[f - k->fields] = old ? xstrdup(old) : NULL;
			}
		}
		crm_finalize(st);
	}
	if (!removed) {
		/* The rest as they are now: references by number, as history keeps them. */
		const char *fields[128];
		char idname[128][64];
		int idx[128], n = 0;
		for (int i = 0; i < k->nfields && n < 128; i++) {
			const struct crm_field *f = &k->fields[i];
			if ((f->flags & CRM_FF_READONLY) || known[i])
				continue;
			snprintf(idname[n], sizeof idname[n], f->type == CRM_F_REF ? "%s_id" : "%s", f->name);
			fields[n] = idname[n];
			idx[n++] = i;
		}
		char term[48];
		snprintf(term, sizeof term, "id:%lld", id);
		const char *terms[] = { term };
		struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = fields, .nfields = n };
		struct crm_cursor *c;
		const struct crm_value *cells;
		if (n && crm_query_open(crm, &q, &c, NULL) == CRM_OK) {
			if (crm_cursor_next(c, &cells, NULL) == 1)
				for (int j = 0; j < n; j++)
					value[idx[j]] = cells[j].text ? xstrdup(cells[j].text) : NULL;
			crm_cursor_close(c);
		}
	}
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if ((f->flags & CRM_FF_READONLY) || !value[i])
			continue;
		char *shown = NULL;
		if (f->type == CRM_F_REF) {
			char *label = crm_record_label(crm, crm_kind_find(f->ref), atoll(value[i]));
			struct strbuf b = { 0 };
			sb_addf(&b, "%s (%s)", value[i], label ? label : "removed");
			free(label);
			shown = sb_take(&b);
		}
		struct crm_value cells[7] = {
			{ CRM_V_TIME, at }, { CRM_V_TEXT, user }, { CRM_V_TEXT, "add" }, { CRM_V_TEXT, f->name },
			{ CRM_V_NULL, NULL }, { CRM_V_TEXT, shown ? shown : value[i] },
			{ real_user ? CRM_V_TEXT : CRM_V_NULL, real_user },
		};
		crm_printer_row(p, cells);
		free(shown);
		free(value[i]);
	}
	free(value);
	free(known);
}

void crm_import_history_rows(struct crm *crm, const struct crm_kind *k, long long id,
			     long long before_history, struct crm_import_history *h, struct crm_printer *p)
{
	if (!h->loaded) {
		h->loaded = 1;
		crm_stmt *st;
		if (crm_stmt_get(crm, "SELECT batch_id, after_history FROM import_created WHERE kind = ? AND first_id <= ?2 "
			     "AND last_id >= ?2 ORDER BY after_history, batch_id", &st, NULL) != CRM_OK)
			return;
		crm_bind_text(st, 1, k->name);
		crm_bind_int64(st, 2, id);
		while (crm_step(st) == CRM_SQL_ROW && h->n < 8) {
			h->batch[h->n] = crm_col_int64(st, 0);
			h->after[h->n++] = crm_col_int64(st, 1);
		}
		crm_stmt_done(st);
	}
	for (; h->next < h->n && h->after[h->next] < before_history; h->next++) {
		crm_stmt *st;
		if (crm_prepare(crm, "SELECT at, \"user\", real_user FROM import_batches WHERE id = ?", &st, NULL) != CRM_OK)
			return;
		crm_bind_int64(st, 1, h->batch[h->next]);
		if (crm_step(st) == CRM_SQL_ROW)
			imported_add(crm, k, id, h->after[h->next], (const char *)crm_col_text(st, 0),
				     (const char *)crm_col_text(st, 1), (const char *)crm_col_text(st, 2), p);
		crm_finalize(st);
	}
}
