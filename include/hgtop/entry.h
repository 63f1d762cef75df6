/* entry.h - the model of one hyperguild session-log line.
 *
 * Mirrors Entry and Attempt of hyperguild's session.go. Only the small
 * fields that rows, filters and stats need are kept in memory, in as few
 * bytes as they fit (a million entries are held at once); large text
 * (input, output_summary, runner_output, long feedback/message, and in the
 * browser every message and feedback) stays in the file and is re-read
 * through (offset, length) when shown. */
#ifndef HGTOP_ENTRY_H
#define HGTOP_ENTRY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "hgtop/intern.h"

enum hg_tier {
	HG_TIER_NONE = 0,	/* empty string */
	HG_TIER_LOCAL,
	HG_TIER_SUBAGENT,
	HG_TIER_MANAGED,
	HG_TIER_OTHER,		/* unknown value: text kept in tier_text */
};

enum hg_verdict {
	HG_VERDICT_NONE = 0,	/* absent */
	HG_VERDICT_ACCEPT,
	HG_VERDICT_ESCALATE,
	HG_VERDICT_ERROR,
	HG_VERDICT_OTHER,	/* unknown value: text kept in verdict_text */
};

/* Texts shorter than this are kept in memory; longer ones are re-read. */
#define HG_SHORT_TEXT_MAX 512

/* What an attempt says besides its numbers, tier, verdict and feedback:
 * the same few come back attempt after attempt, so an attempt holds them
 * as one interned record (struct hg_attempt's info). */
struct hg_attempt_info {
	hg_sym model;			/* interned ("" if empty): hg_sym_str */
	/* The texts of a tier and a verdict outside the enums (HG_TIER_OTHER,
	 * HG_VERDICT_OTHER; 0 for one that is known) as an interned record of
	 * two, 0 when both are known: read them through hg_attempt_tier and
	 * hg_attempt_verdict. */
	hg_sym odd;
	bool warm_start;
	bool verified;
	bool has_output_summary;
	bool has_runner_output;
};

/* 12 bytes: a million entries hold about two million attempts. */
struct hg_attempt {
	/* Its duration_ms when it fits in 32 bits, its number ("attempt")
	 * when that is its place in the list (seq: I + 1 for attempts[I])
	 * or 0, and feedback_len when it fits in its bits; else (wide) the
	 * number of an interned text that holds all three: read them
	 * through hg_attempt_no, hg_attempt_ms and hg_attempt_feedback_len. */
	union {
		int32_t ms32;
		hg_sym wide_sym;
	};
	hg_sym info;			/* struct hg_attempt_info as an interned
					 * record, 0 when all of it is zero */
	uint32_t feedback_len23 : 23;	/* bytes of the decoded feedback */
	uint32_t tier : 3;		/* enum hg_tier */
	uint32_t verdict : 3;		/* enum hg_verdict */
	bool seq : 1;
	bool wide : 1;
	bool feedback_kept : 1;		/* the whole feedback is in memory
					 * (hg_attempt_feedback), when short */
};

_Static_assert(sizeof(struct hg_attempt) == 12,
	       "a million entries hold about two million attempts: 12 bytes each");

/* A's info, and its parts one at a time. */
static inline struct hg_attempt_info
hg_attempt_info(const struct hg_attempt *a)
{
	struct hg_attempt_info in = { 0 };

	if (a->info) {
		const hg_sym *r = hg_rec_of(a->info);

		in.model = r[0];
		in.odd = r[1];
		in.warm_start = r[2] & 1;
		in.verified = r[2] & 2;
		in.has_output_summary = r[2] & 4;
		in.has_runner_output = r[2] & 8;
	}
	return in;
}
static inline hg_sym
hg_attempt_model(const struct hg_attempt *a)
{
	return a->info ? hg_rec_of(a->info)[0] : 0;
}
static inline hg_sym
hg_attempt_odd(const struct hg_attempt *a)
{
	return a->info ? hg_rec_of(a->info)[1] : 0;
}
static inline bool
hg_attempt_warm(const struct hg_attempt *a)
{
	return a->info && (hg_rec_of(a->info)[2] & 1);
}
static inline bool
hg_attempt_verified(const struct hg_attempt *a)
{
	return a->info && (hg_rec_of(a->info)[2] & 2);
}
static inline bool
hg_attempt_has_output_summary(const struct hg_attempt *a)
{
	return a->info && (hg_rec_of(a->info)[2] & 4);
}
static inline bool
hg_attempt_has_runner_output(const struct hg_attempt *a)
{
	return a->info && (hg_rec_of(a->info)[2] & 8);
}
/* Set A's info (IN's odd included: hg_attempt_set makes it). */
void hg_attempt_set_info(struct hg_attempt *a, const struct hg_attempt_info *in);
/* Set A's model (interned). */
void hg_attempt_set_model(struct hg_attempt *a, hg_sym model);

struct hg_entry;

/* Give E's attempts the feedback texts TEXTS (n_attempts of them, NULL
 * where none): its attempts are copied into one new allocation with the
 * texts after them, which E owns (its old array is not freed). */
void hg_entry_set_feedback(struct hg_entry *e, const char *const *texts);

/* An attempt's number, duration_ms and bytes of feedback, and setting the
 * first two or the last: I is its place in its entry's attempts. */
int64_t hg_attempt_wide(const struct hg_attempt *a, unsigned which);
static inline int64_t
hg_attempt_no(const struct hg_attempt *a, uint32_t i)
{
	return a->wide ? hg_attempt_wide(a, 0) : a->seq ? (int64_t)i + 1 : 0;
}
static inline int64_t
hg_attempt_ms(const struct hg_attempt *a)
{
	return a->wide ? hg_attempt_wide(a, 1) : a->ms32;
}
static inline uint32_t
hg_attempt_feedback_len(const struct hg_attempt *a)
{
	return a->wide ? (uint32_t)hg_attempt_wide(a, 2) : a->feedback_len23;
}
void hg_attempt_set_numbers(struct hg_attempt *a, uint32_t i, int64_t no, int64_t ms);
void hg_attempt_set_feedback_len(struct hg_attempt *a, uint32_t i, uint32_t n);

enum hg_entry_kind {
	HG_ENTRY_OK = 0,
	HG_ENTRY_UNPARSABLE,	/* the line is kept as a row with a reason */
	HG_ENTRY_ANNOTATION,	/* skill "hgtop.annotate", see struct hg_note_ref */
};

/* What a note (an annotation entry) says of its target, in the entry's
 * side record (struct hg_entry_more): few entries are notes. */
struct hg_note_ref {
	int64_t target_line;		/* 0 when missing */
	int64_t target_attempt;		/* when has_target_attempt */
	int64_t target_ts_ns;		/* parsed target_timestamp */
	const char *author;		/* interned, NULL when missing */
	const char *target_skill;	/* interned, NULL when missing */
	bool target_ts_zero;
	bool has_target_ts;
	bool has_target_attempt;	/* else: on the whole entry */
};

/* What few entries have, kept apart from the entry, which only points to
 * it: a note's reference, an unparsable line's reason, a time outside
 * what ts_ns holds, a message kept in memory (the browser keeps none),
 * numbers too wide for the entry's own fields. */
struct hg_entry_more {
	struct hg_note_ref note;	/* a note's (HG_ENTRY_ANNOTATION) input */
	char *reason;			/* why an unparsable line failed */
	char *message;			/* the whole message if short, else NULL */
	int64_t far_sec;		/* ts_ns saturated: the time itself */
	int64_t wide_ms;		/* duration_ms beyond 32 bits */
	int64_t length;			/* length and line_no beyond 32 bits */
	int64_t line_no;
	uint32_t message_len;		/* beyond 16 bits */
	int32_t far_nsec;
};

/* The short strings of an entry that repeat from line to line, held
 * together as one interned record (struct hg_entry's strs). */
enum hg_entry_str {
	HG_E_SESSION_ID,
	HG_E_SKILL,
	HG_E_PHASE,
	HG_E_FINAL_STATUS,
	HG_E_MODEL_USED,
	HG_E_PROJECT_ROOT,
	HG_E_STRS
};

/* 64 bytes: a million entries are held at once. Fields that rarely need
 * more room than they have here keep the rest in more; read them through
 * the functions below. */
struct hg_entry {
	int64_t offset;		/* byte offset of the line in the file */
	int64_t ts_ns;		/* timestamp: ns since the Unix epoch (UTC),
				 * INT64_MIN/MAX before 1677 or after 2262 */
	struct hg_attempt *attempts; /* owned array */
	struct hg_entry_more *more; /* owned, NULL when none */
	/* session_id, skill, phase, final_status, model_used and
	 * project_root (enum hg_entry_str) as one interned record, 0 when
	 * all are "": read them through hg_entry_sym and hg_entry_str. */
	hg_sym strs;
	hg_sym file_path;	/* interned (hg_sym_str; 0 is "") */
	uint32_t length32;	/* bytes of the line, without '\n' / "\r\n",
				 * and its 1-based physical line number, */
	uint32_t line32;	/* unless wide_place: hg_entry_length/line */
	/* duration_ms when it fits in 32 bits, else (wide_ms) in more:
	 * read it through hg_entry_ms. */
	int32_t ms32;
	uint32_t n_attempts;
	/* bit (tier * 5 + verdict) for each attempt: hg_entry_tier_mask
	 * and hg_entry_verdict_mask fold it. */
	uint32_t pair_mask : 25;
	bool wide_ms : 1;
	bool ts_zero : 1;	/* Go's zero time 0001-01-01T00:00:00Z */
	bool has_input : 1;
	bool packed : 1;	/* feedback texts live in the attempts'
				 * allocation (freed with it) */
	bool pooled : 1;	/* that allocation is a session's pool's
				 * (freed with the pool, not the entry) */
	bool wide_place : 1;	/* length and line_no are in more */
	bool wide_msg : 1;	/* message_len is in more */
	int32_t tz_min : 14;	/* zone offset of the timestamp in minutes
				 * (Go takes up to +-99:99) */
	uint32_t kind : 2;	/* enum hg_entry_kind */
	uint32_t msg16 : 16;	/* bytes of the decoded message, unless
				 * wide_msg: hg_entry_message_len */
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct hg_entry) == 64,
	       "a million entries are held at once: 64 bytes each");

/* E's short string F by number, and as text. */
static inline hg_sym
hg_entry_sym(const struct hg_entry *e, enum hg_entry_str f)
{
	return e->strs ? hg_rec_of(e->strs)[f] : 0;
}
static inline const char *
hg_entry_str(const struct hg_entry *e, enum hg_entry_str f)
{
	return hg_sym_str(hg_entry_sym(e, f));
}
/* Set one (V interned), or all HG_E_STRS of them. */
void hg_entry_set_sym(struct hg_entry *e, enum hg_entry_str f, hg_sym v);
void hg_entry_set_syms(struct hg_entry *e, const hg_sym *v);

/* Line numbers of entries read before the lines above them are counted
 * (tail-first loading) start here; they become real once the head is read.
 * An entry holds one as its distance from here with the top bit of line32
 * set. */
#define HG_LINE_PROVISIONAL (INT64_C(1) << 48)
#define HG_LINE32_PROVISIONAL (UINT32_C(1) << 31)

/* E's length and line number, and setting both (E zeroed or valid). */
static inline int64_t
hg_entry_length(const struct hg_entry *e)
{
	return e->wide_place ? e->more->length : (int64_t)e->length32;
}
static inline int64_t
hg_entry_line(const struct hg_entry *e)
{
	if (e->wide_place)
		return e->more->line_no;
	if (e->line32 & HG_LINE32_PROVISIONAL)
		return HG_LINE_PROVISIONAL + (e->line32 & ~HG_LINE32_PROVISIONAL);
	return e->line32;
}
void hg_entry_set_place(struct hg_entry *e, int64_t length, int64_t line_no);

/* Bytes of E's decoded message, and setting it. */
static inline uint32_t
hg_entry_message_len(const struct hg_entry *e)
{
	return e->wide_msg ? e->more->message_len : e->msg16;
}
void hg_entry_set_message_len(struct hg_entry *e, uint32_t n);

/* Bit (1 << enum hg_tier) for each attempt's tier, and (1 << enum
 * hg_verdict) for each verdict. */
static inline unsigned
hg_entry_tier_mask(const struct hg_entry *e)
{
	uint32_t m = e->pair_mask;

	return (unsigned)((m & 0x1f) != 0) | (unsigned)((m & 0x3e0) != 0) << 1 |
	       (unsigned)((m & 0x7c00) != 0) << 2 | (unsigned)((m & 0xf8000) != 0) << 3 |
	       (unsigned)((m & 0x1f00000) != 0) << 4;
}
static inline unsigned
hg_entry_verdict_mask(const struct hg_entry *e)
{
	uint32_t m = e->pair_mask;

	return (m | m >> 5 | m >> 10 | m >> 15 | m >> 20) & 0x1f;
}

/* Attempt I's feedback when kept in memory (after the attempts, in the
 * entry's packed allocation), else NULL. A pass over the attempts walks
 * the texts with hg_feedback_first and hg_feedback_next instead. */
const char *hg_attempt_feedback(const struct hg_entry *e, uint32_t i);
/* The feedback texts kept (their start), and the text of attempt A at
 * *cursor (NULL when not kept; the cursor moves past it). */
static inline const char *
hg_feedback_first(const struct hg_entry *e)
{
	return e->attempts ? (const char *)(e->attempts + e->n_attempts) : NULL;
}
static inline const char *
hg_feedback_next(const struct hg_attempt *a, const char **cursor)
{
	const char *t = *cursor;

	if (!a->feedback_kept)
		return NULL;
	*cursor += (size_t)hg_attempt_feedback_len(a) + 1;
	return t;
}

/* E's more: made when missing (freed with E). */
struct hg_entry_more *hg_entry_more(struct hg_entry *e);

/* E's duration_ms, and setting it. */
static inline int64_t
hg_entry_ms(const struct hg_entry *e)
{
	return e->wide_ms ? e->more->wide_ms : e->ms32;
}
void hg_entry_set_ms(struct hg_entry *e, int64_t ms);

/* Why E (HG_ENTRY_UNPARSABLE) could not be read, NULL when unknown. */
static inline const char *
hg_entry_reason(const struct hg_entry *e)
{
	return e->more ? e->more->reason : NULL;
}

/* Set it (R malloc'd, owned by E from now on). */
void hg_entry_set_reason(struct hg_entry *e, char *r);

/* E's whole message when kept in memory, else NULL (message_len says
 * whether it has one). */
static inline const char *
hg_entry_message(const struct hg_entry *e)
{
	return e->more ? e->more->message : NULL;
}

/* E's time in seconds and nanoseconds when ts_ns is saturated (before
 * 1677 or after 2262); 0 otherwise. */
static inline int64_t
hg_entry_far_sec(const struct hg_entry *e)
{
	return e->more ? e->more->far_sec : 0;
}

/* E's note reference: an empty one (no target) when it has none. */
const struct hg_note_ref *hg_entry_note(const struct hg_entry *e);
/* E's note reference to fill in, made when missing (freed with E). */
struct hg_note_ref *hg_entry_note_set(struct hg_entry *e);
/* The author a note names, "?" when it names none. */
const char *hg_note_author(const struct hg_entry *e);

const char *hg_tier_name(enum hg_tier t);	/* "local", ... , "" */
const char *hg_verdict_name(enum hg_verdict v);
enum hg_tier hg_tier_from(const char *s, size_t n);
enum hg_verdict hg_verdict_from(const char *s, size_t n);

/* An attempt's tier/verdict as written (interned, or the enum's name). */
const char *hg_attempt_tier(const struct hg_attempt *a);
const char *hg_attempt_verdict(const struct hg_attempt *a);
/* Set its tier and verdict from their texts (interned); and with them the
 * rest of its info from IN (whose odd is made from the texts). */
void hg_attempt_set(struct hg_attempt *a, const char *tier, const char *verdict);
void hg_attempt_set_all(struct hg_attempt *a, struct hg_attempt_info *in, const char *tier,
			const char *verdict);

/* A chain of more than HG_CHAIN_MAX attempts is summarised as the tiers of
 * its first HG_CHAIN_HEAD and last HG_CHAIN_TAIL attempts around an
 * ellipsis ("local→local→local→local→…→local→subagent→managed"), so one
 * line with millions of attempts costs a short text. */
#define HG_CHAIN_MAX 8
#define HG_CHAIN_HEAD 4
#define HG_CHAIN_TAIL 3

struct hg_buf;

/* Append the escalation chain "local→subagent→managed" to out, with the
 * arrow and ellipsis given ("->" and "..." for ASCII output). */
void hg_entry_chain_add(const struct hg_entry *e, const char *arrow, const char *ellipsis,
			struct hg_buf *out);

/* The same into buf of n bytes, with "…" as the ellipsis when the arrow
 * is "→", else "...". A chain that does not fit is cut where a tier name
 * ends and marked with the arrow and the ellipsis ("local->..."). */
void hg_entry_chain(const struct hg_entry *e, const char *arrow, char *buf, size_t n);

/* Fill pair_mask from the attempts. */
void hg_entry_masks(struct hg_entry *e);

/* Release what the entry owns (not the entry itself). */
void hg_entry_free(struct hg_entry *e);

/* The attempts of each entry are a separate allocation: a pass over many
 * entries asks for those a few entries ahead (HG_PREFETCH_AHEAD) so it
 * does not wait on memory one entry at a time (it halves a pass over a
 * million entries). */
#define HG_PREFETCH_AHEAD 16
static inline void
hg_entry_prefetch(const struct hg_entry *e)
{
	const char *p = (const char *)e->attempts;
	size_t bytes = e->n_attempts * sizeof(*e->attempts), k;

	for (k = 0; k < bytes && k < 4 * 64; k += 64)
		__builtin_prefetch(p + k);
}

#endif
