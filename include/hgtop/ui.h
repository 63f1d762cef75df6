/* ui.h - the interactive face of hgtop (ncurses lives below this line). */
#ifndef HGTOP_UI_H
#define HGTOP_UI_H

#include "hgtop/catalog.h"
#include "hgtop/options.h"

struct hg_demo;

/* Run the full-screen browser until the user quits. title is the path
 * shown in the header. demo is non-NULL under --demo (its child is reaped
 * on SIGCHLD). Returns the exit status. */
int hg_ui_run(const struct hg_options *o, struct hg_catalog *c, const char *title,
	      struct hg_demo *demo);

#endif
