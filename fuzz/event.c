/*
 * Fuzz the ring-buffer event decoder: any record either is refused or
 * decodes into an event whose path is NUL-terminated within bounds, which
 * the formatting functions then print without a memory error.
 */
#include <stdio.h>
#include <string.h>
#include "../names/names.h"
#include "../kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stk_event ev;
	char buf[128];

	if (event_decode(data, size, &ev))
		return 0;
	if (strnlen(ev.path, sizeof(ev.path)) == sizeof(ev.path))
		__builtin_trap();
	access_format(ev.access, buf, sizeof(buf));
	peer_format(ev.proto, ev.addr, ev.port, buf, sizeof(buf));
	snprintf(buf, sizeof(buf), "%s %s %.16s", ev.path, ev.exe, ev.comm);
	return 0;
}
