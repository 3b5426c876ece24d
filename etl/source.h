#ifndef PM_SOURCE_H
#define PM_SOURCE_H

/*
 * An input file as a stream of UTF-8 text: reads it in large blocks,
 * hashes the raw bytes (SHA-256), detects or applies the encoding, converts
 * GB18030 and drops a leading BOM. Memory use does not depend on file size.
 */

#include <openssl/evp.h>
#include <stdint.h>
#include "etl/encoding.h"
#include "util/error.h"

struct pm_source {
	const char *path;
	int fd;
	int64_t size;			/* bytes, from fstat */
	int64_t bytes_read;		/* raw bytes read so far */
	enum pm_encoding encoding;	/* the one in use (never AUTO once open) */
	int tentative;			/* AUTO chose UTF-8 from the first block */
	int not_utf8;			/* ...and a later block proved it wrong */
	int clean;			/* all text returned so far is UTF-8 without NUL */
					/* (GB18030: converted, without PM_BAD_BYTE) */
	EVP_MD_CTX *sha;
	struct pm_gb18030 gb;
	char *in;			/* raw bytes */
	size_t in_pos, in_len;
	char *out;			/* converted bytes (GB18030 only) */
	int eof;
	int at_start;			/* nothing returned yet: a BOM may follow */
	const char *not_text;		/* not NULL: what the file seems to be instead */
};

/*
 * Opens path (must be a readable regular file; a directory, FIFO or device
 * is refused without waiting on it). With PM_ENC_AUTO, a file starting
 * with a UTF-8 BOM or made mostly of valid UTF-8 is UTF-8 (see
 * encoding_score_pick), any other is GB18030. not_text is set when
 * the file's first bytes show that it is no text file (etl/sniff.h); the
 * caller decides what to do with it.
 */
int source_open(struct pm_source *src, const char *path, enum pm_encoding enc,
		pm_error *err);

/*
 * With PM_ENC_AUTO, source_open() decides from the first MiB when all of it
 * is valid UTF-8: the file is then taken for UTF-8 tentatively and the rest
 * is checked as it is read, so that a whole-file check does not hold up
 * the import. If invalid UTF-8 shows up later, source_next() fails with
 * not_utf8 set; the caller then starts again with source_open_scanned(),
 * which decides from the whole file as the rule says.
 */
int source_open_scanned(struct pm_source *src, const char *path, pm_error *err);

/*
 * The next piece of UTF-8 text in *data, *len (valid until the next call);
 * *len == 0 at the end of the file. While clean is set, everything returned
 * so far is valid UTF-8 without NUL bytes, so values cut from it need no
 * check of their own.
 */
int source_next(struct pm_source *src, const char **data, size_t *len, pm_error *err);

/* Reads whatever is left (for the hash) and writes the SHA-256 as hex. */
int source_sha256(struct pm_source *src, char hex[65], pm_error *err);

void source_close(struct pm_source *src);

#endif
