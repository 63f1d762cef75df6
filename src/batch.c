/* batch.c - headless output (--batch, --batch --json).
 *
 * Text format (documented in hgtop(1)):
 *   session ID  PATH  N entries[, M unparsable]
 *   DATE TIME  SKILL  FINAL_STATUS  TIERS  DURATION[  MESSAGE]
 *     #N  TIER  MODEL  DURATION  warm|cold  verified|unverified  VERDICT[  FEEDBACK]
 *     note (AUTHOR): TEXT
 *   line N: unparsable: REASON
 * Every text from the log is sanitised: no control character reaches
 * stdout. */
#include "config.h"

#include "hgtop/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/parser.h"
#include "hgtop/sanitize.h"
#include "hgtop/util.h"

static bool
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0;
}

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
format_attempt(struct hg_buf *b, const struct hg_attempt *a)
{
	char dur[32];

	hg_fmt_duration(dur, sizeof(dur), a->duration_ms);
	hg_buf_printf(b, "    #%lld", (long long)a->attempt);
	add_field(b, hg_attempt_tier(a));
	add_field(b, a->model);
	hg_buf_printf(b, "  %s  %s  %s", dur, a->warm_start ? "warm" : "cold",
		      a->verified ? "verified" : "unverified");
	add_field(b, hg_attempt_verdict(a));
	if (a->feedback) {
		hg_buf_adds(b, "  \"");
		add_text(b, a->feedback, a->feedback_len);
		hg_buf_adds(b, "\"");
	} else if (a->feedback_len) {
		hg_buf_printf(b, "  (feedback: %u bytes)", a->feedback_len);
	}
	hg_buf_addc(b, '\n');
}

static void
format_annotation(struct hg_buf *b, const struct hg_entry *e, const char *indent)
{
	hg_buf_printf(b, "%snote", indent);
	if (e->ann_author && *e->ann_author) {
		hg_buf_adds(b, " (");
		add_text(b, e->ann_author, strlen(e->ann_author));
		hg_buf_adds(b, ")");
	}
	if (e->ann_target_attempt)
		hg_buf_printf(b, " on #%lld", (long long)e->ann_target_attempt);
	hg_buf_adds(b, ": ");
	if (e->message)
		hg_sanitize(b, e->message, e->message_len, 0);
	hg_buf_addc(b, '\n');
}

static void
format_entry(struct hg_buf *b, const struct hg_entry *e, const char *arrow)
{
	char when[32] = "-", dur[32], chain[256];
	uint32_t i;

	if (e->kind == HG_ENTRY_UNPARSABLE) {
		hg_buf_printf(b, "line %lld: unparsable: ", (long long)e->line_no);
		hg_sanitize(b, e->reason ? e->reason : "", e->reason ? strlen(e->reason) : 0, 0);
		hg_buf_addc(b, '\n');
		return;
	}
	if (e->kind == HG_ENTRY_ANNOTATION) {
		hg_buf_printf(b, "line %lld: ", (long long)e->line_no);
		format_annotation(b, e, "");
		return;
	}
	if (!e->ts_zero)
		hg_format_datetime(e->ts_ns, when, sizeof(when));
	if (e->duration_ms)
		hg_fmt_duration(dur, sizeof(dur), e->duration_ms);
	else
		snprintf(dur, sizeof(dur), "-");
	hg_entry_chain(e, arrow, chain, sizeof(chain));
	hg_buf_adds(b, when);
	add_field(b, e->skill);
	add_field(b, e->final_status);
	add_field(b, chain);
	hg_buf_printf(b, "  %s", dur);
	if (e->message) {
		hg_buf_adds(b, "  ");
		add_text(b, e->message, e->message_len);
	}
	hg_buf_addc(b, '\n');
	for (i = 0; i < e->n_attempts; i++)
		format_attempt(b, &e->attempts[i]);
}

static bool
shown(const struct hg_filter *f, const struct hg_session *s, const struct hg_entry *e)
{
	(void)f;
	(void)s;
	(void)e;
	return true;
}

/* The raw line, read back from the file through one descriptor. */
static void
print_json(FILE *out, struct hg_session *s, size_t from, const struct hg_filter *f)
{
	int fd = s->spool_fd >= 0 ? s->spool_fd : open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct hg_buf b = { 0 };
	size_t i;

	if (fd < 0) {
		fprintf(stderr, "hgtop: %s: %s\n", s->path, strerror(errno));
		return;
	}
	for (i = from; i < s->n_entries; i++) {
		const struct hg_entry *e = &s->entries[i];
		ssize_t r;

		if (e->kind == HG_ENTRY_UNPARSABLE || !shown(f, s, e))
			continue;
		hg_buf_reset(&b);
		hg_buf_reserve(&b, (size_t)e->length + 1);
		r = pread(fd, b.p, (size_t)e->length, (off_t)e->offset);
		if (r != (ssize_t)e->length) {
			fprintf(stderr, "hgtop: %s: line %lld changed while reading\n", s->path,
				(long long)e->line_no);
			continue;
		}
		b.p[r] = '\n';
		fwrite(b.p, 1, (size_t)r + 1, out);
	}
	if (fd != s->spool_fd)
		close(fd);
	hg_buf_free(&b);
}

void
hg_batch_print_entries(FILE *out, const struct hg_options *o, struct hg_session *s,
		       size_t from, const struct hg_filter *f)
{
	const char *arrow = utf8_locale() ? "→" : "->";
	struct hg_buf b = { 0 };
	size_t i;

	if (o->json) {
		print_json(out, s, from, f);
		return;
	}
	for (i = from; i < s->n_entries; i++) {
		if (!shown(f, s, &s->entries[i]))
			continue;
		hg_buf_reset(&b);
		format_entry(&b, &s->entries[i], arrow);
		fwrite(b.p, 1, b.len, out);
	}
	hg_buf_free(&b);
}

static void
print_header(FILE *out, const struct hg_session *s)
{
	struct hg_buf b = { 0 };

	hg_buf_adds(&b, "session ");
	hg_sanitize(&b, s->id, strlen(s->id), 0);
	hg_buf_adds(&b, "  ");
	hg_sanitize(&b, s->path, strlen(s->path), 0);
	hg_buf_printf(&b, "  %zu entries", s->n_entries - (size_t)s->n_unparsable);
	if (s->n_unparsable)
		hg_buf_printf(&b, ", %lld unparsable", (long long)s->n_unparsable);
	if (s->pending)
		hg_buf_printf(&b, ", incomplete last line (%lld bytes)", (long long)s->pending);
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

int
hg_batch_load(struct hg_catalog *c)
{
	int failures = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct hg_session *s = c->sessions[i];
		struct hg_ingest_result r = hg_session_ingest(s, 0);

		if (r.status == HG_INGEST_ERROR || r.status == HG_INGEST_GONE) {
			fprintf(stderr, "hgtop: %s: %s\n", s->path, strerror(r.err));
			failures++;
		}
	}
	if (c->dir)
		qsort(c->sessions, c->n, sizeof(*c->sessions), cmp_sessions);
	return failures;
}

int
hg_batch_print(FILE *out, const struct hg_options *o, struct hg_catalog *c,
	       const struct hg_filter *f)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct hg_session *s = c->sessions[i];

		if (s->err)
			continue;
		if (!o->json)
			print_header(out, s);
		hg_batch_print_entries(out, o, s, 0, f);
	}
	if (fflush(out) != 0 || ferror(out))
		return 1;
	return 0;
}
