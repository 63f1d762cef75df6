/* check_search.c - the search engine: JSON-escaped forms, smartcase, the
 * block-wise job against a line-by-line search, wrapping, direction. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/search.h"
#include "hgtop/session.h"

/* Line by line, the reference the block-wise job is checked against:
 * does LINE contain a form of P (ASCII case folded when P->icase)? */
static bool
line_matches(const struct hg_search_pattern *p, const char *line, size_t n)
{
	char *l = xmalloc(n + 1);
	bool found = false;

	for (size_t i = 0; i < n; i++)
		l[i] = p->icase && line[i] >= 'A' && line[i] <= 'Z' ? (char)(line[i] + 32) : line[i];
	for (size_t i = 0; i < p->n_forms && !found; i++)
		found = memmem(l, n, p->forms[i], p->form_len[i]) != NULL;
	free(l);
	return found;
}

static enum hg_search_status
run_search(struct hg_search *j)
{
	while (hg_search_step(j, INT64_MAX / 2) == HG_SEARCH_RUNNING)
		;
	return j->status;
}

static bool
matches(const char *text, const char *line)
{
	struct hg_search_pattern p;
	bool r;

	ck_assert(hg_search_pattern_init(&p, text));
	r = line_matches(&p, line, strlen(line));
	hg_search_pattern_free(&p);
	return r;
}

START_TEST(escaped_forms)
{
	/* What the user sees, against what Go wrote. */
	ck_assert(matches("<b>", "{\"message\":\"use \\u003cb\\u003e here\"}"));
	ck_assert(matches("a&b", "{\"message\":\"a\\u0026b\"}"));
	ck_assert(matches("say \"hi\"", "{\"feedback\":\"they say \\\"hi\\\" twice\"}"));
	ck_assert(matches("C:\\tmp", "{\"file_path\":\"C:\\\\tmp\\\\x\"}"));
	ck_assert(matches("x < y && z", "{\"m\":\"x \\u003c y \\u0026\\u0026 z\"}"));
	/* Text before and after an escaped newline; the escape itself. */
	ck_assert(matches("line1", "{\"runner_output\":\"line1\\nline2\"}"));
	ck_assert(matches("line1\\nline2", "{\"runner_output\":\"line1\\nline2\"}"));
	/* The text as typed still finds raw text from other writers. */
	ck_assert(matches("<b>", "{\"message\":\"<b>\"}"));
	ck_assert(!matches("<b>", "{\"message\":\"\\u003ci\\u003e\"}"));
	ck_assert(!matches("a&b", "{\"message\":\"a and b\"}"));
}
END_TEST

START_TEST(non_ascii)
{
	/* Raw UTF-8 as Go writes it, \u escapes as ASCII-only writers do. */
	ck_assert(matches("café", "{\"m\":\"un café noir\"}"));
	ck_assert(matches("café", "{\"m\":\"un caf\\u00e9 noir\"}"));
	ck_assert(matches("🙏", "{\"m\":\"thanks 🙏\"}"));
	ck_assert(matches("🙏", "{\"m\":\"thanks \\ud83d\\ude4f\"}"));
	ck_assert(matches("a\xe2\x80\xa8" "b", "{\"m\":\"a\\u2028b\"}"));
	ck_assert(!matches("cafe", "{\"m\":\"un café noir\"}"));
}
END_TEST

START_TEST(escape_encoder)
{
	const char *html = "<a href=\"x\">&\t\x01\n\\";
	struct hg_buf b = { 0 };

	hg_json_escape(&b, html, strlen(html), 0);
	ck_assert_str_eq(b.p, "\\u003ca href=\\\"x\\\"\\u003e\\u0026\\t\\u0001\\n\\\\");
	hg_buf_reset(&b);
	hg_json_escape(&b, "é🙏\xff", strlen("é🙏\xff"), 0);
	ck_assert_str_eq(b.p, "é🙏\\ufffd");
	hg_buf_reset(&b);
	hg_json_escape(&b, "é🙏", 6, HG_JSON_ASCII);
	ck_assert_str_eq(b.p, "\\u00e9\\ud83d\\ude4f");
	hg_buf_reset(&b);
	/* Each byte of a broken sequence is one U+FFFD, as Go writes it. */
	hg_json_escape(&b, "\xe2\x82" "A\b", 4, 0);
	ck_assert_str_eq(b.p, "\\ufffd\\ufffdA\\u0008");
	hg_buf_reset(&b);
	hg_json_escape(&b, "\b\f\u2028", 5, HG_JSON_SHORT_BF | HG_JSON_ASCII);
	ck_assert_str_eq(b.p, "\\b\\f\\u2028");
	hg_buf_free(&b);
}
END_TEST

START_TEST(smartcase)
{
	struct hg_search_pattern p;
	const char *s = "build Error: TestFoo";

	ck_assert(matches("error", "{\"m\":\"ERROR here\"}"));
	ck_assert(matches("testfoo", "{\"m\":\"TestFoo\"}"));
	ck_assert(matches("TestFoo", "{\"m\":\"TestFoo\"}"));
	ck_assert(!matches("TestFoo", "{\"m\":\"testfoo\"}"));
	ck_assert(!matches("Error", "{\"m\":\"ERROR\"}"));
	/* Case folding is ASCII only; the escapes' hex digits fold too. */
	ck_assert(matches("<b>", "{\"m\":\"\\u003Cb\\u003E\"}"));
	ck_assert(!matches("É", "{\"m\":\"é\"}"));

	ck_assert(hg_search_pattern_init(&p, "error"));
	ck_assert(p.icase);
	ck_assert_ptr_eq(hg_search_find_text(&p, s, strlen(s)), s + 6);
	hg_search_pattern_free(&p);
	ck_assert(hg_search_pattern_init(&p, "Foo"));
	ck_assert(!p.icase);
	ck_assert_ptr_eq(hg_search_find_text(&p, s, strlen(s)), s + 17);
	hg_search_pattern_free(&p);
	ck_assert(!hg_search_pattern_init(&p, ""));
}
END_TEST

START_TEST(forms_deduplicated)
{
	struct hg_search_pattern p;

	ck_assert(hg_search_pattern_init(&p, "plain text"));
	ck_assert_uint_eq(p.n_forms, 1);
	hg_search_pattern_free(&p);
	ck_assert(hg_search_pattern_init(&p, "<é>"));
	ck_assert_uint_eq(p.n_forms, 3);
	hg_search_pattern_free(&p);
}
END_TEST

/* A temporary session file. */

static char tmp_path[64];

static void
write_line(FILE *f, const char *msg)
{
	fprintf(f, "{\"session_id\":\"t\",\"timestamp\":\"2026-01-01T00:00:00Z\","
		"\"skill\":\"s\",\"final_status\":\"ok\",\"message\":\"%s\"}\n", msg);
}

static struct hg_session *
make_session(void (*fill)(FILE *f))
{
	struct hg_session *s;
	int fd;
	FILE *f;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/check_search.XXXXXX");
	fd = mkstemp(tmp_path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fill(f);
	fclose(f);
	s = hg_session_new(tmp_path);
	hg_session_ingest(s, 0);
	return s;
}

static void
drop_session(struct hg_session *s)
{
	hg_session_free(s);
	unlink(tmp_path);
}

static unsigned rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

/* Many small lines, some long ones (one longer than a read block), and the
 * searched words here and there, raw and escaped. */
static void
fill_random(FILE *f)
{
	static const char *const words[] = {
		"alpha", "Beta", "\\u003cb\\u003e", "x\\u0026y", "\\\"q\\\"", "needle",
		"NEEDLE", "caf\\u00e9", "café", "line1\\nline2", "tab\\there",
	};
	int i, k;

	for (i = 0; i < 3000; i++) {
		char msg[200];
		size_t len = 0;
		int n = (int)rnd(4);

		msg[0] = '\0';
		for (k = 0; k < n; k++)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s ",
						rnd(3) ? "filler" : words[rnd(HG_ARRAY_SIZE(words))]);
		if (i % 500 == 250) {
			size_t big = i == 1250 ? 1500000 : 300000, j;

			fputs("{\"session_id\":\"t\",\"message\":\"", f);
			for (j = 0; j < big; j++)
				fputc('a' + (int)(j % 23), f);
			fprintf(f, " %s\",\"skill\":\"s\"}\n", msg);
			continue;
		}
		write_line(f, msg);
	}
}

static bool
hide_sevenths(const struct hg_session *s, size_t entry, void *ctx)
{
	(void)s;
	(void)ctx;
	return entry % 7 != 3;
}

/* The expected result, one line at a time. */
static bool
naive(const struct hg_session *s, const struct hg_search_pattern *p, size_t from,
      bool forward, size_t *found, bool *wrapped)
{
	size_t n = s->n_entries, i;

	for (i = 1; i <= n; i++) {
		size_t k;
		char *line;
		size_t len;
		bool m;

		if (from >= n)
			k = forward ? i - 1 : n - i;
		else
			k = forward ? (from + i) % n : (from + n - i) % n;
		if (!hide_sevenths(s, k, NULL))
			continue;
		line = hg_session_read_line(s, &s->entries[k], &len);
		ck_assert_ptr_nonnull(line);
		m = line_matches(p, line, len);
		free(line);
		if (m) {
			*found = k;
			*wrapped = from < n && (forward ? from + i >= n : i > from);
			return true;
		}
	}
	return false;
}

START_TEST(job_equals_naive)
{
	static const char *const texts[] = {
		"needle", "NEEDLE", "<b>", "x&y", "\"q\"", "café", "line1", "tab\\t",
		"beta", "Beta", "nothing-like-this", "vwa",
	};
	struct hg_session *s = make_session(fill_random);
	size_t t, checks = 0;

	ck_assert_uint_eq(s->n_entries, 3000);
	for (t = 0; t < HG_ARRAY_SIZE(texts); t++) {
		struct hg_search_pattern p;
		int r;

		ck_assert(hg_search_pattern_init(&p, texts[t]));
		for (r = 0; r < 12; r++) {
			size_t from = r == 0 ? 2999 : r == 1 ? 5000 : r == 2 ? 0 : rnd(3000);
			bool fw = r % 2 == 0, wrapped = false;
			size_t found = 0;
			bool exp = naive(s, &p, from, fw, &found, &wrapped);
			struct hg_search j;
			enum hg_search_status st;

			hg_search_start(&j, s, &p, from, fw, hide_sevenths, NULL);
			st = run_search(&j);
			ck_assert_msg(st == (exp ? HG_SEARCH_FOUND : HG_SEARCH_NOT_FOUND),
				      "'%s' from %zu %s: status %d", texts[t], from,
				      fw ? "forward" : "backward", st);
			if (exp) {
				ck_assert_msg(j.found == found, "'%s' from %zu %s: %zu, want %zu",
					      texts[t], from, fw ? "forward" : "backward",
					      j.found, found);
				ck_assert_int_eq(j.wrapped, wrapped);
			}
			hg_search_end(&j);
			checks++;
		}
		hg_search_pattern_free(&p);
	}
	ck_assert_uint_eq(checks, HG_ARRAY_SIZE(texts) * 12);
	drop_session(s);
}
END_TEST

static void
fill_small(FILE *f)
{
	write_line(f, "zero");
	write_line(f, "one match");
	write_line(f, "two");
	write_line(f, "three match");
	write_line(f, "four");
}

static size_t
find(struct hg_session *s, const char *text, size_t from, bool forward, bool *wrapped)
{
	struct hg_search_pattern p;
	struct hg_search j;
	size_t r = (size_t)-1;

	hg_search_pattern_init(&p, text);
	hg_search_start(&j, s, &p, from, forward, NULL, NULL);
	if (run_search(&j) == HG_SEARCH_FOUND)
		r = j.found;
	*wrapped = j.wrapped;
	hg_search_end(&j);
	hg_search_pattern_free(&p);
	return r;
}

START_TEST(wrap_and_previous)
{
	struct hg_session *s = make_session(fill_small);
	bool w;

	ck_assert_uint_eq(find(s, "match", 0, true, &w), 1);
	ck_assert(!w);
	ck_assert_uint_eq(find(s, "match", 1, true, &w), 3);
	ck_assert(!w);
	ck_assert_uint_eq(find(s, "match", 3, true, &w), 1);
	ck_assert(w);
	ck_assert_uint_eq(find(s, "match", 3, false, &w), 1);
	ck_assert(!w);
	ck_assert_uint_eq(find(s, "match", 1, false, &w), 3);
	ck_assert(w);
	/* The only match is where the search started: found after wrapping. */
	ck_assert_uint_eq(find(s, "four", 4, true, &w), 4);
	ck_assert(w);
	/* No current entry: from the top (or the bottom). */
	ck_assert_uint_eq(find(s, "match", 99, true, &w), 1);
	ck_assert_uint_eq(find(s, "match", 99, false, &w), 3);
	ck_assert_uint_eq(find(s, "absent", 2, true, &w), (size_t)-1);
	drop_session(s);
}
END_TEST

START_TEST(time_slices_and_progress)
{
	struct hg_session *s = make_session(fill_random);
	struct hg_search_pattern p;
	struct hg_search j;
	int last = -1, steps = 0;

	hg_search_pattern_init(&p, "nothing-like-this");
	hg_search_start(&j, s, &p, 0, true, NULL, NULL);
	while (hg_search_step(&j, 0) == HG_SEARCH_RUNNING) {
		int pc = hg_search_percent(&j);

		ck_assert_int_ge(pc, last);
		ck_assert_int_le(pc, 100);
		last = pc;
		steps++;
	}
	ck_assert_int_eq(j.status, HG_SEARCH_NOT_FOUND);
	ck_assert_int_gt(steps, 2);	/* > 3 MB in 1 MB blocks */
	ck_assert_uint_eq(j.scanned, s->n_entries);
	hg_search_end(&j);

	/* The session re-read under a running search stops it. */
	hg_search_start(&j, s, &p, 0, true, NULL, NULL);
	ck_assert_int_eq(hg_search_step(&j, 0), HG_SEARCH_RUNNING);
	hg_session_reset(s);
	ck_assert_int_eq(hg_search_step(&j, 0), HG_SEARCH_ERROR);
	ck_assert_int_eq(j.err, ESTALE);
	hg_search_end(&j);
	hg_search_pattern_free(&p);
	drop_session(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("search");
	TCase *tc = tcase_create("search");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, escaped_forms);
	tcase_add_test(tc, non_ascii);
	tcase_add_test(tc, escape_encoder);
	tcase_add_test(tc, smartcase);
	tcase_add_test(tc, forms_deduplicated);
	tcase_add_test(tc, job_equals_naive);
	tcase_add_test(tc, wrap_and_previous);
	tcase_add_test(tc, time_slices_and_progress);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
