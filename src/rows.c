/* rows.c - flatten a session's entries into tree rows (no ncurses). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

/* Row building: the one place that decides which rows an entry gets. */

static void
rows_reserve(struct hg_rows *r, size_t extra)
{
	if (r->n + extra <= r->cap)
		return;
	r->cap = r->cap ? r->cap : 256;
	while (r->cap < r->n + extra)
		r->cap *= 2;
	r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
}

static enum hg_row_kind
entry_kind(const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE)
		return HG_ROW_UNPARSABLE;
	if (e->kind == HG_ENTRY_ANNOTATION)
		return HG_ROW_ANNOTATION;
	return HG_ROW_ENTRY;
}

/* Fill OUT with the attempt rows of entry IDX; returns how many. */
static size_t
attempt_rows(struct hg_row *out, const struct hg_session *s, size_t idx,
	     const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	uint32_t a;

	for (a = 0; a < e->n_attempts; a++) {
		struct hg_row *row = &out[a];

		row->entry = (uint32_t)idx;
		row->attempt = (int32_t)a;
		row->kind = HG_ROW_ATTEMPT;
		row->depth = 1;
		row->flags = a + 1 == e->n_attempts ? HG_ROW_LAST : 0;
		if (f && f->highlight && f->highlight(s, e, a, f->ctx))
			row->flags |= HG_ROW_MATCH;
	}
	return e->n_attempts;
}

static void
add_entry(struct hg_rows *r, const struct hg_session *s, size_t idx,
	  const struct hg_expand *x, const struct hg_row_filter *f)
{
	const struct hg_entry *e = &s->entries[idx];
	struct hg_row *row;
	bool open;

	if (f && f->visible && !f->visible(s, e, f->ctx)) {
		r->hidden++;
		return;
	}
	rows_reserve(r, 1 + e->n_attempts);
	row = &r->v[r->n++];
	row->entry = (uint32_t)idx;
	row->attempt = -1;
	row->kind = (uint8_t)entry_kind(e);
	row->depth = 0;
	row->flags = 0;
	if (row->kind != HG_ROW_ENTRY || e->n_attempts == 0)
		return;
	row->flags |= HG_ROW_PARENT;
	open = hg_expand_get(x, e->line_no);
	if (f && f->highlight && !open) {
		uint32_t a;

		for (a = 0; a < e->n_attempts; a++)
			if (f->highlight(s, e, a, f->ctx))
				row->flags |= HG_ROW_MATCH;
	}
	if (!open)
		return;
	row->flags |= HG_ROW_EXPANDED;
	r->n += attempt_rows(&r->v[r->n], s, idx, f);
}

static void
add_from(struct hg_rows *r, const struct hg_session *s, size_t from,
	 const struct hg_expand *x, const struct hg_row_filter *f)
{
	size_t i;

	for (i = from; i < s->n_entries; i++)
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
	if (s)
		add_from(r, s, 0, x, f);
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
	return true;
}

bool
hg_rows_set_expanded(struct hg_rows *r, size_t i, bool on, const struct hg_row_filter *f)
{
	struct hg_row *row;
	size_t k;

	if (i >= r->n || !(r->v[i].flags & HG_ROW_PARENT))
		return false;
	row = &r->v[i];
	if (!!(row->flags & HG_ROW_EXPANDED) == on)
		return false;
	k = r->s->entries[row->entry].n_attempts;
	if (on) {
		rows_reserve(r, k);
		row = &r->v[i];
		memmove(&r->v[i + 1 + k], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
		attempt_rows(&r->v[i + 1], r->s, row->entry, f);
		r->n += k;
		row->flags = (uint8_t)((row->flags | HG_ROW_EXPANDED) & ~HG_ROW_MATCH);
	} else {
		size_t a;

		row->flags &= (uint8_t)~HG_ROW_EXPANDED;
		for (a = 0; a < k; a++)
			if (r->v[i + 1 + a].flags & HG_ROW_MATCH)
				row->flags |= HG_ROW_MATCH;
		memmove(&r->v[i + 1], &r->v[i + 1 + k], (r->n - i - 1 - k) * sizeof(*r->v));
		r->n -= k;
	}
	return true;
}

size_t
hg_rows_nearest(const struct hg_rows *r, size_t entry)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].entry < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && lo < r->n && r->v[lo].attempt >= 0)
		lo--;
	if (lo >= r->n)
		return r->n ? r->n - 1 : 0;
	return lo;
}

ssize_t
hg_rows_find(const struct hg_rows *r, size_t entry, int32_t attempt)
{
	size_t i = hg_rows_nearest(r, entry), j;

	if (i >= r->n || r->v[i].entry != entry) {
		/* Rows out of file order (placed elsewhere): look everywhere. */
		for (i = 0; i < r->n; i++)
			if (r->v[i].entry == entry && r->v[i].attempt < 0)
				break;
		if (i == r->n)
			return -1;
	}
	if (attempt < 0)
		return (ssize_t)i;
	for (j = i + 1; j < r->n && r->v[j].attempt >= 0 && r->v[j].entry == entry; j++)
		if (r->v[j].attempt == attempt)
			return (ssize_t)j;
	return (ssize_t)i;
}

size_t
hg_rows_parent(const struct hg_rows *r, size_t i)
{
	while (i > 0 && i < r->n && r->v[i].attempt >= 0)
		i--;
	return i;
}

void
hg_rows_free(struct hg_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
