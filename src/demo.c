/* demo.c - `hgtop --demo`: temporary sessions and a live simulated writer. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "hgtop/demo.h"
#include "hgtop/gen.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

#define DEMO_SESSIONS 4
#define DEMO_MAX_SESSIONS 32

struct demo_state {
	const char *dir;
	char ids[DEMO_MAX_SESSIONS][64];
	int n;
	int tz_min;
	struct hg_gen g;
	struct hg_buf line;
};

/* Minutes east of UTC of the local zone now, as Go's time.Now() writes. */
static int
local_tz_min(void)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

/* Append one whole line the way hyperguild's session.Append does. */
static int
append_line(const char *dir, const char *id, const char *p, size_t n)
{
	char path[4096];
	ssize_t w;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.jsonl", dir, id);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		n -= (size_t)w;
	}
	close(fd);
	return n == 0 ? 0 : -1;
}

/* Copy the text of the first "key":"value" in a line into buf. */
static void
line_field(const char *line, const char *key, char *buf, size_t n)
{
	char pat[64];
	const char *s, *e;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	buf[0] = '\0';
	s = strstr(line, pat);
	if (!s)
		return;
	s += strlen(pat);
	e = strchr(s, '"');
	if (e && (size_t)(e - s) < n) {
		memcpy(buf, s, (size_t)(e - s));
		buf[e - s] = '\0';
	}
}

/* An annotation entry, as hgtop's `a` key writes it, on line target. */
static void
annotation_line(struct demo_state *st, const char *id, int target, const char *target_line)
{
	char ts[64], skill[64], now[HG_TIME_LEN];
	const char *msg = "flaky on CI too \xe2\x80\x94 see <ticket 4211> & rerun";

	line_field(target_line, "timestamp", ts, sizeof(ts));
	line_field(target_line, "skill", skill, sizeof(skill));
	hg_buf_reset(&st->line);
	hg_buf_printf(&st->line, "{\"session_id\":\"%s\",\"timestamp\":\"", id);
	hg_format_time(st->g.now_ns, st->tz_min, false, now, sizeof(now));
	hg_buf_adds(&st->line, now);
	hg_buf_printf(&st->line, "\",\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":%d,"
		      "\"target_timestamp\":\"%s\",\"target_skill\":\"%s\",\"author\":\"demo\"},"
		      "\"final_status\":\"annotation\",\"message\":", target, ts, skill);
	hg_json_string(&st->line, msg, strlen(msg), 0);
	hg_buf_adds(&st->line, "}\n");
	st->g.now_ns += 1500000000;
}

/* A past session's file looks as old as its last entry. */
static void
set_mtime(const char *dir, const char *id, int64_t ns)
{
	struct timespec ts[2];
	char path[4096];

	ts[0].tv_sec = ts[1].tv_sec = (time_t)(ns / 1000000000);
	ts[0].tv_nsec = ts[1].tv_nsec = (long)(ns % 1000000000);
	snprintf(path, sizeof(path), "%s/%s.jsonl", dir, id);
	utimensat(AT_FDCWD, path, ts, 0);
}

/* One past session: entries spaced a few seconds apart, ending `end_ns`. */
static int
fill_session(struct demo_state *st, int idx, int n, int64_t end_ns)
{
	static const struct hg_gen_knot long_knots[] = { { 0.0, 120000 }, { 1.0, 200000 } };
	struct hg_gen_opts o, big;
	char *first = NULL;
	int i, rc = 0;

	hg_gen_opts_init(&o);
	o.tz_min = st->tz_min;
	big = o;
	big.knots = long_knots;
	big.n_knots = HG_ARRAY_SIZE(long_knots);
	st->g.now_ns = end_ns - (int64_t)n * 3400000000LL;
	for (i = 1; i <= n && rc == 0; i++) {
		hg_buf_reset(&st->line);
		if (idx == 2 && i == n / 2)
			hg_gen_malformed(&st->g, &st->line, st->ids[idx]);
		else if (idx == 1 && i == n - 3)
			annotation_line(st, st->ids[idx], 3, first);
		else
			hg_gen_entry(&st->g, &st->line, st->ids[idx], i == n - 5 ? &big : &o);
		if (i == 3)
			first = xstrdup(st->line.p);
		rc = append_line(st->dir, st->ids[idx], st->line.p, st->line.len);
	}
	free(first);
	if (rc == 0)
		set_mtime(st->dir, st->ids[idx], st->g.now_ns);
	return rc;
}

static int
fill_sessions(struct demo_state *st)
{
	int64_t now = hg_now_wall_ns();
	int i;

	for (i = 0; i < DEMO_SESSIONS; i++) {
		hg_gen_session_id(&st->g, st->ids[i], sizeof(st->ids[i]));
		/* Older sessions end further back; the newest ~20 s ago. */
		if (fill_session(st, i, 24 + (int)hg_gen_range(&st->g, 0, 16),
				 now - (int64_t)(DEMO_SESSIONS - 1 - i) * 1800000000000LL - 20000000000LL) < 0)
			return -1;
	}
	st->n = DEMO_SESSIONS;
	return 0;
}

/* The writer */

/* Signal dispositions inherited from the parent (hgtop's own handlers)
 * must not run in the writer: reset them all, then unblock. */
static void
writer_signals(void)
{
	struct sigaction sa;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
}

static void
writer_detach(pid_t parent)
{
	struct rlimit rl;
	int fd, max = 1024;

	writer_signals();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536)
		max = (int)rl.rlim_cur;
	for (fd = 3; fd < max; fd++)
		close(fd);
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Which session gets the next entry: mostly the newest, now and then a
 * brand-new one. */
static int
writer_pick(struct demo_state *st)
{
	if (st->n < DEMO_MAX_SESSIONS && hg_gen_range(&st->g, 0, 99) < 4) {
		hg_gen_session_id(&st->g, st->ids[st->n], sizeof(st->ids[0]));
		return st->n++;
	}
	if (hg_gen_range(&st->g, 0, 1))
		return st->n - 1;
	return (int)hg_gen_range(&st->g, 0, st->n - 1);
}

static void __attribute__((noreturn))
writer_main(struct demo_state *st, pid_t parent)
{
	struct hg_gen_opts o;
	int idx;

	writer_detach(parent);
	hg_gen_opts_init(&o);
	o.tz_min = st->tz_min;
	for (;;) {
		sleep_ms(hg_gen_range(&st->g, 1000, 2000));
		if (getppid() != parent)
			_exit(0);
		idx = writer_pick(st);
		st->g.now_ns = hg_now_wall_ns();
		hg_buf_reset(&st->line);
		hg_gen_entry(&st->g, &st->line, st->ids[idx], &o);
		append_line(st->dir, st->ids[idx], st->line.p, st->line.len);
	}
}

/* Start, stop */

static uint64_t
demo_seed(void)
{
	const char *s = getenv("HGTOP_DEMO_SEED");

	if (s && *s)
		return strtoull(s, NULL, 0);
	return (uint64_t)hg_now_wall_ns() ^ ((uint64_t)getpid() << 32);
}

static char *
demo_mkdtemp(char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = xasprintf("%s/hgtop-demo-XXXXXX", tmp);
	if (!mkdtemp(path)) {
		snprintf(err, errlen, "%s: cannot create the demo directory: %s", tmp, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void
remove_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
hg_demo_start(struct hg_demo *d, char *err, size_t errlen)
{
	struct demo_state st;
	sigset_t all, old;
	pid_t parent = getpid(), pid;

	memset(d, 0, sizeof(*d));
	memset(&st, 0, sizeof(st));
	d->dir = demo_mkdtemp(err, errlen);
	if (!d->dir)
		return -1;
	st.dir = d->dir;
	st.tz_min = local_tz_min();
	hg_gen_init(&st.g, demo_seed(), hg_now_wall_ns());
	if (fill_sessions(&st) < 0) {
		snprintf(err, errlen, "%s: cannot write demo sessions: %s", d->dir, strerror(errno));
		goto fail;
	}
	/* Block signals across fork() so none reaches the writer before its
	 * inherited handlers are reset. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		writer_main(&st, parent);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		snprintf(err, errlen, "cannot start the demo writer: %s", strerror(errno));
		goto fail;
	}
	d->pid = pid;
	hg_buf_free(&st.line);
	hg_gen_free(&st.g);
	return 0;
fail:
	hg_buf_free(&st.line);
	hg_gen_free(&st.g);
	remove_tree(d->dir);
	free(d->dir);
	d->dir = NULL;
	return -1;
}

bool
hg_demo_reap(struct hg_demo *d)
{
	pid_t r;

	if (d->pid <= 0 || d->reaped)
		return true;
	r = waitpid(d->pid, &d->status, WNOHANG);
	/* ECHILD: someone else's waitpid(-1) reaped it already. */
	if (r == d->pid || (r < 0 && errno == ECHILD)) {
		d->reaped = true;
		return true;
	}
	return false;
}

void
hg_demo_stop(struct hg_demo *d)
{
	if (d->pid > 0 && !d->reaped) {
		kill(d->pid, SIGTERM);
		while (waitpid(d->pid, &d->status, 0) < 0 && errno == EINTR)
			;
		d->reaped = true;
	}
	d->pid = 0;
	if (d->dir) {
		remove_tree(d->dir);
		free(d->dir);
		d->dir = NULL;
	}
}
