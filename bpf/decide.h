/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy decision, as small pure functions over plain integers: no maps,
 * no helpers. The BPF programs and the user-space tests include this very
 * file, so what is tested (and later proved) is what the kernel runs.
 *
 * Matching a path walks its rules from the most specific (the path itself)
 * to the least (the root directory). At each level a rule decides the
 * requested access bits that are still open: deny bits first, then allow
 * bits. The walk may stop as soon as every requested bit is decided.
 */
#ifndef STOCKADE_DECIDE_H
#define STOCKADE_DECIDE_H

#include "abi.h"

#define STK_INLINE static inline __attribute__((always_inline))

enum stk_action {
	STK_PASS,       /* allow, log nothing */
	STK_LOG_SEEN,   /* allow, record the observation */
	STK_LOG_WOULD,  /* allow, log a would-be denial */
	STK_DENY,       /* refuse with EPERM and log the denial */
};

struct stk_match {
	__u32 undecided; /* requested bits no rule has decided yet */
	__u32 denied;    /* requested bits a deny rule decided */
};

/* Write access covers append access: appending is a narrower write. */
STK_INLINE __u32 stk_access_implied(__u32 access)
{
	if (access & STK_ACC_WRITE)
		access |= STK_ACC_APPEND;
	return access & STK_ACC_ALL;
}

STK_INLINE void stk_match_init(struct stk_match *m, __u32 requested)
{
	m->undecided = requested & STK_ACC_ALL;
	m->denied = 0;
}

/* Apply the rule found at one level; at_object says it names the path itself. */
STK_INLINE void stk_match_apply(struct stk_match *m, const struct stk_rule *r,
				int at_object)
{
	__u32 allow = r->allow_tree, deny = r->deny_tree;

	if (at_object) {
		allow |= r->allow_self;
		deny |= r->deny_self;
	}
	allow = stk_access_implied(allow);
	deny = stk_access_implied(deny);
	m->denied |= m->undecided & deny;
	m->undecided &= ~(allow | deny);
}

STK_INLINE int stk_match_decided(const struct stk_match *m)
{
	return m->undecided == 0;
}

STK_INLINE int stk_match_allowed(const struct stk_match *m)
{
	return m->undecided == 0 && m->denied == 0;
}

/* What a subject's mode makes of an access its rules allow or not. */
STK_INLINE enum stk_action stk_decide(__u32 mode, int allowed)
{
	switch (mode) {
	case STK_MODE_RECORD:
		return STK_LOG_SEEN;
	case STK_MODE_COMPLAIN:
		return allowed ? STK_PASS : STK_LOG_WOULD;
	case STK_MODE_ENFORCE:
		return allowed ? STK_PASS : STK_DENY;
	default:
		return STK_PASS;
	}
}

/* Is port within one of the rule's ranges? */
STK_INLINE int stk_port_allowed(const struct stk_net_rule *r, __u16 port)
{
	for (__u32 i = 0; i < STK_PORT_RANGES; i++)
		if (i < r->n && r->ports[i].lo <= port && port <= r->ports[i].hi)
			return 1;
	return 0;
}

/* The privilege a new socket needs, if any (the values are Linux's ABI). */
STK_INLINE __u32 stk_socket_privilege(int family, int type)
{
	const int af_inet = 2, af_inet6 = 10, af_packet = 17, sock_raw = 3, type_mask = 0xf;

	if (family == af_packet)
		return STK_PRIV_PACKET_SOCKET;
	if ((family == af_inet || family == af_inet6) && (type & type_mask) == sock_raw)
		return STK_PRIV_RAW_SOCKET;
	return 0;
}

/* The IPv4-mapped IPv6 form of an IPv4 address given as 4 bytes. */
STK_INLINE void stk_addr_from_v4(__u8 out[16], const __u8 v4[4])
{
	for (int i = 0; i < 10; i++)
		out[i] = 0;
	out[10] = out[11] = 0xff;
	for (int i = 0; i < 4; i++)
		out[12 + i] = v4[i];
}

/*
 * Rule keys are sized by the length of their path (without NUL), so that a
 * short path is hashed as a short key. Lengths above 4096 cannot occur.
 */
STK_INLINE __u32 stk_key_class(__u32 len)
{
	if (len <= 64)
		return 64;
	if (len <= 256)
		return 256;
	if (len <= 1024)
		return 1024;
	return STK_PATH_MAX;
}

/*
 * The next less specific level of a path of length len: the length of its
 * parent directory's path ("/a/b" -> "/a" -> "/"), or 0 past the root. A
 * path that is not absolute has no parent: only an exact rule names it.
 */
STK_INLINE __u32 stk_path_parent_len(const char *path, __u32 len)
{
	__u32 i;

	if (len <= 1 || path[0] != '/')
		return 0;
	for (i = len - 1; i > 0; i--)
		if (path[i] == '/')
			return i;
	return 1;
}

#endif
