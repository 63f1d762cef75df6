/* check_filter.c - the filter language: parser (valid and invalid input,
 * exact messages and columns) and matching on hand-built entries. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hgtop/filter.h"
#include "hgtop/intern.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

/* Parser: valid expressions and their normalised text */

static const struct {
	const char *expr;
	const char *text;
} valid[] = {
	{ "", "" },
	{ "   \t ", "" },
	{ "  tier:local   verdict:escalate ", "tier:local verdict:escalate" },
	{ "skill:\"a b\"", "skill:\"a b\"" },
	{ "Tier:LOCAL,Managed", "Tier:LOCAL,Managed" },
	{ "dur>=2s dur<1.5m", "dur>=2s dur<1.5m" },
	{ "dur!=5 dur==5 dur=5", "dur!=5 dur==5 dur=5" },
	{ "attempts<3", "attempts<3" },
	{ "!foo !\"a b\"", "!foo !\"a b\"" },
	{ "kind:ann* kind:ok", "kind:ann* kind:ok" },
	{ "skill:x*,\"y z\"*", "skill:x*,\"y z\"*" },
	{ "1:2 foo!bar dur attempts", "1:2 foo!bar dur attempts" },
	{ "verdict:none verdict:\"\"", "verdict:none verdict:\"\"" },
	{ "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"" },
	{ "model_used:qwen* session:s-1 file:src/a.c phase:build status:ok", "model_used:qwen* session:s-1 file:src/a.c phase:build status:ok" },
	{ "verdict:error | tier:managed", "verdict:error | tier:managed" },
	{ "( skill:a  |skill:b )  tier:local", "(skill:a | skill:b) tier:local" },
	{ "!(a | b)  c | ((d))", "!(a | b) c | ((d))" },
	{ "foo(bar) a) a|b", "foo(bar) a) a|b" },
	{ "\"(\" \"|\"", "\"(\" \"|\"" },
	{ "a(  \" \"  (b)", "a( \" \" (b)" },
	{ "since:2h until:today SINCE:2026-11-28T14:00:05z until:2026-11-28T14:00+01:00", "since:2h until:today SINCE:2026-11-28T14:00:05z until:2026-11-28T14:00+01:00" },
};

START_TEST(test_parse_valid)
{
	char err[256];
	int col = -1;
	struct hg_filter *f = hg_filter_parse(valid[_i].expr, err, sizeof(err), &col);

	ck_assert_msg(f != NULL, "'%s': %s", valid[_i].expr, err);
	ck_assert_str_eq(hg_filter_text(f), valid[_i].text);
	ck_assert_int_eq(hg_filter_is_empty(f), valid[_i].text[0] == '\0');
	ck_assert_int_eq(col, 0);
	hg_filter_free(f);
}
END_TEST

#define KEYS "(keys: verdict, tier, model, skill, status, phase, session, file, model_used, project, kind, dur, attempts, since, until, hgread)"
#define OPS "(expected >, >=, <, <=, = or !=)"
#define TIMES " (expected e.g. 2h, 30m, 90s, 3d, today, yesterday, 2026-11-28, " \
	"2026-11-28T14:00, 2026-11-28T14:00:05Z or 2026-11-28T14:00+01:00)"

static const struct {
	const char *expr;
	const char *err;
	int col;
} invalid[] = {
	{ "tier:", "value expected after 'tier:' at column 6", 6 },
	{ "tier:local,", "value expected after 'tier:local,' at column 12", 12 },
	{ "tier:,a", "value expected after 'tier:' at column 6", 6 },
	{ "verdict:accept foo:bar", "unknown key 'foo' at column 16 " KEYS, 16 },
	{ "!foo:x", "unknown key 'foo' at column 2 " KEYS, 2 },
	{ "http://example.com", "unknown key 'http' at column 1 " KEYS, 1 },
	{ "skill:\"abc", "unterminated quote at column 7", 7 },
	{ "ok \"abc", "unterminated quote at column 4", 4 },
	{ "dur>2x", "bad number '2x' at column 5 (expected e.g. 500, 500ms, 2s, 1.5m, 1h)", 5 },
	{ "dur>1.", "bad number '1.' at column 5 (expected e.g. 500, 500ms, 2s, 1.5m, 1h)", 5 },
	{ "dur>", "number expected after 'dur>' at column 5", 5 },
	{ "dur=>2s", "bad operator '=>' at column 4 " OPS, 4 },
	{ "dur:2s", "bad operator ':' at column 4 " OPS, 4 },
	{ "dur!2s", "bad operator '!' at column 4 " OPS, 4 },
	{ "attempts>1.5", "bad number '1.5' at column 10 (expected a whole number)", 10 },
	{ "attempts>3s", "bad number '3s' at column 10 (expected a whole number)", 10 },
	{ "skill>3", "bad operator '>' at column 6 (key 'skill' takes ':')", 6 },
	{ "a !", "term expected after '!' at column 4", 4 },
	{ "kind:foo", "unknown kind 'foo' at column 6 (kinds: entry, annotation, unparsable)", 6 },
	{ "skill:\"a\"b", "',' or space expected after closing quote at column 10", 10 },
	{ "\"a\"b", "space expected after closing quote at column 4", 4 },
	{ "a |", "term expected after '|' at column 4", 4 },
	{ "a | | b", "term expected after '|' at column 5", 5 },
	{ "| a", "term expected before '|' at column 1", 1 },
	{ "(a", "unbalanced '(' at column 1 (')' expected)", 1 },
	{ "x !(a | (b)", "unbalanced '(' at column 4 (')' expected)", 4 },
	{ "()", "term expected after '(' at column 2", 2 },
	{ "a | !(tier:)", "value expected after 'tier:' at column 12", 12 },
	{ "(skill:a,)", "value expected after 'skill:a,' at column 10", 10 },
	{ "since:", "time expected after 'since:' at column 7" TIMES, 7 },
	{ "since:2x", "bad time '2x' at column 7" TIMES, 7 },
	{ "until:90", "bad time '90' at column 7" TIMES, 7 },
	{ "until:2026-02-29", "bad time '2026-02-29' at column 7" TIMES, 7 },
	{ "since:2026-11-28T25:00", "bad time '2026-11-28T25:00' at column 7" TIMES, 7 },
	{ "since:2026-11-28T14:00+1", "bad time '2026-11-28T14:00+1' at column 7" TIMES, 7 },
	{ "since>2h", "bad operator '>' at column 6 (key 'since' takes ':')", 6 },
	/* Columns count characters, not bytes. */
	{ "\xc3\xa9t\xc3\xa9 tier:", "value expected after 'tier:' at column 10", 10 },
};

START_TEST(test_parse_invalid)
{
	char err[256];
	int col = 0;
	struct hg_filter *f = hg_filter_parse(invalid[_i].expr, err, sizeof(err), &col);

	ck_assert_msg(f == NULL, "'%s' parsed", invalid[_i].expr);
	ck_assert_str_eq(err, invalid[_i].err);
	ck_assert_int_eq(col, invalid[_i].col);
}
END_TEST

START_TEST(test_parse_error_without_buffers)
{
	ck_assert_ptr_null(hg_filter_parse("tier:", NULL, 0, NULL));
	ck_assert(hg_filter_is_empty(NULL));
	ck_assert_str_eq(hg_filter_text(NULL), "");
}
END_TEST

START_TEST(test_parse_effective)
{
	char err[256];
	int col = 0;
	struct hg_filter *f;

	f = hg_filter_parse_effective("skill:x*", "escalate", "local", err, sizeof(err), &col);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(hg_filter_text(f), "tier:local verdict:escalate skill:x*");
	hg_filter_free(f);

	f = hg_filter_parse_effective(NULL, "accept,error", NULL, err, sizeof(err), &col);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(hg_filter_text(f), "verdict:accept,error");
	hg_filter_free(f);

	f = hg_filter_parse_effective("", "", "", err, sizeof(err), &col);
	ck_assert(hg_filter_is_empty(f));
	hg_filter_free(f);

	/* Columns stay those of the typed expression. */
	ck_assert_ptr_null(hg_filter_parse_effective("tier:", "accept", "local", err, sizeof(err), &col));
	ck_assert_str_eq(err, "value expected after 'tier:' at column 6");
	ck_assert_int_eq(col, 6);

	ck_assert_ptr_null(hg_filter_parse_effective(NULL, "a b", NULL, err, sizeof(err), &col));
	ck_assert_str_eq(err, "verdict list: bad list 'a b' (expected e.g. accept,escalate)");
	ck_assert_ptr_null(hg_filter_parse_effective(NULL, NULL, "local,", err, sizeof(err), &col));
	ck_assert_str_eq(err, "tier list: bad list 'local,' (expected e.g. local,managed)");
}
END_TEST

/* Matching on hand-built entries */

static struct hg_attempt atts[16];
static const char *fbs[16];	/* the feedback of atts[i] */
static size_t n_atts;
static struct hg_entry ents[8];
static struct hg_entry_more mores[8];	/* message, note or reason of ents[i] */
static struct hg_session sess;

static struct hg_attempt *
att(const char *tier, const char *verdict, const char *model, int64_t ms, const char *fb)
{
	struct hg_attempt *a = &atts[n_atts++];

	memset(a, 0, sizeof(*a));
	hg_attempt_set(a, hg_intern(tier), hg_intern(verdict));
	hg_attempt_set_model(a, hg_sym_of(model));
	hg_attempt_set_numbers(a, 0, 0, ms);
	fbs[a - atts] = fb;
	return a;
}

static struct hg_entry *
ent(size_t i, const char *skill, const char *status, int64_t ms, const char *msg)
{
	struct hg_entry *e = &ents[i];

	memset(e, 0, sizeof(*e));
	hg_entry_set_place(e, hg_entry_length(e), (int64_t)i + 1);
	hg_entry_set_sym(e, HG_E_SESSION_ID, hg_sym_of("sess-A"));
	hg_entry_set_sym(e, HG_E_SKILL, hg_sym_of(skill));
	hg_entry_set_sym(e, HG_E_FINAL_STATUS, hg_sym_of(status));
	hg_entry_set_sym(e, HG_E_PHASE, hg_sym_of(""));
	hg_entry_set_sym(e, HG_E_MODEL_USED, hg_sym_of(""));
	e->file_path = hg_sym_of("");
	hg_entry_set_sym(e, HG_E_PROJECT_ROOT, hg_sym_of(""));
	hg_entry_set_ms(e, ms);
	memset(&mores[i], 0, sizeof(mores[i]));
	mores[i].message = (char *)msg;
	e->more = &mores[i];
	hg_entry_set_message_len(e, msg ? (uint32_t)strlen(msg) : 0);
	e->attempts = &atts[n_atts];
	return e;
}

/*
 * line 1  write-file ok    1200  [local accept qwen]          phase build, file src/a.c, model_used qwen-7b
 * line 2  refactor   failed 2100 [local escalate qwen "tests fail"] [managed error opus]
 * line 3  refactor   ok    9800  [local error qwen] [subagent escalate sonnet "Needs Work"] [managed accept opus]
 * line 4  Write-Test ok     500  [subagent accept sonnet]     phase test
 * line 5  plan       ok       0  no attempts, message "two words here"
 * line 6  annotation of line 2, message "flaky test"
 * line 7  unparsable, reason "invalid JSON: unexpected end"
 * line 8  write-file ok    3000  [local (no verdict) qwen] [managed accept opus]
 */
static void
setup_entries(void)
{
	struct hg_entry *e;

	for (size_t i = 0; i < 8; i++)
		if (ents[i].packed)
			free(ents[i].attempts);	/* the last setup's feedback */
	n_atts = 0;
	e = ent(0, "write-file", "ok", 1200, "wrote file");
	hg_entry_set_sym(e, HG_E_PHASE, hg_sym_of("build"));
	e->file_path = hg_sym_of("src/a.c");
	hg_entry_set_sym(e, HG_E_MODEL_USED, hg_sym_of("qwen-7b"));
	hg_entry_set_sym(e, HG_E_PROJECT_ROOT, hg_sym_of("/home/kai/proj"));
	att("local", "accept", "qwen", 1200, NULL);
	e->n_attempts = 1;
	e = ent(1, "refactor", "failed", 2100, NULL);
	hg_entry_set_sym(e, HG_E_PROJECT_ROOT, hg_sym_of("/srv/Retry-Queue"));
	att("local", "escalate", "qwen", 1200, "tests fail");
	att("managed", "error", "opus", 900, NULL);
	e->n_attempts = 2;
	e = ent(2, "refactor", "ok", 9800, NULL);
	att("local", "error", "qwen", 300, NULL);
	att("subagent", "escalate", "sonnet", 4000, "Needs Work");
	att("managed", "accept", "opus", 5500, NULL);
	e->n_attempts = 3;
	e = ent(3, "Write-Test", "ok", 500, NULL);
	hg_entry_set_sym(e, HG_E_PHASE, hg_sym_of("test"));
	att("subagent", "accept", "sonnet", 500, NULL);
	e->n_attempts = 1;
	ent(4, "plan", "ok", 0, "two words here");
	e = ent(5, "hgtop.annotate", "annotation", 0, "flaky test");
	e->kind = HG_ENTRY_ANNOTATION;
	mores[5].note = (struct hg_note_ref){ .target_line = 2, .target_skill = hg_intern("refactor"),
				      .has_target_ts = true };	/* ts_ns 0, as ent() leaves line 2 */
	e = ent(6, "", "", 0, NULL);
	e->kind = HG_ENTRY_UNPARSABLE;
	hg_entry_set_sym(e, HG_E_SESSION_ID, hg_sym_of(""));
	mores[6].reason = (char *)"invalid JSON: unexpected end";
	e = ent(7, "write-file", "ok", 3000, NULL);
	att("local", "", "qwen", 3000, NULL);
	att("managed", "accept", "opus", 0, NULL);
	e->n_attempts = 2;

	/* Lines 2 and 3 keep a feedback after their attempts. */
	hg_entry_set_feedback(&ents[1], &fbs[ents[1].attempts - atts]);
	hg_entry_set_feedback(&ents[2], &fbs[ents[2].attempts - atts]);
	for (size_t i = 0; i < 8; i++)
		hg_entry_masks(&ents[i]);
	memset(&sess, 0, sizeof(sess));
	sess.id = (char *)"file-x";
	sess.path = (char *)"/nonexistent/file-x.jsonl";
	sess.entries = ents;
	sess.n_entries = 8;
	sess.spool_fd = -1;
}

/* The lines F matches, as a string of line numbers: "1 2 8" (F freed). */
static char *
matched_lines(struct hg_filter *f)
{
	struct hg_buf b = { 0 };

	hg_buf_adds(&b, "");
	for (size_t i = 0; i < sess.n_entries; i++)
		if (hg_filter_match(f, &sess, &ents[i]))
			hg_buf_printf(&b, "%s%lld", b.len ? " " : "",
				      (long long)hg_entry_line(&ents[i]));
	hg_filter_free(f);
	return b.p;
}

/* Which lines EXPR matches. */
static char *
matching(const char *expr)
{
	char err[256];
	struct hg_filter *f = hg_filter_parse(expr, err, sizeof(err), NULL);

	ck_assert_msg(f != NULL, "'%s': %s", expr, err);
	return matched_lines(f);
}

static const struct {
	const char *expr;
	const char *lines;
} cases[] = {
	{ "", "1 2 3 4 5 6 7 8" },
	{ "tier:local", "1 2 3 8" },
	/* One attempt must be local and escalate: line 3 has both, apart. */
	{ "tier:local verdict:escalate", "2" },
	{ "verdict:escalate tier:local", "2" },
	{ "tier:local verdict:error", "3" },
	{ "tier:local tier:managed", "" },
	{ "tier:local,managed verdict:accept", "1 3 8" },
	{ "model:opus verdict:accept", "3 8" },
	{ "model:qwen verdict:accept", "1" },
	{ "tier:*", "1 2 3 4 8" },
	/* Negated attempt terms: no attempt satisfies them. */
	{ "!verdict:error", "1 4 5 6 8" },
	{ "!tier:local", "4 5 6" },
	{ "tier:managed !verdict:error", "8" },
	{ "verdict:none", "8" },
	{ "verdict:\"\"", "8" },
	{ "verdict:NONE,error", "2 3 8" },
	/* Values: case-insensitive, prefix, alternatives. */
	{ "skill:write*", "1 4 8" },
	{ "skill:WRITE-FILE", "1 8" },
	{ "skill:write-file,plan", "1 5 8" },
	{ "skill:write", "" },
	{ "status:ok !skill:refactor", "1 4 5 8" },
	{ "status:fail*", "2" },
	{ "phase:\"\"", "2 3 5 6 8" },
	{ "phase:build,test", "1 4" },
	{ "file:src/*", "1" },
	/* A star anywhere; a star never takes an empty (absent) field. */
	{ "file:*", "1" },
	{ "!file:*", "2 3 4 5 6 8" },
	{ "file:*a.c", "1" },
	{ "file:*/A*", "1" },
	{ "file:s*c", "1" },
	{ "file:*x*", "" },
	{ "skill:*fact*", "2 3" },
	{ "skill:r*f*r", "2 3" },
	{ "skill:w*-*", "1 4 8" },
	{ "skill:*-*-*", "" },
	{ "skill:*e", "1 6 8" },
	{ "skill:\"*fact*\"", "" },
	{ "skill:**", "1 2 3 4 5 6 8" },
	{ "phase:*", "1 4" },
	{ "model:*w*", "1 2 3 8" },
	{ "tier:*cal", "1 2 3 8" },
	{ "verdict:*", "1 2 3 4 8" },
	{ "project:/home/kai/proj", "1" },
	{ "project:*retry*", "2" },
	{ "project:*", "1 2" },
	{ "!project:*", "3 4 5 6 8" },
	{ "project:\"\"", "3 4 5 6 8" },
	{ "model_used:qwen*", "1" },
	{ "session:sess-a", "1 2 3 4 5 6 8" },
	{ "session:file-x", "1 2 3 4 5 6 8" },
	{ "session:other", "" },
	/* Numbers and units. */
	{ "dur>2s", "2 3 8" },
	{ "dur>=2100", "2 3 8" },
	{ "dur>2100ms", "3 8" },
	{ "dur<=500ms", "4 5 6" },
	{ "dur<1.5s", "1 4 5 6" },
	{ "dur>0.1m", "3" },
	{ "dur<1h dur>9s", "3" },
	{ "dur=500", "4" },
	{ "!dur>1s", "4 5 6" },
	{ "attempts>=3", "3" },
	{ "attempts=0", "5 6" },
	{ "attempts!=1", "2 3 5 6 8" },
	/* Words: skill, message, feedback, final_status; unparsable reason. */
	{ "fail", "2" },
	{ "needs", "3" },
	{ "NEEDS work", "3" },
	{ "\"two words\"", "5" },
	{ "two words", "5" },
	{ "\"words two\"", "" },
	{ "test", "2 4 6" },
	{ "wrote*", "1" },
	{ "unexpected", "7" },
	{ "!\"two words\"", "1 2 3 4 6 7 8" },
	{ "\"\"", "1 2 3 4 5 6 7 8" },
	/* Kinds. Unparsable lines only pass words and kind terms. */
	{ "kind:unparsable", "7" },
	{ "kind:annotation", "6" },
	{ "kind:ann*", "6" },
	{ "!kind:annotation,unparsable", "1 2 3 4 5 8" },
	{ "kind:entry tier:managed", "2 3 8" },
	{ "kind:unparsable json", "7" },
	{ "!skill:plan", "1 2 3 4 6 8" },
	/* OR and groups: side by side binds tighter than "|". */
	{ "verdict:error | phase:test", "2 3 4" },
	{ "skill:plan | tier:subagent verdict:accept", "4 5" },
	{ "(skill:plan | tier:subagent) verdict:accept", "3 4" },
	{ "(skill:refactor | skill:plan) tier:local", "2 3" },
	/* Attempt terms of one group hold on one attempt, across a group. */
	{ "tier:local (skill:refactor | skill:plan) verdict:escalate", "2" },
	{ "tier:local (verdict:escalate)", "2 3" },
	{ "!(skill:refactor | skill:plan)", "1 4 6 8" },
	{ "!(skill:refactor | kind:unparsable)", "1 4 5 6 8" },
	{ "kind:unparsable | tier:managed", "2 3 7 8" },
	{ "unexpected | needs", "3 7" },
	{ "((fail))", "2" },
	{ "!(!(fail))", "2" },
};

START_TEST(test_match)
{
	char *got;

	setup_entries();
	got = matching(cases[_i].expr);
	ck_assert_msg(strcmp(got, cases[_i].lines) == 0, "'%s': got [%s], want [%s]",
		      cases[_i].expr, got, cases[_i].lines);
	free(got);
}
END_TEST

/* Time terms: lines 1-4 an hour apart from 2026-11-28T10:00Z, line 5
 * without a timestamp, the note (6) at 15:00, line 8 at 11-29T01:00Z. */
#define T0 INT64_C(1795860000)		/* 2026-11-28T10:00:00Z */
#define NOW (INT64_C(1795917630) * 1000000000)	/* 2026-11-29T02:00:30Z */

static void
setup_times(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
	setup_entries();
	for (size_t i = 0; i < 8; i++)
		ents[i].ts_ns = (T0 + (int64_t)i * 3600) * 1000000000;
	ents[4].ts_ns = 0;	/* as the parser leaves Go's zero time */
	ents[4].ts_zero = true;
	ents[7].ts_ns = (T0 + 15 * 3600) * 1000000000;
}

static char *
matching_at(const char *expr, int64_t now)
{
	struct hg_filter *f = hg_filter_parse(expr, NULL, 0, NULL);

	ck_assert_msg(f != NULL, "'%s' refused", expr);
	hg_filter_set_now(f, now);
	return matched_lines(f);
}

static const struct {
	const char *tz;
	const char *expr;
	const char *lines;
} time_cases[] = {
	{ "UTC", "since:2026-11-28T12:00Z", "3 4 6 8" },
	/* until: excludes its instant. */
	{ "UTC", "until:2026-11-28T12:00Z", "1 2" },
	{ "UTC", "until:2026-11-28T12:00:01Z", "1 2 3" },
	{ "UTC", "since:2026-11-28T11:00 until:2026-11-28T13:00", "2 3" },
	{ "UTC", "since:2026-11-28T12:30+01:00", "3 4 6 8" },
	{ "UTC", "since:2026-11-28T09:00-01:30", "2 3 4 6 8" },
	{ "UTC", "since:2026-11-28T12:30-01:00", "6 8" },
	{ "UTC", "since:2026-11-29", "8" },
	/* No timestamp, or unparsable: no time term holds, negated or not,
	 * nor in a negated group. */
	{ "UTC", "!(since:2026-11-28T12:00Z)", "1 2" },
	{ "UTC", "since:2026-11-28T13:00Z | skill:plan", "4 5 6 8" },
	{ "UTC", "!(since:2026-11-28T12:00Z | skill:plan)", "1 2" },
	{ "UTC", "!since:2026-11-28T12:00Z", "1 2" },
	{ "UTC", "!until:2026-11-28T12:00Z tier:*", "3 4 8" },
	/* Relative to NOW (02:00:30): hours count from the whole minute. */
	{ "UTC", "since:2h", "8" },
	{ "UTC", "since:1d", "1 2 3 4 6 8" },
	{ "UTC", "since:24H", "1 2 3 4 6 8" },
	{ "UTC", "since:61m", "8" },
	{ "UTC", "since:90s", "" },
	{ "UTC", "until:90s", "1 2 3 4 6 8" },
	{ "UTC", "since:today", "8" },
	{ "UTC", "since:yesterday until:today", "1 2 3 4 6" },
	{ "UTC", "since:yesterday,today", NULL },
	/* Local time: UTC+9, where NOW is 11:00:30 on the 29th. */
	{ "XYZ-9", "since:2026-11-28T20:00", "2 3 4 6 8" },
	{ "XYZ-9", "since:2026-11-28T20:00Z", "8" },
	/* Local midnight of the 29th is 28T15:00Z. */
	{ "XYZ-9", "since:today", "6 8" },
	{ "XYZ-9", "since:yesterday until:today", "1 2 3 4" },
	{ "XYZ-9", "since:2026-11-29", "6 8" },
};

START_TEST(test_match_time)
{
	char *got;

	setup_times(time_cases[_i].tz);
	if (!time_cases[_i].lines) {
		ck_assert_ptr_null(hg_filter_parse(time_cases[_i].expr, NULL, 0, NULL));
		return;
	}
	got = matching_at(time_cases[_i].expr, NOW);
	ck_assert_msg(strcmp(got, time_cases[_i].lines) == 0, "'%s' (TZ %s): got [%s], want [%s]",
		      time_cases[_i].expr, time_cases[_i].tz, got, time_cases[_i].lines);
	free(got);
}
END_TEST

/* A relative term moves with the clock: set_now says when it moved. */
START_TEST(test_time_moves)
{
	struct hg_filter *f;

	setup_times("UTC");
	f = hg_filter_parse("since:2h", NULL, 0, NULL);
	ck_assert(hg_filter_moves(f));
	hg_filter_set_now(f, NOW);
	ck_assert(!hg_filter_set_now(f, NOW + 29 * INT64_C(1000000000)));	/* same minute */
	ck_assert(hg_filter_set_now(f, NOW + 30 * INT64_C(1000000000)));	/* 02:01 */
	ck_assert(hg_filter_match(f, &sess, &ents[7]));
	/* Two hours later, line 8 (01:00) is older than 2h. */
	hg_filter_set_now(f, NOW + 7200 * INT64_C(1000000000));
	ck_assert(!hg_filter_match(f, &sess, &ents[7]));
	hg_filter_free(f);

	f = hg_filter_parse("since:90s", NULL, 0, NULL);
	hg_filter_set_now(f, NOW);
	ck_assert(hg_filter_set_now(f, NOW + INT64_C(1000000000)));
	hg_filter_free(f);

	f = hg_filter_parse("since:2026-11-28 skill:x", NULL, 0, NULL);
	ck_assert(!hg_filter_moves(f));
	ck_assert(!hg_filter_set_now(f, NOW));
	hg_filter_free(f);
	setenv("TZ", "UTC", 1);
	tzset();
}
END_TEST

/* Tab in the f prompt: keys, then values seen in the logs. */
static char *
completed(const char *text)
{
	struct hg_session *ss[1] = { &sess };
	struct hg_filter_completion c;
	struct hg_buf b = { 0 };

	hg_filter_complete(text, strlen(text), ss, 1, &c);
	hg_buf_printf(&b, "%zu:", c.from);
	for (size_t i = 0; i < c.n; i++)
		hg_buf_printf(&b, " %s", c.cands[i]);
	hg_filter_completion_free(&c);
	return b.p;
}

START_TEST(test_complete)
{
	static const struct { const char *text, *want; } ccases[] = {
		{ "ti", "0: tier:" },
		{ "a | !(sta", "6: status:" },
		{ "d", "0: dur" },
		{ "tier:local skill:w", "17: Write-Test write-file" },
		{ "!tier:m", "6: managed" },
		{ "model:x,", "8: opus qwen sonnet" },
		{ "kind:u", "5: unparsable" },
		{ "until:y", "6: yesterday" },
		{ "file:", "5: src/a.c" },
		{ "project:/h", "8: /home/kai/proj" },
		{ "zz", "0:" },
		{ "nokey:x", "0:" },
		{ "dur>", "0:" },
	};

	setup_entries();
	for (size_t i = 0; i < HG_ARRAY_SIZE(ccases); i++) {
		char *got = completed(ccases[i].text);

		ck_assert_msg(strcmp(got, ccases[i].want) == 0, "'%s': got [%s], want [%s]",
			      ccases[i].text, got, ccases[i].want);
		free(got);
	}
}
END_TEST

START_TEST(test_match_null_session)
{
	struct hg_filter *f = hg_filter_parse("session:file-x", NULL, 0, NULL);

	setup_entries();
	ck_assert(!hg_filter_match(f, NULL, &ents[0]));
	ck_assert(hg_filter_match(NULL, NULL, &ents[0]));
	hg_filter_free(f);
}
END_TEST

START_TEST(test_match_attempt)
{
	struct hg_filter *f = hg_filter_parse("tier:local verdict:escalate", NULL, 0, NULL);

	setup_entries();
	ck_assert(hg_filter_has_attempt_terms(f));
	ck_assert(hg_filter_match_attempt(f, &ents[1], 0));
	ck_assert(!hg_filter_match_attempt(f, &ents[1], 1));
	ck_assert(!hg_filter_match_attempt(f, &ents[1], 2));	/* out of range */
	for (size_t i = 0; i < 3; i++)
		ck_assert(!hg_filter_match_attempt(f, &ents[2], i));
	hg_filter_free(f);

	f = hg_filter_parse("model:opus skill:refactor", NULL, 0, NULL);
	ck_assert(!hg_filter_match_attempt(f, &ents[2], 0));
	ck_assert(!hg_filter_match_attempt(f, &ents[2], 1));
	ck_assert(hg_filter_match_attempt(f, &ents[2], 2));
	hg_filter_free(f);

	/* Negated or entry-level terms alone highlight nothing. */
	f = hg_filter_parse("!verdict:error skill:write-file", NULL, 0, NULL);
	ck_assert(!hg_filter_has_attempt_terms(f));
	ck_assert(!hg_filter_match_attempt(f, &ents[0], 0));
	hg_filter_free(f);
	ck_assert(!hg_filter_match_attempt(NULL, &ents[0], 0));
}
END_TEST

static size_t
session_count(const char *expr, bool *match)
{
	struct hg_filter *f = hg_filter_parse(expr, NULL, 0, NULL);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = hg_filter_session(f, &sess, match, 0, NULL);
	hg_filter_free(f);
	return n;
}

START_TEST(test_annotations_follow)
{
	bool match[8];

	setup_entries();
	ck_assert_uint_eq(hg_filter_subject(&sess, 5), 1);
	ck_assert_uint_eq(hg_filter_subject(&sess, 1), 1);
	/* The annotation (line 6) has no attempts but its target (line 2) does. */
	ck_assert_uint_eq(session_count("tier:managed", match), 4);
	ck_assert(match[1] && match[5]);
	ck_assert_uint_eq(session_count("!verdict:error", match), 4);
	ck_assert(!match[1] && !match[5]);
	/* The annotation's own text does not show it without its target. */
	ck_assert_uint_eq(session_count("flaky", match), 0);
	ck_assert_uint_eq(session_count("", match), 8);
	/* An annotation whose target is missing keeps its own result. */
	mores[5].note.target_line = 99;
	ck_assert_uint_eq(session_count("flaky", match), 1);
	ck_assert(match[5]);
	ck_assert_uint_eq(session_count("tier:managed", match), 3);
	ck_assert(!match[5]);
	/* So does one whose target line now holds another entry. */
	mores[5].note.target_line = 2;
	mores[5].note.target_skill = hg_intern("write-file");
	ck_assert_uint_eq(session_count("flaky", match), 1);
	ck_assert_uint_eq(session_count("tier:managed", match), 3);
	ck_assert(!match[5]);
	for (size_t i = 0; i < 8; i++)
		ck_assert_uint_eq(hg_filter_subject(&sess, i), i);
	ck_assert(hg_filter_shown(NULL, &sess, 5));
}
END_TEST

/* A filter that asks for notes matches them themselves. */
START_TEST(test_notes_listed)
{
	bool match[8];
	static const char *const lists[] = {
		"kind:annotation", "kind:a*", "skill:hgtop.annotate", "skill:HGTOP.*", "kind:entry,annotation",
	};
	static const char *const follows[] = {
		"!kind:annotation", "!skill:hgtop.annotate", "kind:entry", "skill:refactor", "flaky",
	};

	setup_entries();
	for (size_t i = 0; i < HG_ARRAY_SIZE(lists); i++) {
		struct hg_filter *f = hg_filter_parse(lists[i], NULL, 0, NULL);

		ck_assert_msg(hg_filter_lists_notes(f), "%s", lists[i]);
		hg_filter_free(f);
	}
	for (size_t i = 0; i < HG_ARRAY_SIZE(follows); i++) {
		struct hg_filter *f = hg_filter_parse(follows[i], NULL, 0, NULL);

		ck_assert_msg(!hg_filter_lists_notes(f), "%s", follows[i]);
		hg_filter_free(f);
	}
	ck_assert(!hg_filter_lists_notes(NULL));
	/* The note on line 2 is matched itself, not through its target. */
	ck_assert_uint_eq(session_count("kind:annotation", match), 1);
	ck_assert(match[5] && !match[1]);
	ck_assert_uint_eq(session_count("skill:hgtop.annotate flaky", match), 1);
	ck_assert(match[5]);
	ck_assert_uint_eq(session_count("skill:hgtop.annotate,refactor", match), 3);
	ck_assert(match[1] && match[2] && match[5]);
	/* Without it, the note follows line 2 as before. */
	ck_assert_uint_eq(session_count("skill:refactor", match), 3);
	ck_assert(match[5]);
}
END_TEST

/* Values of verdict and tier: known ones, prefixes of known ones, "none",
 * and those that occur in the sessions; others are typos. */
START_TEST(test_check_values)
{
	struct hg_session *ss[1] = { &sess };
	char err[256];
	int col = -1;
	static const char *const good[] = {
		"", "verdict:accept", "VERDICT:Escalate,error", "verdict:acc*", "verdict:none",
		"verdict:\"\"", "verdict:*", "tier:local,subagent,managed", "tier:man*", "tier:none",
		"!verdict:error", "tier:n*", "skill:acept", "model:foo", "acept",
	};

	setup_entries();
	for (size_t i = 0; i < HG_ARRAY_SIZE(good); i++)
		ck_assert_msg(hg_filter_check_values(good[i], ss, 1, err, sizeof(err), &col),
			      "%s: %s", good[i], err);
	ck_assert(!hg_filter_check_values("skill:x verdict:accept,acept", ss, 1, err, sizeof(err),
					  &col));
	ck_assert_str_eq(err, "unknown verdict 'acept' at column 24 (verdicts: accept, escalate, "
			 "error, none)");
	ck_assert_int_eq(col, 24);
	ck_assert(!hg_filter_check_values("tier:foo*", ss, 1, err, sizeof(err), NULL));
	ck_assert_str_eq(err, "unknown tier 'foo*' (tiers: local, subagent, managed, none)");
	ck_assert(!hg_filter_check_values("!verdict:timeout", ss, 1, err, sizeof(err), NULL));
	/* A parse error is the parser's. */
	ck_assert(!hg_filter_check_values("tier:", ss, 1, err, sizeof(err), &col));
	ck_assert_str_eq(err, "value expected after 'tier:' at column 6");
	/* A value that a log holds is valid; the message names such values. */
	hg_attempt_set(&atts[0], hg_attempt_tier(&atts[0]), hg_intern("timeout"));
	ck_assert_int_eq(atts[0].verdict, HG_VERDICT_OTHER);
	hg_entry_masks(&ents[0]);
	ck_assert(hg_filter_check_values("verdict:timeout", ss, 1, err, sizeof(err), &col));
	ck_assert(hg_filter_check_values("verdict:time*", ss, 1, err, sizeof(err), &col));
	ck_assert(!hg_filter_check_values("verdict:timout", ss, 1, err, sizeof(err), NULL));
	ck_assert_str_eq(err, "unknown verdict 'timout' (verdicts: accept, escalate, error, none; "
			 "in these logs also: timeout)");
	ck_assert(!hg_filter_check_values("verdict:timeout", ss, 0, err, sizeof(err), NULL));
}
END_TEST

START_TEST(test_follow_incremental)
{
	bool match[8] = { false };
	struct hg_filter *f = hg_filter_parse("skill:refactor", NULL, 0, NULL);
	size_t hits = 99;

	setup_entries();
	sess.n_entries = 4;
	ck_assert_uint_eq(hg_filter_session(f, &sess, match, 0, &hits), 2);
	ck_assert_uint_eq(hits, 2);
	sess.n_entries = 8;
	/* Appended entries 5..8: the annotation of line 2 follows it, and
	 * is a line that matches but not an entry. */
	ck_assert_uint_eq(hg_filter_session(f, &sess, match, 4, &hits), 1);
	ck_assert_uint_eq(hits, 0);
	ck_assert(match[5]);
	hg_filter_free(f);
}
END_TEST

/* Long texts are read back from the file. */

/* Each line is pre + 699 'x' + post. */
static const char *const long_lines[][2] = {
	{ "{\"session_id\":\"L\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"skill\":\"s\",\"final_status\":\"ok\","
	  "\"message\":\"", " needle\"}\n" },
	{ "{\"session_id\":\"L\",\"timestamp\":\"2026-01-01T00:00:01Z\",\"skill\":\"s\",\"attempts\":[{\"attempt\":1,"
	  "\"model\":\"m\",\"tier\":\"local\",\"duration_ms\":1,\"warm_start\":false,\"verified\":false,"
	  "\"verdict\":\"escalate\",\"feedback\":\"", " \\u003cb\\u003e tag\"}],\"final_status\":\"ok\"}\n" },
};

static struct hg_session *
long_session(char *path, size_t n)
{
	char pad[700];
	FILE *fp;
	struct hg_session *s;
	int fd;

	snprintf(path, n, "/tmp/hgtop-filter-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (size_t i = 0; i < HG_ARRAY_SIZE(long_lines); i++)
		fprintf(fp, "%s%s%s", long_lines[i][0], pad, long_lines[i][1]);
	fclose(fp);
	s = hg_session_new(path);
	hg_session_ingest(s, 0);
	ck_assert_uint_eq(s->n_entries, 2);
	ck_assert_ptr_null(hg_entry_message(&s->entries[0]));
	ck_assert_uint_gt(hg_entry_message_len(&s->entries[0]), 512);
	ck_assert_ptr_null(hg_attempt_feedback(&s->entries[1], 0));
	return s;
}

static int
long_matches(struct hg_session *s, const char *expr, bool with_session)
{
	struct hg_filter *f = hg_filter_parse(expr, NULL, 0, NULL);
	int n = 0;

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < s->n_entries; i++)
		n += hg_filter_match(f, with_session ? s : NULL, &s->entries[i]) ? 1 << i : 0;
	hg_filter_free(f);
	return n;
}

START_TEST(test_long_texts)
{
	char path[64];
	struct hg_session *s = long_session(path, sizeof(path));

	ck_assert_int_eq(long_matches(s, "needle", true), 1);
	ck_assert_int_eq(long_matches(s, "NEEDLE", true), 1);
	ck_assert_int_eq(long_matches(s, "needle", false), 0);
	ck_assert_int_eq(long_matches(s, "<b>", true), 2);
	ck_assert_int_eq(long_matches(s, "\"b> TAG\"", true), 2);
	/* In the raw line, but in no message or feedback. */
	ck_assert_int_eq(long_matches(s, "warm_start", true), 0);
	ck_assert_int_eq(long_matches(s, "!needle", true), 2);
	hg_session_free(s);
	unlink(path);
}
END_TEST

/* A 1 MB filter pasted into the prompt parses and means what a short one
 * does: one term with ~100,000 values, and ~80,000 terms. */
START_TEST(test_huge_filter)
{
	const size_t size = 1024 * 1024;
	struct hg_buf b = { 0 };
	char *got, *want;
	size_t i;

	setup_entries();
	hg_buf_adds(&b, "skill:");
	for (i = 0; b.len < size; i++)
		hg_buf_printf(&b, "no-such-%zu,", i);
	hg_buf_adds(&b, "refactor");
	got = matching(b.p);
	ck_assert_str_eq(got, "2 3");
	free(got);

	hg_buf_reset(&b);
	for (i = 0; b.len < size; i++)
		hg_buf_printf(&b, "!skill:x%zu ", i);
	hg_buf_adds(&b, "!skill:plan");
	got = matching(b.p);
	want = matching("!skill:x0 !skill:plan");
	ck_assert_str_eq(got, want);
	ck_assert_str_ne(got, "");
	free(got);
	free(want);
	hg_buf_free(&b);
}
END_TEST

static Suite *
filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_valid, 0, HG_ARRAY_SIZE(valid));
	tcase_add_loop_test(tc, test_parse_invalid, 0, HG_ARRAY_SIZE(invalid));
	tcase_add_test(tc, test_parse_error_without_buffers);
	tcase_add_test(tc, test_parse_effective);
	tcase_add_test(tc, test_huge_filter);
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_loop_test(tc, test_match, 0, HG_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_match_null_session);
	tcase_add_loop_test(tc, test_match_time, 0, HG_ARRAY_SIZE(time_cases));
	tcase_add_test(tc, test_time_moves);
	tcase_add_test(tc, test_complete);
	tcase_add_test(tc, test_match_attempt);
	tcase_add_test(tc, test_annotations_follow);
	tcase_add_test(tc, test_follow_incremental);
	tcase_add_test(tc, test_notes_listed);
	tcase_add_test(tc, test_check_values);
	tcase_add_test(tc, test_long_texts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(filter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
