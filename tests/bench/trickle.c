/* trickle.c - feed hgtop one long line in small pieces and report the CPU
 * it used (a partial line used to be rescanned whole on every
 * append, so the cost grew with the square of its length).
 *
 *	trickle HGTOP MB stdin		hgtop --batch --follow -, fed by a pipe
 *	trickle HGTOP MB DIR		hgtop --batch --follow DIR, appending to
 *					DIR/trickle.jsonl
 *
 * Writes MB MiB of 'x' in 64 KiB pieces every 2 ms, then '\n', then ends
 * the stream (stdin) or waits 1 s and sends SIGTERM (DIR). Prints
 * "MB user+sys-seconds" of hgtop, from wait4(2). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "benchutil.h"

#define PIECE (64 * 1024)
#define INTERVAL_MS 2

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

int
main(int argc, char **argv)
{
	static char piece[PIECE];
	struct rusage ru;
	char *path = NULL;
	int pfd[2] = { -1, -1 }, out, st;
	long mb, i, pieces;
	pid_t pid;

	if (argc != 4 || (mb = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: trickle HGTOP MB stdin|DIR\n");
		return 2;
	}
	memset(piece, 'x', sizeof(piece));
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[3], "stdin") == 0) {
		if (pipe(pfd) < 0)
			die("pipe: %s", strerror(errno));
	} else {
		path = xasprintf("%s/trickle.jsonl", argv[3]);
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		if (out < 0)
			die("%s: %s", path, strerror(errno));
		close(out);
	}
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (pfd[0] >= 0) {
			dup2(pfd[0], STDIN_FILENO);
			close(pfd[0]);
			close(pfd[1]);
		}
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execl(argv[1], argv[1], "--batch", "--follow", "--no-config",
		      pfd[0] >= 0 ? "-" : argv[3], (char *)NULL);
		_exit(127);
	}
	if (pfd[0] >= 0) {
		close(pfd[0]);
		out = pfd[1];
	} else {
		sleep_ms(300);	/* let it start watching */
		out = open(path, O_WRONLY | O_APPEND);
		if (out < 0)
			die("%s: %s", path, strerror(errno));
	}
	pieces = mb * (1024 * 1024 / PIECE);
	for (i = 0; i < pieces; i++) {
		write_all(out, piece, sizeof(piece));
		sleep_ms(INTERVAL_MS);
	}
	write_all(out, "\n", 1);
	close(out);
	if (!path) {
		/* The stream ended: hgtop reads the rest and exits. */
	} else {
		sleep_ms(1000);
		kill(pid, SIGTERM);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		die("wait4: %s", strerror(errno));
	printf("%ld %.2f\n", mb,
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	free(path);
	return 0;
}
