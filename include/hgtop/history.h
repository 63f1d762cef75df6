/* history.h - the texts accepted in a prompt (filter, search, note),
 * newest last, and their file: one entry per line, escaped so that any
 * text comes back as it went in (state.h says where and how it is
 * written). No ncurses.
 *
 * The list holds each text once (adding one that is there already moves
 * it to the end) and at most HG_HISTORY_MAX of them. Saving merges under
 * the file's lock: the file as it is now, then the texts this process
 * added since it loaded or last saved, each once, the newest
 * HG_HISTORY_MAX, at most HG_HISTORY_MAX_BYTES. So two processes adding
 * at once both keep their entries.
 *
 * The file is read defensively: at most its last HG_HISTORY_MAX_BYTES,
 * and a line that is longer than HG_HISTORY_MAX_LINE, holds a raw control
 * character or a bad escape is skipped. The texts may hold anything but
 * NUL; the prompt sanitizes them when it draws. */
#ifndef HGTOP_HISTORY_H
#define HGTOP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "hgtop/util.h"

#define HG_HISTORY_MAX		500
#define HG_HISTORY_MAX_LINE	4096		/* escaped, without the newline */
#define HG_HISTORY_MAX_BYTES	(256 * 1024)	/* of a file */

struct hg_history {
	char **v;		/* owned texts, newest last */
	size_t n, cap;
	char **added;		/* owned: added since the last load or save */
	size_t n_added, cap_added;
	char *path;		/* the file, NULL: not saved */
};

/* Add TEXT (not empty) as the newest entry, to be saved. */
void hg_history_add(struct hg_history *h, const char *text);
/* Add TEXT as the newest entry of this run only (not saved). */
void hg_history_seed(struct hg_history *h, const char *text);
void hg_history_free(struct hg_history *h);

/* Append TEXT escaped to OUT: backslash as "\\", newline, carriage
 * return and tab as "\n" "\r" "\t", other control bytes as "\xHH"; the
 * rest (UTF-8 included) as it is. The result has no control bytes. */
void hg_history_escape(struct hg_buf *out, const char *text);
/* Undo hg_history_escape on LINE[0..len) into OUT (reset first). Returns
 * false for a line it could not have written: a raw control byte, an
 * unknown or short escape, "\x00", or an empty text. */
bool hg_history_unescape(struct hg_buf *out, const char *line, size_t len);

/* Parse file contents DATA[0..len) and add each good line, oldest first,
 * with hg_history_seed. Returns the number of lines skipped. */
size_t hg_history_parse(struct hg_history *h, const char *data, size_t len);
/* The file contents for H's entries (the newest that fit in the byte cap). */
void hg_history_format(const struct hg_history *h, struct hg_buf *out);

/* Tie H to PATH and add the file's entries before H's own. A missing
 * file is an empty history. Returns 0, or -1 with a message (H is still
 * tied to PATH). */
int hg_history_load(struct hg_history *h, const char *path, char *err, size_t errlen);
/* Merge what was added since into the file (see above). 0 when done or
 * nothing to do; -1 with a message (the added texts are kept for the
 * next try). Makes the file's directory when missing. */
int hg_history_save(struct hg_history *h, char *err, size_t errlen);

#endif
