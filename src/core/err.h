/*
 * err.h — error codes and error detail for every layer.
 *
 * Functions return sp_err (SP_OK == 0) and deliver results through
 * out-parameters. Detail for humans goes into an optional caller-owned
 * struct sp_errbuf: one line naming what failed and why (for files: file,
 * row, column and reason). A NULL errbuf is always allowed.
 */
#ifndef SP_CORE_ERR_H
#define SP_CORE_ERR_H

typedef enum sp_err {
	SP_OK = 0,
	SP_EINVAL,    /* bad input: syntax, out of domain, missing field */
	SP_ERANGE,    /* arithmetic overflow or value outside its range */
	SP_ENOTFOUND, /* named thing does not exist */
	SP_ECONFLICT, /* exists already, or contradicts a constraint (locks) */
	SP_EPERM,     /* caller may not do this */
	SP_ENOMEM,    /* allocation failed */
	SP_ESTORE,    /* the database failed */
	SP_EIO	      /* file or network I/O failed */
} sp_err;

#define SP_ERRBUF_SIZE 512

struct sp_errbuf {
	char msg[SP_ERRBUF_SIZE];
};

/* Format a message into eb (if non-NULL) and return code unchanged, so a
 * failure site reads: return sp_errf(eb, SP_EINVAL, "row %d: ...", row); */
sp_err sp_errf(struct sp_errbuf *eb, sp_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the message already in eb with "prefix: " (e.g. a file name).
 * Returns code unchanged. */
sp_err sp_err_prefix(struct sp_errbuf *eb, sp_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Short stable name of a code, e.g. "invalid", "not_found"; used in JSON. */
const char *sp_err_name(sp_err code);

#endif
