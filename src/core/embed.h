/*
 * embed.h — files compiled into the binary (SQL migrations, web assets).
 * The build generates the tables from cmake/embed.cmake; each table ends
 * with an entry whose name is NULL. Data is NUL-terminated for convenience;
 * size excludes that NUL.
 */
#ifndef SP_CORE_EMBED_H
#define SP_CORE_EMBED_H
#include <stddef.h>

struct sp_embedded {
	const char *name;	   /* file name without directory */
	const unsigned char *data; /* contents, NUL-terminated */
	size_t size;		   /* bytes, without the NUL */
};

#endif
