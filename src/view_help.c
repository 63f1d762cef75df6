/* view_help.c - the help screen, generated from the key table. */
#include "config.h"

#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/ui_view.h"

/* Help lines: a section heading (req NONE, text), a request, or a line
 * of the legend (req NONE, legend set). */
struct help_line {
	enum hg_ui_req req;
	const char *heading;
	const struct legend *legend;
};

/* The legend: every mark the panes draw, with the glyph in use (UTF-8 or
 * its ASCII stand-in): GLYPH is an offset into struct ui_glyphs plus one,
 * or 0 for the literal MARK. */
struct legend {
	size_t glyph;
	const char *mark;
	const char *text;
};

#define G(field) (offsetof(struct ui_glyphs, field) + 1)

static const struct legend legend[] = {
	{ G(live), NULL, "session: live (grew in the last 10 seconds)" },
	{ G(gone), NULL, "session: gone (its file was deleted or renamed away)" },
	{ 0, "!N", "session: N unparsable lines" },
	{ G(closed), NULL, "entry with attempts, collapsed (highlighted: an attempt matches)" },
	{ G(open), NULL, "entry with attempts, expanded" },
	{ G(arrow), NULL, "escalation chain: the tiers of the attempts, in order" },
	{ 0, "L S M", "abbreviated tiers (narrow panes): local, subagent, managed" },
	{ 0, "#N", "attempt number" },
	{ G(hline), NULL, "day separator, with the date (local): when the entries span days" },
	{ G(check), NULL, "attempt verified (its result was checked)" },
	{ G(unverified), NULL, "attempt not verified (the verdict follows: accept, escalate, error)" },
	{ 0, "warm cold", "attempt on a warm or a cold start" },
	{ G(cross), NULL, "unparsable line (the reason follows)" },
	{ G(note), NULL, "annotation (note) and its author" },
	{ G(ellipsis), NULL, "text cut to fit (the detail pane shows it all)" },
	{ 0, "-", "no attempts, or no duration" },
};

#define HELP_MAX (HG_REQ_N * 3 + HG_ARRAY_SIZE(legend) + 2)

static struct help_line help[HELP_MAX];
static size_t n_help;

static void
init(struct ui_view *v)
{
	const char *section = "";
	int r;

	(void)v;
	n_help = 0;
	for (r = HG_REQ_NONE + 1; r < HG_REQ_N && n_help + 2 < HELP_MAX; r++) {
		if (strcmp(section, hg_ui_reqs[r].section) != 0) {
			section = hg_ui_reqs[r].section;
			if (n_help)
				help[n_help++] = (struct help_line){ HG_REQ_NONE, "", NULL };
			help[n_help++] = (struct help_line){ HG_REQ_NONE, section, NULL };
		}
		help[n_help++] = (struct help_line){ (enum hg_ui_req)r, NULL, NULL };
	}
	help[n_help++] = (struct help_line){ HG_REQ_NONE, "", NULL };
	help[n_help++] = (struct help_line){ HG_REQ_NONE, "Legend", NULL };
	for (r = 0; r < (int)HG_ARRAY_SIZE(legend) && n_help < HELP_MAX; r++)
		help[n_help++] = (struct help_line){ HG_REQ_NONE, NULL, &legend[r] };
}

static const char *
legend_mark(const struct legend *l)
{
	const char *g;

	if (!l->glyph)
		return l->mark;
	memcpy(&g, (const char *)ui_g + l->glyph - 1, sizeof(g));
	return g;
}

static size_t
lines(const struct ui_view *v)
{
	(void)v;
	return n_help;
}

static void
draw(struct ui_view *v, size_t line, int y)
{
	const struct ui_rect *r = &v->rect;
	char keys[128];

	if (help[line].legend) {
		ui_put(y, r->x + 3, 22, legend_mark(help[line].legend), ui_attr(UI_ROLE_KEY));
		ui_put(y, r->x + 26, r->w - 27, help[line].legend->text, ui_attr(UI_ROLE_NORMAL));
		return;
	}
	if (help[line].req == HG_REQ_NONE) {
		ui_put(y, r->x + 1, r->w - 2, help[line].heading, ui_attr(UI_ROLE_FIELD) | A_BOLD);
		return;
	}
	hg_ui_key_names(help[line].req, keys, sizeof(keys));
	ui_put(y, r->x + 3, 22, keys, ui_attr(UI_ROLE_KEY));
	ui_put(y, r->x + 26, r->w - 27, hg_ui_reqs[help[line].req].help, ui_attr(UI_ROLE_NORMAL));
}

static void
title(struct ui_view *v, char *left, size_t nl, char *right, size_t nr)
{
	(void)v;
	(void)right;
	(void)nr;
	snprintf(left, nl, "hgtop help: %s, %s or %s closes; %s/%s scroll", hg_ui_key(HG_REQ_QUIT),
		 hg_ui_key(HG_REQ_CLOSE), hg_ui_key(HG_REQ_HELP), hg_ui_key(HG_REQ_MOVE_DOWN),
		 hg_ui_key(HG_REQ_MOVE_UP));
}

/* Moving keys scroll (the engine does it); Space and Enter page down, as
 * in the detail pane; ^L redraws; any other key closes the help. */
static unsigned
request(struct ui_view *v, enum hg_ui_req req)
{
	if (ui_req_moves(req) || req == HG_REQ_REDRAW)
		return UI_R_NONE;
	if (req == HG_REQ_TOGGLE)
		return ui_view_move(v, HG_REQ_PAGE_DOWN);
	ui_pop(v->ui);
	return UI_R_DRAW;
}

const struct ui_view_ops ui_help_ops = {
	.name = "help",
	.flags = UI_VF_SCROLL | UI_VF_SCREEN,
	.init = init,
	.lines = lines,
	.draw = draw,
	.title = title,
	.request = request,
};
