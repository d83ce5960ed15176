/* crm doc: files attached to records, kept inside the database (crm-doc(1)). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/document.h"
#include "crm/record.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

struct attach {
	struct cli *cli;
	const struct crm_kind *k;
	long long record;
	const char *name, *type;
	const char *const *files; /* none: standard input */
	int nfiles;
	long long *ids;           /* the new documents, n of them */
	int n;
};

static int attach_all(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct attach *a = ctx;
	int rc = 0;
	a->n = 0; /* an attempt that was rolled back attached nothing */
	for (int i = 0; i < (a->nfiles ? a->nfiles : 1) && !rc; i++) {
		const char *path = a->nfiles ? a->files[i] : "-";
		int fd = STDIN_FILENO;
		if (strcmp(path, "-") == 0)
			cli_stdin_rewind(); /* a retried transaction reads it from the start again */
		if (strcmp(path, "-") != 0 &&
		    (rc = cli_open_attachment(path, "; pipe it in with --name to attach what it gives", &fd, err)))
			return rc;
		struct crm_doc_info info;
		rc = crm_doc_attach(crm, a->k, a->record, a->name ? a->name : base_name(path), a->type, fd, &info, err);
		if (fd != STDIN_FILENO)
			close(fd);
		if (!rc) {
			a->ids[a->n++] = info.id;
			if (a->cli->verbose)
				cli_info(a->cli, "document %lld: %lld bytes, sha256 %s%s", info.id, info.size, info.sha256,
					 info.deduped ? " (content stored once already)" : "");
		}
	}
	return rc;
}

static int doc_attach(struct cli *cli, int argc, char **argv)
{
	const char *name = cli_get(cli, "name"), *type = cli_get(cli, "type");
	const char *const *pos = (const char *const *)argv + 1;
	int npos = argc - 1, rc = 0;
	if (npos < 2)
		return cli_usage(cli);
	const struct crm_kind *k = crm_kind_find(pos[0]);
	if (!k || strcmp(k->name, "document") == 0)
		return cli_unknown_kind("cannot attach documents to", pos[0], "activity, project, contract, account, ...");
	long long record;
	struct crm_err err = { 0 };
	if (crm_record_resolve(cli->crm, k, pos[1], &record, &err))
		return cli_fail(&err);
	int nfiles = npos - 2;
	if (nfiles == 0 || (nfiles == 1 && strcmp(pos[2], "-") == 0)) {
		if (!name)
			return cli_error(CRM_EUSAGE, "a document read from standard input needs --name");
		if (isatty(STDIN_FILENO))
			return cli_error(CRM_EUSAGE, "give files to attach, or pipe one in with --name");
		if ((rc = cli_stdin_spool(cli)))
			return rc;
	} else if (name && nfiles > 1) {
		return cli_error(CRM_EUSAGE, "--name names one document, not %d", nfiles);
	}
	/* Several files go in together or not at all. */
	struct attach a = { cli, k, record, name, type, pos + 2, nfiles, NULL, 0 };
	a.ids = calloc((size_t)nfiles + 1, sizeof *a.ids);
	rc = crm_atomic(cli->crm, attach_all, &a, &err);
	if (!rc)
		for (int i = 0; i < a.n; i++)
			printf("%lld\n", a.ids[i]);
	free(a.ids);
	return rc ? cli_fail(&err) : 0;
}

/* doc list [<noun> <ref>] [<filter>...]: the generic list, narrowed to one record's documents. */
static int doc_list(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = argc > 2 && argv[1][0] != '-' && !strchr(argv[1], ':') ? crm_kind_find(argv[1]) : NULL;
	if (!k)
		return rec_list(cli, argc, argv);
	long long record;
	struct crm_err err = { 0 };
	if (crm_record_resolve(cli->crm, k, argv[2], &record, &err))
		return cli_fail(&err);
	char noun[64], rec[48];
	snprintf(noun, sizeof noun, "noun:%s", k->name);
	snprintf(rec, sizeof rec, "record:%lld", record);
	char **v = calloc((size_t)argc + 1, sizeof *v);
	int n = 0;
	v[n++] = argv[0];
	v[n++] = noun;
	v[n++] = rec;
	for (int i = 3; i < argc; i++)
		v[n++] = argv[i];
	int rc = rec_list(cli, n, v);
	free(v);
	return rc;
}

/* To -o FILE as cli_out_open writes it: a regular file through a temporary file beside it,
 * renamed into place (copied, if hard-linked) only once the content has matched its digest,
 * keeping the mode the file had; a device or FIFO directly, after a full check as for standard
 * output (a pipe cannot be taken back); a symbolic link refused. */
static int doc_get(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli);
	long long id;
	struct crm_err err = { 0 }, ignored = { 0 };
	if (crm_record_resolve(cli->crm, cli_kind(cli), argv[1], &id, &err))
		return cli_fail(&err);
	if (!cli->output) {
		if (crm_doc_get(cli->crm, id, STDOUT_FILENO, 1, &err))
			return cli_fail(&err);
		return 0;
	}
	/* -o DIR (or DIR/): the document's own name in it, which never holds a '/' (attach made
	 * them '_'), and is never . or .. */
	const char *path = cli->output;
	char *joined = NULL;
	struct stat st;
	size_t plen = strlen(path);
	int dir = plen && path[plen - 1] == '/';
	if (!dir && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		dir = 1;
	if (dir) {
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			return cli_error(CRM_EFAIL, "cannot write into '%s': no such directory", path);
		char *name = crm_record_label(cli->crm, cli_kind(cli), id);
		size_t len = plen + (name ? strlen(name) : 0) + 32;
		joined = malloc(len);
		if (!name || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/'))
			snprintf(joined, len, "%s%sdocument-%lld", path, path[plen - 1] == '/' ? "" : "/", id);
		else
			snprintf(joined, len, "%s%s%s", path, path[plen - 1] == '/' ? "" : "/", name);
		free(name);
		path = joined;
	}
	struct cli_out out;
	if (cli_out_open_new(&out, path, cli_has(cli, "force") > 0, &err)) {
		free(joined);
		return cli_fail(&err);
	}
	int rc = crm_doc_get(cli->crm, id, out.fd, !out.tmp, &err);
	int crc = cli_out_close(&out, !rc, rc ? &ignored : &err);
	if (!rc)
		rc = crc;
	if (!rc && joined)
		cli_info(cli, "wrote '%s'", path);
	free(joined);
	return rc ? cli_fail(&err) : 0;
}

/* Check documents against their digests: the named ones, or all. */
static int doc_verify(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	long long *ids = NULL;
	int n = 0, cap = 0, rc = 0, bad = 0;
	struct crm_err err = { 0 };
	if (argc > 1) {
		ids = calloc((size_t)argc, sizeof *ids);
		for (int i = 1; i < argc; i++)
			if (crm_record_resolve(cli->crm, k, argv[i], &ids[n++], &err)) {
				free(ids);
				return cli_fail(&err);
			}
	} else {
		const char *idf[] = { "id" };
		struct crm_query q = { .kind = k, .fields = idf, .nfields = 1 };
		struct crm_cursor *c;
		if (crm_query_open(cli->crm, &q, &c, &err))
			return cli_fail(&err);
		const struct crm_value *cells;
		while ((rc = crm_cursor_next(c, &cells, &err)) == 1) {
			if (n == cap)
				ids = realloc(ids, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *ids);
			ids[n++] = atoll(cells[0].text);
		}
		crm_cursor_close(c);
		if (rc < 0) {
			free(ids);
			return cli_fail(&err);
		}
		rc = 0;
	}
	for (int i = 0; i < n; i++) {
		int r = crm_doc_verify(cli->crm, ids[i], &err);
		if (r) {
			cli_fail(&err);
			bad++;
			rc = r;
		}
	}
	free(ids);
	if (!bad)
		cli_info(cli, "%d %s checked, all intact", n, n == 1 ? "document" : "documents");
	return rc;
}

static const struct cmd_opt attach_opts[] = {
	{ "name", 0, OPT_VALUE, "name", "the document's name (needed for standard input)" },
	{ "type", 0, OPT_VALUE, "mime", "its content type" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt get_opts[] = {
	{ "force", 0, 0, NULL, "replace a file that exists (else exit 4)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* What is special to documents; show, history, import and export (of the metadata) are
 * generic; attach adds them and their content, and nothing edits them. */
const struct cmd_verb cmd_doc_verbs[] = {
	{ "add", NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
	{ "attach", NULL, doc_attach, CMD_WRITE, "<noun> <ref> <file>... | <noun> <ref> [-]",
	  "attach files (or standard input) to a record; prints the documents' numbers", { attach_opts }, NULL, NULL },
	{ "list", "ls", doc_list, CMD_READ, "[<noun> <ref>] [<filter>...]", "list documents, all or those of one record",
	  { cmd_list_opts }, NULL, NULL },
	{ "get", NULL, doc_get, CMD_READ | CMD_NOPAGER, "<document>", "write a document's content, checked, to standard output or -o <file or directory>", { get_opts }, NULL, NULL },
	{ "verify", NULL, doc_verify, CMD_READ, "[<document>...]", "check documents (all by default) against their SHA-256", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
