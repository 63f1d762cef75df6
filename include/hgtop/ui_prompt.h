/* ui_prompt.h - a one-line editor on the status line, with history.
 *
 * Its editing keys are its own (the browser's are in ui_keys.h): Left/^B
 * and Right/^F move, Home/^A and End/^E jump, Backspace/^H deletes
 * before the cursor and Delete/^D under it, ^U kills to the start, ^K to
 * the end, ^W the word before the cursor, Up/Down walk the history, Enter
 * accepts, Esc and ^G cancel. The owner's callback hears about every
 * change (for incremental search), the accept and the cancel.
 *
 * The history (history.h) is the owner's; an accepted text is added to it
 * and, when it is tied to a file, saved there at once (state.h). */
#ifndef HGTOP_UI_PROMPT_H
#define HGTOP_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "hgtop/history.h"

struct hg_ui;
struct ui_prompt;

enum ui_prompt_event {
	UI_PROMPT_NONE = 0,	/* key consumed, nothing for the owner */
	UI_PROMPT_CHANGED,	/* the text changed */
	UI_PROMPT_ACCEPT,	/* Enter */
	UI_PROMPT_CANCEL,	/* Esc */
	UI_PROMPT_COMPLETE,	/* Tab, in a prompt that completes */
};

/* Returns UI_R_* flags. On ACCEPT the prompt closes unless the callback
 * calls ui_prompt_keep() (e.g. to show an error and let the user fix it). */
typedef unsigned (*ui_prompt_fn)(struct hg_ui *u, struct ui_prompt *p,
				 enum ui_prompt_event ev, void *ctx);

/* Open a prompt on the status line (closing any other). */
void ui_prompt_open(struct hg_ui *u, const char *label, const char *initial,
		    struct hg_history *hist, ui_prompt_fn fn, void *ctx);
/* Feed one key from wget_wch (is_key: a KEY_* code). Returns UI_R_*. */
unsigned ui_prompt_feed(struct hg_ui *u, bool is_key, wint_t ch);
void ui_prompt_close(struct hg_ui *u);

const char *ui_prompt_text(const struct ui_prompt *p);
void ui_prompt_keep(struct ui_prompt *p);
/* Show MSG after the text and put the cursor at character column COL
 * (1-based; 0 leaves it). Cleared by the next edit. */
void ui_prompt_error(struct ui_prompt *p, int col, const char *msg);

/* A paste (bracketed paste, ui_input.c): S[0..N) inserted as text, never
 * run as keys. Returns UI_R_*. */
unsigned ui_prompt_paste(struct hg_ui *u, const char *s, size_t n);
/* Keep the newlines of a paste (the note prompt); other prompts make
 * them spaces. */
void ui_prompt_multiline(struct ui_prompt *p);
/* Input the open prompt refused (an invalid byte): MSG stays shown until
 * the prompt closes, and the owner can say it with its outcome. */
void ui_prompt_refuse(struct hg_ui *u, const char *msg);
const char *ui_prompt_refused(const struct ui_prompt *p);

/* Tab asks the owner to complete (UI_PROMPT_COMPLETE); without this
 * call, Tab does nothing. */
void ui_prompt_completes(struct ui_prompt *p);
/* The cursor's byte offset in the text. */
size_t ui_prompt_cursor(const struct ui_prompt *p);
/* Replace bytes [FROM, TO) of the text by S; the cursor goes after it. */
void ui_prompt_replace(struct ui_prompt *p, size_t from, size_t to, const char *s);

void ui_prompt_free(struct ui_prompt *p);
/* A note of the owner's (e.g. search progress), drawn on the right while
 * NOTE is not empty; NOTE and ERR stay the owner's and must outlive the
 * prompt. */
void ui_prompt_set_note(struct ui_prompt *p, const char *note, const bool *err);
/* Draw at (y, x) in w columns; remembers where the cursor goes. */
void ui_prompt_draw(struct ui_prompt *p, int y, int x, int w);
void ui_prompt_place_cursor(const struct ui_prompt *p);

/* At exit: save what could not be saved yet (a failure is said on stderr
 * unless the status line said it already), then free H. */
void ui_history_close(struct hg_ui *u, struct hg_history *h);

#endif
