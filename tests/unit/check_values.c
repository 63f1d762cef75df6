/* check_values.c - every value read as hyperguild's Go reader reads it:
 * NUL characters, 64-bit integers, surrogate escapes, timestamps,
 * repeated and folded keys, negative durations. */
#include "config.h"

#include <cJSON.h>
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgtop/detail.h"
#include "hgtop/entry.h"
#include "hgtop/filter.h"
#include "hgtop/goread.h"
#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/session.h"
#include "hgtop/stats.h"
#include "hgtop/util.h"
#include "hgtop/values.h"

#include "tmpdir.h"

#define HEAD "{\"session_id\":\"s\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"final_status\":\"ok\","

static struct hg_entry ent;

/* Whether a and b read the same from their lines. */
static void
same_entry(const char *line, const struct hg_entry *a, const struct hg_entry *b)
{
	ck_assert_msg(a->kind == b->kind, "%s: kind %d / %d", line, a->kind, b->kind);
	ck_assert_str_eq(hg_entry_reason(a) ? hg_entry_reason(a) : "",
			 hg_entry_reason(b) ? hg_entry_reason(b) : "");
	for (int f = 0; f < HG_E_STRS; f++)
		ck_assert_str_eq(hg_entry_str(a, f), hg_entry_str(b, f));
	ck_assert_int_eq(a->file_path, b->file_path);
	ck_assert_int_eq(a->ts_ns, b->ts_ns);
	ck_assert_int_eq(a->tz_min, b->tz_min);
	ck_assert_int_eq(hg_entry_ms(a), hg_entry_ms(b));
	ck_assert_uint_eq(hg_entry_message_len(a), hg_entry_message_len(b));
	ck_assert_str_eq(hg_entry_message(a) ? hg_entry_message(a) : "",
			 hg_entry_message(b) ? hg_entry_message(b) : "");
	ck_assert_int_eq(hg_entry_note(a) != NULL, hg_entry_note(b) != NULL);
	if (hg_entry_note(a)) {
		const struct hg_note_ref *x = hg_entry_note(a), *y = hg_entry_note(b);

		ck_assert_int_eq(x->target_line, y->target_line);
		ck_assert_ptr_eq(x->author, y->author);
		ck_assert_ptr_eq(x->target_skill, y->target_skill);
	}
	ck_assert_uint_eq(a->n_attempts, b->n_attempts);
	for (uint32_t i = 0; i < a->n_attempts; i++) {
		const struct hg_attempt *x = &a->attempts[i], *y = &b->attempts[i];

		ck_assert_str_eq(hg_attempt_tier(x), hg_attempt_tier(y));
		ck_assert_str_eq(hg_attempt_verdict(x), hg_attempt_verdict(y));
		ck_assert_int_eq(hg_attempt_model(x), hg_attempt_model(y));
		ck_assert_int_eq(hg_attempt_no(x, i), hg_attempt_no(y, i));
		ck_assert_int_eq(hg_attempt_ms(x), hg_attempt_ms(y));
		ck_assert_uint_eq(hg_attempt_feedback_len(x), hg_attempt_feedback_len(y));
		ck_assert_str_eq(hg_attempt_feedback(a, i) ? hg_attempt_feedback(a, i) : "",
				 hg_attempt_feedback(b, i) ? hg_attempt_feedback(b, i) : "");
	}
}

/* The line parsed by itself, and as the loaders parse it after the Go
 * reader's check (which may spare the value pass): the same entry. */
static void
parse(const char *line)
{
	struct hg_goread_spans sp;
	struct hg_entry checked = { 0 };
	size_t n = strlen(line);

	hg_entry_free(&ent);
	memset(&ent, 0, sizeof(ent));
	hg_parse_line(line, n, &ent);
	hg_goread_line_spans(line, n, n, NULL, 0, &sp);
	hg_parse_line_spans(line, n, &sp, &checked);
	same_entry(line, &ent, &checked);
	hg_entry_free(&checked);
}

static void
parse_ok(const char *line)
{
	parse(line);
	ck_assert_msg(ent.kind != HG_ENTRY_UNPARSABLE, "%s: %s", line, hg_entry_reason(&ent));
}

static void
parse_bad(const char *line, const char *reason)
{
	parse(line);
	ck_assert_msg(ent.kind == HG_ENTRY_UNPARSABLE, "%s: parsed", line);
	ck_assert_msg(strcmp(hg_entry_reason(&ent), reason) == 0, "%s: got '%s', want '%s'", line, hg_entry_reason(&ent),
		      reason);
}

static void
done_entry(void)
{
	hg_entry_free(&ent);
	memset(&ent, 0, sizeof(ent));
}

static const char *
shown(const char *s)
{
	static struct hg_buf b;

	hg_buf_reset(&b);
	hg_sanitize(&b, s, strlen(s), 0);
	return b.p;
}

/* A session file of the given lines, loaded. */
static struct hg_session *
session_of(const char *const *lines, size_t n)
{
	char *path = xasprintf("%s/s.jsonl", tmpdir);
	FILE *f = fopen(path, "w");
	struct hg_session *s;

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	s = hg_session_new(path);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	free(path);
	return s;
}

static void
setup_tmp(void)
{
	tmpdir_create("values");
}

/* 1. NUL characters */

START_TEST(test_nul_kept_in_strings)
{
	parse_ok(HEAD "\"skill\":\"a\\u0000b\",\"model_used\":\"qwen\\u0000-evil\","
		 "\"message\":\"x\\u0000y\\u0000z\",\"attempts\":[{\"model\":\"m\\u0000\"}]}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "a" HG_NUL "b");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_MODEL_USED), "qwen" HG_NUL "-evil");
	ck_assert_ptr_ne(hg_entry_str(&ent, HG_E_MODEL_USED), hg_intern("qwen"));
	ck_assert_str_eq(hg_entry_message(&ent), "x" HG_NUL "y" HG_NUL "z");
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&ent.attempts[0])), "m" HG_NUL);
	/* Shown as a symbol, in ASCII as "\0". */
	ck_assert_str_eq(shown(hg_entry_str(&ent, HG_E_SKILL)), "a\xE2\x90\x80" "b");
	setlocale(LC_CTYPE, "C");
	ck_assert_str_eq(shown(hg_entry_str(&ent, HG_E_SKILL)), "a\\0b");
	setlocale(LC_CTYPE, "C.UTF-8");
	/* A NUL at the start of a skipped value: not empty. */
	{
		struct hg_buf line = { 0 };

		hg_buf_adds(&line, HEAD "\"skill\":\"w\",\"attempts\":[{\"runner_output\":\"\\u0000");
		for (int i = 0; i < 600; i++)
			hg_buf_addc(&line, 'r');
		hg_buf_adds(&line, "\"}]}");
		parse_ok(line.p);
		ck_assert(hg_attempt_has_runner_output(&ent.attempts[0]));
		hg_buf_free(&line);
	}
}
END_TEST

START_TEST(test_nul_key_and_raw_bytes)
{
	/* "skill\u0000x" is another key, not skill. */
	parse_ok(HEAD "\"skill\":\"real\",\"skill\\u0000x\":\"other\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "real");
	/* Raw C0 80 in the file is invalid UTF-8: U+FFFD, never a NUL. */
	parse_ok(HEAD "\"skill\":\"a\xC0\x80" "b\"}");
	ck_assert_ptr_null(strstr(hg_entry_str(&ent, HG_E_SKILL), HG_NUL));
	ck_assert_ptr_nonnull(strstr(hg_entry_str(&ent, HG_E_SKILL), "\xEF\xBF\xBD"));
	ck_assert_ptr_null(strstr(shown(hg_entry_str(&ent, HG_E_SKILL)), "\xE2\x90\x80"));
	/* Every byte that starts no character is one U+FFFD, as in Go: two
	 * skills that differ only there are one. */
	parse_ok(HEAD "\"skill\":\"a\xFF\",\"model_used\":\"\xE2\x82" "A\xED\xA0\x80\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "a\xEF\xBF\xBD");
	ck_assert_ptr_eq(hg_entry_str(&ent, HG_E_SKILL), hg_intern("a\xEF\xBF\xBD"));
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_MODEL_USED),
			 "\xEF\xBF\xBD\xEF\xBF\xBD" "A\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	parse_ok(HEAD "\"skill\":\"a\xFE\"}");
	ck_assert_ptr_eq(hg_entry_str(&ent, HG_E_SKILL), hg_intern("a\xEF\xBF\xBD"));
	/* Valid UTF-8 is kept as it is. */
	parse_ok(HEAD "\"skill\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}
END_TEST

START_TEST(test_nul_models_apart_in_stats_and_filter)
{
	static const char *lines[] = {
		HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"qwen\",\"tier\":\"local\",\"verdict\":\"accept\"}]}",
		HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"qwen\\u0000-evil\",\"tier\":\"local\",\"verdict\":\"accept\"}]}",
		HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"qwen\\u0000-evil\",\"tier\":\"local\",\"verdict\":\"accept\"}]}",
	};
	struct hg_session *s = session_of(lines, 3);
	struct hg_stats *st = hg_stats_compute(&s, 1, NULL), *st2;
	struct hg_buf term = { 0 };
	struct hg_filter *f;
	size_t evil = 0;

	ck_assert_uint_eq(hg_stats_rows(st, HG_STATS_T_MODELS), 2);
	for (size_t i = 0; i < st->n_models; i++)
		if (strcmp(st->models[i].name, "qwen" HG_NUL "-evil") == 0)
			evil = i;
	ck_assert_str_eq(st->models[evil].name, "qwen" HG_NUL "-evil");
	ck_assert_int_eq(st->models[evil].attempts, 2);
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_MODELS, evil, &term));
	f = hg_filter_parse(term.p, NULL, 0, NULL);
	ck_assert_ptr_nonnull(f);
	st2 = hg_stats_compute(&s, 1, f);
	ck_assert_int_eq(st2->entries, 2);
	hg_stats_free(st2);
	hg_filter_free(f);
	/* Typed as it is shown. */
	f = hg_filter_parse("model:\"qwen\xE2\x90\x80-evil\"", NULL, 0, NULL);
	ck_assert_ptr_nonnull(f);
	st2 = hg_stats_compute(&s, 1, f);
	ck_assert_int_eq(st2->entries, 2);
	hg_stats_free(st2);
	hg_filter_free(f);
	f = hg_filter_parse("model:qwen", NULL, 0, NULL);
	st2 = hg_stats_compute(&s, 1, f);
	ck_assert_int_eq(st2->entries, 1);
	hg_stats_free(st2);
	hg_filter_free(f);
	hg_buf_free(&term);
	hg_stats_free(st);
	hg_session_free(s);
}
END_TEST

/* 2. 64-bit integers */

START_TEST(test_int64_exact)
{
	parse_ok(HEAD "\"skill\":\"w\",\"duration_ms\":9223372036854775807,"
		 "\"attempts\":[{\"attempt\":-9223372036854775808,\"duration_ms\":9007199254740993}]}");
	ck_assert(hg_entry_ms(&ent) == INT64_MAX);
	ck_assert(hg_attempt_no(&ent.attempts[0], 0) == INT64_MIN);
	ck_assert(hg_attempt_ms(&ent.attempts[0]) == INT64_C(9007199254740993));
	parse_ok(HEAD "\"skill\":\"w\",\"duration_ms\":-0,\"attempts\":[{\"attempt\":1234567890123456789}]}");
	ck_assert(hg_entry_ms(&ent) == 0);
	ck_assert(hg_attempt_no(&ent.attempts[0], 0) == INT64_C(1234567890123456789));
	/* Fractions and exponents elsewhere are no integers' business. */
	parse_ok(HEAD "\"skill\":\"w\",\"cost\":1.5e300,\"input\":{\"n\":1e3}}");
}
END_TEST

START_TEST(test_int_rejected_like_go)
{
	static const struct { const char *v, *reason; } bad[] = {
		{ "1.0", "json: cannot unmarshal number 1.0 into Go struct field Entry.duration_ms of type int64" },
		{ "1e3", "json: cannot unmarshal number 1e3 into Go struct field Entry.duration_ms of type int64" },
		{ "-1E+2", "json: cannot unmarshal number -1E+2 into Go struct field Entry.duration_ms of type int64" },
		{ "9223372036854775808", "json: cannot unmarshal number 9223372036854775808 into Go struct field Entry.duration_ms of type int64" },
		{ "-9223372036854775809", "json: cannot unmarshal number -9223372036854775809 into Go struct field Entry.duration_ms of type int64" },
		{ "\"5\"", "json: cannot unmarshal string into Go struct field Entry.duration_ms of type int64" },
		{ "true", "json: cannot unmarshal bool into Go struct field Entry.duration_ms of type int64" },
	};
	char line[256];

	for (size_t i = 0; i < HG_ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), HEAD "\"skill\":\"w\",\"duration_ms\":%s}", bad[i].v);
		parse_bad(line, bad[i].reason);
	}
	parse_bad(HEAD "\"skill\":\"w\",\"attempts\":[{\"attempt\":2.5}]}",
		  "json: cannot unmarshal number 2.5 into Go struct field Attempt.attempts.attempt of type int");
	parse_bad(HEAD "\"skill\":\"w\",\"attempts\":[{\"duration_ms\":99999999999999999999}]}",
		  "json: cannot unmarshal number 99999999999999999999 into Go struct field Attempt.attempts.duration_ms of type int64");
	/* Not JSON numbers at all, wherever they are. */
	parse_bad("{\"duration_ms\":01}", "invalid JSON at byte 17");
	parse_bad("{\"duration_ms\":-01}", "invalid JSON at byte 18");
	parse_bad("{\"duration_ms\":1.}", "invalid JSON at byte 17");
	parse_bad("{\"other\":[1.e5]}", "invalid JSON at byte 12");
	parse_bad("{\"other\":{\"x\":00}}", "invalid JSON at byte 16");
	/* A number where a string goes is named as one. */
	parse_bad(HEAD "\"skill\":1e400}", "field skill: expected a string, got number");
}
END_TEST

/* 3. Surrogate escapes */

START_TEST(test_surrogates)
{
	parse_ok(HEAD "\"skill\":\"\\ud800\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "\xEF\xBF\xBD");
	parse_ok(HEAD "\"skill\":\"\\udc00x\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "\xEF\xBF\xBDx");
	parse_ok(HEAD "\"skill\":\"\\ud800\\u0041\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "\xEF\xBF\xBD" "A");
	parse_ok(HEAD "\"skill\":\"\\ud800\\ud83d\\ude00\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "\xEF\xBF\xBD\xF0\x9F\x98\x80");
	parse_ok(HEAD "\"skill\":\"\\udbff\\udfff\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "\xF4\x8F\xBF\xBF");
	parse_bad("{\"skill\":\"\\uZZZZ\"}", "invalid JSON at byte 13");
	parse_bad("{\"skill\":\"ab\\u12\"}", "invalid JSON at byte 17");
	/* In a value the fast path skips, too. */
	{
		struct hg_buf line = { 0 };

		hg_buf_adds(&line, HEAD "\"skill\":\"w\",\"attempts\":[{\"runner_output\":\"");
		for (int i = 0; i < 600; i++)
			hg_buf_addc(&line, 'r');
		hg_buf_adds(&line, "\\uZZZZ\"}]}");
		parse(line.p);
		ck_assert_int_eq(ent.kind, HG_ENTRY_UNPARSABLE);
		hg_buf_free(&line);
	}
}
END_TEST

/* 4. Timestamps */

static void
ts_ok(const char *ts, const char *local)
{
	char line[512], buf[64];

	snprintf(line, sizeof(line), "{\"skill\":\"t\",\"timestamp\":\"%s\"}", ts);
	parse_ok(line);
	ck_assert_msg(!ent.ts_zero, "%s", ts);
	hg_entry_datetime(&ent, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, local) == 0, "%s: shown %s, want %s", ts, buf, local);
}

static void
ts_bad(const char *ts)
{
	char line[512];

	snprintf(line, sizeof(line), "{\"skill\":\"t\",\"timestamp\":\"%s\"}", ts);
	parse(line);
	ck_assert_msg(ent.kind == HG_ENTRY_UNPARSABLE, "%s parsed", ts);
	ck_assert_msg(strstr(hg_entry_reason(&ent), "is not an RFC 3339 time"), "%s", hg_entry_reason(&ent));
}

START_TEST(test_timestamps_like_go)
{
	setenv("TZ", "UTC", 1);
	tzset();
	ts_ok("2026-11-24T10:04:05.1234567891Z", "2026-11-24 10:04:05");
	ts_ok("2026-11-24T10:04:05,5Z", "2026-11-24 10:04:05");
	ts_ok("2026-11-24T1:04:05Z", "2026-11-24 01:04:05");
	ts_ok("2026-11-24T10:04:05+24:00", "2026-11-23 10:04:05");
	ts_ok("2026-11-24T10:04:05-00:60", "2026-11-24 11:04:05");
	ts_ok("1600-02-29T12:00:00Z", "1600-02-29 12:00:00");
	ts_ok("9999-12-31T23:59:59.999999999Z", "9999-12-31 23:59:59");
	ck_assert(ent.ts_ns == INT64_MAX);	/* sorted last */
	ts_ok("0000-01-01T00:00:00Z", "0000-01-01 00:00:00");
	ck_assert(ent.ts_ns == INT64_MIN);
	/* Go 1.19 reads each half of the offset by itself, unchecked. */
	ts_ok("2026-11-24T10:04:05+25:00", "2026-11-23 09:04:05");
	ts_ok("2026-11-24T10:04:05+01:61", "2026-11-24 08:03:05");
	ts_ok("2026-11-24T10:04:05+-1:+5", "2026-11-24 10:59:05");
	ts_bad("2026-11-24T10:04:05+-a:00");
	ts_bad("2026-11-24T10:04:05+1:000");
	ts_bad("2026-11-24T10:04:05.Z");
	ts_bad("2026-11-24T10:04:05,Z");
	ts_bad("2026-11-24T24:04:05Z");
	ts_bad("2026-11-24t10:04:05Z");
	ts_bad("2026-11-24T10:04:05z");
	ts_bad("2026-11-24T10:04:60Z");
	ts_bad("2026-11-24T10:4:05Z");
	ts_bad("2026-11-24T10:04:05");
	/* Go parses the raw bytes: an escape is not the character. */
	ts_bad("2026-11-24T10:04:05\\u005a");
	ts_bad("\\u0032026-11-24T10:04:05Z");
	parse("{\"TimeStamp\":\"2026-11-24T10:04:05\\u005a\"}");
	ck_assert_int_eq(ent.kind, HG_ENTRY_UNPARSABLE);
	/* The zero time, whatever its offset. */
	static const char *zero[] = {
		"0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00-00:00",
		"0001-01-01T01:00:00+01:00", "0000-12-31T23:00:00-01:00",
	};
	for (size_t i = 0; i < HG_ARRAY_SIZE(zero); i++) {
		char line[128];

		snprintf(line, sizeof(line), "{\"skill\":\"t\",\"timestamp\":\"%s\"}", zero[i]);
		parse_ok(line);
		ck_assert_msg(ent.ts_zero, "%s", zero[i]);
	}
	parse_ok("{\"skill\":\"t\",\"timestamp\":\"0001-01-01T00:00:00-01:00\"}");
	ck_assert(!ent.ts_zero);
}
END_TEST

/* 5. Repeated and folded keys, a bare null */

START_TEST(test_repeated_keys)
{
	parse_ok(HEAD "\"skill\":\"first\",\"skill\":\"second\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "second");
	parse_ok(HEAD "\"skill\":\"kept\",\"skill\":null,\"message\":\"m\",\"message\":null,"
		 "\"duration_ms\":5,\"duration_ms\":null}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "kept");
	ck_assert_str_eq(hg_entry_message(&ent), "m");
	ck_assert_int_eq(hg_entry_ms(&ent), 5);
	parse_ok("{\"skill\":\"t\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"timestamp\":null}");
	ck_assert(!ent.ts_zero);
	/* A second attempts array is decoded over the first, element by element. */
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"a\",\"tier\":\"local\"},{\"model\":\"b\"}],"
		 "\"attempts\":[{\"tier\":\"managed\"}],\"attempts\":[{},{}]}");
	ck_assert_uint_eq(ent.n_attempts, 2);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&ent.attempts[0])), "a");
	ck_assert_str_eq(hg_attempt_tier(&ent.attempts[0]), "managed");
	ck_assert_int_eq(ent.attempts[0].tier, HG_TIER_MANAGED);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&ent.attempts[1])), "b");
	/* Tiers and verdicts outside the enums keep their texts through it,
	 * each on its own and both on one attempt. */
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{\"tier\":\"gpu\",\"verdict\":\"accept\"},"
		 "{\"tier\":\"local\",\"verdict\":\"timeout\"}],\"attempts\":[{\"verdict\":\"late\"},{}]}");
	ck_assert_uint_eq(ent.n_attempts, 2);
	ck_assert_str_eq(hg_attempt_tier(&ent.attempts[0]), "gpu");
	ck_assert_int_eq(ent.attempts[0].tier, HG_TIER_OTHER);
	ck_assert_str_eq(hg_attempt_verdict(&ent.attempts[0]), "late");
	ck_assert_int_eq(ent.attempts[0].verdict, HG_VERDICT_OTHER);
	ck_assert_str_eq(hg_attempt_tier(&ent.attempts[1]), "local");
	ck_assert_str_eq(hg_attempt_verdict(&ent.attempts[1]), "timeout");
	ck_assert_int_eq(ent.attempts[1].verdict, HG_VERDICT_OTHER);
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{\"tier\":\"gpu\",\"verdict\":\"late\"}],"
		 "\"attempts\":[{\"tier\":\"managed\",\"verdict\":\"error\"}]}");
	ck_assert_str_eq(hg_attempt_tier(&ent.attempts[0]), "managed");
	ck_assert_str_eq(hg_attempt_verdict(&ent.attempts[0]), "error");
	ck_assert_uint_eq(hg_attempt_odd(&ent.attempts[0]), 0);
	/* [] and null drop them. */
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"a\",\"feedback\":\"f\"}],\"attempts\":[],"
		 "\"attempts\":[{}]}");
	ck_assert_uint_eq(ent.n_attempts, 1);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&ent.attempts[0])), "");
	ck_assert_ptr_null(hg_attempt_feedback(&ent, 0));
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{\"model\":\"a\"},{\"feedback\":\"f\"}],\"attempts\":null}");
	ck_assert_uint_eq(ent.n_attempts, 0);
	/* Elements past a shorter array are kept for a later one. */
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{},{\"model\":\"b\",\"feedback\":\"f\"}],"
		 "\"attempts\":[{}],\"attempts\":[{},{}]}");
	ck_assert_uint_eq(ent.n_attempts, 2);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&ent.attempts[1])), "b");
	ck_assert_str_eq(hg_attempt_feedback(&ent, 1), "f");
	parse_ok(HEAD "\"skill\":\"w\",\"attempts\":[{},{\"feedback\":\"f\"}],\"attempts\":[{}]}");
	ck_assert_uint_eq(ent.n_attempts, 1);
}
END_TEST

/* Lines long enough for the loaders to cut what the entry does not keep
 * (the attempts' long texts, an input that is not a note's): the same
 * entry as the whole line gives, a note's reference included. */
START_TEST(test_long_lines_cut)
{
	static const char *const heads[] = {
		HEAD "\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":7,\"author\":\"ann\"},",
		HEAD "\"skill\":\"hgtop\\u002eannotate\",\"input\":{\"target_line\":8},",
		HEAD "\"input\":{\"target_line\":9},\"skill\":\"hgtop.annotate\",\"skill\":null,",
		HEAD "\"skill\":\"w\",\"input\":{\"target_line\":9,\"deep\":[[[{}]]]},",
		HEAD "\"skill\":\"w\",\"input\":[\"a\\u0000\",{\"k\":1.5}],",
		HEAD "\"skill\":\"w\",\"duration_ms\":-123456789012345,\"input\":{},",
		HEAD "\"skill\":\"w\",\"duration_ms\":-9223372036854775808,",
	};
	char line[2048], pad[700];

	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (size_t i = 0; i < HG_ARRAY_SIZE(heads); i++) {
		snprintf(line, sizeof(line),
			 "%s\"attempts\":[{\"tier\":\"local\",\"runner_output\":\"%s\",\"feedback\":\"f\","
			 "\"attempt\":17,\"duration_ms\":40},{\"attempt\":-23,\"duration_ms\":null}],"
			 "\"message\":\"%s\"}", heads[i], pad, pad);
		parse_ok(line);
		ck_assert_int_eq(ent.kind, i < 3 ? HG_ENTRY_ANNOTATION : HG_ENTRY_OK);
		if (i < 3)
			ck_assert_int_eq(hg_entry_note(&ent)->target_line, 7 + (int64_t)i);
		ck_assert_int_eq(hg_attempt_no(&ent.attempts[0], 0), 17);
		ck_assert_int_eq(hg_attempt_ms(&ent.attempts[0]), 40);
		ck_assert_int_eq(hg_attempt_no(&ent.attempts[1], 1), -23);
	}
	done_entry();
}
END_TEST

START_TEST(test_folded_keys_and_null_line)
{
	parse_ok(HEAD "\"SKILL\":\"upper\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "upper");
	parse_ok(HEAD "\"\xC5\xBFkill\":\"long s\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "long s");
	parse_ok(HEAD "\"s\\u212Aill\":\"kelvin\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "kelvin");
	parse_ok(HEAD "\"\\u017fKILL\":\"both\",\"attempts\":[{\"\\u017fEED\\u212aACK\":\"no\",\"FEEDBAC\\u212a\":\"yes\"}]}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "both");
	ck_assert_str_eq(hg_attempt_feedback(&ent, 0), "yes");
	parse_ok(HEAD "\"sk\xC3\xAFll\":\"no\"}");
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "");
	/* A bare null is an entry with every field zero. */
	parse_ok("null");
	ck_assert_int_eq(ent.kind, HG_ENTRY_OK);
	ck_assert(ent.ts_zero);
	ck_assert_str_eq(hg_entry_str(&ent, HG_E_SKILL), "");
	parse_bad("[]", "not a JSON object (array)");
}
END_TEST

/* 6. Negative durations, the chain's cut */

START_TEST(test_negative_durations_in_stats)
{
	static const char *lines[] = {
		HEAD "\"skill\":\"w\",\"duration_ms\":-7,\"attempts\":[{\"model\":\"m\",\"tier\":\"local\",\"verdict\":\"accept\",\"duration_ms\":-7}]}",
		HEAD "\"skill\":\"w\",\"duration_ms\":-9,\"attempts\":[{\"model\":\"m\",\"tier\":\"local\",\"verdict\":\"accept\",\"duration_ms\":-9}]}",
	};
	struct hg_session *s = session_of(lines, 2);
	struct hg_stats *st = hg_stats_compute(&s, 1, NULL);
	char *json = hg_stats_json(st);
	cJSON *root = cJSON_Parse(json), *tier;

	ck_assert_int_eq(st->tiers[0].p50_ms, -9);
	ck_assert_int_eq(st->tiers[0].p95_ms, -7);
	ck_assert_int_eq(st->tiers[0].max_ms, -7);
	tier = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "tiers"), 0);
	ck_assert_ptr_nonnull(tier);
	ck_assert_msg(cJSON_IsNumber(cJSON_GetObjectItem(tier, "p50_ms")), "%s", json);
	ck_assert_int_eq(cJSON_GetObjectItem(tier, "p50_ms")->valuedouble, -9);
	ck_assert_int_eq(cJSON_GetObjectItem(tier, "p95_ms")->valuedouble, -7);
	ck_assert_int_eq(cJSON_GetObjectItem(tier, "max_ms")->valuedouble, -7);
	cJSON_Delete(root);
	free(json);
	hg_stats_free(st);
	hg_session_free(s);
}
END_TEST

START_TEST(test_chain_cut_marked)
{
	struct hg_buf line = { 0 };
	char chain[256];
	int i;

	hg_buf_adds(&line, HEAD "\"skill\":\"w\",\"attempts\":[");
	for (i = 0; i < 6; i++) {
		hg_buf_adds(&line, i ? ",{\"tier\":\"" : "{\"tier\":\"");
		for (int k = 0; k < 60; k++)
			hg_buf_addc(&line, (char)('a' + i));
		hg_buf_adds(&line, "\"}");
	}
	hg_buf_adds(&line, "]}");
	parse_ok(line.p);
	hg_entry_chain(&ent, "→", chain, sizeof(chain));
	ck_assert_uint_lt(strlen(chain), sizeof(chain));
	ck_assert_msg(strlen(chain) >= 3 && strcmp(chain + strlen(chain) - 3, "…") == 0, "%s", chain);
	hg_entry_chain(&ent, "->", chain, sizeof(chain));
	ck_assert_msg(strlen(chain) >= 5 && strcmp(chain + strlen(chain) - 5, "->...") == 0, "%s", chain);
	/* One tier name longer than the column: cut inside it, still marked. */
	hg_buf_reset(&line);
	hg_buf_adds(&line, HEAD "\"skill\":\"w\",\"attempts\":[{\"tier\":\"");
	for (i = 0; i < 400; i++)
		hg_buf_adds(&line, "\xC3\xA9");
	hg_buf_adds(&line, "\"}]}");
	parse_ok(line.p);
	hg_entry_chain(&ent, "→", chain, sizeof(chain));
	ck_assert_uint_eq(strlen(chain), 254 + 3 - 1 - 1);
	ck_assert_str_eq(chain + strlen(chain) - 3, "…");
	hg_buf_free(&line);
}
END_TEST

/* The detail pane shows the same values: int64 as written, far times. */

static bool
detail_has(const char *line, int32_t part, const char *text)
{
	struct hg_detail d = { 0 };
	bool found = false;

	parse_ok(line);
	hg_detail_build(&d, &ent, part, line, strlen(line));
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.lines[i].text, text))
			found = true;
	hg_detail_free(&d);
	return found;
}

START_TEST(test_detail_values)
{
	static const char line[] =
		"{\"skill\":\"w\",\"timestamp\":\"9999-12-31T23:59:59Z\","
		"\"duration_ms\":9223372036854775807,\"attempts\":[{\"attempt\":9007199254740993,"
		"\"duration_ms\":-7,\"model\":\"q\\u0000x\"}]}";

	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert(detail_has(line, -1, "9223372036854775807 (2562047788015h12m)"));
	ck_assert(detail_has(line, -1, "(local 9999-12-31 23:59:59)"));
	ck_assert(detail_has(line, 0, "9007199254740993"));
	ck_assert(detail_has(line, 0, "-7 (-7ms)"));
	ck_assert(detail_has(line, 0, "q\xE2\x90\x80x"));
}
END_TEST

static Suite *
values_suite(void)
{
	Suite *s = suite_create("values");
	TCase *tc = tcase_create("values");

	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_checked_fixture(tc, NULL, done_entry);
	tcase_add_test(tc, test_nul_kept_in_strings);
	tcase_add_test(tc, test_nul_key_and_raw_bytes);
	tcase_add_test(tc, test_nul_models_apart_in_stats_and_filter);
	tcase_add_test(tc, test_int64_exact);
	tcase_add_test(tc, test_int_rejected_like_go);
	tcase_add_test(tc, test_surrogates);
	tcase_add_test(tc, test_timestamps_like_go);
	tcase_add_test(tc, test_repeated_keys);
	tcase_add_test(tc, test_folded_keys_and_null_line);
	tcase_add_test(tc, test_negative_durations_in_stats);
	tcase_add_test(tc, test_chain_cut_marked);
	tcase_add_test(tc, test_detail_values);
	tcase_add_test(tc, test_long_lines_cut);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(values_suite());
	int failed;

	setlocale(LC_ALL, "C.UTF-8");
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
