/* app.c - the application without a terminal (see app.h): loading,
 * watching, signals, session order and selection, the filter and its
 * match caches, notes, follow and the header meter. */
#include "config.h"

#include "hgtop/app.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/demo.h"
#include "hgtop/spool.h"
#include "hgtop/util.h"

#define CHUNK_BYTES (4 * 1024 * 1024)
/* A load turn is sized from the last ones to take about STEP_NS (a key
 * waits for the turn under way), between STEP_MIN_BYTES and CHUNK_BYTES. */
#define STEP_NS (10 * 1000000LL)
#define STEP_MIN_BYTES (64 * 1024)
#define LIVE_NS (10 * 1000000000LL)	/* "grew recently" lasts this long */
#define MSG_NS (5 * 1000000000LL)

/* --- signals ---------------------------------------------------------------- */

static int sig_fd = -1;

/* Handlers only write the signal number to the self-pipe. */
static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (sig_fd >= 0 && write(sig_fd, &b, 1) < 0) {
		/* The pipe is full: a byte is already waiting. */
	}
	errno = saved;
}

static void
set_signals(bool install, bool demo)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGCHLD };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = install ? on_signal : SIG_DFL;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < HG_ARRAY_SIZE(sigs); i++)
		if (sigs[i] != SIGCHLD || demo)
			sigaction(sigs[i], &sa, NULL);
}

static void
quit_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

void
hg_app_hold_signals(void)
{
	sigset_t set;

	quit_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void
read_signals(struct hg_app *a)
{
	unsigned char b[64];
	ssize_t n, i;

	while ((n = read(a->sig_pipe[0], b, sizeof(b))) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGWINCH)
				a->events |= HG_APP_EV_RESIZE;
			else if (b[i] == SIGCHLD && a->demo && hg_demo_reap(a->demo))
				hg_app_message(a, true, "the demo writer stopped");
			else if (b[i] != SIGCHLD) {
				a->events |= HG_APP_EV_QUIT;
				if (!a->quit_signal)
					a->quit_signal = b[i];
			}
		}
	}
}

int
hg_app_quit_status(const struct hg_app *a)
{
	if (a->quit_signal == SIGINT || a->quit_signal == SIGQUIT)
		return 128 + a->quit_signal;
	return 0;
}

void
hg_app_exit_by_signal(int status)
{
	int sig = status - 128;
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	if (sig != SIGINT && sig != SIGQUIT)
		return;
	/* What exit() would have flushed (--follow's last entries). */
	fflush(NULL);
	/* Everything is put away: a core of it would show nothing. */
	if (sig == SIGQUIT)
		setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* --- per-session state -------------------------------------------------------- */

struct hg_app_sess *
hg_app_sess(struct hg_session *s)
{
	if (!s->user)
		s->user = xcalloc(1, sizeof(struct hg_app_sess));
	return s->user;
}

static void
sess_free(struct hg_session *s)
{
	struct hg_app_sess *as = s->user;

	if (!as)
		return;
	free(as->match);
	hg_ann_index_free(&as->notes);
	hg_expand_free(&as->expand);
	free(as);
	s->user = NULL;
}

/* --- messages --------------------------------------------------------------- */

void
hg_app_message(struct hg_app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_err = error;
	a->msg_until_ns = hg_now_mono_ns() + MSG_NS;
	a->events |= HG_APP_EV_MESSAGE;
}

const char *
hg_app_current_message(const struct hg_app *a, bool *error)
{
	if (!a->msg[0] || hg_now_mono_ns() >= a->msg_until_ns)
		return NULL;
	*error = a->msg_err;
	return a->msg;
}

/* --- the filter ----------------------------------------------------------------- */

#define CYCLE_N 4	/* all, then the three known values */

static const char *
cycle_value(bool verdict, int i)
{
	if (i <= 0)
		return NULL;
	return verdict ? hg_verdict_name((enum hg_verdict)(HG_VERDICT_ACCEPT + i - 1)) :
			 hg_tier_name((enum hg_tier)(HG_TIER_LOCAL + i - 1));
}

static int
cycle_index(bool verdict, const char *v)
{
	int i;

	if (!v || !*v)
		return 0;
	for (i = 1; i < CYCLE_N; i++)
		if (!strcmp(cycle_value(verdict, i), v))
			return i;
	return -1;
}

static void
set_str(char **dst, const char *src)
{
	char *v = src && *src ? xstrdup(src) : NULL;

	free(*dst);
	*dst = v;
}

bool
hg_app_matches(const struct hg_session *s, size_t i)
{
	const struct hg_app_sess *as = s->user;

	return !as || i >= as->match_done || as->match[i];
}

static bool
row_visible(const struct hg_session *s, const struct hg_entry *e, void *ctx)
{
	(void)ctx;
	return hg_app_matches(s, (size_t)(e - s->entries));
}

int
hg_app_set_filter(struct hg_app *a, const char *expr, const char *verdict, const char *tier,
		  char *err, size_t errlen, int *col)
{
	struct hg_filter *f;

	*col = 0;
	f = hg_filter_parse_effective(expr ? expr : "", verdict, tier, err, errlen, col);
	if (!f)
		return -1;
	if (hg_filter_is_empty(f)) {
		hg_filter_free(f);
		f = NULL;
	}
	hg_filter_free(a->filter);
	a->filter = f;
	if (expr != a->expr)
		set_str(&a->expr, expr);
	if (verdict != a->verdict)
		set_str(&a->verdict, verdict);
	if (tier != a->tier)
		set_str(&a->tier, tier);
	a->serial++;
	/* No filter: every entry matches (hg_app_matches), not the last
	 * filter's choice kept in the caches. */
	for (size_t i = 0; !f && i < a->c->n; i++)
		if (a->c->sessions[i]->user)
			hg_app_sess(a->c->sessions[i])->match_done = 0;
	a->filter_text = f ? hg_filter_text(f) : NULL;
	a->rf.visible = f ? row_visible : NULL;
	a->rf.highlight = NULL;
	a->rf.ctx = a;
	a->events |= HG_APP_EV_FILTER;
	return 0;
}

const char *
hg_app_cycle(struct hg_app *a, bool verdict, bool *ok, char *err, size_t errlen)
{
	int *i = verdict ? &a->verdict_i : &a->tier_i;
	const char *v;
	int col;

	*i = *i < 0 ? 0 : (*i + 1) % CYCLE_N;
	v = cycle_value(verdict, *i);
	*ok = hg_app_set_filter(a, a->expr, verdict ? v : a->verdict, verdict ? a->tier : v,
				err, errlen, &col) == 0;
	return v;
}

bool
hg_app_clear_filter(struct hg_app *a)
{
	char err[256];
	int col;

	if (!a->filter && !a->expr && !a->verdict && !a->tier)
		return false;
	a->verdict_i = a->tier_i = 0;
	hg_app_set_filter(a, NULL, NULL, NULL, err, sizeof(err), &col);
	return true;
}

void
hg_app_match_update(struct hg_app *a, struct hg_session *s)
{
	struct hg_app_sess *as = hg_app_sess(s);
	size_t n = s->n_entries, from, hits;

	if (!a->filter) {
		/* Without a filter everything matches: what the last one hid
		 * is not hidden from the search any more. */
		as->match_done = 0;
		return;
	}
	if (as->match_serial != a->serial || as->match_gen != s->generation ||
	    as->match_done > n) {
		as->match_serial = a->serial;
		as->match_gen = s->generation;
		as->match_done = as->match_hits = 0;
	}
	if (as->match_done == n)
		return;
	if (as->match_cap < n) {
		as->match_cap = as->match_cap ? as->match_cap : 256;
		while (as->match_cap < n)
			as->match_cap *= 2;
		as->match = xrealloc(as->match, as->match_cap);
	}
	from = as->match_done;
	hg_filter_session(a->filter, s, as->match, from, &hits);
	as->match_hits += hits;
	as->match_done = n;
}

bool
hg_app_filter_counts(struct hg_app *a, struct hg_session *s, size_t *hits, size_t *total)
{
	if (!a->filter)
		return false;
	hg_app_match_update(a, s);
	*hits = hg_app_sess(s)->match_hits;
	*total = s->n_entries - (size_t)s->n_unparsable - (size_t)s->n_annotations;
	return true;
}

bool
hg_app_highlight(const struct hg_app *a, const struct hg_entry *e, const struct hg_row *row)
{
	uint32_t i;

	if (!hg_filter_has_attempt_terms(a->filter) || e->kind != HG_ENTRY_OK)
		return false;
	if (row->kind == HG_ROW_ATTEMPT)
		return hg_filter_match_attempt(a->filter, e, (size_t)row->attempt);
	if (row->kind != HG_ROW_ENTRY || (row->flags & HG_ROW_EXPANDED))
		return false;
	for (i = 0; i < e->n_attempts; i++)
		if (hg_filter_match_attempt(a->filter, e, i))
			return true;
	return false;
}

/* --- notes ------------------------------------------------------------------- */

bool
hg_app_notes_sync(struct hg_app *a, struct hg_session *s)
{
	bool changed = hg_ann_index_update(&hg_app_sess(s)->notes, s);

	if (changed && s == a->sel)
		a->events |= HG_APP_EV_NOTES;
	return changed;
}

/* --- order and selection ---------------------------------------------------------- */

int64_t
hg_app_activity_ns(const struct hg_session *s)
{
	/* A stream's spool file is written for every session in it. */
	if (s->spool_fd >= 0)
		return s->last_ts_ns;
	return s->mtime_ns > s->last_ts_ns ? s->mtime_ns : s->last_ts_ns;
}

/* Growth during the initial load does not count as live. */
bool
hg_app_live(struct hg_session *s)
{
	const struct hg_app_sess *as = hg_app_sess(s);

	return !s->gone && !s->stream_ended && as->grew_ns &&
	       hg_now_mono_ns() - as->grew_ns < LIVE_NS;
}

static int
by_activity(const void *pa, const void *pb)
{
	const struct hg_session *x = *(struct hg_session *const *)pa;
	const struct hg_session *y = *(struct hg_session *const *)pb;
	int64_t ax = hg_app_activity_ns(x), ay = hg_app_activity_ns(y);

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->id, y->id);
}

int64_t
hg_app_start_ns(const struct hg_session *s)
{
	size_t i;

	for (i = 0; i < s->n_entries && i < 64; i++)
		if (s->entries[i].kind == HG_ENTRY_OK && s->entries[i].ts_ns && !s->entries[i].ts_zero)
			return s->entries[i].ts_ns;
	return 0;
}

const char *
hg_app_project(const struct hg_session *s)
{
	size_t i;

	for (i = 0; i < s->n_entries && i < 64; i++)
		if (s->entries[i].kind == HG_ENTRY_OK &&
		    hg_entry_sym(&s->entries[i], HG_E_PROJECT_ROOT))
			return hg_entry_str(&s->entries[i], HG_E_PROJECT_ROOT);	/* 0 is "" */
	return "";
}

size_t
hg_app_errors(struct hg_session *s)
{
	struct hg_app_sess *as = hg_app_sess(s);

	if (as->err_gen != s->generation || as->err_done > s->n_entries) {
		as->err_gen = s->generation;
		as->err_done = as->err_n = 0;
	}
	for (; as->err_done < s->n_entries; as->err_done++)
		as->err_n += hg_entry_is_error(&s->entries[as->err_done]);
	return as->err_n;
}

const char *
hg_app_order_name(enum hg_app_order order)
{
	static const char *const names[HG_ORDER_N] = {
		"last activity", "start", "name", "size", "errors",
	};

	return order < HG_ORDER_N ? names[order] : "";
}

/* The order the comparator sorts by (qsort has no context argument). */
static enum hg_app_order cur_order;

static int
by_order(const void *pa, const void *pb)
{
	const struct hg_session *x = *(struct hg_session *const *)pa;
	const struct hg_session *y = *(struct hg_session *const *)pb;
	int64_t ax = 0, ay = 0;

	switch (cur_order) {
	case HG_ORDER_ACTIVITY:
		return by_activity(pa, pb);
	case HG_ORDER_START:
		ax = hg_app_start_ns(x);
		ay = hg_app_start_ns(y);
		break;
	case HG_ORDER_NAME:
		break;
	case HG_ORDER_SIZE:
		ax = x->size;
		ay = y->size;
		break;
	case HG_ORDER_ERRORS:
		/* counted before the sort (hg_app_sort) */
		ax = (int64_t)((const struct hg_app_sess *)x->user)->err_n;
		ay = (int64_t)((const struct hg_app_sess *)y->user)->err_n;
		break;
	case HG_ORDER_N:
		break;
	}
	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* by_order is a total order: a list already in it needs no qsort (the
 * usual case while entries arrive). */
static bool
sorted(const struct hg_app *a)
{
	size_t i;

	for (i = 1; i < a->n_order; i++)
		if (by_order(&a->order[i - 1], &a->order[i]) > 0)
			return false;
	return true;
}

/* The session written last: the first in the default order. */
static struct hg_session *
newest(const struct hg_app *a)
{
	size_t i, best = 0;

	if (a->sort_order == HG_ORDER_ACTIVITY)
		return a->order[0];
	for (i = 1; i < a->n_order; i++)
		if (by_activity(&a->order[i], &a->order[best]) < 0)
			best = i;
	return a->order[best];
}

/* Keep the known order and add the sessions not listed yet. Sessions are
 * never removed from the catalog while the app runs: a deleted file
 * stays, marked gone. */
static void
merge_new(struct hg_app *a)
{
	size_t i;

	a->order = xrealloc(a->order, (a->c->n ? a->c->n : 1) * sizeof(*a->order));
	for (i = 0; i < a->c->n && a->n_order < a->c->n; i++) {
		struct hg_app_sess *as = hg_app_sess(a->c->sessions[i]);

		if (!as->listed) {
			as->listed = true;
			a->order[a->n_order++] = a->c->sessions[i];
		}
	}
}

static size_t
index_of(const struct hg_app *a, const struct hg_session *s)
{
	size_t i;

	for (i = 0; i < a->n_order; i++)
		if (a->order[i] == s)
			return i;
	return 0;
}

/* Save the entry selection and the pause of the selected session before
 * leaving it. */
static void
remember(struct hg_app *a)
{
	struct hg_app_sess *as;

	if (!a->sel)
		return;
	as = hg_app_sess(a->sel);
	as->paused = a->paused;
	if (!a->has_entry)
		return;
	as->sel_entry = a->sel_entry;
	as->sel_attempt = a->sel_attempt;
	as->has_sel = true;
}

void
hg_app_select_session(struct hg_app *a, size_t i)
{
	struct hg_app_sess *as;

	if (i >= a->n_order)
		return;
	a->sel_order = i;
	if (a->sel == a->order[i])
		return;
	remember(a);
	a->sel = a->order[i];
	as = hg_app_sess(a->sel);
	a->has_entry = as->has_sel;
	a->sel_entry = as->sel_entry;
	a->sel_attempt = as->sel_attempt;
	a->jump_match = false;
	/* Each session has its own pause: one never paused follows. */
	if (a->paused != as->paused)
		a->events |= HG_APP_EV_FOLLOW;
	a->paused = as->paused;
	hg_app_notes_sync(a, a->sel);
	hg_app_match_update(a, a->sel);
	a->events |= HG_APP_EV_SELECT;
}

/* Re-sort when following (newest first), keep the selection by pointer.
 * The selection starts on the most recently active session (while the
 * first load is still finding out which that is, until the user picks
 * one) and stays there: the entries being read are not swapped for
 * another session's under the cursor. Only live jump (L) moves live
 * follow to the session written last. */
void
hg_app_sort(struct hg_app *a)
{
	struct hg_session *first;
	size_t i;
	bool jump;

	if (a->n_order != a->c->n)
		merge_new(a);
	cur_order = a->sort_order;
	if (cur_order == HG_ORDER_ERRORS)
		for (i = 0; i < a->n_order; i++)
			hg_app_errors(a->order[i]);
	/* An order the user chose holds while paused too. */
	if ((a->follow || !a->list_touched || cur_order != HG_ORDER_ACTIVITY) && !sorted(a))
		qsort(a->order, a->n_order, sizeof(*a->order), by_order);
	if (a->n_order == 0)
		return;
	first = newest(a);
	jump = a->sel != first &&
	       ((a->live_jump && hg_app_following(a)) || (!a->settled && !a->list_touched) ||
		/* a stream split by session_id: from the stream's own session
		 * (the lines of no session) to one of its sessions */
		(a->sel == a->stream && first->split && !a->list_touched));
	/* The first sort once nothing is queued is the last look. */
	if (!a->n_queue)
		a->settled = true;
	if (!a->sel || jump) {
		/* Jumped to, it shows its newest entry. */
		hg_app_sess(first)->paused = false;
		hg_app_select_session(a, index_of(a, first));
		return;
	}
	a->sel_order = index_of(a, a->sel);
}

void
hg_app_set_order(struct hg_app *a, enum hg_app_order order)
{
	a->sort_order = order < HG_ORDER_N ? order : HG_ORDER_ACTIVITY;
	hg_app_sort(a);
	a->events |= HG_APP_EV_SESSIONS;
}

void
hg_app_set_live_jump(struct hg_app *a, bool on)
{
	a->live_jump = on;
	a->events |= HG_APP_EV_FOLLOW | HG_APP_EV_SESSIONS;
	if (on && !a->follow)
		hg_app_message(a, false, "live: newest session (while follow is on; it is off)");
	else
		hg_app_message(a, false, on ? "live: follow moves to the session written last" :
				 "live off: the selected session stays");
}

void
hg_app_select_entry(struct hg_app *a, size_t entry, int32_t attempt)
{
	a->has_entry = true;
	a->sel_entry = entry;
	a->sel_attempt = attempt;
	a->jump_match = false;
}

void
hg_app_select_none(struct hg_app *a)
{
	a->has_entry = false;
	a->jump_match = false;
}

void
hg_app_jump_to(struct hg_app *a, size_t entry, int32_t attempt, bool match)
{
	hg_app_select_entry(a, entry, attempt);
	a->jump_match = match;
	a->events |= HG_APP_EV_SELECT;
}

/* Bytes a queued session will have read when done: its size, or before
 * its first read the size of its file. */
static int64_t
expected_bytes(const struct hg_session *s)
{
	const struct hg_app_sess *as = s->user;
	int64_t n = s->size > s->offset ? s->size : s->offset;

	return as && as->expect_bytes > n ? as->expect_bytes : n;
}

/* Over the sessions queued since the queue was last empty, so the figure
 * does not fall back when one file is done and the next begins. */
int
hg_app_loading_percent(const struct hg_app *a)
{
	int64_t done = a->round_done, total = a->round_total;
	size_t i;

	for (i = 0; i < a->n_queue; i++) {
		done += hg_session_bytes_read(a->queue[i]);
		total += expected_bytes(a->queue[i]);
	}
	if (total <= 0)
		return 0;
	return done >= total ? 100 : (int)(done * 100 / total);
}

void
hg_app_counts(const struct hg_app *a, int64_t *entries, int64_t *bad)
{
	size_t i;

	*entries = *bad = 0;
	for (i = 0; i < a->c->n; i++) {
		const struct hg_session *s = a->c->sessions[i];

		/* With the head of a file read tail first: counts only grow. */
		*entries += (int64_t)(s->n_entries + s->n_head) - s->n_unparsable -
			    s->n_annotations - s->head_unparsable - s->head_annotations;
		*bad += s->n_unparsable + s->head_unparsable;
	}
}

/* --- follow ------------------------------------------------------------------ */

bool
hg_app_following(const struct hg_app *a)
{
	return a->follow && !a->paused;
}

void
hg_app_set_follow(struct hg_app *a, bool on)
{
	size_t i;

	a->follow = on;
	a->paused = false;
	for (i = 0; i < a->c->n; i++)
		if (a->c->sessions[i]->user)
			hg_app_sess(a->c->sessions[i])->paused = false;
	a->events |= HG_APP_EV_FOLLOW | HG_APP_EV_SESSIONS;
	hg_app_message(a, false, on ? "follow on: new entries stay in view" : "follow off");
}

/* The timeline paused: what every session has read so far is not new. */
static void
mark_all_read(struct hg_app *a)
{
	size_t i;

	for (i = 0; i < a->c->n; i++)
		if (a->c->sessions[i]->user)
			hg_app_sess(a->c->sessions[i])->pause_offset = a->c->sessions[i]->offset;
}

void
hg_app_timeline_select(struct hg_app *a, struct hg_session *s)
{
	bool paused = a->paused;

	if (a->sel == s)
		return;
	/* One follow for the whole timeline, whichever session. */
	a->list_touched = true;
	hg_app_select_session(a, index_of(a, s));
	a->paused = paused;
}

void
hg_app_show_timeline(struct hg_app *a, bool on)
{
	a->tl_shown = on;
	if (on && a->follow && a->paused)
		mark_all_read(a);
}

void
hg_app_hold(struct hg_app *a)
{
	if (!a->follow || a->paused)
		return;
	a->paused = true;
	if (a->tl_shown)
		mark_all_read(a);
	else if (a->sel)
		hg_app_sess(a->sel)->pause_offset = a->sel->offset;
	a->events |= HG_APP_EV_FOLLOW;
}

/* Leaving the newest entry pauses follow; say so once (the header keeps
 * showing PAUSED). */
void
hg_app_pause(struct hg_app *a)
{
	if (!a->follow || a->paused)
		return;
	hg_app_hold(a);
	hg_app_message(a, false, "follow paused");
}

/* The entries (not notes) S read after its pause offset. */
static size_t
new_in(const struct hg_session *s)
{
	const struct hg_app_sess *as = s->user;
	size_t lo = 0, hi, n = 0;

	if (!as)
		return 0;
	/* Entries are in file order: the first one read after the pause. */
	hi = s->n_entries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->entries[mid].offset < as->pause_offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->n_entries; lo++)
		n += s->entries[lo].kind != HG_ENTRY_ANNOTATION;
	return n;
}

size_t
hg_app_new_below(const struct hg_app *a)
{
	size_t i, n = 0;

	if (!a->sel || !a->follow || !a->paused)
		return 0;
	if (!a->tl_shown)
		return new_in(a->sel);
	/* The timeline: whatever session it arrived in. */
	for (i = 0; i < a->c->n; i++)
		n += new_in(a->c->sessions[i]);
	return n;
}

void
hg_app_resume(struct hg_app *a)
{
	if (a->paused)
		a->events |= HG_APP_EV_FOLLOW;
	a->paused = false;
}

/* --- loading ------------------------------------------------------------------- */

static void
enqueue(struct hg_app *a, struct hg_session *s)
{
	struct hg_app_sess *as = hg_app_sess(s);
	struct stat st;

	if (as->queued || s->split)
		return;
	/* Not read yet: the file's size stands for what is to come (as the
	 * watcher saw it when it listed the file, else looked at now). */
	if (!as->loaded && s->size == 0 && s->spool_fd < 0 && a->chunk_bytes > 0) {
		if (s->seen) {
			as->expect_bytes = s->seen_size;
		} else if (stat(s->path, &st) == 0) {
			as->expect_bytes = st.st_size;
			/* The session order is right before the file is read. */
			if (!s->mtime_ns)
				s->mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		}
	}
	if (a->n_queue == a->cap_queue) {
		a->cap_queue = a->cap_queue ? a->cap_queue * 2 : 64;
		a->queue = xrealloc(a->queue, a->cap_queue * sizeof(*a->queue));
	}
	a->queue[a->n_queue++] = s;
	as->queued = true;
}

static void
dequeue(struct hg_app *a, size_t i)
{
	a->round_done += hg_session_bytes_read(a->queue[i]);
	a->round_total += expected_bytes(a->queue[i]);
	hg_app_sess(a->queue[i])->queued = false;
	memmove(&a->queue[i], &a->queue[i + 1], (a->n_queue - i - 1) * sizeof(*a->queue));
	a->n_queue--;
}

static void after_ingest(struct hg_app *a, struct hg_session *s,
			 const struct hg_ingest_result *r, bool is_new);

/* A session new to the catalog: queued, or read at once when the app reads
 * whole files (a follower prints its entries now). */
static void
read_new(struct hg_app *a, struct hg_session *s)
{
	struct hg_ingest_result r;

	if (a->chunk_bytes > 0) {
		enqueue(a, s);
		return;
	}
	r = hg_session_ingest(s, 0);
	after_ingest(a, s, &r, true);
}

/* s was renamed away (r.jsonl to r.jsonl.0) and read to its end: it keeps
 * its entries, marked gone, and a new session reads the file now under its
 * name from the start. */
static void
rotated(struct hg_app *a, struct hg_session *s)
{
	struct hg_session *ns = hg_catalog_rotated(a->c, s);

	hg_app_message(a, false, "%s: rotated, a new file under its name", s->id);
	/* s->path may now be the rotated name: the watcher keys on names. */
	hg_watch_catalog_changed(a->w);
	if (ns)
		read_new(a, ns);
}

/* A session of the stream received entries (hg_spool_split). */
static void
split_ingest(void *ctx, struct hg_session *s, int64_t n, bool is_new)
{
	struct hg_app *a = ctx;
	struct hg_ingest_result r = { .new_entries = n };

	if (is_new)
		hg_watch_catalog_changed(a->w);
	after_ingest(a, s, &r, is_new);
}

static void
after_ingest(struct hg_app *a, struct hg_session *s, const struct hg_ingest_result *r0,
	     bool is_new)
{
	struct hg_app_sess *as = hg_app_sess(s);
	struct hg_ingest_result split = *r0;
	const struct hg_ingest_result *r = r0;

	/* The timeline takes it in at its next look (hg_app_timeline). */
	if (as->tl_in && (r0->new_entries || r0->status != HG_INGEST_OK))
		hg_timeline_touch(&a->tl, as->tl_no);

	/* The stream's entries go to the sessions of their session_id. */
	if (s == a->stream && a->spool && r0->new_entries > 0) {
		split.new_entries = (int64_t)hg_spool_split(a->spool, a->c, s,
				s->n_entries - (size_t)r0->new_entries, split_ingest, a);
		r = &split;
	}

	if (as->loaded && r->new_entries)
		as->grew_ns = hg_now_mono_ns();
	as->more = r->more;
	if (!r->more)
		as->loaded = true;
	if (a->on_ingest)
		a->on_ingest(a->ingest_ctx, s, r, is_new);
	if (r->rotated)
		rotated(a, s);
	if (r->status == HG_INGEST_ERROR && s == a->sel)
		hg_app_message(a, true, "%s: %s", s->path, strerror(r->err));
	if (r->status != HG_INGEST_OK && r->status != HG_INGEST_ERROR)
		hg_app_message(a, r->status == HG_INGEST_GONE, "%s: %s", s->id,
			       hg_ingest_status_text(r->status));
	if (r->new_entries || r->status != HG_INGEST_OK) {
		a->events |= HG_APP_EV_ENTRIES | HG_APP_EV_SESSIONS;
		a->meter_news = true;
		if (s == a->sel) {
			a->events |= HG_APP_EV_SELECTED;
			hg_app_notes_sync(a, s);
		}
	} else if (r->more) {
		a->events |= HG_APP_EV_PROGRESS;
	}
}

/* Once the sessions are read: a verdict or tier (of the command line) that
 * is no known value and occurs in no log is a typo, said on the status
 * line. The f prompt refuses those at once. */
static void
check_filter_values(struct hg_app *a)
{
	const char *lists[2] = { a->verdict, a->tier };
	char err[256], *term;
	bool ok = hg_filter_check_values(a->expr, a->c->sessions, a->c->n, err, sizeof(err), NULL);

	for (int i = 0; ok && i < 2; i++) {
		if (!lists[i])
			continue;
		term = xasprintf("%s:%s", i ? "tier" : "verdict", lists[i]);
		ok = hg_filter_check_values(term, a->c->sessions, a->c->n, err, sizeof(err), NULL);
		free(term);
	}
	if (!ok)
		hg_app_message(a, true, "filter: %s", err);
}

/* The next load turn's bytes, from the time the last one took for its
 * BYTES: a turn of STEP_NS, changed by at most a factor of 2 at a time. */
static void
size_step(struct hg_app *a, int64_t bytes, int64_t ns)
{
	int64_t want;

	if (a->chunk_bytes <= 0 || bytes <= 0)
		return;
	if (ns < 1)
		ns = 1;
	want = (int64_t)((double)bytes * (double)STEP_NS / (double)ns);
	if (want > 2 * a->step_bytes)
		want = 2 * a->step_bytes;
	if (want < a->step_bytes / 2)
		want = a->step_bytes / 2;
	a->step_bytes = want < STEP_MIN_BYTES ? STEP_MIN_BYTES : want > a->chunk_bytes ? a->chunk_bytes : want;
}

/* Whether input is waiting on FD (-1: none to watch). */
static bool
input_waiting(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return fd >= 0 && poll(&p, 1, 0) > 0;
}

/* Read up to step_bytes across the queued sessions, the selected first,
 * so keys stay responsive while big files load; a key that arrives ends
 * the turn after the session being read (FD: the input, or -1). Returns
 * the bytes read. */
static int64_t
load_step(struct hg_app *a, int fd)
{
	int64_t budget = a->chunk_bytes <= 0 ? INT64_MAX
			 : a->step_bytes < a->chunk_bytes ? a->step_bytes : a->chunk_bytes;
	int64_t done = 0, slice;
	size_t i = 0;

	while (i < a->n_queue && budget > 0) {
		struct hg_session *s = a->queue[i];
		struct hg_ingest_result r;

		if (a->sel && hg_app_sess(a->sel)->queued && s != a->sel) {
			size_t j;

			for (j = 0; j < a->n_queue && a->queue[j] != a->sel; j++)
				;
			s = a->queue[j];
			i = j;
		}
		/* A large file in quarter turns, to look for keys between. */
		slice = fd >= 0 && budget > STEP_MIN_BYTES && a->step_bytes / 4 < budget
			? (a->step_bytes / 4 > STEP_MIN_BYTES ? a->step_bytes / 4 : STEP_MIN_BYTES)
			: budget;
		r = hg_session_ingest(s, a->chunk_bytes > 0 ? slice : 0);
		budget -= r.bytes > 0 ? r.bytes : 1;
		done += r.bytes > 0 ? r.bytes : 0;
		after_ingest(a, s, &r, false);
		if (!r.more)
			dequeue(a, i);
		else if (a->chunk_bytes <= 0 || r.bytes < slice)
			i++;
		if (budget > 0 && i < a->n_queue && input_waiting(fd))
			break;
	}
	a->loading = false;
	for (i = 0; i < a->n_queue; i++)
		a->loading |= hg_app_sess(a->queue[i])->more;
	if (a->n_queue == 0)
		a->round_done = a->round_total = 0;
	return done;
}

/* New sessions are read at once (their entries are news to a follower). */
static void
take_changes(struct hg_app *a, const struct hg_watch_events *ev)
{
	size_t i, before = a->c->n, scanned;

	if (ev->rescan && hg_catalog_scan(a->c) > 0)
		hg_watch_catalog_changed(a->w);
	scanned = a->c->n;	/* sessions added by a rotation are read at once */
	if ((ev->dir_gone || a->c->dir_gone) && !(a->events & HG_APP_EV_GONE)) {
		a->events |= HG_APP_EV_GONE;
		hg_app_message(a, true, "%s: the directory was deleted or moved", a->title);
	}
	for (i = 0; i < before; i++)
		if ((ev->all || ev->rescan) && a->c->sessions[i] != a->stream)
			enqueue(a, a->c->sessions[i]);
	for (i = 0; i < ev->n_changed; i++)
		enqueue(a, ev->changed[i]);
	if (a->chunk_bytes == 0)
		load_step(a, -1);	/* what changed first, then the new sessions */
	for (i = before; i < scanned; i++)
		read_new(a, a->c->sessions[i]);
	a->events |= HG_APP_EV_SESSIONS;
}

void
hg_app_rescan(struct hg_app *a)
{
	struct hg_watch_events ev = { .rescan = true, .all = true };

	take_changes(a, &ev);
	if (a->n_queue)
		load_step(a, -1);
}

/* "hgtop -": copy what stdin has into the spool, then read it like a file. */
static void
stream_step(struct hg_app *a)
{
	struct hg_session *s = a->stream;

	if (hg_spool_pump(a->spool) < 0)
		hg_app_message(a, true, "stdin: %s", strerror(errno));
	hg_spool_update_session(a->spool, s);
	enqueue(a, s);
	if (hg_spool_eof(a->spool) && !a->stream_done) {
		struct hg_ingest_result r = hg_session_ingest(s, 0);
		size_t i;

		for (i = 0; i < a->n_queue; i++)
			if (a->queue[i] == s)
				dequeue(a, i);
		after_ingest(a, s, &r, false);
		a->stream_done = true;
		for (i = 0; i < a->c->n; i++)
			if (a->c->sessions[i]->split)
				a->c->sessions[i]->stream_ended = true;
		a->events |= HG_APP_EV_SESSIONS;
		if (s->pending)
			hg_app_message(a, true, "standard input: the stream ended in the middle of a line (%lld bytes)",
				       (long long)s->pending);
		else
			hg_app_message(a, false, "standard input: end of stream");
	}
	a->events |= HG_APP_EV_PROGRESS;
}

/* --- the turn ------------------------------------------------------------------ */

/* The last line of a file left without its newline for a while is read
 * as it is (hg_session_take_partial): hyperguild's reader would. */
static void
take_partials(struct hg_app *a)
{
	int64_t now = hg_now_wall_ns();
	size_t i;

	for (i = 0; i < a->c->n; i++) {
		struct hg_session *s = a->c->sessions[i];
		struct hg_ingest_result r = { .new_entries = 1 };

		if (s->pending <= 0 || s->partial_taken || s->spool_fd >= 0 || s->split ||
		    !hg_app_sess(s)->loaded || hg_app_sess(s)->queued || now - s->mtime_ns < HG_APP_QUIET_NS)
			continue;
		if (hg_session_take_partial(s))
			after_ingest(a, s, &r, false);
	}
}

int
hg_app_timeout(const struct hg_app *a)
{
	int64_t now = hg_now_mono_ns(), t;
	int wt = hg_watch_timeout_ms(a->w);

	if (a->n_queue || a->events || hg_app_meter_busy(a))
		return 0;
	t = 1000 - (hg_now_wall_ns() / 1000000) % 1000;	/* next whole second */
	if (a->msg[0] && a->msg_until_ns > now && (a->msg_until_ns - now) / 1000000 + 1 < t)
		t = (a->msg_until_ns - now) / 1000000 + 1;
	if (wt >= 0 && wt < t)
		t = wt;
	return (int)t;
}

unsigned
hg_app_take_events(struct hg_app *a)
{
	unsigned ev = a->events;

	a->events = 0;
	return ev;
}

unsigned
hg_app_step(struct hg_app *a, int fd, int timeout_ms)
{
	struct pollfd p[4];
	int n = 0, rc, wfd = hg_watch_fd(a->w), sidx = -1, fidx = -1;
	int64_t t0 = 0, loaded = 0;
	int sfd = a->spool && !a->stream_done ? hg_spool_fd(a->spool) : -1;

	p[n++] = (struct pollfd){ a->sig_pipe[0], POLLIN, 0 };
	if (fd >= 0) {
		fidx = n;
		p[n++] = (struct pollfd){ fd, POLLIN, 0 };
	}
	if (wfd >= 0)
		p[n++] = (struct pollfd){ wfd, POLLIN, 0 };
	if (sfd >= 0) {
		sidx = n;
		p[n++] = (struct pollfd){ sfd, POLLIN, 0 };
	}
	if (a->events)
		timeout_ms = 0;
	rc = poll(p, (nfds_t)n, timeout_ms);
	if (rc < 0 && errno != EINTR)
		hg_app_message(a, true, "poll: %s", strerror(errno));
	if (rc == 0 && !a->n_queue)
		a->events |= HG_APP_EV_TICK;
	/* since:2h moves with the clock: match again when its instant moved. */
	if (hg_filter_moves(a->filter) && hg_filter_set_now(a->filter, hg_now_wall_ns())) {
		a->serial++;
		a->events |= HG_APP_EV_FILTER;
	}
	read_signals(a);
	if (rc > 0 && fidx >= 0 && p[fidx].revents)
		a->events |= HG_APP_EV_INPUT;
	if (rc > 0 && sidx >= 0 && p[sidx].revents)
		stream_step(a);
	if (hg_watch_collect(a->w, &a->ev))
		take_changes(a, &a->ev);
	/* A key waiting is handled before the next load turn. */
	if (a->n_queue && !(a->events & HG_APP_EV_INPUT)) {
		t0 = hg_now_mono_ns();
		loaded = load_step(a, fd);
	}
	if (a->take_partials && (a->events & HG_APP_EV_TICK))
		take_partials(a);
	if (!a->n_queue && !a->values_checked) {
		a->values_checked = true;
		check_filter_values(a);
	}
	/* The timeline is kept as entries arrive: opening it takes no merge. */
	if (a->tl_keep && (a->events & (HG_APP_EV_ENTRIES | HG_APP_EV_SESSIONS)))
		hg_app_timeline(a);
	/* The next turn sized from this one, what its entries cost included. */
	if (t0)
		size_step(a, loaded, hg_now_mono_ns() - t0);
	return hg_app_take_events(a);
}

/* --- the timeline ------------------------------------------------------------- */

struct hg_timeline *
hg_app_timeline(struct hg_app *a)
{
	for (; a->tl_seen < a->c->n; a->tl_seen++) {
		struct hg_app_sess *as = hg_app_sess(a->c->sessions[a->tl_seen]);

		if (!as->tl_in) {
			as->tl_no = hg_timeline_add(&a->tl, a->c->sessions[a->tl_seen]);
			as->tl_in = true;
		}
	}
	hg_timeline_sync(&a->tl);
	return &a->tl;
}

size_t
hg_app_order_of(const struct hg_app *a, const struct hg_session *s)
{
	return index_of(a, s);
}

/* --- set-up ------------------------------------------------------------------- */

int
hg_app_init(struct hg_app *a, const struct hg_options *o, struct hg_catalog *c,
	    const char *title, struct hg_demo *demo, struct hg_spool *spool, bool loaded)
{
	char err[256];
	int col;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->o = o;
	a->c = c;
	a->title = title;
	a->demo = demo;
	a->spool = spool;
	a->stream = spool && c->n ? c->sessions[0] : NULL;
	a->chunk_bytes = loaded ? 0 : CHUNK_BYTES;
	a->step_bytes = STEP_MIN_BYTES * 4;
	a->follow = true;
	a->sig_pipe[0] = a->sig_pipe[1] = -1;
	hg_timeline_init(&a->tl);
	if (pipe2(a->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	sig_fd = a->sig_pipe[1];
	set_signals(true, demo != NULL);
	{
		sigset_t set;

		quit_signals(&set);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
	}
	a->w = hg_watch_new(c, o->poll_ms);
	/* Directories on network file systems are polled: say so once. */
	if (hg_watch_note(a->w))
		hg_app_message(a, false, "%s", hg_watch_note(a->w));
	/* A path named that could not be opened: the others are shown. */
	if (c->unopened) {
		struct hg_buf m = { 0 };
		const char *p;

		for (p = c->unopened; *p; p++)
			if (*p == '\n')
				hg_buf_adds(&m, "; ");
			else
				hg_buf_add(&m, p, 1);
		hg_buf_addc(&m, '\0');
		hg_app_message(a, true, "%s (the others are shown)", m.p);
		hg_buf_free(&m);
	}
	for (i = 0; i < c->n && !loaded; i++)
		enqueue(a, c->sessions[i]);
	a->verdict_i = cycle_index(true, o->verdict);
	a->tier_i = cycle_index(false, o->tier);
	if (hg_app_set_filter(a, o->filter, o->verdict, o->tier, err, sizeof(err), &col) < 0)
		hg_app_message(a, true, "filter: %s", err);
	a->events = HG_APP_EV_SESSIONS;
	return 0;
}

static void meter_free(struct hg_app_meter *m);

void
hg_app_done(struct hg_app *a)
{
	size_t i;

	set_signals(false, a->demo != NULL);
	sig_fd = -1;
	if (a->sig_pipe[0] >= 0) {
		close(a->sig_pipe[0]);
		close(a->sig_pipe[1]);
	}
	hg_watch_events_free(&a->ev);
	hg_watch_free(a->w);
	for (i = 0; i < a->c->n; i++)
		sess_free(a->c->sessions[i]);
	hg_filter_free(a->filter);
	free(a->expr);
	free(a->verdict);
	free(a->tier);
	free(a->order);
	free(a->queue);
	meter_free(a->meter);
	hg_timeline_free(&a->tl);
	memset(a, 0, sizeof(*a));
	a->sig_pipe[0] = a->sig_pipe[1] = -1;
}

/* --- the meter ------------------------------------------------------------------ */

/* Per-tier counts kept up to date as entries arrive (each entry counted
 * once); a new filter or a re-read session starts the count again, a
 * slice at a time (hg_app_meter_step). */

#define STEP_ENTRIES 65536	/* entries per slice while recounting */
#define METER_NS (250 * 1000000LL)

struct hg_app_meter {
	struct hg_meter *m;	/* exact: the stats view's numbers */
	unsigned serial;	/* filter counted */
	bool recounting;
	size_t next;		/* session to count next while recounting */
	char line[512];
	int width;		/* the line was made for */
	unsigned serial_made;	/* ... and this filter */
	int64_t made_ns;
	bool dirty;		/* entries counted since the line was made */
	bool started;
};

static void
meter_free(struct hg_app_meter *m)
{
	if (!m)
		return;
	hg_meter_free(m->m);
	free(m);
}

static struct hg_app_meter *
meter_of(struct hg_app *a)
{
	if (!a->meter) {
		a->meter = xcalloc(1, sizeof(*a->meter));
		a->meter->m = hg_meter_new();
	}
	return a->meter;
}

static bool
stale(const struct hg_session *s)
{
	const struct hg_app_sess *as = s->user;

	return as && as->meter_done > 0 &&
	       (as->meter_gen != s->generation || as->meter_done > s->n_entries);
}

static size_t
count_session(struct hg_app *a, struct hg_app_meter *m, struct hg_session *s, size_t limit)
{
	struct hg_app_sess *as = hg_app_sess(s);
	size_t i, end;

	if (as->meter_done == 0)
		as->meter_gen = s->generation;
	else if (stale(s))
		return 0;
	hg_app_match_update(a, s);
	end = s->n_entries - as->meter_done > limit ? as->meter_done + limit : s->n_entries;
	for (i = as->meter_done; i < end; i++) {
		const struct hg_entry *e = &s->entries[i];

		if (i + HG_PREFETCH_AHEAD < end)
			hg_entry_prefetch(&s->entries[i + HG_PREFETCH_AHEAD]);
		if (e->kind == HG_ENTRY_OK && (!a->filter || as->match[i]))
			hg_meter_add_entry(m->m, e);
	}
	end -= as->meter_done;
	as->meter_done = i;
	m->dirty |= end > 0;
	return end;
}

static void
recount(struct hg_app *a, struct hg_app_meter *m)
{
	size_t i;

	hg_meter_reset(m->m);
	m->dirty = true;
	m->serial = a->serial;
	m->recounting = true;
	m->started = true;
	m->next = 0;
	for (i = 0; i < a->c->n; i++) {
		struct hg_app_sess *as = hg_app_sess(a->c->sessions[i]);

		as->meter_done = 0;
		as->meter_gen = a->c->sessions[i]->generation;
	}
}

static bool
needs_recount(const struct hg_app *a, const struct hg_app_meter *m)
{
	size_t i;

	if (!m->started || m->serial != a->serial)
		return true;
	for (i = 0; i < a->c->n; i++)
		if (stale(a->c->sessions[i]))
			return true;
	return false;
}

bool
hg_app_meter_busy(const struct hg_app *a)
{
	return a->meter && a->meter->recounting;
}

void
hg_app_meter_step(struct hg_app *a)
{
	struct hg_app_meter *m = meter_of(a);
	size_t budget = STEP_ENTRIES;

	if (needs_recount(a, m))
		recount(a, m);
	while (m->next < a->c->n && budget > 0) {
		struct hg_session *s = a->c->sessions[m->next];
		size_t k = count_session(a, m, s, budget);

		budget -= k < budget ? k : budget;
		if (hg_app_sess(s)->meter_done >= s->n_entries)
			m->next++;
		else if (k == 0)
			break;
	}
	if (m->next >= a->c->n && m->recounting) {
		m->recounting = false;
		a->meter_news = true;	/* what came during the recount */
		a->events |= HG_APP_EV_PROGRESS;
	}
}

bool
hg_app_meter_line(struct hg_app *a, int width, char *buf, size_t n)
{
	struct hg_app_meter *m = meter_of(a);
	size_t i;

	/* Sessions are looked at only when entries arrived or the filter
	 * changed, not on every draw. */
	if (a->meter_news || !m->started || m->serial != a->serial) {
		if (needs_recount(a, m))
			recount(a, m);
		if (!m->recounting) {
			a->meter_news = false;
			for (i = 0; i < a->c->n; i++)
				count_session(a, m, a->c->sessions[i], (size_t)-1);
		}
	}
	if (!m->recounting) {
		int64_t now = hg_now_mono_ns();

		/* Exact percentiles cost a pass over the durations: while files
		 * load, the line is made again at most every METER_NS. */
		if (!m->line[0] || width != m->width || m->serial_made != a->serial ||
		    (m->dirty && (!a->n_queue || now - m->made_ns >= METER_NS))) {
			hg_meter_line(m->m, a->filter_text, width, m->line, sizeof(m->line));
			m->made_ns = now;
			m->width = width;
			m->serial_made = a->serial;
			m->dirty = false;
		}
	}
	snprintf(buf, n, "%s", m->line);
	return !m->recounting;
}
