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

/*
 * The ACSL contracts below are proved by Frama-C WP (`make prove`, see
 * docs/proof.md): every function does what its contract says and has no
 * runtime error (overflow, out-of-bounds access, bad shift) for any input
 * its preconditions allow.
 */

/*@ logic integer implied(integer a) =
      ((a & STK_ACC_WRITE) != 0 ? (a | STK_ACC_APPEND) : a) & STK_ACC_ALL;
*/

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
/*@ assigns \nothing;
    ensures \result == implied(access);
*/
STK_INLINE __u32 stk_access_implied(__u32 access)
{
	if (access & STK_ACC_WRITE)
		access |= STK_ACC_APPEND;
	return access & STK_ACC_ALL;
}

/*@ requires \valid(m);
    assigns *m;
    ensures m->undecided == (requested & STK_ACC_ALL);
    ensures m->denied == 0;
*/
STK_INLINE void stk_match_init(struct stk_match *m, __u32 requested)
{
	m->undecided = requested & STK_ACC_ALL;
	m->denied = 0;
}

/*
 * Apply the rule found at one level; at_object says it names the path itself.
 * A level decides only bits no more specific level decided: the first level
 * that names a bit (walking from the path up) decides it, deny before allow.
 */
/*@ logic integer deny_at(struct stk_rule r, integer at_object) =
      implied(at_object != 0 ? (r.deny_tree | r.deny_self) : r.deny_tree);
*/
/*@ requires \valid(m) && \valid_read(r) && \separated(m, r);
    assigns *m;
    ensures m->denied == (\old(m->denied) | (\old(m->undecided) & deny_at(*r, at_object)));
    behavior at_the_object:
      assumes at_object != 0;
      ensures m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) &
        (implied(r->allow_tree | r->allow_self) | implied(r->deny_tree | r->deny_self))));
    behavior above_it:
      assumes at_object == 0;
      ensures m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) &
        (implied(r->allow_tree) | implied(r->deny_tree))));
    complete behaviors;
    disjoint behaviors;
*/
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
	/* Clear the bits just decided (written without ~, for the provers). */
	m->undecided ^= m->undecided & (allow | deny);
}

/*@ requires \valid_read(m);
    assigns \nothing;
    ensures \result != 0 <==> m->undecided == 0;
*/
STK_INLINE int stk_match_decided(const struct stk_match *m)
{
	return m->undecided == 0;
}

/*@ requires \valid_read(m);
    assigns \nothing;
    ensures \result != 0 <==> (m->undecided == 0 && m->denied == 0);
*/
STK_INLINE int stk_match_allowed(const struct stk_match *m)
{
	return m->undecided == 0 && m->denied == 0;
}

/* What a subject's mode makes of an access its rules allow or not. */
/*@ assigns \nothing;
    ensures only_enforce_denies: \result == STK_DENY <==> (mode == STK_MODE_ENFORCE && allowed == 0);
    behavior record:
      assumes mode == STK_MODE_RECORD;
      ensures \result == STK_LOG_SEEN;
    behavior complain:
      assumes mode == STK_MODE_COMPLAIN;
      ensures \result == (allowed != 0 ? STK_PASS : STK_LOG_WOULD);
    behavior enforce:
      assumes mode == STK_MODE_ENFORCE;
      ensures \result == (allowed != 0 ? STK_PASS : STK_DENY);
    behavior off:
      assumes mode != STK_MODE_RECORD && mode != STK_MODE_COMPLAIN && mode != STK_MODE_ENFORCE;
      ensures \result == STK_PASS;
    complete behaviors;
    disjoint behaviors;
*/
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
/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result != 0 <==> (\exists integer i; 0 <= i < STK_PORT_RANGES && i < r->n &&
                                r->ports[i].lo <= port <= r->ports[i].hi);
*/
STK_INLINE int stk_port_allowed(const struct stk_net_rule *r, __u16 port)
{
	/*@ loop invariant 0 <= i <= STK_PORT_RANGES;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      !(j < r->n && r->ports[j].lo <= port <= r->ports[j].hi);
	    loop assigns i;
	    loop variant STK_PORT_RANGES - i;
	*/
	for (__u32 i = 0; i < STK_PORT_RANGES; i++)
		if (i < r->n && r->ports[i].lo <= port && port <= r->ports[i].hi)
			return 1;
	return 0;
}

/* The privilege a new socket needs, if any (the values are Linux's ABI). */
/*@ assigns \nothing;
    behavior packet:
      assumes family == 17;
      ensures \result == STK_PRIV_PACKET_SOCKET;
    behavior raw:
      assumes (family == 2 || family == 10) && (type & 0xf) == 3;
      ensures \result == STK_PRIV_RAW_SOCKET;
    behavior none:
      assumes family != 17 && !((family == 2 || family == 10) && (type & 0xf) == 3);
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE __u32 stk_socket_privilege(int family, int type)
{
	const int af_inet = 2, af_inet6 = 10, af_packet = 17, sock_raw = 3, type_mask = 0xf;

	if (family == af_packet)
		return STK_PRIV_PACKET_SOCKET;
	if ((family == af_inet || family == af_inet6) && (type & type_mask) == sock_raw)
		return STK_PRIV_RAW_SOCKET;
	return 0;
}

/*
 * Capabilities. The kernel asks for one in many places; a check it makes
 * with CAP_OPT_NOAUDIT (Linux's bit 1) only probes which way to go and
 * audits nothing, so stockade does not decide it either (docs/rules.md).
 */
/*@ assigns \nothing;
    ensures \result != 0 <==> (opts & 2) == 0;
*/
STK_INLINE int stk_cap_decided(__u32 opts)
{
	const __u32 cap_opt_noaudit = 2;

	return (opts & cap_opt_noaudit) == 0;
}

/* Is capability cap (Linux's number) granted? No other number ever is. */
/*@ assigns \nothing;
    ensures \result != 0 <==> (0 <= cap < STK_CAP_MAX && ((granted >> cap) & 1) != 0);
*/
STK_INLINE int stk_cap_allowed(__u64 granted, int cap)
{
	if (cap < 0 || cap >= STK_CAP_MAX)
		return 0;
	return ((granted >> cap) & 1) != 0;
}

/*
 * May a socket of this family (and, for netlink, protocol) be created or
 * received? unix, inet and inet6 sockets are policed by their peer rules,
 * packet sockets by their privilege; every other family must be granted.
 */
/*@ requires \valid_read(g);
    assigns \nothing;
    behavior peer_rules:
      assumes family == STK_AF_UNIX || family == STK_AF_INET || family == STK_AF_INET6 ||
              family == STK_AF_PACKET;
      ensures \result == 1;
    behavior netlink:
      assumes family == STK_AF_NETLINK;
      ensures \result != 0 <==> (0 <= protocol < STK_NETLINK_MAX && ((g->netlink >> protocol) & 1) != 0);
    behavior granted:
      assumes family != STK_AF_UNIX && family != STK_AF_INET && family != STK_AF_INET6 &&
              family != STK_AF_PACKET && family != STK_AF_NETLINK;
      ensures \result != 0 <==> (0 <= family < STK_FAMILY_MAX && ((g->families >> family) & 1) != 0);
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE int stk_family_allowed(const struct stk_grants *g, int family, int protocol)
{
	if (family == STK_AF_UNIX || family == STK_AF_INET || family == STK_AF_INET6 ||
	    family == STK_AF_PACKET)
		return 1;
	if (family == STK_AF_NETLINK)
		return protocol >= 0 && protocol < STK_NETLINK_MAX && ((g->netlink >> protocol) & 1) != 0;
	return family >= 0 && family < STK_FAMILY_MAX && ((g->families >> family) & 1) != 0;
}

/*
 * Another process. A task may trace and signal the tasks of its own
 * subject; any other task needs the privilege. A ptrace access check that
 * asks only to read (PTRACE_MODE_READ, Linux's bit 0, without
 * PTRACE_MODE_ATTACH, bit 1) needs ptrace-read, unless it is a probe that
 * audits nothing (PTRACE_MODE_NOAUDIT, bit 2: /proc/PID/stat asking whether
 * to show a task's wchan), which needs nothing; every other needs ptrace.
 */
/*@ assigns \nothing;
    behavior probe:
      assumes (mode & 3) == 1 && (mode & 4) != 0;
      ensures \result == 0;
    behavior read:
      assumes (mode & 3) == 1 && (mode & 4) == 0;
      ensures \result == STK_PRIV_PTRACE_READ;
    behavior attach:
      assumes (mode & 3) != 1;
      ensures \result == STK_PRIV_PTRACE;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE __u32 stk_ptrace_privilege(__u32 mode)
{
	const __u32 ptrace_mode_read = 1, ptrace_mode_attach = 2, ptrace_mode_noaudit = 4;

	if ((mode & (ptrace_mode_read | ptrace_mode_attach)) != ptrace_mode_read)
		return STK_PRIV_PTRACE;
	return (mode & ptrace_mode_noaudit) ? 0 : STK_PRIV_PTRACE_READ;
}

/*@ assigns \nothing;
    ensures \result == (self == target ? 0 : priv);
*/
STK_INLINE __u32 stk_peer_privilege(__u64 self, __u64 target, __u32 priv)
{
	return self == target ? 0 : priv;
}

/*
 * The address a socket call names, read as the kernel reads it (Linux 6.1,
 * net/ipv4/af_inet.c, udp.c, tcp_ipv4.c, net/ipv6/af_inet6.c, udp.c,
 * tcp_ipv6.c, raw.c). The family is the socket's, not only sa_family's:
 *  - connect() with AF_UNSPEC disconnects, on every inet socket: no peer;
 *  - an AF_INET socket takes AF_UNSPEC as AF_INET (udp_sendmsg, raw_sendmsg,
 *    and bind() of 0.0.0.0), in a sockaddr_in of at least 16 bytes;
 *  - an AF_INET6 socket takes an AF_INET sockaddr_in for a UDP connect or
 *    send, and a sockaddr_in6 of the RFC 2133 length (24 bytes, without
 *    sin6_scope_id) or longer; raw IPv6 sends take AF_UNSPEC as AF_INET6;
 *    UDPv6 sendmsg() drops an AF_UNSPEC name for the connected peer.
 * A form the kernel would then refuse for some protocol is still checked
 * as the address it spells, so reading never hinges on the protocol's
 * checks. Every other form is one the kernel refuses (EINVAL,
 * EAFNOSUPPORT): it is refused here too, so that no form stockade does not
 * read can reach a peer.
 */
enum stk_addr_form {
	STK_FORM_REFUSED, /* not an address the kernel reads: refuse it */
	STK_FORM_NONE,    /* names no peer (a disconnect, or the connected peer) */
	STK_FORM_V4,      /* a sockaddr_in: port at byte 2, address at byte 4 */
	STK_FORM_V6,      /* a sockaddr_in6: port at byte 2, address at byte 8 */
	STK_FORM_NOT_IP,  /* not an IP socket: other hooks decide */
};

#define STK_AF_UNSPEC 0
#define STK_SOCKADDR_IN_LEN 16
#define STK_SIN6_LEN_RFC2133 24
#define STK_PROTO_UDPLITE 136

/*@ assigns \nothing;
    ensures \result == STK_FORM_NOT_IP <==> (sock_family != STK_AF_INET && sock_family != STK_AF_INET6);
    ensures \result == STK_FORM_V4 ==> len >= STK_SOCKADDR_IN_LEN &&
      (sa_family == STK_AF_INET || (sa_family == STK_AF_UNSPEC && sock_family == STK_AF_INET));
    ensures \result == STK_FORM_V6 ==> len >= STK_SIN6_LEN_RFC2133 && sock_family == STK_AF_INET6 &&
      (sa_family == STK_AF_INET6 || sa_family == STK_AF_UNSPEC);
    ensures \result == STK_FORM_NONE ==> len >= 2 && sa_family == STK_AF_UNSPEC &&
      (op == STK_NET_CONNECT || (op == STK_NET_SEND && sock_family == STK_AF_INET6 &&
                                 (proto == STK_PROTO_UDP || proto == STK_PROTO_UDPLITE)));
    behavior ipv4_socket:
      assumes sock_family == STK_AF_INET && !(op == STK_NET_CONNECT && len >= 2 && sa_family == STK_AF_UNSPEC);
      ensures \result == ((len >= STK_SOCKADDR_IN_LEN &&
                           (sa_family == STK_AF_INET || sa_family == STK_AF_UNSPEC)) ? STK_FORM_V4 : STK_FORM_REFUSED);
    behavior ipv6_socket_ipv6_address:
      assumes sock_family == STK_AF_INET6 && (sa_family == STK_AF_INET6 ||
        (sa_family == STK_AF_UNSPEC && op != STK_NET_CONNECT &&
         !(op == STK_NET_SEND && (proto == STK_PROTO_UDP || proto == STK_PROTO_UDPLITE))));
      ensures \result == (len >= STK_SIN6_LEN_RFC2133 ? STK_FORM_V6 : STK_FORM_REFUSED);
    behavior ipv6_socket_ipv4_address:
      assumes sock_family == STK_AF_INET6 && sa_family == STK_AF_INET;
      ensures \result == (len >= STK_SOCKADDR_IN_LEN ? STK_FORM_V4 : STK_FORM_REFUSED);
    behavior no_peer:
      assumes sock_family == STK_AF_INET || sock_family == STK_AF_INET6;
      assumes sa_family == STK_AF_UNSPEC && len >= 2;
      assumes op == STK_NET_CONNECT || (op == STK_NET_SEND && sock_family == STK_AF_INET6 &&
                                        (proto == STK_PROTO_UDP || proto == STK_PROTO_UDPLITE));
      ensures \result == STK_FORM_NONE;
*/
STK_INLINE enum stk_addr_form stk_addr_form(int sock_family, int proto, __u32 op, int sa_family, int len)
{
	const int family_len = 2; /* sizeof(sa_family_t): what the kernel reads first */
	int udp = proto == STK_PROTO_UDP || proto == STK_PROTO_UDPLITE;

	if (sock_family != STK_AF_INET && sock_family != STK_AF_INET6)
		return STK_FORM_NOT_IP;
	if (sa_family == STK_AF_UNSPEC && len >= family_len &&
	    (op == STK_NET_CONNECT || (op == STK_NET_SEND && sock_family == STK_AF_INET6 && udp)))
		return STK_FORM_NONE;
	if (sa_family == STK_AF_INET || (sa_family == STK_AF_UNSPEC && sock_family == STK_AF_INET))
		return len >= STK_SOCKADDR_IN_LEN ? STK_FORM_V4 : STK_FORM_REFUSED;
	if (sock_family == STK_AF_INET6 && (sa_family == STK_AF_INET6 || sa_family == STK_AF_UNSPEC))
		return len >= STK_SIN6_LEN_RFC2133 ? STK_FORM_V6 : STK_FORM_REFUSED;
	return STK_FORM_REFUSED;
}

/*
 * A netlink message goes to the kernel (port 0, no group) or to a process
 * (nonzero nl_pid) or multicast group (nonzero nl_groups): a process is an
 * unconfined listener the rules cannot follow, so that needs netlink-send.
 * connect() with AF_UNSPEC disconnects; a send naming no address (length
 * 0) goes where the socket is connected, which connect() decided. A
 * sockaddr_nl shorter than 12 bytes or of another family the kernel
 * refuses (netlink_connect(), netlink_sendmsg()); stockade asks
 * netlink-send for it, as for any address it does not read.
 */
#define STK_SOCKADDR_NL_LEN 12

/*@ assigns \nothing;
    behavior no_address:
      assumes (op == STK_NET_SEND && len == 0) ||
              (op == STK_NET_CONNECT && len >= 2 && nl_family == STK_AF_UNSPEC) || op == STK_NET_BIND;
      ensures \result == 0;
    behavior to_the_kernel:
      assumes !((op == STK_NET_SEND && len == 0) ||
                (op == STK_NET_CONNECT && len >= 2 && nl_family == STK_AF_UNSPEC) || op == STK_NET_BIND);
      assumes len >= STK_SOCKADDR_NL_LEN && nl_family == STK_AF_NETLINK && nl_pid == 0 && nl_groups == 0;
      ensures \result == 0;
    behavior elsewhere:
      assumes !((op == STK_NET_SEND && len == 0) ||
                (op == STK_NET_CONNECT && len >= 2 && nl_family == STK_AF_UNSPEC) || op == STK_NET_BIND);
      assumes !(len >= STK_SOCKADDR_NL_LEN && nl_family == STK_AF_NETLINK && nl_pid == 0 && nl_groups == 0);
      ensures \result == STK_PRIV_NETLINK_SEND;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE __u32 stk_netlink_privilege(__u32 op, int len, int nl_family, __u32 nl_pid, __u32 nl_groups)
{
	/* bind() picks the socket's own port and groups to listen to: no peer. */
	if (op == STK_NET_BIND || (op == STK_NET_SEND && len == 0) ||
	    (op == STK_NET_CONNECT && len >= 2 && nl_family == STK_AF_UNSPEC))
		return 0;
	if (len >= STK_SOCKADDR_NL_LEN && nl_family == STK_AF_NETLINK && nl_pid == 0 && nl_groups == 0)
		return 0;
	return STK_PRIV_NETLINK_SEND;
}

/*
 * Executable memory. A mapping of a file runs that file's code, which exec
 * rules decide; executable memory backed by no file (an anonymous mmap, or
 * mprotect() adding PROT_EXEC to the heap, the stack or an anonymous
 * mapping) runs code that never was a file, which needs anon-exec.
 * was_exec: the mapping is executable already (mprotect() adds nothing).
 */
enum stk_exec_kind {
	STK_EXEC_NONE, /* nothing new becomes executable */
	STK_EXEC_FILE, /* a file's code: the exec rules */
	STK_EXEC_ANON, /* code from no file: the anon-exec privilege */
};

/*@ assigns \nothing;
    behavior none:
      assumes (prot & 4) == 0 || was_exec != 0;
      ensures \result == STK_EXEC_NONE;
    behavior file:
      assumes (prot & 4) != 0 && was_exec == 0 && has_file != 0;
      ensures \result == STK_EXEC_FILE;
    behavior anon:
      assumes (prot & 4) != 0 && was_exec == 0 && has_file == 0;
      ensures \result == STK_EXEC_ANON;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE enum stk_exec_kind stk_exec_mapping(int has_file, __u64 prot, int was_exec)
{
	const __u64 prot_exec = 4;

	if (!(prot & prot_exec) || was_exec)
		return STK_EXEC_NONE;
	return has_file ? STK_EXEC_FILE : STK_EXEC_ANON;
}

/*
 * Moving a task between cgroups: the kernel asks for write permission on
 * cgroup.procs (or cgroup.threads) of the cgroup it moves to, or of the
 * common ancestor of the two (cgroup_may_write(), cgroup_attach_permissions(),
 * clone3's CLONE_INTO_CGROUP included). name is the file's name, NUL-padded.
 */
#define STK_CGROUP_FILE_NAME 16

/*@ predicate padded(char *n, integer from) =
      \forall integer j; from <= j < STK_CGROUP_FILE_NAME ==> n[j] == 0;
    predicate cgroup_dot(char *n) = n[0] == 'c' && n[1] == 'g' && n[2] == 'r' && n[3] == 'o' &&
      n[4] == 'u' && n[5] == 'p' && n[6] == '.';
    predicate cgroup_procs(char *n) = cgroup_dot(n) && n[7] == 'p' && n[8] == 'r' && n[9] == 'o' &&
      n[10] == 'c' && n[11] == 's' && padded(n, 12);
    predicate cgroup_threads(char *n) = cgroup_dot(n) && n[7] == 't' && n[8] == 'h' && n[9] == 'r' &&
      n[10] == 'e' && n[11] == 'a' && n[12] == 'd' && n[13] == 's' && padded(n, 14);
*/
/*@ requires \valid_read(name + (0 .. STK_CGROUP_FILE_NAME - 1));
    assigns \nothing;
    ensures \result != 0 <==> (cgroup_procs(name) || cgroup_threads(name));
*/
STK_INLINE int stk_cgroup_move_file(const char name[STK_CGROUP_FILE_NAME])
{
	int end;

	if (name[0] != 'c' || name[1] != 'g' || name[2] != 'r' || name[3] != 'o' || name[4] != 'u' ||
	    name[5] != 'p' || name[6] != '.')
		return 0;
	if (name[7] == 'p' && name[8] == 'r' && name[9] == 'o' && name[10] == 'c' && name[11] == 's')
		end = 12;
	else if (name[7] == 't' && name[8] == 'h' && name[9] == 'r' && name[10] == 'e' && name[11] == 'a' &&
		 name[12] == 'd' && name[13] == 's')
		end = 14;
	else
		return 0;
	/*@ loop invariant end <= i <= STK_CGROUP_FILE_NAME;
	    loop invariant \forall integer j; end <= j < i ==> name[j] == 0;
	    loop assigns i;
	    loop variant STK_CGROUP_FILE_NAME - i;
	*/
	for (int i = end; i < STK_CGROUP_FILE_NAME; i++)
		if (name[i])
			return 0;
	return 1;
}

/* The IPv4-mapped IPv6 form of an IPv4 address given as 4 bytes. */
/*@ requires \valid(out + (0 .. 15)) && \valid_read(v4 + (0 .. 3));
    requires \separated(out + (0 .. 15), v4 + (0 .. 3));
    assigns out[0 .. 15];
    ensures \forall integer i; 0 <= i < 10 ==> out[i] == 0;
    ensures out[10] == 0xff && out[11] == 0xff;
    ensures \forall integer i; 0 <= i < 4 ==> out[12 + i] == v4[i];
*/
STK_INLINE void stk_addr_from_v4(__u8 out[16], const __u8 v4[4])
{
	/*@ loop invariant 0 <= i <= 10;
	    loop invariant \forall integer j; 0 <= j < i ==> out[j] == 0;
	    loop assigns i, out[0 .. 9];
	    loop variant 10 - i;
	*/
	for (int i = 0; i < 10; i++)
		out[i] = 0;
	out[10] = out[11] = 0xff;
	/*@ loop invariant 0 <= i <= 4;
	    loop invariant \forall integer j; 0 <= j < 10 ==> out[j] == 0;
	    loop invariant out[10] == 0xff && out[11] == 0xff;
	    loop invariant \forall integer j; 0 <= j < i ==> out[12 + j] == v4[j];
	    loop assigns i, out[12 .. 15];
	    loop variant 4 - i;
	*/
	for (int i = 0; i < 4; i++)
		out[12 + i] = v4[i];
}

/*
 * Is addr in the network net/prefix (prefix in IPv6 bits, 0 to 128)? The
 * kernel's trie answers this for the rule maps; user space asks here.
 */
/*@ logic integer bit_of(__u8 *a, integer b) = a[b / 8] & (0x80 >> (b % 8));
*/
/*@ requires \valid_read(addr + (0 .. 15)) && \valid_read(net + (0 .. 15));
    assigns \nothing;
    ensures \result != 0 <==> (\forall integer b; 0 <= b < prefix && b < 128 ==>
                                bit_of(addr, b) == bit_of(net, b));
*/
STK_INLINE int stk_addr_in_prefix(const __u8 addr[16], const __u8 net[16], __u32 prefix)
{
	/*@ loop invariant 0 <= b <= 128;
	    loop invariant \forall integer c; 0 <= c < b && c < prefix ==> bit_of(addr, c) == bit_of(net, c);
	    loop assigns b;
	    loop variant 128 - b;
	*/
	for (__u32 b = 0; b < 128; b++) {
		__u8 mask = (__u8)(0x80 >> (b % 8));

		if (b < prefix && (addr[b / 8] & mask) != (net[b / 8] & mask))
			return 0;
	}
	return 1;
}

/*
 * Rule keys are sized by the length of their path (without NUL), so that a
 * short path is hashed as a short key. Lengths above 4096 cannot occur.
 */
/*@ logic integer key_class(integer len) =
      len <= 64 ? 64 : len <= 256 ? 256 : len <= 1024 ? 1024 : STK_PATH_MAX;
*/
/*@ assigns \nothing;
    ensures \result == key_class(len);
    ensures \result == 64 || \result == 256 || \result == 1024 || \result == STK_PATH_MAX;
    ensures len <= STK_PATH_MAX ==> len <= \result;
    ensures len <= 64 ==> \result == 64;
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
/*@ requires len == 0 || \valid_read(path + (0 .. len - 1));
    assigns \nothing;
    behavior no_parent:
      assumes len <= 1 || path[0] != '/';
      ensures \result == 0;
    behavior parent:
      assumes len > 1 && path[0] == '/';
      ensures 1 <= \result < len;
      ensures at_a_boundary: \result == 1 || path[\result] == '/';
      ensures the_nearest: \forall integer j; \result < j < len ==> path[j] != '/';
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE __u32 stk_path_parent_len(const char *path, __u32 len)
{
	__u32 i;

	if (len <= 1 || path[0] != '/')
		return 0;
	/*@ loop invariant 0 <= i <= len - 1;
	    loop invariant \forall integer j; i < j < len ==> path[j] != '/';
	    loop assigns i;
	    loop variant i;
	*/
	for (i = len - 1; i > 0; i--)
		if (path[i] == '/')
			return i;
	return 1;
}

/*
 * Versioned names. A shared library's file carries its full version
 * (libz.so.1.2.13), and a package upgrade renames it (libz.so.1.2.99). A
 * versioned rule names a stem, the path without some trailing ".<digits>"
 * groups, and covers the stem followed by zero or more of them: `versions:
 * /lib/libz.so.1` covers libz.so.1, libz.so.1.2 and libz.so.1.2.99, never
 * libz.so.10 or libz.so.2. The walk meets the stems of a path between the
 * path itself and its directory, longest first. This is the next one: the
 * length of the path without its last group, or 0 if its name ends in none
 * (a group is a '.' and one or more digits, after a name that stays
 * non-empty).
 */
/*@ predicate digits(char *p, integer from, integer to) =
      \forall integer j; from <= j < to ==> '0' <= p[j] <= '9';
    predicate stem_at(char *p, integer len, integer d) =
      2 <= d + 1 < len && p[d] == '.' && p[d - 1] != '/' && digits(p, d + 1, len);
*/
/*@ requires len == 0 || \valid_read(path + (0 .. len - 1));
    assigns \nothing;
    ensures a_stem: \result != 0 ==> stem_at(path, len, \result);
    ensures no_stem: \result == 0 ==> \forall integer d; 0 < d < len ==> !stem_at(path, len, d);
*/
STK_INLINE __u32 stk_version_stem_len(const char *path, __u32 len)
{
	__u32 i = len;

	/*@ loop invariant 0 <= i <= len;
	    loop invariant digits(path, i, len);
	    loop assigns i;
	    loop variant i;
	*/
	while (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
		i--;
	if (i == len || i < 2 || path[i - 1] != '.' || path[i - 2] == '/')
		return 0;
	return i - 1;
}

#endif
