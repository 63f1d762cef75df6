/* config.c - the configuration file: parsing, the effective configuration
 * and --dump-config. See config.h for the syntax. */
#include "config.h"

#include "hgtop/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hgtop/filter.h"
#include "hgtop/sanitize.h"
#include "hgtop/util.h"

#define DEFAULT_SESSIONS_DIR	"~/.hyperguild/sessions"
#define DEFAULT_SPLIT		55
#define FILTER_NAME_MAX		32
#define LINE_MAX_BYTES		4096

/* Names */

/* "MOVE_DOWN" -> "move-down", generated once from the request list. */
static const char *const req_ids[HG_REQ_N] = {
	[HG_REQ_NONE] = "NONE",
#define REQ_ID(id, section, help) [HG_REQ_##id] = #id,
	HG_UI_REQUESTS(REQ_ID)
#undef REQ_ID
};

static const char *const role_ids[UI_ROLE_N] = {
#define ROLE_ID(name, fg, bg, ca, ma) [UI_ROLE_##name] = #name,
	UI_ROLES(ROLE_ID)
#undef ROLE_ID
};

static const struct hg_config_color role_defaults[UI_ROLE_N] = {
#define ROLE_DEF(name, fg, bg, ca, ma) [UI_ROLE_##name] = { fg, bg, ca },
	UI_ROLES(ROLE_DEF)
#undef ROLE_DEF
};

static const char *const default_keys[] = {
#define BIND_KEY(name, id) name,
	HG_UI_BINDINGS(BIND_KEY)
#undef BIND_KEY
};

static const enum hg_ui_req default_reqs[] = {
#define BIND_REQ(name, id) HG_REQ_##id,
	HG_UI_BINDINGS(BIND_REQ)
#undef BIND_REQ
};

static const char *const key_names[] = {
#define KEY_NAME(code, name) name,
	HG_UI_KEYS(KEY_NAME)
#undef KEY_NAME
};

static const struct { const char *alias, *name; } key_aliases[] = {
	{ "PageDown", "PgDn" }, { "PageUp", "PgUp" }, { "Escape", "Esc" },
	{ "Return", "Enter" }, { "BackTab", "Shift-Tab" }, { "Del", "Delete" },
	{ "Ins", "Insert" },
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct { const char *name; unsigned bit; } attr_names[] = {
	{ "bold", UI_A_BOLD }, { "dim", UI_A_DIM }, { "underline", UI_A_UNDERLINE },
	{ "reverse", UI_A_REVERSE }, { "standout", UI_A_STANDOUT },
};

static void
lower_dashed(const char *id, char *out, size_t n)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < n; i++)
		out[i] = id[i] == '_' ? '-' : (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] + 32 : id[i]);
	out[i] = '\0';
}

const char *
hg_config_request_name(enum hg_ui_req req)
{
	static char names[HG_REQ_N][24];

	if ((int)req < 0 || req >= HG_REQ_N)
		return "none";
	if (!names[req][0])
		lower_dashed(req_ids[req], names[req], sizeof(names[req]));
	return names[req];
}

int
hg_config_request(const char *name)
{
	int r;

	for (r = 0; r < HG_REQ_N; r++)
		if (strcmp(name, hg_config_request_name((enum hg_ui_req)r)) == 0)
			return r;
	return -1;
}

const char *
hg_config_role_name(enum ui_role role)
{
	static char names[UI_ROLE_N][24];

	if (!names[role][0])
		lower_dashed(role_ids[role], names[role], sizeof(names[role]));
	return names[role];
}

static int
find_role(const char *name)
{
	int i;

	for (i = 0; i < UI_ROLE_N; i++)
		if (strcmp(name, hg_config_role_name((enum ui_role)i)) == 0)
			return i;
	return -1;
}

static bool
copy_name(const char *name, char *out, size_t n)
{
	if (strlen(name) >= n)
		return false;
	strcpy(out, name);
	return true;
}

bool
hg_config_key_name(const char *name, char *out, size_t n)
{
	size_t i, len = strlen(name);

	if (len == 1 && name[0] > 0x20 && name[0] < 0x7f)
		return copy_name(name, out, n);
	if (len == 2 && name[0] == '^') {
		char c = name[1] >= 'a' && name[1] <= 'z' ? (char)(name[1] - 32) : name[1];
		char ctl[3] = { '^', c, '\0' };

		if (c == 'I')
			return copy_name("Tab", out, n);
		if (c == 'J' || c == 'M')
			return copy_name("Enter", out, n);
		if (c == '[')
			return copy_name("Esc", out, n);
		return c >= 'A' && c <= 'Z' && copy_name(ctl, out, n);
	}
	for (i = 0; i < HG_ARRAY_SIZE(key_names); i++)
		if (strcasecmp(name, key_names[i]) == 0)
			return copy_name(key_names[i], out, n);
	for (i = 0; i < HG_ARRAY_SIZE(key_aliases); i++)
		if (strcasecmp(name, key_aliases[i].alias) == 0)
			return copy_name(key_aliases[i].name, out, n);
	return false;
}

/* Defaults */

static void
bind_key(struct hg_config *c, const char *key, enum hg_ui_req req)
{
	size_t i;

	for (i = 0; i < c->n_binds; i++)
		if (strcmp(c->binds[i].key, key) == 0) {
			memmove(&c->binds[i], &c->binds[i + 1],
				(c->n_binds - i - 1) * sizeof(c->binds[0]));
			c->n_binds--;
			break;
		}
	if (req == HG_REQ_NONE)
		return;
	c->binds = xrealloc(c->binds, (c->n_binds + 1) * sizeof(c->binds[0]));
	copy_name(key, c->binds[c->n_binds].key, sizeof(c->binds[0].key));
	c->binds[c->n_binds++].req = req;
}

static bool
bound(const struct hg_config *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n_binds; i++)
		if (strcmp(c->binds[i].key, key) == 0)
			return true;
	return false;
}

void
hg_config_init(struct hg_config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->sessions_dir = xstrdup(DEFAULT_SESSIONS_DIR);
	c->wrap = c->mouse = c->colors = c->follow = true;
	c->split = DEFAULT_SPLIT;
	for (i = 0; i < HG_ARRAY_SIZE(default_keys); i++)
		bind_key(c, default_keys[i], default_reqs[i]);
	memcpy(c->color, role_defaults, sizeof(c->color));
}

void
hg_config_free(struct hg_config *c)
{
	size_t i;

	free(c->sessions_dir);
	free(c->author);
	free(c->binds);
	for (i = 0; i < c->n_filters; i++) {
		free(c->filters[i].name);
		free(c->filters[i].expr);
	}
	free(c->filters);
	for (i = 0; i < c->n_errors; i++)
		free(c->errors[i]);
	free(c->errors);
	memset(c, 0, sizeof(*c));
}

void
hg_config_set_author(struct hg_config *c, const char *author)
{
	free(c->author);
	c->author = author && *author ? xstrdup(author) : NULL;
}

/* Parsing one line */

struct line {
	struct hg_config *c;
	const char *file;
	int lineno;
	const char *s;		/* the line, NUL-terminated, no newline */
	size_t pos;
	bool failed;
};

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static void
add_error(struct hg_config *c, char *msg)
{
	c->errors = xrealloc(c->errors, (c->n_errors + 1) * sizeof(c->errors[0]));
	c->errors[c->n_errors++] = msg;
}

static void __attribute__((format(printf, 3, 4)))
fail_at(struct line *l, size_t off, const char *fmt, ...)
{
	struct hg_config *c = l->c;
	char msg[512];
	va_list ap;

	if (l->failed)
		return;
	l->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add_error(c, xasprintf("%s:%d:%d: %s", l->file, l->lineno, hg_utf8_column(l->s, off),
			       msg));
}

static void
skip_blanks(struct line *l)
{
	while (is_blank(l->s[l->pos]))
		l->pos++;
}

/* The next word (up to a blank, or also '=' with STOP_EQ) in BUF; its
 * offset in *OFF. False at the end of the line. */
static bool
word(struct line *l, char *buf, size_t n, size_t *off, bool stop_eq)
{
	size_t k = 0;

	skip_blanks(l);
	*off = l->pos;
	while (l->s[l->pos] && !is_blank(l->s[l->pos]) && !(stop_eq && l->s[l->pos] == '=')) {
		if (k + 1 < n)
			buf[k++] = l->s[l->pos];
		l->pos++;
	}
	buf[k] = '\0';
	return l->pos > *off;
}

static bool
at_end(struct line *l)
{
	skip_blanks(l);
	if (!l->s[l->pos])
		return true;
	if (l->s[l->pos] == '#')
		fail_at(l, l->pos, "a comment takes a line of its own");
	else
		fail_at(l, l->pos, "unexpected '%s'", l->s + l->pos);
	return false;
}

/* Skip an optional '=' (with STRICT: a required one). */
static bool
equals(struct line *l, bool strict, const char *after)
{
	skip_blanks(l);
	if (l->s[l->pos] == '=') {
		l->pos++;
		skip_blanks(l);
		return true;
	}
	if (strict)
		fail_at(l, l->pos, "'=' expected after '%s'", after);
	return !strict;
}

/* The rest of the line, trimmed; with UNQUOTE, without one pair of
 * enclosing quotes. */
static char *
rest(struct line *l, bool unquote)
{
	const char *p = l->s + l->pos;
	size_t n = strlen(p);

	while (n && is_blank(p[n - 1]))
		n--;
	if (unquote && n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	return xstrndup(p, n);
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < HG_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

static bool
parse_int(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x;

	if (!*v || *v == '-' || *v == '+')
		return false;
	errno = 0;
	x = strtol(v, &end, 10);
	if (*end || errno || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

static bool *
bool_setting(struct hg_config *c, const char *name)
{
	if (strcmp(name, "wrap") == 0)
		return &c->wrap;
	if (strcmp(name, "mouse") == 0)
		return &c->mouse;
	if (strcmp(name, "colors") == 0 || strcmp(name, "colours") == 0)
		return &c->colors;
	if (strcmp(name, "follow") == 0)
		return &c->follow;
	if (strcmp(name, "read-only") == 0)
		return &c->read_only;
	return NULL;
}

static void
set_string(struct line *l, const char *name, size_t off)
{
	char *v = rest(l, true);

	if (strcmp(name, "author") == 0) {
		hg_config_set_author(l->c, v);
	} else if (!*v) {
		fail_at(l, off, "%s: a directory is expected", name);
	} else {
		free(l->c->sessions_dir);
		l->c->sessions_dir = v;
		v = NULL;
	}
	free(v);
}

static bool
parse_number(struct line *l, const char *name, const char *v, size_t voff, int *out)
{
	long x;

	if (strcmp(name, "split") == 0) {
		if (!parse_int(v, HG_CONFIG_SPLIT_MIN, HG_CONFIG_SPLIT_MAX, &x)) {
			fail_at(l, voff, "split: '%s' is not a percentage from %d to %d", v,
				HG_CONFIG_SPLIT_MIN, HG_CONFIG_SPLIT_MAX);
			return false;
		}
	} else if (!parse_int(v, 0, 3600000, &x) || (x > 0 && x < 10)) {
		fail_at(l, voff, "poll: '%s' is not 0 (inotify) or milliseconds from 10 to 3600000",
			v);
		return false;
	}
	*out = (int)x;
	return true;
}

static void
stmt_set(struct line *l)
{
	char name[32], v[64];
	size_t off, voff;
	bool *b, on = false;
	int x = 0;

	if (!word(l, name, sizeof(name), &off, true)) {
		fail_at(l, off, "set: a setting name is expected");
		return;
	}
	b = bool_setting(l->c, name);
	if (!b && strcmp(name, "author") != 0 && strcmp(name, "sessions-dir") != 0 &&
	    strcmp(name, "split") != 0 && strcmp(name, "poll") != 0) {
		fail_at(l, off, "unknown setting '%s'", name);
		return;
	}
	equals(l, false, name);
	if (strcmp(name, "author") == 0 || strcmp(name, "sessions-dir") == 0) {
		set_string(l, name, l->pos);
		return;
	}
	if (!word(l, v, sizeof(v), &voff, false)) {
		fail_at(l, voff, "a value is expected after '%s'", name);
		return;
	}
	if (b && !parse_bool(v, &on)) {
		fail_at(l, voff, "%s: '%s' is not on or off", name, v);
		return;
	}
	if (!b && !parse_number(l, name, v, voff, &x))
		return;
	if (!at_end(l))
		return;
	if (b)
		*b = on;
	else
		*(strcmp(name, "split") == 0 ? &l->c->split : &l->c->poll_ms) = x;
}

static void
stmt_bind(struct line *l)
{
	char key[32], canon[HG_CONFIG_KEY_MAX], req[32];
	size_t koff, roff;
	int r;

	if (!word(l, key, sizeof(key), &koff, false)) {
		fail_at(l, koff, "bind: a key is expected");
		return;
	}
	if (!hg_config_key_name(key, canon, sizeof(canon))) {
		fail_at(l, koff, "unknown key '%s'", key);
		return;
	}
	if (strcmp(canon, "Mouse") == 0) {
		fail_at(l, koff, "the mouse is not a key to bind (set mouse = off turns it off)");
		return;
	}
	if (!word(l, req, sizeof(req), &roff, false)) {
		fail_at(l, roff, "bind: a request is expected after '%s'", key);
		return;
	}
	r = hg_config_request(req);
	if (r < 0 || r == HG_REQ_MOUSE) {
		fail_at(l, roff, r < 0 ? "unknown request '%s'" : "request '%s' takes no key", req);
		return;
	}
	if (at_end(l))
		bind_key(l->c, canon, (enum hg_ui_req)r);
}

static bool
parse_colour(const char *v, int *out)
{
	long x;
	size_t i;

	if (strcasecmp(v, "default") == 0)
		return *out = UI_C_DEFAULT, true;
	for (i = 0; i < HG_ARRAY_SIZE(colour_names); i++)
		if (strcasecmp(v, colour_names[i]) == 0)
			return *out = (int)i, true;
	if (!parse_int(v, 0, 255, &x))
		return false;
	*out = (int)x;
	return true;
}

static bool
parse_attr(const char *v, unsigned *attrs)
{
	size_t i;

	if (strcasecmp(v, "normal") == 0)
		return *attrs = 0, true;
	for (i = 0; i < HG_ARRAY_SIZE(attr_names); i++)
		if (strcasecmp(v, attr_names[i].name) == 0)
			return *attrs |= attr_names[i].bit, true;
	return false;
}

#define COLOURS_EXPECTED "default, black, red, green, yellow, blue, magenta, cyan, white or 0-255"

static void
stmt_color(struct line *l)
{
	char name[32], v[32];
	size_t off;
	struct hg_config_color col = { UI_C_DEFAULT, UI_C_DEFAULT, 0 };
	int role;

	if (!word(l, name, sizeof(name), &off, false)) {
		fail_at(l, off, "color: a colour role is expected");
		return;
	}
	if ((role = find_role(name)) < 0) {
		fail_at(l, off, "unknown colour role '%s'", name);
		return;
	}
	if (!word(l, v, sizeof(v), &off, false) || !parse_colour(v, &col.fg)) {
		fail_at(l, off, v[0] ? "unknown colour '%s' (" COLOURS_EXPECTED ")"
			: "a foreground colour is expected%s", v);
		return;
	}
	if (!word(l, v, sizeof(v), &off, false) || !parse_colour(v, &col.bg)) {
		fail_at(l, off, v[0] ? "unknown colour '%s' (" COLOURS_EXPECTED ")"
			: "a background colour is expected%s", v);
		return;
	}
	while (word(l, v, sizeof(v), &off, false))
		if (!parse_attr(v, &col.attrs)) {
			fail_at(l, off, "unknown attribute '%s' (bold, dim, underline, reverse, "
				"standout or normal)", v);
			return;
		}
	l->c->color[role] = col;
}

static bool
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

static struct hg_config_filter *
find_filter(const struct hg_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_filters; i++)
		if (strcmp(c->filters[i].name, name) == 0)
			return &c->filters[i];
	return NULL;
}

const char *
hg_config_filter(const struct hg_config *c, const char *name)
{
	const struct hg_config_filter *f = find_filter(c, name);

	return f ? f->expr : NULL;
}

/* The filter parser's message without its " at column N". */
static void
strip_column(char *msg)
{
	char *p = strstr(msg, " at column ");
	char *q;

	if (!p)
		return;
	q = p + strlen(" at column ");
	while (*q >= '0' && *q <= '9')
		q++;
	memmove(p, q, strlen(q) + 1);
}

/* An "@name" word outside quotes at TEXT[i]: its length, else 0. */
static size_t
reference(const char *text, size_t i)
{
	size_t k = 1;

	if (text[i] != '@' || (i > 0 && !is_blank(text[i - 1])))
		return 0;
	while (is_name_char(text[i + k]))
		k++;
	return k > 1 && (!text[i + k] || is_blank(text[i + k])) ? k : 0;
}

/* The offset of the first "@name" word outside quotes at or after FROM,
 * or (size_t)-1. */
static size_t
next_reference(const char *text, size_t from, size_t *len)
{
	bool quoted = false;
	size_t i;

	for (i = 0; text[i]; i++) {
		if (quoted) {
			if (text[i] == '\\' && text[i + 1])
				i++;
			else if (text[i] == '"')
				quoted = false;
			continue;
		}
		if (text[i] == '"') {
			quoted = true;
			continue;
		}
		if (i >= from && (*len = reference(text, i)) > 0)
			return i;
	}
	return (size_t)-1;
}

static void
stmt_filter(struct line *l)
{
	char name[FILTER_NAME_MAX + 1], err[256];
	size_t off, i, ref, len;
	const char *expr;
	struct hg_filter *f;
	struct hg_config_filter *nf;
	int col = 0;

	if (!word(l, name, sizeof(name), &off, true)) {
		fail_at(l, off, "filter: a name is expected");
		return;
	}
	for (i = 0; name[i]; i++)
		if (!is_name_char(name[i]) || i >= FILTER_NAME_MAX) {
			fail_at(l, off, "filter: '%s' is not a name (letters, digits, '-' and '_', "
				"up to %d)", name, FILTER_NAME_MAX);
			return;
		}
	if (!equals(l, true, name))
		return;
	expr = l->s + l->pos;
	if (!*expr) {
		fail_at(l, l->pos, "filter %s: an expression is expected", name);
		return;
	}
	if ((ref = next_reference(expr, 0, &len)) != (size_t)-1) {
		fail_at(l, l->pos + ref, "filter %s: a named filter cannot use another (%.*s)",
			name, (int)len, expr + ref);
		return;
	}
	f = hg_filter_parse_effective(expr, NULL, NULL, err, sizeof(err), &col);
	if (!f) {
		strip_column(err);
		/* col counts characters of expr: back to bytes of the line. */
		for (i = 0; col > 1 && expr[i]; i++)
			if (((unsigned char)expr[i + 1] & 0xC0) != 0x80)
				col--;
		fail_at(l, l->pos + (col > 0 ? i : 0), "filter %s: %s", name, err);
		return;
	}
	hg_filter_free(f);
	if (!(nf = find_filter(l->c, name))) {
		l->c->filters = xrealloc(l->c->filters,
					 (l->c->n_filters + 1) * sizeof(l->c->filters[0]));
		nf = &l->c->filters[l->c->n_filters++];
		nf->name = xstrdup(name);
		nf->expr = NULL;
	}
	free(nf->expr);
	nf->expr = rest(l, false);
}

/* Bytes that cannot be in a line: controls other than tab, DEL, bad
 * UTF-8. Returns the offset of the first, or (size_t)-1. */
static size_t
bad_byte(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = hg_utf8_decode(s + i, n - i, &cp);

		if (cp == HG_UTF8_INVALID || (cp < 0x20 && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			return i;
		i += k;
	}
	return (size_t)-1;
}

static void
parse_line(struct hg_config *c, const char *file, int lineno, const char *s, size_t n)
{
	struct line l = { c, file, lineno, NULL, 0, false };
	char *copy = xstrndup(s, n), stmt[16];
	size_t off, bad = bad_byte(s, n);

	l.s = copy;
	if (n > LINE_MAX_BYTES) {
		fail_at(&l, 0, "line longer than %d bytes", LINE_MAX_BYTES);
	} else if (bad != (size_t)-1) {
		copy[bad] = '\0';	/* the column counts the good part */
		fail_at(&l, bad, "a control character or invalid UTF-8");
	} else if (!word(&l, stmt, sizeof(stmt), &off, false) || stmt[0] == '#') {
		/* blank or a comment */
	} else if (strcmp(stmt, "set") == 0) {
		stmt_set(&l);
	} else if (strcmp(stmt, "bind") == 0) {
		stmt_bind(&l);
	} else if (strcmp(stmt, "color") == 0 || strcmp(stmt, "colour") == 0) {
		stmt_color(&l);
	} else if (strcmp(stmt, "filter") == 0) {
		stmt_filter(&l);
	} else {
		fail_at(&l, off, "unknown statement '%s' (set, bind, color or filter)", stmt);
	}
	free(copy);
}

void
hg_config_parse(struct hg_config *c, const char *name, const char *text, size_t n)
{
	size_t start = 0;
	int lineno = 1;

	while (start < n) {
		const char *nl = memchr(text + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - text) : n, len = end - start;

		if (len && text[start + len - 1] == '\r')
			len--;
		parse_line(c, name, lineno++, text + start, len);
		start = end + 1;
	}
}

int
hg_config_load(struct hg_config *c, const char *path, const char *name, bool must_exist,
	       char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct hg_buf b = { 0 };
	char chunk[8192];
	size_t k;

	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		if (must_exist) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			return -1;
		}
		add_error(c, xasprintf("%s: %s", name, strerror(errno)));
		return 0;
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hg_buf_add(&b, chunk, k);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		hg_buf_free(&b);
		snprintf(err, errlen, "%s: %s", name, strerror(e));
		if (must_exist)
			return -1;
		add_error(c, xstrdup(err));
		return 0;
	}
	fclose(f);
	hg_config_parse(c, name, b.p ? b.p : "", b.len);
	hg_buf_free(&b);
	return 0;
}

/* Paths */

static const char *
home(void)
{
	const char *h = getenv("HOME");

	return h && *h ? h : NULL;
}

char *
hg_config_default_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");

	/* The XDG spec: a relative path is ignored. */
	if (x && x[0] == '/')
		return xasprintf("%s/hgtop/config", x);
	if (home())
		return xasprintf("%s/.config/hgtop/config", home());
	return NULL;
}

char *
hg_config_display_path(const char *path)
{
	const char *h = home();
	size_t n = h ? strlen(h) : 0;

	if (h && n > 1 && strncmp(path, h, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

char *
hg_config_sessions_dir(const struct hg_config *c)
{
	const char *d = c->sessions_dir;

	if (d[0] == '~' && (d[1] == '/' || d[1] == '\0'))
		return xasprintf("%s%s", home() ? home() : ".", d + 1);
	return xstrdup(d);
}

/* Named filters in an expression */

int
hg_config_expand(const struct hg_config *c, const char *text, char **out, char *err,
		 size_t errlen, int *col)
{
	struct hg_buf b = { 0 };
	size_t from = 0, at, len;

	*col = 0;
	while ((at = next_reference(text, from, &len)) != (size_t)-1) {
		char name[FILTER_NAME_MAX + 1];
		const char *expr;

		snprintf(name, sizeof(name), "%.*s", (int)(len - 1), text + at + 1);
		expr = len - 1 <= FILTER_NAME_MAX ? hg_config_filter(c, name) : NULL;
		if (!expr) {
			struct hg_buf s = { 0 };

			hg_sanitize(&s, text + at, len, 0);
			snprintf(err, errlen, "unknown named filter '%s'", s.p);
			hg_buf_free(&s);
			*col = hg_utf8_column(text, at);
			hg_buf_free(&b);
			return -1;
		}
		hg_buf_add(&b, text + from, at - from);
		/* Among other terms, a named "a | b" stays one alternative. */
		if (strchr(expr, '|'))
			hg_buf_printf(&b, "(%s)", expr);
		else
			hg_buf_adds(&b, expr);
		from = at + len;
	}
	hg_buf_adds(&b, text + from);
	*out = b.p ? b.p : xstrdup("");
	return 0;
}

/* --dump-config */

static const char *
on_off(bool b)
{
	return b ? "on" : "off";
}

/* A string setting: quoted when blanks at its ends or a quote would
 * otherwise be lost; never with a control character. */
static void
dump_string(FILE *f, const char *name, const char *v)
{
	struct hg_buf b = { 0 };
	size_t n = strlen(v);
	bool quote = n == 0 || is_blank(v[0]) || is_blank(v[n - 1]) || v[0] == '"';

	hg_sanitize(&b, v, n, 0);
	fprintf(f, "set %s = %s%s%s\n", name, quote ? "\"" : "", b.len ? b.p : "", quote ? "\"" : "");
	hg_buf_free(&b);
}

static void
dump_colour(FILE *f, int c)
{
	if (c == UI_C_DEFAULT)
		fputs(" default", f);
	else if (c >= 0 && c < (int)HG_ARRAY_SIZE(colour_names))
		fprintf(f, " %s", colour_names[c]);
	else
		fprintf(f, " %d", c);
}

static void
dump_bindings(const struct hg_config *c, FILE *f)
{
	size_t i;

	fputs("\n# Keys: bind KEY REQUEST (the mouse is set above)\n", f);
	for (i = 0; i < c->n_binds; i++)
		if (c->binds[i].req != HG_REQ_MOUSE)
			fprintf(f, "bind %s %s\n", c->binds[i].key,
				hg_config_request_name(c->binds[i].req));
	for (i = 0; i < HG_ARRAY_SIZE(default_keys); i++)
		if (!bound(c, default_keys[i]))
			fprintf(f, "bind %s none\n", default_keys[i]);
}

void
hg_config_dump(const struct hg_config *c, FILE *f)
{
	size_t i, j;

	fputs("# hgtop configuration (hgtop --dump-config)\n", f);
	dump_string(f, "sessions-dir", c->sessions_dir);
	dump_string(f, "author", c->author ? c->author : "");
	fprintf(f, "set wrap = %s\n", on_off(c->wrap));
	fprintf(f, "set mouse = %s\n", on_off(c->mouse));
	fprintf(f, "set colors = %s\n", on_off(c->colors));
	fprintf(f, "set follow = %s\n", on_off(c->follow));
	fprintf(f, "set read-only = %s\n", on_off(c->read_only));
	fprintf(f, "set split = %d\n", c->split);
	fprintf(f, "set poll = %d\n", c->poll_ms);
	dump_bindings(c, f);
	fputs("\n# Colours: color ROLE FG BG [ATTR...]\n", f);
	for (i = 0; i < UI_ROLE_N; i++) {
		fprintf(f, "color %s", hg_config_role_name((enum ui_role)i));
		dump_colour(f, c->color[i].fg);
		dump_colour(f, c->color[i].bg);
		for (j = 0; j < HG_ARRAY_SIZE(attr_names); j++)
			if (c->color[i].attrs & attr_names[j].bit)
				fprintf(f, " %s", attr_names[j].name);
		fputc('\n', f);
	}
	fputs("\n# Named filters, @NAME in the f prompt: filter NAME = EXPRESSION\n", f);
	for (i = 0; i < c->n_filters; i++)
		fprintf(f, "filter %s = %s\n", c->filters[i].name, c->filters[i].expr);
}
