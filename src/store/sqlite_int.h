/*
 * sqlite_int.h — for store modules of one area (users, facts, plan
 * documents, ...) written as their own files beside sqlite.c: the SQLite
 * connection behind a store and its error mapping. Only src/store/ uses it.
 */
#ifndef SP_STORE_SQLITE_INT_H
#define SP_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* The SQLite connection of st, or NULL when st is another backend. */
sqlite3 *sp_store_sqlite(struct sp_store *st);

/*
 * Turn an SQLite result code into an sp_err with the message "<what>: ...":
 * unique violations → SP_ECONFLICT ("<what> exists"), foreign keys →
 * SP_ENOTFOUND, CHECK/NOT NULL → SP_EINVAL, the rest SP_ESTORE.
 */
sp_err sp_store_sqlite_fail(struct sp_store *st, int rc, struct sp_errbuf *eb, const char *what);

#endif
