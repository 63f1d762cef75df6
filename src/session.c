/* session.c - one session log and its incremental ingest. */
#include "config.h"

#include "hgtop/session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/goread.h"
#include "hgtop/parser.h"
#include "hgtop/util.h"

#define TAIL_FIRST_FACTOR 4

/* One read buffer for every session: ingest is synchronous, and a buffer
 * per session would cost a megabyte of address space (and its page faults)
 * for each of 10,000 small files. */
static struct hg_linebuf shared_lb;

size_t
hg_session_buffer_size(void)
{
	return shared_lb.cap;
}

void
hg_session_buffer_release(void)
{
	hg_linebuf_free(&shared_lb);
}

static char *
session_id_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".jsonl") == 0)
		n -= 6;
	return xstrndup(base, n);
}

static struct hg_session *
session_alloc(const char *path, const char *id, int spool_fd)
{
	struct hg_session *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->id = id ? xstrdup(id) : session_id_of(path);
	s->spool_fd = spool_fd;
	s->keep_fd = -1;
	return s;
}

struct hg_session *
hg_session_new(const char *path)
{
	return session_alloc(path, NULL, -1);
}

struct hg_session *
hg_session_new_spool(const char *name, int fd)
{
	return session_alloc(name, name, fd);
}

/* --- descriptors kept between ingests -------------------------------------- */

/* Most recently read first. */
static struct hg_session *kept[HG_SESSION_KEEP_FDS];
static size_t n_kept;

static void
unkeep(struct hg_session *s)
{
	size_t i;

	if (s->keep_fd < 0)
		return;
	for (i = 0; i < n_kept && kept[i] != s; i++)
		;
	if (i < n_kept) {
		memmove(&kept[i], &kept[i + 1], (n_kept - i - 1) * sizeof(*kept));
		n_kept--;
	}
	close(s->keep_fd);
	s->keep_fd = -1;
}

/* Keep fd (the session's file as just read) open, closing the least
 * recently read session's when the set is full. */
static void
keep(struct hg_session *s, int fd)
{
	if (s->keep_fd >= 0 && s->keep_fd != fd)
		unkeep(s);
	if (s->keep_fd == fd) {
		size_t i;

		for (i = 0; i < n_kept && kept[i] != s; i++)
			;
		if (i == n_kept)	/* cannot happen: keep_fd is in the set */
			i = n_kept - 1;
		memmove(&kept[1], &kept[0], i * sizeof(*kept));
		kept[0] = s;
		return;
	}
	if (n_kept == HG_SESSION_KEEP_FDS)
		unkeep(kept[n_kept - 1]);
	memmove(&kept[1], &kept[0], n_kept * sizeof(*kept));
	kept[0] = s;
	n_kept++;
	s->keep_fd = fd;
}

size_t
hg_session_close_kept(void)
{
	size_t n = n_kept;

	while (n_kept)
		unkeep(kept[n_kept - 1]);
	return n;
}

size_t
hg_session_kept(void)
{
	return n_kept;
}

void
hg_session_rename(struct hg_session *s, const char *path)
{
	free(s->path);
	free(s->id);
	s->path = xstrdup(path);
	s->id = session_id_of(path);
}

static void
drop_entries(struct hg_session *s)
{
	size_t i;

	for (i = 0; i < s->n_entries; i++)
		hg_entry_free(&s->entries[i]);
	s->n_entries = 0;
}

static void
drop_head(struct hg_session *s)
{
	size_t i;

	for (i = 0; i < s->n_head; i++)
		hg_entry_free(&s->head[i]);
	free(s->head);
	s->head = NULL;
	s->n_head = s->cap_head = 0;
	s->tail_start = s->head_offset = s->head_line_no = 0;
	s->head_unparsable = s->head_annotations = 0;
	free(s->go_head_stop_reason);
	s->go_head_stop_reason = NULL;
	s->go_head_stop_line = 0;
}

static void
drop_go_verdict(struct hg_session *s)
{
	free(s->go_stop_reason);
	s->go_stop_reason = NULL;
	s->go_stop_line = 0;
}

void
hg_session_free(struct hg_session *s)
{
	if (!s)
		return;
	drop_head(s);
	drop_entries(s);
	hg_pool_free(&s->pool);
	drop_go_verdict(s);
	free(s->entries);
	unkeep(s);
	if (s->spool_fd >= 0)
		close(s->spool_fd);
	free(s->path);
	free(s->id);
	free(s);
}

void
hg_session_reset(struct hg_session *s)
{
	drop_head(s);
	drop_entries(s);
	hg_pool_free(&s->pool);
	drop_go_verdict(s);
	s->partial_taken = false;
	if (s->cap_entries > 1024) {
		free(s->entries);
		s->entries = NULL;
		s->cap_entries = 0;
	}
	s->n_unparsable = s->n_annotations = 0;
	s->offset = s->line_no = s->pending = 0;
	s->clean = s->clean_at = 0;
	s->clean_hash = 0;
	s->head_len = 0;
	s->head_hash = 0;
	s->last_ts_ns = 0;
	s->generation++;
}

const char *
hg_ingest_status_text(enum hg_ingest_status st)
{
	switch (st) {
	case HG_INGEST_OK: return "ok";
	case HG_INGEST_TRUNCATED: return "truncated, read again from the start";
	case HG_INGEST_REPLACED: return "replaced, read again from the start";
	case HG_INGEST_REWRITTEN: return "rewritten, read again from the start";
	case HG_INGEST_GONE: return "deleted";
	case HG_INGEST_ERROR: return "cannot be read";
	}
	return "?";
}

/* Where hyperguild's reader stops: only the first such line counts, so
 * the lines after it are not checked. A complete line's '\r' before its
 * newline (which the reader left out of len) counts towards Go's limit. */
static const struct hg_goread_spans *
go_verdict(struct hg_session *s, bool head, const char *line, size_t len, int64_t line_no)
{
	static _Thread_local struct hg_goread_spans spans;
	int64_t *stop = head ? &s->go_head_stop_line : &s->go_stop_line;
	char **why = head ? &s->go_head_stop_reason : &s->go_stop_reason;
	char msg[HG_GOREAD_MSG];
	size_t raw = line && line[len] == '\r' ? len + 1 : len;
	enum hg_goread_result r;

	if (*stop)
		return NULL;
	r = hg_goread_line_spans(line, len, raw, msg, sizeof(msg), &spans);
	if (r == HG_GOREAD_OK || r == HG_GOREAD_SKIP)
		return &spans;
	*stop = line_no;
	free(*why);
	*why = xstrdup(msg);
	/* Entries read before now match hgread: terms differently. */
	if (!head)
		s->generation++;
	return NULL;
}

static int
add_line(void *ctx, const char *line, size_t len, int64_t offset, int64_t line_no)
{
	struct hg_session *s = ctx;
	struct hg_entry **arr = s->tail_start && offset < s->tail_start ? &s->head : &s->entries;
	size_t *n = arr == &s->head ? &s->n_head : &s->n_entries;
	size_t *cap = arr == &s->head ? &s->cap_head : &s->cap_entries;
	const struct hg_goread_spans *sp;
	struct hg_entry *e;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*arr = xrealloc(*arr, *cap * sizeof(**arr));
	}
	e = &(*arr)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->offset = offset;
	hg_entry_set_place(e, (int64_t)len, line_no);
	/* The Go-reader check first: it finds the strings the parser skips. */
	sp = go_verdict(s, arr == &s->head, line, len, line_no);
	if (line) {
		/* A stream's entries go to other sessions: theirs are not
		 * carved from its pool. */
		hg_parse_set_pool(s->spool_fd < 0 ? &s->pool : NULL);
		hg_parse_line_spans(line, len, sp, e);
		hg_parse_set_pool(NULL);
	} else {
		hg_parse_too_long(len, e);
	}
	/* The counts go with the array: head lines join the entries later. */
	if (e->kind == HG_ENTRY_UNPARSABLE)
		(*(arr == &s->head ? &s->head_unparsable : &s->n_unparsable))++;
	else if (e->kind == HG_ENTRY_ANNOTATION)
		(*(arr == &s->head ? &s->head_annotations : &s->n_annotations))++;
	if (e->kind != HG_ENTRY_UNPARSABLE && !e->ts_zero && e->ts_ns > s->last_ts_ns)
		s->last_ts_ns = e->ts_ns;
	return 0;
}

/* Hash of the first min(size, HG_HEAD_BYTES) bytes, to notice a file that
 * was rewritten in place while keeping (or growing) its size. */
static int
head_hash(int fd, int64_t size, uint64_t *hash, int64_t *len)
{
	char buf[HG_HEAD_BYTES];
	ssize_t r;
	int64_t want = size < HG_HEAD_BYTES ? size : HG_HEAD_BYTES;

	do
		r = pread(fd, buf, (size_t)want, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	*hash = hg_hash(buf, (size_t)r);
	*len = r;
	return 0;
}

static bool
rewritten(struct hg_session *s, int fd)
{
	uint64_t h;
	int64_t len;
	char c;

	if (s->offset == 0 || s->head_len == 0)
		return false;
	if (head_hash(fd, s->head_len, &h, &len) < 0 || len != s->head_len || h != s->head_hash)
		return true;
	/* The byte before the saved offset must still end a line. */
	return pread(fd, &c, 1, (off_t)(s->offset - 1)) != 1 || c != '\n';
}

static int
open_file(struct hg_session *s, struct stat *st, struct hg_ingest_result *res)
{
	int fd;

	if (s->spool_fd >= 0) {
		if (fstat(s->spool_fd, st) < 0) {
			res->status = HG_INGEST_ERROR;
			res->err = errno;
			return -1;
		}
		return s->spool_fd;
	}
	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	/* Out of descriptors: the kept ones are only a convenience. */
	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && hg_session_close_kept() > 0)
		fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, st) < 0) {
		res->err = errno;
		res->status = errno == ENOENT ? HG_INGEST_GONE : HG_INGEST_ERROR;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		res->status = HG_INGEST_ERROR;
		res->err = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	return fd;
}

/* Tail-first loading.
 *
 * An incremental caller (max_bytes > 0) that opens a large file first gets
 * its last max_bytes: the newest entries are on screen at once, whatever
 * the file size. Their line numbers are provisional (HG_LINE_PROVISIONAL
 * and up) until the head [0, tail_start) has been read, in later calls,
 * into a side array; then head and tail are joined, line numbers become
 * real, and the generation changes so that views rebuild. */

static void
start_tail_first(struct hg_session *s, int fd, int64_t from)
{
	char buf[65536];
	int64_t pos = from;
	ssize_t r;

	/* The tail starts after the first newline at or after from - 1. */
	for (;;) {
		char *nl;

		r = pread(fd, buf, sizeof(buf), (off_t)(pos - 1));
		if (r <= 0)
			return;
		nl = memchr(buf, '\n', (size_t)r);
		if (nl) {
			pos = pos - 1 + (nl - buf) + 1;
			break;
		}
		pos += r;
	}
	if (pos <= 0 || pos >= s->size)
		return;
	s->tail_start = pos;
	s->offset = pos;
	s->line_no = HG_LINE_PROVISIONAL;
	s->head_offset = s->head_line_no = 0;
}

/* Join head and tail once the head is complete. */
static void
join_head(struct hg_session *s)
{
	size_t i, n = s->n_head + s->n_entries;
	/* The head's array grows to hold the tail too: a large block is
	 * remapped, not copied, so the entries are never held three times
	 * (head, tail and the joined array) at once. */
	struct hg_entry *all = xrealloc(s->head, (n ? n : 1) * sizeof(*all));

	for (i = 0; i < s->n_entries; i++) {
		struct hg_entry *e = &all[s->n_head + i];

		*e = s->entries[i];
		hg_entry_set_place(e, hg_entry_length(e),
				   hg_entry_line(e) + s->head_line_no - HG_LINE_PROVISIONAL);
	}
	s->line_no += s->head_line_no - HG_LINE_PROVISIONAL;
	if (s->go_head_stop_line) {
		drop_go_verdict(s);
		s->go_stop_line = s->go_head_stop_line;
		s->go_stop_reason = s->go_head_stop_reason;
		s->go_head_stop_reason = NULL;
		s->go_head_stop_line = 0;
	} else if (s->go_stop_line) {
		s->go_stop_line += s->head_line_no - HG_LINE_PROVISIONAL;
	}
	s->n_unparsable += s->head_unparsable;
	s->n_annotations += s->head_annotations;
	s->head_unparsable = s->head_annotations = 0;
	free(s->entries);
	s->entries = all;
	s->n_entries = s->cap_entries = n;
	s->head = NULL;
	s->n_head = s->cap_head = 0;
	s->tail_start = s->head_offset = s->head_line_no = 0;
	s->generation++;
}

/* Read the next part of the head; true while some of it is left. */
static bool
read_head(struct hg_session *s, int fd, int64_t max_bytes, struct hg_ingest_result *res)
{
	int64_t want = s->tail_start - s->head_offset;
	struct hg_read_result rr;

	if (max_bytes > 0 && want > max_bytes)
		want = max_bytes;
	rr = hg_read_lines(fd, &s->head_offset, &s->head_line_no, &shared_lb, want, add_line, s);
	res->bytes += rr.bytes;
	if (rr.err) {
		res->err = rr.err;
		return true;
	}
	if (s->head_offset >= s->tail_start) {
		join_head(s);
		return false;
	}
	return true;
}

/* A partial line already scanned is trusted only while its first bytes are
 * still those scanned: a file truncated and written again since (no
 * smaller than before) is then read again from the saved offset. */
#define PARTIAL_HASH_BYTES 256

static uint64_t
partial_hash(const struct hg_session *s, int fd)
{
	char buf[PARTIAL_HASH_BYTES];
	size_t n = s->clean < PARTIAL_HASH_BYTES ? (size_t)s->clean : PARTIAL_HASH_BYTES;
	ssize_t r;

	if (n == 0)
		return 0;
	r = pread(fd, buf, n, (off_t)s->offset);
	return r == (ssize_t)n ? hg_hash(buf, n) : 1;
}

const char *
hg_line_str(int64_t line_no, char *buf, size_t n)
{
	if (line_no >= HG_LINE_PROVISIONAL)
		snprintf(buf, n, "?");
	else
		snprintf(buf, n, "%lld", (long long)line_no);
	return buf;
}

int64_t
hg_session_bytes_read(const struct hg_session *s)
{
	if (s->tail_start)
		return s->head_offset + (s->offset - s->tail_start);
	return s->offset;
}

/* The kept descriptor: the file as last read. If the path still names it,
 * return it (st filled) to be read as usual. Otherwise read what was
 * appended to it since (complete lines), let it go, and return -1 with
 * *done set when res is the answer of this call. */
static int
drain_kept(struct hg_session *s, struct stat *st, struct hg_ingest_result *res, bool *done)
{
	struct stat now;
	struct hg_read_result rr;
	size_t before = s->n_entries;
	bool named = stat(s->path, &now) == 0;

	*done = false;
	/* Cannot tell (EACCES...): opening the path again says why. */
	if ((!named && errno != ENOENT) || fstat(s->keep_fd, st) < 0) {
		unkeep(s);
		return -1;
	}
	if (named && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
		return s->keep_fd;
	/* Renamed away or deleted: finish it, unless it was rewritten. */
	if (!s->tail_start && st->st_size >= s->offset && !rewritten(s, s->keep_fd)) {
		rr = hg_read_lines(s->keep_fd, &s->offset, &s->line_no, &shared_lb, 0, add_line, s);
		res->bytes += rr.bytes;
		s->size = st->st_size;
		s->mtime_ns = st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	}
	res->new_entries = (int64_t)(s->n_entries - before);
	if (st->st_nlink > 0 && s->offset > 0) {
		/* Rotated: the old file lives on under another name. It is
		 * kept while it is among the recently read, so that its lines
		 * can still be read again (hg_session_open). */
		s->rotated = s->gone = true;
		res->rotated = true;
		*done = true;
	} else if (res->new_entries > 0) {
		/* Deleted or replaced: the lines read now are returned first
		 * (and can be read again until the next call); the next call
		 * sees what the name holds now. */
		s->keep_stale = true;
		res->more = true;
		*done = true;
	} else {
		unkeep(s);
	}
	return -1;
}

/* The incomplete last line taken as an entry is read again when it is
 * complete (or dropped when it is not there any more). */
static void
drop_partial(struct hg_session *s)
{
	struct hg_entry *e;

	struct stat st;
	int r;

	if (!s->partial_taken)
		return;
	/* Still the same file, grown by nothing: keep it. */
	r = s->spool_fd >= 0 ? fstat(s->spool_fd, &st) : stat(s->path, &st);
	if (r == 0 && st.st_dev == s->dev && st.st_ino == s->ino && st.st_size == s->size &&
	    st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec == s->mtime_ns)
		return;
	s->partial_taken = false;
	if (s->n_entries == 0)
		return;
	e = &s->entries[--s->n_entries];
	if (e->kind == HG_ENTRY_UNPARSABLE)
		s->n_unparsable--;
	else if (e->kind == HG_ENTRY_ANNOTATION)
		s->n_annotations--;
	if (s->go_stop_line == hg_entry_line(e))
		drop_go_verdict(s);
	hg_entry_free(e);
	s->generation++;
}

bool
hg_session_take_partial(struct hg_session *s)
{
	char *buf;
	ssize_t r;
	size_t got = 0, n;
	int fd;

	if (s->partial_taken || s->pending <= 0 || s->tail_start || s->rotated || s->gone)
		return false;
	n = (size_t)s->pending;
	fd = hg_session_open(s);
	if (fd < 0)
		return false;
	buf = n <= (size_t)hg_reader_line_max() ? xmalloc(n + 1) : NULL;
	while (buf && got < n) {
		r = pread(fd, buf + got, n - got, (off_t)(s->offset + (int64_t)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (buf && got < n) {
		free(buf);
		return false;
	}
	if (buf)
		buf[n] = '\0';
	/* Go's ScanLines drops a final '\r' of the last line too. */
	if (buf && n > 0 && buf[n - 1] == '\r')
		n--;
	s->partial_taken = true;
	add_line(s, buf, n, s->offset, s->line_no + 1);
	free(buf);
	return true;
}

bool
hg_session_entry_partial(const struct hg_session *s, const struct hg_entry *e)
{
	return s->partial_taken && s->n_entries > 0 && e == &s->entries[s->n_entries - 1];
}

enum hg_go_verdict
hg_session_go(const struct hg_session *s)
{
	if (s->tail_start)
		return HG_GO_UNKNOWN;
	if (s->go_stop_line)
		return HG_GO_STOPS;
	if (s->offset + s->pending < s->size || (s->size == 0 && s->offset == 0 && s->mtime_ns == 0))
		return HG_GO_UNKNOWN;
	return HG_GO_READS;
}

struct hg_ingest_result
hg_session_ingest(struct hg_session *s, int64_t max_bytes)
{
	struct hg_ingest_result res = { 0 };
	struct hg_read_result rr;
	struct stat st;
	size_t before;
	int fd = -1;

	if (s->rotated)
		return res;
	drop_partial(s);
	if (s->keep_stale) {
		unkeep(s);
		s->keep_stale = false;
	}
	if (s->keep_fd >= 0 && s->spool_fd < 0) {
		bool done;

		fd = drain_kept(s, &st, &res, &done);
		if (done)
			return res;
	}
	if (fd < 0)
		fd = open_file(s, &st, &res);
	if (fd < 0) {
		s->err = res.err;
		if (res.status == HG_INGEST_GONE)
			s->gone = true;
		return res;
	}
	s->err = 0;
	/* A file that was deleted and is back is a new file, even when the
	 * filesystem reused the inode number. */
	if (s->offset > 0 && (s->gone || st.st_dev != s->dev || st.st_ino != s->ino))
		res.status = HG_INGEST_REPLACED;
	else if (st.st_size < s->offset)
		res.status = HG_INGEST_TRUNCATED;
	else if ((st.st_size != s->size ||
		  st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec != s->mtime_ns) &&
		 rewritten(s, fd))
		res.status = HG_INGEST_REWRITTEN;
	if (res.status != HG_INGEST_OK)
		hg_session_reset(s);
	s->gone = false;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;

	before = s->n_entries;
	if (max_bytes > 0 && !s->in_order && s->offset == 0 && s->n_entries == 0 && s->spool_fd < 0 &&
	    st.st_size > TAIL_FIRST_FACTOR * max_bytes)
		start_tail_first(s, fd, st.st_size - max_bytes);
	if (s->tail_start)
		res.more = read_head(s, fd, max_bytes, &res);
	/* Resume a partial last line where the last call stopped scanning it
	 * (a line growing by small appends would otherwise be rescanned
	 * whole each time: quadratic). */
	if (s->clean_at != s->offset || res.status != HG_INGEST_OK ||
	    st.st_size < s->offset + s->clean || partial_hash(s, fd) != s->clean_hash)
		s->clean = 0;
	rr = hg_read_lines_resume(fd, &s->offset, &s->line_no, &s->clean, &shared_lb, max_bytes,
				  add_line, s);
	s->clean_at = s->offset;
	s->clean_hash = partial_hash(s, fd);
	/* The head covers complete lines only: a partial last line may still
	 * be rewritten by its writer (or vanish with the file it was in)
	 * without the lines already read having changed. */
	if (s->head_len < HG_HEAD_BYTES && s->head_len < s->offset)
		head_hash(fd, s->offset, &s->head_hash, &s->head_len);
	if (fd != s->spool_fd)
		keep(s, fd);
	res.bytes += rr.bytes;
	res.more |= rr.more;
	/* Joining the head counts as new entries: views must catch up. */
	res.new_entries = (int64_t)(s->n_entries - before);
	s->pending = rr.more ? 0 : rr.pending;
	/* After the first complete read, give back the slack of the doubling:
	 * most of 10,000 small sessions never grow again. */
	if (!res.more && !s->fitted && s->cap_entries > s->n_entries + 8) {
		s->cap_entries = s->n_entries + 8;
		s->entries = xrealloc(s->entries, s->cap_entries * sizeof(*s->entries));
		s->fitted = true;
	}
	if (rr.err) {
		s->err = res.err = rr.err;
		if (res.status == HG_INGEST_OK)
			res.status = HG_INGEST_ERROR;
	}
	return res;
}

int
hg_session_open(const struct hg_session *s)
{
	struct stat st;
	int fd;

	if (s->spool_fd >= 0 || s->keep_fd >= 0)
		return fcntl(s->spool_fd >= 0 ? s->spool_fd : s->keep_fd, F_DUPFD_CLOEXEC, 0);
	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* Another file under the name (rotated, replaced): not these lines. */
	if (s->ino && (fstat(fd, &st) < 0 || st.st_ino != s->ino || st.st_dev != s->dev)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

char *
hg_session_read_line(const struct hg_session *s, const struct hg_entry *e, size_t *len)
{
	int fd, saved;
	char *buf;
	ssize_t r;
	size_t n = (size_t)hg_entry_length(e);

	if (hg_entry_length(e) > hg_reader_line_max()) {
		errno = EFBIG;	/* never held whole: see reader.h */
		return NULL;
	}
	fd = hg_session_open(s);
	if (fd < 0)
		return NULL;
	buf = xmalloc(n + 1);
	r = hg_pread_full(fd, buf, n, e->offset);
	if (r < 0 || (size_t)r < n) {
		saved = r < 0 ? errno : ESTALE;	/* shorter than the entry */
		free(buf);
		close(fd);
		errno = saved;
		return NULL;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void
hg_line_reader_close(struct hg_line_reader *r)
{
	if (r->s && r->fd >= 0)
		close(r->fd);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

/* Read [from, from + n) into the reader's buffer. */
static int
reader_fill(struct hg_line_reader *r, int64_t from, size_t n)
{
	ssize_t got;

	if (n > r->cap) {
		free(r->buf);
		r->buf = xmalloc(n);
		r->cap = n;
	}
	r->len = 0;
	got = hg_pread_full(r->fd, r->buf, n, from);
	if (got < 0)
		return -1;
	r->base = from;
	r->len = (size_t)got;
	return 0;
}

const char *
hg_line_reader_get(struct hg_line_reader *r, const struct hg_session *s,
		   const struct hg_entry *e, size_t *len)
{
	int64_t end = e->offset + hg_entry_length(e), from;
	size_t n;

	if (hg_entry_length(e) > hg_reader_line_max()) {
		errno = EFBIG;
		return NULL;
	}
	if (r->s != s || r->generation != s->generation) {
		hg_line_reader_close(r);
		r->fd = hg_session_open(s);
		if (r->fd < 0)
			return NULL;
		r->s = s;
		r->generation = s->generation;
	}
	if (e->offset < r->base || end > r->base + (int64_t)r->len) {
		/* A block from the line on, or ending with it when the pass
		 * goes back through the file. */
		n = (size_t)hg_entry_length(e) > HG_LINE_BLOCK ? (size_t)hg_entry_length(e) : HG_LINE_BLOCK;
		from = e->offset;
		if (e->offset < r->base)
			from = end > (int64_t)n ? end - (int64_t)n : 0;
		if (reader_fill(r, from, n) < 0)
			return NULL;
		if (end > r->base + (int64_t)r->len) {
			errno = ESTALE;	/* the file is shorter than the entry */
			return NULL;
		}
	}
	*len = (size_t)hg_entry_length(e);
	return r->buf + (e->offset - r->base);
}

int
hg_session_entry_texts(const struct hg_session *s, const struct hg_entry *e, size_t first,
		       char **texts, size_t n)
{
	struct hg_entry t = { 0 };
	const char *text, *fb;
	char *line;
	size_t len, i;

	for (i = 0; i < n; i++)
		texts[i] = NULL;
	line = hg_session_read_line(s, e, &len);
	if (!line)
		return -1;
	hg_parse_line_texts(line, len, &t);
	free(line);
	/* The same line must give the same entry. */
	if (t.kind != e->kind || hg_entry_sym(&t, HG_E_SKILL) != hg_entry_sym(e, HG_E_SKILL) ||
	    t.n_attempts != e->n_attempts || hg_entry_message_len(&t) != hg_entry_message_len(e)) {
		hg_entry_free(&t);
		errno = ESTALE;
		return -1;
	}
	if (first == 0 && n > 0 && hg_entry_message(&t))
		texts[0] = xstrdup(hg_entry_message(&t));
	/* Feedback k (text k + 1), walked once from the first. */
	fb = hg_feedback_first(&t);
	for (i = 0; i < t.n_attempts && i + 1 < first + n; i++) {
		text = hg_feedback_next(&t.attempts[i], &fb);
		if (i + 1 >= first && text)
			texts[i + 1 - first] = xstrdup(text);
	}
	hg_entry_free(&t);
	return 0;
}

ssize_t
hg_session_find_line(const struct hg_session *s, int64_t line_no)
{
	size_t lo = 0, hi = s->n_entries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (hg_entry_line(&s->entries[mid]) < line_no)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_entries && hg_entry_line(&s->entries[lo]) == line_no)
		return (ssize_t)lo;
	return -1;
}
