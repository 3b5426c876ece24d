#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
 * Decides AUTO from the first block: a BOM means UTF-8; invalid UTF-8
 * means GB18030; otherwise the file is taken for UTF-8 tentatively and the
 * rest is checked as it is read (source_next), so that checking the whole
 * file does not hold up the import before it starts.
 */
static int detect_encoding(struct pm_source *src, pm_error *err)
{
	size_t got, valid;
	int truncated;

	if (read_some(src->fd, src->in, IN_CAP, &got, src->path, err))
		return -1;
	valid = utf8_valid_prefix(src->in, got, &truncated);
	if (got >= 3 && !memcmp(src->in, "\xef\xbb\xbf", 3)) {
		src->encoding = PM_ENC_UTF8;
	} else if (valid < got && !truncated) {
		src->encoding = PM_ENC_GB18030;
	} else {
		src->encoding = PM_ENC_UTF8;
		src->tentative = 1;
	}
	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return pm_fail(err, "%s: cannot rewind: %s", src->path, strerror(errno));
	return 0;
}

int source_open(struct pm_source *src, const char *path, enum pm_encoding enc,
		pm_error *err)
{
	struct stat st;

	memset(src, 0, sizeof(*src));
	src->path = path;
	src->gb.cd = (iconv_t)-1;
	src->at_start = 1;
	src->fd = open(path, O_RDONLY);
	if (src->fd < 0)
		return pm_fail(err, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(src->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pm_fail(err, "%s: not a regular file", path);
		goto fail;
	}
	src->size = st.st_size;
	src->in = malloc(IN_CAP + CARRY_MAX);
	src->sha = EVP_MD_CTX_new();
	if (!src->in || !src->sha || !EVP_DigestInit_ex(src->sha, EVP_sha256(), NULL)) {
		pm_fail(err, "out of memory");
		goto fail;
	}
	src->encoding = enc;
	if (enc == PM_ENC_AUTO && detect_encoding(src, err))
		goto fail;
	/* iconv writes valid UTF-8; only PM_BAD_BYTE or NUL can spoil it (below) */
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
 * UTF-8 is a failure that asks for the file to be read again as GB18030
 * (not_utf8). In a file given as UTF-8, it only means that from now on
 * each value is checked on its own (clean = 0), so that the rows holding
 * the bad bytes are rejected.
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
			return pm_fail(err, "%s: not UTF-8 after its first MiB; read as GB18030",
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
