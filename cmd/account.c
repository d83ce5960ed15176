/* crm account: the generic verbs (show's sections are data in core/show.c), plus the hierarchy (tree). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd.h"
#include "crm/record.h"

/* Run fn over each row of a query on kind with the given filter terms and fields. */
static int each_row(struct cli *cli, const char *kind, const char *const *terms, int nterms,
		    const char *const *fields, int nfields,
		    int (*fn)(struct cli *, const struct crm_value *, const char *const *, int, void *), void *ctx)
{
	struct crm_query q = { .kind = crm_kind_find(kind), .terms = terms, .nterms = nterms,
			       .fields = fields, .nfields = nfields };
	struct crm_cursor *c;
	struct crm_err err = { 0 };
	if (crm_query_open(cli->crm, &q, &c, &err))
		return cli_fail(&err);
	const struct crm_value *cells;
	int rc;
	while ((rc = crm_cursor_next(c, &cells, &err)) == 1)
		if ((rc = fn(cli, cells, crm_cursor_names(c), crm_cursor_ncols(c), ctx)))
			break;
	crm_cursor_close(c);
	return rc < 0 ? cli_fail(&err) : rc;
}

/* ---------------------------------------------------------------- tree */

struct node {
	long long id, parent;
	char *name, *group;
	char *extra[4]; /* country, line_of_business, lifecycle_stage, the --by field's value */
	int nchildren, cap;
	struct node **children;
	int is_root;
	int outside; /* not under the account asked for */
};

struct forest {
	struct node *nodes;
	int n, cap;
};

static const char *tree_fields[] = { "id", "parent_id", "name", "country", "line_of_business", "lifecycle_stage", NULL };

static int collect(struct cli *cli, const struct crm_value *cells, const char *const *names, int n, void *ctx)
{
	(void)cli;
	(void)names;
	struct forest *f = ctx;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->nodes = realloc(f->nodes, (size_t)f->cap * sizeof *f->nodes);
	}
	struct node *nd = &f->nodes[f->n++];
	memset(nd, 0, sizeof *nd);
	nd->id = atoll(cells[0].text);
	nd->parent = cells[1].text ? atoll(cells[1].text) : 0;
	nd->name = strdup(cells[2].text ? cells[2].text : "");
	for (int i = 0; i < 3 + (n > 6); i++)
		nd->extra[i] = cells[3 + i].text ? strdup(cells[3 + i].text) : NULL;
	return 0;
}

static struct node *by_id(struct forest *f, long long id)
{
	for (int i = 0; i < f->n; i++)
		if (f->nodes[i].id == id)
			return &f->nodes[i];
	return NULL;
}

static void add_child(struct node *p, struct node *c)
{
	if (p->nchildren == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->children = realloc(p->children, (size_t)p->cap * sizeof *p->children);
	}
	p->children[p->nchildren++] = c;
}

/* How the tree is written: a drawing for people, nested maps for json/yaml, or one row per
 * account with its depth for csv/tsv/xlsx files. */
enum tree_mode { TREE_TEXT, TREE_NESTED, TREE_ROWS };

struct tree_out {
	enum tree_mode mode;
	struct crm_printer *p;
	const char *group; /* the --by value of the group being written, for rows */
};

static void emit_text(struct node *nd, const char *prefix, int last, int top)
{
	char *name = crm_printer_clean(nd->name);
	printf("%s%s%s (%lld)", prefix, top ? "" : (last ? "`-- " : "|-- "), name, nd->id);
	free(name);
	for (int i = 0; i < 3; i++)
		if (nd->extra[i] && i != 1) {
			char *x = crm_printer_clean(nd->extra[i]);
			printf("  %s", x);
			free(x);
		}
	putchar('\n');
	char next[512];
	snprintf(next, sizeof next, "%s%s", prefix, top ? "" : (last ? "    " : "|   "));
	for (int i = 0; i < nd->nchildren; i++)
		emit_text(nd->children[i], next, i == nd->nchildren - 1, 0);
}

static void emit_nested(struct crm_printer *p, struct node *nd)
{
	char id[32];
	snprintf(id, sizeof id, "%lld", nd->id);
	struct crm_value v = { CRM_V_INT, id };
	crm_printer_begin_map(p);
	crm_printer_key(p, "id");
	crm_printer_value(p, &v);
	crm_printer_key(p, "name");
	crm_printer_text(p, nd->name);
	for (int i = 0; i < 3; i++) {
		crm_printer_key(p, tree_fields[3 + i]);
		crm_printer_text(p, nd->extra[i]);
	}
	crm_printer_key(p, "subsidiaries");
	crm_printer_begin_list(p);
	for (int i = 0; i < nd->nchildren; i++)
		emit_nested(p, nd->children[i]);
	crm_printer_end(p);
	crm_printer_end(p);
}

static void emit_rows(struct tree_out *o, struct node *nd, int depth)
{
	char level[16], id[32], parent[32];
	snprintf(level, sizeof level, "%d", depth);
	snprintf(id, sizeof id, "%lld", nd->id);
	snprintf(parent, sizeof parent, "%lld", nd->parent);
	struct crm_value cells[8] = {
		{ o->group ? CRM_V_TEXT : CRM_V_NULL, o->group }, { CRM_V_INT, level }, { CRM_V_INT, id },
		{ CRM_V_TEXT, nd->name }, { nd->parent ? CRM_V_INT : CRM_V_NULL, nd->parent ? parent : NULL },
	};
	for (int i = 0; i < 3; i++)
		cells[5 + i] = (struct crm_value){ nd->extra[i] ? CRM_V_TEXT : CRM_V_NULL, nd->extra[i] };
	crm_printer_row(o->p, cells);
	for (int i = 0; i < nd->nchildren; i++)
		emit_rows(o, nd->children[i], depth + 1);
}

static void emit_tree(struct tree_out *o, struct node *nd, const char *indent)
{
	if (o->mode == TREE_NESTED)
		emit_nested(o->p, nd);
	else if (o->mode == TREE_ROWS)
		emit_rows(o, nd, 0);
	else
		emit_text(nd, indent, 1, 1);
}

static int account_tree(struct cli *cli, int argc, char **argv)
{
	const char *by = cli_get(cli, "by"), *root = argc > 1 ? argv[1] : NULL;
	int rc = 0;
	if (argc > 2)
		return cli_usage(cli);
	/* --by any field of accounts (a custom field, attr.<key>): its value, as list prints it,
	 * groups the trees; a dash is an underscore */
	int group = -1; /* index into extra[] */
	char *by_field = NULL;
	if (by) {
		by_field = strdup(by);
		/* a dash is an underscore in a field's name, not in an attribute's key */
		for (char *c = by_field; strncmp(by_field, "attr.", 5) != 0 && *c; c++)
			if (*c == '-')
				*c = '_';
		tree_fields[6] = by_field;
		group = 3;
	}
	long long root_id = 0;
	if (root) {
		struct crm_err err = { 0 };
		if (crm_record_resolve(cli->crm, cli_kind(cli), root, &root_id, &err)) {
			free(by_field);
			tree_fields[6] = NULL;
			return cli_fail(&err);
		}
	}
	struct forest f = { 0 };
	if ((rc = each_row(cli, "account", NULL, 0, tree_fields, by_field ? 7 : 6, collect, &f)))
		goto out;
	/* With an account named, only it and the accounts under it, however they are grouped. */
	for (int i = 0; root_id && i < f.n; i++) {
		struct node *nd = &f.nodes[i];
		int steps = 0;
		while (nd && nd->id != root_id && steps++ < f.n)
			nd = nd->parent ? by_id(&f, nd->parent) : NULL;
		f.nodes[i].outside = !nd || nd->id != root_id;
	}
	/* Within a group, an account whose parent is elsewhere starts its own tree there. */
	for (int i = 0; i < f.n; i++) {
		struct node *nd = &f.nodes[i], *p = nd->parent ? by_id(&f, nd->parent) : NULL;
		if (nd->outside)
			continue;
		if (p && p->outside)
			p = NULL;
		int same_group = p && (group < 0 || (p->extra[group] && nd->extra[group] &&
						      strcasecmp(p->extra[group], nd->extra[group]) == 0) ||
				       (!p->extra[group] && !nd->extra[group]));
		if (p && same_group)
			add_child(p, nd);
		else
			nd->is_root = 1;
	}
	/* A file or an explicit tabular format gets rows; otherwise the drawing (or nesting). */
	struct tree_out o = { TREE_TEXT, NULL, NULL };
	enum crm_format fmt = cli_format(cli);
	if (cli_structured(cli))
		o.mode = TREE_NESTED;
	else if (cli->output || (cli->format >= 0 && fmt != CRM_FMT_TABLE))
		o.mode = TREE_ROWS;
	if (o.mode != TREE_TEXT && !(o.p = cli_printer(cli, NULL, &rc)))
		goto out;
	if (o.mode == TREE_ROWS) {
		static const char *const cols[] = { "group", "level", "id", "name", "parent_id", "country",
						    "line_of_business", "lifecycle_stage" };
		crm_printer_columns(o.p, cols, 8);
	} else if (o.mode == TREE_NESTED) {
		crm_printer_begin_list(o.p);
	}
	if (root_id && group < 0) {
		emit_tree(&o, by_id(&f, root_id), "");
	} else if (group < 0) {
		for (int i = 0; i < f.n; i++)
			if (f.nodes[i].is_root)
				emit_tree(&o, &f.nodes[i], "");
	} else {
		/* Groups in order of their value, "(none)" last; nodes are already sorted by name. */
		int *done = calloc((size_t)f.n + 1, sizeof *done);
		for (;;) {
			const char *next = NULL;
			int found = 0;
			for (int i = 0; i < f.n; i++) {
				if (done[i] || !f.nodes[i].is_root)
					continue;
				const char *g = f.nodes[i].extra[group];
				if (g && (!next || strcasecmp(g, next) < 0))
					next = g;
				found = 1;
			}
			if (!found)
				break;
			o.group = next;
			if (o.mode == TREE_NESTED) {
				crm_printer_begin_map(o.p);
				crm_printer_key(o.p, by_field);
				crm_printer_text(o.p, next);
				crm_printer_key(o.p, "accounts");
				crm_printer_begin_list(o.p);
			} else if (o.mode == TREE_TEXT) {
				char *g = crm_printer_clean(next ? next : "(none)");
				printf("%s\n", g);
				free(g);
			}
			for (int i = 0; i < f.n; i++) {
				const char *g = f.nodes[i].extra[group];
				if (done[i] || !f.nodes[i].is_root || (next ? !g || strcasecmp(g, next) : g != NULL))
					continue;
				done[i] = 1;
				emit_tree(&o, &f.nodes[i], "  ");
			}
			if (o.mode == TREE_NESTED) {
				crm_printer_end(o.p);
				crm_printer_end(o.p);
			}
		}
		free(done);
	}
	if (o.p) {
		if (o.mode == TREE_NESTED)
			crm_printer_end(o.p);
		rc = cli_printer_finish(cli, o.p);
	}
out:
	for (int i = 0; i < f.n; i++) {
		free(f.nodes[i].name);
		for (int j = 0; j < 4; j++)
			free(f.nodes[i].extra[j]);
		free(f.nodes[i].children);
	}
	free(f.nodes);
	free(by_field);
	tree_fields[6] = NULL;
	return rc;
}

static const struct cmd_opt tree_opts[] = {
	{ "by", 0, OPT_VALUE, "field", "group the trees by this field: country, line-of-business, lifecycle-stage, "
	  "any other (--fields help), a custom field or attr.<key>" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt show_opts[] = {
	{ "with-subsidiaries", 0, 0, NULL, "the whole group: what the account and every subsidiary under it has, "
	  "with totals" },
	{ NULL, 0, 0, NULL, NULL },
};

/* What is special to accounts; add, list, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_account_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an account with its locations, contacts and subsidiaries",
	  { show_opts }, NULL, NULL },
	{ "tree", NULL, account_tree, CMD_READ, "[<account>]", "show the parent/subsidiary hierarchy", { tree_opts }, NULL, NULL },
	{ "duplicates", NULL, rec_duplicates, CMD_READ, "",
	  "list likely duplicates: the same name, phone or web site (duplicates.account)", { rec_duplicates_opts }, NULL,
	  NULL },
	{ "merge", NULL, rec_merge, CMD_WRITE, "<keep> <other>",
	  "merge an account into another: its contacts, subsidiaries, tickets, documents and the rest move; undo with crm merge undo",
	  { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
