/* timeline.h - every entry of every session in one list, by time.
 *
 * The merged index is an array of references (session, entry index),
 * ordered by the entry's timestamp, then the session's name, then the
 * entry's place in its file. Entries without a timestamp (unparsable
 * lines, entries whose ts is missing) come first. It is kept up to date
 * incrementally: a session that received entries is marked (touch), and
 * sync takes the new entries of the marked sessions in one batch. A batch
 * that is newer than everything indexed (the usual live append) is added at
 * the end; an older one is merged in (a binary search and a move for a few
 * references, one linear merge for many), never a sort of the whole index.
 * A session that was re-read (its generation changed: truncated, replaced,
 * rewritten, or its head joined after tail-first loading) has its
 * references dropped and taken again.
 *
 * Rows: the index flattened into the rows the timeline shows, one per
 * shown entry (or unparsable line, or note), with the attempts of an
 * expanded entry and the notes on it under it, and day rows, as the
 * per-session tree (rows.h) does.
 * No ncurses here. */
#ifndef HGTOP_TIMELINE_H
#define HGTOP_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hgtop/rows.h"
#include "hgtop/search.h"
#include "hgtop/session.h"

struct hg_tl_ref {
	int64_t ts;		/* sort key: the entry's time (INT64_MIN: none) */
	uint32_t sess : 24;	/* session number in the timeline */
	uint32_t kind : 7;	/* the entry's enum hg_row_kind, and whether */
	uint32_t parent : 1;	/* it has attempts: rows without a look at it */
	uint32_t entry;		/* index into the session's entries */
};

struct hg_tl_sess {
	struct hg_session *s;	/* not owned */
	unsigned generation;	/* s->generation when indexed */
	size_t done;		/* entries indexed */
	bool dirty;		/* touched since the last sync */
};

struct hg_timeline {
	struct hg_tl_ref *v;	/* the merged index */
	size_t n, cap;
	struct hg_tl_sess *sess;
	size_t n_sess, cap_sess;
	uint32_t *dirty;	/* sessions touched, in order */
	size_t n_dirty, cap_dirty;
	unsigned serial;	/* bumped when references moved (not an append) */
	/* Work of the last sync, for tests and measurements. */
	size_t last_added, last_merged, last_dropped;
};

void hg_timeline_init(struct hg_timeline *t);
void hg_timeline_free(struct hg_timeline *t);

/* A session for the timeline (at most 2^24); returns its number (the same for the same
 * session only if the caller keeps it: see hg_app_sess). */
uint32_t hg_timeline_add(struct hg_timeline *t, struct hg_session *s);
/* Session NO received entries or was re-read: looked at by the next sync. */
void hg_timeline_touch(struct hg_timeline *t, uint32_t no);
/* Take in what the touched sessions received. True when the index changed. */
bool hg_timeline_sync(struct hg_timeline *t);

static inline struct hg_session *
hg_timeline_session(const struct hg_timeline *t, const struct hg_tl_ref *r)
{
	return t->sess[r->sess].s;
}

static inline const struct hg_entry *
hg_timeline_entry(const struct hg_timeline *t, const struct hg_tl_ref *r)
{
	return &t->sess[r->sess].s->entries[r->entry];
}

/* The position of (session NO, entry ENTRY) in the index, or -1. */
ssize_t hg_timeline_find(const struct hg_timeline *t, uint32_t no, size_t entry);

/* Rows of the timeline: as the per-session tree's (rows.h), with the
 * row's place in the index (ref) for its entry; a note shown under the
 * entry it annotates holds its own entry index (entry) in that entry's
 * session. Day rows stand before the first entry of each day when the
 * entries span days. */
struct hg_tl_hooks {
	bool (*visible)(const struct hg_session *s, const struct hg_entry *e, void *ctx);
	bool (*highlight)(const struct hg_session *s, const struct hg_entry *e,
			  size_t attempt, void *ctx);
	bool (*expanded)(struct hg_session *s, const struct hg_entry *e, void *ctx);
	void *ctx;
	/* The notes of S to show under the entries they annotate (NULL:
	 * none, or notes at their own time). */
	const struct hg_ann_index *(*notes)(const struct hg_session *s, void *ctx);
};

struct hg_tl_rows {
	struct hg_row *v;
	size_t n, cap;
	size_t built;		/* references turned into rows */
	unsigned serial;	/* t->serial when built */
	size_t hidden;		/* entries the filter hid */
	struct hg_days days;
};

void hg_tl_rows_build(struct hg_tl_rows *r, const struct hg_timeline *t,
		      const struct hg_tl_hooks *h);
/* Rows for the references added since; a rebuild when references moved.
 * True when the rows changed. */
bool hg_tl_rows_update(struct hg_tl_rows *r, const struct hg_timeline *t,
		       const struct hg_tl_hooks *h);
/* Show or hide the attempts of the entry at row I. */
bool hg_tl_rows_set_expanded(struct hg_tl_rows *r, const struct hg_timeline *t, size_t i,
			     bool on, const struct hg_tl_hooks *h);
/* The row of index position REF (ATTEMPT -1: the entry row); -1 when not
 * shown. With NEAREST, the first row at or after it (or the last row). */
ssize_t hg_tl_rows_find(const struct hg_tl_rows *r, size_t ref, int32_t attempt, bool nearest);
/* The same for entry ENTRY of session NO: a note shown under the entry it
 * annotates is found there. */
ssize_t hg_tl_rows_find_entry(const struct hg_tl_rows *r, const struct hg_timeline *t,
			      uint32_t no, size_t entry, int32_t attempt, bool nearest);
size_t hg_tl_rows_parent(const struct hg_tl_rows *r, size_t i);
void hg_tl_rows_free(struct hg_tl_rows *r);

/* Search in the timeline's order: the entries of every session, one
 * after the other as the index has them, from position FROM (exclusive;
 * FROM itself last, after wrapping; SIZE_MAX: from the first or the last),
 * in time slices, as a session's search job (search.h) does. The index
 * must not move meanwhile (ESTALE when it did: start again). */
struct hg_tl_search {
	const struct hg_timeline *t;
	const struct hg_search_pattern *p;
	hg_search_visible_fn visible;
	void *ctx;
	bool forward;
	unsigned serial;	/* t->serial when started */
	size_t n;		/* positions to look at */
	size_t from;
	size_t done;		/* positions looked at */
	enum hg_search_status status;
	size_t found;		/* position when FOUND */
	bool wrapped;
	int err;
	struct hg_search rd;	/* reads the lines of one session at a time */
	int64_t rd_off;		/* what rd.buf holds: the file's bytes at */
	size_t rd_len;		/* [rd_off, rd_off + rd_len) */
};

void hg_tl_search_start(struct hg_tl_search *j, const struct hg_timeline *t,
			const struct hg_search_pattern *p, size_t from, bool forward,
			hg_search_visible_fn visible, void *ctx);
enum hg_search_status hg_tl_search_step(struct hg_tl_search *j, int64_t budget_ns);
/* Release what the job holds (safe to call twice). */
void hg_tl_search_end(struct hg_tl_search *j);
int hg_tl_search_percent(const struct hg_tl_search *j);

#endif
