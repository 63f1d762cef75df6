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
	size_t n = 0, cap = 0, i, nknown;
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
	/* Mark sessions whose file vanished; add new ones. */
	known = xcalloc(c->n ? c->n : 1, sizeof(*known));
	for (i = 0; i < c->n; i++) {
		const char *p = c->sessions[i]->path;
		const char *base = strrchr(p, '/') + 1;

		known[i] = base;
		c->sessions[i]->gone =
			!bsearch(&base, names, n, sizeof(*names), cmp_names);
	}
	/* New names: those not among the known sessions (sorted, so that a
	 * directory of 10,000 files is not an n^2 scan). */
	nknown = c->n;
	qsort(known, nknown, sizeof(*known), cmp_names);
	for (i = 0; i < n; i++) {
		if (!bsearch(&names[i], known, nknown, sizeof(*known), cmp_names)) {
			char *path = xasprintf("%s/%s", c->dir, names[i]);

			hg_catalog_add(c, hg_session_new(path));
			free(path);
			added++;
		}
		free(names[i]);
	}
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
