/* ui_filter.c - the filter commands: the expression prompt (f), the
 * verdict and tier quick filters (v, t) and clearing (x). The filter and
 * its match caches are the app's (hg_app_set_filter); this file is the
 * conversation with the user. The prompt's label lists the named filters
 * of the configuration; "@name" in the text stands for its expression. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/config.h"
#include "hgtop/filter.h"
#include "hgtop/state.h"
#include "hgtop/ui_prompt.h"
#include "hgtop/ui_view.h"

struct ui_filter {
	struct hg_history hist;
	/* Tab: the candidates, the one shown (-1: none yet) and the text as
	 * the last Tab left it (another Tab on it steps to the next). */
	struct hg_filter_completion comp;
	int idx;
	char *after;
	size_t after_cur;
	char note[256];
};

#define FILTER_HINT "key:value  a | b  !(a b)  since:2h  Tab completes"


static struct ui_filter *
state(struct hg_ui *u)
{
	if (!u->filter_state) {
		struct ui_filter *st = xcalloc(1, sizeof(*st));

		hg_state_load_history(&u->state, &st->hist, "filter");
		if (u->app->o->filter && *u->app->o->filter)
			hg_history_seed(&st->hist, u->app->o->filter);
		u->filter_state = st;
	}
	return u->filter_state;
}

void
ui_filter_done(struct hg_ui *u)
{
	struct ui_filter *st = u->filter_state;

	if (!st)
		return;
	ui_history_close(u, &st->hist);
	hg_filter_completion_free(&st->comp);
	free(st->after);
	free(st);
	u->filter_state = NULL;
}

static void
quick_text(const struct hg_app *a, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s", a->verdict ? "verdict:" : "", a->verdict ? a->verdict : "",
		 a->verdict && a->tier ? " " : "", a->tier ? "tier:" : "");
	if (a->tier)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s", a->tier);
}

/* "Tab: a b c" in the note, as many as fit. */
static void
list_note(struct ui_filter *st)
{
	size_t used = (size_t)snprintf(st->note, sizeof(st->note), "Tab:");

	for (size_t i = 0; i < st->comp.n; i++) {
		size_t need = strlen(st->comp.cands[i]) + 1;

		if (used + need + 5 >= sizeof(st->note)) {
			snprintf(st->note + used, sizeof(st->note) - used, " ...");
			return;
		}
		used += (size_t)snprintf(st->note + used, sizeof(st->note) - used, " %s",
					 st->comp.cands[i]);
	}
}

/* Tab: complete the key or value before the cursor; again: the next
 * candidate. */
static void
complete(struct hg_ui *u, struct ui_filter *st, struct ui_prompt *p)
{
	const char *text = ui_prompt_text(p);
	size_t cur = ui_prompt_cursor(p);
	struct hg_filter_completion *c = &st->comp;

	if (st->after && strcmp(text, st->after) == 0 && cur == st->after_cur && c->n > 1) {
		st->idx = (st->idx + 1) % (int)c->n;
		ui_prompt_replace(p, c->from, cur, c->cands[st->idx]);
	} else {
		hg_filter_completion_free(c);
		hg_filter_complete(text, cur, u->app->c->sessions, u->app->c->n, c);
		st->idx = -1;
		if (c->n == 0) {
			snprintf(st->note, sizeof(st->note), "Tab: no completion");
		} else if (c->n == 1) {
			ui_prompt_replace(p, c->from, cur, c->cands[0]);
			snprintf(st->note, sizeof(st->note), "%s", FILTER_HINT);
		} else {
			/* The longest common start, else the first candidate. */
			size_t lcp = strlen(c->cands[0]);

			for (size_t i = 1; i < c->n; i++) {
				size_t j = 0;

				while (j < lcp && c->cands[i][j] == c->cands[0][j])
					j++;
				lcp = j;
			}
			if (lcp > cur - c->from) {
				char *pre = xstrndup(c->cands[0], lcp);

				ui_prompt_replace(p, c->from, cur, pre);
				free(pre);
			} else {
				st->idx = 0;
				ui_prompt_replace(p, c->from, cur, c->cands[0]);
			}
			list_note(st);
		}
	}
	ui_prompt_set_note(p, st->note, NULL);
	free(st->after);
	st->after = xstrdup(ui_prompt_text(p));
	st->after_cur = ui_prompt_cursor(p);
}

static unsigned
on_prompt(struct hg_ui *u, struct ui_prompt *p, enum ui_prompt_event ev, void *ctx)
{
	struct hg_app *a = u->app;
	const char *text = ui_prompt_text(p);
	char err[256], *expr = NULL;
	int col, rc = -1;

	(void)ctx;
	if (ev == UI_PROMPT_COMPLETE) {
		complete(u, state(u), p);
		return UI_R_DRAW;
	}
	if (ev == UI_PROMPT_CHANGED && state(u)->note[0]) {
		state(u)->note[0] = '\0';
		ui_prompt_set_note(p, FILTER_HINT, NULL);
		return UI_R_DRAW;
	}
	if (ev != UI_PROMPT_ACCEPT)
		return UI_R_NONE;
	if (!a->o->config)
		expr = xstrdup(text);
	else if (hg_config_expand(a->o->config, text, &expr, err, sizeof(err), &col) < 0)
		expr = NULL;
	/* A verdict or tier that is no known value and in no log: a typo.
	 * While the sessions are still being read, the app checks once
	 * they are. */
	if (expr && (!a->values_checked ||
		     hg_filter_check_values(expr, a->c->sessions, a->c->n, err, sizeof(err), &col)))
		rc = hg_app_set_filter(a, expr, a->verdict, a->tier, err, sizeof(err), &col);
	/* An error inside an expanded name has no column in the text. */
	if (expr && rc < 0 && strcmp(expr, text) != 0)
		col = 0;
	free(expr);
	if (rc < 0) {
		/* Stay open with the text; the filter in force stays. */
		ui_prompt_error(p, col, err);
		ui_prompt_keep(p);
		return UI_R_DRAW;
	}
	if (a->filter_text)
		ui_message(u, false, "filter: %s", a->filter_text);
	else
		ui_message(u, false, "filter: showing every entry");
	return UI_R_DRAW;
}

/* " (@errors @slow)": the named filters, as many as fit in NAMED_MAX
 * columns ("..." for the others); "" without any. */
#define NAMED_MAX 40

static void
named_text(const struct hg_config *cfg, char *buf, size_t n)
{
	size_t i, used;

	buf[0] = '\0';
	if (!cfg || !cfg->n_filters)
		return;
	used = (size_t)snprintf(buf, n, " (");
	for (i = 0; i < cfg->n_filters; i++) {
		const char *name = cfg->filters[i].name;

		if (used + strlen(name) + 6 > NAMED_MAX) {
			used += (size_t)snprintf(buf + used, n - used, "%s...", i ? " " : "");
			break;
		}
		used += (size_t)snprintf(buf + used, n - used, "%s@%s", i ? " " : "", name);
	}
	snprintf(buf + used, n - used, ")");
}

unsigned
ui_cmd_filter(struct hg_ui *u)
{
	struct ui_filter *st = state(u);
	char quick[64], named[NAMED_MAX + 8], label[NAMED_MAX + 96];

	quick_text(u->app, quick, sizeof(quick));
	named_text(u->app->o->config, named, sizeof(named));
	if (quick[0])
		snprintf(label, sizeof(label), "filter%s [%s]: ", named, quick);
	else
		snprintf(label, sizeof(label), "filter%s: ", named);
	ui_prompt_open(u, label, u->app->expr, &st->hist, on_prompt, NULL);
	/* The language at a glance, on the right of the prompt. */
	if (u->prompt) {
		ui_prompt_set_note(u->prompt, FILTER_HINT, NULL);
		ui_prompt_completes(u->prompt);
	}
	st->note[0] = '\0';
	return UI_R_DRAW;
}

/* Step one quick filter through its cycle (a list from the command line
 * steps to "all"). */
unsigned
ui_cmd_cycle(struct hg_ui *u, bool verdict)
{
	struct hg_app *a = u->app;
	char err[256];
	bool ok;
	const char *v = hg_app_cycle(a, verdict, &ok, err, sizeof(err));

	if (!ok) {
		ui_message(u, true, "filter: %s", err);
		return UI_R_DRAW;
	}
	if (a->filter_text)
		ui_message(u, false, "%s filter: %s  (in force: %s)", verdict ? "verdict" : "tier",
			   v ? v : "all", a->filter_text);
	else
		ui_message(u, false, "%s filter: %s", verdict ? "verdict" : "tier", v ? v : "all");
	return UI_R_DRAW;
}

unsigned
ui_cmd_clear(struct hg_ui *u)
{
	if (!hg_app_clear_filter(u->app))
		ui_message(u, false, "no filter to clear");
	else
		ui_message(u, false, "filters cleared: showing every entry");
	return UI_R_DRAW;
}
