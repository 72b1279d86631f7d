/*
 * csv.c — the CSV reader behind csv.h: the door through which users' CSV
 * files (Excel UTF-8, UTF-8 with BOM, GBK/GB18030) enter the program.
 *
 * The bytes are first made UTF-8 (validated as they are, or converted from
 * GB18030 with glibc iconv), then parsed by libcsv. Every field is copied
 * into one arena of NUL-terminated strings, indexed by 32-bit offsets, so a
 * file costs a handful of allocations however many rows it has. Records keep
 * the file line they start on, counted from every line break the parser sees,
 * including those inside quoted fields (CR, LF and CR LF each end a line), so
 * messages name the line an editor shows; it is the spreadsheet row as long
 * as no cell spans lines. Blank records — empty lines, and lines whose fields
 * are all empty or blank such as the ",,,," rows Excel leaves behind — are
 * dropped but still counted.
 *
 * libcsv runs in strict mode, which reports an unterminated quoted field at
 * the end (CSV_STRICT_FINI) and junk after a closing quote. Strict mode also
 * rejects a quote inside an unquoted field (12" ruler), which Excel reads
 * literally; that one case is fed back through non-strict mode so such files
 * load as Excel loads them. Spaces around fields are kept (no trimming).
 */
#include "io/csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes handed to libcsv per call; between calls its field buffer is made
 * to grow geometrically instead of by its default 128 bytes at a time. */
#define PARSE_CHUNK (64 * 1024)

/* Field data is addressed by 32-bit offsets; this is the explicit limit. */
#define ARENA_MAX ((size_t)UINT32_MAX)

struct csv_rec {
	size_t line;	/* 1-based file line the record starts on */
	uint32_t first; /* index of its first field in sp_csv.fld */
};

struct sp_csv {
	char *name;
	const char *encoding;
	char *arena; /* all fields, each NUL-terminated */
	size_t arena_len, arena_cap;
	uint32_t *fld; /* arena offset of every field, record after record */
	size_t nfld, fld_cap;
	struct csv_rec *rec;
	size_t nrec, rec_cap;
};

/* Parse state shared with the libcsv callbacks. */
struct reader {
	struct sp_csv *csv;
	sp_err err;	   /* first failure inside a callback */
	size_t line;	   /* line the next record starts on */
	bool prev_cr;	   /* the last terminator reported was a CR */
	size_t rec_fields; /* fields seen in the current record */
	size_t rec_nl;	   /* line breaks inside the current record's fields */
	bool rec_nonblank; /* current record has a field with visible text */
	size_t rec_arena;  /* arena_len when the current record began */
};

static const char empty_field[] = "";

/* Grow *buf (elements of size sz, capacity *cap) to hold need elements,
 * doubling so that appends are amortised O(1). */
static sp_err grow(void **buf, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return SP_OK;
	ncap = *cap ? *cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / sz)
			return SP_ENOMEM;
		ncap *= 2;
	}
	p = realloc(*buf, ncap * sz);
	if (!p)
		return SP_ENOMEM;
	*buf = p;
	*cap = ncap;
	return SP_OK;
}

/* libcsv field callback: append the field to the arena, noting line breaks
 * inside it (quoted fields) and whether it holds anything but blanks. */
static void on_field(void *s, size_t n, void *data)
{
	struct reader *rd = data;
	struct sp_csv *c = rd->csv;
	const unsigned char *src = s;
	char *dst;
	size_t i, nl = 0;
	unsigned char prev = 0;

	if (rd->err)
		return;
	if (n >= ARENA_MAX - c->arena_len) {
		rd->err = SP_EINVAL;
		return;
	}
	if (c->arena_len + n + 1 > c->arena_cap &&
	    grow((void **)&c->arena, &c->arena_cap, c->arena_len + n + 1, 1)) {
		rd->err = SP_ENOMEM;
		return;
	}
	if (c->nfld == c->fld_cap &&
	    grow((void **)&c->fld, &c->fld_cap, c->nfld + 1, sizeof *c->fld)) {
		rd->err = SP_ENOMEM;
		return;
	}
	c->fld[c->nfld++] = (uint32_t)c->arena_len;
	dst = c->arena + c->arena_len;
	memcpy(dst, src, n);
	dst[n] = '\0';
	if (!rd->rec_nonblank) {
		for (i = 0; i < n; i++) {
			if (src[i] > ' ') {
				rd->rec_nonblank = true;
				break;
			}
		}
	}
	/* only quoted fields hold line breaks; most fields are short */
	if (n && (memchr(src, '\n', n) || memchr(src, '\r', n))) {
		for (i = 0; i < n; i++) {
			if (src[i] == '\r' || (src[i] == '\n' && prev != '\r'))
				nl++;
			prev = src[i];
		}
	}
	c->arena_len += n + 1;
	rd->rec_nl += nl;
	rd->rec_fields++;
}

/* libcsv record callback (also called for every bare CR/LF, thanks to
 * CSV_REPALL_NL): keep the record unless it is blank, and advance the line
 * count past its terminator. A CR LF pair counts as one line break. */
static void on_record(int ch, void *data)
{
	struct reader *rd = data;
	struct sp_csv *c = rd->csv;

	if (rd->err)
		return;
	if (rd->rec_fields == 0) {
		if (!(ch == '\n' && rd->prev_cr) && (ch == '\r' || ch == '\n'))
			rd->line++;
		rd->prev_cr = ch == '\r';
		return;
	}
	if (rd->rec_nonblank) {
		if (c->nrec == c->rec_cap &&
		    grow((void **)&c->rec, &c->rec_cap, c->nrec + 1, sizeof *c->rec)) {
			rd->err = SP_ENOMEM;
			return;
		}
		c->rec[c->nrec].line = rd->line;
		c->rec[c->nrec].first = (uint32_t)(c->nfld - rd->rec_fields);
		c->nrec++;
	} else {
		/* blank line (only empty or space-only fields): forget it */
		c->nfld -= rd->rec_fields;
		c->arena_len = rd->rec_arena;
	}
	rd->line += rd->rec_nl + (ch == '\r' || ch == '\n');
	rd->prev_cr = ch == '\r';
	rd->rec_fields = 0;
	rd->rec_nl = 0;
	rd->rec_nonblank = false;
	rd->rec_arena = c->arena_len;
}

/* Keep spaces and tabs: the header promises fields with surrounding spaces
 * kept, and libcsv trims them by default. */
static int no_space(unsigned char ch)
{
	(void)ch;
	return 0;
}

/* 1-based line of byte offset off in buf (CR, LF and CR LF each end one). */
static size_t line_at(const char *buf, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= off || buf[i + 1] != '\n')))
			line++;
	}
	return line;
}

/* Length of the valid UTF-8 prefix of s[0..n) (n when all of it is valid).
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			/* ASCII fast path, 8 bytes at a time */
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i <= k)
			return i;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return i;
		i += k + 1;
	}
	return n;
}

/* Convert GB18030 (a superset of GBK) to UTF-8 into a new buffer *out
 * (caller frees). On a byte sequence that is not GB18030, *bad receives its
 * offset and SP_EINVAL is returned. */
static sp_err gb18030_to_utf8(const char *in, size_t len, char **out, size_t *outlen, size_t *bad)
{
	iconv_t cd;
	char *buf, *ip = (char *)in, *op;
	size_t il = len, ol, cap;
	sp_err rc = SP_OK;

	/* two GB18030 bytes become at most three UTF-8 bytes, four at most four */
	if (len > (SIZE_MAX - 16) / 2)
		return SP_ENOMEM;
	cap = len / 2 * 3 + 16;
	buf = malloc(cap);
	if (!buf)
		return SP_ENOMEM;
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		free(buf);
		return SP_EINVAL;
	}
	op = buf;
	ol = cap;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		*bad = (size_t)(ip - in);
		rc = errno == E2BIG ? SP_ENOMEM : SP_EINVAL;
	}
	iconv_close(cd);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = cap - ol;
	return SP_OK;
}

/* Feed buf to libcsv and collect records into rd->csv. Errors name the
 * file and row; *eb may be NULL. */
static sp_err parse(struct reader *rd, const char *buf, size_t len, struct sp_errbuf *eb)
{
	const unsigned char opts = CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL;
	const char *name = rd->csv->name;
	struct csv_parser p;
	size_t pos = 0, open_line, open_col;
	sp_err rc = SP_OK;

	if (csv_init(&p, opts) != 0)
		return sp_errf(eb, SP_ENOMEM, "%s: cannot initialise CSV parser", name);
	csv_set_space_func(&p, no_space);
	csv_set_blk_size(&p, 4096);

	while (pos < len) {
		size_t chunk = len - pos < PARSE_CHUNK ? len - pos : PARSE_CHUNK;
		size_t n = csv_parse(&p, buf + pos, chunk, on_field, on_record, rd);

		if (rd->err)
			break;
		if (n < chunk) {
			if (csv_error(&p) != CSV_EPARSE) {
				rc = sp_errf(eb, SP_ENOMEM, "%s: out of memory parsing CSV", name);
				goto out;
			}
			if (!p.quoted) {
				/* a quote inside an unquoted field: literal, as in Excel */
				csv_set_opts(&p, opts & ~CSV_STRICT);
				if (csv_parse(&p, buf + pos + n, 1, on_field, on_record, rd) != 1) {
					rc = sp_errf(eb, SP_ENOMEM, "%s: out of memory parsing CSV",
						     name);
					goto out;
				}
				csv_set_opts(&p, opts);
				p.status = CSV_SUCCESS;
				n++;
			} else {
				rc =
				    sp_errf(eb, SP_EINVAL,
					    "%s: row %zu, column %zu: unexpected character after a "
					    "closing quote (a quote inside a quoted field must be "
					    "doubled)",
					    name, line_at(buf, pos + n), rd->rec_fields + 1);
				goto out;
			}
		}
		pos += n;
		/* grow libcsv's field buffer geometrically from now on */
		if (csv_get_buffer_size(&p) > 4096)
			csv_set_blk_size(&p, csv_get_buffer_size(&p));
	}
	if (!rd->err) {
		open_line = rd->line + rd->rec_nl;
		open_col = rd->rec_fields + 1;
		if (csv_fini(&p, on_field, on_record, rd) != 0) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu, column %zu: quoted field is never closed "
				     "(missing '\"')",
				     name, open_line, open_col);
			goto out;
		}
	}
	if (rd->err == SP_ENOMEM)
		rc = sp_errf(eb, SP_ENOMEM, "%s: out of memory reading CSV", name);
	else if (rd->err)
		rc = sp_errf(eb, rd->err, "%s: file too large (more than 4 GiB of field data)",
			     name);
out:
	csv_free(&p);
	return rc;
}

sp_err sp_csv_read_mem(const char *name, const char *data, size_t len, struct sp_csv **out,
		       struct sp_errbuf *eb)
{
	const unsigned char *u = (const unsigned char *)data;
	struct sp_csv *c;
	struct reader rd;
	char *conv = NULL;
	const char *body = data;
	size_t blen = len, valid;
	sp_err rc;

	*out = NULL;
	if (!name)
		name = "(memory)";
	if (!data)
		len = blen = 0;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return sp_errf(eb, SP_EINVAL,
			       "%s: file is UTF-16; save it as \"CSV UTF-8\" or plain CSV", name);
	if (len && memchr(data, '\0', len)) {
		size_t off = (size_t)((const char *)memchr(data, '\0', len) - data);
		return sp_errf(eb, SP_EINVAL, "%s: row %zu: NUL byte (is this a binary file?)",
			       name, line_at(data, off));
	}

	c = calloc(1, sizeof *c);
	if (!c)
		return sp_errf(eb, SP_ENOMEM, "%s: out of memory", name);
	c->name = strdup(name);
	if (!c->name) {
		free(c);
		return sp_errf(eb, SP_ENOMEM, "%s: out of memory", name);
	}

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		c->encoding = "utf-8-bom";
		body = data + 3;
		blen = len - 3;
		valid = utf8_valid_prefix((const unsigned char *)body, blen);
		if (valid != blen) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu: invalid UTF-8 byte 0x%02X after a UTF-8 BOM",
				     name, line_at(body, valid), (unsigned char)body[valid]);
			goto fail;
		}
	} else if (utf8_valid_prefix(u, len) == len) {
		c->encoding = "utf-8";
	} else {
		size_t bad = 0;
		c->encoding = "gb18030";
		rc = gb18030_to_utf8(data, len, &conv, &blen, &bad);
		if (rc == SP_EINVAL) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu: byte 0x%02X at offset %zu is neither UTF-8 nor "
				     "GBK/GB18030",
				     name, line_at(data, bad), bad < len ? u[bad] : 0, bad);
			goto fail;
		}
		if (rc) {
			rc = sp_errf(eb, rc, "%s: out of memory converting GB18030", name);
			goto fail;
		}
		body = conv;
		/* a GB18030 BOM (84 31 95 33) converts to a UTF-8 one */
		if (blen >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
			body += 3;
			blen -= 3;
		}
	}

	/* Presize from the input: fields take at most its bytes plus a NUL each,
	 * and a typical field is longer than 8 bytes. */
	if (grow((void **)&c->arena, &c->arena_cap, blen + blen / 8 + 64, 1) ||
	    grow((void **)&c->fld, &c->fld_cap, blen / 8 + 16, sizeof *c->fld) ||
	    grow((void **)&c->rec, &c->rec_cap, blen / 64 + 16, sizeof *c->rec)) {
		rc = sp_errf(eb, SP_ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	memset(&rd, 0, sizeof rd);
	rd.csv = c;
	rd.line = 1;
	rc = parse(&rd, body, blen, eb);
	free(conv);
	conv = NULL;
	if (rc)
		goto fail;
	*out = c;
	return SP_OK;
fail:
	free(conv);
	sp_csv_free(c);
	return rc;
}

sp_err sp_csv_read_file(const char *path, struct sp_csv **out, struct sp_errbuf *eb)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	sp_err rc;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sp_errf(eb, SP_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return sp_errf(eb, SP_EIO, "%s: cannot read: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return sp_errf(eb, SP_EIO, "%s: cannot read: not a regular file", path);
	}
	if ((uint64_t)st.st_size >= ARENA_MAX) {
		close(fd);
		return sp_errf(eb, SP_EINVAL, "%s: file too large (4 GiB limit)", path);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return sp_errf(eb, SP_ENOMEM, "%s: out of memory", path);
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return sp_errf(eb, SP_EIO, "%s: cannot read: %s", path, strerror(e));
		}
		if (n == 0)
			break; /* file shrank while reading: parse what is there */
		len += (size_t)n;
	}
	close(fd);
	rc = sp_csv_read_mem(path, buf, len, out, eb);
	free(buf);
	return rc;
}

void sp_csv_free(struct sp_csv *csv)
{
	if (!csv)
		return;
	free(csv->name);
	free(csv->arena);
	free(csv->fld);
	free(csv->rec);
	free(csv);
}

const char *sp_csv_encoding(const struct sp_csv *csv)
{
	return csv->encoding;
}

const char *sp_csv_name(const struct sp_csv *csv)
{
	return csv->name;
}

size_t sp_csv_rows(const struct sp_csv *csv)
{
	return csv->nrec;
}

size_t sp_csv_fields(const struct sp_csv *csv, size_t r)
{
	size_t end;

	if (r >= csv->nrec)
		return 0;
	end = r + 1 < csv->nrec ? csv->rec[r + 1].first : csv->nfld;
	return end - csv->rec[r].first;
}

const char *sp_csv_field(const struct sp_csv *csv, size_t r, size_t f)
{
	if (f >= sp_csv_fields(csv, r))
		return empty_field;
	return csv->arena + csv->fld[csv->rec[r].first + f];
}

size_t sp_csv_line(const struct sp_csv *csv, size_t r)
{
	return r < csv->nrec ? csv->rec[r].line : 0;
}

/* ---- header mapping ------------------------------------------------- */

/* Next byte of a header name as compared: ASCII lowercased; spaces, tabs,
 * '_', '-', U+3000 (ideographic space) and U+FEFF (BOM) skipped. 0 at end. */
static unsigned char norm_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;

	for (;;) {
		unsigned char ch = *p;
		if (ch == ' ' || ch == '\t' || ch == '_' || ch == '-') {
			p++;
		} else if (ch == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			p += 3;
		} else if (ch == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
		} else {
			if (ch)
				p++;
			*pp = p;
			return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
		}
	}
}

/* Do two header spellings mean the same column? Names that normalise to
 * nothing ("", "-") match nothing. */
static bool header_eq(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
	unsigned char ca = norm_next(&pa), cb = norm_next(&pb);

	if (!ca || !cb)
		return false;
	while (ca == cb) {
		if (!ca)
			return true;
		ca = norm_next(&pa);
		cb = norm_next(&pb);
	}
	return false;
}

/* Does header cell h name spec s (its field name or one of its aliases)? */
static bool spec_matches(const struct sp_csv_field_spec *s, const char *h)
{
	if (header_eq(s->field, h))
		return true;
	for (const char *const *a = s->aliases; a && *a; a++) {
		if (header_eq(*a, h))
			return true;
	}
	return false;
}

/* Append "text" to buf (size cap, used *len), truncating with "...". */
static void put(char *buf, size_t cap, size_t *len, const char *text)
{
	size_t n = strlen(text);

	if (*len + 4 >= cap)
		return;
	if (*len + n + 4 >= cap) {
		n = cap - 4 - *len;
		/* do not cut a UTF-8 sequence in half */
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf + *len, text, n);
		memcpy(buf + *len + n, "...", 4);
		*len = cap - 1;
		return;
	}
	memcpy(buf + *len, text, n + 1);
	*len += n;
}

/* The header record as "a, b, c" for messages. */
static void header_list(const struct sp_csv *csv, char *buf, size_t cap)
{
	size_t len = 0, nf = sp_csv_fields(csv, 0);

	buf[0] = '\0';
	for (size_t f = 0; f < nf; f++) {
		if (f)
			put(buf, cap, &len, ", ");
		put(buf, cap, &len, sp_csv_field(csv, 0, f));
	}
}

/* A spec's accepted spellings as "a, b, c" for messages. */
static void alias_list(const struct sp_csv_field_spec *s, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	put(buf, cap, &len, s->field);
	for (const char *const *a = s->aliases; a && *a; a++) {
		put(buf, cap, &len, ", ");
		put(buf, cap, &len, *a);
	}
}

sp_err sp_csv_map_header(const struct sp_csv *csv, const struct sp_csv_field_spec *specs,
			 size_t nspecs, const struct sp_csv_override *ov, size_t nov, int *cols,
			 struct sp_errbuf *eb)
{
	size_t ncol = sp_csv_fields(csv, 0);
	bool *claimed = NULL; /* columns taken by an override */
	char hdr[256], names[160];
	sp_err rc = SP_OK;

	for (size_t i = 0; i < nspecs; i++)
		cols[i] = -1;
	if (csv->nrec == 0) {
		for (size_t i = 0; i < nspecs; i++) {
			if (specs[i].required)
				return sp_errf(
				    eb, SP_EINVAL,
				    "%s: file is empty: no header row (need column '%s')",
				    csv->name, specs[i].field);
		}
		if (nov)
			return sp_errf(eb, SP_EINVAL,
				       "%s: file is empty: no column '%s' for field '%s'",
				       csv->name, ov[0].column, ov[0].field);
		return SP_OK;
	}
	if (ncol > INT32_MAX)
		return sp_errf(eb, SP_EINVAL, "%s: too many columns", csv->name);
	header_list(csv, hdr, sizeof hdr);
	claimed = calloc(ncol ? ncol : 1, sizeof *claimed);
	if (!claimed)
		return sp_errf(eb, SP_ENOMEM, "%s: out of memory", csv->name);

	/* explicit FIELD=COLUMN mappings first */
	for (size_t k = 0; k < nov; k++) {
		size_t i, col = ncol;

		for (i = 0; i < nspecs; i++) {
			if (header_eq(specs[i].field, ov[k].field))
				break;
		}
		if (i == nspecs) {
			size_t len = 0;
			names[0] = '\0';
			for (size_t j = 0; j < nspecs; j++) {
				if (j)
					put(names, sizeof names, &len, ", ");
				put(names, sizeof names, &len, specs[j].field);
			}
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: mapping %s=%s: unknown field '%s' (known: %s)", csv->name,
				     ov[k].field, ov[k].column, ov[k].field, names);
			goto out;
		}
		if (cols[i] >= 0) {
			rc = sp_errf(eb, SP_EINVAL, "%s: field '%s' is mapped twice", csv->name,
				     specs[i].field);
			goto out;
		}
		for (size_t f = 0; f < ncol; f++) {
			if (!header_eq(ov[k].column, sp_csv_field(csv, 0, f)))
				continue;
			if (col < ncol) {
				rc =
				    sp_errf(eb, SP_EINVAL,
					    "%s: mapping %s=%s: columns %zu and %zu are both named "
					    "'%s'",
					    csv->name, ov[k].field, ov[k].column, col + 1, f + 1,
					    ov[k].column);
				goto out;
			}
			col = f;
		}
		if (col == ncol) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: mapping %s=%s: no column '%s' in the header (header: %s)",
				     csv->name, ov[k].field, ov[k].column, ov[k].column, hdr);
			goto out;
		}
		cols[i] = (int)col;
		claimed[col] = true;
	}

	/* then names and aliases, over the columns no override took */
	for (size_t i = 0; i < nspecs; i++) {
		if (cols[i] >= 0)
			continue;
		for (size_t f = 0; f < ncol; f++) {
			if (claimed[f] || !spec_matches(&specs[i], sp_csv_field(csv, 0, f)))
				continue;
			if (cols[i] >= 0) {
				rc = sp_errf(
				    eb, SP_EINVAL,
				    "%s: columns %d ('%s') and %zu ('%s') both match field "
				    "'%s'; choose one with a mapping (%s=COLUMN)",
				    csv->name, cols[i] + 1, sp_csv_field(csv, 0, (size_t)cols[i]),
				    f + 1, sp_csv_field(csv, 0, f), specs[i].field, specs[i].field);
				goto out;
			}
			cols[i] = (int)f;
		}
		if (cols[i] < 0 && specs[i].required) {
			alias_list(&specs[i], names, sizeof names);
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: missing required column '%s' (accepted names: %s; "
				     "header: %s)",
				     csv->name, specs[i].field, names, hdr);
			goto out;
		}
	}
out:
	free(claimed);
	if (rc) {
		for (size_t i = 0; i < nspecs; i++)
			cols[i] = -1;
	}
	return rc;
}
