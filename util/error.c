/*
 * pm_fail(): the message of an error travelling as a return code (util/error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include "util/error.h"
#include "util/i18n.h"

int pm_fail(pm_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	/* the library's messages reach the user through here: translated once */
	vsnprintf(err->msg, sizeof(err->msg), _(fmt), ap);
	va_end(ap);
	return -1;
}
