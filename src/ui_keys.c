/* ui_keys.c - the request and key tables, generated from ui_keys.h. */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "hgtop/ui_keys.h"
#include "hgtop/util.h"

const struct hg_ui_reqinfo hg_ui_reqs[HG_REQ_N] = {
	[HG_REQ_NONE] = { "none", "", "" },
#define HG_UI_REQ_INFO(id, section, help) [HG_REQ_##id] = { #id, section, help },
	HG_UI_REQUESTS(HG_UI_REQ_INFO)
#undef HG_UI_REQ_INFO
};

const struct hg_ui_binding hg_ui_bindings[] = {
#define HG_UI_BIND(key, name, id) { key, name, HG_REQ_##id },
	HG_UI_BINDINGS(HG_UI_BIND)
#undef HG_UI_BIND
};

const size_t hg_ui_n_bindings = HG_ARRAY_SIZE(hg_ui_bindings);

enum hg_ui_req
hg_ui_key_request(int key)
{
	size_t i;

	/* A terminal in raw mode may send CR for Enter. */
	if (key == '\r')
		key = '\n';
	for (i = 0; i < hg_ui_n_bindings; i++)
		if (hg_ui_bindings[i].key == key)
			return hg_ui_bindings[i].req;
	return HG_REQ_NONE;
}

void
hg_ui_key_names(enum hg_ui_req req, char *buf, size_t n)
{
	size_t i, used = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < hg_ui_n_bindings; i++) {
		const char *name = hg_ui_bindings[i].name;
		int w;

		if (hg_ui_bindings[i].req != req)
			continue;
		if (i > 0 && hg_ui_bindings[i - 1].req == req &&
		    strcmp(hg_ui_bindings[i - 1].name, name) == 0)
			continue;
		w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}
