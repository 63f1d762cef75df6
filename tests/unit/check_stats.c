/* check_stats.c - statistics: nearest-rank percentiles, the values of a
 * small fixture computed by hand, the filter's effect, the reports. */
#include "config.h"

#include <cJSON.h>
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgtop/filter.h"
#include "hgtop/intern.h"
#include "hgtop/session.h"
#include "hgtop/stats.h"
#include "hgtop/util.h"

/* Percentiles */

START_TEST(test_percentile_small)
{
	int64_t v4[] = { 4, 1, 3, 2 };
	int64_t v1[] = { 7 };
	int64_t v20[20];

	ck_assert_int_eq(hg_stats_percentile(v4, 4, 50), 2);
	ck_assert_int_eq(hg_stats_percentile(v4, 4, 95), 4);
	ck_assert_int_eq(hg_stats_percentile(v4, 4, 25), 1);
	ck_assert_int_eq(hg_stats_percentile(v4, 4, 26), 2);
	ck_assert_int_eq(hg_stats_percentile(v1, 1, 50), 7);
	ck_assert_int_eq(hg_stats_percentile(v1, 1, 95), 7);
	ck_assert_int_eq(hg_stats_percentile(NULL, 0, 50), HG_STATS_NONE);
	/* 1..20 shuffled: p50 is the 10th value, p95 the 19th. */
	for (int i = 0; i < 20; i++)
		v20[i] = (i * 7) % 20 + 1;
	ck_assert_int_eq(hg_stats_percentile(v20, 20, 50), 10);
	ck_assert_int_eq(hg_stats_percentile(v20, 20, 95), 19);
	ck_assert_int_eq(hg_stats_percentile(v20, 20, 100), 20);
	ck_assert_int_eq(hg_stats_percentile(v20, 20, 1), 1);
}
END_TEST

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Against sorting, on sizes and value ranges that make duplicates. */
START_TEST(test_percentile_matches_sort)
{
	unsigned seed = 12345;

	for (size_t n = 1; n < 300; n += 7) {
		int64_t *v = xmalloc(n * sizeof(*v)), *sorted = xmalloc(n * sizeof(*v));

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			v[i] = (int64_t)((seed >> 8) % (n % 3 == 0 ? 5 : 1000));
		}
		memcpy(sorted, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*v), cmp64);
		for (int p = 1; p <= 100; p += 7) {
			size_t rank = (size_t)((p * (int64_t)n + 99) / 100);

			ck_assert_int_eq(hg_stats_percentile(v, n, p), sorted[rank - 1]);
		}
		free(v);
		free(sorted);
	}
}
END_TEST

/* The fixture tests/fixtures/stats/s1.jsonl:
 *
 * line 1  write  ok      1000  local accept qwen 1000 (warm)
 * line 2  write  ok      3000  local escalate qwen 1000, managed accept opus 2000
 * line 3  write  failed  5000  local escalate qwen 500, subagent escalate sonnet 1500,
 *                              managed error opus 3000
 * line 4  review ok       400  subagent accept sonnet 400 (warm)
 * line 5  review ok         0  no attempts
 * line 6  annotation of line 3
 * line 7  unparsable
 * line 8  review ok      2500  local error qwen 100, managed accept opus 2400
 */
static struct hg_session *fix;

static void
load_fixture(void)
{
	fix = hg_session_new(FIXTURES "/stats/s1.jsonl");
	hg_session_ingest(fix, 0);
	ck_assert_uint_eq(fix->n_entries, 8);
}

static void
free_fixture(void)
{
	hg_session_free(fix);
	fix = NULL;
}

static struct hg_stats *
stats_for(const char *expr)
{
	struct hg_filter *f = hg_filter_parse(expr, NULL, 0, NULL);
	struct hg_stats *st;

	ck_assert_ptr_nonnull(f);
	st = hg_stats_compute(&fix, 1, f);
	hg_filter_free(f);
	return st;
}

static void
check_group(const struct hg_stats_group *g, const char *name, int64_t att, int64_t acc,
	    int64_t esc, int64_t err, int64_t warm, int64_t p50, int64_t p95, int64_t max)
{
	ck_assert_str_eq(g->name, name);
	ck_assert_int_eq(g->attempts, att);
	ck_assert_int_eq(g->accept, acc);
	ck_assert_int_eq(g->escalate, esc);
	ck_assert_int_eq(g->error, err);
	ck_assert_int_eq(g->other, att - acc - esc - err);
	ck_assert_int_eq(g->warm, warm);
	ck_assert_int_eq(g->p50_ms, p50);
	ck_assert_int_eq(g->p95_ms, p95);
	ck_assert_int_eq(g->max_ms, max);
}

START_TEST(test_overall)
{
	struct hg_stats *st = stats_for("");

	ck_assert_uint_eq(st->sessions, 1);
	ck_assert_int_eq(st->entries, 6);
	ck_assert_int_eq(st->attempts, 9);
	ck_assert_int_eq(st->annotations, 1);
	ck_assert_int_eq(st->unparsable, 1);
	ck_assert_int_eq(st->unparsable_total, 1);
	ck_assert(st->has_ts);
	ck_assert_int_eq(st->last_ts_ns - st->first_ts_ns, INT64_C(450) * 1000000000);
	ck_assert_int_eq(st->attempt_ms, 11900);
	ck_assert_int_eq(st->non_accept_ms, 6100);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_tiers_and_models)
{
	struct hg_stats *st = stats_for("");

	ck_assert_uint_eq(st->n_tiers, 3);
	check_group(&st->tiers[0], "local", 4, 1, 2, 1, 1, 500, 1000, 1000);
	check_group(&st->tiers[1], "subagent", 2, 1, 1, 0, 1, 400, 1500, 1500);
	check_group(&st->tiers[2], "managed", 3, 2, 0, 1, 0, 2400, 3000, 3000);
	ck_assert_uint_eq(st->n_models, 3);
	check_group(&st->models[0], "qwen", 4, 1, 2, 1, 1, 500, 1000, 1000);
	check_group(&st->models[1], "opus", 3, 2, 0, 1, 0, 2400, 3000, 3000);
	check_group(&st->models[2], "sonnet", 2, 1, 1, 0, 1, 400, 1500, 1500);
	/* First attempts: qwen started 4 entries (1 accepted), sonnet 1 (1). */
	ck_assert_int_eq(st->models[0].first_attempts, 4);
	ck_assert_int_eq(st->models[0].first_accept, 1);
	ck_assert_int_eq(st->models[1].first_attempts, 0);
	ck_assert_int_eq(st->models[2].first_attempts, 1);
	ck_assert_int_eq(st->models[2].first_accept, 1);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_skills)
{
	struct hg_stats *st = stats_for("");
	const struct hg_stats_skill *rv, *wr;

	/* Annotations are not skill entries. */
	ck_assert_uint_eq(st->n_skills, 2);
	rv = &st->skills[0];
	wr = &st->skills[1];
	ck_assert_str_eq(rv->name, "review");
	ck_assert_int_eq(rv->entries, 3);
	ck_assert_int_eq(rv->escalated, 1);
	ck_assert_int_eq(rv->resolved[HG_RESOLVED_LOCAL], 0);
	ck_assert_int_eq(rv->resolved[HG_RESOLVED_SUBAGENT], 1);
	ck_assert_int_eq(rv->resolved[HG_RESOLVED_MANAGED], 1);
	ck_assert_int_eq(rv->resolved[HG_RESOLVED_NEVER], 1);
	ck_assert_int_eq(rv->p95_ms, 2500);
	ck_assert_uint_eq(rv->n_statuses, 1);
	ck_assert_str_eq(rv->statuses[0].name, "ok");
	ck_assert_int_eq(rv->statuses[0].n, 3);
	ck_assert_str_eq(wr->name, "write");
	ck_assert_int_eq(wr->entries, 3);
	ck_assert_int_eq(wr->escalated, 2);
	ck_assert_int_eq(wr->resolved[HG_RESOLVED_LOCAL], 1);
	ck_assert_int_eq(wr->resolved[HG_RESOLVED_MANAGED], 1);
	ck_assert_int_eq(wr->resolved[HG_RESOLVED_NEVER], 1);
	ck_assert_int_eq(wr->p95_ms, 5000);
	ck_assert_uint_eq(wr->n_statuses, 2);
	ck_assert_str_eq(wr->statuses[0].name, "ok");
	ck_assert_int_eq(wr->statuses[0].n, 2);
	ck_assert_str_eq(wr->statuses[1].name, "failed");
	ck_assert_int_eq(wr->statuses[1].n, 1);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_chains)
{
	struct hg_stats *st = stats_for("");

	ck_assert_int_eq(st->chained, 5);
	ck_assert_uint_eq(st->n_chains, 4);
	ck_assert_str_eq(st->chains[0].chain, "local→managed");
	ck_assert_int_eq(st->chains[0].n, 2);
	ck_assert_str_eq(st->chains[1].chain, "local");
	ck_assert_str_eq(st->chains[2].chain, "local→subagent→managed");
	ck_assert_str_eq(st->chains[3].chain, "subagent");
	ck_assert_int_eq(st->chains[3].n, 1);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_filtered)
{
	struct hg_stats *st = stats_for("tier:local verdict:escalate");

	/* Lines 2 and 3; the annotation of line 3 follows it. */
	ck_assert_int_eq(st->entries, 2);
	ck_assert_int_eq(st->attempts, 5);
	ck_assert_int_eq(st->annotations, 1);
	ck_assert_int_eq(st->unparsable, 0);
	ck_assert_int_eq(st->unparsable_total, 1);
	ck_assert_uint_eq(st->n_tiers, 3);
	check_group(&st->tiers[0], "local", 2, 0, 2, 0, 0, 500, 1000, 1000);
	check_group(&st->tiers[2], "managed", 2, 1, 0, 1, 0, 2000, 3000, 3000);
	ck_assert_uint_eq(st->n_skills, 1);
	ck_assert_str_eq(st->filter_text, "tier:local verdict:escalate");
	hg_stats_free(st);

	st = stats_for("skill:review");
	ck_assert_int_eq(st->entries, 3);
	ck_assert_int_eq(st->annotations, 0);
	hg_stats_free(st);

	st = stats_for("kind:unparsable");
	ck_assert_int_eq(st->entries, 0);
	ck_assert_int_eq(st->unparsable, 1);
	ck_assert_uint_eq(st->n_tiers, 0);
	hg_stats_free(st);
}
END_TEST

#define SUM0 " local 4 att  acc 25%  p95 1.0s | subagent 2  acc 50%  p95 1.5s | managed 3  acc 67%  p95 3.0s"
#define SUM1 " local 4  acc 25% | subagent 2  acc 50% | managed 3  acc 67%"
#define SUM2 " local 25% | subagent 50% | managed 67%"

START_TEST(test_summary_line)
{
	struct hg_stats *st = stats_for("");
	char buf[256];

	hg_stats_summary_line(st, 200, buf, sizeof(buf));
	ck_assert_str_eq(buf, SUM0);
	hg_stats_summary_line(st, (int)strlen(SUM0), buf, sizeof(buf));
	ck_assert_str_eq(buf, SUM0);
	hg_stats_summary_line(st, (int)strlen(SUM0) - 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, SUM1);
	hg_stats_summary_line(st, (int)strlen(SUM1) - 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, SUM2);
	hg_stats_summary_line(st, 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, " local 25% |");
	hg_stats_summary_line(st, 200, buf, 8);
	ck_assert_str_eq(buf, " local ");
	hg_stats_free(st);

	st = stats_for("kind:unparsable");
	hg_stats_summary_line(st, 80, buf, sizeof(buf));
	ck_assert_str_eq(buf, " no attempts match the filter");
	hg_stats_free(st);
}
END_TEST

static char *
render(const struct hg_stats *st, bool utf8)
{
	struct hg_buf b = { 0 };

	hg_stats_render(st, &b, utf8);
	return b.p;
}

static void
assert_has(const char *text, const char *line)
{
	ck_assert_msg(strstr(text, line) != NULL, "missing [%s] in:\n%s", line, text);
}

START_TEST(test_text_report)
{
	struct hg_stats *st = stats_for("");
	char *t = render(st, true);

	assert_has(t, "  entries         6\n");
	assert_has(t, "  unparsable      1\n");
	assert_has(t, "  time span       2026-11-24 10:00:00 – 2026-11-24 10:07:30 (7m30s)\n");
	assert_has(t, "  escalation tax  51.3% of attempt time in attempts that did not accept "
		   "(6.1s of 11.9s, n=9 attempts)\n");
	assert_has(t, "  tier             n           accept         escalate            error"
		   "     other   warm      p50      p95      max\n");
	assert_has(t, "  local            4         1  25.0%         2  50.0%         1  25.0%"
		   "         0  25.0%    500ms     1.0s     1.0s\n");
	assert_has(t, "  sonnet         2         1  50.0%         1  50.0%         0   0.0%"
		   "         0  50.0%    400ms     1.5s     1.5s  100.0% n=1\n");
	assert_has(t, "  opus           3         2  66.7%         0   0.0%         1  33.3%"
		   "         0   0.0%     2.4s     3.0s     3.0s  - n=0\n");
	assert_has(t, "  write          3         2  66.7%         1         0         1         0"
		   "         1     5.0s  ok 2, failed 1\n");
	assert_has(t, "          2  40.0%  local→managed\n");
	ck_assert_ptr_null(strstr(t, "hgtop.annotate"));
	free(t);
	t = render(st, false);
	assert_has(t, "          1  20.0%  local->subagent->managed\n");
	assert_has(t, "2026-11-24 10:00:00 .. 2026-11-24 10:07:30");
	free(t);
	hg_stats_free(st);

	st = stats_for("kind:unparsable");
	t = render(st, true);
	assert_has(t, "  unparsable      1\n");
	free(t);
	hg_stats_free(st);
	st = stats_for("skill:review");
	t = render(st, true);
	assert_has(t, "  unparsable      0 (of 1 in the sessions; the filter hides the rest)\n");
	free(t);
	hg_stats_free(st);
}
END_TEST

static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
	return v->valuedouble;
}

START_TEST(test_json_report)
{
	struct hg_stats *st = stats_for("");
	char *s = hg_stats_json(st);
	cJSON *root = cJSON_Parse(s), *o, *a;

	ck_assert_ptr_nonnull(root);
	o = cJSON_GetObjectItemCaseSensitive(root, "overall");
	ck_assert_int_eq((int)jnum(o, "entries"), 6);
	ck_assert_int_eq((int)jnum(o, "unparsable_lines"), 1);
	ck_assert_int_eq((int)jnum(o, "span_ms"), 450000);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "first_timestamp")->valuestring,
			 "2026-11-24T10:00:00Z");
	a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "tiers"), 2);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "tier")->valuestring, "managed");
	ck_assert_int_eq((int)jnum(a, "p50_ms"), 2400);
	ck_assert_int_eq((int)jnum(a, "p95_ms"), 3000);
	ck_assert_double_eq_tol(jnum(a, "accept_rate"), 2.0 / 3.0, 1e-9);
	a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "models"), 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a, "first_accept_rate")));
	a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "skills"), 1);
	ck_assert_int_eq((int)jnum(cJSON_GetObjectItemCaseSensitive(a, "final_status"), "failed"), 1);
	ck_assert_int_eq((int)jnum(cJSON_GetObjectItemCaseSensitive(a, "resolved"), "never"), 1);
	o = cJSON_GetObjectItemCaseSensitive(root, "escalation_tax");
	ck_assert_double_eq_tol(jnum(o, "share"), 6100.0 / 11900.0, 1e-9);
	a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "chains"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "chain")->valuestring, "local→managed");
	cJSON_Delete(root);
	free(s);
	hg_stats_free(st);
}
END_TEST

/* Many durations (the accumulator merges them into runs, several times
 * over): tier percentiles and maximum against sorting, with repeats,
 * negatives and the int64 extremes, fed as several entries. */
START_TEST(test_percentile_many_durations)
{
	static const size_t sizes[] = { 4095, 4097, 30011, 120000 };
	unsigned seed = 777;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		size_t n = sizes[k], per = 1000, n_ent = (n + per - 1) / per;
		struct hg_attempt *a = xcalloc(n, sizeof(*a));
		struct hg_entry *e = xcalloc(n_ent, sizeof(*e));
		int64_t *sorted = xmalloc(n * sizeof(*sorted));
		struct hg_session s = { 0 };
		struct hg_session *ss = &s;
		struct hg_stats *st;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			hg_attempt_set_model(&a[i], hg_sym_of("m"));
			hg_attempt_set(&a[i], "local", "accept");
			hg_attempt_set_numbers(&a[i], 0, 0,
					       (int64_t)((seed >> 4) % (k % 2 ? 300000 : 700)) - 50);
			if (i == 17)
				hg_attempt_set_numbers(&a[i], 0, 0, INT64_MIN);
			if (i == n - 3)
				hg_attempt_set_numbers(&a[i], 0, 0, INT64_MAX);
			sorted[i] = hg_attempt_ms(&a[i]);
		}
		for (size_t i = 0; i < n_ent; i++) {
			hg_entry_set_sym(&e[i], HG_E_SKILL, hg_sym_of("w"));
			hg_entry_set_sym(&e[i], HG_E_FINAL_STATUS, hg_sym_of("ok"));
			e[i].attempts = a + i * per;
			e[i].n_attempts = (uint32_t)(i + 1 < n_ent ? per : n - i * per);
			e[i].ts_zero = true;
			hg_entry_set_place(&e[i], hg_entry_length(&e[i]), (int64_t)i + 1);
		}
		s.entries = e;
		s.n_entries = n_ent;
		s.spool_fd = -1;
		qsort(sorted, n, sizeof(*sorted), cmp64);
		st = hg_stats_compute(&ss, 1, NULL);
		ck_assert_uint_eq(st->n_tiers, 1);
		ck_assert_int_eq(st->tiers[0].attempts, (int64_t)n);
		ck_assert_int_eq(st->tiers[0].p50_ms, sorted[(50 * n + 99) / 100 - 1]);
		ck_assert_int_eq(st->tiers[0].p95_ms, sorted[(95 * n + 99) / 100 - 1]);
		ck_assert_int_eq(st->tiers[0].max_ms, INT64_MAX);
		ck_assert_int_eq(st->models[0].p95_ms, sorted[(95 * n + 99) / 100 - 1]);
		hg_stats_free(st);
		free(sorted);
		free(e);
		free(a);
	}
}
END_TEST

/* Untrusted names reach the text report sanitized. */
START_TEST(test_names_sanitized)
{
	struct hg_attempt a = { 0 };
	struct hg_entry e = { 0 };
	struct hg_session s = { 0 };
	struct hg_session *ss = &s;
	struct hg_stats *st;
	char *t;

	hg_attempt_set_model(&a, hg_sym_of("evil\x1b]0;title\x07"));
	hg_attempt_set(&a, "local", "accept");
	hg_entry_set_sym(&e, HG_E_SKILL, hg_sym_of("sk\x1b[31m"));
	hg_entry_set_sym(&e, HG_E_FINAL_STATUS, hg_sym_of("ok"));
	e.attempts = &a;
	e.n_attempts = 1;
	e.ts_zero = true;
	s.entries = &e;
	s.n_entries = 1;
	s.spool_fd = -1;
	st = hg_stats_compute(&ss, 1, NULL);
	t = render(st, true);
	ck_assert_ptr_null(strchr(t, '\x1b'));
	ck_assert_ptr_null(strchr(t, '\x07'));
	assert_has(t, "  time span       -\n");
	free(t);
	/* In the JSON too: C1 controls and bidi overrides become escapes. */
	s.id = (char *)"id\xc2\x9b[2J\xe2\x80\xaey";
	hg_stats_free(st);
	st = hg_stats_compute(&ss, 1, NULL);
	t = hg_stats_json(st);
	ck_assert_ptr_null(strstr(t, "\xc2\x9b"));
	ck_assert_ptr_null(strstr(t, "\xe2\x80\xae"));
	assert_has(t, "\"id\\u009B[2J\\u202Ey\"");
	free(t);
	hg_stats_free(st);
}
END_TEST

/* The header meter */

#define METER_ENTRIES 400

static unsigned meter_seed;

static unsigned
meter_rand(unsigned n)
{
	meter_seed = meter_seed * 1103515245u + 12345u;
	return (meter_seed >> 8) % n;
}

/* Random entries: known, empty and unknown tiers and verdicts, durations
 * with duplicates (and a few negative ones), now and then an annotation
 * or an unparsable line. */
static void
meter_entries(struct hg_entry *ents, struct hg_attempt *atts, size_t n)
{
	static const char *const tiers[] = { "local", "subagent", "managed", "", "edge", "gpu" };
	static const char *const verdicts[] = { "accept", "escalate", "error", "", "timeout" };

	memset(ents, 0, n * sizeof(*ents));
	for (size_t i = 0; i < n; i++) {
		struct hg_entry *e = &ents[i];
		unsigned k = meter_rand(20);

		hg_entry_set_place(e, hg_entry_length(e), (int64_t)i + 1);
		hg_entry_set_sym(e, HG_E_SKILL, hg_sym_of("x"));
		hg_entry_set_sym(e, HG_E_FINAL_STATUS, hg_sym_of("x"));
		hg_entry_set_sym(e, HG_E_SESSION_ID, hg_sym_of("x"));
		e->kind = k == 0 ? HG_ENTRY_UNPARSABLE : k == 1 ? HG_ENTRY_ANNOTATION : HG_ENTRY_OK;
		if (e->kind != HG_ENTRY_OK)
			continue;
		e->attempts = &atts[i * 4];
		e->n_attempts = meter_rand(5);
		for (uint32_t j = 0; j < e->n_attempts; j++) {
			struct hg_attempt *a = &e->attempts[j];
			const char *t = tiers[meter_rand(6)], *v = verdicts[meter_rand(5)];

			memset(a, 0, sizeof(*a));
			hg_attempt_set_numbers(a, j, j + 1, hg_attempt_ms(a));
			hg_attempt_set_model(a, hg_sym_of("m"));
			hg_attempt_set(a, hg_intern(t), hg_intern(v));
			{
				struct hg_attempt_info in = hg_attempt_info(a);

				in.warm_start = meter_rand(2);
				hg_attempt_set_info(a, &in);
			}
			/* On every other seed, an eighth of them beyond 32
			 * bits (enough to move the percentiles), which the
			 * meter cannot hold in 32. */
			hg_attempt_set_numbers(a, j, j + 1,
					       meter_seed % 2 && meter_rand(8) == 0
					       ? ((int64_t)1 << 33) * (meter_rand(2) ? 1 : -1) +
						 meter_rand(9)
					       : meter_rand(10) == 0 ? -(int64_t)meter_rand(50)
					       : (int64_t)meter_rand(i % 3 ? 100000 : 30));
		}
		hg_entry_masks(e);
	}
}

static void
assert_same_group(const struct hg_stats_group *a, const struct hg_stats_group *b)
{
	ck_assert_ptr_eq(a->name, b->name);
	ck_assert_int_eq(a->attempts, b->attempts);
	ck_assert_int_eq(a->accept, b->accept);
	ck_assert_int_eq(a->escalate, b->escalate);
	ck_assert_int_eq(a->error, b->error);
	ck_assert_int_eq(a->other, b->other);
	ck_assert_int_eq(a->warm, b->warm);
	ck_assert_int_eq(a->total_ms, b->total_ms);
	ck_assert_int_eq(a->p50_ms, b->p50_ms);
	ck_assert_int_eq(a->p95_ms, b->p95_ms);
	ck_assert_int_eq(a->max_ms, b->max_ms);
	ck_assert_int_eq(a->first_attempts, b->first_attempts);
	ck_assert_int_eq(a->first_accept, b->first_accept);
}

/* The meter over entries [0, n) against hg_stats_compute on them. */
static void
assert_meter_matches(struct hg_meter *m, struct hg_session *s, size_t n,
		     const struct hg_filter *f)
{
	size_t all = s->n_entries, nt;
	const struct hg_stats_group *g;
	struct hg_stats *st;
	char want[256], got[256];

	s->n_entries = n;
	st = hg_stats_compute(&s, 1, f);
	g = hg_meter_tiers(m, &nt);
	ck_assert_uint_eq(nt, st->n_tiers);
	for (size_t i = 0; i < nt; i++)
		assert_same_group(&g[i], &st->tiers[i]);
	for (int w = 10; w <= 210; w += 40) {
		hg_stats_summary_line(st, w, want, sizeof(want));
		hg_meter_line(m, hg_filter_text(f), w, got, sizeof(got));
		ck_assert_str_eq(got, want);
	}
	hg_stats_free(st);
	s->n_entries = all;
}

START_TEST(test_meter_matches_stats)
{
	static struct hg_entry ents[METER_ENTRIES];
	static struct hg_attempt atts[METER_ENTRIES * 4];
	static const char *const filters[] = { "", "verdict:accept", "tier:managed", "!tier:local" };
	struct hg_session sess;
	struct hg_session *s = &sess;
	struct hg_meter *m = hg_meter_new();

	memset(&sess, 0, sizeof(sess));
	sess.id = (char *)"meter";
	sess.path = (char *)"/nonexistent/meter.jsonl";
	sess.entries = ents;
	sess.spool_fd = -1;
	for (meter_seed = 1; meter_seed < 40; meter_seed += 3) {
		const char *expr = filters[meter_seed % HG_ARRAY_SIZE(filters)];
		struct hg_filter *f = hg_filter_parse(expr, NULL, 0, NULL);
		size_t n = 1 + meter_rand(METER_ENTRIES);

		ck_assert_ptr_nonnull(f);
		meter_entries(ents, atts, n);
		sess.n_entries = n;
		hg_meter_reset(m);
		assert_meter_matches(m, s, 0, f);
		/* Looked at along the way too: the numbers follow new entries. */
		for (size_t i = 0; i < n; i++) {
			if (hg_filter_shown(f, s, i))
				hg_meter_add_entry(m, &ents[i]);
			if (i % 97 == 0 || i == n - 1)
				assert_meter_matches(m, s, i + 1, f);
		}
		hg_filter_free(f);
	}
	hg_meter_free(m);
}
END_TEST

/* Change over time: series, histograms, projects and sessions, sorting,
 * drill-down terms */

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Seconds of a UTC time. */
static int64_t
utc(int y, int mo, int d, int h, int mi, int se)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi, .tm_sec = se };

	return (int64_t)timegm(&tm);
}

START_TEST(test_hist_bucket)
{
	static const struct { int64_t ms; int b; } cases[] = {
		{ -5, 0 }, { 0, 0 }, { 99, 0 }, { 100, 1 }, { 299, 1 }, { 300, 2 }, { 999, 2 },
		{ 1000, 3 }, { 2999, 3 }, { 3000, 4 }, { 9999, 4 }, { 10000, 5 }, { 29999, 5 },
		{ 30000, 6 }, { 59999, 6 }, { 60000, 7 }, { INT64_MAX, 7 },
	};

	for (size_t i = 0; i < HG_ARRAY_SIZE(cases); i++)
		ck_assert_int_eq(hg_stats_hist_bucket(cases[i].ms), cases[i].b);
	ck_assert_str_eq(hg_stats_hist_label(0, false), "<100ms");
	ck_assert_str_eq(hg_stats_hist_label(7, false), ">=1m");
	ck_assert_str_eq(hg_stats_hist_label(7, true), "≥1m");
}
END_TEST

START_TEST(test_hist_fixture)
{
	struct hg_stats *st = stats_for("");
	/* local: 100, 500, 1000, 1000 ms; managed: 2000, 2400, 3000 ms. */
	static const int64_t local[HG_HIST_N] = { 0, 1, 1, 2, 0, 0, 0, 0 };
	static const int64_t managed[HG_HIST_N] = { 0, 0, 0, 2, 1, 0, 0, 0 };
	char *t;

	for (int b = 0; b < HG_HIST_N; b++) {
		ck_assert_int_eq(st->tiers[0].hist[b], local[b]);
		ck_assert_int_eq(st->tiers[2].hist[b], managed[b]);
	}
	t = render(st, true);
	assert_has(t, "  tier     chart     <100ms  <300ms     <1s     <3s    <10s    <30s     <1m     ≥1m\n");
	assert_has(t, "  local     ▄▄█           0       1       1       2       0       0       0       0\n");
	assert_has(t, "  managed     █▄          0       0       0       2       1       0       0       0\n");
	free(t);
	t = render(st, false);
	assert_has(t, "  local     ==@           0       1       1       2       0       0       0       0\n");
	assert_has(t, "    >=1m\n");
	free(t);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_buckets_hours)
{
	int64_t start[HG_SERIES_MAX];
	size_t total, n;
	bool days;

	set_tz("UTC");
	n = hg_stats_buckets(utc(2026, 11, 24, 10, 20, 0), utc(2026, 11, 24, 12, 5, 0), start,
			     &total, &days);
	ck_assert(!days);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(total, 3);
	ck_assert_int_eq(start[0], utc(2026, 11, 24, 10, 0, 0));
	ck_assert_int_eq(start[2], utc(2026, 11, 24, 12, 0, 0));
	/* India: local hours start at half past in UTC. */
	set_tz("IST-5:30");
	n = hg_stats_buckets(utc(2026, 11, 24, 10, 20, 0), utc(2026, 11, 24, 12, 5, 0), start,
			     &total, &days);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(start[0], utc(2026, 11, 24, 9, 30, 0));
	ck_assert_int_eq(start[1], utc(2026, 11, 24, 10, 30, 0));
	ck_assert_int_eq(start[2], utc(2026, 11, 24, 11, 30, 0));
	/* Exactly 3 days is still hours: 73 of them. */
	set_tz("UTC");
	n = hg_stats_buckets(utc(2026, 11, 24, 0, 0, 0), utc(2026, 11, 27, 0, 0, 0), start,
			     &total, &days);
	ck_assert(!days);
	ck_assert_uint_eq(n, 73);
	set_tz("UTC");
}
END_TEST

START_TEST(test_buckets_days)
{
	int64_t start[HG_SERIES_MAX];
	size_t total, n;
	bool days;

	set_tz("UTC");
	n = hg_stats_buckets(utc(2026, 11, 24, 23, 0, 0), utc(2026, 11, 28, 0, 30, 0), start,
			     &total, &days);
	ck_assert(days);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(start[0], utc(2026, 11, 24, 0, 0, 0));
	ck_assert_int_eq(start[4], utc(2026, 11, 28, 0, 0, 0));
	/* New York across the end of summer time (1 November 2026): local
	 * midnights, one day of 25 hours. */
	set_tz("EST5EDT,M3.2.0,M11.1.0");
	n = hg_stats_buckets(utc(2026, 10, 30, 12, 0, 0), utc(2026, 11, 3, 12, 0, 0), start,
			     &total, &days);
	ck_assert(days);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(start[0], utc(2026, 10, 30, 4, 0, 0));
	ck_assert_int_eq(start[2], utc(2026, 11, 1, 4, 0, 0));
	ck_assert_int_eq(start[3], utc(2026, 11, 2, 5, 0, 0));
	ck_assert_int_eq(start[3] - start[2], 25 * 3600);
	/* Six years: the last HG_SERIES_MAX days. */
	set_tz("UTC");
	n = hg_stats_buckets(utc(2020, 1, 1, 0, 0, 0), utc(2026, 1, 1, 6, 0, 0), start, &total,
			     &days);
	ck_assert_uint_eq(n, HG_SERIES_MAX);
	ck_assert_uint_eq(total, 2193);
	ck_assert_int_eq(start[HG_SERIES_MAX - 1], utc(2026, 1, 1, 0, 0, 0));
	ck_assert_int_eq(start[0], utc(2026, 1, 1, 0, 0, 0) - (HG_SERIES_MAX - 1) * 86400);
}
END_TEST

/* Entries made in memory: when (UTC seconds), project, session file. */
#define SYN_N 5
static struct hg_entry syn_e[SYN_N];
static struct hg_attempt syn_a[SYN_N][2];
static struct hg_session syn_s[2];
static struct hg_session *syn_ss[2] = { &syn_s[0], &syn_s[1] };

static void
syn_attempt(struct hg_attempt *a, const char *tier, const char *verdict, int64_t ms)
{
	memset(a, 0, sizeof(*a));
	hg_attempt_set_model(a, hg_sym_of("m"));
	hg_attempt_set(a, hg_intern(tier), hg_intern(verdict));
	hg_attempt_set_numbers(a, 0, 0, ms);
}

static void
syn_load(void)
{
	static const struct {
		int h, m, s;
		const char *project;
		const char *tier1, *v1, *tier2, *v2;
		int64_t dur;
	} d[SYN_N] = {
		{ 10, 5, 0, "/src/a", "local", "accept", NULL, NULL, 1000 },
		{ 10, 59, 59, "/src/a", "local", "escalate", "managed", "accept", 9000 },
		{ 11, 0, 0, "", "local", "error", NULL, NULL, 200 },
		{ 13, 30, 0, "/src/my app", "subagent", "accept", NULL, NULL, 0 },
		{ 13, 45, 0, "/src/a", "local", "accept", NULL, NULL, 3000 },
	};

	set_tz("UTC");
	memset(syn_e, 0, sizeof(syn_e));
	memset(syn_s, 0, sizeof(syn_s));
	for (int i = 0; i < SYN_N; i++) {
		struct hg_entry *e = &syn_e[i];

		hg_entry_set_place(e, hg_entry_length(e), i + 1);
		e->ts_ns = utc(2026, 11, 24, d[i].h, d[i].m, d[i].s) * INT64_C(1000000000);
		hg_entry_set_sym(e, HG_E_SKILL, hg_sym_of(i % 2 ? "review" : "write"));
		hg_entry_set_sym(e, HG_E_FINAL_STATUS, hg_sym_of("ok"));
		e->file_path = hg_sym_of("");
		hg_entry_set_sym(e, HG_E_PROJECT_ROOT, *d[i].project ? hg_sym_of(d[i].project) : 0);
		hg_entry_set_ms(e, d[i].dur);
		e->attempts = syn_a[i];
		syn_attempt(&syn_a[i][0], d[i].tier1, d[i].v1, d[i].dur ? d[i].dur / 2 : 50);
		e->n_attempts = 1;
		if (d[i].tier2) {
			syn_attempt(&syn_a[i][1], d[i].tier2, d[i].v2, 4000);
			e->n_attempts = 2;
		}
		hg_entry_masks(e);
	}
	/* Entries 0-2 in "one", 3-4 in "my session". */
	syn_s[0].id = (char *)"one";
	syn_s[0].path = (char *)"/nonexistent/one.jsonl";
	syn_s[0].entries = syn_e;
	syn_s[0].n_entries = 3;
	syn_s[1].id = (char *)"my session";
	syn_s[1].path = (char *)"/nonexistent/my session.jsonl";
	syn_s[1].entries = syn_e + 3;
	syn_s[1].n_entries = 2;
	syn_s[0].spool_fd = syn_s[1].spool_fd = -1;
}

static void
syn_done(void)
{
	set_tz("UTC");
}

START_TEST(test_series_utc)
{
	struct hg_stats *st;
	const struct hg_stats_series *se;
	char *t, *j;
	cJSON *root, *b;

	set_tz("UTC");
	st = hg_stats_compute(syn_ss, 2, NULL);
	se = &st->series;
	ck_assert(!se->days);
	ck_assert_uint_eq(se->n, 4);
	ck_assert_int_eq(se->start[0], utc(2026, 11, 24, 10, 0, 0));
	/* 10:05 and 10:59:59 in the first hour, 11:00:00 in the next. */
	ck_assert_int_eq(se->entries[0], 2);
	ck_assert_int_eq(se->entries[1], 1);
	ck_assert_int_eq(se->entries[2], 0);
	ck_assert_int_eq(se->entries[3], 2);
	ck_assert_int_eq(se->attempts[0][0], 2);	/* local */
	ck_assert_int_eq(se->accept[0][0], 1);
	ck_assert_int_eq(se->attempts[2][0], 1);	/* managed */
	ck_assert_int_eq(se->accept[2][0], 1);
	ck_assert_int_eq(se->attempts[0][1], 1);
	ck_assert_int_eq(se->accept[0][1], 0);
	ck_assert_int_eq(se->attempts[1][3], 1);	/* subagent */
	t = render(st, true);
	assert_has(t, "Activity per hour (local time; 4 hours from 2026-11-24 10:00, one mark each)\n");
	assert_has(t, "  entry volume      █▄ █  5 entries, at most 2 in one hour\n");
	assert_has(t, "  local accept %    ▄▁ █  50.0% of 4 attempts\n");
	assert_has(t, "  managed accept %  █     100.0% of 1 attempt\n");
	free(t);
	t = render(st, false);
	assert_has(t, "  entry volume      @= @  5 entries, at most 2 in one hour\n");
	free(t);
	j = hg_stats_json(st);
	root = cJSON_Parse(j);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(
				 cJSON_GetObjectItemCaseSensitive(root, "series"), "bucket")->valuestring,
			 "hour");
	b = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
				       cJSON_GetObjectItemCaseSensitive(root, "series"), "buckets"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(b, "start")->valuestring,
			 "2026-11-24T10:00:00Z");
	ck_assert_int_eq((int)jnum(b, "entries"), 2);
	ck_assert_int_eq((int)jnum(cJSON_GetObjectItemCaseSensitive(
					   cJSON_GetObjectItemCaseSensitive(b, "tiers"), "local"), "accept"), 1);
	cJSON_Delete(root);
	free(j);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_series_zone)
{
	struct hg_stats *st;
	const struct hg_stats_series *se;
	char *j;
	cJSON *root, *b;

	/* Local hours at half past: 10:05 in 09:30-10:30, 10:59:59 and
	 * 11:00 in 10:30-11:30, 13:30 and 13:45 in 13:30-14:30. */
	set_tz("IST-5:30");
	st = hg_stats_compute(syn_ss, 2, NULL);
	se = &st->series;
	ck_assert_uint_eq(se->n, 5);
	ck_assert_int_eq(se->start[0], utc(2026, 11, 24, 9, 30, 0));
	ck_assert_int_eq(se->entries[0], 1);
	ck_assert_int_eq(se->entries[1], 2);
	ck_assert_int_eq(se->entries[2], 0);
	ck_assert_int_eq(se->entries[3], 0);
	ck_assert_int_eq(se->entries[4], 2);
	j = hg_stats_json(st);
	root = cJSON_Parse(j);
	b = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
				       cJSON_GetObjectItemCaseSensitive(root, "series"), "buckets"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(b, "start")->valuestring,
			 "2026-11-24T15:00:00+05:30");
	cJSON_Delete(root);
	free(j);
	hg_stats_free(st);
	/* The filter holds for the series too. */
	{
		struct hg_filter *f = hg_filter_parse("tier:subagent", NULL, 0, NULL);

		st = hg_stats_compute(syn_ss, 2, f);
		ck_assert_uint_eq(st->series.n, 1);
		ck_assert_int_eq(st->series.entries[0], 1);
		hg_stats_free(st);
		hg_filter_free(f);
	}
}
END_TEST

START_TEST(test_projects_and_sessions)
{
	struct hg_stats *st = hg_stats_compute(syn_ss, 2, NULL);
	struct hg_buf term = { 0 };
	char *t;

	ck_assert_uint_eq(st->n_projects, 3);
	ck_assert_str_eq(st->projects[0].name, "/src/a");
	ck_assert_int_eq(st->projects[0].entries, 3);
	ck_assert_int_eq(st->projects[0].attempts, 4);
	ck_assert_int_eq(st->projects[0].accept, 3);
	ck_assert_int_eq(st->projects[0].escalated, 1);
	ck_assert_int_eq(st->projects[0].p95_ms, 9000);
	ck_assert_str_eq(st->projects[1].name, "");	/* ties by name */
	ck_assert_int_eq(st->projects[1].error, 1);
	ck_assert_str_eq(st->projects[2].name, "/src/my app");
	ck_assert_int_eq(st->projects[2].p95_ms, HG_STATS_NONE);
	ck_assert_uint_eq(st->n_session_rows, 2);
	ck_assert_str_eq(st->session_rows[0].name, "one");
	ck_assert_int_eq(st->session_rows[0].entries, 3);
	ck_assert_int_eq(st->session_rows[0].last_ts_ns,
			 utc(2026, 11, 24, 11, 0, 0) * INT64_C(1000000000));
	ck_assert_str_eq(st->session_rows[1].name, "my session");
	t = render(st, true);
	assert_has(t, "\nProjects (project_root; accept and error over attempts, escalated over n entries)\n"
		   "  project             n  attempts           accept        escalated            error"
		   "      p95  last entry\n"
		   "  /src/a              3         4         3  75.0%         1  33.3%         0   0.0%"
		   "     9.0s  2026-11-24 13:45:00\n");
	assert_has(t, "  (none)              1         1         0   0.0%         0   0.0%         1 100.0%"
		   "    200ms  2026-11-24 11:00:00\n");
	assert_has(t, "  my session         2         2         2 100.0%");
	free(t);
	/* Drill-down terms, quoted when needed. */
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_PROJECTS, 0, &term));
	ck_assert_str_eq(term.p, "project:/src/a");
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_PROJECTS, 2, &term));
	ck_assert_str_eq(term.p, "project:\"/src/my app\"");
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_PROJECTS, 1, &term));
	ck_assert_str_eq(term.p, "project:\"\"");
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_SESSIONS, 1, &term));
	ck_assert_str_eq(term.p, "session:\"my session\"");
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_TIERS, 0, &term));
	ck_assert_str_eq(term.p, "tier:local");
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_SKILLS, 0, &term));
	ck_assert_str_eq(term.p, "skill:write");
	ck_assert(!hg_stats_filter_term(st, HG_STATS_T_SESSIONS, 2, &term));
	ck_assert(!hg_stats_filter_term(st, HG_STATS_T_NONE, 0, &term));
	hg_buf_free(&term);
	hg_stats_free(st);
}
END_TEST

/* A term from a row parses, and keeps what the row counts. */
START_TEST(test_filter_term_roundtrip)
{
	struct hg_stats *st = hg_stats_compute(syn_ss, 2, NULL), *st2;
	struct hg_buf term = { 0 };
	struct hg_filter *f;

	ck_assert(hg_stats_filter_term(st, HG_STATS_T_SESSIONS, 1, &term));
	f = hg_filter_parse(term.p, NULL, 0, NULL);
	ck_assert_ptr_nonnull(f);
	st2 = hg_stats_compute(syn_ss, 2, f);
	ck_assert_int_eq(st2->entries, 2);
	hg_stats_free(st2);
	hg_filter_free(f);
	ck_assert(hg_stats_filter_term(st, HG_STATS_T_TIERS, 2, &term));
	ck_assert_str_eq(term.p, "tier:managed");
	f = hg_filter_parse(term.p, NULL, 0, NULL);
	st2 = hg_stats_compute(syn_ss, 2, f);
	ck_assert_int_eq(st2->entries, 1);
	hg_stats_free(st2);
	hg_filter_free(f);
	hg_buf_free(&term);
	hg_stats_free(st);
}
END_TEST

START_TEST(test_sort_and_lines)
{
	struct hg_stats *st = stats_for("");
	struct hg_stats_line *lines = NULL;
	size_t n = 0, line = 0;
	struct hg_buf b = { 0 };
	enum hg_stats_order o = HG_STATS_ORDER_DEFAULT;
	const char *p;

	/* The cycles. */
	o = hg_stats_order_next(HG_STATS_T_TIERS, o);
	ck_assert_int_eq(o, HG_STATS_ORDER_N);
	ck_assert_int_eq(hg_stats_order_next(HG_STATS_T_SKILLS, HG_STATS_ORDER_DEFAULT), HG_STATS_ORDER_RATE);
	ck_assert_int_eq(hg_stats_order_next(HG_STATS_T_SESSIONS, HG_STATS_ORDER_NAME), HG_STATS_ORDER_DEFAULT);
	ck_assert_str_eq(hg_stats_order_name(HG_STATS_T_SKILLS, HG_STATS_ORDER_RATE), "escalated %");
	ck_assert_str_eq(hg_stats_order_name(HG_STATS_T_MODELS, HG_STATS_ORDER_RATE), "accept %");
	/* local p95 1.0s, subagent 1.5s, managed 3.0s; accept 25%, 50%, 67%. */
	hg_stats_sort(st, HG_STATS_T_TIERS, HG_STATS_ORDER_P95);
	ck_assert_str_eq(st->tiers[0].name, "managed");
	ck_assert_str_eq(st->tiers[2].name, "local");
	hg_stats_sort(st, HG_STATS_T_TIERS, HG_STATS_ORDER_RATE);
	ck_assert_str_eq(st->tiers[0].name, "managed");
	ck_assert_str_eq(st->tiers[1].name, "subagent");
	hg_stats_sort(st, HG_STATS_T_TIERS, HG_STATS_ORDER_NAME);
	ck_assert_str_eq(st->tiers[0].name, "local");
	ck_assert_str_eq(st->tiers[1].name, "managed");
	hg_stats_sort(st, HG_STATS_T_MODELS, HG_STATS_ORDER_NAME);
	ck_assert_str_eq(st->models[0].name, "opus");
	hg_stats_sort(st, HG_STATS_T_SKILLS, HG_STATS_ORDER_P95);
	ck_assert_str_eq(st->skills[0].name, "write");
	/* The lines: rows map to their table and index. */
	hg_stats_sort(st, HG_STATS_T_TIERS, HG_STATS_ORDER_P95);
	hg_stats_render_lines(st, &b, true, &lines, &n);
	for (p = b.p; p < b.p + b.len; p++)
		line += *p == '\n';
	ck_assert_uint_eq(n, line);
	assert_has(b.p, "\nTiers (rates over n attempts) [sorted by p95]\n");
	line = 0;
	for (p = b.p; p < b.p + b.len; p = strchr(p, '\n') + 1, line++) {
		if (strncmp(p, "  managed          3", 20) == 0) {
			ck_assert_int_eq(lines[line].table, HG_STATS_T_TIERS);
			ck_assert_int_eq(lines[line].row, 0);
		}
		if (strncmp(p, "  s1 ", 5) == 0) {
			ck_assert_int_eq(lines[line].table, HG_STATS_T_SESSIONS);
			ck_assert_int_eq(lines[line].row, 0);
		}
		if (strncmp(p, "Overall", 7) == 0 || strncmp(p, "Activity", 8) == 0)
			ck_assert_int_eq(lines[line].table, HG_STATS_T_NONE);
		if (strncmp(p, "  skill ", 8) == 0) {
			ck_assert_int_eq(lines[line].table, HG_STATS_T_SKILLS);
			ck_assert_int_eq(lines[line].row, -1);
		}
	}
	free(lines);
	hg_buf_free(&b);
	hg_stats_free(st);
}
END_TEST

static Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("percentile");

	tcase_add_test(tc, test_percentile_small);
	tcase_add_test(tc, test_percentile_matches_sort);
	tcase_add_test(tc, test_percentile_many_durations);
	suite_add_tcase(s, tc);
	tc = tcase_create("meter");
	tcase_add_test(tc, test_meter_matches_stats);
	suite_add_tcase(s, tc);
	tc = tcase_create("fixture");
	tcase_add_checked_fixture(tc, load_fixture, free_fixture);
	tcase_add_test(tc, test_overall);
	tcase_add_test(tc, test_tiers_and_models);
	tcase_add_test(tc, test_skills);
	tcase_add_test(tc, test_chains);
	tcase_add_test(tc, test_filtered);
	tcase_add_test(tc, test_summary_line);
	tcase_add_test(tc, test_text_report);
	tcase_add_test(tc, test_json_report);
	tcase_add_test(tc, test_hist_fixture);
	tcase_add_test(tc, test_sort_and_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("change");
	tcase_add_checked_fixture(tc, syn_load, syn_done);
	tcase_add_test(tc, test_hist_bucket);
	tcase_add_test(tc, test_buckets_hours);
	tcase_add_test(tc, test_buckets_days);
	tcase_add_test(tc, test_series_utc);
	tcase_add_test(tc, test_series_zone);
	tcase_add_test(tc, test_projects_and_sessions);
	tcase_add_test(tc, test_filter_term_roundtrip);
	suite_add_tcase(s, tc);
	tc = tcase_create("safety");
	tcase_add_test(tc, test_names_sanitized);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* Names are sanitized for a UTF-8 terminal (LC_ALL=C.UTF-8 in tests). */
	setlocale(LC_ALL, "");
	sr = srunner_create(stats_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
