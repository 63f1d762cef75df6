/* spool.c - a stream on stdin, copied into an unlinked temporary file. */
#include "config.h"

#include "hgtop/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hgtop/util.h"

#define SPOOL_CHUNK (64 * 1024)
/* One pump copies at most this much, so a fast stream cannot starve the
 * other descriptors of the owner's poll loop. */
#define SPOOL_PUMP_MAX (4 * 1024 * 1024)

struct hg_spool {
	int in_fd;
	int file_fd;
	int64_t size;
	bool eof;
	char *buf;
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
