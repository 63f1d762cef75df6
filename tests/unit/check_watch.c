/* check_watch.c - live tail on real files with real inotify: the watcher,
 * session ingest driven by it, and the stdin spool. Each test asserts the
 * exact entries seen: none lost, none twice. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hgtop/catalog.h"
#include "hgtop/session.h"
#include "hgtop/spool.h"
#include "hgtop/util.h"

#include "tmpdir.h"
#include "hgtop/watch.h"

/* Every wait is bounded: a test that does not see what it expects
 * within this time fails instead of hanging. */
#define WAIT_MS 10000

static void
setup_tmp(void)
{
	tmpdir_create("watch");
}

static char *
line_for(const char *sid, const char *skill)
{
	return xasprintf("{\"session_id\":\"%s\",\"timestamp\":\"2026-01-01T00:00:00Z\","
			 "\"skill\":\"%s\",\"final_status\":\"ok\"}", sid, skill);
}

/* One write(2) on an O_APPEND descriptor, as hyperguild writes. */
static void
append_raw(const char *name, const char *data, size_t n)
{
	char *p = tmp_path(name);
	int fd = open(p, O_WRONLY | O_APPEND | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
	free(p);
}

static void
append_entry(const char *name, const char *skill)
{
	char *l = line_for("s", skill);
	char *nl = xasprintf("%s\n", l);

	append_raw(name, nl, strlen(nl));
	free(nl);
	free(l);
}

/* --- a little follower: what hgtop --batch --follow does, recording the
 * raw lines it would print -------------------------------------------- */

struct harness {
	struct hg_catalog c;
	struct hg_watch *w;
	struct hg_watch_events ev;
	char **seen;		/* "<session id> <raw line>" */
	size_t n_seen;
	int resets;
	int rescans;
	int rotations;
};

static void
record(struct harness *h, struct hg_session *s, size_t from)
{
	size_t i, len;

	for (i = from; i < s->n_entries; i++) {
		char *raw = hg_session_read_line(s, &s->entries[i], &len);

		ck_assert_ptr_nonnull(raw);
		h->seen = xrealloc(h->seen, (h->n_seen + 1) * sizeof(*h->seen));
		h->seen[h->n_seen++] = xasprintf("%s %s", s->id, raw);
		free(raw);
	}
}

static void
update(struct harness *h, struct hg_session *s)
{
	struct hg_ingest_result r = hg_session_ingest(s, 0);
	size_t from = s->n_entries - (size_t)r.new_entries;

	if (r.status == HG_INGEST_TRUNCATED || r.status == HG_INGEST_REPLACED ||
	    r.status == HG_INGEST_REWRITTEN) {
		h->resets++;
		from = 0;
	}
	if (r.status != HG_INGEST_GONE)
		record(h, s, from);
	/* As the app does: a new session for the file now under the name. */
	if (r.rotated) {
		struct hg_session *ns = hg_catalog_rotated(&h->c, s);

		h->rotations++;
		if (ns) {
			if (h->w)
				hg_watch_catalog_changed(h->w);
			update(h, ns);
		}
	}
}

static void
harness_open(struct harness *h, const char *path, int poll_ms)
{
	char err[512];
	char *paths[1] = { (char *)path };
	size_t i;

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(hg_catalog_open(&h->c, 1, paths, err, sizeof(err)), 0);
	for (i = 0; i < h->c.n; i++)
		update(h, h->c.sessions[i]);
	h->w = hg_watch_new(&h->c, poll_ms);
	/* What was there at the start is not under test. */
	for (i = 0; i < h->n_seen; i++)
		free(h->seen[i]);
	h->n_seen = 0;
}

static void
harness_close(struct harness *h)
{
	size_t i;

	for (i = 0; i < h->n_seen; i++)
		free(h->seen[i]);
	free(h->seen);
	hg_watch_events_free(&h->ev);
	hg_watch_free(h->w);
	hg_catalog_free(&h->c);
}

/* Wait (at most timeout_ms) for the watcher, then act on what it says. */
static void
step(struct harness *h, int timeout_ms)
{
	struct pollfd p = { .fd = hg_watch_fd(h->w), .events = POLLIN };
	int t = hg_watch_timeout_ms(h->w);
	size_t n_before = h->c.n, i;

	if (t < 0 || t > timeout_ms)
		t = timeout_ms;
	poll(&p, p.fd >= 0 ? 1 : 0, t);
	if (!hg_watch_collect(h->w, &h->ev))
		return;
	if (h->ev.rescan) {
		h->rescans++;
		if (hg_catalog_scan(&h->c) > 0)
			hg_watch_catalog_changed(h->w);
	}
	if (h->ev.all) {
		for (i = 0; i < n_before; i++)
			update(h, h->c.sessions[i]);
	} else {
		for (i = 0; i < h->ev.n_changed; i++)
			update(h, h->ev.changed[i]);
	}
	for (i = n_before; i < h->c.n; i++)
		update(h, h->c.sessions[i]);
}

/* Step until n lines were seen, then once more without waiting so that a
 * duplicate delivered with the same events would be seen too. */
static void
wait_seen(struct harness *h, size_t n)
{
	int64_t end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;

	while (h->n_seen < n && hg_now_mono_ns() < end)
		step(h, 100);
	step(h, 0);
	ck_assert_uint_eq(h->n_seen, n);
}

#define WAIT_UNTIL(h, cond)                                                      \
	do {                                                                     \
		int64_t end_ = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;   \
		while (!(cond) && hg_now_mono_ns() < end_)                      \
			step((h), 100);                                          \
		ck_assert(cond);                                                 \
	} while (0)

static void
assert_seen(struct harness *h, size_t i, const char *sid, const char *skill)
{
	char *l = line_for("s", skill);
	char *want = xasprintf("%s %s", sid, l);

	ck_assert_uint_gt(h->n_seen, i);
	ck_assert_str_eq(h->seen[i], want);
	free(want);
	free(l);
}

static struct hg_session *
session_named(struct harness *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->c.n; i++)
		if (strcmp(h->c.sessions[i]->id, id) == 0)
			return h->c.sessions[i];
	return NULL;
}

/* --- directory mode ------------------------------------------------------- */

START_TEST(test_dir_append_one)
{
	struct harness h;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_INOTIFY);
	ck_assert_ptr_null(hg_watch_reason(h.w));
	ck_assert_int_ge(hg_watch_fd(h.w), 0);
	ck_assert_int_eq(hg_watch_timeout_ms(h.w), -1);
	append_entry("a.jsonl", "second");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "second");
	ck_assert_int_eq(h.resets, 0);
	harness_close(&h);
}
END_TEST

/* A helper process writes 10,000 lines, one write(2) each, as fast as it
 * can while the watcher drains events. */
START_TEST(test_dir_burst_10000)
{
	struct harness h;
	char name[32];
	pid_t pid;
	int status, i;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		for (i = 0; i < 10000; i++) {
			snprintf(name, sizeof(name), "k%d", i);
			append_entry("a.jsonl", name);
		}
		_exit(0);
	}
	wait_seen(&h, 10000);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		assert_seen(&h, (size_t)i, "a", name);
	}
	ck_assert_int_eq(h.resets, 0);
	harness_close(&h);
}
END_TEST

START_TEST(test_dir_new_file)
{
	struct harness h;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	append_entry("b.jsonl", "b1");
	append_entry("b.jsonl", "b2");
	append_entry("notes.txt", "ignored");
	wait_seen(&h, 2);
	assert_seen(&h, 0, "b", "b1");
	assert_seen(&h, 1, "b", "b2");
	ck_assert_uint_eq(h.c.n, 2);
	/* The new session is watched from then on. */
	append_entry("b.jsonl", "b3");
	wait_seen(&h, 3);
	assert_seen(&h, 2, "b", "b3");
	harness_close(&h);
}
END_TEST

START_TEST(test_dir_delete)
{
	struct harness h;
	char *p = tmp_path("a.jsonl");
	struct hg_session *s;

	append_entry("a.jsonl", "first");
	append_entry("b.jsonl", "other");
	harness_open(&h, tmpdir, 0);
	s = session_named(&h, "a");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(unlink(p), 0);
	WAIT_UNTIL(&h, s->gone);
	/* Kept, with its entries, until the user leaves it. */
	ck_assert_uint_eq(h.c.n, 2);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert_uint_eq(h.n_seen, 0);
	/* Back again: a new file, read from its start. */
	append_entry("a.jsonl", "again");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "again");
	ck_assert(!s->gone);
	ck_assert_uint_eq(s->n_entries, 1);
	free(p);
	harness_close(&h);
}
END_TEST

START_TEST(test_dir_truncate_rewrite)
{
	struct harness h;
	char *p = tmp_path("a.jsonl");

	append_entry("a.jsonl", "one");
	append_entry("a.jsonl", "two");
	harness_open(&h, tmpdir, 0);
	ck_assert_int_eq(truncate(p, 0), 0);
	append_entry("a.jsonl", "new1");
	append_entry("a.jsonl", "new2");
	wait_seen(&h, 2);
	assert_seen(&h, 0, "a", "new1");
	assert_seen(&h, 1, "a", "new2");
	ck_assert_int_eq(h.resets, 1);
	ck_assert_uint_eq(session_named(&h, "a")->n_entries, 2);
	free(p);
	harness_close(&h);
}
END_TEST

static void
replace_by_rename(const char *skill1, const char *skill2)
{
	char *tmp = tmp_path(".a.tmp");
	char *p = tmp_path("a.jsonl");
	char *l1 = line_for("s", skill1), *l2 = line_for("s", skill2);
	FILE *f = fopen(tmp, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n%s\n", l1, l2);
	fclose(f);
	ck_assert_int_eq(rename(tmp, p), 0);
	free(l1);
	free(l2);
	free(tmp);
	free(p);
}

START_TEST(test_dir_replace_by_rename)
{
	struct harness h;

	append_entry("a.jsonl", "old");
	harness_open(&h, tmpdir, 0);
	replace_by_rename("r1", "r2");
	wait_seen(&h, 2);
	assert_seen(&h, 0, "a", "r1");
	assert_seen(&h, 1, "a", "r2");
	ck_assert_int_eq(h.resets, 1);
	ck_assert_uint_eq(h.c.n, 1);
	append_entry("a.jsonl", "r3");
	wait_seen(&h, 3);
	assert_seen(&h, 2, "a", "r3");
	harness_close(&h);
}
END_TEST

START_TEST(test_partial_line_completed_later)
{
	struct harness h;
	char *l = line_for("s", "part");
	size_t half = strlen(l) / 2;
	struct hg_session *s;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	s = h.c.sessions[0];
	append_raw("a.jsonl", l, half);
	WAIT_UNTIL(&h, s->pending == (int64_t)half);
	ck_assert_uint_eq(h.n_seen, 0);
	append_raw("a.jsonl", l + half, strlen(l) - half);
	append_raw("a.jsonl", "\n", 1);
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "part");
	ck_assert_int_eq(s->pending, 0);
	ck_assert_int_eq(h.resets, 0);
	free(l);
	harness_close(&h);
}
END_TEST

/* One line arrives a few bytes at a time, the watcher reading in between. */
START_TEST(test_line_split_across_many_writes)
{
	struct harness h;
	char *l = line_for("s", "split");
	size_t n = strlen(l), i;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	for (i = 0; i < n; i += 3) {
		append_raw("a.jsonl", l + i, n - i < 3 ? n - i : 3);
		step(&h, 0);
	}
	append_raw("a.jsonl", "\n", 1);
	append_entry("a.jsonl", "after");
	wait_seen(&h, 2);
	assert_seen(&h, 0, "a", "split");
	assert_seen(&h, 1, "a", "after");
	ck_assert_int_eq(h.resets, 0);
	free(l);
	harness_close(&h);
}
END_TEST

START_TEST(test_dir_gone)
{
	struct harness h;
	char *sub = tmp_path("sub");
	int64_t end;

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	harness_open(&h, sub, 0);
	ck_assert_int_eq(rmdir(sub), 0);
	end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;
	while (!h.c.dir_gone && hg_now_mono_ns() < end)
		step(&h, 100);
	ck_assert(h.c.dir_gone);
	free(sub);
	harness_close(&h);
}
END_TEST

/* 3,000 sessions: one watch, and no descriptor held per session (only
 * the HG_SESSION_KEEP_FDS read last). */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

START_TEST(test_many_sessions_no_fd_each)
{
	struct harness h;
	char name[32];
	int i, before;

	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "s%04d.jsonl", i);
		append_entry(name, "first");
	}
	before = count_fds();
	harness_open(&h, tmpdir, 0);
	ck_assert_uint_eq(h.c.n, 3000);
	/* The inotify fd, and the few files read last (rotation). */
	ck_assert_int_le(count_fds(), before + 1 + HG_SESSION_KEEP_FDS);
	ck_assert_uint_le(hg_session_kept(), HG_SESSION_KEEP_FDS);
	append_entry("s1234.jsonl", "x");
	append_entry("s0007.jsonl", "y");
	wait_seen(&h, 2);
	ck_assert_int_le(count_fds(), before + 1 + HG_SESSION_KEEP_FDS);
	harness_close(&h);
	ck_assert_uint_eq(hg_session_kept(), 0);	/* closed with their sessions */
}
END_TEST

/* --- files named on the command line -------------------------------------- */

START_TEST(test_file_append_and_replace)
{
	struct harness h;
	char *p = tmp_path("a.jsonl");

	append_entry("a.jsonl", "first");
	append_entry("b.jsonl", "unwatched");
	harness_open(&h, p, 0);
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_INOTIFY);
	append_entry("b.jsonl", "still unwatched");
	append_entry("a.jsonl", "second");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "second");
	/* Replaced by rename: a new inode under the name, watched again. */
	replace_by_rename("r1", "r2");
	wait_seen(&h, 3);
	assert_seen(&h, 1, "a", "r1");
	assert_seen(&h, 2, "a", "r2");
	ck_assert_int_eq(h.resets, 1);
	append_entry("a.jsonl", "r3");
	wait_seen(&h, 4);
	assert_seen(&h, 3, "a", "r3");
	/* Deleted, then created again. */
	ck_assert_int_eq(unlink(p), 0);
	WAIT_UNTIL(&h, h.c.sessions[0]->gone);
	append_entry("a.jsonl", "back");
	wait_seen(&h, 5);
	assert_seen(&h, 4, "a", "back");
	append_entry("a.jsonl", "back2");
	wait_seen(&h, 6);
	assert_seen(&h, 5, "a", "back2");
	free(p);
	harness_close(&h);
}
END_TEST

START_TEST(test_file_truncate)
{
	struct harness h;
	char *p = tmp_path("a.jsonl");

	append_entry("a.jsonl", "one");
	append_entry("a.jsonl", "two");
	harness_open(&h, p, 0);
	ck_assert_int_eq(truncate(p, 0), 0);
	append_entry("a.jsonl", "new1");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "new1");
	ck_assert_int_eq(h.resets, 1);
	free(p);
	harness_close(&h);
}
END_TEST

/* --- polling -------------------------------------------------------------- */

static void
exercise_polling(struct harness *h)
{
	char *p = tmp_path("a.jsonl");
	int t = hg_watch_timeout_ms(h->w);
	struct hg_session *a;

	ck_assert_int_eq(hg_watch_mode(h->w), HG_WATCH_POLL);
	ck_assert_int_eq(hg_watch_fd(h->w), -1);
	ck_assert_int_ge(t, 0);
	ck_assert_int_le(t, 1000);
	append_entry("a.jsonl", "p1");
	wait_seen(h, 1);
	assert_seen(h, 0, "a", "p1");
	append_entry("b.jsonl", "b1");
	wait_seen(h, 2);
	assert_seen(h, 1, "b", "b1");
	ck_assert_int_eq(truncate(p, 0), 0);
	append_entry("a.jsonl", "p2");
	wait_seen(h, 3);
	assert_seen(h, 2, "a", "p2");
	ck_assert_int_eq(h->resets, 1);
	a = session_named(h, "a");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(unlink(p), 0);
	WAIT_UNTIL(h, a->gone);
	free(p);
}

START_TEST(test_poll_forced)
{
	struct harness h;

	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 50);
	ck_assert_str_eq(hg_watch_reason(h.w), "--poll; polling every 50ms");
	exercise_polling(&h);
	harness_close(&h);
}
END_TEST

START_TEST(test_watch_limit_falls_back_to_polling)
{
	struct harness h;

	setenv("HGTOP_TEST_INOTIFY_FAIL", "ENOSPC", 1);
	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	ck_assert_str_eq(hg_watch_reason(h.w), "inotify watch limit reached; polling every 1.0s");
	exercise_polling(&h);
	harness_close(&h);
}
END_TEST

START_TEST(test_watch_limit_files_mode)
{
	struct harness h;
	char *p = tmp_path("a.jsonl");

	setenv("HGTOP_TEST_INOTIFY_FAIL", "ENOSPC", 1);
	append_entry("a.jsonl", "first");
	harness_open(&h, p, 0);
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_POLL);
	ck_assert_str_eq(hg_watch_reason(h.w), "inotify watch limit reached; polling every 1.0s");
	append_entry("a.jsonl", "p1");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "a", "p1");
	free(p);
	harness_close(&h);
}
END_TEST

START_TEST(test_inotify_init_fails)
{
	struct harness h;

	setenv("HGTOP_TEST_INOTIFY_FAIL", "EMFILE", 1);
	append_entry("a.jsonl", "first");
	harness_open(&h, tmpdir, 0);
	ck_assert_str_eq(hg_watch_reason(h.w), "inotify instance limit reached; polling every 1.0s");
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_POLL);
	harness_close(&h);
}
END_TEST

/* --- session ingest details the live tail relies on ------------------------ */

/* A partial line that vanishes (the file replaced before the line was
 * finished) must not make later appends look like a rewrite. */
START_TEST(test_head_hash_covers_complete_lines_only)
{
	char *p = tmp_path("a.jsonl");
	struct hg_session *s = hg_session_new(p);
	struct hg_ingest_result r;
	char partial[300];
	int fd;

	/* Longer than the complete line written after it. */
	memset(partial, 'x', sizeof(partial));
	append_raw("a.jsonl", partial, sizeof(partial));
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_OK);
	ck_assert_int_eq(s->pending, (int64_t)sizeof(partial));
	fd = open(p, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	append_raw("a.jsonl", "\n", 1);	/* a blank line (unparsable) */
	append_entry("a.jsonl", "x");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_OK);
	ck_assert_int_eq(r.new_entries, 2);
	append_entry("a.jsonl", "y");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_OK);
	ck_assert_int_eq(r.new_entries, 1);
	ck_assert_uint_eq(s->n_entries, 3);
	hg_session_free(s);
	free(p);
}
END_TEST

/* A file deleted and created again is new even if the inode number is
 * reused and it starts with the same bytes. */
START_TEST(test_gone_and_back_is_replaced)
{
	char *p = tmp_path("a.jsonl");
	struct hg_session *s = hg_session_new(p);
	struct hg_ingest_result r;

	append_entry("a.jsonl", "one");
	ck_assert_int_eq(hg_session_ingest(s, 0).new_entries, 1);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_GONE);
	ck_assert(s->gone);
	append_entry("a.jsonl", "one");
	append_entry("a.jsonl", "two");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_REPLACED);
	ck_assert_int_eq(r.new_entries, 2);
	ck_assert(!s->gone);
	hg_session_free(s);
	free(p);
}
END_TEST

/* --- stdin spool -------------------------------------------------------- */

static void
write_all(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static bool
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, WAIT_MS) == 1;
}

START_TEST(test_spool_stream)
{
	int pfd[2];
	struct hg_spool *sp;
	struct hg_session *s;
	char *l1 = line_for("s", "one"), *l2 = line_for("s", "two"), *both;
	char *got;
	size_t len;

	ck_assert_int_eq(pipe(pfd), 0);
	sp = hg_spool_new(pfd[0]);
	ck_assert_ptr_nonnull(sp);
	s = hg_spool_session(sp, "stdin");
	ck_assert_str_eq(s->id, "stdin");
	ck_assert_int_eq(hg_spool_fd(sp), pfd[0]);
	both = xasprintf("%s\n%s", l1, l2);
	write_all(pfd[1], both);	/* the second line is not finished */
	ck_assert(readable(hg_spool_fd(sp)));
	ck_assert_int_eq(hg_spool_pump(sp), (int64_t)strlen(both));
	ck_assert(!hg_spool_eof(sp));
	ck_assert_int_eq(hg_session_ingest(s, 0).new_entries, 1);
	ck_assert_int_eq(s->pending, (int64_t)strlen(l2));
	write_all(pfd[1], "\n");
	ck_assert(readable(hg_spool_fd(sp)));
	ck_assert_int_eq(hg_spool_pump(sp), 1);
	ck_assert_int_eq(hg_session_ingest(s, 0).new_entries, 1);
	ck_assert_uint_eq(s->n_entries, 2);
	/* Large fields are re-read from the spool. */
	got = hg_session_read_line(s, &s->entries[1], &len);
	ck_assert_str_eq(got, l2);
	free(got);
	/* A stream that ends in the middle of a line. */
	write_all(pfd[1], "{\"session_id\":");
	close(pfd[1]);
	ck_assert(readable(hg_spool_fd(sp)));
	while (!hg_spool_eof(sp))
		ck_assert_int_ge(hg_spool_pump(sp), 0);
	ck_assert_int_eq(hg_spool_fd(sp), -1);
	hg_spool_update_session(sp, s);
	ck_assert(s->stream_ended);
	ck_assert_int_eq(hg_session_ingest(s, 0).new_entries, 0);
	ck_assert_int_eq(s->pending, 14);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert_int_eq(hg_spool_size(sp), (int64_t)strlen(both) + 1 + 14);
	hg_session_free(s);
	hg_spool_free(sp);
	close(pfd[0]);
	free(both);
	free(l1);
	free(l2);
}
END_TEST

START_TEST(test_spool_drain_large)
{
	int pfd[2];
	struct hg_spool *sp;
	struct hg_session *s;
	char name[32];
	pid_t pid;
	int i;

	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		for (i = 0; i < 20000; i++) {
			char *l;

			snprintf(name, sizeof(name), "k%d", i);
			l = line_for("s", name);
			dprintf(pfd[1], "%s\n", l);
			free(l);
		}
		_exit(0);
	}
	close(pfd[1]);
	sp = hg_spool_new(pfd[0]);
	s = hg_spool_session(sp, "stdin");
	ck_assert_int_eq(hg_spool_drain(sp), 0);
	ck_assert(hg_spool_eof(sp));
	ck_assert_int_eq(hg_session_ingest(s, 0).new_entries, 20000);
	ck_assert_int_eq(s->pending, 0);
	waitpid(pid, NULL, 0);
	hg_session_free(s);
	hg_spool_free(sp);
	close(pfd[0]);
}
END_TEST

/* --- files that move: rotation, rename, links ------------------------------- */

/* `printf x >> r.jsonl; mv r.jsonl r.jsonl.0; : > r.jsonl` with nothing
 * read in between: the line appended to the old file is read from it. */
static void
rotate_once(const char *skill, const char *after)
{
	char *p = tmp_path("r.jsonl"), *q = tmp_path("r.jsonl.0");
	int fd;

	append_entry("r.jsonl", skill);
	ck_assert_int_eq(rename(p, q), 0);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	if (after)
		append_entry("r.jsonl", after);
	free(p);
	free(q);
}

static void
check_rotation(const char *path, int poll_ms)
{
	struct harness h;
	struct hg_session *old;
	char *want0 = tmp_path("r.jsonl.0");

	append_entry("r.jsonl", "before");
	harness_open(&h, path, poll_ms);
	old = h.c.sessions[0];
	rotate_once("last", "new1");
	wait_seen(&h, 2);
	assert_seen(&h, 0, "r", "last");
	assert_seen(&h, 1, "r", "new1");
	ck_assert_int_eq(h.rotations, 1);
	ck_assert_int_eq(h.resets, 0);
	/* The old session keeps its entries, rotated and gone. */
	ck_assert(old->rotated && old->gone);
	ck_assert_uint_eq(old->n_entries, 2);
	if (!poll_ms || strcmp(path, tmpdir) == 0)
		ck_assert_uint_eq(h.c.n, 2);
	if (strcmp(path, tmpdir) == 0)
		ck_assert_str_eq(old->path, want0);	/* found under its new name */
	ck_assert_uint_eq(hg_session_find_line(old, 2), 1);
	/* Twice more: each file's last line read once. */
	rotate_once("last2", NULL);
	wait_seen(&h, 3);
	rotate_once("last3", "new3");
	wait_seen(&h, 5);
	assert_seen(&h, 2, "r", "last2");
	assert_seen(&h, 3, "r", "last3");
	assert_seen(&h, 4, "r", "new3");
	ck_assert_uint_le(hg_session_kept(), HG_SESSION_KEEP_FDS);
	free(want0);
	harness_close(&h);
}

START_TEST(test_rotation_dir)
{
	check_rotation(tmpdir, 0);
}
END_TEST

START_TEST(test_rotation_file)
{
	char *p = tmp_path("r.jsonl");

	check_rotation(p, 0);
	free(p);
}
END_TEST

START_TEST(test_rotation_poll)
{
	check_rotation(tmpdir, 50);
}
END_TEST

/* A rename to another *.jsonl name in the directory is a move. */
static void
check_move(int poll_ms)
{
	struct harness h;
	char *a = tmp_path("a.jsonl"), *b = tmp_path("b.jsonl");
	struct hg_session *s;

	append_entry("a.jsonl", "m1");
	append_entry("a.jsonl", "m2");
	harness_open(&h, tmpdir, poll_ms);
	s = h.c.sessions[0];
	ck_assert_int_eq(rename(a, b), 0);
	WAIT_UNTIL(&h, strcmp(s->id, "b") == 0);
	append_entry("b.jsonl", "m3");
	wait_seen(&h, 1);
	assert_seen(&h, 0, "b", "m3");
	ck_assert_uint_eq(h.c.n, 1);
	ck_assert_str_eq(s->path, b);
	ck_assert(!s->gone);
	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_int_eq(h.resets, 0);
	free(a);
	free(b);
	harness_close(&h);
}

START_TEST(test_dir_rename_is_move)
{
	check_move(0);
}
END_TEST

START_TEST(test_dir_rename_is_move_poll)
{
	check_move(50);
}
END_TEST

/* Appends through a symlink's target, or through another hard link, are
 * not reported by the directory's watch: the file gets one of its own. */
START_TEST(test_dir_symlink_and_hard_link)
{
	struct harness h;
	char *other = xasprintf("%s-other", tmpdir);
	char *target = xasprintf("%s/target.jsonl", other);
	char *sym = tmp_path("sym.jsonl"), *hard = tmp_path("hard.jsonl");
	char *hard2 = xasprintf("%s/hard-link", other);
	char *l = line_for("s", "t1"), *nl = xasprintf("%s\n", l);
	int fd, i;

	ck_assert_int_eq(mkdir(other, 0755), 0);
	fd = open(target, O_WRONLY | O_CREAT | O_APPEND, 0644);
	ck_assert_int_eq(write(fd, nl, strlen(nl)), (ssize_t)strlen(nl));
	close(fd);
	ck_assert_int_eq(symlink(target, sym), 0);
	append_entry("hard.jsonl", "h0");
	ck_assert_int_eq(link(hard, hard2), 0);
	harness_open(&h, tmpdir, 0);
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_INOTIFY);
	for (i = 0; i < 3; i++) {
		fd = open(target, O_WRONLY | O_CREAT | O_APPEND, 0644);
		ck_assert_int_eq(write(fd, nl, strlen(nl)), (ssize_t)strlen(nl));
		close(fd);
		fd = open(hard2, O_WRONLY | O_APPEND);
		ck_assert_int_eq(write(fd, nl, strlen(nl)), (ssize_t)strlen(nl));
		close(fd);
	}
	wait_seen(&h, 6);
	ck_assert_uint_eq(session_named(&h, "sym")->n_entries, 4);
	ck_assert_uint_eq(session_named(&h, "hard")->n_entries, 4);
	harness_close(&h);
	unlink(target);
	unlink(hard2);
	rmdir(other);
	free(other);
	free(target);
	free(sym);
	free(hard);
	free(hard2);
	free(l);
	free(nl);
}
END_TEST


/* Which file system types are polled: network and FUSE ones (their
 * changes made elsewhere never reach inotify), not local ones. */
START_TEST(test_remote_fs_types)
{
	ck_assert_str_eq(hg_watch_remote_fs_name(0x6969), "nfs");
	ck_assert_str_eq(hg_watch_remote_fs_name(0x517B), "smb");
	ck_assert_str_eq(hg_watch_remote_fs_name(0xFF534D42), "cifs");
	ck_assert_str_eq(hg_watch_remote_fs_name(0xFE534D42), "smb2");
	ck_assert_str_eq(hg_watch_remote_fs_name(0x65735546), "fuse");	/* sshfs */
	ck_assert_str_eq(hg_watch_remote_fs_name(0x01021997), "9p");
	ck_assert_str_eq(hg_watch_remote_fs_name(0x00C36400), "ceph");
	ck_assert_ptr_null(hg_watch_remote_fs_name(0xEF53));		/* ext4 */
	ck_assert_ptr_null(hg_watch_remote_fs_name(0x01021994));	/* tmpfs */
	ck_assert_ptr_null(hg_watch_remote_fs_name(0x58465342));	/* xfs */
	ck_assert_ptr_null(hg_watch_remote_fs_name(0x9123683E));	/* btrfs */
	ck_assert_ptr_null(hg_watch_remote_fs_name(0x794C7630));	/* overlayfs */
}
END_TEST

/* Two directories, one of them polled (HGTOP_POLL_PATHS stands for a
 * network mount): inotify still watches the other, which is seen at
 * once; the polled one is seen at the next poll, new files too. */
START_TEST(test_mixed_dirs_one_polled)
{
	struct harness h;
	char err[512];
	char *a = tmp_path("hostA"), *b = tmp_path("hostB");
	char *paths[2] = { a, b };
	const char *note;
	char *label;
	size_t i;
	int t;

	ck_assert_int_eq(mkdir(a, 0755), 0);
	ck_assert_int_eq(mkdir(b, 0755), 0);
	append_entry("hostA/one.jsonl", "a0");
	append_entry("hostB/two.jsonl", "b0");
	setenv("HGTOP_POLL_PATHS", b, 1);
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(hg_catalog_open(&h.c, 2, paths, err, sizeof(err)), 0);
	ck_assert_uint_eq(h.c.n_dirs, 2);
	ck_assert_uint_eq(h.c.n, 2);
	for (i = 0; i < h.c.n; i++)
		update(&h, h.c.sessions[i]);
	h.w = hg_watch_new(&h.c, 0);
	unsetenv("HGTOP_POLL_PATHS");
	for (i = 0; i < h.n_seen; i++)
		free(h.seen[i]);
	h.n_seen = 0;
	ck_assert_int_eq(hg_watch_mode(h.w), HG_WATCH_INOTIFY);
	ck_assert_int_ge(hg_watch_fd(h.w), 0);
	ck_assert_ptr_null(hg_watch_reason(h.w));
	note = hg_watch_note(h.w);
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, "polling "));
	ck_assert_ptr_nonnull(strstr(note, "hostB every 1.0s"));
	ck_assert_ptr_null(strstr(note, "hostA"));
	t = hg_watch_timeout_ms(h.w);
	ck_assert_int_ge(t, 0);
	ck_assert_int_le(t, 1000);
	/* The local directory: reported by inotify, at once. */
	append_entry("hostA/one.jsonl", "a1");
	ck_assert(hg_watch_collect(h.w, &h.ev));
	ck_assert_uint_eq(h.ev.n_changed, 1);
	ck_assert_ptr_eq(h.ev.changed[0], h.c.sessions[0]);
	update(&h, h.ev.changed[0]);
	ck_assert_uint_eq(h.n_seen, 1);
	/* The polled one: an append, then a new file. */
	append_entry("hostB/two.jsonl", "b1");
	wait_seen(&h, 2);
	ck_assert_ptr_nonnull(strstr(h.seen[1], "b1"));
	append_entry("hostB/three.jsonl", "b2");
	wait_seen(&h, 3);
	ck_assert_uint_eq(h.c.n, 3);
	ck_assert_uint_eq(h.c.sessions[2]->dir_ix, 2);
	label = xasprintf("%s/hostB", strrchr(tmpdir, '/') + 1);
	ck_assert_str_eq(hg_catalog_label_of(&h.c, h.c.sessions[2]), label);
	free(label);
	harness_close(&h);
	free(a);
	free(b);
}
END_TEST

/* The source label of a directory: its last two components. */
START_TEST(test_short_label)
{
	char *l;

	l = hg_catalog_short_label("/mnt/hostB/sessions/");
	ck_assert_str_eq(l, "hostB/sessions");
	free(l);
	l = hg_catalog_short_label("sessions");
	ck_assert_str_eq(l, "sessions");
	free(l);
	l = hg_catalog_short_label("/srv");
	ck_assert_str_eq(l, "/srv");
	free(l);
	l = hg_catalog_short_label("a/b/c");
	ck_assert_str_eq(l, "b/c");
	free(l);
}
END_TEST

static Suite *
watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("inotify");
	TCase *pc = tcase_create("polling");
	TCase *sc = tcase_create("session-and-spool");

	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dir_append_one);
	tcase_add_test(tc, test_dir_burst_10000);
	tcase_add_test(tc, test_dir_new_file);
	tcase_add_test(tc, test_dir_delete);
	tcase_add_test(tc, test_dir_truncate_rewrite);
	tcase_add_test(tc, test_dir_replace_by_rename);
	tcase_add_test(tc, test_partial_line_completed_later);
	tcase_add_test(tc, test_line_split_across_many_writes);
	tcase_add_test(tc, test_dir_gone);
	tcase_add_test(tc, test_many_sessions_no_fd_each);
	tcase_add_test(tc, test_file_append_and_replace);
	tcase_add_test(tc, test_file_truncate);
	tcase_add_test(tc, test_rotation_dir);
	tcase_add_test(tc, test_rotation_file);
	tcase_add_test(tc, test_dir_rename_is_move);
	tcase_add_test(tc, test_dir_symlink_and_hard_link);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(pc, setup_tmp, teardown_tmp);
	tcase_set_timeout(pc, 60);
	tcase_add_test(pc, test_poll_forced);
	tcase_add_test(pc, test_watch_limit_falls_back_to_polling);
	tcase_add_test(pc, test_watch_limit_files_mode);
	tcase_add_test(pc, test_inotify_init_fails);
	tcase_add_test(pc, test_rotation_poll);
	tcase_add_test(pc, test_dir_rename_is_move_poll);
	tcase_add_test(pc, test_remote_fs_types);
	tcase_add_test(pc, test_mixed_dirs_one_polled);
	tcase_add_test(pc, test_short_label);
	suite_add_tcase(s, pc);
	tcase_add_checked_fixture(sc, setup_tmp, teardown_tmp);
	tcase_set_timeout(sc, 60);
	tcase_add_test(sc, test_head_hash_covers_complete_lines_only);
	tcase_add_test(sc, test_gone_and_back_is_replaced);
	tcase_add_test(sc, test_spool_stream);
	tcase_add_test(sc, test_spool_drain_large);
	suite_add_tcase(s, sc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(watch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
