/* app.h - the application without a terminal: what the browser and
 * `--batch --follow` share.
 *
 * One struct hg_app owns the catalog's watcher, the stdin spool, the load
 * queue, the session order and the selection, the filter with a match
 * cache per session, the notes index per session, follow/paused and the
 * header meter. hg_app_step() waits (poll) on the signal self-pipe, the
 * watcher, the spool and one descriptor of the caller's (the terminal),
 * does one turn of work and returns what changed as HG_APP_EV_* bits; the
 * caller redraws or prints from those. No ncurses here: check_app tests it.
 *
 * Selection: the selected session, and in it the selected entry (by index,
 * with the attempt index or -1). The entry tree sets it as its cursor
 * moves; the detail pane, annotations and search read it. A selection the
 * app moves itself (a search match) raises HG_APP_EV_SELECT so the views
 * bring their cursors to it. */
#ifndef HGTOP_APP_H
#define HGTOP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hgtop/annotate.h"
#include "hgtop/catalog.h"
#include "hgtop/filter.h"
#include "hgtop/options.h"
#include "hgtop/rows.h"
#include "hgtop/stats.h"
#include "hgtop/timeline.h"
#include "hgtop/watch.h"

struct hg_demo;
struct hg_spool;

/* Events: what changed since the caller last looked. */
#define HG_APP_EV_INPUT		0x0001u	/* the caller's descriptor is readable */
#define HG_APP_EV_QUIT		0x0002u	/* SIGINT, SIGTERM, SIGHUP or SIGQUIT */
#define HG_APP_EV_RESIZE	0x0004u	/* SIGWINCH */
#define HG_APP_EV_SESSIONS	0x0008u	/* sessions added, gone or re-ordered */
#define HG_APP_EV_ENTRIES	0x0010u	/* entries arrived or a session was re-read */
#define HG_APP_EV_SELECTED	0x0020u	/* ... among them the selected session */
#define HG_APP_EV_SELECT	0x0040u	/* the app moved the selection */
#define HG_APP_EV_FILTER	0x0080u	/* the filter changed */
#define HG_APP_EV_MESSAGE	0x0100u	/* a new message (hg_app_message) */
#define HG_APP_EV_PROGRESS	0x0200u	/* loading progressed */
#define HG_APP_EV_TICK		0x0400u	/* a second passed: ages change */
#define HG_APP_EV_NOTES		0x0800u	/* notes attached in the selected session */
#define HG_APP_EV_FOLLOW	0x1000u	/* follow turned on/off, paused or resumed */
#define HG_APP_EV_GONE		0x2000u	/* the sessions directory went away */

/* What the app keeps per session (in session->user). */
struct hg_app_sess {
	/* Which entries match the filter: one byte per entry, filled as
	 * entries arrive. */
	bool *match;
	size_t match_cap;
	size_t match_done;	/* entries looked at */
	size_t match_hits;	/* matching entries (not notes nor unparsable) */
	unsigned match_serial;	/* filter serial it was computed for */
	unsigned match_gen;	/* session->generation */

	struct hg_ann_index notes;	/* annotations by target */
	struct hg_expand expand;	/* the tree's expanded entries */
	size_t meter_done;		/* entries counted in the meter */
	unsigned meter_gen;
	/* The selection to come back to. */
	size_t sel_entry;
	int32_t sel_attempt;
	bool has_sel;
	/* Follow paused in this session (kept while another is shown), and
	 * how far it had been read then: what came after is new below. */
	bool paused;
	int64_t pause_offset;

	bool queued;		/* waiting in the load queue */
	bool listed;		/* in the session order */
	bool loaded;		/* read to the end once */
	bool more;		/* the last read stopped at the chunk limit */
	int64_t expect_bytes;	/* the file's size when it was queued unread */
	int64_t grew_ns;	/* when entries last arrived after loading */
	uint32_t tl_no;		/* its number in the timeline ... */
	bool tl_in;		/* ... once in it */
	/* Entries with an error (hg_entry_is_error), counted as they come
	 * (for the order by errors). */
	size_t err_done;
	size_t err_n;
	unsigned err_gen;
};

/* The orders of the session list (O cycles them). */
enum hg_app_order {
	HG_ORDER_ACTIVITY = 0,	/* last activity, newest first (default) */
	HG_ORDER_START,		/* first entry's time, newest first */
	HG_ORDER_NAME,		/* session id, A to Z */
	HG_ORDER_SIZE,		/* bytes read, largest first */
	HG_ORDER_ERRORS,	/* entries with an error, most first */
	HG_ORDER_N
};

/* Called for every ingest (the follow printer uses it). IS_NEW: the
 * session was added to the catalog by this turn. */
typedef void (*hg_app_ingest_fn)(void *ctx, struct hg_session *s,
				 const struct hg_ingest_result *r, bool is_new);

struct hg_app_meter;

struct hg_app {
	const struct hg_options *o;
	struct hg_catalog *c;
	const char *title;		/* shown in the header */
	struct hg_demo *demo;
	struct hg_spool *spool;
	struct hg_session *stream;	/* the stdin session, or NULL */
	struct hg_watch *w;
	struct hg_watch_events ev;
	int64_t chunk_bytes;		/* per load turn at most; 0: read all at once */
	int64_t step_bytes;		/* for the next load turn (sized to its time) */
	hg_app_ingest_fn on_ingest;
	void *ingest_ctx;
	/* Count the last line of a file quiet for HG_APP_QUIET_NS that has no
	 * newline, as hyperguild's reader would (the browser; not --follow,
	 * which prints each entry once). */
	bool take_partials;

	/* Sessions, newest activity first, and the selection. */
	struct hg_session **order;
	size_t n_order;
	struct hg_session *sel;
	size_t sel_order;		/* index of sel in order */
	bool list_touched;		/* the user chose a session */
	enum hg_app_order sort_order;	/* of the session list */
	bool live_jump;			/* L: follow moves to the session
					 * written last */
	bool settled;			/* the initial load is done */
	bool has_entry;			/* an entry of sel is selected */
	size_t sel_entry;
	int32_t sel_attempt;
	bool jump_match;		/* EV_SELECT came from a search match */
	size_t jump_nth;		/* ... and the detail shows match NTH */

	/* Loading. */
	struct hg_session **queue;
	size_t n_queue, cap_queue;
	int64_t round_done, round_total; /* of sessions done since the queue
					   was last empty */
	bool loading;
	bool values_checked;	/* the filter's values, once the sessions are read */

	/* The filter. */
	struct hg_filter *filter;	/* NULL when empty */
	char *expr;			/* the typed expression */
	char *verdict, *tier;		/* quick filters (NULL: all) */
	int verdict_i, tier_i;		/* place in the quick cycles; -1: custom */
	unsigned serial;		/* bumped on every change */
	const char *filter_text;	/* hg_filter_text, NULL when none */
	struct hg_row_filter rf;	/* hooks for the tree rows */
	size_t hidden;			/* entries of sel the filter hides (as
					 * last counted by the view showing them) */

	bool follow;
	bool paused;

	char msg[512];
	bool msg_err;
	int64_t msg_until_ns;

	struct hg_app_meter *meter;
	bool meter_news;		/* entries arrived since the meter counted */
	unsigned events;		/* accumulated, taken by hg_app_step */
	int sig_pipe[2];
	int quit_signal;		/* the first that asked to quit, or 0 */
	bool stream_done;		/* stdin reached its end */
	struct hg_timeline tl;		/* all sessions' entries by time */
	size_t tl_seen;			/* catalog sessions put in it */
	bool tl_keep;			/* keep it up to date at every step */
	bool tl_shown;			/* the browser shows it: one pause for
					 * all sessions (hg_app_show_timeline) */
};

/* Set up over a catalog whose sessions are opened. Every session is queued
 * for loading unless LOADED (they were read already). Installs handlers
 * for SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH (and SIGCHLD with a demo)
 * that write to a self-pipe. Returns -1 (errno) when the pipe cannot be
 * made. */
#define HG_APP_QUIET_NS (INT64_C(2) * 1000000000)

int hg_app_init(struct hg_app *a, const struct hg_options *o, struct hg_catalog *c,
		const char *title, struct hg_demo *demo, struct hg_spool *spool,
		bool loaded);
/* Block SIGINT, SIGTERM, SIGHUP and SIGQUIT until hg_app_init installs
 * its handlers, so one sent before then is handled, not lost or fatal. */
void hg_app_hold_signals(void);
/* The exit status the quit signal asks for: 130 after SIGINT (Ctrl-C),
 * 131 after SIGQUIT (Ctrl-\), else 0 (SIGTERM and SIGHUP: a clean stop). */
int hg_app_quit_status(const struct hg_app *a);
/* Once everything is put away: a status of 130 or 131 ends the process by
 * that signal (default action, no core), as a shell expects of a program
 * interrupted from the keyboard. Returns for any other status. */
void hg_app_exit_by_signal(int status);
void hg_app_done(struct hg_app *a);

struct hg_app_sess *hg_app_sess(struct hg_session *s);

/* The poll() timeout the app needs: 0 while loading, else up to the next
 * whole second (ages), a message expiring, or the watcher's next poll. */
int hg_app_timeout(const struct hg_app *a);
/* One turn: wait up to TIMEOUT_MS (-1: forever) for the signal pipe, the
 * watcher, the spool or FD (-1: none), then read signals, the spool and
 * the watcher, and load a chunk. Returns the events of the turn with any
 * raised since the last call. -1 never: a failing poll() is a message. */
unsigned hg_app_step(struct hg_app *a, int fd, int timeout_ms);
/* Events raised outside hg_app_step (by the setters below), cleared. */
unsigned hg_app_take_events(struct hg_app *a);
/* Look at every session again (after the initial load: appends that came
 * before the watch was in place). */
void hg_app_rescan(struct hg_app *a);

/* Order and selection. */
void hg_app_sort(struct hg_app *a);
void hg_app_select_session(struct hg_app *a, size_t order_index);
/* The user moved through the entries: remember it, and keep live follow
 * from switching sessions. */
void hg_app_select_entry(struct hg_app *a, size_t entry, int32_t attempt);
void hg_app_select_none(struct hg_app *a);
/* Move the selection (a search match, or back where a search started):
 * raise EV_SELECT so the views bring their cursors to it (the tree pauses
 * follow when it is not the newest entry); MATCH asks the detail pane to
 * scroll to the searched text. */
void hg_app_jump_to(struct hg_app *a, size_t entry, int32_t attempt, bool match);
/* The session list's order: set it (re-sorts, the selection stays), and
 * its name ("last activity", "start", "name", "size", "errors"). */
void hg_app_set_order(struct hg_app *a, enum hg_app_order order);
const char *hg_app_order_name(enum hg_app_order order);
/* When S started (its first dated entry), 0 when unknown; the
 * project_root of its first entry that has one, "" when none. */
int64_t hg_app_start_ns(const struct hg_session *s);
const char *hg_app_project(const struct hg_session *s);
/* S's entries with an error, counted up to date. */
size_t hg_app_errors(struct hg_session *s);
/* The newest activity of S (file mtime or last entry timestamp). */
int64_t hg_app_activity_ns(const struct hg_session *s);
/* True while S grew in the last 10 s (after its initial load). */
bool hg_app_live(struct hg_session *s);
/* Loading progress, 0-100: over the sessions queued since the queue was
 * last empty; it does not fall back when one file is done. */
int hg_app_loading_percent(const struct hg_app *a);
/* Entries (not notes nor unparsable) and unparsable lines of all sessions. */
void hg_app_counts(const struct hg_app *a, int64_t *entries, int64_t *unparsable);

/* Follow. */
void hg_app_set_follow(struct hg_app *a, bool on);
/* The user moved away from the newest entry / back to it. Pausing is
 * per session: each keeps its own, and its entry selection, while another
 * is shown. hg_app_hold pauses without a message (a search match). */
void hg_app_pause(struct hg_app *a);
void hg_app_hold(struct hg_app *a);
void hg_app_resume(struct hg_app *a);
/* Live follow: on and not paused. */
bool hg_app_following(const struct hg_app *a);
/* While paused: entries (not notes) of the selected session that arrived
 * since the pause. */
size_t hg_app_new_below(const struct hg_app *a);
/* L: live follow also moves to the session written last (off by default:
 * the selected session stays until the user picks another). */
void hg_app_set_live_jump(struct hg_app *a, bool on);

/* The filter: EXPR with the quick lists. Returns 0, or -1 with the error
 * and its 1-based column (the filter in force stays). */
int hg_app_set_filter(struct hg_app *a, const char *expr, const char *verdict,
		      const char *tier, char *err, size_t errlen, int *col);
/* Step the verdict (or tier) quick filter: all, then the three values.
 * Returns the value now in force (NULL: all), or sets err and returns
 * NULL with *ok false. */
const char *hg_app_cycle(struct hg_app *a, bool verdict, bool *ok, char *err, size_t errlen);
/* Returns false when there was nothing to clear. */
bool hg_app_clear_filter(struct hg_app *a);
/* Bring S's match cache up to date (no-op without a filter). */
void hg_app_match_update(struct hg_app *a, struct hg_session *s);
/* Entry I of S passes the filter (after hg_app_match_update). */
bool hg_app_matches(const struct hg_session *s, size_t i);
/* Matching and all entries of S; false when no filter is in force. */
bool hg_app_filter_counts(struct hg_app *a, struct hg_session *s, size_t *hits,
			  size_t *total);
/* An attempt row (or a collapsed entry holding one) that satisfies the
 * filter's one-attempt group stands out. */
bool hg_app_highlight(const struct hg_app *a, const struct hg_entry *e,
		      const struct hg_row *row);

/* Notes: take in the annotations that arrived in S; true when notes were
 * attached or detached (the rows of S must be rebuilt). */
bool hg_app_notes_sync(struct hg_app *a, struct hg_session *s);

/* The header meter: per-tier attempts, accept rate and p95 over every
 * session under the filter, counted as entries arrive, a slice at a time
 * after a filter change. Fitted to WIDTH columns in BUF; returns false
 * while a recount is still going (BUF then holds the last line). */
bool hg_app_meter_line(struct hg_app *a, int width, char *buf, size_t n);
bool hg_app_meter_busy(const struct hg_app *a);
void hg_app_meter_step(struct hg_app *a);

/* The timeline of all sessions (timeline.h), brought up to date: the
 * sessions found since, and what the ingests since brought. */
struct hg_timeline *hg_app_timeline(struct hg_app *a);
/* The timeline is shown (ON) or not: while it is, a pause holds for every
 * session and "+N new" counts what arrived in all of them since. */
void hg_app_show_timeline(struct hg_app *a, bool on);
/* A row of the timeline in session S: S becomes the selected session, the
 * pause (one for the timeline) kept. */
void hg_app_timeline_select(struct hg_app *a, struct hg_session *s);
/* The session list index of S (hg_app_select_session takes it). */
size_t hg_app_order_of(const struct hg_app *a, const struct hg_session *s);

/* Messages for the status line. */
void hg_app_message(struct hg_app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The message, or NULL once it expired. */
const char *hg_app_current_message(const struct hg_app *a, bool *error);

#endif
