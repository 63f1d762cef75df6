/* config.h - the configuration file and the effective configuration.
 *
 * The file ($XDG_CONFIG_HOME/hgtop/config, else ~/.config/hgtop/config,
 * or --config FILE) is line-oriented like tigrc. A line whose first
 * non-blank character is '#' is a comment; blank lines are ignored.
 *
 *   set NAME = VALUE          (or: set NAME VALUE)
 *   bind KEY REQUEST
 *   color ROLE FG BG [ATTR...]
 *   filter NAME = EXPRESSION
 *
 * Settings: sessions-dir, author (strings; "..." quotes are optional),
 * wrap, mouse, colors, follow, read-only (on/off), split (20-80, percent),
 * poll (0: inotify, else 10-3600000 ms). KEY is a name of HG_UI_KEYS
 * (ui_keys.h), a printable ASCII character or ^A..^Z; REQUEST a request
 * of HG_UI_REQUESTS in lower case with dashes ("move-down"), or "none" to
 * unbind the key. ROLE a colour role of UI_ROLES (ui_draw.h) in the same
 * form; FG and BG default, black, red, green, yellow, blue, magenta, cyan,
 * white or 0-255; ATTR bold, dim, underline, reverse, standout or normal.
 *
 * A bad line is recorded as "FILE:LINE:COLUMN: message" (the column, in
 * characters from 1, of the offending token) and the rest of the file
 * still applies. hg_config_dump prints the whole configuration in the
 * same syntax; read back, it gives the same configuration.
 *
 * No curses here: keys are kept as names (ui_keys.c binds their codes),
 * colours as numbers (ui_display.c gives them to curses). */
#ifndef HGTOP_CONFIG_H
#define HGTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hgtop/ui_draw.h"
#include "hgtop/ui_keys.h"

#define HG_CONFIG_SPLIT_MIN	20
#define HG_CONFIG_SPLIT_MAX	80
#define HG_CONFIG_KEY_MAX	12	/* longest key name + 1 ("Shift-Tab") */

/* One binding: a key by its canonical name, and its request. */
struct hg_config_bind {
	char key[HG_CONFIG_KEY_MAX];
	enum hg_ui_req req;
};

/* One colour role in colour mode. */
struct hg_config_color {
	int fg, bg;		/* UI_C_DEFAULT or 0-255 */
	unsigned attrs;		/* UI_A_* */
};

struct hg_config_filter {
	char *name;
	char *expr;
};

struct hg_config {
	char *sessions_dir;	/* as written: "~/" stands for $HOME */
	char *author;		/* NULL: $USER */
	bool wrap;
	bool mouse;
	bool colors;
	bool follow;
	bool read_only;
	int split;		/* percent of the right side for the entry tree */
	int poll_ms;		/* 0: inotify */

	/* The binding table in order: HG_UI_BINDINGS (each name once), then
	 * each bind line moves its key to the end under its request. */
	struct hg_config_bind *binds;
	size_t n_binds;
	struct hg_config_color color[UI_ROLE_N];
	struct hg_config_filter *filters;	/* in the order first defined */
	size_t n_filters;

	/* "FILE:LINE:COLUMN: message" of every bad line (raw: sanitize
	 * before showing). */
	char **errors;
	size_t n_errors;
};

/* The built-in configuration. */
void hg_config_init(struct hg_config *c);
void hg_config_free(struct hg_config *c);

/* Apply the statements of TEXT[0..n) (a whole file); NAME is the file
 * as errors name it. */
void hg_config_parse(struct hg_config *c, const char *name, const char *text, size_t n);
/* Read PATH and apply it (NAME as errors name it). A missing file is no
 * error unless MUST_EXIST; a file that cannot be read is, with
 * MUST_EXIST, -1 with the reason in ERR, else one of c->errors. */
int hg_config_load(struct hg_config *c, const char *path, const char *name, bool must_exist,
		   char *err, size_t errlen);

/* $XDG_CONFIG_HOME/hgtop/config, else $HOME/.config/hgtop/config;
 * NULL when neither variable is set (malloc'd). */
char *hg_config_default_path(void);
/* PATH with a leading $HOME written "~" (malloc'd), for messages. */
char *hg_config_display_path(const char *path);
/* The sessions directory with "~/" expanded (malloc'd). */
char *hg_config_sessions_dir(const struct hg_config *c);

void hg_config_set_author(struct hg_config *c, const char *author);

/* The configuration as a file that gives it back (every setting,
 * binding, colour and named filter). */
void hg_config_dump(const struct hg_config *c, FILE *f);

/* "move-down" for HG_REQ_MOVE_DOWN ("none" for HG_REQ_NONE). */
const char *hg_config_request_name(enum hg_ui_req req);
/* The request named NAME, or -1. */
int hg_config_request(const char *name);
/* The canonical name of key NAME ("pgdn" -> "PgDn", "^i" -> "Tab") in
 * OUT; false when NAME is no key. */
bool hg_config_key_name(const char *name, char *out, size_t n);
/* "title-foc" for UI_ROLE_TITLE_FOC. */
const char *hg_config_role_name(enum ui_role role);

/* The expression of the named filter NAME, or NULL. */
const char *hg_config_filter(const struct hg_config *c, const char *name);
/* TEXT with every "@name" word (outside quotes) replaced by the
 * expression of that named filter, in *OUT (malloc'd). Returns 0, or -1
 * with "unknown named filter '@x'" in ERR and its 1-based column (in
 * characters) in *COL. */
int hg_config_expand(const struct hg_config *c, const char *text, char **out, char *err,
		     size_t errlen, int *col);

#endif
