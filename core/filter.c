/* Filter terms to SQL. The SQL text is built only from the kind's descriptor; every piece of
 * user text travels as a bound parameter. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/near.h"
#include "crm/money.h"
#include "fold.h"
#include "util.h"

enum op { OP_EQ, OP_NOT, OP_HAS, OP_BEFORE, OP_AFTER, OP_OVER, OP_UNDER, OP_WITHIN };
static const char *const op_names[] = { "", "not", "has", "before", "after", "over", "under", "within" };

struct builder {
	struct strbuf sql;
	char **binds;
	int nbinds, cap;
	crm_filter_resolver resolve; /* NULL: references by sub-select */
	crm_filter_searcher search;  /* NULL: bare words by LIKE over the searched fields */
	void *ctx;
};

static void bind(struct builder *b, char *owned)
{
	if (b->nbinds == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->binds = xrealloc(b->binds, (size_t)b->cap * sizeof *b->binds);
	}
	b->binds[b->nbinds++] = owned;
}

/* A LIKE pattern: the user's % _ and \ match themselves, * is the wildcard. */
static char *like_pattern(const char *v, int contains)
{
	struct strbuf p = { 0 };
	if (contains)
		sb_add(&p, "%");
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			sb_addn(&p, "\\", 1), sb_addn(&p, v, 1);
		else if (*v == '*')
			sb_add(&p, "%");
		else
			sb_addn(&p, v, 1);
	}
	if (contains)
		sb_add(&p, "%");
	return sb_take(&p);
}

/* "Acm*": a start to match, the one '*' at the end. */
static int prefix_pattern(const char *v)
{
	const char *star = strchr(v, '*');
	return star && star > v && star[1] == '\0';
}

static int is_number(const char *s)
{
	/* Decimal only: strtod also takes "nan", "inf" and hex, which SQLite's CAST reads as 0. */
	if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
		return 0;
	char *end;
	strtod(s, &end);
	return *end == '\0';
}

/* The type a number compares as: a whole number with a whole-number field as an integer, which
 * an index on the column serves on every backend; anything else as a double. */
static const char *number_type(int type, const char *value)
{
	return (type == CRM_F_INT || type == CRM_F_REF) && value[strspn(value, "+-0123456789")] == '\0' &&
		       strlen(value) < 19 ? "BIGINT" : "DOUBLE PRECISION";
}

static int parse_op(const char *lhs, size_t len, const char **opname, size_t *fieldlen)
{
	/* attr.<key>: the key's own dot is part of the field's name */
	size_t skip = len > 5 && strncasecmp(lhs, "attr.", 5) == 0 ? 5 : 0;
	const char *dot = memchr(lhs + skip, '.', len - skip);
	*fieldlen = len;
	*opname = "";
	if (!dot)
		return OP_EQ;
	*fieldlen = (size_t)(dot - lhs);
	*opname = dot + 1;
	size_t oplen = len - *fieldlen - 1;
	for (int i = 1; i < (int)(sizeof op_names / sizeof *op_names); i++)
		if (strlen(op_names[i]) == oplen && strncasecmp(dot + 1, op_names[i], oplen) == 0)
			return i;
	return -1;
}

/* Split "-field.op:value" into its parts; returns the field or NULL. */
static const struct crm_field *split_term(const struct crm_kind *k, const char *term, int *neg,
					  int *op, int *as_id, const char **value, char **fname)
{
	const char *colon = strchr(term, ':');
	if (!colon)
		return NULL;
	*neg = term[0] == '-';
	const char *lhs = term + *neg;
	size_t len = (size_t)(colon - lhs), flen;
	const char *opname;
	*op = parse_op(lhs, len, &opname, &flen);
	*fname = xstrndup(lhs, flen);
	*value = colon + 1;
	if (!flen)
		return NULL;
	return crm_kind_field(k, *fname, as_id);
}

int crm_filter_is_term(const struct crm_kind *k, const char *word)
{
	int neg, op, as_id;
	const char *value;
	char *fname = NULL;
	const struct crm_field *f = split_term(k, word, &neg, &op, &as_id, &value, &fname);
	free(fname);
	return f && op >= 0;
}

/* Column expression for a field over alias t (a computed field's expression as written). */
static void column(struct builder *b, const struct crm_field *f)
{
	if (f->column[0] == '(')
		sb_add(&b->sql, f->column);
	else
		sb_addf(&b->sql, "t.%s", f->column);
}

/* The records of kind rk a reference value names, as an SQL list for `IN`: a number is that
 * record; otherwise the resolver's numbers (resolve, then query), or a sub-select over the same
 * folded keys and label when there is no resolver, the value has a `*`, or they are too many.
 * With `words` (a links field, among the few linked records), a value naming no record by key
 * or label matches those with it as one word of the label: contact:Ann. */
static int ref_set(struct builder *b, const struct crm_kind *rk, const char *value, int words,
		   struct crm_err *err)
{
	if (is_digits(value)) { /* contacts:5 is record 5, not anyone with a 5 in the name */
		sb_add(&b->sql, "(?)");
		bind(b, xstrdup(value));
		return CRM_OK;
	}
	int wild = strchr(value, '*') != NULL;
	if (!wild && b->resolve) {
		long long *ids = NULL;
		int n = 0, rc = b->resolve(b->ctx, rk, value, words, &ids, &n, err);
		if (rc)
			return rc;
		if (n == 0) { /* SQLite's IN (), which PostgreSQL does not parse: false on both */
			sb_add(&b->sql, "(SELECT 0 WHERE 0 = 1)");
			free(ids);
			return CRM_OK;
		}
		if (n > 0) {
			sb_add(&b->sql, "(");
			for (int i = 0; i < n; i++) {
				char num[24];
				snprintf(num, sizeof num, "%lld", ids[i]);
				sb_add(&b->sql, i ? ", ?" : "?");
				bind(b, xstrdup(num));
			}
			sb_add(&b->sql, ")");
			free(ids);
			return CRM_OK;
		}
	}
	sb_addf(&b->sql, "(SELECT t.id FROM %s t WHERE ", rk->table);
	int any = 0;
	for (int i = 0; i <= rk->nfields; i++) {
		const struct crm_field *f = i < rk->nfields ? &rk->fields[i] : NULL;
		if (f && !(f->flags & CRM_FF_KEY))
			continue;
		struct strbuf expr = { 0 };
		enum crm_fold_how how = wild ? (crm_fold_expr(&expr, rk, f) ? CRM_FOLD_FOLDED : CRM_FOLD_SKIP)
					     : crm_fold_key(&expr, rk, f);
		if (how == CRM_FOLD_SKIP)
			continue; /* the label is a key */
		sb_addf(&b->sql, "%s%s%s", any++ ? " OR " : "", expr.s, wild ? " GLOB ?" : " = ?");
		sb_free(&expr);
		bind(b, wild ? crm_fold_glob(value) : how == CRM_FOLD_RAW ? xstrdup(value) : crm_fold(value));
	}
	if (words && !wild) {
		char *g = crm_fold_glob(value);
		struct strbuf first = { 0 }, last = { 0 };
		sb_addf(&first, "%s *", g);
		sb_addf(&last, "* %s", g);
		free(g);
		for (int i = 0; i < 2; i++) {
			sb_add(&b->sql, " OR ");
			crm_fold_expr(&b->sql, rk, NULL);
			sb_add(&b->sql, " GLOB ?");
		}
		bind(b, sb_take(&first));
		bind(b, sb_take(&last));
	}
	sb_add(&b->sql, ")");
	return CRM_OK;
}

/* The folded label of rk contains text: field.has:text. */
static void label_has(struct builder *b, const struct crm_kind *rk, const char *value)
{
	sb_addf(&b->sql, "(SELECT t.id FROM %s t WHERE ", rk->table);
	if (!crm_fold_expr(&b->sql, rk, NULL)) { /* the label is a key: "t.name" */
		for (int i = 0; i < rk->nfields; i++)
			if (strcmp(rk->fields[i].column, rk->label_sql + 2) == 0) {
				crm_fold_expr(&b->sql, rk, &rk->fields[i]);
				break;
			}
	}
	sb_add(&b->sql, " LIKE ? ESCAPE '\\')");
	char *f = crm_fold(value);
	bind(b, like_pattern(f, 1));
	free(f);
}

/* A LINKS field (contact:Ann) matches records linked to a record the value names, as a REF
 * field would, or one with the value as a word of its label; has: matches labels; an empty
 * value matches records with no link at all. */
static int links_condition(struct builder *b, const struct crm_field *f, const char *value, int has,
			   struct crm_err *err)
{
	const struct crm_kind *rk = crm_kind_find(f->ref);
	if (!*value && !has) {
		sb_addf(&b->sql, "NOT EXISTS (SELECT 1 FROM %s l WHERE l.record_id = t.id)", f->column);
		return CRM_OK;
	}
	sb_addf(&b->sql, "t.id IN (SELECT l.record_id FROM %s l WHERE l.target_id IN ", f->column);
	int rc = CRM_OK;
	if (has)
		label_has(b, rk, value);
	else
		rc = ref_set(b, rk, value, 1, err);
	sb_add(&b->sql, ")");
	return rc;
}

/* A REF field matches the records whose number, natural key or label equals the value. */
static int ref_condition(struct builder *b, const struct crm_field *f, const char *value,
			 struct crm_err *err)
{
	const struct crm_kind *rk = crm_kind_find(f->ref);
	if (!rk)
		return crm_error(err, CRM_EFAIL, "field '%s' refers to an unknown kind", f->name);
	if (!*value) {
		column(b, f);
		sb_add(&b->sql, " IS NULL");
		return CRM_OK;
	}
	column(b, f);
	sb_add(&b->sql, " IN ");
	return ref_set(b, rk, value, 0, err);
}

/* field.within:value: the record value names and every record under it through the kind's
 * reference to itself (an account's parent): a group of companies. field is a reference to
 * such a kind, or the kind's own id (account list id.within:Acme). */
static int within_condition(struct builder *b, const struct crm_kind *k, const struct crm_field *f,
			    const char *value, const char *term, struct crm_err *err)
{
	const struct crm_kind *rk = f->type == CRM_F_REF ? crm_kind_find(f->ref)
				    : strcmp(f->name, "id") == 0 ? k : NULL;
	const struct crm_field *up = crm_kind_parent_field(rk);
	if (!up)
		return crm_error(err, CRM_EUSAGE, "'%s': within takes a reference to records with a parent "
				 "(account.within:Acme, or id.within:Acme for accounts)", term);
	if (!*value)
		return crm_error(err, CRM_EUSAGE, "'%s': within needs a record (account.within:Acme)", term);
	column(b, f);
	sb_addf(&b->sql, " IN (WITH RECURSIVE within_set(id) AS (SELECT w.id FROM %s w WHERE w.id IN ", rk->table);
	int rc = ref_set(b, rk, value, 0, err);
	if (rc)
		return rc;
	sb_addf(&b->sql, " UNION SELECT c.id FROM %s c JOIN within_set s ON c.%s = s.id) SELECT id FROM within_set)",
		rk->table, up->column);
	return CRM_OK;
}

/* A text field folded (fold.h), through its folded column where the table keeps one; for
 * `eq` (an equality) an e-mail address as its index compares it, to be bound as typed
 * (returns 1). */
static int folded_column(struct builder *b, const struct crm_kind *k, const struct crm_field *f, int eq)
{
	if (eq)
		return crm_fold_key(&b->sql, k, f) == CRM_FOLD_RAW;
	crm_fold_expr(&b->sql, k, f);
	return 0;
}

/* An exact decimal (money, a quantity) compared with a number: both at the common scale
 * (crm/money.h), as integers, so 0.1 + 0.2 is 0.3 here too. */
static int dec_condition(struct builder *b, const struct crm_kind *k, const struct crm_field *f,
			 const char *value, const char *cmp, const char *term, struct crm_err *err)
{
	long long v = 0;
	int why = crm_dec_parse(value, CRM_DEC_MAXDIGITS, &v);
	sb_add(&b->sql, "(");
	column(b, f);
	sb_add(&b->sql, ") * ");
	if (f->type == CRM_F_MONEY && f->currency) {
		struct strbuf cur = { 0 };
		crm_money_currency_sql(&cur, k, f);
		crm_money_factor_sql(&b->sql, cur.s);
		sb_free(&cur);
	} else {
		long long m = 1;
		for (int i = f->type == CRM_F_DECIMAL ? f->scale : 2; i < CRM_DEC_MAXDIGITS; i++)
			m *= 10;
		sb_addf(&b->sql, "%lld", m);
	}
	sb_addf(&b->sql, " %s CAST(? AS BIGINT)", cmp);
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	bind(b, xstrdup(buf));
	if (why)
		return crm_error(err, CRM_EINVALID, "'%s' is not a number in filter '%s'%s", value, term,
				 why == CRM_DEC_DIGITS ? " (too many decimals)" : "");
	return CRM_OK;
}

static int bool_value(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "off" };
	for (size_t i = 0; i < 5; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int term_condition(struct builder *b, const struct crm_kind *k, const char *term,
			  time_t now, struct crm_err *err)
{
	int neg, op, as_id, rc = CRM_OK;
	const char *value;
	char *fname = NULL;
	const struct crm_field *f = split_term(k, term, &neg, &op, &as_id, &value, &fname);
	if (!f) {
		const char *near = fname ? crm_kind_near_field(k, fname) : NULL;
		rc = crm_error(err, CRM_EUSAGE, "unknown field '%s' for %s in filter '%s'%s%s%s (try --fields help)",
			       fname ? fname : "", crm_noun(k->name), term, near ? "; did you mean '" : "", near ? near : "",
			       near ? "'?" : "");
		free(fname);
		return rc;
	}
	free(fname);
	if (op < 0) {
		const char *dot = strchr(term, '.'), *colon = strchr(term, ':');
		char word[32] = "";
		if (dot && colon && colon > dot && colon - dot - 1 < (long)sizeof word)
			snprintf(word, sizeof word, "%.*s", (int)(colon - dot - 1), dot + 1);
		const char *near = *word ? crm_near(word, op_names + 1, sizeof op_names / sizeof *op_names - 1) : NULL;
		if (near)
			return crm_error(err, CRM_EUSAGE, "unknown comparison '%s' in filter '%s'; did you mean '%s'?",
					 word, term, near);
		return crm_error(err, CRM_EUSAGE,
				 "unknown comparison in filter '%s' (use not, has, before, after, over, under or within)",
				 term);
	}
	sb_add(&b->sql, neg ? "NOT coalesce((" : "(");
	enum crm_ftype type = as_id ? CRM_F_INT : f->type;
	char day[32];

	if (type == CRM_F_LINKS) {
		if (op != OP_EQ && op != OP_NOT && op != OP_HAS)
			return crm_error(err, CRM_EUSAGE, "field '%s' links records; '%s' takes field:value, "
					 "field.not:value or field.has:text", f->name, term);
		if (op == OP_NOT)
			sb_add(&b->sql, "NOT coalesce((");
		rc = links_condition(b, f, value, op == OP_HAS, err);
		if (op == OP_NOT)
			sb_add(&b->sql, "), FALSE)");
	} else if (op == OP_WITHIN) {
		rc = within_condition(b, k, f, value, term, err);
	} else if (type == CRM_F_REF && (op == OP_EQ || op == OP_NOT)) {
		if (op == OP_NOT)
			sb_add(&b->sql, "NOT coalesce((");
		rc = ref_condition(b, f, value, err);
		if (op == OP_NOT)
			sb_add(&b->sql, "), FALSE)");
	} else if (op == OP_EQ || op == OP_NOT) {
		const char *cmp = op == OP_EQ ? "=" : "<>";
		if (!*value) {
			/* Empty is NULL, or '' for text (a number is never ''; PostgreSQL would not
			 * compare one with text at all). */
			column(b, f);
			if (type == CRM_F_INT || type == CRM_F_REAL || type == CRM_F_REF || type == CRM_F_BOOL ||
			    type == CRM_F_MONEY || type == CRM_F_DECIMAL) {
				sb_add(&b->sql, op == OP_EQ ? " IS NULL" : " IS NOT NULL");
			} else {
				sb_add(&b->sql, op == OP_EQ ? " IS NULL OR " : " IS NOT NULL AND ");
				column(b, f);
				sb_add(&b->sql, op == OP_EQ ? " = ''" : " <> ''");
			}
		} else if (type == CRM_F_MONEY || type == CRM_F_DECIMAL) {
			rc = dec_condition(b, k, f, value, cmp, term, err);
		} else if (type == CRM_F_INT || type == CRM_F_REAL) {
			if (!is_number(value))
				rc = crm_error(err, CRM_EINVALID, "'%s' is not a number in filter '%s'", value, term);
			column(b, f);
			sb_addf(&b->sql, " %s CAST(? AS %s)", cmp, number_type(type, value));
			bind(b, xstrdup(value));
		} else if (type == CRM_F_BOOL) {
			int v = bool_value(value);
			if (v < 0)
				rc = crm_error(err, CRM_EINVALID, "'%s' is not yes or no in filter '%s'", value, term);
			/* a flag never set is no: field:no finds it too */
			int unset_is_no = v == 0 && strcmp(cmp, "=") == 0;
			sb_add(&b->sql, unset_is_no ? "coalesce(" : "");
			column(b, f);
			/* CAST: a computed or custom (JSON) field has no column affinity to convert '1'. */
			sb_addf(&b->sql, "%s %s CAST(? AS INTEGER)", unset_is_no ? ", 0)" : "", cmp);
			bind(b, xstrdup(v ? "1" : "0"));
		} else if (type == CRM_F_DATE || type == CRM_F_TIME) {
			rc = crm_date_parse_day(value, now, day, sizeof day, err);
			sb_add(&b->sql, type == CRM_F_TIME ? "date(" : "(");
			column(b, f);
			sb_addf(&b->sql, type == CRM_F_TIME ? ", 'localtime') %s ?" : ") %s ?", cmp);
			bind(b, xstrdup(day));
		} else if (type == CRM_F_LIST) {
			if (op == OP_NOT)
				sb_add(&b->sql, "NOT ");
			sb_add(&b->sql, "(',' || replace(coalesce(");
			column(b, f);
			sb_add(&b->sql, ", ''), ' ', '') || ',') LIKE ? ESCAPE '\\'");
			char *pat = like_pattern(value, 0);
			struct strbuf p = { 0 };
			sb_addf(&p, "%%,%s,%%", pat);
			free(pat);
			bind(b, sb_take(&p));
		} else if (op != OP_NOT && prefix_pattern(value) && !f->picklist) {
			/* name:Acme*: the column itself compared, so that its index serves (an e-mail by
			 * its NOCASE index, as key:value finds it; a folded key by its folded column) */
			struct strbuf col = { 0 };
			enum crm_fold_how how = crm_fold_key(&col, k, f);
			if (how == CRM_FOLD_RAW) {
				sb_addf(&b->sql, "%s LIKE ? ESCAPE '\\'", col.s);
				bind(b, like_pattern(value, 0));
			} else {
				sb_addf(&b->sql, "%s GLOB ?", col.s);
				bind(b, crm_fold_glob(value));
			}
			sb_free(&col);
		} else if (strchr(value, '*')) {
			if (op == OP_NOT)
				sb_add(&b->sql, "NOT ");
			sb_add(&b->sql, "coalesce(");
			folded_column(b, k, f, 0);
			sb_add(&b->sql, ", '') GLOB ?");
			bind(b, crm_fold_glob(value));
		} else if (f->picklist) {
			/* Pick-list values are the configuration's words: NOCASE, which an index with
			 * that collation serves (tickets_status). */
			if (op == OP_NOT) {
				column(b, f);
				sb_add(&b->sql, " IS NULL OR ");
			}
			column(b, f);
			sb_addf(&b->sql, " %s ? COLLATE NOCASE", cmp);
			bind(b, xstrdup(value));
		} else {
			if (op == OP_NOT) {
				column(b, f);
				sb_add(&b->sql, " IS NULL OR ");
			}
			int raw = folded_column(b, k, f, 1);
			sb_addf(&b->sql, " %s ?", cmp);
			bind(b, raw ? xstrdup(value) : crm_fold(value));
		}
	} else if (op == OP_HAS) {
		if (type == CRM_F_REF) {
			column(b, f);
			sb_add(&b->sql, " IN ");
			label_has(b, crm_kind_find(f->ref), value);
		} else {
			char *fv = crm_fold(value);
			folded_column(b, k, f, 0);
			sb_add(&b->sql, " LIKE ? ESCAPE '\\'");
			bind(b, like_pattern(fv, 1));
			free(fv);
		}
	} else if (op == OP_BEFORE || op == OP_AFTER) {
		const char *cmp = op == OP_BEFORE ? "<" : ">";
		if (type == CRM_F_DATE) {
			rc = crm_date_parse_day(value, now, day, sizeof day, err);
			column(b, f);
			sb_addf(&b->sql, " %s ?", cmp);
		} else if (type == CRM_F_TIME) {
			rc = crm_date_parse(value, now, day, sizeof day, err);
			if (strlen(day) == 10) { /* a day: compare with the local day of the stamp */
				sb_add(&b->sql, "date(");
				column(b, f);
				sb_addf(&b->sql, ", 'localtime') %s ?", cmp);
			} else {
				column(b, f);
				sb_addf(&b->sql, " %s ?", cmp);
			}
		} else {
			return crm_error(err, CRM_EUSAGE, "field '%s' is not a date; '%s' needs one", f->name,
					 term);
		}
		bind(b, xstrdup(day));
	} else if (type == CRM_F_MONEY || type == CRM_F_DECIMAL) { /* over, under */
		rc = dec_condition(b, k, f, value, op == OP_OVER ? ">" : "<", term, err);
	} else { /* over, under */
		if (type != CRM_F_INT && type != CRM_F_REAL)
			return crm_error(err, CRM_EUSAGE, "field '%s' is not a number; '%s' needs one",
					 f->name, term);
		if (!is_number(value))
			rc = crm_error(err, CRM_EINVALID, "'%s' is not a number in filter '%s'", value, term);
		column(b, f);
		sb_addf(&b->sql, " %s CAST(? AS %s)", op == OP_OVER ? ">" : "<", number_type(type, value));
		bind(b, xstrdup(value));
	}
	sb_add(&b->sql, neg ? "), FALSE)" : ")"); /* FALSE: PostgreSQL's coalesce takes no 0 for a boolean */
	return rc;
}

static int bare_word(struct builder *b, const struct crm_kind *k, const char *word,
		     struct crm_err *err)
{
	char *sql, *match;
	if (b->search && !strpbrk(word, "*%_") && b->search(b->ctx, k, word, &sql, &match)) {
		sb_add(&b->sql, sql);
		for (const char *q = strchr(sql, '?'); q; q = strchr(q + 1, '?')) /* the match, each time */
			bind(b, xstrdup(match));
		free(match);
		free(sql);
		return CRM_OK;
	}
	int any = 0;
	sb_add(&b->sql, "(");
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (!(f->flags & CRM_FF_SEARCH))
			continue;
		if (any++)
			sb_add(&b->sql, " OR ");
		folded_column(b, k, f, 0);
		sb_add(&b->sql, " LIKE ? ESCAPE '\\'");
		char *fw = crm_fold(word);
		bind(b, like_pattern(fw, 1));
		free(fw);
	}
	if (!any)
		return crm_error(err, CRM_EUSAGE, "%s has no text to search for '%s'", crm_noun(k->name), word);
	/* Words across fields ("Ana Popescu": first and last name) are found in the label, which
	 * joins them as people write them. A single word is in one of the fields already. */
	if (strpbrk(word, " \t")) {
		size_t at = b->sql.len;
		sb_add(&b->sql, " OR ");
		if (crm_fold_expr(&b->sql, k, NULL)) {
			sb_add(&b->sql, " LIKE ? ESCAPE '\\'");
			char *fw = crm_fold(word);
			bind(b, like_pattern(fw, 1));
			free(fw);
		} else {
			b->sql.len = at; /* the label is a searched field */
			b->sql.s[at] = '\0';
		}
	}
	sb_add(&b->sql, ")");
	return CRM_OK;
}

int crm_filter_compile(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
		       struct crm_filter *out, struct crm_err *err)
{
	return crm_filter_compile_resolved(k, terms, nterms, now, NULL, NULL, out, err);
}

int crm_filter_compile_resolved(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
				crm_filter_resolver resolve, void *ctx, struct crm_filter *out,
				struct crm_err *err)
{
	return crm_filter_compile_searched(k, terms, nterms, now, resolve, NULL, ctx, out, err);
}

int crm_filter_compile_searched(const struct crm_kind *k, const char *const *terms, int nterms, time_t now,
				crm_filter_resolver resolve, crm_filter_searcher search, void *ctx,
				struct crm_filter *out, struct crm_err *err)
{
	struct builder b = { 0 };
	b.resolve = resolve;
	b.search = search;
	b.ctx = ctx;
	int rc = CRM_OK;
	memset(out, 0, sizeof *out);
	for (int i = 0; i < nterms && rc == CRM_OK; i++) {
		if (i)
			sb_add(&b.sql, " AND ");
		if (strchr(terms[i], ':') && crm_filter_is_term(k, terms[i]))
			rc = term_condition(&b, k, terms[i], now, err);
		else if (strchr(terms[i], ':') && !strchr(terms[i], ' ') &&
			 strchr(terms[i], ':') != terms[i])
			rc = term_condition(&b, k, terms[i], now, err); /* reports the unknown field */
		else
			rc = bare_word(&b, k, terms[i], err);
	}
	if (rc != CRM_OK) {
		out->binds = b.binds;
		out->nbinds = b.nbinds;
		sb_free(&b.sql);
		crm_filter_free(out);
		return rc;
	}
	out->sql = nterms ? sb_take(&b.sql) : xstrdup("1 = 1");
	sb_free(&b.sql);
	out->binds = b.binds;
	out->nbinds = b.nbinds;
	return CRM_OK;
}

void crm_filter_free(struct crm_filter *f)
{
	for (int i = 0; i < f->nbinds; i++)
		free(f->binds[i]);
	free(f->binds);
	free(f->sql);
	memset(f, 0, sizeof *f);
}
