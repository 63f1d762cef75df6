/* check_clip.c - base64 and the OSC 52 sequence of a copy; the text of an
 * entry handed to the pager, the editor and the clipboard (export.h). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/clip.h"
#include "hgtop/export.h"

static const char *
b64(const char *s, size_t n)
{
	static struct hg_buf b;

	hg_buf_reset(&b);
	hg_base64_encode(&b, s, n);
	hg_buf_addc(&b, '\0');
	return b.p;
}

START_TEST(rfc4648_vectors)
{
	ck_assert_str_eq(b64("", 0), "");
	ck_assert_str_eq(b64("f", 1), "Zg==");
	ck_assert_str_eq(b64("fo", 2), "Zm8=");
	ck_assert_str_eq(b64("foo", 3), "Zm9v");
	ck_assert_str_eq(b64("foob", 4), "Zm9vYg==");
	ck_assert_str_eq(b64("fooba", 5), "Zm9vYmE=");
	ck_assert_str_eq(b64("foobar", 6), "Zm9vYmFy");
}
END_TEST

START_TEST(binary_and_utf8)
{
	/* Every bit pattern of the alphabet's ends, NUL and high bytes. */
	ck_assert_str_eq(b64("\0\0\0", 3), "AAAA");
	ck_assert_str_eq(b64("\xff\xff\xff", 3), "////");
	ck_assert_str_eq(b64("\xfb\xef\xbe", 3), "++++");
	ck_assert_str_eq(b64("caf\xc3\xa9 \xe6\x97\xa5", 9), "Y2Fmw6kg5pel");
	ck_assert_str_eq(b64("a\nb", 3), "YQpi");
}
END_TEST

START_TEST(length)
{
	static char big[100000];
	struct hg_buf b = { 0 };

	memset(big, 'x', sizeof(big));
	hg_base64_encode(&b, big, sizeof(big));
	ck_assert_uint_eq(b.len, (sizeof(big) + 2) / 3 * 4);
	ck_assert_int_eq(b.p[b.len - 1], '=');
	ck_assert_int_eq(b.p[b.len - 2], '=');
	hg_buf_free(&b);
}
END_TEST

START_TEST(sequence)
{
	struct hg_buf b = { 0 };

	hg_osc52(&b, "hi", 2);
	ck_assert_uint_eq(b.len, 12);
	ck_assert(memcmp(b.p, "\033]52;c;aGk=\a", 12) == 0);
	hg_buf_free(&b);
}
END_TEST

START_TEST(cut)
{
	/* "é" is 2 bytes, "日" 3: a cut never splits one. */
	const char *s = "ab\xc3\xa9\xe6\x97\xa5";

	ck_assert_uint_eq(hg_clip_cut(s, 7, 100), 7);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 7), 7);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 6), 4);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 5), 4);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 4), 4);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 3), 2);
	ck_assert_uint_eq(hg_clip_cut(s, 7, 0), 0);
}
END_TEST

static const char *
exported(const char *line, int32_t attempt, const char *field, unsigned flags, bool *found)
{
	static struct hg_buf b;

	hg_buf_reset(&b);
	*found = hg_export_text(&b, line, strlen(line), attempt, field, flags);
	hg_buf_addc(&b, '\0');
	return b.p;
}

#define LINE "{\"skill\":\"evil\\u001b]0;T\\u0007\",\"n\":3," \
	"\"message\":\"two\\nlines\\tand a tab\"," \
	"\"attempts\":[{\"attempt\":1,\"runner_output\":" \
	"\"a 10%\\ra 100%\\n\\u001b[31mred\\u001b[0m\\u001b]0;T\\u0007\\u001b[2Jx\"}]}"

START_TEST(export_fields)
{
	bool found;

	/* A string field: its text, newlines kept, controls made visible. */
	ck_assert_str_eq(exported(LINE, -1, "message", 0, &found), "two\nlines   and a tab\n");
	ck_assert(found);
	ck_assert_str_eq(exported(LINE, -1, "skill", 0, &found), "evil^[]0;T^G\n");
	/* Any other field: JSON. */
	ck_assert_str_eq(exported(LINE, -1, "n", 0, &found), "3\n");
	/* No such field: the whole object, as JSON without a raw control. */
	exported(LINE, -1, "nope", 0, &found);
	ck_assert(!found);
	ck_assert(strstr(exported(LINE, -1, NULL, 0, &found), "\"skill\": \"evil\\u001b]0;T\\u0007\""));
	ck_assert(!strchr(exported(LINE, -1, NULL, 0, &found), '\033'));
	/* An attempt's field. */
	ck_assert_str_eq(exported(LINE, 0, "attempt", 0, &found), "1\n");
	ck_assert(found);
}
END_TEST

START_TEST(export_terminal_output)
{
	bool found;

	/* For the pager: colours as SGR written anew, no other sequence. */
	ck_assert_str_eq(exported(LINE, 0, "runner_output", HG_EXPORT_SGR, &found),
			 "a 100%\n\033[0;31mred\033[0mx\n");
	/* For the editor and the clipboard: the text alone. */
	ck_assert_str_eq(exported(LINE, 0, "runner_output", 0, &found), "a 100%\nredx\n");
}
END_TEST

START_TEST(export_unparsable)
{
	bool found;

	ck_assert_str_eq(exported("{\"a\":\x1b[2J", -1, NULL, 0, &found), "{\"a\":^[[2J\n");
	ck_assert(!found);
	/* An attempt that is not there: the line, sanitized. */
	ck_assert_str_eq(exported("{\"a\":1}", 3, "a", 0, &found), "{\"a\":1}\n");
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("clip");
	TCase *tc = tcase_create("clip");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, rfc4648_vectors);
	tcase_add_test(tc, binary_and_utf8);
	tcase_add_test(tc, length);
	tcase_add_test(tc, sequence);
	tcase_add_test(tc, cut);
	tcase_add_test(tc, export_fields);
	tcase_add_test(tc, export_terminal_output);
	tcase_add_test(tc, export_unparsable);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
