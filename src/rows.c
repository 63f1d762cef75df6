/* rows.c - flatten a session's entries into tree rows (no ncurses). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hgtop/annotate.h"
#include "hgtop/rows.h"
#include "hgtop/util.h"

/* Expansion set */

static size_t
slot_of(int64_t line_no, size_t cap)
{
	uint64_t h = (uint64_t)line_no * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 17) & (cap - 1);
}

static bool
set_has(const struct hg_expand *x, int64_t k)
{
	size_t i;

	if (x->cap == 0)
		return false;
	for (i = slot_of(k, x->cap); x->slots[i]; i = (i + 1) & (x->cap - 1))
		if (x->slots[i] == k)
			return true;
	return false;
}

static void
set_insert(struct hg_expand *x, int64_t k)
{
	size_t i;

	if ((x->n + 1) * 2 > x->cap) {
		struct hg_expand y = { NULL, x->cap ? x->cap * 2 : 64, 0, x->all };
		size_t j;

		y.slots = xcalloc(y.cap, sizeof(*y.slots));
		for (j = 0; j < x->cap; j++)
			if (x->slots[j])
				set_insert(&y, x->slots[j]);
		free(x->slots);
		*x = y;
	}
	for (i = slot_of(k, x->cap); x->slots[i]; i = (i + 1) & (x->cap - 1))
		if (x->slots[i] == k)
			return;
	x->slots[i] = k;
	x->n++;
}

/* Remove by re-inserting the rest of the cluster (linear probing). */
static void
set_remove(struct hg_expand *x, int64_t k)
{
	size_t i, j;

	if (x->cap == 0)
		return;
	for (i = slot_of(k, x->cap); x->slots[i] != k; i = (i + 1) & (x->cap - 1))
		if (!x->slots[i])
			return;
	x->slots[i] = 0;
	x->n--;
	for (j = (i + 1) & (x->cap - 1); x->slots[j]; j = (j + 1) & (x->cap - 1)) {
		int64_t v = x->slots[j];

		x->slots[j] = 0;
		x->n--;
		set_insert(x, v);
	}
}

bool
hg_expand_get(const struct hg_expand *x, int64_t line_no)
{
	return set_has(x, line_no) != x->all;
}

void
hg_expand_set(struct hg_expand *x, int64_t line_no, bool on)
{
	if (on != x->all)
		set_insert(x, line_no);
	else
		set_remove(x, line_no);
}

void
hg_expand_all(struct hg_expand *x, bool on)
{
	if (x->cap)
		memset(x->slots, 0, x->cap * sizeof(*x->slots));
	x->n = 0;
	x->all = on;
}

void
hg_expand_free(struct hg_expand *x)
{
	free(x->slots);
	memset(x, 0, sizeof(*x));
}

/* Row building: the one place that decides which rows an entry gets
 * (the per-session tree here, the timeline in timeline.c). */

void
hg_rows_grow(struct hg_row **v, size_t n, size_t *cap, size_t extra)
{
	if (n + extra <= *cap)
		return;
	*cap = *cap ? *cap : 256;
	while (*cap < n + extra)
		*cap *= 2;
	*v = xrealloc(*v, *cap * sizeof(**v));
}

enum hg_row_kind
hg_row_kind_of(const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE)
		return HG_ROW_UNPARSABLE;
	if (e->kind == HG_ENTRY_ANNOTATION)
		return HG_ROW_ANNOTATION;
	return HG_ROW_ENTRY;
}

static void
note_row(struct hg_row *row, size_t ann, uint8_t depth)
{
	row->entry = (uint32_t)ann;
	row->attempt = -1;
	row->kind = HG_ROW_ANNOTATION;
	row->depth = depth;
	row->flags = 0;
}

/* Annotations of entry IDX (from NOTES); *anns gets their indexes. */
static size_t
notes_of(const struct hg_ann_index *notes, size_t idx, const size_t **anns)
{
	*anns = NULL;
	return notes ? hg_ann_index_lookup(notes, idx, anns) : 0;
}

/* Fill OUT with the rows under entry IDX: when OPEN, each attempt (ID in
 * its entry field) with the notes on it; then the notes on the whole
 * entry (all of them when the attempts are hidden). Returns how many. */
static size_t
sub_rows(struct hg_row *out, const struct hg_session *s, const struct hg_ann_index *notes,
	 size_t idx, uint32_t id, bool open, const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	const size_t *anns;
	size_t nn = notes_of(notes, idx, &anns), k = 0, j;
	uint32_t a;

	for (a = 0; open && a < hg_row_attempts(e); a++) {
		struct hg_row *row = &out[k++];

		row->entry = id;
		row->attempt = (int32_t)a;
		row->kind = HG_ROW_ATTEMPT;
		row->depth = 1;
		row->flags = a + 1 == hg_row_attempts(e) ? HG_ROW_LAST : 0;
		if (f && f->highlight && f->highlight(s, e, a, f->ctx))
			row->flags |= HG_ROW_MATCH;
		for (j = 0; j < nn; j++)
			if (hg_annotate_attempt_index(e, &s->entries[anns[j]]) == (ssize_t)a)
				note_row(&out[k++], anns[j], 2);
	}
	for (j = 0; j < nn; j++) {
		ssize_t on = hg_annotate_attempt_index(e, &s->entries[anns[j]]);

		/* (also those on an attempt past the rows shown) */
		if (!open || on < 0 || on >= (ssize_t)hg_row_attempts(e))
			note_row(&out[k++], anns[j], 1);
	}
	return k;
}

static bool
any_highlight(const struct hg_session *s, const struct hg_entry *e,
	      const struct hg_row_filter *f)
{
	uint32_t a;

	for (a = 0; f && f->highlight && a < e->n_attempts; a++)
		if (f->highlight(s, e, a, f->ctx))
			return true;
	return false;
}

void
hg_rows_add_entry(struct hg_row **v, size_t *n, size_t *cap, const struct hg_session *s,
		  const struct hg_ann_index *notes, size_t idx, uint32_t id, bool open,
		  const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	const size_t *anns;
	struct hg_row *row;

	hg_rows_grow(v, *n, cap, 1 + (open ? hg_row_attempts(e) : 0) + notes_of(notes, idx, &anns));
	row = &(*v)[(*n)++];
	row->entry = id;
	row->attempt = -1;
	row->kind = (uint8_t)hg_row_kind_of(e);
	row->depth = 0;
	row->flags = 0;
	if (row->kind != HG_ROW_ENTRY)
		return;
	if (e->n_attempts)
		row->flags |= HG_ROW_PARENT;
	if (open)
		row->flags |= HG_ROW_EXPANDED;
	else if (any_highlight(s, e, f))
		row->flags |= HG_ROW_MATCH;
	*n += sub_rows(&(*v)[*n], s, notes, idx, id, open, f);
}

bool
hg_rows_open(struct hg_row **v, size_t *n, size_t *cap, size_t i, bool on,
	     const struct hg_session *s, const struct hg_ann_index *notes, size_t idx,
	     const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	struct hg_row *row;
	const size_t *anns;
	size_t old = 0, k;

	if (i >= *n || !((*v)[i].flags & HG_ROW_PARENT))
		return false;
	if (!!((*v)[i].flags & HG_ROW_EXPANDED) == on)
		return false;
	while (i + 1 + old < *n && (*v)[i + 1 + old].depth > 0)
		old++;
	k = (on ? hg_row_attempts(e) : 0) + notes_of(notes, idx, &anns);
	hg_rows_grow(v, *n, cap, k);
	row = &(*v)[i];
	memmove(row + 1 + k, row + 1 + old, (*n - i - 1 - old) * sizeof(*row));
	*n = *n - old + sub_rows(row + 1, s, notes, idx, row->entry, on, f);
	row->flags = (uint8_t)(row->flags & ~(HG_ROW_EXPANDED | HG_ROW_MATCH));
	if (on)
		row->flags |= HG_ROW_EXPANDED;
	else if (any_highlight(s, e, f))
		row->flags |= HG_ROW_MATCH;
	return true;
}

/* Day rows */

void
hg_days_start(struct hg_days *d)
{
	memset(d, 0, sizeof(*d));
	d->on = true;
	tzset();	/* the day rows are in local time: TZ as it is now */
}

/* The local day of TS_NS as yyyymmdd. The last day computed is kept with
 * its seconds: from its local midnight to the next one (mktime), or, where
 * those cannot be had, the seconds that are surely in it (an hour of
 * margin at either end, for daylight saving changes). */
int64_t
hg_entry_sec(const struct hg_entry *e)
{
	int64_t t = e->ts_ns / 1000000000;

	if (e->ts_ns < 0 && e->ts_ns % 1000000000)
		t--;
	if (e->ts_ns == INT64_MIN || e->ts_ns == INT64_MAX)
		t = hg_entry_far_sec(e);	/* before 1677 or after 2262 */
	return t;
}

/* yyyymmdd of T in local time, -1 when it has none. */
static int32_t
ymd(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -1;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int32_t
hg_days_of(struct hg_days *d, int64_t t)
{
	time_t tt, lo, hi;
	struct tm tm, day;
	int since;

	if (d->key && t >= d->lo && t < d->hi)
		return d->key;
	tt = (time_t)t;
	if (!localtime_r(&tt, &tm))
		return 0;
	since = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	d->key = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	d->lo = t - since + 3600;
	d->hi = t - since + 23 * 3600;
	day = tm;
	day.tm_hour = day.tm_min = day.tm_sec = 0;
	day.tm_isdst = -1;
	lo = mktime(&day);
	day = tm;
	day.tm_mday++;
	day.tm_hour = day.tm_min = day.tm_sec = 0;
	day.tm_isdst = -1;
	hi = mktime(&day);
	/* Taken only when the day really starts at LO and ends before HI
	 * (a C library may place a skipped or repeated midnight elsewhere). */
	if (lo != (time_t)-1 && hi != (time_t)-1 && lo <= tt && tt < hi &&
	    ymd(lo) == d->key && ymd(lo - 1) != d->key && ymd(hi - 1) == d->key &&
	    ymd(hi) != d->key) {
		d->lo = (int64_t)lo;
		d->hi = (int64_t)hi;
	}
	return d->key;
}

bool
hg_days_row(struct hg_days *d, struct hg_row **v, size_t *n, size_t *cap, uint32_t id,
	    int32_t day)
{
	struct hg_row *row;

	if (!day || day == d->day)
		return true;
	if (d->day && !d->on) {
		d->rebuild = true;
		return false;
	}
	d->day = day;
	d->n++;
	if (!d->on)
		return true;
	hg_rows_grow(v, *n, cap, 1);
	row = &(*v)[(*n)++];
	row->entry = id;
	row->attempt = -1;
	row->kind = HG_ROW_DAY;
	row->depth = 0;
	row->flags = 0;
	return true;
}

void
hg_days_done(struct hg_days *d, struct hg_row *v, size_t *n)
{
	size_t i;

	if (d->n > 1)
		return;
	d->on = false;
	for (i = 0; i < *n; i++)
		if (v[i].kind == HG_ROW_DAY) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
			return;
		}
}

/* The day of entry E, 0 when it has no time. */
static int32_t
day_of(struct hg_rows *r, const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE || e->ts_zero)
		return 0;
	return hg_days_of(&r->days, hg_entry_sec(e));
}

static void
add_entry(struct hg_rows *r, const struct hg_session *s, size_t idx,
	  const struct hg_expand *x, const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	bool open;

	/* Shown under the entry it annotates (which the filter decides on). */
	if (e->kind == HG_ENTRY_ANNOTATION && r->notes && hg_ann_index_attached(r->notes, idx))
		return;
	if (f && f->visible && !f->visible(s, e, f->ctx)) {
		r->hidden++;
		return;
	}
	if (!hg_days_row(&r->days, &r->v, &r->n, &r->cap, (uint32_t)idx, day_of(r, e)))
		return;
	open = e->kind == HG_ENTRY_OK && e->n_attempts && hg_expand_get(x, hg_entry_line(e));
	hg_rows_add_entry(&r->v, &r->n, &r->cap, s, r->notes, idx, (uint32_t)idx, open, f);
}

static void
add_from(struct hg_rows *r, const struct hg_session *s, size_t from,
	 const struct hg_expand *x, const struct hg_row_filter *f)
{
	size_t i;

	for (i = from; i < s->n_entries && !r->days.rebuild; i++)
		add_entry(r, s, i, x, f);
	r->built = s->n_entries;
}

void
hg_rows_build(struct hg_rows *r, const struct hg_session *s,
	      const struct hg_expand *x, const struct hg_row_filter *f)
{
	r->n = 0;
	r->hidden = 0;
	r->s = s;
	r->generation = s ? s->generation : 0;
	r->built = 0;
	hg_days_start(&r->days);
	if (s)
		add_from(r, s, 0, x, f);
	hg_days_done(&r->days, r->v, &r->n);
}

bool
hg_rows_update(struct hg_rows *r, const struct hg_session *s,
	       const struct hg_expand *x, const struct hg_row_filter *f)
{
	if (r->s != s || !s || r->generation != s->generation || s->n_entries < r->built) {
		hg_rows_build(r, s, x, f);
		return true;
	}
	if (s->n_entries == r->built)
		return false;
	add_from(r, s, r->built, x, f);
	if (r->days.rebuild)	/* a second day: day rows from the top */
		hg_rows_build(r, s, x, f);
	return true;
}

bool
hg_rows_set_expanded(struct hg_rows *r, size_t i, bool on, const struct hg_row_filter *f)
{
	if (i >= r->n)
		return false;
	return hg_rows_open(&r->v, &r->n, &r->cap, i, on, r->s, r->notes, r->v[i].entry, f);
}

size_t
hg_rows_nearest(const struct hg_rows *r, size_t entry)
{
	size_t lo = 0, hi = r->n;

	/* Rows below an entry may be notes with a later index: compare the
	 * entry row they belong to. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[hg_rows_parent(r, mid)].entry < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && lo < r->n && r->v[lo].depth > 0)
		lo--;
	if (lo >= r->n)
		return r->n ? r->n - 1 : 0;
	if (r->v[lo].kind == HG_ROW_DAY && lo + 1 < r->n)
		lo++;	/* the entry under its day row */
	return lo;
}

ssize_t
hg_rows_find(const struct hg_rows *r, size_t entry, int32_t attempt)
{
	size_t i = hg_rows_nearest(r, entry), j;

	if (i >= r->n || r->v[i].entry != entry) {
		ssize_t t = r->notes && r->s && entry < r->s->n_entries ?
			hg_annotate_target(r->s, entry) : -1;

		/* A note shown under its target. */
		if (t < 0)
			return -1;
		i = hg_rows_nearest(r, (size_t)t);
		for (j = i + 1; i < r->n && r->v[i].entry == (size_t)t && j < r->n &&
		     r->v[j].depth > 0; j++)
			if (r->v[j].entry == entry && r->v[j].kind == HG_ROW_ANNOTATION)
				return (ssize_t)j;
		return -1;
	}
	if (attempt < 0)
		return (ssize_t)i;
	for (j = i + 1; j < r->n && r->v[j].depth > 0; j++)
		if (r->v[j].attempt == attempt && r->v[j].entry == entry)
			return (ssize_t)j;
	return (ssize_t)i;
}

size_t
hg_row_parent(const struct hg_row *v, size_t n, size_t i)
{
	while (i > 0 && i < n && v[i].depth > 0)
		i--;
	return i;
}

size_t
hg_rows_parent(const struct hg_rows *r, size_t i)
{
	return hg_row_parent(r->v, r->n, i);
}

bool
hg_entry_is_error(const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE)
		return true;
	if (e->kind != HG_ENTRY_OK)
		return false;
	return (hg_entry_verdict_mask(e) & (1u << HG_VERDICT_ERROR)) ||
	       strcmp(hg_entry_str(e, HG_E_FINAL_STATUS), "failed") == 0;
}

bool
hg_rows_jump_match(const struct hg_rows *r, const struct hg_session *s, size_t i,
		   enum hg_jump kind)
{
	const struct hg_row *row;
	const struct hg_entry *e;
	size_t k;

	if (!s || i >= r->n)
		return false;
	row = &r->v[i];
	if (row->depth > 0 || !hg_row_selectable(row) || row->entry >= s->n_entries)
		return false;
	e = &s->entries[row->entry];
	switch (kind) {
	case HG_JUMP_ERROR:
		if (row->kind == HG_ROW_UNPARSABLE)
			return true;
		return row->kind == HG_ROW_ENTRY && hg_entry_is_error(e);
	case HG_JUMP_ESCALATE:
		return row->kind == HG_ROW_ENTRY &&
		       (hg_entry_verdict_mask(e) & (1u << HG_VERDICT_ESCALATE));
	case HG_JUMP_NOTE:
		if (row->kind == HG_ROW_ANNOTATION)
			return true;
		for (k = i + 1; k < r->n && r->v[k].depth > 0; k++)
			if (r->v[k].kind == HG_ROW_ANNOTATION)
				return true;
		return false;
	}
	return false;
}

ssize_t
hg_rows_jump(const struct hg_rows *r, const struct hg_session *s, size_t from,
	     int dir, enum hg_jump kind, bool *wrapped)
{
	size_t start, i, step;

	*wrapped = false;
	if (!r->n)
		return -1;
	if (from >= r->n)
		from = r->n - 1;
	start = hg_rows_parent(r, from);
	/* Walk every other row once, in DIR order from START, wrapping. */
	for (step = 1; step < r->n; step++) {
		if (dir > 0)
			i = (start + step) % r->n;
		else
			i = (start + r->n - step % r->n) % r->n;
		if (r->v[i].depth > 0)
			continue;
		if (hg_rows_jump_match(r, s, i, kind)) {
			*wrapped = dir > 0 ? i < start : i > start;
			return (ssize_t)i;
		}
	}
	return -1;
}

void
hg_rows_free(struct hg_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
