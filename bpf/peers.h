/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers: the IP peer a socket call names (net.h decides), the netlink port
 * it aims at, and the unix socket it connects or sends to; and their hooks.
 */
#ifndef STOCKADE_PEERS_H
#define STOCKADE_PEERS_H

/* The lookup bpf/net.h's decision is proved against. */
static __always_inline const struct stk_net_rule *stk_net_lookup(const struct stk_net_key *key)
{
	return bpf_map_lookup_elem(&net_rules, key);
}

/* The peer an address of a readable form spells into ev (IPv4 as IPv4-mapped). */
static void peer_read(struct stk_event *ev, struct sockaddr *sa, enum stk_addr_form form)
{
	__u8 v4[4];

	if (form == STK_FORM_V4) {
		struct sockaddr_in *in = (void *)sa;

		bpf_probe_read_kernel(v4, sizeof(v4), &in->sin_addr);
		stk_addr_from_v4(ev->addr, v4);
		ev->port = bpf_ntohs(BPF_CORE_READ(in, sin_port));
	} else {
		/* Only the RFC 2133 part: sin6_scope_id may be missing. */
		struct sockaddr_in6 *in6 = (void *)sa;

		bpf_probe_read_kernel(ev->addr, sizeof(ev->addr), &in6->sin6_addr);
		ev->port = bpf_ntohs(BPF_CORE_READ(in6, sin6_port));
	}
}

static __u64 peer_hash(const struct stk_event *ev)
{
	__u64 h = FNV64_OFFSET;

	for (int i = 0; i < 16; i++)
		h = (h ^ ev->addr[i]) * FNV64_PRIME;
	h = (h ^ ev->port) * FNV64_PRIME;
	return (h ^ ev->proto) * FNV64_PRIME;
}

static bool peer_allowed(const struct stk_event *ev, __u32 profile, __u32 op)
{
	return stk_peer_allowed(profile, ev->proto, (__u8)op, ev->addr, ev->port);
}

/* Record, complain about or enforce op on the IP peer in s->ev. */
static int check_peer(struct scratch *s, const struct stk_subject *subj, __u64 subject,
		      __u8 proto, __u32 op)
{
	s->ev.proto = proto;
	s->ev.path[0] = 0;
	s->len = 0;
	if (subj->mode == STK_MODE_RECORD) {
		record_once(s, subject, STK_EV_NET, op, peer_hash(&s->ev));
		return 0;
	}
	return act(s, subj, subject, STK_EV_NET, op, peer_allowed(&s->ev, subj->profile, op));
}

static const char unreadable_fmt[] = "[address family %d, %d bytes]";

/*
 * An address of a form stockade does not read (and the kernel refuses): it
 * reaches no peer, so recording learns nothing; otherwise it is refused,
 * and the log says what it was.
 */
static int refuse_form(struct scratch *s, const struct stk_subject *subj, __u64 subject, __u8 proto,
		       __u32 op, int sa_family, int len)
{
	__u64 args[] = { sa_family, len };
	long n;

	if (subj->mode == STK_MODE_RECORD)
		return 0;
	__builtin_memset(s->ev.addr, 0, sizeof(s->ev.addr));
	s->ev.port = 0;
	s->ev.proto = proto;
	n = bpf_snprintf(s->ev.path, 64, unreadable_fmt, args, sizeof(args));
	s->len = n > 0 && n <= 64 ? n - 1 : 0;
	s->ev.path[s->len & 63] = 0;
	return act(s, subj, subject, STK_EV_NET, op, false);
}

/* A netlink message to anything but the kernel needs netlink-send. */
static int check_netlink(struct sockaddr *sa, int len, __u32 op)
{
	struct sockaddr_nl nl = {};
	__u32 priv;

	if (len > 0)
		bpf_probe_read_kernel(&nl, sizeof(nl), sa);
	priv = stk_netlink_privilege(op, len, nl.nl_family, nl.nl_pid, nl.nl_groups);
	return priv ? check_privilege(priv, NULL) : 0;
}

/*
 * Record, complain about or enforce a socket call naming an address: an IP
 * peer in every form the kernel reads, or a netlink port.
 */
static int check_net(struct socket *sock, struct sockaddr *sa, int len, __u32 op)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	int family = BPF_CORE_READ(sk, __sk_common.skc_family), proto = BPF_CORE_READ(sk, sk_protocol);
	const struct stk_subject *subj;
	enum stk_addr_form form;
	__u16 sa_family = 0;
	struct scratch *s;
	__u64 subject;

	if (family == STK_AF_NETLINK)
		return check_netlink(sa, len, op);
	if (!(s = watched(&subj, &subject)))
		return 0;
	if (len > 0)
		bpf_probe_read_kernel(&sa_family, sizeof(sa_family), &sa->sa_family);
	/*
	 * A granted family that takes IP addresses itself (AF_SMC, AF_RDS)
	 * reaches IP peers all the same: its address is read by its own family.
	 */
	if (family != AF_INET && family != AF_INET6)
		family = sa_family;
	form = stk_addr_form(family, proto, op, sa_family, len);
	if (form == STK_FORM_REFUSED)
		return refuse_form(s, subj, subject, proto, op, sa_family, len);
	if (form != STK_FORM_V4 && form != STK_FORM_V6)
		return 0;
	peer_read(&s->ev, sa, form);
	return check_peer(s, subj, subject, proto, op);
}

/*
 * An IP socket's own end (local) or the one it is connected to, into ev
 * (IPv4 as IPv4-mapped).
 */
static __always_inline void sock_end(struct stk_event *ev, struct sock_common *sk, __u16 family,
				     bool local)
{
	__u8 v4[4];

	if (family == AF_INET) {
		bpf_probe_read_kernel(v4, sizeof(v4), local ? &sk->skc_rcv_saddr : &sk->skc_daddr);
		stk_addr_from_v4(ev->addr, v4);
	} else {
		bpf_probe_read_kernel(ev->addr, sizeof(ev->addr),
				      local ? &sk->skc_v6_rcv_saddr : &sk->skc_v6_daddr);
	}
	ev->port = local ? BPF_CORE_READ(sk, skc_num) : bpf_ntohs(BPF_CORE_READ(sk, skc_dport));
}

/*
 * listen() is checked as a bind of the socket's local address and port as
 * they are then: an unbound socket gets its ephemeral port only after this
 * hook, so it listens as 0.0.0.0:0 (or [::]:0), which a bind rule must allow.
 */
static int check_listen(struct socket *sock)
{
	struct sock_common *sk = (struct sock_common *)BPF_CORE_READ(sock, sk);
	const struct stk_subject *subj;
	__u16 family = BPF_CORE_READ(sk, skc_family);
	struct scratch *s;
	__u64 subject;

	if ((family != AF_INET && family != AF_INET6) || !(s = watched(&subj, &subject)))
		return 0;
	sock_end(&s->ev, sk, family, true);
	return check_peer(s, subj, subject, BPF_CORE_READ(sock, sk, sk_protocol), STK_NET_BIND);
}

/* The destination a sendmsg() names, if any (unconnected UDP, TCP fast open). */
static int check_send(struct socket *sock, struct msghdr *msg)
{
	struct sockaddr *name = BPF_CORE_READ(msg, msg_name);

	return name ? check_net(sock, name, BPF_CORE_READ(msg, msg_namelen), STK_NET_SEND) : 0;
}

/*
 * Connecting (stream) or sending (datagram) to another unix socket. One never
 * bound has no name, and the only way to reach it is as the other end of a
 * socketpair(): a channel the subject made or was handed, like a pipe, that
 * no rule can name and no one can be reached through by name. Its traffic is
 * no file access; a descriptor sent over it is checked where it is received.
 */
static int check_unix(struct sock *other)
{
	struct unix_sock *u = (struct unix_sock *)other;
	struct unix_address *addr = BPF_CORE_READ(u, addr);
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (!addr || !(s = watched(&subj, &subject)))
		return 0;
	return check_access(s, subj, subject, STK_ACC_CONNECT, unix_name(s, u, addr));
}

HOOK(socket_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	return check_net(sock, address, addrlen, STK_NET_CONNECT);
}

HOOK(socket_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	return check_net(sock, address, addrlen, STK_NET_BIND);
}

HOOK(socket_listen, struct socket *sock, int backlog)
{
	return check_listen(sock);
}

HOOK(socket_sendmsg, struct socket *sock, struct msghdr *msg, int size)
{
	return check_send(sock, msg);
}

HOOK(unix_stream_connect, struct sock *sock, struct sock *other, struct sock *newsk)
{
	return check_unix(other);
}

HOOK(unix_may_send, struct socket *sock, struct socket *other)
{
	return check_unix(BPF_CORE_READ(other, sk));
}

#endif /* STOCKADE_PEERS_H */
