/*
 * The directory holding the running binary (util/exe_dir.h).
 */
#include <string.h>
#include <unistd.h>
#include "util/exe_dir.h"

int exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}
