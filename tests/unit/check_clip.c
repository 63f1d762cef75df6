/* check_clip.c - base64 and the OSC 52 sequence of a copy. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/clip.h"

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
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
