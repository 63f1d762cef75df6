/* fuzz_parser.c - libFuzzer target for the line parser.
 *
 * Any bytes give either an entry or an unparsable record with a reason;
 * interned strings are never NULL; the fast path that skips runner_output
 * gives exactly what the full parse gives (checked on the input padded
 * past the fast path's threshold with trailing blanks, which JSON allows),
 * also when it skips the strings where the Go-reader check found them; the
 * check's quick way says and notes what its state machine does. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/entry.h"
#include "hgtop/goread.h"
#include "hgtop/intern.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAD 2100

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_parser: %s\n", what);
	abort();
}

static void
check_entry(const struct hg_entry *e)
{
	for (int f = 0; f < HG_E_STRS; f++)
		if (!hg_entry_str(e, (enum hg_entry_str)f))
			fail("NULL interned string");
	if (!hg_sym_str(e->file_path))
		fail("NULL interned string");
	if (e->kind == HG_ENTRY_UNPARSABLE) {
		if (!hg_entry_reason(e) || !*hg_entry_reason(e))
			fail("unparsable without a reason");
		if (e->n_attempts || e->attempts || hg_entry_message(e))
			fail("unparsable record keeps parsed data");
		return;
	}
	if (e->kind != HG_ENTRY_OK && e->kind != HG_ENTRY_ANNOTATION)
		fail("unknown kind");
	if (hg_entry_reason(e))
		fail("parsed entry with a reason");
	if (hg_entry_message(e) && strlen(hg_entry_message(e)) != hg_entry_message_len(e))
		fail("message length");
	if (e->n_attempts && !e->attempts)
		fail("attempts missing");
	for (uint32_t i = 0; i < e->n_attempts; i++) {
		const struct hg_attempt *a = &e->attempts[i];

		if (!hg_sym_str(hg_attempt_model(a)) || !hg_attempt_tier(a) ||
		    !hg_attempt_verdict(a))
			fail("NULL interned attempt string");
		if (a->tier > HG_TIER_OTHER || a->verdict > HG_VERDICT_OTHER)
			fail("attempt enum out of range");
		if (hg_attempt_feedback(e, i) &&
		    strlen(hg_attempt_feedback(e, i)) != hg_attempt_feedback_len(a))
			fail("feedback length");
		if (!hg_attempt_tier(a) || !hg_attempt_verdict(a))
			fail("NULL display text");
	}
}

static bool
same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
same_entry(const struct hg_entry *a, const struct hg_entry *b)
{
	const struct hg_note_ref *na, *nb;

	if (a->kind != b->kind || !same_text(hg_entry_reason(a), hg_entry_reason(b)))
		fail("fast and full parse disagree on kind or reason");
	if (a->ts_ns != b->ts_ns || a->tz_min != b->tz_min || a->ts_zero != b->ts_zero ||
	    hg_entry_far_sec(a) != hg_entry_far_sec(b) ||
	    (a->more ? a->more->far_nsec : 0) != (b->more ? b->more->far_nsec : 0) ||
	    hg_entry_ms(a) != hg_entry_ms(b) || a->has_input != b->has_input ||
	    a->strs != b->strs || a->file_path != b->file_path ||
	    hg_entry_message_len(a) != hg_entry_message_len(b) ||
	    !same_text(hg_entry_message(a), hg_entry_message(b)) ||
	    a->n_attempts != b->n_attempts)
		fail("fast and full parse disagree on a field");
	na = hg_entry_note(a);
	nb = hg_entry_note(b);
	if (na->target_line != nb->target_line || na->target_attempt != nb->target_attempt ||
	    na->author != nb->author || na->target_skill != nb->target_skill ||
	    na->has_target_ts != nb->has_target_ts ||
	    (na->has_target_ts && (na->target_ts_ns != nb->target_ts_ns ||
				   na->target_ts_zero != nb->target_ts_zero)))
		fail("fast and full parse disagree on the annotation");
	for (uint32_t i = 0; i < a->n_attempts; i++) {
		const struct hg_attempt *x = &a->attempts[i], *y = &b->attempts[i];

		if (hg_attempt_no(x, i) != hg_attempt_no(y, i) || x->info != y->info ||
		    x->tier != y->tier || x->verdict != y->verdict ||
		    hg_attempt_ms(x) != hg_attempt_ms(y) ||
		    hg_attempt_feedback_len(x) != hg_attempt_feedback_len(y) ||
		    !same_text(hg_attempt_feedback(a, i), hg_attempt_feedback(b, i)))
			fail("fast and full parse disagree on an attempt");
	}
}

/* The Go-reader check's quick way and its state machine agree. */
static void
same_verdict(const char *line, size_t n)
{
	struct hg_goread_spans a, b;
	char ma[HG_GOREAD_MSG] = "", mb[HG_GOREAD_MSG] = "";
	enum hg_goread_result ra, rb;

	ra = hg_goread_line_spans(line, n, n, ma, sizeof(ma), &a);
	hg_goread_machine_only = true;
	rb = hg_goread_line_spans(line, n, n, mb, sizeof(mb), &b);
	hg_goread_machine_only = false;
	if (ra != rb || strcmp(ma, mb) != 0)
		fail("the check's two ways disagree on the verdict");
	if (a.n != b.n || a.full != b.full || a.plain != b.plain || a.input_end != b.input_end ||
	    a.input_many != b.input_many || (a.input_end && a.input_start != b.input_start))
		fail("the check's two ways note otherwise");
	for (size_t k = 0; k < a.n; k++)
		if (a.v[k].start != b.v[k].start || a.v[k].end != b.v[k].end ||
		    a.v[k].odd != b.v[k].odd)
			fail("the check's two ways note other spans");
	if (a.n_nums != b.n_nums)
		fail("the check's two ways note other numbers");
	for (size_t k = 0; k < a.n_nums; k++)
		if (a.nums[k].start != b.nums[k].start || a.nums[k].end != b.nums[k].end)
			fail("the check's two ways note other numbers");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hg_entry a, b;
	char *line = xmalloc(size + PAD + 1);

	memcpy(line, data, size);
	same_verdict(line, size);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	hg_parse_line(line, size, &a);
	check_entry(&a);
	hg_parse_line_full(line, size, &b);
	check_entry(&b);
	same_entry(&a, &b);
	hg_entry_free(&a);
	hg_entry_free(&b);

	memset(line + size, ' ', PAD);
	line[size + PAD] = '\0';
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	hg_parse_line(line, size + PAD, &a);
	check_entry(&a);
	hg_parse_line_full(line, size + PAD, &b);
	same_entry(&a, &b);
	hg_entry_free(&a);
	/* The strings skipped where the Go-reader check saw them. */
	{
		struct hg_goread_spans sp;

		memset(&a, 0, sizeof(a));
		if (hg_goread_line_spans(line, size + PAD, size + PAD, NULL, 0, &sp) == HG_GOREAD_OK) {
			hg_parse_line_spans(line, size + PAD, &sp, &a);
			check_entry(&a);
			same_entry(&a, &b);
			hg_entry_free(&a);
		} else if (sp.n) {
			fail("spans noted on a line the check refused");
		}
	}
	hg_entry_free(&b);
	free(line);
	/* The intern table lives as long as the program; keep it from
	 * growing across millions of inputs. */
	hg_intern_clear();
	return 0;
}
