/* ui_actions.c - features that plug into the browser through the request
 * table: search, filters, statistics and annotations. Each returns UI_R_*
 * flags; the row filter hooks are u->rf (visible / highlight). */
#include "config.h"

#include "hgtop/ui_int.h"

void
ui_actions_init(struct hg_ui *u)
{
	(void)u;
}

void
ui_actions_done(struct hg_ui *u)
{
	(void)u;
}

static unsigned
not_yet(struct hg_ui *u, const char *what)
{
	ui_message(u, false, "%s is not available in this build", what);
	return UI_R_DRAW;
}

unsigned
ui_action_search(struct hg_ui *u)
{
	return not_yet(u, "search");
}

unsigned
ui_action_search_next(struct hg_ui *u, bool forward)
{
	(void)forward;
	return not_yet(u, "search");
}

unsigned
ui_action_filter(struct hg_ui *u)
{
	return not_yet(u, "the filter prompt");
}

unsigned
ui_action_verdict(struct hg_ui *u)
{
	return not_yet(u, "the verdict filter");
}

unsigned
ui_action_tier(struct hg_ui *u)
{
	return not_yet(u, "the tier filter");
}

unsigned
ui_action_clear(struct hg_ui *u)
{
	return not_yet(u, "filtering");
}

unsigned
ui_action_stats(struct hg_ui *u)
{
	return not_yet(u, "the stats view");
}

unsigned
ui_action_annotate(struct hg_ui *u)
{
	return not_yet(u, "annotating");
}
