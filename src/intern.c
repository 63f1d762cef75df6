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

static const char **table;	/* slots: NULL or an interned string */
static size_t table_cap;
static size_t table_count;
static struct block *blocks;
static struct hg_intern_pair **pairs;	/* slots: NULL or an interned pair */
static size_t pairs_cap, pairs_count;

/* Threads that parse (--stats on every core) intern through one lock; a
 * small cache per thread answers the strings it met last (the same few
 * skills, models and tiers come back on every line) without taking it.
 * hg_intern_clear() empties the caches by changing the generation. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint generation;
#define CACHE_N 256
static _Thread_local struct {
	const char *p;
	size_t n;
	unsigned gen;
} cache[CACHE_N];

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

static void
grow(void)
{
	size_t ncap = table_cap ? table_cap * 2 : 1024;
	const char **nt = xcalloc(ncap, sizeof(*nt));
	size_t i;

	for (i = 0; i < table_cap; i++) {
		const char *s = table[i];
		size_t j;

		if (!s)
			continue;
		j = hg_hash(s, strlen(s)) & (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = s;
	}
	free(table);
	table = nt;
	table_cap = ncap;
}

static const char *
lookup(const char *s, size_t n, uint64_t h)
{
	size_t j;

	if ((table_count + 1) * 4 > table_cap * 3)
		grow();
	j = h & (table_cap - 1);
	while (table[j]) {
		if (strncmp(table[j], s, n) == 0 && table[j][n] == '\0')
			return table[j];
		j = (j + 1) & (table_cap - 1);
	}
	table[j] = store(s, n);
	table_count++;
	return table[j];
}

const char *
hg_intern_n(const char *s, size_t n)
{
	uint64_t h;
	unsigned gen;
	const char *r;
	size_t c;

	if (n == 0)
		return "";
	h = hg_hash(s, n);
	c = (size_t)(h >> 20) & (CACHE_N - 1);
	gen = atomic_load_explicit(&generation, memory_order_acquire);
	if (cache[c].p && cache[c].n == n && cache[c].gen == gen && memcmp(cache[c].p, s, n) == 0)
		return cache[c].p;
	pthread_mutex_lock(&lock);
	r = lookup(s, n, h);
	pthread_mutex_unlock(&lock);
	cache[c].p = r;
	cache[c].n = n;
	cache[c].gen = gen;
	return r;
}

static uint64_t
pair_hash(const char *a, const char *b)
{
	const char *p[2] = { a, b };

	return hg_hash(p, sizeof(p));
}

static void
pairs_grow(void)
{
	size_t ncap = pairs_cap ? pairs_cap * 2 : 64, i, j;
	struct hg_intern_pair **nt = xcalloc(ncap, sizeof(*nt));

	for (i = 0; i < pairs_cap; i++) {
		if (!pairs[i])
			continue;
		j = pair_hash(pairs[i]->first, pairs[i]->second) & (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = pairs[i];
	}
	free(pairs);
	pairs = nt;
	pairs_cap = ncap;
}

const struct hg_intern_pair *
hg_intern_pair(const char *first, const char *second)
{
	struct hg_intern_pair *r;
	size_t j;

	pthread_mutex_lock(&lock);
	if ((pairs_count + 1) * 4 > pairs_cap * 3)
		pairs_grow();
	j = pair_hash(first, second) & (pairs_cap - 1);
	while ((r = pairs[j]) && (r->first != first || r->second != second))
		j = (j + 1) & (pairs_cap - 1);
	if (!r) {
		/* In the string blocks, at a pointer's alignment. */
		char *p = carve(sizeof(*r) + sizeof(void *) - 1);

		r = (struct hg_intern_pair *)(void *)(p + (-(uintptr_t)p & (sizeof(void *) - 1)));
		r->first = first;
		r->second = second;
		pairs[j] = r;
		pairs_count++;
	}
	pthread_mutex_unlock(&lock);
	return r;
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
	free(pairs);
	pairs = NULL;
	pairs_cap = pairs_count = 0;
	pthread_mutex_unlock(&lock);
}
