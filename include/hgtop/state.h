/* state.h - what hgtop remembers between runs, in $XDG_STATE_HOME/hgtop/
 * (else ~/.local/state/hgtop/): the prompt histories (history.h) and the
 * last filter of each sessions directory.
 *
 * Every file is replaced whole: written to NAME.tmp in the same directory,
 * fsync'ed and renamed over NAME, while an advisory lock (flock on
 * NAME.lock) is held; whoever changes a file re-reads it under that lock
 * first, so two hgtop processes never lose each other's changes and a
 * reader never sees half a file. Directories are made with mode 0700.
 *
 * Nothing here writes unless asked: --read-only, --batch and --stats runs
 * never do (struct hg_state.write). No ncurses. */
#ifndef HGTOP_STATE_H
#define HGTOP_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "hgtop/util.h"

struct hg_history;

/* The state directory of this run. */
struct hg_state {
	char *dir;		/* NULL: there is none (no HOME) */
	bool write;		/* false: remember nothing (--read-only) */
	bool failed;		/* a write failed already (reported once) */
};

/* $XDG_STATE_HOME/hgtop when that is an absolute path, else
 * $HOME/.local/state/hgtop; NULL without either (malloc'd). */
char *hg_state_dir(void);
void hg_state_init(struct hg_state *st, bool write);
void hg_state_done(struct hg_state *st);

/* mkdir -p with mode 0700 for the directories it makes. */
int hg_state_mkdirs(const char *dir, char *err, size_t errlen);

/* Take the lock of PATH (PATH.lock, made as needed), waiting up to about
 * ten seconds for another process to let go. Returns the descriptor to
 * give to hg_state_unlock, or -1 with a message. */
int hg_state_lock(const char *path, char *err, size_t errlen);
void hg_state_unlock(int fd);

/* Read PATH into OUT (reset first): at most CAP bytes, the end of a
 * larger file from its first whole line on. A missing file reads as
 * empty. Returns 0, or -1 with a message. */
int hg_state_read(const char *path, size_t cap, struct hg_buf *out, char *err,
		  size_t errlen);
/* Replace PATH with DATA: written to PATH.tmp, renamed over PATH, so
 * another process reading it sees the old file or the new one, never half
 * of either. Not synced: a prompt's Enter must not wait on the disk (an
 * fsync can take seconds behind other writers), and a history is not
 * worth that; after a power loss, some file systems may leave the file
 * empty (it is then read as an empty history).
 * The caller holds the lock. Returns 0, or -1 with a message. */
int hg_state_replace(const char *path, const char *data, size_t len, char *err,
		     size_t errlen);

/* The history file NAME ("filter", "search", "note"): DIR/history/NAME
 * (malloc'd), NULL without a state directory. */
char *hg_state_history_path(const struct hg_state *st, const char *name);
/* Load history NAME into H (and tie H to its file), or save what was
 * added to H since. Saving returns 0 when done or not wanted, 1 when it
 * failed for the first time (ERR says why: report it), -1 when it failed
 * again (already reported). */
void hg_state_load_history(const struct hg_state *st, struct hg_history *h,
			   const char *name);
int hg_state_save_history(struct hg_state *st, struct hg_history *h, char *err,
			  size_t errlen);

/* The last filter expression used on sessions directory KEY (an absolute
 * path), from DIR/last-filter: NULL when none (malloc'd). Setting it to
 * NULL or "" forgets it. The file keeps the newest 200 directories. */
char *hg_state_last_filter(const struct hg_state *st, const char *key);
int hg_state_set_last_filter(struct hg_state *st, const char *key, const char *expr,
			     char *err, size_t errlen);

#endif
