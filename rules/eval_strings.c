/* Arena, intern pool and key index for the rules engine's in-memory passes. */
#include <stdlib.h>
#include <string.h>
#include "rules/eval_strings.h"

#define ARENA_BLOCK (1 << 20)

struct arena_block {
	struct arena_block *prev;
	char data[];
};

const char *str_arena_copy(struct str_arena *a, const char *s, size_t n)
{
	char *out;

	if (n + 1 > a->left) {
		size_t size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
		struct arena_block *b = malloc(sizeof(*b) + size);

		if (!b)
			return NULL;
		b->prev = a->blocks;
		a->blocks = b;
		a->next = b->data;
		a->left = size;
	}
	out = a->next;
	memcpy(out, s, n);
	out[n] = '\0';
	a->next += n + 1;
	a->left -= n + 1;
	return out;
}

void str_arena_free(struct str_arena *a)
{
	while (a->blocks) {
		struct arena_block *prev = a->blocks->prev;

		free(a->blocks);
		a->blocks = prev;
	}
	a->next = NULL;
	a->left = 0;
}

uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Doubles an open-addressing table of strings, rehashing them. */
static int pool_grow(struct str_pool *p)
{
	size_t cap = p->cap ? 2 * p->cap : 256, i;
	const char **slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (i = 0; i < p->cap; i++) {
		size_t j;

		if (!p->slot[i])
			continue;
		j = str_hash(p->slot[i], strlen(p->slot[i])) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = p->slot[i];
	}
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
	return 0;
}

const char *str_pool_intern(struct str_pool *p, const char *s, size_t n)
{
	size_t j;

	if (2 * (p->count + 1) > p->cap && pool_grow(p))
		return NULL;
	j = str_hash(s, n) & (p->cap - 1);
	for (; p->slot[j]; j = (j + 1) & (p->cap - 1))
		if (!strncmp(p->slot[j], s, n) && p->slot[j][n] == '\0')
			return p->slot[j];
	if (!(p->slot[j] = str_arena_copy(&p->text, s, n)))
		return NULL;
	p->count++;
	return p->slot[j];
}

void str_pool_free(struct str_pool *p)
{
	str_arena_free(&p->text);
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

static int index_grow(struct str_index *x)
{
	size_t cap = x->cap ? 2 * x->cap : 1024, i;
	const char **key = calloc(cap, sizeof(*key));
	int *value = malloc(cap * sizeof(*value));

	if (!key || !value) {
		free(key);
		free(value);
		return -1;
	}
	for (i = 0; i < x->cap; i++) {
		size_t j;

		if (!x->key[i])
			continue;
		j = str_hash(x->key[i], strlen(x->key[i])) & (cap - 1);
		while (key[j])
			j = (j + 1) & (cap - 1);
		key[j] = x->key[i];
		value[j] = x->value[i];
	}
	free(x->key);
	free(x->value);
	x->key = key;
	x->value = value;
	x->cap = cap;
	return 0;
}

int str_index_put(struct str_index *x, const char *key, int value)
{
	size_t j;

	if (2 * (x->count + 1) > x->cap && index_grow(x))
		return -1;
	j = str_hash(key, strlen(key)) & (x->cap - 1);
	for (; x->key[j]; j = (j + 1) & (x->cap - 1))
		if (!strcmp(x->key[j], key))
			return 0;
	x->key[j] = key;
	x->value[j] = value;
	x->count++;
	return 0;
}

int str_index_get(const struct str_index *x, const char *key)
{
	size_t j;

	if (!x->cap)
		return -1;
	j = str_hash(key, strlen(key)) & (x->cap - 1);
	for (; x->key[j]; j = (j + 1) & (x->cap - 1))
		if (!strcmp(x->key[j], key))
			return x->value[j];
	return -1;
}

void str_index_free(struct str_index *x)
{
	free(x->key);
	free(x->value);
	memset(x, 0, sizeof(*x));
}
