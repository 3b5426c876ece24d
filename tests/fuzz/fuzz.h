#ifndef PM_FUZZ_H
#define PM_FUZZ_H

/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c). Each target defines
 * LLVMFuzzerTestOneInput; `make fuzz` links it with libFuzzer (clang), and
 * tests/fuzz/replay.c links the same file with a plain main() (gcc) so that
 * the saved crash inputs in tests/fuzz/regress/ run in `make test`.
 *
 * A broken promise is reported with FUZZ_CHECK, which aborts: libFuzzer
 * saves the input as a crash, the replay driver dies with the message.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* FNV-1a, to compare two runs' results without keeping them. */
static inline uint64_t fuzz_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

#define FUZZ_HASH_INIT 14695981039346656037ull

/*
 * The input as a file, since the importer reads files: an anonymous memory
 * file (a regular file to fstat, never on disk), opened again by path.
 * Returns the descriptor (close it when done) and writes the path.
 */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz-input", 0);
	size_t done = 0;

	FUZZ_CHECK(fd >= 0);
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		FUZZ_CHECK(w > 0);
		done += (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
