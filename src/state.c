/* state.c - the state directory and its files (state.h). */
#include "config.h"

#include "hgtop/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hgtop/history.h"

/* Another hgtop holds a lock for one read and one write of a small file;
 * polled every millisecond (a busy writer lets go only briefly). */
#define LOCK_WAIT_MS	3000
#define LAST_FILTER_MAX	200

char *
hg_state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	/* The XDG spec: a relative path is invalid and to be ignored. */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/hgtop", xdg);
	if (home && *home)
		return xasprintf("%s/.local/state/hgtop", home);
	return NULL;
}

void
hg_state_init(struct hg_state *st, bool write)
{
	memset(st, 0, sizeof(*st));
	st->dir = hg_state_dir();
	st->write = write;
}

void
hg_state_done(struct hg_state *st)
{
	free(st->dir);
	memset(st, 0, sizeof(*st));
}

int
hg_state_mkdirs(const char *dir, char *err, size_t errlen)
{
	char *p = xstrdup(dir);
	char *s = p;
	struct stat sb;
	int rc = 0;

	for (;;) {
		while (*s == '/')
			s++;
		s += strcspn(s, "/");
		if (*s == '\0')
			break;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			break;
		*s = '/';
	}
	if (*s != '\0' || (mkdir(p, 0700) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "cannot make %s: %s", p, strerror(errno));
		rc = -1;
	} else if (stat(p, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", p);
		rc = -1;
	}
	free(p);
	return rc;
}

int
hg_state_lock(const char *path, char *err, size_t errlen)
{
	char *lp = xasprintf("%s.lock", path);
	int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int waited = 0;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", lp, strerror(errno));
		free(lp);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec ts = { 0, 1000000L };

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= LOCK_WAIT_MS) {
			snprintf(err, errlen, "cannot lock %s: %s", lp,
				 errno == EWOULDBLOCK ? "held by another process" : strerror(errno));
			close(fd);
			free(lp);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited++;
	}
	free(lp);
	return fd;
}

void
hg_state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the lock */
}

/* Read FD to its end, at most CAP bytes, into OUT. */
static int
read_all(int fd, size_t cap, struct hg_buf *out)
{
	while (out->len < cap) {
		size_t want = cap - out->len < 65536 ? cap - out->len : 65536;
		ssize_t k;

		hg_buf_reserve(out, want);
		k = read(fd, out->p + out->len, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		out->len += (size_t)k;
		out->p[out->len] = '\0';
	}
	return 0;
}

int
hg_state_read(const char *path, size_t cap, struct hg_buf *out, char *err,
	      size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat sb;
	int rc = 0;

	hg_buf_reset(out);
	hg_buf_adds(out, "");
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* A larger file: its end, from the byte before it (a newline there
	 * means the first line is whole). */
	if ((uintmax_t)sb.st_size > cap && lseek(fd, sb.st_size - (off_t)cap - 1, SEEK_SET) < 0)
		rc = -1;
	if (rc == 0)
		rc = read_all(fd, (uintmax_t)sb.st_size > cap ? cap + 1 : cap, out);
	if (rc < 0)
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
	else if ((uintmax_t)sb.st_size > cap) {
		char *nl = memchr(out->p, '\n', out->len);
		size_t skip = nl ? (size_t)(nl - out->p) + 1 : out->len;

		memmove(out->p, out->p + skip, out->len - skip + 1);
		out->len -= skip;
	}
	close(fd);
	return rc;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int
hg_state_replace(const char *path, const char *data, size_t len, char *err,
		 size_t errlen)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = 0;

	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (close(fd) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Histories. */

char *
hg_state_history_path(const struct hg_state *st, const char *name)
{
	return st->dir ? xasprintf("%s/history/%s", st->dir, name) : NULL;
}

void
hg_state_load_history(const struct hg_state *st, struct hg_history *h, const char *name)
{
	char *path = hg_state_history_path(st, name);
	char err[512];

	/* An unreadable file is an empty history; saving says why. */
	if (path)
		(void)hg_history_load(h, path, err, sizeof(err));
	free(path);
}

/* 0 after success or nothing to do, 1 for the first failure, -1 later. */
static int
outcome(struct hg_state *st, int rc)
{
	if (rc == 0)
		return 0;
	if (st->failed)
		return -1;
	st->failed = true;
	return 1;
}

int
hg_state_save_history(struct hg_state *st, struct hg_history *h, char *err, size_t errlen)
{
	if (!st->write || !st->dir || !h->path)
		return 0;
	return outcome(st, hg_history_save(h, err, errlen));
}

/* The last filter of each directory: lines "KEY<tab>EXPR", both escaped
 * (a tab in either is "\t"), newest last. */

struct kv {
	struct hg_history keys, vals;	/* parallel, not de-duplicated */
};

static void
kv_free(struct kv *kv)
{
	hg_history_free(&kv->keys);
	hg_history_free(&kv->vals);
}

static void
kv_push(struct hg_history *h, const char *s)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = xstrdup(s);
}

static void
kv_parse(struct kv *kv, const char *data, size_t len)
{
	struct hg_buf k = { 0 }, v = { 0 };
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		const char *tab = memchr(data + i, '\t', end - i);

		if (tab && end - i <= 2 * HG_HISTORY_MAX_LINE &&
		    hg_history_unescape(&k, data + i, (size_t)(tab - data) - i) &&
		    hg_history_unescape(&v, tab + 1, end - (size_t)(tab + 1 - data))) {
			kv_push(&kv->keys, k.p);
			kv_push(&kv->vals, v.p);
		}
		i = end + 1;
	}
	hg_buf_free(&k);
	hg_buf_free(&v);
}

static int
kv_read(struct kv *kv, const char *path, char *err, size_t errlen)
{
	struct hg_buf data = { 0 };
	int rc = hg_state_read(path, HG_HISTORY_MAX_BYTES, &data, err, errlen);

	memset(kv, 0, sizeof(*kv));
	if (rc == 0)
		kv_parse(kv, data.p, data.len);
	hg_buf_free(&data);
	return rc;
}

char *
hg_state_last_filter(const struct hg_state *st, const char *key)
{
	char *path, *found = NULL, err[512];
	struct kv kv;
	size_t i;

	if (!st->dir)
		return NULL;
	path = xasprintf("%s/last-filter", st->dir);
	if (kv_read(&kv, path, err, sizeof(err)) == 0) {
		for (i = kv.keys.n; i-- > 0 && !found;)
			if (strcmp(kv.keys.v[i], key) == 0)
				found = xstrdup(kv.vals.v[i]);
	}
	kv_free(&kv);
	free(path);
	return found;
}

/* Under the lock: every other directory's line, then KEY's. */
static int
set_locked(const char *path, const char *key, const char *expr, char *err, size_t errlen)
{
	struct hg_buf out = { 0 };
	struct kv kv;
	size_t i, n = 0, keep, skip;
	int rc = kv_read(&kv, path, err, errlen);

	if (rc == 0) {
		for (i = 0; i < kv.keys.n; i++)
			n += strcmp(kv.keys.v[i], key) != 0;
		keep = expr && *expr ? LAST_FILTER_MAX - 1 : LAST_FILTER_MAX;
		skip = n > keep ? n - keep : 0;	/* the oldest others */
		for (i = 0; i < kv.keys.n; i++) {
			if (strcmp(kv.keys.v[i], key) == 0)
				continue;
			if (skip) {
				skip--;
				continue;
			}
			hg_history_escape(&out, kv.keys.v[i]);
			hg_buf_addc(&out, '\t');
			hg_history_escape(&out, kv.vals.v[i]);
			hg_buf_addc(&out, '\n');
		}
		if (expr && *expr) {
			hg_history_escape(&out, key);
			hg_buf_addc(&out, '\t');
			hg_history_escape(&out, expr);
			hg_buf_addc(&out, '\n');
		}
		hg_buf_adds(&out, "");
		rc = hg_state_replace(path, out.p, out.len, err, errlen);
	}
	hg_buf_free(&out);
	kv_free(&kv);
	return rc;
}

int
hg_state_set_last_filter(struct hg_state *st, const char *key, const char *expr,
			 char *err, size_t errlen)
{
	char *path;
	int fd, rc;

	if (!st->write || !st->dir)
		return 0;
	if (hg_state_mkdirs(st->dir, err, errlen) < 0)
		return outcome(st, -1);
	path = xasprintf("%s/last-filter", st->dir);
	fd = hg_state_lock(path, err, errlen);
	rc = fd < 0 ? -1 : set_locked(path, key, expr, err, errlen);
	hg_state_unlock(fd);
	free(path);
	return outcome(st, rc);
}
