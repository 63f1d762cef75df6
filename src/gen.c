/* gen.c - deterministic generator of realistic hyperguild log lines.
 *
 * An entry is first planned (every field chosen, texts kept in the scratch
 * arena), then serialised the way Go's json.Marshal would. The line size
 * follows a quantile table (the options' or the default one): the entry
 * is serialised once without runner output to learn its base size, and
 * the rest of the target goes into the attempts' runner_output. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/entry.h"
#include "hgtop/gen.h"
#include "hgtop/parser.h"

#define MAX_ATT 4

/* PRNG: splitmix64 seeds xoshiro256**. */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
hg_gen_u64(struct hg_gen *g)
{
	uint64_t *s = g->s;
	uint64_t r = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

int64_t
hg_gen_range(struct hg_gen *g, int64_t lo, int64_t hi)
{
	uint64_t span;

	if (hi <= lo)
		return lo;
	span = (uint64_t)(hi - lo) + 1;
	if (span == 0)
		return (int64_t)hg_gen_u64(g);
	return lo + (int64_t)(hg_gen_u64(g) % span);
}

static double
unif(struct hg_gen *g)
{
	return (double)(hg_gen_u64(g) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with the given probability in percent. */
static bool
chance(struct hg_gen *g, double pct)
{
	return unif(g) * 100.0 < pct;
}

#define PICK(g, arr) ((arr)[hg_gen_u64(g) % HG_ARRAY_SIZE(arr)])

void
hg_gen_init(struct hg_gen *g, uint64_t seed, int64_t start_ns)
{
	uint64_t x = seed;
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < 4; i++)
		g->s[i] = splitmix64(&x);
	g->now_ns = start_ns;
}

void
hg_gen_free(struct hg_gen *g)
{
	hg_buf_free(&g->scratch);
}

/* Line sizes */

/* The default table: a few KB, now and then 100-200 KB. */
static const struct hg_gen_knot default_knots[] = {
	{ 0.0, 700 }, { 0.5, 2500 }, { 0.85, 9000 }, { 0.97, 40000 },
	{ 1.0, 180000 },
};
/* Entries that a malformed line tears: about 1 KB. */
static const struct hg_gen_knot torn_knots[] = {
	{ 0.0, 600 }, { 0.5, 950 }, { 1.0, 1400 },
};

void
hg_gen_opts_init(struct hg_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static const struct hg_gen_knot *
size_knots(const struct hg_gen_opts *o, size_t *n)
{
	if (o->knots && o->n_knots >= 2) {
		*n = o->n_knots;
		return o->knots;
	}
	*n = HG_ARRAY_SIZE(default_knots);
	return default_knots;
}

/* Inverse CDF, log-linear between knots. */
static size_t
sample_size(struct hg_gen *g, const struct hg_gen_opts *o)
{
	size_t n, i;
	const struct hg_gen_knot *k = size_knots(o, &n);
	double u = unif(g), t, la, lb;

	for (i = 1; i < n - 1 && u > k[i].q; i++)
		;
	if (k[i].q <= k[i - 1].q)
		return k[i].bytes;
	t = (u - k[i - 1].q) / (k[i].q - k[i - 1].q);
	if (t < 0)
		t = 0;
	la = log(k[i - 1].bytes ? k[i - 1].bytes : 1);
	lb = log(k[i].bytes ? k[i].bytes : 1);
	return (size_t)exp(la + t * (lb - la));
}

/* A timestamp as time.RFC3339Nano writes it. */
static void
add_time(struct hg_buf *out, int64_t ns, int tz_min)
{
	char ts[HG_TIME_LEN];

	hg_format_time(ns, tz_min, false, ts, sizeof(ts));
	hg_buf_adds(out, ts);
}

/* Vocabulary */

struct skill_def {
	const char *name;
	int weight;
	bool writes_file;
};

static const struct skill_def skills[] = {
	{ "write-file", 18, true }, { "refactor", 14, true },
	{ "test-fix", 16, true }, { "explain", 10, false },
	{ "review", 12, false }, { "rename-symbol", 8, true },
	{ "add-tests", 9, true }, { "fix-lint", 7, true },
	{ "summarize-diff", 4, false }, { "commit-message", 2, false },
};

static const char *const phases[] = { "plan", "implement", "verify", "review" };

static const char *const local_models[] = {
	"qwen2.5-coder-7b", "qwen2.5-coder-7b", "llama-3.1-8b",
	"qwen2.5-coder-14b", "deepseek-coder-v2-lite",
};
static const char *const subagent_models[] = { "claude-haiku-4-5", "gpt-4o-mini" };
static const char *const managed_models[] = { "claude-opus-4-1", "gpt-5" };

static const char *const roots[] = {
	"/home/maya/src/acme-billing", "/home/maya/src/widget-api",
	"/srv/build/ledger", "/Users/jo/code/shop & co",
	"/home/dev/projects/数据管道", "/home/sam/work/hyperguild",
};

static const char *const go_files[] = {
	"internal/billing/invoice.go", "internal/billing/tax.go",
	"cmd/server/main.go", "internal/session/session.go",
	"pkg/router/router.go", "internal/cache/lru.go",
};
static const char *const py_files[] = {
	"app/api/users.py", "app/models/order.py", "scripts/migrate_2024.py",
	"tests/test_orders.py",
};
static const char *const ts_files[] = {
	"src/components/Header.tsx", "src/lib/format.ts", "src/hooks/useSession.ts",
};
static const char *const rs_files[] = {
	"src/lib.rs", "src/parser/mod.rs", "crates/core/src/span.rs",
};

static const char *const nouns[] = {
	"Invoice", "Parser", "Config", "Tokenizer", "Session", "Cache", "Router",
	"Ledger", "Rounding", "Header", "Retry", "Migration", "Currency", "Span",
};
static const char *const verbs[] = {
	"Total", "Parse", "Empty", "Unicode", "Timeout", "Concurrent", "Nil",
	"Overflow", "Roundtrip", "Escape",
};

static const char *const instructions[] = {
	"Add a <Cache> wrapper around fetchUser & make sure TTL > 0",
	"Split parseHeader into smaller functions; keep the public API & behaviour the same",
	"Fix the flaky test: it expects len(items) > 3 && items[0] != nil",
	"Rename cfg → config everywhere, including comments in <docs/>",
	"Explain why retries < maxRetries never triggers when err == io.EOF",
	"Write a table-driven test for Invoice.Total() covering rounding & currency <EUR, JPY>",
	"レビューしてください: エラー処理 & ログ出力",
	"Migrate from map[string]interface{} to a typed struct; don't touch vendor/ 🙏",
	"Steps:\n\t1. read the file\n\t2. replace `a < b` with cmp.Less(a, b)\n\t3. run the tests",
	"Use the regex `^\\s*(\\w+)=\"(.*)\"$` to parse the lines",
	"pasted from the design doc:\xe2\x80\xa8keep <= 3 files per change\xe2\x80\xa9thanks",
	"the log has a stray \x01 byte and a \x1b[0m reset; strip both",
	"把这个函数拆成两个 (parse → validate), 不要改接口",
};

static const char *const emoji[] = { "✅", "❌", "🚀", "🔥", "⚠️", "🎉", "👀" };

/* Arena spans: texts of the plan live in g->scratch. */

struct span {
	size_t off, len;
};

static struct span
span_begin(struct hg_gen *g)
{
	struct span s = { g->scratch.len, 0 };

	return s;
}

static void
span_end(struct hg_gen *g, struct span *s)
{
	s->len = g->scratch.len - s->off;
}

enum runner_kind { RK_NONE = 0, RK_GO, RK_PY, RK_JEST, RK_CARGO };

struct att_plan {
	const char *model;
	enum hg_tier tier;	/* OTHER: "edge", a tier hgtop does not know */
	enum hg_verdict verdict; /* NONE: absent; OTHER: "timeout" */
	int64_t dur;
	bool warm, verified;
	struct span feedback, summary;
	enum runner_kind runner;
	bool cold_load;		/* a local model loaded from disk first */
	size_t budget;
};

struct plan {
	const struct skill_def *skill;
	const char *phase, *root, *file, *model_used, *status;
	struct span input, message;	/* input holds JSON text */
	struct att_plan att[MAX_ATT];
	int n_att;
	int64_t ts, dur;
	enum runner_kind runner;
	bool roomy;		/* the target size leaves room for long texts */
};

static const struct skill_def *
pick_skill(struct hg_gen *g)
{
	int total = 0, r;
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(skills); i++)
		total += skills[i].weight;
	r = (int)hg_gen_range(g, 0, total - 1);
	for (i = 0; i < HG_ARRAY_SIZE(skills) - 1; i++) {
		if (r < skills[i].weight)
			break;
		r -= skills[i].weight;
	}
	return &skills[i];
}

/* The project and its language follow from the session id, so one
 * session keeps one project root. */
static void
pick_project(struct hg_gen *g, struct plan *p, const char *session_id)
{
	uint64_t h = hg_hash(session_id, strlen(session_id));

	p->root = roots[h % HG_ARRAY_SIZE(roots)];
	switch ((h >> 8) % 4) {
	case 0: p->file = PICK(g, go_files); p->runner = RK_GO; break;
	case 1: p->file = PICK(g, py_files); p->runner = RK_PY; break;
	case 2: p->file = PICK(g, ts_files); p->runner = RK_JEST; break;
	default: p->file = PICK(g, rs_files); p->runner = RK_CARGO; break;
	}
}

static void
test_name(struct hg_gen *g, char *buf, size_t n)
{
	snprintf(buf, n, "Test%s%s", PICK(g, nouns), PICK(g, verbs));
}

/* Input: raw JSON, as hyperguild hands it over (any JSON type). */

static void
input_key_str(struct hg_gen *g, const char *key, const char *val, bool comma)
{
	hg_buf_printf(&g->scratch, "%s\"%s\":", comma ? "," : "", key);
	hg_json_string(&g->scratch, val, strlen(val), 0);
}

static void
plan_input_object(struct hg_gen *g, struct plan *p)
{
	char tn[64];
	const char *name = p->skill->name;

	hg_buf_addc(&g->scratch, '{');
	input_key_str(g, "path", p->file, false);
	if (!strcmp(name, "rename-symbol")) {
		input_key_str(g, "symbol", "parseCfg", true);
		input_key_str(g, "new_name", "parseConfig", true);
	} else if (!strcmp(name, "test-fix")) {
		test_name(g, tn, sizeof(tn));
		input_key_str(g, "test", tn, true);
	} else if (!strcmp(name, "explain")) {
		hg_buf_printf(&g->scratch, ",\"range\":[%d,%d]",
			      (int)hg_gen_range(g, 1, 200), (int)hg_gen_range(g, 201, 480));
	} else if (!strcmp(name, "review")) {
		input_key_str(g, "diff_base", "origin/main", true);
	}
	input_key_str(g, "instructions", PICK(g, instructions), true);
	if (chance(g, 10))
		hg_buf_printf(&g->scratch, ",\"max_tokens\":%d,\"dry_run\":%s",
			      (int)hg_gen_range(g, 1, 8) * 1024, chance(g, 50) ? "true" : "false");
	hg_buf_addc(&g->scratch, '}');
}

static void
plan_input(struct hg_gen *g, struct plan *p)
{
	double r = unif(g) * 100;

	p->input = span_begin(g);
	if (r < 3) {
		/* absent */
	} else if (r < 4) {
		hg_buf_adds(&g->scratch, "null");
	} else if (r < 6) {
		const char *text = PICK(g, instructions);

		hg_json_string(&g->scratch, text, strlen(text), 0);
	} else if (r < 7) {
		hg_buf_printf(&g->scratch, "[\"%s\",\"%s\"]", PICK(g, go_files), PICK(g, go_files));
	} else {
		plan_input_object(g, p);
	}
	span_end(g, &p->input);
}

/* Attempts */

/* The texts written for a tier and a verdict (NULL: no verdict). */
static const char *
tier_text(enum hg_tier t)
{
	return t == HG_TIER_OTHER ? "edge" : hg_tier_name(t);
}

static const char *
verdict_text(enum hg_verdict v)
{
	if (v == HG_VERDICT_NONE)
		return NULL;
	return v == HG_VERDICT_OTHER ? "timeout" : hg_verdict_name(v);
}

static const char *
tier_model(struct hg_gen *g, enum hg_tier tier)
{
	switch (tier) {
	case HG_TIER_LOCAL:
		return PICK(g, local_models);
	case HG_TIER_SUBAGENT:
		return PICK(g, subagent_models);
	case HG_TIER_MANAGED:
		return PICK(g, managed_models);
	default:
		return "edge-tpu-mini";
	}
}

/* The escalation ladder for n attempts: local first, managed last. */
static void
plan_tiers(struct hg_gen *g, struct plan *p)
{
	enum { L = HG_TIER_LOCAL, S = HG_TIER_SUBAGENT, M = HG_TIER_MANAGED };
	static const uint8_t one[] = { L, L, L, L, L, L, L, L, S, M };
	static const uint8_t two[][2] = { { L, S }, { L, S }, { L, S }, { L, M }, { L, L } };
	static const uint8_t three[][3] = { { L, S, M }, { L, S, M }, { L, L, S } };
	static const uint8_t four[] = { L, L, S, M };
	double r = unif(g) * 100;
	int i, row;

	p->n_att = r < 45 ? 1 : r < 75 ? 2 : r < 92 ? 3 : 4;
	row = (int)hg_gen_range(g, 0, 4);
	for (i = 0; i < p->n_att; i++) {
		switch (p->n_att) {
		case 1: p->att[i].tier = (enum hg_tier)PICK(g, one); break;
		case 2: p->att[i].tier = (enum hg_tier)two[row % 5][i]; break;
		case 3: p->att[i].tier = (enum hg_tier)three[row % 3][i]; break;
		default: p->att[i].tier = (enum hg_tier)four[i]; break;
		}
		if (chance(g, 0.2))
			p->att[i].tier = HG_TIER_OTHER;
		p->att[i].model = tier_model(g, p->att[i].tier);
	}
}

static int64_t
attempt_duration(struct hg_gen *g, const struct att_plan *a)
{
	int64_t d;

	if (a->tier == HG_TIER_LOCAL)
		d = hg_gen_range(g, 600, 40000);
	else if (a->tier == HG_TIER_SUBAGENT)
		d = hg_gen_range(g, 2500, 60000);
	else
		d = hg_gen_range(g, 8000, 180000);
	if (a->cold_load)
		d += hg_gen_range(g, 4000, 30000);
	if (a->verdict == HG_VERDICT_ERROR && chance(g, 40))
		d = chance(g, 50) ? 120000 : hg_gen_range(g, 150, 4000);
	return d;
}

static void
plan_feedback(struct hg_gen *g, struct att_plan *a, const struct plan *p)
{
	char tn[64];
	int total = (int)hg_gen_range(g, 8, 240), i, n;
	a->feedback = span_begin(g);
	test_name(g, tn, sizeof(tn));
	if (a->verdict == HG_VERDICT_ESCALATE) {
		switch (hg_gen_range(g, 0, 5)) {
		case 0: case 1:
			hg_buf_printf(&g->scratch, "tests fail: %d of %d failed (%s)",
				      (int)hg_gen_range(g, 1, 9), total, tn);
			break;
		case 2:
			hg_buf_printf(&g->scratch, "build failed: %s:%d:%d: undefined: roundHalfEven",
				      p->file, (int)hg_gen_range(g, 10, 400), (int)hg_gen_range(g, 2, 40));
			break;
		case 3:
			hg_buf_printf(&g->scratch, "verifier: diff touches %d files, expected <= 3",
				      (int)hg_gen_range(g, 4, 30));
			break;
		case 4:
			hg_buf_printf(&g->scratch, "lint: %d new warnings (errcheck, govet) & 1 vet error",
				      (int)hg_gen_range(g, 1, 20));
			break;
		default:
			hg_buf_adds(&g->scratch, "output truncated: model stopped at max_tokens=4096 → retry on a larger tier");
			break;
		}
		if (p->roomy && chance(g, 12)) {
			/* A long verifier report, past the in-memory limit. */
			n = (int)hg_gen_range(g, 6, 30);
			for (i = 0; i < n; i++) {
				test_name(g, tn, sizeof(tn));
				hg_buf_printf(&g->scratch, "\n--- FAIL: %s (0.%02ds)\n\t%s_test.go:%d: got %d, want %d",
					      tn, (int)hg_gen_range(g, 0, 99), tn + 4,
					      (int)hg_gen_range(g, 10, 300), (int)hg_gen_range(g, 0, 99),
					      (int)hg_gen_range(g, 0, 99));
			}
		}
	} else if (a->verdict == HG_VERDICT_ERROR) {
		switch (hg_gen_range(g, 0, 3)) {
		case 0: hg_buf_adds(&g->scratch, "runner crashed: signal: killed (out of memory?)"); break;
		case 1: hg_buf_adds(&g->scratch, "context deadline exceeded after 120s"); break;
		case 2: hg_buf_adds(&g->scratch, "HTTP 529 from provider: {\"type\":\"overloaded_error\"}"); break;
		default: hg_buf_adds(&g->scratch, "llama-swap: model failed to load: CUDA error: out of memory"); break;
		}
	} else if (chance(g, 25)) {
		hg_buf_printf(&g->scratch, "ok: all %d tests pass%s", total,
			      chance(g, 30) ? "; nit: missing doc comment on exported func" : "");
	}
	span_end(g, &a->feedback);
}

static void
plan_summary(struct hg_gen *g, struct att_plan *a, const struct plan *p)
{
	a->summary = span_begin(g);
	if (a->verdict == HG_VERDICT_ERROR && chance(g, 80)) {
		span_end(g, &a->summary);
		return;
	}
	switch (hg_gen_range(g, 0, 6)) {
	case 0:
		hg_buf_printf(&g->scratch, "Wrote %d lines to %s; added roundHalfEven helper",
			      (int)hg_gen_range(g, 5, 600), p->file);
		break;
	case 1:
		hg_buf_printf(&g->scratch, "Refactored parse%s → parse%s + validate%s (%d call sites)",
			      PICK(g, nouns), PICK(g, nouns), PICK(g, nouns), (int)hg_gen_range(g, 1, 40));
		break;
	case 2:
		hg_buf_adds(&g->scratch, "Explained the retry loop: the break on io.EOF happens before the counter increments, so retries < maxRetries always holds");
		break;
	case 3:
		hg_buf_printf(&g->scratch, "Added %d table-driven cases; all pass %s",
			      (int)hg_gen_range(g, 2, 30), PICK(g, emoji));
		break;
	case 4:
		hg_buf_printf(&g->scratch, "差分を確認しました: %d 件の問題 (nil チェック漏れ)",
			      (int)hg_gen_range(g, 1, 9));
		break;
	case 5:
		hg_buf_printf(&g->scratch, "Changes:\n• %s: extract helper\n• %s: update callers\n• tests: +%d −%d",
			      p->file, PICK(g, go_files), (int)hg_gen_range(g, 1, 200), (int)hg_gen_range(g, 0, 90));
		break;
	default:
		break;	/* no summary */
	}
	span_end(g, &a->summary);
}

static enum hg_verdict
pick_verdict(struct hg_gen *g, bool last, const char *status)
{
	if (chance(g, 1))
		return HG_VERDICT_NONE;		/* older runner: no verdict */
	if (chance(g, 0.3))
		return HG_VERDICT_OTHER;	/* a verdict this hgtop does not know */
	if (!last)
		return chance(g, 8) ? HG_VERDICT_ERROR : HG_VERDICT_ESCALATE;
	if (!strcmp(status, "ok"))
		return HG_VERDICT_ACCEPT;
	return !strcmp(status, "failed") ? HG_VERDICT_ESCALATE : HG_VERDICT_ERROR;
}

static void
plan_attempts(struct hg_gen *g, struct plan *p)
{
	double r = unif(g) * 100;
	int i;

	p->status = r < 80 ? "ok" : r < 92 ? "failed" : "error";
	plan_tiers(g, p);
	p->dur = hg_gen_range(g, 5, 400);
	for (i = 0; i < p->n_att; i++) {
		struct att_plan *a = &p->att[i];
		bool local = a->tier == HG_TIER_LOCAL;

		a->verdict = pick_verdict(g, i == p->n_att - 1, p->status);
		a->warm = local && chance(g, 70);
		a->cold_load = local && !a->warm;
		a->verified = a->verdict == HG_VERDICT_ACCEPT && chance(g, 88);
		a->dur = attempt_duration(g, a);
		a->runner = p->runner;
		if (a->verdict == HG_VERDICT_ERROR && chance(g, 50))
			a->runner = RK_NONE;
		plan_feedback(g, a, p);
		plan_summary(g, a, p);
		p->dur += a->dur;
	}
}

static void
plan_message(struct hg_gen *g, struct plan *p)
{
	const struct att_plan *last = &p->att[p->n_att - 1];
	int i;

	p->message = span_begin(g);
	if (!strcmp(p->status, "ok")) {
		if (chance(g, 45))
			;	/* nothing to add */
		else if (p->skill->writes_file)
			hg_buf_printf(&g->scratch, "wrote %d lines to %s", (int)hg_gen_range(g, 3, 900), p->file);
		else if (!strcmp(p->skill->name, "review"))
			hg_buf_printf(&g->scratch, "%d comments on %d hunks", (int)hg_gen_range(g, 0, 12),
				      (int)hg_gen_range(g, 1, 30));
		else
			hg_buf_printf(&g->scratch, "answered in %d words", (int)hg_gen_range(g, 40, 900));
	} else if (!strcmp(p->status, "failed")) {
		size_t n = last->feedback.len > 120 ? 120 : last->feedback.len;

		hg_buf_printf(&g->scratch, "escalation exhausted after %d attempts: ", p->n_att);
		/* The copy comes from scratch itself: grow it first. */
		hg_buf_reserve(&g->scratch, n);
		hg_buf_add(&g->scratch, g->scratch.p + last->feedback.off, n);
	} else {
		hg_buf_printf(&g->scratch, "%s tier error: %s", tier_text(last->tier),
			      chance(g, 50) ? "context deadline exceeded (120s)" : "runner exited with status 137");
	}
	if (p->roomy && chance(g, 3)) {
		/* A long message: a stack trace pasted by the runner. */
		hg_buf_adds(&g->scratch, "\ngoroutine 1 [running]:");
		for (i = 0; i < 12; i++)
			hg_buf_printf(&g->scratch, "\nmain.(*Runner).step%d(...)\n\t%s/%s:%d +0x%x",
				      i, p->root, p->file, (int)hg_gen_range(g, 10, 900),
				      (unsigned)hg_gen_range(g, 16, 4095));
	}
	span_end(g, &p->message);
}

/* Entries without attempts: bookkeeping steps of a session. */
static void
plan_bookkeeping(struct hg_gen *g, struct plan *p)
{
	static const struct skill_def index_skill = { "index-project", 0, false };

	p->skill = &index_skill;
	p->status = "ok";
	p->n_att = 0;
	p->file = "";
	p->dur = chance(g, 30) ? 0 : hg_gen_range(g, 200, 9000);
	p->message = span_begin(g);
	hg_buf_printf(&g->scratch, "indexed %d files (%d.%d MB)", (int)hg_gen_range(g, 40, 9000),
		      (int)hg_gen_range(g, 0, 300), (int)hg_gen_range(g, 0, 9));
	span_end(g, &p->message);
}

static void
plan_entry(struct hg_gen *g, struct plan *p, const char *session_id, size_t target)
{
	memset(p, 0, sizeof(*p));
	p->roomy = target > 3000;
	hg_buf_reset(&g->scratch);
	p->ts = g->now_ns;
	if (chance(g, 0.5))
		p->ts -= p->ts % 1000000;	/* millisecond clock */
	if (chance(g, 0.2))
		p->ts -= p->ts % 1000000000;	/* whole seconds: no fraction */
	g->now_ns += hg_gen_range(g, 800, 6000) * 1000000 + hg_gen_range(g, 0, 999999);
	pick_project(g, p, session_id);
	p->skill = pick_skill(g);
	p->phase = chance(g, 40) ? "" : PICK(g, phases);
	if (chance(g, 8))
		p->root = "";
	if (chance(g, 4)) {
		plan_bookkeeping(g, p);
		return;
	}
	plan_input(g, p);
	plan_attempts(g, p);
	plan_message(g, p);
	if (!strcmp(p->status, "ok") && p->att[p->n_att - 1].verdict != HG_VERDICT_NONE)
		p->model_used = p->att[p->n_att - 1].model;
	else if (!strcmp(p->status, "error") && chance(g, 50))
		p->model_used = p->att[p->n_att - 1].model;
	if (!(p->skill->writes_file ? chance(g, 90) : chance(g, 20)))
		p->file = "";
}

/* Runner output: what the attempt's subprocess printed, colours and all. */

static void
progress_bar(struct hg_gen *g, struct hg_buf *b, const char *what)
{
	int frames = (int)hg_gen_range(g, 4, 16), i, pct, fill;
	static const char bar[] = "##############################";
	static const char dots[] = "..............................";

	for (i = 1; i <= frames; i++) {
		pct = i * 100 / frames;
		fill = pct * 30 / 100;
		hg_buf_printf(b, "\r%s [%.*s%.*s] %3d%% %d.%d/%d.%d GB", what, fill, bar,
			      30 - fill, dots, pct, pct * 47 / 1000, pct * 47 / 100 % 10, 4, 7);
	}
	hg_buf_addc(b, '\n');
}

static void
shared_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p)
{
	switch (hg_gen_range(g, 0, 9)) {
	case 0:
		hg_buf_printf(b, "\xe2\x96\xb6 read_file %s (%d.%d KB)\n", p->file,
			      (int)hg_gen_range(g, 0, 90), (int)hg_gen_range(g, 0, 9));
		break;
	case 1:
		hg_buf_printf(b, "\xe2\x96\xb6 apply_patch %s +%d \xe2\x88\x92%d\n", p->file,
			      (int)hg_gen_range(g, 1, 80), (int)hg_gen_range(g, 0, 40));
		break;
	case 2: hg_buf_printf(b, "构建成功 %s 用时 %d 秒\n", PICK(g, emoji), (int)hg_gen_range(g, 1, 90)); break;
	case 3: hg_buf_printf(b, "テスト %d 件失敗 ❌\n", (int)hg_gen_range(g, 1, 9)); break;
	case 4: hg_buf_printf(b, "→ verifying with %s\n", PICK(g, subagent_models)); break;
	case 5:
		hg_buf_printf(b, "step\t%s\t%dms\tstatus\t%s\n", PICK(g, verbs),
			      (int)hg_gen_range(g, 1, 5000), chance(g, 80) ? "ok" : "FAIL");
		break;
	case 6: progress_bar(g, b, "indexing"); break;
	case 7: hg_buf_adds(b, "waiting |\b/\b-\b\\\b| done\n"); break;
	case 8: hg_buf_adds(b, "\x1b[2K\x1b[1G\x1b[36mℹ\x1b[0m cache hit: 93% of modules unchanged\n"); break;
	default: hg_buf_adds(b, "\f--- page 2 ---\n"); break;
	}
}

static void
go_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p)
{
	char tn[64];
	int r = (int)hg_gen_range(g, 0, 99);

	test_name(g, tn, sizeof(tn));
	if (r < 40)
		hg_buf_printf(b, "=== RUN   %s\n", tn);
	else if (r < 75)
		hg_buf_printf(b, "--- \x1b[32mPASS\x1b[0m: %s (0.%02ds)\n", tn, (int)hg_gen_range(g, 0, 99));
	else if (r < 80)
		hg_buf_printf(b, "--- \x1b[31mFAIL\x1b[0m: %s (0.00s)\n    %s_test.go:%d: got %d, want %d\n",
			      tn, tn + 4, (int)hg_gen_range(g, 10, 300), (int)hg_gen_range(g, 0, 9),
			      (int)hg_gen_range(g, 10, 99));
	else if (r < 90)
		hg_buf_printf(b, "\x1b[32mok\x1b[0m  \tgithub.com/acme/billing/internal/%s\t0.%03ds\n",
			      PICK(g, verbs), (int)hg_gen_range(g, 1, 999));
	else if (r < 94)
		hg_buf_printf(b, "%s:%d:%d: \x1b[1;31merror:\x1b[0m undefined: round%s\n", p->file,
			      (int)hg_gen_range(g, 1, 400), (int)hg_gen_range(g, 1, 60), PICK(g, nouns));
	else
		shared_line(g, b, p);
}

static void
py_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p)
{
	int r = (int)hg_gen_range(g, 0, 99);
	const char *noun = PICK(g, nouns), *verb = PICK(g, verbs);

	if (r < 60)
		hg_buf_printf(b, "tests/test_%s.py::test_%s \x1b[32mPASSED\x1b[0m    [%3d%%]\n",
			      noun, verb, (int)hg_gen_range(g, 0, 100));
	else if (r < 66)
		hg_buf_printf(b, "tests/test_%s.py::test_%s \x1b[31mFAILED\x1b[0m    [%3d%%]\n",
			      noun, verb, (int)hg_gen_range(g, 0, 100));
	else if (r < 76)
		hg_buf_printf(b, "E       AssertionError: assert %d == %d\nE        +  where %d = total(<Order id=%d & qty>0>)\n",
			      (int)hg_gen_range(g, 0, 99), (int)hg_gen_range(g, 0, 99),
			      (int)hg_gen_range(g, 0, 99), (int)hg_gen_range(g, 1, 9999));
	else if (r < 86)
		hg_buf_printf(b, "\x1b[33m%s:%d: DeprecationWarning: datetime.utcnow() is deprecated\x1b[0m\n",
			      p->file, (int)hg_gen_range(g, 1, 300));
	else
		shared_line(g, b, p);
}

static void
jest_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p)
{
	int r = (int)hg_gen_range(g, 0, 99);
	const char *noun = PICK(g, nouns);

	if (r < 55)
		hg_buf_printf(b, "    \x1b[32m✓\x1b[0m renders %s (%d ms)\n", noun, (int)hg_gen_range(g, 1, 400));
	else if (r < 62)
		hg_buf_printf(b, "    \x1b[31m✕\x1b[0m handles empty %s (%d ms)\n", noun, (int)hg_gen_range(g, 1, 400));
	else if (r < 72)
		hg_buf_printf(b, "      Expected: \"<div class=\\\"%s\\\">\"\n      Received: \"<span>&nbsp;</span>\"\n", noun);
	else if (r < 84)
		hg_buf_printf(b, " \x1b[1m\x1b[42m PASS \x1b[49m\x1b[22m src/components/%s.test.tsx (%d.%03d s)\n",
			      noun, (int)hg_gen_range(g, 0, 9), (int)hg_gen_range(g, 0, 999));
	else
		shared_line(g, b, p);
}

static void
cargo_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p)
{
	int r = (int)hg_gen_range(g, 0, 99);

	if (r < 30)
		hg_buf_printf(b, "\x1b[1m\x1b[32m   Compiling\x1b[0m %s v%d.%d.%d\n", PICK(g, verbs),
			      (int)hg_gen_range(g, 0, 2), (int)hg_gen_range(g, 0, 40), (int)hg_gen_range(g, 0, 20));
	else if (r < 75)
		hg_buf_printf(b, "test %s::tests::%s ... \x1b[32mok\x1b[0m\n", PICK(g, nouns), PICK(g, verbs));
	else if (r < 85)
		hg_buf_printf(b, "\x1b[1m\x1b[31merror[E0308]\x1b[0m\x1b[1m: mismatched types\x1b[0m\n"
			      "  \x1b[1m\x1b[34m-->\x1b[0m %s:%d:%d\n   \x1b[1m\x1b[34m|\x1b[0m\n"
			      "%d \x1b[1m\x1b[34m|\x1b[0m     let x: Vec<u8> = parse(&buf)?;\n",
			      p->file, (int)hg_gen_range(g, 1, 400), (int)hg_gen_range(g, 1, 60),
			      (int)hg_gen_range(g, 1, 400));
	else
		shared_line(g, b, p);
}

static void
runner_line(struct hg_gen *g, struct hg_buf *b, const struct plan *p, enum runner_kind k)
{
	switch (k) {
	case RK_GO: go_line(g, b, p); break;
	case RK_PY: py_line(g, b, p); break;
	case RK_JEST: jest_line(g, b, p); break;
	default: cargo_line(g, b, p); break;
	}
}

static void
runner_head(struct hg_gen *g, struct hg_buf *b, const struct plan *p, const struct att_plan *a)
{
	int i, n;

	hg_buf_printf(b, "\x1b[1m$ hyperguild run --tier %s --model %s\x1b[0m\n", tier_text(a->tier),
		      a->model);
	if (!a->cold_load)
		return;
	hg_buf_printf(b, "llama-swap: loading %s (cold start)\n", a->model);
	progress_bar(g, b, "loading model");
	n = (int)hg_gen_range(g, 2, 8);
	for (i = 0; i < n; i++)
		hg_buf_printf(b, "llama_model_loader: - kv %3d:\t%s.%s\tu32\t= %d\n", i, "qwen2",
			      PICK(g, verbs), (int)hg_gen_range(g, 1, 32768));
}

static void
runner_tail(struct hg_gen *g, struct hg_buf *b, const struct att_plan *a)
{
	if (a->verdict == HG_VERDICT_ACCEPT)
		hg_buf_printf(b, "\x1b[32m✔ all %d checks passed\x1b[0m\n", (int)hg_gen_range(g, 3, 240));
	else if (a->verdict == HG_VERDICT_ESCALATE)
		hg_buf_printf(b, "\x1b[31m✘ %d of %d tests failed\x1b[0m → escalating\n",
			      (int)hg_gen_range(g, 1, 9), (int)hg_gen_range(g, 10, 240));
	else
		hg_buf_adds(b, "\x1b[31mfatal:\x1b[0m runner stopped\n");
}

static void
emit_runner(struct hg_gen *g, struct hg_buf *out, const struct plan *p,
	    const struct att_plan *a, bool short_bf)
{
	size_t start, mark = g->scratch.len;

	hg_buf_adds(out, ",\"runner_output\":\"");
	start = out->len;
	runner_head(g, &g->scratch, p, a);
	hg_json_escape(out, g->scratch.p + mark, g->scratch.len - mark, short_bf ? HG_JSON_SHORT_BF : 0);
	while (out->len - start < a->budget) {
		g->scratch.len = mark;
		runner_line(g, &g->scratch, p, a->runner);
		hg_json_escape(out, g->scratch.p + mark, g->scratch.len - mark, short_bf ? HG_JSON_SHORT_BF : 0);
	}
	g->scratch.len = mark;
	runner_tail(g, &g->scratch, a);
	hg_json_escape(out, g->scratch.p + mark, g->scratch.len - mark, short_bf ? HG_JSON_SHORT_BF : 0);
	g->scratch.len = mark;
	hg_buf_addc(out, '"');
}

/* Serialisation, in Go's struct field order. */

static void
emit_key_span(struct hg_gen *g, struct hg_buf *out, const char *key, struct span s, bool short_bf)
{
	if (s.len == 0)
		return;
	hg_buf_printf(out, ",\"%s\":", key);
	hg_json_string(out, g->scratch.p + s.off, s.len, short_bf ? HG_JSON_SHORT_BF : 0);
}

static void
emit_key_str(struct hg_buf *out, const char *key, const char *s, bool omitempty, bool short_bf)
{
	if (omitempty && (!s || !*s))
		return;
	hg_buf_printf(out, ",\"%s\":", key);
	hg_json_string(out, s ? s : "", s ? strlen(s) : 0, short_bf ? HG_JSON_SHORT_BF : 0);
}

static void
emit_attempt(struct hg_gen *g, struct hg_buf *out, const struct plan *p, int i,
	     bool with_runner, bool short_bf)
{
	const struct att_plan *a = &p->att[i];

	hg_buf_printf(out, "%s{\"attempt\":%d", i ? "," : "", i + 1);
	emit_key_str(out, "model", a->model, false, short_bf);
	emit_key_str(out, "tier", tier_text(a->tier), false, short_bf);
	hg_buf_printf(out, ",\"duration_ms\":%lld,\"warm_start\":%s,\"verified\":%s",
		      (long long)a->dur, a->warm ? "true" : "false", a->verified ? "true" : "false");
	emit_key_str(out, "verdict", verdict_text(a->verdict), true, short_bf);
	emit_key_span(g, out, "feedback", a->feedback, short_bf);
	emit_key_span(g, out, "output_summary", a->summary, short_bf);
	if (with_runner && a->runner != RK_NONE && a->budget > 0)
		emit_runner(g, out, p, a, short_bf);
	hg_buf_addc(out, '}');
}

static void
emit_entry(struct hg_gen *g, struct hg_buf *out, const char *session_id,
	   const struct plan *p, int tz_min, bool with_runner, bool short_bf)
{
	int i;

	hg_buf_adds(out, "{\"session_id\":");
	hg_json_string(out, session_id, strlen(session_id), short_bf ? HG_JSON_SHORT_BF : 0);
	hg_buf_adds(out, ",\"timestamp\":\"");
	add_time(out, p->ts, tz_min);
	hg_buf_addc(out, '"');
	emit_key_str(out, "skill", p->skill->name, false, short_bf);
	emit_key_str(out, "phase", p->phase, true, short_bf);
	emit_key_str(out, "project_root", p->root, true, short_bf);
	if (p->input.len) {
		hg_buf_adds(out, ",\"input\":");
		hg_buf_add(out, g->scratch.p + p->input.off, p->input.len);
	}
	if (p->n_att) {
		hg_buf_adds(out, ",\"attempts\":[");
		for (i = 0; i < p->n_att; i++)
			emit_attempt(g, out, p, i, with_runner, short_bf);
		hg_buf_addc(out, ']');
	}
	emit_key_str(out, "final_status", p->status, false, short_bf);
	emit_key_str(out, "file_path", p->file, true, short_bf);
	emit_key_str(out, "model_used", p->model_used, true, short_bf);
	if (p->dur)
		hg_buf_printf(out, ",\"duration_ms\":%lld", (long long)p->dur);
	emit_key_span(g, out, "message", p->message, short_bf);
	hg_buf_adds(out, "}\n");
}

/* Share what is left of the target size among the attempts' runner
 * output: the last attempt, the one that decided, gets the most. */
static void
split_budget(struct plan *p, size_t target, size_t base)
{
	/* Per-attempt head and tail lines, written whatever the budget. */
	const size_t fixed = 160;
	size_t left = target > base ? target - base : 0, share;
	int i, n = 0;
	bool last_runs = p->n_att > 0 && p->att[p->n_att - 1].runner != RK_NONE;

	for (i = 0; i < p->n_att; i++)
		n += p->att[i].runner != RK_NONE;
	for (i = 0; i < p->n_att; i++) {
		struct att_plan *a = &p->att[i];

		if (a->runner == RK_NONE)
			continue;
		if (n == 1)
			share = left;
		else if (!last_runs)
			share = left / (size_t)n;
		else if (i == p->n_att - 1)
			share = left * 6 / 10;
		else
			share = left * 4 / 10 / (size_t)(n - 1);
		a->budget = share > fixed ? share - fixed : 0;
		if (a->budget == 0 && share >= fixed / 2)
			a->budget = 1;	/* just the head and tail lines */
	}
}

void
hg_gen_entry(struct hg_gen *g, struct hg_buf *out, const char *session_id,
	     const struct hg_gen_opts *o)
{
	struct hg_gen_opts def;
	struct plan p;
	size_t start = out->len, target;

	if (!o) {
		hg_gen_opts_init(&def);
		o = &def;
	}
	if (o->malformed_rate > 0 && unif(g) < o->malformed_rate) {
		hg_gen_malformed(g, out, session_id);
		return;
	}
	target = sample_size(g, o);
	plan_entry(g, &p, session_id, target);
	/* Serialise once without runner output to learn the base size. */
	emit_entry(g, out, session_id, &p, o->tz_min, false, o->short_bf_escapes);
	split_budget(&p, target, out->len - start);
	out->len = start;
	emit_entry(g, out, session_id, &p, o->tz_min, true, o->short_bf_escapes);
	g->n_entries++;
}

/* Malformed lines */

void
hg_gen_malformed(struct hg_gen *g, struct hg_buf *out, const char *session_id)
{
	struct hg_gen_opts o;
	size_t start = out->len, cut;

	switch (hg_gen_range(g, 0, 3)) {
	case 0:
		/* A writer killed mid-line, then a later append. */
		hg_gen_opts_init(&o);
		o.knots = torn_knots;
		o.n_knots = HG_ARRAY_SIZE(torn_knots);
		hg_gen_entry(g, out, session_id, &o);
		cut = (size_t)hg_gen_range(g, 20, (int64_t)(out->len - start) - 3);
		out->len = start + cut;
		hg_buf_addc(out, '\n');
		return;
	case 1:
		hg_buf_adds(out, "panic: runtime error: invalid memory address or nil pointer dereference\n");
		break;
	case 2:
		hg_buf_adds(out, "{\"session_id\":");
		hg_json_string(out, session_id, strlen(session_id), 0);
		hg_buf_adds(out, ",\"timestamp\":\"");
		add_time(out, g->now_ns, 0);
		hg_buf_adds(out, "\",\"skill\":\"review\",\"final_status\":}\n");
		break;
	default:
		hg_buf_adds(out, "{\"session_id\":");
		hg_json_string(out, session_id, strlen(session_id), 0);
		hg_buf_adds(out, ",\"timestamp\":\"");
		add_time(out, g->now_ns, 0);
		hg_buf_adds(out, "\",\"skill\":\"test-fix\",\"attempts\":\"three\",\"final_status\":\"ok\",\"duration_ms\":\"12s\"}\n");
		break;
	}
	g->now_ns += hg_gen_range(g, 200, 3000) * 1000000;
}

void
hg_gen_session_id(struct hg_gen *g, char *buf, size_t n)
{
	char ts[HG_TIME_LEN];

	hg_format_time(g->now_ns, 0, false, ts, sizeof(ts));
	snprintf(buf, n, "hg-%.4s%.2s%.2s-%08x", ts, ts + 5, ts + 8,
		 (unsigned)(hg_gen_u64(g) & 0xffffffffu));
}
