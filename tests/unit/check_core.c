/* check_core.c - unit tests of the session-log core: model, reader,
 * parser, session ingest and catalog. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/catalog.h"
#include "hgtop/gen.h"
#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/reader.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

#include "tmpdir.h"

static void
setup_tmp(void)
{
	tmpdir_create("check");
}

static void
write_file(const char *path, const char *data, size_t n, const char *mode)
{
	FILE *f = fopen(path, mode);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void
append_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s), "ab");
}

static struct hg_session *
load(const char *path)
{
	struct hg_session *s = hg_session_new(path);
	struct hg_ingest_result r = hg_session_ingest(s, 0);

	ck_assert_int_eq(r.status, HG_INGEST_OK);
	return s;
}

/* The session of the catalog named NAME (file name or path), or NULL. */
static struct hg_session *
find_session(const struct hg_catalog *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *p = c->sessions[i]->path, *base = strrchr(p, '/');

		if (strcmp(base ? base + 1 : p, name) == 0 || strcmp(p, name) == 0)
			return c->sessions[i];
	}
	return NULL;
}

static struct hg_session *
load_fixture(const char *name)
{
	char *p = xasprintf("%s/basic/%s", FIXTURES, name);
	struct hg_session *s = load(p);

	free(p);
	return s;
}

/* Parser: every field of Entry and Attempt */

START_TEST(test_every_field)
{
	struct hg_session *s = load_fixture("full.jsonl");
	const struct hg_entry *e = &s->entries[0];
	const struct hg_attempt *a;

	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(e->kind, HG_ENTRY_OK);
	ck_assert_str_eq(hg_entry_str(e, HG_E_SESSION_ID), "s-full");
	ck_assert_str_eq(hg_entry_str(e, HG_E_SKILL), "write-file");
	ck_assert_str_eq(hg_entry_str(e, HG_E_PHASE), "implement");
	ck_assert_str_eq(hg_entry_str(e, HG_E_PROJECT_ROOT), "/home/kai/proj");
	ck_assert(e->has_input);
	ck_assert_str_eq(hg_entry_str(e, HG_E_FINAL_STATUS), "ok");
	ck_assert_str_eq(hg_sym_str(e->file_path), "src/a.go");
	ck_assert_str_eq(hg_entry_str(e, HG_E_MODEL_USED), "claude-haiku");
	ck_assert_int_eq(hg_entry_ms(e), 4200);
	ck_assert_str_eq(hg_entry_message(e), "done & dusted <3");
	ck_assert_int_eq(e->ts_ns, 1795514645123456789LL);
	ck_assert_int_eq(e->tz_min, 0);
	ck_assert(!e->ts_zero);
	ck_assert_uint_eq(e->n_attempts, 2);
	a = &e->attempts[0];
	ck_assert_int_eq(hg_attempt_no(a, 0), 1);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(a)), "qwen2.5-coder-7b");
	ck_assert_int_eq(a->tier, HG_TIER_LOCAL);
	ck_assert_int_eq(hg_attempt_ms(a), 1200);
	ck_assert(hg_attempt_warm(a));
	ck_assert(hg_attempt_verified(a));
	ck_assert_int_eq(a->verdict, HG_VERDICT_ESCALATE);
	ck_assert_str_eq(hg_attempt_feedback(e, 0), "tests fail: 3 of 41\nTestParse: want <nil>");
	ck_assert(hg_attempt_has_output_summary(a));
	ck_assert(hg_attempt_has_runner_output(a));
	a = &e->attempts[1];
	ck_assert_int_eq(a->tier, HG_TIER_SUBAGENT);
	ck_assert_int_eq(a->verdict, HG_VERDICT_ACCEPT);
	ck_assert(!hg_attempt_warm(a));
	ck_assert_ptr_null(hg_attempt_feedback(e, 1));
	/* Interned strings are shared. */
	ck_assert_ptr_eq(hg_sym_str(hg_attempt_model(&s->entries[1].attempts[0])),
			 hg_sym_str(hg_attempt_model(&e->attempts[0])));
	ck_assert_int_eq(s->entries[1].attempts[1].tier, HG_TIER_MANAGED);
	ck_assert_int_eq(s->entries[1].attempts[1].verdict, HG_VERDICT_ERROR);
	hg_session_free(s);
}
END_TEST

START_TEST(test_omitempty_absent)
{
	struct hg_session *s = load_fixture("minimal.jsonl");
	const struct hg_entry *e = &s->entries[0];

	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert_str_eq(hg_entry_str(e, HG_E_PHASE), "");
	ck_assert_str_eq(hg_entry_str(e, HG_E_MODEL_USED), "");
	ck_assert(!e->has_input);
	ck_assert_uint_eq(e->n_attempts, 0);
	ck_assert_ptr_null(hg_entry_message(e));
	ck_assert_int_eq(hg_entry_ms(e), 0);
	/* Go's zero Entry: empty strings and the zero time. */
	e = &s->entries[1];
	ck_assert_int_eq(e->kind, HG_ENTRY_OK);
	ck_assert(e->ts_zero);
	ck_assert_str_eq(hg_entry_str(e, HG_E_SKILL), "");
	hg_session_free(s);
}
END_TEST

START_TEST(test_go_escapes)
{
	struct hg_session *s = load_fixture("escapes.jsonl");
	const struct hg_entry *e = &s->entries[0];

	ck_assert_str_eq(hg_entry_message(e), "a<b>&c \x01\x07\x1b[2J\x1b]0;pwned\x07 tab\there "
			 "\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe2\x80\xa8");
	/* 3 fractional digits, +01:00 */
	ck_assert_int_eq(e->tz_min, 60);
	ck_assert_int_eq(e->ts_ns, 1795510800123000000LL); /* 09:00:00.123Z */
	/* 6 digits, -07:30 */
	ck_assert_int_eq(s->entries[1].tz_min, -450);
	ck_assert_int_eq(s->entries[1].ts_ns, 1795541400123456000LL); /* 17:30:00.123456Z */
	/* 9 digits, Z */
	ck_assert_int_eq(s->entries[2].ts_ns, 1795514400123456789LL);
	hg_session_free(s);
}
END_TEST

START_TEST(test_surrogates_unknown_values)
{
	struct hg_session *s = load_fixture("unknown.jsonl");
	const struct hg_entry *e = &s->entries[0];

	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert(e->ts_zero);
	ck_assert_str_eq(hg_entry_message(e), "smile \xf0\x9f\x98\x80 clef \xf0\x9d\x84\x9e");
	ck_assert_int_eq(e->attempts[0].tier, HG_TIER_OTHER);
	ck_assert_str_eq(hg_attempt_tier(&e->attempts[0]), "edge");
	ck_assert_int_eq(e->attempts[0].verdict, HG_VERDICT_OTHER);
	ck_assert_str_eq(hg_attempt_verdict(&e->attempts[0]), "maybe");
	/* Go matches keys case-insensitively. */
	ck_assert_str_eq(hg_entry_message(&s->entries[1]), "case-insensitive key");
	hg_session_free(s);
}
END_TEST

START_TEST(test_input_any_type)
{
	struct hg_session *s = load_fixture("inputs.jsonl");
	size_t i;

	ck_assert_uint_eq(s->n_entries, 5);
	ck_assert_int_eq(s->n_unparsable, 0);
	for (i = 0; i < 5; i++)
		ck_assert(s->entries[i].has_input);
	hg_session_free(s);
}
END_TEST

START_TEST(test_malformed_lines)
{
	struct hg_session *s = load_fixture("malformed.jsonl");
	static const struct { int64_t line; const char *reason; } bad[] = {
		{ 2, "invalid JSON: unexpected end of line" },
		{ 3, "not a JSON object (array)" },
		{ 4, "not a JSON object (string)" },
		/* Line 5, a bare null, is an entry with every field zero to Go. */
		{ 6, "json: cannot unmarshal string into Go struct field Entry.duration_ms of type int64" },
		{ 7, "field timestamp: \"yesterday\" is not an RFC 3339 time" },
		{ 8, "field attempts: expected an array, got object" },
		{ 9, "json: cannot unmarshal number 1e300 into Go struct field Attempt.attempts.duration_ms of type int64" },
		{ 10, "field attempts[0].warm_start: expected a boolean, got string" },
		{ 11, "blank line" },
	};
	size_t i;

	ck_assert_uint_eq(s->n_entries, 12);
	ck_assert_int_eq(s->n_unparsable, 9);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "good-one");
	ck_assert_int_eq(s->entries[4].kind, HG_ENTRY_OK);
	for (i = 0; i < HG_ARRAY_SIZE(bad); i++) {
		const struct hg_entry *e = &s->entries[bad[i].line - 1];

		ck_assert_int_eq(e->kind, HG_ENTRY_UNPARSABLE);
		ck_assert_int_eq(hg_entry_line(e), bad[i].line);
		ck_assert_msg(strncmp(hg_entry_reason(e), bad[i].reason, strlen(bad[i].reason)) == 0,
			      "line %lld: got '%s'", (long long)hg_entry_line(e), hg_entry_reason(e));
	}
	/* The blank line 11 is unparsable, as for hyperguild's reader; the
	 * file goes on. */
	ck_assert_str_eq(hg_entry_str(&s->entries[11], HG_E_SKILL), "good-two");
	ck_assert_int_eq(hg_entry_line(&s->entries[11]), 12);
	hg_session_free(s);
}
END_TEST

START_TEST(test_crlf_blank_empty)
{
	struct hg_session *s = load_fixture("crlf.jsonl");

	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_int_eq(s->n_unparsable, 1);
	ck_assert_str_eq(hg_entry_reason(&s->entries[1]), "blank line");
	ck_assert_str_eq(hg_entry_str(&s->entries[2], HG_E_SKILL), "two");
	ck_assert_int_eq(hg_entry_line(&s->entries[2]), 3);
	hg_session_free(s);
	/* Empty, spaces only, CR only: every blank line is an unparsable line. */
	s = load_fixture("blank.jsonl");
	ck_assert_uint_eq(s->n_entries, 4);
	ck_assert_int_eq(s->n_unparsable, 4);
	ck_assert_str_eq(hg_entry_reason(&s->entries[2]), "blank line");
	ck_assert_int_eq(s->line_no, 4);
	hg_session_free(s);
	s = load_fixture("empty.jsonl");
	ck_assert_uint_eq(s->n_entries, 0);
	hg_session_free(s);
}
END_TEST

/* Timestamps */

START_TEST(test_time_parse_format)
{
	static const char *ok[] = {
		"2026-11-24T10:04:05Z", "2026-11-24T10:04:05.1Z", "2026-11-24T10:04:05.123+01:00",
		"2026-11-24T10:04:05.123456-07:30", "2026-11-24T10:04:05.123456789Z",
		"2024-02-29T23:59:59.5-00:30",
	};
	static const char *bad[] = {
		"", "2026-11-24", "2026-11-24T10:04:05", "2026-11-24T10:04:05.Z",
		"2026-13-24T10:04:05Z", "2026-02-30T10:04:05Z",
		"2026-11-24T24:00:00Z", "2026-11-24T10:04:05+1:00", "2026-11-24 10:04:05Z",
		"2026-11-24T10:04:05Zjunk", "2025-02-29T10:04:05Z",
	};
	char buf[64];
	int64_t ns;
	int16_t tz;
	bool zero;
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(ok); i++) {
		ck_assert_msg(hg_parse_time(ok[i], strlen(ok[i]), &ns, &tz, &zero), "%s", ok[i]);
		hg_format_time(ns, tz, zero, buf, sizeof(buf));
		ck_assert_str_eq(buf, ok[i]);
	}
	for (i = 0; i < HG_ARRAY_SIZE(bad); i++)
		ck_assert_msg(!hg_parse_time(bad[i], strlen(bad[i]), &ns, &tz, &zero), "%s", bad[i]);
	ck_assert(hg_parse_time("0001-01-01T00:00:00Z", 20, &ns, &tz, &zero));
	ck_assert(zero);
	hg_format_time(0, 0, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0001-01-01T00:00:00Z");
	ck_assert(hg_parse_time("1970-01-01T00:00:00Z", 20, &ns, &tz, &zero));
	ck_assert_int_eq(ns, 0);
	ck_assert(!zero);
	/* The ends of the range (extreme values in a log reach --stats). */
	hg_format_time(INT64_MIN, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1677-09-21T00:12:43.145224192Z");
	hg_format_time(INT64_MAX, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2262-04-11T23:47:16.854775807Z");
	hg_format_time(-1, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1969-12-31T23:59:59.999999999Z");
}
END_TEST

/* Reader and incremental ingest */

struct collected {
	int n;
	char lines[16][64];
};

static int
collect(void *ctx, const char *line, size_t len, int64_t offset, int64_t line_no)
{
	struct collected *c = ctx;

	(void)offset;
	(void)line_no;
	if (c->n < 16)
		snprintf(c->lines[c->n++], 64, "%.*s", (int)len, line);
	return 0;
}

START_TEST(test_partial_line_waits)
{
	char *p = tmp_path("p.jsonl");
	const char *l1 = "{\"skill\":\"one\",\"final_status\":\"ok\"}\n";
	struct hg_session *s;
	struct hg_ingest_result r;

	append_str(p, l1);
	append_str(p, "{\"skill\":\"tw");
	s = load(p);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert_int_eq(s->pending, 12);
	ck_assert_int_eq(s->offset, (int64_t)strlen(l1));
	/* Nothing new: nothing parsed again. */
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.new_entries, 0);
	append_str(p, "o\",\"final_status\":\"ok\"}");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.new_entries, 0);
	append_str(p, "\n");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_OK);
	ck_assert_int_eq(r.new_entries, 1);
	ck_assert_str_eq(hg_entry_str(&s->entries[1], HG_E_SKILL), "two");
	ck_assert_int_eq(s->pending, 0);
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.new_entries, 0);
	ck_assert_uint_eq(s->n_entries, 2);
	hg_session_free(s);
	free(p);
}
END_TEST

START_TEST(test_line_split_many_writes)
{
	char *p = tmp_path("w.jsonl");
	const char *line = "{\"skill\":\"split\",\"final_status\":\"ok\",\"message\":\"abcdefghij\"}\n";
	struct hg_session *s = hg_session_new(p);
	size_t i;
	int64_t total = 0;

	write_file(p, "", 0, "wb");
	for (i = 0; i < strlen(line); i++) {
		write_file(p, line + i, 1, "ab");
		total += hg_session_ingest(s, 0).new_entries;
	}
	ck_assert_int_eq(total, 1);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert_str_eq(hg_entry_message(&s->entries[0]), "abcdefghij");
	hg_session_free(s);
	free(p);
}
END_TEST

struct capped {
	int n;
	bool held[8];
	size_t len[8];
	int64_t at[8];
	size_t cap[8];
	const struct hg_linebuf *lb;
};

static int
collect_capped(void *ctx, const char *line, size_t len, int64_t offset, int64_t line_no)
{
	struct capped *c = ctx;

	(void)line_no;
	if (c->n < 8) {
		c->held[c->n] = line != NULL;
		c->len[c->n] = len;
		c->at[c->n] = offset;
		c->cap[c->n] = c->lb->cap;
	}
	c->n++;
	return 0;
}

/* A line over the limit is delivered as its length alone, whether it is
 * read in one go or arrives in pieces, and the buffer never grows past
 * one byte beyond the limit; the lines around it are untouched. */
START_TEST(test_reader_line_limit)
{
	char *p = tmp_path("huge.txt");
	struct hg_linebuf lb = { 0 };
	struct capped c = { .lb = &lb };
	struct hg_read_result r;
	int64_t off = 0, ln = 0, clean = 0, limit = HG_READER_CHUNK * 3 / 2;
	size_t big = 2 * HG_READER_CHUNK + 5, piece = 64 * 1024, done = 0;
	char *buf = malloc(big + 1);
	struct hg_session *s;
	int fd;

	hg_reader_set_line_max(limit);
	ck_assert_int_eq(hg_reader_line_max(), limit);
	memset(buf, 'z', big);
	buf[big] = '\0';
	append_str(p, "first\n");
	append_str(p, buf);
	append_str(p, "\nlast\n");
	fd = open(p, O_RDONLY);
	r = hg_read_lines(fd, &off, &ln, &lb, 0, collect_capped, &c);
	ck_assert_int_eq(r.err, 0);
	ck_assert_int_eq(c.n, 3);
	ck_assert(c.held[0] && !c.held[1] && c.held[2]);
	ck_assert_uint_eq(c.len[1], big);
	ck_assert_int_eq(c.at[1], 6);
	ck_assert_int_eq(c.at[2], (int64_t)(6 + big + 1));
	ck_assert_uint_le(c.cap[1], (size_t)limit + 1);
	ck_assert_int_eq(ln, 3);
	close(fd);

	/* The same line arriving 64 KiB at a time. */
	memset(&c, 0, sizeof(c));
	c.lb = &lb;
	off = ln = 0;
	append_str(p, "");
	fd = open(p, O_RDWR | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	while (done < big) {
		size_t n = big - done < piece ? big - done : piece;

		ck_assert_int_eq(write(fd, buf, n), (ssize_t)n);
		done += n;
		r = hg_read_lines_resume(fd, &off, &ln, &clean, &lb, 0, collect_capped, &c);
		ck_assert_int_eq(r.pending, (int64_t)done);
	}
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(write(fd, "\nafter\n", 7), 7);
	r = hg_read_lines_resume(fd, &off, &ln, &clean, &lb, 0, collect_capped, &c);
	ck_assert_int_eq(c.n, 2);
	ck_assert(!c.held[0] && c.held[1]);
	ck_assert_uint_eq(c.len[0], big);
	ck_assert_uint_eq(c.len[1], 5);
	ck_assert_int_eq(off, (int64_t)(big + 7));
	close(fd);

	/* A session shows it as an unparsable row that says its size. */
	s = hg_session_new(p);
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(s->entries[0].kind, HG_ENTRY_UNPARSABLE);
	ck_assert_ptr_nonnull(strstr(hg_entry_reason(&s->entries[0]), "2,097,157 bytes is over the 1,572,864-byte line limit"));
	ck_assert_int_eq(s->n_unparsable, 2);	/* "after" is no JSON either */
	ck_assert_ptr_null(hg_session_read_line(s, &s->entries[0], NULL));
	ck_assert_int_eq(errno, EFBIG);
	hg_session_free(s);
	hg_reader_set_line_max(0);
	ck_assert_int_eq(hg_reader_line_max(), HG_LINE_MAX_DEFAULT);
	hg_linebuf_free(&lb);
	free(buf);
	free(p);
}
END_TEST

START_TEST(test_reader_chunks_and_max_bytes)
{
	char *p = tmp_path("r.txt");
	struct hg_linebuf lb = { 0 };
	struct collected c = { 0 };
	struct hg_read_result r;
	int64_t off = 0, ln = 0;
	int fd;

	append_str(p, "aaa\r\nbbb\n\nccc\npartial");
	fd = open(p, O_RDONLY);
	r = hg_read_lines(fd, &off, &ln, &lb, 4, collect, &c);
	ck_assert_int_eq(r.more, 1);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.lines[0], "aaa");
	r = hg_read_lines(fd, &off, &ln, &lb, 0, collect, &c);
	ck_assert_int_eq(r.more, 0);
	ck_assert_int_eq(c.n, 4);
	ck_assert_str_eq(c.lines[1], "bbb");
	ck_assert_str_eq(c.lines[2], "");	/* an empty line is delivered */
	ck_assert_str_eq(c.lines[3], "ccc");
	ck_assert_int_eq(ln, 4);
	ck_assert_int_eq(r.pending, 7);
	ck_assert_int_eq(off, 14);
	close(fd);
	hg_linebuf_free(&lb);
	free(p);
}
END_TEST

struct lens {
	int n;
	size_t len[8];
	int64_t at[8];
	char head[8][8];
};

static int
collect_len(void *ctx, const char *line, size_t len, int64_t offset, int64_t line_no)
{
	struct lens *c = ctx;

	(void)line_no;
	if (c->n < 8) {
		c->len[c->n] = len;
		c->at[c->n] = offset;
		snprintf(c->head[c->n], sizeof(c->head[0]), "%.*s", (int)(len < 7 ? len : 7), line);
	}
	c->n++;
	return 0;
}

/* A line that arrives in pieces, none with a newline until the last, is
 * delivered whole and once, at the right offset, and the partial line is
 * never held between calls (the buffer is back to its chunk size). */
START_TEST(test_reader_resume_partial_line)
{
	char *p = tmp_path("grow.txt");
	struct hg_linebuf lb = { 0 };
	struct lens c = { 0 };
	struct hg_read_result r;
	int64_t off = 0, ln = 0, clean = 0;
	size_t piece = 64 * 1024, total = 3 * HG_READER_CHUNK + 123, done = 0;
	char *buf = malloc(piece + 1);
	int fd;

	memset(buf, 'y', piece);
	append_str(p, "first\n");
	fd = open(p, O_RDONLY);
	while (done < total) {
		size_t n = total - done < piece ? total - done : piece;

		buf[n] = '\0';
		append_str(p, buf);
		done += n;
		r = hg_read_lines_resume(fd, &off, &ln, &clean, &lb, 0, collect_len, &c);
		ck_assert_int_eq(r.err, 0);
		ck_assert_int_eq(r.pending, (int64_t)done);
		ck_assert_int_eq(clean, (int64_t)done);
		ck_assert_uint_eq(lb.cap, HG_READER_CHUNK);
	}
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(off, 6);
	append_str(p, "\nlast\npart");
	r = hg_read_lines_resume(fd, &off, &ln, &clean, &lb, 0, collect_len, &c);
	ck_assert_int_eq(c.n, 3);
	ck_assert_str_eq(c.head[0], "first");
	ck_assert_uint_eq(c.len[1], total);
	ck_assert_int_eq(c.at[1], 6);
	ck_assert_str_eq(c.head[1], "yyyyyyy");
	ck_assert_str_eq(c.head[2], "last");
	ck_assert_int_eq(c.at[2], (int64_t)(6 + total + 1));
	ck_assert_int_eq(ln, 3);
	ck_assert_int_eq(off, (int64_t)(6 + total + 1 + 5));
	ck_assert_int_eq(r.pending, 4);
	ck_assert_int_eq(clean, 4);
	ck_assert_uint_eq(lb.cap, HG_READER_CHUNK);
	close(fd);
	hg_linebuf_free(&lb);
	free(buf);
	free(p);
}
END_TEST

static char *
big_line(size_t size)
{
	const char *head = "{\"skill\":\"big\",\"final_status\":\"ok\",\"attempts\":[{\"attempt\":1,"
			   "\"model\":\"m\",\"tier\":\"local\",\"duration_ms\":1,\"warm_start\":true,"
			   "\"verified\":true,\"runner_output\":\"";
	const char *tail = "\"}]}\n";
	char *buf = xmalloc(size + 1);
	size_t h = strlen(head), t = strlen(tail);

	memcpy(buf, head, h);
	memset(buf + h, 'x', size - h - t);
	memcpy(buf + size - t, tail, t);
	buf[size] = '\0';
	return buf;
}

START_TEST(test_huge_line_memory_returns)
{
	char *p = tmp_path("big.jsonl");
	char *line = big_line(5 * 1024 * 1024);
	const char *after = "{\"skill\":\"after\",\"final_status\":\"ok\"}\n";
	struct hg_session *s;

	write_file(p, line, strlen(line), "wb");
	append_str(p, after);
	s = load(p);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert(hg_attempt_has_runner_output(&s->entries[0].attempts[0]));
	ck_assert_int_eq(hg_entry_length(&s->entries[0]), (int64_t)strlen(line) - 1);
	ck_assert_str_eq(hg_entry_str(&s->entries[1], HG_E_SKILL), "after");
	/* The read buffer went back to its normal size. */
	ck_assert_uint_le(hg_session_buffer_size(), HG_READER_CHUNK);
	/* The big line can be read again on demand. */
	{
		size_t n;
		char *raw = hg_session_read_line(s, &s->entries[0], &n);

		ck_assert_ptr_nonnull(raw);
		ck_assert_uint_eq(n, strlen(line) - 1);
		ck_assert(memcmp(raw, line, n) == 0);
		free(raw);
	}
	hg_session_free(s);
	free(line);
	free(p);
}
END_TEST

START_TEST(test_truncate_replace_rewrite)
{
	char *p = tmp_path("t.jsonl");
	char *q = tmp_path("t2.jsonl");
	const char *a = "{\"skill\":\"a\",\"final_status\":\"ok\"}\n";
	const char *b = "{\"skill\":\"b\",\"final_status\":\"ok\"}\n";
	const char *z = "{\"skill\":\"z\",\"final_status\":\"ok\"}\n";
	struct hg_session *s;
	struct hg_ingest_result r;

	append_str(p, a);
	append_str(p, b);
	s = load(p);
	ck_assert_uint_eq(s->n_entries, 2);
	/* Truncated: size below offset. */
	write_file(p, z, strlen(z), "wb");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_TRUNCATED);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "z");
	/* Rewritten in place, same size, different first line. */
	write_file(p, a, strlen(a), "r+b");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_REWRITTEN);
	ck_assert_uint_eq(s->n_entries, 1);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "a");
	/* Replaced by rename: new inode. */
	append_str(q, b);
	append_str(q, a);
	ck_assert_int_eq(rename(q, p), 0);
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_REPLACED);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "b");
	/* Deleted. */
	ck_assert_int_eq(unlink(p), 0);
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_GONE);
	ck_assert(s->gone);
	ck_assert_uint_eq(s->n_entries, 2);
	hg_session_free(s);
	free(p);
	free(q);
}
END_TEST

START_TEST(test_tail_first_loading)
{
	char *p = tmp_path("tail.jsonl");
	struct hg_session *s, *full;
	struct hg_ingest_result r;
	char line[160];
	int i, calls = 0;
	size_t k;

	for (i = 1; i <= 200; i++) {
		snprintf(line, sizeof(line), "{\"skill\":\"s%03d\",\"final_status\":\"ok\"}\n", i);
		append_str(p, line);
		if (i % 50 == 0)
			append_str(p, "\n");	/* blank lines count */
	}
	s = hg_session_new(p);
	/* First call: only the newest entries, with provisional numbers. */
	r = hg_session_ingest(s, 1000);
	ck_assert(r.more);
	ck_assert_uint_gt(s->n_entries, 0);
	ck_assert_uint_lt(s->n_entries, 40);
	ck_assert_str_eq(hg_entry_reason(&s->entries[s->n_entries - 1]), "blank line");
	ck_assert_str_eq(hg_entry_str(&s->entries[s->n_entries - 2], HG_E_SKILL), "s200");
	ck_assert_int_ge(hg_entry_line(&s->entries[0]), HG_LINE_PROVISIONAL);
	/* An append while the head is still being read. */
	append_str(p, "{\"skill\":\"s201\",\"final_status\":\"ok\"}\n");
	do {
		unsigned gen = s->generation;

		r = hg_session_ingest(s, 1000);
		ck_assert_int_eq(r.status, HG_INGEST_OK);
		ck_assert(r.more || s->generation != gen);
		ck_assert_int_lt(++calls, 100);
	} while (r.more);
	/* Same entries, same order, same line numbers as a plain read. */
	full = load(p);
	ck_assert_uint_eq(s->n_entries, 205);
	ck_assert_uint_eq(full->n_entries, 205);
	for (k = 0; k < full->n_entries; k++) {
		ck_assert_str_eq(hg_entry_str(&s->entries[k], HG_E_SKILL),
				 hg_entry_str(&full->entries[k], HG_E_SKILL));
		ck_assert_int_eq(hg_entry_line(&s->entries[k]), hg_entry_line(&full->entries[k]));
		ck_assert_int_eq(s->entries[k].offset, full->entries[k].offset);
	}
	ck_assert_int_eq(s->line_no, full->line_no);
	ck_assert_int_eq(hg_session_bytes_read(s), s->offset);
	ck_assert_int_eq(hg_session_find_line(s, 52), 51);
	r = hg_session_ingest(s, 1000);
	ck_assert_int_eq(r.new_entries, 0);
	hg_session_free(s);
	hg_session_free(full);
	free(p);
}
END_TEST

START_TEST(test_not_regular_or_unreadable)
{
	char *fifo = tmp_path("f.jsonl");
	struct hg_session *s;
	struct hg_ingest_result r;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	s = hg_session_new(fifo);
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_ERROR);
	hg_session_free(s);
	s = hg_session_new(tmpdir);
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_ERROR);
	ck_assert_int_eq(r.err, EISDIR);
	hg_session_free(s);
	s = hg_session_new("/nonexistent/x.jsonl");
	r = hg_session_ingest(s, 0);
	ck_assert_int_eq(r.status, HG_INGEST_GONE);
	ck_assert_int_eq(r.err, ENOENT);
	hg_session_free(s);
	free(fifo);
}
END_TEST

START_TEST(test_catalog_dir)
{
	char *a = tmp_path("s-a.jsonl");
	char *b = tmp_path("s-b.jsonl");
	char *other = tmp_path("notes.txt");
	char *paths[1] = { tmpdir };
	static char nodir[] = "/nonexistent-dir/x.jsonl";
	struct hg_catalog c;
	char err[256];

	append_str(a, "{\"skill\":\"a\",\"final_status\":\"ok\"}\n");
	append_str(other, "x\n");
	ck_assert_int_eq(hg_catalog_open(&c, 1, paths, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_str_eq(c.sessions[0]->id, "s-a");
	append_str(b, "{\"skill\":\"b\",\"final_status\":\"ok\"}\n");
	ck_assert_int_eq(hg_catalog_scan(&c), 1);
	ck_assert_ptr_nonnull(find_session(&c, "s-b.jsonl"));
	ck_assert_int_eq(unlink(a), 0);
	ck_assert_int_eq(hg_catalog_scan(&c), 0);
	ck_assert(find_session(&c, "s-a.jsonl")->gone);
	hg_catalog_free(&c);
	paths[0] = nodir;
	ck_assert_int_eq(hg_catalog_open(&c, 1, paths, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent-dir/x.jsonl: No such file or directory");
	hg_catalog_free(&c);
	free(a);
	free(b);
	free(other);
}
END_TEST

START_TEST(test_find_line_and_chain)
{
	struct hg_session *s = load_fixture("malformed.jsonl");
	char chain[64];
	struct hg_session *f;

	ck_assert_int_eq(hg_session_find_line(s, 12), 11);
	ck_assert_int_eq(hg_session_find_line(s, 11), 10);
	ck_assert_int_eq(hg_session_find_line(s, 13), -1);
	f = load_fixture("full.jsonl");
	hg_entry_chain(&f->entries[0], "->", chain, sizeof(chain));
	ck_assert_str_eq(chain, "local->subagent");
	hg_entry_chain(&f->entries[1], "->", chain, sizeof(chain));
	ck_assert_str_eq(chain, "local->managed");
	hg_session_free(s);
	hg_session_free(f);
}
END_TEST

/* A chain longer than HG_CHAIN_MAX shows its first and last tiers around
 * an ellipsis, however many attempts the line has. */
START_TEST(test_long_chain_summarised)
{
	struct hg_buf line = { 0 }, out = { 0 };
	struct hg_entry e = { 0 };
	char chain[128];
	int i;

	hg_buf_adds(&line, "{\"skill\":\"x\",\"attempts\":[");
	for (i = 1; i <= 5000; i++)
		hg_buf_printf(&line, "%s{\"attempt\":%d,\"tier\":\"%s\",\"verdict\":\"escalate\"}",
			      i > 1 ? "," : "", i, i == 4999 ? "subagent" : i == 5000 ? "managed" : "local");
	hg_buf_adds(&line, "]}");
	hg_parse_line(line.p, line.len, &e);
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	ck_assert_uint_eq(e.n_attempts, 5000);
	hg_entry_chain(&e, "→", chain, sizeof(chain));
	ck_assert_str_eq(chain, "local→local→local→local→…→local→subagent→managed");
	hg_entry_chain(&e, "->", chain, sizeof(chain));
	ck_assert_str_eq(chain, "local->local->local->local->...->local->subagent->managed");
	/* Cut where a name ends when the buffer is short. */
	hg_entry_chain(&e, "->", chain, 16);
	ck_assert_str_eq(chain, "local->...");
	/* Up to HG_CHAIN_MAX attempts, every tier is shown. */
	e.n_attempts = HG_CHAIN_MAX;
	hg_entry_chain_add(&e, "→", "…", &out);
	ck_assert_str_eq(out.p, "local→local→local→local→local→local→local→local");
	e.n_attempts = 5000;
	hg_entry_free(&e);
	hg_buf_free(&line);
	hg_buf_free(&out);
}
END_TEST

START_TEST(test_format_helpers)
{
	char buf[32];

	hg_fmt_duration(buf, sizeof(buf), 850);
	ck_assert_str_eq(buf, "850ms");
	hg_fmt_duration(buf, sizeof(buf), 4250);
	ck_assert_str_eq(buf, "4.2s");
	hg_fmt_duration(buf, sizeof(buf), 185000);
	ck_assert_str_eq(buf, "3m05s");
	hg_fmt_age(buf, sizeof(buf), 12);
	ck_assert_str_eq(buf, "12s");
	hg_fmt_age(buf, sizeof(buf), 3 * 3600 + 5);
	ck_assert_str_eq(buf, "3h");
	hg_fmt_age(buf, sizeof(buf), 2 * 86400);
	ck_assert_str_eq(buf, "2d");
	hg_fmt_count(buf, sizeof(buf), 48210);
	ck_assert_str_eq(buf, "48,210");
	hg_fmt_count(buf, sizeof(buf), 1000000);
	ck_assert_str_eq(buf, "1,000,000");
	hg_fmt_count(buf, sizeof(buf), 999);
	ck_assert_str_eq(buf, "999");
	ck_assert_ptr_eq(hg_intern("abc"), hg_intern("abc"));
	ck_assert_ptr_nonnull(hg_memcasemem("Hello World", 11, "wORLD", 5));
	ck_assert_ptr_null(hg_memcasemem("Hello", 5, "xyz", 3));
}
END_TEST

/* An attempt's number and duration round-trip whatever their size: kept
 * in 32 bits when both fit, else through one interned text. */
START_TEST(test_attempt_numbers)
{
	static const int64_t v[] = { 0, 1, -1, INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1,
				     (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN, 9007199254740993 };
	static const uint32_t fb[] = { 0, 7, (1u << 23) - 1, 1u << 23, UINT32_MAX };
	struct hg_attempt a = { 0 };
	struct hg_attempt_info in = { hg_sym_of("qwen"), 0, true, false, true, false }, out;

	/* A zeroed attempt says number 0 and duration 0 (as Go leaves a
	 * missing field); the number held as the place, where it is one. */
	ck_assert(hg_attempt_no(&a, 3) == 0 && hg_attempt_ms(&a) == 0);
	for (uint32_t at = 0; at < 5; at += 4)
		for (size_t i = 0; i < HG_ARRAY_SIZE(v); i++)
			for (size_t k = 0; k < HG_ARRAY_SIZE(v); k++)
				for (size_t j = 0; j < HG_ARRAY_SIZE(fb); j++) {
					int64_t no = i == 1 ? at + 1 : v[i];

					hg_attempt_set_feedback_len(&a, at,
								    fb[(j + 1) % HG_ARRAY_SIZE(fb)]);
					hg_attempt_set_numbers(&a, at, no, v[k]);
					hg_attempt_set_feedback_len(&a, at, fb[j]);
					ck_assert(hg_attempt_no(&a, at) == no);
					ck_assert(hg_attempt_ms(&a) == v[k]);
					ck_assert(hg_attempt_feedback_len(&a) == fb[j]);
					ck_assert(a.wide == ((no != 0 && no != at + 1) ||
							     v[k] != (int32_t)v[k] || fb[j] >= 1u << 23));
				}
	/* What else it says, with its tier and verdict texts. */
	hg_attempt_set_info(&a, &in);
	hg_attempt_set(&a, "edge", "accept");
	out = hg_attempt_info(&a);
	ck_assert(out.model == in.model && out.warm_start && !out.verified &&
		  out.has_output_summary && !out.has_runner_output);
	ck_assert_str_eq(hg_attempt_tier(&a), "edge");
	ck_assert_str_eq(hg_attempt_verdict(&a), "accept");
	ck_assert(hg_attempt_warm(&a) && hg_attempt_has_output_summary(&a) &&
		  !hg_attempt_verified(&a));
	hg_attempt_set(&a, "local", "error");
	ck_assert_uint_eq(hg_attempt_odd(&a), 0);
	ck_assert_str_eq(hg_sym_str(hg_attempt_model(&a)), "qwen");
	ck_assert_uint_eq(a.tier, HG_TIER_LOCAL);
	in = (struct hg_attempt_info){ 0 };
	hg_attempt_set_info(&a, &in);
	ck_assert_uint_eq(a.info, 0);
}
END_TEST

/* An entry's fields held in fewer bytes read back as they were set: a
 * place past 32 bits (and a provisional line number of tail-first
 * loading) survives a parse of the line into the same entry and its
 * failure; a long message's length; the six short strings, one at a time,
 * share one record with every entry that has the same ones; the tier and
 * verdict masks are those of the attempts. */
START_TEST(test_entry_fields)
{
	static const int64_t lens[] = { 0, 1, UINT32_MAX, (int64_t)UINT32_MAX + 1, INT64_MAX };
	static const int64_t lines[] = { 1, INT32_MAX, (int64_t)INT32_MAX + 1, (int64_t)UINT32_MAX + 7,
					 HG_LINE_PROVISIONAL, HG_LINE_PROVISIONAL + 12345,
					 HG_LINE_PROVISIONAL + INT32_MAX,
					 HG_LINE_PROVISIONAL + (int64_t)INT32_MAX + 1 };
	static const char ok[] = "{\"skill\":\"s\",\"attempts\":[{\"tier\":\"managed\","
				 "\"verdict\":\"error\"},{\"tier\":\"local\",\"verdict\":\"accept\"}]}";
	struct hg_entry e = { 0 }, f = { 0 };

	for (size_t i = 0; i < HG_ARRAY_SIZE(lens); i++)
		for (size_t k = 0; k < HG_ARRAY_SIZE(lines); k++) {
			memset(&e, 0, sizeof(e));
			e.offset = 5;
			hg_entry_set_place(&e, lens[i], lines[k]);
			ck_assert(hg_entry_length(&e) == lens[i]);
			ck_assert(hg_entry_line(&e) == lines[k]);
			hg_parse_line(k % 2 ? "{" : ok, k % 2 ? 1 : strlen(ok), &e);
			ck_assert(e.kind == (k % 2 ? HG_ENTRY_UNPARSABLE : HG_ENTRY_OK));
			ck_assert(e.offset == 5);
			ck_assert(hg_entry_length(&e) == lens[i]);
			ck_assert(hg_entry_line(&e) == lines[k]);
			hg_entry_free(&e);
		}
	hg_parse_line(ok, strlen(ok), &e);
	ck_assert_uint_eq(hg_entry_tier_mask(&e), 1u << HG_TIER_MANAGED | 1u << HG_TIER_LOCAL);
	ck_assert_uint_eq(hg_entry_verdict_mask(&e),
			  1u << HG_VERDICT_ERROR | 1u << HG_VERDICT_ACCEPT);
	for (uint32_t n = 0; n < 200000; n = n * 3 + 1) {
		hg_entry_set_message_len(&e, n);
		ck_assert_uint_eq(hg_entry_message_len(&e), n);
	}
	hg_entry_set_message_len(&e, UINT32_MAX);
	ck_assert_uint_eq(hg_entry_message_len(&e), UINT32_MAX);
	ck_assert_str_eq(hg_entry_str(&e, HG_E_SKILL), "s");
	ck_assert_str_eq(hg_entry_str(&f, HG_E_SKILL), "");
	for (int i = HG_E_STRS - 1; i >= 0; i--) {
		char v[2] = { (char)('a' + i), 0 };

		hg_entry_set_sym(&f, (enum hg_entry_str)i, hg_sym_of(v));
	}
	hg_entry_set_sym(&e, HG_E_SKILL, 0);
	for (int i = 0; i < HG_E_STRS; i++) {
		char v[2] = { (char)('a' + i), 0 };

		ck_assert_str_eq(hg_entry_str(&f, (enum hg_entry_str)i), v);
		hg_entry_set_sym(&e, (enum hg_entry_str)i, hg_sym_of(v));
	}
	ck_assert_uint_eq(e.strs, f.strs);
	for (int i = 0; i < HG_E_STRS; i++)
		hg_entry_set_sym(&f, (enum hg_entry_str)i, 0);
	ck_assert_uint_eq(f.strs, 0);
	hg_entry_free(&e);
}
END_TEST

/* The first place where needle occurs in any case, found one place at a
 * time: what hg_memcasemem must answer. */
static const char *
slow_casemem(const char *h, size_t hn, const char *n, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t k;

		for (k = 0; k < nn; k++) {
			int a = (unsigned char)h[i + k], b = (unsigned char)n[k];

			if ((a >= 'A' && a <= 'Z' ? a | 0x20 : a) != (b >= 'A' && b <= 'Z' ? b | 0x20 : b))
				break;
		}
		if (k == nn)
			return h + i;
	}
	return NULL;
}

/* Haystacks of a few letters (the needle's first letter everywhere, as
 * 't' is in English), with the needle at every place and every length,
 * in both cases, next to bytes that differ from a letter by 0x20 only
 * ('@' and '`', '[' and '{') and bytes past 0x7f. */
START_TEST(test_memcasemem)
{
	static const char alphabet[] = "tTeEsS@`[{\xc3\xa9";
	char hay[80], needle[12];
	unsigned seed = 7;

	for (int round = 0; round < 20000; round++) {
		size_t hn = (seed = seed * 1103515245u + 12345u) >> 16 & 63;
		size_t nn = 1 + ((seed = seed * 1103515245u + 12345u) >> 16) % 10;

		for (size_t i = 0; i < hn; i++)
			hay[i] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) %
					  (sizeof(alphabet) - 1)];
		for (size_t i = 0; i < nn; i++)
			needle[i] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) %
					     (sizeof(alphabet) - 1)];
		if (round % 3 == 0 && hn >= nn) {
			/* Planted, in the other case, at any place (the last too). */
			size_t at = ((seed = seed * 1103515245u + 12345u) >> 16) % (hn - nn + 1);

			for (size_t i = 0; i < nn; i++)
				hay[at + i] = (char)(isalpha((unsigned char)needle[i]) ?
						     needle[i] ^ 0x20 : needle[i]);
		}
		ck_assert_msg(hg_memcasemem(hay, hn, needle, nn) == slow_casemem(hay, hn, needle, nn),
			      "round %d: hay %.*s needle %.*s", round, (int)hn, hay, (int)nn, needle);
	}
	ck_assert_ptr_eq(hg_memcasemem("x@y", 3, "`", 1), NULL);
	ck_assert_ptr_eq(hg_memcasemem("A[b", 3, "{B", 2), NULL);
}
END_TEST

/* The fast path (skipping runner_output/output_summary) and the full
 * parse must agree on every field the model keeps. */
static void
assert_same_entry(const struct hg_entry *a, const struct hg_entry *b, const char *line)
{
	uint32_t i;

	ck_assert_msg(a->kind == b->kind, "kind differs for %.200s", line);
	if (a->kind == HG_ENTRY_UNPARSABLE) {
		ck_assert_str_eq(hg_entry_reason(a), hg_entry_reason(b));
		return;
	}
	ck_assert_ptr_eq(hg_entry_str(a, HG_E_SKILL), hg_entry_str(b, HG_E_SKILL));
	ck_assert_ptr_eq(hg_entry_str(a, HG_E_SESSION_ID), hg_entry_str(b, HG_E_SESSION_ID));
	ck_assert_ptr_eq(hg_entry_str(a, HG_E_FINAL_STATUS), hg_entry_str(b, HG_E_FINAL_STATUS));
	ck_assert_int_eq(a->ts_ns, b->ts_ns);
	ck_assert_int_eq(hg_entry_ms(a), hg_entry_ms(b));
	ck_assert_uint_eq(hg_entry_message_len(a), hg_entry_message_len(b));
	ck_assert_uint_eq(a->n_attempts, b->n_attempts);
	ck_assert_int_eq(a->has_input, b->has_input);
	for (i = 0; i < a->n_attempts; i++) {
		const struct hg_attempt *x = &a->attempts[i], *y = &b->attempts[i];

		ck_assert_ptr_eq(hg_sym_str(hg_attempt_model(x)), hg_sym_str(hg_attempt_model(y)));
		ck_assert_int_eq(x->tier, y->tier);
		ck_assert_int_eq(x->verdict, y->verdict);
		ck_assert_int_eq(hg_attempt_ms(x), hg_attempt_ms(y));
		ck_assert_int_eq(hg_attempt_warm(x), hg_attempt_warm(y));
		ck_assert_int_eq(hg_attempt_verified(x), hg_attempt_verified(y));
		ck_assert_uint_eq(hg_attempt_feedback_len(x), hg_attempt_feedback_len(y));
		ck_assert_int_eq(hg_attempt_has_output_summary(x),
				 hg_attempt_has_output_summary(y));
		ck_assert_int_eq(hg_attempt_has_runner_output(x), hg_attempt_has_runner_output(y));
	}
}

static void
compare_paths(const char *line, size_t len)
{
	struct hg_entry a = { 0 }, b = { 0 };

	hg_parse_line(line, len, &a);
	hg_parse_line_full(line, len, &b);
	assert_same_entry(&a, &b, line);
	hg_entry_free(&a);
	hg_entry_free(&b);
}

#define PAD_FMT "{\"skill\":\"pad\",\"final_status\":\"ok\",\"message\":\"%s\"," \
		"\"attempts\":[{\"attempt\":1,\"model\":\"m\",\"tier\":\"local\",\"duration_ms\":1," \
		"\"warm_start\":true,\"verified\":true,\"runner_output\":\"%s\",\"output_summary\":\"%s\"}]}"

START_TEST(test_fast_path_equivalence)
{
	/* Lines of 2 KB to 450 KB, median 7 KB (see struct hg_gen_knot). */
	static const struct hg_gen_knot large_knots[] = {
		{ 0.0, 1700 }, { 0.5, 6800 }, { 0.9, 21000 }, { 0.97, 90000 },
		{ 0.99, 365000 }, { 1.0, 450000 },
	};
	static const char *values[] = {
		"plain", "", "esc \\u001b[31mred\\u001b[0m", "\\ud83d\\ude00", "bad \\q escape",
		"lone \\udc00", "high \\ud800 alone", "short \\u12", "\\u12", "bad hex \\u12zz ok",
		"quote \\\" inside", "backslash \\\\", "\\\\\\\"", "trailing \\", "\\ud800\\u0041",
		"\\\"runner_output\\\":\\\"fake\\\"",
	};
	struct hg_gen g;
	struct hg_gen_opts o;
	struct hg_buf b = { 0 };
	char *filler = xmalloc(3000);
	size_t i, j;

	memset(filler, 'f', 2999);
	filler[2999] = '\0';
	for (i = 0; i < HG_ARRAY_SIZE(values); i++) {
		for (j = 0; j < HG_ARRAY_SIZE(values); j++) {
			char *line = xasprintf(PAD_FMT, filler, values[i], values[j]);

			compare_paths(line, strlen(line));
			/* Truncated and corrupted variants. */
			compare_paths(line, strlen(line) - 3);
			free(line);
		}
	}
	hg_gen_opts_init(&o);
	o.knots = large_knots;
	o.n_knots = HG_ARRAY_SIZE(large_knots);
	o.malformed_rate = 0.05;
	hg_gen_init(&g, 42, 1795514645000000000LL);
	for (i = 0; i < 300; i++) {
		hg_buf_reset(&b);
		hg_gen_entry(&g, &b, "s-eq", &o);
		compare_paths(b.p, b.len - 1);
	}
	hg_gen_free(&g);
	hg_buf_free(&b);
	free(filler);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("parser");
	TCase *io = tcase_create("io");

	tcase_add_test(tc, test_every_field);
	tcase_add_test(tc, test_omitempty_absent);
	tcase_add_test(tc, test_go_escapes);
	tcase_add_test(tc, test_surrogates_unknown_values);
	tcase_add_test(tc, test_input_any_type);
	tcase_add_test(tc, test_malformed_lines);
	tcase_add_test(tc, test_crlf_blank_empty);
	tcase_add_test(tc, test_time_parse_format);
	tcase_add_test(tc, test_find_line_and_chain);
	tcase_add_test(tc, test_long_chain_summarised);
	tcase_add_test(tc, test_format_helpers);
	tcase_add_test(tc, test_memcasemem);
	tcase_add_test(tc, test_attempt_numbers);
	tcase_add_test(tc, test_entry_fields);
	tcase_add_test(tc, test_fast_path_equivalence);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(io, setup_tmp, teardown_tmp);
	tcase_set_timeout(io, 60);
	tcase_add_test(io, test_partial_line_waits);
	tcase_add_test(io, test_line_split_many_writes);
	tcase_add_test(io, test_reader_chunks_and_max_bytes);
	tcase_add_test(io, test_reader_resume_partial_line);
	tcase_add_test(io, test_reader_line_limit);
	tcase_add_test(io, test_huge_line_memory_returns);
	tcase_add_test(io, test_truncate_replace_rewrite);
	tcase_add_test(io, test_not_regular_or_unreadable);
	tcase_add_test(io, test_tail_first_loading);
	tcase_add_test(io, test_catalog_dir);
	suite_add_tcase(s, io);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
