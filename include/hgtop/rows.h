/* rows.h - a session's entries flattened into the rows the tree pane shows.
 *
 * One row per entry (or unparsable line, or annotation), followed by one
 * row per attempt when the entry is expanded, and one row per annotation
 * of the entry: rows of depth > 0 belong to the entry row above them, and
 * an annotation row refers to the annotation's own entry. Rows refer to entries by
 * index, so they survive the entry array growing. Expansion state is keyed
 * by the entry's line number, which is stable while the file only grows.
 * When the shown entries span more than one calendar day (local time),
 * a day row stands before the first entry of each day (its entry is that
 * entry's index); it is not a row to select.
 * No ncurses here: the tree can be tested without a terminal. */
#ifndef HGTOP_ROWS_H
#define HGTOP_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hgtop/annotate.h"
#include "hgtop/session.h"

enum hg_row_kind {
	HG_ROW_ENTRY = 0,
	HG_ROW_ATTEMPT,
	HG_ROW_UNPARSABLE,
	HG_ROW_ANNOTATION,
	HG_ROW_DAY,		/* a day separator: the day of the entry below */
};

/* Row flags. */
#define HG_ROW_EXPANDED	0x1u	/* an entry whose attempts are shown */
#define HG_ROW_PARENT	0x2u	/* an entry that has attempts */
#define HG_ROW_MATCH	0x4u	/* highlighted (the filter's attempt group) */
#define HG_ROW_LAST	0x8u	/* the last attempt of its entry */

/* 8 bytes: the tree of a million entries has a million rows. An entry
 * shows at most HG_ROW_ATTEMPTS_MAX attempt rows (a 12 MB line could hold
 * more; its detail still counts them all). */
#define HG_ROW_ATTEMPTS_MAX ((UINT32_C(1) << 22) - 1)
struct hg_row {
	union {
		uint32_t entry;	/* index into session->entries */
		uint32_t ref;	/* the timeline's: a place in its index */
	};
	int32_t attempt : 23;	/* index into entry->attempts, -1 for others */
	uint32_t kind : 3;	/* enum hg_row_kind */
	uint32_t depth : 2;
	uint32_t flags : 4;
};

_Static_assert(sizeof(struct hg_row) == 8, "a million rows: 8 bytes each");

/* The attempt rows entry E shows when expanded. */
static inline uint32_t
hg_row_attempts(const struct hg_entry *e)
{
	return e->n_attempts < HG_ROW_ATTEMPTS_MAX ? e->n_attempts : HG_ROW_ATTEMPTS_MAX;
}

/* Which entries are expanded: a set of line numbers holding the exceptions
 * to a default (all collapsed, or all expanded after "expand all"), so
 * expanding everything is O(1). */
struct hg_expand {
	int64_t *slots;		/* open addressing, 0 = empty */
	size_t cap;
	size_t n;
	bool all;		/* default state */
};

bool hg_expand_get(const struct hg_expand *x, int64_t line_no);
void hg_expand_set(struct hg_expand *x, int64_t line_no, bool on);
void hg_expand_all(struct hg_expand *x, bool on);
void hg_expand_free(struct hg_expand *x);

/* Hooks for the filter: which entries are shown, which attempts stand out.
 * Either may be NULL (everything shown, nothing highlighted). */
struct hg_row_filter {
	bool (*visible)(const struct hg_session *s, const struct hg_entry *e, void *ctx);
	bool (*highlight)(const struct hg_session *s, const struct hg_entry *e,
			  size_t attempt, void *ctx);
	void *ctx;
};

/* Day rows, as rows are made in time order: made at all (the rows span
 * more than one day), the day (yyyymmdd, local time) of the last dated
 * row, how many day changes, whether a second day was reached while they
 * were off (the rows are to be made again, with them), and the last local
 * day computed (seconds [lo, hi) are in day key). */
struct hg_days {
	bool on;
	int32_t day;
	size_t n;
	bool rebuild;
	int64_t lo, hi;
	int32_t key;
};

/* The flattened rows (owned array) and what they were built from. */
struct hg_rows {
	struct hg_row *v;
	size_t n;
	size_t cap;
	const struct hg_session *s;
	size_t built;		/* entries already turned into rows */
	unsigned generation;	/* s->generation when built */
	size_t hidden;		/* entries the filter hid */
	/* When set, an annotation whose target is known is shown under that
	 * entry (under its attempt when expanded), not at its own position.
	 * The caller keeps it updated (hg_ann_index_update) before building,
	 * and rebuilds the rows when the update reports a change. */
	const struct hg_ann_index *notes;
	struct hg_days days;
};

/* True for the rows the cursor may rest on (all but day rows). */
static inline bool
hg_row_selectable(const struct hg_row *row)
{
	return row->kind != HG_ROW_DAY;
}

/* The pieces both trees are made of (rows.c; the timeline's are in
 * timeline.c). Room for EXTRA more rows in V (N used, CAP allocated). */
void hg_rows_grow(struct hg_row **v, size_t n, size_t *cap, size_t extra);
/* The kind of row entry E gets. */
enum hg_row_kind hg_row_kind_of(const struct hg_entry *e);
/* Add the row of entry IDX of S (ID in its entry field: the entry's index,
 * or its place in the timeline) and the rows under it: its attempts when
 * OPEN, the notes on it from NOTES (which may be NULL). */
void hg_rows_add_entry(struct hg_row **v, size_t *n, size_t *cap, const struct hg_session *s,
		       const struct hg_ann_index *notes, size_t idx, uint32_t id, bool open,
		       const struct hg_row_filter *f);
/* Show (ON) or hide the attempts of row I, the row of entry IDX of S: the
 * rows under it are made again. True when something changed. */
bool hg_rows_open(struct hg_row **v, size_t *n, size_t *cap, size_t i, bool on,
		  const struct hg_session *s, const struct hg_ann_index *notes, size_t idx,
		  const struct hg_row_filter *f);
/* Day rows: start (reads TZ), the day of a time (seconds), a day row (ID in its
 * entry field) before a row of DAY when that is a new day (false: a second
 * day while they are off, D->rebuild set), and after a full build: with
 * one day only, no day rows. */
void hg_days_start(struct hg_days *d);
int32_t hg_days_of(struct hg_days *d, int64_t sec);
/* The time of entry E in whole seconds (a time before 1677 or after 2262
 * too). */
int64_t hg_entry_sec(const struct hg_entry *e);
bool hg_days_row(struct hg_days *d, struct hg_row **v, size_t *n, size_t *cap, uint32_t id,
		 int32_t day);
void hg_days_done(struct hg_days *d, struct hg_row *v, size_t *n);

/* Build every row of S from scratch. */
void hg_rows_build(struct hg_rows *r, const struct hg_session *s,
		   const struct hg_expand *x, const struct hg_row_filter *f);

/* Bring the rows up to date with S: append rows for new entries, or
 * rebuild when S is another session or was re-read. Returns true when the
 * rows changed. */
bool hg_rows_update(struct hg_rows *r, const struct hg_session *s,
		    const struct hg_expand *x, const struct hg_row_filter *f);

/* Show or hide the attempt rows of the entry at row I (an entry row).
 * Returns true when something changed. */
bool hg_rows_set_expanded(struct hg_rows *r, size_t i, bool on,
			  const struct hg_row_filter *f);

/* The row showing entry index ENTRY (attempt -1 for the entry row itself),
 * or -1. When the attempt is hidden, the entry's row is returned. */
ssize_t hg_rows_find(const struct hg_rows *r, size_t entry, int32_t attempt);

/* The first row of an entry at or after index ENTRY (rows are in file
 * order), or the last row; 0 when there are no rows. */
size_t hg_rows_nearest(const struct hg_rows *r, size_t entry);

/* The entry row at or above row I (the row of depth 0 that row I belongs to). */
size_t hg_rows_parent(const struct hg_rows *r, size_t i);
/* The same in rows V (N of them). */
size_t hg_row_parent(const struct hg_row *v, size_t n, size_t i);

/* What the jump keys look for. An error: an attempt whose verdict is
 * "error", an entry whose final_status is "failed", or an unparsable
 * line. An escalation: an attempt whose verdict is "escalate". A note: an
 * annotation row, or an entry with notes shown under it. */
enum hg_jump {
	HG_JUMP_ERROR = 0,
	HG_JUMP_ESCALATE,
	HG_JUMP_NOTE,
};

/* An entry with an error, as HG_JUMP_ERROR finds it. */
bool hg_entry_is_error(const struct hg_entry *e);

/* True when the entry row I (depth 0) of R, built from S, is what KIND
 * looks for. */
bool hg_rows_jump_match(const struct hg_rows *r, const struct hg_session *s, size_t i,
			enum hg_jump kind);

/* The entry row (depth 0) of the next (DIR > 0) or previous (DIR < 0)
 * entry after the one row FROM belongs to that KIND looks for, among the
 * rows shown, wrapping around the end (*WRAPPED is then set). Returns -1
 * when no other row is one (the entry of row FROM may be the only one). */
ssize_t hg_rows_jump(const struct hg_rows *r, const struct hg_session *s, size_t from,
		     int dir, enum hg_jump kind, bool *wrapped);

void hg_rows_free(struct hg_rows *r);

#endif
