/* pload.c - parse log files on every core, entries back in file order.
 *
 * The main thread plans the blocks (whole lines, BLOCK bytes or a little
 * more) before the threads start; a thread takes the next block not yet
 * taken, as long as fewer than WINDOW blocks wait to be taken back, reads
 * it with one pread and parses its lines. Blocks are taken back strictly
 * in order. The parser and the interning table are safe to call from
 * several threads (per-thread arena and scratch; one lock behind a
 * per-thread cache). */
#include "config.h"

#include "hgtop/pload.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/goread.h"
#include "hgtop/parser.h"
#include "hgtop/reader.h"
#include "hgtop/sanitize.h"
#include "hgtop/util.h"

/* Bytes of a block, about. */
#define BLOCK (INT64_C(2) << 20)
/* A block that would have to hold more (one very long line): the
 * session is left to the session reader, which reads past such lines. */
#define BLOCK_MAX (INT64_C(32) << 20)
/* Read when looking for a newline. */
#define SCAN 65536
/* Lines of a block, about, at most: short lines make smaller blocks, so
 * the entries of the blocks in flight stay a few MB (a 2 MB block of
 * "{}" lines would be 700,000 entries). Their length is judged from the
 * first SAMPLE bytes of the block. */
#define BLOCK_LINES 16384
#define SAMPLE 4096
/* A file this small is one block, planned without opening it: the thread
 * that reads it finds where its last line ends (few enough lines for a
 * block whatever their length). */
#define SMALL (INT64_C(64) << 10)
/* Blocks parsed ahead of the caller: at least WINDOW_PER_THREAD per thread,
 * more while they hold fewer than that many BLOCKs of bytes (many small
 * files), never more than WINDOW_MAX. */
#define WINDOW_PER_THREAD 4
#define WINDOW_MAX 1024

struct job {
	size_t session;
	int64_t start, end;		/* [start, end): whole lines (a SMALL
					 * file's end is found when it is read) */
	int64_t bytes;			/* planned: end - start, or a SMALL
					 * file's size */
	size_t counted;			/* entries it added to ahead_entries */
	bool small;
	bool done;
	int64_t lines;			/* physical lines in the block */
	struct hg_pload_block b;
	size_t cap;			/* of b.entries */
};

struct plan {
	int64_t size, end;		/* of the file; its complete lines */
	size_t first, n;		/* its jobs */
	size_t next;			/* the next to take back */
	int64_t line_base;		/* lines before that job */
};

struct hg_pload {
	struct hg_session *const *ss;
	struct plan *plan;		/* per session */
	size_t n_sessions;
	struct job *jobs;
	size_t n_jobs, cap_jobs;
	pthread_t *threads;
	int n_threads;
	size_t window;			/* blocks ahead, at least */
	int64_t window_bytes;		/* bytes ahead, at most, past window */
	/* Under lock. */
	pthread_mutex_t lock;
	pthread_cond_t done_cv;		/* a block was parsed */
	pthread_cond_t free_cv;		/* a block was taken back, or stop */
	size_t next_job;		/* the next to parse */
	size_t taken;			/* blocks taken back */
	int64_t ahead_bytes;		/* of the blocks taken, not taken back */
	size_t ahead_entries;		/* of those parsed, not taken back */
	int idle;			/* threads waiting on free_cv */
	bool caller_waits;		/* the caller waits on done_cv */
	bool stop;
	struct job *returned;		/* freed at the next call */
	/* Entry arrays given back, kept for the next blocks: a fresh one
	 * of that size would be mapped, and unmapped when freed. */
	struct hg_pload_block *pool;	/* bytes: capacity of entries */
	size_t n_pool, cap_pool;
};

/* Offset just past the first '\n' at or after FROM, below LIMIT; -1 when
 * there is none; -2 on a read error. */
static int64_t
find_nl(int fd, int64_t from, int64_t limit, char *buf)
{
	while (from < limit) {
		size_t want = limit - from < SCAN ? (size_t)(limit - from) : SCAN;
		ssize_t r = pread(fd, buf, want, (off_t)from);
		char *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -2;
		nl = memchr(buf, '\n', (size_t)r);
		if (nl)
			return from + (nl - buf) + 1;
		from += r;
	}
	return -1;
}

/* Bytes for the block at POS (below LIMIT): BLOCK, or fewer where the
 * lines are short. */
static int64_t
block_bytes(int fd, int64_t pos, int64_t limit, char *buf)
{
	size_t want = limit - pos < SAMPLE ? (size_t)(limit - pos) : SAMPLE, lines = 0;
	ssize_t r = pread(fd, buf, want, (off_t)pos);
	int64_t bytes;

	for (ssize_t k = 0; k < r; k++)
		lines += buf[k] == '\n';
	if (lines == 0)
		return BLOCK;
	bytes = (int64_t)BLOCK_LINES * (r / (ssize_t)lines);
	return bytes < SAMPLE ? SAMPLE : bytes > BLOCK ? BLOCK : bytes;
}

/* Offset just past the last '\n' below SIZE (0: none); -2 on error. */
static int64_t
last_nl(int fd, int64_t size, char *buf)
{
	int64_t to = size;

	while (to > 0) {
		int64_t from = to > SCAN ? to - SCAN : 0;
		ssize_t r = pread(fd, buf, (size_t)(to - from), (off_t)from);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < to - from)
			return -2;
		for (ssize_t k = r - 1; k >= 0; k--)
			if (buf[k] == '\n')
				return from + k + 1;
		to = from;
	}
	return 0;
}

static struct job *
add_job(struct hg_pload *p, size_t session, int64_t start, int64_t end)
{
	struct job *j;

	if (p->n_jobs == p->cap_jobs) {
		p->cap_jobs = p->cap_jobs ? p->cap_jobs * 2 : 64;
		p->jobs = xrealloc(p->jobs, p->cap_jobs * sizeof(*p->jobs));
	}
	j = &p->jobs[p->n_jobs++];
	memset(j, 0, sizeof(*j));
	j->session = session;
	j->start = start;
	j->end = end;
	j->bytes = end - start;
	return j;
}

/* The blocks of the file at PATH (opened, ST filled), which is larger
 * than SMALL; *end: its complete lines. False when it does not fit. */
static bool
plan_blocks(struct hg_pload *p, size_t i, const char *path, struct stat *st, int64_t *end,
	    char *buf)
{
	int64_t pos = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = true;

	if (fd < 0)
		return false;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || (*end = last_nl(fd, st->st_size, buf)) < 0) {
		close(fd);
		return false;
	}
	while (ok && pos < *end) {
		int64_t want = block_bytes(fd, pos, *end, buf);
		int64_t to = pos + want >= *end ? *end : find_nl(fd, pos + want - 1, *end, buf);

		ok = to >= 0 && to - pos <= BLOCK_MAX;
		if (ok)
			add_job(p, i, pos, to);
		pos = to;
	}
	close(fd);
	return ok;
}

/* The blocks of session I; false (and none) when it is not for here. */
static bool
plan_session(struct hg_pload *p, size_t i, char *buf)
{
	const struct hg_session *s = p->ss[i];
	size_t first = p->n_jobs;
	int64_t end;
	struct stat st;

	if (s->spool_fd >= 0 || s->rotated || s->offset || s->n_entries || s->tail_start ||
	    stat(s->path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (st.st_size <= SMALL) {
		if (st.st_size > 0) {
			struct job *j = add_job(p, i, 0, 0);

			j->bytes = st.st_size;
			j->small = true;
		}
		end = 0;	/* set when the block is read */
	} else if (!plan_blocks(p, i, s->path, &st, &end, buf)) {
		p->n_jobs = first;
		return false;
	}
	p->plan[i] = (struct plan){
		.size = st.st_size, .end = end, .first = first, .n = p->n_jobs - first, .next = first,
	};
	return true;
}

static void
push_entry(struct job *j, const char *line, size_t len, size_t raw, int64_t offset,
	   struct hg_goread_spans *spans)
{
	struct hg_entry *e;
	bool too_long = (int64_t)len > hg_reader_line_max();
	const struct hg_goread_spans *sp = NULL;

	if (j->b.n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 256;
		j->b.entries = xrealloc(j->b.entries, j->cap * sizeof(*j->b.entries));
	}
	e = &j->b.entries[j->b.n++];
	memset(e, 0, sizeof(*e));
	e->offset = offset;
	hg_entry_set_place(e, (int64_t)len, ++j->lines);
	/* As the session reader's add_line: the first line where
	 * hyperguild's reader stops. Its check also tells the parser where
	 * the strings it skips are. */
	if (!j->b.go_stop_line) {
		char msg[HG_GOREAD_MSG];
		enum hg_goread_result r = hg_goread_line_spans(too_long ? NULL : line, len, raw, msg,
							       sizeof(msg), spans);

		if (r != HG_GOREAD_OK && r != HG_GOREAD_SKIP) {
			j->b.go_stop_line = j->lines;
			j->b.go_stop_reason = xstrdup(msg);
		}
		sp = spans;
	}
	if (too_long)
		hg_parse_too_long(len, e);
	else
		hg_parse_line_spans(line, len, sp, e);
}

static void
run_job(struct hg_pload *p, struct job *j, char **buf, size_t *cap)
{
	size_t len = (size_t)j->bytes, got = 0, at = 0;
	struct hg_pload_block old = { 0 };
	struct hg_goread_spans spans;
	int fd = open(p->ss[j->session]->path, O_RDONLY | O_CLOEXEC);

	pthread_mutex_lock(&p->lock);
	if (p->n_pool)
		old = p->pool[--p->n_pool];
	pthread_mutex_unlock(&p->lock);
	/* What the entries of an old block own is freed here, off the thread
	 * that takes the blocks back. */
	for (size_t k = 0; k < old.n; k++)
		hg_entry_free(&old.entries[k]);
	j->b.entries = old.entries;
	j->cap = (size_t)old.bytes;

	j->b.bytes = (int64_t)len;
	if (fd < 0) {
		j->b.err = errno;
		return;
	}
	if (*cap < len) {
		/* With room for the next blocks, which differ by a line or so. */
		*cap = len + BLOCK / 4;
		free(*buf);
		*buf = xmalloc(*cap);
	}
	while (got < len) {
		ssize_t r = pread(fd, *buf + got, len - got, (off_t)(j->start + (int64_t)got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			j->b.err = r < 0 ? errno : ESTALE;	/* the file shrank */
			close(fd);
			return;
		}
		got += (size_t)r;
	}
	close(fd);
	if (j->small) {
		/* Up to the end of its last complete line. */
		char *nl = len ? memrchr(*buf, '\n', len) : NULL;

		len = nl ? (size_t)(nl - *buf) + 1 : 0;
		j->end = j->start + (int64_t)len;
		j->b.bytes = (int64_t)len;
	}
	while (at < len) {
		char *nl = memchr(*buf + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - *buf) : len, n = end - at, raw = n;

		/* As the session reader: without the "\r" of a "\r\n". */
		if (n > 0 && (*buf)[at + n - 1] == '\r')
			n--;
		push_entry(j, *buf + at, n, raw, j->start + (int64_t)at, &spans);
		at = end + 1;
	}
}

/* Whether the next block is too far ahead of the caller: past the window
 * in blocks and in bytes, or past WINDOW_MAX blocks. Under lock. */
static bool
too_far(const struct hg_pload *p)
{
	size_t ahead = p->next_job - p->taken;

	return ahead >= WINDOW_MAX ||
	       (ahead >= p->window && (p->ahead_bytes >= p->window_bytes ||
				       p->ahead_entries >= p->window * BLOCK_LINES));
}

static void *
worker(void *arg)
{
	struct hg_pload *p = arg;
	char *buf = NULL;
	size_t cap = 0;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job *j;

		while (!p->stop && p->next_job < p->n_jobs && too_far(p)) {
			p->idle++;
			pthread_cond_wait(&p->free_cv, &p->lock);
			p->idle--;
		}
		if (p->stop || p->next_job >= p->n_jobs)
			break;
		j = &p->jobs[p->next_job++];
		p->ahead_bytes += j->bytes;
		pthread_mutex_unlock(&p->lock);
		run_job(p, j, &buf, &cap);
		pthread_mutex_lock(&p->lock);
		j->done = true;
		j->counted = j->b.n;
		p->ahead_entries += j->counted;
		/* Only the caller waits for blocks: no wake-up when it does
		 * not (many small files make many blocks). */
		if (p->caller_waits)
			pthread_cond_signal(&p->done_cv);
	}
	pthread_mutex_unlock(&p->lock);
	free(buf);
	hg_parse_release();
	return NULL;
}

static void
free_block(struct hg_pload_block *b)
{
	free(b->go_stop_reason);
	b->go_stop_reason = NULL;
	for (size_t k = 0; k < b->n; k++)
		hg_entry_free(&b->entries[k]);
	free(b->entries);
	b->entries = NULL;
	b->n = 0;
}

struct hg_pload *
hg_pload_start(struct hg_session *const *ss, size_t n, int threads)
{
	struct hg_pload *p = xcalloc(1, sizeof(*p));
	char *buf = xmalloc(SCAN);
	long online;

	p->ss = ss;
	p->n_sessions = n;
	p->plan = xcalloc(n ? n : 1, sizeof(*p->plan));
	for (size_t i = 0; i < n; i++)
		plan_session(p, i, buf);
	free(buf);
	online = sysconf(_SC_NPROCESSORS_ONLN);
	if (threads <= 0)
		threads = online > 1 ? (int)(online < 64 ? online : 64) : 1;
	/* Nothing to share out: the caller's plain reading is as fast. */
	if (threads < 2 || p->n_jobs < 2) {
		free(p->plan);
		free(p->jobs);
		free(p);
		return NULL;
	}
	p->window = WINDOW_PER_THREAD * (size_t)threads;
	p->window_bytes = (int64_t)p->window * BLOCK / 4;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	pthread_cond_init(&p->free_cv, NULL);
	p->threads = xcalloc((size_t)threads, sizeof(*p->threads));
	for (int t = 0; t < threads; t++) {
		int rc = pthread_create(&p->threads[t], NULL, worker, p);

		if (rc != 0) {
			/* None at all: the blocks are parsed as they are asked for. */
			if (p->n_threads == 0)
				hg_errorf("cannot start a thread (%s): reading on one core",
					  strerror(rc));
			break;
		}
		p->n_threads++;
	}
	return p;
}

bool
hg_pload_has(const struct hg_pload *p, size_t i)
{
	return p && i < p->n_sessions && p->plan[i].n > 0;
}

void
hg_pload_extent(const struct hg_pload *p, size_t i, int64_t *size, int64_t *end)
{
	*size = p->plan[i].size;
	*end = p->plan[i].end;
}

/* Give back the block returned last; its array goes to the pool, with
 * its entries, which the thread that takes it frees. */
static void
give_back(struct hg_pload *p)
{
	struct job *j = p->returned;

	if (!j)
		return;
	p->returned = NULL;
	free(j->b.go_stop_reason);
	j->b.go_stop_reason = NULL;
	pthread_mutex_lock(&p->lock);
	if (j->b.entries) {
		if (p->n_pool == p->cap_pool) {
			p->cap_pool = p->cap_pool ? p->cap_pool * 2 : 16;
			p->pool = xrealloc(p->pool, p->cap_pool * sizeof(*p->pool));
		}
		/* In the pool, bytes holds the array's capacity. */
		p->pool[p->n_pool++] = (struct hg_pload_block){
			.entries = j->b.entries, .n = j->b.n, .bytes = (int64_t)j->cap,
		};
		j->b.entries = NULL;
		j->b.n = j->cap = 0;
	}
	p->taken++;
	p->ahead_bytes -= j->bytes;
	p->ahead_entries -= j->counted;
	if (p->idle)
		pthread_cond_broadcast(&p->free_cv);
	pthread_mutex_unlock(&p->lock);
}

struct hg_pload_block *
hg_pload_next(struct hg_pload *p, size_t i)
{
	struct plan *pl = &p->plan[i];
	struct job *j;

	give_back(p);
	if (pl->next >= pl->first + pl->n)
		return NULL;
	j = &p->jobs[pl->next++];
	pthread_mutex_lock(&p->lock);
	if (p->n_threads == 0 && !j->done && p->next_job == (size_t)(j - p->jobs)) {
		p->next_job++;
		p->ahead_bytes += j->bytes;
		pthread_mutex_unlock(&p->lock);
		{
			char *buf = NULL;
			size_t cap = 0;

			run_job(p, j, &buf, &cap);
			free(buf);
		}
		pthread_mutex_lock(&p->lock);
		j->done = true;
	}
	while (!j->done) {
		p->caller_waits = true;
		pthread_cond_wait(&p->done_cv, &p->lock);
		p->caller_waits = false;
	}
	pthread_mutex_unlock(&p->lock);
	if (j->small)
		pl->end = j->end;
	for (size_t k = 0; k < j->b.n; k++)
		hg_entry_set_place(&j->b.entries[k], hg_entry_length(&j->b.entries[k]),
				   hg_entry_line(&j->b.entries[k]) + pl->line_base);
	if (j->b.go_stop_line)
		j->b.go_stop_line += pl->line_base;
	pl->line_base += j->lines;
	p->returned = j;
	return &j->b;
}

void
hg_pload_free(struct hg_pload *p)
{
	if (!p)
		return;
	give_back(p);
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->free_cv);
	pthread_mutex_unlock(&p->lock);
	for (int t = 0; t < p->n_threads; t++)
		pthread_join(p->threads[t], NULL);
	for (size_t k = 0; k < p->n_jobs; k++)
		free_block(&p->jobs[k].b);
	for (size_t k = 0; k < p->n_pool; k++)
		free_block(&p->pool[k]);
	free(p->pool);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->done_cv);
	pthread_cond_destroy(&p->free_cv);
	free(p->threads);
	free(p->jobs);
	free(p->plan);
	free(p);
}
