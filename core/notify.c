/* The notification outbox: queued inside the transaction of the ticket operation that causes
 * it, delivered by `crm notify send` through the configured command, one claimed message at a
 * time, marked delivered only when the command succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "crm/date.h"
#include "crm/document.h"
#include "crm/notify.h"
#include "crm/sla.h"
#include "mailout.h"
#include "util.h"
#include "db.h"

/* ---------------------------------------------------------------- queueing */

/* Everyone concerned by a ticket, by address, each once, the acting user left out.
 * ?1 ticket, ?2 enum crm_notify_to, ?3 extra logins (comma list), ?4 the acting login. */
#define RECIPIENTS_SQL \
	"WITH t AS (SELECT * FROM tickets WHERE id = ?1), " \
	"r(email) AS (" \
	" SELECT u.email FROM users u, t WHERE (CAST(?2 AS INTEGER) & 3) <> 0 AND (u.id = t.assignee_id OR (t.assignee_id IS NULL " \
	"  AND t.assignee_group IS NOT NULL AND instr(',' || lower(replace(coalesce(u.groups, ''), ' ', '')) " \
	"  || ',', ',' || lower(t.assignee_group) || ',') > 0))" \
	" UNION ALL SELECT u.email FROM users u, t WHERE (CAST(?2 AS INTEGER) & 1) <> 0 AND u.id = t.reporter_id" \
	" UNION ALL SELECT c.email FROM contacts c, t WHERE (CAST(?2 AS INTEGER) & 1) <> 0 AND c.id = t.contact_id" \
	" UNION ALL SELECT u.email FROM ticket_watchers w JOIN users u ON u.id = w.user_id " \
	"  WHERE (CAST(?2 AS INTEGER) & 1) <> 0 AND w.ticket_id = ?1" \
	" UNION ALL SELECT c.email FROM ticket_watchers w JOIN contacts c ON c.id = w.contact_id " \
	"  WHERE (CAST(?2 AS INTEGER) & 1) <> 0 AND w.ticket_id = ?1" \
	" UNION ALL SELECT u.email FROM users u WHERE ?3 IS NOT NULL AND " \
	"  instr(',' || replace(?3, ' ', '') || ',', ',' || u.login || ',') > 0) " \
	"SELECT min(email) AS e FROM r WHERE coalesce(email, '') <> '' AND lower(email) NOT IN " \
	" (SELECT lower(email) FROM users WHERE login = ?4 AND email IS NOT NULL) " \
	"GROUP BY lower(email) ORDER BY lower(email)"

int crm_notify_ticket(struct crm *crm, long long ticket_id, const char *event, const char *what,
		      const char *text, unsigned to, const char *extra_logins, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT t.title, a.name, t.status, t.priority, u.login, t.assignee_group "
			  "FROM tickets t JOIN accounts a ON a.id = t.account_id "
			  "LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, ticket_id);
	if ((rc = crm_step(st)) != CRM_SQL_ROW) {
		crm_stmt_done(st);
		return rc == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "ticket %lld not found", ticket_id)
					 : crm_db_error(crm, rc, "reading a ticket", err);
	}
	const char *c[6];
	for (int i = 0; i < 6; i++)
		c[i] = (const char *)crm_col_text(st, i);
	struct strbuf subject = { 0 }, body = { 0 };
	sb_addf(&subject, "[crm #%lld] %s", ticket_id, c[0] ? c[0] : "");
	sb_addf(&body, "%s %s.\n\n", crm->user, what);
	if (text && *text)
		sb_addf(&body, "%s\n\n", text);
	sb_addf(&body, "Ticket:   #%lld %s\nAccount:  %s\nStatus:   %s\nPriority: %s\n", ticket_id,
		c[0] ? c[0] : "", c[1] ? c[1] : "", c[2] ? c[2] : "", c[3] ? c[3] : "");
	if (c[4])
		sb_addf(&body, "Assignee: %s\n", c[4]);
	else if (c[5])
		sb_addf(&body, "Assignee: group %s\n", c[5]);
	else
		sb_add(&body, "Assignee: nobody\n");
	crm_stmt_done(st);

	rc = crm_stmt_get(crm, "INSERT INTO notifications (created, ticket_id, event, recipient, subject, body, "
		      "next_attempt) SELECT ?5, ?1, ?6, e, ?7, ?8, ?5 FROM (" RECIPIENTS_SQL ") AS recipients",
		      &st, err);
	if (rc == CRM_OK) {
		char stamp[32];
		crm_time_format_utc(crm->now, stamp, sizeof stamp);
		crm_bind_int64(st, 1, ticket_id);
		crm_bind_int64(st, 2, (int)to);
		crm_bind_text(st, 3, extra_logins && *extra_logins ? extra_logins : NULL);
		crm_bind_text(st, 4, crm->user);
		crm_bind_text_copy(st, 5, stamp);
		crm_bind_text(st, 6, event);
		crm_bind_text(st, 7, subject.s);
		crm_bind_text(st, 8, body.s);
		rc = crm_step(st);
		crm_stmt_done(st);
		rc = rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "queueing notifications", err);
	}
	sb_free(&subject);
	sb_free(&body);
	return rc;
}

/* ---------------------------------------------------------------- the message */

/* ---------------------------------------------------------------- delivery */

/* Run `sh -c command` with the message on its standard input; its output (both streams) is
 * kept for the error message. Returns the exit status, or -1 if it could not run. */
static int run_command(const struct crm_env *env, const char *command, const char *msg, long long id,
		       const char *recipient, char *out, size_t outsz)
{
	out[0] = '\0';
	int logfd = crm_env_temp_fd(env, "crm-notify");
	FILE *log = logfd < 0 ? NULL : fdopen(logfd, "w+");
	if (logfd >= 0 && !log)
		close(logfd);
	int fds[2];
	if (!log)
		return snprintf(out, outsz, "cannot create a temporary file: %s", strerror(errno)), -1;
	if (pipe(fds) != 0) {
		fclose(log);
		return snprintf(out, outsz, "cannot create a pipe: %s", strerror(errno)), -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(out, outsz, "cannot start '%s': %s", command, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		fclose(log);
		return -1;
	}
	if (pid == 0) {
		char num[32];
		snprintf(num, sizeof num, "%lld", id);
		dup2(fds[0], STDIN_FILENO);
		dup2(fileno(log), STDOUT_FILENO);
		dup2(fileno(log), STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("CRM_NOTIFICATION_ID", num, 1);
		setenv("CRM_NOTIFICATION_TO", recipient, 1);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	/* A command that exits without reading all of its input must not kill crm with SIGPIPE. */
	struct sigaction ign = { 0 }, old;
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	size_t len = strlen(msg), done = 0;
	while (done < len) {
		ssize_t w = write(fds[1], msg + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rewind(log);
	size_t n = fread(out, 1, outsz - 1, log);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fclose(log);
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);
		if (code && !out[0])
			snprintf(out, outsz, "'%s' exited %d", command, code);
		if (code == 0 && done < len)
			return snprintf(out, outsz, "'%s' did not read the whole message", command), 1;
		return code;
	}
	snprintf(out, outsz, "'%s' was killed by signal %d", command, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

static long long config_duration(struct crm *crm, const char *path, long long dflt, struct crm_err *err,
				 int *rc)
{
	const char *v = crm_config_get(crm->cfg, path);
	long long secs;
	if (!v)
		return dflt;
	if (crm_duration_parse(v, &secs) || secs <= 0) {
		*rc = crm_error(err, CRM_ECONFIG, "%s must be a duration like 5m or 1h, not '%s'", path, v);
		return dflt;
	}
	return secs;
}

struct claimed {
	long long id, attempts, ticket, activity;
	char *recipient, *subject, *body, *created, *event, *sender;
};

static void claimed_free(struct claimed *c)
{
	free(c->recipient);
	free(c->sender);
	free(c->subject);
	free(c->body);
	free(c->created);
	free(c->event);
	memset(c, 0, sizeof *c);
}

/* The documents of the activity an e-mail was logged as, each copied to an unlinked temporary
 * file (documents are read in chunks, never whole in memory). */
static int activity_files(struct crm *crm, long long activity, struct crm_mail_file **out, int *n,
			  struct crm_err *err)
{
	*out = NULL;
	*n = 0;
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT id, name, content_type FROM documents WHERE noun = 'activity' AND "
			      "record_id = ? ORDER BY id", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, activity);
	struct crm_mail_file *f = NULL;
	long long *ids = NULL;
	int cap = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			f = xrealloc(f, (size_t)cap * sizeof *f);
			ids = xrealloc(ids, (size_t)cap * sizeof *ids);
		}
		ids[*n] = crm_col_int64(st, 0);
		f[*n].name = xstrdup((const char *)crm_col_text(st, 1));
		f[*n].content_type = crm_col_type(st, 2) == CRM_COL_NULL ? NULL : xstrdup((const char *)crm_col_text(st, 2));
		f[*n].fd = -1;
		(*n)++;
	}
	crm_stmt_done(st);
	*out = f;
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading an e-mail's attachments", err);
	for (int i = 0; !rc && i < *n; i++) {
		f[i].fd = crm_env_temp_fd(&crm->env, "crm-attach");
		if (f[i].fd < 0)
			rc = crm_error(err, CRM_EFAIL, "cannot create a temporary file in '%s': %s",
				       crm_env_tmpdir(&crm->env), strerror(errno));
		else
			rc = crm_doc_get(crm, ids[i], f[i].fd, 0, err);
	}
	free(ids);
	return rc;
}

static void files_free(struct crm_mail_file *f, int n)
{
	for (int i = 0; i < n; i++) {
		free((char *)f[i].name);
		free((char *)f[i].content_type);
		if (f[i].fd >= 0)
			close(f[i].fd);
	}
	free(f);
}

/* The message for one notification (GMime builds it: core/mailout.c); NULL with err set when an
 * address is none or an attachment cannot be read. */
static char *compose(struct crm *crm, const struct claimed *c, struct crm_err *err)
{
	const char *from = c->sender ? c->sender : crm_config_get(crm->cfg, "notify.from");
	time_t t = crm_time_parse_iso(c->created);
	/* A stable Message-ID lets a mail system drop a copy re-sent after a lost acknowledgement. */
	char message_id[96], num[32];
	snprintf(message_id, sizeof message_id, "crm-%s-%lld.%lld@crm", c->activity ? "email" : "notification", c->id,
		 (long long)(t == (time_t)-1 ? 0 : t));
	snprintf(num, sizeof num, "%lld", c->ticket);
	/* personal e-mail is not auto-generated; notifications are, and say about what */
	const char *notification[] = { "Auto-Submitted", "auto-generated", "X-CRM-Event", c->event,
				       c->ticket ? "X-CRM-Ticket" : NULL, num, NULL };
	struct crm_mail_out m = { .from = from && *from ? from : "crm@localhost", .to = c->recipient,
				  .subject = c->subject, .body = c->body, .date = t, .message_id = message_id,
				  .headers = c->activity ? NULL : notification };
	struct crm_mail_file *files = NULL;
	int nfiles = 0;
	char *msg = NULL;
	if (!c->activity || !activity_files(crm, c->activity, &files, &nfiles, err)) {
		m.files = files;
		m.nfiles = nfiles;
		msg = crm_mail_compose(&m, err);
	}
	files_free(files, nfiles);
	return msg;
}

/* Take the oldest due message no one holds, for lease seconds. 1: claimed, 0: none left. */
static int claim(struct crm *crm, const char *owner, time_t now, long long lease, struct claimed *c,
		 struct crm_err *err)
{
	char stamp[32], until[32];
	crm_time_format_utc(now, stamp, sizeof stamp);
	crm_time_format_utc(now + (time_t)lease, until, sizeof until);
	/* The backend's way for concurrent senders: on PostgreSQL the chosen row is locked and
	 * another sender skips it (FOR UPDATE SKIP LOCKED); on SQLite writers take turns. */
	int rc = crm_tx_begin_queue(crm, err);
	if (rc)
		return -rc;
	crm_stmt *st;
	char sql[512];
	snprintf(sql, sizeof sql, "UPDATE notifications SET lease_owner = ?1, lease_until = ?2 WHERE id = "
		 "(SELECT id FROM notifications WHERE delivered IS NULL AND next_attempt <= ?3 AND "
		 "(lease_until IS NULL OR lease_until <= ?3) ORDER BY id LIMIT 1 %s) "
		 "RETURNING id, attempts, ticket_id, recipient, subject, body, created, event, sender, activity_id",
		 crm_store_skip_locked(crm));
	if ((rc = crm_stmt_get(crm, sql, &st, err))) {
		crm_tx_rollback(crm);
		return -rc;
	}
	crm_bind_text(st, 1, owner);
	crm_bind_text(st, 2, until);
	crm_bind_text(st, 3, stamp);
	int got = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		got = 1;
		c->id = crm_col_int64(st, 0);
		c->attempts = crm_col_int64(st, 1);
		c->ticket = crm_col_int64(st, 2);
		c->recipient = xstrdup((const char *)crm_col_text(st, 3));
		c->subject = xstrdup((const char *)crm_col_text(st, 4));
		c->body = xstrdup((const char *)crm_col_text(st, 5));
		c->created = xstrdup((const char *)crm_col_text(st, 6));
		c->event = xstrdup((const char *)crm_col_text(st, 7));
		c->sender = crm_col_type(st, 8) == CRM_COL_NULL ? NULL : xstrdup((const char *)crm_col_text(st, 8));
		c->activity = crm_col_type(st, 9) == CRM_COL_NULL ? 0 : crm_col_int64(st, 9);
	}
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "claiming a notification", err);
		crm_tx_rollback(crm);
		claimed_free(c);
		return -rc;
	}
	if ((rc = crm_tx_commit(crm, err))) {
		claimed_free(c);
		return -rc;
	}
	return got;
}

/* Record the outcome, if the claim is still ours (a lease that ran out may have passed on). */
static int settle(struct crm *crm, const struct claimed *c, const char *owner, time_t now, int ok,
		  const char *error, long long retry, long long retry_max, struct crm_err *err)
{
	char stamp[32], next[32];
	crm_time_format_utc(now, stamp, sizeof stamp);
	long long delay = retry;
	for (long long i = 0; i < c->attempts && delay < retry_max; i++)
		delay *= 2; /* 5m, 10m, 20m, ... up to retry_max */
	if (delay > retry_max)
		delay = retry_max;
	crm_time_format_utc(now + (time_t)delay, next, sizeof next);
	/* Guarded by its condition (still our lease): no serialization needed beyond the row's. */
	int rc = crm_tx_begin_queue(crm, err);
	if (rc)
		return rc;
	crm_stmt *st;
	rc = crm_stmt_get(crm, ok ? "UPDATE notifications SET delivered = ?3, attempts = attempts + 1, lease_owner = NULL, "
			      "lease_until = NULL, last_error = NULL WHERE id = ?1 AND lease_owner = ?2"
			    : "UPDATE notifications SET attempts = attempts + 1, next_attempt = ?4, last_error = ?5, "
			      "lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2",
		      &st, err);
	if (rc) {
		crm_tx_rollback(crm);
		return rc;
	}
	crm_bind_int64(st, 1, c->id);
	crm_bind_text(st, 2, owner);
	if (ok) {
		crm_bind_text(st, 3, stamp);
	} else {
		crm_bind_text(st, 4, next);
		crm_bind_text(st, 5, error);
	}
	int src = crm_step(st);
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE) {
		crm_tx_rollback(crm);
		return crm_db_error(crm, src, "recording a delivery", err);
	}
	return crm_tx_commit(crm, err);
}

int crm_notify_send(struct crm *crm, long long limit, struct crm_notify_result *res,
		    struct crm_err *err)
{
	memset(res, 0, sizeof *res);
	const char *command = crm_config_get(crm->cfg, "notify.command");
	if (!command || !*command)
		return crm_error(err, CRM_ECONFIG, "notify.command is not set: name the program that takes a "
				 "message on standard input (for example sendmail -t)");
	int rc = CRM_OK;
	long long retry = config_duration(crm, "notify.retry", 300, err, &rc);
	long long retry_max = config_duration(crm, "notify.retry_max", 6 * 3600, err, &rc);
	long long lease = config_duration(crm, "notify.lease", 600, err, &rc);
	if (rc)
		return rc;
	/* Elapsed real time is added to crm->now (which CRM_NOW may fix) so leases age. */
	time_t started = time(NULL);
	char owner[128], host[64] = "localhost";
	gethostname(host, sizeof host - 1);
	snprintf(owner, sizeof owner, "%s:%ld:%lld", host, (long)getpid(), (long long)started);
	for (long long n = 0; limit <= 0 || n < limit; n++) {
		time_t now = crm->now + (time(NULL) - started);
		struct claimed c = { 0 };
		int got = claim(crm, owner, now, lease, &c, err);
		if (got < 0)
			return -got;
		if (got == 0)
			break;
		struct crm_err cerr = { 0 };
		char *msg = compose(crm, &c, &cerr);
		char output[512];
		/* a message that cannot be built fails as a delivery does, saying why, and is retried */
		int status = msg ? run_command(&crm->env, command, msg, c.id, c.recipient, output, sizeof output)
				 : (snprintf(output, sizeof output, "%.500s", cerr.msg), 1);
		free(msg);
		now = crm->now + (time(NULL) - started);
		rc = settle(crm, &c, owner, now, status == 0, output, retry, retry_max, err);
		if (status == 0)
			res->delivered++;
		else
			res->failed++;
		claimed_free(&c);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

int crm_notify_list(struct crm *crm, int pending_only, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, pending_only
			     ? "SELECT id, created, ticket_id, event, recipient, subject, attempts, next_attempt, "
			       "delivered, last_error FROM notifications WHERE delivered IS NULL ORDER BY id"
			     : "SELECT id, created, ticket_id, event, recipient, subject, attempts, next_attempt, "
			       "delivered, last_error FROM notifications ORDER BY id", &st, err);
	if (rc)
		return rc;
	static const char *const names[] = { "id", "created", "ticket", "event", "recipient", "subject",
					     "attempts", "next_attempt", "delivered", "last_error" };
	static const enum crm_vtype types[] = { CRM_V_INT, CRM_V_TIME, CRM_V_INT, CRM_V_TEXT, CRM_V_TEXT,
						CRM_V_TEXT, CRM_V_INT, CRM_V_TIME, CRM_V_TIME, CRM_V_TEXT };
	crm_printer_columns(p, names, 10);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		struct crm_value cells[10];
		for (int i = 0; i < 10; i++) {
			const char *t = (const char *)crm_col_text(st, i);
			cells[i] = (struct crm_value){ t ? types[i] : CRM_V_NULL, t };
		}
		crm_printer_row(p, cells);
	}
	crm_finalize(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading notifications", err);
}
