/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other tasks: signalling or tracing one (and stockade's daemon, which no
 * confined task may touch), and moving one to another cgroup; and their
 * hooks.
 */
#ifndef STOCKADE_TASKS_H
#define STOCKADE_TASKS_H

/*
 * Tracing or signalling another task. Stockade's daemon no confined task
 * may touch, whatever its profile says (logged as tampering); a task of
 * another subject, or of none, only with the privilege (priv 0: nothing
 * needed).
 */
static int check_other_task(struct task_struct *target, __u32 priv)
{
	__u32 tgid = BPF_CORE_READ(target, tgid);
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;
	long n;

	if (!(s = watched(&subj, &subject)))
		return 0;
	s->ev.path[0] = 0;
	s->len = 0;
	if (bpf_map_lookup_elem(&protected, &tgid))
		return act(s, subj, subject, STK_EV_PRIVILEGE, STK_PRIV_TAMPER, 0);
	if (!(priv = stk_peer_privilege(subject, target_subject(target), priv)))
		return 0;
	/* The target's name, for the log (record mode stores only the privilege). */
	n = bpf_probe_read_kernel_str(s->ev.path, STK_COMM_LEN, target->comm);
	s->len = n > 0 ? n - 1 : 0;
	s->ev.path[s->len & (STK_COMM_LEN - 1)] = 0;
	if (subj->mode == STK_MODE_RECORD) {
		record_once(s, subject, STK_EV_PRIVILEGE, priv, priv);
		return 0;
	}
	return act(s, subj, subject, STK_EV_PRIVILEGE, priv, subj->grants.privileges & priv);
}

/*
 * A move of a task to another cgroup (writing cgroup.procs or
 * cgroup.threads, clone3() with CLONE_INTO_CGROUP): the kernel asks for
 * write permission on that file of the cgroup moved to, or of the common
 * ancestor of both. A confined task may move tasks only within its own
 * subject; leaving it is never granted (docs/rules.md).
 */
static int check_cgroup_move(struct inode *inode)
{
	char name[STK_CGROUP_FILE_NAME] = {};
	struct kernfs_node *kn, *dir;
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;
	long n;

	/* Plain loads, not probe reads: every write permission on any file gets here. */
	if (inode->i_sb->s_magic != CGROUP2_SUPER_MAGIC)
		return 0;
	kn = BPF_CORE_READ(inode, i_private);
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(kn, name));
	if (!stk_cgroup_move_file(name) || !(s = watched(&subj, &subject)))
		return 0;
	dir = BPF_CORE_READ(kn, parent);
	if (subject_of(BPF_CORE_READ(dir, priv), (__u32)bpf_get_current_uid_gid()) == subject)
		return 0;
	/* The cgroup's own name, for the log. */
	n = bpf_probe_read_kernel_str(s->ev.path, NAME_MAX + 1, BPF_CORE_READ(dir, name));
	s->len = n > 0 ? n - 1 : 0;
	s->ev.path[s->len & NAME_MAX] = 0;
	return act(s, subj, subject, STK_EV_PRIVILEGE, STK_PRIV_LEAVE_SUBJECT, 0);
}

HOOK(task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig, const struct cred *cred)
{
	/* cred: sent for another task's credentials (USB async I/O), not ours. */
	return cred ? 0 : check_other_task(p, STK_PRIV_SIGNAL);
}

HOOK_NAMED(ptrace, ptrace_access_check, struct task_struct *child, unsigned int mode)
{
	return check_other_task(child, stk_ptrace_privilege(mode));
}

/*
 * The hottest hook of all: only a write permission asked on cgroupfs counts.
 * No fentry twin: a move out of the subject is refused or complained
 * about, never recorded (no profile can grant it).
 */
SEC("lsm/inode_permission")
int BPF_PROG(stockade_inode_permission, struct inode *inode, int mask, int ret)
{
	return ret ?: (mask & MAY_WRITE) ? check_cgroup_move(inode) : 0;
}

#endif /* STOCKADE_TASKS_H */
