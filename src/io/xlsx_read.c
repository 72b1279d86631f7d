/*
 * xlsx_read.c — the cells of an .xlsx workbook (see xlsx_read.h): the zip
 * container through minizip with an in-memory I/O table, the XML parts
 * through expat with namespace processing (so prefixed spellings such as
 * <x:c> read the same as <c>).
 */
#include "io/xlsx_read.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minizip/unzip.h>

#define PART_MAX (64u << 20)
#define CELLS_MAX 4000000u
#define ROW_LIMIT 1048576u
#define COL_LIMIT 16384u

/* ---- zip from memory -------------------------------------------------------------- */

struct membuf {
	const unsigned char *p;
	size_t len, pos;
};

static voidpf mem_open(voidpf opaque, const void *filename, int mode)
{
	(void)filename;
	if (mode & ZLIB_FILEFUNC_MODE_WRITE)
		return NULL;
	((struct membuf *)opaque)->pos = 0;
	return opaque;
}

static uLong mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	struct membuf *m = stream;
	size_t left = m->len - m->pos, n = size < left ? size : left;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque;
	(void)stream;
	(void)buf;
	(void)size;
	return 0;
}

static ZPOS64_T mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((struct membuf *)stream)->pos;
}

static long mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)opaque;
	struct membuf *m = stream;
	uint64_t base;
	switch (origin) {
	case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
	case ZLIB_FILEFUNC_SEEK_CUR: base = m->pos; break;
	case ZLIB_FILEFUNC_SEEK_END: base = m->len; break;
	default: return -1;
	}
	if (off > m->len || base + off > m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

/* The uncompressed bytes of a part (NUL-terminated, malloc'd), or NULL
 * with *missing set when the zip has no such entry. */
static sp_err read_part(unzFile z, const char *file, const char *part, char **out, size_t *len,
			bool *missing, struct sp_errbuf *eb)
{
	unz_file_info64 fi;
	*out = NULL;
	if (missing)
		*missing = false;
	if (unzLocateFile(z, part, 0) != UNZ_OK) {
		if (missing) {
			*missing = true;
			return SP_OK;
		}
		return sp_errf(eb, SP_EINVAL, "%s: not an Excel workbook (no %s inside)", file,
			       part);
	}
	if (unzGetCurrentFileInfo64(z, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return sp_errf(eb, SP_EINVAL, "%s: damaged zip entry %s", file, part);
	if (fi.uncompressed_size > PART_MAX)
		return sp_errf(eb, SP_ERANGE, "%s: %s is larger than %u MiB", file, part,
			       PART_MAX >> 20);
	size_t n = (size_t)fi.uncompressed_size;
	char *buf = malloc(n + 1);
	if (!buf)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if (unzOpenCurrentFile(z) != UNZ_OK) {
		free(buf);
		return sp_errf(eb, SP_EINVAL, "%s: cannot open %s in the zip", file, part);
	}
	size_t got = 0;
	for (;;) {
		char extra;
		int r = got < n ? unzReadCurrentFile(z, buf + got, (unsigned)(n - got))
				: unzReadCurrentFile(z, &extra, 1);
		if (r < 0 || (got == n && r > 0)) {
			unzCloseCurrentFile(z);
			free(buf);
			return sp_errf(eb, SP_EINVAL, "%s: damaged zip entry %s", file, part);
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (unzCloseCurrentFile(z) != UNZ_OK || got != n) {
		free(buf);
		return sp_errf(eb, SP_EINVAL, "%s: damaged zip entry %s (CRC)", file, part);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return SP_OK;
}

/* ---- XML helpers ------------------------------------------------------------------- */

/* The local part of an expat namespaced name "uri|local". */
static const char *local(const XML_Char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *lname)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), lname) == 0)
			return atts[i + 1];
	return NULL;
}

/* A growing text buffer. */
struct text {
	char *s;
	size_t n, cap;
	bool oom;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->n + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		while (cap < t->n + n + 1)
			cap *= 2;
		char *p = realloc(t->s, cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static char *text_take(struct text *t)
{
	char *s = t->n ? t->s : strdup("");
	if (!t->n)
		free(t->s);
	t->s = NULL;
	t->n = t->cap = 0;
	return s;
}

/* Parse a whole part with handlers; SP_EINVAL naming file, part and line. */
static sp_err parse_xml(const char *file, const char *part, const char *xml, size_t len, void *ud,
			XML_StartElementHandler start, XML_EndElementHandler end,
			XML_CharacterDataHandler chars, bool *oom, struct sp_errbuf *eb)
{
	XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
	if (!p)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	if (chars)
		XML_SetCharacterDataHandler(p, chars);
	sp_err rc = SP_OK;
	if (len > INT32_MAX || XML_Parse(p, xml, (int)len, 1) == XML_STATUS_ERROR)
		rc = sp_errf(eb, SP_EINVAL, "%s: %s, line %lu: %s", file, part,
			     (unsigned long)XML_GetCurrentLineNumber(p),
			     XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	if (rc == SP_OK && *oom)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	return rc;
}

/* ---- workbook and relationships ------------------------------------------------------- */

struct wbsheet {
	char *name, *rid, *target;
};

struct wbctx {
	struct wbsheet *v;
	size_t n, cap;
	bool oom;
};

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wbctx *c = ud;
	if (strcmp(local(name), "sheet") != 0)
		return;
	const char *nm = attr(atts, "name"), *rid = attr(atts, "id");
	if (!nm || !rid)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct wbsheet *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			c->oom = true;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	struct wbsheet *s = &c->v[c->n];
	s->name = strdup(nm);
	s->rid = strdup(rid);
	s->target = NULL;
	if (!s->name || !s->rid) {
		free(s->name);
		free(s->rid);
		c->oom = true;
		return;
	}
	c->n++;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wbctx *c = ud;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	if (!id || !target)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (!c->v[i].target && strcmp(c->v[i].rid, id) == 0) {
			/* relative to xl/, or absolute from the package root */
			size_t n = strlen(target) + 4;
			char *t = malloc(n);
			if (!t) {
				c->oom = true;
				return;
			}
			if (target[0] == '/')
				snprintf(t, n, "%s", target + 1);
			else
				snprintf(t, n, "xl/%s", target);
			c->v[i].target = t;
		}
}

static void no_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

/* ---- shared strings ------------------------------------------------------------------- */

struct sstctx {
	char **v;
	size_t n, cap;
	int in_si, in_t, in_rph;
	struct text cur;
	bool oom;
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct sstctx *c = ud;
	const char *l = local(name);
	if (strcmp(l, "si") == 0) {
		c->in_si = 1;
		c->cur.n = 0;
		text_add(&c->cur, "", 0);
	} else if (c->in_si && strcmp(l, "rPh") == 0) {
		c->in_rph++;
	} else if (c->in_si && strcmp(l, "t") == 0) {
		c->in_t = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct sstctx *c = ud;
	const char *l = local(name);
	if (strcmp(l, "t") == 0) {
		c->in_t = 0;
	} else if (strcmp(l, "rPh") == 0 && c->in_rph) {
		c->in_rph--;
	} else if (strcmp(l, "si") == 0 && c->in_si) {
		c->in_si = 0;
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 64;
			char **v = realloc(c->v, cap * sizeof *v);
			if (!v) {
				c->oom = true;
				return;
			}
			c->v = v;
			c->cap = cap;
		}
		char *s = text_take(&c->cur);
		if (!s) {
			c->oom = true;
			return;
		}
		c->v[c->n++] = s;
	}
	c->oom |= c->cur.oom;
}

static void sst_chars(void *ud, const XML_Char *s, int len)
{
	struct sstctx *c = ud;
	if (c->in_si && c->in_t && !c->in_rph)
		text_add(&c->cur, s, (size_t)len);
}

/* ---- sheets ---------------------------------------------------------------------------- */

struct shctx {
	const char *file, *part;
	char **sst;
	size_t nsst;
	size_t *total;
	struct sp_xlsx_sheet *sh;
	size_t cap;
	unsigned row, col; /* current row (0-based), next column */
	bool row_seen;
	/* the cell being read */
	bool in_c, in_v, in_is_t, in_rph;
	int depth_is;
	char type[16];
	struct text v;
	sp_err err;
	struct sp_errbuf *eb;
	bool oom;
	XML_Parser parser;
};

/* "B12" -> col 1, row 11; false if malformed. */
static bool parse_ref(const char *r, unsigned *row, unsigned *col)
{
	unsigned c = 0, n = 0;
	size_t i = 0;
	while (isalpha((unsigned char)r[i]) && i < 4)
		c = c * 26 + (unsigned)(toupper((unsigned char)r[i++]) - 'A' + 1);
	if (i == 0 || c > COL_LIMIT || !isdigit((unsigned char)r[i]))
		return false;
	for (; isdigit((unsigned char)r[i]); i++) {
		n = n * 10 + (unsigned)(r[i] - '0');
		if (n > ROW_LIMIT)
			return false;
	}
	if (r[i] || n == 0)
		return false;
	*col = c - 1;
	*row = n - 1;
	return true;
}

static void sh_fail(struct shctx *c, sp_err code, const char *msg)
{
	if (c->err != SP_OK)
		return;
	c->err = sp_errf(c->eb, code, "%s: %s, line %lu: %s", c->file, c->part,
			 (unsigned long)XML_GetCurrentLineNumber(c->parser), msg);
	XML_StopParser(c->parser, XML_FALSE);
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct shctx *c = ud;
	const char *l = local(name);
	if (c->err)
		return;
	if (strcmp(l, "row") == 0) {
		const char *r = attr(atts, "r");
		if (r) {
			char *end;
			unsigned long n = strtoul(r, &end, 10);
			if (*end || n == 0 || n > ROW_LIMIT) {
				sh_fail(c, SP_EINVAL, "bad row number");
				return;
			}
			c->row = (unsigned)(n - 1);
		} else if (c->row_seen) {
			c->row++;
		}
		c->row_seen = true;
		c->col = 0;
	} else if (strcmp(l, "c") == 0) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		if (r) {
			unsigned row, col;
			if (!parse_ref(r, &row, &col)) {
				sh_fail(c, SP_EINVAL, "bad cell reference");
				return;
			}
			c->row = row;
			c->col = col;
		}
		c->row_seen = true;
		snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
		c->in_c = true;
		c->v.n = 0;
		text_add(&c->v, "", 0);
		c->depth_is = 0;
	} else if (c->in_c && strcmp(l, "v") == 0) {
		c->in_v = true;
	} else if (c->in_c && strcmp(l, "is") == 0) {
		c->depth_is = 1;
	} else if (c->in_c && c->depth_is && strcmp(l, "rPh") == 0) {
		c->in_rph = true;
	} else if (c->in_c && c->depth_is && strcmp(l, "t") == 0) {
		c->in_is_t = true;
	}
}

static void sh_end(void *ud, const XML_Char *name)
{
	struct shctx *c = ud;
	const char *l = local(name);
	if (c->err)
		return;
	if (strcmp(l, "v") == 0) {
		c->in_v = false;
	} else if (strcmp(l, "t") == 0) {
		c->in_is_t = false;
	} else if (strcmp(l, "rPh") == 0) {
		c->in_rph = false;
	} else if (strcmp(l, "c") == 0 && c->in_c) {
		c->in_c = false;
		if (c->v.oom) {
			c->oom = true;
			return;
		}
		const char *raw = c->v.s ? c->v.s : "";
		char *text = NULL;
		bool number = false;
		if (strcmp(c->type, "s") == 0) {
			char *end;
			unsigned long k = strtoul(raw, &end, 10);
			if (!*raw || *end || k >= c->nsst) {
				sh_fail(c, SP_EINVAL, "shared string index out of range");
				return;
			}
			text = strdup(c->sst[k]);
		} else if (strcmp(c->type, "b") == 0) {
			text = strdup(strcmp(raw, "1") == 0 ? "TRUE" : "FALSE");
		} else {
			/* n (number), str (formula text), inlineStr, e (error) */
			number = strcmp(c->type, "n") == 0;
			text = strdup(raw);
		}
		if (!text) {
			c->oom = true;
			return;
		}
		if (!*text) { /* a styled empty cell */
			free(text);
			c->col++;
			return;
		}
		if (++*c->total > CELLS_MAX) {
			free(text);
			sh_fail(c, SP_ERANGE, "more than 4000000 cells");
			return;
		}
		struct sp_xlsx_sheet *s = c->sh;
		if (s->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 256;
			struct sp_xlsx_cell *v = realloc(s->cells, cap * sizeof *v);
			if (!v) {
				free(text);
				c->oom = true;
				return;
			}
			s->cells = v;
			c->cap = cap;
		}
		s->cells[s->n++] = (struct sp_xlsx_cell){c->row, c->col, number, text};
		c->col++;
	}
}

static void sh_chars(void *ud, const XML_Char *s, int len)
{
	struct shctx *c = ud;
	if (c->in_c && (c->in_v || (c->depth_is && c->in_is_t && !c->in_rph)))
		text_add(&c->v, s, (size_t)len);
}

static int cmp_cell(const void *a, const void *b)
{
	const struct sp_xlsx_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static sp_err read_sheet(const char *file, unzFile z, const char *part, char **sst, size_t nsst,
			 size_t *total, struct sp_xlsx_sheet *sh, struct sp_errbuf *eb)
{
	char *xml;
	size_t len;
	sp_err rc = read_part(z, file, part, &xml, &len, NULL, eb);
	if (rc != SP_OK)
		return rc;
	struct shctx c = {.file = file,
			  .part = part,
			  .sst = sst,
			  .nsst = nsst,
			  .total = total,
			  .sh = sh,
			  .eb = eb};
	XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
	if (!p) {
		free(xml);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	c.parser = p;
	XML_SetUserData(p, &c);
	XML_SetElementHandler(p, sh_start, sh_end);
	XML_SetCharacterDataHandler(p, sh_chars);
	if (len > INT32_MAX)
		rc = sp_errf(eb, SP_ERANGE, "%s: %s is too large", file, part);
	else if (XML_Parse(p, xml, (int)len, 1) == XML_STATUS_ERROR && c.err == SP_OK)
		rc = sp_errf(eb, SP_EINVAL, "%s: %s, line %lu: %s", file, part,
			     (unsigned long)XML_GetCurrentLineNumber(p),
			     XML_ErrorString(XML_GetErrorCode(p)));
	if (rc == SP_OK && c.err != SP_OK)
		rc = c.err;
	if (rc == SP_OK && c.oom)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	XML_ParserFree(p);
	free(c.v.s);
	free(xml);
	if (rc == SP_OK && sh->n > 1) {
		qsort(sh->cells, sh->n, sizeof *sh->cells, cmp_cell);
		for (size_t i = 1; i < sh->n; i++)
			if (cmp_cell(&sh->cells[i - 1], &sh->cells[i]) == 0) {
				char col[8];
				sp_xlsx_col_name(sh->cells[i].col, col, sizeof col);
				return sp_errf(eb, SP_EINVAL,
					       "%s: sheet %s: cell %s%u is given twice", file,
					       sh->name, col, sh->cells[i].row + 1);
			}
	}
	return rc;
}

/* ---- the workbook ---------------------------------------------------------------------- */

void sp_xlsx_book_free(struct sp_xlsx_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nsheets; i++) {
		for (size_t k = 0; k < b->sheets[i].n; k++)
			free(b->sheets[i].cells[k].text);
		free(b->sheets[i].cells);
		free(b->sheets[i].name);
	}
	free(b->sheets);
	free(b);
}

sp_err sp_xlsx_read_mem(const char *name, const void *data, size_t len, struct sp_xlsx_book **out,
			struct sp_errbuf *eb)
{
	struct membuf mb = {data, len, 0};
	zlib_filefunc64_def io = {mem_open, mem_read,  mem_write, mem_tell,
				  mem_seek, mem_close, mem_error, &mb};
	struct wbctx wb = {0};
	struct sstctx sst = {0};
	struct sp_xlsx_book *b = NULL;
	char *xml = NULL;
	size_t xlen, total = 0;
	bool missing;
	sp_err rc = SP_OK;

	*out = NULL;
	if (len < 4 || memcmp(data, "PK\003\004", 4) != 0)
		return sp_errf(eb, SP_EINVAL, "%s: not an .xlsx workbook (not a zip file)", name);
	unzFile z = unzOpen2_64("mem", &io);
	if (!z)
		return sp_errf(eb, SP_EINVAL, "%s: not an .xlsx workbook (damaged zip file)", name);
	/* the sheets, by name, and the parts they live in */
	if ((rc = read_part(z, name, "xl/workbook.xml", &xml, &xlen, NULL, eb)) != SP_OK)
		goto out;
	rc =
	    parse_xml(name, "xl/workbook.xml", xml, xlen, &wb, wb_start, no_end, NULL, &wb.oom, eb);
	free(xml);
	xml = NULL;
	if (rc != SP_OK)
		goto out;
	if ((rc = read_part(z, name, "xl/_rels/workbook.xml.rels", &xml, &xlen, NULL, eb)) != SP_OK)
		goto out;
	rc = parse_xml(name, "xl/_rels/workbook.xml.rels", xml, xlen, &wb, rels_start, no_end, NULL,
		       &wb.oom, eb);
	free(xml);
	xml = NULL;
	if (rc != SP_OK)
		goto out;
	/* shared strings, if any */
	if ((rc = read_part(z, name, "xl/sharedStrings.xml", &xml, &xlen, &missing, eb)) != SP_OK)
		goto out;
	if (!missing) {
		rc = parse_xml(name, "xl/sharedStrings.xml", xml, xlen, &sst, sst_start, sst_end,
			       sst_chars, &sst.oom, eb);
		free(xml);
		xml = NULL;
		if (rc != SP_OK)
			goto out;
	}
	if (!(b = calloc(1, sizeof *b)) ||
	    !(b->sheets = calloc(wb.n ? wb.n : 1, sizeof *b->sheets))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < wb.n && rc == SP_OK; i++) {
		if (!wb.v[i].target) {
			rc = sp_errf(eb, SP_EINVAL, "%s: sheet \"%s\" has no part in the workbook",
				     name, wb.v[i].name);
			break;
		}
		struct sp_xlsx_sheet *sh = &b->sheets[b->nsheets++];
		sh->name = wb.v[i].name;
		wb.v[i].name = NULL;
		rc = read_sheet(name, z, wb.v[i].target, sst.v, sst.n, &total, sh, eb);
	}
out:
	unzClose(z);
	for (size_t i = 0; i < wb.n; i++) {
		free(wb.v[i].name);
		free(wb.v[i].rid);
		free(wb.v[i].target);
	}
	free(wb.v);
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	free(sst.cur.s);
	if (rc != SP_OK) {
		sp_xlsx_book_free(b);
		return rc;
	}
	*out = b;
	return SP_OK;
}

sp_err sp_xlsx_read_file(const char *path, struct sp_xlsx_book **out, struct sp_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return sp_errf(eb, SP_EIO, "%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			char *p = cap > ((size_t)PART_MAX * 4) ? NULL : realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return sp_errf(eb, SP_ERANGE, "%s: the file is too large", path);
			}
			buf = p;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return sp_errf(eb, SP_EIO, "%s: read error", path);
	}
	sp_err rc = sp_xlsx_read_mem(path, buf, n, out, eb);
	free(buf);
	return rc;
}

/* ---- access ----------------------------------------------------------------------------- */

const char *sp_xlsx_get(const struct sp_xlsx_sheet *s, unsigned row, unsigned col, bool *number)
{
	size_t lo = 0, hi = s->n;
	struct sp_xlsx_cell key = {row, col, false, NULL};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_cell(&s->cells[mid], &key);
		if (c == 0) {
			if (number)
				*number = s->cells[mid].number;
			return s->cells[mid].text;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (number)
		*number = false;
	return NULL;
}

unsigned sp_xlsx_rows(const struct sp_xlsx_sheet *s)
{
	return s->n ? s->cells[s->n - 1].row + 1 : 0;
}

unsigned sp_xlsx_cols(const struct sp_xlsx_sheet *s)
{
	unsigned m = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->cells[i].col + 1 > m)
			m = s->cells[i].col + 1;
	return m;
}

void sp_xlsx_col_name(unsigned col, char *buf, size_t n)
{
	char tmp[8];
	int k = 0;
	col++;
	while (col && k < 7) {
		tmp[k++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	size_t j = 0;
	while (k > 0 && j + 1 < n)
		buf[j++] = tmp[--k];
	if (n)
		buf[j] = '\0';
}

sp_err sp_xlsx_plain_number(const char *s, char *buf, size_t n, struct sp_errbuf *eb)
{
	char digits[64];
	size_t nd = 0;
	long point = -1; /* digits before the decimal point */
	bool neg = false;
	const char *p = s;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p) || *p == '.'; p++) {
		if (*p == '.') {
			if (point >= 0)
				return sp_errf(eb, SP_EINVAL, "\"%s\" is not a number", s);
			point = (long)nd;
		} else if (nd < sizeof digits - 1) {
			digits[nd++] = *p;
		} else {
			return sp_errf(eb, SP_EINVAL, "\"%s\" has too many digits", s);
		}
	}
	if (nd == 0)
		return sp_errf(eb, SP_EINVAL, "\"%s\" is not a number", s);
	if (point < 0)
		point = (long)nd;
	if (*p == 'e' || *p == 'E') {
		char *end;
		errno = 0;
		long e = strtol(p + 1, &end, 10);
		if (end == p + 1 || *end || errno || e > 30 || e < -30)
			return sp_errf(eb, SP_EINVAL, "\"%s\" is not a number in range", s);
		point += e;
	} else if (*p) {
		return sp_errf(eb, SP_EINVAL, "\"%s\" is not a number", s);
	}
	/* integer part: digits[0..point), padded with zeros; fraction after */
	char out[160];
	size_t k = 0;
	if (neg)
		out[k++] = '-';
	if (point <= 0) {
		out[k++] = '0';
	} else {
		for (long i = 0; i < point; i++)
			out[k++] = i < (long)nd ? digits[i] : '0';
	}
	if ((long)nd > point) {
		out[k++] = '.';
		for (long i = point; i < 0; i++)
			out[k++] = '0';
		for (long i = point < 0 ? 0 : point; i < (long)nd; i++)
			out[k++] = digits[i];
	}
	out[k] = '\0';
	if (strlen(out) + 1 > n)
		return sp_errf(eb, SP_ERANGE, "\"%s\" is too long", s);
	memcpy(buf, out, k + 1);
	return SP_OK;
}
