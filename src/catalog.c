/* catalog.c - the sessions of a directory, or the files the user named. */
#include "config.h"

#include "hgtop/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hgtop/util.h"

bool
hg_catalog_wants(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 6 && strcmp(name + n - 6, ".jsonl") == 0;
}

struct hg_session *
hg_catalog_add(struct hg_catalog *c, struct hg_session *s)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->sessions = xrealloc(c->sessions, c->cap * sizeof(*c->sessions));
	}
	c->sessions[c->n++] = s;
	return s;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
scan_dir(struct hg_catalog *c, unsigned ix, bool *gone)
{
	const char *dir = c->dirs[ix - 1];
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	const char **known;
	struct hg_session **vanished;
	size_t n = 0, cap = 0, i, nknown, nvanished = 0;
	int added = 0;

	d = opendir(dir);
	if (!d) {
		*gone = errno == ENOENT;
		return -1;
	}
	*gone = false;
	while ((de = readdir(d))) {
		if (!hg_catalog_wants(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (!names)	/* an empty directory: qsort and bsearch want an array */
		names = xcalloc(1, sizeof(*names));
	qsort(names, n, sizeof(*names), cmp_names);
	/* Mark sessions whose file vanished; add new ones. Rotated sessions
	 * hold a file that lives on under a name not listed here: their old
	 * name belongs to the session that replaced them. */
	known = xcalloc(c->n ? c->n : 1, sizeof(*known));
	vanished = xcalloc(c->n ? c->n : 1, sizeof(*vanished));
	nknown = 0;
	for (i = 0; i < c->n; i++) {
		struct hg_session *s = c->sessions[i];
		const char *base = strrchr(s->path, '/') + 1;

		if (s->rotated || s->dir_ix != ix)
			continue;
		known[nknown++] = base;
		s->gone = !bsearch(&base, names, n, sizeof(*names), cmp_names);
		if (s->gone && s->ino && s->spool_fd < 0)
			vanished[nvanished++] = s;
	}
	/* New names: those not among the known sessions (sorted, so that a
	 * directory of 10,000 files is not an n^2 scan). A new name for the
	 * file of a session whose name vanished is that session, renamed. */
	qsort(known, nknown, sizeof(*known), cmp_names);
	for (i = 0; i < n; i++) {
		if (!bsearch(&names[i], known, nknown, sizeof(*known), cmp_names)) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			struct hg_session *moved = NULL;
			struct stat st;
			size_t j;

			if (nvanished && stat(path, &st) == 0)
				for (j = 0; j < nvanished && !moved; j++)
					if (vanished[j] && vanished[j]->ino == st.st_ino &&
					    vanished[j]->dev == st.st_dev) {
						moved = vanished[j];
						vanished[j] = NULL;
					}
			if (moved) {
				hg_session_rename(moved, path);
				moved->gone = false;
			} else {
				hg_catalog_add(c, hg_session_new(path))->dir_ix = ix;
			}
			free(path);
			added++;
		}
		free(names[i]);
	}
	free(vanished);
	free(known);
	free(names);
	return added;
}

int
hg_catalog_scan(struct hg_catalog *c)
{
	size_t k, n_gone = 0;
	int added = 0, failed = 0, r, err = 0;

	for (k = 0; k < c->n_dirs; k++) {
		bool gone = false;

		r = scan_dir(c, (unsigned)k + 1, &gone);
		if (r < 0) {
			if (!err)
				err = errno;
			failed++;
		} else {
			added += r;
		}
		n_gone += gone;
	}
	c->dir_gone = c->n_dirs && n_gone == c->n_dirs;
	if (c->n_dirs && failed == (int)c->n_dirs) {
		errno = err;
		return -1;
	}
	return added;
}

char *
hg_catalog_short_label(const char *path)
{
	size_t len = strlen(path), i, cut = 0;
	int slashes = 0;

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (i = len; i > 0; i--)
		if (path[i - 1] == '/' && ++slashes == 2) {
			cut = i;
			break;
		}
	return xstrndup(path + cut, len - cut);
}

const char *
hg_catalog_dir_of(const struct hg_catalog *c, const struct hg_session *s)
{
	return s->dir_ix && s->dir_ix <= c->n_dirs ? c->dirs[s->dir_ix - 1] : NULL;
}

const char *
hg_catalog_label_of(const struct hg_catalog *c, const struct hg_session *s)
{
	return s->dir_ix && s->dir_ix <= c->n_dirs ? c->labels[s->dir_ix - 1] : NULL;
}

static void
add_dir(struct hg_catalog *c, const char *path)
{
	size_t len = strlen(path);
	char *d = xstrdup(path);

	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	c->dirs = xrealloc(c->dirs, (c->n_dirs + 1) * sizeof(*c->dirs));
	c->labels = xrealloc(c->labels, (c->n_dirs + 1) * sizeof(*c->labels));
	c->dirs[c->n_dirs] = d;
	c->labels[c->n_dirs] = hg_catalog_short_label(d);
	c->n_dirs++;
	c->dir = c->dirs[0];
}

/* PATH could not be opened (errno E): "PATH: reason" into ERR (the first)
 * and into c->unopened (every one, one a line). */
static void
not_opened(struct hg_catalog *c, char *err, size_t errlen, const char *path, int e)
{
	char *line = xasprintf("%s: %s", path, strerror(e));

	if (err && errlen && !err[0])
		snprintf(err, errlen, "%s", line);
	if (c->unopened) {
		char *all = xasprintf("%s\n%s", c->unopened, line);

		free(c->unopened);
		free(line);
		line = all;
	}
	c->unopened = line;
}

int
hg_catalog_open(struct hg_catalog *c, int npaths, char *const *paths, char *err, size_t errlen)
{
	struct stat st;
	int i, opened = 0;
	size_t k;

	memset(c, 0, sizeof(*c));
	if (err && errlen)
		err[0] = '\0';
	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &st) < 0) {
			not_opened(c, err, errlen, paths[i], errno);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			add_dir(c, paths[i]);
			continue;
		}
		hg_catalog_add(c, hg_session_new(paths[i]));
		opened++;
	}
	/* Each directory is read once; one that cannot be read is an error
	 * (the others are still shown). */
	for (k = 0; k < c->n_dirs; k++) {
		bool gone;
		int r = scan_dir(c, (unsigned)k + 1, &gone);

		if (r < 0) {
			not_opened(c, err, errlen, c->dirs[k], errno);
			free(c->dirs[k]);
			free(c->labels[k]);
			memmove(c->dirs + k, c->dirs + k + 1, (c->n_dirs - k - 1) * sizeof(*c->dirs));
			memmove(c->labels + k, c->labels + k + 1,
				(c->n_dirs - k - 1) * sizeof(*c->labels));
			c->n_dirs--;
			for (i = 0; (size_t)i < c->n; i++)
				if (c->sessions[i]->dir_ix > k + 1)
					c->sessions[i]->dir_ix--;
			k--;
			continue;
		}
		opened++;
	}
	c->dir = c->n_dirs ? c->dirs[0] : NULL;
	if (!c->n_dirs) {
		free(c->dirs);
		free(c->labels);
		c->dirs = c->labels = NULL;
	}
	return opened > 0 || npaths == 0 ? 0 : -1;
}

/* Directory mode: the name a rotated file now has (r.jsonl.0), if it is
 * still in the directory, so that its lines can be read again. */
static void
find_new_name(struct hg_catalog *c, struct hg_session *s)
{
	struct dirent *de;
	const char *dir = hg_catalog_dir_of(c, s);
	DIR *d = dir ? opendir(dir) : NULL;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (de->d_ino != s->ino || de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && st.st_ino == s->ino && st.st_dev == s->dev) {
			free(s->path);
			s->path = path;	/* the id stays: it names the session */
			break;
		}
		free(path);
	}
	closedir(d);
}

struct hg_session *
hg_catalog_rotated(struct hg_catalog *c, struct hg_session *s)
{
	size_t i;
	struct hg_session *ns;
	struct stat st;

	for (i = 0; i < c->n; i++)
		if (c->sessions[i] != s && !c->sessions[i]->rotated &&
		    strcmp(c->sessions[i]->path, s->path) == 0)
			return NULL;
	/* Directory mode: a name not there yet is added by the scan that
	 * notices it. */
	if (s->dir_ix && stat(s->path, &st) < 0)
		ns = NULL;
	else
		(ns = hg_catalog_add(c, hg_session_new(s->path)))->dir_ix = s->dir_ix;
	if (s->dir_ix)
		find_new_name(c, s);
	return ns;
}

void
hg_catalog_free(struct hg_catalog *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		hg_session_free(c->sessions[i]);
	free(c->sessions);
	for (i = 0; i < c->n_dirs; i++) {
		free(c->dirs[i]);
		free(c->labels[i]);
	}
	free(c->dirs);
	free(c->labels);
	free(c->unopened);
	memset(c, 0, sizeof(*c));
}
