/* search.c - find text in the raw lines of a session, in time slices. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/sanitize.h"
#include "hgtop/search.h"

/* Bytes read per pread: many short entries, or one long one. */
#define BLOCK (1024 * 1024)

/* Folding */

static inline unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* Lower-case ASCII letters in place, eight bytes at a time: for bytes
 * below 0x80, adding 0x3f sets the top bit from 'A' up and adding 0x25
 * from '[' up, without carries between bytes. */
static void
fold_block(char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, hi = 0x8080808080808080ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, lo7, ge_a, gt_z;

		memcpy(&x, p + i, 8);
		lo7 = x & ~hi;
		ge_a = lo7 + 0x3f * ones;
		gt_z = lo7 + 0x25 * ones;
		x |= ((ge_a & ~gt_z & ~x & hi) >> 2);
		memcpy(p + i, &x, 8);
	}
	for (; i < n; i++)
		p[i] = (char)fold((unsigned char)p[i]);
}

static bool
eq_fold(const char *hay, const char *folded, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fold((unsigned char)hay[i]) != (unsigned char)folded[i])
			return false;
	return true;
}

/* Case-insensitive search for an already folded needle, linear in hlen:
 * the next position of either case of the first byte is remembered
 * instead of being searched for again at every candidate. */
static const char *
casemem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	const char *p, *end, *nlo = NULL, *nup = NULL;
	unsigned char lo, up;

	if (nlen == 0)
		return hay;
	if (hlen < nlen)
		return NULL;
	lo = (unsigned char)needle[0];
	up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 0x20) : lo;
	end = hay + hlen - nlen + 1;
	for (p = hay; p < end; p++) {
		if (!nlo || nlo < p)
			nlo = memchr(p, lo, (size_t)(end - p));
		if (up != lo && (!nup || nup < p))
			nup = memchr(p, up, (size_t)(end - p));
		if (!nlo)
			nlo = end;
		if (!nup || up == lo)
			nup = end;
		p = nlo < nup ? nlo : nup;
		if (p >= end)
			return NULL;
		if (eq_fold(p, needle, nlen))
			return p;
	}
	return NULL;
}

static const char *
find_form(const struct hg_search_pattern *p, size_t i, const char *s, size_t n)
{
	if (p->icase)
		return casemem(s, n, p->forms[i], p->form_len[i]);
	return memmem(s, n, p->forms[i], p->form_len[i]);
}

/* Patterns */

static bool
has_upper(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

static bool
has_alpha(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fold((unsigned char)s[i]) >= 'a' && fold((unsigned char)s[i]) <= 'z')
			return true;
	return false;
}

/* Add a form unless an equal one is there; takes b's memory. */
static void
add_form(struct hg_search_pattern *p, struct hg_buf *b)
{
	size_t i;

	if (p->icase)
		fold_block(b->p, b->len);
	for (i = 0; i < p->n_forms; i++) {
		if (p->form_len[i] == b->len && memcmp(p->forms[i], b->p, b->len) == 0) {
			hg_buf_free(b);
			return;
		}
	}
	p->form_has_alpha |= has_alpha(b->p, b->len);
	p->forms[p->n_forms] = b->p;
	p->form_len[p->n_forms++] = b->len;
	memset(b, 0, sizeof(*b));
}

/* "re:EXPR": smart case as for text; REG_NEWLINE keeps a match inside
 * one line of displayed text. */
static bool
regex_init(struct hg_search_pattern *p, const char *text)
{
	const char *expr = text + 3;
	regex_t *re = xcalloc(1, sizeof(*re));
	int flags = REG_EXTENDED | REG_NEWLINE, rc;
	regmatch_t m[1] = { { 0, 0 } };

	if (!*expr) {
		snprintf(p->error, sizeof(p->error), "regular expression expected after re:");
		free(re);
		return false;
	}
	if (!has_upper(expr, strlen(expr)))
		flags |= REG_ICASE;
	rc = regcomp(re, expr, flags);
	if (rc != 0) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		snprintf(p->error, sizeof(p->error), "regular expression: %s", msg);
		free(re);
		return false;
	}
	if (regexec(re, "", 1, m, 0) == 0) {
		snprintf(p->error, sizeof(p->error),
			 "regular expression matches empty text (it would match everywhere)");
		regfree(re);
		free(re);
		return false;
	}
	p->re = re;
	p->text = xstrdup(text);
	p->len = strlen(text);
	p->icase = (flags & REG_ICASE) != 0;
	p->match_len = xcalloc(1, sizeof(*p->match_len));
	return true;
}

/* The first match of the expression in S[0, N), or NULL. */
static const char *
regex_find(const struct hg_search_pattern *p, const char *s, size_t n, size_t *len)
{
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	if (regexec(p->re, s, 1, m, REG_STARTEND) != 0)
		return NULL;
	*len = (size_t)(m[0].rm_eo - m[0].rm_so);
	return s + m[0].rm_so;
}

bool
hg_search_pattern_init(struct hg_search_pattern *p, const char *text)
{
	struct hg_buf b = { 0 };
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!text || !*text)
		return false;
	if (strncmp(text, "re:", 3) == 0)
		return regex_init(p, text);
	p->text = xstrdup(text);
	p->len = strlen(text);
	p->icase = !has_upper(text, p->len);
	hg_buf_add(&b, text, p->len);
	add_form(p, &b);
	hg_json_escape(&b, text, p->len, 0);
	add_form(p, &b);
	for (i = 0; i < p->len && (unsigned char)text[i] < 0x80; i++)
		;
	if (i < p->len) {
		hg_json_escape(&b, text, p->len, HG_JSON_ASCII);
		add_form(p, &b);
	}
	return true;
}

void
hg_search_pattern_free(struct hg_search_pattern *p)
{
	size_t i;

	for (i = 0; i < p->n_forms; i++)
		free(p->forms[i]);
	if (p->re) {
		regfree(p->re);
		free(p->re);
	}
	free(p->match_len);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

const char *
hg_search_find_text(const struct hg_search_pattern *p, const char *s, size_t n)
{
	if (p->re) {
		size_t len = 0;
		const char *m = regex_find(p, s, n, &len);

		*p->match_len = len ? len : 1;
		return m;
	}
	if (p->n_forms == 0)
		return NULL;
	return find_form(p, 0, s, n);	/* form 0 is the text as typed */
}

size_t
hg_search_match_len(const struct hg_search_pattern *p)
{
	return p->re ? *p->match_len : (p->len ? p->len : 1);
}

bool
hg_search_line(const struct hg_search_pattern *p, char *line, size_t n)
{
	size_t len, f;
	bool hit = false;

	if (p->re)
		hit = regex_find(p, line, n, &len) != NULL;
	if (p->icase && p->form_has_alpha)
		fold_block(line, n);
	for (f = 0; f < p->n_forms && !hit; f++)
		hit = memmem(line, n, p->forms[f], p->form_len[f]) != NULL;
	return hit;
}

/* Jobs */

static int64_t
entry_end(const struct hg_entry *e)
{
	return e->offset + hg_entry_length(e);
}

static int64_t
seg_bytes(const struct hg_session *s, const struct hg_search_seg *g)
{
	if (g->lo >= g->hi)
		return 0;
	return entry_end(&s->entries[g->hi - 1]) - s->entries[g->lo].offset;
}

static void
set_segments(struct hg_search *j, size_t from, size_t n)
{
	if (from >= n) {
		j->seg[0] = (struct hg_search_seg){ 0, n };
		j->seg[1] = (struct hg_search_seg){ 0, 0 };
	} else if (j->forward) {
		j->seg[0] = (struct hg_search_seg){ from + 1, n };
		j->seg[1] = (struct hg_search_seg){ 0, from + 1 };
	} else {
		j->seg[0] = (struct hg_search_seg){ 0, from };
		j->seg[1] = (struct hg_search_seg){ from, n };
	}
	j->cur_seg = 0;
	j->next = j->forward ? j->seg[0].lo : j->seg[0].hi;
}

void
hg_search_start(struct hg_search *j, const struct hg_session *s,
		const struct hg_search_pattern *p, size_t from, bool forward,
		hg_search_visible_fn visible, void *ctx)
{
	memset(j, 0, sizeof(*j));
	j->s = s;
	j->p = p;
	j->visible = visible;
	j->ctx = ctx;
	j->forward = forward;
	j->generation = s->generation;
	j->fd = -1;
	set_segments(j, from, s->n_entries);
	j->total_bytes = seg_bytes(s, &j->seg[0]) + seg_bytes(s, &j->seg[1]);
	j->status = HG_SEARCH_RUNNING;
	if (p->n_forms == 0 && !p->re)
		j->status = HG_SEARCH_NOT_FOUND;
}

void
hg_search_end(struct hg_search *j)
{
	if (j->own_fd && j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	j->own_fd = false;
	free(j->buf);
	j->buf = NULL;
	j->cap = 0;
}

static enum hg_search_status
finish(struct hg_search *j, enum hg_search_status st, int err)
{
	j->status = st;
	j->err = err;
	hg_search_end(j);
	return st;
}

/* The next block of entries [*lo, *hi), moving to the second segment when
 * the first is done. False when both are done. */
static bool
next_block(struct hg_search *j, size_t *lo, size_t *hi)
{
	const struct hg_entry *v = j->s->entries;
	struct hg_search_seg *g = &j->seg[j->cur_seg];

	while (j->forward ? j->next >= g->hi : j->next <= g->lo) {
		if (++j->cur_seg == 2)
			return false;
		g = &j->seg[j->cur_seg];
		j->next = j->forward ? g->lo : g->hi;
	}
	if (j->forward) {
		*lo = j->next;
		*hi = *lo + 1;
		while (*hi < g->hi && entry_end(&v[*hi]) - v[*lo].offset <= BLOCK)
			(*hi)++;
		j->next = *hi;
	} else {
		*hi = j->next;
		*lo = *hi - 1;
		while (*lo > g->lo && entry_end(&v[*hi - 1]) - v[*lo - 1].offset <= BLOCK)
			(*lo)--;
		j->next = *lo;
	}
	return true;
}

int
hg_search_read(struct hg_search *j, int64_t off, size_t len)
{
	size_t got = 0;

	if (j->fd < 0) {
		j->fd = j->s->spool_fd;
		if (j->fd < 0) {
			j->fd = hg_session_open(j->s);	/* not another file under the name */
			if (j->fd < 0)
				return errno;
			j->own_fd = true;
		}
	}
	if (len > j->cap) {
		free(j->buf);
		j->cap = len > BLOCK ? len : BLOCK;
		j->buf = xmalloc(j->cap);
	}
	while (got < len) {
		ssize_t r = pread(j->fd, j->buf + got, len - got, (off_t)(off + (int64_t)got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? errno : ESTALE;
		got += (size_t)r;
	}
	return 0;
}

/* The entry of [lo, hi) holding file offset pos (the last starting at or
 * before it). */
static size_t
locate(const struct hg_entry *v, size_t lo, size_t hi, int64_t pos)
{
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].offset <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Look for form F in the block: the first (forward) or last (backward)
 * counted entry it occurs in, improving on *best. */
static void
scan_form(struct hg_search *j, size_t f, size_t lo, size_t hi, size_t len, ssize_t *best)
{
	const struct hg_entry *v = j->s->entries;
	const char *needle = j->p->forms[f];
	size_t nl = j->p->form_len[f], at = 0;
	int64_t base = v[lo].offset;

	if (j->forward && *best >= 0)
		len = (size_t)(entry_end(&v[*best]) - base);
	while (at + nl <= len) {
		const char *q = memmem(j->buf + at, len - at, needle, nl);
		int64_t pos;
		size_t k;

		if (!q)
			return;
		pos = base + (q - j->buf);
		k = locate(v, lo, hi, pos);
		if (pos + (int64_t)nl > entry_end(&v[k])) {
			at = (size_t)(q - j->buf) + 1;	/* between lines */
			continue;
		}
		if (!j->visible || j->visible(j->s, k, j->ctx)) {
			if (j->forward) {
				if (*best < 0 || (ssize_t)k < *best)
					*best = (ssize_t)k;
				return;
			}
			if ((ssize_t)k > *best)
				*best = (ssize_t)k;
		}
		at = (size_t)(entry_end(&v[k]) - base);
	}
}

/* A regular expression: each counted entry's line of the block in turn
 * (forward: from the first; backward: from the last). */
static void
scan_regex(struct hg_search *j, size_t lo, size_t hi, ssize_t *best)
{
	const struct hg_entry *v = j->s->entries;
	int64_t base = v[lo].offset;
	size_t mlen;

	for (size_t i = 0; i < hi - lo; i++) {
		size_t k = j->forward ? lo + i : hi - 1 - i;

		if (j->visible && !j->visible(j->s, k, j->ctx))
			continue;
		if (regex_find(j->p, j->buf + (v[k].offset - base), (size_t)hg_entry_length(&v[k]),
			       &mlen)) {
			*best = (ssize_t)k;
			return;
		}
	}
}

static enum hg_search_status
search_block(struct hg_search *j)
{
	const struct hg_entry *v = j->s->entries;
	size_t lo, hi, len, f;
	ssize_t best = -1;
	int err;

	if (!next_block(j, &lo, &hi))
		return finish(j, HG_SEARCH_NOT_FOUND, 0);
	len = (size_t)(entry_end(&v[hi - 1]) - v[lo].offset);
	err = hg_search_read(j, v[lo].offset, len);
	if (err)
		return finish(j, HG_SEARCH_ERROR, err);
	if (j->p->re)
		scan_regex(j, lo, hi, &best);
	if (j->p->icase && j->p->form_has_alpha)
		fold_block(j->buf, len);
	for (f = 0; f < j->p->n_forms; f++)
		scan_form(j, f, lo, hi, len, &best);
	j->bytes += (int64_t)len;
	if (best < 0) {
		j->scanned += hi - lo;
		return HG_SEARCH_RUNNING;
	}
	j->scanned += j->forward ? (size_t)best - lo + 1 : hi - (size_t)best;
	j->found = (size_t)best;
	j->wrapped = j->cur_seg == 1;
	return finish(j, HG_SEARCH_FOUND, 0);
}

enum hg_search_status
hg_search_step(struct hg_search *j, int64_t budget_ns)
{
	int64_t end = hg_now_mono_ns() + budget_ns;

	if (j->status != HG_SEARCH_RUNNING)
		return j->status;
	do {
		if (j->s->generation != j->generation)
			return finish(j, HG_SEARCH_ERROR, ESTALE);
		if (search_block(j) != HG_SEARCH_RUNNING)
			return j->status;
	} while (hg_now_mono_ns() < end);
	return HG_SEARCH_RUNNING;
}

int
hg_search_percent(const struct hg_search *j)
{
	if (j->status != HG_SEARCH_RUNNING)
		return 100;
	if (j->total_bytes <= 0)
		return 0;
	return (int)(j->bytes * 100 / j->total_bytes);
}
