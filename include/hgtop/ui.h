/* ui.h - the interactive face of hgtop (ncurses lives below this line). */
#ifndef HGTOP_UI_H
#define HGTOP_UI_H

#include "hgtop/catalog.h"
#include "hgtop/options.h"

struct hg_demo;
struct hg_spool;

/* Run the full-screen browser until the user quits. title is the path
 * shown in the header. demo is non-NULL under --demo (its child is reaped
 * on SIGCHLD). spool is non-NULL for "hgtop -": the stream on stdin is
 * copied into it as it arrives (c->sessions[0] is its session). Returns
 * the exit status. */
int hg_ui_run(const struct hg_options *o, struct hg_catalog *c, const char *title,
	      struct hg_demo *demo, struct hg_spool *spool);

#endif
