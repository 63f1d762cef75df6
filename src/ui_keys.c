/* ui_keys.c - the request and key tables, generated from ui_keys.h. The
 * binding table is the configuration's (config.h): its key names become
 * key codes here, once at start-up. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "hgtop/config.h"
#include "hgtop/ui_keys.h"
#include "hgtop/util.h"

const struct hg_ui_reqinfo hg_ui_reqs[HG_REQ_N] = {
	[HG_REQ_NONE] = { "none", "", "" },
#define HG_UI_REQ_INFO(id, section, help) [HG_REQ_##id] = { #id, section, help },
	HG_UI_REQUESTS(HG_UI_REQ_INFO)
#undef HG_UI_REQ_INFO
};

static const struct { int key; const char *name; } named_keys[] = {
#define HG_UI_KEY(code, name) { code, name },
	HG_UI_KEYS(HG_UI_KEY)
#undef HG_UI_KEY
};

/* Every key name stands for at most two codes, and there are fewer than
 * 200 names. */
#define MAX_BINDINGS 512

static struct hg_ui_binding table[MAX_BINDINGS];
static char key_text[MAX_BINDINGS][HG_CONFIG_KEY_MAX];

const struct hg_ui_binding *hg_ui_bindings = table;
size_t hg_ui_n_bindings;

static void
add(int key, const char *name, enum hg_ui_req req)
{
	if (hg_ui_n_bindings >= MAX_BINDINGS)
		return;
	snprintf(key_text[hg_ui_n_bindings], sizeof(key_text[0]), "%s", name);
	table[hg_ui_n_bindings].key = key;
	table[hg_ui_n_bindings].name = key_text[hg_ui_n_bindings];
	table[hg_ui_n_bindings++].req = req;
}

/* NAME is canonical (hg_config_key_name): a named key, ^A..^Z or one
 * printable character. */
static void
bind_name(const char *name, enum hg_ui_req req)
{
	size_t i;

	if (name[0] == '^' && name[1]) {
		add(name[1] - '@', name, req);
		return;
	}
	if (name[0] && !name[1]) {
		add((unsigned char)name[0], name, req);
		return;
	}
	for (i = 0; i < HG_ARRAY_SIZE(named_keys); i++)
		if (strcmp(named_keys[i].name, name) == 0)
			add(named_keys[i].key, name, req);
}

void
hg_ui_keys_load(const struct hg_config *cfg)
{
	size_t i;

	hg_ui_n_bindings = 0;
	for (i = 0; i < cfg->n_binds; i++)
		bind_name(cfg->binds[i].key, cfg->binds[i].req);
}

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

/* The first key bound to REQ, for messages and titles ("G"); a request
 * with no key is named as in the configuration file. Eight results stay
 * valid at a time. */
const char *
hg_ui_key(enum hg_ui_req req)
{
	static char bufs[8][32];
	static unsigned next;
	char *b = bufs[next++ % 8];
	size_t i;

	for (i = 0; i < hg_ui_n_bindings; i++)
		if (hg_ui_bindings[i].req == req) {
			snprintf(b, sizeof(bufs[0]), "%s", hg_ui_bindings[i].name);
			return b;
		}
	snprintf(b, sizeof(bufs[0]), "%s", hg_config_request_name(req));
	return b;
}
