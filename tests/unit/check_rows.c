/* check_rows.c - tree rows: expansion, filtering hooks, stable selection. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgtop/rows.h"
#include "hgtop/session.h"
#include "tmpdir.h"

static struct hg_session *
load(const char *name)
{
	char path[4096];
	struct hg_session *s;

	snprintf(path, sizeof(path), "%s/screen/%s", FIXTURES, name);
	s = hg_session_new(path);
	ck_assert_ptr_nonnull(s);
	hg_session_ingest(s, 0);
	return s;
}

START_TEST(expand_set)
{
	struct hg_expand x = { 0 };
	int64_t i;

	for (i = 1; i <= 1000; i++)
		hg_expand_set(&x, i, true);
	for (i = 1; i <= 1000; i += 2)
		hg_expand_set(&x, i, false);
	for (i = 1; i <= 1000; i++)
		ck_assert_int_eq(hg_expand_get(&x, i), i % 2 == 0);
	hg_expand_all(&x, true);
	ck_assert(hg_expand_get(&x, 7));
	hg_expand_set(&x, 7, false);
	ck_assert(!hg_expand_get(&x, 7));
	ck_assert(hg_expand_get(&x, 8));
	hg_expand_free(&x);
}
END_TEST

START_TEST(rows_expand_collapse)
{
	struct hg_session *s = load("alpha.jsonl");
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };

	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 3);
	ck_assert(r.v[0].flags & HG_ROW_PARENT);
	ck_assert(hg_rows_set_expanded(&r, 0, true, NULL));
	ck_assert_uint_eq(r.n, 5);
	ck_assert_int_eq(r.v[1].attempt, 0);
	ck_assert_int_eq(r.v[2].attempt, 1);
	ck_assert(r.v[2].flags & HG_ROW_LAST);
	ck_assert_uint_eq(r.v[3].entry, 1);
	ck_assert_int_eq(hg_rows_find(&r, 0, 1), 2);
	ck_assert_uint_eq(hg_rows_parent(&r, 2), 0);
	ck_assert(hg_rows_set_expanded(&r, 0, false, NULL));
	ck_assert_uint_eq(r.n, 3);
	/* A hidden attempt falls back to its entry row. */
	ck_assert_int_eq(hg_rows_find(&r, 0, 1), 0);
	hg_expand_all(&x, true);
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 3 + 2 + 2 + 1);
	hg_rows_free(&r);
	hg_expand_free(&x);
	hg_session_free(s);
}
END_TEST

static bool
only_ok(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)s;
	(void)ctx;
	return strcmp(hg_entry_str(e, HG_E_FINAL_STATUS), "ok") == 0;
}

static bool
local_attempts(const struct hg_session *s, const struct hg_entry *e, size_t a, void *ctx)
{
	(void)s;
	(void)ctx;
	return e->attempts[a].tier == HG_TIER_LOCAL;
}

START_TEST(rows_filter_hooks)
{
	struct hg_session *s = load("alpha.jsonl");
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };
	struct hg_row_filter f = { only_ok, local_attempts, NULL };

	hg_rows_build(&r, s, &x, &f);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.hidden, 1);
	ck_assert_uint_eq(r.v[1].entry, 2);
	ck_assert(r.v[0].flags & HG_ROW_MATCH);	/* collapsed: a local attempt inside */
	hg_rows_set_expanded(&r, 0, true, &f);
	ck_assert(r.v[1].flags & HG_ROW_MATCH);
	ck_assert(!(r.v[2].flags & HG_ROW_MATCH));
	ck_assert_uint_eq(hg_rows_nearest(&r, 1), 3);
	hg_rows_free(&r);
	hg_expand_free(&x);
	hg_session_free(s);
}
END_TEST

START_TEST(rows_kinds_and_update)
{
	struct hg_session *s = load("bad.jsonl");
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };

	ck_assert(hg_rows_update(&r, s, &x, NULL));
	ck_assert_uint_eq(r.n, 4);
	ck_assert_int_eq(r.v[1].kind, HG_ROW_UNPARSABLE);
	ck_assert_int_eq(r.v[3].kind, HG_ROW_ANNOTATION);
	ck_assert(!hg_rows_update(&r, s, &x, NULL));
	hg_rows_free(&r);
	hg_expand_free(&x);
	hg_session_free(s);
}
END_TEST

/* With a note index, bad.jsonl's note on line 1 moves under its entry;
 * it stays under it when the entry is expanded and collapsed, and can be
 * found by its own index. */
START_TEST(rows_notes_under_target)
{
	struct hg_session *s = load("bad.jsonl");
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };
	struct hg_ann_index ix;

	hg_ann_index_init(&ix);
	ck_assert(hg_ann_index_update(&ix, s));
	r.notes = &ix;
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_ENTRY);
	ck_assert_int_eq(r.v[1].kind, HG_ROW_ANNOTATION);
	ck_assert_uint_eq(r.v[1].depth, 1);
	ck_assert_uint_eq(r.v[1].entry, 3);
	ck_assert_int_eq(r.v[2].kind, HG_ROW_UNPARSABLE);
	ck_assert_uint_eq(r.v[3].entry, 2);
	ck_assert_int_eq(hg_rows_find(&r, 3, -1), 1);
	ck_assert_uint_eq(hg_rows_parent(&r, 1), 0);
	ck_assert_uint_eq(hg_rows_nearest(&r, 2), 3);
	ck_assert_uint_eq(r.hidden, 0);
	hg_rows_free(&r);
	hg_ann_index_free(&ix);
	hg_expand_free(&x);
	hg_session_free(s);
}
END_TEST

/* Day rows: tests/fixtures/layout/days.jsonl has entries at 22:10 and
 * 23:50 UTC on 2026-11-27, 00:20 and 09:00 on 2026-11-28. */
static struct hg_session *
load_days(void)
{
	char path[4096];
	struct hg_session *s;

	snprintf(path, sizeof(path), "%s/layout/days.jsonl", FIXTURES);
	s = hg_session_new(path);
	ck_assert_ptr_nonnull(s);
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 4);
	return s;
}

static bool
first_day_only(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)ctx;
	return e - s->entries < 2;
}

START_TEST(rows_day_separators)
{
	struct hg_session *s;
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };
	struct hg_row_filter f = { first_day_only, NULL, NULL };

	setenv("TZ", "UTC", 1);
	s = load_days();
	hg_rows_build(&r, s, &x, NULL);
	/* day, e0, e1, day, e2, e3 */
	ck_assert_uint_eq(r.n, 6);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_DAY);
	ck_assert_uint_eq(r.v[0].entry, 0);
	ck_assert_int_eq(r.v[3].kind, HG_ROW_DAY);
	ck_assert_uint_eq(r.v[3].entry, 2);
	ck_assert(!hg_row_selectable(&r.v[3]));
	ck_assert(hg_row_selectable(&r.v[4]));
	/* Finding an entry gives its row, not its day's. */
	ck_assert_int_eq(hg_rows_find(&r, 2, -1), 4);
	ck_assert_int_eq(hg_rows_find(&r, 0, -1), 1);
	ck_assert_uint_eq(hg_rows_nearest(&r, 2), 4);
	/* Expanding under a day keeps the day rows in place. */
	ck_assert(hg_rows_set_expanded(&r, 2, true, NULL));
	ck_assert_uint_eq(r.n, 8);
	ck_assert_int_eq(r.v[5].kind, HG_ROW_DAY);
	ck_assert_int_eq(hg_rows_find(&r, 1, 1), 4);
	hg_expand_free(&x);

	/* The shown entries decide: one day left by the filter, no day rows. */
	hg_rows_build(&r, s, &x, &f);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.hidden, 2);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_ENTRY);
	ck_assert_int_eq(r.v[1].kind, HG_ROW_ENTRY);

	/* Local time: nine hours east, all four are on 2026-11-28. */
	setenv("TZ", "JST-9", 1);
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_ENTRY);
	/* Five hours west, only 09:00 UTC is on the 28th. */
	setenv("TZ", "EST5", 1);
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 6);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_DAY);
	ck_assert_int_eq(r.v[4].kind, HG_ROW_DAY);
	ck_assert_uint_eq(r.v[4].entry, 3);
	setenv("TZ", "UTC", 1);
	hg_rows_free(&r);
	hg_session_free(s);
}
END_TEST

/* Rows built on one day get the day rows when an entry of another day
 * arrives (the first day's row too). */
START_TEST(rows_day_separators_update)
{
	struct hg_session *s;
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };
	char *path, line[4096];
	FILE *in, *out;
	int k;

	setenv("TZ", "UTC", 1);
	tmpdir_create("rows");
	path = tmp_path("grow.jsonl");
	snprintf(line, sizeof(line), "%s/layout/days.jsonl", FIXTURES);
	in = fopen(line, "r");
	out = fopen(path, "w");
	ck_assert(in && out);
	for (k = 0; k < 2 && fgets(line, sizeof(line), in); k++)
		fputs(line, out);
	fclose(out);
	s = hg_session_new(path);
	hg_session_ingest(s, 0);
	ck_assert(hg_rows_update(&r, s, &x, NULL));
	ck_assert_uint_eq(r.n, 2);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_ENTRY);
	out = fopen(path, "a");
	ck_assert(fgets(line, sizeof(line), in) != NULL);
	fputs(line, out);
	fclose(out);
	fclose(in);
	hg_session_ingest(s, 0);
	ck_assert(hg_rows_update(&r, s, &x, NULL));
	ck_assert_uint_eq(r.n, 5);
	ck_assert_int_eq(r.v[0].kind, HG_ROW_DAY);
	ck_assert_int_eq(r.v[3].kind, HG_ROW_DAY);
	ck_assert_int_eq(r.v[4].kind, HG_ROW_ENTRY);
	ck_assert_uint_eq(r.v[4].entry, 2);
	hg_rows_free(&r);
	hg_session_free(s);
	free(path);
	teardown_tmp();
}
END_TEST


/* Jumps over tests/fixtures/jumps/jumps.jsonl. Rows (notes as rows of
 * their own): 0 plain, 1 err (error verdict, failed), 2 esc, 3 plain,
 * 4 unparsable, 5 noted, 6 esc, 7 failed only, 8 plain, 9 note on 5,
 * 10 plain-last. */
START_TEST(rows_jump)
{
	char path[4096];
	struct hg_session *s;
	struct hg_expand x = { 0 };
	struct hg_rows r = { 0 };
	struct hg_ann_index ix;
	bool wrapped;

	snprintf(path, sizeof(path), "%s/jumps/jumps.jsonl", FIXTURES);
	s = hg_session_new(path);
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 11);
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_uint_eq(r.n, 11);
	/* Errors: the error verdict, the unparsable line, failed alone. */
	ck_assert_int_eq(hg_rows_jump(&r, s, 0, 1, HG_JUMP_ERROR, &wrapped), 1);
	ck_assert(!wrapped);
	ck_assert_int_eq(hg_rows_jump(&r, s, 1, 1, HG_JUMP_ERROR, &wrapped), 4);
	ck_assert_int_eq(hg_rows_jump(&r, s, 4, 1, HG_JUMP_ERROR, &wrapped), 7);
	ck_assert_int_eq(hg_rows_jump(&r, s, 7, 1, HG_JUMP_ERROR, &wrapped), 1);
	ck_assert(wrapped);
	ck_assert_int_eq(hg_rows_jump(&r, s, 10, -1, HG_JUMP_ERROR, &wrapped), 7);
	ck_assert(!wrapped);
	ck_assert_int_eq(hg_rows_jump(&r, s, 1, -1, HG_JUMP_ERROR, &wrapped), 7);
	ck_assert(wrapped);
	/* Escalations. */
	ck_assert_int_eq(hg_rows_jump(&r, s, 10, 1, HG_JUMP_ESCALATE, &wrapped), 2);
	ck_assert(wrapped);
	ck_assert_int_eq(hg_rows_jump(&r, s, 2, 1, HG_JUMP_ESCALATE, &wrapped), 6);
	/* Notes as rows of their own: only the note row; the only one. */
	ck_assert_int_eq(hg_rows_jump(&r, s, 0, 1, HG_JUMP_NOTE, &wrapped), 9);
	ck_assert_int_eq(hg_rows_jump(&r, s, 9, 1, HG_JUMP_NOTE, &wrapped), -1);
	ck_assert(hg_rows_jump_match(&r, s, 9, HG_JUMP_NOTE));
	/* Expanded entries: a jump from an attempt row starts at its entry
	 * and lands on entry rows, never on attempts. */
	ck_assert(hg_rows_set_expanded(&r, 2, true, NULL));
	ck_assert_uint_eq(r.n, 13);
	ck_assert_int_eq(hg_rows_jump(&r, s, 3, -1, HG_JUMP_ESCALATE, &wrapped), 8);
	ck_assert(wrapped);
	ck_assert_int_eq(hg_rows_jump(&r, s, 4, 1, HG_JUMP_ESCALATE, &wrapped), 8);
	ck_assert(!wrapped);
	hg_rows_free(&r);
	/* Notes under their entry: the noted entry is the match. */
	hg_ann_index_init(&ix);
	ck_assert(hg_ann_index_update(&ix, s));
	r.notes = &ix;
	hg_expand_all(&x, false);
	hg_rows_build(&r, s, &x, NULL);
	ck_assert_int_eq(r.v[6].kind, HG_ROW_ANNOTATION);
	ck_assert_int_eq(hg_rows_jump(&r, s, 0, 1, HG_JUMP_NOTE, &wrapped), 5);
	ck_assert_int_eq(hg_rows_jump(&r, s, 6, 1, HG_JUMP_NOTE, &wrapped), -1);
	ck_assert_int_eq(hg_rows_jump(&r, s, 0, 1, HG_JUMP_ERROR, &wrapped), 1);
	hg_rows_free(&r);
	hg_ann_index_free(&ix);
	hg_expand_free(&x);
	hg_session_free(s);
}
END_TEST

/* The local day of an instant, in a zone with daylight saving time (a
 * POSIX rule: no time zone files needed), through each day's first and
 * last second, asked after a time inside the day (the day kept). */
START_TEST(rows_day_of_dst)
{
	struct hg_days d;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	/* For each of the two days: a time inside it, its first and last
	 * seconds, the second before it and the one after it. */
	static const struct {
		int64_t noon, first, last;
		int32_t day, before, after;
	} days[] = {
		/* 2026-03-08: 23 hours (clocks go forward at 02:00). */
		{ 1772989200, 1772946000, 1773028799, 20260308, 20260307, 20260309 },
		/* 2026-11-01: 25 hours (clocks go back at 02:00). */
		{ 1793548800, 1793505600, 1793595599, 20261101, 20261031, 20261102 },
	};

	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	hg_days_start(&d);
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		ck_assert_int_eq(hg_days_of(&d, days[i].noon), days[i].day);
		ck_assert_int_eq(hg_days_of(&d, days[i].first), days[i].day);
		ck_assert_int_eq(hg_days_of(&d, days[i].last), days[i].day);
		ck_assert_int_eq(hg_days_of(&d, days[i].noon), days[i].day);
		ck_assert_int_eq(hg_days_of(&d, days[i].first - 1), days[i].before);
		ck_assert_int_eq(hg_days_of(&d, days[i].noon), days[i].day);
		ck_assert_int_eq(hg_days_of(&d, days[i].last + 1), days[i].after);
	}
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	free(old);
	tzset();
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("rows");
	TCase *tc = tcase_create("rows");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, expand_set);
	tcase_add_test(tc, rows_expand_collapse);
	tcase_add_test(tc, rows_filter_hooks);
	tcase_add_test(tc, rows_kinds_and_update);
	tcase_add_test(tc, rows_notes_under_target);
	tcase_add_test(tc, rows_day_separators);
	tcase_add_test(tc, rows_day_separators_update);
	tcase_add_test(tc, rows_jump);
	tcase_add_test(tc, rows_day_of_dst);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
