/* util.c - allocation wrappers, buffers, formatting helpers, JSON strings. */
#include "config.h"

#include "hgtop/util.h"
#include "hgtop/sanitize.h"
#include "hgtop/parser.h"

#include <ctype.h>
#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void (*die_hook)(void);

void
hg_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

void
die(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (die_hook)
		die_hook();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Sanitized: a message may name a path, and paths are untrusted. */
	hg_errorf("%s", msg);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("bad format");
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int64_t
hg_now_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* HGTOP_NOW: a fixed wall clock for reproducible screens (tests), in
 * seconds since the epoch or as an RFC 3339 time, cut to whole seconds (the
 * loop wakes on whole seconds of this clock); anything else is ignored.
 * Read on the first call. */
static bool
fixed_wall_ns(int64_t *ns)
{
	static int state = -1;	/* -1 unread, 0 unset, 1 fixed */
	static int64_t fixed;

	if (state < 0) {
		const char *v = getenv("HGTOP_NOW");
		char *end;
		int16_t tz;
		bool zero;
		long long secs;

		state = 0;
		if (v && *v) {
			errno = 0;
			secs = strtoll(v, &end, 10);
			if (!*end && !errno && secs >= 0 && secs < INT64_MAX / 1000000000) {
				fixed = (int64_t)secs * 1000000000;
				state = 1;
			} else if (hg_parse_time(v, strlen(v), &fixed, &tz, &zero) && fixed >= 0) {
				fixed -= fixed % 1000000000;
				state = 1;
			}
		}
	}
	*ns = fixed;
	return state == 1;
}

int64_t
hg_now_wall_ns(void)
{
	struct timespec ts;
	int64_t ns;

	if (fixed_wall_ns(&ns))
		return ns;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t
hg_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

ssize_t
hg_pread_full(int fd, void *buf, size_t n, int64_t off)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(fd, (char *)buf + got, n - got, (off_t)(off + (int64_t)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Pools */

/* Chunks grow from POOL_FIRST to POOL_CHUNK bytes: a pool that holds
 * little (one of 10,000 small sessions) takes little. */
#define POOL_FIRST 1024
#define POOL_CHUNK (64 * 1024)
#define POOL_ALIGN 8	/* pointers and 64-bit integers: all a pool holds */

struct hg_pool_chunk {
	struct hg_pool_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

void *
hg_pool_alloc(struct hg_pool *p, size_t n)
{
	struct hg_pool_chunk *c = p->chunks;
	void *r;

	n = (n + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
	if (n > POOL_CHUNK / 4) {
		/* A large one alone, behind the current chunk. */
		c = xmalloc(sizeof(*c) + n);
		c->used = c->cap = n;
		if (p->chunks) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = NULL;
			p->chunks = c;
		}
		p->bytes += n;
		return c->data;
	}
	if (!c || c->cap - c->used < n) {
		size_t cap = POOL_FIRST;

		while (cap < POOL_CHUNK && (cap < p->bytes || cap < n))
			cap *= 2;

		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = p->chunks;
		p->chunks = c;
	}
	r = (char *)c->data + c->used;
	c->used += n;
	p->bytes += n;
	return r;
}

void
hg_pool_free(struct hg_pool *p)
{
	while (p->chunks) {
		struct hg_pool_chunk *c = p->chunks;

		p->chunks = c->next;
		free(c);
	}
	p->bytes = 0;
}

static inline unsigned char
ascii_fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static bool
eq_ascii_fold(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_fold((unsigned char)a[i]) != ascii_fold((unsigned char)b[i]))
			return false;
	return true;
}

/* Each place where the needle's first and last bytes both match (either
 * case of an ASCII letter) is a candidate checked whole; with SSE2,
 * sixteen places are looked at in one step. Linear in hlen for any
 * needle, however common its first letter. */
const char *
hg_memcasemem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	unsigned char f, l, fm, lm;
	size_t i = 0, last;

	if (nlen == 0)
		return hay;
	if (hlen < nlen)
		return NULL;
	last = hlen - nlen;	/* the last place the needle can start */
	f = ascii_fold((unsigned char)needle[0]);
	l = ascii_fold((unsigned char)needle[nlen - 1]);
	fm = f >= 'a' && f <= 'z' ? 0x20 : 0;
	lm = l >= 'a' && l <= 'z' ? 0x20 : 0;
#ifdef __SSE2__
	{
		const __m128i vf = _mm_set1_epi8((char)f), vl = _mm_set1_epi8((char)l);
		const __m128i mf = _mm_set1_epi8((char)fm), ml = _mm_set1_epi8((char)lm);

		for (; i + 16 <= last + 1; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(hay + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(hay + i + nlen - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, mf), vf),
					      _mm_cmpeq_epi8(_mm_or_si128(b, ml), vl)));

			while (m) {
				size_t k = i + (size_t)__builtin_ctz(m);

				if (eq_ascii_fold(hay + k + 1, needle + 1, nlen > 1 ? nlen - 2 : 0))
					return hay + k;
				m &= m - 1;
			}
		}
	}
#endif
	for (; i <= last; i++)
		if (((unsigned char)hay[i] | fm) == f &&
		    ((unsigned char)hay[i + nlen - 1] | lm) == l &&
		    eq_ascii_fold(hay + i + 1, needle + 1, nlen > 1 ? nlen - 2 : 0))
			return hay + i;
	return NULL;
}

void
hg_fmt_duration(char *buf, size_t n, int64_t ms)
{
	char pos[32];

	if (ms < 0) {
		/* A negative duration (a log may hold one) keeps its size. */
		hg_fmt_duration(pos, sizeof(pos), ms == INT64_MIN ? INT64_MAX : -ms);
		snprintf(buf, n, "-%s", pos);
	} else if (ms < 1000)
		snprintf(buf, n, "%lldms", (long long)ms);
	else if (ms < 60000)
		snprintf(buf, n, "%lld.%llds", (long long)(ms / 1000), (long long)(ms % 1000 / 100));
	else if (ms < 3600000)
		snprintf(buf, n, "%lldm%02llds", (long long)(ms / 60000), (long long)(ms % 60000 / 1000));
	else
		snprintf(buf, n, "%lldh%02lldm", (long long)(ms / 3600000), (long long)(ms % 3600000 / 60000));
}

void
hg_fmt_age(char *buf, size_t n, int64_t secs)
{
	if (secs < 0)
		secs = 0;
	if (secs < 60)
		snprintf(buf, n, "%llds", (long long)secs);
	else if (secs < 3600)
		snprintf(buf, n, "%lldm", (long long)(secs / 60));
	else if (secs < 86400)
		snprintf(buf, n, "%lldh", (long long)(secs / 3600));
	else
		snprintf(buf, n, "%lldd", (long long)(secs / 86400));
}

void
hg_fmt_count(char *buf, size_t n, int64_t v)
{
	char tmp[32];
	int len, i, o = 0, neg = v < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	len = snprintf(tmp, sizeof(tmp), "%llu", u);
	if (n == 0)
		return;
	if (neg && (size_t)o + 1 < n)
		buf[o++] = '-';
	for (i = 0; i < len && (size_t)o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && (size_t)o + 2 < n)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

/* Locale */

int
hg_utf8_column(const char *s, size_t off)
{
	int col = 1;
	size_t i;

	for (i = 0; i < off && s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

bool
hg_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0;
}

/* Buffers */

void
hg_buf_reserve(struct hg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

void
hg_buf_add(struct hg_buf *b, const void *p, size_t n)
{
	hg_buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
hg_buf_adds(struct hg_buf *b, const char *s)
{
	hg_buf_add(b, s, strlen(s));
}

void
hg_buf_addc(struct hg_buf *b, char c)
{
	hg_buf_add(b, &c, 1);
}

void
hg_buf_printf(struct hg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	hg_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
hg_buf_reset(struct hg_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
hg_buf_free(struct hg_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* JSON strings, as Go's encoding/json writes them (escapeHTML on) */

static const char hexd[] = "0123456789abcdef";

/* Length of a valid UTF-8 sequence at p by Go's rules (which Go's
 * utf8.DecodeRune follows), 0 if invalid: an invalid byte is then one
 * U+FFFD, as encoding/json writes it. */
static int
go_utf8_seq(const unsigned char *p, const unsigned char *end, uint32_t *r)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	int k, i;

	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4;
	else
		return 0;
	if (end - p < k)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	*r = c & (0xff >> (k + 1));
	for (i = 1; i < k; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xbf))
			return 0;
		*r = (*r << 6) | (p[i] & 0x3f);
	}
	return k;
}

static char *
esc_u(char *d, uint32_t u)
{
	d[0] = '\\';
	d[1] = 'u';
	d[2] = hexd[(u >> 12) & 15];
	d[3] = hexd[(u >> 8) & 15];
	d[4] = hexd[(u >> 4) & 15];
	d[5] = hexd[u & 15];
	return d + 6;
}

static char *
esc_ascii(char *d, unsigned c, bool short_bf)
{
	char e = 0;

	switch (c) {
	case '"': case '\\': e = (char)c; break;
	case '\n': e = 'n'; break;
	case '\r': e = 'r'; break;
	case '\t': e = 't'; break;
	case '\b': e = short_bf ? 'b' : 0; break;
	case '\f': e = short_bf ? 'f' : 0; break;
	default: break;
	}
	if (!e)
		return esc_u(d, c);
	d[0] = '\\';
	d[1] = e;
	return d + 2;
}

static bool
ascii_safe(unsigned c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

/* A valid non-ASCII character R (K bytes at P). */
static char *
esc_wide(char *d, const unsigned char *p, int k, uint32_t r, bool ascii)
{
	if (r == 0x2028 || r == 0x2029)
		return esc_u(d, r);
	if (!ascii) {
		memcpy(d, p, (size_t)k);
		return d + k;
	}
	if (r > 0xffff) {
		r -= 0x10000;
		d = esc_u(d, 0xd800 + (r >> 10));
		return esc_u(d, 0xdc00 + (r & 0x3ff));
	}
	return esc_u(d, r);
}

void
hg_json_escape(struct hg_buf *out, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	bool short_bf = flags & HG_JSON_SHORT_BF, ascii = flags & HG_JSON_ASCII;
	char *d;
	uint32_t r;
	int k;

	/* At most 6 bytes out per byte in (12 for a 4-byte character). */
	hg_buf_reserve(out, n * 6);
	d = out->p + out->len;
	while (p < end) {
		if (*p < 0x80) {
			if (ascii_safe(*p))
				*d++ = (char)*p;
			else
				d = esc_ascii(d, *p, short_bf);
			p++;
			continue;
		}
		k = go_utf8_seq(p, end, &r);
		if (k == 0) {
			d = esc_u(d, 0xfffd);
			p++;
		} else {
			d = esc_wide(d, p, k, r, ascii);
			p += k;
		}
	}
	out->len = (size_t)(d - out->p);
	out->p[out->len] = '\0';
}

void
hg_json_string(struct hg_buf *out, const char *s, size_t n, unsigned flags)
{
	hg_buf_addc(out, '"');
	hg_json_escape(out, s, n, flags);
	hg_buf_addc(out, '"');
}

/* Calendar */

int64_t
hg_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int
hg_days_in_month(int64_t y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && leap);
}
