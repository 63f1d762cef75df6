/* stats.c - per tier / model / skill statistics and their reports.
 *
 * One pass over the matching entries fills accumulators found through
 * pointer-keyed tables (tier, model, skill and chain names are interned);
 * durations are kept per group and reduced to percentiles at the end. */
#include "config.h"

#include "hgtop/stats.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"

/* Chains listed in the text report; the JSON has them all. */
#define TOP_CHAINS 20
/* final_status values listed per skill in the text report. */
#define TOP_STATUSES 4
/* Widest name column in the text report. */
#define NAME_COLS_MAX 28

struct i64vec {
	int64_t *v;
	size_t n;
	size_t cap;
};

/* Pointer -> index table (open addressing, keys never removed). */
struct ptrmap {
	const void **keys;
	size_t *idx;
	size_t cap;
	size_t n;
	const void *last;
	size_t last_idx;
};

struct acc_groups {
	struct hg_stats_group *g;
	struct i64vec *durs;
	size_t n;
	size_t cap;
	struct ptrmap map;
};

struct acc {
	struct hg_stats *st;
	const struct hg_filter *f;
	struct acc_groups tiers;
	struct acc_groups models;
	struct ptrmap skill_map;
	struct i64vec *skill_durs;
	size_t cap_skills;
	struct ptrmap chain_map;
	size_t cap_chains;
	struct hg_buf chain_buf;
};

/* Small containers */

static void
vec_push(struct i64vec *v, int64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = x;
}

static size_t
ptr_slot(const void *p, size_t mask)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	return (size_t)(h * UINT64_C(0x9E3779B97F4A7C15) >> 7) & mask;
}

static void ptrmap_put(struct ptrmap *m, const void *key, size_t idx);

static void
ptrmap_grow(struct ptrmap *m)
{
	struct ptrmap old = *m;

	m->cap = m->cap ? m->cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->idx = xcalloc(m->cap, sizeof(*m->idx));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			ptrmap_put(m, old.keys[i], old.idx[i]);
	free(old.keys);
	free(old.idx);
}

static void
ptrmap_put(struct ptrmap *m, const void *key, size_t idx)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		ptrmap_grow(m);
	for (i = ptr_slot(key, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key;
	m->idx[i] = idx;
	m->n++;
}

/* Index of KEY, or (size_t)-1. */
static size_t
ptrmap_get(struct ptrmap *m, const void *key)
{
	if (m->n && key == m->last)
		return m->last_idx;
	if (!m->cap)
		return (size_t)-1;
	for (size_t i = ptr_slot(key, m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			m->last = key;
			m->last_idx = m->idx[i];
			return m->idx[i];
		}
	return (size_t)-1;
}

static void
ptrmap_free(struct ptrmap *m)
{
	free(m->keys);
	free(m->idx);
}

/* Percentiles */

static void
swap64(int64_t *a, int64_t *b)
{
	int64_t t = *a;

	*a = *b;
	*b = t;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Quickselect: afterwards v[k] is the value of rank k+1. Falls back to
 * sorting the remaining range when the partitions go badly. */
static void
select_kth(int64_t *v, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	int rounds = 0;

	while (lo < hi) {
		ptrdiff_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		int64_t pivot;

		if (++rounds > 64) {
			qsort(v + lo, (size_t)(hi - lo + 1), sizeof(*v), cmp64);
			return;
		}
		if (v[mid] < v[lo])
			swap64(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap64(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap64(&v[hi], &v[mid]);
		pivot = v[mid];
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap64(&v[i++], &v[j--]);
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return;
	}
}

int64_t
hg_stats_percentile(int64_t *v, size_t n, int p)
{
	size_t rank;

	if (n == 0)
		return -1;
	/* Nearest rank: ceil(p/100 * n), at least 1. */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	select_kth(v, n, rank - 1);
	return v[rank - 1];
}

/* Accumulation */

static struct hg_stats_group *
group_for(struct acc_groups *ag, const char *name, struct i64vec **durs)
{
	size_t i;

	if (!name)
		name = "";
	i = ptrmap_get(&ag->map, name);
	if (i == (size_t)-1) {
		if (ag->n == ag->cap) {
			ag->cap = ag->cap ? ag->cap * 2 : 8;
			ag->g = xrealloc(ag->g, ag->cap * sizeof(*ag->g));
			ag->durs = xrealloc(ag->durs, ag->cap * sizeof(*ag->durs));
		}
		i = ag->n++;
		memset(&ag->g[i], 0, sizeof(ag->g[i]));
		memset(&ag->durs[i], 0, sizeof(ag->durs[i]));
		ag->g[i].name = name;
		ptrmap_put(&ag->map, name, i);
	}
	*durs = &ag->durs[i];
	return &ag->g[i];
}

/* Sums of durations saturate: a log may hold any int64 (Go does). */
static void
add_ms(int64_t *acc, int64_t v)
{
	if (__builtin_add_overflow(*acc, v, acc))
		*acc = v < 0 ? INT64_MIN : INT64_MAX;
}

static void
group_add(struct acc_groups *ag, const char *name, const struct hg_attempt *a, bool first)
{
	struct i64vec *durs;
	struct hg_stats_group *g = group_for(ag, name, &durs);

	g->attempts++;
	switch (a->verdict) {
	case HG_VERDICT_ACCEPT:
		g->accept++;
		break;
	case HG_VERDICT_ESCALATE:
		g->escalate++;
		break;
	case HG_VERDICT_ERROR:
		g->error++;
		break;
	default:
		g->other++;
	}
	g->warm += a->warm_start;
	add_ms(&g->total_ms, a->duration_ms);
	if (a->duration_ms > g->max_ms)
		g->max_ms = a->duration_ms;
	vec_push(durs, a->duration_ms);
	if (first) {
		g->first_attempts++;
		g->first_accept += a->verdict == HG_VERDICT_ACCEPT;
	}
}

static struct hg_stats_skill *
skill_for(struct acc *ac, const char *name, struct i64vec **durs)
{
	struct hg_stats *st = ac->st;
	size_t i;

	if (!name)
		name = "";
	i = ptrmap_get(&ac->skill_map, name);
	if (i == (size_t)-1) {
		if (st->n_skills == ac->cap_skills) {
			ac->cap_skills = ac->cap_skills ? ac->cap_skills * 2 : 16;
			st->skills = xrealloc(st->skills, ac->cap_skills * sizeof(*st->skills));
			ac->skill_durs = xrealloc(ac->skill_durs,
						  ac->cap_skills * sizeof(*ac->skill_durs));
		}
		i = st->n_skills++;
		memset(&st->skills[i], 0, sizeof(st->skills[i]));
		memset(&ac->skill_durs[i], 0, sizeof(ac->skill_durs[i]));
		st->skills[i].name = name;
		ptrmap_put(&ac->skill_map, name, i);
	}
	*durs = &ac->skill_durs[i];
	return &st->skills[i];
}

static void
count_status(struct hg_stats_skill *sk, const char *status)
{
	if (!status)
		status = "";
	for (size_t i = 0; i < sk->n_statuses; i++)
		if (sk->statuses[i].name == status) {
			sk->statuses[i].n++;
			return;
		}
	sk->statuses = xrealloc(sk->statuses, (sk->n_statuses + 1) * sizeof(*sk->statuses));
	sk->statuses[sk->n_statuses].name = status;
	sk->statuses[sk->n_statuses++].n = 1;
}

static enum hg_stats_resolved
resolved_at(const struct hg_entry *e)
{
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		if (a->verdict != HG_VERDICT_ACCEPT)
			continue;
		switch (a->tier) {
		case HG_TIER_LOCAL:
			return HG_RESOLVED_LOCAL;
		case HG_TIER_SUBAGENT:
			return HG_RESOLVED_SUBAGENT;
		case HG_TIER_MANAGED:
			return HG_RESOLVED_MANAGED;
		default:
			return HG_RESOLVED_OTHER;
		}
	}
	return HG_RESOLVED_NEVER;
}

static void
add_chain(struct acc *ac, const struct hg_entry *e)
{
	struct hg_stats *st = ac->st;
	const char *key;
	size_t i;

	hg_buf_reset(&ac->chain_buf);
	hg_entry_chain_add(e, "→", "…", &ac->chain_buf);
	key = hg_intern_n(ac->chain_buf.p, ac->chain_buf.len);
	st->chained++;
	i = ptrmap_get(&ac->chain_map, key);
	if (i == (size_t)-1) {
		if (st->n_chains == ac->cap_chains) {
			ac->cap_chains = ac->cap_chains ? ac->cap_chains * 2 : 16;
			st->chains = xrealloc(st->chains, ac->cap_chains * sizeof(*st->chains));
		}
		i = st->n_chains++;
		st->chains[i].chain = key;
		st->chains[i].n = 0;
		ptrmap_put(&ac->chain_map, key, i);
	}
	st->chains[i].n++;
}

static void
add_skill(struct acc *ac, const struct hg_entry *e)
{
	struct i64vec *durs;
	struct hg_stats_skill *sk = skill_for(ac, e->skill, &durs);

	sk->entries++;
	sk->escalated += e->n_attempts > 1;
	sk->resolved[resolved_at(e)]++;
	count_status(sk, e->final_status);
	/* duration_ms is omitted when zero: such an entry has no duration to
	 * count, rather than a duration of 0 ms. */
	if (e->duration_ms)
		vec_push(durs, e->duration_ms);
}

static void
add_entry(struct acc *ac, const struct hg_entry *e)
{
	struct hg_stats *st = ac->st;

	st->entries++;
	if (!e->ts_zero) {
		if (!st->has_ts || e->ts_ns < st->first_ts_ns)
			st->first_ts_ns = e->ts_ns;
		if (!st->has_ts || e->ts_ns > st->last_ts_ns)
			st->last_ts_ns = e->ts_ns;
		st->has_ts = true;
	}
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		st->attempts++;
		add_ms(&st->attempt_ms, a->duration_ms);
		if (a->verdict != HG_VERDICT_ACCEPT)
			add_ms(&st->non_accept_ms, a->duration_ms);
		group_add(&ac->tiers, hg_attempt_tier(a), a, i == 0);
		group_add(&ac->models, a->model, a, i == 0);
	}
	add_skill(ac, e);
	if (e->n_attempts)
		add_chain(ac, e);
}

static void
add_session(struct acc *ac, const struct hg_session *s)
{
	struct hg_stats *st = ac->st;
	bool kept = hg_filter_is_empty(ac->f);

	for (size_t i = 0; i < s->n_entries; i++) {
		const struct hg_entry *e = &s->entries[i];
		bool m;

		switch (e->kind) {
		case HG_ENTRY_UNPARSABLE:
			st->unparsable_total++;
			m = hg_filter_match(ac->f, s, e);
			st->unparsable += m;
			break;
		case HG_ENTRY_ANNOTATION:
			m = hg_filter_shown(ac->f, s, i);
			st->annotations += m;
			break;
		default:
			m = hg_filter_match(ac->f, s, e);
			if (m)
				add_entry(ac, e);
		}
		kept |= m;
	}
	st->sessions += kept;
}

/* Finishing: percentiles and order */

/* 0, 1, 2 for local, subagent, managed; 3 for any other tier text. */
static int
tier_rank(const char *name)
{
	enum hg_tier t = hg_tier_from(name, strlen(name));

	return t >= HG_TIER_LOCAL && t <= HG_TIER_MANAGED ? (int)(t - HG_TIER_LOCAL) : 3;
}

/* Column and key names of enum hg_stats_resolved. */
static const char *
resolved_name(enum hg_stats_resolved r)
{
	if (r <= HG_RESOLVED_MANAGED)
		return hg_tier_name((enum hg_tier)(HG_TIER_LOCAL + (int)r));
	return r == HG_RESOLVED_OTHER ? "other" : "never";
}

static int
cmp_name_desc_count(int64_t na, int64_t nb, const char *a, const char *b)
{
	if (na != nb)
		return na > nb ? -1 : 1;
	return strcmp(a, b);
}

static int
cmp_tier(const void *pa, const void *pb)
{
	const struct hg_stats_group *a = pa, *b = pb;
	int ra = tier_rank(a->name), rb = tier_rank(b->name);

	if (ra != rb)
		return ra - rb;
	return cmp_name_desc_count(a->attempts, b->attempts, a->name, b->name);
}

static int
cmp_model(const void *pa, const void *pb)
{
	const struct hg_stats_group *a = pa, *b = pb;

	return cmp_name_desc_count(a->attempts, b->attempts, a->name, b->name);
}

static int
cmp_skill(const void *pa, const void *pb)
{
	const struct hg_stats_skill *a = pa, *b = pb;

	return cmp_name_desc_count(a->entries, b->entries, a->name, b->name);
}

static int
cmp_count(const void *pa, const void *pb)
{
	const struct hg_stats_count *a = pa, *b = pb;

	return cmp_name_desc_count(a->n, b->n, a->name, b->name);
}

static int
cmp_chain(const void *pa, const void *pb)
{
	const struct hg_stats_chain *a = pa, *b = pb;

	return cmp_name_desc_count(a->n, b->n, a->chain, b->chain);
}

static void
finish_groups(struct acc_groups *ag, struct hg_stats_group **out, size_t *n,
	      int (*cmp)(const void *, const void *))
{
	for (size_t i = 0; i < ag->n; i++) {
		struct hg_stats_group *g = &ag->g[i];
		struct i64vec *d = &ag->durs[i];

		g->p50_ms = hg_stats_percentile(d->v, d->n, 50);
		g->p95_ms = hg_stats_percentile(d->v, d->n, 95);
		if (!d->n)
			g->max_ms = -1;
		free(d->v);
	}
	free(ag->durs);
	ptrmap_free(&ag->map);
	if (ag->n)
		qsort(ag->g, ag->n, sizeof(*ag->g), cmp);
	*out = ag->g;
	*n = ag->n;
}

static void
finish(struct acc *ac)
{
	struct hg_stats *st = ac->st;

	finish_groups(&ac->tiers, &st->tiers, &st->n_tiers, cmp_tier);
	finish_groups(&ac->models, &st->models, &st->n_models, cmp_model);
	for (size_t i = 0; i < st->n_skills; i++) {
		struct hg_stats_skill *sk = &st->skills[i];
		struct i64vec *d = &ac->skill_durs[i];

		sk->p95_ms = hg_stats_percentile(d->v, d->n, 95);
		free(d->v);
		qsort(sk->statuses, sk->n_statuses, sizeof(*sk->statuses), cmp_count);
	}
	free(ac->skill_durs);
	if (st->n_skills)
		qsort(st->skills, st->n_skills, sizeof(*st->skills), cmp_skill);
	if (st->n_chains)
		qsort(st->chains, st->n_chains, sizeof(*st->chains), cmp_chain);
	ptrmap_free(&ac->skill_map);
	ptrmap_free(&ac->chain_map);
	hg_buf_free(&ac->chain_buf);
}

struct hg_stats *
hg_stats_compute(struct hg_session *const *sessions, size_t n, const struct hg_filter *f)
{
	struct acc ac = { 0 };

	ac.st = xcalloc(1, sizeof(*ac.st));
	ac.st->sessions_total = n;
	ac.st->filter_text = xstrdup(hg_filter_text(f));
	ac.f = f;
	for (size_t i = 0; i < n; i++)
		add_session(&ac, sessions[i]);
	finish(&ac);
	return ac.st;
}

void
hg_stats_free(struct hg_stats *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_skills; i++)
		free(st->skills[i].statuses);
	free(st->skills);
	free(st->tiers);
	free(st->models);
	free(st->chains);
	free(st->filter_text);
	free(st);
}

/* Text report */

struct fmt {
	struct hg_buf *out;
	bool utf8;
	int name_cols;
};

static void
fmt_pct(char *buf, size_t n, int64_t num, int64_t den)
{
	if (den <= 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f%%", 100.0 * (double)num / (double)den);
}

static void
fmt_dur(char *buf, size_t n, int64_t ms)
{
	if (ms < 0)
		snprintf(buf, n, "-");
	else
		hg_fmt_duration(buf, n, ms);
}

/* Untrusted NAME, sanitized, cut to COLS columns and padded to them. */
static void
add_cell(const struct fmt *fm, const char *name, int cols)
{
	struct hg_buf clean = { 0 };
	size_t before = fm->out->len;
	int w;

	if (!name || !*name)
		name = "(none)";
	hg_sanitize(&clean, name, strlen(name), 0);
	hg_text_trunc(fm->out, clean.p, clean.len, cols, fm->utf8 ? "…" : "~");
	w = hg_text_width(fm->out->p + before, fm->out->len - before);
	for (; w < cols; w++)
		hg_buf_addc(fm->out, ' ');
	hg_buf_free(&clean);
}

static int
name_width(const char *name)
{
	struct hg_buf clean = { 0 };
	int w;

	if (!name || !*name)
		name = "(none)";
	hg_sanitize(&clean, name, strlen(name), 0);
	w = hg_text_width(clean.p, clean.len);
	hg_buf_free(&clean);
	return w;
}

/* Count and rate pair "  18,911  61.0%". */
static void
add_rate(struct hg_buf *out, int64_t num, int64_t den)
{
	char c[32], p[16];

	hg_fmt_count(c, sizeof(c), num);
	fmt_pct(p, sizeof(p), num, den);
	hg_buf_printf(out, " %9s %6s", c, p);
}

static void
add_durs(struct hg_buf *out, int64_t p50, int64_t p95, int64_t max)
{
	char a[24], b[24], c[24];

	fmt_dur(a, sizeof(a), p50);
	fmt_dur(b, sizeof(b), p95);
	fmt_dur(c, sizeof(c), max);
	hg_buf_printf(out, " %8s %8s %8s", a, b, c);
}

static void
render_group_header(const struct fmt *fm, const char *what, bool first)
{
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, what, fm->name_cols);
	hg_buf_printf(fm->out, " %9s %16s %16s %16s %9s %6s %8s %8s %8s%s\n", "n", "accept",
		      "escalate", "error", "other", "warm", "p50", "p95", "max",
		      first ? "  1st-accept" : "");
}

static void
render_group(const struct fmt *fm, const struct hg_stats_group *g, bool first)
{
	char n[32], other[32], warm[16];

	hg_fmt_count(n, sizeof(n), g->attempts);
	hg_fmt_count(other, sizeof(other), g->other);
	fmt_pct(warm, sizeof(warm), g->warm, g->attempts);
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, g->name, fm->name_cols);
	hg_buf_printf(fm->out, " %9s", n);
	add_rate(fm->out, g->accept, g->attempts);
	add_rate(fm->out, g->escalate, g->attempts);
	add_rate(fm->out, g->error, g->attempts);
	hg_buf_printf(fm->out, " %9s %6s", other, warm);
	add_durs(fm->out, g->p50_ms, g->p95_ms, g->max_ms);
	if (first) {
		char p[16], fn[32];

		fmt_pct(p, sizeof(p), g->first_accept, g->first_attempts);
		hg_fmt_count(fn, sizeof(fn), g->first_attempts);
		hg_buf_printf(fm->out, "  %s n=%s", p, fn);
	}
	hg_buf_addc(fm->out, '\n');
}

static int
groups_name_cols(const struct hg_stats_group *g, size_t n, const char *title)
{
	int cols = (int)strlen(title);

	for (size_t i = 0; i < n; i++) {
		int w = name_width(g[i].name);

		if (w > cols)
			cols = w;
	}
	return cols > NAME_COLS_MAX ? NAME_COLS_MAX : cols;
}

static void
render_groups(struct fmt *fm, const char *title, const char *col,
	      const struct hg_stats_group *g, size_t n, bool first)
{
	hg_buf_printf(fm->out, "\n%s\n", title);
	if (n == 0) {
		hg_buf_adds(fm->out, "  no attempts\n");
		return;
	}
	fm->name_cols = groups_name_cols(g, n, col);
	render_group_header(fm, col, first);
	for (size_t i = 0; i < n; i++)
		render_group(fm, &g[i], first);
}

static void
render_overall_line(struct hg_buf *out, const char *label, int64_t v)
{
	char c[32];

	hg_fmt_count(c, sizeof(c), v);
	hg_buf_printf(out, "  %-15s %s\n", label, c);
}

/* Milliseconds from first to last. Timestamps far apart (years 1678 and
 * 2262 saturate int64 nanoseconds) would overflow the subtraction. */
static int64_t
span_ms(int64_t first, int64_t last)
{
	if (first < 0 && last > INT64_MAX + first)
		return last / 1000000 - first / 1000000;
	return (last - first) / 1000000;
}

static void
render_span(const struct fmt *fm, const struct hg_stats *st)
{
	char a[40], b[40], d[24];

	if (!st->has_ts) {
		hg_buf_printf(fm->out, "  %-15s -\n", "time span");
		return;
	}
	hg_format_datetime(st->first_ts_ns, a, sizeof(a));
	hg_format_datetime(st->last_ts_ns, b, sizeof(b));
	hg_fmt_duration(d, sizeof(d), span_ms(st->first_ts_ns, st->last_ts_ns));
	hg_buf_printf(fm->out, "  %-15s %s %s %s (%s)\n", "time span", a, fm->utf8 ? "–" : "..", b, d);
}

static void
render_sessions(const struct fmt *fm, const struct hg_stats *st)
{
	char a[32], b[32];

	if (st->sessions == st->sessions_total) {
		render_overall_line(fm->out, "sessions", (int64_t)st->sessions);
		return;
	}
	hg_fmt_count(a, sizeof(a), (int64_t)st->sessions);
	hg_fmt_count(b, sizeof(b), (int64_t)st->sessions_total);
	hg_buf_printf(fm->out, "  %-15s %s (of %s; the filter hides the rest)\n", "sessions", a, b);
}

static void
render_unparsable(const struct fmt *fm, const struct hg_stats *st)
{
	char a[32], b[32];

	hg_fmt_count(a, sizeof(a), st->unparsable);
	hg_fmt_count(b, sizeof(b), st->unparsable_total);
	if (st->unparsable == st->unparsable_total)
		hg_buf_printf(fm->out, "  %-15s %s\n", "unparsable", a);
	else
		hg_buf_printf(fm->out, "  %-15s %s (of %s in the sessions; the filter hides the rest)\n",
			      "unparsable", a, b);
}

static void
render_tax(const struct fmt *fm, const struct hg_stats *st)
{
	char p[16], a[24], b[24], n[32];

	fmt_pct(p, sizeof(p), st->non_accept_ms, st->attempt_ms);
	fmt_dur(a, sizeof(a), st->non_accept_ms);
	fmt_dur(b, sizeof(b), st->attempt_ms);
	hg_fmt_count(n, sizeof(n), st->attempts);
	hg_buf_printf(fm->out, "  %-15s %s of attempt time in attempts that did not accept "
		      "(%s of %s, n=%s attempts)\n", "escalation tax", p, a, b, n);
}

static void
render_overall(const struct fmt *fm, const struct hg_stats *st)
{
	struct hg_buf clean = { 0 };

	hg_buf_adds(fm->out, "Overall\n");
	render_sessions(fm, st);
	render_overall_line(fm->out, "entries", st->entries);
	render_overall_line(fm->out, "attempts", st->attempts);
	render_overall_line(fm->out, "annotations", st->annotations);
	render_unparsable(fm, st);
	render_span(fm, st);
	hg_sanitize(&clean, st->filter_text, strlen(st->filter_text), 0);
	hg_buf_printf(fm->out, "  %-15s %s\n", "filter", clean.len ? clean.p : "(none)");
	hg_buf_free(&clean);
	render_tax(fm, st);
}

static void
render_statuses(const struct fmt *fm, const struct hg_stats_skill *sk)
{
	struct hg_buf clean = { 0 };

	for (size_t i = 0; i < sk->n_statuses && i < TOP_STATUSES; i++) {
		char c[32];
		const char *name = *sk->statuses[i].name ? sk->statuses[i].name : "(none)";

		hg_buf_reset(&clean);
		hg_sanitize(&clean, name, strlen(name), 0);
		hg_fmt_count(c, sizeof(c), sk->statuses[i].n);
		hg_buf_printf(fm->out, "%s%s %s", i ? ", " : "  ", clean.p, c);
	}
	if (sk->n_statuses > TOP_STATUSES)
		hg_buf_printf(fm->out, ", %zu more", sk->n_statuses - TOP_STATUSES);
	hg_buf_free(&clean);
}

static void
render_skill(const struct fmt *fm, const struct hg_stats_skill *sk)
{
	char n[32], p95[24];

	hg_fmt_count(n, sizeof(n), sk->entries);
	fmt_dur(p95, sizeof(p95), sk->p95_ms);
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, sk->name, fm->name_cols);
	hg_buf_printf(fm->out, " %9s", n);
	add_rate(fm->out, sk->escalated, sk->entries);
	for (int r = 0; r < HG_RESOLVED_N; r++) {
		char c[32];

		hg_fmt_count(c, sizeof(c), sk->resolved[r]);
		hg_buf_printf(fm->out, " %9s", c);
	}
	hg_buf_printf(fm->out, " %8s", p95);
	render_statuses(fm, sk);
	hg_buf_addc(fm->out, '\n');
}

static void
render_skills(struct fmt *fm, const struct hg_stats *st)
{
	hg_buf_adds(fm->out, "\nSkills (rates over n entries; resolved = tier of the accepting attempt)\n");
	if (st->n_skills == 0) {
		hg_buf_adds(fm->out, "  no entries\n");
		return;
	}
	fm->name_cols = 5;
	for (size_t i = 0; i < st->n_skills; i++) {
		int w = name_width(st->skills[i].name);

		if (w > fm->name_cols)
			fm->name_cols = w > NAME_COLS_MAX ? NAME_COLS_MAX : w;
	}
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, "skill", fm->name_cols);
	hg_buf_printf(fm->out, " %9s %16s %9s %9s %9s %9s %9s %8s  %s\n", "n", "escalated",
		      resolved_name(HG_RESOLVED_LOCAL), resolved_name(HG_RESOLVED_SUBAGENT),
		      resolved_name(HG_RESOLVED_MANAGED), resolved_name(HG_RESOLVED_OTHER),
		      resolved_name(HG_RESOLVED_NEVER), "p95", "final_status");
	for (size_t i = 0; i < st->n_skills; i++)
		render_skill(fm, &st->skills[i]);
}

/* The chain with the arrow the output can show. */
static void
add_chain_text(const struct fmt *fm, const char *chain)
{
	/* The arrows and the ellipsis are hgtop's, the tier names the log's:
	 * only the names are sanitised, the marks follow the locale. */
	static const char *const marks[][2] = { { "→", "->" }, { "…", "..." } };
	const char *p = chain;

	while (*p) {
		const char *next = p + strlen(p);
		size_t m = 0, k;

		for (k = 0; k < 2; k++) {
			const char *q = strstr(p, marks[k][0]);

			if (q && q < next) {
				next = q;
				m = k;
			}
		}
		hg_sanitize(fm->out, p, (size_t)(next - p), 0);
		if (!*next)
			break;
		hg_buf_adds(fm->out, marks[m][fm->utf8 ? 0 : 1]);
		p = next + strlen(marks[m][0]);
	}
}

static void
render_chains(const struct fmt *fm, const struct hg_stats *st)
{
	char n[32];
	int64_t rest = 0;

	hg_fmt_count(n, sizeof(n), st->chained);
	hg_buf_printf(fm->out, "\nEscalation chains (share of n=%s entries with attempts)\n", n);
	if (st->n_chains == 0) {
		hg_buf_adds(fm->out, "  no attempts\n");
		return;
	}
	hg_buf_printf(fm->out, "  %9s %6s  %s\n", "entries", "share", "chain");
	for (size_t i = 0; i < st->n_chains; i++) {
		char c[32], p[16];

		if (i >= TOP_CHAINS) {
			rest += st->chains[i].n;
			continue;
		}
		hg_fmt_count(c, sizeof(c), st->chains[i].n);
		fmt_pct(p, sizeof(p), st->chains[i].n, st->chained);
		hg_buf_printf(fm->out, "  %9s %6s  ", c, p);
		add_chain_text(fm, st->chains[i].chain);
		hg_buf_addc(fm->out, '\n');
	}
	if (st->n_chains > TOP_CHAINS) {
		hg_fmt_count(n, sizeof(n), rest);
		hg_buf_printf(fm->out, "  %zu more chains (%s entries)\n", st->n_chains - TOP_CHAINS, n);
	}
}

void
hg_stats_render(const struct hg_stats *st, struct hg_buf *out, bool utf8)
{
	struct fmt fm = { .out = out, .utf8 = utf8 };

	render_overall(&fm, st);
	render_groups(&fm, "Tiers (rates over n attempts)", "tier", st->tiers, st->n_tiers, false);
	render_groups(&fm, "Models (rates over n attempts; 1st-accept: entries whose first "
		      "attempt used the model, and how many of those accepted)", "model",
		      st->models, st->n_models, true);
	render_skills(&fm, st);
	render_chains(&fm, st);
}

void
hg_stats_print_text(const struct hg_stats *st, FILE *out, bool utf8)
{
	struct hg_buf b = { 0 };

	hg_stats_render(st, &b, utf8);
	if (b.len)
		fwrite(b.p, 1, b.len, out);
	hg_buf_free(&b);
}

/* JSON report */

static void
json_rate(cJSON *o, const char *key, int64_t num, int64_t den)
{
	if (den > 0)
		cJSON_AddNumberToObject(o, key, (double)num / (double)den);
	else
		cJSON_AddNullToObject(o, key);
}

static void
json_ms(cJSON *o, const char *key, int64_t ms)
{
	if (ms >= 0)
		cJSON_AddNumberToObject(o, key, (double)ms);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
json_group(const struct hg_stats_group *g, const char *key, bool first)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, key, g->name);
	cJSON_AddNumberToObject(o, "attempts", (double)g->attempts);
	cJSON_AddNumberToObject(o, "accept", (double)g->accept);
	cJSON_AddNumberToObject(o, "escalate", (double)g->escalate);
	cJSON_AddNumberToObject(o, "error", (double)g->error);
	cJSON_AddNumberToObject(o, "other", (double)g->other);
	json_rate(o, "accept_rate", g->accept, g->attempts);
	json_rate(o, "escalate_rate", g->escalate, g->attempts);
	json_rate(o, "error_rate", g->error, g->attempts);
	cJSON_AddNumberToObject(o, "warm_start", (double)g->warm);
	json_rate(o, "warm_start_rate", g->warm, g->attempts);
	json_ms(o, "p50_ms", g->p50_ms);
	json_ms(o, "p95_ms", g->p95_ms);
	json_ms(o, "max_ms", g->max_ms);
	cJSON_AddNumberToObject(o, "total_ms", (double)g->total_ms);
	if (first) {
		cJSON_AddNumberToObject(o, "first_attempts", (double)g->first_attempts);
		cJSON_AddNumberToObject(o, "first_accept", (double)g->first_accept);
		json_rate(o, "first_accept_rate", g->first_accept, g->first_attempts);
	}
	return o;
}

static cJSON *
json_groups(const struct hg_stats_group *g, size_t n, const char *key, bool first)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, json_group(&g[i], key, first));
	return a;
}

static cJSON *
json_skill(const struct hg_stats_skill *sk)
{
	cJSON *o = cJSON_CreateObject(), *r, *fs;

	cJSON_AddStringToObject(o, "skill", sk->name);
	cJSON_AddNumberToObject(o, "entries", (double)sk->entries);
	cJSON_AddNumberToObject(o, "escalated", (double)sk->escalated);
	json_rate(o, "escalation_rate", sk->escalated, sk->entries);
	r = cJSON_AddObjectToObject(o, "resolved");
	for (int i = 0; i < HG_RESOLVED_N; i++)
		cJSON_AddNumberToObject(r, resolved_name((enum hg_stats_resolved)i),
					(double)sk->resolved[i]);
	fs = cJSON_AddObjectToObject(o, "final_status");
	for (size_t i = 0; i < sk->n_statuses; i++)
		cJSON_AddNumberToObject(fs, sk->statuses[i].name, (double)sk->statuses[i].n);
	json_ms(o, "p95_ms", sk->p95_ms);
	return o;
}

static void
json_time(cJSON *o, const char *key, bool has, int64_t ns)
{
	char buf[48];

	if (!has) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	hg_format_time(ns, 0, false, buf, sizeof(buf));
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *
json_overall(const struct hg_stats *st)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "sessions", (double)st->sessions);
	cJSON_AddNumberToObject(o, "sessions_total", (double)st->sessions_total);
	cJSON_AddNumberToObject(o, "entries", (double)st->entries);
	cJSON_AddNumberToObject(o, "attempts", (double)st->attempts);
	cJSON_AddNumberToObject(o, "annotations", (double)st->annotations);
	cJSON_AddNumberToObject(o, "unparsable_lines", (double)st->unparsable);
	cJSON_AddNumberToObject(o, "unparsable_lines_total", (double)st->unparsable_total);
	json_time(o, "first_timestamp", st->has_ts, st->first_ts_ns);
	json_time(o, "last_timestamp", st->has_ts, st->last_ts_ns);
	json_ms(o, "span_ms", st->has_ts ? span_ms(st->first_ts_ns, st->last_ts_ns) : -1);
	cJSON_AddStringToObject(o, "filter", st->filter_text);
	return o;
}

static cJSON *
json_tax(const struct hg_stats *st)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "attempt_ms", (double)st->attempt_ms);
	cJSON_AddNumberToObject(o, "non_accept_ms", (double)st->non_accept_ms);
	json_rate(o, "share", st->non_accept_ms, st->attempt_ms);
	cJSON_AddNumberToObject(o, "attempts", (double)st->attempts);
	return o;
}

static cJSON *
json_chains(const struct hg_stats *st)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < st->n_chains; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "chain", st->chains[i].chain);
		cJSON_AddNumberToObject(o, "entries", (double)st->chains[i].n);
		json_rate(o, "share", st->chains[i].n, st->chained);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

char *
hg_stats_json(const struct hg_stats *st)
{
	cJSON *root = cJSON_CreateObject(), *skills;
	char *s;

	cJSON_AddItemToObject(root, "overall", json_overall(st));
	cJSON_AddItemToObject(root, "escalation_tax", json_tax(st));
	cJSON_AddItemToObject(root, "tiers", json_groups(st->tiers, st->n_tiers, "tier", true));
	cJSON_AddItemToObject(root, "models", json_groups(st->models, st->n_models, "model", true));
	skills = cJSON_AddArrayToObject(root, "skills");
	for (size_t i = 0; i < st->n_skills; i++)
		cJSON_AddItemToArray(skills, json_skill(&st->skills[i]));
	cJSON_AddNumberToObject(root, "chained_entries", (double)st->chained);
	cJSON_AddItemToObject(root, "chains", json_chains(st));
	s = cJSON_Print(root);
	cJSON_Delete(root);
	if (!s)
		die("out of memory");
	return s;
}

void
hg_stats_print_json(const struct hg_stats *st, FILE *out)
{
	char *s = hg_stats_json(st);

	fputs(s, out);
	fputc('\n', out);
	cJSON_free(s);
}

/* Header summary line */

struct tier_sum {
	const char *name;
	int64_t attempts;
	int64_t accept;
	int64_t p95;
};

static size_t
tier_sums(const struct hg_stats *st, struct tier_sum *ts)
{
	size_t n = 0;
	struct tier_sum other = { resolved_name(HG_RESOLVED_OTHER), 0, 0, -1 };

	for (size_t i = 0; i < st->n_tiers; i++) {
		const struct hg_stats_group *g = &st->tiers[i];

		if (g->attempts == 0)
			continue;
		if (tier_rank(g->name) < 3) {
			ts[n++] = (struct tier_sum){ g->name, g->attempts, g->accept, g->p95_ms };
		} else {
			other.attempts += g->attempts;
			other.accept += g->accept;
			if (g->p95_ms > other.p95)
				other.p95 = g->p95_ms; /* the worst: no exact p95 across groups */
		}
	}
	if (other.attempts)
		ts[n++] = other;
	return n;
}

/* Rounded, but never shown as 100% (or 0%) unless it is exactly that. */
static int
whole_pct(int64_t num, int64_t den)
{
	int p = (int)((num * 100 + den / 2) / den);

	if (p == 100 && num < den)
		p = 99;
	if (p == 0 && num > 0)
		p = 1;
	return p;
}

static void
summary_at(const struct tier_sum *ts, size_t n, int level, struct hg_buf *b)
{
	hg_buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		char c[32], d[24];
		int p = whole_pct(ts[i].accept, ts[i].attempts);

		hg_fmt_count(c, sizeof(c), ts[i].attempts);
		fmt_dur(d, sizeof(d), ts[i].p95);
		hg_buf_printf(b, "%s%s", i ? " | " : " ", ts[i].name);
		if (level == 0)
			hg_buf_printf(b, " %s%s  acc %d%%  p95 %s", c, i ? "" : " att", p, d);
		else if (level == 1)
			hg_buf_printf(b, " %s  acc %d%%", c, p);
		else
			hg_buf_printf(b, " %d%%", p);
	}
}

void
hg_stats_summary_line(const struct hg_stats *st, int width, char *buf, size_t n)
{
	struct tier_sum ts[8];
	size_t nt = 0;
	struct hg_buf b = { 0 };

	if (n == 0)
		return;
	if (st)
		nt = tier_sums(st, ts);
	if (nt == 0) {
		hg_buf_adds(&b, st && st->filter_text[0] ? " no attempts match the filter" : " no attempts");
	} else {
		for (int level = 0; level < 3; level++) {
			summary_at(ts, nt, level, &b);
			if ((int)b.len <= width)
				break;
		}
	}
	if (width >= 0 && b.len > (size_t)width)
		b.len = (size_t)width;
	snprintf(buf, n, "%.*s", (int)b.len, b.p ? b.p : "");
	hg_buf_free(&b);
}

/* Header meter */

struct hg_meter {
	struct acc_groups tiers;	/* grouped as hg_stats_compute does */
	struct hg_stats_group *view;	/* the tiers with percentiles, sorted */
	size_t n_view;
	bool fresh;			/* view matches tiers */
};

struct hg_meter *
hg_meter_new(void)
{
	return xcalloc(1, sizeof(struct hg_meter));
}

void
hg_meter_reset(struct hg_meter *m)
{
	struct acc_groups *ag = &m->tiers;

	for (size_t i = 0; i < ag->n; i++)
		free(ag->durs[i].v);
	free(ag->g);
	free(ag->durs);
	ptrmap_free(&ag->map);
	memset(ag, 0, sizeof(*ag));
	m->n_view = 0;
	m->fresh = false;
}

void
hg_meter_free(struct hg_meter *m)
{
	if (!m)
		return;
	hg_meter_reset(m);
	free(m->view);
	free(m);
}

void
hg_meter_add_entry(struct hg_meter *m, const struct hg_entry *e)
{
	if (e->kind != HG_ENTRY_OK)
		return;
	for (uint32_t i = 0; i < e->n_attempts; i++)
		group_add(&m->tiers, hg_attempt_tier(&e->attempts[i]), &e->attempts[i], i == 0);
	if (e->n_attempts)
		m->fresh = false;
}

/* Percentiles of group I. The selection reorders the durations, which
 * the next one does not mind: they are a multiset. */
static void
meter_percentiles(struct hg_meter *m, size_t i, struct hg_stats_group *g)
{
	struct i64vec *d = &m->tiers.durs[i];

	g->p50_ms = hg_stats_percentile(d->v, d->n, 50);
	g->p95_ms = hg_stats_percentile(d->v, d->n, 95);
	if (!d->n)
		g->max_ms = -1;
}

const struct hg_stats_group *
hg_meter_tiers(struct hg_meter *m, size_t *n)
{
	if (!m->fresh) {
		m->view = xrealloc(m->view, (m->tiers.n ? m->tiers.n : 1) * sizeof(*m->view));
		for (size_t i = 0; i < m->tiers.n; i++) {
			m->view[i] = m->tiers.g[i];
			meter_percentiles(m, i, &m->view[i]);
		}
		m->n_view = m->tiers.n;
		if (m->n_view)
			qsort(m->view, m->n_view, sizeof(*m->view), cmp_tier);
		m->fresh = true;
	}
	*n = m->n_view;
	return m->view;
}

void
hg_meter_line(struct hg_meter *m, const char *filter_text, int width, char *buf, size_t n)
{
	struct hg_stats st;

	memset(&st, 0, sizeof(st));
	hg_meter_tiers(m, &st.n_tiers);
	st.tiers = m->view;
	st.filter_text = (char *)(filter_text ? filter_text : "");
	hg_stats_summary_line(&st, width, buf, n);
}
