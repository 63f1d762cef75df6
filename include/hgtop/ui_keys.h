/* ui_keys.h - every user request and every key bound to it.
 *
 * These lists are the only place the browser's keys are defined: the
 * request enum, the key dispatch, the help screen, the hint bar and the
 * man page check (tests/screen/keys-doc.test) are all derived from them.
 * (The line editor of the prompts has its own keys: ui_prompt.h.)
 *
 * The header is curses-free where it is expanded outside ui_keys.c: the
 * configuration (config.c, in the core) reads the request names, the
 * default bindings and the key names, never the curses key codes. */
#ifndef HGTOP_UI_KEYS_H
#define HGTOP_UI_KEYS_H

/* R(id, section, help) */
#define HG_UI_REQUESTS(R) \
	R(MOVE_DOWN,	"Moving",  "next row") \
	R(MOVE_UP,	"Moving",  "previous row") \
	R(PAGE_DOWN,	"Moving",  "next page") \
	R(PAGE_UP,	"Moving",  "previous page") \
	R(FIRST,	"Moving",  "first row") \
	R(LAST,		"Moving",  "last row (resumes follow)") \
	R(HALF_DOWN,	"Moving",  "half a page down") \
	R(HALF_UP,	"Moving",  "half a page up") \
	R(NEXT_ERROR,	"Moving",  "next entry with an error, failed or unparsable") \
	R(PREV_ERROR,	"Moving",  "previous entry with an error") \
	R(NEXT_ESCALATION, "Moving", "next entry with an escalation") \
	R(PREV_ESCALATION, "Moving", "previous entry with an escalation") \
	R(NEXT_NOTE,	"Moving",  "next entry with a note") \
	R(PREV_NOTE,	"Moving",  "previous entry with a note") \
	R(NEXT_PANE,	"Moving",  "next pane: sessions, entries, detail") \
	R(PREV_PANE,	"Moving",  "previous pane") \
	R(MOUSE,	"Moving",  "click selects a row (again: expand/collapse); the wheel scrolls the pane under it") \
	R(EXPAND,	"Tree",    "expand entry (detail: scroll right)") \
	R(COLLAPSE,	"Tree",    "collapse entry (detail: scroll left)") \
	R(TOGGLE,	"Tree",    "expand/collapse; sessions: open; detail, help: a page") \
	R(EXPAND_ALL,	"Tree",    "expand all entries") \
	R(COLLAPSE_ALL,	"Tree",    "collapse all entries") \
	R(DETAIL_DOWN,	"Detail",  "scroll the detail pane down") \
	R(DETAIL_UP,	"Detail",  "scroll the detail pane up") \
	R(WRAP,		"Detail",  "wrap long lines on/off") \
	R(PRETTY,	"Detail",  "the whole entry as indented JSON on/off") \
	R(SEARCH,	"Find",    "search (in the detail pane: its text)") \
	R(SEARCH_NEXT,	"Find",    "next match (detail pane: in its text)") \
	R(SEARCH_PREV,	"Find",    "previous match") \
	R(FILTER,	"Find",    "filter expression") \
	R(VERDICT,	"Find",    "cycle the verdict filter: all, accept, escalate, error") \
	R(TIER,		"Find",    "cycle the tier filter: all, local, subagent, managed") \
	R(CLEAR,	"Find",    "clear the filter expression and the quick filters") \
	R(FOLLOW,	"View",    "follow new entries on/off") \
	R(LIVE,		"View",    "live: follow moves to the session written last, on/off") \
	R(TIMELINE,	"View",    "timeline: the entries of all sessions by time, and back") \
	R(STATS,	"View",    "statistics of all sessions under the filter, on/off") \
	R(SORT,		"View",    "order of the session list; stats: sort the cursor's table") \
	R(ANNOTATE,	"View",    "annotate the selected entry or attempt") \
	R(ZOOM,		"View",    "zoom the focused pane to the whole screen, and back") \
	R(SPLIT_LESS,	"View",    "move the split: a shorter tree, a taller detail pane") \
	R(SPLIT_MORE,	"View",    "move the split: a taller tree, a shorter detail pane") \
	R(MOUSE_TOGGLE,	"View",    "mouse capture on/off (off: select text with the terminal)") \
	R(REDRAW,	"View",    "redraw the screen") \
	R(HELP,		"View",    "this help") \
	R(CLOSE,	"View",    "close help or statistics")	\
	R(QUIT,		"View",    "quit (closes help or statistics first)") \
	R(PAGER,	"Hand-over", "open the detail's top field (detail focused) or the entry in $PAGER") \
	R(EDITOR,	"Hand-over", "open it in $EDITOR, on a read-only temporary copy") \
	R(YANK,		"Hand-over", "copy the detail's top field or the selected row to the clipboard (OSC 52)") \
	R(YANK_JSON,	"Hand-over", "copy the entry's JSON line to the clipboard (OSC 52)")

/* B(key name, request id): the default bindings, in the order the help
 * screen and the hint bar list a request's keys. A configuration file
 * (config.h) may bind other keys at start-up (hg_ui_keys_load). */
#define HG_UI_BINDINGS(B) \
	B("j",		MOVE_DOWN) \
	B("Down",	MOVE_DOWN) \
	B("k",		MOVE_UP) \
	B("Up",		MOVE_UP) \
	B("PgDn",	PAGE_DOWN) \
	B("^F",		PAGE_DOWN) \
	B("PgUp",	PAGE_UP) \
	B("^B",		PAGE_UP) \
	B("g",		FIRST) \
	B("Home",	FIRST) \
	B("G",		LAST) \
	B("End",	LAST) \
	B("^D",		HALF_DOWN) \
	B("^U",		HALF_UP) \
	B("]",		NEXT_ERROR) \
	B("[",		PREV_ERROR) \
	B("}",		NEXT_ESCALATION) \
	B("{",		PREV_ESCALATION) \
	B(")",		NEXT_NOTE) \
	B("(",		PREV_NOTE) \
	B("Tab",	NEXT_PANE) \
	B("Shift-Tab",	PREV_PANE) \
	B("Mouse",	MOUSE) \
	B("l",		EXPAND) \
	B("Right",	EXPAND) \
	B("h",		COLLAPSE) \
	B("Left",	COLLAPSE) \
	B("Enter",	TOGGLE) \
	B("Space",	TOGGLE) \
	B("E",		EXPAND_ALL) \
	B("C",		COLLAPSE_ALL) \
	B("J",		DETAIL_DOWN) \
	B("K",		DETAIL_UP) \
	B("w",		WRAP) \
	B("p",		PRETTY) \
	B("/",		SEARCH) \
	B("n",		SEARCH_NEXT) \
	B("N",		SEARCH_PREV) \
	B("f",		FILTER) \
	B("v",		VERDICT) \
	B("t",		TIER) \
	B("x",		CLEAR) \
	B("F",		FOLLOW) \
	B("L",		LIVE) \
	B("T",		TIMELINE) \
	B("O",		SORT) \
	B("s",		STATS) \
	B("a",		ANNOTATE) \
	B("o",		PAGER) \
	B("e",		EDITOR) \
	B("y",		YANK) \
	B("Y",		YANK_JSON) \
	B("z",		ZOOM) \
	B("<",		SPLIT_LESS) \
	B(">",		SPLIT_MORE) \
	B("M",		MOUSE_TOGGLE) \
	B("^L",		REDRAW) \
	B("?",		HELP) \
	B("F1",		HELP) \
	B("Esc",	CLOSE) \
	B("q",		QUIT)

/* K(curses key code, name): the keys with a name. Besides these, a key
 * is one printable ASCII character ("j", "?") or a control key "^A" to
 * "^Z" (^I is Tab, ^J and ^M are Enter). A name may stand for two codes
 * (Enter, Backspace): binding it binds both. */
#define HG_UI_KEYS(K) \
	K(KEY_DOWN,	"Down") \
	K(KEY_UP,	"Up") \
	K(KEY_LEFT,	"Left") \
	K(KEY_RIGHT,	"Right") \
	K(KEY_NPAGE,	"PgDn") \
	K(KEY_PPAGE,	"PgUp") \
	K(KEY_HOME,	"Home") \
	K(KEY_END,	"End") \
	K(KEY_IC,	"Insert") \
	K(KEY_DC,	"Delete") \
	K(KEY_BACKSPACE, "Backspace") \
	K(127,		"Backspace") \
	K('\t',		"Tab") \
	K(KEY_BTAB,	"Shift-Tab") \
	K('\n',		"Enter") \
	K(KEY_ENTER,	"Enter") \
	K(' ',		"Space") \
	K(27,		"Esc") \
	K(KEY_F(1),	"F1") \
	K(KEY_F(2),	"F2") \
	K(KEY_F(3),	"F3") \
	K(KEY_F(4),	"F4") \
	K(KEY_F(5),	"F5") \
	K(KEY_F(6),	"F6") \
	K(KEY_F(7),	"F7") \
	K(KEY_F(8),	"F8") \
	K(KEY_F(9),	"F9") \
	K(KEY_F(10),	"F10") \
	K(KEY_F(11),	"F11") \
	K(KEY_F(12),	"F12") \
	K(KEY_MOUSE,	"Mouse")

/* Where a hint shows: the view in front (the focused pane, or the open
 * statistics or help). */
#define HG_HINT_SESSIONS	0x01u
#define HG_HINT_ENTRIES		0x02u
#define HG_HINT_DETAIL		0x04u
#define HG_HINT_STATS		0x08u
#define HG_HINT_HELP		0x10u
#define HG_HINT_PANES		(HG_HINT_SESSIONS | HG_HINT_ENTRIES | HG_HINT_DETAIL)

/* H(request id, label, where): the hint bar, each shown with its first
 * key, in this order as far as the width allows; the QUIT hint is always
 * shown, last. */
#define HG_UI_HINTS(H) \
	H(HELP,		"help",     HG_HINT_PANES | HG_HINT_STATS) \
	H(NEXT_PANE,	"pane",     HG_HINT_PANES) \
	H(TOGGLE,	"open",     HG_HINT_SESSIONS) \
	H(TOGGLE,	"expand",   HG_HINT_ENTRIES) \
	H(WRAP,		"wrap",     HG_HINT_DETAIL) \
	H(STATS,	"back",     HG_HINT_STATS) \
	H(SORT,		"sort",     HG_HINT_STATS) \
	H(MOVE_DOWN,	"scroll",   HG_HINT_STATS | HG_HINT_HELP) \
	H(SEARCH,	"search",   HG_HINT_PANES) \
	H(FILTER,	"filter",   HG_HINT_PANES | HG_HINT_STATS) \
	H(VERDICT,	"verdict",  HG_HINT_PANES | HG_HINT_STATS) \
	H(TIER,		"tier",     HG_HINT_PANES | HG_HINT_STATS) \
	H(ANNOTATE,	"annotate", HG_HINT_ENTRIES | HG_HINT_DETAIL) \
	H(FOLLOW,	"follow",   HG_HINT_SESSIONS | HG_HINT_ENTRIES) \
	H(ZOOM,		"zoom",     HG_HINT_PANES) \
	H(QUIT,		"quit",     HG_HINT_PANES) \
	H(QUIT,		"close",    HG_HINT_STATS | HG_HINT_HELP)

enum hg_ui_req {
	HG_REQ_NONE = 0,
#define HG_UI_REQ_ENUM(id, section, help) HG_REQ_##id,
	HG_UI_REQUESTS(HG_UI_REQ_ENUM)
#undef HG_UI_REQ_ENUM
	HG_REQ_N
};

struct hg_ui_reqinfo {
	const char *name;
	const char *section;
	const char *help;
};

struct hg_ui_binding {
	int key;
	const char *name;
	enum hg_ui_req req;
};

struct hg_config;

/* Tables generated from the lists above (ui_keys.c). The bindings are
 * the defaults until hg_ui_keys_load. */
extern const struct hg_ui_reqinfo hg_ui_reqs[HG_REQ_N];
extern const struct hg_ui_binding *hg_ui_bindings;
extern size_t hg_ui_n_bindings;

/* Bind the keys of the configuration's binding table (its defaults are
 * HG_UI_BINDINGS, with the file's bind lines applied), in its order. */
void hg_ui_keys_load(const struct hg_config *cfg);

/* The request bound to KEY (a curses key code or character), or NONE. */
enum hg_ui_req hg_ui_key_request(int key);

/* "j Down" - the names of every key bound to REQ, space-separated. */
void hg_ui_key_names(enum hg_ui_req req, char *buf, size_t n);

/* The first key bound to REQ ("G"), for messages and titles: they name
 * the keys in force, bound ones included. Eight results stay valid. */
const char *hg_ui_key(enum hg_ui_req req);

#endif
