/*
 * strmap.c — open-addressing string map with linear probing (see strmap.h).
 */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	char *key; /* NULL = empty */
	int64_t value;
	uint64_t hash;
};

struct sp_strmap {
	struct slot *slots;
	size_t cap; /* power of two */
	size_t count;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

sp_err sp_strmap_new(struct sp_strmap **out)
{
	struct sp_strmap *m = calloc(1, sizeof *m);
	if (!m || !(m->slots = calloc(16, sizeof *m->slots))) {
		free(m);
		return SP_ENOMEM;
	}
	m->cap = 16;
	*out = m;
	return SP_OK;
}

void sp_strmap_free(struct sp_strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const struct sp_strmap *m, const char *key, uint64_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->slots[i].key &&
	       (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static sp_err grow(struct sp_strmap *m)
{
	struct sp_strmap bigger = {calloc(m->cap * 2, sizeof(struct slot)), m->cap * 2, m->count};
	if (!bigger.slots)
		return SP_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(&bigger, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return SP_OK;
}

sp_err sp_strmap_put(struct sp_strmap *m, const char *key, int64_t value)
{
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != SP_OK)
		return SP_ENOMEM;
	uint64_t h = hash_str(key);
	struct slot *s = find(m, key, h);
	if (!s->key) {
		if (!(s->key = strdup(key)))
			return SP_ENOMEM;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return SP_OK;
}

bool sp_strmap_get(const struct sp_strmap *m, const char *key, int64_t *value)
{
	struct slot *s = find(m, key, hash_str(key));
	if (!s->key)
		return false;
	if (value)
		*value = s->value;
	return true;
}

size_t sp_strmap_count(const struct sp_strmap *m)
{
	return m->count;
}
