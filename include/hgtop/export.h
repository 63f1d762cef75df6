/* export.h - an entry's text for other programs: the pager, the editor,
 * the clipboard (no curses).
 *
 * The text is the log's, so it is sanitized like everything shown
 * (sanitize.h): newlines and tabs are kept as such, other control
 * characters are made visible. With HG_EXPORT_SGR, runner_output keeps its
 * colours as SGR sequences that this code writes itself (from termtext.h's
 * spans); no other sequence from the log passes. */
#ifndef HGTOP_EXPORT_H
#define HGTOP_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hgtop/util.h"

#define HG_EXPORT_SGR 0x1u	/* runner_output's colours as SGR */

/*
 * Append to OUT the text of LINE[0..N), one JSON line of a session:
 * of its attempt number ATTEMPT (an index into "attempts"; < 0: the entry
 * itself), of its member FIELD (as the detail pane names it, sanitized;
 * NULL: the whole object, pretty-printed JSON). A string member is its
 * decoded text; any other member is pretty-printed JSON. A line that does
 * not parse is given as it is (sanitized). The text ends with a newline.
 * Returns true when FIELD was found (false: the whole object was given).
 */
bool hg_export_text(struct hg_buf *out, const char *line, size_t n, int32_t attempt,
		    const char *field, unsigned flags);

#endif
