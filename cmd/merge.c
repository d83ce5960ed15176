/* crm merge (issue 14.4): a template rendered for each contact a filter selects, to files, to
 * one PDF of letters, or queued as e-mails through the outbox; --dry-run shows the first. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/dedupe.h"
#include "crm/list.h"
#include "crm/merge.h"

/* Split a filter as typed (--where 'city:Cluj "lifecycle_stage:customer"') into words at
 * spaces, quotes grouping. Returns the number of words, pointing into buf (a copy). */
static int split_filter(char *buf, const char **terms, int max)
{
	int n = 0;
	char *s = buf, *o = buf;
	while (*s && n < max) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		terms[n++] = o;
		char q = 0;
		while (*s && (q || (*s != ' ' && *s != '\t' && *s != '\n'))) {
			if (q && *s == q)
				q = 0;
			else if (!q && (*s == '"' || *s == '\''))
				q = *s;
			else
				*o++ = *s;
			s++;
		}
		if (*s)
			s++;
		*o++ = '\0';
	}
	return n;
}

/* A file name for a member: its number and name, letters and digits kept (any script), the
 * rest a dash, at most about 60 bytes: never a path, never hidden. */
static void file_name(const struct crm_merge_member *mb, const char *ext, char *out, size_t size)
{
	char slug[72];
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *s = (const unsigned char *)mb->name; *s && n < 60; s++) {
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s >= 0x80) {
			if (dash && n)
				slug[n++] = '-';
			dash = 0;
			slug[n++] = (char)*s;
		} else {
			dash = 1;
		}
	}
	while (n && ((unsigned char)slug[n - 1] & 0xc0) == 0x80) /* a sequence cut short */
		n--;
	if (n && (unsigned char)slug[n - 1] >= 0xc0)
		n--;
	slug[n] = '\0';
	snprintf(out, size, "%lld%s%s.%s", mb->contact, n ? "-" : "", slug, ext);
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write text as name in directory dfd: a new file, or with force through a temporary file
 * renamed over the old one. */
static int put_file(int dfd, const char *dir, const char *name, const char *text, int force)
{
	char tmp[300];
	snprintf(tmp, sizeof tmp, ".%s.%ld.tmp", name, (long)getpid());
	const char *first = force ? tmp : name;
	int fd = openat(dfd, first, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return cli_error(errno == EEXIST ? CRM_ECONFLICT : CRM_EFAIL, "cannot write '%s/%s': %s", dir, name,
				 strerror(errno));
	int bad = write_all(fd, text, strlen(text)) || fsync(fd);
	bad |= close(fd) != 0;
	if (!bad && force && renameat(dfd, tmp, dfd, name))
		bad = 1;
	if (bad) {
		int e = errno;
		unlinkat(dfd, first, 0);
		return cli_error(CRM_EFAIL, "cannot write '%s/%s': %s", dir, name, strerror(e));
	}
	return 0;
}

/* Is member mb skipped by the kind of output? (letters: do_not_mail; e-mail: do_not_email or
 * no address) */
enum { OUT_LETTER, OUT_EMAIL };
static int skipped(const struct crm_merge_member *mb, int out, int *dnm, int *dne, int *noaddr)
{
	if (out == OUT_LETTER && mb->do_not_mail)
		return ++*dnm;
	if (out == OUT_EMAIL && mb->do_not_email)
		return ++*dne;
	if (out == OUT_EMAIL && !mb->email)
		return ++*noaddr;
	return 0;
}

static void say_skipped(struct cli *cli, int dnm, int dne, int noaddr)
{
	if (dnm)
		cli_info(cli, "%d skipped: they asked for no letters (do_not_mail)", dnm);
	if (dne)
		cli_info(cli, "%d skipped: they asked for no e-mail (do_not_email)", dne);
	if (noaddr)
		cli_info(cli, "%d skipped: no e-mail address", noaddr);
}

static int to_files(struct cli *cli, struct crm_merge *m, const char *dir, const char *fmt)
{
	int n = crm_merge_count(m), dnm = 0, dne = 0, noaddr = 0, force = cli_has(cli, "force") > 0;
	int out = strcmp(fmt, "eml") == 0 ? OUT_EMAIL : OUT_LETTER;
	if (mkdir(dir, 0777) && errno != EEXIST)
		return cli_error(CRM_EFAIL, "cannot create directory '%s': %s", dir, strerror(errno));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return cli_error(CRM_EFAIL, "cannot open directory '%s': %s", dir, strerror(errno));
	char (*names)[128] = calloc((size_t)(n ? n : 1), sizeof *names);
	int rc = 0;
	/* every name first: one that exists stops the run before anything is written */
	for (int i = 0; i < n && !rc; i++) {
		const struct crm_merge_member *mb = crm_merge_member(m, i);
		if (skipped(mb, out, &dnm, &dne, &noaddr))
			continue;
		file_name(mb, fmt, names[i], sizeof names[i]);
		struct stat sb;
		if (!force && fstatat(dfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == 0)
			rc = cli_error(CRM_ECONFLICT, "'%s/%s' exists: nothing written (--force replaces)", dir, names[i]);
	}
	int written = 0;
	for (int i = 0; i < n && !rc; i++) {
		if (!names[i][0])
			continue;
		char *text = NULL;
		struct crm_err err = { 0 };
		if (out == OUT_EMAIL)
			text = crm_merge_eml(cli->crm, m, i, cli_get(cli, "subject"), &err);
		else
			text = crm_merge_render(m, i, CRM_TPL_BODY);
		if (!text)
			rc = cli_fail(&err);
		else if (!(rc = put_file(dfd, dir, names[i], text, force))) {
			printf("%s/%s\n", dir, names[i]);
			written++;
		}
		free(text);
	}
	close(dfd);
	free(names);
	if (rc && written)
		cli_warn("%d of the files were written before the failure", written);
	if (!rc) {
		cli_info(cli, "%d file%s written to %s", written, written == 1 ? "" : "s", dir);
		say_skipped(cli, dnm, dne, noaddr);
	}
	return rc;
}

static int to_pdf(struct cli *cli, struct crm_merge *m, const char *path)
{
	int n = crm_merge_count(m), dnm = 0, dne = 0, noaddr = 0, k = 0, pages = 0, rc = 0;
	int *which = calloc((size_t)(n ? n : 1), sizeof *which);
	for (int i = 0; i < n; i++)
		if (!skipped(crm_merge_member(m, i), OUT_LETTER, &dnm, &dne, &noaddr))
			which[k++] = i;
	struct stat sb;
	struct crm_err err = { 0 };
	if (!k) {
		cli_info(cli, "no letters to write: %s not written", path);
	} else if (!cli_has(cli, "force") && lstat(path, &sb) == 0) {
		rc = cli_error(CRM_ECONFLICT, "'%s' exists: nothing written (--force replaces)", path);
	} else {
		struct cli_out o;
		if (cli_out_open(&o, path, &err)) {
			rc = cli_fail(&err);
		} else {
			int fd = dup(o.fd);
			FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
			int ok = f && !crm_merge_pdf(m, which, k, f, &pages, &err);
			if (f && fclose(f) && ok) {
				ok = 0;
				crm_error(&err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
			} else if (!f && fd >= 0) {
				close(fd);
			}
			if (!f && !err.code)
				crm_error(&err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
			struct crm_err ignored = { 0 };
			if (cli_out_close(&o, ok, ok ? &err : &ignored) || !ok)
				rc = cli_fail(&err);
		}
	}
	free(which);
	if (!rc && k)
		cli_info(cli, "%d letter%s, %d page%s written to %s", k, k == 1 ? "" : "s", pages, pages == 1 ? "" : "s",
			 path);
	if (!rc)
		say_skipped(cli, dnm, dne, noaddr);
	return rc;
}

static int to_email(struct cli *cli, struct crm_merge *m, const char *run, long long limit)
{
	struct crm_merge_sent s;
	struct crm_err err = { 0 };
	int rc = crm_merge_email(cli->crm, m, run, cli_get(cli, "subject"), limit, &s, &err);
	if (rc && s.sent)
		cli_warn("%d e-mail%s queued before the failure; run again to continue", s.sent, s.sent == 1 ? "" : "s");
	if (rc)
		return cli_fail(&err);
	cli_info(cli, "%d e-mail%s queued; crm notify send delivers them", s.sent, s.sent == 1 ? "" : "s");
	if (s.already)
		cli_info(cli, "%d already sent by an earlier run", s.already);
	say_skipped(cli, 0, s.do_not_email, s.no_email);
	if (s.left)
		cli_info(cli, "%d left for the next run (--limit %lld)", s.left, limit);
	return 0;
}

static int dry_run(struct cli *cli, struct crm_merge *m, int out)
{
	int n = crm_merge_count(m), dnm = 0, dne = 0, noaddr = 0, first = -1, k = 0;
	for (int i = 0; i < n; i++)
		if (!skipped(crm_merge_member(m, i), out, &dnm, &dne, &noaddr) && k++ == 0)
			first = i;
	if (first >= 0) {
		const struct crm_merge_member *mb = crm_merge_member(m, first);
		char *body = crm_merge_render(m, first, CRM_TPL_BODY);
		if (crm_tpl_has_subject(crm_merge_template(m)) || cli_get(cli, "subject")) {
			char *subj = cli_get(cli, "subject") ? strdup(cli_get(cli, "subject"))
							     : crm_merge_render(m, first, CRM_TPL_SUBJECT);
			printf("Subject: %s\n", subj ? subj : "");
			free(subj);
		}
		if (out == OUT_EMAIL)
			printf("To: %s <%s>\n", mb->name, mb->email);
		printf("%s%s", crm_tpl_has_subject(crm_merge_template(m)) || out == OUT_EMAIL ? "\n" : "", body);
		if (*body && body[strlen(body) - 1] != '\n')
			putchar('\n');
		free(body);
	}
	fflush(stdout);
	fprintf(stderr, "dry run: %d contact%s, %d would be %s; nothing written or sent\n", n, n == 1 ? "" : "s", k,
		out == OUT_EMAIL ? "e-mailed" : "written");
	say_skipped(cli, dnm, dne, noaddr);
	return 0;
}

/* crm merge undo <n>: a merge of two records (contact merge, account merge) undone; never a
 * mail merge, which takes one template. */
static int merge_undo(struct cli *cli, int argc, char **argv)
{
	for (int i = 0; i < cli->args.nseen; i++)
		if (strcmp(cli->args.seen[i].opt->name, "force") != 0)
			return cli_error(CRM_EUSAGE, "merge undo takes --force only, not --%s", cli->args.seen[i].opt->name);
	if (argc == 2) { /* which merges there are: what to undo */
		int rc = 0;
		struct crm_printer *p = cli_printer(cli, NULL, &rc);
		if (!p)
			return rc;
		struct crm_err err = { 0 };
		rc = crm_merges_print(cli->crm, p, &err);
		int frc = cli_printer_finish(cli, p);
		return rc ? cli_fail(&err) : frc;
	}
	char *end;
	long long n = argc == 3 ? strtoll(argv[2], &end, 10) : 0;
	if (argc != 3 || !*argv[2] || *end || n < 1)
		return cli_error(CRM_EUSAGE, "which merge? crm merge undo NUMBER (crm merge undo alone lists them)");
	const struct crm_kind *k;
	long long keep, other;
	struct crm_err err = { 0 };
	if (crm_merge_undo(cli->crm, n, cli_has(cli, "force") > 0, &k, &keep, &other, &err))
		return cli_fail(&err);
	cli_info(cli, "undid merge %lld: %s %lld is back, %s %lld as it was before", n, k->name, other, k->name, keep);
	return 0;
}

int cmd_merge(struct cli *cli, int argc, char **argv)
{
	struct stat st;
	if (argc >= 2 && strcmp(argv[1], "undo") == 0 && (argc != 2 || stat(argv[1], &st) != 0))
		return merge_undo(cli, argc, argv);
	if (argc < 2)
		return cli_error(CRM_EUSAGE, "which template? crm merge TEMPLATE (--list NAME | --where FILTER) ...");
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	const char *where = cli_get(cli, "where"), *dir = cli_get(cli, "to-files"), *pdf = cli_get(cli, "pdf");
	const char *fmt = cli->format_text ? cli->format_text : "txt", *lim = cli_get(cli, "limit");
	int email = cli_has(cli, "email") > 0, dry = cli_has(cli, "dry-run") > 0;
	const char *listname = cli_get(cli, "list");
	if (!where && !listname)
		return cli_error(CRM_EUSAGE, "which contacts? --list NAME or --where FILTER ('' for every contact)");
	if ((dir != NULL) + (pdf != NULL) + email > 1)
		return cli_error(CRM_EUSAGE, "one of --to-files, --pdf and --email at a time");
	if (!dir && !pdf && !email && !dry)
		return cli_error(CRM_EUSAGE, "where to? --to-files DIR, --pdf FILE, --email or --dry-run");
	if (cli->format_text && !dir)
		return cli_error(CRM_EUSAGE, "--format goes with --to-files");
	if (strcmp(fmt, "txt") && strcmp(fmt, "md") && strcmp(fmt, "eml"))
		return cli_error(CRM_EUSAGE, "--format takes txt, md or eml, not '%s'", fmt);
	if (dir && !*dir)
		return cli_error(CRM_EUSAGE, "--to-files needs a directory");
	if (pdf && !*pdf)
		return cli_error(CRM_EUSAGE, "--pdf needs a file name");
	long long limit = 0;
	if (lim) {
		char *end;
		errno = 0;
		limit = strtoll(lim, &end, 10);
		if (errno || end == lim || *end || limit < 1)
			return cli_error(CRM_EUSAGE, "--limit takes a number of e-mails, at least 1, not '%s'", lim);
		if (!email)
			return cli_error(CRM_EUSAGE, "--limit goes with --email");
	}
	int rc = 0;
	char *text = cli_read_template(argv[1], &rc);
	if (!text)
		return rc;
	const char *base = strrchr(argv[1], '/');
	base = base ? base + 1 : argv[1];
	char *wcopy = strdup(where ? where : "");
	const char *terms[256];
	int nterms = wcopy ? split_filter(wcopy, terms, 256) : 0;
	struct crm_merge *m = NULL;
	struct crm_err err = { 0 };
	long long list = 0;
	if (!wcopy) {
		rc = cli_error(CRM_EFAIL, "out of memory");
	} else if ((listname && crm_list_resolve(cli->crm, listname, &list, &err)) ||
		   crm_merge_open(cli->crm, base, text, list, terms, nterms, &m, &err)) {
		rc = cli_fail(&err);
	} else {
		int out = email || (dir && strcmp(fmt, "eml") == 0) ? OUT_EMAIL : OUT_LETTER;
		if (dry && email && !cli_get(cli, "subject") && !crm_tpl_has_subject(crm_merge_template(m))) {
			/* a dry run refuses what the run would */
			rc = cli_error(CRM_EUSAGE, "template '%s' has no Subject: header; give one on its first line or "
				       "--subject TEXT", base);
		} else if (dry) {
			rc = dry_run(cli, m, out);
		} else if (dir) {
			rc = to_files(cli, m, dir, fmt);
		} else if (pdf) {
			rc = to_pdf(cli, m, pdf);
		} else {
			/* what a run remembers: the template's name and the members' source, the
			 * filter's words joined by one space (so spacing does not make another run) */
			size_t len = strlen(base) + (where ? strlen(where) : 0) + 64;
			char *run = malloc(len);
			if (!run) {
				rc = cli_error(CRM_EFAIL, "out of memory");
			} else {
				int at = snprintf(run, len, "%s", base);
				if (list)
					at += snprintf(run + at, len - (size_t)at, " list:%lld", list);
				if (where)
					at += snprintf(run + at, len - (size_t)at, " where:");
				for (int i = 0; i < nterms; i++)
					at += snprintf(run + at, len - (size_t)at, "%s%s", i ? " " : "", terms[i]);
				rc = to_email(cli, m, run, limit);
				free(run);
			}
		}
	}
	crm_merge_close(m);
	free(wcopy);
	free(text);
	return rc;
}

const struct cmd_opt cmd_merge_opts[] = {
	{ "list", 0, OPT_VALUE, "list", "the contacts of this distribution list (an account stands for its contacts)" },
	{ "where", 0, OPT_VALUE, "filter", "the contacts: a filter as contact list takes it ('' for all); with --list, of its members" },
	{ "to-files", 0, OPT_VALUE, "dir", "one file per contact in dir (created if missing)" },
	{ "format", 0, OPT_VALUE, "txt|md|eml", "the files' format with --to-files (default txt)" },
	{ "pdf", 0, OPT_VALUE, "file", "one PDF of letters, a letter per contact" },
	{ "email", 0, OPT_WRITES, NULL, "queue an e-mail per contact through the outbox, logged as an activity" },
	{ "limit", 0, OPT_VALUE, "n", "with --email: at most n this run; the next run continues" },
	{ "subject", 0, OPT_VALUE, "text", "the e-mails' subject, instead of the template's Subject:" },
	{ "force", 0, 0, NULL, "replace files that exist" },
	{ "dry-run", 0, 0, NULL, "print the first rendering and the count; write and send nothing" },
	{ NULL, 0, 0, NULL, NULL },
};
