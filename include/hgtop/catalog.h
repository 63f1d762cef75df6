/* catalog.h - the sessions of a directory, or files named by the user. */
#ifndef HGTOP_CATALOG_H
#define HGTOP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "hgtop/session.h"

struct hg_catalog {
	char *dir;		/* the (first) watched directory, NULL for
				 * explicit files only; dirs[0] */
	char **dirs;		/* every directory named (owned), n_dirs */
	size_t n_dirs;
	char **labels;		/* short names of dirs for a source column
				 * (the last two path components) */
	struct hg_session **sessions; /* owned */
	size_t n;
	size_t cap;
	char *unopened;		/* "PATH: reason" of each path named that
				 * could not be opened, one a line (or NULL) */
	bool dir_gone;		/* the directory was deleted or moved (with
				 * several: every one of them) */
};

/* Open DIR... and FILE... (in any mix), or "-" (stdin spool). Errors are
 * written to err as "PATH: reason" (the first), and every one of them to
 * c->unopened. Returns 0, or -1 when nothing could be opened. */
int hg_catalog_open(struct hg_catalog *c, int npaths, char *const *paths,
		    char *err, size_t errlen);

/* Directory mode: add new *.jsonl files, mark vanished ones gone (sessions
 * are never removed). A file renamed to another *.jsonl name in the
 * directory (the same inode under a new name while the old name vanished)
 * keeps its session, renamed. Returns the number of sessions added or
 * renamed, 0 when not in
 * directory mode, or -1 when the directory cannot be read (dir_gone is
 * then set if it no longer exists). Callers act on "> 0" (sessions were
 * added: hg_watch_catalog_changed) and look at dir_gone apart. */
int hg_catalog_scan(struct hg_catalog *c);

/* s was rotated (hg_session_ingest: renamed away, its path now names
 * another file): add the session that reads the new file from its start.
 * NULL if there is one already, or in directory mode while nothing has
 * the name (the scan adds it when it appears). In directory mode s->path
 * becomes the name the old file has now (r.jsonl.0) when it is found. */
struct hg_session *hg_catalog_rotated(struct hg_catalog *c, struct hg_session *s);

struct hg_session *hg_catalog_add(struct hg_catalog *c, struct hg_session *s);
void hg_catalog_free(struct hg_catalog *c);

/* The directory S was found in (NULL for a named file or a stream), and
 * its short label ("hostB/sessions"). */
const char *hg_catalog_dir_of(const struct hg_catalog *c, const struct hg_session *s);
const char *hg_catalog_label_of(const struct hg_catalog *c, const struct hg_session *s);
/* "a/b/c/" -> "b/c": the last two components of PATH, in a new string. */
char *hg_catalog_short_label(const char *path);

/* True for names ending in ".jsonl" (and not hidden). */
bool hg_catalog_wants(const char *name);

#endif
