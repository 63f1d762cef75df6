/* check_progress.c - the progress line of --stats and --batch: byte units,
 * the text, at most ten lines a second, overwriting and clearing. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/progress.h"

#define MS INT64_C(1000000)
#define T0 (INT64_C(5000) * MS)

START_TEST(bytes_units)
{
	char b[32];

	hg_fmt_bytes(b, sizeof(b), 0);
	ck_assert_str_eq(b, "0 B");
	hg_fmt_bytes(b, sizeof(b), 999);
	ck_assert_str_eq(b, "999 B");
	hg_fmt_bytes(b, sizeof(b), 1000);
	ck_assert_str_eq(b, "1.0 kB");
	hg_fmt_bytes(b, sizeof(b), 12345);
	ck_assert_str_eq(b, "12.3 kB");
	hg_fmt_bytes(b, sizeof(b), 999960);
	ck_assert_str_eq(b, "1.0 MB");
	hg_fmt_bytes(b, sizeof(b), INT64_C(312400000));
	ck_assert_str_eq(b, "312.4 MB");
	hg_fmt_bytes(b, sizeof(b), INT64_C(1100000000));
	ck_assert_str_eq(b, "1.1 GB");
	hg_fmt_bytes(b, sizeof(b), INT64_C(2500000000000));
	ck_assert_str_eq(b, "2.5 TB");
	hg_fmt_bytes(b, sizeof(b), -5);
	ck_assert_str_eq(b, "0 B");
}
END_TEST

START_TEST(text)
{
	struct hg_progress p;
	char b[256];

	hg_progress_start(&p, INT64_C(1100000000), 120, T0);
	p.bytes = INT64_C(300000000);
	p.entries = 1234567;
	/* 300 MB in 2 s. */
	hg_progress_text(&p, T0 + 2000 * MS, b, sizeof(b));
	ck_assert_str_eq(b, "hgtop: reading 300.0 MB of 1.1 GB (27%), 1,234,567 entries, 150.0 MB/s");
	/* No rate before any time has passed. */
	hg_progress_text(&p, T0, b, sizeof(b));
	ck_assert_str_eq(b, "hgtop: reading 300.0 MB of 1.1 GB (27%), 1,234,567 entries");
	/* Unknown total; one entry. */
	hg_progress_start(&p, 0, 0, T0);
	p.bytes = 2000;
	p.entries = 1;
	hg_progress_text(&p, T0 + 1000 * MS, b, sizeof(b));
	ck_assert_str_eq(b, "hgtop: reading 2.0 kB, 1 entry, 2.0 kB/s");
	/* A file that grew past the total: 100%, never more. */
	hg_progress_start(&p, 1000, 0, T0);
	p.bytes = 1500;
	hg_progress_text(&p, T0, b, sizeof(b));
	ck_assert_str_eq(b, "hgtop: reading 1.5 kB of 1.5 kB (100%), 0 entries");
	/* Cut to the terminal width less one column. */
	hg_progress_start(&p, INT64_C(1100000000), 30, T0);
	p.bytes = INT64_C(300000000);
	hg_progress_text(&p, T0 + 2000 * MS, b, sizeof(b));
	ck_assert_uint_eq(strlen(b), 29);
	ck_assert_str_eq(b, "hgtop: reading 300.0 MB of 1.");
}
END_TEST

START_TEST(rate_limited)
{
	struct hg_progress p;
	char b[256];
	int shown = 0;

	hg_progress_start(&p, 1000000, 80, T0);
	/* Nothing in the first 100 ms: quick work prints nothing. */
	ck_assert_uint_eq(hg_progress_update(&p, 10, 1, T0, b, sizeof(b)), 0);
	ck_assert_uint_eq(hg_progress_update(&p, 20, 2, T0 + 99 * MS, b, sizeof(b)), 0);
	ck_assert_uint_eq(p.shown, 0);
	/* The counts are recorded even when no line is due. */
	ck_assert_int_eq(p.bytes, 20);
	ck_assert_int_eq(p.entries, 2);
	ck_assert_uint_gt(hg_progress_update(&p, 30, 3, T0 + 100 * MS, b, sizeof(b)), 0);
	ck_assert_int_eq(b[0], '\r');
	ck_assert_ptr_nonnull(strstr(b, "30 B of 1.0 MB (0%), 3 entries, 300 B/s"));
	/* One update a millisecond for 2 s: at most ten lines a second. */
	for (int64_t t = 101; t <= 2100; t++)
		shown += hg_progress_update(&p, t * 100, t, T0 + t * MS, b, sizeof(b)) > 0;
	ck_assert_int_eq(shown, 20);
}
END_TEST

START_TEST(overwrite_and_clear)
{
	struct hg_progress p;
	char b[256], c[256];
	size_t n, first, was;

	hg_progress_start(&p, 0, 80, T0);
	n = hg_progress_update(&p, INT64_C(123456789), 100000, T0 + 1000 * MS, b, sizeof(b));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(n, strlen(b));
	first = p.shown;
	ck_assert_uint_eq(first, n - 1);
	/* A shorter line covers the rest of the longer one with blanks. */
	n = hg_progress_update(&p, 5, 1, T0 + 2000 * MS, b, sizeof(b));
	ck_assert_uint_eq(n, 1 + first);
	ck_assert_uint_lt(p.shown, first);
	ck_assert_int_eq(b[n - 1], ' ');
	/* Clearing blanks what is shown, once. */
	was = p.shown;
	n = hg_progress_clear(&p, c, sizeof(c));
	ck_assert_uint_eq(n, was + 2);
	ck_assert_int_eq(c[0], '\r');
	ck_assert_int_eq(c[n - 1], '\r');
	for (size_t i = 1; i + 1 < n; i++)
		ck_assert_int_eq(c[i], ' ');
	ck_assert_uint_eq(p.shown, 0);
	ck_assert_uint_eq(hg_progress_clear(&p, c, sizeof(c)), 0);
	ck_assert_str_eq(c, "");
	/* Nothing shown, nothing to clear. */
	hg_progress_start(&p, 100, 80, T0);
	hg_progress_update(&p, 50, 5, T0 + 10 * MS, b, sizeof(b));
	ck_assert_uint_eq(hg_progress_clear(&p, c, sizeof(c)), 0);
	/* A buffer too small gets nothing rather than half a line. */
	ck_assert_uint_eq(hg_progress_update(&p, 50, 5, T0 + 500 * MS, b, 10), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("progress");
	TCase *tc = tcase_create("progress");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, bytes_units);
	tcase_add_test(tc, text);
	tcase_add_test(tc, rate_limited);
	tcase_add_test(tc, overwrite_and_clear);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
