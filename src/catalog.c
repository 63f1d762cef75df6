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

int
hg_catalog_scan(struct hg_catalog *c)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	const char **known;
	struct hg_session **vanished;
	size_t n = 0, cap = 0, i, nknown, nvanished = 0;
	int added = 0;

	if (!c->dir)
		return 0;
	d = opendir(c->dir);
	if (!d) {
		if (errno == ENOENT)
			c->dir_gone = true;
		return -1;
	}
	c->dir_gone = false;
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

		if (s->rotated)
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
			char *path = xasprintf("%s/%s", c->dir, names[i]);
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
				hg_catalog_add(c, hg_session_new(path));
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
hg_catalog_open(struct hg_catalog *c, int npaths, char *const *paths, char *err, size_t errlen)
{
	struct stat st;
	int i, opened = 0;

	memset(c, 0, sizeof(*c));
	if (err && errlen)
		err[0] = '\0';
	if (npaths == 1 && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t len = strlen(paths[0]);

		c->dir = xstrdup(paths[0]);
		while (len > 1 && c->dir[len - 1] == '/')
			c->dir[--len] = '\0';
		if (hg_catalog_scan(c) < 0) {
			snprintf(err, errlen, "%s: %s", paths[0], strerror(errno));
			free(c->dir);
			c->dir = NULL;
			return -1;
		}
		return 0;
	}
	for (i = 0; i < npaths; i++) {
		const char *why = NULL;

		if (stat(paths[i], &st) < 0)
			why = strerror(errno);
		else if (S_ISDIR(st.st_mode))
			why = "is a directory (give one directory, or files)";
		if (why) {
			if (err && !err[0])
				snprintf(err, errlen, "%s: %s", paths[i], why);
			continue;
		}
		hg_catalog_add(c, hg_session_new(paths[i]));
		opened++;
	}
	return opened > 0 || npaths == 0 ? 0 : -1;
}

/* Directory mode: the name a rotated file now has (r.jsonl.0), if it is
 * still in the directory, so that its lines can be read again. */
static void
find_new_name(struct hg_catalog *c, struct hg_session *s)
{
	struct dirent *de;
	DIR *d = opendir(c->dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (de->d_ino != s->ino || de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", c->dir, de->d_name);
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
	if (c->dir && stat(s->path, &st) < 0)
		ns = NULL;
	else
		ns = hg_catalog_add(c, hg_session_new(s->path));
	if (c->dir)
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
	free(c->dir);
	memset(c, 0, sizeof(*c));
}
