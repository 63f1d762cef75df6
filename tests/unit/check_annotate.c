/* check_annotate.c - unit tests of the annotation writer and of how
 * annotations attach to the entries they annotate.
 *
 * Run with arguments it is also a small tool for the shell tests:
 *   check_annotate annotate FILE LINE ATTEMPT AUTHOR TEXT
 * appends one annotation on the entry at LINE (ATTEMPT -: the entry). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "hgtop/annotate.h"
#include "hgtop/parser.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

#include "tmpdir.h"

/* 2026-11-24T10:05:00.5Z */
#define NOW_NS (1795514700LL * 1000000000LL + 500000000LL)

#define ENTRY1 "{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T11:04:05.120+01:00\"," \
	"\"skill\":\"write-file\",\"attempts\":[{\"attempt\":1,\"model\":\"m\",\"tier\":\"local\"," \
	"\"duration_ms\":5,\"warm_start\":false,\"verified\":true,\"verdict\":\"escalate\"}," \
	"{\"attempt\":2,\"model\":\"n\",\"tier\":\"managed\",\"duration_ms\":7," \
	"\"warm_start\":false,\"verified\":true,\"verdict\":\"accept\"}],\"final_status\":\"ok\"}"
#define ENTRY2 "{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T10:05:00Z\"," \
	"\"skill\":\"refactor\",\"final_status\":\"failed\"}"

static char errbuf[256];

static void
setup_tmp(void)
{
	tmpdir_create("ann");
	setenv("TZ", "UTC", 1);
	tzset();
	unsetenv("HGTOP_TEST_WRITE_ERROR");
}

static void
write_file(const char *path, const char *data, size_t n, const char *mode)
{
	FILE *f = fopen(path, mode);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct hg_buf b = { 0 };
	char chunk[65536];
	size_t r;

	ck_assert_ptr_nonnull(f);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hg_buf_add(&b, chunk, r);
	fclose(f);
	hg_buf_addc(&b, '\0');
	*len = b.len - 1;
	return b.p;
}

static struct hg_session *
load(const char *path)
{
	struct hg_session *s = hg_session_new(path);
	struct hg_ingest_result r = hg_session_ingest(s, 0);

	ck_assert_int_eq(r.status, HG_INGEST_OK);
	return s;
}

/* A session file "s-1.jsonl" holding ENTRY1 and ENTRY2. */
static struct hg_session *
make_session(char **path)
{
	*path = tmp_path("s-1.jsonl");
	write_file(*path, ENTRY1 "\n" ENTRY2 "\n", strlen(ENTRY1 ENTRY2) + 2, "wb");
	return load(*path);
}

/* Build and append; returns the append result. */
static int
annotate(struct hg_session *s, size_t target, int64_t attempt, const char *author,
	 const char *text)
{
	struct hg_buf b = { 0 };
	int rc;

	errbuf[0] = '\0';
	rc = hg_annotate_build(&b, s, &s->entries[target], attempt, author, text, NOW_NS,
			       errbuf, sizeof(errbuf));
	ck_assert_msg(rc == 0, "build: %s", errbuf);
	rc = hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf));
	hg_buf_free(&b);
	return rc;
}

static bool
has_raw_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20)
			return true;
	return false;
}

/* Exact shape */

START_TEST(test_exact_line)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "flaky test, ignore",
					   NOW_NS, errbuf, sizeof(errbuf)), 0);
	ck_assert_str_eq(b.p, "{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T10:05:00.5Z\","
			 "\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":1,"
			 "\"target_timestamp\":\"2026-11-24T11:04:05.120+01:00\","
			 "\"target_skill\":\"write-file\",\"author\":\"kai\"},"
			 "\"final_status\":\"annotation\",\"message\":\"flaky test, ignore\"}\n");

	/* An attempt: target_attempt between target_skill and author; the
	 * local zone is written as Go writes it. */
	hg_buf_reset(&b);
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], 2, "kai", "x", NOW_NS - 500000000LL,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert_str_eq(b.p, "{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T15:35:00+05:30\","
			 "\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":1,"
			 "\"target_timestamp\":\"2026-11-24T11:04:05.120+01:00\","
			 "\"target_skill\":\"write-file\",\"target_attempt\":2,\"author\":\"kai\"},"
			 "\"final_status\":\"annotation\",\"message\":\"x\"}\n");
	hg_buf_reset(&b);
	setenv("TZ", "America/New_York", 1);
	tzset();
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[1], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS + 7,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "\"timestamp\":\"2026-11-24T05:05:00.500000007-05:00\""));
	ck_assert_ptr_nonnull(strstr(b.p, "\"target_line\":2,\"target_timestamp\":\"2026-11-24T10:05:00Z\""));
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_session_id_fallback)
{
	char *path = tmp_path("s-9.jsonl");
	const char *line = "{\"timestamp\":\"2026-11-24T10:05:00Z\",\"skill\":\"a\",\"final_status\":\"ok\"}\n";
	struct hg_session *s;
	struct hg_buf b = { 0 };

	write_file(path, line, strlen(line), "wb");
	s = load(path);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "{\"session_id\":\"s-9\","));
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

/* Hostile texts */

struct hostile {
	const char *text;
	const char *expect;	/* what reads back; NULL: the text itself */
};

static const struct hostile hostile[] = {
	{ "say \"hi\" \\o/ \\\" \\u0041 </script> & <b>", NULL },
	{ "line one\nline two\r\n\ttabbed", NULL },
	{ "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m", NULL },
	{ "del\x7f and C1 \xc2\x85\xc2\x9b", NULL },
	{ "emoji \xf0\x9f\x98\x80\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb cjk \xe6\xbc\xa2\xe5\xad\x97", NULL },
	{ "rtl \xe2\x80\xae" "cba\xe2\x80\xac \xe2\x80\xa8 ls \xe2\x80\xa9 ps", NULL },
	{ "bad \xff byte", "bad \xef\xbf\xbd byte" },
	{ "cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd" },
	{ "overlong \xc0\xaf.", "overlong \xef\xbf\xbd\xef\xbf\xbd." },
	{ "surrogate \xed\xa0\x80!", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!" },
	{ "lone \x80\xbf cont", "lone \xef\xbf\xbd\xef\xbf\xbd cont" },
};

/* Parse line (ending in '\n') with hgtop's parser and check it is an
 * annotation of entry 1 by kai carrying expect. */
static void
check_parses_back(const char *line, size_t len, const char *expect)
{
	struct hg_entry e;

	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(line[len - 1], '\n');
	ck_assert_msg(!has_raw_control(line, len - 1), "raw control byte in %s", line);
	memset(&e, 0, sizeof(e));
	hg_parse_line(line, len - 1, &e);
	ck_assert_msg(e.kind == HG_ENTRY_ANNOTATION, "not parsed: %s", hg_entry_reason(&e) ? hg_entry_reason(&e) : "");
	ck_assert_str_eq(hg_entry_str(&e, HG_E_SKILL), "hgtop.annotate");
	ck_assert_str_eq(hg_entry_str(&e, HG_E_FINAL_STATUS), "annotation");
	ck_assert_int_eq(hg_entry_note(&e)->target_line, 1);
	ck_assert_str_eq(hg_entry_note(&e)->target_skill, "write-file");
	ck_assert_str_eq(hg_entry_note(&e)->author, "kai");
	ck_assert(hg_entry_note(&e)->has_target_ts);
	ck_assert_uint_eq(hg_entry_message_len(&e), strlen(expect));
	ck_assert_ptr_nonnull(hg_entry_message(&e));
	ck_assert_mem_eq(hg_entry_message(&e), expect, strlen(expect));
	hg_entry_free(&e);
}

START_TEST(test_hostile_texts)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	char ctl[0x21];
	size_t i;
	int c;

	for (i = 0; i < HG_ARRAY_SIZE(hostile); i++) {
		const char *expect = hostile[i].expect ? hostile[i].expect : hostile[i].text;

		hg_buf_reset(&b);
		ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", hostile[i].text,
						   NOW_NS, errbuf, sizeof(errbuf)), 0);
		check_parses_back(b.p, b.len, expect);
	}
	/* Every C0 control character, each as a whole text and all together. */
	for (c = 1; c < 0x20; c++) {
		char one[2] = { (char)c, '\0' };

		ctl[c - 1] = (char)c;
		hg_buf_reset(&b);
		ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", one, NOW_NS,
						   errbuf, sizeof(errbuf)), 0);
		check_parses_back(b.p, b.len, one);
	}
	ctl[0x1f] = '\x7f';
	ctl[0x20] = '\0';
	hg_buf_reset(&b);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", ctl, NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	check_parses_back(b.p, b.len, ctl);
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_hostile_author)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	struct hg_entry e;

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "k\"a\n\xffi", "t", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert(!has_raw_control(b.p, b.len - 1));
	memset(&e, 0, sizeof(e));
	hg_parse_line(b.p, b.len - 1, &e);
	ck_assert_int_eq(e.kind, HG_ENTRY_ANNOTATION);
	ck_assert_str_eq(hg_entry_note(&e)->author, "k\"a\n\xef\xbf\xbdi");
	hg_entry_free(&e);
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

/* Everything appended to the file reads back through the session, attached
 * to its target, with the whole text (also one too long to keep). */
START_TEST(test_round_trip_file)
{
	char *path;
	struct hg_session *s = make_session(&path);
	size_t big_n = 100 * 1024, i, len;
	char *big = xmalloc(big_n + 1), *got;

	for (i = 0; i < big_n; i++)
		big[i] = (char)(i % 97 == 0 ? '\n' : i % 89 == 0 ? '"' : 'a' + (int)(i % 26));
	big[big_n] = '\0';
	for (i = 0; i < HG_ARRAY_SIZE(hostile); i++)
		ck_assert_msg(annotate(s, 0, HG_ANNOTATE_ENTRY, "kai", hostile[i].text) == 0, "%s", errbuf);
	ck_assert_msg(annotate(s, 0, 1, "kai", big) == 0, "%s", errbuf);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 2 + HG_ARRAY_SIZE(hostile) + 1);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert_int_eq(s->n_annotations, (int64_t)HG_ARRAY_SIZE(hostile) + 1);
	for (i = 0; i < HG_ARRAY_SIZE(hostile); i++) {
		const char *expect = hostile[i].expect ? hostile[i].expect : hostile[i].text;

		ck_assert_int_eq(hg_annotate_target(s, 2 + i), 0);
		got = hg_annotate_read_text(s, &s->entries[2 + i], &len);
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, expect);
		free(got);
	}
	i = s->n_entries - 1;
	ck_assert_int_eq(hg_annotate_target(s, i), 0);
	ck_assert_int_eq(hg_entry_note(&s->entries[i])->target_attempt, 1);
	ck_assert_int_eq(hg_annotate_attempt_index(&s->entries[0], &s->entries[i]), 0);
	ck_assert_uint_eq(hg_entry_message_len(&s->entries[i]), big_n);
	got = hg_annotate_read_text(s, &s->entries[i], &len);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, big_n);
	ck_assert_str_eq(got, big);
	free(got);
	free(big);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_too_long_refused)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	size_t n = 300 * 1024;
	char *text = xmalloc(n + 1);

	/* 300 KB of control characters is 1.8 MB of JSON escapes. */
	memset(text, '\x01', n);
	text[n] = '\0';
	hg_buf_adds(&b, "kept");
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", text, NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "too long"));
	ck_assert_str_eq(b.p, "kept");
	hg_buf_free(&b);
	free(text);
	hg_session_free(s);
	free(path);
}
END_TEST

/* hyperguild's Read takes a line of 1,048,575 bytes (its newline makes
 * the 1 MiB buffer full), not one byte more. */
START_TEST(test_longest_line_read_by_go)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	size_t overhead, n;
	char *text;

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	overhead = b.len - 1 - 1;	/* the newline and the one-byte text */
	n = 1048575 - overhead;
	text = xmalloc(n + 2);
	memset(text, 'x', n + 1);
	text[n] = '\0';
	hg_buf_reset(&b);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", text, NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert_uint_eq(b.len, 1048575 + 1);
	text[n] = 'x';
	text[n + 1] = '\0';
	hg_buf_reset(&b);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", text, NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "1,048,576 bytes"));
	hg_buf_free(&b);
	free(text);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_bad_targets_refused)
{
	char *path = tmp_path("s-2.jsonl");
	const char *data = ENTRY1 "\nnot json\n";
	struct hg_session *s;
	struct hg_buf b = { 0 };

	write_file(path, data, strlen(data), "wb");
	s = load(path);
	ck_assert_int_eq(annotate(s, 0, HG_ANNOTATE_ENTRY, "kai", "on the entry"), 0);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[1], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "line 2 is unparsable; nothing to annotate");
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[2], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "line 3 is an annotation; annotate its entry instead");
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], 3, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "entry has no attempt #3");
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "", NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "empty note; nothing written");
	ck_assert_uint_eq(b.len, 0);
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

/* Set the file's mtime to SECS seconds ago. */
static void
age_file(const char *path, int secs)
{
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= secs;
	t[1] = t[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* A writer is in the middle of a line (the file ends without '\n' and
 * changed just now): the note is refused, the file is unchanged; the
 * writer's line, once finished, parses. */
START_TEST(test_writer_mid_line_refused)
{
	char *path;
	struct hg_session *s = make_session(&path);
	const char *partial = "{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T10:06:00Z\","
			      "\"skill\":\"wri";
	const char *rest = "ter\",\"final_status\":\"ok\"}\n";
	size_t before, after;
	char *old, *now;

	write_file(path, partial, strlen(partial), "ab");
	old = slurp(path, &before);
	ck_assert_int_eq(annotate(s, 1, HG_ANNOTATE_ENTRY, "kai", "in the middle"), -1);
	ck_assert_str_eq(errbuf, "a writer is in the middle of a line: try again in a moment");
	now = slurp(path, &after);
	ck_assert_uint_eq(after, before);
	ck_assert_mem_eq(now, old, before);
	/* A time ahead of the clock is no proof of a dead writer either. */
	age_file(path, -60);
	ck_assert_int_eq(annotate(s, 1, HG_ANNOTATE_ENTRY, "kai", "in the middle"), -1);
	write_file(path, rest, strlen(rest), "ab");
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert_str_eq(hg_entry_str(&s->entries[2], HG_E_SKILL), "writer");
	/* Ending in '\n', a fresh file takes the note at once. */
	ck_assert_int_eq(annotate(s, 1, HG_ANNOTATE_ENTRY, "kai", "after it"), 0);
	free(old);
	free(now);
	hg_session_free(s);
	free(path);
}
END_TEST

/* The file ends mid-line and has been quiet (a writer died): the
 * annotation starts on a new line, the partial line stays its own
 * (unparsable) line. */
START_TEST(test_file_without_newline)
{
	char *path;
	struct hg_session *s = make_session(&path);
	const char *partial = "{\"session_id\":\"s-1\",\"timest";
	size_t before, after;
	char *old, *now;

	write_file(path, partial, strlen(partial), "ab");
	age_file(path, 10);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 2);
	old = slurp(path, &before);
	ck_assert_int_eq(annotate(s, 1, HG_ANNOTATE_ENTRY, "kai", "after a torn line"), 0);
	now = slurp(path, &after);
	ck_assert_mem_eq(now, old, before);
	ck_assert_int_eq(now[before], '\n');
	ck_assert_int_eq(now[before + 1], '{');
	ck_assert_int_eq(now[after - 1], '\n');
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 4);
	ck_assert_int_eq(s->entries[2].kind, HG_ENTRY_UNPARSABLE);
	ck_assert_int_eq(s->entries[3].kind, HG_ENTRY_ANNOTATION);
	ck_assert_int_eq(hg_entry_line(&s->entries[3]), 4);
	ck_assert_int_eq(hg_annotate_target(s, 3), 1);
	/* A file that does end in '\n' gets no blank line. */
	ck_assert_int_eq(annotate(s, 1, HG_ANNOTATE_ENTRY, "kai", "next"), 0);
	free(now);
	now = slurp(path, &before);
	ck_assert_ptr_null(strstr(now, "\n\n"));
	free(old);
	free(now);
	hg_session_free(s);
	free(path);
}
END_TEST

/* Concurrency: writers appending whole entries in a loop never interleave
 * with annotations. */

#define WRITERS 3
#define WRITES 300
#define NOTES 60

static void
writer_child(const char *path, int id)
{
	char pad[3000];
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), i;

	if (fd < 0)
		_exit(2);
	memset(pad, 'a' + id, sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < WRITES; i++) {
		char *line = xasprintf("{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T10:05:%02d.%dZ\","
				       "\"skill\":\"w%d\",\"final_status\":\"ok\",\"message\":\"%s\"}\n",
				       i % 60, i + 1, id, pad);
		size_t n = strlen(line);

		if (write(fd, line, n) != (ssize_t)n)
			_exit(3);
		free(line);
	}
	_exit(0);
}

START_TEST(test_concurrent_appends)
{
	char *path;
	struct hg_session *s = make_session(&path), *t;
	char text[5000];
	pid_t pids[WRITERS];
	int i, status, w_ok = 0;
	size_t j;
	int64_t notes = 0, others = 0;
	const size_t *anns;

	memset(text, 'n', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			writer_child(path, i);
	}
	for (i = 0; i < NOTES; i++)
		ck_assert_msg(annotate(s, 0, i % 2 ? 1 : HG_ANNOTATE_ENTRY, "kai", text) == 0, "%s", errbuf);
	for (i = 0; i < WRITERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		w_ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	ck_assert_int_eq(w_ok, WRITERS);
	t = load(path);
	ck_assert_int_eq(t->n_unparsable, 0);
	ck_assert_int_eq(t->pending, 0);
	ck_assert_uint_eq(t->n_entries, 2 + WRITERS * WRITES + NOTES);
	for (j = 0; j < t->n_entries; j++) {
		if (t->entries[j].kind == HG_ENTRY_ANNOTATION) {
			ck_assert_int_eq(hg_annotate_target(t, j), 0);
			ck_assert_uint_eq(hg_entry_message_len(&t->entries[j]), sizeof(text) - 1);
			notes++;
		} else if (j >= 2) {
			ck_assert_uint_eq(hg_entry_message_len(&t->entries[j]), 2999);
			others++;
		}
	}
	ck_assert_int_eq(notes, NOTES);
	ck_assert_int_eq(others, WRITERS * WRITES);
	{
		struct hg_ann_index ix;

		hg_ann_index_init(&ix);
		hg_ann_index_update(&ix, t);
		ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), NOTES);
		for (j = 1; j < NOTES; j++)
			ck_assert_uint_lt(anns[j - 1], anns[j]);
		hg_ann_index_free(&ix);
	}
	hg_session_free(t);
	hg_session_free(s);
	free(path);
}
END_TEST

/* Failures */

START_TEST(test_write_errors_simulated)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	const char *text = "keep me";
	char *copy = xstrdup(text), *data;
	size_t before, after;

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", copy, NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	free(slurp(path, &before));

	setenv("HGTOP_TEST_WRITE_ERROR", "ENOSPC", 1);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "disk full");
	setenv("HGTOP_TEST_WRITE_ERROR", "EROFS", 1);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "not writable: Read-only file system");
	setenv("HGTOP_TEST_WRITE_ERROR", "EACCES", 1);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "not writable: Permission denied");
	free(slurp(path, &after));
	ck_assert_uint_eq(after, before);

	/* A short write is reported, never silent, and cut off again: the
	 * file is unchanged. */
	setenv("HGTOP_TEST_WRITE_ERROR", "SHORT", 1);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	snprintf(errbuf + 128, 100, "short write (%zu of %zu bytes: ", b.len / 2, b.len);
	ck_assert_msg(strncmp(errbuf, errbuf + 128, strlen(errbuf + 128)) == 0, "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "nothing was added"));
	data = slurp(path, &after);
	ck_assert_uint_eq(after, before);
	free(data);
	unsetenv("HGTOP_TEST_WRITE_ERROR");

	/* The caller still has text and line: the retry adds exactly it. */
	ck_assert_str_eq(copy, text);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), 0);
	data = slurp(path, &after);
	ck_assert_uint_eq(after, before + b.len);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_int_eq(s->n_unparsable, 0);
	ck_assert_int_eq(s->entries[2].kind, HG_ENTRY_ANNOTATION);
	ck_assert_str_eq(hg_entry_message(&s->entries[2]), text);
	free(data);

	/* Another writer appended behind the partial bytes: they cannot be
	 * cut off without its line, so they stay, and the message says so. */
	setenv("HGTOP_TEST_WRITE_ERROR", "SHORT_RACE", 1);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "partial line"));
	unsetenv("HGTOP_TEST_WRITE_ERROR");
	data = slurp(path, &after);
	ck_assert_uint_eq(after, before + b.len + b.len / 2 + 3);
	free(data);
	free(copy);
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_not_writable)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	ck_assert_int_eq(chmod(path, 0444), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
		ck_assert_str_eq(errbuf, "not writable: Permission denied");
	} else {
		/* root writes anyway; the hook covers the message. */
		fprintf(stderr, "check_annotate: running as root, permission check skipped\n");
	}
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_symlink_refused)
{
	char *path;
	struct hg_session *s0 = make_session(&path), *s;
	char *link = tmp_path("link.jsonl");
	struct hg_buf b = { 0 };
	size_t before, after;

	ck_assert_int_eq(symlink(path, link), 0);
	s = load(link);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	free(slurp(path, &before));
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "is a symlink; not writing through it");
	free(slurp(path, &after));
	ck_assert_uint_eq(after, before);
	hg_buf_free(&b);
	hg_session_free(s);
	hg_session_free(s0);
	free(link);
	free(path);
}
END_TEST

START_TEST(test_replaced_and_deleted)
{
	char *path;
	struct hg_session *s = make_session(&path);
	char *other = tmp_path("other");
	struct hg_buf b = { 0 };
	size_t n;
	char *data;

	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), 0);
	write_file(other, ENTRY1 "\n" ENTRY2 "\n", strlen(ENTRY1 ENTRY2) + 2, "wb");
	ck_assert_int_eq(rename(other, path), 0);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "file was replaced since it was read");
	data = slurp(path, &n);
	ck_assert_uint_eq(n, strlen(ENTRY1 ENTRY2) + 2);
	free(data);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(hg_annotate_append(s, b.p, b.len, errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "file was deleted");
	ck_assert_int_eq(access(path, F_OK), -1);	/* never created */
	hg_buf_free(&b);
	hg_session_free(s);
	free(other);
	free(path);
}
END_TEST

START_TEST(test_changed_under_target)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_buf b = { 0 };
	const char *rewritten = ENTRY2 "\n" ENTRY1 "\n";

	/* Same inode, new content: the target's line is re-read and checked. */
	write_file(path, rewritten, strlen(rewritten), "r+b");
	ck_assert_int_eq(hg_annotate_build(&b, s, &s->entries[0], HG_ANNOTATE_ENTRY, "kai", "x", NOW_NS,
					   errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "file changed since it was read");
	ck_assert_uint_eq(b.len, 0);
	hg_buf_free(&b);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_stdin_refused)
{
	int p[2];
	struct hg_session *s;
	const char *line = "{}\n";

	ck_assert_int_eq(pipe(p), 0);
	close(p[1]);
	s = hg_session_new_spool("-", p[0]);
	ck_assert_int_eq(hg_annotate_append(s, line, strlen(line), errbuf, sizeof(errbuf)), -1);
	ck_assert_str_eq(errbuf, "stdin stream: no file to write to");
	hg_session_free(s);
}
END_TEST

START_TEST(test_default_author)
{
	const char *a;

	ck_assert_str_eq(hg_annotate_default_author("ann"), "ann");
	setenv("USER", "kai", 1);
	ck_assert_str_eq(hg_annotate_default_author(NULL), "kai");
	ck_assert_str_eq(hg_annotate_default_author(""), "kai");
	unsetenv("USER");
	a = hg_annotate_default_author(NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_gt(strlen(a), 0);
}
END_TEST

/* Association */

static char *
note_line(int64_t target_line, const char *ts, const char *skill, int64_t attempt)
{
	char att[40] = "";

	if (attempt)
		snprintf(att, sizeof(att), "\"target_attempt\":%lld,", (long long)attempt);
	return xasprintf("{\"session_id\":\"s-1\",\"timestamp\":\"2026-11-24T12:00:00Z\","
			 "\"skill\":\"hgtop.annotate\",\"input\":{\"target_line\":%lld,"
			 "\"target_timestamp\":\"%s\",\"target_skill\":\"%s\",%s\"author\":\"kai\"},"
			 "\"final_status\":\"annotation\",\"message\":\"m\"}\n",
			 (long long)target_line, ts, skill, att);
}

static void
append_note(const char *path, int64_t target_line, const char *ts, const char *skill,
	    int64_t attempt)
{
	char *l = note_line(target_line, ts, skill, attempt);

	write_file(path, l, strlen(l), "ab");
	free(l);
}

START_TEST(test_association)
{
	char *path;
	struct hg_session *s = make_session(&path);
	const char *ts1 = "2026-11-24T10:04:05.12Z";	/* same instant, other spelling */

	append_note(path, 1, ts1, "write-file", 2);	/* 3: attempt 2 of line 1 */
	append_note(path, 2, "2026-11-24T10:05:00Z", "refactor", 0);	/* 4: line 2 */
	append_note(path, 2, "2026-11-24T10:05:01Z", "refactor", 0);	/* 5: other time */
	append_note(path, 2, "2026-11-24T10:05:00Z", "write-file", 0);	/* 6: other skill */
	append_note(path, 40, "2026-11-24T10:05:00Z", "refactor", 0);	/* 7: no line 40 */
	append_note(path, 7, "2026-11-24T12:00:00Z", "hgtop.annotate", 0); /* 8: a note */
	append_note(path, 1, ts1, "write-file", 9);	/* 9: unknown attempt */
	append_note(path, 9, "2026-11-24T12:00:00Z", "hgtop.annotate", 0); /* 10 */
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_uint_eq(s->n_entries, 10);
	ck_assert_int_eq(hg_annotate_target(s, 0), -1);	/* not an annotation */
	ck_assert_int_eq(hg_annotate_target(s, 2), 0);
	ck_assert_int_eq(hg_annotate_attempt_index(&s->entries[0], &s->entries[2]), 1);
	ck_assert_int_eq(hg_annotate_target(s, 3), 1);
	ck_assert_int_eq(hg_annotate_attempt_index(&s->entries[1], &s->entries[3]), -1);
	ck_assert_int_eq(hg_annotate_target(s, 4), -1);
	ck_assert_int_eq(hg_annotate_target(s, 5), -1);
	ck_assert_int_eq(hg_annotate_target(s, 6), -1);
	ck_assert_int_eq(hg_annotate_target(s, 7), -1);
	ck_assert_int_eq(hg_annotate_target(s, 8), 0);
	ck_assert_int_eq(hg_annotate_attempt_index(&s->entries[0], &s->entries[8]), -1);
	ck_assert_int_eq(hg_annotate_target(s, 9), -1);
	ck_assert_int_eq(hg_annotate_target(s, 99), -1);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_association_after_rewrite)
{
	char *path;
	struct hg_session *s = make_session(&path);
	const char *rewritten = ENTRY2 "\n" ENTRY1 "\n";

	ck_assert_int_eq(annotate(s, 0, HG_ANNOTATE_ENTRY, "kai", "on write-file"), 0);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert_int_eq(hg_annotate_target(s, 2), 0);
	/* The two entries swap places: the note no longer matches line 1. */
	write_file(path, rewritten, strlen(rewritten), "r+b");
	ck_assert_int_ne(hg_session_ingest(s, 0).status, HG_INGEST_ERROR);
	ck_assert_uint_eq(s->n_entries, 3);
	ck_assert_str_eq(hg_entry_str(&s->entries[0], HG_E_SKILL), "refactor");
	ck_assert_int_eq(hg_annotate_target(s, 2), -1);
	hg_session_free(s);
	free(path);
}
END_TEST

START_TEST(test_index_incremental)
{
	char *path;
	struct hg_session *s = make_session(&path);
	struct hg_ann_index ix;
	const size_t *anns;
	unsigned gen;

	hg_ann_index_init(&ix);
	ck_assert(!hg_ann_index_update(&ix, s));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), 0);
	append_note(path, 2, "2026-11-24T10:05:00Z", "refactor", 0);	/* 3 */
	append_note(path, 1, "2026-11-24T10:04:05.12Z", "write-file", 1);	/* 4 */
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert(hg_ann_index_update(&ix, s));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), 1);
	ck_assert_uint_eq(anns[0], 3);
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 1, &anns), 1);
	ck_assert_uint_eq(anns[0], 2);
	ck_assert(hg_ann_index_attached(&ix, 2));
	ck_assert(!hg_ann_index_attached(&ix, 1));
	/* Later notes on an earlier entry keep file order; orphans stay out. */
	append_note(path, 1, "2026-11-24T10:04:05.12Z", "write-file", 0);	/* 5 */
	append_note(path, 1, "2026-11-24T10:04:05Z", "write-file", 0);	/* 6: orphan */
	append_note(path, 1, "2026-11-24T10:04:05.120Z", "write-file", 0);	/* 7 */
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert(hg_ann_index_update(&ix, s));
	ck_assert(!hg_ann_index_update(&ix, s));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), 3);
	ck_assert_uint_eq(anns[0], 3);
	ck_assert_uint_eq(anns[1], 4);
	ck_assert_uint_eq(anns[2], 6);
	ck_assert(!hg_ann_index_attached(&ix, 5));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 1, &anns), 1);
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 5, &anns), 0);
	/* A reset (file re-read) rebuilds the index. */
	gen = s->generation;
	hg_session_reset(s);
	ck_assert_uint_ne(s->generation, gen);
	ck_assert(hg_ann_index_update(&ix, s));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), 0);
	ck_assert_int_eq(hg_session_ingest(s, 0).status, HG_INGEST_OK);
	ck_assert(hg_ann_index_update(&ix, s));
	ck_assert_uint_eq(hg_ann_index_lookup(&ix, 0, &anns), 3);
	hg_ann_index_free(&ix);
	hg_session_free(s);
	free(path);
}
END_TEST

static Suite *
annotate_suite(void)
{
	Suite *su = suite_create("annotate");
	TCase *w = tcase_create("write"), *a = tcase_create("associate");

	tcase_add_checked_fixture(w, setup_tmp, teardown_tmp);
	tcase_add_checked_fixture(a, setup_tmp, teardown_tmp);
	tcase_set_timeout(w, 60);
	tcase_add_test(w, test_exact_line);
	tcase_add_test(w, test_session_id_fallback);
	tcase_add_test(w, test_hostile_texts);
	tcase_add_test(w, test_hostile_author);
	tcase_add_test(w, test_round_trip_file);
	tcase_add_test(w, test_too_long_refused);
	tcase_add_test(w, test_longest_line_read_by_go);
	tcase_add_test(w, test_bad_targets_refused);
	tcase_add_test(w, test_file_without_newline);
	tcase_add_test(w, test_writer_mid_line_refused);
	tcase_add_test(w, test_concurrent_appends);
	tcase_add_test(w, test_write_errors_simulated);
	tcase_add_test(w, test_not_writable);
	tcase_add_test(w, test_symlink_refused);
	tcase_add_test(w, test_replaced_and_deleted);
	tcase_add_test(w, test_changed_under_target);
	tcase_add_test(w, test_stdin_refused);
	tcase_add_test(w, test_default_author);
	tcase_add_test(a, test_association);
	tcase_add_test(a, test_association_after_rewrite);
	tcase_add_test(a, test_index_incremental);
	suite_add_tcase(su, w);
	suite_add_tcase(su, a);
	return su;
}

/* Tool mode for the shell tests. */
static int
tool_annotate(char **argv)
{
	struct hg_session *s = hg_session_new(argv[0]);
	struct hg_ingest_result r = hg_session_ingest(s, 0);
	struct hg_buf b = { 0 };
	char err[256];
	ssize_t i;
	int rc = 1;

	if (r.status != HG_INGEST_OK) {
		fprintf(stderr, "%s: %s\n", argv[0], hg_ingest_status_text(r.status));
	} else if ((i = hg_session_find_line(s, strtoll(argv[1], NULL, 10))) < 0) {
		fprintf(stderr, "%s: no line %s\n", argv[0], argv[1]);
	} else if (hg_annotate_build(&b, s, &s->entries[i],
				     strcmp(argv[2], "-") == 0 ? HG_ANNOTATE_ENTRY : strtoll(argv[2], NULL, 10),
				     hg_annotate_default_author(argv[3]), argv[4], hg_now_wall_ns(),
				     err, sizeof(err)) < 0 ||
		   hg_annotate_append(s, b.p, b.len, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
	} else {
		rc = 0;
	}
	hg_buf_free(&b);
	hg_session_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 7 && strcmp(argv[1], "annotate") == 0)
		return tool_annotate(argv + 2);
	if (argc != 1) {
		fprintf(stderr, "usage: check_annotate [annotate FILE LINE ATTEMPT AUTHOR TEXT]\n");
		return 2;
	}
	sr = srunner_create(annotate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
