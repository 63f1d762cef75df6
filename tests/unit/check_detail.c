/* check_detail.c - the detail pane's lines: which matches belong to the
 * entry and which to each attempt, the input's strings decoded, the JSON
 * view's indentation and its escapes. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/detail.h"
#include "hgtop/entry.h"
#include "hgtop/parser.h"
#include "hgtop/search.h"

static const char LINE[] =
	"{\"session_id\":\"s\",\"timestamp\":\"2026-11-24T09:00:01Z\",\"skill\":\"build\","
	"\"input\":{\"prompt\":\"one\\ntwo\\tx\",\"list\":[1,\"needle in input\"]},"
	"\"attempts\":[{\"attempt\":1,\"model\":\"m\",\"tier\":\"local\",\"duration_ms\":5,"
	"\"warm_start\":false,\"verified\":false,\"verdict\":\"error\","
	"\"runner_output\":\"a\\nneedle 1\\nb\\nneedle 2 and needle 3\\n\"},"
	"{\"attempt\":2,\"model\":\"needle-model\",\"tier\":\"managed\",\"duration_ms\":7,"
	"\"warm_start\":true,\"verified\":true,\"verdict\":\"accept\"}],"
	"\"final_status\":\"ok\",\"message\":\"\\u001b[31mred\"}";

static struct hg_entry e;

static void
setup(void)
{
	memset(&e, 0, sizeof(e));
	hg_parse_line_full(LINE, strlen(LINE), &e);
	hg_entry_set_place(&e, hg_entry_length(&e), 1);
	ck_assert_int_eq(e.kind, HG_ENTRY_OK);
	ck_assert_uint_eq(e.n_attempts, 2);
}

static void
teardown(void)
{
	hg_entry_free(&e);
}

static size_t
count(int32_t part, const char *text)
{
	struct hg_detail d = { 0 };
	struct hg_search_pattern p;
	size_t n;

	ck_assert(hg_search_pattern_init(&p, text));
	hg_detail_build(&d, &e, part, LINE, strlen(LINE));
	n = hg_detail_count(&d, &p);
	hg_detail_free(&d);
	hg_search_pattern_free(&p);
	return n;
}

/* The line holding TEXT, or -1. */
static ssize_t
find(const struct hg_detail *d, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->lines[i].text, text))
			return (ssize_t)i;
	return -1;
}

START_TEST(matches_by_part)
{
	/* The entry's own fields (the input), not its attempts' (the
	 * summary of attempt 2 names needle-model but is not counted). */
	ck_assert_uint_eq(count(-1, "needle"), 1);
	ck_assert_uint_eq(count(0, "needle"), 3);
	ck_assert_uint_eq(count(1, "needle"), 1);
	ck_assert_uint_eq(count(0, "absent"), 0);
}
END_TEST

START_TEST(nth_match)
{
	struct hg_detail d = { 0 };
	struct hg_search_pattern p;
	size_t line, off;

	ck_assert(hg_search_pattern_init(&p, "needle"));
	hg_detail_build(&d, &e, 0, LINE, strlen(LINE));
	ck_assert(hg_detail_nth(&d, &p, false, 2, &line, &off));
	ck_assert_str_eq(d.lines[line].text + off, "needle 3");
	ck_assert(!hg_detail_nth(&d, &p, false, 3, &line, &off));
	hg_detail_free(&d);
	hg_search_pattern_free(&p);
}
END_TEST

START_TEST(input_decoded)
{
	struct hg_detail d = { 0 };
	ssize_t i;

	hg_detail_build(&d, &e, -1, LINE, strlen(LINE));
	i = find(&d, "prompt:");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(d.lines[i + 1].text, "one");
	ck_assert_str_eq(d.lines[i + 2].text, "two     x");
	ck_assert_int_gt(d.lines[i + 1].indent, d.lines[i].indent);
	ck_assert_int_ge(find(&d, "[1]: needle in input"), 0);
	ck_assert_int_lt(find(&d, "\\n"), 0);
	hg_detail_free(&d);
}
END_TEST

START_TEST(json_view)
{
	struct hg_detail d = { 0 };
	const char raw[] = "{\"a\":{\"b\":[1,{}],\"c\":\"x\\u001by\x1b[2J\"},\"d\":[]}";
	ssize_t i;

	hg_detail_build_json(&d, raw, strlen(raw));
	ck_assert_str_eq(d.lines[0].text, "{");
	ck_assert_int_eq(d.lines[0].indent, 0);
	ck_assert_str_eq(d.lines[1].text, "\"a\": {");
	ck_assert_int_eq(d.lines[1].indent, 2);
	ck_assert_str_eq(d.lines[2].text, "\"b\": [");
	ck_assert_int_eq(d.lines[2].indent, 4);
	ck_assert_str_eq(d.lines[3].text, "1,");
	ck_assert_int_eq(d.lines[3].indent, 6);
	ck_assert_str_eq(d.lines[4].text, "{}");
	/* The escape stays an escape; a raw ESC is shown, never sent. */
	i = find(&d, "\"c\": ");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(d.lines[i].text, "\"c\": \"x\\u001by^[[2J\"");
	ck_assert_str_eq(d.lines[d.n - 2].text, "\"d\": []");
	ck_assert_str_eq(d.lines[d.n - 1].text, "}");
	ck_assert_int_eq(d.lines[d.n - 1].indent, 0);
	hg_detail_free(&d);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("detail");
	TCase *t = tcase_create("detail");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, matches_by_part);
	tcase_add_test(t, nth_match);
	tcase_add_test(t, input_decoded);
	tcase_add_test(t, json_view);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
