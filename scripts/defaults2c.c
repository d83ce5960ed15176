/* defaults2c: turns core/defaults.yaml into C, a table of nodes (core/config_builtin.h), when
 * crm is built. Every command used to start by parsing those 300 lines with libyaml: a third of
 * the instructions of a short command such as `crm search` or `crm contact show`. The rules are
 * those core/config.c applies to any file (a mapping at the top, keys that are non-empty
 * scalars without '.', no key twice, one document); a default that breaks one fails the build.
 *   defaults2c core/defaults.yaml > build/.../gen/defaults.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static const char *path;
static yaml_document_t doc;
static size_t emitted;

static void fail(const yaml_mark_t *at, const char *what, const char *key)
{
	fprintf(stderr, "%s:%d:%d: %s%s%s\n", path, (int)at->line + 1, (int)at->column + 1, what,
		key ? " " : "", key ? key : "");
	exit(1);
}

/* A C string literal: printable ASCII as itself, the rest (and ", \ and ?) as octal escapes. */
static void literal(const unsigned char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\' && s[i] != '?')
			putchar(s[i]);
		else
			printf("\\%03o", s[i]);
	}
	putchar('"');
}

/* One node, then its children: the order core/config.c reads them back in. */
static void emit(yaml_node_t *n, const yaml_node_t *key, int depth)
{
	size_t count = 0;

	if (depth > 64)
		fail(&n->start_mark, "nesting is too deep (recursive alias?)", NULL);
	if (n->type == YAML_SEQUENCE_NODE)
		count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	else if (n->type == YAML_MAPPING_NODE)
		count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	else if (n->type != YAML_SCALAR_NODE)
		fail(&n->start_mark, "unexpected YAML node", NULL);
	printf("\t{ %s, %zu, %d, %d, %d, %d, ",
	       n->type == YAML_SCALAR_NODE ? "CRM_CONF_SCALAR"
	       : n->type == YAML_SEQUENCE_NODE ? "CRM_CONF_SEQ" : "CRM_CONF_MAP",
	       count, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
	       key ? (int)key->start_mark.line + 1 : 0, key ? (int)key->start_mark.column + 1 : 0);
	if (key)
		literal(key->data.scalar.value, key->data.scalar.length);
	else
		fputs("NULL", stdout);
	fputs(", ", stdout);
	if (n->type == YAML_SCALAR_NODE) {
		if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
			fail(&n->start_mark, "a value must not hold a NUL character", NULL);
		literal(n->data.scalar.value, n->data.scalar.length);
	} else {
		fputs("NULL", stdout);
	}
	fputs(" },\n", stdout);
	emitted++;

	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			emit(yaml_document_get_node(&doc, *it), NULL, depth + 1);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			const char *name = (const char *)k->data.scalar.value;
			if (k->type != YAML_SCALAR_NODE)
				fail(&k->start_mark, "a key must be a scalar", NULL);
			if (k->data.scalar.length == 0 || strlen(name) != k->data.scalar.length)
				fail(&k->start_mark, "a key must not be empty", NULL);
			if (strchr(name, '.'))
				fail(&k->start_mark, "a key must not contain '.':", name);
			for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++)
				if (!strcmp((const char *)yaml_document_get_node(&doc, q->key)->data.scalar.value, name))
					fail(&k->start_mark, "duplicate key", name);
			emit(yaml_document_get_node(&doc, p->value), k, depth + 1);
		}
	}
}

int main(int argc, char **argv)
{
	yaml_parser_t parser;
	yaml_document_t more;
	yaml_node_t *root;
	FILE *in;

	if (argc != 2) {
		fputs("usage: defaults2c core/defaults.yaml\n", stderr);
		return 2;
	}
	path = argv[1];
	if (!(in = fopen(path, "rb"))) {
		perror(path);
		return 1;
	}
	if (!yaml_parser_initialize(&parser))
		return 1;
	yaml_parser_set_input_file(&parser, in);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, (int)parser.problem_mark.line + 1,
			(int)parser.problem_mark.column + 1, parser.problem ? parser.problem : "invalid YAML");
		return 1;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		fprintf(stderr, "%s: the defaults must be a mapping\n", path);
		return 1;
	}
	if (!yaml_parser_load(&parser, &more) || yaml_document_get_root_node(&more)) {
		fprintf(stderr, "%s: only one YAML document is allowed\n", path);
		return 1;
	}
	yaml_document_delete(&more);

	printf("/* Generated from %s by scripts/defaults2c.c: do not edit. */\n", path);
	puts("#include \"config_builtin.h\"\n");
	puts("const struct crm_builtin_node crm_builtin_config[] = {");
	emit(root, NULL, 0);
	puts("};");
	printf("const size_t crm_builtin_config_count = %zu;\n", emitted);

	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(in);
	return 0;
}
