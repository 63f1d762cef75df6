/* ui_keys.h - every user request and every key bound to it.
 *
 * These lists are the only place the browser's keys are defined: the
 * request enum, the key dispatch, the help screen, the hint bar and the
 * man page check (tests/screen/keys-doc.test) are all derived from them.
 * (The line editor of the prompts has its own keys: ui_prompt.h.) */
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
	R(NEXT_PANE,	"Moving",  "next pane: sessions, entries, detail") \
	R(PREV_PANE,	"Moving",  "previous pane") \
	R(MOUSE,	"Moving",  "click selects a row (again: expand/collapse); the wheel scrolls the pane under it") \
	R(EXPAND,	"Tree",    "expand entry (detail: scroll right)") \
	R(COLLAPSE,	"Tree",    "collapse entry (detail: scroll left)") \
	R(TOGGLE,	"Tree",    "expand/collapse; in sessions: open") \
	R(EXPAND_ALL,	"Tree",    "expand all entries") \
	R(COLLAPSE_ALL,	"Tree",    "collapse all entries") \
	R(DETAIL_DOWN,	"Detail",  "scroll the detail pane down") \
	R(DETAIL_UP,	"Detail",  "scroll the detail pane up") \
	R(WRAP,		"Detail",  "wrap long lines on/off") \
	R(SEARCH,	"Find",    "search") \
	R(SEARCH_NEXT,	"Find",    "next match") \
	R(SEARCH_PREV,	"Find",    "previous match") \
	R(FILTER,	"Find",    "filter expression") \
	R(VERDICT,	"Find",    "cycle the verdict filter: all, accept, escalate, error") \
	R(TIER,		"Find",    "cycle the tier filter: all, local, subagent, managed") \
	R(CLEAR,	"Find",    "clear the filter expression and the quick filters") \
	R(FOLLOW,	"View",    "follow new entries on/off") \
	R(STATS,	"View",    "statistics of all sessions under the filter, on/off") \
	R(ANNOTATE,	"View",    "annotate the selected entry or attempt") \
	R(REDRAW,	"View",    "redraw the screen") \
	R(HELP,		"View",    "this help") \
	R(CLOSE,	"View",    "close help or statistics")	\
	R(QUIT,		"View",    "quit (closes help or statistics first)")

/* B(key code, name, request id) */
#define HG_UI_BINDINGS(B) \
	B('j',		"j",		MOVE_DOWN) \
	B(KEY_DOWN,	"Down",		MOVE_DOWN) \
	B('k',		"k",		MOVE_UP) \
	B(KEY_UP,	"Up",		MOVE_UP) \
	B(KEY_NPAGE,	"PgDn",		PAGE_DOWN) \
	B(6,		"^F",		PAGE_DOWN) \
	B(KEY_PPAGE,	"PgUp",		PAGE_UP) \
	B(2,		"^B",		PAGE_UP) \
	B('g',		"g",		FIRST) \
	B(KEY_HOME,	"Home",		FIRST) \
	B('G',		"G",		LAST) \
	B(KEY_END,	"End",		LAST) \
	B('\t',		"Tab",		NEXT_PANE) \
	B(KEY_BTAB,	"Shift-Tab",	PREV_PANE) \
	B(KEY_MOUSE,	"Mouse",	MOUSE) \
	B('l',		"l",		EXPAND) \
	B(KEY_RIGHT,	"Right",	EXPAND) \
	B('h',		"h",		COLLAPSE) \
	B(KEY_LEFT,	"Left",		COLLAPSE) \
	B('\n',		"Enter",	TOGGLE) \
	B(KEY_ENTER,	"Enter",	TOGGLE) \
	B(' ',		"Space",	TOGGLE) \
	B('E',		"E",		EXPAND_ALL) \
	B('C',		"C",		COLLAPSE_ALL) \
	B('J',		"J",		DETAIL_DOWN) \
	B('K',		"K",		DETAIL_UP) \
	B('w',		"w",		WRAP) \
	B('/',		"/",		SEARCH) \
	B('n',		"n",		SEARCH_NEXT) \
	B('N',		"N",		SEARCH_PREV) \
	B('f',		"f",		FILTER) \
	B('v',		"v",		VERDICT) \
	B('t',		"t",		TIER) \
	B('x',		"x",		CLEAR) \
	B('F',		"F",		FOLLOW) \
	B('s',		"s",		STATS) \
	B('a',		"a",		ANNOTATE) \
	B(12,		"^L",		REDRAW) \
	B('?',		"?",		HELP) \
	B(KEY_F(1),	"F1",		HELP) \
	B(27,		"Esc",		CLOSE) \
	B('q',		"q",		QUIT)

/* H(request id, label): the hint bar, each shown with its first key. */
#define HG_UI_HINTS(H) \
	H(HELP,		"help") \
	H(NEXT_PANE,	"pane") \
	H(TOGGLE,	"expand") \
	H(SEARCH,	"search") \
	H(FILTER,	"filter") \
	H(VERDICT,	"verdict") \
	H(TIER,		"tier") \
	H(ANNOTATE,	"annotate") \
	H(FOLLOW,	"follow") \
	H(QUIT,		"quit")

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

/* Tables generated from the lists above (ui_keys.c). */
extern const struct hg_ui_reqinfo hg_ui_reqs[HG_REQ_N];
extern const struct hg_ui_binding hg_ui_bindings[];
extern const size_t hg_ui_n_bindings;

/* The request bound to KEY (a curses key code or character), or NONE. */
enum hg_ui_req hg_ui_key_request(int key);

/* "j Down" - the names of every key bound to REQ, space-separated. */
void hg_ui_key_names(enum hg_ui_req req, char *buf, size_t n);

#endif
