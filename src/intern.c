/* intern.c - a string interning table (open addressing, FNV-1a). */
#include "config.h"

#include "hgtop/intern.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hgtop/util.h"

/* Strings are carved out of large blocks so that a million interned
 * pointers cost one allocation per block, not one per string. */
#define BLOCK_SIZE (64 * 1024)

struct block {
	struct block *next;
	size_t used;
	size_t size;
	char data[];
};

struct slot {
	const char *p;		/* NULL or an interned string */
	hg_sym id;
};
static struct slot *table;
static size_t table_cap;
static size_t table_count;
static struct block *blocks;
/* Records: an open-addressing table of NULL or an interned record (its
 * number first, then its length, then the numbers it holds). Thousands of
 * them come back in turn (an entry's six strings combine), so a lookup
 * takes no lock: slots are written once, and a table that grew is kept
 * (retired) until hg_intern_clear(), so a reader may finish its probe in
 * it. Only inserting takes the lock. */
struct rec_table {
	struct rec_table *retired;	/* the one it replaced */
	size_t cap;
	_Atomic(hg_sym *) slot[];
};
/* On a cache line of its own: every lookup reads it, while the lock
 * beside it is written by each thread that interns. */
static _Alignas(64) _Atomic(struct rec_table *) recs;
static _Alignas(64) size_t recs_count;

/* Threads that parse (--stats on every core) intern through one lock; a
 * small cache per thread answers the strings it met last (the same few
 * skills, models and tiers come back on every line) without taking it.
 * hg_intern_clear() empties the caches by changing the generation. */
static _Alignas(64) pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Read on every call: apart from the lock, which each thread writes. */
static _Alignas(64) atomic_uint generation;
#define CACHE_N 256
static _Thread_local struct {
	const char *p;
	size_t n;
	unsigned gen;
	hg_sym id;
} cache[CACHE_N];

/* The strings by number: chunks of 2^16 made as numbers are given out,
 * never moved, so a reader takes no lock. */
#define SYM_CHUNKS (1u << (32 - HG_SYM_CHUNK_BITS))
#define SYM_PER_CHUNK (1u << HG_SYM_CHUNK_BITS)
static const char *chunk0[SYM_PER_CHUNK];	/* 0 is "": a zeroed record holds "" */
const char **hg_sym_chunks[SYM_CHUNKS] = { chunk0 };
static size_t n_syms = 1;	/* numbers given out, "" included */

__attribute__((constructor)) static void
sym_init(void)
{
	chunk0[0] = "";
}

static hg_sym
new_sym(const char *p)
{
	size_t id = n_syms;

	if (id >= (size_t)SYM_CHUNKS * SYM_PER_CHUNK)
		die("too many distinct strings");
	if (!hg_sym_chunks[id >> HG_SYM_CHUNK_BITS])
		hg_sym_chunks[id >> HG_SYM_CHUNK_BITS] =
			xcalloc(SYM_PER_CHUNK, sizeof(**hg_sym_chunks));
	hg_sym_chunks[id >> HG_SYM_CHUNK_BITS][id & (SYM_PER_CHUNK - 1)] = p;
	n_syms++;
	return (hg_sym)id;
}

/* N bytes out of the newest block. */
static char *
carve(size_t n)
{
	struct block *b = blocks;
	char *p;

	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = xmalloc(sizeof(*b) + size);
		b->next = blocks;
		b->used = 0;
		b->size = size;
		blocks = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

static char *
store(const char *s, size_t n)
{
	char *p = carve(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A string's hash, a word at a time (FNV-1a takes a byte a step). */
static uint64_t
str_hash(const char *s, size_t n)
{
	uint64_t h = n * UINT64_C(0x9E3779B97F4A7C15), w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
	}
	return h ^ (h >> 32);
}

static void
grow(void)
{
	size_t ncap = table_cap ? table_cap * 2 : 1024;
	struct slot *nt = xcalloc(ncap, sizeof(*nt));
	size_t i;

	for (i = 0; i < table_cap; i++) {
		const char *s = table[i].p;
		size_t j;

		if (!s)
			continue;
		j = str_hash(s, strlen(s)) & (ncap - 1);
		while (nt[j].p)
			j = (j + 1) & (ncap - 1);
		nt[j] = table[i];
	}
	free(table);
	table = nt;
	table_cap = ncap;
}

static const struct slot *
lookup(const char *s, size_t n, uint64_t h)
{
	size_t j;

	if ((table_count + 1) * 4 > table_cap * 3)
		grow();
	j = h & (table_cap - 1);
	while (table[j].p) {
		if (strncmp(table[j].p, s, n) == 0 && table[j].p[n] == '\0')
			return &table[j];
		j = (j + 1) & (table_cap - 1);
	}
	table[j].p = store(s, n);
	table[j].id = new_sym(table[j].p);
	table_count++;
	return &table[j];
}

/* S interned, through the calling thread's cache; *id receives its number. */
static const char *
intern(const char *s, size_t n, hg_sym *id)
{
	uint64_t h;
	unsigned gen;
	const struct slot *r;
	size_t c;

	h = str_hash(s, n);
	c = (size_t)(h >> 20) & (CACHE_N - 2);
	gen = atomic_load_explicit(&generation, memory_order_acquire);
	for (size_t k = c; k < c + 2; k++) {
		if (cache[k].p && cache[k].n == n && cache[k].gen == gen &&
		    memcmp(cache[k].p, s, n) == 0) {
			*id = cache[k].id;
			return cache[k].p;
		}
	}
	/* Two ways: the string met last goes first, the one it displaces
	 * second (two strings of one line that share a place both stay). */
	cache[c + 1] = cache[c];
	pthread_mutex_lock(&lock);
	r = lookup(s, n, h);
	cache[c].p = r->p;
	cache[c].id = *id = r->id;
	pthread_mutex_unlock(&lock);
	cache[c].n = n;
	cache[c].gen = gen;
	return cache[c].p;
}

const char *
hg_intern_n(const char *s, size_t n)
{
	hg_sym id;

	return n == 0 ? "" : intern(s, n, &id);
}

hg_sym
hg_intern_sym(const char *s, size_t n)
{
	hg_sym id = 0;

	if (n > 0)
		intern(s, n, &id);
	return id;
}

/* Records are hashed a word at a time (FNV-1a takes a byte a step). */
static uint64_t
rec_hash(const hg_sym *v, unsigned n)
{
	uint64_t h = n;

	for (unsigned i = 0; i < n; i++) {
		h = (h ^ v[i]) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
	}
	return h;
}

static struct rec_table *
recs_grow(struct rec_table *t)
{
	size_t ncap = t ? t->cap * 2 : 256, i, j;
	struct rec_table *nt = xcalloc(1, sizeof(*nt) + ncap * sizeof(nt->slot[0]));

	nt->cap = ncap;
	nt->retired = t;
	for (i = 0; t && i < t->cap; i++) {
		hg_sym *r = atomic_load_explicit(&t->slot[i], memory_order_relaxed);

		if (!r)
			continue;
		j = rec_hash(r + 2, r[1]) & (ncap - 1);
		while (atomic_load_explicit(&nt->slot[j], memory_order_relaxed))
			j = (j + 1) & (ncap - 1);
		atomic_store_explicit(&nt->slot[j], r, memory_order_relaxed);
	}
	atomic_store_explicit(&recs, nt, memory_order_release);
	return nt;
}

/* The slot of V in T, or the empty one where it would go. */
static size_t
rec_probe(struct rec_table *t, uint64_t h, const hg_sym *v, unsigned n, hg_sym **found)
{
	size_t j = h & (t->cap - 1);
	hg_sym *r;

	while ((r = atomic_load_explicit(&t->slot[j], memory_order_acquire))) {
		if (r[1] == n && memcmp(r + 2, v, n * sizeof(*v)) == 0)
			break;
		j = (j + 1) & (t->cap - 1);
	}
	*found = r;
	return j;
}

hg_sym
hg_intern_rec(const hg_sym *v, unsigned n)
{
	uint64_t h = rec_hash(v, n);
	struct rec_table *t = atomic_load_explicit(&recs, memory_order_acquire);
	hg_sym *r = NULL, id;
	size_t j;

	if (t) {
		rec_probe(t, h, v, n, &r);
		if (r)
			return r[0];
	}
	pthread_mutex_lock(&lock);
	t = atomic_load_explicit(&recs, memory_order_relaxed);
	if (!t || (recs_count + 1) * 2 > t->cap)
		t = recs_grow(t);
	j = rec_probe(t, h, v, n, &r);
	if (!r) {
		/* In the string blocks, at a number's alignment; what
		 * hg_rec_of gives is the numbers themselves. */
		char *p = carve((n + 2) * sizeof(*r) + sizeof(*r) - 1);

		r = (hg_sym *)(void *)(p + (-(uintptr_t)p & (sizeof(*r) - 1)));
		r[1] = n;
		memcpy(r + 2, v, n * sizeof(*v));
		r[0] = new_sym((const char *)(void *)(r + 2));
		atomic_store_explicit(&t->slot[j], r, memory_order_release);
		recs_count++;
	}
	id = r[0];
	pthread_mutex_unlock(&lock);
	return id;
}

hg_sym
hg_sym_of(const char *s)
{
	return hg_intern_sym(s, strlen(s));
}

const char *
hg_intern(const char *s)
{
	return hg_intern_n(s, strlen(s));
}

size_t
hg_intern_count(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = table_count;
	pthread_mutex_unlock(&lock);
	return n;
}

void
hg_intern_clear(void)
{
	pthread_mutex_lock(&lock);
	atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
	while (blocks) {
		struct block *b = blocks;

		blocks = b->next;
		free(b);
	}
	free(table);
	table = NULL;
	table_cap = table_count = 0;
	for (size_t c = 1; c < SYM_CHUNKS && hg_sym_chunks[c]; c++) {
		free(hg_sym_chunks[c]);
		hg_sym_chunks[c] = NULL;
	}
	n_syms = 1;
	for (struct rec_table *t = atomic_load_explicit(&recs, memory_order_relaxed), *next; t;
	     t = next) {
		next = t->retired;
		free(t);
	}
	atomic_store_explicit(&recs, NULL, memory_order_release);
	recs_count = 0;
	pthread_mutex_unlock(&lock);
}
