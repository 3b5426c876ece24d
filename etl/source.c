/*
 * An input file as a stream of UTF-8 text, hashed as read (etl/source.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "etl/sniff.h"
#include "etl/source.h"

/*
 * One read is 1 MiB: large enough that system calls cost nothing, small
 * enough to keep memory flat. GB18030 grows by at most 3x (0x80 -> U+20AC).
 */
#define IN_CAP (1u << 20)
#define OUT_CAP (3u * IN_CAP + 64)
/* room kept before fresh bytes for a sequence cut off by the previous read */
#define CARRY_MAX 8

static int read_some(int fd, char *buf, size_t cap, size_t *got, const char *path,
		     pm_error *err)
{
	ssize_t r;

	*got = 0;
	do
		r = read(fd, buf, cap);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return pm_fail(err, "%s: cannot read: %s", path, strerror(errno));
	*got = (size_t)r;
	return 0;
}

/*
 * Once valid characters outnumber errors (or the other way round) by this
 * much, reading further will not change the verdict: a GB18030 file gets
 * there within a few hundred rows.
 */
#define SCORE_MARGIN 256

/* Counts valid and invalid UTF-8 from the start of the file. */
static int score_encodings(struct pm_source *src, pm_error *err)
{
	struct pm_encoding_score sc;
	size_t got;

	encoding_score_init(&sc);
	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return pm_fail(err, "%s: cannot rewind: %s", src->path, strerror(errno));
	for (;;) {
		if (read_some(src->fd, src->in, IN_CAP, &got, src->path, err))
			return -1;
		if (got == 0) {
			encoding_score_end(&sc);
			break;
		}
		encoding_score_feed(&sc, src->in, got);
		if (sc.utf8_errors >= sc.utf8_chars + SCORE_MARGIN ||
		    sc.utf8_chars >= sc.utf8_errors + SCORE_MARGIN)
			break;
	}
	src->encoding = encoding_score_pick(&sc);
	return 0;
}

/*
 * Decides AUTO: a BOM or all valid UTF-8 means UTF-8. Otherwise UTF-8 if
 * at least as many of its multibyte sequences are valid UTF-8 as not: a
 * GB18030 export is invalid UTF-8 at nearly every Chinese character, while
 * a UTF-8 file with a stray bad byte (or cut off in mid-character) stays
 * UTF-8 and only the rows holding bad bytes are rejected, instead of every
 * row being garbled.
 */
static int detect_encoding(struct pm_source *src, pm_error *err)
{
	size_t got, keep = 0, valid;
	int truncated, all_valid = 1;

	for (;;) {
		if (read_some(src->fd, src->in + keep, IN_CAP - keep, &got, src->path, err))
			return -1;
		if (got == 0) {
			all_valid = keep == 0;
			break;
		}
		got += keep;
		if (src->bytes_read == 0 && got >= 3 && !memcmp(src->in, "\xef\xbb\xbf", 3))
			break;
		src->bytes_read += got - keep;
		valid = utf8_valid_prefix(src->in, got, &truncated);
		if (valid < got && !truncated) {
			all_valid = 0;
			break;
		}
		keep = got - valid;
		memmove(src->in, src->in + valid, keep);
	}
	src->bytes_read = 0;
	src->encoding = PM_ENC_UTF8;
	if (!all_valid && score_encodings(src, err))
		return -1;
	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return pm_fail(err, "%s: cannot rewind: %s", src->path, strerror(errno));
	return 0;
}

/*
 * The quick decision of source_open(): if the first block starts with no
 * BOM and is all valid UTF-8, the file is taken for UTF-8 tentatively (1);
 * otherwise (0) detect_encoding() decides from the whole file.
 */
static int first_block_is_utf8(struct pm_source *src, pm_error *err)
{
	size_t got = 0, more, valid;
	int truncated;

	/* read() may return less than asked: the decision needs the whole block */
	do {
		if (read_some(src->fd, src->in + got, IN_CAP - got, &more, src->path, err))
			return -1;
		got += more;
	} while (more > 0 && got < IN_CAP);
	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return pm_fail(err, "%s: cannot rewind: %s", src->path, strerror(errno));
	if (got == 0 || (got >= 3 && !memcmp(src->in, "\xef\xbb\xbf", 3)))
		return 0;
	valid = utf8_valid_prefix(src->in, got, &truncated);
	return valid == got || (truncated && got == IN_CAP);
}

/* Looks at the first bytes: is this a text file at all? */
static int sniff(struct pm_source *src, pm_error *err)
{
	ssize_t got;

	do
		got = pread(src->fd, src->in, PM_SNIFF_BYTES, 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return pm_fail(err, "%s: cannot read: %s", src->path, strerror(errno));
	src->not_text = sniff_binary((const unsigned char *)src->in, (size_t)got);
	return 0;
}

static int open_source(struct pm_source *src, const char *path, enum pm_encoding enc,
		       int quick, pm_error *err)
{
	int first;

	struct stat st;

	memset(src, 0, sizeof(*src));
	src->path = path;
	src->gb.cd = (iconv_t)-1;
	src->at_start = 1;
	/*
	 * O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused
	 * below); regular files ignore the flag.
	 */
	src->fd = open(path, O_RDONLY | O_NONBLOCK);
	if (src->fd < 0)
		return pm_fail(err, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(src->fd, &st) < 0) {
		pm_fail(err, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		pm_fail(err, "%s: is a directory, not a file", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		pm_fail(err, "%s: not a regular file (a device, pipe or socket)", path);
		goto fail;
	}
	src->size = st.st_size;
	src->in = malloc(IN_CAP + CARRY_MAX);
	src->sha = EVP_MD_CTX_new();
	if (!src->in || !src->sha || !EVP_DigestInit_ex(src->sha, EVP_sha256(), NULL)) {
		pm_fail(err, "out of memory");
		goto fail;
	}
	if (sniff(src, err))
		goto fail;
	src->encoding = enc;
	if (enc == PM_ENC_AUTO && quick) {
		first = first_block_is_utf8(src, err);
		if (first < 0)
			goto fail;
		if (first) {
			src->encoding = PM_ENC_UTF8;
			src->tentative = 1;
		}
	}
	if (src->encoding == PM_ENC_AUTO && detect_encoding(src, err))
		goto fail;
	/* iconv writes valid UTF-8; only PM_BAD_BYTE or NUL can spoil it */
	src->clean = 1;
	if (src->encoding == PM_ENC_GB18030) {
		src->out = malloc(OUT_CAP);
		if (!src->out) {
			pm_fail(err, "out of memory");
			goto fail;
		}
		if (gb18030_open(&src->gb, err))
			goto fail;
	}
	return 0;
fail:
	source_close(src);
	return -1;
}

int source_open(struct pm_source *src, const char *path, enum pm_encoding enc,
		pm_error *err)
{
	return open_source(src, path, enc, 1, err);
}

int source_open_scanned(struct pm_source *src, const char *path, pm_error *err)
{
	return open_source(src, path, PM_ENC_AUTO, 0, err);
}

/* Reads the next block after the carried-over bytes in_pos..in_len. */
static int refill(struct pm_source *src, pm_error *err)
{
	size_t keep = src->in_len - src->in_pos, got;

	memmove(src->in, src->in + src->in_pos, keep);
	src->in_pos = 0;
	src->in_len = keep;
	if (read_some(src->fd, src->in + keep, IN_CAP, &got, src->path, err))
		return -1;
	if (got == 0)
		src->eof = 1;
	if (got && !EVP_DigestUpdate(src->sha, src->in + keep, got))
		return pm_fail(err, "%s: SHA-256 failed", src->path);
	src->in_len += got;
	src->bytes_read += got;
	return 0;
}

static void drop_bom(struct pm_source *src, const char **data, size_t *len)
{
	if (src->at_start && *len >= 3 && !memcmp(*data, "\xef\xbb\xbf", 3)) {
		*data += 3;
		*len -= 3;
	}
	if (*len)
		src->at_start = 0;
}

/*
 * Checks UTF-8 text about to be returned, (data, *len). A sequence cut off
 * by the end of the bytes read so far is held back (*len shortened) until
 * its next bytes arrive. In a file taken for UTF-8 tentatively, invalid
 * UTF-8 is a failure that asks for the whole file to be looked at
 * (not_utf8). Otherwise it only means that from now on each value is
 * checked on its own (clean = 0), so that the rows holding the bad bytes
 * are rejected.
 */
static int check_utf8(struct pm_source *src, const char *data, size_t *len, pm_error *err)
{
	size_t valid;
	int truncated;

	if (!src->clean)
		return 0;
	valid = utf8_valid_prefix(data, *len, &truncated);
	if (valid < *len) {
		if (truncated && !src->eof) {
			*len = valid;
		} else if (src->tentative) {
			src->not_utf8 = 1;
			return pm_fail(err, "%s: not all UTF-8 after its first MiB; looking again",
				       src->path);
		} else {
			src->clean = 0;
		}
	}
	if (src->clean && memchr(data, '\0', *len))
		src->clean = 0;
	return 0;
}

int source_next(struct pm_source *src, const char **data, size_t *len, pm_error *err)
{
	size_t consumed, produced;

	*len = 0;
	while (*len == 0) {
		/* a short remainder may be a cut-off sequence: read more first */
		if (!src->eof && src->in_len - src->in_pos < CARRY_MAX && refill(src, err))
			return -1;
		if (src->in_pos == src->in_len && src->eof)
			return 0;
		if (src->encoding != PM_ENC_GB18030) {
			*data = src->in + src->in_pos;
			*len = src->in_len - src->in_pos;
			if (check_utf8(src, *data, len, err))
				return -1;
			src->in_pos += *len;
		} else {
			gb18030_convert(&src->gb, src->in + src->in_pos, src->in_len - src->in_pos,
					src->eof, src->out, OUT_CAP, &consumed, &produced);
			src->in_pos += consumed;
			*data = src->out;
			*len = produced;
			if (src->clean && (memchr(*data, PM_BAD_BYTE, *len) || memchr(*data, '\0', *len)))
				src->clean = 0;
			if (produced == 0 && !src->eof && refill(src, err))
				return -1;
		}
		if (src->at_start)
			drop_bom(src, data, len);
	}
	return 0;
}

int source_sha256(struct pm_source *src, char hex[65], pm_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	while (!src->eof) {
		src->in_pos = src->in_len = 0;
		if (refill(src, err))
			return -1;
	}
	if (!EVP_DigestFinal_ex(src->sha, md, &mdlen))
		return pm_fail(err, "%s: SHA-256 failed", src->path);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	return 0;
}

void source_close(struct pm_source *src)
{
	if (src->fd >= 0)
		close(src->fd);
	src->fd = -1;
	gb18030_close(&src->gb);
	EVP_MD_CTX_free(src->sha);
	src->sha = NULL;
	free(src->in);
	free(src->out);
	src->in = src->out = NULL;
}
