/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a profile grants outright rather than by path or peer: privileges
 * (mounting, chroot, bpf(), modules, the kernel log, anonymous executable
 * memory), capabilities and socket families, and the hooks that need them.
 */
#ifndef STOCKADE_PRIVILEGES_H
#define STOCKADE_PRIVILEGES_H

/*
 * An operation that needs a privilege; where is the mount point or new root
 * it acts on (NULL for none).
 */
static int check_privilege(__u32 priv, const struct path *where)
{
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (!(s = watched(&subj, &subject)))
		return 0;
	if (!where || !dentry_path(s, BPF_CORE_READ(where, dentry), BPF_CORE_READ(where, mnt))) {
		s->ev.path[0] = 0;
		s->len = 0;
	}
	if (subj->mode == STK_MODE_RECORD) {
		record_once(s, subject, STK_EV_PRIVILEGE, priv, priv);
		return 0;
	}
	return act(s, subj, subject, STK_EV_PRIVILEGE, priv, subj->grants.privileges & priv);
}

/*
 * What a profile grants outright (a capability, a socket family), by its
 * number: recorded once per recording, else decided by allowed.
 */
static __always_inline int check_grant(__u32 type, __u32 access, __u8 proto, bool (*allowed)(const struct stk_grants *g,
									   __u32 access, __u8 proto))
{
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (!(s = watched(&subj, &subject)))
		return 0;
	s->ev.path[0] = 0;
	s->len = 0;
	s->ev.proto = proto;
	if (subj->mode == STK_MODE_RECORD) {
		record_once(s, subject, type, access, (__u64)access << 8 | proto);
		return 0;
	}
	return act(s, subj, subject, type, access, allowed(&subj->grants, access, proto));
}

static __always_inline bool family_granted(const struct stk_grants *g, __u32 family, __u8 protocol)
{
	return stk_family_allowed(g, (int)family, protocol);
}

/* A socket of a family that no peer rule can police: granted by name. */
static int check_family(int family, int protocol)
{
	/* The kernel refuses families past AF_MAX before asking the LSMs. */
	if (family < 0 || family >= STK_FAMILY_MAX)
		return 0;
	/* Only netlink is granted by protocol; one no rule can name is denied. */
	if (family != STK_AF_NETLINK)
		protocol = 0;
	else if (protocol < 0 || protocol >= STK_NETLINK_MAX)
		protocol = STK_NETLINK_MAX;
	/* unix, inet, inet6 and packet: other rules decide, nothing is recorded. */
	if (stk_family_allowed(&(struct stk_grants){}, family, protocol))
		return 0;
	return check_grant(STK_EV_SOCKET, family, protocol, family_granted);
}

/*
 * Creating a socket: raw and packet sockets need their privilege, families
 * beyond unix, inet and inet6 a socket rule.
 */
static int check_socket(int family, int type, int protocol, int kern)
{
	__u32 priv = stk_socket_privilege(family, type);

	if (kern)
		return 0;
	return priv ? check_privilege(priv, NULL) : check_family(family, protocol);
}

static __always_inline bool cap_granted(const struct stk_grants *g, __u32 cap, __u8 unused)
{
	return stk_cap_allowed(g->capabilities, (int)cap);
}

/*
 * A capability the current task uses. A check on another task's
 * credentials (has_capability() of some task, a file opener's) is not the
 * current task's to be refused, and a probe (CAP_OPT_NOAUDIT) is not
 * decided (docs/rules.md).
 */
static int check_capability(const struct cred *cred, int cap, unsigned int opts)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 held;

	if (!stk_cap_decided(opts) || cred != task->cred || cap < 0 || cap >= STK_CAP_MAX)
		return 0;
	/*
	 * Only a capability the task holds is used. (The LSM program runs only
	 * once the kernel found it held; the fentry twin runs before, and must
	 * not record what the kernel is about to refuse.)
	 */
	/* Two reads and a choice: the verifier refuses a variable stack offset. */
	held = cap < 32 ? BPF_CORE_READ(cred, cap_effective.cap[0]) : BPF_CORE_READ(cred, cap_effective.cap[1]);
	if (!((held >> (cap & 31)) & 1))
		return 0;
	return check_grant(STK_EV_CAPABILITY, cap, 0, cap_granted);
}

HOOK(sb_mount, const char *dev_name, const struct path *path, const char *type,
     unsigned long flags, void *data)
{
	return check_privilege(STK_PRIV_MOUNT, path);
}

HOOK(move_mount, const struct path *from_path, const struct path *to_path)
{
	return check_privilege(STK_PRIV_MOUNT, to_path);
}

HOOK(sb_pivotroot, const struct path *old_path, const struct path *new_path)
{
	return check_privilege(STK_PRIV_MOUNT, new_path);
}

HOOK(path_chroot, const struct path *path)
{
	/* Any task's: a cached verdict (BPF LSM's only) names the root it was reached from. */
	if (lsm)
		__sync_fetch_and_add(&roots_gen, 1);
	return check_privilege(STK_PRIV_CHROOT, path);
}

HOOK(bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	return check_privilege(STK_PRIV_BPF, NULL);
}

HOOK(kernel_read_file, struct file *file, enum kernel_read_file_id id, bool contents)
{
	return id == READING_MODULE ? check_privilege(STK_PRIV_MODULES, NULL) : 0;
}

HOOK(kernel_load_data, enum kernel_load_data_id id, bool contents)
{
	return id == LOADING_MODULE ? check_privilege(STK_PRIV_MODULES, NULL) : 0;
}

HOOK(syslog, int type)
{
	return check_privilege(STK_PRIV_SYSLOG, NULL);
}

HOOK(capable, const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts)
{
	return check_capability(cred, cap, opts);
}

HOOK(socket_create, int family, int type, int protocol, int kern)
{
	return check_socket(family, type, protocol, kern);
}

#endif /* STOCKADE_PRIVILEGES_H */
