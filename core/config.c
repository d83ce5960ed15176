/* The YAML configuration: built-in defaults merged with the files that override them. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "crm/config.h"
#include "crm/kind.h"
#include "crm/near.h"
#include "crm/plan.h"
#include "crm/process.h"
#include "config_builtin.h"

#define BUILTIN_SOURCE "built-in"
/* Bounds on what one file may expand to: a recursive alias (&a [*a]) would otherwise recurse
 * forever, and nested aliases ("billion laughs") would allocate without end. */
#define MAX_DEPTH 64
#define MAX_NODES 100000

struct crm_conf_node {
	enum crm_conf_type type;
	char *scalar;                 /* CRM_CONF_SCALAR */
	char **keys;                  /* CRM_CONF_MAP: keys[i] names items[i] */
	struct crm_conf_node **items; /* CRM_CONF_SEQ and CRM_CONF_MAP */
	size_t count, cap;
	char *source;
	int line, column;             /* 1-based; 0 when not from a file (crm_config_set) */
	int key_line, key_column;     /* of its key, for a map's item from a file; else 0 */
};

struct crm_config {
	struct crm_conf_node *root; /* always a map */
};

/* ---- memory: the callers (and crm_config_set, which returns void) cannot do anything useful
 * on exhaustion, so stop here rather than thread ENOMEM through every path. */

static void out_of_memory(void)
{
	fputs("crm: out of memory\n", stderr);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* ---- nodes ---- */

static struct crm_conf_node *node_new(enum crm_conf_type type, const char *source, int line,
				      int column)
{
	struct crm_conf_node *n = xrealloc(NULL, sizeof *n);
	memset(n, 0, sizeof *n);
	n->type = type;
	n->source = xstrdup(source ? source : "");
	n->line = line;
	n->column = column;
	return n;
}

static void node_free(struct crm_conf_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->count; i++) {
		node_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->scalar);
	free(n->source);
	free(n);
}

/* Appends child (and key, for maps); takes ownership of both. */
static void node_append(struct crm_conf_node *n, char *key, struct crm_conf_node *child)
{
	if (n->count == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 8;
		n->items = xrealloc(n->items, n->cap * sizeof *n->items);
		if (n->type == CRM_CONF_MAP)
			n->keys = xrealloc(n->keys, n->cap * sizeof *n->keys);
	}
	if (n->type == CRM_CONF_MAP)
		n->keys[n->count] = key;
	n->items[n->count++] = child;
}

/* Index of the key of length len in map n, or -1. Taking a length lets dotted paths be
 * looked up without copying each component. */
static long map_find(const struct crm_conf_node *n, const char *key, size_t len)
{
	if (!n || n->type != CRM_CONF_MAP)
		return -1;
	for (size_t i = 0; i < n->count; i++)
		if (strlen(n->keys[i]) == len && memcmp(n->keys[i], key, len) == 0)
			return (long)i;
	return -1;
}

/* Merges map src into map dst and consumes src: keys new to dst are appended (so first-seen
 * order holds), maps met on both sides merge recursively, anything else replaces. */
static void merge_map(struct crm_conf_node *dst, struct crm_conf_node *src)
{
	for (size_t i = 0; i < src->count; i++) {
		char *key = src->keys[i];
		struct crm_conf_node *val = src->items[i];
		long at = map_find(dst, key, strlen(key));
		if (at < 0) {
			node_append(dst, key, val);
			continue;
		}
		free(key);
		if (dst->items[at]->type == CRM_CONF_MAP && val->type == CRM_CONF_MAP) {
			merge_map(dst->items[at], val);
		} else {
			node_free(dst->items[at]);
			dst->items[at] = val;
		}
	}
	src->count = 0; /* its children now belong to dst or are freed */
	node_free(src);
}

/* ---- parsing ---- */

struct conv {
	yaml_document_t *doc;
	const char *source;
	size_t nodes;
	struct crm_err *err;
};

static int conv_error(struct conv *c, const yaml_mark_t *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fills c->err with "SOURCE:LINE:COLUMN: message" at libyaml mark m (0-based). */
static int conv_error(struct conv *c, const yaml_mark_t *m, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return crm_error(c->err, CRM_ECONFIG, "%s:%d:%d: %s", c->source, (int)m->line + 1,
			 (int)m->column + 1, what);
}

/* Copies libyaml node y (and what it contains) into *out. */
static int convert(struct conv *c, yaml_node_t *y, int depth, struct crm_conf_node **out)
{
	struct crm_conf_node *n;
	int line = (int)y->start_mark.line + 1, col = (int)y->start_mark.column + 1;

	*out = NULL;
	if (depth > MAX_DEPTH)
		return conv_error(c, &y->start_mark, "nesting is too deep (recursive alias?)");
	if (++c->nodes > MAX_NODES)
		return conv_error(c, &y->start_mark, "too many values (alias expansion?)");

	switch (y->type) {
	case YAML_SCALAR_NODE:
		n = node_new(CRM_CONF_SCALAR, c->source, line, col);
		n->scalar = xstrndup((const char *)y->data.scalar.value, y->data.scalar.length);
		break;
	case YAML_SEQUENCE_NODE:
		n = node_new(CRM_CONF_SEQ, c->source, line, col);
		for (yaml_node_item_t *it = y->data.sequence.items.start;
		     it < y->data.sequence.items.top; it++) {
			struct crm_conf_node *child;
			int rc = convert(c, yaml_document_get_node(c->doc, *it), depth + 1, &child);
			if (rc) {
				node_free(n);
				return rc;
			}
			node_append(n, NULL, child);
		}
		break;
	case YAML_MAPPING_NODE:
		n = node_new(CRM_CONF_MAP, c->source, line, col);
		for (yaml_node_pair_t *p = y->data.mapping.pairs.start;
		     p < y->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
			struct crm_conf_node *child;
			const char *key;
			int rc = CRM_OK;
			if (k->type != YAML_SCALAR_NODE)
				rc = conv_error(c, &k->start_mark, "a key must be a scalar");
			key = rc ? "" : (const char *)k->data.scalar.value;
			/* A dot in a key, or an empty key, would make dotted paths ambiguous. */
			if (!rc && (k->data.scalar.length == 0 || strlen(key) != k->data.scalar.length))
				rc = conv_error(c, &k->start_mark, "a key must not be empty");
			if (!rc && strchr(key, '.'))
				rc = conv_error(c, &k->start_mark, "key '%s' must not contain '.'", key);
			if (!rc && map_find(n, key, strlen(key)) >= 0)
				rc = conv_error(c, &k->start_mark, "duplicate key '%s'", key);
			if (!rc)
				rc = convert(c, yaml_document_get_node(c->doc, p->value), depth + 1,
					     &child);
			if (rc) {
				node_free(n);
				return rc;
			}
			child->key_line = (int)k->start_mark.line + 1;
			child->key_column = (int)k->start_mark.column + 1;
			node_append(n, xstrdup(key), child);
		}
		break;
	default:
		return conv_error(c, &y->start_mark, "unexpected YAML node");
	}
	*out = n;
	return CRM_OK;
}

/* Turns a libyaml parser failure into "SOURCE:LINE:COLUMN: problem". */
static int parse_error(const yaml_parser_t *p, const char *text, size_t len, const char *source,
		       struct crm_err *err)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	int line, col;

	if (p->error == YAML_MEMORY_ERROR)
		out_of_memory();
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors (bad encoding) give only a byte offset: count lines up to it. */
		size_t off = p->problem_offset < len ? p->problem_offset : len;
		line = 1;
		col = 1;
		for (size_t i = 0; i < off; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
	} else {
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
	}
	if (p->context && p->error != YAML_READER_ERROR &&
	    (p->context_mark.line != p->problem_mark.line ||
	     p->context_mark.column != p->problem_mark.column))
		return crm_error(err, CRM_ECONFIG, "%s:%d:%d: %s (%s at line %d, column %d)", source,
				 line, col, problem, p->context, (int)p->context_mark.line + 1,
				 (int)p->context_mark.column + 1);
	return crm_error(err, CRM_ECONFIG, "%s:%d:%d: %s", source, line, col, problem);
}

/* A plain scalar that YAML reads as null: "", "~", "null". */
static int is_null(const yaml_node_t *y)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	if (y->type != YAML_SCALAR_NODE || y->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp((const char *)y->data.scalar.value, nulls[i]) == 0)
			return 1;
	return 0;
}

/* Nesting deeper than MAX_DEPTH is refused from the events, as soon as it is read: libyaml's
 * loader would first build the whole document, in time that grows with the square of the
 * depth (100,000 levels took 15 s). Errors of the YAML itself are left to the loader. */
static int check_depth(const char *text, size_t len, const char *source, struct crm_err *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, rc = CRM_OK, done = 0;

	if (!yaml_parser_initialize(&parser))
		out_of_memory();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !rc && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
			if (++depth > MAX_DEPTH)
				rc = crm_error(err, CRM_ECONFIG, "%s:%d:%d: nesting is too deep (at most %d levels)",
					       source, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
					       MAX_DEPTH);
		} else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
			depth--;
		} else if (ev.type == YAML_STREAM_END_EVENT) {
			done = 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* Parses YAML text into *out: a map, or NULL when the text holds no settings. */
static int parse_text(const char *text, size_t len, const char *source,
		      struct crm_conf_node **out, struct crm_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc = CRM_OK;

	*out = NULL;
	if ((rc = check_depth(text, len, source, err)))
		return rc;
	if (!yaml_parser_initialize(&parser))
		out_of_memory();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = parse_error(&parser, text, len, source, err);
		yaml_parser_delete(&parser);
		return rc;
	}

	root = yaml_document_get_root_node(&doc);
	if (root) {
		struct conv c = { &doc, source, 0, err };
		if (is_null(root))
			; /* "---" alone, or "~": a document with no settings */
		else if (root->type != YAML_MAPPING_NODE)
			rc = conv_error(&c, &root->start_mark, "the configuration must be a mapping");
		else
			rc = convert(&c, root, 0, out);
	}
	yaml_document_delete(&doc);

	/* A second document would be silently ignored otherwise; say so instead. */
	if (!rc && root) {
		if (!yaml_parser_load(&parser, &doc)) {
			rc = parse_error(&parser, text, len, source, err);
		} else {
			yaml_node_t *more = yaml_document_get_root_node(&doc);
			if (more)
				rc = crm_error(err, CRM_ECONFIG,
					       "%s:%d:%d: only one YAML document is allowed", source,
					       (int)doc.start_mark.line + 1,
					       (int)doc.start_mark.column + 1);
			yaml_document_delete(&doc);
		}
		if (rc) {
			node_free(*out);
			*out = NULL;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* The built-in node at *next, with its children (which follow it in the table); advances *next
 * past them. The defaults were parsed when crm was built (scripts/defaults2c.c). */
static struct crm_conf_node *builtin_node(size_t *next)
{
	const struct crm_builtin_node *b = &crm_builtin_config[(*next)++];
	struct crm_conf_node *n = node_new(b->type, BUILTIN_SOURCE, b->line, b->column);

	if (b->scalar)
		n->scalar = xstrdup(b->scalar);
	if (b->count) {
		n->cap = b->count;
		n->items = xrealloc(NULL, n->cap * sizeof *n->items);
		if (n->type == CRM_CONF_MAP)
			n->keys = xrealloc(NULL, n->cap * sizeof *n->keys);
	}
	for (size_t i = 0; i < b->count; i++) {
		const struct crm_builtin_node *item = &crm_builtin_config[*next];
		struct crm_conf_node *child = builtin_node(next);
		child->key_line = item->key_line;
		child->key_column = item->key_column;
		node_append(n, item->key ? xstrdup(item->key) : NULL, child);
	}
	return n;
}

/* Reads the whole file; returns 0 or an errno value. Reading it ourselves (rather than handing
 * libyaml a FILE) turns a directory or an I/O error into a plain "cannot read" message. */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *b;

	if (!f)
		return errno ? errno : EIO;
	b = xrealloc(NULL, cap);
	for (;;) {
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(b);
				fclose(f);
				return e;
			}
			break;
		}
		cap *= 2;
		b = xrealloc(b, cap);
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* Where authorisation may come from (besides the built-in defaults and the database): the
 * system configuration at the path fixed when crm was built. A file anyone else may name (a
 * user's own, CRM_CONFIG, --config, or one found through CRM_SYSCONFDIR) would let its writer
 * grant themselves any permission, so what grants or withholds it there is refused rather than
 * ignored: a definition that silently does nothing would leave its writer believing it took
 * effect. Authorisation is roles: (what each role grants), and the workflows of the kinds whose
 * trusted definition guards a transition with roles or a permission (ticket and contract by
 * default): such a workflow is changed only where it is trusted, since a file that could
 * reshape it could drop the guard (a transition without roles is open to anyone), start
 * records in a guarded status (initial:) or route around it. roles: and permission: on a
 * transition (and users:, who besides the roles may take it) are trusted-only everywhere. */
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define SYSTEM_CONFIG SYSCONFDIR "/crm/config.yaml"

enum layer { UNTRUSTED, TRUSTED, AUTH_ONLY };

static int where_key(const struct crm_conf_node *v, int *line, int *column)
{
	*line = v->key_line ? v->key_line : v->line;
	*column = v->key_line ? v->key_column : v->column;
	return *line;
}

/* Does workflow kind (a node of the trusted configuration) guard a transition? */
static int guarded(const struct crm_conf_node *kind)
{
	if (!kind || kind->type != CRM_CONF_MAP)
		return 0;
	long at = map_find(kind, "transitions", 11);
	const struct crm_conf_node *tr = at < 0 ? NULL : kind->items[at];
	for (size_t i = 0; tr && tr->type == CRM_CONF_SEQ && i < tr->count; i++)
		if (tr->items[i]->type == CRM_CONF_MAP &&
		    (map_find(tr->items[i], "roles", 5) >= 0 || map_find(tr->items[i], "permission", 10) >= 0 ||
		     map_find(tr->items[i], "users", 5) >= 0))
			return 1;
	return 0;
}

static int refuse_auth(const struct crm_conf_node *trusted, const struct crm_conf_node *root, const char *path,
		       struct crm_err *err)
{
	int line, column;
	long at = map_find(root, "roles", 5);
	if (at >= 0) {
		where_key(root->items[at], &line, &column);
		return crm_error(err, CRM_ECONFIG, "%s:%d:%d: roles are defined only in the system configuration (%s) "
				 "or in the database ('crm user role'), not in this file: whoever writes it could "
				 "grant themselves any permission (see crm-config(5))", path, line, column, SYSTEM_CONFIG);
	}
	at = map_find(root, "workflow", 8);
	if (at < 0)
		return CRM_OK;
	const struct crm_conf_node *wf = root->items[at];
	long tat = map_find(trusted, "workflow", 8);
	const struct crm_conf_node *twf = tat < 0 ? NULL : trusted->items[tat];
	if (wf->type != CRM_CONF_MAP) { /* it would replace every workflow */
		for (size_t i = 0; twf && twf->type == CRM_CONF_MAP && i < twf->count; i++)
			if (guarded(twf->items[i])) {
				where_key(wf, &line, &column);
				return crm_error(err, CRM_ECONFIG, "%s:%d:%d: workflow.%s guards its transitions with roles "
						 "or permissions, so it is changed only in the system configuration (%s), "
						 "not in this file: whoever writes it could lift them (see crm-config(5))",
						 path, line, column, twf->keys[i], SYSTEM_CONFIG);
			}
		return CRM_OK;
	}
	for (size_t k = 0; k < wf->count; k++) {
		const struct crm_conf_node *kind = wf->items[k];
		long g = twf && twf->type == CRM_CONF_MAP ? map_find(twf, wf->keys[k], strlen(wf->keys[k])) : -1;
		if (g >= 0 && guarded(twf->items[g])) {
			where_key(kind, &line, &column);
			return crm_error(err, CRM_ECONFIG, "%s:%d:%d: workflow.%s guards its transitions with roles or "
					 "permissions, so it is changed only in the system configuration (%s), not in "
					 "this file: whoever writes it could lift them (see crm-config(5))", path, line,
					 column, wf->keys[k], SYSTEM_CONFIG);
		}
		long t = kind->type == CRM_CONF_MAP ? map_find(kind, "transitions", 11) : -1;
		const struct crm_conf_node *tr = t < 0 ? NULL : kind->items[t];
		for (size_t i = 0; tr && tr->type == CRM_CONF_SEQ && i < tr->count; i++) {
			const struct crm_conf_node *one = tr->items[i];
			static const char *const keys[] = { "roles", "permission", "users" };
			for (int j = 0; j < 3 && one->type == CRM_CONF_MAP; j++) {
				long a = map_find(one, keys[j], strlen(keys[j]));
				if (a < 0)
					continue;
				where_key(one->items[a], &line, &column);
				return crm_error(err, CRM_ECONFIG, "%s:%d:%d: workflow.%s: a transition's %s is set only in "
						 "the system configuration (%s), not in this file: whoever writes it "
						 "decides who may take it (see crm-config(5))", path, line, column,
						 wf->keys[k], keys[j], SYSTEM_CONFIG);
			}
		}
	}
	return CRM_OK;
}

/* Keeps of a trusted file, under a file that replaces the search, only what authorises: roles:
 * and the guarded workflows. */
static void keep_auth(struct crm_conf_node *root)
{
	long at = map_find(root, "workflow", 8);
	struct crm_conf_node *wf = at < 0 ? NULL : root->items[at];
	if (wf && wf->type == CRM_CONF_MAP) {
		size_t kept = 0;
		for (size_t i = 0; i < wf->count; i++) {
			if (guarded(wf->items[i])) {
				wf->keys[kept] = wf->keys[i];
				wf->items[kept++] = wf->items[i];
			} else {
				node_free(wf->items[i]);
				free(wf->keys[i]);
			}
		}
		wf->count = kept;
	}
	size_t kept = 0;
	for (size_t i = 0; i < root->count; i++) {
		if (strcmp(root->keys[i], "roles") == 0 ||
		    (strcmp(root->keys[i], "workflow") == 0 && root->items[i]->type == CRM_CONF_MAP)) {
			root->keys[kept] = root->keys[i];
			root->items[kept++] = root->items[i];
		} else {
			node_free(root->items[i]);
			free(root->keys[i]);
		}
	}
	root->count = kept;
}

/* Merges the file at path into cfg. A missing file is skipped unless required. An untrusted
 * file may not authorise (refuse_auth); of an AUTH_ONLY file only what authorises is taken. */
static int load_file(struct crm_config *cfg, const char *path, int required, enum layer layer,
		     struct crm_err *err)
{
	char *text = NULL;
	size_t len = 0;
	struct crm_conf_node *root;
	int rc, e;

	errno = 0;
	e = read_file(path, &text, &len);
	if ((e == ENOENT || e == ENOTDIR) && !required)
		return CRM_OK;
	if (e)
		return crm_error(err, CRM_ECONFIG, "cannot read config '%s': %s", path, strerror(e));
	rc = parse_text(text, len, path, &root, err);
	free(text);
	if (rc)
		return rc;
	if (!root)
		return CRM_OK;
	if (layer == UNTRUSTED && (rc = refuse_auth(cfg->root, root, path, err))) {
		node_free(root);
		return rc;
	}
	if (layer == AUTH_ONLY)
		keep_auth(root);
	merge_map(cfg->root, root);
	return CRM_OK;
}

/* Returns malloc'd a + b + c. */
static char *concat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = xrealloc(NULL, la + lb + lc + 1);
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* Are a and b the same file (device and inode), whatever their spelling? */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The search files, lowest precedence first: the system file (trusted), a system file moved by
 * CRM_SYSCONFDIR (not trusted: anyone may set the variable), the user's. */
static int load_search_files(struct crm_config *cfg, const struct crm_env *env, struct crm_err *err)
{
	const char *sysconf = env ? env->sysconfdir : NULL;
	const char *xdg = env ? env->xdg_config_home : NULL;
	const char *home = env ? env->home : NULL;
	char *path;
	int rc;

	rc = load_file(cfg, SYSTEM_CONFIG, 0, TRUSTED, err);
	if (rc)
		return rc;
	if (sysconf && *sysconf) {
		path = concat3(sysconf, "/crm/config.yaml", "");
		/* the build's own file, however spelt ("/etc/", a link): read once, trusted */
		rc = strcmp(path, SYSTEM_CONFIG) == 0 || same_file(path, SYSTEM_CONFIG) ? CRM_OK
											: load_file(cfg, path, 0, UNTRUSTED, err);
		free(path);
		if (rc)
			return rc;
	}

	/* XDG_CONFIG_DIRS (default /etc/xdg): each directory's crm/config.yaml, the first listed
	 * winning, so read last; never trusted with roles (only the build's SYSCONFDIR file is).
	 * Relative entries are ignored, as the XDG spec says. */
	const char *dirs = env && env->xdg_config_dirs ? env->xdg_config_dirs : "/etc/xdg";
	size_t ndirs = strlen(dirs);
	for (size_t end = ndirs; end > 0;) {
		size_t start = end;
		while (start > 0 && dirs[start - 1] != ':')
			start--;
		if (end > start && dirs[start] == '/') {
			char *dir = xstrndup(dirs + start, end - start);
			path = concat3(dir, "/crm/config.yaml", "");
			free(dir);
			rc = strcmp(path, SYSTEM_CONFIG) == 0 ? CRM_OK : load_file(cfg, path, 0, UNTRUSTED, err);
			free(path);
			if (rc)
				return rc;
		}
		end = start ? start - 1 : 0;
	}

	/* The XDG spec says a relative XDG_CONFIG_HOME is invalid and to be ignored. */
	if (xdg && xdg[0] == '/')
		path = concat3(xdg, "/crm/config.yaml", "");
	else if (home)
		path = concat3(home, "/.config", "/crm/config.yaml");
	else
		return CRM_OK;
	rc = load_file(cfg, path, 0, UNTRUSTED, err);
	free(path);
	return rc;
}

int crm_config_load(struct crm_config **out, const char *explicit_path, const struct crm_env *env,
		    struct crm_err *err)
{
	struct crm_config *cfg;
	size_t next = 0;
	int rc;

	crm_err_clear(err);
	*out = NULL;
	cfg = xrealloc(NULL, sizeof *cfg);
	cfg->root = builtin_node(&next);

	/* A file that replaces the search does not replace the system's authorisation: its roles
	 * and guarded workflows are read from the system configuration all the same. */
	if (!explicit_path) {
		rc = load_search_files(cfg, env, err);
	} else {
		rc = load_file(cfg, SYSTEM_CONFIG, 0, AUTH_ONLY, err);
		if (!rc)
			rc = load_file(cfg, explicit_path, 1, UNTRUSTED, err);
	}
	if (rc) {
		crm_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return CRM_OK;
}

/* ---- what the configuration may say ----
 *
 * A tree of the keys crm knows. A map whose keys the user chooses (pick-lists, roles, the kinds
 * of custom_fields and workflow, sla targets' priorities) has one entry "*"; a NULL sub leaves
 * what is below unchecked (a pick-list's values, a role's permissions). A sequence's items are
 * checked against the same entries as the sequence itself. */
struct schema {
	const char *key;
	const struct schema *sub;
	int kinds; /* "*" only: 1 the key must name a kind of record, 2 one with a status */
};

static const struct schema s_transition[] = {
	{ "name", NULL, 0 }, { "from", NULL, 0 }, { "to", NULL, 0 }, { "roles", NULL, 0 }, { "permission", NULL, 0 },
	{ "users", NULL, 0 },
	{ "required", NULL, 0 }, { "clear", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_workflow_kind[] = {
	{ "statuses", NULL, 0 }, { "initial", NULL, 0 }, { "resolved", NULL, 0 }, { "transitions", s_transition, 0 },
	{ "effects", NULL, 0 }, { "parts_editable", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_workflow[] = { { "*", s_workflow_kind, 2 }, { NULL, NULL, 0 } };
static const struct schema s_custom_scope[] = {
	{ "filter", NULL, 0 }, { "list", NULL, 0 }, { "record", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_custom_field[] = {
	{ "name", NULL, 0 }, { "type", NULL, 0 }, { "values", NULL, 0 }, { "required", NULL, 0 }, { "list", NULL, 0 },
	{ "help", NULL, 0 }, { "scope", s_custom_scope, 0 }, { "section", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_custom[] = { { "*", s_custom_field, 1 }, { NULL, NULL, 0 } };
static const struct schema s_target[] = { { "response", NULL, 0 }, { "resolution", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_targets[] = { { "*", s_target, 0 }, { NULL, NULL, 0 } };
static const struct schema s_sla[] = { { "paused", NULL, 0 }, { "targets", s_targets, 0 }, { NULL, NULL, 0 } };
static const struct schema s_tickets[] = { { "default_priority", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_alerts[] = { { "to", NULL, 0 }, { "role", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_notify[] = {
	{ "command", NULL, 0 }, { "from", NULL, 0 }, { "retry", NULL, 0 }, { "retry_max", NULL, 0 }, { "lease", NULL, 0 },
	{ NULL, NULL, 0 },
};
/* Task processes and contact forms (crm/process.h): crm_process_config_check checks the values. */
static const struct schema s_step[] = {
	{ "title", NULL, 0 }, { "offset", NULL, 0 }, { "assignee", NULL, 0 }, { "role", NULL, 0 }, { "approval", NULL, 0 },
	{ "type", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_processes[] = { { "*", s_step, 0 }, { NULL, NULL, 0 } };
static const struct schema s_form_follow_up[] = {
	{ "title", NULL, 0 }, { "offset", NULL, 0 }, { "assignee", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_form[] = {
	{ "fields", NULL, 0 }, { "follow_up", s_form_follow_up, 0 }, { "process", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_forms[] = { { "*", s_form, 0 }, { NULL, NULL, 0 } };
/* Project templates (crm/plan.h): crm_plan_config_check checks the values. */
static const struct schema s_plan_task[] = {
	{ "key", NULL, 0 }, { "title", NULL, 0 }, { "offset", NULL, 0 }, { "assignee", NULL, 0 }, { "role", NULL, 0 },
	{ "approval", NULL, 0 }, { "type", NULL, 0 }, { "priority", NULL, 0 }, { "after", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_plan_deliverable[] = {
	{ "key", NULL, 0 }, { "name", NULL, 0 }, { "offset", NULL, 0 }, { "owner", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_plan_milestone[] = {
	{ "name", NULL, 0 }, { "offset", NULL, 0 }, { "after", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_plan_alert[] = {
	{ "when", NULL, 0 }, { "item", NULL, 0 }, { "after", NULL, 0 }, { "notify", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_project_template[] = {
	{ "description", NULL, 0 }, { "tasks", s_plan_task, 0 }, { "deliverables", s_plan_deliverable, 0 },
	{ "milestones", s_plan_milestone, 0 }, { "alerts", s_plan_alert, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_project_templates[] = { { "*", s_project_template, 0 }, { NULL, NULL, 0 } };
static const struct schema s_rating[] = { { "refuse", NULL, 0 }, { "deposit", NULL, 0 }, { "payment", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_ratings[] = { { "*", s_rating, 0 }, { NULL, NULL, 0 } };
static const struct schema s_over_limit[] = { { "contract", NULL, 0 }, { "offer", NULL, 0 }, { "ticket", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_credit[] = {
	{ "ratings", s_ratings, 0 }, { "over_limit", s_over_limit, 0 }, { "overdue_days", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_cv_weights[] = {
	{ "revenue_12m", NULL, 0 }, { "margin", NULL, 0 }, { "pipeline", NULL, 0 }, { "overdue", NULL, 0 },
	{ "tickets", NULL, 0 }, { "activities", NULL, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_cv_segments[] = { { "a", NULL, 0 }, { "b", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_client_value[] = { { "weights", s_cv_weights, 0 }, { "segments", s_cv_segments, 0 }, { NULL, NULL, 0 } };
/* Offers (crm/offer.h): a template's sections and lines are checked by the engine when used. */
static const struct schema s_offer_template[] = { { "sections", NULL, 0 }, { "lines", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_offer_templates[] = { { "*", s_offer_template, 0 }, { NULL, NULL, 0 } };
static const struct schema s_offers[] = {
	{ "number_format", NULL, 0 }, { "templates", s_offer_templates, 0 }, { NULL, NULL, 0 },
};
static const struct schema s_duplicates[] = { { "contact", NULL, 0 }, { "account", NULL, 0 }, { NULL, NULL, 0 } };
static const struct schema s_root[] = {
	{ "database", NULL, 0 }, { "user", NULL, 0 }, { "busy_timeout", NULL, 0 }, { "picklists", NULL, 0 },
	{ "roles", NULL, 0 }, { "tickets", s_tickets, 0 }, { "workflow", s_workflow, 0 }, { "sla", s_sla, 0 },
	{ "alerts", s_alerts, 0 }, { "notify", s_notify, 0 }, { "custom_fields", s_custom, 0 },
	{ "import_profiles", NULL, 0 }, { "currency", NULL, 0 }, { "processes", s_processes, 0 }, { "forms", s_forms, 0 },
	{ "credit", s_credit, 0 }, { "client_value", s_client_value, 0 },
	{ "offers", s_offers, 0 }, { "duplicates", s_duplicates, 0 },
	{ "project_templates", s_project_templates, 0 },
	{ NULL, NULL, 0 },
};

/* Settings that went away, and how to write what they said now. */
static const struct {
	const char *path, *advice;
} gone[] = {
	{ "flows", "'flows' is gone: status flows are workflows now. Rewrite flows.<kind> as "
	  "workflow.<kind>: statuses (the values of the old steps), initial (the old start), and "
	  "transitions, one {from: <status>, to: <status>} for each move the old steps allowed, with "
	  "permission: <perm> on those into a status the old permissions named; 'field' goes (the "
	  "kind knows its status field). See crm-config(5) and crm workflow graph contract" },
	{ "picklists.contract_status", "the statuses of contracts are workflow.contract.statuses now "
	  "(see crm-config(5))" },
	{ "picklists.project_status", "the statuses of projects are workflow.project.statuses now "
	  "(see crm-config(5))" },
};

/* Where the key of map item v is written (the value's place when the key's is not known). */
static int key_where(const struct crm_conf_node *v, int *line, int *column)
{
	*line = v->key_line ? v->key_line : v->line;
	*column = v->key_line ? v->key_column : v->column;
	return *line;
}

static int unknown_key(const struct crm_conf_node *n, const char *path, const char *key,
		       const struct schema *known, struct crm_err *err)
{
	const char *names[128];
	size_t nnames = 0;
	for (const struct schema *e = known; e->key && nnames < 128; e++)
		if (strcmp(e->key, "*") != 0)
			names[nnames++] = e->key;
	const char *near = crm_near(key, names, nnames);
	char hint[128] = "";
	if (near)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
	int line, column;
	key_where(n, &line, &column);
	return crm_error(err, CRM_ECONFIG, "%s:%d:%d: unknown setting '%s%s%s'%s (see crm-config(5))", n->source,
			 line, column, path, *path ? "." : "", key, hint);
}

/* Is there a kind of record called name, spelt exactly (with a status, for want 2)? */
static int kind_with(const char *name, int want)
{
	const struct crm_kind *k = crm_kind_find(name);
	if (k && strcmp(k->name, name) != 0)
		return 0;
	for (int i = 0; k && want == 2 && i < k->nfields; i++)
		if (k->fields[i].flags & CRM_FF_WORKFLOW)
			return 1;
	return k && want == 1;
}

static int check_node(const struct crm_conf_node *n, const char *path, const struct schema *known,
		      struct crm_err *err)
{
	if (!known || n->type == CRM_CONF_SCALAR)
		return CRM_OK;
	if (n->type == CRM_CONF_SEQ) {
		for (size_t i = 0; i < n->count; i++) {
			int rc = check_node(n->items[i], path, known, err);
			if (rc)
				return rc;
		}
		return CRM_OK;
	}
	for (size_t i = 0; i < n->count; i++) {
		const char *key = n->keys[i];
		const struct crm_conf_node *v = n->items[i];
		char sub[512];
		snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
		const struct schema *e = known;
		while (e->key && strcmp(e->key, key) != 0 && strcmp(e->key, "*") != 0)
			e++;
		if (!e->key) {
			if (!v->line) /* set by the environment or a flag, not written in a file */
				continue;
			return unknown_key(v, path, key, known, err);
		}
		int line, column;
		if (e->kinds && key_where(v, &line, &column) && !kind_with(key, e->kinds)) {
			/* "Ticket" is read nowhere: the keys are the kinds' own lower-case names */
			const struct crm_kind *near = crm_kind_find(key);
			char hint[96] = "";
			if (near && kind_with(near->name, e->kinds))
				snprintf(hint, sizeof hint, "; did you mean '%s'?", near->name);
			return crm_error(err, CRM_ECONFIG, "%s:%d:%d: unknown setting '%s': there is no kind of record "
					 "'%s'%s%s (see crm-config(5))", v->source, line, column, sub, key,
					 e->kinds == 2 ? " with a status" : "", hint);
		}
		int rc = check_node(v, sub, e->sub, err);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

int crm_config_key_check(const char *key, struct crm_err *err)
{
	if (!*key || key[0] == '.' || key[strlen(key) - 1] == '.' || strstr(key, ".."))
		return crm_error(err, CRM_EUSAGE, "'%s' is not a key: names joined by dots (tickets.default_priority)", key);
	for (size_t g = 0; g < sizeof gone / sizeof *gone; g++) {
		size_t n = strlen(gone[g].path);
		if (strncmp(key, gone[g].path, n) == 0 && (key[n] == '\0' || key[n] == '.'))
			return crm_error(err, CRM_EUSAGE, "%s", gone[g].advice);
	}
	const struct schema *level = s_root;
	char *copy = xstrdup(key), *save = NULL;
	int rc = CRM_OK;
	int names = 0; /* words the user's own names may take below a setting (picklists.industry) */
	for (char *w = strtok_r(copy, ".", &save); w && !rc; w = strtok_r(NULL, ".", &save)) {
		int known = (int)(w - copy); /* key[0..known) are the words found so far, for the hint */
		if (!level) {
			if (names-- > 0)
				continue;
			rc = crm_error(err, CRM_EUSAGE, "unknown setting '%s': '%.*s' holds a value, not settings of "
				       "its own (see crm-config(5))", key, known - 1, key);
			break;
		}
		const struct schema *e = level, *any = NULL;
		while (e->key && strcmp(e->key, w) != 0) {
			if (strcmp(e->key, "*") == 0)
				any = e;
			e++;
		}
		const char *near = NULL;
		if (!e->key && any) {
			e = any;
			if (!any->kinds || kind_with(w, any->kinds)) {
				level = e->sub;
				continue;
			}
			const char *names[64];
			size_t nnames = 0;
			for (int i = 0; crm_kinds[i] && nnames < 64; i++)
				if (kind_with(crm_kinds[i]->name, any->kinds))
					names[nnames++] = crm_kinds[i]->name;
			near = crm_near(w, names, nnames);
			rc = crm_error(err, CRM_EUSAGE, "unknown setting '%s': there is no kind of record '%s'%s%s%.*s%s%s%s "
				       "(see crm-config(5))", key, w, any->kinds == 2 ? " with a status" : "",
				       near ? "; did you mean '" : "", near ? known : 0, key, near ? near : "",
				       near ? key + known + strlen(w) : "", near ? "'?" : "");
		} else if (!e->key) {
			const char *names[128];
			size_t nnames = 0;
			for (const struct schema *x = level; x->key && nnames < 128; x++)
				if (strcmp(x->key, "*") != 0)
					names[nnames++] = x->key;
			near = crm_near(w, names, nnames);
			rc = crm_error(err, CRM_EUSAGE, "unknown setting '%s'%s%.*s%s%s%s (see crm-config(5))", key,
				       near ? "; did you mean '" : "", near ? known : 0, key, near ? near : "",
				       near ? key + known + strlen(w) : "", near ? "'?" : "");
		} else {
			level = e->sub;
			/* maps of names the user chooses: a pick-list's or role's name, a profile's name
			 * and its column headers */
			names = level || known ? 0 : !strcmp(e->key, "picklists") || !strcmp(e->key, "roles") ? 1 :
				!strcmp(e->key, "import_profiles") ? 2 : 0;
		}
	}
	free(copy);
	return rc;
}

/* The keys under one level of the schema, at path (a buffer of PATH_MAX bytes, "" at the top). */
static void known_keys(const struct crm_config *cfg, const struct schema *level, char *path,
		       void (*fn)(const char *key, void *ctx), void *ctx)
{
	size_t len = strlen(path);
	for (const struct schema *e = level; e->key; e++) {
		const char *names[64];
		size_t n = 0;
		if (strcmp(e->key, "*") != 0) {
			names[n++] = e->key;
		} else if (e->kinds) { /* every kind of record such a setting may name */
			for (int i = 0; crm_kinds[i] && n < 64; i++)
				if (kind_with(crm_kinds[i]->name, e->kinds))
					names[n++] = crm_kinds[i]->name;
		} else { /* whatever the configuration has there: an SLA's priorities */
			const struct crm_conf_node *at = len ? crm_config_node(cfg, path) : NULL;
			for (size_t i = 0; at && crm_conf_type(at) == CRM_CONF_MAP && i < crm_conf_count(at) && n < 64; i++)
				names[n++] = crm_conf_key(at, i);
		}
		for (size_t i = 0; i < n; i++) {
			if (len + 1 + strlen(names[i]) >= 256)
				continue;
			snprintf(path + len, 256 - len, "%s%s", len ? "." : "", names[i]);
			fn(path, ctx);
			const struct crm_conf_node *at = crm_config_node(cfg, path);
			if (at && crm_conf_type(at) == CRM_CONF_SEQ) {
				/* a list (transitions, custom fields) is set whole: nothing to name under it */
			} else if (e->sub) {
				known_keys(cfg, e->sub, path, fn, ctx);
			} else if (at && crm_conf_type(at) == CRM_CONF_MAP) { /* a pick-list's name, a profile's */
				size_t here = strlen(path);
				for (size_t j = 0; j < crm_conf_count(at); j++)
					if (here + 1 + strlen(crm_conf_key(at, j)) < 256) {
						snprintf(path + here, 256 - here, ".%s", crm_conf_key(at, j));
						fn(path, ctx);
					}
			}
			path[len] = '\0';
		}
	}
}

void crm_config_keys(const struct crm_config *cfg, void (*fn)(const char *key, void *ctx), void *ctx)
{
	char path[256] = "";
	known_keys(cfg, s_root, path, fn, ctx);
}

int crm_config_check(const struct crm_config *cfg, struct crm_err *err)
{
	for (size_t g = 0; g < sizeof gone / sizeof *gone; g++) {
		const struct crm_conf_node *v = crm_config_node(cfg, gone[g].path);
		int line, column;
		if (v && key_where(v, &line, &column))
			return crm_error(err, CRM_ECONFIG, "%s:%d:%d: %s", v->source, line, column, gone[g].advice);
	}
	int rc = check_node(cfg->root, "", s_root, err);
	if (!rc)
		rc = crm_process_config_check(cfg, err);
	return rc ? rc : crm_plan_config_check(cfg, err);
}

void crm_config_free(struct crm_config *cfg)
{
	if (!cfg)
		return;
	node_free(cfg->root);
	free(cfg);
}

/* ---- setting and looking up ---- */

/* Puts leaf (a new node, taken over) at the dotted path, creating intermediate maps. */
static void set_node(struct crm_config *cfg, const char *path, struct crm_conf_node *leaf, const char *source)
{
	struct crm_conf_node *n;
	const char *p;

	/* Reject "a..b", ".a", "a." before changing anything. */
	if (!cfg || !*path || path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, "..")) {
		node_free(leaf);
		return;
	}
	n = cfg->root;
	for (p = path;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		long at = map_find(n, p, len);
		struct crm_conf_node *child;

		if (!dot) {
			child = leaf;
		} else if (at >= 0 && n->items[at]->type == CRM_CONF_MAP) {
			n = n->items[at];
			p = dot + 1;
			continue;
		} else {
			child = node_new(CRM_CONF_MAP, source, 0, 0);
		}
		if (at >= 0) {
			node_free(n->items[at]);
			n->items[at] = child;
		} else {
			node_append(n, xstrndup(p, len), child);
		}
		if (!dot)
			return;
		n = child;
		p = dot + 1;
	}
}

void crm_config_set(struct crm_config *cfg, const char *path, const char *value, const char *source)
{
	if (!cfg || !path || !value)
		return;
	struct crm_conf_node *leaf = node_new(CRM_CONF_SCALAR, source, 0, 0);
	leaf->scalar = xstrdup(value);
	set_node(cfg, path, leaf, source);
}

void crm_config_set_list(struct crm_config *cfg, const char *path, const char *const *values, size_t n,
			 const char *source)
{
	if (!cfg || !path)
		return;
	struct crm_conf_node *leaf = node_new(CRM_CONF_SEQ, source, 0, 0);
	for (size_t i = 0; i < n; i++) {
		struct crm_conf_node *item = node_new(CRM_CONF_SCALAR, source, 0, 0);
		item->scalar = xstrdup(values[i]);
		node_append(leaf, NULL, item);
	}
	set_node(cfg, path, leaf, source);
}

/* The item of n named by the path component p[0..len): a map key, or a sequence index (the
 * "key.0" paths that crm_config_walk produces). */
static const struct crm_conf_node *step(const struct crm_conf_node *n, const char *p, size_t len)
{
	if (n->type == CRM_CONF_MAP) {
		long at = map_find(n, p, len);
		return at < 0 ? NULL : n->items[at];
	}
	if (n->type == CRM_CONF_SEQ && len > 0 && len < 10) {
		size_t i = 0;
		for (size_t k = 0; k < len; k++) {
			if (p[k] < '0' || p[k] > '9')
				return NULL;
			i = i * 10 + (size_t)(p[k] - '0');
		}
		return i < n->count ? n->items[i] : NULL;
	}
	return NULL;
}

const struct crm_conf_node *crm_config_node(const struct crm_config *cfg, const char *path)
{
	const struct crm_conf_node *n;

	if (!cfg)
		return NULL;
	n = cfg->root;
	if (!path || !*path)
		return n;
	for (const char *p = path; n;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		n = step(n, p, len);
		if (!dot)
			return n;
		p = dot + 1;
	}
	return NULL;
}

const char *crm_config_get(const struct crm_config *cfg, const char *path)
{
	return crm_conf_scalar(crm_config_node(cfg, path));
}

/* ---- node accessors: all accept NULL so lookups can be chained without checks ---- */

enum crm_conf_type crm_conf_type(const struct crm_conf_node *n)
{
	return n ? n->type : CRM_CONF_SCALAR;
}

const char *crm_conf_scalar(const struct crm_conf_node *n)
{
	return n && n->type == CRM_CONF_SCALAR ? n->scalar : NULL;
}

size_t crm_conf_count(const struct crm_conf_node *n)
{
	return n && n->type != CRM_CONF_SCALAR ? n->count : 0;
}

const struct crm_conf_node *crm_conf_child(const struct crm_conf_node *n, size_t i)
{
	return n && n->type != CRM_CONF_SCALAR && i < n->count ? n->items[i] : NULL;
}

const char *crm_conf_key(const struct crm_conf_node *n, size_t i)
{
	return n && n->type == CRM_CONF_MAP && i < n->count ? n->keys[i] : NULL;
}

const struct crm_conf_node *crm_conf_get(const struct crm_conf_node *n, const char *key)
{
	long at;
	if (!n || !key)
		return NULL;
	at = map_find(n, key, strlen(key));
	return at < 0 ? NULL : n->items[at];
}

const char *crm_conf_source(const struct crm_conf_node *n)
{
	return n ? n->source : NULL;
}

int crm_conf_line(const struct crm_conf_node *n)
{
	return n ? n->line : 0;
}

int crm_conf_column(const struct crm_conf_node *n)
{
	return n ? n->column : 0;
}

/* ---- walking ---- */

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void sb_cut(struct strbuf *b, size_t len)
{
	b->len = len;
	b->s[len] = '\0';
}

typedef void (*walk_fn)(const char *path, const char *value, const char *source, void *ctx);

static void walk_node(const struct crm_conf_node *n, struct strbuf *path, walk_fn fn, void *ctx);

/* Walks the items of a map or sequence, extending path by each key or index. */
static void walk_items(const struct crm_conf_node *n, struct strbuf *path, walk_fn fn, void *ctx)
{
	size_t keep = path->len;
	for (size_t i = 0; i < n->count; i++) {
		char idx[24];
		if (keep)
			sb_add(path, ".");
		if (n->type == CRM_CONF_MAP) {
			sb_add(path, n->keys[i]);
		} else {
			snprintf(idx, sizeof idx, "%zu", i);
			sb_add(path, idx);
		}
		walk_node(n->items[i], path, fn, ctx);
		sb_cut(path, keep);
	}
}

static void walk_node(const struct crm_conf_node *n, struct strbuf *path, walk_fn fn, void *ctx)
{
	int flat = 1;

	switch (n->type) {
	case CRM_CONF_SCALAR:
		fn(path->s, n->scalar, n->source, ctx);
		return;
	case CRM_CONF_MAP:
		if (n->count == 0)
			fn(path->s, "{}", n->source, ctx);
		else
			walk_items(n, path, fn, ctx);
		return;
	case CRM_CONF_SEQ:
		for (size_t i = 0; i < n->count; i++)
			if (n->items[i]->type != CRM_CONF_SCALAR)
				flat = 0;
		if (flat) {
			/* A list of scalars is one setting: show it as one line. */
			struct strbuf v = { 0 };
			sb_add(&v, "[");
			for (size_t i = 0; i < n->count; i++) {
				if (i)
					sb_add(&v, ", ");
				sb_add(&v, n->items[i]->scalar);
			}
			sb_add(&v, "]");
			fn(path->s, v.s, n->source, ctx);
			free(v.s);
		} else {
			walk_items(n, path, fn, ctx);
		}
		return;
	}
}

void crm_config_walk(const struct crm_config *cfg,
		     void (*fn)(const char *path, const char *value, const char *source, void *ctx),
		     void *ctx)
{
	struct strbuf path = { 0 };

	if (!cfg || !fn || !cfg->root)
		return;
	sb_add(&path, ""); /* so path.s is a valid empty string for top-level keys */
	walk_items(cfg->root, &path, fn, ctx);
	free(path.s);
}
