/* timeline.c - the merged index of all sessions' entries, and its rows
 * (no ncurses). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/annotate.h"
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

/* The row of the reference at REF without a look at its entry (nothing
 * is asked of it: no filter, nothing expanded, no notes). */
static void
plain_row(struct hg_tl_rows *r, const struct hg_tl_ref *x, size_t ref)
{
	struct hg_row *row;

	hg_rows_grow(&r->v, r->n, &r->cap, 1);
	row = &r->v[r->n++];
	row->ref = (uint32_t)ref;
	row->attempt = -1;
	row->depth = 0;
	row->kind = (uint8_t)x->kind;
	row->flags = x->parent ? HG_ROW_PARENT : 0;
}

/* A day row before the reference at REF when its day is a new one (a
 * time after 2262 is read from its entry). */
static bool
day_row(struct hg_tl_rows *r, const struct hg_timeline *t, const struct hg_tl_ref *x,
	size_t ref)
{
	int64_t sec = x->ts / 1000000000 - (x->ts < 0 && x->ts % 1000000000);
	int32_t day = 0;

	if (x->ts == INT64_MAX)
		sec = hg_entry_sec(hg_timeline_entry(t, x));
	if (x->ts != INT64_MIN)
		day = hg_days_of(&r->days, sec);
	return hg_days_row(&r->days, &r->v, &r->n, &r->cap, (uint32_t)ref, day);
}

static const struct hg_ann_index *
notes_of(const struct hg_session *s, const struct hg_tl_hooks *h)
{
	return h && h->notes ? h->notes(s, h->ctx) : NULL;
}

static void
add_ref(struct hg_tl_rows *r, const struct hg_timeline *t, size_t ref,
	const struct hg_tl_hooks *h)
{
	const struct hg_tl_ref *x = &t->v[ref];
	const struct hg_ann_index *notes;
	struct hg_row_filter f;
	struct hg_session *s;
	const struct hg_entry *e;
	bool open;

	if (!h || (!h->visible && !h->expanded && !h->highlight && !h->notes)) {
		if (day_row(r, t, x, ref))
			plain_row(r, x, ref);
		return;
	}
	s = hg_timeline_session(t, x);
	e = hg_timeline_entry(t, x);
	notes = notes_of(s, h);
	/* Shown under the entry it annotates (which the filter decides on). */
	if (x->kind == HG_ROW_ANNOTATION && notes && hg_ann_index_attached(notes, x->entry))
		return;
	if (h->visible && !h->visible(s, e, h->ctx)) {
		r->hidden++;
		return;
	}
	if (!day_row(r, t, x, ref))
		return;
	open = e->kind == HG_ENTRY_OK && e->n_attempts && h->expanded &&
	       h->expanded(s, e, h->ctx);
	f.visible = h->visible;
	f.highlight = h->highlight;
	f.ctx = h->ctx;
	hg_rows_add_entry(&r->v, &r->n, &r->cap, s, notes, x->entry, (uint32_t)ref, open, &f);
}

static void
add_from(struct hg_tl_rows *r, const struct hg_timeline *t, size_t from,
	 const struct hg_tl_hooks *h)
{
	size_t i;

	for (i = from; i < t->n && !r->days.rebuild; i++)
		add_ref(r, t, i, h);
	r->built = t->n;
}

void
hg_tl_rows_build(struct hg_tl_rows *r, const struct hg_timeline *t,
		 const struct hg_tl_hooks *h)
{
	r->n = 0;
	r->hidden = 0;
	r->serial = t->serial;
	hg_days_start(&r->days);
	hg_rows_grow(&r->v, 0, &r->cap, t->n);	/* one row an entry at least, unfiltered */
	add_from(r, t, 0, h);
	hg_days_done(&r->days, r->v, &r->n);
}

bool
hg_tl_rows_update(struct hg_tl_rows *r, const struct hg_timeline *t,
		  const struct hg_tl_hooks *h)
{
	if (r->serial != t->serial || t->n < r->built) {
		hg_tl_rows_build(r, t, h);
		return true;
	}
	if (t->n == r->built)
		return false;
	add_from(r, t, r->built, h);
	if (r->days.rebuild)	/* a second day: day rows from the top */
		hg_tl_rows_build(r, t, h);
	return true;
}

size_t
hg_tl_rows_parent(const struct hg_tl_rows *r, size_t i)
{
	return hg_row_parent(r->v, r->n, i);
}

bool
hg_tl_rows_set_expanded(struct hg_tl_rows *r, const struct hg_timeline *t, size_t i,
			bool on, const struct hg_tl_hooks *h)
{
	const struct hg_tl_ref *x;
	struct hg_row_filter f = { NULL, NULL, NULL };
	struct hg_session *s;

	if (i >= r->n || r->v[i].depth > 0 || !(r->v[i].flags & HG_ROW_PARENT))
		return false;
	x = &t->v[r->v[i].ref];
	s = hg_timeline_session(t, x);
	if (h) {
		f.highlight = h->highlight;
		f.ctx = h->ctx;
	}
	return hg_rows_open(&r->v, &r->n, &r->cap, i, on, s, notes_of(s, h), x->entry, &f);
}

ssize_t
hg_tl_rows_find(const struct hg_tl_rows *r, size_t ref, int32_t attempt, bool nearest)
{
	size_t lo = 0, hi = r->n, j;

	/* Notes under an entry hold their own index: compare the entry row
	 * they belong to. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[hg_tl_rows_parent(r, mid)].ref < ref)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= r->n)
		return nearest && r->n ? (ssize_t)(r->n - 1) : -1;
	if (r->v[lo].kind == HG_ROW_DAY && lo + 1 < r->n)
		lo++;	/* the entry under its day row */
	if (r->v[lo].ref != ref)
		return nearest ? (ssize_t)lo : -1;
	if (attempt < 0)
		return (ssize_t)lo;
	for (j = lo + 1; j < r->n && r->v[j].depth > 0; j++)
		if (r->v[j].kind == HG_ROW_ATTEMPT && r->v[j].attempt == attempt)
			return (ssize_t)j;
	return (ssize_t)lo;
}

ssize_t
hg_tl_rows_find_entry(const struct hg_tl_rows *r, const struct hg_timeline *t, uint32_t no,
		      size_t entry, int32_t attempt, bool nearest)
{
	ssize_t at = hg_timeline_find(t, no, entry), target, i;
	size_t j;

	if (at < 0)
		return -1;
	i = hg_tl_rows_find(r, (size_t)at, attempt, false);
	if (i >= 0)
		return i;
	/* A note shown under the entry it annotates. */
	target = hg_annotate_target(t->sess[no].s, entry);
	if (target >= 0 && (at = hg_timeline_find(t, no, (size_t)target)) >= 0 &&
	    (i = hg_tl_rows_find(r, (size_t)at, -1, false)) >= 0)
		for (j = (size_t)i + 1; j < r->n && r->v[j].depth > 0; j++)
			if (r->v[j].kind == HG_ROW_ANNOTATION && r->v[j].entry == entry)
				return (ssize_t)j;
	return nearest ? hg_tl_rows_find(r, (size_t)hg_timeline_find(t, no, entry), attempt,
					 true) : -1;
}

void
hg_tl_rows_free(struct hg_tl_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Search */

#define TL_READ (256 * 1024)	/* bytes read at once around a line */

void
hg_tl_search_start(struct hg_tl_search *j, const struct hg_timeline *t,
		   const struct hg_search_pattern *p, size_t from, bool forward,
		   hg_search_visible_fn visible, void *ctx)
{
	*j = (struct hg_tl_search){
		.t = t, .p = p, .visible = visible, .ctx = ctx, .forward = forward,
		.serial = t->serial, .n = t->n, .from = from < t->n ? from : SIZE_MAX,
		.status = t->n && (p->n_forms || p->re) ? HG_SEARCH_RUNNING : HG_SEARCH_NOT_FOUND,
	};
	j->rd.fd = -1;
}

void
hg_tl_search_end(struct hg_tl_search *j)
{
	hg_search_end(&j->rd);
	j->rd.s = NULL;
	j->rd_len = 0;
}

/* Does the line of reference R hold the text? Its session's file stays
 * open while the references that follow are of the same session. */
static bool
ref_matches(struct hg_tl_search *j, const struct hg_tl_ref *r, int *err)
{
	const struct hg_session *s = hg_timeline_session(j->t, r);
	const struct hg_entry *e = hg_timeline_entry(j->t, r);

	const struct hg_entry *last = &s->entries[s->n_entries - 1];
	int64_t lo = e->offset, hi = e->offset + hg_entry_length(e), a, b;

	*err = 0;
	if (hg_entry_length(e) <= 0)
		return false;
	if (j->rd.s != s) {
		if (j->rd.own_fd && j->rd.fd >= 0)
			close(j->rd.fd);
		j->rd.fd = -1;
		j->rd.own_fd = false;
		j->rd.s = s;
		j->rd_len = 0;
	}
	/* One read for the lines around it, which come next in one session. */
	if (!j->rd_len || lo < j->rd_off || hi > j->rd_off + (int64_t)j->rd_len) {
		a = j->forward ? lo : hi - TL_READ < 0 ? 0 : hi - TL_READ;
		b = j->forward ? lo + TL_READ : hi;
		if (a > lo)
			a = lo;
		if (b > last->offset + hg_entry_length(last))
			b = last->offset + hg_entry_length(last);
		if (b < hi)
			b = hi;
		*err = hg_search_read(&j->rd, a, (size_t)(b - a));
		j->rd_off = a;
		j->rd_len = *err ? 0 : (size_t)(b - a);
		if (*err)
			return false;
	}
	return hg_search_line(j->p, j->rd.buf + (lo - j->rd_off), (size_t)hg_entry_length(e));
}

enum hg_search_status
hg_tl_search_step(struct hg_tl_search *j, int64_t budget_ns)
{
	int64_t end = hg_now_mono_ns() + budget_ns;
	const struct hg_tl_ref *r;
	size_t pos;
	int err;

	if (j->status != HG_SEARCH_RUNNING)
		return j->status;
	if (j->t->serial != j->serial || j->t->n < j->n) {
		j->err = ESTALE;
		hg_tl_search_end(j);
		return j->status = HG_SEARCH_ERROR;
	}
	do {
		if (j->done == j->n) {
			hg_tl_search_end(j);
			return j->status = HG_SEARCH_NOT_FOUND;
		}
		j->done++;
		if (j->from == SIZE_MAX)
			pos = j->forward ? j->done - 1 : j->n - j->done;
		else
			pos = j->forward ? (j->from + j->done) % j->n :
					   (j->from + j->n - j->done % j->n) % j->n;
		r = &j->t->v[pos];
		if (j->visible && !j->visible(hg_timeline_session(j->t, r), r->entry, j->ctx))
			continue;
		if (ref_matches(j, r, &err)) {
			j->found = pos;
			j->wrapped = j->from != SIZE_MAX && (j->forward ? pos <= j->from : pos >= j->from);
			hg_tl_search_end(j);
			return j->status = HG_SEARCH_FOUND;
		}
		if (err) {
			j->err = err;
			hg_tl_search_end(j);
			return j->status = HG_SEARCH_ERROR;
		}
	} while ((j->done & 63) || hg_now_mono_ns() < end);
	return HG_SEARCH_RUNNING;
}

int
hg_tl_search_percent(const struct hg_tl_search *j)
{
	if (j->status != HG_SEARCH_RUNNING || !j->n)
		return 100;
	return (int)(j->done * 100 / j->n);
}
