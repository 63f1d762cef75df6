/* spool.c - a stream on stdin, copied into an unlinked temporary file. */
#include "config.h"

#include "hgtop/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/catalog.h"
#include "hgtop/util.h"

#define SPOOL_CHUNK (64 * 1024)
/* One pump copies at most this much, so a fast stream cannot starve the
 * other descriptors of the owner's poll loop. */
#define SPOOL_PUMP_MAX (4 * 1024 * 1024)

/* A session that received entries in one split. */
struct split_hit {
	struct hg_session *s;
	int64_t n;
	bool is_new;
};

struct hg_spool {
	int in_fd;
	int file_fd;
	int64_t size;
	bool eof;
	char *buf;
	/* Splitting by session_id. */
	struct hg_session *last;	/* the session of the last entry moved */
	struct split_hit *hits;
	size_t n_hits, cap_hits;
	int64_t kept_ts;		/* newest timestamp the stream kept */
};

/* An unlinked file in dir: O_TMPFILE where the filesystem has it, else a
 * named file removed at once. */
static int
open_tmp(const char *dir)
{
	char *tmpl;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	tmpl = xasprintf("%s/hgtop-stdin.XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	free(tmpl);
	return fd;
}

struct hg_spool *
hg_spool_new(int in_fd)
{
	const char *dir = getenv("TMPDIR");
	struct hg_spool *sp;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open_tmp(dir);
	if (fd < 0)
		return NULL;
	sp = xcalloc(1, sizeof(*sp));
	sp->in_fd = in_fd;
	sp->file_fd = fd;
	sp->buf = xmalloc(SPOOL_CHUNK);
	return sp;
}

void
hg_spool_free(struct hg_spool *sp)
{
	if (!sp)
		return;
	close(sp->file_fd);
	free(sp->buf);
	free(sp->hits);
	free(sp);
}

int
hg_spool_fd(const struct hg_spool *sp)
{
	return sp->eof ? -1 : sp->in_fd;
}

bool
hg_spool_eof(const struct hg_spool *sp)
{
	return sp->eof;
}

int64_t
hg_spool_size(const struct hg_spool *sp)
{
	return sp->size;
}

struct hg_session *
hg_spool_session(struct hg_spool *sp, const char *name)
{
	int fd = fcntl(sp->file_fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		die("spool: %s", strerror(errno));
	return hg_session_new_spool(name, fd);
}

void
hg_spool_update_session(const struct hg_spool *sp, struct hg_session *s)
{
	s->stream_ended = sp->eof;
}

static int
append(struct hg_spool *sp, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = pwrite(sp->file_fd, p, n, (off_t)sp->size);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		sp->size += w;
	}
	return 0;
}

/* Is more input ready right now? (stdin is not made O_NONBLOCK: that flag
 * would be shared with whoever else holds the pipe or terminal.) */
static bool
ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* One read(): blocks only when nothing is ready. Returns as read(2). */
static ssize_t
read_once(struct hg_spool *sp)
{
	ssize_t r;

	do
		r = read(sp->in_fd, sp->buf, SPOOL_CHUNK);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		sp->eof = true;
	else if (r > 0 && append(sp, sp->buf, (size_t)r) < 0)
		r = -1;
	if (r < 0)
		sp->eof = true;
	return r;
}

int64_t
hg_spool_pump(struct hg_spool *sp)
{
	int64_t total = 0;
	ssize_t r;

	if (sp->eof)
		return 0;
	do {
		r = read_once(sp);
		if (r < 0)
			return total > 0 ? total : -1;
		total += r;
	} while (r > 0 && total < SPOOL_PUMP_MAX && ready(sp->in_fd));
	return total;
}

int
hg_spool_drain(struct hg_spool *sp)
{
	while (!sp->eof)
		if (read_once(sp) < 0)
			return -1;
	return 0;
}

/* --- splitting by session_id ------------------------------------------------ */

static struct split_hit *
hit_of(struct hg_spool *sp, struct hg_session *s)
{
	size_t i;

	for (i = sp->n_hits; i > 0; i--)
		if (sp->hits[i - 1].s == s)
			return &sp->hits[i - 1];
	if (sp->n_hits == sp->cap_hits) {
		sp->cap_hits = sp->cap_hits ? sp->cap_hits * 2 : 16;
		sp->hits = xrealloc(sp->hits, sp->cap_hits * sizeof(*sp->hits));
	}
	sp->hits[sp->n_hits] = (struct split_hit){ s, 0, false };
	return &sp->hits[sp->n_hits++];
}

/* The session of ID (interned, so compared by pointer first), made and
 * added to C when there is none yet. */
static struct hg_session *
target(struct hg_spool *sp, struct hg_catalog *c, const struct hg_session *stream,
       const char *id)
{
	struct hg_session *s = sp->last;
	size_t i;
	int fd;

	if (s && (s->id == id || !strcmp(s->id, id)))
		return s;
	for (i = 0; i < c->n; i++) {
		s = c->sessions[i];
		if (s->split && !strcmp(s->id, id))
			return sp->last = s;
	}
	fd = fcntl(sp->file_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	s = hg_session_new_spool(id, fd);
	free(s->path);
	s->path = xstrdup(stream->path);
	s->split = true;
	s->stream_ended = stream->stream_ended;
	hg_catalog_add(c, s);
	hit_of(sp, s)->is_new = true;
	return sp->last = s;
}

static void
take(struct hg_session *s, const struct hg_entry *e)
{
	if (s->n_entries == s->cap_entries) {
		s->cap_entries = s->cap_entries ? s->cap_entries * 2 : 8;
		s->entries = xrealloc(s->entries, s->cap_entries * sizeof(*s->entries));
	}
	s->entries[s->n_entries++] = *e;
	if (e->kind == HG_ENTRY_ANNOTATION)
		s->n_annotations++;
	if (!e->ts_zero && e->ts_ns > s->last_ts_ns)
		s->last_ts_ns = e->ts_ns;
	/* How far the stream was read for it (what came after is new). */
	s->offset = s->size = e->offset + hg_entry_length(e) + 1;
	s->line_no = hg_entry_line(e);
}

size_t
hg_spool_split(struct hg_spool *sp, struct hg_catalog *c, struct hg_session *stream,
	       size_t from, hg_spool_split_fn fn, void *ctx)
{
	size_t i, k = from;

	sp->n_hits = 0;
	for (i = from; i < stream->n_entries; i++) {
		struct hg_entry *e = &stream->entries[i];
		struct hg_session *t = NULL;

		/* 0 is "" */
		if (e->kind != HG_ENTRY_UNPARSABLE && hg_entry_sym(e, HG_E_SESSION_ID))
			t = target(sp, c, stream, hg_entry_str(e, HG_E_SESSION_ID));
		if (!t) {
			if (e->kind != HG_ENTRY_UNPARSABLE && !e->ts_zero && e->ts_ns > sp->kept_ts)
				sp->kept_ts = e->ts_ns;
			stream->entries[k++] = *e;
			continue;
		}
		if (e->kind == HG_ENTRY_ANNOTATION)
			stream->n_annotations--;
		take(t, e);
		hit_of(sp, t)->n++;
	}
	stream->n_entries = k;
	/* The stream's own activity: the entries it kept. */
	stream->last_ts_ns = sp->kept_ts;
	for (i = 0; fn && i < sp->n_hits; i++)
		fn(ctx, sp->hits[i].s, sp->hits[i].n, sp->hits[i].is_new);
	return k - from;
}
