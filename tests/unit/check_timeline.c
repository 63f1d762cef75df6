/* check_timeline.c - the merged index of all sessions: appends in order,
 * an older append put in place, sessions re-read, truncated, rotated;
 * and its rows. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/rows.h"
#include "hgtop/session.h"
#include "hgtop/timeline.h"
#include "tmpdir.h"

static void
setup(void)
{
	tmpdir_create("timeline");
}

/* Append entries at the given seconds past 10:00:00 to NAME.jsonl. */
static void
append(const char *name, const char *mode, const int *secs, size_t n)
{
	char file[64], *p;
	FILE *f;
	size_t i;

	snprintf(file, sizeof(file), "%s.jsonl", name);
	p = tmp_path(file);
	f = fopen(p, mode);
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++)
		fprintf(f, "{\"session_id\":\"%s\",\"timestamp\":\"2026-11-24T10:%02d:%02dZ\","
			"\"skill\":\"s%d\",\"final_status\":\"ok\"}\n", name, secs[i] / 60,
			secs[i] % 60, secs[i]);
	fclose(f);
	free(p);
}

static struct hg_session *
open_session(const char *name)
{
	char file[64], *p;
	struct hg_session *s;

	snprintf(file, sizeof(file), "%s.jsonl", name);
	p = tmp_path(file);
	s = hg_session_new(p);
	free(p);
	ck_assert_ptr_nonnull(s);
	hg_session_ingest(s, 0);
	return s;
}

/* The index as "session:second" words. */
static char *
order(const struct hg_timeline *t)
{
	static char buf[4096];
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n; i++) {
		const struct hg_session *s = hg_timeline_session(t, &t->v[i]);
		const struct hg_entry *e = hg_timeline_entry(t, &t->v[i]);

		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s:%s", i ? " " : "",
				      s->id, hg_entry_str(e, HG_E_SKILL) + 1);
	}
	return buf;
}

static void
check_sorted(const struct hg_timeline *t)
{
	size_t i;

	for (i = 1; i < t->n; i++)
		ck_assert(t->v[i - 1].ts <= t->v[i].ts);
}

START_TEST(test_interleaves_three)
{
	const int a[] = { 1, 4, 7 }, b[] = { 2, 5, 8 }, c[] = { 3, 6, 9 };
	struct hg_session *s[3];
	struct hg_timeline t;

	append("a", "w", a, 3);
	append("b", "w", b, 3);
	append("c", "w", c, 3);
	s[0] = open_session("c");
	s[1] = open_session("a");
	s[2] = open_session("b");
	hg_timeline_init(&t);
	hg_timeline_add(&t, s[0]);
	hg_timeline_add(&t, s[1]);
	hg_timeline_add(&t, s[2]);
	ck_assert(hg_timeline_sync(&t));
	ck_assert_str_eq(order(&t), "a:1 b:2 c:3 a:4 b:5 c:6 a:7 b:8 c:9");
	ck_assert_int_eq(hg_timeline_find(&t, 2, 1), 4);	/* b:5 */
	ck_assert(!hg_timeline_sync(&t));	/* nothing new */
	hg_timeline_free(&t);
	for (int i = 0; i < 3; i++)
		hg_session_free(s[i]);
}
END_TEST

START_TEST(test_append_newest_at_end)
{
	const int a[] = { 1, 2 }, more[] = { 10, 11 };
	struct hg_session *s;
	struct hg_timeline t;
	unsigned serial;

	append("a", "w", a, 2);
	s = open_session("a");
	hg_timeline_init(&t);
	hg_timeline_add(&t, s);
	hg_timeline_sync(&t);
	serial = t.serial;
	append("a", "a", more, 2);
	hg_session_ingest(s, 0);
	hg_timeline_touch(&t, 0);
	ck_assert(hg_timeline_sync(&t));
	ck_assert_str_eq(order(&t), "a:1 a:2 a:10 a:11");
	/* Added at the end: nothing moved. */
	ck_assert_uint_eq(t.serial, serial);
	ck_assert_uint_eq(t.last_added, 2);
	ck_assert_uint_eq(t.last_merged, 0);
	hg_timeline_free(&t);
	hg_session_free(s);
}
END_TEST

START_TEST(test_append_older_in_place)
{
	const int a[] = { 10, 20, 30 }, b[] = { 5 }, late[] = { 15 }, many[40] = { 0 };
	int m[40];
	struct hg_session *sa, *sb;
	struct hg_timeline t;
	unsigned serial;

	(void)many;
	append("a", "w", a, 3);
	append("b", "w", b, 1);
	sa = open_session("a");
	sb = open_session("b");
	hg_timeline_init(&t);
	hg_timeline_add(&t, sa);
	hg_timeline_add(&t, sb);
	hg_timeline_sync(&t);
	ck_assert_str_eq(order(&t), "b:5 a:10 a:20 a:30");
	serial = t.serial;
	/* b is written again, with a time older than a's newest. */
	append("b", "a", late, 1);
	hg_session_ingest(sb, 0);
	hg_timeline_touch(&t, 1);
	ck_assert(hg_timeline_sync(&t));
	ck_assert_str_eq(order(&t), "b:5 a:10 b:15 a:20 a:30");
	ck_assert_uint_ne(t.serial, serial);
	ck_assert_uint_eq(t.last_merged, 1);
	/* Many older entries at once: one merge. */
	for (int i = 0; i < 40; i++)
		m[i] = 11 + (i * 7) % 19;	/* older than a's 30, not in order */
	append("b", "a", m, 40);
	hg_session_ingest(sb, 0);
	hg_timeline_touch(&t, 1);
	hg_timeline_sync(&t);
	ck_assert_uint_eq(t.n, 45);
	ck_assert_uint_eq(t.last_merged, 40);
	check_sorted(&t);
	hg_timeline_free(&t);
	hg_session_free(sa);
	hg_session_free(sb);
}
END_TEST

START_TEST(test_truncated_reindexed)
{
	const int a[] = { 1, 3, 5 }, b[] = { 2, 4 }, again[] = { 6 };
	struct hg_session *sa, *sb;
	struct hg_timeline t;
	struct hg_ingest_result r;

	append("a", "w", a, 3);
	append("b", "w", b, 2);
	sa = open_session("a");
	sb = open_session("b");
	hg_timeline_init(&t);
	hg_timeline_add(&t, sa);
	hg_timeline_add(&t, sb);
	hg_timeline_sync(&t);
	ck_assert_str_eq(order(&t), "a:1 b:2 a:3 b:4 a:5");
	/* a is truncated and written anew: its old entries leave. */
	append("a", "w", again, 1);
	r = hg_session_ingest(sa, 0);
	ck_assert_int_ne(r.status, HG_INGEST_OK);
	hg_timeline_touch(&t, 0);
	ck_assert(hg_timeline_sync(&t));
	ck_assert_str_eq(order(&t), "b:2 b:4 a:6");
	ck_assert_uint_eq(t.last_dropped, 3);
	/* Emptied: only b is left. */
	hg_session_reset(sa);
	hg_timeline_touch(&t, 0);
	ck_assert(hg_timeline_sync(&t));
	ck_assert_str_eq(order(&t), "b:2 b:4");
	hg_timeline_free(&t);
	hg_session_free(sa);
	hg_session_free(sb);
}
END_TEST

START_TEST(test_rotated_keeps_both)
{
	const int a[] = { 1, 2 }, next[] = { 3 };
	struct hg_session *old, *cur;
	struct hg_timeline t;
	char *p, *q;

	append("a", "w", a, 2);
	old = open_session("a");
	hg_timeline_init(&t);
	hg_timeline_add(&t, old);
	hg_timeline_sync(&t);
	/* mv a.jsonl a.jsonl.0, a new a.jsonl: the old session keeps its
	 * entries, the new one comes in beside it. */
	p = tmp_path("a.jsonl");
	q = tmp_path("a.jsonl.0");
	ck_assert_int_eq(rename(p, q), 0);
	append("a", "w", next, 1);
	hg_session_ingest(old, 0);
	hg_timeline_touch(&t, 0);
	cur = open_session("a");
	hg_timeline_add(&t, cur);
	hg_timeline_sync(&t);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(order(&t), "a:1 a:2 a:3");
	ck_assert_ptr_eq(hg_timeline_session(&t, &t.v[2]), cur);
	free(p);
	free(q);
	hg_timeline_free(&t);
	hg_session_free(old);
	hg_session_free(cur);
}
END_TEST

START_TEST(test_no_time_first)
{
	struct hg_session *s;
	struct hg_timeline t;
	const int a[] = { 1 };
	char *p = tmp_path("a.jsonl");
	FILE *f;

	append("a", "w", a, 1);
	f = fopen(p, "a");
	fputs("not json\n", f);
	fclose(f);
	s = open_session("a");
	hg_timeline_init(&t);
	hg_timeline_add(&t, s);
	hg_timeline_sync(&t);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.v[0].entry, 1);	/* the unparsable line first */
	ck_assert_uint_eq(t.v[1].entry, 0);
	free(p);
	hg_timeline_free(&t);
	hg_session_free(s);
}
END_TEST

static bool
odd_visible(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)s;
	(void)ctx;
	return atoi(hg_entry_str(e, HG_E_SKILL) + 1) % 2 == 1;
}

START_TEST(test_rows_follow_index)
{
	const int a[] = { 1, 3 }, b[] = { 2, 4 }, late[] = { 5 }, old[] = { 0 };
	struct hg_session *sa, *sb;
	struct hg_timeline t;
	struct hg_tl_rows r = { 0 };
	struct hg_tl_hooks h = { odd_visible, NULL, NULL, NULL, NULL };

	append("a", "w", a, 2);
	append("b", "w", b, 2);
	sa = open_session("a");
	sb = open_session("b");
	hg_timeline_init(&t);
	hg_timeline_add(&t, sa);
	hg_timeline_add(&t, sb);
	hg_timeline_sync(&t);
	hg_tl_rows_build(&r, &t, &h);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.hidden, 2);
	ck_assert_int_eq(hg_tl_rows_find(&r, 2, -1, false), 1);	/* a:3 */
	ck_assert_int_eq(hg_tl_rows_find(&r, 1, -1, false), -1);	/* b:2 hidden */
	append("b", "a", late, 1);
	hg_session_ingest(sb, 0);
	hg_timeline_touch(&t, 1);
	hg_timeline_sync(&t);
	ck_assert(hg_tl_rows_update(&r, &t, &h));
	ck_assert_uint_eq(r.n, 3);
	/* An older entry: the rows are made again, in order. */
	append("a", "a", old, 1);
	hg_session_ingest(sa, 0);
	hg_timeline_touch(&t, 0);
	hg_timeline_sync(&t);
	ck_assert(hg_tl_rows_update(&r, &t, &h));
	ck_assert_uint_eq(r.n, 3);
	ck_assert_uint_eq(r.hidden, 3);
	ck_assert_uint_eq(r.v[0].ref, 1);	/* a:1 after the new a:0 */
	ck_assert_uint_eq(r.v[2].ref, 5);
	hg_tl_rows_free(&r);
	hg_timeline_free(&t);
	hg_session_free(sa);
	hg_session_free(sb);
}
END_TEST

/* The timeline's search from FROM for TEXT: the position found, or -1;
 * *wrapped as the job says. */
static ssize_t
tl_find(const struct hg_timeline *t, const char *text, size_t from, bool forward,
	hg_search_visible_fn visible, bool *wrapped)
{
	struct hg_search_pattern p;
	struct hg_tl_search j;
	enum hg_search_status st;

	ck_assert(hg_search_pattern_init(&p, text));
	hg_tl_search_start(&j, t, &p, from, forward, visible, NULL);
	while ((st = hg_tl_search_step(&j, 1000000)) == HG_SEARCH_RUNNING)
		;
	hg_tl_search_end(&j);
	hg_search_pattern_free(&p);
	*wrapped = j.wrapped;
	ck_assert(st == HG_SEARCH_FOUND || st == HG_SEARCH_NOT_FOUND);
	return st == HG_SEARCH_FOUND ? (ssize_t)j.found : -1;
}

static bool
not_b(const struct hg_session *s, size_t entry, void *ctx)
{
	(void)entry;
	(void)ctx;
	return strcmp(s->id, "b") != 0;
}

START_TEST(test_search_in_order)
{
	const int a[] = { 1, 4, 7 }, b[] = { 2, 5, 8 }, c[] = { 3, 6, 9 };
	struct hg_session *s[3];
	struct hg_timeline t;
	bool w;

	append("a", "w", a, 3);
	append("b", "w", b, 3);
	append("c", "w", c, 3);
	s[0] = open_session("a");
	s[1] = open_session("b");
	s[2] = open_session("c");
	hg_timeline_init(&t);
	for (int i = 0; i < 3; i++)
		hg_timeline_add(&t, s[i]);
	hg_timeline_sync(&t);
	/* a:1 b:2 c:3 a:4 b:5 c:6 a:7 b:8 c:9 */
	ck_assert_int_eq(tl_find(&t, "\"s5\"", 0, true, NULL, &w), 4);
	ck_assert(!w);
	ck_assert_int_eq(tl_find(&t, "\"s2\"", 6, true, NULL, &w), 1);
	ck_assert(w);	/* around the end */
	ck_assert_int_eq(tl_find(&t, "\"s8\"", 1, false, NULL, &w), 7);
	ck_assert(w);	/* around the start */
	ck_assert_int_eq(tl_find(&t, "\"s3\"", SIZE_MAX, true, NULL, &w), 2);
	ck_assert_int_eq(tl_find(&t, "\"s6\"", SIZE_MAX, false, NULL, &w), 5);
	ck_assert_int_eq(tl_find(&t, "\"s4\"", 3, true, NULL, &w), 3);
	ck_assert(w);	/* itself, last */
	ck_assert_int_eq(tl_find(&t, "absent", 0, true, NULL, &w), -1);
	ck_assert_int_eq(tl_find(&t, "\"s5\"", 0, true, not_b, &w), -1);
	ck_assert_int_eq(tl_find(&t, "session_id\":\"c", 3, true, not_b, &w), 5);
	hg_timeline_free(&t);
	for (int i = 0; i < 3; i++)
		hg_session_free(s[i]);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("index");

	tcase_add_checked_fixture(tc, setup, teardown_tmp);
	tcase_add_test(tc, test_interleaves_three);
	tcase_add_test(tc, test_append_newest_at_end);
	tcase_add_test(tc, test_append_older_in_place);
	tcase_add_test(tc, test_truncated_reindexed);
	tcase_add_test(tc, test_rotated_keeps_both);
	tcase_add_test(tc, test_no_time_first);
	tcase_add_test(tc, test_rows_follow_index);
	tcase_add_test(tc, test_search_in_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
