/* ui_actions.c - features that plug into the browser through the request
 * table: search, filters, statistics and annotations. Each returns UI_R_*
 * flags; the row filter hooks are u->rf (visible / highlight). */
#include "config.h"

#include "hgtop/ui_int.h"

void
ui_actions_init(struct hg_ui *u)
{
	ui_filter_init(u);
	ui_stats_init(u);
	ui_annotate_init(u);
}

void
ui_actions_done(struct hg_ui *u)
{
	ui_search_done(u);
	ui_annotate_done(u);
	ui_stats_done(u);
	ui_filter_done(u);
}

/* The filter, quick filters and clearing are in ui_filter.c, the stats
 * view in ui_stats.c, annotating in ui_annotate.c. */
