/* follow_latency.c - append→output latency of a follower, and its idle CPU.
 *
 *   follow_latency [-n TRIALS] [-i IDLE_S] [-p PAD] [-w WARMUP_S] FILE -- CMD [ARG]...
 *
 * Starts CMD (e.g. `tail -n0 -F FILE` or `hgtop --batch --follow --json
 * FILE`) with its stdout on a pipe, then TRIALS times appends one complete
 * entry line to FILE the way hyperguild does (O_APPEND, one write(2)) and
 * times until the line's unique token is read back from the pipe. Then it
 * leaves CMD alone for IDLE_S seconds and reports the CPU ticks it used
 * (utime + stime from /proc/PID/stat). The last output line is
 *   RESULT n=.. median_ms=.. p90_ms=.. p99_ms=.. max_ms=.. timeouts=.. idle_ticks=.. idle_s=..
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "hgtop/gen.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

#include "benchutil.h"

struct follower {
	pid_t pid;
	int fd;			/* read end of its stdout */
	struct hg_buf seen;	/* output not yet matched */
};

static void
spawn(struct follower *f, char **cmd)
{
	int p[2], null;

	if (pipe(p) < 0)
		die("pipe: %s", strerror(errno));
	f->pid = fork();
	if (f->pid < 0)
		die("fork: %s", strerror(errno));
	if (f->pid == 0) {
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(null, 2);
		close(p[0]);
		close(p[1]);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(p[1]);
	f->fd = p[0];
	fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
}

/* Read what is there; false when the follower closed its output. */
static bool
pump(struct follower *f)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(f->fd, chunk, sizeof(chunk));
		if (n > 0) {
			hg_buf_add(&f->seen, chunk, (size_t)n);
			continue;
		}
		if (n == 0)
			return false;
		return errno == EAGAIN || errno == EINTR;
	}
}

/* Wait until token shows up in the output; returns false on timeout. */
static bool
wait_token(struct follower *f, const char *token, int64_t deadline_ns)
{
	size_t tl = strlen(token);
	struct pollfd pfd = { f->fd, POLLIN, 0 };
	const char *hit;
	int64_t left;

	for (;;) {
		hit = f->seen.len ? memmem(f->seen.p, f->seen.len, token, tl) : NULL;
		if (hit) {
			size_t keep = f->seen.len - (size_t)(hit + tl - f->seen.p);

			memmove(f->seen.p, hit + tl, keep);
			f->seen.len = keep;
			return true;
		}
		if (f->seen.len > (1u << 20)) {
			/* Keep a tail that might hold the start of the token. */
			memmove(f->seen.p, f->seen.p + f->seen.len - tl, tl);
			f->seen.len = tl;
		}
		left = deadline_ns - hg_now_mono_ns();
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)(left / 1000000) + 1) > 0 && !pump(f))
			die("the follower closed its output");
	}
}

/* One probe entry, exactly as hyperguild would write it. */
static void
probe_line(struct hg_buf *b, const char *sid, const char *token, size_t pad)
{
	char msg[128], ts[HG_TIME_LEN];
	size_t i;

	hg_buf_reset(b);
	hg_buf_adds(b, "{\"session_id\":");
	hg_json_string(b, sid, strlen(sid), 0);
	hg_buf_adds(b, ",\"timestamp\":\"");
	hg_format_time(hg_now_wall_ns(), 0, false, ts, sizeof(ts));
	hg_buf_adds(b, ts);
	hg_buf_adds(b, "\",\"skill\":\"write-file\",\"attempts\":[{\"attempt\":1,"
		    "\"model\":\"qwen2.5-coder-7b\",\"tier\":\"local\",\"duration_ms\":1234,"
		    "\"warm_start\":true,\"verified\":true,\"verdict\":\"accept\"");
	if (pad) {
		hg_buf_adds(b, ",\"output_summary\":\"");
		for (i = 0; i < pad; i++)
			hg_buf_addc(b, "lorem ipsum "[i % 12]);
		hg_buf_addc(b, '"');
	}
	snprintf(msg, sizeof(msg), "latency probe %s", token);
	hg_buf_adds(b, "}],\"final_status\":\"ok\",\"duration_ms\":1300,\"message\":");
	hg_json_string(b, msg, strlen(msg), 0);
	hg_buf_adds(b, "}\n");
}

static void
warm_up(struct follower *f, const char *file, const char *sid, int warm_s)
{
	struct hg_buf b = { 0 };
	int64_t end = hg_now_mono_ns() + (int64_t)warm_s * 1000000000LL;
	char token[64];
	int k = 0;

	/* The follower may still be loading or not watching yet: probe until
	 * one comes back. */
	do {
		snprintf(token, sizeof(token), "warmup-%d-%d", (int)getpid(), k++);
		probe_line(&b, sid, token, 0);
		append(file, &b);
		if (wait_token(f, token, hg_now_mono_ns() + 1000000000LL)) {
			hg_buf_free(&b);
			return;
		}
	} while (hg_now_mono_ns() < end);
	die("the follower printed no probe within %d s", warm_s);
}

static void
stop(struct follower *f)
{
	int i;

	kill(f->pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(f->pid, NULL, WNOHANG) == f->pid)
			return;
		sleep_ms(10);
	}
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
}

int
main(int argc, char **argv)
{
	int trials = 200, idle_s = 10, warm_s = 60, c, i, n = 0, timeouts = 0;
	size_t pad = 0;
	struct follower f = { 0, -1, { 0 } };
	struct hg_buf b = { 0 };
	struct hg_gen g;
	int64_t *lat, t0;
	long long ticks0, ticks1;
	char token[64], *sid;
	const char *file;

	while ((c = getopt(argc, argv, "+n:i:p:w:")) != -1) {
		switch (c) {
		case 'n': trials = atoi(optarg); break;
		case 'i': idle_s = atoi(optarg); break;
		case 'p': pad = (size_t)atol(optarg); break;
		case 'w': warm_s = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (optind + 2 >= argc || strcmp(argv[optind + 1], "--") != 0 || trials < 1)
		goto usage;
	file = argv[optind];
	sid = session_of(file);
	signal(SIGPIPE, SIG_IGN);
	spawn(&f, argv + optind + 2);
	warm_up(&f, file, sid, warm_s);
	lat = xcalloc((size_t)trials, sizeof(*lat));
	hg_gen_init(&g, (uint64_t)getpid(), 0);
	for (i = 0; i < trials; i++) {
		sleep_ms(hg_gen_range(&g, 20, 60));
		pump(&f);
		f.seen.len = 0;
		snprintf(token, sizeof(token), "probe-%d-%d-%08llx", (int)getpid(), i,
			 (unsigned long long)(hg_gen_u64(&g) & 0xffffffffu));
		probe_line(&b, sid, token, pad);
		t0 = hg_now_mono_ns();
		append(file, &b);
		if (wait_token(&f, token, t0 + 5000000000LL))
			lat[n++] = hg_now_mono_ns() - t0;
		else
			timeouts++;
	}
	ticks0 = cpu_ticks(f.pid);
	sleep_ms((long)idle_s * 1000);
	ticks1 = cpu_ticks(f.pid);
	stop(&f);
	hg_gen_free(&g);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_i64);
	printf("RESULT n=%d median_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f timeouts=%d "
	       "idle_ticks=%lld idle_s=%d clk_tck=%ld\n", n,
	       n ? ms_at(lat, n, 0.5) : -1.0, n ? ms_at(lat, n, 0.9) : -1.0,
	       n ? ms_at(lat, n, 0.99) : -1.0, n ? (double)lat[n - 1] / 1e6 : -1.0,
	       timeouts, ticks0 >= 0 && ticks1 >= 0 ? ticks1 - ticks0 : -1LL, idle_s,
	       sysconf(_SC_CLK_TCK));
	free(lat);
	free(sid);
	hg_buf_free(&b);
	hg_buf_free(&f.seen);
	return 0;
usage:
	fprintf(stderr, "usage: follow_latency [-n TRIALS] [-i IDLE_S] [-p PAD] [-w WARMUP_S] FILE -- CMD [ARG]...\n");
	return 2;
}
