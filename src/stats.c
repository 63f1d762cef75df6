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
#include <time.h>

#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/sanitize.h"

/* Chains listed in the text report; the JSON has them all. */
#define TOP_CHAINS 20
/* final_status values listed per skill in the text report. */
#define TOP_STATUSES 4
/* Widest name column in the text report. */
#define NAME_COLS_MAX 28

/* A multiset of durations in little memory: values are appended to a
 * buffer, which is sorted and merged into runs of (value, count) when it
 * fills. The runs are varints: the first value zigzag-encoded, then each
 * value as its distance from the previous one, each followed by its
 * count. Durations in milliseconds of one group sit close together, so a
 * run costs 2 to 4 bytes, and percentiles read the runs, so they are
 * exact. */
struct i64vec {
	int64_t *v;		/* not yet merged */
	size_t n;
	size_t cap;
	uint8_t *runs;
	size_t len;		/* bytes of runs */
	size_t nr;		/* runs */
	int64_t total;		/* values in the set */
};

/* Values buffered before a merge: at least this many, and half of
 * the runs (a merge costs a pass over them). */
#define VEC_BUF_MIN 4096

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

/* Sessions or projects. */
struct acc_scopes {
	struct hg_stats_scope *s;
	struct i64vec *durs;
	size_t n;
	size_t cap;
	struct ptrmap map;
};

/* Series counts of one minute (bucket bounds are local hours or days,
 * whole minutes in every zone of today's tz database). */
struct minute {
	int64_t key;		/* floor(seconds / 60); used when entries > 0 */
	int64_t entries;
	int64_t attempts[HG_SERIES_TIERS];
	int64_t accept[HG_SERIES_TIERS];
};

struct minutes {
	struct minute *m;
	size_t cap;
	size_t n;
	size_t last;
};

/* An entry a note may target: line number (shifted left by 2; bit 1: it
 * matched the filter, bit 0: zero timestamp), timestamp and skill. */
struct target {
	int64_t line;
	int64_t ts_ns;
	const char *skill;
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
	struct acc_scopes projects;
	struct acc_scopes sessions;
	struct minutes minutes;		/* series counts per minute */
	/* The session being fed. */
	const struct hg_session *s;
	const char *s_name;		/* interned id, once an entry counts */
	bool s_kept;
	bool in_session;
	/* Entries of the session that notes may target (only when the
	 * filter decides on a note by its target). */
	bool need_targets;
	struct target *targets;
	size_t n_targets, cap_targets;
};


static int cmp64(const void *a, const void *b);

static size_t
put_varint(uint8_t *p, uint64_t x)
{
	size_t n = 0;

	while (x >= 0x80) {
		p[n++] = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	p[n++] = (uint8_t)x;
	return n;
}

static const uint8_t *
get_varint(const uint8_t *p, uint64_t *x)
{
	uint64_t v = 0;
	int shift = 0;

	while (*p & 0x80) {
		v |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*x = v | (uint64_t)*p++ << shift;
	return p;
}

/* Walks the runs. */
struct run_it {
	const uint8_t *p, *end;
	uint64_t prev;
	bool first;
};

static bool
run_next(struct run_it *it, int64_t *value, uint64_t *count)
{
	uint64_t d;

	if (it->p >= it->end)
		return false;
	it->p = get_varint(it->p, &d);
	if (it->first) {
		it->prev = (d >> 1) ^ (uint64_t)-(int64_t)(d & 1);
		it->first = false;
	} else {
		it->prev += d;
	}
	it->p = get_varint(it->p, count);
	*value = (int64_t)it->prev;
	return true;
}

struct run_out {
	uint8_t *p;
	size_t len;
	size_t nr;
	uint64_t prev;
	int64_t last;
	uint64_t count;		/* of the pending run (0: none) */
};

static void
run_flush(struct run_out *o)
{
	uint64_t x = (uint64_t)o->last;

	if (!o->count)
		return;
	if (o->nr == 0)
		o->len += put_varint(o->p + o->len, (x << 1) ^ (uint64_t)(o->last >> 63));
	else
		o->len += put_varint(o->p + o->len, x - o->prev);
	o->len += put_varint(o->p + o->len, o->count);
	o->prev = x;
	o->nr++;
	o->count = 0;
}

static void
run_put(struct run_out *o, int64_t value, uint64_t count)
{
	if (o->count && value == o->last) {
		o->count += count;
		return;
	}
	run_flush(o);
	o->last = value;
	o->count = count;
}

/* Sort V[0..n) ascending: radix sort on 11-bit digits of the value with
 * its sign bit flipped, skipping the digits where all values agree (most
 * durations need two passes). TMP holds n values. */
static void
sort64(int64_t *v, int64_t *tmp, size_t n)
{
	uint64_t first, diff = 0;
	size_t count[2048];
	int64_t *src = v, *dst = tmp;

	if (n < 2)
		return;
	first = (uint64_t)v[0];
	for (size_t i = 1; i < n; i++)
		diff |= (uint64_t)v[i] ^ first;
	for (int shift = 0; shift < 64; shift += 11) {
		size_t sum = 0;

		if (!((diff >> shift) & 0x7ff))
			continue;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(((uint64_t)src[i] ^ UINT64_C(0x8000000000000000)) >> shift) & 0x7ff]++;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(((uint64_t)src[i] ^ UINT64_C(0x8000000000000000)) >> shift) & 0x7ff]++] =
				src[i];
		src = dst;
		dst = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

/* Sort the buffer and merge it into the runs. */
static void
vec_merge(struct i64vec *v)
{
	/* No runs yet: runs is NULL, and NULL + 0 is undefined. */
	struct run_it it = { v->runs, v->runs ? v->runs + v->len : NULL, 0, true };
	struct run_out o = { 0 };
	int64_t rv = 0;
	uint64_t rc = 0;
	bool have;
	size_t j = 0;

	if (!v->n)
		return;
	/* Each run takes at most 20 bytes (two varints): room for the sort's
	 * scratch too. */
	o.p = xmalloc((v->nr + v->n) * 20);
	sort64(v->v, (int64_t *)(void *)o.p, v->n);
	have = run_next(&it, &rv, &rc);
	while (have || j < v->n) {
		if (j == v->n || (have && rv <= v->v[j])) {
			run_put(&o, rv, rc);
			have = run_next(&it, &rv, &rc);
		} else {
			run_put(&o, v->v[j++], 1);
		}
	}
	run_flush(&o);
	free(v->runs);
	v->runs = xrealloc(o.p, o.len ? o.len : 1);
	v->len = o.len;
	v->nr = o.nr;
	v->n = 0;
}

static void
vec_push(struct i64vec *v, int64_t x)
{
	if (v->n == v->cap) {
		size_t limit = v->nr / 2 > VEC_BUF_MIN ? v->nr / 2 : VEC_BUF_MIN;

		if (v->n >= limit) {
			vec_merge(v);
		} else {
			v->cap = v->cap ? v->cap * 2 : 16;
			v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
		}
	}
	v->v[v->n++] = x;
	v->total++;
}

/* Nearest-rank percentile P of the set, as hg_stats_percentile. */
static int64_t
vec_percentile(struct i64vec *v, int p)
{
	struct run_it it;
	int64_t rank, value = HG_STATS_NONE;
	uint64_t count, seen = 0;

	if (!v->nr)
		return hg_stats_percentile(v->v, v->n, p);
	vec_merge(v);
	rank = ((int64_t)p * v->total + 99) / 100;
	if (rank < 1)
		rank = 1;
	it = (struct run_it){ v->runs, v->runs + v->len, 0, true };
	while (run_next(&it, &value, &count)) {
		seen += count;
		if (seen >= (uint64_t)rank)
			break;
	}
	return value;
}

static void
vec_free(struct i64vec *v)
{
	free(v->v);
	free(v->runs);
	memset(v, 0, sizeof(*v));
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
		return HG_STATS_NONE;
	/* Nearest rank: ceil(p/100 * n), at least 1. */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	select_kth(v, n, rank - 1);
	return v[rank - 1];
}

/* Duration histogram */

static const int64_t hist_bounds[HG_HIST_N - 1] = { 100, 300, 1000, 3000, 10000, 30000, 60000 };

int
hg_stats_hist_bucket(int64_t ms)
{
	int i;

	for (i = 0; i < HG_HIST_N - 1; i++)
		if (ms < hist_bounds[i])
			return i;
	return HG_HIST_N - 1;
}

const char *
hg_stats_hist_label(int i, bool utf8)
{
	static const char *const labels[HG_HIST_N] = {
		"<100ms", "<300ms", "<1s", "<3s", "<10s", "<30s", "<1m", ">=1m",
	};

	if (i < 0 || i >= HG_HIST_N)
		return "";
	if (i == HG_HIST_N - 1 && utf8)
		return "≥1m";
	return labels[i];
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
	int64_t ms = hg_attempt_ms(a);

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
	g->warm += hg_attempt_warm(a);
	add_ms(&g->total_ms, ms);
	if (g->attempts == 1 || ms > g->max_ms)	/* durations may be negative */
		g->max_ms = ms;
	vec_push(durs, ms);
	g->hist[hg_stats_hist_bucket(ms)]++;
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
	struct hg_stats_skill *sk = skill_for(ac, hg_entry_str(e, HG_E_SKILL), &durs);

	sk->entries++;
	sk->escalated += e->n_attempts > 1;
	sk->resolved[resolved_at(e)]++;
	count_status(sk, hg_entry_str(e, HG_E_FINAL_STATUS));
	/* duration_ms is omitted when zero: such an entry has no duration to
	 * count, rather than a duration of 0 ms. */
	if (hg_entry_ms(e))
		vec_push(durs, hg_entry_ms(e));
}

static struct hg_stats_scope *
scope_for(struct acc_scopes *as, const char *name, struct i64vec **durs)
{
	size_t i = ptrmap_get(&as->map, name);

	if (i == (size_t)-1) {
		if (as->n == as->cap) {
			as->cap = as->cap ? as->cap * 2 : 16;
			as->s = xrealloc(as->s, as->cap * sizeof(*as->s));
			as->durs = xrealloc(as->durs, as->cap * sizeof(*as->durs));
		}
		i = as->n++;
		memset(&as->s[i], 0, sizeof(as->s[i]));
		memset(&as->durs[i], 0, sizeof(as->durs[i]));
		as->s[i].name = name;
		ptrmap_put(&as->map, name, i);
	}
	*durs = &as->durs[i];
	return &as->s[i];
}

static void
scope_add(struct acc_scopes *as, const char *name, const struct hg_entry *e)
{
	struct i64vec *durs;
	static const char none[] = "";
	struct hg_stats_scope *sc = scope_for(as, name && *name ? name : none, &durs);

	sc->entries++;
	sc->escalated += e->n_attempts > 1;
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		sc->attempts++;
		sc->accept += e->attempts[i].verdict == HG_VERDICT_ACCEPT;
		sc->error += e->attempts[i].verdict == HG_VERDICT_ERROR;
	}
	if (hg_entry_ms(e))
		vec_push(durs, hg_entry_ms(e));
	if (!e->ts_zero && (!sc->has_ts || e->ts_ns > sc->last_ts_ns)) {
		sc->last_ts_ns = e->ts_ns;
		sc->has_ts = true;
	}
}

static int series_tier(const struct hg_attempt *a);
static int64_t floor_div(int64_t a, int64_t b);

static size_t
minute_slot(int64_t key, size_t mask)
{
	return (size_t)((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15) >> 17) & mask;
}

static struct minute *
minute_find(struct minutes *mm, int64_t key)
{
	size_t i;

	if ((mm->n + 1) * 2 > mm->cap) {
		struct minutes old = *mm;

		mm->cap = mm->cap ? mm->cap * 2 : 256;
		mm->m = xcalloc(mm->cap, sizeof(*mm->m));
		for (size_t k = 0; k < old.cap; k++) {
			if (!old.m[k].entries)
				continue;
			for (i = minute_slot(old.m[k].key, mm->cap - 1); mm->m[i].entries;
			     i = (i + 1) & (mm->cap - 1))
				;
			mm->m[i] = old.m[k];
		}
		free(old.m);
		mm->last = SIZE_MAX;
	}
	if (mm->last < mm->cap && mm->m[mm->last].key == key && mm->m[mm->last].entries)
		return &mm->m[mm->last];
	for (i = minute_slot(key, mm->cap - 1); mm->m[i].entries; i = (i + 1) & (mm->cap - 1))
		if (mm->m[i].key == key)
			break;
	if (!mm->m[i].entries) {
		mm->m[i].key = key;
		mm->n++;
	}
	mm->last = i;
	return &mm->m[i];
}

static void
minute_add(struct minutes *mm, const struct hg_entry *e)
{
	struct minute *m = minute_find(mm, floor_div(floor_div(e->ts_ns, 1000000000), 60));

	m->entries++;
	for (uint32_t j = 0; j < e->n_attempts; j++) {
		int t = series_tier(&e->attempts[j]);

		m->attempts[t]++;
		m->accept[t] += e->attempts[j].verdict == HG_VERDICT_ACCEPT;
	}
}

static void
add_entry(struct acc *ac, const struct hg_entry *e)
{
	struct hg_stats *st = ac->st;

	st->entries++;
	scope_add(&ac->projects, hg_entry_str(e, HG_E_PROJECT_ROOT), e);
	if (!e->ts_zero) {
		minute_add(&ac->minutes, e);
		if (!st->has_ts || e->ts_ns < st->first_ts_ns)
			st->first_ts_ns = e->ts_ns;
		if (!st->has_ts || e->ts_ns > st->last_ts_ns)
			st->last_ts_ns = e->ts_ns;
		st->has_ts = true;
	}
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		st->attempts++;
		add_ms(&st->attempt_ms, hg_attempt_ms(a));
		if (a->verdict != HG_VERDICT_ACCEPT)
			add_ms(&st->non_accept_ms, hg_attempt_ms(a));
		group_add(&ac->tiers, hg_attempt_tier(a), a, i == 0);
		group_add(&ac->models, hg_sym_str(hg_attempt_model(a)), a, i == 0);
	}
	add_skill(ac, e);
	if (e->n_attempts)
		add_chain(ac, e);
}

/* Whether note E is shown under the filter: as its target is, when it
 * has one among the entries fed (see hg_annotate_target), else as itself
 * (hg_filter_shown). */
static bool
note_shown(struct acc *ac, const struct hg_entry *e)
{
	const struct target *t = NULL;
	const struct hg_note_ref *n = hg_entry_note(e);
	size_t lo = 0, hi = ac->n_targets;
	int64_t want = n->target_line;

	if (hg_filter_is_empty(ac->f))
		return true;
	if (!ac->need_targets || want < 1 || want >= hg_entry_line(e) || !n->target_skill)
		return hg_filter_match(ac->f, ac->s, e);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((ac->targets[mid].line >> 2) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ac->n_targets && (ac->targets[lo].line >> 2) == want)
		t = &ac->targets[lo];
	if (t && strcmp(t->skill, n->target_skill) == 0 && n->has_target_ts &&
	    ((n->target_ts_zero || (t->line & 1))
		     ? n->target_ts_zero && (t->line & 1)
		     : n->target_ts_ns == t->ts_ns))
		return (t->line & 2) != 0;
	return hg_filter_match(ac->f, ac->s, e);
}

static void
keep_target(struct acc *ac, const struct hg_entry *e, bool matched)
{
	struct target *t;

	/* Lines come in order; an entry out of order is not a target that
	 * a binary search can find, as in hg_session_find_line. */
	if (ac->n_targets && (ac->targets[ac->n_targets - 1].line >> 2) >= hg_entry_line(e))
		return;
	if (ac->n_targets == ac->cap_targets) {
		ac->cap_targets = ac->cap_targets ? ac->cap_targets * 2 : 256;
		ac->targets = xrealloc(ac->targets, ac->cap_targets * sizeof(*ac->targets));
	}
	t = &ac->targets[ac->n_targets++];
	t->line = (hg_entry_line(e) << 2) | (matched ? 2 : 0) | (e->ts_zero ? 1 : 0);
	t->ts_ns = e->ts_ns;
	t->skill = hg_entry_str(e, HG_E_SKILL);
}

static void
end_session(struct acc *ac)
{
	if (!ac->in_session)
		return;
	ac->st->sessions += ac->s_kept;
	ac->n_targets = 0;
	ac->in_session = false;
}

struct hg_stats_acc *
hg_stats_acc_new(const struct hg_filter *f)
{
	struct acc *ac = xcalloc(1, sizeof(*ac));

	ac->st = xcalloc(1, sizeof(*ac->st));
	ac->st->filter_text = xstrdup(hg_filter_text(f));
	ac->f = f;
	ac->need_targets = !hg_filter_is_empty(f) && !hg_filter_lists_notes(f);
	return (struct hg_stats_acc *)ac;
}

void
hg_stats_acc_session(struct hg_stats_acc *acc, const struct hg_session *s)
{
	struct acc *ac = (struct acc *)acc;

	end_session(ac);
	ac->s = s;
	ac->s_name = NULL;
	ac->s_kept = hg_filter_is_empty(ac->f);
	ac->in_session = true;
}

void
hg_stats_acc_entry(struct hg_stats_acc *acc, const struct hg_entry *e)
{
	struct acc *ac = (struct acc *)acc;
	struct hg_stats *st = ac->st;
	bool m;

	switch (e->kind) {
	case HG_ENTRY_UNPARSABLE:
		st->unparsable_total++;
		m = hg_filter_match(ac->f, ac->s, e);
		st->unparsable += m;
		break;
	case HG_ENTRY_ANNOTATION:
		m = note_shown(ac, e);
		st->annotations += m;
		break;
	default:
		m = hg_filter_match(ac->f, ac->s, e);
		if (ac->need_targets)
			keep_target(ac, e, m);
		if (m) {
			add_entry(ac, e);
			if (!ac->s_name)
				ac->s_name = hg_intern(ac->s && ac->s->id ? ac->s->id : "");
			scope_add(&ac->sessions, ac->s_name, e);
		}
	}
	ac->s_kept |= m;
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

		g->p50_ms = vec_percentile(d, 50);
		g->p95_ms = vec_percentile(d, 95);
		if (!d->total)
			g->max_ms = HG_STATS_NONE;
		vec_free(d);
	}
	free(ag->durs);
	ptrmap_free(&ag->map);
	if (ag->n)
		qsort(ag->g, ag->n, sizeof(*ag->g), cmp);
	*out = ag->g;
	*n = ag->n;
}

static int
cmp_scope(const void *pa, const void *pb)
{
	const struct hg_stats_scope *a = pa, *b = pb;

	return cmp_name_desc_count(a->entries, b->entries, a->name, b->name);
}

static void
finish_scopes(struct acc_scopes *as, struct hg_stats_scope **out, size_t *n)
{
	for (size_t i = 0; i < as->n; i++) {
		as->s[i].p95_ms = vec_percentile(&as->durs[i], 95);
		vec_free(&as->durs[i]);
	}
	free(as->durs);
	ptrmap_free(&as->map);
	if (as->n)
		qsort(as->s, as->n, sizeof(*as->s), cmp_scope);
	*out = as->s;
	*n = as->n;
}

/* Series */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Local time of S; false when it cannot be had (far out of range). */
static bool
local_of(int64_t s, struct tm *tm)
{
	time_t t = (time_t)s;

	return localtime_r(&t, tm) != NULL;
}

/* Start of the local hour holding S (by its UTC offset then). */
static int64_t
hour_floor(int64_t s)
{
	struct tm tm;
	int64_t off = local_of(s, &tm) ? (int64_t)tm.tm_gmtoff : 0;

	return s - (((s + off) % 3600) + 3600) % 3600;
}

/* Start of the local day holding S, moved by DAYS days. */
static int64_t
day_start(int64_t s, int days)
{
	struct tm tm;
	time_t t;

	if (!local_of(s, &tm))
		return floor_div(s, 86400) * 86400 + (int64_t)days * 86400;
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return floor_div(s, 86400) * 86400 + (int64_t)days * 86400;
	return (int64_t)t;
}

size_t
hg_stats_buckets(int64_t first_s, int64_t last_s, int64_t *start, size_t *total, bool *days)
{
	size_t n, k;

	if (last_s < first_s)
		last_s = first_s;
	*days = last_s - first_s > HG_SERIES_HOUR_SPAN_S;
	if (!*days) {
		int64_t h0 = hour_floor(first_s), h1 = hour_floor(last_s);

		*total = (size_t)((h1 - h0) / 3600) + 1;
		n = *total < HG_SERIES_MAX ? *total : HG_SERIES_MAX;
		for (k = 0; k < n; k++)
			start[k] = h1 - (int64_t)(n - 1 - k) * 3600;
		return n;
	}
	/* Whole days between the two local midnights (a DST day is 23 or
	 * 25 hours: rounded). */
	{
		int64_t d0 = day_start(first_s, 0), d1 = day_start(last_s, 0);
		double span = (double)(d1 - d0) / 86400.0;

		*total = (size_t)(span + 0.5) + 1;
		n = *total < HG_SERIES_MAX ? *total : HG_SERIES_MAX;
		for (k = 0; k < n; k++)
			start[k] = day_start(last_s, -(int)(n - 1 - k));
		return n;
	}
}

/* Index of the bucket holding S (the last start <= S), or -1. */
static ptrdiff_t
bucket_of(const int64_t *start, size_t n, int64_t s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (start[mid] <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo - 1;
}

static int
series_tier(const struct hg_attempt *a)
{
	switch (a->tier) {
	case HG_TIER_LOCAL:
		return 0;
	case HG_TIER_SUBAGENT:
		return 1;
	case HG_TIER_MANAGED:
		return 2;
	default:
		return 3;
	}
}

const char *
hg_stats_series_tier(int i)
{
	static const char *const names[HG_SERIES_TIERS] = { "local", "subagent", "managed", "other" };

	return i >= 0 && i < HG_SERIES_TIERS ? names[i] : "";
}

static void
finish_series(struct acc *ac)
{
	struct hg_stats *st = ac->st;
	struct hg_stats_series *se = &st->series;
	struct minutes *mm = &ac->minutes;
	int64_t *block;
	size_t n;

	if (!st->has_ts || !mm->n) {
		free(mm->m);
		return;
	}
	block = xcalloc((size_t)(2 + 2 * HG_SERIES_TIERS) * HG_SERIES_MAX, sizeof(*block));
	se->start = block;
	n = hg_stats_buckets(floor_div(st->first_ts_ns, 1000000000),
			     floor_div(st->last_ts_ns, 1000000000), se->start, &se->total, &se->days);
	se->n = n;
	se->entries = block + HG_SERIES_MAX;
	for (int t = 0; t < HG_SERIES_TIERS; t++) {
		se->attempts[t] = block + (size_t)(2 + 2 * t) * HG_SERIES_MAX;
		se->accept[t] = block + (size_t)(3 + 2 * t) * HG_SERIES_MAX;
	}
	for (size_t i = 0; i < mm->cap; i++) {
		const struct minute *m = &mm->m[i];
		ptrdiff_t b;

		if (!m->entries)
			continue;
		b = bucket_of(se->start, n, m->key * 60);
		if (b < 0)
			continue;
		se->entries[b] += m->entries;
		for (int t = 0; t < HG_SERIES_TIERS; t++) {
			se->attempts[t][b] += m->attempts[t];
			se->accept[t][b] += m->accept[t];
		}
	}
	free(mm->m);
}

static void
finish(struct acc *ac)
{
	struct hg_stats *st = ac->st;

	finish_scopes(&ac->projects, &st->projects, &st->n_projects);
	finish_scopes(&ac->sessions, &st->session_rows, &st->n_session_rows);
	finish_series(ac);

	finish_groups(&ac->tiers, &st->tiers, &st->n_tiers, cmp_tier);
	finish_groups(&ac->models, &st->models, &st->n_models, cmp_model);
	for (size_t i = 0; i < st->n_skills; i++) {
		struct hg_stats_skill *sk = &st->skills[i];
		struct i64vec *d = &ac->skill_durs[i];

		sk->p95_ms = vec_percentile(d, 95);
		vec_free(d);
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

void
hg_stats_add_go_stop(struct hg_stats *st, const struct hg_session *s)
{
	struct hg_stats_go_stop *g;

	if (hg_session_go(s) != HG_GO_STOPS)
		return;
	st->go_stops = xrealloc(st->go_stops, (st->n_go_stops + 1) * sizeof(*st->go_stops));
	g = &st->go_stops[st->n_go_stops++];
	g->session = hg_intern(s->id ? s->id : "");
	g->path = hg_intern(s->path ? s->path : "");
	g->line = s->go_stop_line;
	g->reason = xstrdup(s->go_stop_reason);
}

struct hg_stats *
hg_stats_acc_finish(struct hg_stats_acc *acc, size_t sessions_total)
{
	struct acc *ac = (struct acc *)acc;
	struct hg_stats *st = ac->st;

	end_session(ac);
	st->sessions_total = sessions_total;
	finish(ac);
	free(ac->targets);
	free(ac);
	return st;
}

struct hg_stats *
hg_stats_compute(struct hg_session *const *sessions, size_t n, const struct hg_filter *f)
{
	struct hg_stats_acc *ac = hg_stats_acc_new(f);
	struct hg_stats *st;

	for (size_t i = 0; i < n; i++) {
		const struct hg_session *s = sessions[i];

		hg_stats_acc_session(ac, s);
		for (size_t k = 0; k < s->n_entries; k++) {
			if (k + HG_PREFETCH_AHEAD < s->n_entries)
				hg_entry_prefetch(&s->entries[k + HG_PREFETCH_AHEAD]);
			hg_stats_acc_entry(ac, &s->entries[k]);
		}
	}
	st = hg_stats_acc_finish(ac, n);
	for (size_t i = 0; i < n; i++)
		hg_stats_add_go_stop(st, sessions[i]);
	return st;
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
	free(st->projects);
	free(st->session_rows);
	free(st->series.start);
	for (size_t i = 0; i < st->n_go_stops; i++)
		free(st->go_stops[i].reason);
	free(st->go_stops);
	free(st);
}

/* Sorting the tables */

static int
cmp_rate(int64_t na, int64_t da, int64_t nb, int64_t db)
{
	/* a/da against b/db, most first; no denominator last. */
	if (!da || !db)
		return (da == 0) - (db == 0);
	{
		double x = (double)na / (double)da, y = (double)nb / (double)db;

		return (x < y) - (x > y);
	}
}

static int
cmp_p95(int64_t a, int64_t b)
{
	return (a < b) - (a > b);
}

#define ORDER_CMP(fn, type, n_, rate_num, rate_den, p95_)				\
static enum hg_stats_order fn##_order;							\
static int										\
fn(const void *pa, const void *pb)							\
{											\
	const type *a = pa, *b = pb;							\
	int c = 0;									\
											\
	switch (fn##_order) {								\
	case HG_STATS_ORDER_RATE:								\
		c = cmp_rate(a->rate_num, a->rate_den, b->rate_num, b->rate_den);	\
		break;									\
	case HG_STATS_ORDER_P95:								\
		c = cmp_p95(a->p95_, b->p95_);						\
		break;									\
	case HG_STATS_ORDER_NAME:								\
		return strcmp(a->name, b->name);					\
	default:									\
		break;									\
	}										\
	return c ? c : cmp_name_desc_count(a->n_, b->n_, a->name, b->name);		\
}

ORDER_CMP(cmp_group_by, struct hg_stats_group, attempts, accept, attempts, p95_ms)
ORDER_CMP(cmp_skill_by, struct hg_stats_skill, entries, escalated, entries, p95_ms)
ORDER_CMP(cmp_scope_by, struct hg_stats_scope, entries, accept, attempts, p95_ms)

void
hg_stats_sort(struct hg_stats *st, enum hg_stats_table t, enum hg_stats_order o)
{
	if (t <= HG_STATS_T_NONE || t >= HG_STATS_T_N || o >= HG_STATS_ORDER_COUNT)
		return;
	st->order[t] = o;
	cmp_group_by_order = cmp_skill_by_order = cmp_scope_by_order = o;
	switch (t) {
	case HG_STATS_T_TIERS:
		if (st->n_tiers)
			qsort(st->tiers, st->n_tiers, sizeof(*st->tiers),
			      o == HG_STATS_ORDER_DEFAULT ? cmp_tier : cmp_group_by);
		break;
	case HG_STATS_T_MODELS:
		if (st->n_models)
			qsort(st->models, st->n_models, sizeof(*st->models), cmp_group_by);
		break;
	case HG_STATS_T_SKILLS:
		if (st->n_skills)
			qsort(st->skills, st->n_skills, sizeof(*st->skills), cmp_skill_by);
		break;
	case HG_STATS_T_PROJECTS:
		if (st->n_projects)
			qsort(st->projects, st->n_projects, sizeof(*st->projects), cmp_scope_by);
		break;
	case HG_STATS_T_SESSIONS:
		if (st->n_session_rows)
			qsort(st->session_rows, st->n_session_rows, sizeof(*st->session_rows),
			      cmp_scope_by);
		break;
	default:
		break;
	}
}

enum hg_stats_order
hg_stats_order_next(enum hg_stats_table t, enum hg_stats_order o)
{
	o = (enum hg_stats_order)((o + 1) % HG_STATS_ORDER_COUNT);
	/* The default of the others is n already. */
	if (o == HG_STATS_ORDER_N && t != HG_STATS_T_TIERS)
		o = HG_STATS_ORDER_RATE;
	return o;
}

const char *
hg_stats_order_name(enum hg_stats_table t, enum hg_stats_order o)
{
	switch (o) {
	case HG_STATS_ORDER_DEFAULT:
		return t == HG_STATS_T_TIERS ? "tier" : "n";
	case HG_STATS_ORDER_N:
		return "n";
	case HG_STATS_ORDER_RATE:
		return t == HG_STATS_T_SKILLS ? "escalated %" : "accept %";
	case HG_STATS_ORDER_P95:
		return "p95";
	case HG_STATS_ORDER_NAME:
		return "name";
	default:
		return "";
	}
}

size_t
hg_stats_rows(const struct hg_stats *st, enum hg_stats_table t)
{
	switch (t) {
	case HG_STATS_T_TIERS:
		return st->n_tiers;
	case HG_STATS_T_MODELS:
		return st->n_models;
	case HG_STATS_T_SKILLS:
		return st->n_skills;
	case HG_STATS_T_PROJECTS:
		return st->n_projects;
	case HG_STATS_T_SESSIONS:
		return st->n_session_rows;
	default:
		return 0;
	}
}

/* Drill-down */

static bool
bare_ok(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("._-/+@", c)))
			return false;
	}
	return true;
}

bool
hg_stats_filter_term(const struct hg_stats *st, enum hg_stats_table t, size_t row,
		     struct hg_buf *out)
{
	static const char *const keys[HG_STATS_T_N] = {
		[HG_STATS_T_TIERS] = "tier", [HG_STATS_T_MODELS] = "model",
		[HG_STATS_T_SKILLS] = "skill", [HG_STATS_T_PROJECTS] = "project",
		[HG_STATS_T_SESSIONS] = "session",
	};
	const char *v;

	if (row >= hg_stats_rows(st, t))
		return false;
	switch (t) {
	case HG_STATS_T_TIERS:
		v = st->tiers[row].name;
		break;
	case HG_STATS_T_MODELS:
		v = st->models[row].name;
		break;
	case HG_STATS_T_SKILLS:
		v = st->skills[row].name;
		break;
	case HG_STATS_T_PROJECTS:
		v = st->projects[row].name;
		break;
	default:
		v = st->session_rows[row].name;
	}
	hg_buf_reset(out);
	hg_buf_printf(out, "%s:", keys[t]);
	if (bare_ok(v)) {
		hg_buf_adds(out, v);
		return true;
	}
	hg_buf_addc(out, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			hg_buf_addc(out, '\\');
		hg_buf_addc(out, *v);
	}
	hg_buf_addc(out, '"');
	return true;
}

/* Text report */

struct fmt {
	struct hg_buf *out;
	bool utf8;
	int name_cols;
	/* The table and row of each line (when asked for). */
	struct hg_stats_line *lines;
	size_t n_lines, cap_lines;
	size_t scanned;			/* out->len up to which lines are mapped */
	enum hg_stats_table table;	/* the section being written */
	bool map;
};

/* Map the lines written since the last call to the current table and to
 * ROW (-1: not a row). */
static void
map_lines(struct fmt *fm, ptrdiff_t row)
{
	if (!fm->map)
		return;
	for (size_t i = fm->scanned; i < fm->out->len; i++) {
		if (fm->out->p[i] != '\n')
			continue;
		if (fm->n_lines == fm->cap_lines) {
			fm->cap_lines = fm->cap_lines ? fm->cap_lines * 2 : 128;
			fm->lines = xrealloc(fm->lines, fm->cap_lines * sizeof(*fm->lines));
		}
		fm->lines[fm->n_lines].table = fm->table;
		fm->lines[fm->n_lines++].row = row;
	}
	fm->scanned = fm->out->len;
}

/* A new section: the lines before it are the last one's. */
static void
section(struct fmt *fm, enum hg_stats_table t)
{
	map_lines(fm, -1);
	fm->table = t;
}

/* " [sorted by p95]" after a table's title when not in its own order. */
static void
sorted_by(const struct fmt *fm, const struct hg_stats *st, enum hg_stats_table t)
{
	if (st->order[t] != HG_STATS_ORDER_DEFAULT)
		hg_buf_printf(fm->out, " [sorted by %s]", hg_stats_order_name(t, st->order[t]));
}

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
	if (ms == HG_STATS_NONE)
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
render_groups(struct fmt *fm, const struct hg_stats *st, enum hg_stats_table t,
	      const char *title, const char *col, const struct hg_stats_group *g, size_t n,
	      bool first)
{
	section(fm, t);
	hg_buf_printf(fm->out, "\n%s", title);
	sorted_by(fm, st, t);
	hg_buf_addc(fm->out, '\n');
	if (n == 0) {
		hg_buf_adds(fm->out, "  no attempts\n");
		return;
	}
	fm->name_cols = groups_name_cols(g, n, col);
	render_group_header(fm, col, first);
	for (size_t i = 0; i < n; i++) {
		map_lines(fm, -1);
		render_group(fm, &g[i], first);
		map_lines(fm, (ptrdiff_t)i);
	}
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

/* Only when hyperguild's reader stops in some session: how many, and
 * where and why in each (the first few). */
#define GO_STOPS_SHOWN 10

static void
render_go_stops(const struct fmt *fm, const struct hg_stats *st)
{
	char a[32], b[32];
	size_t i;

	if (!st->n_go_stops)
		return;
	hg_fmt_count(a, sizeof(a), (int64_t)st->n_go_stops);
	hg_fmt_count(b, sizeof(b), (int64_t)st->sessions_total);
	hg_buf_printf(fm->out, "  %-15s %s session%s of %s: hyperguild's reader stops in %s\n",
		      "unreadable", a, st->n_go_stops == 1 ? "" : "s", b,
		      st->n_go_stops == 1 ? "it" : "them");
	for (i = 0; i < st->n_go_stops && i < GO_STOPS_SHOWN; i++) {
		const struct hg_stats_go_stop *g = &st->go_stops[i];

		hg_buf_printf(fm->out, "  %-15s ", "");
		hg_sanitize(fm->out, g->session, strlen(g->session), 0);
		hg_buf_printf(fm->out, " line %lld: ", (long long)g->line);
		hg_sanitize(fm->out, g->reason, strlen(g->reason), 0);
		hg_buf_addc(fm->out, '\n');
	}
	if (i < st->n_go_stops)
		hg_buf_printf(fm->out, "  %-15s (%zu more)\n", "", st->n_go_stops - i);
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
	render_go_stops(fm, st);
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
	section(fm, HG_STATS_T_SKILLS);
	hg_buf_adds(fm->out, "\nSkills (rates over n entries; resolved = tier of the accepting attempt)");
	sorted_by(fm, st, HG_STATS_T_SKILLS);
	hg_buf_addc(fm->out, '\n');
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
	for (size_t i = 0; i < st->n_skills; i++) {
		map_lines(fm, -1);
		render_skill(fm, &st->skills[i]);
		map_lines(fm, (ptrdiff_t)i);
	}
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
render_chains(struct fmt *fm, const struct hg_stats *st)
{
	char n[32];
	int64_t rest = 0;

	section(fm, HG_STATS_T_NONE);
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

/* Sparklines */

/* Level 0 (empty) to 8 as a mark. */
static void
add_mark(struct hg_buf *out, int level, bool utf8)
{
	static const char *const blocks[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = " _.-=+*#@";

	if (level < 0)
		level = 0;
	if (level > 8)
		level = 8;
	if (utf8)
		hg_buf_adds(out, blocks[level]);
	else
		hg_buf_addc(out, ascii[level]);
}

/* V over MAX: 0 stays empty, anything else is at least the lowest bar. */
static int
level_of(int64_t v, int64_t max)
{
	if (v <= 0 || max <= 0)
		return 0;
	return (int)((v * 8 + max - 1) / max);
}

/* A rate: the lowest bar is 0%, the highest 100%; empty when no attempts. */
static int
rate_level(int64_t num, int64_t den)
{
	if (den <= 0)
		return 0;
	return 1 + (int)(num * 7 / den);
}

static void
render_bucket_time(const struct fmt *fm, const struct hg_stats_series *se, int64_t s)
{
	struct tm tm;
	time_t t = (time_t)s;
	char buf[40];

	if (!localtime_r(&t, &tm)) {
		hg_buf_adds(fm->out, "?");
		return;
	}
	strftime(buf, sizeof(buf), se->days ? "%Y-%m-%d" : "%Y-%m-%d %H:00", &tm);
	hg_buf_adds(fm->out, buf);
}

static void
render_activity(struct fmt *fm, const struct hg_stats *st)
{
	const struct hg_stats_series *se = &st->series;
	const char *unit = se->days ? "day" : "hour";
	int64_t max = 0, total = 0;
	char c[32], m[32];

	section(fm, HG_STATS_T_NONE);
	if (se->n == 0) {
		hg_buf_adds(fm->out, "\nActivity\n  no timestamps\n");
		return;
	}
	hg_buf_printf(fm->out, "\nActivity per %s (local time; ", unit);
	if (se->n < se->total)
		hg_buf_printf(fm->out, "the last %zu of %zu %ss", se->n, se->total, unit);
	else
		hg_buf_printf(fm->out, "%zu %s%s", se->n, unit, se->n == 1 ? "" : "s");
	hg_buf_adds(fm->out, " from ");
	render_bucket_time(fm, se, se->start[0]);
	hg_buf_adds(fm->out, ", one mark each)\n");
	for (size_t i = 0; i < se->n; i++) {
		if (se->entries[i] > max)
			max = se->entries[i];
		total += se->entries[i];
	}
	hg_buf_printf(fm->out, "  %-17s ", "entry volume");
	for (size_t i = 0; i < se->n; i++)
		add_mark(fm->out, level_of(se->entries[i], max), fm->utf8);
	hg_fmt_count(c, sizeof(c), total);
	hg_fmt_count(m, sizeof(m), max);
	hg_buf_printf(fm->out, "  %s entr%s, at most %s in one %s\n", c, total == 1 ? "y" : "ies",
		      m, unit);
	for (int t = 0; t < HG_SERIES_TIERS; t++) {
		int64_t att = 0, acc = 0;
		char label[32], p[16];

		for (size_t i = 0; i < se->n; i++) {
			att += se->attempts[t][i];
			acc += se->accept[t][i];
		}
		if (!att)
			continue;
		snprintf(label, sizeof(label), "%s accept %%", hg_stats_series_tier(t));
		hg_buf_printf(fm->out, "  %-17s ", label);
		for (size_t i = 0; i < se->n; i++)
			add_mark(fm->out, rate_level(se->accept[t][i], se->attempts[t][i]), fm->utf8);
		fmt_pct(p, sizeof(p), acc, att);
		hg_fmt_count(c, sizeof(c), att);
		hg_buf_printf(fm->out, "  %s of %s attempt%s\n", p, c, att == 1 ? "" : "s");
	}
}

static void
render_durations(struct fmt *fm, const struct hg_stats *st)
{
	section(fm, HG_STATS_T_NONE);
	hg_buf_adds(fm->out, "\nAttempt durations per tier (log-scale buckets; bars scaled to each "
		    "tier's largest bucket)\n");
	if (st->n_tiers == 0) {
		hg_buf_adds(fm->out, "  no attempts\n");
		return;
	}
	fm->name_cols = groups_name_cols(st->tiers, st->n_tiers, "tier");
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, "tier", fm->name_cols);
	hg_buf_printf(fm->out, " %-*s", HG_HIST_N, "chart");
	for (int b = 0; b < HG_HIST_N; b++) {
		const char *l = hg_stats_hist_label(b, fm->utf8);

		/* "≥" is one column of three bytes. */
		hg_buf_printf(fm->out, " %*s", 7 + (int)strlen(l) - hg_text_width(l, strlen(l)), l);
	}
	hg_buf_addc(fm->out, '\n');
	for (size_t i = 0; i < st->n_tiers; i++) {
		const struct hg_stats_group *g = &st->tiers[i];
		int64_t max = 0;

		for (int b = 0; b < HG_HIST_N; b++)
			if (g->hist[b] > max)
				max = g->hist[b];
		hg_buf_adds(fm->out, "  ");
		add_cell(fm, g->name, fm->name_cols);
		hg_buf_addc(fm->out, ' ');
		for (int b = 0; b < HG_HIST_N; b++)
			add_mark(fm->out, level_of(g->hist[b], max), fm->utf8);
		for (int b = 0; b < HG_HIST_N; b++) {
			char c[32];

			hg_fmt_count(c, sizeof(c), g->hist[b]);
			hg_buf_printf(fm->out, " %7s", c);
		}
		hg_buf_addc(fm->out, '\n');
	}
}

/* Rows listed per project and per session in the text report (the
 * JSON has them all). */
#define TOP_SCOPES 20

static void
render_scopes(struct fmt *fm, const struct hg_stats *st, enum hg_stats_table t,
	      const char *title, const char *col, const struct hg_stats_scope *sc, size_t n)
{
	int64_t rest = 0;

	section(fm, t);
	hg_buf_printf(fm->out, "\n%s", title);
	sorted_by(fm, st, t);
	hg_buf_addc(fm->out, '\n');
	if (n == 0) {
		hg_buf_adds(fm->out, "  no entries\n");
		return;
	}
	fm->name_cols = (int)strlen(col);
	for (size_t i = 0; i < n && i < TOP_SCOPES; i++) {
		int w = name_width(sc[i].name);

		if (w > fm->name_cols)
			fm->name_cols = w > NAME_COLS_MAX ? NAME_COLS_MAX : w;
	}
	hg_buf_adds(fm->out, "  ");
	add_cell(fm, col, fm->name_cols);
	hg_buf_printf(fm->out, " %9s %9s %16s %16s %16s %8s  %s\n", "n", "attempts", "accept",
		      "escalated", "error", "p95", "last entry");
	for (size_t i = 0; i < n; i++) {
		char c[32], a[32], p95[24], last[40];

		if (i >= TOP_SCOPES) {
			rest += sc[i].entries;
			continue;
		}
		map_lines(fm, -1);
		hg_fmt_count(c, sizeof(c), sc[i].entries);
		hg_fmt_count(a, sizeof(a), sc[i].attempts);
		fmt_dur(p95, sizeof(p95), sc[i].p95_ms);
		if (sc[i].has_ts)
			hg_format_datetime(sc[i].last_ts_ns, last, sizeof(last));
		else
			snprintf(last, sizeof(last), "-");
		hg_buf_adds(fm->out, "  ");
		add_cell(fm, sc[i].name, fm->name_cols);
		hg_buf_printf(fm->out, " %9s %9s", c, a);
		add_rate(fm->out, sc[i].accept, sc[i].attempts);
		add_rate(fm->out, sc[i].escalated, sc[i].entries);
		add_rate(fm->out, sc[i].error, sc[i].attempts);
		hg_buf_printf(fm->out, " %8s  %s\n", p95, last);
		map_lines(fm, (ptrdiff_t)i);
	}
	if (n > TOP_SCOPES) {
		char c[32];

		hg_fmt_count(c, sizeof(c), rest);
		hg_buf_printf(fm->out, "  %zu more (%s entries)\n", n - TOP_SCOPES, c);
	}
}

void
hg_stats_render_lines(const struct hg_stats *st, struct hg_buf *out, bool utf8,
		      struct hg_stats_line **lines, size_t *n_lines)
{
	struct fmt fm = { .out = out, .utf8 = utf8, .map = lines != NULL, .scanned = out->len };

	render_overall(&fm, st);
	render_groups(&fm, st, HG_STATS_T_TIERS, "Tiers (rates over n attempts)", "tier",
		      st->tiers, st->n_tiers, false);
	render_activity(&fm, st);
	render_durations(&fm, st);
	render_groups(&fm, st, HG_STATS_T_MODELS, "Models (rates over n attempts; 1st-accept: "
		      "entries whose first attempt used the model, and how many of those accepted)",
		      "model", st->models, st->n_models, true);
	render_skills(&fm, st);
	render_scopes(&fm, st, HG_STATS_T_PROJECTS, "Projects (project_root; accept and error "
		      "over attempts, escalated over n entries)", "project", st->projects,
		      st->n_projects);
	render_scopes(&fm, st, HG_STATS_T_SESSIONS, "Sessions (accept and error over attempts, "
		      "escalated over n entries)", "session", st->session_rows, st->n_session_rows);
	render_chains(&fm, st);
	section(&fm, HG_STATS_T_NONE);
	if (lines) {
		*lines = fm.lines;
		*n_lines = fm.n_lines;
	}
}

void
hg_stats_render(const struct hg_stats *st, struct hg_buf *out, bool utf8)
{
	hg_stats_render_lines(st, out, utf8, NULL, NULL);
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
	if (ms != HG_STATS_NONE)
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
	{
		cJSON *h = cJSON_AddArrayToObject(o, "duration_histogram");

		for (int b = 0; b < HG_HIST_N; b++)
			cJSON_AddItemToArray(h, cJSON_CreateNumber((double)g->hist[b]));
	}
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
	json_ms(o, "span_ms", st->has_ts ? span_ms(st->first_ts_ns, st->last_ts_ns) : HG_STATS_NONE);
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

/* RFC 3339 in local time: "2026-11-24T10:00:00+01:00" ("Z" at UTC). */
static void
json_local_time(cJSON *o, const char *key, int64_t s)
{
	struct tm tm;
	time_t t = (time_t)s;
	char buf[64];
	long off;

	if (!localtime_r(&t, &tm)) {
		hg_format_time(s * 1000000000, 0, false, buf, sizeof(buf));
		cJSON_AddStringToObject(o, key, buf);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	if (off == 0)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "Z");
	else
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%c%02ld:%02ld",
			 off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *
json_series(const struct hg_stats *st)
{
	const struct hg_stats_series *se = &st->series;
	cJSON *o = cJSON_CreateObject(), *a;

	cJSON_AddStringToObject(o, "bucket", se->days ? "day" : "hour");
	cJSON_AddNumberToObject(o, "buckets_total", (double)se->total);
	a = cJSON_AddArrayToObject(o, "buckets");
	for (size_t i = 0; i < se->n; i++) {
		cJSON *b = cJSON_CreateObject(), *tiers;

		json_local_time(b, "start", se->start[i]);
		cJSON_AddNumberToObject(b, "entries", (double)se->entries[i]);
		tiers = cJSON_AddObjectToObject(b, "tiers");
		for (int t = 0; t < HG_SERIES_TIERS; t++) {
			cJSON *x;

			if (!se->attempts[t][i])
				continue;
			x = cJSON_AddObjectToObject(tiers, hg_stats_series_tier(t));
			cJSON_AddNumberToObject(x, "attempts", (double)se->attempts[t][i]);
			cJSON_AddNumberToObject(x, "accept", (double)se->accept[t][i]);
			json_rate(x, "accept_rate", se->accept[t][i], se->attempts[t][i]);
		}
		cJSON_AddItemToArray(a, b);
	}
	return o;
}

static cJSON *
json_scopes(const struct hg_stats_scope *sc, size_t n, const char *key)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, key, sc[i].name);
		cJSON_AddNumberToObject(o, "entries", (double)sc[i].entries);
		cJSON_AddNumberToObject(o, "attempts", (double)sc[i].attempts);
		cJSON_AddNumberToObject(o, "accept", (double)sc[i].accept);
		json_rate(o, "accept_rate", sc[i].accept, sc[i].attempts);
		cJSON_AddNumberToObject(o, "escalated", (double)sc[i].escalated);
		json_rate(o, "escalation_rate", sc[i].escalated, sc[i].entries);
		cJSON_AddNumberToObject(o, "error", (double)sc[i].error);
		json_rate(o, "error_rate", sc[i].error, sc[i].attempts);
		json_ms(o, "p95_ms", sc[i].p95_ms);
		json_time(o, "last_timestamp", sc[i].has_ts, sc[i].last_ts_ns);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* Names from file names and logs may hold C1 controls and bidi
 * overrides, which cJSON prints raw: as \uXXXX escapes instead (outside
 * strings cJSON writes only ASCII, so every such sequence is in one). */
static char *
json_safe(char *s)
{
	struct hg_buf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	char *r;

	for (; *p; p++) {
		unsigned cp = 0;
		int len = 0;

		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = p[1], len = 2;
		else if (p[0] == 0xD8 && p[1] == 0x9C)
			cp = 0x061C, len = 2;
		else if (p[0] == 0xE2 && p[1] == 0x80 &&
			 ((p[2] >= 0xAA && p[2] <= 0xAE) || p[2] == 0x8E || p[2] == 0x8F))
			cp = 0x2000 + (p[2] - 0x80), len = 3;
		else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
			cp = 0x2040 + (p[2] - 0x80), len = 3;
		else if (p[0] == 0xC0 && p[1] == 0x80)	/* a NUL of a log's string */
			cp = 0, len = 2;
		if (len) {
			hg_buf_printf(&b, "\\u%04X", cp);
			p += len - 1;
		} else {
			hg_buf_addc(&b, (char)*p);
		}
	}
	r = xstrdup(b.p ? b.p : "");
	hg_buf_free(&b);
	cJSON_free(s);
	return r;
}

/* {"sessions_unreadable": n, "stops": [{"session", "path", "line",
 * "reason"}...]}: the sessions hyperguild's reader cannot read wholly. */
static cJSON *
json_go_stops(const struct hg_stats *st)
{
	cJSON *o = cJSON_CreateObject(), *a;

	cJSON_AddNumberToObject(o, "sessions_unreadable", (double)st->n_go_stops);
	a = cJSON_AddArrayToObject(o, "stops");
	for (size_t i = 0; i < st->n_go_stops; i++) {
		cJSON *g = cJSON_CreateObject();

		cJSON_AddStringToObject(g, "session", st->go_stops[i].session);
		cJSON_AddStringToObject(g, "path", st->go_stops[i].path);
		cJSON_AddNumberToObject(g, "line", (double)st->go_stops[i].line);
		cJSON_AddStringToObject(g, "reason", st->go_stops[i].reason);
		cJSON_AddItemToArray(a, g);
	}
	return o;
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
	cJSON_AddItemToObject(root, "projects", json_scopes(st->projects, st->n_projects, "project"));
	cJSON_AddItemToObject(root, "sessions",
			      json_scopes(st->session_rows, st->n_session_rows, "session"));
	cJSON_AddItemToObject(root, "hyperguild_reader", json_go_stops(st));
	{
		cJSON *lab = cJSON_AddArrayToObject(root, "duration_buckets");

		for (int b = 0; b < HG_HIST_N; b++)
			cJSON_AddItemToArray(lab, cJSON_CreateString(hg_stats_hist_label(b, false)));
	}
	if (st->series.n)
		cJSON_AddItemToObject(root, "series", json_series(st));
	else
		cJSON_AddNullToObject(root, "series");
	s = cJSON_Print(root);
	cJSON_Delete(root);
	if (!s)
		die("out of memory");
	return json_safe(s);
}

void
hg_stats_print_json(const struct hg_stats *st, FILE *out)
{
	char *s = hg_stats_json(st);

	fputs(s, out);
	fputc('\n', out);
	free(s);
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
	struct tier_sum other = { resolved_name(HG_RESOLVED_OTHER), 0, 0, HG_STATS_NONE };

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

/* The meter is counted again on every filter change, a step at a time:
 * its durations are the same exact runs as the statistics' (a million
 * attempts take about 1 MB instead of 8 as a plain array; building them
 * costs some 10 ms more of each count). */
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
		vec_free(&ag->durs[i]);
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

/* Percentiles of group I. */
static void
meter_percentiles(struct hg_meter *m, size_t i, struct hg_stats_group *g)
{
	struct i64vec *d = &m->tiers.durs[i];

	g->p50_ms = vec_percentile(d, 50);
	g->p95_ms = vec_percentile(d, 95);
	if (!d->total)
		g->max_ms = HG_STATS_NONE;
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
