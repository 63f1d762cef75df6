/* check_gen.c - unit tests of the log generator and of `--demo`. */
#include "config.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
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

#include "hgtop/demo.h"
#include "hgtop/entry.h"
#include "hgtop/gen.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

#define T0 1767225600123456789LL	/* 2026-01-01T00:00:00.123456789Z */

static const char *const entry_keys[] = {
	"session_id", "timestamp", "skill", "phase", "project_root", "input",
	"attempts", "final_status", "file_path", "model_used", "duration_ms", "message",
};
static const char *const attempt_keys[] = {
	"attempt", "model", "tier", "duration_ms", "warm_start", "verified",
	"verdict", "feedback", "output_summary", "runner_output",
};

/* Size tables (see struct hg_gen_knot): ~1 KB lines, and large lines of
 * median 7 KB and p99 365 KB. */
static const struct hg_gen_knot small_knots[] = {
	{ 0.0, 600 }, { 0.5, 950 }, { 1.0, 1400 },
};
static const struct hg_gen_knot large_knots[] = {
	{ 0.0, 1700 }, { 0.5, 6800 }, { 0.9, 21000 }, { 0.97, 90000 },
	{ 0.99, 365000 }, { 1.0, 450000 },
};

/* Options with the size table i: 0 the default, 1 small, 2 large. */
static void
sized_opts(struct hg_gen_opts *o, int i)
{
	hg_gen_opts_init(o);
	if (i == 1) {
		o->knots = small_knots;
		o->n_knots = HG_ARRAY_SIZE(small_knots);
	} else if (i == 2) {
		o->knots = large_knots;
		o->n_knots = HG_ARRAY_SIZE(large_knots);
	}
}

/* How many lines a test generates: n, scaled by $CHECK_GEN_SCALE (0..1),
 * which leaks.test sets to keep valgrind's run short. */
static int
lines(int n)
{
	const char *e = getenv("CHECK_GEN_SCALE");
	double f = e ? strtod(e, NULL) : 1.0;

	if (!(f > 0 && f < 1))
		return n;
	return n * f < 10 ? 10 : (int)(n * f);
}

/* Generate n lines into one buffer. */
static void
gen_lines(struct hg_buf *b, uint64_t seed, int n, const struct hg_gen_opts *o)
{
	struct hg_gen g;
	int i;

	hg_gen_init(&g, seed, T0);
	for (i = 0; i < n; i++)
		hg_gen_entry(&g, b, "hg-test-1", o);
	hg_gen_free(&g);
}

/* Call fn on each line (without '\n'); every line must end in '\n'. */
static int
each_line(const struct hg_buf *b, void (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = b->p, *end = b->p + b->len, *nl;
	int n = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ck_assert_msg(nl != NULL, "line %d has no trailing newline", n + 1);
		fn(p, (size_t)(nl - p), arg);
		p = nl + 1;
		n++;
	}
	return n;
}

/* The keys of obj appear in Go's struct order, each at most once. */
static void
check_key_order(const cJSON *obj, const char *const *keys, size_t nkeys)
{
	const cJSON *c;
	size_t k = 0;

	cJSON_ArrayForEach(c, obj) {
		while (k < nkeys && strcmp(keys[k], c->string) != 0)
			k++;
		ck_assert_msg(k < nkeys, "key %s out of order or unknown", c->string);
		k++;
	}
}

static void
check_required(const cJSON *obj, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(obj, keys[i]) != NULL,
			      "required key %s missing", keys[i]);
}

/* omitempty: an optional string that is present is not empty. */
static void
check_omitempty(const cJSON *obj, const char *const *keys, size_t n)
{
	const cJSON *v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
		if (cJSON_IsString(v))
			ck_assert_msg(v->valuestring[0] != '\0', "empty %s written", keys[i]);
	}
}

static void
check_entry_json(const char *line, size_t len, void *arg)
{
	static const char *const req[] = { "session_id", "timestamp", "skill", "final_status" };
	static const char *const opt[] = { "phase", "project_root", "file_path", "model_used", "message" };
	static const char *const areq[] = { "attempt", "model", "tier", "duration_ms", "warm_start", "verified" };
	static const char *const aopt[] = { "verdict", "feedback", "output_summary", "runner_output" };
	cJSON *root = cJSON_ParseWithLength(line, len), *a, *d;
	int *count = arg;

	ck_assert_msg(cJSON_IsObject(root), "line does not parse: %.80s", line);
	check_key_order(root, entry_keys, HG_ARRAY_SIZE(entry_keys));
	check_required(root, req, HG_ARRAY_SIZE(req));
	check_omitempty(root, opt, HG_ARRAY_SIZE(opt));
	d = cJSON_GetObjectItemCaseSensitive(root, "duration_ms");
	ck_assert(d == NULL || d->valuedouble != 0);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(root, "attempts")) {
		check_key_order(a, attempt_keys, HG_ARRAY_SIZE(attempt_keys));
		check_required(a, areq, HG_ARRAY_SIZE(areq));
		check_omitempty(a, aopt, HG_ARRAY_SIZE(aopt));
	}
	cJSON_Delete(root);
	(*count)++;
}

/* Why a line is not escaped the way Go escapes, or NULL. (Asserting per
 * byte would be slow: every Check assertion records a mark point.) */
static const char *
escape_problem(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20)
			return "raw control byte";
		if (p[i] == '<' || p[i] == '>' || p[i] == '&')
			return "raw < > or &";
		if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
			return "raw U+2028/U+2029";
	}
	return NULL;
}

static void
check_escaped(const char *line, size_t len, void *arg)
{
	const char *why = escape_problem((const unsigned char *)line, len);

	(void)arg;
	ck_assert_msg(why == NULL, "%s in: %.80s", why, line);
}

START_TEST(lines_parse_in_go_field_order)
{
	struct hg_gen_opts o;
	struct hg_buf b = { 0 };
	int count = 0, n = lines(300);

	sized_opts(&o, _i);
	gen_lines(&b, 7 + (uint64_t)_i, n, &o);
	ck_assert_int_eq(each_line(&b, check_entry_json, &count), n);
	ck_assert_int_eq(count, n);
	each_line(&b, check_escaped, NULL);
	hg_buf_free(&b);
}
END_TEST

static void
expect_json_string(const char *in, size_t n, bool short_bf, const char *want)
{
	struct hg_buf b = { 0 };

	hg_json_string(&b, in, n, short_bf ? HG_JSON_SHORT_BF : 0);
	ck_assert_str_eq(b.p, want);
	hg_buf_free(&b);
}

#define EXPECT(in, want) expect_json_string(in, sizeof(in) - 1, false, want)

START_TEST(strings_escape_like_go)
{
	EXPECT("<a&b>", "\"\\u003ca\\u0026b\\u003e\"");
	EXPECT("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
	EXPECT("\b\f", "\"\\u0008\\u000c\"");
	expect_json_string("\b\f", 2, true, "\"\\b\\f\"");
	EXPECT("\n\r\t\"\\/", "\"\\n\\r\\t\\\"\\\\/\"");
	EXPECT("x\xe2\x80\xa8y\xe2\x80\xa9z", "\"x\\u2028y\\u2029z\"");
	EXPECT("a\0b", "\"a\\u0000b\"");
	EXPECT("\xff", "\"\\ufffd\"");
	EXPECT("\xc3", "\"\\ufffd\"");
	EXPECT("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	EXPECT("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	EXPECT("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	EXPECT("é→日本🎉", "\"é→日本🎉\"");
}
END_TEST

static void
expect_ts(int64_t ns, int tz, const char *want)
{
	char buf[HG_TIME_LEN];

	hg_format_time(ns, tz, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(timestamps_are_rfc3339nano)
{
	expect_ts(0, 0, "1970-01-01T00:00:00Z");
	expect_ts(T0, 0, "2026-01-01T00:00:00.123456789Z");
	expect_ts(1767225600120000000LL, 330, "2026-01-01T05:30:00.12+05:30");
	expect_ts(1767225600000000000LL, -210, "2025-12-31T20:30:00-03:30");
	expect_ts(-500000000LL, 0, "1969-12-31T23:59:59.5Z");
	expect_ts(951782400000000001LL, 60, "2000-02-29T01:00:00.000000001+01:00");
	expect_ts(4102444799999999999LL, 0, "2099-12-31T23:59:59.999999999Z");
}
END_TEST

/* What the project's own parser reads back is what was generated. */
START_TEST(timestamps_round_trip_through_parser)
{
	struct hg_gen g;
	char buf[HG_TIME_LEN];
	int64_t ns, got;
	int16_t tz;
	bool zero;
	int i, want_tz;

	hg_gen_init(&g, 99, 0);
	for (i = 0; i < 2000; i++) {
		ns = hg_gen_range(&g, -2000000000000000000LL, 4000000000000000000LL);
		want_tz = (int)hg_gen_range(&g, -12 * 60, 14 * 60);
		if (i % 3 == 0)
			ns -= ns % 1000000;
		hg_format_time(ns, want_tz, false, buf, sizeof(buf));
		ck_assert_msg(hg_parse_time(buf, strlen(buf), &got, &tz, &zero), "cannot parse %s", buf);
		ck_assert_msg(got == ns, "%s: %lld != %lld", buf, (long long)got, (long long)ns);
		ck_assert_int_eq(tz, want_tz);
	}
	hg_gen_free(&g);
}
END_TEST

START_TEST(same_seed_same_bytes)
{
	struct hg_gen_opts o;
	struct hg_buf a = { 0 }, b = { 0 }, c = { 0 };
	int n = lines(200);

	hg_gen_opts_init(&o);
	o.malformed_rate = 0.05;
	gen_lines(&a, 1234, n, &o);
	gen_lines(&b, 1234, n, &o);
	gen_lines(&c, 1235, n, &o);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.p, b.p, a.len) == 0);
	ck_assert(c.len != a.len || memcmp(a.p, c.p, a.len) != 0);
	hg_buf_free(&a);
	hg_buf_free(&b);
	hg_buf_free(&c);
}
END_TEST

struct sizes {
	size_t *v;
	size_t n;
};

static void
collect_size(const char *line, size_t len, void *arg)
{
	struct sizes *s = arg;

	(void)line;
	s->v[s->n++] = len + 1;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static void
size_quantiles(int table, int n, size_t *p50, size_t *p99)
{
	struct hg_gen_opts o;
	struct hg_buf b = { 0 };
	struct sizes s = { xcalloc((size_t)n, sizeof(size_t)), 0 };

	sized_opts(&o, table);
	gen_lines(&b, 5, n, &o);
	each_line(&b, collect_size, &s);
	qsort(s.v, s.n, sizeof(size_t), cmp_size);
	*p50 = s.v[s.n / 2];
	*p99 = s.v[s.n * 99 / 100];
	free(s.v);
	hg_buf_free(&b);
}

START_TEST(tables_shape_line_sizes)
{
	size_t p50, p99;

	size_quantiles(0, 2000, &p50, &p99);
	ck_assert_msg(p50 >= 1500 && p50 <= 4000, "default median %zu", p50);
	ck_assert_msg(p99 >= 40000 && p99 <= 200000, "default p99 %zu", p99);
	size_quantiles(1, 2000, &p50, &p99);
	ck_assert_msg(p50 >= 700 && p50 <= 1400, "small median %zu", p50);
	ck_assert_msg(p99 < 4096, "small p99 %zu", p99);
	size_quantiles(2, 3000, &p50, &p99);
	ck_assert_msg(p50 >= 4000 && p50 <= 9000, "large median %zu", p50);
	ck_assert_msg(p99 >= 200000 && p99 < 1000000, "large p99 %zu", p99);
}
END_TEST

struct mix {
	int tiers[HG_TIER_OTHER + 1], verdicts[HG_VERDICT_OTHER + 1], status_ok, status_failed, status_error;
	int warm, ansi, cr, unicode, no_attempts, input_object;
};

static void
count_attempt(const cJSON *a, struct mix *m)
{
	const char *tier = cJSON_GetStringValue(cJSON_GetObjectItem(a, "tier"));
	const char *verdict = cJSON_GetStringValue(cJSON_GetObjectItem(a, "verdict"));
	const char *ro = cJSON_GetStringValue(cJSON_GetObjectItem(a, "runner_output"));

	m->tiers[hg_tier_from(tier, strlen(tier))]++;
	if (verdict)
		m->verdicts[hg_verdict_from(verdict, strlen(verdict))]++;
	m->warm += cJSON_IsTrue(cJSON_GetObjectItem(a, "warm_start"));
	if (ro) {
		m->ansi += strstr(ro, "\x1b[") != NULL;
		m->cr += strchr(ro, '\r') != NULL;
		m->unicode += strstr(ro, "\xe2\x86\x92") != NULL || strstr(ro, "\xe6\x9e\x84") != NULL;
	}
}

static void
count_mix(const char *line, size_t len, void *arg)
{
	struct mix *m = arg;
	cJSON *root = cJSON_ParseWithLength(line, len), *a, *atts;
	const char *st;

	ck_assert_ptr_nonnull(root);
	st = cJSON_GetStringValue(cJSON_GetObjectItem(root, "final_status"));
	m->status_ok += !strcmp(st, "ok");
	m->status_failed += !strcmp(st, "failed");
	m->status_error += !strcmp(st, "error");
	m->input_object += cJSON_IsObject(cJSON_GetObjectItem(root, "input"));
	atts = cJSON_GetObjectItem(root, "attempts");
	m->no_attempts += atts == NULL;
	cJSON_ArrayForEach(a, atts)
		count_attempt(a, m);
	cJSON_Delete(root);
}

START_TEST(content_has_the_realistic_mix)
{
	struct hg_buf b = { 0 };
	struct mix m;

	memset(&m, 0, sizeof(m));
	gen_lines(&b, 3, 600, NULL);
	each_line(&b, count_mix, &m);
	ck_assert_int_gt(m.tiers[HG_TIER_LOCAL], m.tiers[HG_TIER_MANAGED]);
	ck_assert_int_gt(m.tiers[HG_TIER_SUBAGENT], 0);
	ck_assert_int_gt(m.tiers[HG_TIER_MANAGED], 0);
	ck_assert_int_gt(m.verdicts[HG_VERDICT_ACCEPT], m.verdicts[HG_VERDICT_ERROR]);
	ck_assert_int_gt(m.verdicts[HG_VERDICT_ESCALATE], 0);
	ck_assert_int_gt(m.verdicts[HG_VERDICT_ERROR], 0);
	ck_assert_int_gt(m.status_ok, m.status_failed + m.status_error);
	ck_assert_int_gt(m.status_failed, 0);
	ck_assert_int_gt(m.status_error, 0);
	ck_assert_int_gt(m.warm, 0);
	ck_assert_int_gt(m.ansi, 0);
	ck_assert_int_gt(m.cr, 0);
	ck_assert_int_gt(m.unicode, 0);
	ck_assert_int_gt(m.no_attempts, 0);
	ck_assert_int_gt(m.tiers[HG_TIER_OTHER], 0);	/* forward compatibility */
	ck_assert_int_gt(m.verdicts[HG_VERDICT_OTHER], 0);
	ck_assert_int_gt(m.input_object, 500);
	hg_buf_free(&b);
}
END_TEST

struct parsed {
	int ok, bad, annotations;
};

static void
parse_with_core(const char *line, size_t len, void *arg)
{
	struct parsed *p = arg;
	struct hg_entry e;

	memset(&e, 0, sizeof(e));
	hg_parse_line(line, len, &e);
	if (e.kind == HG_ENTRY_UNPARSABLE)
		p->bad++;
	else if (e.kind == HG_ENTRY_ANNOTATION)
		p->annotations++;
	else
		p->ok++;
	hg_entry_free(&e);
}

START_TEST(malformed_lines_are_whole_lines)
{
	struct hg_gen_opts o;
	struct hg_buf b = { 0 };
	struct parsed p = { 0, 0, 0 };
	int n = lines(400);

	hg_gen_opts_init(&o);
	o.malformed_rate = 0.25;
	gen_lines(&b, 11, n, &o);
	ck_assert_int_eq(each_line(&b, parse_with_core, &p), n);
	ck_assert_int_gt(p.bad, n / 10);
	ck_assert_int_gt(p.ok, n / 2);
	hg_buf_free(&b);
}
END_TEST

/* Demo */

static char tmpdir[256];

static void
setup_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hgtop-check-gen-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	setenv("TMPDIR", tmpdir, 1);
}

static void
teardown_tmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
read_whole(const char *path, struct hg_buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		hg_buf_add(b, chunk, (size_t)n);
	close(fd);
}

/* Parse every session file of dir; returns the number of files. */
static int
parse_dir(const char *dir, struct parsed *p, int64_t *bytes)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct hg_buf b = { 0 };
	char *path;
	int files = 0;

	ck_assert_ptr_nonnull(d);
	*bytes = 0;
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".jsonl"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		hg_buf_reset(&b);
		read_whole(path, &b);
		*bytes += (int64_t)b.len;
		/* A line being written right now is not complete yet. */
		while (b.len > 0 && b.p[b.len - 1] != '\n')
			b.len--;
		if (p)
			each_line(&b, parse_with_core, p);
		free(path);
		files++;
	}
	closedir(d);
	hg_buf_free(&b);
	return files;
}

static bool
process_gone(pid_t pid)
{
	char path[64], buf[256], *rp;
	FILE *f;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	/* Reparented zombies count as gone. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	rp = fgets(buf, sizeof(buf), f);
	fclose(f);
	rp = rp ? strrchr(buf, ')') : NULL;
	return rp && (rp[2] == 'Z' || rp[2] == 'X');
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

START_TEST(demo_creates_sessions_and_stop_cleans_up)
{
	struct hg_demo d;
	struct parsed p = { 0, 0, 0 };
	char err[256] = "", *dir;
	struct stat st;
	int64_t bytes;
	pid_t pid;

	ck_assert_msg(hg_demo_start(&d, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(d.dir);
	ck_assert(strncmp(d.dir, tmpdir, strlen(tmpdir)) == 0);
	ck_assert_int_gt(d.pid, 0);
	ck_assert_int_ge(parse_dir(d.dir, &p, &bytes), 4);
	ck_assert_int_ge(p.ok, 4 * 20);
	ck_assert_int_eq(p.annotations, 1);
	ck_assert_int_eq(p.bad, 1);
	ck_assert(!hg_demo_reap(&d));
	pid = d.pid;
	dir = xstrdup(d.dir);
	hg_demo_stop(&d);
	ck_assert_ptr_null(d.dir);
	ck_assert(kill(pid, 0) < 0 && errno == ESRCH);	/* reaped, no zombie */
	ck_assert(stat(dir, &st) < 0 && errno == ENOENT);
	free(dir);
}
END_TEST

START_TEST(demo_writer_appends_whole_lines)
{
	struct hg_demo d;
	struct parsed p0 = { 0, 0, 0 }, p1 = { 0, 0, 0 };
	char err[256] = "";
	int64_t before, after = 0, deadline;

	ck_assert_msg(hg_demo_start(&d, err, sizeof(err)) == 0, "%s", err);
	parse_dir(d.dir, &p0, &before);
	deadline = hg_now_mono_ns() + 8000000000LL;
	do {
		sleep_ms(50);
		memset(&p1, 0, sizeof(p1));
		parse_dir(d.dir, &p1, &after);
	} while (p1.ok <= p0.ok && hg_now_mono_ns() < deadline);
	ck_assert_msg(p1.ok > p0.ok, "no entry appended within 8 s");
	ck_assert_int_gt(after, before);
	ck_assert_int_eq(p1.bad, p0.bad);	/* appended lines are whole */
	ck_assert(!hg_demo_reap(&d));
	hg_demo_stop(&d);
}
END_TEST

START_TEST(demo_writer_exits_with_its_parent)
{
	int fds[2];
	pid_t mid, writer = 0;
	int64_t deadline;
	char cmd[300];

	ck_assert_int_eq(pipe(fds), 0);
	mid = fork();
	ck_assert_int_ge(mid, 0);
	if (mid == 0) {
		struct hg_demo d;
		char err[256];

		if (hg_demo_start(&d, err, sizeof(err)) < 0)
			_exit(1);
		if (write(fds[1], &d.pid, sizeof(d.pid)) != sizeof(d.pid))
			_exit(1);
		_exit(0);	/* dies without hg_demo_stop() */
	}
	ck_assert_int_eq(read(fds[0], &writer, sizeof(writer)), (ssize_t)sizeof(writer));
	waitpid(mid, NULL, 0);
	deadline = hg_now_mono_ns() + 5000000000LL;
	while (!process_gone(writer) && hg_now_mono_ns() < deadline)
		sleep_ms(20);
	ck_assert_msg(process_gone(writer), "demo writer %d outlived its parent", (int)writer);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/hgtop-demo-*", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *
gen_suite(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("gen");
	TCase *stats = tcase_create("statistics");
	TCase *demo = tcase_create("demo");

	tcase_add_loop_test(tc, lines_parse_in_go_field_order, 0, 3);
	tcase_add_test(tc, strings_escape_like_go);
	tcase_add_test(tc, timestamps_are_rfc3339nano);
	tcase_add_test(tc, timestamps_round_trip_through_parser);
	tcase_add_test(tc, same_seed_same_bytes);
	tcase_add_test(tc, malformed_lines_are_whole_lines);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	/* Thousands of lines for their figures, through the code that the
	 * tests above run already: leaks.test leaves them out. */
	tcase_set_tags(stats, "statistics");
	tcase_add_test(stats, tables_shape_line_sizes);
	tcase_add_test(stats, content_has_the_realistic_mix);
	tcase_set_timeout(stats, 60);
	suite_add_tcase(s, stats);
	tcase_add_checked_fixture(demo, setup_tmp, teardown_tmp);
	tcase_add_test(demo, demo_creates_sessions_and_stop_cleans_up);
	tcase_add_test(demo, demo_writer_appends_whole_lines);
	tcase_add_test(demo, demo_writer_exits_with_its_parent);
	tcase_set_timeout(demo, 60);
	suite_add_tcase(s, demo);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(gen_suite());
	int failed;

	setenv("TZ", "UTC", 1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
