/* batch.c - headless loading and output (--batch, --batch --json, --stats).
 *
 * Text format (documented in hgtop(1)):
 *   session ID  PATH  N entries[, M unparsable]
 *   DATE TIME  SKILL  FINAL_STATUS  TIERS  DURATION[  MESSAGE]
 *     #N  TIER  MODEL  DURATION  warm|cold  verified|unverified  VERDICT[  FEEDBACK]
 *       note (AUTHOR): TEXT        (under its entry, or under attempt #N)
 *   line N: note (AUTHOR): TEXT    (target gone, printed before by --follow,
 *                                   or listed by a filter that asks for notes)
 *   line N: unparsable: REASON
 * Every text from the log is sanitised: no control character reaches
 * stdout. */
#include "config.h"

#include "hgtop/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/annotate.h"
#include "hgtop/filter.h"
#include "hgtop/parser.h"
#include "hgtop/pload.h"
#include "hgtop/progress.h"
#include "hgtop/sanitize.h"
#include "hgtop/stats.h"
#include "hgtop/util.h"

/* Sanitised text, first line only. */
static void
add_text(struct hg_buf *b, const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);

	hg_sanitize(b, s, nl ? (size_t)(nl - s) : n, 0);
	if (nl)
		hg_buf_adds(b, " ...");
}

static void
add_field(struct hg_buf *b, const char *s)
{
	hg_buf_adds(b, "  ");
	if (!s || !*s)
		hg_buf_adds(b, "-");
	else
		add_text(b, s, strlen(s));
}

static void
format_attempt(struct hg_buf *b, const struct hg_attempt *a, uint32_t i, const char *feedback)
{
	char dur[32];

	hg_fmt_duration(dur, sizeof(dur), hg_attempt_ms(a));
	hg_buf_printf(b, "    #%lld", (long long)hg_attempt_no(a, i));
	add_field(b, hg_attempt_tier(a));
	add_field(b, hg_sym_str(hg_attempt_model(a)));
	hg_buf_printf(b, "  %s  %s  %s", dur, hg_attempt_warm(a) ? "warm" : "cold",
		      hg_attempt_verified(a) ? "verified" : "unverified");
	add_field(b, hg_attempt_verdict(a));
	if (feedback) {
		hg_buf_adds(b, "  \"");
		add_text(b, feedback, hg_attempt_feedback_len(a));
		hg_buf_adds(b, "\"");
	} else if (hg_attempt_feedback_len(a)) {
		hg_buf_printf(b, "  (feedback: %u bytes)", hg_attempt_feedback_len(a));
	}
	hg_buf_addc(b, '\n');
}

/* The whole note on one line: newlines show as a visible symbol. Texts
 * too long to be kept in memory are read back from the file. */
static void
format_annotation(struct hg_buf *b, const struct hg_session *s, const struct hg_entry *e,
		  const char *indent)
{
	const char *author = hg_entry_note(e)->author;

	hg_buf_printf(b, "%snote", indent);
	if (author && *author) {
		hg_buf_adds(b, " (");
		add_text(b, author, strlen(author));
		hg_buf_adds(b, ")");
	}
	hg_buf_adds(b, ": ");
	if (hg_entry_message(e)) {
		hg_sanitize(b, hg_entry_message(e), hg_entry_message_len(e), 0);
	} else if (hg_entry_message_len(e)) {
		size_t n;
		char *text = hg_annotate_read_text(s, e, &n);

		if (text)
			hg_sanitize(b, text, n, 0);
		else
			hg_buf_printf(b, "(%u bytes, unreadable: %s)", hg_entry_message_len(e),
				      strerror(errno));
		free(text);
	}
	hg_buf_addc(b, '\n');
}

#define NOTE_INDENT "      "

/* The notes attached to entry ei that belong at attempt index ai (-1: the
 * entry itself, printed after its attempts). */
static void
format_notes(struct hg_buf *b, const struct hg_session *s, const struct hg_ann_index *ix,
	     size_t ei, ssize_t ai)
{
	const size_t *anns;
	size_t i, n;

	if (!ix)
		return;
	n = hg_ann_index_lookup(ix, ei, &anns);
	for (i = 0; i < n; i++) {
		const struct hg_entry *a = &s->entries[anns[i]];

		if (hg_annotate_attempt_index(&s->entries[ei], a) == ai)
			format_annotation(b, s, a, NOTE_INDENT);
	}
}

static void
format_entry(struct hg_buf *b, const struct hg_session *s, size_t ei,
	     const struct hg_ann_index *ix, const char *arrow)
{
	const struct hg_entry *e = &s->entries[ei];
	char when[32] = "-", dur[32], chain[256];
	const char *fb;
	uint32_t i;

	if (e->kind == HG_ENTRY_UNPARSABLE) {
		hg_buf_printf(b, "line %lld: unparsable: ", (long long)hg_entry_line(e));
		const char *r = hg_entry_reason(e) ? hg_entry_reason(e) : "";

		hg_sanitize(b, r, strlen(r), 0);
		hg_buf_addc(b, '\n');
		return;
	}
	if (e->kind == HG_ENTRY_ANNOTATION) {
		hg_buf_printf(b, "line %lld: ", (long long)hg_entry_line(e));
		format_annotation(b, s, e, "");
		return;
	}
	if (!e->ts_zero)
		hg_entry_datetime(e, when, sizeof(when));
	if (hg_entry_ms(e))
		hg_fmt_duration(dur, sizeof(dur), hg_entry_ms(e));
	else
		snprintf(dur, sizeof(dur), "-");
	hg_entry_chain(e, arrow, chain, sizeof(chain));
	hg_buf_adds(b, when);
	add_field(b, hg_entry_str(e, HG_E_SKILL));
	add_field(b, hg_entry_str(e, HG_E_FINAL_STATUS));
	add_field(b, chain);
	hg_buf_printf(b, "  %s", dur);
	if (hg_entry_message(e)) {
		hg_buf_adds(b, "  ");
		add_text(b, hg_entry_message(e), hg_entry_message_len(e));
	} else if (hg_entry_message_len(e)) {
		/* Too long to be kept in memory: read back from the file. */
		size_t n;
		char *text = hg_annotate_read_text(s, e, &n);

		hg_buf_adds(b, "  ");
		if (text)
			add_text(b, text, n);
		else
			hg_buf_printf(b, "(message: %u bytes, unreadable: %s)",
				      hg_entry_message_len(e), strerror(errno));
		free(text);
	}
	hg_buf_addc(b, '\n');
	fb = hg_feedback_first(e);
	for (i = 0; i < e->n_attempts; i++) {
		format_attempt(b, &e->attempts[i], i, hg_feedback_next(&e->attempts[i], &fb));
		format_notes(b, s, ix, ei, (ssize_t)i);
	}
	format_notes(b, s, ix, ei, -1);
}

/* A JSON line as it is, except for control characters: a parsed line has
 * them only inside strings (raw, which JSON does not allow; cJSON takes
 * them), where they become \u00XX escapes, C1 (U+0080..U+009F) too, or as
 * whitespace outside strings ('\r', '\t'), which becomes a space. */
static void
add_json_line(struct hg_buf *b, const char *s, size_t n)
{
	bool in_str = false, esc = false;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F && in_str) {
			hg_buf_printf(b, "\\u%04X", (unsigned char)s[++i]);
			esc = false;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			if (in_str)
				hg_buf_printf(b, "\\u%04X", c);
			else
				hg_buf_addc(b, ' ');
			esc = false;
			continue;
		}
		hg_buf_addc(b, (char)c);
		if (esc)
			esc = false;
		else if (in_str && c == '\\')
			esc = true;
		else if (c == '"')
			in_str = !in_str;
	}
	hg_buf_addc(b, '\n');
}

/* The raw line, read back from the file through one descriptor. */
static void
print_json(FILE *out, struct hg_session *s, size_t from, const struct hg_filter *f)
{
	int fd = hg_session_open(s);
	struct hg_buf b = { 0 }, safe = { 0 };
	size_t i;

	if (fd < 0) {
		hg_errorf("%s: %s", s->path, strerror(errno));
		return;
	}
	for (i = from; i < s->n_entries; i++) {
		const struct hg_entry *e = &s->entries[i];
		ssize_t r;

		if (e->kind == HG_ENTRY_UNPARSABLE || !hg_filter_shown(f, s, i))
			continue;
		hg_buf_reset(&b);
		hg_buf_reserve(&b, (size_t)hg_entry_length(e) + 1);
		r = pread(fd, b.p, (size_t)hg_entry_length(e), (off_t)e->offset);
		if (r != (ssize_t)hg_entry_length(e)) {
			hg_errorf("%s: line %lld changed while reading", s->path,
				(long long)hg_entry_line(e));
			continue;
		}
		hg_buf_reset(&safe);
		add_json_line(&safe, b.p, (size_t)r);
		fwrite(safe.p, 1, safe.len, out);
	}
	close(fd);
	hg_buf_free(&b);
	hg_buf_free(&safe);
}

/* Whether entry i gets a row of its own. A note is printed under its
 * target, so not here, unless the target was printed by an earlier call
 * (--follow) or is gone (the file changed). */
static bool
batch_row_shown(const struct hg_session *s, size_t i, size_t from, const struct hg_filter *f)
{
	size_t t = hg_filter_subject(s, i);

	/* A filter that asks for notes lists them at their own place. */
	if (t != i && t >= from && !hg_filter_lists_notes(f))
		return false;
	return hg_filter_shown(f, s, i);
}

void
hg_batch_print_entries(FILE *out, const struct hg_options *o, struct hg_session *s,
		       size_t from, const struct hg_filter *f)
{
	const char *arrow = hg_utf8_locale() ? "→" : "->";
	struct hg_ann_index ix;
	struct hg_buf b = { 0 };
	size_t i;

	if (o->json) {
		print_json(out, s, from, f);
		return;
	}
	hg_ann_index_init(&ix);
	hg_ann_index_update(&ix, s);
	for (i = from; i < s->n_entries; i++) {
		if (!batch_row_shown(s, i, from, f))
			continue;
		hg_buf_reset(&b);
		format_entry(&b, s, i, ix.n && !hg_filter_lists_notes(f) ? &ix : NULL, arrow);
		fwrite(b.p, 1, b.len, out);
	}
	hg_ann_index_free(&ix);
	hg_buf_free(&b);
}

static void
print_header(FILE *out, const struct hg_session *s, const char *source)
{
	struct hg_buf b = { 0 };

	hg_buf_adds(&b, "session ");
	hg_sanitize(&b, s->id, strlen(s->id), 0);
	hg_buf_adds(&b, "  ");
	/* Several directories: which one (hostB/sessions) first. */
	if (source) {
		hg_buf_adds(&b, "source ");
		hg_sanitize(&b, source, strlen(source), 0);
		hg_buf_adds(&b, "  ");
	}
	hg_sanitize(&b, s->path, strlen(s->path), 0);
	{
		int64_t n = (int64_t)s->n_entries - s->n_unparsable - s->n_annotations;

		hg_buf_printf(&b, "  %lld entr%s", (long long)n, n == 1 ? "y" : "ies");
		if (s->n_annotations)
			hg_buf_printf(&b, ", %lld note%s", (long long)s->n_annotations,
				      s->n_annotations == 1 ? "" : "s");
	}
	if (s->n_unparsable)
		hg_buf_printf(&b, ", %lld unparsable", (long long)s->n_unparsable);
	if (s->partial_taken)
		hg_buf_adds(&b, ", last line has no newline yet");
	else if (s->pending)
		hg_buf_printf(&b, ", incomplete last line (%lld bytes)", (long long)s->pending);
	if (hg_session_go(s) == HG_GO_STOPS) {
		hg_buf_printf(&b, "; hyperguild's reader stops at line %lld: ", (long long)s->go_stop_line);
		hg_sanitize(&b, s->go_stop_reason, strlen(s->go_stop_reason), 0);
	}
	hg_buf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, out);
	hg_buf_free(&b);
}

static int
cmp_sessions(const void *a, const void *b)
{
	const struct hg_session *x = *(struct hg_session *const *)a;
	const struct hg_session *y = *(struct hg_session *const *)b;

	return strcmp(x->path, y->path);
}

/* The progress line while loading (stderr is a terminal): a large file
 * is read in chunks of this size, with a look at the clock after each. */
#define PROGRESS_CHUNK (INT64_C(4) << 20)

struct loader {
	bool on;
	struct hg_progress p;
	int64_t bytes;		/* of the sessions already loaded */
	int64_t entries;
};

static void
loader_start(struct loader *l, const struct hg_catalog *c, bool progress)
{
	struct winsize ws;
	int64_t total = 0;
	int cols = 0;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->on = progress;
	if (!progress)
		return;
	for (i = 0; i < c->n; i++) {
		const struct hg_session *s = c->sessions[i];
		struct stat st;

		if ((s->spool_fd >= 0 ? fstat(s->spool_fd, &st) : stat(s->path, &st)) == 0 &&
		    S_ISREG(st.st_mode))
			total += st.st_size;
	}
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;
	hg_progress_start(&l->p, total, cols, hg_now_mono_ns());
}

static void
loader_show(struct loader *l, const struct hg_session *s)
{
	char line[512];
	size_t n;

	if (!l->on)
		return;
	n = hg_progress_update(&l->p, l->bytes + hg_session_bytes_read(s),
			       l->entries + (int64_t)s->n_entries,
			       hg_now_mono_ns(), line, sizeof(line));
	if (n)
		fwrite(line, 1, n, stderr);
}

static void
loader_clear(struct loader *l)
{
	char line[512];
	size_t n;

	if (l->on && (n = hg_progress_clear(&l->p, line, sizeof(line))) > 0)
		fwrite(line, 1, n, stderr);
}

static void load_blocks(struct loader *l, struct hg_pload *p, size_t i, struct hg_session *s,
			int *failures);

/* Session I, whole: from the threads' blocks, or read here. */
static void
load_one(struct loader *l, struct hg_pload *p, size_t i, struct hg_session *s, int *failures)
{
	struct hg_ingest_result r;

	if (hg_pload_has(p, i)) {
		load_blocks(l, p, i, s, failures);
		return;
	}
	/* In chunks, from the start: the same entries as one read. */
	s->in_order = true;
	do {
		r = hg_session_ingest(s, l->on ? PROGRESS_CHUNK : 0);
		loader_show(l, s);
	} while (r.more && r.status != HG_INGEST_ERROR && r.status != HG_INGEST_GONE);
	if (r.status == HG_INGEST_ERROR || r.status == HG_INGEST_GONE) {
		loader_clear(l);
		/* session.c refuses FIFOs, devices and sockets with EINVAL. */
		hg_errorf("%s: %s", s->path, r.err == EINVAL ? "not a regular file" : strerror(r.err));
		(*failures)++;
	}
	l->bytes += hg_session_bytes_read(s);
	l->entries += (int64_t)s->n_entries;
}

/* The sessions of a directory by path: the order of the output, known
 * before reading. */
static void
sort_sessions(struct hg_catalog *c)
{
	if (c->dir && c->n > 1)
		qsort(c->sessions, c->n, sizeof(*c->sessions), cmp_sessions);
}

int
hg_batch_load(struct hg_catalog *c, bool progress, bool parallel)
{
	struct hg_pload *p;
	struct loader l;
	int failures = 0;
	size_t i;

	sort_sessions(c);
	p = parallel ? hg_pload_start(c->sessions, c->n, 0) : NULL;
	loader_start(&l, c, progress);
	for (i = 0; i < c->n; i++)
		load_one(&l, p, i, c->sessions[i], &failures);
	hg_pload_free(p);
	loader_clear(&l);
	return failures;
}

static void print_session(FILE *out, const struct hg_options *o, const struct hg_catalog *c,
			  struct hg_session *s, const struct hg_filter *f);

int
hg_batch_stream(FILE *out, const struct hg_options *o, struct hg_catalog *c,
		const struct hg_filter *f, bool progress, int *failures)
{
	struct hg_pload *p;
	struct loader l;
	size_t i;
	int rc = 0;

	sort_sessions(c);
	p = hg_pload_start(c->sessions, c->n, 0);
	*failures = 0;
	loader_start(&l, c, progress);
	for (i = 0; i < c->n && !rc; i++) {
		struct hg_session *s = c->sessions[i];

		load_one(&l, p, i, s, failures);
		if (s->err)
			continue;
		hg_session_take_partial(s);
		loader_clear(&l);
		print_session(out, o, c, s, f);
		if (ferror(out))
			rc = 1;
		hg_session_reset(s);	/* printed: its entries are not needed */
	}
	hg_pload_free(p);
	loader_clear(&l);
	if (fflush(out) != 0 || ferror(out))
		rc = 1;
	return rc;
}

void
hg_batch_take_partials(struct hg_catalog *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->sessions[i]->err)
			hg_session_take_partial(c->sessions[i]);
}

int
hg_batch_print(FILE *out, const struct hg_options *o, struct hg_catalog *c,
	       const struct hg_filter *f)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->sessions[i]->err)
			print_session(out, o, c, c->sessions[i], f);
	if (fflush(out) != 0 || ferror(out))
		return 1;
	return 0;
}

static void
print_session(FILE *out, const struct hg_options *o, const struct hg_catalog *c,
	      struct hg_session *s, const struct hg_filter *f)
{
	if (!o->json)
		print_header(out, s, c->n_dirs > 1 ? hg_catalog_label_of(c, s) : NULL);
	hg_batch_print_entries(out, o, s, 0, f);
}

/* --stats without keeping the entries: each chunk read is folded into the
 * statistics and dropped. What the filter check (hg_filter_check_values)
 * needs of the logs, the tier and verdict texts outside the enums, is
 * kept per session, in the order first seen, and left in the session as
 * one entry with those attempts. */

/* Bytes read between two folds. */
#define STREAM_CHUNK (INT64_C(4) << 20)

struct others {
	const char **v;		/* distinct texts in the order seen */
	size_t n, cap;
	const char **set;	/* open addressing over the same pointers */
	size_t set_cap;
};

static bool
others_add(struct others *o, const char *t)
{
	size_t i;

	if ((o->n + 1) * 2 > o->set_cap) {
		free(o->set);
		o->set_cap = o->set_cap ? o->set_cap * 2 : 16;
		o->set = xcalloc(o->set_cap, sizeof(*o->set));
		for (size_t k = 0; k < o->n; k++) {
			for (i = ((uintptr_t)o->v[k] >> 4) & (o->set_cap - 1); o->set[i];
			     i = (i + 1) & (o->set_cap - 1))
				;
			o->set[i] = o->v[k];
		}
	}
	for (i = ((uintptr_t)t >> 4) & (o->set_cap - 1); o->set[i]; i = (i + 1) & (o->set_cap - 1))
		if (o->set[i] == t)
			return false;
	o->set[i] = t;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	o->v[o->n++] = t;
	return true;
}

static void
others_free(struct others *o)
{
	free(o->v);
	free(o->set);
	memset(o, 0, sizeof(*o));
}

static void
others_scan(struct others *tiers, struct others *verdicts, const struct hg_entry *e)
{
	if (!(hg_entry_tier_mask(e) & (1u << HG_TIER_OTHER)) &&
	    !(hg_entry_verdict_mask(e) & (1u << HG_VERDICT_OTHER)))
		return;
	for (uint32_t a = 0; a < e->n_attempts; a++) {
		const struct hg_attempt *at = &e->attempts[a];

		if (at->tier == HG_TIER_OTHER)
			others_add(tiers, hg_attempt_tier(at));
		if (at->verdict == HG_VERDICT_OTHER)
			others_add(verdicts, hg_attempt_verdict(at));
	}
}

/* The one entry that stands for the session's texts outside the enums. */
static void
others_keep(struct hg_session *s, const struct others *tiers, const struct others *verdicts)
{
	size_t n = tiers->n > verdicts->n ? tiers->n : verdicts->n;
	struct hg_entry *e;

	if (!n)
		return;
	if (s->cap_entries < 1) {
		s->entries = xrealloc(s->entries, sizeof(*s->entries));
		s->cap_entries = 1;
	}
	e = &s->entries[0];
	memset(e, 0, sizeof(*e));
	e->attempts = xcalloc(n, sizeof(*e->attempts));
	e->n_attempts = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		struct hg_attempt *a = &e->attempts[i];

		hg_attempt_set(a, i < tiers->n ? tiers->v[i] : "",
			       i < verdicts->n ? verdicts->v[i] : "");
	}
	hg_entry_masks(e);
	s->n_entries = 1;
}

/* What the session reader would have noted of block B of session S. */
static void
note_block(struct hg_session *s, struct hg_pload_block *b)
{
	if (!s->go_stop_line && b->go_stop_line) {
		s->go_stop_line = b->go_stop_line;
		free(s->go_stop_reason);
		s->go_stop_reason = b->go_stop_reason;
		b->go_stop_reason = NULL;
		s->generation++;
	}
	s->offset += b->bytes;
	if (b->n)
		s->line_no = hg_entry_line(&b->entries[b->n - 1]);
}

/* After the last block of session I: as read to the end of its file. */
static void
end_blocks(struct hg_session *s, struct hg_pload *p, size_t i)
{
	int64_t size, end;

	hg_pload_extent(p, i, &size, &end);
	s->size = size;
	s->pending = size - end;
}

static void
fold(struct hg_stats_acc *ac, struct others *tiers, struct others *verdicts,
     const struct hg_entry *e)
{
	hg_stats_acc_entry(ac, e);
	others_scan(tiers, verdicts, e);
}

static void
read_error(struct loader *l, const struct hg_session *s, int err, int *failures)
{
	loader_clear(l);
	/* session.c refuses FIFOs, devices and sockets with EINVAL. */
	hg_errorf("%s: %s", s->path, err == EINVAL ? "not a regular file" : strerror(err));
	(*failures)++;
}

/* Session S through the session reader, a chunk at a time. */
static void
stream_session(struct hg_stats_acc *ac, struct loader *l, struct hg_session *s,
	       struct others *tiers, struct others *verdicts, int *failures)
{
	struct hg_ingest_result r;

	s->in_order = true;
	do {
		r = hg_session_ingest(s, STREAM_CHUNK);
		for (size_t k = 0; k < s->n_entries; k++) {
			fold(ac, tiers, verdicts, &s->entries[k]);
			hg_entry_free(&s->entries[k]);
		}
		l->entries += (int64_t)s->n_entries;
		s->n_entries = 0;
		loader_show(l, s);
	} while (r.more && r.status != HG_INGEST_ERROR && r.status != HG_INGEST_GONE);
	if (r.status == HG_INGEST_ERROR || r.status == HG_INGEST_GONE)
		read_error(l, s, r.err, failures);
	l->bytes += hg_session_bytes_read(s);
}

/* Each block of session I from the threads, in file order, to FN (its
 * entries already counted); after a read error, said once, the session's
 * later blocks are dropped. */
static void
each_block(struct loader *l, struct hg_pload *p, size_t i, struct hg_session *s, int *failures,
	   void (*fn)(struct hg_pload_block *, struct hg_session *, void *), void *ctx)
{
	struct hg_pload_block *b;
	bool failed = false;

	while ((b = hg_pload_next(p, i)) != NULL) {
		if (failed)
			continue;
		if (b->err) {
			read_error(l, s, b->err, failures);
			s->err = b->err;
			failed = true;
			continue;
		}
		note_block(s, b);
		l->entries += (int64_t)b->n;
		fn(b, s, ctx);
		loader_show(l, s);
	}
	if (!failed)
		end_blocks(s, p, i);
}

struct folding {
	struct hg_stats_acc *ac;
	struct others *tiers, *verdicts;
	struct loader *l;
};

/* --stats: a block's entries folded into the statistics. */
static void
fold_block(struct hg_pload_block *b, struct hg_session *s, void *ctx)
{
	struct folding *f = ctx;

	(void)s;
	for (size_t k = 0; k < b->n; k++)
		fold(f->ac, f->tiers, f->verdicts, &b->entries[k]);
	f->l->bytes += b->bytes;
}

struct hg_stats *
hg_batch_stats(struct hg_catalog *c, const struct hg_filter *f, bool progress, int *failures)
{
	struct hg_stats_acc *ac = hg_stats_acc_new(f);
	struct hg_stats *st;
	struct hg_pload *p;
	struct loader l;
	size_t i;

	*failures = 0;
	loader_start(&l, c, progress);
	p = hg_pload_start(c->sessions, c->n, 0);
	for (i = 0; i < c->n; i++) {
		struct hg_session *s = c->sessions[i];
		struct others tiers = { 0 }, verdicts = { 0 };

		hg_stats_acc_session(ac, s);
		if (hg_pload_has(p, i))
			each_block(&l, p, i, s, failures, fold_block,
				   &(struct folding){ ac, &tiers, &verdicts, &l });
		else
			stream_session(ac, &l, s, &tiers, &verdicts, failures);
		/* An incomplete last line is read as hyperguild's reader reads
		 * it (hg_batch_take_partials). */
		if (!s->err && hg_session_take_partial(s)) {
			for (size_t k = 0; k < s->n_entries; k++) {
				fold(ac, &tiers, &verdicts, &s->entries[k]);
				hg_entry_free(&s->entries[k]);
			}
			s->n_entries = 0;
		}
		others_keep(s, &tiers, &verdicts);
		others_free(&tiers);
		others_free(&verdicts);
	}
	hg_pload_free(p);
	loader_clear(&l);
	if (c->dir && c->n > 1)
		qsort(c->sessions, c->n, sizeof(*c->sessions), cmp_sessions);
	st = hg_stats_acc_finish(ac, c->n);
	for (i = 0; i < c->n; i++)
		hg_stats_add_go_stop(st, c->sessions[i]);
	return st;
}

/* --batch: a block's entries taken by the session, counted as the
 * session reader counts them. */
static void
take_block(struct hg_pload_block *b, struct hg_session *s, void *ctx)
{
	(void)ctx;
	if (b->n == 0)
		return;		/* a small file with no complete line */
	if (s->n_entries + b->n > s->cap_entries) {
		while (s->n_entries + b->n > s->cap_entries)
			s->cap_entries = s->cap_entries ? s->cap_entries * 2 : 8;
		s->entries = xrealloc(s->entries, s->cap_entries * sizeof(*s->entries));
	}
	for (size_t k = 0; k < b->n; k++) {
		const struct hg_entry *e = &b->entries[k];

		if (e->kind == HG_ENTRY_UNPARSABLE)
			s->n_unparsable++;
		else if (e->kind == HG_ENTRY_ANNOTATION)
			s->n_annotations++;
		if (e->kind != HG_ENTRY_UNPARSABLE && !e->ts_zero && e->ts_ns > s->last_ts_ns)
			s->last_ts_ns = e->ts_ns;
	}
	memcpy(s->entries + s->n_entries, b->entries, b->n * sizeof(*b->entries));
	s->n_entries += b->n;
	b->n = 0;	/* the session owns them now */
}

/* Session I of a --batch load from the threads' blocks: the entries are
 * kept. */
static void
load_blocks(struct loader *l, struct hg_pload *p, size_t i, struct hg_session *s, int *failures)
{
	each_block(l, p, i, s, failures, take_block, NULL);
	l->bytes += s->offset;
	/* As after a first complete read: no slack. */
	if (s->cap_entries > s->n_entries + 8) {
		s->cap_entries = s->n_entries + 8;
		s->entries = xrealloc(s->entries, s->cap_entries * sizeof(*s->entries));
	}
	s->fitted = true;
}
