/* watch.c - change notification for a catalog: inotify, or stat() polling.
 *
 * Directory mode uses one inotify watch on the directory: it reports the
 * creation, deletion, renaming and modification of every file in it, so
 * 10,000 sessions cost one watch and no descriptor each. Files named on the
 * command line get a watch each, plus a name-only watch on their parent
 * directory so that a file replaced by rename(2) (a new inode under the same
 * name) is noticed and watched again, the way `tail -F` follows a name.
 * In directory mode a symlink, or a file with more than one hard link, gets
 * a watch of its own too: writes made through another name (the link's
 * target, the other link) are not reported to the directory's watch.
 *
 * Events are drained with large reads and coalesced: a session appears at
 * most once in the changed list of one hg_watch_collect() call.
 *
 * Polling (forced by --poll, or when inotify cannot be used or cannot see
 * the changes) stats every session at an interval and reads the directory
 * for new names. */
#include "config.h"

#include "hgtop/watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hgtop/util.h"

#define DEFAULT_POLL_MS 1000
#define EVBUF_SIZE (64 * 1024)

#define DIR_MASK (IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | \
		  IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define FILE_MASK (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
/* Added to what a watch on the same directory already asks (a sessions
 * directory named too keeps its own mask). */
#define PARENT_MASK (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR | IN_MASK_ADD)

/* What the watcher knows of one session. */
struct node {
	struct hg_session *s;
	const char *name;	/* base name, points into s->path */
	int fwd;		/* file watch (files mode), -1 if none */
	int dwd;		/* directory watch the name lives in */
	unsigned mark;		/* == w->epoch once reported in this collect */
	bool rewatch;		/* the file watch must be added again */
	bool polled;		/* on a file system inotify cannot see
				 * (remote): stat()ed at the interval */
	bool linked;		/* directory mode: a symlink, or a file with
				 * other hard links: writes through the other
				 * name are seen by a watch on the file only */
	/* Poll mode: what the last stat() showed. */
	bool exists;
	int64_t size;
	int64_t mtime_ns;
	ino_t ino;
	dev_t dev;
};

/* Open-addressing table from (wd, name) to node index. A file watch is
 * keyed with the name "". Rebuilt whenever nodes or watches change. */
struct slot {
	int wd;			/* -1: empty */
	const char *name;
	size_t node;
};

struct hg_watch {
	struct hg_catalog *c;
	enum hg_watch_mode mode;
	char *reason;
	int fd;
	int *dir_wds;		/* per catalog directory; -1: none */
	bool *dir_polled;	/* per catalog directory: polled (remote) */
	size_t n_dirs;
	bool any_polled;	/* some directory or file is polled */
	char *note;		/* "polling DIR every 1.0s: nfs filesystem" */
	int poll_ms;
	int64_t next_poll_ns;
	unsigned epoch;
	bool need_rewatch;	/* some node has rewatch set */
	struct node *nodes;
	size_t n_nodes;
	struct slot *slots;
	size_t n_slots;		/* power of two */
	char *evbuf;
};

/* --- the (wd, name) table ------------------------------------------------ */

static size_t
slot_hash(int wd, const char *name, size_t mask)
{
	return (size_t)(hg_hash(name, strlen(name)) ^ ((uint64_t)wd * 0x9E3779B97F4A7C15ULL)) & mask;
}

static void
table_put(struct hg_watch *w, int wd, const char *name, size_t node)
{
	size_t mask = w->n_slots - 1, i = slot_hash(wd, name, mask);

	while (w->slots[i].wd != -1)
		i = (i + 1) & mask;
	w->slots[i].wd = wd;
	w->slots[i].name = name;
	w->slots[i].node = node;
}

static void
table_rebuild(struct hg_watch *w)
{
	size_t i, want = 16;

	while (want < w->n_nodes * 4)
		want *= 2;
	if (want != w->n_slots) {
		free(w->slots);
		w->slots = xmalloc(want * sizeof(*w->slots));
		w->n_slots = want;
	}
	for (i = 0; i < w->n_slots; i++)
		w->slots[i].wd = -1;
	for (i = 0; i < w->n_nodes; i++) {
		if (w->nodes[i].dwd >= 0)
			table_put(w, w->nodes[i].dwd, w->nodes[i].name, i);
		if (w->nodes[i].fwd >= 0)
			table_put(w, w->nodes[i].fwd, "", i);
	}
}

/* Call fn for every node keyed (wd, name); duplicates are allowed (the same
 * file named twice, or hard links sharing an inode and so a watch). */
static void
table_each(struct hg_watch *w, int wd, const char *name,
	   void (*fn)(struct hg_watch *, struct node *, uint32_t, struct hg_watch_events *),
	   uint32_t mask, struct hg_watch_events *ev)
{
	size_t m = w->n_slots - 1, i;

	if (!w->n_slots)
		return;
	for (i = slot_hash(wd, name, m); w->slots[i].wd != -1; i = (i + 1) & m)
		if (w->slots[i].wd == wd && strcmp(w->slots[i].name, name) == 0)
			fn(w, &w->nodes[w->slots[i].node], mask, ev);
}

/* --- falling back to polling --------------------------------------------- */

static void
set_reason(struct hg_watch *w, const char *why)
{
	free(w->reason);
	if (w->poll_ms < 1000)
		w->reason = xasprintf("%s; polling every %dms", why, w->poll_ms);
	else
		w->reason = xasprintf("%s; polling every %d.%ds", why, w->poll_ms / 1000,
				      w->poll_ms % 1000 / 100);
}

static void
switch_to_poll(struct hg_watch *w, const char *why)
{
	size_t k;

	if (w->poll_ms <= 0)
		w->poll_ms = DEFAULT_POLL_MS;
	set_reason(w, why);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	for (k = 0; k < w->n_dirs; k++)
		w->dir_wds[k] = -1;
	w->mode = HG_WATCH_POLL;
	w->next_poll_ns = hg_now_mono_ns() + (int64_t)w->poll_ms * 1000000;
}

static const char *
errno_reason(int err)
{
	switch (err) {
	case ENOSPC: return "inotify watch limit reached";
	case ENOMEM: return "inotify is out of memory";
	case EMFILE: return "inotify instance limit reached";
	default: return "inotify is unavailable";
	}
}

/* Test hook: HGTOP_TEST_INOTIFY_FAIL=ENOSPC (or ENOMEM) makes every
 * inotify_add_watch() fail with that error, and =EMFILE makes
 * inotify_init1() fail, so the fallbacks can be tested without lowering
 * the system-wide limits in /proc/sys/fs/inotify. */
static int
test_failure(void)
{
	const char *v = getenv("HGTOP_TEST_INOTIFY_FAIL");

	if (!v)
		return 0;
	if (strcmp(v, "ENOSPC") == 0)
		return ENOSPC;
	if (strcmp(v, "ENOMEM") == 0)
		return ENOMEM;
	if (strcmp(v, "EMFILE") == 0)
		return EMFILE;
	return 0;
}

static int
add_watch(struct hg_watch *w, const char *path, uint32_t mask)
{
	int err = test_failure();

	if (err == ENOSPC || err == ENOMEM) {
		errno = err;
		return -1;
	}
	return inotify_add_watch(w->fd, path, mask);
}

/* inotify sees only changes made through this kernel: on network and
 * FUSE filesystems another machine's appends would go unnoticed. */
const char *
hg_watch_remote_fs_name(unsigned long f_type)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} fs[] = {
		{ 0x6969, "nfs" }, { 0x517B, "smb" }, { 0xFF534D42, "cifs" },
		{ 0xFE534D42, "smb2" }, { 0x65735546, "fuse" }, { 0x00C36400, "ceph" },
		{ 0x01021997, "9p" }, { 0x5346414F, "afs" }, { 0x6B414653, "afs" },
		{ 0x013111A8, "ibrix" }, { 0x47504653, "gpfs" }, { 0x0BD00BD0, "lustre" },
		{ 0x7461636F, "ocfs2" }, { 0x01161970, "gfs2" }, { 0x564C, "ncp" },
	};
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(fs); i++)
		if ((unsigned long)(unsigned int)f_type == fs[i].magic)
			return fs[i].name;
	return NULL;
}

/* HGTOP_POLL_PATHS: directories (colon-separated) polled as if they were
 * remote: a mount that statfs() cannot tell apart, and the tests. */
static bool
poll_path_listed(const char *path)
{
	const char *v = getenv("HGTOP_POLL_PATHS"), *p, *end;
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (p = v; p && *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		while (n > 1 && p[n - 1] == '/')
			n--;
		if (n == len && strncmp(p, path, n) == 0)
			return true;
	}
	return false;
}

static const char *
remote_fs(const char *path)
{
	struct statfs sf;

	if (poll_path_listed(path))
		return "listed in HGTOP_POLL_PATHS";
	if (statfs(path, &sf) < 0)
		return NULL;
	return hg_watch_remote_fs_name((unsigned long)sf.f_type);
}

/* Poll PATH (a directory, or the one a named file is in) while inotify
 * watches the rest; say so once. */
static void
note_polled(struct hg_watch *w, const char *path, const char *fs)
{
	char *old = w->note;

	if (w->poll_ms <= 0)
		w->poll_ms = DEFAULT_POLL_MS;
	if (!w->any_polled)
		w->next_poll_ns = hg_now_mono_ns() + (int64_t)w->poll_ms * 1000000;
	w->any_polled = true;
	if (w->note && strstr(w->note, path))
		return;
	w->note = xasprintf("%s%spolling %s every %d.%ds: %s%s", old ? old : "", old ? "; " : "",
			    path, w->poll_ms / 1000, w->poll_ms % 1000 / 100, fs,
			    strncmp(fs, "listed", 6) == 0 ? "" : " filesystem");
	free(old);
}

/* --- nodes ---------------------------------------------------------------- */

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Poll snapshot from what the last ingest saw, so that a change made
 * between that ingest and the first poll is still reported. */
static void
snapshot_from_session(struct node *n)
{
	n->exists = !n->s->gone && n->s->ino != 0;
	n->size = n->s->size;
	n->mtime_ns = n->s->mtime_ns;
	n->ino = n->s->ino;
	n->dev = n->s->dev;
}

static int
cmp_node_session(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct node *)a)->s;
	uintptr_t y = (uintptr_t)((const struct node *)b)->s;

	return x < y ? -1 : x > y;
}

/* Watch a named file and the directory it lives in. */
static void
watch_file(struct hg_watch *w, struct node *n)
{
	const char *fs;
	char *parent;

	parent = parent_of(n->s->path);
	if ((fs = remote_fs(parent))) {
		n->polled = true;
		note_polled(w, parent, fs);
		free(parent);
		return;
	}
	free(parent);
	n->fwd = add_watch(w, n->s->path, FILE_MASK);
	if (n->fwd < 0 && (errno == ENOSPC || errno == ENOMEM)) {
		switch_to_poll(w, errno_reason(errno));
		return;
	}
	parent = parent_of(n->s->path);
	n->dwd = add_watch(w, parent, PARENT_MASK);
	if (n->dwd < 0 && (errno == ENOSPC || errno == ENOMEM))
		switch_to_poll(w, errno_reason(errno));
	free(parent);
}

/* Directory mode: is the session's file reached through another name
 * too? What the look saw of a plain file is kept in the session (its
 * size and time: the loader need not look again). */
static bool
is_linked(struct hg_session *s)
{
	struct stat st;

	if (lstat(s->path, &st) < 0)
		return false;
	if (S_ISLNK(st.st_mode))
		return true;
	if (!S_ISREG(st.st_mode))
		return false;
	s->seen = true;
	s->seen_size = st.st_size;
	if (!s->mtime_ns)
		s->mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	return st.st_nlink > 1;
}

static void
watch_linked(struct hg_watch *w, struct node *n)
{
	n->linked = true;
	n->fwd = add_watch(w, n->s->path, FILE_MASK);
	if (n->fwd < 0 && (errno == ENOSPC || errno == ENOMEM))
		switch_to_poll(w, errno_reason(errno));
}

/* Make the node list match the catalog, keeping what is known about
 * sessions that were there before. */
static void
sync_nodes(struct hg_watch *w)
{
	struct hg_catalog *c = w->c;
	struct node *old = w->nodes;
	size_t n_old = w->n_nodes, i;

	if (n_old > 1)	/* old is NULL at first: qsort must not see it */
		qsort(old, n_old, sizeof(*old), cmp_node_session);
	w->nodes = xcalloc(c->n ? c->n : 1, sizeof(*w->nodes));
	w->n_nodes = 0;
	for (i = 0; i < c->n; i++) {
		struct hg_session *s = c->sessions[i];
		struct node key = { .s = s }, *prev;
		struct node *n;

		if (s->spool_fd >= 0)
			continue;	/* a stream: its owner pumps it */
		n = &w->nodes[w->n_nodes++];
		prev = n_old ? bsearch(&key, old, n_old, sizeof(*old), cmp_node_session) : NULL;
		if (prev) {
			*n = *prev;
			n->name = base_of(s->path);	/* it may have been renamed */
			continue;
		}
		n->s = s;
		n->name = base_of(s->path);
		n->fwd = -1;
		n->dwd = s->dir_ix && s->dir_ix <= w->n_dirs ? w->dir_wds[s->dir_ix - 1] : -1;
		n->polled = s->dir_ix && s->dir_ix <= w->n_dirs && w->dir_polled[s->dir_ix - 1];
		n->mark = w->epoch;
		snapshot_from_session(n);
		if (!s->dir_ix && w->mode == HG_WATCH_INOTIFY)
			watch_file(w, n);
		else if (s->dir_ix && !n->polled && w->mode == HG_WATCH_INOTIFY && !s->rotated &&
			 is_linked(s))
			watch_linked(w, n);
	}
	free(old);
	if (w->mode == HG_WATCH_INOTIFY)
		table_rebuild(w);
}

/* --- setup ---------------------------------------------------------------- */

static bool
named_files(const struct hg_catalog *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->sessions[i]->dir_ix)
			return true;
	return false;
}

static void
start_inotify(struct hg_watch *w)
{
	const char *fs;
	size_t k;

	if (test_failure() == EMFILE) {
		errno = EMFILE;
		w->fd = -1;
	} else {
		w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	}
	if (w->fd < 0) {
		switch_to_poll(w, errno_reason(errno));
		return;
	}
	w->mode = HG_WATCH_INOTIFY;
	/* A single directory on a remote file system: polling it all, said
	 * in the header, as before; with several, only the remote ones. */
	if (w->n_dirs == 1 && !named_files(w->c) && (fs = remote_fs(w->c->dir))) {
		char *why = xasprintf("%s%s", fs, strncmp(fs, "listed", 6) == 0 ? "" : " filesystem");

		switch_to_poll(w, why);
		free(why);
		return;
	}
	for (k = 0; k < w->n_dirs; k++) {
		if ((fs = remote_fs(w->c->dirs[k]))) {
			w->dir_polled[k] = true;
			note_polled(w, w->c->dirs[k], fs);
			continue;
		}
		w->dir_wds[k] = add_watch(w, w->c->dirs[k], DIR_MASK);
		if (w->dir_wds[k] < 0) {
			if ((errno == ENOENT || errno == ENOTDIR) && w->n_dirs == 1)
				w->c->dir_gone = true;
			switch_to_poll(w, errno_reason(errno));
			return;
		}
	}
}

struct hg_watch *
hg_watch_new(struct hg_catalog *c, int poll_ms)
{
	struct hg_watch *w = xcalloc(1, sizeof(*w));
	size_t k;

	w->c = c;
	w->fd = -1;
	w->n_dirs = c->n_dirs;
	w->dir_wds = xmalloc((c->n_dirs ? c->n_dirs : 1) * sizeof(*w->dir_wds));
	w->dir_polled = xcalloc(c->n_dirs ? c->n_dirs : 1, sizeof(*w->dir_polled));
	for (k = 0; k < c->n_dirs; k++)
		w->dir_wds[k] = -1;
	w->poll_ms = poll_ms;
	if (poll_ms > 0)
		switch_to_poll(w, "--poll");
	else
		start_inotify(w);
	sync_nodes(w);
	return w;
}

void
hg_watch_free(struct hg_watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->nodes);
	free(w->slots);
	free(w->evbuf);
	free(w->reason);
	free(w->note);
	free(w->dir_wds);
	free(w->dir_polled);
	free(w);
}

enum hg_watch_mode
hg_watch_mode(const struct hg_watch *w)
{
	return w->mode;
}

const char *
hg_watch_reason(const struct hg_watch *w)
{
	return w->mode == HG_WATCH_POLL ? w->reason : NULL;
}

const char *
hg_watch_note(const struct hg_watch *w)
{
	return w->mode == HG_WATCH_INOTIFY ? w->note : NULL;
}

int
hg_watch_fd(const struct hg_watch *w)
{
	return w->fd;
}

int
hg_watch_timeout_ms(const struct hg_watch *w)
{
	int64_t left;

	if (w->mode != HG_WATCH_POLL && !w->any_polled)
		return -1;
	left = w->next_poll_ns - hg_now_mono_ns();
	if (left <= 0)
		return 0;
	/* Round up: waking a little early would only poll again at once. */
	return (int)((left + 999999) / 1000000);
}

void
hg_watch_catalog_changed(struct hg_watch *w)
{
	sync_nodes(w);
}

/* --- collecting events --------------------------------------------------- */

static void
add_changed(struct hg_watch *w, struct node *n, struct hg_watch_events *ev)
{
	if (n->mark == w->epoch)
		return;
	n->mark = w->epoch;
	if (ev->n_changed == ev->cap_changed) {
		ev->cap_changed = ev->cap_changed ? ev->cap_changed * 2 : 64;
		ev->changed = xrealloc(ev->changed, ev->cap_changed * sizeof(*ev->changed));
	}
	ev->changed[ev->n_changed++] = n->s;
}

static void
on_node_event(struct hg_watch *w, struct node *n, uint32_t mask, struct hg_watch_events *ev)
{
	add_changed(w, n, ev);
	if (n->s->rotated)
		return;
	/* Files mode, or a linked file: the name may now refer to another
	 * inode (or none). */
	if ((!n->s->dir_ix || n->linked) &&
	    (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_CREATE |
		     IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)))
		n->rewatch = w->need_rewatch = true;
	/* Directory mode: a hard link made to a file (its link count changed)
	 * or a symlink put in place of it. */
	else if (n->s->dir_ix && !n->linked && (mask & (IN_ATTRIB | IN_CREATE | IN_MOVED_TO)) &&
		 is_linked(n->s)) {
		n->linked = true;
		n->rewatch = w->need_rewatch = true;
	}
}

static void
on_event(struct hg_watch *w, const struct inotify_event *ie, struct hg_watch_events *ev)
{
	const char *name = ie->len ? ie->name : "";

	if (ie->mask & IN_Q_OVERFLOW) {
		ev->all = true;
		ev->rescan = true;
		return;
	}
	bool is_dir = false;
	size_t k;

	for (k = 0; k < w->n_dirs && !is_dir; k++)
		is_dir = ie->wd == w->dir_wds[k];
	if (is_dir && !ie->len) {
		/* With several directories, one that went is seen by the scan
		 * (every one gone: dir_gone). */
		if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
			if (w->n_dirs == 1)
				ev->dir_gone = true;
			else
				ev->rescan = true;
		}
		return;
	}
	if (is_dir && (ie->mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)) &&
	    !(ie->mask & IN_ISDIR) && hg_catalog_wants(name))
		ev->rescan = true;
	table_each(w, ie->wd, name, on_node_event, ie->mask, ev);
}

/* Add the file watch again for a named file whose inode changed. The old
 * watch follows the old inode: drop it, and look again at every other name
 * that shared it. Returns false after falling back to polling. */
static bool
rewatch_node(struct hg_watch *w, struct node *n, bool *again)
{
	int old = n->fwd, nw;
	size_t j;

	n->rewatch = false;
	nw = add_watch(w, n->s->path, FILE_MASK);
	if (nw < 0 && (errno == ENOSPC || errno == ENOMEM)) {
		switch_to_poll(w, errno_reason(errno));
		return false;
	}
	if (nw == old)
		return true;
	n->fwd = nw;
	if (old < 0)
		return true;
	inotify_rm_watch(w->fd, old);
	for (j = 0; j < w->n_nodes; j++)
		if (w->nodes[j].fwd == old) {
			w->nodes[j].fwd = -1;
			w->nodes[j].rewatch = true;
			*again = true;
		}
	return true;
}

static void
rewatch(struct hg_watch *w)
{
	bool again = w->need_rewatch, changed = false;
	size_t i;

	w->need_rewatch = false;
	while (again) {
		again = false;
		for (i = 0; i < w->n_nodes; i++) {
			if (!w->nodes[i].rewatch)
				continue;
			changed = true;
			if (!rewatch_node(w, &w->nodes[i], &again))
				return;
		}
	}
	if (changed)
		table_rebuild(w);
}

static void
drain_inotify(struct hg_watch *w, struct hg_watch_events *ev)
{
	ssize_t r;

	if (!w->evbuf)
		w->evbuf = xmalloc(EVBUF_SIZE);
	for (;;) {
		char *p;

		r = read(w->fd, w->evbuf, EVBUF_SIZE);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (p = w->evbuf; p < w->evbuf + r;) {
			const struct inotify_event *ie = (const struct inotify_event *)(void *)p;

			on_event(w, ie, ev);
			p += sizeof(*ie) + ie->len;
		}
	}
	if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
		switch_to_poll(w, "inotify read failed");
		return;
	}
	rewatch(w);
}

/* Poll mode: did the file behind n change since the last look? */
static bool
poll_node(struct node *n)
{
	struct stat st;
	bool exists = stat(n->s->path, &st) == 0;
	int64_t mtime = exists ? st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec : 0;
	bool changed;

	if (!exists)
		changed = n->exists;
	else
		changed = !n->exists || st.st_size != n->size || mtime != n->mtime_ns ||
			  st.st_ino != n->ino || st.st_dev != n->dev;
	n->exists = exists;
	if (exists) {
		n->size = st.st_size;
		n->mtime_ns = mtime;
		n->ino = st.st_ino;
		n->dev = st.st_dev;
	}
	return changed;
}

static int
cmp_node_name(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Poll mode, directory: are there names the catalog lacks (or has that
 * are gone)? The nodes are looked up by name in a sorted copy. */
static void
poll_dir(struct hg_watch *w, size_t k, struct hg_watch_events *ev)
{
	struct node *byname, key = { 0 };
	size_t present = 0, live = 0, i, n = 0;
	struct dirent *de;
	DIR *d = opendir(w->c->dirs[k]);

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR) {
			if (w->n_dirs == 1)
				ev->dir_gone = true;
			else
				ev->rescan = true;
		}
		return;
	}
	byname = xmalloc((w->n_nodes ? w->n_nodes : 1) * sizeof(*byname));
	for (i = 0; i < w->n_nodes; i++)
		if (w->nodes[i].s->dir_ix == k + 1)
			byname[n++] = w->nodes[i];
	qsort(byname, n, sizeof(*byname), cmp_node_name);
	while ((de = readdir(d))) {
		if (!hg_catalog_wants(de->d_name))
			continue;
		key.name = de->d_name;
		if (bsearch(&key, byname, n, sizeof(*byname), cmp_node_name))
			present++;
		else
			ev->rescan = true;
	}
	closedir(d);
	for (i = 0; i < n; i++)
		live += !byname[i].s->gone;
	if (present != live)
		ev->rescan = true;
	free(byname);
}

static void
poll_all(struct hg_watch *w, struct hg_watch_events *ev)
{
	int64_t now = hg_now_mono_ns();
	bool all = w->mode == HG_WATCH_POLL;
	size_t i, k;

	if (now < w->next_poll_ns)
		return;
	w->next_poll_ns = now + (int64_t)w->poll_ms * 1000000;
	for (k = 0; k < w->n_dirs; k++)
		if (all || w->dir_polled[k])
			poll_dir(w, k, ev);
	for (i = 0; i < w->n_nodes; i++)
		if ((all || w->nodes[i].polled) && poll_node(&w->nodes[i]))
			add_changed(w, &w->nodes[i], ev);
}

bool
hg_watch_collect(struct hg_watch *w, struct hg_watch_events *ev)
{
	ev->rescan = ev->dir_gone = ev->all = false;
	ev->n_changed = 0;
	w->epoch++;
	if (w->mode == HG_WATCH_INOTIFY) {
		drain_inotify(w, ev);
		/* Fell back to polling meanwhile: events may have been lost. */
		if (w->mode == HG_WATCH_POLL)
			ev->all = ev->rescan = true;
	}
	if (w->mode == HG_WATCH_POLL || w->any_polled)
		poll_all(w, ev);
	if (ev->dir_gone)
		w->c->dir_gone = true;
	return ev->rescan || ev->dir_gone || ev->all || ev->n_changed > 0;
}

void
hg_watch_events_free(struct hg_watch_events *ev)
{
	free(ev->changed);
	memset(ev, 0, sizeof(*ev));
}
