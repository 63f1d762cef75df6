/* check_hostile.c - the core under hostile input and faults: a 50 MB line,
 * deep nesting, wrong types, a file truncated in the middle of a read, and
 * a file truncated and rewritten a thousand times (memory stays bounded). */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/reader.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

#include "tmpdir.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static void
setup_tmp(void)
{
	tmpdir_create("hostile");
}

static void
put(FILE *f, const char *s)
{
	ck_assert_int_ge(fputs(s, f), 0);
}

static void
good(FILE *f, int sec, const char *skill)
{
	ck_assert_int_gt(fprintf(f, "{\"session_id\":\"h\",\"timestamp\":\"2026-11-24T10:00:%02dZ\","
				 "\"skill\":\"%s\",\"final_status\":\"ok\"}\n", sec, skill), 0);
}

/* Ingest until nothing more is there. */
static void
ingest_all(struct hg_session *s, int64_t step)
{
	struct hg_ingest_result r;

	do
		r = hg_session_ingest(s, step);
	while (r.more);
}

static struct hg_entry
parse(const char *line)
{
	struct hg_entry e;

	memset(&e, 0, sizeof(e));
	hg_parse_line(line, strlen(line), &e);
	return e;
}

/* --- a 50 MB line ------------------------------------------------------------ */

START_TEST(test_huge_line)
{
	char *path = tmp_path("huge.jsonl");
	FILE *f = fopen(path, "w");
	struct hg_session *s;
	size_t i;
	static char chunk[1 << 16];

	ck_assert_ptr_nonnull(f);
	memset(chunk, 'a', sizeof(chunk));
	good(f, 1, "before");
	put(f, "{\"skill\":\"huge\",\"final_status\":\"ok\",\"message\":\"");
	for (i = 0; i < 50 * 1000 * 1000 / sizeof(chunk); i++)
		ck_assert_uint_eq(fwrite(chunk, 1, sizeof(chunk), f), sizeof(chunk));
	put(f, "\"}\n");
	put(f, "{\"skill\":\"huge-broken\",\"message\":\"");
	for (i = 0; i < 50 * 1000 * 1000 / sizeof(chunk); i++)
		ck_assert_uint_eq(fwrite(chunk, 1, sizeof(chunk), f), sizeof(chunk));
	put(f, "\n");
	good(f, 2, "after");
	ck_assert_int_eq(fclose(f), 0);

	s = hg_session_new(path);
	ingest_all(s, 0);
	ck_assert_int_eq(s->err, 0);
	ck_assert_uint_eq(s->n_entries, 4);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "before");
	ck_assert_str_eq(hg_entry_str(&s->entries[1], HG_E_SKILL), "huge");
	ck_assert_ptr_null(hg_entry_message(&s->entries[1]));	/* too long to keep */
	ck_assert_uint_gt(hg_entry_message_len(&s->entries[1]), 49 * 1000 * 1000);
	ck_assert_int_eq(s->entries[2].kind, HG_ENTRY_UNPARSABLE);
	ck_assert_ptr_nonnull(hg_entry_reason(&s->entries[2]));
	ck_assert_str_eq(hg_entry_str(&s->entries[3], HG_E_SKILL), "after");
	ck_assert_int_eq(s->n_unparsable, 1);
	/* The line buffer grew to hold 50 MB and went back afterwards. */
	ck_assert_uint_eq(hg_session_buffer_size(), HG_READER_CHUNK);
	hg_session_free(s);

	/* The same in small steps: stopping and resuming inside the file. */
	s = hg_session_new(path);
	ingest_all(s, 4096);
	ck_assert_uint_eq(s->n_entries, 4);
	ck_assert_str_eq(hg_entry_str(&s->entries[3], HG_E_SKILL), "after");
	ck_assert_uint_eq(hg_session_buffer_size(), HG_READER_CHUNK);
	hg_session_free(s);
	free(path);
}
END_TEST

/* --- lines that are not what they should be ----------------------------------- */

static void
expect_unparsable(const char *line, const char *reason_part)
{
	struct hg_entry e = parse(line);

	ck_assert_int_eq(e.kind, HG_ENTRY_UNPARSABLE);
	ck_assert_ptr_nonnull(hg_entry_reason(&e));
	if (reason_part)
		ck_assert_msg(strstr(hg_entry_reason(&e), reason_part), "reason \"%s\" for %.60s", hg_entry_reason(&e), line);
	ck_assert_ptr_nonnull(hg_entry_str(&e, HG_E_SKILL));
	ck_assert_ptr_nonnull(hg_entry_str(&e, HG_E_FINAL_STATUS));
	hg_entry_free(&e);
}

START_TEST(test_deep_nesting)
{
	struct hg_buf b = { 0 };
	int i;

	for (i = 0; i < 5000; i++)
		hg_buf_addc(&b, '[');
	for (i = 0; i < 5000; i++)
		hg_buf_addc(&b, ']');
	hg_buf_addc(&b, '\0');
	expect_unparsable(b.p, "invalid JSON");
	hg_buf_reset(&b);
	hg_buf_adds(&b, "{\"skill\":\"deep\",\"input\":");
	for (i = 0; i < 5000; i++)
		hg_buf_adds(&b, "{\"a\":");
	hg_buf_addc(&b, '1');
	for (i = 0; i < 5000; i++)
		hg_buf_addc(&b, '}');
	hg_buf_adds(&b, ",\"final_status\":\"ok\"}");
	hg_buf_addc(&b, '\0');
	{
		/* An input nested that deep is read, as Go reads it. */
		struct hg_entry e = parse(b.p);

		ck_assert_int_eq(e.kind, HG_ENTRY_OK);
		ck_assert_str_eq(hg_entry_str(&e, HG_E_SKILL), "deep");
		hg_entry_free(&e);
	}
	hg_buf_free(&b);
}
END_TEST

START_TEST(test_wrong_types)
{
	struct hg_entry e;

	expect_unparsable("{\"skill\":\"x\",\"attempts\":5}", "field attempts: expected an array");
	expect_unparsable("{\"skill\":\"x\",\"attempts\":{}}", "field attempts");
	expect_unparsable("{\"attempts\":[{\"attempt\":\"1\"}]}", "attempt");
	expect_unparsable("{\"attempts\":[{\"model\":[]}]}", "model");
	expect_unparsable("{\"attempts\":[{\"verified\":0}]}", "verified");
	expect_unparsable("{\"duration_ms\":1e300}", "duration_ms");
	expect_unparsable("{\"duration_ms\":-1e300}", "duration_ms");
	expect_unparsable("{\"duration_ms\":1.5}", "duration_ms");
	expect_unparsable("{\"skill\":7}", "skill");
	expect_unparsable("{\"timestamp\":\"2026-02-30T00:00:00Z\"}", "timestamp");
	expect_unparsable("[{\"skill\":\"x\"}]", "not a JSON object");
	expect_unparsable("\"skill\"", "not a JSON object");
	expect_unparsable("12", "not a JSON object");
	expect_unparsable("{\"skill\":\"x\"} {}", "extra data");
	expect_unparsable("{\"skill\":\"\\uZZZZ\"}", "invalid JSON");

	/* null where a string is expected is the zero value, as in Go. */
	e = parse("{\"skill\":null,\"session_id\":null,\"final_status\":null,"
		  "\"attempts\":[{\"model\":null,\"tier\":null,\"attempt\":-3,\"duration_ms\":-5}]}");
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	ck_assert_str_eq(hg_entry_str(&e, HG_E_SKILL), "");
	ck_assert_uint_eq(e.n_attempts, 1);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&e.attempts[0])), "");
	ck_assert_int_eq(hg_attempt_no(&e.attempts[0], 0), -3);
	hg_entry_free(&e);
	e = parse("{}");
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	ck_assert(e.ts_zero);
	hg_entry_free(&e);
	/* A bare null, too, is an entry with every field zero to Go. */
	e = parse("null");
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	hg_entry_free(&e);
	/* Invalid UTF-8 and NULs inside strings do not break the entry. */
	e = parse("{\"skill\":\"a\xff\xfe\xc0\x80\",\"message\":\"x\\u0000y\",\"final_status\":\"ok\"}");
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	ck_assert_str_eq(hg_entry_str(&e, HG_E_FINAL_STATUS), "ok");
	hg_entry_free(&e);
}
END_TEST

/* --- a file truncated in the middle of a read ------------------------------------ */

START_TEST(test_truncated_mid_read)
{
	char *path = tmp_path("t.jsonl");
	FILE *f = fopen(path, "w");
	struct hg_session *s;
	struct hg_ingest_result r;
	int i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 2000; i++)
		good(f, i % 60, "old");
	ck_assert_int_eq(fclose(f), 0);
	s = hg_session_new(path);
	r = hg_session_ingest(s, 8192);
	ck_assert(r.more);
	ck_assert_uint_gt(s->n_entries, 0);
	ck_assert_uint_lt(s->n_entries, 2000);

	/* Truncated to a partial line, then a few new lines written. */
	ck_assert_int_eq(truncate(path, 50), 0);
	r = hg_session_ingest(s, 8192);
	ck_assert_int_eq(r.status, HG_INGEST_TRUNCATED);
	ck_assert_uint_eq(s->n_entries, 0);
	ck_assert_int_eq(s->pending, 50);
	ck_assert_int_eq(truncate(path, 0), 0);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 3; i++)
		good(f, i, "new");
	ck_assert_int_eq(fclose(f), 0);
	ingest_all(s, 8192);
	ck_assert_uint_eq(s->n_entries, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(hg_entry_str(&s->entries[i], HG_E_SKILL), "new");
		ck_assert_int_eq(hg_entry_line(&s->entries[i]), i + 1);
	}
	ck_assert_int_eq(s->n_unparsable, 0);
	hg_session_free(s);
	free(path);
}
END_TEST

/* --- truncated and rewritten 1,000 times -------------------------------------- */

/* Valgrind's allocator keeps freed blocks: RSS says nothing under it. */
static bool
under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload");
}

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

START_TEST(test_rewrite_thousand_times)
{
	static const char *const skills[] = { "k0", "k1", "k2", "k3", "k4" };
	char *path = tmp_path("r.jsonl");
	struct hg_session *s = hg_session_new(path);
	size_t interned = 0;
	long rss0 = -1, rss1;
	int i, j, n;

	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		n = 20 + i % 7;
		for (j = 0; j < n; j++)
			good(f, (i + j) % 60, skills[j % 5]);
		if (i % 3 == 0)
			put(f, "{\"skill\":\"partial");	/* a last line being written */
		ck_assert_int_eq(fclose(f), 0);
		ingest_all(s, i % 2 ? 1000 : 0);
		ck_assert_msg(s->n_entries == (size_t)n, "round %d: %zu entries, want %d", i,
			      s->n_entries, n);
		ck_assert_int_eq(s->entries[0].ts_ns % 60000000000LL / 1000000000, i % 60);
		ck_assert_int_eq(s->pending, i % 3 == 0 ? 17 : 0);
		ck_assert_uint_le(s->cap_entries, 64);
		ck_assert_uint_eq(hg_session_buffer_size(), HG_READER_CHUNK);
		if (i == 10) {
			interned = hg_intern_count();
			rss0 = rss_kb();
		}
		if (i > 10)
			ck_assert_uint_eq(hg_intern_count(), interned);
	}
	rss1 = rss_kb();
	/* A leak of one entry per round would be far less than this; what is
	 * caught is memory that grows with every re-read. (Sanitizers keep
	 * freed memory in quarantine: RSS says nothing there.) */
	if (!SANITIZED && rss0 > 0 && rss1 > 0 && !under_valgrind())
		ck_assert_msg(rss1 - rss0 < 4096, "RSS grew from %ld KB to %ld KB", rss0, rss1);
	hg_session_free(s);
	free(path);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *io = tcase_create("io");
	TCase *parse_tc = tcase_create("parse");

	tcase_add_checked_fixture(io, setup_tmp, teardown_tmp);
	tcase_set_timeout(io, 300);
	tcase_add_test(io, test_huge_line);
	tcase_add_test(io, test_truncated_mid_read);
	tcase_add_test(io, test_rewrite_thousand_times);
	tcase_add_test(parse_tc, test_deep_nesting);
	tcase_add_test(parse_tc, test_wrong_types);
	suite_add_tcase(s, parse_tc);
	suite_add_tcase(s, io);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hostile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
