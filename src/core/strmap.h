/*
 * strmap.h — a string → int64 hash map (open addressing, FNV-1a), for
 * looking up codes (org nodes, members) in bulk imports. Keys are copied.
 */
#ifndef SP_CORE_STRMAP_H
#define SP_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sp_strmap;

/* New empty map; *out freed with sp_strmap_free. SP_ENOMEM. */
sp_err sp_strmap_new(struct sp_strmap **out);
void sp_strmap_free(struct sp_strmap *m);

/* Insert or replace key → value. SP_ENOMEM. */
sp_err sp_strmap_put(struct sp_strmap *m, const char *key, int64_t value);
/* True and *value set if key is present. */
bool sp_strmap_get(const struct sp_strmap *m, const char *key, int64_t *value);
size_t sp_strmap_count(const struct sp_strmap *m);

#endif
