/* ui_help.c - the help screen, generated from the key table. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/ui_int.h"

/* Help lines: a section heading (req NONE, text) or a request. */
struct help_line {
	enum hg_ui_req req;
	const char *heading;
};

static size_t
help_lines(struct help_line *out, size_t cap)
{
	const char *section = "";
	size_t n = 0;
	int r;

	for (r = HG_REQ_NONE + 1; r < HG_REQ_N && n + 2 < cap; r++) {
		if (strcmp(section, hg_ui_reqs[r].section) != 0) {
			section = hg_ui_reqs[r].section;
			if (n)
				out[n++] = (struct help_line){ HG_REQ_NONE, "" };
			out[n++] = (struct help_line){ HG_REQ_NONE, section };
		}
		out[n++] = (struct help_line){ (enum hg_ui_req)r, NULL };
	}
	return n;
}

#define HELP_MAX (HG_REQ_N * 3)

void
ui_help_draw(struct hg_ui *u)
{
	struct help_line lines[HELP_MAX];
	size_t n = help_lines(lines, HELP_MAX), i;
	int h = LINES - 2, y;
	char keys[128];

	if (u->help_off + (size_t)h > n)
		u->help_off = n > (size_t)h ? n - (size_t)h : 0;
	ui_fill(0, 0, COLS, ui_attr(UI_ROLE_HEADER));
	ui_put(0, 1, COLS - 2, "hgtop help: q, Esc or ? closes; j/k scroll", ui_attr(UI_ROLE_HEADER));
	for (i = u->help_off, y = 1; i < n && y <= h; i++, y++) {
		if (lines[i].req == HG_REQ_NONE) {
			ui_put(y, 1, COLS - 2, lines[i].heading, ui_attr(UI_ROLE_FIELD) | A_BOLD);
			continue;
		}
		hg_ui_key_names(lines[i].req, keys, sizeof(keys));
		ui_put(y, 3, 22, keys, ui_attr(UI_ROLE_KEY));
		ui_put(y, 26, COLS - 27, hg_ui_reqs[lines[i].req].help, ui_attr(UI_ROLE_NORMAL));
	}
	ui_fill(LINES - 1, 0, COLS, ui_attr(UI_ROLE_STATUS));
	snprintf(keys, sizeof(keys), "lines %zu-%zu of %zu", u->help_off + 1,
		 u->help_off + (size_t)h < n ? u->help_off + (size_t)h : n, n);
	ui_put(LINES - 1, 1, COLS - 2, keys, ui_attr(UI_ROLE_DIM));
}

unsigned
ui_help_key(struct hg_ui *u, int req)
{
	switch (req) {
	case HG_REQ_MOVE_DOWN:
		u->help_off++;
		break;
	case HG_REQ_MOVE_UP:
		if (u->help_off)
			u->help_off--;
		break;
	case HG_REQ_PAGE_DOWN:
		u->help_off += (size_t)(LINES > 4 ? LINES - 3 : 1);
		break;
	case HG_REQ_PAGE_UP:
		u->help_off = u->help_off > (size_t)LINES ? u->help_off - (size_t)LINES : 0;
		break;
	case HG_REQ_FIRST:
		u->help_off = 0;
		break;
	case HG_REQ_LAST:
		u->help_off = (size_t)-1 / 2;
		break;
	case HG_REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		u->help = false;
		break;
	}
	return UI_R_DRAW;
}
