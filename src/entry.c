/* entry.c - tier/verdict names and small entry helpers. */
#include "config.h"

#include "hgtop/entry.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/intern.h"
#include "hgtop/util.h"

static const char *const tier_names[] = { "", "local", "subagent", "managed", "" };
static const char *const verdict_names[] = { "", "accept", "escalate", "error", "" };

const char *
hg_tier_name(enum hg_tier t)
{
	return (unsigned)t < 5 ? tier_names[t] : "";
}

const char *
hg_verdict_name(enum hg_verdict v)
{
	return (unsigned)v < 5 ? verdict_names[v] : "";
}

static int
name_index(const char *const *names, const char *s, size_t n)
{
	int i;

	if (n == 0)
		return 0;
	for (i = 1; i < 4; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return i;
	return 4;
}

enum hg_tier
hg_tier_from(const char *s, size_t n)
{
	return (enum hg_tier)name_index(tier_names, s, n);
}

enum hg_verdict
hg_verdict_from(const char *s, size_t n)
{
	return (enum hg_verdict)name_index(verdict_names, s, n);
}

const char *
hg_attempt_tier(const struct hg_attempt *a)
{
	hg_sym odd = a->tier == HG_TIER_OTHER ? hg_attempt_odd(a) : 0;

	return odd ? hg_sym_str(hg_rec_of(odd)[0]) : hg_tier_name(a->tier);
}

const char *
hg_attempt_verdict(const struct hg_attempt *a)
{
	hg_sym odd = a->verdict == HG_VERDICT_OTHER ? hg_attempt_odd(a) : 0;

	return odd ? hg_sym_str(hg_rec_of(odd)[1]) : hg_verdict_name(a->verdict);
}

const char *
hg_attempt_feedback(const struct hg_entry *e, uint32_t i)
{
	const char *p = hg_feedback_first(e);

	if (i >= e->n_attempts || !e->attempts[i].feedback_kept)
		return NULL;
	for (uint32_t j = 0; j < i; j++)
		hg_feedback_next(&e->attempts[j], &p);
	return p;
}

void
hg_entry_set_feedback(struct hg_entry *e, const char *const *texts)
{
	size_t head = e->n_attempts * sizeof(*e->attempts), bytes = head;
	struct hg_attempt *v;
	char *p;
	uint32_t i;

	for (i = 0; i < e->n_attempts; i++)
		bytes += texts[i] ? strlen(texts[i]) + 1 : 0;
	v = xmalloc(bytes ? bytes : 1);
	memcpy(v, e->attempts, head);
	p = (char *)v + head;
	for (i = 0; i < e->n_attempts; i++) {
		v[i].feedback_kept = texts[i] != NULL;
		if (!texts[i])
			continue;
		size_t n = strlen(texts[i]);

		hg_attempt_set_feedback_len(&v[i], i, (uint32_t)n);
		memcpy(p, texts[i], n + 1);
		p += n + 1;
	}
	e->attempts = v;
	e->packed = true;
	e->pooled = false;
}

int64_t
hg_attempt_wide(const struct hg_attempt *a, unsigned which)
{
	long long v[3] = { 0, 0, 0 };

	sscanf(hg_sym_str(a->wide_sym), "%lld %lld %lld", &v[0], &v[1], &v[2]);
	return v[which < 3 ? which : 0];
}

static void
set_numbers(struct hg_attempt *a, uint32_t i, int64_t no, int64_t ms, uint32_t fb)
{
	char buf[72];
	int n;

	if ((no == 0 || no == (int64_t)i + 1) && ms >= INT32_MIN && ms <= INT32_MAX &&
	    fb < (1u << 23)) {
		a->wide = false;
		a->seq = no != 0;
		a->ms32 = (int32_t)ms;
		a->feedback_len23 = fb;
		return;
	}
	/* Rare (a log may hold any int64): all three as one interned text. */
	n = snprintf(buf, sizeof(buf), "%lld %lld %u", (long long)no, (long long)ms, fb);
	a->wide = true;
	a->seq = false;
	a->wide_sym = hg_intern_sym(buf, (size_t)n);
	a->feedback_len23 = 0;
}

void
hg_attempt_set_numbers(struct hg_attempt *a, uint32_t i, int64_t no, int64_t ms)
{
	set_numbers(a, i, no, ms, hg_attempt_feedback_len(a));
}

void
hg_attempt_set_feedback_len(struct hg_attempt *a, uint32_t i, uint32_t n)
{
	set_numbers(a, i, hg_attempt_no(a, i), hg_attempt_ms(a), n);
}

void
hg_attempt_set_info(struct hg_attempt *a, const struct hg_attempt_info *in)
{
	hg_sym r[3] = { in->model, in->odd,
			(hg_sym)(in->warm_start | in->verified << 1 | in->has_output_summary << 2 |
				 in->has_runner_output << 3) };

	a->info = r[0] || r[1] || r[2] ? hg_intern_rec(r, 3) : 0;
}

void
hg_attempt_set_model(struct hg_attempt *a, hg_sym model)
{
	struct hg_attempt_info in = hg_attempt_info(a);

	in.model = model;
	hg_attempt_set_info(a, &in);
}

void
hg_attempt_set_all(struct hg_attempt *a, struct hg_attempt_info *in, const char *tier,
		   const char *verdict)
{
	a->tier = hg_tier_from(tier, strlen(tier));
	a->verdict = hg_verdict_from(verdict, strlen(verdict));
	in->odd = 0;
	if (a->tier == HG_TIER_OTHER || a->verdict == HG_VERDICT_OTHER) {
		hg_sym pair[2] = { a->tier == HG_TIER_OTHER ? hg_sym_of(tier) : 0,
				   a->verdict == HG_VERDICT_OTHER ? hg_sym_of(verdict) : 0 };

		in->odd = hg_intern_rec(pair, 2);
	}
	hg_attempt_set_info(a, in);
}

void
hg_attempt_set(struct hg_attempt *a, const char *tier, const char *verdict)
{
	struct hg_attempt_info in = hg_attempt_info(a);

	hg_attempt_set_all(a, &in, tier, verdict);
}

void
hg_entry_chain_add(const struct hg_entry *e, const char *arrow, const char *ellipsis,
		   struct hg_buf *out)
{
	bool cut = e->n_attempts > HG_CHAIN_MAX;
	uint32_t i;

	for (i = 0; i < e->n_attempts; i++) {
		const char *t = hg_attempt_tier(&e->attempts[i]);

		if (cut && i == HG_CHAIN_HEAD) {
			hg_buf_adds(out, arrow);
			hg_buf_adds(out, ellipsis);
			i = e->n_attempts - HG_CHAIN_TAIL;
			t = hg_attempt_tier(&e->attempts[i]);
		}
		if (i)
			hg_buf_adds(out, arrow);
		hg_buf_adds(out, t && *t ? t : "?");
	}
}

void
hg_entry_chain(const struct hg_entry *e, const char *arrow, char *buf, size_t n)
{
	const char *ellipsis = strcmp(arrow, "→") ? "..." : "…";
	size_t keep, tail = strlen(arrow) + strlen(ellipsis);
	struct hg_buf b = { 0 };

	if (n == 0)
		return;
	hg_entry_chain_add(e, arrow, ellipsis, &b);
	keep = b.len < n ? b.len : n - 1;
	if (keep < b.len) {
		/* Cut where a tier name ends, never inside one or inside a
		 * character, and say so: "local→subagent→…"; a first name too
		 * long for the buffer is cut at a character. */
		size_t al = strlen(arrow), el = strlen(ellipsis);
		size_t at = n - 1 > tail ? n - 1 - tail : 0;

		while (at > 0 && strncmp(b.p + at, arrow, al))
			at--;
		if (at > 0) {
			memcpy(buf, b.p, at);
			memcpy(buf + at, arrow, al);
			at += al;
		} else {
			at = n - 1 > el ? n - 1 - el : 0;
			while (at > 0 && ((unsigned char)b.p[at] & 0xC0) == 0x80)
				at--;
			memcpy(buf, b.p, at);
		}
		if (at + el <= n - 1) {
			memcpy(buf + at, ellipsis, el);
			at += el;
		}
		buf[at] = '\0';
		hg_buf_free(&b);
		return;
	}
	if (keep)
		memcpy(buf, b.p, keep);
	buf[keep] = '\0';
	hg_buf_free(&b);
}

void
hg_entry_masks(struct hg_entry *e)
{
	uint32_t i;

	uint32_t m = 0;

	for (i = 0; i < e->n_attempts; i++)
		m |= 1u << (e->attempts[i].tier * 5 + e->attempts[i].verdict);
	e->pair_mask = m;
}

void
hg_entry_free(struct hg_entry *e)
{
	if (!e->pooled)
		free(e->attempts);
	if (e->more) {
		free(e->more->reason);
		free(e->more->message);
		free(e->more);
	}
	e->attempts = NULL;
	e->more = NULL;
	if (e->wide_ms)
		e->ms32 = 0;	/* it was in more */
	if (e->wide_place)
		e->length32 = e->line32 = 0;
	if (e->wide_msg)
		e->msg16 = 0;
	e->wide_ms = e->wide_place = e->wide_msg = false;
	e->n_attempts = 0;
	e->packed = e->pooled = false;
}

const struct hg_note_ref *
hg_entry_note(const struct hg_entry *e)
{
	static const struct hg_note_ref none;

	return e->more ? &e->more->note : &none;
}

const char *
hg_note_author(const struct hg_entry *e)
{
	const char *a = hg_entry_note(e)->author;

	return a && *a ? a : "?";
}

struct hg_note_ref *
hg_entry_note_set(struct hg_entry *e)
{
	return &hg_entry_more(e)->note;
}

struct hg_entry_more *
hg_entry_more(struct hg_entry *e)
{
	if (!e->more)
		e->more = xcalloc(1, sizeof(*e->more));
	return e->more;
}

void
hg_entry_set_ms(struct hg_entry *e, int64_t ms)
{
	e->wide_ms = ms < INT32_MIN || ms > INT32_MAX;
	e->ms32 = e->wide_ms ? 0 : (int32_t)ms;
	if (e->wide_ms)
		hg_entry_more(e)->wide_ms = ms;
}

void
hg_entry_set_place(struct hg_entry *e, int64_t length, int64_t line_no)
{
	int64_t line = line_no >= HG_LINE_PROVISIONAL ? line_no - HG_LINE_PROVISIONAL : line_no;

	e->wide_place = length < 0 || length > UINT32_MAX || line < 0 ||
			line >= (int64_t)HG_LINE32_PROVISIONAL;
	e->length32 = e->wide_place ? 0 : (uint32_t)length;
	e->line32 = e->wide_place ? 0 : (uint32_t)line;
	if (!e->wide_place && line != line_no)
		e->line32 |= HG_LINE32_PROVISIONAL;
	if (e->wide_place) {
		hg_entry_more(e)->length = length;
		e->more->line_no = line_no;
	}
}

void
hg_entry_set_message_len(struct hg_entry *e, uint32_t n)
{
	e->wide_msg = n > UINT16_MAX;
	e->msg16 = e->wide_msg ? 0 : (uint16_t)n;
	if (e->wide_msg)
		hg_entry_more(e)->message_len = n;
}

void
hg_entry_set_syms(struct hg_entry *e, const hg_sym *v)
{
	unsigned i;

	for (i = 0; i < HG_E_STRS && !v[i]; i++)
		;
	e->strs = i < HG_E_STRS ? hg_intern_rec(v, HG_E_STRS) : 0;
}

void
hg_entry_set_sym(struct hg_entry *e, enum hg_entry_str f, hg_sym v)
{
	hg_sym all[HG_E_STRS] = { 0 };

	if (e->strs)
		memcpy(all, hg_rec_of(e->strs), sizeof(all));
	all[f] = v;
	hg_entry_set_syms(e, all);
}

void
hg_entry_set_reason(struct hg_entry *e, char *r)
{
	struct hg_entry_more *m = hg_entry_more(e);

	free(m->reason);
	m->reason = r;
}
