/* Custom fields from the configuration, added to the kinds' descriptors.
 *
 * The descriptors in kinds.c are static; a kind with custom fields gets a copy whose field
 * array holds its own fields and then the configured ones, and crm_kind_find returns that copy.
 * The copies live in this file's state: one process works with one configuration, and keeping
 * them here spares every caller of crm_kind_find a handle to pass around. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "crm/custom.h"
#include "crm/workflow.h"
#include "crm/filter.h"
#include "crm/list.h"
#include "crm/record.h"
#include "fold.h"
#include "crm/show.h"
#include "util.h"
#include "db.h"

/* Which records of the kind a custom field applies to (all when text is NULL). */
struct scope {
	char **terms;       /* filter terms over the kind (industry:energy) */
	int nterms;
	const char *list;   /* members of this distribution list */
	const char *record; /* this one record, by reference */
	char *text;         /* the scope in words, for messages and --help */
	int required;       /* needed by every record in scope (CRM_FF_REQUIRED is for all) */
};

struct overlay {
	const struct crm_kind *base;
	struct crm_kind kind;
	struct crm_field *fields;
	const char **required_status; /* indexed like fields */
	struct scope *scopes;         /* indexed like fields */
	const char **sections;        /* indexed like fields: the section of show it appears in */
	char **section_keys;          /* indexed like fields: that section's key in JSON and YAML */
	char **owned;                 /* strings this file allocated for the descriptor */
	int nowned;
};

static struct overlay *overlays;
static int noverlays;

void crm_custom_reset(void)
{
	for (int i = 0; i < noverlays; i++) {
		for (int j = 0; j < overlays[i].nowned; j++)
			free(overlays[i].owned[j]);
		free(overlays[i].owned);
		for (int j = 0; j < overlays[i].kind.nfields; j++) {
			struct scope *sc = &overlays[i].scopes[j];
			for (int t = 0; t < sc->nterms; t++)
				free(sc->terms[t]);
			free(sc->terms);
			free(sc->text);
		}
		free(overlays[i].fields);
		free(overlays[i].required_status);
		free(overlays[i].scopes);
		free(overlays[i].sections);
		for (int j = 0; overlays[i].section_keys && j < overlays[i].kind.nfields; j++)
			free(overlays[i].section_keys[j]);
		free(overlays[i].section_keys);
	}
	free(overlays);
	overlays = NULL;
	noverlays = 0;
}

const struct crm_kind *crm_custom_kind(const struct crm_kind *k)
{
	for (int i = 0; k && i < noverlays; i++)
		if (overlays[i].base == k || &overlays[i].kind == k)
			return &overlays[i].kind;
	return k;
}

static const struct overlay *overlay_of(const struct crm_field *f)
{
	for (int i = 0; i < noverlays; i++)
		if (f >= overlays[i].fields && f < overlays[i].fields + overlays[i].kind.nfields)
			return &overlays[i];
	return NULL;
}

const char *crm_custom_required_status(const struct crm_field *f)
{
	const struct overlay *o = overlay_of(f);
	return o ? o->required_status[f - o->fields] : NULL;
}

const char *crm_custom_key(const struct crm_field *f)
{
	return f->name;
}

static const struct scope *scope_of(const struct crm_field *f)
{
	const struct overlay *o = overlay_of(f);
	const struct scope *sc = o ? &o->scopes[f - o->fields] : NULL;
	return sc && sc->text ? sc : NULL;
}

const char *crm_custom_scope(const struct crm_field *f)
{
	const struct scope *sc = scope_of(f);
	return sc ? sc->text : NULL;
}

const char *crm_custom_section(const struct crm_field *f)
{
	const struct overlay *o = overlay_of(f);
	return o ? o->sections[f - o->fields] : NULL;
}

const char *crm_custom_section_key(const struct crm_field *f)
{
	const struct overlay *o = overlay_of(f);
	return o ? o->section_keys[f - o->fields] : NULL;
}

/* A section's key in JSON and YAML: its name folded (case, accents), other than letters and
 * digits made '_'. */
static char *section_key(const char *name)
{
	char *folded = crm_fold(name);
	for (char *p = folded; p && *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	return folded;
}

/* A section's key may not be taken by a field of the kind, a section of its show, or another
 * section whose name folds to the same key. */
static int check_section_keys(struct overlay *o, int from, int to, const struct crm_conf_node *list, int head,
			      struct crm_err *err)
{
	o->section_keys = xcalloc((size_t)o->kind.nfields + 1, sizeof *o->section_keys);
	for (int j = from; j < to; j++) {
		const char *name = o->sections[j];
		if (!name)
			continue;
		char *key = o->section_keys[j] = section_key(name);
		const char *clash = NULL;
		if (!*key || crm_kind_field(&o->kind, key, NULL))
			clash = "a field";
		for (const struct crm_show_section *s = crm_show_sections; s->kind && !clash; s++)
			if (strcmp(s->kind, o->kind.name) == 0 && strcmp(s->key, key) == 0)
				clash = "a section of show";
		if (!clash && (strcmp(key, "attributes") == 0 || strcmp(key, "group_totals") == 0))
			clash = "a section of show";
		for (int i = from; i < j && !clash; i++)
			if (o->section_keys[i] && strcmp(o->section_keys[i], key) == 0 && strcmp(o->sections[i], name) != 0)
				clash = "another section";
		if (clash)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: section '%s' of '%s' would be shown as "
					 "'%s', which is %s of %s", crm_wf_where(crm_conf_child(list, (size_t)(j - head))),
					 o->kind.name, name, o->fields[j].name, key, clash, o->kind.plural);
	}
	return CRM_OK;
}

int crm_custom_in_scope(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, long long id, int *in,
			struct crm_err *err)
{
	const struct scope *sc = scope_of(f);
	*in = 1;
	if (!sc)
		return CRM_OK;
	*in = 0;
	char idterm[48];
	snprintf(idterm, sizeof idterm, "id:%lld", id);
	const char *terms[] = { idterm };
	/* A scope that names nothing (a typo, a renamed record, a list of the other kind) is the
	 * configuration's fault, said as such. */
	struct crm_err why = { 0 };
	if (sc->record) {
		long long target;
		int rc = crm_record_resolve(crm, k, sc->record, &target, &why);
		if (rc == CRM_ENOTFOUND)
			return crm_error(err, CRM_ECONFIG, "custom_fields.%s: the scope of '%s' names %s '%s', which is not "
					 "there (renamed? name it by number: record: 42)", k->name, f->name, k->name,
					 sc->record);
		if (rc)
			return crm_error(err, rc, "%s", why.msg);
		*in = target == id;
		return CRM_OK;
	}
	if (sc->list) {
		long long list;
		int rc = crm_list_resolve(crm, sc->list, &list, &why);
		if (rc == CRM_ENOTFOUND)
			return crm_error(err, CRM_ECONFIG, "custom_fields.%s: the scope of '%s' names list '%s', which is not "
					 "there (crm list add '%s')", k->name, f->name, sc->list, sc->list);
		const char *fields[] = { "id" };
		struct crm_list_query q = { .terms = terms, .nterms = 1, .fields = fields, .nfields = 1, .limit = 1,
					    .accounts = strcmp(k->name, "account") == 0 };
		struct crm_cursor *c;
		if (!rc && (rc = crm_list_members_open(crm, list, &q, &c, &why)) == CRM_EUSAGE)
			return crm_error(err, CRM_ECONFIG, "custom_fields.%s: the scope of '%s': %s", k->name, f->name,
					 why.msg);
		if (rc)
			return crm_error(err, rc, "%s", why.msg);
		const struct crm_value *cells;
		rc = crm_cursor_next(c, &cells, err);
		crm_cursor_close(c);
		if (rc < 0)
			return -rc;
		*in = rc == 1;
		return CRM_OK;
	}
	char where_id[32];
	snprintf(where_id, sizeof where_id, "%lld", id);
	const char *binds[] = { where_id };
	struct crm_query q = { .kind = k, .terms = (const char *const *)sc->terms, .nterms = sc->nterms,
			       .where = "t.id = ?", .where_binds = binds, .nwhere_binds = 1 };
	long long n = 0;
	int rc = crm_query_count(crm, &q, &n, err);
	*in = n > 0;
	return rc;
}

static char *own(struct overlay *o, char *s)
{
	o->owned = xrealloc(o->owned, (size_t)(o->nowned + 1) * sizeof *o->owned);
	o->owned[o->nowned++] = s;
	return s;
}

/* Names become JSON keys and SQL paths: plain lowercase words only. */
static int valid_name(const char *s)
{
	if (!s || !(islower((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static int truthy(const char *s, int *v)
{
	static const char *const yes[] = { "yes", "true", "on", "always", "1" };
	static const char *const no[] = { "no", "false", "off", "never", "0" };
	for (int i = 0; i < 5; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *v = 1, 1;
		if (strcasecmp(s, no[i]) == 0)
			return *v = 0, 1;
	}
	return 0;
}

static void scope_add_term(struct scope *sc, const char *t)
{
	sc->terms = xrealloc(sc->terms, (size_t)(sc->nterms + 1) * sizeof *sc->terms);
	sc->terms[sc->nterms++] = xstrdup(t);
}

/* Filter terms written as one string (split at white space) or as a list of terms (a term
 * with a space in it: "lists:Energy clients"). */
static int scope_terms(struct scope *sc, const struct crm_conf_node *n)
{
	const char *text = crm_conf_scalar(n);
	if (text) {
		char *copy = xstrdup(text), *save = NULL;
		for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
			scope_add_term(sc, w);
		free(copy);
	} else if (crm_conf_type(n) == CRM_CONF_SEQ) {
		for (size_t i = 0; i < crm_conf_count(n); i++) {
			const char *t = crm_conf_scalar(crm_conf_child(n, i));
			if (!t)
				return 0;
			scope_add_term(sc, t);
		}
	}
	return sc->nterms > 0;
}

/* scope: "industry:energy" (a filter), or {filter: ...}, {list: NAME} or {record: REF}. */
static int define_scope(const struct crm_kind *k, const char *name, const struct crm_conf_node *n,
			struct scope *sc, struct crm_err *err)
{
	const char *where = crm_wf_where(n);
	const struct crm_conf_node *filter = n, *list = NULL, *record = NULL;
	if (crm_conf_type(n) == CRM_CONF_MAP) {
		filter = NULL;
		for (size_t i = 0; i < crm_conf_count(n); i++) {
			const char *key = crm_conf_key(n, i);
			const struct crm_conf_node *v = crm_conf_child(n, i);
			if (strcmp(key, "filter") == 0)
				filter = v;
			else if (strcmp(key, "list") == 0)
				list = v;
			else if (strcmp(key, "record") == 0)
				record = v;
			else
				return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': unknown key '%s' "
						 "(filter, list or record)", where, k->name, name, key);
		}
		if (!!filter + !!list + !!record != 1)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s' takes one of filter, "
					 "list or record", where, k->name, name);
	}
	struct strbuf text = { 0 };
	if (filter) {
		if (!scope_terms(sc, filter))
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s' must be filter terms "
					 "(\"industry:energy\")", where, k->name, name);
		for (int i = 0; i < sc->nterms; i++)
			if (!strchr(sc->terms[i], ':'))
				return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': '%s' is a word to "
						 "search for; a scope is field terms (industry:energy, name:Acme*)", where,
						 k->name, name, sc->terms[i]);
		sb_addf(&text, "%s matching", k->plural);
		for (int i = 0; i < sc->nterms; i++)
			sb_addf(&text, " %s", sc->terms[i]);
	} else if (list) {
		if (strcmp(k->name, "contact") != 0 && strcmp(k->name, "account") != 0)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': only contacts and "
					 "accounts are members of lists", where, k->name, name);
		if (!(sc->list = crm_conf_scalar(list)) || !*sc->list)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': list needs a list's "
					 "name", where, k->name, name);
		sb_addf(&text, "members of list '%s'", sc->list);
	} else {
		if (!(sc->record = crm_conf_scalar(record)) || !*sc->record)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': record needs a "
					 "reference (a number or a name)", where, k->name, name);
		sb_addf(&text, "%s '%s'", k->name, sc->record);
	}
	sc->text = sb_take(&text);
	return CRM_OK;
}

static int define_field(const struct crm_config *cfg, struct overlay *o, const char *kind, size_t index,
			const struct crm_conf_node *n, struct crm_field *f, const char **required_status,
			struct scope *scope, const char **section, const struct crm_workflow *wf,
			struct crm_err *err)
{
	char where[600];
	snprintf(where, sizeof where, "%s", crm_wf_where(n));
	if (crm_conf_type(n) != CRM_CONF_MAP)
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: each field is a map of name, type, "
				 "values, required", where, kind);
	static const char *const keys[] = { "name", "type", "values", "required", "list", "help", "scope", "section",
					    NULL };
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		int ok = 0;
		for (int j = 0; keys[j]; j++)
			ok |= strcmp(crm_conf_key(n, i), keys[j]) == 0;
		if (!ok)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: unknown key '%s' (name, type, "
					 "values, required, list, help, scope, section)", crm_wf_where(crm_conf_child(n, i)), kind,
					 crm_conf_key(n, i));
	}
	const char *name = crm_conf_scalar(crm_conf_get(n, "name"));
	if (!valid_name(name))
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: name '%s' must be a lowercase word "
				 "(letters, digits, _)", where, kind, name ? name : "");
	if (crm_kind_field(o->base, name, NULL))
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: '%s' is already a field of %s",
				 where, kind, name, kind);
	for (const struct crm_field *g = o->fields; g < f; g++)
		if (strcmp(g->name, name) == 0)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: '%s' is defined twice", where,
					 kind, name);
	const char *type = crm_conf_scalar(crm_conf_get(n, "type"));
	const struct crm_conf_node *values = crm_conf_get(n, "values");
	memset(f, 0, sizeof *f);
	f->name = name;
	f->flags = CRM_FF_CUSTOM | CRM_FF_LIST;
	if (!type || strcmp(type, "text") == 0) {
		f->type = CRM_F_TEXT;
		f->flags |= CRM_FF_SEARCH;
	} else if (strcmp(type, "number") == 0) {
		f->type = CRM_F_REAL;
	} else if (strcmp(type, "date") == 0) {
		f->type = CRM_F_DATE;
	} else if (strcmp(type, "bool") == 0 || strcmp(type, "boolean") == 0) {
		f->type = CRM_F_BOOL;
	} else if (strcmp(type, "choice") == 0) {
		f->type = CRM_F_TEXT;
		f->flags |= CRM_FF_SEARCH;
		if (crm_conf_type(values) != CRM_CONF_SEQ || crm_conf_count(values) == 0)
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: choice field '%s' needs values: "
					 "[...]", where, kind, name);
		for (size_t i = 0; i < crm_conf_count(values); i++)
			if (!crm_conf_scalar(crm_conf_child(values, i)))
				return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: values of '%s' must be "
						 "words", crm_wf_where(values), kind, name);
		struct strbuf p = { 0 };
		sb_addf(&p, "custom_fields.%s.%zu.values", kind, index);
		f->picklist = own(o, sb_take(&p)); /* a dotted picklist is a configuration path */
	} else {
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: type '%s' of '%s' is not text, "
				 "number, date, choice or bool", crm_wf_where(crm_conf_get(n, "type")), kind, type,
				 name);
	}
	if (values && f->picklist == NULL)
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: values are for choice fields; '%s' "
				 "is %s", crm_wf_where(values), kind, name, type);
	const char *req = crm_conf_scalar(crm_conf_get(n, "required"));
	int flag;
	if (req && truthy(req, &flag)) {
		if (flag)
			f->flags |= CRM_FF_REQUIRED;
	} else if (req) {
		if (wf && !crm_workflow_status(wf, req))
			return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: '%s' is required in status "
					 "'%s', which workflow.%s does not have", crm_wf_where(crm_conf_get(n, "required")),
					 kind, name, req, kind);
		*required_status = wf ? crm_workflow_status(wf, req) : req;
	}
	const struct crm_conf_node *scope_node = crm_conf_get(n, "scope");
	if (scope_node) {
		int rc = define_scope(o->base, name, scope_node, scope, err);
		if (rc)
			return rc;
		if (f->flags & CRM_FF_REQUIRED) { /* required of the records in scope only */
			f->flags &= ~(unsigned)CRM_FF_REQUIRED;
			scope->required = 1;
		}
	}
	const struct crm_conf_node *section_node = crm_conf_get(n, "section");
	if (section_node && (!(*section = crm_conf_scalar(section_node)) || !**section))
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: section of '%s' must be a name",
				 crm_wf_where(section_node), kind, name);
	const char *list = crm_conf_scalar(crm_conf_get(n, "list"));
	if (list && truthy(list, &flag) && !flag)
		f->flags &= ~(unsigned)CRM_FF_LIST;
	struct strbuf col = { 0 };
	/* ->> gives SQLite the JSON value's SQL type and PostgreSQL text: a number or a yes/no is
	 * cast so that filters compare numbers on both. */
	if (f->type == CRM_F_REAL)
		sb_addf(&col, "(CAST(t.custom ->> '%s' AS DOUBLE PRECISION))", name);
	else if (f->type == CRM_F_INT || f->type == CRM_F_BOOL)
		sb_addf(&col, "(CAST(t.custom ->> '%s' AS BIGINT))", name);
	else
		sb_addf(&col, "(t.custom ->> '%s')", name);
	f->column = own(o, sb_take(&col));
	const char *help = crm_conf_scalar(crm_conf_get(n, "help"));
	struct strbuf h = { 0 };
	if (help)
		sb_add(&h, help);
	else
		sb_addf(&h, "%s (custom %s field)", name, type ? type : "text");
	if (*required_status)
		sb_addf(&h, "; needed when %s", *required_status);
	if (scope->text)
		sb_addf(&h, "; only for %s%s", scope->text, scope->required ? ", needed there" : "");
	if (*section)
		sb_addf(&h, "; shown under %s", *section);
	f->help = own(o, sb_take(&h));
	(void)cfg;
	return CRM_OK;
}

int crm_custom_configure(const struct crm_config *cfg, struct crm_err *err)
{
	crm_custom_reset();
	const struct crm_conf_node *root = crm_config_node(cfg, "custom_fields");
	if (!root)
		return CRM_OK;
	if (crm_conf_type(root) != CRM_CONF_MAP)
		return crm_error(err, CRM_ECONFIG, "%s: custom_fields must map kinds to lists of fields",
				 crm_wf_where(root));
	size_t nkinds = crm_conf_count(root);
	overlays = xcalloc(nkinds ? nkinds : 1, sizeof *overlays);
	int rc = CRM_OK;
	for (size_t i = 0; i < nkinds && !rc; i++) {
		const char *kind = crm_conf_key(root, i);
		const struct crm_conf_node *list = crm_conf_child(root, i);
		const struct crm_kind *base = crm_kind_find(kind);
		if (!base) {
			rc = crm_error(err, CRM_ECONFIG, "%s: custom_fields: unknown kind of record '%s'",
				       crm_wf_where(list), kind);
			break;
		}
		if (crm_conf_type(list) != CRM_CONF_SEQ) {
			rc = crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s must be a list of fields",
				       crm_wf_where(list), kind);
			break;
		}
		size_t ncustom = crm_conf_count(list);
		if (ncustom == 0)
			continue;
		struct overlay *o = &overlays[noverlays++];
		o->base = base;
		o->kind = *base;
		int total = base->nfields + (int)ncustom;
		o->fields = xcalloc((size_t)total, sizeof *o->fields);
		o->required_status = xcalloc((size_t)total, sizeof *o->required_status);
		o->scopes = xcalloc((size_t)total, sizeof *o->scopes);
		o->sections = xcalloc((size_t)total, sizeof *o->sections);
		/* Custom fields go before the trailing time stamps, so `show` lists them with the rest. */
		int tail = 0;
		while (tail < base->nfields && tail < 2 &&
		       (strcmp(base->fields[base->nfields - 1 - tail].name, "created") == 0 ||
			strcmp(base->fields[base->nfields - 1 - tail].name, "updated") == 0))
			tail++;
		int head = base->nfields - tail;
		memcpy(o->fields, base->fields, (size_t)head * sizeof *o->fields);
		o->kind.fields = o->fields;
		o->kind.nfields = head; /* grows as fields are defined, so duplicates are found */
		struct crm_workflow *wf = NULL;
		struct crm_err ignored = { 0 };
		if (crm_workflow_load(cfg, kind, &wf, &ignored))
			wf = NULL; /* a broken workflow is reported by its own users and `workflow check` */
		for (size_t j = 0; j < ncustom && !rc; j++) {
			rc = define_field(cfg, o, kind, j, crm_conf_child(list, j), &o->fields[head + (int)j],
					  &o->required_status[head + (int)j], &o->scopes[head + (int)j],
					  &o->sections[head + (int)j], wf, err);
			o->kind.nfields++;
		}
		crm_workflow_free(wf);
		memcpy(o->fields + head + ncustom, base->fields + head, (size_t)tail * sizeof *o->fields);
		o->kind.nfields = total;
		if (!rc)
			rc = check_section_keys(o, head, head + (int)ncustom, list, head, err);
		/* a scope's filter names fields of the kind as it now is, custom ones included */
		for (int j = head; !rc && j < head + (int)ncustom; j++) {
			struct crm_filter compiled;
			const struct scope *sc = &o->scopes[j];
			if (!sc->nterms)
				continue;
			struct crm_err why = { 0 };
			if (crm_filter_compile(&o->kind, (const char *const *)sc->terms, sc->nterms, time(NULL), &compiled,
					       &why) == CRM_OK)
				crm_filter_free(&compiled);
			else
				rc = crm_error(err, CRM_ECONFIG, "%s: custom_fields.%s: scope of '%s': %s",
					       crm_wf_where(crm_conf_get(crm_conf_child(list, (size_t)(j - head)), "scope")),
					       kind, o->fields[j].name, why.msg);
		}
	}
	if (rc)
		crm_custom_reset();
	return rc;
}

int crm_custom_check_tables(struct crm *crm, struct crm_err *err)
{
	for (int i = 0; i < noverlays; i++) {
		struct strbuf sql = { 0 };
		sb_addf(&sql, "SELECT custom FROM %s LIMIT 0", overlays[i].kind.table);
		crm_stmt *st;
		int ok = crm_store_prepare(crm, sql.s, &st) == CRM_SQL_OK;
		crm_finalize(st);
		sb_free(&sql);
		if (!ok)
			return crm_error(err, CRM_ECONFIG, "custom_fields.%s: %s records cannot have custom fields "
					 "yet (table '%s' has no custom column)", overlays[i].kind.name,
					 overlays[i].kind.name, overlays[i].kind.table);
	}
	return CRM_OK;
}

static int same_value(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int crm_custom_scope_before(struct crm *crm, const struct crm_kind *k, long long id, const char *const *olds,
			    const char *const *vals, unsigned char **was_in, struct crm_err *err)
{
	*was_in = NULL;
	for (int i = 0; i < k->nfields; i++) {
		if (!scope_of(&k->fields[i]) || !olds[i] || !same_value(olds[i], vals[i]))
			continue;
		if (!*was_in)
			*was_in = xcalloc((size_t)k->nfields, 1);
		int in, rc = crm_custom_in_scope(crm, k, &k->fields[i], id, &in, err);
		if (rc) {
			free(*was_in);
			*was_in = NULL;
			return rc;
		}
		(*was_in)[i] = (unsigned char)(in ? 1 : 2);
	}
	return CRM_OK;
}

int crm_custom_scope_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			   const unsigned char *was_in, struct crm_err *err)
{
	const struct crm_field *status_field = crm_kind_field(k, "status", NULL);
	const char *status = status_field ? vals[status_field - k->fields] : NULL;
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		const struct scope *sc = scope_of(f);
		const char *when = sc ? crm_custom_required_status(f) : NULL;
		int needed = sc && (sc->required || (when && status && strcasecmp(when, status) == 0));
		if (!sc || !(vals[i] || needed))
			continue;
		int in;
		int rc = crm_custom_in_scope(crm, k, f, id, &in, err);
		if (rc)
			return rc;
		/* a value the command left as it was, on a record already outside the scope before it
		 * (another command moved it: a list's member removed, a name changed) stays */
		if (!in && vals[i] && was_in && was_in[i] == 2)
			continue;
		if (in && !vals[i] && needed) {
			char *label = crm_record_label(crm, k, id);
			rc = when && !sc->required
				     ? crm_error(err, CRM_EINVALID, "%s '%s' needs %s when %s (for %s)", k->name,
						 label ? label : "?", f->name, when, sc->text)
				     : crm_error(err, CRM_EINVALID, "%s '%s' needs %s (for %s)", k->name, label ? label : "?",
						 f->name, sc->text);
			free(label);
		} else if (!in && vals[i]) {
			char *label = crm_record_label(crm, k, id);
			rc = crm_error(err, CRM_EINVALID, "%s applies only to %s, and %s '%s' is not %s: leave %s empty "
				       "for it", f->name, sc->text, k->name, label ? label : "?",
				       sc->record ? "that one" : "one of them", f->name);
			free(label);
		}
		if (rc) {
			if (err)
				snprintf(err->field, sizeof err->field, "%s", f->name);
			return rc;
		}
	}
	return CRM_OK;
}
