/* stats.h - attempt and entry statistics over the entries a filter keeps.
 *
 * Counted: entries of kind HG_ENTRY_OK that match the filter (annotations
 * are counted apart and never as skill entries; an annotation counts when
 * hg_filter_shown() keeps it, that is when its target matches). Unparsable lines are always counted:
 * unparsable_total is every one in the sessions, unparsable the ones the
 * filter keeps (all of them when the filter is empty).
 *
 * Percentiles are exact nearest-rank: p is the value at rank
 * ceil(p/100 * n) of the n values sorted ascending (1-based), so p50 of
 * {1,2,3,4} is 2 and p95 of twenty values is the 19th. -1 when n is 0. */
#ifndef HGTOP_STATS_H
#define HGTOP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hgtop/filter.h"
#include "hgtop/session.h"
#include "hgtop/util.h"

/* One tier or one model. Rates are counts over attempts. */
struct hg_stats_group {
	const char *name;	/* tier or model text (interned); "" if empty */
	int64_t attempts;
	int64_t accept;
	int64_t escalate;
	int64_t error;
	int64_t other;		/* no verdict, or an unknown one */
	int64_t warm;		/* warm_start attempts */
	int64_t total_ms;
	int64_t p50_ms, p95_ms, max_ms; /* HG_STATS_NONE when attempts == 0 */
	int64_t first_attempts;	/* entries whose first attempt is in this group */
	int64_t first_accept;	/* ... and that first attempt accepted */
	int64_t hist[8];	/* attempts per duration bucket (HG_HIST_N) */
};

/* Duration histogram: log-scale buckets <100ms, <300ms, <1s, <3s, <10s,
 * <30s, <1m, >=1m (a negative duration counts in the first). */
#define HG_HIST_N 8
int hg_stats_hist_bucket(int64_t ms);
/* "<100ms" ... ">=1m" ("≥1m" when UTF8). */
const char *hg_stats_hist_label(int i, bool utf8);

/* A session or a project_root: rates over its entries and attempts. */
struct hg_stats_scope {
	const char *name;	/* session id or project_root (interned; "" none) */
	int64_t entries;
	int64_t escalated;	/* entries with more than one attempt */
	int64_t attempts;
	int64_t accept;
	int64_t error;
	int64_t p95_ms;		/* entry duration_ms; HG_STATS_NONE when none */
	int64_t last_ts_ns;	/* newest entry timestamp */
	bool has_ts;
};

/* Activity over time: entries and, per tier, attempts and accepts in
 * buckets of one local hour (span of the data up to 3 days) or one local
 * day (beyond). Bucket boundaries are local time (TZ), so a day starts at
 * local midnight. At most HG_SERIES_MAX buckets: the last ones. */
#define HG_SERIES_MAX 120
#define HG_SERIES_TIERS 4	/* local, subagent, managed, other */
#define HG_SERIES_HOUR_SPAN_S (3 * 86400)
struct hg_stats_series {
	bool days;		/* buckets are days (else hours) */
	size_t n;		/* buckets kept */
	size_t total;		/* buckets of the whole span (n are the last) */
	int64_t *start;		/* bucket start, seconds since the epoch */
	int64_t *entries;
	int64_t *attempts[HG_SERIES_TIERS];
	int64_t *accept[HG_SERIES_TIERS];
};
/* "local", "subagent", "managed", "other". */
const char *hg_stats_series_tier(int i);

/* The tables of the report, for sorting and for the rows of the view. */
enum hg_stats_table {
	HG_STATS_T_NONE,
	HG_STATS_T_TIERS,
	HG_STATS_T_MODELS,
	HG_STATS_T_SKILLS,
	HG_STATS_T_PROJECTS,
	HG_STATS_T_SESSIONS,
	HG_STATS_T_N,
};

/* Orders of a table: its default (tiers: local, subagent, managed, other;
 * the others: n), n (attempts or entries, most first), rate (accept % of
 * attempts, most first; skills: escalated % of entries), p95 (slowest
 * first), name (A to Z). Rows without a value go last. */
enum hg_stats_order {
	HG_STATS_ORDER_DEFAULT,
	HG_STATS_ORDER_N,
	HG_STATS_ORDER_RATE,
	HG_STATS_ORDER_P95,
	HG_STATS_ORDER_NAME,
	HG_STATS_ORDER_COUNT,
};

enum hg_stats_resolved {
	HG_RESOLVED_LOCAL,
	HG_RESOLVED_SUBAGENT,
	HG_RESOLVED_MANAGED,
	HG_RESOLVED_OTHER,	/* accepted at an unknown or empty tier */
	HG_RESOLVED_NEVER,	/* no accepting attempt (none at all included) */
	HG_RESOLVED_N,
};

struct hg_stats_count {
	const char *name;	/* interned */
	int64_t n;
};

struct hg_stats_skill {
	const char *name;	/* interned */
	int64_t entries;
	int64_t escalated;	/* entries with more than one attempt */
	/* Tier of the first accepting attempt. */
	int64_t resolved[HG_RESOLVED_N];
	struct hg_stats_count *statuses; /* final_status counts, most first */
	size_t n_statuses;
	int64_t p95_ms;		/* entry duration_ms; HG_STATS_NONE when no entries */
};

struct hg_stats_chain {
	const char *chain;	/* tiers joined by "→" (interned) */
	int64_t n;		/* entries with that chain */
};

struct hg_stats {
	size_t sessions;	/* with something the filter keeps (all: no filter) */
	size_t sessions_total;	/* every session */
	int64_t entries;	/* matching entries of kind OK */
	int64_t attempts;
	int64_t annotations;
	int64_t unparsable;	/* unparsable lines the filter keeps */
	int64_t unparsable_total; /* unparsable lines in the sessions */
	int64_t first_ts_ns, last_ts_ns; /* span of entry timestamps */
	bool has_ts;
	int64_t attempt_ms;	/* time of all attempts */
	int64_t non_accept_ms;	/* time of attempts that did not accept */
	int64_t chained;	/* entries with at least one attempt */
	struct hg_stats_group *tiers;	/* local, subagent, managed, then others */
	size_t n_tiers;
	struct hg_stats_group *models;	/* most attempts first */
	size_t n_models;
	struct hg_stats_skill *skills;	/* most entries first */
	size_t n_skills;
	struct hg_stats_chain *chains;	/* most frequent first */
	size_t n_chains;
	char *filter_text;	/* hg_filter_text() of the filter used */
	struct hg_stats_scope *projects;	/* by project_root, most entries first */
	size_t n_projects;
	struct hg_stats_scope *session_rows;	/* sessions with entries, most first */
	size_t n_session_rows;
	struct hg_stats_series series;	/* n == 0 without timestamps */
	enum hg_stats_order order[HG_STATS_T_N];	/* as sorted */
	/* Sessions hyperguild's reader cannot read wholly (of all of them,
	 * whatever the filter): where it stops and why, in session order. */
	struct hg_stats_go_stop {
		const char *session;	/* id (interned) */
		const char *path;	/* interned */
		int64_t line;
		char *reason;		/* owned: Go's error */
	} *go_stops;
	size_t n_go_stops;
};

/* Bucket starts (seconds) of the series over [first_s, last_s]: the
 * local hour or day of first_s, then one per hour or day, the last
 * HG_SERIES_MAX of them. Returns the count kept, *total the count of the
 * whole span, *days the bucket size; START holds HG_SERIES_MAX. */
size_t hg_stats_buckets(int64_t first_s, int64_t last_s, int64_t *start, size_t *total,
			bool *days);

/* Sort table T of ST by O (the report and the rows follow). */
void hg_stats_sort(struct hg_stats *st, enum hg_stats_table t, enum hg_stats_order o);
/* The order after O in the cycle of table T (the O key). */
enum hg_stats_order hg_stats_order_next(enum hg_stats_table t, enum hg_stats_order o);
/* "n", "accept %", "escalated %", "p95", "name"; the default: "tier"
 * for tiers, "n" for the others. */
const char *hg_stats_order_name(enum hg_stats_table t, enum hg_stats_order o);
/* Rows in table T. */
size_t hg_stats_rows(const struct hg_stats *st, enum hg_stats_table t);

/* The filter term that keeps row ROW of table T ("tier:local",
 * "session:alpha", 'project:"/src/my app"': quoted when the value holds
 * anything but letters, digits and "._-/+@"), into OUT (reset first).
 * False when T has no rows or ROW is out of range. */
bool hg_stats_filter_term(const struct hg_stats *st, enum hg_stats_table t, size_t row,
			  struct hg_buf *out);

/* What a line of the text report shows: a table's title, header or other
 * line (row -1), one of its rows (row >= 0), or no table. */
struct hg_stats_line {
	enum hg_stats_table table;
	ptrdiff_t row;
};
/* hg_stats_render, and the table and row of each line in *LINES
 * (malloc'd, *n_lines entries, one per '\n'). */
void hg_stats_render_lines(const struct hg_stats *st, struct hg_buf *out, bool utf8,
			   struct hg_stats_line **lines, size_t *n_lines);

/* Statistics over the entries of SESSIONS that F (NULL: all) keeps. */
struct hg_stats *hg_stats_compute(struct hg_session *const *sessions, size_t n,
				  const struct hg_filter *f);
void hg_stats_free(struct hg_stats *st);

/* The same, fed one entry at a time (hg_stats_compute goes through it):
 * --stats folds each entry in as it is read and drops it. Each session
 * is announced, then its entries follow in line order; S must live
 * until the next session (the filter may read a line back through it).
 * A note counts as its target does when the target was fed before it.
 * Memory: per tier, model, skill, project and session, 16 bytes per
 * distinct duration; 80 bytes per minute with timestamped entries; with a
 * filter that decides on notes by their target, 24 bytes per entry of
 * the current session. */
struct hg_stats_acc;
struct hg_stats_acc *hg_stats_acc_new(const struct hg_filter *f);
void hg_stats_acc_session(struct hg_stats_acc *ac, const struct hg_session *s);
void hg_stats_acc_entry(struct hg_stats_acc *ac, const struct hg_entry *e);
/* The statistics (ac is freed); SESSIONS_TOTAL is every session, those
 * that could not be read included. */
struct hg_stats *hg_stats_acc_finish(struct hg_stats_acc *ac, size_t sessions_total);
/* Add session S to the sessions where hyperguild's reader stops, if it
 * does (hg_session_go); in session order, once S has been read. */
void hg_stats_add_go_stop(struct hg_stats *st, const struct hg_session *s);

/* The report as text lines ending in '\n' (for --stats and the stats
 * view). UTF8 selects "→" and "…" over "->" and "~". Log text in it is
 * sanitized. */
void hg_stats_render(const struct hg_stats *st, struct hg_buf *out, bool utf8);
void hg_stats_print_text(const struct hg_stats *st, FILE *out, bool utf8);

/* The report as one JSON object (pretty-printed, ending in '\n'). Rates
 * are numbers in [0, 1] or null when their denominator is 0. */
void hg_stats_print_json(const struct hg_stats *st, FILE *out);
/* The same JSON as a malloc'd string. */
char *hg_stats_json(const struct hg_stats *st);

/* One-line per-tier summary fitted to WIDTH columns (ASCII) in buf:
 * " local 31,002 att  acc 61%  p95 1.2s | subagent 9,880  acc 83%  p95 9.8s"
 * local, subagent and managed each, then every other tier text (the
 * empty one too) summed as "other", whose p95 is the largest of theirs
 * (a p95 across groups is not kept). Detail is dropped from the right
 * (p95, then counts) until the line fits, then it is cut at WIDTH.
 * " no attempts" (" no attempts match the filter" when st->filter_text
 * is set) when nothing is counted; st may be NULL. */
void hg_stats_summary_line(const struct hg_stats *st, int width, char *buf, size_t n);

/*
 * The header meter: the tiers of hg_stats_compute, kept up to date
 * one entry at a time. The caller adds each entry the filter keeps, once
 * (entries of other kinds than HG_ENTRY_OK are ignored, as stats does),
 * and starts again with hg_meter_reset when the filter or the entries
 * change otherwise. Durations are kept (8 bytes per attempt), so the
 * percentiles are exact: every number equals what hg_stats_compute gives
 * for the same entries. Making them after new entries costs a pass over
 * the durations; without new entries the last ones are reused.
 */
struct hg_meter;

struct hg_meter *hg_meter_new(void);
void hg_meter_reset(struct hg_meter *m);
void hg_meter_free(struct hg_meter *m);
void hg_meter_add_entry(struct hg_meter *m, const struct hg_entry *e);

/* The tier groups so far, in hg_stats order (local, subagent, managed,
 * then other texts), with percentiles; valid until the next call on M.
 * *n is the count. */
const struct hg_stats_group *hg_meter_tiers(struct hg_meter *m, size_t *n);

/* hg_stats_summary_line() of the tiers so far; FILTER_TEXT ("" or NULL:
 * none) only words the line shown when no attempt is counted. */
void hg_meter_line(struct hg_meter *m, const char *filter_text, int width, char *buf, size_t n);

/* No value (no durations to take a percentile or maximum of): durations
 * themselves may be negative. */
#define HG_STATS_NONE INT64_MIN

/* Nearest-rank percentile of V[0..n) (reorders V). HG_STATS_NONE when n
 * is 0. */
int64_t hg_stats_percentile(int64_t *v, size_t n, int p);

#endif
