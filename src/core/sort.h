/* sort.h - qsort that accepts an empty array given as NULL.
 *
 * qsort(NULL, 0, ...) is undefined behaviour in C (the array argument must
 * be valid even when empty), and growing arrays start out NULL. Every sort
 * in salesplan goes through sp_sort so an empty input is simply a no-op.
 */
#ifndef SP_SORT_H
#define SP_SORT_H

#include <stdlib.h>

static inline void sp_sort(void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
