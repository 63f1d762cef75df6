/* clip.h - copying to the terminal's clipboard with OSC 52 (no curses).
 *
 * The sequence is ESC ] 52 ; c ; BASE64 BEL: the terminal (xterm, kitty,
 * foot, iTerm2, WezTerm, ...; tmux with "set-clipboard on") puts the
 * decoded text on its clipboard. It is written plain, inside tmux too:
 * tmux takes it into its paste buffer and passes it on to the terminal
 * outside itself. */
#ifndef HGTOP_CLIP_H
#define HGTOP_CLIP_H

#include <stddef.h>

#include "hgtop/util.h"

/* Most bytes of text one copy sends (the rest is left out and said). */
#define HG_CLIP_MAX (100 * 1000)

/* Append the base64 (RFC 4648, with '=' padding) of DATA[0..N) to OUT. */
void hg_base64_encode(struct hg_buf *out, const void *data, size_t n);

/* How many bytes of S[0..N) to send with at most MAX: N when it fits,
 * else MAX or less, never splitting a UTF-8 character. */
size_t hg_clip_cut(const char *s, size_t n, size_t max);

/* Append the OSC 52 sequence that copies S[0..N) to OUT. */
void hg_osc52(struct hg_buf *out, const char *s, size_t n);

#endif
