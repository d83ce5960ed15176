/* The pager, as git has it: on a terminal, what a command prints goes through $CRM_PAGER,
 * $PAGER, else "less -FRX" (one screen or less is printed and less quits at once). Not with
 * --no-pager, not when stdout is not a terminal, nor for commands that write, ask or print
 * bytes (CMD_WRITE, CMD_NOPAGER). The pager is a child reading our stdout through a pipe; crm
 * waits for it before exiting, also when interrupted, so the prompt comes back after it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd.h"

static pid_t pager_pid = -1;

static void wait_for_pager(void)
{
	if (pager_pid < 0)
		return;
	fflush(stdout);
	close(STDOUT_FILENO); /* the pager sees the end of its input */
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}

static void on_signal(int sig)
{
	if (pager_pid >= 0) {
		close(STDOUT_FILENO);
		while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
			;
		pager_pid = -1;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The pager command to run, or NULL for none. */
static const char *pager_command(const struct cli *cli)
{
	const char *p = cli->env.crm_pager ? cli->env.crm_pager : cli->env.pager;
	if (!p) {
		const char *term = cli->env.term;
		if (!term || strcmp(term, "dumb") == 0)
			return NULL;
		p = "less -FRX";
	}
	if (!*p || strcmp(p, "cat") == 0)
		return NULL;
	return p;
}

/* Words of a command with no shell syntax, run without a shell so that a pager that is not
 * there is noticed (and the output printed unpaged); anything else goes through sh -c. */
static int split_words(const char *cmd, char *buf, size_t size, char **words, int max)
{
	if (strpbrk(cmd, "\"'\\$`|&;<>()*?[]{}~#=\n") || strlen(cmd) >= size)
		return 0;
	strcpy(buf, cmd);
	int n = 0;
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == max - 1)
			return 0;
		words[n++] = w;
	}
	words[n] = NULL;
	return n;
}

void cli_pager_start(struct cli *cli, unsigned flags)
{
	if (pager_pid >= 0 || cli->no_pager || !cli->stdout_tty || cli->output ||
	    (flags & (CMD_WRITE | CMD_READWRITE | CMD_NOPAGER)))
		return;
	const char *cmd = pager_command(cli);
	if (!cmd)
		return;
	char buf[1024], *words[32];
	int direct = split_words(cmd, buf, sizeof buf, words, 32);
	int data[2], status[2];
	if (pipe(data) != 0)
		return;
	if (pipe(status) != 0) {
		close(data[0]);
		close(data[1]);
		return;
	}
	fcntl(status[1], F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		close(data[0]);
		close(data[1]);
		close(status[0]);
		close(status[1]);
		return;
	}
	if (pid == 0) {
		close(status[0]);
		dup2(data[0], STDIN_FILENO);
		close(data[0]);
		close(data[1]);
		/* as git: a less named by $PAGER shows colour and quits on one screen unless the user
		 * set LESS (or LV for lv) themselves */
		if (!cli->env.less)
			setenv("LESS", "FRX", 1);
		if (!cli->env.lv)
			setenv("LV", "-c", 1);
		if (direct)
			execvp(words[0], words);
		else
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		int e = errno;
		if (write(status[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(data[0]);
	close(status[1]);
	int e = 0;
	ssize_t got;
	while ((got = read(status[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(status[0]);
	if (got > 0) { /* it could not be started: print unpaged */
		close(data[1]);
		waitpid(pid, NULL, 0);
		fprintf(stderr, "crm: cannot run the pager '%s': %s; printing without it\n", cmd, strerror(e));
		return;
	}
	dup2(data[1], STDOUT_FILENO);
	close(data[1]);
	pager_pid = pid;
	atexit(wait_for_pager);
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		signal(sigs[i], on_signal);
}
