/* follow.c - `hgtop --batch --follow`: print new entries as they arrive.
 *
 * The app layer (app.h) waits, watches and reads; this file prints what
 * each ingest brought. Latency matters more than throughput here: the app
 * reads whole files at once (no chunk limit), the new entries are printed
 * and stdout is flushed before the next wait. Idle, the wait is a poll()
 * with no timeout (inotify) or until the next stat() round (polling). */
#include "config.h"

#include "hgtop/follow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/app.h"
#include "hgtop/batch.h"
#include "hgtop/sanitize.h"
#include "hgtop/util.h"
#include "hgtop/watch.h"

struct follow {
	FILE *out;
	const struct hg_options *o;
	const struct hg_filter *f;
	struct hg_session *last; /* whose entries were printed last */
	const struct hg_catalog *c;
};

/* --- printing -------------------------------------------------------------- */

static void
note(const struct hg_session *s, const char *what)
{
	hg_errorf("%s: %s", s->path, what);
}

void
hg_follow_note_stream_end(const struct hg_session *s)
{
	char what[128];

	if (!s->stream_ended || s->pending <= 0)
		return;
	snprintf(what, sizeof(what), "stream ended in the middle of a line (%lld bytes)",
		 (long long)s->pending);
	note(s, what);
}

/* Text mode: a line saying whose entries follow, as `tail` does between
 * files. */
static void
print_header(struct follow *fl, struct hg_session *s, bool is_new)
{
	struct hg_buf b = { 0 };

	hg_buf_adds(&b, "session ");
	hg_sanitize(&b, s->id, strlen(s->id), 0);
	hg_buf_adds(&b, "  ");
	if (fl->c && fl->c->n_dirs > 1 && hg_catalog_label_of(fl->c, s)) {
		const char *src = hg_catalog_label_of(fl->c, s);

		hg_buf_adds(&b, "source ");
		hg_sanitize(&b, src, strlen(src), 0);
		hg_buf_adds(&b, "  ");
	}
	hg_sanitize(&b, s->path, strlen(s->path), 0);
	if (is_new)
		hg_buf_adds(&b, "  (new)");
	hg_buf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, fl->out);
	hg_buf_free(&b);
}

static size_t
first_new_entry(struct follow *fl, struct hg_session *s, const struct hg_ingest_result *r)
{
	switch (r->status) {
	case HG_INGEST_TRUNCATED:
	case HG_INGEST_REPLACED:
	case HG_INGEST_REWRITTEN:
		note(s, hg_ingest_status_text(r->status));
		return 0;
	case HG_INGEST_GONE:
		note(s, hg_ingest_status_text(r->status));
		return s->n_entries;
	case HG_INGEST_ERROR:
		note(s, strerror(r->err));
		break;
	case HG_INGEST_OK:
		break;
	}
	return s->n_entries - (size_t)r->new_entries;
}

/* Flush stdout. Returns -1 to go on, else the exit status: a reader that
 * went away (EPIPE) ends the follow quietly, like `tail -f | head`. */
static int
flush_out(struct follow *fl)
{
	if (fflush(fl->out) == 0 && !ferror(fl->out))
		return -1;
	if (errno == EPIPE)
		return 0;
	hg_errorf("standard output: %s", strerror(errno));
	return 1;
}

/* --- the loop -------------------------------------------------------------- */

/* The app reports every ingest here. */
static void
on_ingest(void *ctx, struct hg_session *s, const struct hg_ingest_result *r, bool is_new)
{
	struct follow *fl = ctx;
	size_t from = first_new_entry(fl, s, r);

	if (r->rotated)
		note(s, "renamed away (rotated), read to its end; the new file under its name follows");

	if (is_new && !fl->o->json) {
		print_header(fl, s, true);
		fl->last = s;
	}
	if (from >= s->n_entries)
		return;
	if (s != fl->last && !fl->o->json)
		print_header(fl, s, false);
	fl->last = s;
	hg_batch_print_entries(fl->out, fl->o, s, from, fl->f);
}

/* What a turn's events mean here. Returns -1 to go on, else the status. */
static int
after_turn(struct follow *fl, struct hg_app *a, unsigned ev)
{
	int rc;

	if (ev & HG_APP_EV_QUIT)
		return hg_app_quit_status(a);	/* 130 after SIGINT, 0 after SIGTERM */
	if (ev & HG_APP_EV_GONE) {
		hg_errorf("%s: the directory was deleted or moved", a->c->dir);
		return 1;
	}
	rc = flush_out(fl);
	if (rc >= 0)
		return rc;
	if (a->stream && a->stream_done && a->spool) {
		size_t i;

		hg_follow_note_stream_end(a->stream);
		a->spool = NULL;	/* nothing more will come */
		/* Only the stream (and the sessions it was split into). */
		for (i = 0; i < a->c->n && a->c->sessions[i]->spool_fd >= 0; i++)
			;
		if (i == a->c->n && !a->c->dir)
			return 0;
	}
	return -1;
}

int
hg_follow_run(FILE *out, const struct hg_options *o, struct hg_catalog *c,
	      struct hg_spool *sp, struct hg_session *stream, const struct hg_filter *f)
{
	struct follow fl = { .out = out, .o = o, .f = f, .c = c };
	struct hg_app a;
	int rc;

	if (hg_app_init(&a, o, c, c->dir ? c->dir : "", NULL, sp, true) < 0) {
		hg_errorf("pipe: %s", strerror(errno));
		return 1;
	}
	a.stream = stream;
	a.on_ingest = on_ingest;
	a.ingest_ctx = &fl;
	fl.last = c->n ? c->sessions[c->n - 1] : NULL;
	if (hg_watch_reason(a.w) && o->poll_ms <= 0)
		hg_errorf("%s", hg_watch_reason(a.w));
	if (hg_watch_note(a.w))
		hg_errorf("%s", hg_watch_note(a.w));
	/* Entries that arrived between the initial load and the first watch
	 * would otherwise be missed: look once more now that it is in place. */
	hg_app_rescan(&a);
	rc = after_turn(&fl, &a, hg_app_take_events(&a));
	while (rc < 0)
		rc = after_turn(&fl, &a, hg_app_step(&a, -1, hg_watch_timeout_ms(a.w)));
	hg_app_done(&a);
	return rc;
}
