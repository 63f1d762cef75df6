/* ui_filter.c - the filter in the browser: the expression prompt, the
 * verdict and tier quick filters, and per-session caches of which entries
 * match.
 *
 * A filter change costs one pass over the selected session (and over the
 * sessions the list shows, for their counts); after that, entries that
 * arrive are matched as they come, so nothing is re-matched per key. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hgtop/filter.h"
#include "hgtop/ui_int.h"
#include "hgtop/ui_prompt.h"

/* The quick-filter cycles; slot 0 is "all". */
static const char *const verdict_cycle[] = { NULL, "accept", "escalate", "error" };
static const char *const tier_cycle[] = { NULL, "local", "subagent", "managed" };
#define CYCLE_N 4

struct ui_filter {
	struct hg_filter *f;	/* the effective filter; NULL when empty */
	char *expr;		/* the typed expression */
	char *verdict;		/* quick lists (NULL: all) */
	char *tier;
	int verdict_i;		/* place in the cycle; -1: a list given on the command line */
	int tier_i;
	unsigned serial;	/* bumped on every change */
	struct ui_history hist;
};

static struct ui_filter *
state(const struct hg_ui *u)
{
	return u->filter_state;
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src && *src ? xstrdup(src) : NULL;
}

static int
cycle_index(const char *const *cycle, const char *v)
{
	int i;

	if (!v || !*v)
		return 0;
	for (i = 1; i < CYCLE_N; i++)
		if (!strcmp(cycle[i], v))
			return i;
	return -1;
}

static bool
visible(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	const struct ui_sess *us = s->user;
	size_t i = (size_t)(e - s->entries);

	(void)ctx;
	return !us || i >= us->fc.done || us->fc.match[i];
}

/* Make EXPR with the quick lists the filter in force. Returns 0, or -1
 * with the error and its column (the previous filter stays). */
static int
set_filter(struct hg_ui *u, const char *expr, const char *verdict, const char *tier,
	   char *err, size_t errlen, int *col)
{
	struct ui_filter *st = state(u);
	struct hg_filter *f;

	*col = 0;
	f = hg_filter_parse_effective(expr ? expr : "", verdict, tier, err, errlen, col);
	if (!f)
		return -1;
	if (hg_filter_is_empty(f)) {
		hg_filter_free(f);
		f = NULL;
	}
	hg_filter_free(st->f);
	st->f = f;
	if (expr != st->expr)
		set_str(&st->expr, expr);
	if (verdict != st->verdict)
		set_str(&st->verdict, verdict);
	if (tier != st->tier)
		set_str(&st->tier, tier);
	st->serial++;
	u->filter_text = f ? hg_filter_text(f) : NULL;
	u->rf.visible = f ? visible : NULL;
	u->rf.highlight = NULL;	/* decided when drawing: see ui_filter_highlight */
	u->rf.ctx = u;
	u->pending |= UI_R_ROWS | UI_R_DRAW;
	return 0;
}

void
ui_filter_init(struct hg_ui *u)
{
	struct ui_filter *st = xcalloc(1, sizeof(*st));
	char err[256];
	int col;

	u->filter_state = st;
	st->verdict_i = cycle_index(verdict_cycle, u->o->verdict);
	st->tier_i = cycle_index(tier_cycle, u->o->tier);
	if (set_filter(u, u->o->filter, u->o->verdict, u->o->tier, err, sizeof(err), &col) < 0)
		ui_message(u, true, "filter: %s", err);
	if (u->o->filter && *u->o->filter)
		ui_history_add(&st->hist, u->o->filter);
}

void
ui_filter_done(struct hg_ui *u)
{
	struct ui_filter *st = state(u);

	if (!st)
		return;
	hg_filter_free(st->f);
	free(st->expr);
	free(st->verdict);
	free(st->tier);
	ui_history_free(&st->hist);
	free(st);
	u->filter_state = NULL;
	u->filter_text = NULL;
}

const struct hg_filter *
ui_filter_get(const struct hg_ui *u)
{
	return state(u) ? state(u)->f : NULL;
}

unsigned
ui_filter_serial(const struct hg_ui *u)
{
	return state(u) ? state(u)->serial : 0;
}

void
ui_filter_sess_free(struct ui_sess *us)
{
	free(us->fc.match);
	memset(&us->fc, 0, sizeof(us->fc));
}

/* The attempts of each entry are a separate allocation: asking for those
 * a few entries ahead keeps a pass from waiting on memory one entry at a
 * time (it halves a pass over a million entries). */
#define PREFETCH_AHEAD 16

void
ui_prefetch_attempts(const struct hg_entry *e)
{
	const char *p = (const char *)e->attempts;
	size_t bytes = e->n_attempts * sizeof(*e->attempts), k;

	for (k = 0; k < bytes && k < 4 * 64; k += 64)
		__builtin_prefetch(p + k);
}

/* Match entries [from, n) of S. */
static void
match_range(const struct hg_filter *f, const struct hg_session *s, struct ui_fcache *fc,
	    size_t from)
{
	size_t i, n = s->n_entries;

	for (i = from; i < n; i++) {
		if (i + PREFETCH_AHEAD < n)
			ui_prefetch_attempts(&s->entries[i + PREFETCH_AHEAD]);
		fc->match[i] = hg_filter_match(f, s, &s->entries[i]);
	}
	if (s->n_annotations)
		hg_filter_follow(s, fc->match, from);
	for (i = from; i < n; i++)
		fc->hits += fc->match[i] && s->entries[i].kind != HG_ENTRY_UNPARSABLE;
	fc->done = n;
}

/* Bring the match cache of S up to date with the filter and S's entries. */
void
ui_filter_update(struct hg_ui *u, struct hg_session *s)
{
	struct ui_filter *st = state(u);
	struct ui_fcache *fc = &ui_sess_of(s)->fc;

	if (!st || !st->f)
		return;
	if (fc->serial != st->serial || fc->generation != s->generation ||
	    fc->done > s->n_entries) {
		fc->serial = st->serial;
		fc->generation = s->generation;
		fc->done = fc->hits = 0;
	}
	if (fc->done == s->n_entries)
		return;
	if (fc->cap < s->n_entries) {
		fc->cap = fc->cap ? fc->cap : 256;
		while (fc->cap < s->n_entries)
			fc->cap *= 2;
		fc->match = xrealloc(fc->match, fc->cap);
	}
	match_range(st->f, s, fc, fc->done);
}

/* For the session list: matching entries of S and all of them. False
 * when no filter is in force. */
bool
ui_filter_counts(struct hg_ui *u, struct hg_session *s, size_t *hits, size_t *total)
{
	if (!ui_filter_get(u))
		return false;
	ui_filter_update(u, s);
	*hits = ui_sess_of(s)->fc.hits;
	*total = s->n_entries - (size_t)s->n_unparsable;
	return true;
}

/* Attempts of the filter's one-attempt group stand out: an attempt row
 * that satisfies it, or a collapsed entry that holds one. */
bool
ui_filter_highlight(const struct hg_ui *u, const struct hg_entry *e, const struct hg_row *row)
{
	const struct hg_filter *f = ui_filter_get(u);
	uint32_t a;

	if (!hg_filter_has_attempt_terms(f) || e->kind != HG_ENTRY_OK)
		return false;
	if (row->kind == HG_ROW_ATTEMPT)
		return hg_filter_match_attempt(f, e, (size_t)row->attempt);
	if (row->kind != HG_ROW_ENTRY || (row->flags & HG_ROW_EXPANDED))
		return false;
	for (a = 0; a < e->n_attempts; a++)
		if (hg_filter_match_attempt(f, e, a))
			return true;
	return false;
}

/* Requests */

static void
quick_text(const struct ui_filter *st, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s", st->verdict ? "verdict:" : "", st->verdict ? st->verdict : "",
		 st->verdict && st->tier ? " " : "", st->tier ? "tier:" : "");
	if (st->tier)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s", st->tier);
}

static void
report(struct hg_ui *u, const char *what)
{
	if (u->filter_text)
		ui_message(u, false, "%s: %s", what, u->filter_text);
	else
		ui_message(u, false, "%s: showing every entry", what);
}

static unsigned
on_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct ui_filter *st = state(u);
	char err[256];
	int col;

	(void)ctx;
	if (ev != UI_PROMPT_ACCEPT)
		return UI_R_NONE;
	if (set_filter(u, ui_prompt_text(p), st->verdict, st->tier, err, sizeof(err), &col) < 0) {
		/* Stay open with the text; the previous filter stays in force. */
		ui_prompt_error(p, col, err);
		ui_prompt_keep(p);
		return UI_R_DRAW;
	}
	report(u, "filter");
	return UI_R_DRAW;
}

unsigned
ui_action_filter(struct hg_ui *u)
{
	struct ui_filter *st = state(u);
	char quick[64], label[96];

	quick_text(st, quick, sizeof(quick));
	if (quick[0])
		snprintf(label, sizeof(label), "filter [%s]: ", quick);
	else
		snprintf(label, sizeof(label), "filter: ");
	ui_prompt_open(u, label, st->expr, &st->hist, on_prompt, NULL);
	return UI_R_DRAW;
}

/* Step one quick filter through its cycle (a list from the command line
 * steps to "all"). */
static unsigned
cycle(struct hg_ui *u, bool verdict)
{
	struct ui_filter *st = state(u);
	int *i = verdict ? &st->verdict_i : &st->tier_i;
	const char *v;
	char err[256];
	int col;

	*i = *i < 0 ? 0 : (*i + 1) % CYCLE_N;
	v = (verdict ? verdict_cycle : tier_cycle)[*i];
	if (set_filter(u, st->expr, verdict ? v : st->verdict, verdict ? st->tier : v,
		       err, sizeof(err), &col) < 0) {
		ui_message(u, true, "filter: %s", err);
		return UI_R_DRAW;
	}
	ui_message(u, false, "%s filter: %s%s%s", verdict ? "verdict" : "tier", v ? v : "all",
		   u->filter_text ? "  (in force: " : "", u->filter_text ? u->filter_text : "");
	if (u->filter_text)
		strncat(u->msg, ")", sizeof(u->msg) - strlen(u->msg) - 1);
	return UI_R_DRAW;
}

unsigned
ui_action_verdict(struct hg_ui *u)
{
	return cycle(u, true);
}

unsigned
ui_action_tier(struct hg_ui *u)
{
	return cycle(u, false);
}

unsigned
ui_action_clear(struct hg_ui *u)
{
	struct ui_filter *st = state(u);
	char err[256];
	int col;

	if (!st->f && !st->expr && !st->verdict && !st->tier) {
		ui_message(u, false, "no filter to clear");
		return UI_R_DRAW;
	}
	st->verdict_i = st->tier_i = 0;
	set_filter(u, NULL, NULL, NULL, err, sizeof(err), &col);
	ui_message(u, false, "filters cleared: showing every entry");
	return UI_R_DRAW;
}
