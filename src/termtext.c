/* termtext.c - render captured terminal output into styled display lines.
 *
 * The current line is a row of cells, as on a terminal screen, so that '\r'
 * and '\b' can move the cursor back and later text overwrites earlier text
 * cell by cell (a wide character occupies two cells). Cell contents live in
 * a per-line scratch buffer; when the line ends its cells are flattened into
 * the document's text store and style changes into spans. All of it is
 * amortised O(1) per input byte. */
#include "config.h"

#include "hgtop/termtext.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/sanitize.h"
#include "hgtop/util.h"

struct style {
	uint16_t fg, bg, attrs;
};

enum cell_kind {
	CELL_NARROW,	/* one column */
	CELL_WIDE,	/* first column of a two-column character */
	CELL_CONT,	/* second column of a wide character: no bytes */
};

/* len == 0 means a blank (space) cell. */
struct cell {
	size_t off, len;
	struct style st;
	uint8_t kind;
};

struct tt {
	struct style cur;
	struct cell *cells;
	size_t n_cells, cap_cells;
	size_t cursor;
	struct hg_buf bytes;	/* contents of the current line's cells */
	struct hg_buf san;	/* scratch for sanitizing a run of text */
	struct hg_buf text;	/* finished lines, each NUL-terminated */
	struct hg_tt_span *spans;
	size_t n_spans, cap_spans;
	struct hg_tt_line *lines;	/* text/spans filled in at the end */
	size_t n_lines, cap_lines;
};

static const struct style default_style = {
	HG_TT_DEFAULT, HG_TT_DEFAULT, 0
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	if (*cap == 0)
		*cap = 16;
	while (*cap < need)
		*cap *= 2;
	return xrealloc(p, *cap * size);
}

static bool
style_eq(struct style a, struct style b)
{
	return a.fg == b.fg && a.bg == b.bg && a.attrs == b.attrs;
}

/* Colours */

uint8_t
hg_tt_rgb_to_256(uint8_t r, uint8_t g, uint8_t b)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int qr, qg, qb, cr, cg, cb, avg, gi, grey;
	long dc, dg;

#define CUBE_STEP(v) ((v) < 48 ? 0 : (v) < 115 ? 1 : ((v) - 35) / 40)
	qr = CUBE_STEP(r);
	qg = CUBE_STEP(g);
	qb = CUBE_STEP(b);
#undef CUBE_STEP
	cr = level[qr];
	cg = level[qg];
	cb = level[qb];
	if (cr == r && cg == g && cb == b)
		return (uint8_t)(16 + 36 * qr + 6 * qg + qb);

	/* The grey ramp is 8, 18, ..., 238 at indexes 232..255. */
	avg = (r + g + b) / 3;
	gi = avg > 238 ? 23 : avg < 3 ? 0 : (avg - 3) / 10;
	grey = 8 + 10 * gi;

	dc = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) +
	    (long)(cb - b) * (cb - b);
	dg = (long)(grey - r) * (grey - r) + (long)(grey - g) * (grey - g) +
	    (long)(grey - b) * (grey - b);
	if (dg < dc)
		return (uint8_t)(232 + gi);
	return (uint8_t)(16 + 36 * qr + 6 * qg + qb);
}

/* SGR */

#define SGR_MAX 64

/* Parameters of one SGR sequence; sub[k] is set when v[k] followed a ':'
 * (ITU T.416 sub-parameter form, as in "38:2::255:0:0"). */
struct sgr {
	unsigned v[SGR_MAX];
	bool sub[SGR_MAX];
	size_t n;
};

static void
sgr_parse(struct sgr *p, const char *s, size_t n)
{
	unsigned cur = 0;
	bool sub = false;
	size_t i;

	p->n = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] >= '0' && s[i] <= '9') {
			cur = cur * 10 + (unsigned)(s[i] - '0');
			if (cur > 65535)
				cur = 65535;
			continue;
		}
		if (i < n && s[i] != ';' && s[i] != ':')
			continue;
		if (p->n < SGR_MAX) {
			p->v[p->n] = cur;
			p->sub[p->n] = sub;
			p->n++;
		}
		cur = 0;
		sub = i < n && s[i] == ':';
	}
}

static void
set_colour(struct style *st, unsigned which, unsigned idx)
{
	if (idx > 255)
		return;
	if (which == 38)
		st->fg = (uint16_t)idx;
	else if (which == 48)
		st->bg = (uint16_t)idx;
	/* 58 (underline colour) is accepted and ignored. */
}

static unsigned
clamp8(unsigned v)
{
	return v > 255 ? 255 : v;
}

static void
set_rgb(struct style *st, unsigned which, const unsigned *rgb)
{
	set_colour(st, which, hg_tt_rgb_to_256((uint8_t)clamp8(rgb[0]),
	    (uint8_t)clamp8(rgb[1]), (uint8_t)clamp8(rgb[2])));
}

/* "38;5;n" / "38;2;r;g;b": returns how many of the m following values the
 * colour consumed. */
static size_t
sgr_ext_colour(struct style *st, unsigned which, const unsigned *v, size_t m)
{
	if (m >= 2 && v[0] == 5) {
		set_colour(st, which, v[1]);
		return 2;
	}
	if (m >= 4 && v[0] == 2) {
		set_rgb(st, which, v + 1);
		return 4;
	}
	return m < 1 ? 0 : (v[0] == 2 || v[0] == 5) ? m : 1;
}

static void
sgr_simple(struct style *st, unsigned code)
{
	static const uint16_t on[10] = {
		0, HG_TT_BOLD, HG_TT_DIM, HG_TT_ITALIC, HG_TT_UNDERLINE,
		0, 0, HG_TT_REVERSE, 0, HG_TT_STRIKE
	};
	static const uint16_t off[10] = {
		0, 0, HG_TT_BOLD | HG_TT_DIM, HG_TT_ITALIC, HG_TT_UNDERLINE,
		0, 0, HG_TT_REVERSE, 0, HG_TT_STRIKE
	};

	if (code == 0)
		*st = default_style;
	else if (code < 10)
		st->attrs |= on[code];
	else if (code == 21)
		st->attrs |= HG_TT_UNDERLINE;	/* double underline */
	else if (code >= 20 && code < 30)
		st->attrs &= (uint16_t)~off[code - 20];
	else if (code >= 30 && code <= 37)
		st->fg = (uint16_t)(code - 30);
	else if (code == 39)
		st->fg = HG_TT_DEFAULT;
	else if (code >= 40 && code <= 47)
		st->bg = (uint16_t)(code - 40);
	else if (code == 49)
		st->bg = HG_TT_DEFAULT;
	else if (code >= 90 && code <= 97)
		st->fg = (uint16_t)(code - 90 + 8);
	else if (code >= 100 && code <= 107)
		st->bg = (uint16_t)(code - 100 + 8);
}

/* A code with ':' sub-parameters: "38:5:n", "38:2:[cs]:r:g:b", "4:3". */
static void
sgr_colon(struct style *st, unsigned code, const unsigned *v, size_t m)
{
	if (code == 38 || code == 48 || code == 58) {
		if (m >= 2 && v[0] == 5)
			set_colour(st, code, v[1]);
		else if (m >= 5 && v[0] == 2)
			set_rgb(st, code, v + 2);
		else if (m == 4 && v[0] == 2)
			set_rgb(st, code, v + 1);
	} else if (code == 4) {
		if (v[0] == 0)
			st->attrs &= (uint16_t)~HG_TT_UNDERLINE;
		else
			st->attrs |= HG_TT_UNDERLINE;
	} else {
		sgr_simple(st, code);
	}
}

static void
sgr_apply(struct style *st, const char *params, size_t n)
{
	struct sgr p;
	size_t k = 0, m;
	unsigned code;

	sgr_parse(&p, params, n);
	while (k < p.n) {
		code = p.v[k];
		for (m = 1; k + m < p.n && p.sub[k + m]; m++)
			;
		if (m > 1) {
			sgr_colon(st, code, p.v + k + 1, m - 1);
			k += m;
		} else if (code == 38 || code == 48 || code == 58) {
			k += 1 + sgr_ext_colour(st, code, p.v + k + 1,
			    p.n - k - 1);
		} else {
			sgr_simple(st, code);
			k++;
		}
	}
}

/* Cells */

static void
cells_extend(struct tt *t, size_t need)
{
	t->cells = grow(t->cells, &t->cap_cells, need, sizeof(*t->cells));
	while (t->n_cells < need) {
		t->cells[t->n_cells].off = 0;
		t->cells[t->n_cells].len = 0;
		t->cells[t->n_cells].st = default_style;
		t->cells[t->n_cells].kind = CELL_NARROW;
		t->n_cells++;
	}
}

/* Overwriting either half of a wide character blanks the other half. */
static void
break_wide(struct tt *t, size_t col)
{
	struct cell *c = &t->cells[col];
	struct cell *other = NULL;

	if (c->kind == CELL_WIDE && col + 1 < t->n_cells)
		other = c + 1;
	else if (c->kind == CELL_CONT && col > 0)
		other = c - 1;
	if (other) {
		other->kind = CELL_NARROW;
		other->len = 0;
	}
	c->kind = CELL_NARROW;
	c->len = 0;
}

static void
put_cell(struct tt *t, const char *s, size_t k, int w)
{
	size_t col = t->cursor, i;
	struct cell *c;

	for (i = col; i < col + (size_t)w && i < t->n_cells; i++)
		break_wide(t, i);
	cells_extend(t, col + (size_t)w);
	c = &t->cells[col];
	c->off = t->bytes.len;
	c->len = k;
	c->st = t->cur;
	c->kind = w == 2 ? CELL_WIDE : CELL_NARROW;
	hg_buf_add(&t->bytes, s, k);
	if (w == 2) {
		c[1].len = 0;
		c[1].st = t->cur;
		c[1].kind = CELL_CONT;
	}
	t->cursor = col + (size_t)w;
}

/* Bytes one cell may hold: a character and a few combining marks. A
 * terminal keeps only a handful per cell too, and the bound keeps moving a
 * cell's bytes (below) O(1), whatever the input. */
#define CELL_MAX_BYTES 32

/* A zero-width character joins the character left of the cursor. */
static void
put_mark(struct tt *t, const char *s, size_t k)
{
	struct cell *c;
	size_t col;

	if (t->cursor == 0)
		put_cell(t, " ", 1, 1);
	col = t->cursor - 1;
	if (t->cells[col].kind == CELL_CONT && col > 0)
		col--;
	c = &t->cells[col];
	if (c->len + k > CELL_MAX_BYTES)
		return;
	if (c->len == 0) {
		c->off = t->bytes.len;
		hg_buf_addc(&t->bytes, ' ');
		c->len = 1;
	} else if (c->off + c->len != t->bytes.len) {
		/* Move the cell's bytes to the end so they can grow there. */
		hg_buf_reserve(&t->bytes, c->len);
		memcpy(t->bytes.p + t->bytes.len, t->bytes.p + c->off, c->len);
		c->off = t->bytes.len;
		t->bytes.len += c->len;
	}
	hg_buf_add(&t->bytes, s, k);
	c->len += k;
}

static void
put_text(struct tt *t, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;
	int w;

	hg_buf_reset(&t->san);
	hg_sanitize(&t->san, s, n, 0);
	s = t->san.p;
	n = t->san.len;
	while (i < n) {
		k = hg_utf8_decode(s + i, n - i, &cp);
		w = hg_text_char_width(cp);
		if (w == 0)
			put_mark(t, s + i, k);
		else
			put_cell(t, s + i, k, w > 2 ? 2 : w);
		i += k;
	}
}

static void
put_tab(struct tt *t)
{
	size_t next = (t->cursor / HG_TAB_WIDTH + 1) * HG_TAB_WIDTH;

	cells_extend(t, next);
	t->cursor = next;
}

/* Lines */

static void
add_span(struct tt *t, size_t start, size_t len, struct style st)
{
	struct hg_tt_span *sp;

	if (style_eq(st, default_style) || len == 0)
		return;
	t->spans = grow(t->spans, &t->cap_spans, t->n_spans + 1,
	    sizeof(*t->spans));
	sp = &t->spans[t->n_spans++];
	sp->start = start;
	sp->len = len;
	sp->fg = st.fg;
	sp->bg = st.bg;
	sp->attrs = st.attrs;
}

static void
end_line(struct tt *t)
{
	size_t base = t->text.len, run = 0, i, first_span = t->n_spans;
	struct style st = default_style;
	struct hg_tt_line *l;
	struct cell *c;

	hg_buf_reserve(&t->text, t->n_cells + t->bytes.len);
	for (i = 0; i < t->n_cells; i++) {
		c = &t->cells[i];
		if (c->kind == CELL_CONT)
			continue;
		if (!style_eq(c->st, st)) {
			add_span(t, run, t->text.len - base - run, st);
			run = t->text.len - base;
			st = c->st;
		}
		if (c->len == 0)
			hg_buf_addc(&t->text, ' ');
		else
			hg_buf_add(&t->text, t->bytes.p + c->off, c->len);
	}
	add_span(t, run, t->text.len - base - run, st);
	hg_buf_add(&t->text, "", 1);	/* keep the NUL in the store */

	t->lines = grow(t->lines, &t->cap_lines, t->n_lines + 1,
	    sizeof(*t->lines));
	l = &t->lines[t->n_lines++];
	l->text = NULL;
	l->len = t->text.len - base - 1;
	l->spans = NULL;
	l->n_spans = t->n_spans - first_span;

	t->n_cells = 0;
	t->cursor = 0;
	hg_buf_reset(&t->bytes);
}

/* Escape sequences */

static bool
in_range(unsigned char c, unsigned char lo, unsigned char hi)
{
	return c >= lo && c <= hi;
}

/* CSI: ESC [ params(0x30-0x3F)* intermediates(0x20-0x2F)* final(0x40-0x7E).
 * Returns the index after it, or 0 when it is incomplete. */
static size_t
esc_csi(struct tt *t, const unsigned char *p, size_t n, size_t i)
{
	size_t a = i + 2, j = a, pend;

	while (j < n && in_range(p[j], 0x30, 0x3F))
		j++;
	pend = j;
	while (j < n && in_range(p[j], 0x20, 0x2F))
		j++;
	if (j >= n || !in_range(p[j], 0x40, 0x7E))
		return 0;
	/* Private forms ("ESC [ ? ... m", "ESC [ > ... m") are not SGR. */
	if (p[j] == 'm' && pend == j && (a == pend || !in_range(p[a], '<', '?')))
		sgr_apply(&t->cur, (const char *)p + a, pend - a);
	return j + 1;
}

/* OSC / DCS / SOS / PM / APC: a string ended by BEL or ST (ESC \). Another
 * ESC ends it early, CAN/SUB cancel it; a newline or the end of the input
 * means it was not a real sequence. */
static size_t
esc_string(const unsigned char *p, size_t n, size_t i)
{
	size_t j;

	for (j = i + 2; j < n; j++) {
		if (p[j] == 0x07 || p[j] == 0x18 || p[j] == 0x1A)
			return j + 1;
		if (p[j] == 0x1B)
			return j + 1 < n && p[j + 1] == '\\' ? j + 2 : j;
		if (p[j] == '\n')
			return 0;
	}
	return 0;
}

/* ESC intermediates(0x20-0x2F)* final(0x30-0x7E), e.g. "ESC ( B", "ESC 7". */
static size_t
esc_other(const unsigned char *p, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && in_range(p[j], 0x20, 0x2F))
		j++;
	if (j < n && in_range(p[j], 0x30, 0x7E))
		return j + 1;
	return 0;
}

static size_t
handle_esc(struct tt *t, const unsigned char *p, size_t n, size_t i)
{
	size_t next = 0;

	if (i + 1 < n) {
		switch (p[i + 1]) {
		case '[':
			next = esc_csi(t, p, n, i);
			break;
		case ']': case 'P': case 'X': case '^': case '_':
			next = esc_string(p, n, i);
			break;
		default:
			next = esc_other(p, n, i);
			break;
		}
	}
	if (next)
		return next;
	/* Not a complete sequence: show the ESC, then the rest as text. */
	put_text(t, "\x1b", 1);
	return i + 1;
}

static bool
is_special(unsigned char c)
{
	return c == 0x1B || c == '\n' || c == '\r' || c == '\b' || c == '\t';
}

static size_t
step(struct tt *t, const unsigned char *p, size_t n, size_t i)
{
	size_t j;

	switch (p[i]) {
	case 0x1B:
		return handle_esc(t, p, n, i);
	case '\n':
		end_line(t);
		return i + 1;
	case '\r':
		if (i + 1 < n && p[i + 1] == '\n') {
			end_line(t);
			return i + 2;
		}
		t->cursor = 0;
		return i + 1;
	case '\b':
		if (t->cursor > 0)
			t->cursor--;
		return i + 1;
	case '\t':
		put_tab(t);
		return i + 1;
	default:
		for (j = i; j < n && !is_special(p[j]); j++)
			;
		put_text(t, (const char *)p + i, j - i);
		return j;
	}
}

/* Document */

static void
tt_finish(struct tt *t, struct hg_tt_doc *doc)
{
	size_t k, off = 0, soff = 0;
	struct hg_tt_line *l;

	doc->text_store = t->text.p;
	doc->span_store = t->spans;
	doc->lines = t->lines;
	doc->n = t->n_lines;
	for (k = 0; k < t->n_lines; k++) {
		l = &t->lines[k];
		l->text = t->text.p + off;
		off += l->len + 1;
		if (l->n_spans)
			l->spans = t->spans + soff;
		soff += l->n_spans;
	}
}

void
hg_tt_parse(struct hg_tt_doc *doc, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct tt t;
	size_t i = 0;

	hg_tt_free(doc);
	memset(&t, 0, sizeof(t));
	t.cur = default_style;
	hg_buf_reserve(&t.text, n);
	while (i < n)
		i = step(&t, p, n, i);
	if (t.n_cells > 0)
		end_line(&t);
	tt_finish(&t, doc);
	free(t.cells);
	hg_buf_free(&t.bytes);
	hg_buf_free(&t.san);
}

void
hg_tt_free(struct hg_tt_doc *doc)
{
	free(doc->lines);
	free(doc->text_store);
	free(doc->span_store);
	memset(doc, 0, sizeof(*doc));
}
