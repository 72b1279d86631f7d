/*
 * err.c — error formatting shared by all layers (see err.h).
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sp_err sp_errf(struct sp_errbuf *eb, sp_err code, const char *fmt, ...)
{
	if (eb) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(eb->msg, sizeof eb->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

sp_err sp_err_prefix(struct sp_errbuf *eb, sp_err code, const char *fmt, ...)
{
	if (eb) {
		char prefix[256], old[SP_ERRBUF_SIZE];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(prefix, sizeof prefix, fmt, ap);
		va_end(ap);
		memcpy(old, eb->msg, sizeof old);
		/* join by hand: "prefix: old", truncated to the buffer */
		size_t n = 0, cap = sizeof eb->msg - 1;
		for (const char *parts[] = {prefix, ": ", old}, **p = parts; p < parts + 3; p++)
			for (const char *c = *p; *c && n < cap; c++)
				eb->msg[n++] = *c;
		eb->msg[n] = '\0';
	}
	return code;
}

const char *sp_err_name(sp_err code)
{
	switch (code) {
	case SP_OK: return "ok";
	case SP_EINVAL: return "invalid";
	case SP_ERANGE: return "out_of_range";
	case SP_ENOTFOUND: return "not_found";
	case SP_ECONFLICT: return "conflict";
	case SP_EPERM: return "forbidden";
	case SP_ENOMEM: return "no_memory";
	case SP_ESTORE: return "store";
	case SP_EIO: return "io";
	}
	return "unknown";
}
