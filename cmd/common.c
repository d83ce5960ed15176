/* Shared pieces of the command side: messages, formats, printers, option values. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/near.h"

const struct crm_kind *cli_kind(const struct cli *cli)
{
	return cli->kind ? crm_kind_find(cli->kind) : NULL;
}

struct crm *cli_retrying;

static int stdin_spooled;
static off_t stdin_start;

int cli_stdin_spool(const struct cli *cli)
{
	if (stdin_spooled || isatty(STDIN_FILENO))
		return 0;
	struct stat sb, null;
	if (fstat(STDIN_FILENO, &sb) != 0)
		return 0; /* closed: every reader says so itself */
	/* A device never ends (< /dev/zero was spooled until the disk was full): refused, but for
	 * /dev/null, which is empty input. */
	if (S_ISDIR(sb.st_mode) || (S_ISCHR(sb.st_mode) && !(stat("/dev/null", &null) == 0 && null.st_rdev == sb.st_rdev)))
		return cli_error(CRM_EUSAGE, "standard input is a %s, not a file or a pipe; nothing read",
				 S_ISDIR(sb.st_mode) ? "directory" : "device");
	off_t at = S_ISREG(sb.st_mode) ? lseek(STDIN_FILENO, 0, SEEK_CUR) : -1;
	if (at >= 0) {
		stdin_start = at;
		stdin_spooled = 1;
		return 0;
	}
	int tmpfd = crm_env_temp_fd(&cli->env, "crm-stdin"); /* unlinked already: nothing is left behind */
	FILE *tmp = tmpfd < 0 ? NULL : fdopen(tmpfd, "w+");
	if (tmpfd >= 0 && !tmp)
		close(tmpfd);
	if (!tmp)
		return cli_error(CRM_EFAIL, "cannot keep standard input for a retry: %s", strerror(errno));
	int fd = fileno(tmp);
	char buf[65536];
	ssize_t n;
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			fclose(tmp);
			return cli_error(CRM_EFAIL, "cannot read standard input: %s", strerror(e));
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				int e = errno;
				fclose(tmp);
				return cli_error(CRM_EFAIL, "cannot keep standard input for a retry: %s", strerror(e));
			}
			off += w;
		}
	}
	if (dup2(fd, STDIN_FILENO) < 0) {
		int e = errno;
		fclose(tmp);
		return cli_error(CRM_EFAIL, "cannot keep standard input for a retry: %s", strerror(e));
	}
	fclose(tmp);
	stdin_start = 0;
	stdin_spooled = 1;
	cli_stdin_rewind();
	return 0;
}

void cli_stdin_rewind(void)
{
	if (!stdin_spooled)
		return;
	clearerr(stdin);
	/* fseek drops what stdio had buffered and moves the descriptor too */
	if (fseeko(stdin, stdin_start, SEEK_SET) != 0)
		lseek(STDIN_FILENO, stdin_start, SEEK_SET);
}

/* Writes a message to standard error with its control characters shown as \xHH (C1 ones as
 * \u00HH, bytes that are not UTF-8 as \xHH): messages quote names, values and lines of files,
 * and an escape sequence among them would reach the terminal (retitle it, rewrite what is
 * shown). Newlines and tabs stay. The cleaning is the printer's (crm_printer_escape), so a
 * message and a view agree on what is a control character. */
void cli_put_clean(const char *s)
{
	char *clean = crm_printer_escape(s);
	fputs(clean ? clean : "", stderr);
	free(clean);
}

static void put_clean_v(const char *prefix, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
	if (buf && n >= 0)
		vsnprintf(buf, (size_t)n + 1, fmt, again);
	va_end(again);
	fputs(prefix, stderr);
	cli_put_clean(buf && n >= 0 ? buf : fmt);
	fputc('\n', stderr);
	free(buf);
}

int cli_fail(const struct crm_err *err)
{
	/* A command that lost to a concurrent writer is run again: its error is not the last word. */
	if (!(cli_retrying && crm_retry_pending(cli_retrying))) {
		fputs("crm: ", stderr);
		cli_put_clean(err->msg[0] ? err->msg : "failed");
		fputc('\n', stderr);
	}
	return err->code ? err->code : 1;
}

int cli_now(struct cli *cli)
{
	const char *now = cli_get(cli, "now");
	if (!now)
		return 0;
	char iso[40];
	struct crm_err err = { 0 };
	time_t t = crm_date_parse(now, crm_time(cli->crm), iso, sizeof iso, &err) ? (time_t)-1 : crm_time_parse_iso(iso);
	if (t == (time_t)-1)
		return cli_error(CRM_EUSAGE, "--now takes a date or time, not '%s'", now);
	if (crm_set_time(cli->crm, t, &err))
		return cli_fail(&err);
	return 0;
}

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_clean_v("crm: ", fmt, ap);
	va_end(ap);
	return code;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_clean_v("crm: ", fmt, ap);
	va_end(ap);
}

void cli_info(const struct cli *cli, const char *fmt, ...)
{
	if (cli->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	put_clean_v("", fmt, ap);
	va_end(ap);
}

enum crm_format cli_format(const struct cli *cli)
{
	if (cli->format >= 0)
		return (enum crm_format)cli->format;
	if (cli->output) {
		int f = crm_format_from_path(cli->output);
		if (f >= 0)
			return (enum crm_format)f;
		return CRM_FMT_TSV;
	}
	return cli->stdout_tty ? CRM_FMT_TABLE : CRM_FMT_TSV;
}

const char *cli_unknown_extension(const struct cli *cli)
{
	if (cli->format >= 0 || !cli->output || crm_format_from_path(cli->output) >= 0)
		return NULL;
	const char *base = strrchr(cli->output, '/');
	base = base ? base + 1 : cli->output;
	const char *dot = strrchr(base, '.');
	return dot && dot > base && dot[1] ? dot : NULL;
}

int cli_structured(const struct cli *cli)
{
	enum crm_format f = cli_format(cli);
	return f == CRM_FMT_JSON || f == CRM_FMT_NDJSON || f == CRM_FMT_YAML;
}

int cli_open_attachment(const char *path, const char *hint, int *fd, struct crm_err *err)
{
	/* O_NONBLOCK: a FIFO must not hang the open; only a regular file is read, so a device or
	 * a FIFO named here cannot feed the database forever. */
	if ((*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
		return crm_error(err, errno == ENOENT ? CRM_ENOTFOUND : CRM_EFAIL, "cannot read '%s': %s", path,
				 strerror(errno));
	struct stat sb;
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(*fd);
		*fd = -1;
		return crm_error(err, CRM_EUSAGE, "'%s' is not a regular file%s", path, hint);
	}
	fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK);
	return CRM_OK;
}

/* The database file open (cli_out_protect): -o never replaces it. */
static struct stat protected_db;
static int protecting;

void cli_out_protect(const char *path)
{
	protecting = path && stat(path, &protected_db) == 0;
}

/* A temporary file beside path (o->tmp, o->fd) with the mode given. */
static int out_temp(struct cli_out *o, const char *path, struct crm_err *err)
{
	size_t len = strlen(path) + 16;
	o->tmp = malloc(len);
	snprintf(o->tmp, len, "%s.crm-XXXXXX", path);
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		int e = errno;
		free(o->tmp);
		o->tmp = NULL;
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(e));
	}
	return CRM_OK;
}

int cli_out_open(struct cli_out *o, const char *path, struct crm_err *err)
{
	return cli_out_open_new(o, path, 1, err);
}

int cli_out_open_new(struct cli_out *o, const char *path, int force, struct crm_err *err)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	o->no_replace = !force;
	o->fd = o->target = -1;
	o->path = path;
	o->uid = (uid_t)-1;
	o->gid = (gid_t)-1;
	mode_t mask = umask(0);
	umask(mask);
	o->mode = 0666 & ~mask;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return crm_error(err, CRM_EFAIL, "will not write through the symbolic link '%s'; name the file "
					 "itself", path);
		if (S_ISDIR(st.st_mode))
			return crm_error(err, CRM_EFAIL, "cannot write '%s': it is a directory", path);
		if (protecting && st.st_dev == protected_db.st_dev && st.st_ino == protected_db.st_ino)
			return crm_error(err, CRM_EFAIL, "will not write '%s': it is the database being read", path);
		if (o->no_replace && S_ISREG(st.st_mode))
			return crm_error(err, CRM_ECONFLICT, "'%s' exists; --force replaces it", path);
		/* The file is replaced by a rename, which its own mode does not stop: ask it (a
		 * file no one may write is read-only by intent, even to root). */
		if (S_ISREG(st.st_mode) && (access(path, W_OK) != 0 || !(st.st_mode & 0222)))
			return crm_error(err, CRM_EFAIL, "will not replace '%s': it is read-only (make it writable, "
					 "or remove it, first)", path);
		if (!S_ISREG(st.st_mode) || st.st_nlink > 1) {
			/* A device, a FIFO or a hard-linked file is written where it is, never replaced;
			 * the hard-linked file only once the content is complete (out_copy). */
			int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY);
			if (fd < 0)
				return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
			o->in_place = 1;
			if (!S_ISREG(st.st_mode)) {
				o->fd = fd;
				return CRM_OK;
			}
			o->target = fd;
			o->mode = 0600;
			int rc = out_temp(o, path, err);
			if (rc) {
				close(o->target);
				o->target = -1;
			}
			return rc;
		}
		/* The new file gets the old one's permissions and, where allowed, its owner (a
		 * root-run export does not take a user's file away); never set-user-ID or
		 * set-group-ID bits, which a write would have cleared. */
		o->mode = st.st_mode & 0777;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
	} else if (errno != ENOENT) {
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	}
	return out_temp(o, path, err);
}

const char *cli_out_name(struct cli_out *o, const struct cli *cli, struct crm_err *err)
{
	if (o->tmp)
		return o->tmp;
	/* A device or FIFO: the library writes a spool file (it may seek), copied there when complete. */
	const char *dir = crm_env_tmpdir(&cli->env);
	size_t len = strlen(dir) + 32;
	char *spool = malloc(len);
	snprintf(spool, len, "%s/crm-out-XXXXXX", dir);
	int fd = mkstemp(spool);
	if (fd < 0) {
		crm_error(err, CRM_EFAIL, "cannot write '%s': cannot make a temporary file in '%s': %s", o->path, dir,
			  strerror(errno));
		free(spool);
		return NULL;
	}
	o->target = o->fd;
	o->fd = fd;
	o->tmp = spool;
	o->mode = 0600;
	return o->tmp;
}

/* Copy the complete temporary file into the target where it is, and cut the target there. */
static int out_copy(struct cli_out *o, struct crm_err *err)
{
	char buf[65536];
	ssize_t n;
	off_t total = 0;
	if (lseek(o->fd, 0, SEEK_SET) != 0)
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
	while ((n = read(o->fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(o->target, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path,
						 w < 0 ? strerror(errno) : "nothing written");
			off += w;
		}
		total += n;
	}
	struct stat st;
	if (fstat(o->target, &st) == 0 && S_ISREG(st.st_mode) &&
	    (ftruncate(o->target, total) != 0 || fsync(o->target) != 0))
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
	return CRM_OK;
}

int cli_out_close(struct cli_out *o, int ok, struct crm_err *err)
{
	int rc = CRM_OK;
	if (o->fd >= 0) {
		if (ok && o->target >= 0)
			rc = out_copy(o, err);
		else if (ok && o->tmp) {
			/* owner first: a chown clears the mode's set-ID bits, and may fail (not root) */
			if (o->uid != (uid_t)-1 && fchown(o->fd, o->uid, o->gid) != 0 && fchown(o->fd, (uid_t)-1, o->gid) != 0) {
				/* kept as the current user's: the mode below still applies */
			}
			if (fchmod(o->fd, (mode_t)o->mode) != 0 || fsync(o->fd) != 0)
				rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		}
		if (close(o->fd) != 0 && ok && !rc)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		o->fd = -1;
	}
	if (o->target >= 0) {
		if (close(o->target) != 0 && ok && !rc)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		o->target = -1;
	}
	if (o->tmp) {
		if (ok && !rc && !o->in_place && o->no_replace) {
			/* link fails on a name that exists: a file made since the open is kept (where the
			 * file system has no hard links, a last look before the rename) */
			int e = link(o->tmp, o->path) == 0 ? 0 : errno;
			struct stat st;
			if ((e == EPERM || e == ENOTSUP || e == EXDEV) && lstat(o->path, &st) != 0)
				e = rename(o->tmp, o->path) == 0 ? 0 : errno;
			else if (e == EPERM || e == ENOTSUP || e == EXDEV)
				e = EEXIST;
			if (e == EEXIST)
				rc = crm_error(err, CRM_ECONFLICT, "'%s' exists; --force replaces it", o->path);
			else if (e)
				rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(e));
			unlink(o->tmp);
		} else if (ok && !rc && !o->in_place && rename(o->tmp, o->path) != 0)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		if (!ok || rc || o->in_place)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	return rc;
}

/* What a printer could not write as given (xlsx: cells cut to Excel's limit), about file ctx. */
static void cli_warn_file(void *ctx, const char *msg)
{
	cli_warn("'%s': %s", ctx ? (const char *)ctx : "-", msg);
}

struct crm_printer *cli_printer(struct cli *cli, const char *filter_text, int *rc)
{
	struct crm_printer_opts o = { 0 };
	struct crm_err err = { 0 };
	/* -o x.pdf from a command that cannot write PDF: said, not written as tsv (issue 14.6) */
	const char *dot = cli_unknown_extension(cli);
	if (dot) {
		*rc = cli_error(CRM_EUSAGE,
				"cannot write a '%s' file here: name a .csv, .tsv, .json, .ndjson, .yaml, .xlsx or "
				".txt file, or choose the format with -F",
				dot);
		return NULL;
	}
	o.format = cli_format(cli);
	o.headers = cli->headers;
	o.color = cli->color && !cli->output;
	o.path = cli->output;
	o.out = stdout;
	o.excel_bom = cli->excel_bom;
	/* A terminal is never driven by the data, whatever the format (json and yaml escape). */
	o.terminal = !cli->output && cli->stdout_tty;
	/* Export, and every file written through -o, guard against formulas unless --raw. */
	o.neutralise = !cli->raw && (cli->neutralise || cli->output);
	if (cli->output) {
		/* through a temporary file renamed over the target once complete (cli_out_open) */
		if (cli_out_open(&cli->out, cli->output, &err)) {
			*rc = cli_fail(&err);
			return NULL;
		}
		if (o.format == CRM_FMT_XLSX) {
			/* libxlsxwriter writes by name: the temporary file, or a spool for a device or FIFO */
			if (!(o.path = cli_out_name(&cli->out, cli, &err))) {
				*rc = cli_fail(&err);
				struct crm_err ignored = { 0 };
				cli_out_close(&cli->out, 0, &ignored);
				return NULL;
			}
		} else {
			int fd = dup(cli->out.fd);
			o.out = cli->outfile = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (!o.out) {
				*rc = cli_error(CRM_EFAIL, "cannot write '%s': %s", cli->output, strerror(errno));
				if (fd >= 0)
					close(fd);
				cli_out_close(&cli->out, 0, &err);
				return NULL;
			}
		}
	}
	char stamp[32];
	crm_time_format_utc(cli->crm ? crm_time(cli->crm) : crm_now(cli->env.now), stamp, sizeof stamp);
	o.meta_command = cli->cmdline;
	o.meta_filter = filter_text;
	o.meta_user = cli->crm ? crm_user(cli->crm) : NULL;
	o.meta_time = stamp;
	o.warn = cli_warn_file;
	o.warn_ctx = (void *)cli->output;
	struct crm_printer *p = crm_printer_new(&o, &err);
	if (!p) {
		if (cli->outfile)
			fclose(cli->outfile);
		cli->outfile = NULL;
		*rc = cli_fail(&err);
		struct crm_err ignored = { 0 };
		cli_out_close(&cli->out, 0, &ignored);
	}
	return p;
}

int cli_printer_finish(struct cli *cli, struct crm_printer *p)
{
	struct crm_err err = { 0 };
	int rc = crm_printer_finish(p, &err);
	/* The printer does not own the -o file; a failed close is lost data, so it is an error. */
	if (cli->outfile) {
		if (fclose(cli->outfile) != 0 && !rc)
			rc = crm_error(&err, CRM_EFAIL, "cannot write '%s': %s", cli->output, strerror(errno));
		cli->outfile = NULL;
	}
	/* only a complete file replaces the target */
	if (cli->out.path) {
		struct crm_err ignored = { 0 };
		int ok = !rc && !cli->out.failed;
		int crc = cli_out_close(&cli->out, ok, ok ? &err : &ignored);
		if (!rc)
			rc = crc;
		cli->out.path = NULL;
	}
	if (rc)
		return cli_fail(&err);
	if (fflush(stdout) != 0)
		return cli_error(CRM_EFAIL, "cannot write output: %s", strerror(errno));
	return CRM_OK;
}

int cli_usage(const struct cli *cli)
{
	if (cli->verb) {
		char usage[2048];
		cmd_usage_text(cli->verb, cli_kind(cli), usage, sizeof usage);
		fprintf(stderr, "usage: crm %s%s%s\n", cli->path, *usage ? " " : "", usage);
	} else if (cli->noun) {
		fprintf(stderr, "usage: crm %s %s\n", cli->noun->name, cli->noun->usage ? cli->noun->usage : "<verb>");
	}
	return CRM_EUSAGE;
}

int cli_confirm(const struct cli *cli, const char *question)
{
	if (cli->yes)
		return 1;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return 0;
	fprintf(stderr, "%s [y/N] ", question);
	char line[16];
	if (!fgets(line, sizeof line, stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

const struct crm_kind *cli_record_kind(const char *name, const char **noun)
{
	const struct crm_kind *k = NULL;
	const char *by = NULL;
	for (int i = 0; cmd_nouns[i].name && !k; i++)
		if (cmd_nouns[i].kind && strcmp(cmd_nouns[i].name, name) == 0) {
			k = crm_kind_find(cmd_nouns[i].kind);
			by = cmd_nouns[i].name;
		}
	if (!k)
		k = crm_kind_find(name);
	for (int i = 0; k && crm_kinds[i]; i++)
		if (strcmp(crm_kinds[i]->name, k->name) == 0) {
			for (int j = 0; cmd_nouns[j].name && !by; j++)
				if (cmd_nouns[j].kind && strcmp(cmd_nouns[j].kind, k->name) == 0)
					by = cmd_nouns[j].name;
			if (noun)
				*noun = by ? by : k->name;
			return k;
		}
	return NULL; /* what crm keeps about its own work (alerts, ...) is no kind of record */
}

int cli_unknown_kind(const char *what, const char *word, const char *examples)
{
	const char *names[64];
	int n = 0;
	for (int i = 0; cmd_nouns[i].name && n < 64; i++)
		if (cmd_nouns[i].summary && cmd_nouns[i].kind && cli_record_kind(cmd_nouns[i].name, NULL))
			names[n++] = cmd_nouns[i].name;
	char hint[256];
	cli_suggest(word, names, n, hint, sizeof hint);
	if (*hint)
		return cli_error(CRM_EUSAGE, "%s '%s'; did you mean %s?", what, word, hint);
	return cli_error(CRM_EUSAGE, "%s '%s' (%s)", what, word, examples);
}

void cli_suggest(const char *word, const char *const *names, int n, char *out, size_t outsz)
{
	out[0] = '\0';
	size_t best = 3, len = 0;
	for (int i = 0; i < n; i++) {
		size_t d = crm_nearness(word, names[i]); /* a typed start of a name counts as a typo */
		if (!d)
			continue;
		if (d < best) {
			best = d;
			len = 0;
			out[0] = '\0';
		}
		if (d == best) {
			int w = snprintf(out + len, outsz - len, "%s'%s'", len ? " or " : "", names[i]);
			if (w > 0 && (size_t)w < outsz - len)
				len += (size_t)w;
		}
	}
}

/* All of standard input as text (a body typed or piped in), without trailing newlines. */
char *cli_read_stdin(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
		}
	}
	if (!buf)
		return NULL;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
}

#define MAX_TEMPLATE (1 << 20)

/* The template file's text; NULL (error printed, *rc set) when it cannot be read. */
char *cli_read_template(const char *path, int *rc)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*rc = cli_error(errno == ENOENT ? CRM_ENOTFOUND : CRM_EFAIL, "cannot read template '%s': %s", path,
				strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		fclose(f);
		*rc = cli_error(CRM_EUSAGE, "template '%s' is not a regular file", path);
		return NULL;
	}
	char *text = malloc(MAX_TEMPLATE + 1);
	size_t n = text ? fread(text, 1, MAX_TEMPLATE + 1, f) : 0;
	int bad = !text || ferror(f) || n > MAX_TEMPLATE || memchr(text, '\0', n);
	fclose(f);
	if (bad) {
		*rc = cli_error(CRM_EINVALID, "template '%s' is not text of at most 1 MiB", path);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

