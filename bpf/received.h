/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A descriptor passed in (SCM_RIGHTS, pidfd_getfd()) is checked as if the
 * task had opened it, or made and aimed the socket, itself; and its hook.
 */
#ifndef STOCKADE_RECEIVED_H
#define STOCKADE_RECEIVED_H

/*
 * An IP socket passed in is checked as if made here: a listening one as
 * listen() is (a bind of its local address), a connected one as a connect()
 * to its peer. One with neither (unconnected UDP) names no peer yet.
 */
static int check_received_ip(struct socket *sock)
{
	struct sock_common *sk = (struct sock_common *)BPF_CORE_READ(sock, sk);
	__u16 family = BPF_CORE_READ(sk, skc_family);
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (BPF_CORE_READ(sk, skc_state) == TCP_LISTEN)
		return check_listen(sock);
	if ((family != AF_INET && family != AF_INET6) || !BPF_CORE_READ(sk, skc_dport) ||
	    !(s = watched(&subj, &subject)))
		return 0;
	sock_end(&s->ev, sk, family, false);
	return check_peer(s, subj, subject, BPF_CORE_READ(sock, sk, sk_protocol), STK_NET_CONNECT);
}

/* A netlink socket passed in is checked as the connect() that aimed it. */
static int check_received_netlink(struct socket *sock)
{
	struct netlink_sock *nlk = (struct netlink_sock *)BPF_CORE_READ(sock, sk);
	__u32 priv;

	if (BPF_CORE_READ(nlk, sk.__sk_common.skc_family) != STK_AF_NETLINK)
		return 0;
	priv = stk_netlink_privilege(STK_NET_CONNECT, STK_SOCKADDR_NL_LEN, STK_AF_NETLINK,
				     BPF_CORE_READ(nlk, dst_portid), BPF_CORE_READ(nlk, dst_group));
	return priv ? check_privilege(priv, NULL) : 0;
}

/* A descriptor passed in (SCM_RIGHTS, pidfd_getfd): checked as if opened here. */
static __always_inline int on_file_receive(struct file *file)
{
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *mnt = BPF_CORE_READ(file, f_path.mnt);
	const struct stk_subject *subj;
	struct socket *sock;
	struct scratch *s;
	__u64 subject;

	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) == S_IFSOCK) {
		sock = BPF_CORE_READ(file, private_data);
		return check_family(BPF_CORE_READ(sock, sk, __sk_common.skc_family),
				    BPF_CORE_READ(sock, sk, sk_protocol)) ?:
		       check_received_ip(sock) ?: check_received_netlink(sock);
	}
	/* Pipes, anonymous inodes and memfds have no name a file rule could give. */
	if (BPF_CORE_READ(dentry, d_parent) == dentry && dentry != BPF_CORE_READ(mnt, mnt_root))
		return 0;
	if (!(s = watched(&subj, &subject)))
		return 0;
	return check_access(s, subj, subject, file_access(file), dentry_path(s, dentry, mnt));
}

HOOK(file_receive, struct file *file)
{
	return on_file_receive(file);
}

#endif /* STOCKADE_RECEIVED_H */
