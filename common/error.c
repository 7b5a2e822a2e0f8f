#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "error.h"

bool stk_verbose;
static char last_error[1024];

/* Safe to pass stk_error() as an argument, to add context to an error. */
int stk_fail(const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	return -1;
}

const char *stk_error(void)
{
	return last_error[0] ? last_error : "unknown error";
}

void stk_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("stockade: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int stk_report(void)
{
	fprintf(stderr, "stockade: %s\n", stk_error());
	return 1;
}
