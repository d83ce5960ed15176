/* crm config set: one key of a configuration file changed through libyaml's loader and emitter.
 * libyaml keeps no comments, so a file that has them is rewritten only when the caller says so
 * (force); otherwise it is refused, saying why. The file is replaced whole, through a temporary
 * file renamed over it, keeping its mode (a new one is 0600 in a directory made 0700). */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include "crm/config.h"
#include "crm/crm.h"
#include "crm/env.h"
#include "util.h"

/* A '#' starting a comment in s[from, to), text outside any scalar: at a line's start or after
 * a blank. */
static int comment_between(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r'))
			return 1;
	return 0;
}

static int comment_guess(const char *s, size_t n);

/* Whether the YAML text has a comment, which libyaml's emitter would drop. libyaml's scanner
 * says where every scalar is (a '#' in a block scalar or a quoted one is text); a comment is a
 * '#' between them, or on a block scalar's indicator line ("key: |  # why"). A text the
 * scanner refuses is guessed at line by line. */
static int has_comment(const char *s, size_t n)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return comment_guess(s, n);
	yaml_parser_set_input_string(&p, (const unsigned char *)s, n);
	size_t at = 0;
	int found = 0;
	for (;;) {
		yaml_token_t t;
		if (!yaml_parser_scan(&p, &t)) {
			found = comment_guess(s, n);
			break;
		}
		int end = t.type == YAML_STREAM_END_TOKEN;
		size_t start = end ? n : t.start_mark.index;
		found = comment_between(s, at, start < n ? start : n);
		if (!found && t.type == YAML_SCALAR_TOKEN &&
		    (t.data.scalar.style == YAML_LITERAL_SCALAR_STYLE || t.data.scalar.style == YAML_FOLDED_SCALAR_STYLE)) {
			size_t eol = start;
			while (eol < n && s[eol] != '\n')
				eol++;
			found = comment_between(s, start, eol);
		}
		if (t.end_mark.index > at)
			at = t.end_mark.index;
		yaml_token_delete(&t);
		if (found || end)
			break;
	}
	yaml_parser_delete(&p);
	return found;
}

/* Whether the text has a comment: a '#' starting a line or after a blank, outside quotes. */
static int comment_guess(const char *s, size_t n)
{
	int sq = 0, dq = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			sq = dq = 0;
			continue;
		}
		if (c == '\'' && !dq)
			sq = !sq;
		else if (c == '"' && !sq && (i == 0 || s[i - 1] != '\\'))
			dq = !dq;
		else if (c == '#' && !sq && !dq && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n'))
			return 1;
	}
	return 0;
}

static int write_out(void *data, unsigned char *buffer, size_t size)
{
	sb_addn(data, (const char *)buffer, size);
	return 1;
}

/* mkdir -p of path's directory, 0700 for what is made. */
static int make_parent(const char *path)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				free(dir);
				return -1;
			}
			*p = '/';
		}
	free(dir);
	return 0;
}

/* The file a path names: a symbolic link's target (a dotfiles repository's copy is written, not
 * replaced by a file of our own), malloc'd. */
static char *link_target(const char *path)
{
	struct stat st;
	char *real;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)))
		return real;
	return xstrdup(path);
}

static int file_set(const char *path, const char *key, const char *value, int force, int *had_comments,
		    struct crm_err *err);

int crm_config_file_set(const char *path, const char *key, const char *value, int force, int *had_comments,
			struct crm_err *err)
{
	*had_comments = 0;
	int rc = crm_check_utf8("the key", key, err);
	if (rc || (rc = crm_check_utf8("the value", value, err)))
		return rc;
	char *target = link_target(path);
	rc = file_set(target, key, value, force, had_comments, err);
	free(target);
	return rc;
}

static int file_set(const char *path, const char *key, const char *value, int force, int *had_comments,
		    struct crm_err *err)
{
	struct stat st;
	mode_t mode = 0600;
	char *text = NULL;
	size_t len = 0;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return crm_error(err, CRM_EFAIL, "cannot set a key in '%s': not a regular file", path);
		mode = st.st_mode & 07777;
		FILE *f = fopen(path, "rb");
		if (!f)
			return crm_error(err, CRM_EFAIL, "cannot read '%s': %s", path, strerror(errno));
		struct strbuf b = { 0 };
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			sb_addn(&b, buf, n);
		fclose(f);
		len = b.len;
		text = b.s ? b.s : xstrdup("");
	} else if (errno != ENOENT) {
		return crm_error(err, CRM_EFAIL, "cannot read '%s': %s", path, strerror(errno));
	}
	if (text && has_comment(text, len)) {
		*had_comments = 1;
		if (!force) {
			free(text);
			return crm_error(err, CRM_EFAIL, "'%s' has comments, and crm writes YAML with libyaml, which "
					 "cannot keep them: edit the file by hand, or give --force to rewrite it without "
					 "them", path);
		}
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = crm_error(err, CRM_ECONFIG, "%s:%zu:%zu: %s", path, parser.problem_mark.line + 1,
				   parser.problem_mark.column + 1, parser.problem ? parser.problem : "not valid YAML");
		yaml_parser_delete(&parser);
		free(text);
		return rc;
	}
	yaml_parser_delete(&parser);
	free(text);
	int node = yaml_document_get_root_node(&doc) ? 1 : 0;
	if (!node)
		node = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
	int rc = CRM_OK;
	const char *p = key;
	while (!rc) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		yaml_node_t *m = yaml_document_get_node(&doc, node);
		if (!m || m->type != YAML_MAPPING_NODE) {
			if (p == key)
				rc = crm_error(err, CRM_ECONFIG, "cannot set '%s': '%s' is not a map of settings", key, path);
			else
				rc = crm_error(err, CRM_EUSAGE, "cannot set '%s': '%.*s' in '%s' holds a value, not a map",
					       key, (int)(p - key - 1), key, path);
			break;
		}
		yaml_node_pair_t *pair = NULL;
		for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < m->data.mapping.pairs.top; q++) {
			yaml_node_t *k = yaml_document_get_node(&doc, q->key);
			if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == n &&
			    memcmp(k->data.scalar.value, p, n) == 0)
				pair = q;
		}
		int child;
		if (!dot)
			child = yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)value, (int)strlen(value),
							 YAML_ANY_SCALAR_STYLE);
		else if (pair)
			child = pair->value;
		else
			child = yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE);
		int k = pair ? 1 : yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)p, (int)n, YAML_ANY_SCALAR_STYLE);
		if (!child || !k) { /* libyaml refused the text (it checks it again) */
			rc = crm_error(err, CRM_EINVALID, "cannot set '%s': libyaml cannot write that text", key);
			break;
		}
		if (pair)
			pair->value = child; /* a replaced value is left out of the tree the emitter walks */
		else
			yaml_document_append_mapping_pair(&doc, node, k, child);
		if (!dot)
			break;
		node = child;
		p = dot + 1;
	}
	if (rc) {
		yaml_document_delete(&doc);
		return rc;
	}
	doc.start_implicit = 1; /* no "---" and "..." around the settings */
	doc.end_implicit = 1;
	struct strbuf out = { 0 };
	yaml_emitter_t em;
	yaml_emitter_initialize(&em);
	yaml_emitter_set_output(&em, write_out, &out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, 100);
	int ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, &doc) && yaml_emitter_close(&em);
	if (!ok)
		yaml_document_delete(&doc);
	yaml_emitter_delete(&em);
	if (!ok) {
		sb_free(&out);
		return crm_error(err, CRM_EFAIL, "cannot write YAML for '%s'", key);
	}
	if (make_parent(path) != 0) {
		sb_free(&out);
		return crm_error(err, CRM_EFAIL, "cannot create the directory of '%s': %s", path, strerror(errno));
	}
	size_t tl = strlen(path) + 16;
	char *tmp = xmalloc(tl);
	snprintf(tmp, tl, "%s.crm-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	} else {
		ssize_t w = write(fd, out.s ? out.s : "", out.len);
		if (w < 0 || (size_t)w != out.len || fchmod(fd, mode) != 0 || fsync(fd) != 0)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
		if (close(fd) != 0 && !rc)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
		if (!rc && rename(tmp, path) != 0)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
		if (rc)
			unlink(tmp);
	}
	free(tmp);
	sb_free(&out);
	return rc;
}

char *crm_config_user_path(const struct crm_env *env)
{
	struct strbuf b = { 0 };
	if (env && env->xdg_config_home && env->xdg_config_home[0] == '/')
		sb_addf(&b, "%s/crm/config.yaml", env->xdg_config_home);
	else if (env && env->home)
		sb_addf(&b, "%s/.config/crm/config.yaml", env->home);
	else
		return NULL;
	return sb_take(&b);
}

/* A copy of the file at path beside it (same directory, so a rename puts it back), mode kept;
 * *copy NULL when there is no file. */
static int keep_copy(const char *path, char **copy, struct crm_err *err)
{
	*copy = NULL;
	int in = open(path, O_RDONLY);
	if (in < 0)
		return errno == ENOENT ? CRM_OK : crm_error(err, CRM_EFAIL, "cannot read '%s': %s", path, strerror(errno));
	struct stat st;
	size_t tl = strlen(path) + 16;
	char *tmp = xmalloc(tl);
	snprintf(tmp, tl, "%s.crm-XXXXXX", path);
	int out = fstat(in, &st) == 0 ? mkstemp(tmp) : -1;
	int rc = out < 0 ? crm_error(err, CRM_EFAIL, "cannot keep a copy of '%s': %s", path, strerror(errno)) : CRM_OK;
	char buf[8192];
	ssize_t n;
	while (!rc && (n = read(in, buf, sizeof buf)) != 0)
		if (n < 0 || write(out, buf, (size_t)n) != n)
			rc = crm_error(err, CRM_EFAIL, "cannot keep a copy of '%s': %s", path, strerror(errno));
	if (!rc && (fchmod(out, st.st_mode & 07777) != 0 || fsync(out) != 0))
		rc = crm_error(err, CRM_EFAIL, "cannot keep a copy of '%s': %s", path, strerror(errno));
	if (out >= 0 && close(out) != 0 && !rc)
		rc = crm_error(err, CRM_EFAIL, "cannot keep a copy of '%s': %s", path, strerror(errno));
	close(in);
	if (rc) {
		if (out >= 0)
			unlink(tmp);
		free(tmp);
		return rc;
	}
	*copy = tmp;
	return CRM_OK;
}

static int set_checked(const char *file, const char *given, const struct crm_env *env, const char *key,
		       const char *value, int force, int *had_comments, int *restored, struct crm_err *err);

int crm_config_set_checked(const char *file, const char *given, const struct crm_env *env, const char *key,
			   const char *value, int force, int *had_comments, int *restored, struct crm_err *err)
{
	*restored = 0;
	int rc = crm_config_key_check(key, err);
	if (rc || (rc = crm_check_utf8("the value", value, err)))
		return rc;
	char *target = link_target(file); /* the copy is put back over what the link names */
	rc = set_checked(target, given, env, key, value, force, had_comments, restored, err);
	free(target);
	return rc;
}

static int set_checked(const char *file, const char *given, const struct crm_env *env, const char *key,
		       const char *value, int force, int *had_comments, int *restored, struct crm_err *err)
{
	char *copy = NULL;
	int rc = keep_copy(file, &copy, err);
	if (rc)
		return rc;
	if ((rc = crm_config_file_set(file, key, value, force, had_comments, err))) {
		if (copy)
			unlink(copy);
		free(copy);
		return rc;
	}
	struct crm_config *check = NULL;
	long timeout;
	if ((rc = crm_config_load(&check, given, env, err)) == CRM_OK && (rc = crm_config_check(check, err)) == CRM_OK)
		rc = crm_config_values(check, &timeout, err);
	crm_config_free(check);
	if (rc) {
		*restored = copy ? rename(copy, file) == 0 : remove(file) == 0;
	} else if (copy) {
		unlink(copy);
	}
	free(copy);
	return rc;
}
