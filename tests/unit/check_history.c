/* check_history.c - prompt histories and the state directory: the escaping
 * round trip, the bounds, corrupt and oversized files, and two processes
 * saving into one file at once. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hgtop/history.h"
#include "hgtop/state.h"
#include "hgtop/util.h"

#include "tmpdir.h"

static void
setup_tmp(void)
{
	tmpdir_create("history");
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
slurp(const char *path, size_t *len)
{
	struct hg_buf b = { 0 };
	char err[256];

	ck_assert_int_eq(hg_state_read(path, 64 << 20, &b, err, sizeof(err)), 0);
	*len = b.len;
	return b.p;
}

/* Every line of the file at PATH unescapes, and no text is there twice.
 * Returns the number of entries. */
static size_t
check_valid_file(const char *path)
{
	struct hg_buf t = { 0 };
	size_t len, i = 0, n = 0, j;
	char *data = slurp(path, &len);
	char **seen = NULL;

	ck_assert_msg(len == 0 || data[len - 1] == '\n', "the file ends with a newline");
	while (i < len) {
		char *nl = memchr(data + i, '\n', len - i);

		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(hg_history_unescape(&t, data + i, (size_t)(nl - data) - i),
			      "line %zu of %s is bad", n + 1, path);
		for (j = 0; j < n; j++)
			ck_assert_msg(strcmp(seen[j], t.p) != 0, "'%s' twice", t.p);
		seen = xrealloc(seen, (n + 1) * sizeof(*seen));
		seen[n++] = xstrdup(t.p);
		i = (size_t)(nl - data) + 1;
	}
	for (j = 0; j < n; j++)
		free(seen[j]);
	free(seen);
	free(data);
	hg_buf_free(&t);
	return n;
}

static bool
has(const struct hg_history *h, const char *text)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->v[i], text) == 0)
			return true;
	return false;
}

/* Escaping */

static void
round_trip(const char *text)
{
	struct hg_buf e = { 0 }, u = { 0 };
	size_t i;

	hg_history_escape(&e, text);
	for (i = 0; i < e.len; i++)
		ck_assert_msg((unsigned char)e.p[i] >= 0x20 && e.p[i] != 0x7f,
			      "control byte 0x%02x in the escaped form", (unsigned char)e.p[i]);
	ck_assert_msg(hg_history_unescape(&u, e.p, e.len), "'%s' does not unescape", e.p);
	ck_assert_str_eq(u.p, text);
	hg_buf_free(&e);
	hg_buf_free(&u);
}

START_TEST(test_escape_round_trip)
{
	static const char *const texts[] = {
		"verdict:error", "a\\b", "\\", "\\\\n", "line\nbreak", "cr\rlf\n", "tab\there",
		"\x1b[31mred\x1b[0m", "\x7f\x01\x1f", "h\xc3\xa9llo \xe2\x86\x92 \xf0\x9f\x98\x80",
		"\\x41", "trailing\\", "\xff\xfe invalid utf-8", " leading and trailing ",
	};
	struct hg_buf e = { 0 };
	char buf[64];
	size_t i, k;
	unsigned seed = 12345;

	for (i = 0; i < HG_ARRAY_SIZE(texts); i++)
		round_trip(texts[i]);
	hg_history_escape(&e, "a\nb\\c\x1b");
	ck_assert_str_eq(e.p, "a\\nb\\\\c\\x1b");
	hg_buf_free(&e);
	/* Any bytes but NUL. */
	for (i = 0; i < 2000; i++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % (sizeof(buf) - 1));

		for (k = 0; k < n; k++)
			buf[k] = (char)(1 + rand_r(&seed) % 255);
		buf[n] = '\0';
		round_trip(buf);
	}
}
END_TEST

START_TEST(test_unescape_rejects)
{
	static const char *const bad[] = {
		"", "raw\ttab", "raw\x1b", "\\q", "end\\", "\\x", "\\x4", "\\x00", "\\xzz", "a\x7f",
	};
	struct hg_buf u = { 0 };
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(bad); i++)
		ck_assert_msg(!hg_history_unescape(&u, bad[i], strlen(bad[i])),
			      "'%s' accepted", bad[i]);
	ck_assert(hg_history_unescape(&u, "\\x1B\\t", 6));
	ck_assert_str_eq(u.p, "\x1b\t");
	hg_buf_free(&u);
}
END_TEST

/* Bounds */

START_TEST(test_bound_and_duplicates)
{
	struct hg_history h = { 0 };
	char t[32];
	int i;

	for (i = 0; i < HG_HISTORY_MAX + 100; i++) {
		snprintf(t, sizeof(t), "e%d", i);
		hg_history_add(&h, t);
	}
	ck_assert_uint_eq(h.n, HG_HISTORY_MAX);
	ck_assert_str_eq(h.v[0], "e100");
	ck_assert_str_eq(h.v[h.n - 1], "e599");
	ck_assert_uint_eq(h.n_added, HG_HISTORY_MAX);
	/* Again: moved to the end, not kept twice. */
	hg_history_add(&h, "e300");
	ck_assert_uint_eq(h.n, HG_HISTORY_MAX);
	ck_assert_str_eq(h.v[h.n - 1], "e300");
	ck_assert_str_eq(h.v[200], "e301");
	hg_history_add(&h, "");
	ck_assert_str_eq(h.v[h.n - 1], "e300");
	hg_history_free(&h);
}
END_TEST

START_TEST(test_format_byte_cap)
{
	struct hg_history h = { 0 }, back = { 0 };
	struct hg_buf out = { 0 };
	char *t = xmalloc(4001);
	int i;

	for (i = 0; i < 200; i++) {
		memset(t, 'a' + i % 26, 4000);
		snprintf(t, 4001, "%03d", i);
		t[3] = 'x';
		t[4000] = '\0';
		hg_history_add(&h, t);
	}
	hg_history_format(&h, &out);
	ck_assert_uint_le(out.len, HG_HISTORY_MAX_BYTES);
	ck_assert_uint_gt(out.len, HG_HISTORY_MAX_BYTES - 4002);
	ck_assert_uint_eq(hg_history_parse(&back, out.p, out.len), 0);
	ck_assert_uint_eq(back.n, HG_HISTORY_MAX_BYTES / 4001);
	/* The newest kept. */
	ck_assert_str_eq(back.v[back.n - 1], h.v[h.n - 1]);
	hg_buf_free(&out);
	hg_history_free(&h);
	hg_history_free(&back);
	free(t);
}
END_TEST

/* Corrupt and oversized files */

START_TEST(test_corrupt_lines_skipped)
{
	static const char data[] =
		"good one\n"
		"bad \x1b escape\n"
		"\n"
		"bad \\q\n"
		"has\0nul\n"
		"good\\ttwo\n"
		"good one\n"
		"no newline at the end";
	struct hg_history h = { 0 };
	char *path = tmp_path("corrupt"), *big;
	char err[256];
	size_t skipped;

	skipped = hg_history_parse(&h, data, sizeof(data) - 1);
	ck_assert_uint_eq(skipped, 3);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_str_eq(h.v[0], "good\ttwo");
	ck_assert_str_eq(h.v[1], "good one");
	ck_assert_str_eq(h.v[2], "no newline at the end");
	ck_assert_uint_eq(h.n_added, 0);
	hg_history_free(&h);

	/* A line longer than the limit is skipped whole. */
	big = xmalloc(HG_HISTORY_MAX_LINE + 20);
	memset(big, 'z', HG_HISTORY_MAX_LINE + 10);
	memcpy(big + HG_HISTORY_MAX_LINE + 10, "\nshort\n", 8);
	write_file(path, big, strlen(big));
	ck_assert_int_eq(hg_history_load(&h, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.v[0], "short");
	hg_history_free(&h);
	free(big);

	/* A directory where the file should be: an error, not a crash. */
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(hg_history_load(&h, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	ck_assert_uint_eq(h.n, 0);
	hg_history_free(&h);
	free(path);
}
END_TEST

START_TEST(test_huge_file_reads_its_end)
{
	struct hg_history h = { 0 };
	char *path = tmp_path("huge"), err[256];
	FILE *f = fopen(path, "w");
	int i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 400000; i++)
		fprintf(f, "entry number %d\n", i);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(hg_history_load(&h, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(h.n, HG_HISTORY_MAX);
	ck_assert_str_eq(h.v[h.n - 1], "entry number 399999");
	ck_assert_str_eq(h.v[0], "entry number 399500");
	/* Saving writes it back within the bounds. */
	hg_history_add(&h, "new");
	ck_assert_int_eq(hg_history_save(&h, err, sizeof(err)), 0);
	ck_assert_uint_eq(check_valid_file(path), HG_HISTORY_MAX);
	hg_history_free(&h);
	free(path);
}
END_TEST

/* Files and merging */

START_TEST(test_save_load_and_merge)
{
	struct hg_history a = { 0 }, b = { 0 }, c = { 0 };
	char *path = tmp_path("deep/er/filter"), *lock = tmp_path("deep/er/filter.lock");
	char err[256];
	struct stat sb;

	ck_assert_int_eq(hg_history_load(&a, path, err, sizeof(err)), 0);
	ck_assert_int_eq(hg_history_load(&b, path, err, sizeof(err)), 0);
	hg_history_seed(&a, "seeded, never saved");
	hg_history_add(&a, "from a\nwith a newline");
	hg_history_add(&a, "shared");
	hg_history_add(&b, "from b");
	hg_history_add(&b, "shared");
	ck_assert_int_eq(hg_history_save(&a, err, sizeof(err)), 0);
	ck_assert_uint_eq(a.n_added, 0);
	ck_assert_int_eq(hg_history_save(&b, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(lock, &sb), 0);
	ck_assert_uint_eq(check_valid_file(path), 3);

	ck_assert_int_eq(hg_history_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_str_eq(c.v[0], "from a\nwith a newline");
	ck_assert_str_eq(c.v[1], "from b");
	ck_assert_str_eq(c.v[2], "shared");
	ck_assert(!has(&c, "seeded, never saved"));
	/* Saving again with nothing new leaves the file alone. */
	ck_assert_int_eq(hg_history_save(&a, err, sizeof(err)), 0);
	ck_assert_uint_eq(check_valid_file(path), 3);
	hg_history_free(&a);
	hg_history_free(&b);
	hg_history_free(&c);
	free(path);
	free(lock);
}
END_TEST

/* A child: add N texts "TAG-i", saving after each. */
static void
writer(const char *path, const char *tag, int n)
{
	struct hg_history h = { 0 };
	char t[64], err[256];
	int i, rc = 0;

	hg_history_load(&h, path, err, sizeof(err));
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(t, sizeof(t), "%s-%d", tag, i);
		hg_history_add(&h, t);
		rc = hg_history_save(&h, err, sizeof(err));
	}
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", tag, err);
	hg_history_free(&h);
	_exit(rc < 0 ? 1 : 0);
}

static void
run_writers(const char *path, int n)
{
	pid_t p[2];
	int i, st;

	for (i = 0; i < 2; i++) {
		p[i] = fork();
		ck_assert_int_ge(p[i], 0);
		if (p[i] == 0)
			writer(path, i ? "bee" : "ant", n);
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(p[i], &st, 0), p[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed", i);
	}
}

START_TEST(test_two_writers_keep_everything)
{
	struct hg_history h = { 0 };
	char *path = tmp_path("state/history/search"), t[64], err[256];
	int i;

	run_writers(path, 200);
	ck_assert_uint_eq(check_valid_file(path), 400);
	ck_assert_int_eq(hg_history_load(&h, path, err, sizeof(err)), 0);
	for (i = 0; i < 200; i++) {
		snprintf(t, sizeof(t), "ant-%d", i);
		ck_assert_msg(has(&h, t), "%s lost", t);
		snprintf(t, sizeof(t), "bee-%d", i);
		ck_assert_msg(has(&h, t), "%s lost", t);
	}
	hg_history_free(&h);
	free(path);
}
END_TEST

START_TEST(test_two_writers_past_the_bound)
{
	struct hg_history h = { 0 };
	char *path = tmp_path("bounded"), err[256];

	run_writers(path, 400);
	ck_assert_uint_eq(check_valid_file(path), HG_HISTORY_MAX);
	ck_assert_int_eq(hg_history_load(&h, path, err, sizeof(err)), 0);
	ck_assert(has(&h, "ant-399"));
	ck_assert(has(&h, "bee-399"));
	/* 800 texts for 500 places: the oldest go, whichever writer ran
	 * first (ant-0 stays when bee's texts all came before it). */
	ck_assert(!(has(&h, "ant-0") && has(&h, "bee-0")));
	hg_history_free(&h);
	free(path);
}
END_TEST

/* The state directory */

START_TEST(test_state_dir)
{
	char *d;
	struct hg_state st;
	struct hg_history h = { 0 };
	char *home = tmp_path("home"), *xdg = tmp_path("xdg"), *p, err[256];
	struct stat sb;

	setenv("HOME", home, 1);
	unsetenv("XDG_STATE_HOME");
	d = hg_state_dir();
	p = xasprintf("%s/.local/state/hgtop", home);
	ck_assert_str_eq(d, p);
	free(d);
	free(p);
	/* A relative XDG_STATE_HOME is ignored (the spec says so). */
	setenv("XDG_STATE_HOME", "relative/dir", 1);
	d = hg_state_dir();
	ck_assert_ptr_nonnull(strstr(d, "/.local/state/hgtop"));
	free(d);

	setenv("XDG_STATE_HOME", xdg, 1);
	hg_state_init(&st, true);
	p = xasprintf("%s/hgtop", xdg);
	ck_assert_str_eq(st.dir, p);
	free(p);
	hg_state_load_history(&st, &h, "filter");
	hg_history_add(&h, "tier:local");
	ck_assert_int_eq(hg_state_save_history(&st, &h, err, sizeof(err)), 0);
	p = xasprintf("%s/hgtop/history/filter", xdg);
	ck_assert_uint_eq(check_valid_file(p), 1);
	free(p);
	/* The directories it made are private. */
	p = xasprintf("%s/hgtop", xdg);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0700);
	free(p);
	hg_history_free(&h);
	hg_state_done(&st);
	unsetenv("XDG_STATE_HOME");
	free(home);
	free(xdg);
}
END_TEST

START_TEST(test_read_only_writes_nothing)
{
	struct hg_state st;
	struct hg_history h = { 0 };
	char *xdg = tmp_path("ro"), err[256];
	struct stat sb;

	setenv("XDG_STATE_HOME", xdg, 1);
	hg_state_init(&st, false);
	hg_state_load_history(&st, &h, "note");
	hg_history_add(&h, "a note");
	ck_assert_int_eq(hg_state_save_history(&st, &h, err, sizeof(err)), 0);
	ck_assert_int_eq(hg_state_set_last_filter(&st, "/some/dir", "verdict:error", err,
						  sizeof(err)), 0);
	ck_assert_int_eq(stat(xdg, &sb), -1);
	hg_history_free(&h);
	hg_state_done(&st);
	unsetenv("XDG_STATE_HOME");
	free(xdg);
}
END_TEST

START_TEST(test_unwritable_reported_once)
{
	struct hg_state st;
	struct hg_history h = { 0 };
	char *file = tmp_path("plain-file"), err[256];

	/* A file where a directory should be fails even for root. */
	write_file(file, "x", 1);
	setenv("XDG_STATE_HOME", file, 1);
	hg_state_init(&st, true);
	hg_state_load_history(&st, &h, "filter");
	hg_history_add(&h, "one");
	err[0] = '\0';
	ck_assert_int_eq(hg_state_save_history(&st, &h, err, sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "cannot make"));
	hg_history_add(&h, "two");
	ck_assert_int_eq(hg_state_save_history(&st, &h, err, sizeof(err)), -1);
	/* The run's history is kept. */
	ck_assert_uint_eq(h.n, 2);
	ck_assert_uint_eq(h.n_added, 2);
	hg_history_free(&h);
	hg_state_done(&st);
	unsetenv("XDG_STATE_HOME");
	free(file);
}
END_TEST

START_TEST(test_last_filter)
{
	struct hg_state st;
	char *xdg = tmp_path("lf"), *v, err[256], key[64];
	int i;

	setenv("XDG_STATE_HOME", xdg, 1);
	hg_state_init(&st, true);
	ck_assert_ptr_null(hg_state_last_filter(&st, "/a"));
	ck_assert_int_eq(hg_state_set_last_filter(&st, "/a", "verdict:error", err, sizeof(err)), 0);
	ck_assert_int_eq(hg_state_set_last_filter(&st, "/odd\tdir\nname", "tier:local\t", err,
						  sizeof(err)), 0);
	ck_assert_int_eq(hg_state_set_last_filter(&st, "/a", "skill:review", err, sizeof(err)), 0);
	v = hg_state_last_filter(&st, "/a");
	ck_assert_str_eq(v, "skill:review");
	free(v);
	v = hg_state_last_filter(&st, "/odd\tdir\nname");
	ck_assert_str_eq(v, "tier:local\t");
	free(v);
	/* Forgotten when cleared. */
	ck_assert_int_eq(hg_state_set_last_filter(&st, "/a", "", err, sizeof(err)), 0);
	ck_assert_ptr_null(hg_state_last_filter(&st, "/a"));
	/* The oldest directories go past the bound; the newest stay. */
	for (i = 0; i < 250; i++) {
		snprintf(key, sizeof(key), "/d%d", i);
		ck_assert_int_eq(hg_state_set_last_filter(&st, key, "x:y", err, sizeof(err)), 0);
	}
	ck_assert_ptr_null(hg_state_last_filter(&st, "/d0"));
	v = hg_state_last_filter(&st, "/d249");
	ck_assert_str_eq(v, "x:y");
	free(v);
	v = hg_state_last_filter(&st, "/d50");
	ck_assert_str_eq(v, "x:y");
	free(v);
	ck_assert_ptr_null(hg_state_last_filter(&st, "/d49"));
	hg_state_done(&st);
	unsetenv("XDG_STATE_HOME");
	free(xdg);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");

	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_escape_round_trip);
	tcase_add_test(tc, test_unescape_rejects);
	tcase_add_test(tc, test_bound_and_duplicates);
	tcase_add_test(tc, test_format_byte_cap);
	tcase_add_test(tc, test_corrupt_lines_skipped);
	tcase_add_test(tc, test_huge_file_reads_its_end);
	tcase_add_test(tc, test_save_load_and_merge);
	tcase_add_test(tc, test_two_writers_keep_everything);
	tcase_add_test(tc, test_two_writers_past_the_bound);
	tcase_add_test(tc, test_state_dir);
	tcase_add_test(tc, test_read_only_writes_nothing);
	tcase_add_test(tc, test_unwritable_reported_once);
	tcase_add_test(tc, test_last_filter);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(history_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
