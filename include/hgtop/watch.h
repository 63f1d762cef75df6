/* watch.h - change notification for a catalog: inotify, or stat() polling.
 *
 * One inotify instance; one watch on the sessions directory (which also
 * reports changes to the files in it), or one watch per file named on the
 * command line. Falls back to polling when inotify cannot be used. The
 * owner polls hg_watch_fd() for readability (when >= 0) and calls
 * hg_watch_timeout_ms() to bound its poll() timeout, then hg_watch_collect()
 * to learn which sessions may have changed. */
#ifndef HGTOP_WATCH_H
#define HGTOP_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "hgtop/catalog.h"

enum hg_watch_mode {
	HG_WATCH_INOTIFY,
	HG_WATCH_POLL,
};

struct hg_watch;

/* poll_ms > 0 forces polling at that interval. Never fails: when inotify
 * cannot be used it polls and hg_watch_reason() says why. */
struct hg_watch *hg_watch_new(struct hg_catalog *c, int poll_ms);
void hg_watch_free(struct hg_watch *w);

enum hg_watch_mode hg_watch_mode(const struct hg_watch *w);
/* Why polling is used ("inotify watch limit reached", "nfs filesystem",
 * "--poll"), or NULL for inotify. */
const char *hg_watch_reason(const struct hg_watch *w);

/* While inotify watches the rest: what is polled because inotify cannot
 * see it ("polling hostB/sessions every 1.0s: nfs filesystem"), or NULL. */
const char *hg_watch_note(const struct hg_watch *w);
/* The name of a file system type (statfs f_type) whose changes made
 * elsewhere inotify does not see (network, FUSE: "nfs", "fuse"), or
 * NULL for a local one. */
const char *hg_watch_remote_fs_name(unsigned long f_type);

int hg_watch_fd(const struct hg_watch *w);	/* -1 when polling */
int hg_watch_timeout_ms(const struct hg_watch *w); /* -1: none needed */

/* What changed since the last call. */
struct hg_watch_events {
	bool rescan;		/* files appeared/disappeared: hg_catalog_scan() */
	bool dir_gone;		/* the directory itself was deleted or moved */
	bool all;		/* could not tell which: ingest every session */
	struct hg_session **changed; /* sessions to ingest (not owned) */
	size_t n_changed;
	size_t cap_changed;
};

/* Drain the inotify queue (non-blocking, large reads) or, when polling and
 * the interval elapsed, stat the files. Fills ev (reuse it between calls).
 * Returns true when something may have changed. */
bool hg_watch_collect(struct hg_watch *w, struct hg_watch_events *ev);
void hg_watch_events_free(struct hg_watch_events *ev);

/* Called after hg_catalog_scan() added or removed sessions. */
void hg_watch_catalog_changed(struct hg_watch *w);

#endif
