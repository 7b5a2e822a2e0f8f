/* Ring-buffer records, checked before anything trusts them. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "kernel.h"
#include "../common/error.h"

int event_decode(const void *data, size_t size, struct stk_event *out)
{
	const size_t head = offsetof(struct stk_event, path);
	const struct stk_event *ev = data;

	if (size < head + 1)
		return stk_fail("event of %zu bytes is shorter than its header", size);
	if (size > sizeof(*ev))
		return stk_fail("event of %zu bytes is longer than any event", size);
	memcpy(out, ev, size);
	if (out->type < STK_EV_FILE || out->type > STK_EV_SOCKET)
		return stk_fail("event of unknown type %u", out->type);
	if (out->verdict < STK_VERDICT_SEEN || out->verdict > STK_VERDICT_DENIED)
		return stk_fail("event with unknown verdict %u", out->verdict);
	if (out->type == STK_EV_FILE && (out->access & ~(uint32_t)STK_ACC_ALL))
		return stk_fail("event with unknown access bits 0x%x", out->access);
	/*
	 * A network event names one operation, and a path only when it refuses
	 * an address it could not read (the path says what it was).
	 */
	if (out->type == STK_EV_NET && (out->access & (out->access - 1) || !(out->access & STK_NET_ALL) ||
					out->access & ~(uint32_t)STK_NET_ALL ||
					(out->path_len && out->verdict == STK_VERDICT_SEEN)))
		return stk_fail("network event with access 0x%x and a %u-byte path", out->access, out->path_len);
	/* A privilege event names one privilege, or one never granted. */
	if (out->type == STK_EV_PRIVILEGE && (out->access & (out->access - 1) ||
					      !(out->access & (STK_PRIV_ALL | STK_PRIV_NEVER)) ||
					      out->access & ~(uint32_t)(STK_PRIV_ALL | STK_PRIV_NEVER)))
		return stk_fail("privilege event with bits 0x%x", out->access);
	if (out->type == STK_EV_CAPABILITY && out->access >= STK_CAP_MAX)
		return stk_fail("capability event for capability %u", out->access);
	if (out->type == STK_EV_SOCKET && (out->access >= STK_FAMILY_MAX || out->proto > STK_NETLINK_MAX))
		return stk_fail("socket event for family %u, protocol %u", out->access, out->proto);
	if (out->path_len != size - head - 1 || out->path[out->path_len] != 0 ||
	    memchr(out->path, 0, out->path_len))
		return stk_fail("event path of %u bytes does not fit a %zu-byte event", out->path_len, size);
	out->comm[STK_COMM_LEN - 1] = 0;
	out->exe[STK_EXE_MAX - 1] = 0;
	return 0;
}
