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

const struct crm_kind *cli_kind(const struct cli *cli)
{
	return cli->kind ? crm_kind_find(cli->kind) : NULL;
}

struct crm *cli_retrying;

static int stdin_spooled;
static off_t stdin_start;

int cli_stdin_spool(void)
{
	if (stdin_spooled || isatty(STDIN_FILENO))
		return 0;
	struct stat sb;
	if (fstat(STDIN_FILENO, &sb) != 0)
		return 0; /* closed: every reader says so itself */
	off_t at = S_ISREG(sb.st_mode) ? lseek(STDIN_FILENO, 0, SEEK_CUR) : -1;
	if (at >= 0) {
		stdin_start = at;
		stdin_spooled = 1;
		return 0;
	}
	FILE *tmp = tmpfile(); /* unlinked already: nothing is left behind */
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

int cli_fail(const struct crm_err *err)
{
	/* A command that lost to a concurrent writer is run again: its error is not the last word. */
	if (!(cli_retrying && crm_retry_pending(cli_retrying)))
		fprintf(stderr, "crm: %s\n", err->msg[0] ? err->msg : "failed");
	return err->code ? err->code : 1;
}

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("crm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void cli_info(const struct cli *cli, const char *fmt, ...)
{
	if (cli->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

int cli_structured(const struct cli *cli)
{
	enum crm_format f = cli_format(cli);
	return f == CRM_FMT_JSON || f == CRM_FMT_NDJSON || f == CRM_FMT_YAML;
}

int cli_out_open(struct cli_out *o, const char *path, struct crm_err *err)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->path = path;
	mode_t mask = umask(0);
	umask(mask);
	o->mode = 0666 & ~mask;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return crm_error(err, CRM_EFAIL, "will not write through the symbolic link '%s'; name the file "
					 "itself", path);
		if (S_ISDIR(st.st_mode))
			return crm_error(err, CRM_EFAIL, "cannot write '%s': it is a directory", path);
		if (!S_ISREG(st.st_mode) || st.st_nlink > 1) {
			/* a device, a FIFO or a hard-linked file: written where it is */
			o->fd = open(path, O_WRONLY | O_NOFOLLOW | (S_ISREG(st.st_mode) ? O_TRUNC : 0));
			if (o->fd < 0)
				return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
			o->in_place = 1;
			return CRM_OK;
		}
		o->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		return crm_error(err, CRM_EFAIL, "cannot write '%s': %s", path, strerror(errno));
	}
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

int cli_out_close(struct cli_out *o, int ok, struct crm_err *err)
{
	int rc = CRM_OK;
	if (o->fd >= 0) {
		if (ok && o->tmp && (fchmod(o->fd, (mode_t)o->mode) != 0 || fsync(o->fd) != 0))
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		if (close(o->fd) != 0 && ok && !rc)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		o->fd = -1;
	}
	if (o->tmp) {
		if (ok && !rc && rename(o->tmp, o->path) != 0)
			rc = crm_error(err, CRM_EFAIL, "cannot write '%s': %s", o->path, strerror(errno));
		if (!ok || rc)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	return rc;
}

/* What a printer could not write as given (xlsx: cells cut to Excel's limit), about file ctx. */
static void cli_warn_file(void *ctx, const char *msg)
{
	fprintf(stderr, "crm: '%s': %s\n", ctx ? (const char *)ctx : "-", msg);
}

struct crm_printer *cli_printer(struct cli *cli, const char *filter_text, int *rc)
{
	struct crm_printer_opts o = { 0 };
	struct crm_err err = { 0 };
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
			o.path = cli->out.tmp ? cli->out.tmp : cli->output;
			if (!cli->out.tmp) { /* libxlsxwriter writes the device or FIFO by its name */
				close(cli->out.fd);
				cli->out.fd = -1;
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

static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int m = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < m)
				m = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < m)
				m = d[i - 1][j - 1] + cost;
			d[i][j] = m;
		}
	return d[la][lb];
}

void cli_suggest(const char *word, const char *const *names, int n, char *out, size_t outsz)
{
	out[0] = '\0';
	int best = 3;
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		int d = distance(word, names[i]);
		/* A typed prefix of a real name is as good a hint as a typo. */
		if (strncmp(names[i], word, strlen(word)) == 0 && strlen(word) >= 2)
			d = 1;
		if (d < best) {
			best = d;
			len = 0;
			out[0] = '\0';
		}
		if (d == best && d < 3) {
			int w = snprintf(out + len, outsz - len, "%s'%s'", len ? " or " : "", names[i]);
			if (w > 0 && (size_t)w < outsz - len)
				len += (size_t)w;
		}
	}
}
