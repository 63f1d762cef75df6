/* timeline.c - the merged index of all sessions' entries, and its rows
 * (no ncurses). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hgtop/rows.h"
#include "hgtop/timeline.h"
#include "hgtop/util.h"

void
hg_timeline_init(struct hg_timeline *t)
{
	memset(t, 0, sizeof(*t));
}

void
hg_timeline_free(struct hg_timeline *t)
{
	free(t->v);
	free(t->sess);
	free(t->dirty);
	memset(t, 0, sizeof(*t));
}

uint32_t
hg_timeline_add(struct hg_timeline *t, struct hg_session *s)
{
	struct hg_tl_sess *ts;

	if (t->n_sess == t->cap_sess) {
		t->cap_sess = t->cap_sess ? t->cap_sess * 2 : 64;
		t->sess = xrealloc(t->sess, t->cap_sess * sizeof(*t->sess));
	}
	ts = &t->sess[t->n_sess];
	memset(ts, 0, sizeof(*ts));
	ts->s = s;
	ts->generation = s->generation;
	t->n_sess++;
	hg_timeline_touch(t, (uint32_t)(t->n_sess - 1));
	return (uint32_t)(t->n_sess - 1);
}

void
hg_timeline_touch(struct hg_timeline *t, uint32_t no)
{
	if (no >= t->n_sess || t->sess[no].dirty)
		return;
	t->sess[no].dirty = true;
	if (t->n_dirty == t->cap_dirty) {
		t->cap_dirty = t->cap_dirty ? t->cap_dirty * 2 : 64;
		t->dirty = xrealloc(t->dirty, t->cap_dirty * sizeof(*t->dirty));
	}
	t->dirty[t->n_dirty++] = no;
}

/* The order: time, session name, place in the file. */
static int
cmp_ref(const struct hg_timeline *t, const struct hg_tl_ref *x, const struct hg_tl_ref *y)
{
	int c;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->sess != y->sess) {
		c = strcmp(t->sess[x->sess].s->id, t->sess[y->sess].s->id);
		if (c)
			return c;
		return x->sess < y->sess ? -1 : 1;
	}
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static const struct hg_timeline *sort_t;	/* for qsort */

static int
cmp_sort(const void *a, const void *b)
{
	return cmp_ref(sort_t, a, b);
}

static int64_t
key_of(const struct hg_entry *e)
{
	if (e->kind == HG_ENTRY_UNPARSABLE || e->ts_zero)
		return INT64_MIN;
	return e->ts_ns;
}

static void
reserve(struct hg_tl_ref **v, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	*cap = *cap ? *cap : 1024;
	while (*cap < need)
		*cap *= 2;
	*v = xrealloc(*v, *cap * sizeof(**v));
}

/* Drop the references of the sessions whose DROP flag is set. */
static void
drop(struct hg_timeline *t, const bool *gone)
{
	size_t i, k = 0;

	for (i = 0; i < t->n; i++)
		if (!gone[t->v[i].sess])
			t->v[k++] = t->v[i];
	t->last_dropped += t->n - k;
	t->n = k;
}

/* The first position whose reference is after R. */
static size_t
upper(const struct hg_timeline *t, const struct hg_tl_ref *r, size_t hi)
{
	size_t lo = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_ref(t, &t->v[mid], r) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Put the sorted batch B (K references) into the index. */
static void
merge(struct hg_timeline *t, const struct hg_tl_ref *b, size_t k)
{
	size_t i, j, o, n = t->n;

	reserve(&t->v, &t->cap, n + k);
	if (n == 0 || cmp_ref(t, &t->v[n - 1], &b[0]) <= 0) {
		memcpy(&t->v[n], b, k * sizeof(*b));	/* the usual: newest */
		t->n += k;
		return;
	}
	t->serial++;
	t->last_merged += k;
	if (k <= 16) {
		for (j = 0; j < k; j++) {
			size_t at = upper(t, &b[j], t->n);

			memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof(*t->v));
			t->v[at] = b[j];
			t->n++;
		}
		return;
	}
	/* One merge from the back, in place. */
	i = n;
	j = k;
	o = n + k;
	while (j > 0) {
		if (i > 0 && cmp_ref(t, &t->v[i - 1], &b[j - 1]) > 0)
			t->v[--o] = t->v[--i];
		else
			t->v[--o] = b[--j];
	}
	t->n = n + k;
}

bool
hg_timeline_sync(struct hg_timeline *t)
{
	struct hg_tl_ref *b = NULL;
	size_t nb = 0, cb = 0, d, i;
	bool *gone = NULL, sorted = true;

	t->last_added = t->last_merged = t->last_dropped = 0;
	if (!t->n_dirty)
		return false;
	/* Sessions re-read: their references go, and are taken again. */
	for (d = 0; d < t->n_dirty; d++) {
		struct hg_tl_sess *ts = &t->sess[t->dirty[d]];

		if (ts->generation != ts->s->generation || ts->s->n_entries < ts->done) {
			if (!gone)
				gone = xcalloc(t->n_sess, sizeof(*gone));
			gone[t->dirty[d]] = ts->done > 0;
			ts->generation = ts->s->generation;
			ts->done = 0;
		}
	}
	if (gone) {
		drop(t, gone);
		if (t->last_dropped)
			t->serial++;
		free(gone);
	}
	for (d = 0; d < t->n_dirty; d++) {
		uint32_t no = t->dirty[d];
		struct hg_tl_sess *ts = &t->sess[no];
		const struct hg_session *s = ts->s;

		ts->dirty = false;
		if (s->n_entries <= ts->done)
			continue;
		reserve(&b, &cb, nb + (s->n_entries - ts->done));
		for (i = ts->done; i < s->n_entries; i++) {
			struct hg_tl_ref *r = &b[nb++];

			const struct hg_entry *e = &s->entries[i];

			r->ts = key_of(e);
			r->sess = no & 0xffffffu;
			r->kind = e->kind == HG_ENTRY_UNPARSABLE ? HG_ROW_UNPARSABLE :
				  e->kind == HG_ENTRY_ANNOTATION ? HG_ROW_ANNOTATION : HG_ROW_ENTRY;
			r->parent = e->kind == HG_ENTRY_OK && e->n_attempts > 0;
			r->entry = (uint32_t)i;
			if (sorted && nb > 1 && cmp_ref(t, &b[nb - 2], r) > 0)
				sorted = false;
		}
		ts->done = s->n_entries;
	}
	t->n_dirty = 0;
	if (nb) {
		if (!sorted) {
			sort_t = t;
			qsort(b, nb, sizeof(*b), cmp_sort);
		}
		merge(t, b, nb);
		t->last_added = nb;
	}
	free(b);
	return nb > 0 || t->last_dropped > 0;
}

ssize_t
hg_timeline_find(const struct hg_timeline *t, uint32_t no, size_t entry)
{
	struct hg_tl_ref r;
	size_t at;

	if (no >= t->n_sess || entry >= t->sess[no].done)
		return -1;
	r.ts = key_of(&t->sess[no].s->entries[entry]);
	r.sess = no & 0xffffffu;
	r.entry = (uint32_t)entry;
	at = upper(t, &r, t->n);
	if (at > 0 && t->v[at - 1].sess == no && t->v[at - 1].entry == entry)
		return (ssize_t)(at - 1);
	return -1;
}

/* Rows */

static void
rows_reserve(struct hg_tl_rows *r, size_t extra)
{
	if (r->n + extra <= r->cap)
		return;
	r->cap = r->cap ? r->cap : 256;
	while (r->cap < r->n + extra)
		r->cap *= 2;
	r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
}

static bool
any_highlight(struct hg_session *s, const struct hg_entry *e, const struct hg_tl_hooks *h)
{
	uint32_t a;

	for (a = 0; h && h->highlight && a < e->n_attempts; a++)
		if (h->highlight(s, e, a, h->ctx))
			return true;
	return false;
}

/* The attempt rows of the entry at REF into OUT (room for them). */
static size_t
attempt_rows(struct hg_tl_row *out, struct hg_session *s, const struct hg_entry *e,
	     size_t ref, const struct hg_tl_hooks *h)
{
	uint32_t a;

	for (a = 0; a < e->n_attempts; a++) {
		struct hg_tl_row *row = &out[a];

		row->ref = (uint32_t)ref;
		row->attempt = (int32_t)a;
		row->kind = HG_ROW_ATTEMPT;
		row->depth = 1;
		row->flags = a + 1 == e->n_attempts ? HG_ROW_LAST : 0;
		if (h && h->highlight && h->highlight(s, e, a, h->ctx))
			row->flags |= HG_ROW_MATCH;
	}
	return e->n_attempts;
}

static void
add_ref(struct hg_tl_rows *r, const struct hg_timeline *t, size_t ref,
	const struct hg_tl_hooks *h)
{
	const struct hg_tl_ref *x = &t->v[ref];
	struct hg_session *s;
	const struct hg_entry *e;
	struct hg_tl_row *row;
	bool open;

	if (!h || (!h->visible && !h->expanded && !h->highlight)) {
		/* Nothing to ask of the entry: the reference says it all. */
		rows_reserve(r, 1);
		row = &r->v[r->n++];
		row->ref = (uint32_t)ref;
		row->attempt = -1;
		row->depth = 0;
		row->kind = (uint8_t)x->kind;
		row->flags = x->parent ? HG_ROW_PARENT : 0;
		return;
	}
	s = hg_timeline_session(t, x);
	e = hg_timeline_entry(t, x);
	if (h && h->visible && !h->visible(s, e, h->ctx)) {
		r->hidden++;
		return;
	}
	open = e->kind == HG_ENTRY_OK && e->n_attempts && h && h->expanded &&
	       h->expanded(s, e, h->ctx);
	rows_reserve(r, 1 + (open ? e->n_attempts : 0));
	row = &r->v[r->n++];
	row->ref = (uint32_t)ref;
	row->attempt = -1;
	row->depth = 0;
	row->flags = 0;
	row->kind = e->kind == HG_ENTRY_UNPARSABLE ? HG_ROW_UNPARSABLE :
		    e->kind == HG_ENTRY_ANNOTATION ? HG_ROW_ANNOTATION : HG_ROW_ENTRY;
	if (row->kind != HG_ROW_ENTRY)
		return;
	if (e->n_attempts)
		row->flags |= HG_ROW_PARENT;
	if (open) {
		row->flags |= HG_ROW_EXPANDED;
		r->n += attempt_rows(&r->v[r->n], s, e, ref, h);
	} else if (any_highlight(s, e, h)) {
		row->flags |= HG_ROW_MATCH;
	}
}

void
hg_tl_rows_build(struct hg_tl_rows *r, const struct hg_timeline *t,
		 const struct hg_tl_hooks *h)
{
	size_t i;

	r->n = 0;
	r->hidden = 0;
	r->serial = t->serial;
	rows_reserve(r, t->n);	/* one row an entry at least, unfiltered */
	for (i = 0; i < t->n; i++)
		add_ref(r, t, i, h);
	r->built = t->n;
}

bool
hg_tl_rows_update(struct hg_tl_rows *r, const struct hg_timeline *t,
		  const struct hg_tl_hooks *h)
{
	size_t i;

	if (r->serial != t->serial || t->n < r->built) {
		hg_tl_rows_build(r, t, h);
		return true;
	}
	if (t->n == r->built)
		return false;
	for (i = r->built; i < t->n; i++)
		add_ref(r, t, i, h);
	r->built = t->n;
	return true;
}

size_t
hg_tl_rows_parent(const struct hg_tl_rows *r, size_t i)
{
	while (i > 0 && i < r->n && r->v[i].depth > 0)
		i--;
	return i;
}

bool
hg_tl_rows_set_expanded(struct hg_tl_rows *r, const struct hg_timeline *t, size_t i,
			bool on, const struct hg_tl_hooks *h)
{
	struct hg_tl_row *row;
	struct hg_session *s;
	const struct hg_entry *e;
	size_t old = 0, k;

	if (i >= r->n || !(r->v[i].flags & HG_ROW_PARENT))
		return false;
	row = &r->v[i];
	if (!!(row->flags & HG_ROW_EXPANDED) == on)
		return false;
	s = hg_timeline_session(t, &t->v[row->ref]);
	e = hg_timeline_entry(t, &t->v[row->ref]);
	while (i + 1 + old < r->n && r->v[i + 1 + old].depth > 0)
		old++;
	k = on ? e->n_attempts : 0;
	rows_reserve(r, k);
	row = &r->v[i];
	memmove(&r->v[i + 1 + k], &r->v[i + 1 + old], (r->n - i - 1 - old) * sizeof(*r->v));
	r->n = r->n - old + (on ? attempt_rows(&r->v[i + 1], s, e, row->ref, h) : 0);
	row->flags = (uint8_t)(row->flags & ~(HG_ROW_EXPANDED | HG_ROW_MATCH));
	if (on)
		row->flags |= HG_ROW_EXPANDED;
	else if (any_highlight(s, e, h))
		row->flags |= HG_ROW_MATCH;
	return true;
}

ssize_t
hg_tl_rows_find(const struct hg_tl_rows *r, size_t ref, int32_t attempt, bool nearest)
{
	size_t lo = 0, hi = r->n, j;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].ref < ref)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= r->n)
		return nearest && r->n ? (ssize_t)(r->n - 1) : -1;
	if (r->v[lo].ref != ref)
		return nearest ? (ssize_t)lo : -1;
	if (attempt < 0)
		return (ssize_t)lo;
	for (j = lo + 1; j < r->n && r->v[j].ref == ref; j++)
		if (r->v[j].attempt == attempt)
			return (ssize_t)j;
	return (ssize_t)lo;
}

void
hg_tl_rows_free(struct hg_tl_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
