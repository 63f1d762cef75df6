/* follow.c - `hgtop --batch --follow`: print new entries as they arrive.
 *
 * Latency matters more than throughput here: an inotify event is turned
 * into an ingest, the new entries are printed and stdout is flushed before
 * the loop waits again. Idle, the loop sleeps in poll() with no timeout
 * (inotify) or until the next stat() round (polling). */
#include "config.h"

#include "hgtop/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/batch.h"
#include "hgtop/sanitize.h"
#include "hgtop/util.h"
#include "hgtop/watch.h"

struct follow {
	FILE *out;
	const struct hg_options *o;
	struct hg_catalog *c;
	const struct hg_filter *f;
	struct hg_watch *w;
	struct hg_spool *sp;
	struct hg_session *stream;
	struct hg_session *last; /* whose entries were printed last */
};

/* --- signals --------------------------------------------------------------- */

static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* The pipe is full: a byte is already waiting. */
	}
	errno = saved;
}

static int
signals_start(struct sigaction old[3])
{
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	int i;

	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	return 0;
}

static void
signals_stop(const struct sigaction old[3])
{
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	int i;

	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

/* --- printing -------------------------------------------------------------- */

static void
note(const struct hg_session *s, const char *what)
{
	struct hg_buf b = { 0 };

	hg_buf_adds(&b, "hgtop: ");
	hg_sanitize(&b, s->path, strlen(s->path), 0);
	hg_buf_printf(&b, ": %s\n", what);
	fputs(b.p, stderr);
	hg_buf_free(&b);
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

/* Read what is new in s and print it. */
static void
update(struct follow *fl, struct hg_session *s, bool is_new)
{
	struct hg_ingest_result r = hg_session_ingest(s, 0);
	size_t from = first_new_entry(fl, s, &r);

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

/* Flush stdout. Returns -1 to go on, else the exit status: a reader that
 * went away (EPIPE) ends the follow quietly, like `tail -f | head`. */
static int
flush_out(struct follow *fl)
{
	if (fflush(fl->out) == 0 && !ferror(fl->out))
		return -1;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "hgtop: standard output: %s\n", strerror(errno));
	return 1;
}

/* --- the loop -------------------------------------------------------------- */

static int
on_changes(struct follow *fl, struct hg_watch_events *ev)
{
	size_t n_before = fl->c->n, i;

	if (ev->rescan && hg_catalog_scan(fl->c) > 0)
		hg_watch_catalog_changed(fl->w);
	if (ev->dir_gone || fl->c->dir_gone) {
		fprintf(stderr, "hgtop: %s: the directory was deleted or moved\n", fl->c->dir);
		return 1;
	}
	if (ev->all) {
		for (i = 0; i < n_before; i++)
			if (fl->c->sessions[i] != fl->stream)
				update(fl, fl->c->sessions[i], false);
	} else {
		for (i = 0; i < ev->n_changed; i++)
			update(fl, ev->changed[i], false);
	}
	for (i = n_before; i < fl->c->n; i++)
		update(fl, fl->c->sessions[i], true);
	return 0;
}

/* Returns true when the stream ended. */
static bool
on_stream(struct follow *fl)
{
	if (hg_spool_pump(fl->sp) < 0)
		fprintf(stderr, "hgtop: stdin: %s\n", strerror(errno));
	hg_spool_update_session(fl->sp, fl->stream);
	update(fl, fl->stream, false);
	if (!hg_spool_eof(fl->sp))
		return false;
	hg_follow_note_stream_end(fl->stream);
	return true;
}

static bool
only_stream(const struct follow *fl)
{
	return fl->stream && fl->c->n == 1 && !fl->c->dir;
}

/* One wait and what follows it. Returns -1 to go on, else the status. */
static int
step(struct follow *fl, struct hg_watch_events *ev)
{
	struct pollfd p[3];
	int n = 0, rc, wfd = hg_watch_fd(fl->w), sfd = fl->sp ? hg_spool_fd(fl->sp) : -1;

	p[n++] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
	if (wfd >= 0)
		p[n++] = (struct pollfd){ .fd = wfd, .events = POLLIN };
	if (sfd >= 0)
		p[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	rc = poll(p, (nfds_t)n, hg_watch_timeout_ms(fl->w));
	if (rc < 0 && errno != EINTR) {
		fprintf(stderr, "hgtop: poll: %s\n", strerror(errno));
		return 1;
	}
	if (rc > 0 && p[0].revents)
		return 0;	/* SIGINT, SIGTERM or SIGHUP */
	if (hg_watch_collect(fl->w, ev) && (rc = on_changes(fl, ev)) != 0)
		return rc;
	if (sfd >= 0 && p[n - 1].revents && on_stream(fl) && only_stream(fl)) {
		rc = flush_out(fl);
		return rc < 0 ? 0 : rc;
	}
	return flush_out(fl);
}

/* Entries that arrived between the initial load and the first watch would
 * otherwise be missed: look once more now that the watch is in place. */
static int
catch_up(struct follow *fl)
{
	struct hg_watch_events ev = { .rescan = true, .all = true };

	return on_changes(fl, &ev) ? 1 : flush_out(fl);
}

int
hg_follow_run(FILE *out, const struct hg_options *o, struct hg_catalog *c,
	      struct hg_spool *sp, struct hg_session *stream, const struct hg_filter *f)
{
	struct follow fl = { .out = out, .o = o, .c = c, .f = f, .sp = sp, .stream = stream };
	struct hg_watch_events ev = { 0 };
	struct sigaction old[3];
	int rc = -1;

	if (signals_start(old) < 0) {
		fprintf(stderr, "hgtop: pipe: %s\n", strerror(errno));
		return 1;
	}
	fl.last = c->n ? c->sessions[c->n - 1] : NULL;
	fl.w = hg_watch_new(c, o->poll_ms);
	if (hg_watch_reason(fl.w) && o->poll_ms <= 0)
		fprintf(stderr, "hgtop: %s\n", hg_watch_reason(fl.w));
	rc = catch_up(&fl);
	while (rc < 0)
		rc = step(&fl, &ev);
	hg_watch_events_free(&ev);
	hg_watch_free(fl.w);
	signals_stop(old);
	return rc;
}
