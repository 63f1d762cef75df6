/* util.h - allocation wrappers, fatal errors, clocks, small string and
 * formatting helpers, byte buffers, the locale test and Go-style JSON
 * string escaping. */
#ifndef HGTOP_UTIL_H
#define HGTOP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#define HG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation never returns NULL: on exhaustion hgtop dies cleanly. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called by die() before it prints; the UI registers terminal teardown. */
void hg_set_die_hook(void (*hook)(void));
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Monotonic clock in nanoseconds / wall clock in nanoseconds (fixed by the
 * environment variable HGTOP_NOW when it is set: see hgtop(1)). */
int64_t hg_now_mono_ns(void);
int64_t hg_now_wall_ns(void);

/* 64-bit FNV-1a. */
uint64_t hg_hash(const void *p, size_t n);

/* pread N bytes at OFF, again after a short read or EINTR: the bytes read
 * (fewer at the end of the file), or -1 with errno. */
ssize_t hg_pread_full(int fd, void *buf, size_t n, int64_t off);

/* Case-insensitive ASCII substring search over a byte range. */
const char *hg_memcasemem(const char *hay, size_t hlen, const char *needle, size_t nlen);

/* Format a duration in ms as "850ms", "4.2s", "3m05s", "2h10m". */
void hg_fmt_duration(char *buf, size_t n, int64_t ms);
/* Format an age in seconds as "12s", "3m", "3h", "2d". */
void hg_fmt_age(char *buf, size_t n, int64_t secs);
/* Format a count with thousands separators: 48210 -> "48,210". */
void hg_fmt_count(char *buf, size_t n, int64_t v);

/* Whether the locale's character set (LC_CTYPE, after setlocale) is
 * UTF-8: output may then use "→", "…" and box-drawing characters. */
bool hg_utf8_locale(void);
/* The value of hex digit C (either case), or -1. Inline: JSON scanners
 * call it for every digit of every \\u escape. */
static inline int
hg_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}
/* The 1-based column, in characters, of byte offset OFF of UTF-8 text S
 * (continuation bytes do not count; a NUL ends the text). */
int hg_utf8_column(const char *s, size_t off);

/* Many small allocations freed all at once (the attempts of a session's
 * entries): carved from 64 KB chunks, so each costs no header of its own.
 * Zero-initialised. */
struct hg_pool_chunk;
struct hg_pool {
	struct hg_pool_chunk *chunks;	/* newest first */
	size_t bytes;			/* carved so far */
};
/* N bytes aligned for pointers and 64-bit integers (N > 0). */
void *hg_pool_alloc(struct hg_pool *p, size_t n);
void hg_pool_free(struct hg_pool *p);

/* A growable byte buffer, always NUL-terminated after hg_buf_* calls. */
struct hg_buf {
	char *p;
	size_t len;
	size_t cap;
};
void hg_buf_reserve(struct hg_buf *b, size_t extra);
void hg_buf_add(struct hg_buf *b, const void *p, size_t n);
void hg_buf_adds(struct hg_buf *b, const char *s);
void hg_buf_addc(struct hg_buf *b, char c);
void hg_buf_printf(struct hg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hg_buf_reset(struct hg_buf *b);	/* len = 0, keeps memory */
void hg_buf_free(struct hg_buf *b);

/* JSON string escaping the way Go's encoding/json writes it (the one
 * encoder of hyperguild's logs): '"' '\\' \n \r \t short, '<' '>' '&'
 * and other controls as \u00XX, U+2028/U+2029 as \u2028/\u2029, each
 * byte of invalid UTF-8 as \ufffd, other text as is. Flags: */
#define HG_JSON_SHORT_BF 1u	/* \b and \f short (Go >= 1.22), else \u0008 \u000c */
#define HG_JSON_ASCII	2u	/* non-ASCII as \uXXXX (surrogate pairs above U+FFFF) */

/* Append s[0..n) escaped, without quotes / with quotes. */
void hg_json_escape(struct hg_buf *out, const char *s, size_t n, unsigned flags);
void hg_json_string(struct hg_buf *out, const char *s, size_t n, unsigned flags);

/* Days from 1970-01-01 to Y-M-D of the proleptic Gregorian calendar. */
int64_t hg_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Days in month M (1-12) of year Y; 0 for a month out of range. */
int hg_days_in_month(int64_t y, int m);

#endif
