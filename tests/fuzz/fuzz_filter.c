/* fuzz_filter.c - libFuzzer target: parse any expression, and when it
 * parses, match it against a few fixed entries, re-parse its normalised
 * text (which must parse to the same text) and build an effective filter.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -I. \
 *	-I/usr/include/cjson tests/fuzz/fuzz_filter.c src/filter.c \
 *	src/util.c src/intern.c src/entry.c src/session.c src/reader.c \
 *	src/parser.c -lcjson -o fuzz_filter */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/filter.h"
#include "hgtop/intern.h"
#include "hgtop/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hg_attempt atts[3];
static struct hg_entry ents[4];
static struct hg_entry_more mores[4];	/* message, reason or note of ents[i] */
static bool ready;

static void
setup(void)
{
	static const char *const tiers[] = { "local", "subagent", "managed" };
	static const char *const verdicts[] = { "escalate", "", "accept" };

	for (int i = 0; i < 3; i++) {
		hg_attempt_set(&atts[i], hg_intern(tiers[i]), hg_intern(verdicts[i]));
		hg_attempt_set_model(&atts[i], hg_sym_of(i ? "opus" : "qwen"));
		hg_attempt_set_numbers(&atts[i], (uint32_t)i, 0, 100 * i);
	}
	for (int i = 0; i < 4; i++) {
		struct hg_entry *e = &ents[i];

		hg_entry_set_place(e, hg_entry_length(e), i + 1);
		hg_entry_set_sym(e, HG_E_SKILL, hg_sym_of(i ? "refactor" : "Write-File"));
		hg_entry_set_sym(e, HG_E_FINAL_STATUS, hg_sym_of("ok"));
		hg_entry_set_sym(e, HG_E_SESSION_ID, hg_sym_of("s"));
		e->file_path = hg_sym_of("");
		hg_entry_set_ms(e, 1000 * i);
		mores[i].message = i == 1 ? (char *)"two words" : NULL;
		e->more = &mores[i];
		hg_entry_set_message_len(e, i == 1 ? 9 : 0);
		e->attempts = i == 0 ? atts : NULL;
		e->n_attempts = i == 0 ? 3 : 0;
	}
	{
		static const char *const fbs[3] = { "tests fail", NULL, NULL };

		hg_entry_set_feedback(&ents[0], fbs);
	}
	ents[2].kind = HG_ENTRY_UNPARSABLE;
	mores[2].reason = (char *)"bad json";
	ents[3].kind = HG_ENTRY_ANNOTATION;
	mores[3].note.target_line = 1;
	ready = true;
}

static void
exercise(const struct hg_filter *f)
{
	struct hg_session s = { 0 };
	bool match[4];

	s.id = (char *)"s";
	s.entries = ents;
	s.n_entries = 4;
	s.spool_fd = -1;
	hg_filter_session(f, &s, match, 0, NULL);
	for (size_t i = 0; i < 4; i++)
		hg_filter_match_attempt(f, &ents[0], i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr = xstrndup((const char *)data, size);
	char err[256];
	int col;
	struct hg_filter *f, *g;

	if (!ready)
		setup();
	f = hg_filter_parse(expr, err, sizeof(err), &col);
	if (!f) {
		if (col < 1 || err[0] == '\0')
			abort();
		free(expr);
		return 0;
	}
	exercise(f);
	g = hg_filter_parse(hg_filter_text(f), NULL, 0, NULL);
	if (!g || strcmp(hg_filter_text(f), hg_filter_text(g)) != 0)
		abort();
	hg_filter_free(g);
	g = hg_filter_parse_effective(expr, "accept,error", "local", err, sizeof(err), &col);
	if (g)
		exercise(g);
	hg_filter_free(g);
	hg_filter_free(f);
	free(expr);
	return 0;
}
