/* check_app.c - the app layer without a terminal: loading (chunked, the
 * selected session first), session order and selection, the filter and its
 * match caches, follow/pause, live tail through the real watcher, the
 * header meter, notes and signals. Each test works on session files in a
 * scratch directory, opened as hgtop opens them (hg_catalog_open). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/annotate.h"
#include "hgtop/app.h"
#include "hgtop/stats.h"
#include "hgtop/catalog.h"
#include "hgtop/options.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

#include "tmpdir.h"

/* Waits for the watcher are bounded by this. */
#define WAIT_MS 2000

static void
setup_tmp(void)
{
	tmpdir_create("app");
}

/* --- session files ---------------------------------------------------------- */

static char *
line_for(const char *sid, int sec, const char *tier, const char *verdict)
{
	return xasprintf("{\"session_id\":\"%s\",\"skill\":\"write-file\","
			 "\"timestamp\":\"2026-01-01T%02d:%02d:%02dZ\",\"final_status\":\"ok\","
			 "\"attempts\":[{\"attempt\":1,\"tier\":\"%s\",\"model\":\"qwen\","
			 "\"duration_ms\":1200,\"verdict\":\"%s\"}]}\n",
			 sid, sec / 3600, sec / 60 % 60, sec % 60, tier, verdict);
}

/* One write(2) on an O_APPEND descriptor, as hyperguild writes. */
static void
append_raw(const char *name, const char *data)
{
	char *p = tmp_path(name);
	int fd = open(p, O_WRONLY | O_APPEND | O_CREAT, 0644);
	size_t n = strlen(data);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
	free(p);
}

static void
append_line(const char *name, int sec, const char *tier, const char *verdict)
{
	char *l = line_for("s", sec, tier, verdict);

	append_raw(name, l);
	free(l);
}

/* N lines, the last at second LAST; every third verdict escalate. */
static void
write_session(const char *name, int n, int last)
{
	char *p = tmp_path(name);
	FILE *f = fopen(p, "w");
	int i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++) {
		char *l = line_for("s", last - (n - 1 - i), "local",
				   i % 3 == 0 ? "escalate" : "accept");

		fputs(l, f);
		free(l);
	}
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

/* Set a file's mtime (seconds since the epoch). */
static void
set_mtime(const char *name, time_t sec)
{
	char *p = tmp_path(name);
	struct timespec ts[2] = { { sec, 0 }, { sec, 0 } };

	ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
}

/* --- the app over the scratch directory --------------------------------------- */

struct fx {
	struct hg_options o;
	struct hg_catalog c;
	struct hg_app a;
};

static void
fx_open(struct fx *f, bool loaded)
{
	char err[512];
	char *paths[1] = { tmpdir };

	memset(f, 0, sizeof(*f));
	f->o.poll_ms = 0;
	ck_assert_int_eq(hg_catalog_open(&f->c, 1, paths, err, sizeof(err)), 0);
	ck_assert_int_eq(hg_app_init(&f->a, &f->o, &f->c, tmpdir, NULL, NULL, loaded), 0);
}

static void
fx_close(struct fx *f)
{
	hg_app_done(&f->a);
	hg_catalog_free(&f->c);
}

static struct hg_session *
named(struct fx *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->c.n; i++)
		if (!strcmp(f->c.sessions[i]->id, id))
			return f->c.sessions[i];
	ck_abort_msg("no session %s", id);
	abort();	/* not reached: for the compiler */
}

static size_t
order_of(struct fx *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->a.n_order; i++)
		if (!strcmp(f->a.order[i]->id, id))
			return i;
	ck_abort_msg("%s not in the session order", id);
	return 0;
}

/* Step without waiting until the load queue is empty; the events seen. */
static unsigned
load_all(struct fx *f, int *turns)
{
	unsigned ev = 0;
	int n = 0;

	while (f->a.n_queue && n < 100000) {
		ev |= hg_app_step(&f->a, -1, 0);
		n++;
	}
	ck_assert_uint_eq(f->a.n_queue, 0);
	ev |= hg_app_step(&f->a, -1, 0);
	if (turns)
		*turns = n;
	return ev;
}

/* Step (waiting on the watcher) until one of WANT is raised or WAIT_MS
 * passed; the events seen. */
static unsigned
wait_event(struct fx *f, unsigned want)
{
	int64_t end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;
	unsigned ev = 0;

	while (!(ev & want) && hg_now_mono_ns() < end)
		ev |= hg_app_step(&f->a, -1, 100);
	/* Once more without waiting: what came with the same events. */
	ev |= hg_app_step(&f->a, -1, 0);
	return ev;
}

/* --- 1. loading ------------------------------------------------------------- */

START_TEST(test_load_all_sessions)
{
	struct fx f;
	unsigned ev;

	write_session("a.jsonl", 3, 100);
	write_session("b.jsonl", 5, 200);
	write_session("c.jsonl", 7, 300);
	fx_open(&f, false);
	ck_assert_uint_eq(f.c.n, 3);
	ck_assert_uint_eq(f.a.n_queue, 3);
	ck_assert_uint_eq(named(&f, "a")->n_entries, 0);
	ev = load_all(&f, NULL);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_SESSIONS);
	ck_assert(!f.a.loading);
	ck_assert_uint_eq(named(&f, "a")->n_entries, 3);
	ck_assert_uint_eq(named(&f, "b")->n_entries, 5);
	ck_assert_uint_eq(named(&f, "c")->n_entries, 7);
	ck_assert(hg_app_sess(named(&f, "a"))->loaded);
	ck_assert(hg_app_sess(named(&f, "c"))->loaded);
	{
		int64_t entries, bad;

		hg_app_counts(&f.a, &entries, &bad);
		ck_assert_int_eq(entries, 15);
		ck_assert_int_eq(bad, 0);
	}
	fx_close(&f);
}
END_TEST

/* loaded = true: nothing is queued, the catalog is taken as read. */
START_TEST(test_init_loaded_queues_nothing)
{
	struct fx f;

	write_session("a.jsonl", 3, 100);
	fx_open(&f, true);
	ck_assert_uint_eq(f.a.n_queue, 0);
	ck_assert_int_eq(f.a.chunk_bytes, 0);
	fx_close(&f);
}
END_TEST

/* One big session read 4 KiB a turn: several turns, progress events, the
 * loading flag, and a percentage that only grows. */
START_TEST(test_load_big_in_chunks)
{
	struct fx f;
	struct hg_session *s;
	unsigned ev = 0;
	int turns = 0, pct, last = 0, max = 0;
	bool was_loading = false;

	write_session("big.jsonl", 3000, 80000);
	fx_open(&f, false);
	f.a.chunk_bytes = 4096;
	s = named(&f, "big");
	while (f.a.n_queue && turns < 100000) {
		ev |= hg_app_step(&f.a, -1, 0);
		turns++;
		if (!f.a.n_queue)
			break;
		was_loading |= f.a.loading;
		pct = hg_app_loading_percent(&f.a);
		ck_assert_msg(pct >= last, "loading went back from %d%% to %d%% at turn %d",
			      last, pct, turns);
		ck_assert_int_le(pct, 100);
		last = pct;
		if (pct > max)
			max = pct;
	}
	ck_assert_uint_eq(f.a.n_queue, 0);
	ck_assert_int_gt(turns, 10);
	ck_assert(was_loading);
	ck_assert(!f.a.loading);
	ck_assert_int_ge(max, 90);
	ck_assert(ev & HG_APP_EV_PROGRESS);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert_uint_eq(s->n_entries, 3000);
	ck_assert(hg_app_sess(s)->loaded);
	fx_close(&f);
}
END_TEST

/* A big file read tail first, 4 KiB a turn: the header counts only grow,
 * the session's own count too, and a line is unparsable only when it is
 * (every 50th here), never because a chunk cut it. */
static void
counts_grow(int bad_every)
{
	struct fx f;
	struct hg_session *s;
	char *p = tmp_path("big.jsonl");
	FILE *fp = fopen(p, "w");
	int64_t entries, bad, last_e = 0, last_b = 0, own, last_own = 0;
	int i, n = 3000, n_bad = 0, turns = 0;

	ck_assert_ptr_nonnull(fp);
	for (i = 0; i < n; i++) {
		char *l;

		if (bad_every && i % bad_every == 7) {
			fputs("{\"session_id\":\"s\",\"skill\": cut here\n", fp);
			n_bad++;
			continue;
		}
		l = line_for("s", 80000 + i, "local", "accept");
		fputs(l, fp);
		free(l);
	}
	ck_assert_int_eq(fclose(fp), 0);
	free(p);
	fx_open(&f, false);
	f.a.chunk_bytes = 4096;
	s = named(&f, "big");
	while (f.a.n_queue && turns < 100000) {
		hg_app_step(&f.a, -1, 0);
		turns++;
		hg_app_counts(&f.a, &entries, &bad);
		own = (int64_t)s->n_entries - s->n_unparsable;
		ck_assert_msg(entries >= last_e, "entries went back from %lld to %lld at turn %d",
			      (long long)last_e, (long long)entries, turns);
		ck_assert_msg(bad >= last_b, "unparsable went back at turn %d", turns);
		ck_assert_msg(own >= last_own, "the session's count went back at turn %d", turns);
		ck_assert_int_ge(own, 0);
		ck_assert_int_le(bad, n_bad);
		last_e = entries;
		last_b = bad;
		last_own = own;
	}
	ck_assert_int_gt(turns, 10);
	hg_app_counts(&f.a, &entries, &bad);
	ck_assert_int_eq(entries, n - n_bad);
	ck_assert_int_eq(bad, n_bad);
	ck_assert_int_eq(s->n_unparsable, n_bad);
	ck_assert_uint_eq(s->n_entries, (size_t)n);
	fx_close(&f);
}

START_TEST(test_load_counts_grow)
{
	counts_grow(50);
}
END_TEST

START_TEST(test_load_counts_grow_clean)
{
	counts_grow(0);
}
END_TEST

/* The session the user looks at is read before the others: three big
 * sessions, the one last in the load queue selected. */
START_TEST(test_load_selected_first)
{
	struct fx f;
	struct hg_session *m, *o1, *o2;
	int turns = 0;
	bool saw_partial = false;
	size_t i;

	write_session("x.jsonl", 2000, 80000);
	write_session("m.jsonl", 2000, 80000);
	write_session("y.jsonl", 2000, 80000);
	fx_open(&f, false);
	f.a.chunk_bytes = 4096;
	ck_assert_uint_eq(f.a.n_queue, 3);
	m = f.a.queue[2];
	o1 = f.a.queue[0];
	o2 = f.a.queue[1];
	hg_app_sort(&f.a);
	ck_assert_uint_eq(f.a.n_order, 3);
	f.a.list_touched = true;
	for (i = 0; i < f.a.n_order; i++)
		if (f.a.order[i] == m)
			hg_app_select_session(&f.a, i);
	ck_assert_ptr_eq(f.a.sel, m);
	while (f.a.n_queue && turns < 100000) {
		hg_app_step(&f.a, -1, 0);
		turns++;
		if (!hg_app_sess(m)->loaded) {
			saw_partial = true;
			ck_assert_msg(o1->n_entries == 0 && o2->n_entries == 0 &&
				      hg_session_bytes_read(o1) == 0 &&
				      hg_session_bytes_read(o2) == 0,
				      "turn %d: %s (%zu) or %s (%zu) read before the selected %s",
				      turns, o1->id, o1->n_entries, o2->id, o2->n_entries, m->id);
		}
	}
	ck_assert(saw_partial);
	ck_assert_uint_eq(m->n_entries, 2000);
	ck_assert_uint_eq(o1->n_entries, 2000);
	ck_assert_uint_eq(o2->n_entries, 2000);
	fx_close(&f);
}
END_TEST

/* Selecting a small session while a big one loads: it is read next turn. */
START_TEST(test_load_select_small_while_loading)
{
	struct fx f;
	struct hg_session *big, *z;

	write_session("a.jsonl", 3000, 80000);
	write_session("z.jsonl", 20, 100);
	fx_open(&f, false);
	f.a.chunk_bytes = 4096;
	big = named(&f, "a");
	z = named(&f, "z");
	hg_app_sort(&f.a);
	f.a.list_touched = true;
	hg_app_select_session(&f.a, order_of(&f, "a"));
	hg_app_step(&f.a, -1, 0);
	hg_app_step(&f.a, -1, 0);
	ck_assert(!hg_app_sess(big)->loaded);
	ck_assert_uint_eq(z->n_entries, 0);
	hg_app_select_session(&f.a, order_of(&f, "z"));
	ck_assert_ptr_eq(f.a.sel, z);
	ck_assert(hg_app_step(&f.a, -1, 0) & HG_APP_EV_SELECTED);
	ck_assert_uint_eq(z->n_entries, 20);
	ck_assert(hg_app_sess(z)->loaded);
	ck_assert(!hg_app_sess(big)->loaded);
	load_all(&f, NULL);
	ck_assert_uint_eq(big->n_entries, 3000);
	fx_close(&f);
}
END_TEST

/* Two big sessions: the progress shown must not fall back when the first
 * one is done (it is taken out of the queue). */
START_TEST(test_load_percent_two_big)
{
	struct fx f;
	int turns = 0, pct, last = 0, back_from = -1, back_to = -1, back_turn = 0;
	size_t np, nq;

	write_session("p.jsonl", 2000, 80000);
	write_session("q.jsonl", 2000, 80000);
	fx_open(&f, false);
	f.a.chunk_bytes = 4096;
	while (f.a.n_queue && turns < 100000) {
		hg_app_step(&f.a, -1, 0);
		turns++;
		if (!f.a.n_queue)
			break;
		pct = hg_app_loading_percent(&f.a);
		if (pct < last && back_from < 0) {
			back_from = last;
			back_to = pct;
			back_turn = turns;
		}
		last = pct;
	}
	np = named(&f, "p")->n_entries;
	nq = named(&f, "q")->n_entries;
	fx_close(&f);	/* before asserting: no leak when it fails */
	if (back_from >= 0)
		teardown_tmp();	/* a failure skips the fixture's teardown */
	ck_assert_uint_eq(np, 2000);
	ck_assert_uint_eq(nq, 2000);
	ck_assert_msg(back_from < 0, "loading went back from %d%% to %d%% at turn %d",
		      back_from, back_to, back_turn);
}
END_TEST

/* --- 2. order and selection -------------------------------------------------- */

/* a, b, c with last entries at 10 s, 30 s, 20 s and the given mtimes,
 * opened (not loaded). */
static void
three_files(struct fx *f, time_t ma, time_t mb, time_t mc)
{
	write_session("a.jsonl", 3, 10);
	write_session("b.jsonl", 3, 30);
	write_session("c.jsonl", 3, 20);
	set_mtime("a.jsonl", ma);
	set_mtime("b.jsonl", mb);
	set_mtime("c.jsonl", mc);
	fx_open(f, false);
}

/* a, b, c with last entries at 10 s, 30 s, 20 s and old mtimes: b c a. */
static void
three_sessions(struct fx *f)
{
	three_files(f, 1000000000, 1000000000, 1000000000);
	load_all(f, NULL);
	hg_app_sort(&f->a);
}

static void
assert_order(struct fx *f, const char *x, const char *y, const char *z)
{
	ck_assert_uint_eq(f->a.n_order, 3);
	ck_assert_str_eq(f->a.order[0]->id, x);
	ck_assert_str_eq(f->a.order[1]->id, y);
	ck_assert_str_eq(f->a.order[2]->id, z);
}

START_TEST(test_sort_newest_first)
{
	struct fx f;

	three_sessions(&f);
	assert_order(&f, "b", "c", "a");
	ck_assert_ptr_eq(f.a.sel, named(&f, "b"));
	ck_assert_uint_eq(f.a.sel_order, 0);
	fx_close(&f);
}
END_TEST

/* File mtimes count as activity too. */
START_TEST(test_sort_by_mtime)
{
	struct fx f;

	/* Later than any entry timestamp: mtime decides. */
	three_files(&f, 2000000003, 2000000001, 2000000002);
	load_all(&f, NULL);
	hg_app_sort(&f.a);
	assert_order(&f, "a", "c", "b");
	ck_assert_ptr_eq(f.a.sel, named(&f, "a"));
	fx_close(&f);
}
END_TEST

/* The selection stays on the session it started on when another one
 * grows; with live jump (L) on, live follow moves to the session that
 * just grew. */
START_TEST(test_follow_selects_newest)
{
	struct fx f;
	unsigned ev;

	three_sessions(&f);
	ck_assert(hg_app_following(&f.a));
	ck_assert(!f.a.list_touched);
	ck_assert_ptr_eq(f.a.sel, named(&f, "b"));
	append_line("a.jsonl", 5, "local", "accept");	/* mtime: now */
	ev = wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_SESSIONS);
	hg_app_sort(&f.a);
	assert_order(&f, "a", "b", "c");
	ck_assert_ptr_eq(f.a.sel, named(&f, "b"));
	ck_assert_uint_eq(f.a.sel_order, 1);

	hg_app_set_live_jump(&f.a, true);
	hg_app_sort(&f.a);
	ck_assert_ptr_eq(f.a.sel, named(&f, "a"));
	ck_assert_uint_eq(f.a.sel_order, 0);
	usleep(50000);	/* a later mtime than a's, whatever its granularity */
	append_line("c.jsonl", 6, "local", "accept");
	ck_assert(wait_event(&f, HG_APP_EV_ENTRIES) & HG_APP_EV_ENTRIES);
	hg_app_sort(&f.a);
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	/* Paused (reading c): no jump. */
	hg_app_pause(&f.a);
	usleep(50000);
	append_line("b.jsonl", 7, "local", "accept");
	ck_assert(wait_event(&f, HG_APP_EV_ENTRIES) & HG_APP_EV_ENTRIES);
	hg_app_sort(&f.a);
	ck_assert_str_eq(f.a.order[0]->id, "b");
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	fx_close(&f);
}
END_TEST

/* Before any file is read, the session written last is selected: the
 * selection does not move while the rest loads. */
START_TEST(test_start_on_newest)
{
	struct fx f;

	three_files(&f, 2000000001, 2000000002, 2000000003);
	ck_assert_uint_eq(f.a.n_queue, 3);
	hg_app_sort(&f.a);
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	load_all(&f, NULL);
	hg_app_sort(&f.a);
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	ck_assert(f.a.settled);
	fx_close(&f);
}
END_TEST

/* Each session keeps its own pause; entries that came after a pause are
 * counted as new below. */
START_TEST(test_pause_per_session)
{
	struct fx f;

	three_sessions(&f);
	f.a.list_touched = true;
	hg_app_select_session(&f.a, order_of(&f, "b"));
	hg_app_select_entry(&f.a, 1, -1);
	hg_app_pause(&f.a);
	ck_assert_uint_eq(hg_app_new_below(&f.a), 0);
	append_raw("b.jsonl", "{\"session_id\":\"b\",\"skill\":\"x\",\"timestamp\":\"2026-01-01T01:00:00Z\"}\n"
			      "{\"session_id\":\"b\",\"skill\":\"y\",\"timestamp\":\"2026-01-01T01:00:01Z\"}\n");
	ck_assert(wait_event(&f, HG_APP_EV_SELECTED) & HG_APP_EV_SELECTED);
	ck_assert_uint_eq(hg_app_new_below(&f.a), 2);
	hg_app_select_session(&f.a, order_of(&f, "a"));
	ck_assert(hg_app_following(&f.a));	/* a was never paused */
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW);
	ck_assert_uint_eq(hg_app_new_below(&f.a), 0);
	hg_app_select_session(&f.a, order_of(&f, "b"));
	ck_assert(!hg_app_following(&f.a));	/* b still is */
	ck_assert_uint_eq(f.a.sel_entry, 1);
	ck_assert_uint_eq(hg_app_new_below(&f.a), 2);
	hg_app_resume(&f.a);
	ck_assert_uint_eq(hg_app_new_below(&f.a), 0);
	fx_close(&f);
}
END_TEST

/* Once the user chose a session, growth elsewhere re-orders the list but
 * does not take the selection away. */
START_TEST(test_user_selection_kept)
{
	struct fx f;
	struct hg_session *c;

	three_sessions(&f);
	c = named(&f, "c");
	f.a.list_touched = true;
	hg_app_select_session(&f.a, order_of(&f, "c"));
	ck_assert_ptr_eq(f.a.sel, c);
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_SELECT);
	append_line("a.jsonl", 5, "local", "accept");
	ck_assert(wait_event(&f, HG_APP_EV_ENTRIES) & HG_APP_EV_ENTRIES);
	hg_app_sort(&f.a);
	assert_order(&f, "a", "b", "c");
	ck_assert_ptr_eq(f.a.sel, c);
	ck_assert_uint_eq(f.a.sel_order, 2);
	ck_assert_ptr_eq(f.a.order[f.a.sel_order], c);
	fx_close(&f);
}
END_TEST

/* Follow off (the user has the list): the order stays put. */
START_TEST(test_follow_off_order_stays)
{
	struct fx f;

	three_sessions(&f);
	f.a.list_touched = true;
	hg_app_select_session(&f.a, order_of(&f, "c"));
	hg_app_set_follow(&f.a, false);
	append_line("a.jsonl", 5, "local", "accept");
	ck_assert(wait_event(&f, HG_APP_EV_ENTRIES) & HG_APP_EV_ENTRIES);
	ck_assert_uint_eq(named(&f, "a")->n_entries, 4);
	hg_app_sort(&f.a);
	assert_order(&f, "b", "c", "a");
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	ck_assert_uint_eq(f.a.sel_order, 1);
	/* Back on: newest first again, the user's selection kept. */
	hg_app_set_follow(&f.a, true);
	hg_app_sort(&f.a);
	assert_order(&f, "a", "b", "c");
	ck_assert_ptr_eq(f.a.sel, named(&f, "c"));
	ck_assert_uint_eq(f.a.sel_order, 2);
	fx_close(&f);
}
END_TEST

/* The entry selected in a session comes back with it. */
START_TEST(test_entry_selection_remembered)
{
	struct fx f;

	three_sessions(&f);
	f.a.list_touched = true;
	hg_app_select_session(&f.a, order_of(&f, "b"));
	hg_app_select_entry(&f.a, 2, 0);
	ck_assert(f.a.has_entry);
	hg_app_select_session(&f.a, order_of(&f, "a"));
	ck_assert_ptr_eq(f.a.sel, named(&f, "a"));
	ck_assert(!f.a.has_entry);	/* nothing chosen in a yet */
	hg_app_select_entry(&f.a, 1, -1);
	hg_app_select_session(&f.a, order_of(&f, "b"));
	ck_assert_ptr_eq(f.a.sel, named(&f, "b"));
	ck_assert(f.a.has_entry);
	ck_assert_uint_eq(f.a.sel_entry, 2);
	ck_assert_int_eq(f.a.sel_attempt, 0);
	hg_app_select_session(&f.a, order_of(&f, "a"));
	ck_assert(f.a.has_entry);
	ck_assert_uint_eq(f.a.sel_entry, 1);
	ck_assert_int_eq(f.a.sel_attempt, -1);
	fx_close(&f);
}
END_TEST

/* --- 3. the filter ----------------------------------------------------------- */

START_TEST(test_filter_counts_incremental)
{
	struct fx f;
	struct hg_session *s;
	char err[256];
	int col;
	size_t hits, total;
	unsigned serial;

	write_session("a.jsonl", 10, 100);	/* escalate: 0 3 6 9 */
	fx_open(&f, false);
	load_all(&f, NULL);
	hg_app_sort(&f.a);
	s = named(&f, "a");
	ck_assert(!hg_app_filter_counts(&f.a, s, &hits, &total));
	serial = f.a.serial;
	hg_app_take_events(&f.a);
	ck_assert_int_eq(hg_app_set_filter(&f.a, "verdict:escalate", NULL, NULL, err,
					   sizeof(err), &col), 0);
	ck_assert_uint_gt(f.a.serial, serial);
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FILTER);
	ck_assert_ptr_nonnull(f.a.filter_text);
	ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert_uint_eq(hits, 4);
	ck_assert_uint_eq(total, 10);
	ck_assert(hg_app_matches(s, 0));
	ck_assert(!hg_app_matches(s, 1));
	ck_assert(hg_app_matches(s, 9));

	/* Appended afterwards: matched as they come. */
	append_line("a.jsonl", 200, "local", "escalate");
	append_line("a.jsonl", 201, "local", "accept");
	append_line("a.jsonl", 202, "subagent", "escalate");
	{
		int64_t end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;

		while (s->n_entries < 13 && hg_now_mono_ns() < end)
			hg_app_step(&f.a, -1, 100);
	}
	ck_assert_uint_eq(s->n_entries, 13);
	ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert_uint_eq(hits, 6);
	ck_assert_uint_eq(total, 13);
	ck_assert(hg_app_matches(s, 10));
	ck_assert(!hg_app_matches(s, 11));
	ck_assert(hg_app_matches(s, 12));

	/* A bad expression: an error with its column, the filter stays. */
	serial = f.a.serial;
	hg_app_take_events(&f.a);
	err[0] = '\0';
	col = 0;
	ck_assert_int_eq(hg_app_set_filter(&f.a, "tier:", NULL, NULL, err, sizeof(err), &col),
			 -1);
	ck_assert_int_gt(col, 0);
	ck_assert_str_ne(err, "");
	ck_assert_uint_eq(f.a.serial, serial);
	ck_assert(!(hg_app_take_events(&f.a) & HG_APP_EV_FILTER));
	ck_assert_str_eq(f.a.expr, "verdict:escalate");
	ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert_uint_eq(hits, 6);
	ck_assert_uint_eq(total, 13);

	/* A different filter: counted again. */
	ck_assert_int_eq(hg_app_set_filter(&f.a, "tier:subagent", NULL, NULL, err,
					   sizeof(err), &col), 0);
	ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert_uint_eq(hits, 1);
	ck_assert_uint_eq(total, 13);
	fx_close(&f);
}
END_TEST

START_TEST(test_filter_cycle_and_clear)
{
	struct fx f;
	struct hg_session *s;
	char err[256];
	const char *v;
	bool ok;
	size_t hits, total;
	unsigned serial;
	int col;
	static const char *const want[] = { "accept", "escalate", "error", NULL };
	static const size_t want_hits[] = { 6, 4, 0, 0 };
	int i;

	write_session("a.jsonl", 10, 100);	/* 4 escalate, 6 accept */
	fx_open(&f, false);
	load_all(&f, NULL);
	hg_app_sort(&f.a);
	s = named(&f, "a");
	hg_app_take_events(&f.a);
	ck_assert(!hg_app_clear_filter(&f.a));	/* nothing to clear */
	ck_assert(!(hg_app_take_events(&f.a) & HG_APP_EV_FILTER));

	for (i = 0; i < 4; i++) {
		serial = f.a.serial;
		v = hg_app_cycle(&f.a, true, &ok, err, sizeof(err));
		ck_assert(ok);
		ck_assert_uint_gt(f.a.serial, serial);
		ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FILTER);
		if (want[i]) {
			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(v, want[i]);
			ck_assert_ptr_nonnull(f.a.verdict);
			ck_assert_str_eq(f.a.verdict, want[i]);
			ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
			ck_assert_uint_eq(hits, want_hits[i]);
			ck_assert_uint_eq(total, 10);
		} else {
			ck_assert_ptr_null(v);
			ck_assert_ptr_null(f.a.verdict);
			ck_assert(!hg_app_filter_counts(&f.a, s, &hits, &total));
		}
	}
	/* Back at "all": nothing to clear. */
	ck_assert(!hg_app_clear_filter(&f.a));

	/* Tier quick filter and an expression together, then cleared. */
	v = hg_app_cycle(&f.a, false, &ok, err, sizeof(err));
	ck_assert(ok);
	ck_assert_str_eq(v, "local");
	ck_assert_int_eq(hg_app_set_filter(&f.a, "verdict:escalate", f.a.verdict, f.a.tier,
					   err, sizeof(err), &col), 0);
	ck_assert(hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert_uint_eq(hits, 4);
	hg_app_take_events(&f.a);
	serial = f.a.serial;
	ck_assert(hg_app_clear_filter(&f.a));
	ck_assert_uint_gt(f.a.serial, serial);
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FILTER);
	ck_assert_ptr_null(f.a.filter);
	ck_assert_ptr_null(f.a.expr);
	ck_assert_ptr_null(f.a.tier);
	ck_assert(!hg_app_filter_counts(&f.a, s, &hits, &total));
	ck_assert(!hg_app_clear_filter(&f.a));
	/* After a clear the cycle starts from "all" again. */
	v = hg_app_cycle(&f.a, true, &ok, err, sizeof(err));
	ck_assert(ok);
	ck_assert_str_eq(v, "accept");
	fx_close(&f);
}
END_TEST

/* --filter / --verdict on the command line: in force from the start. */
START_TEST(test_filter_from_options)
{
	struct fx f;
	char err[512];
	char *paths[1];
	size_t hits, total;
	bool ok;
	const char *v;

	write_session("a.jsonl", 10, 100);
	memset(&f, 0, sizeof(f));
	paths[0] = tmpdir;
	f.o.verdict = "escalate";
	ck_assert_int_eq(hg_catalog_open(&f.c, 1, paths, err, sizeof(err)), 0);
	ck_assert_int_eq(hg_app_init(&f.a, &f.o, &f.c, tmpdir, NULL, NULL, false), 0);
	load_all(&f, NULL);
	ck_assert(hg_app_filter_counts(&f.a, named(&f, "a"), &hits, &total));
	ck_assert_uint_eq(hits, 4);
	ck_assert_uint_eq(total, 10);
	/* escalate -> error */
	v = hg_app_cycle(&f.a, true, &ok, err, 256);
	ck_assert(ok);
	ck_assert_str_eq(v, "error");
	fx_close(&f);
}
END_TEST

/* --- 4. follow and pause ------------------------------------------------------ */

START_TEST(test_follow_pause_resume)
{
	struct fx f;
	const char *m;
	bool error = true;

	write_session("a.jsonl", 3, 100);
	fx_open(&f, false);
	load_all(&f, NULL);
	ck_assert(f.a.follow);
	ck_assert(hg_app_following(&f.a));

	hg_app_pause(&f.a);
	ck_assert(!hg_app_following(&f.a));
	ck_assert(f.a.paused);
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW);
	m = hg_app_current_message(&f.a, &error);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m, "follow paused"));
	ck_assert(!error);
	/* Paused twice: said once. */
	hg_app_pause(&f.a);
	ck_assert(!(hg_app_take_events(&f.a) & (HG_APP_EV_FOLLOW | HG_APP_EV_MESSAGE)));

	hg_app_resume(&f.a);
	ck_assert(hg_app_following(&f.a));
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW);
	hg_app_resume(&f.a);
	ck_assert(!(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW));

	hg_app_set_follow(&f.a, false);
	ck_assert(!hg_app_following(&f.a));
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW);
	m = hg_app_current_message(&f.a, &error);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m, "follow off");
	/* Follow off: nothing to pause. */
	hg_app_pause(&f.a);
	ck_assert(!f.a.paused);
	ck_assert(!(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW));

	hg_app_set_follow(&f.a, true);
	ck_assert(hg_app_following(&f.a));
	ck_assert(hg_app_take_events(&f.a) & HG_APP_EV_FOLLOW);
	/* Turning follow on again ends a pause. */
	hg_app_pause(&f.a);
	hg_app_set_follow(&f.a, true);
	ck_assert(hg_app_following(&f.a));
	fx_close(&f);
}
END_TEST

/* --- 5. live tail ------------------------------------------------------------- */

/* The browser's app keeps the timeline at every step: after loading, every
 * entry is in it in time order; an append older than the newest goes in
 * its place, without a look from the view. */
START_TEST(test_timeline_kept)
{
	struct fx f;
	size_t i, n;

	write_session("a.jsonl", 3, 100);	/* seconds 98..100 */
	write_session("b.jsonl", 4, 200);	/* 197..200 */
	fx_open(&f, false);
	f.a.tl_keep = true;
	load_all(&f, NULL);
	ck_assert_uint_eq(f.a.tl.n, 7);
	for (i = 1; i < f.a.tl.n; i++)
		ck_assert_int_le(f.a.tl.v[i - 1].ts, f.a.tl.v[i].ts);
	n = f.a.tl.n;
	append_line("a.jsonl", 150, "local", "accept");
	wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert_uint_eq(f.a.tl.n, n + 1);
	/* After a's 98..100 and before b's 197: the fourth. */
	ck_assert_ptr_eq(hg_timeline_session(&f.a.tl, &f.a.tl.v[3]), named(&f, "a"));
	ck_assert_uint_eq(f.a.tl.v[3].entry, 3);
	ck_assert_ptr_eq(hg_timeline_session(&f.a.tl, &f.a.tl.v[4]), named(&f, "b"));
	fx_close(&f);
}
END_TEST

START_TEST(test_live_tail)
{
	struct fx f;
	struct hg_session *b, *a;
	unsigned ev;
	size_t n;

	three_sessions(&f);
	b = named(&f, "b");
	a = named(&f, "a");
	ck_assert_ptr_eq(f.a.sel, b);
	ck_assert(!hg_app_live(b));	/* the initial load is not growth */
	hg_app_step(&f.a, -1, 0);	/* drain */

	/* The selected session grows. */
	n = b->n_entries;
	append_line("b.jsonl", 40, "local", "accept");
	ev = wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_SELECTED);
	ck_assert_uint_eq(b->n_entries, n + 1);
	ck_assert(hg_app_live(b));
	ck_assert(!hg_app_live(a));

	/* Another one grows: not the selected one. */
	f.a.list_touched = true;
	n = a->n_entries;
	append_line("a.jsonl", 41, "local", "accept");
	ev = wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(!(ev & HG_APP_EV_SELECTED));
	ck_assert_uint_eq(a->n_entries, n + 1);
	ck_assert_ptr_eq(f.a.sel, b);

	/* A new session file. */
	append_line("d.jsonl", 50, "local", "accept");
	append_line("d.jsonl", 51, "local", "escalate");
	ev = wait_event(&f, HG_APP_EV_SESSIONS);
	{
		int64_t end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;

		while ((f.c.n < 4 || f.a.n_queue || named(&f, "d")->n_entries < 2) &&
		       hg_now_mono_ns() < end)
			ev |= hg_app_step(&f.a, -1, 100);
	}
	ck_assert(ev & HG_APP_EV_SESSIONS);
	ck_assert_uint_eq(f.c.n, 4);
	ck_assert_ptr_nonnull(named(&f, "d"));
	ck_assert_uint_eq(named(&f, "d")->n_entries, 2);
	hg_app_sort(&f.a);
	ck_assert_uint_eq(f.a.n_order, 4);
	(void)order_of(&f, "d");
	/* newest activity (mtime now) first; the user's selection kept */
	ck_assert_ptr_eq(f.a.sel, b);
	ck_assert_ptr_eq(f.a.order[f.a.sel_order], b);
	fx_close(&f);
}
END_TEST

/* The same through loaded = true (what --batch --follow uses). */
START_TEST(test_live_tail_loaded)
{
	struct fx f;
	struct hg_session *s;
	unsigned ev;
	size_t i;

	write_session("a.jsonl", 3, 100);
	{
		char err[512];
		char *paths[1] = { tmpdir };

		memset(&f, 0, sizeof(f));
		ck_assert_int_eq(hg_catalog_open(&f.c, 1, paths, err, sizeof(err)), 0);
		for (i = 0; i < f.c.n; i++)
			hg_session_ingest(f.c.sessions[i], 0);
		ck_assert_int_eq(hg_app_init(&f.a, &f.o, &f.c, tmpdir, NULL, NULL, true), 0);
	}
	s = named(&f, "a");
	ck_assert_uint_eq(s->n_entries, 3);
	hg_app_sort(&f.a);
	append_line("a.jsonl", 200, "local", "accept");
	ev = wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_SELECTED);
	ck_assert_uint_eq(s->n_entries, 4);
	fx_close(&f);
}
END_TEST

/* --- 6. the meter ------------------------------------------------------------- */

static bool
meter(struct fx *f, char *buf, size_t n)
{
	int i;

	for (i = 0; i < 1000 && !hg_app_meter_line(&f->a, 200, buf, n); i++)
		hg_app_meter_step(&f->a);
	return hg_app_meter_line(&f->a, 200, buf, n);
}

START_TEST(test_meter)
{
	struct fx f;
	char buf[512], err[256];
	int col;
	struct hg_session *s;

	write_session("a.jsonl", 10, 100);	/* 10 local: 6 accept */
	fx_open(&f, false);
	load_all(&f, NULL);
	hg_app_sort(&f.a);
	s = named(&f, "a");
	ck_assert(meter(&f, buf, sizeof(buf)));
	ck_assert_msg(strstr(buf, "local 10") != NULL, "meter: '%s'", buf);
	ck_assert_msg(strstr(buf, "acc 60%") != NULL, "meter: '%s'", buf);
	ck_assert_msg(strstr(buf, "subagent") == NULL, "meter: '%s'", buf);

	/* New entries are counted as they come. */
	append_line("a.jsonl", 200, "local", "accept");
	append_line("a.jsonl", 201, "local", "accept");
	append_line("a.jsonl", 202, "local", "accept");
	append_line("a.jsonl", 203, "local", "accept");
	append_line("a.jsonl", 204, "subagent", "escalate");
	{
		int64_t end = hg_now_mono_ns() + (int64_t)WAIT_MS * 1000000;

		while (s->n_entries < 15 && hg_now_mono_ns() < end)
			hg_app_step(&f.a, -1, 100);
	}
	ck_assert_uint_eq(s->n_entries, 15);
	ck_assert(meter(&f, buf, sizeof(buf)));
	ck_assert_msg(strstr(buf, "local 14") != NULL, "meter: '%s'", buf);
	ck_assert_msg(strstr(buf, "acc 71%") != NULL, "meter: '%s'", buf);
	ck_assert_msg(strstr(buf, "subagent 1") != NULL, "meter: '%s'", buf);

	/* Under a filter. */
	ck_assert_int_eq(hg_app_set_filter(&f.a, "verdict:escalate", NULL, NULL, err,
					   sizeof(err), &col), 0);
	ck_assert(meter(&f, buf, sizeof(buf)));
	ck_assert_msg(strstr(buf, "local 4") != NULL, "meter: '%s'", buf);
	ck_assert_msg(strstr(buf, "acc 0%") != NULL, "meter: '%s'", buf);

	/* A filter nothing matches. */
	ck_assert_int_eq(hg_app_set_filter(&f.a, "model:nosuchmodel", NULL, NULL, err,
					   sizeof(err), &col), 0);
	ck_assert(meter(&f, buf, sizeof(buf)));
	ck_assert_msg(strstr(buf, "no attempts match") != NULL, "meter: '%s'", buf);
	ck_assert(!hg_app_meter_busy(&f.a));
	fx_close(&f);
}
END_TEST

/* The header meter and the stats view (hg_stats_compute) give the same
 * numbers, p95 included, for every tier, with and without a filter. */
static void
write_varied(const char *name, unsigned seed, int n)
{
	static const char *const tiers[] = { "local", "subagent", "managed", "edge" };
	static const char *const verdicts[] = { "accept", "escalate", "error" };
	char *p = tmp_path(name);
	FILE *f = fopen(p, "w");
	int i, k;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++) {
		int na = 1 + (int)(seed % 3);

		fprintf(f, "{\"session_id\":\"%s\",\"skill\":\"fix\",\"timestamp\":"
			"\"2026-01-01T00:%02d:%02dZ\",\"final_status\":\"ok\",\"attempts\":[",
			name, i / 60 % 60, i % 60);
		for (k = 0; k < na; k++) {
			seed = seed * 1103515245u + 12345u;
			fprintf(f, "%s{\"attempt\":%d,\"tier\":\"%s\",\"model\":\"m\","
				"\"duration_ms\":%u,\"verdict\":\"%s\"}", k ? "," : "", k + 1,
				tiers[(seed >> 8) % 4], (seed >> 12) % 90000, verdicts[(seed >> 4) % 3]);
		}
		fputs("]}\n", f);
	}
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

static void
expect_meter_is_stats(struct fx *f, const struct hg_filter *flt)
{
	char got[512], want[512];
	struct hg_stats *st;

	ck_assert(meter(f, got, sizeof(got)));
	st = hg_stats_compute(f->a.c->sessions, f->a.c->n, flt);
	hg_stats_summary_line(st, 200, want, sizeof(want));
	hg_stats_free(st);
	ck_assert_msg(strstr(got, "p95") != NULL, "meter without p95: '%s'", got);
	ck_assert_str_eq(got, want);
}

START_TEST(test_meter_is_stats)
{
	struct fx f;
	char err[256];
	int col;

	write_varied("a.jsonl", 7, 300);
	write_varied("b.jsonl", 11, 170);
	write_varied("c.jsonl", 23, 41);
	fx_open(&f, false);
	load_all(&f, NULL);
	expect_meter_is_stats(&f, NULL);
	ck_assert_int_eq(hg_app_set_filter(&f.a, "verdict:error", NULL, NULL, err, sizeof(err),
					   &col), 0);
	expect_meter_is_stats(&f, f.a.filter);
	ck_assert_int_eq(hg_app_set_filter(&f.a, "skill:fix", NULL, "managed", err, sizeof(err),
					   &col), 0);
	expect_meter_is_stats(&f, f.a.filter);
	fx_close(&f);
}
END_TEST

/* --- 7. notes ------------------------------------------------------------------ */

static void
annotate(struct hg_session *s, size_t target, const char *text)
{
	struct hg_buf b = { 0 };
	char err[256];

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[target], HG_ANNOTATE_ENTRY, "kai", text,
					   hg_now_wall_ns(), err, sizeof(err)), 0);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, err, sizeof(err)), 0);
	hg_buf_free(&b);
}

START_TEST(test_notes_attach)
{
	struct fx f;
	struct hg_session *b, *a;
	const size_t *anns;
	unsigned ev;
	int64_t entries, bad;

	three_sessions(&f);
	b = named(&f, "b");
	a = named(&f, "a");
	ck_assert_ptr_eq(f.a.sel, b);
	f.a.list_touched = true;
	hg_app_step(&f.a, -1, 0);

	/* In the selected session: attached as it arrives. */
	annotate(b, 1, "flaky test, ignore");
	ev = wait_event(&f, HG_APP_EV_NOTES);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_NOTES);
	ck_assert_uint_eq(b->n_entries, 4);
	ck_assert_int_eq(b->n_annotations, 1);
	ck_assert_uint_eq(hg_ann_index_lookup(&hg_app_sess(b)->notes, 1, &anns), 1);
	ck_assert_uint_eq(anns[0], 3);
	ck_assert_uint_eq(hg_ann_index_lookup(&hg_app_sess(b)->notes, 0, &anns), 0);
	ck_assert(hg_ann_index_attached(&hg_app_sess(b)->notes, 3));
	hg_app_counts(&f.a, &entries, &bad);
	ck_assert_int_eq(entries, 9);	/* the note is not an entry */

	/* In another session: attached when synced. */
	annotate(a, 2, "see PR 12");
	ev = wait_event(&f, HG_APP_EV_ENTRIES);
	ck_assert(ev & HG_APP_EV_ENTRIES);
	ck_assert(!(ev & HG_APP_EV_NOTES));
	ck_assert_uint_eq(a->n_entries, 4);
	hg_app_take_events(&f.a);
	ck_assert(hg_app_notes_sync(&f.a, a));
	ck_assert(!(hg_app_take_events(&f.a) & HG_APP_EV_NOTES));	/* not selected */
	ck_assert_uint_eq(hg_ann_index_lookup(&hg_app_sess(a)->notes, 2, &anns), 1);
	ck_assert_uint_eq(anns[0], 3);
	ck_assert(!hg_app_notes_sync(&f.a, a));	/* nothing new */

	/* The filter shows a note with its target. */
	{
		char err[256];
		int col;

		ck_assert_int_eq(hg_app_set_filter(&f.a, "verdict:escalate", NULL, NULL, err,
						   sizeof(err), &col), 0);
		hg_app_match_update(&f.a, b);
		/* b: entry 0 escalates, 1 and 2 accept; the note on 1 follows it */
		ck_assert(hg_app_matches(b, 0));
		ck_assert(!hg_app_matches(b, 1));
		ck_assert(!hg_app_matches(b, 3));
	}
	fx_close(&f);
}
END_TEST

/* --- 8. signals ---------------------------------------------------------------- */

static bool
is_default(int sig)
{
	struct sigaction sa;

	ck_assert_int_eq(sigaction(sig, NULL, &sa), 0);
	return sa.sa_handler == SIG_DFL;
}

START_TEST(test_signals)
{
	struct fx f;
	unsigned ev;

	write_session("a.jsonl", 3, 100);
	fx_open(&f, false);
	load_all(&f, NULL);
	ck_assert(!is_default(SIGTERM));

	ck_assert_int_eq(raise(SIGWINCH), 0);
	ev = hg_app_step(&f.a, -1, 1000);
	ck_assert(ev & HG_APP_EV_RESIZE);
	ck_assert(!(ev & HG_APP_EV_QUIT));

	ck_assert_int_eq(raise(SIGTERM), 0);
	ev = hg_app_step(&f.a, -1, 1000);
	ck_assert(ev & HG_APP_EV_QUIT);
	ck_assert(!(ev & HG_APP_EV_RESIZE));

	/* SIGTERM: a clean stop, status 0. */
	ck_assert_int_eq(f.a.quit_signal, SIGTERM);
	ck_assert_int_eq(hg_app_quit_status(&f.a), 0);

	f.a.quit_signal = 0;
	ck_assert_int_eq(raise(SIGINT), 0);
	ck_assert(hg_app_step(&f.a, -1, 1000) & HG_APP_EV_QUIT);
	ck_assert_int_eq(hg_app_quit_status(&f.a), 130);
	/* The first one counts. */
	ck_assert_int_eq(raise(SIGHUP), 0);
	ck_assert(hg_app_step(&f.a, -1, 1000) & HG_APP_EV_QUIT);
	ck_assert_int_eq(hg_app_quit_status(&f.a), 130);
	f.a.quit_signal = 0;
	ck_assert_int_eq(raise(SIGQUIT), 0);
	ck_assert(hg_app_step(&f.a, -1, 1000) & HG_APP_EV_QUIT);
	ck_assert_int_eq(hg_app_quit_status(&f.a), 131);
	/* Taken once. */
	ck_assert(!(hg_app_step(&f.a, -1, 0) & (HG_APP_EV_QUIT | HG_APP_EV_RESIZE)));

	fx_close(&f);
	ck_assert(is_default(SIGTERM));
	ck_assert(is_default(SIGINT));
	ck_assert(is_default(SIGHUP));
	ck_assert(is_default(SIGQUIT));
	ck_assert(is_default(SIGWINCH));
}
END_TEST

/* The caller's descriptor (the terminal) wakes the step. */
START_TEST(test_input_fd)
{
	struct fx f;
	int p[2];
	unsigned ev;

	write_session("a.jsonl", 3, 100);
	fx_open(&f, false);
	load_all(&f, NULL);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert(!(hg_app_step(&f.a, p[0], 0) & HG_APP_EV_INPUT));
	ck_assert_int_eq(write(p[1], "q", 1), 1);
	ev = hg_app_step(&f.a, p[0], 1000);
	ck_assert(ev & HG_APP_EV_INPUT);
	close(p[0]);
	close(p[1]);
	fx_close(&f);
}
END_TEST

/* While sessions load, a key waiting on the input is handled first: the
 * step that sees it reads no entries; the loading resumes once it is
 * read, and a key that comes in the middle of a turn of many small
 * sessions ends that turn after the session being read. */
START_TEST(test_key_before_loading)
{
	struct fx f;
	int p[2];
	char c;
	size_t i, read_before;
	unsigned ev;

	for (i = 0; i < 40; i++) {
		char name[32];

		snprintf(name, sizeof(name), "s%02zu.jsonl", i);
		write_session(name, 5, 100 + (int)i);
	}
	fx_open(&f, false);
	ck_assert_uint_eq(f.a.n_queue, 40);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "k", 1), 1);
	ev = hg_app_step(&f.a, p[0], 0);
	ck_assert(ev & HG_APP_EV_INPUT);
	ck_assert_uint_eq(f.a.n_queue, 40);	/* nothing read in that step */
	/* Still waiting (not read yet): one session at most per step. */
	ev = hg_app_step(&f.a, p[0], 0);
	read_before = 40 - f.a.n_queue;
	ck_assert_uint_le(read_before, 1);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	/* Read: the turn takes many sessions again. */
	hg_app_step(&f.a, p[0], 0);
	ck_assert_uint_gt(40 - f.a.n_queue, read_before + 1);
	load_all(&f, NULL);
	for (i = 0; i < f.c.n; i++)
		ck_assert_uint_eq(f.c.sessions[i]->n_entries, 5);
	close(p[0]);
	close(p[1]);
	fx_close(&f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("app");
	TCase *tl = tcase_create("load");
	TCase *to = tcase_create("order");
	TCase *tf = tcase_create("filter");
	TCase *tw = tcase_create("live");
	TCase *ts = tcase_create("signals");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tl, setup_tmp, teardown_tmp);
	tcase_add_test(tl, test_load_all_sessions);
	tcase_add_test(tl, test_init_loaded_queues_nothing);
	tcase_add_test(tl, test_load_big_in_chunks);
	tcase_add_test(tl, test_key_before_loading);
	tcase_add_test(tl, test_load_counts_grow);
	tcase_add_test(tl, test_load_counts_grow_clean);
	tcase_add_test(tl, test_load_selected_first);
	tcase_add_test(tl, test_load_select_small_while_loading);
	tcase_add_test(tl, test_load_percent_two_big);
	suite_add_tcase(s, tl);

	tcase_add_checked_fixture(to, setup_tmp, teardown_tmp);
	tcase_add_test(to, test_sort_newest_first);
	tcase_add_test(to, test_sort_by_mtime);
	tcase_add_test(to, test_follow_selects_newest);
	tcase_add_test(to, test_start_on_newest);
	tcase_add_test(to, test_pause_per_session);
	tcase_add_test(to, test_user_selection_kept);
	tcase_add_test(to, test_follow_off_order_stays);
	tcase_add_test(to, test_entry_selection_remembered);
	tcase_add_test(to, test_follow_pause_resume);
	suite_add_tcase(s, to);

	tcase_add_checked_fixture(tf, setup_tmp, teardown_tmp);
	tcase_add_test(tf, test_filter_counts_incremental);
	tcase_add_test(tf, test_filter_cycle_and_clear);
	tcase_add_test(tf, test_filter_from_options);
	tcase_add_test(tf, test_meter);
	tcase_add_test(tf, test_meter_is_stats);
	suite_add_tcase(s, tf);

	tcase_add_checked_fixture(tw, setup_tmp, teardown_tmp);
	tcase_set_timeout(tw, 10);
	tcase_add_test(tw, test_live_tail);
	tcase_add_test(tw, test_live_tail_loaded);
	tcase_add_test(tw, test_notes_attach);
	tcase_add_test(tw, test_timeline_kept);
	suite_add_tcase(s, tw);

	tcase_add_checked_fixture(ts, setup_tmp, teardown_tmp);
	tcase_add_test(ts, test_signals);
	tcase_add_test(ts, test_input_fd);
	suite_add_tcase(s, ts);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
