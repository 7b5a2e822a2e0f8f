/* One-line errors: the failing function records what went wrong and returns
 * -1; the command that called it prints "stockade: <message>" once. */
#ifndef STOCKADE_ERROR_H
#define STOCKADE_ERROR_H

#include <stdbool.h>

extern bool stk_verbose; /* --verbose: let libbpf and friends speak */

__attribute__((format(printf, 1, 2))) int stk_fail(const char *fmt, ...);
const char *stk_error(void);
__attribute__((format(printf, 1, 2))) void stk_warn(const char *fmt, ...);
/* Print stk_error() as "stockade: ..." and return exit status 1. */
int stk_report(void);

#endif
