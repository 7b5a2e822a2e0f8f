/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming what a hook acts on, into the scratch event: a file by
 * bpf_d_path() where the kernel allows it, else by walking its dentries the
 * way d_path() does; one with no name by its last component; the task's
 * executable; a unix socket; and /proc/<pid>/... as a rule can name it.
 */
#ifndef STOCKADE_NAMING_H
#define STOCKADE_NAMING_H

#define UNIX_NAME_MAX 127 /* a mask above the 107 bytes an abstract name can have */

#define UNNAMED_PREFIX "[unnamed: "
#define UNNAMED_PREFIX_LEN (sizeof(UNNAMED_PREFIX) - 1)

/*
 * What a file we cannot name shows in its event instead of a path: its last
 * component, bracketed so that no one takes it for a path (nor can a rule
 * name it: rules name absolute paths). Returns false, for the namers' failure.
 */
static bool unnamed(struct scratch *s, struct dentry *dentry)
{
	struct qstr q = BPF_CORE_READ(dentry, d_name);
	__u32 n = q.len > NAME_MAX ? NAME_MAX : q.len;

	__builtin_memcpy(s->ev.path, UNNAMED_PREFIX, UNNAMED_PREFIX_LEN);
	n &= NAME_MAX;
	bpf_probe_read_kernel(&s->ev.path[UNNAMED_PREFIX_LEN], n, q.name);
	s->ev.path[UNNAMED_PREFIX_LEN + n] = ']';
	s->ev.path[UNNAMED_PREFIX_LEN + n + 1] = 0;
	s->len = UNNAMED_PREFIX_LEN + n + 1;
	return false;
}

/* The path of a file, into s->ev.path; false if it has none we can name. */
static bool path_of(struct scratch *s, const struct path *path)
{
	long n = bpf_d_path((struct path *)path, s->ev.path, STK_PATH_MAX);

	if (n <= 1 || n > STK_PATH_MAX)
		return unnamed(s, BPF_CORE_READ(path, dentry));
	s->len = n - 1;
	return true;
}

/*
 * One step of naming a dentry the way d_path() does, for hooks where the
 * kernel refuses bpf_d_path() (6.1's path_* hooks are not sleepable): prepend
 * "/name" and move to the parent, or cross from a mount's root to where it is
 * mounted, until the task's root or the namespace's.
 */
static long name_step(__u32 i, void *ctx)
{
	struct scratch *s = scratch_get();
	struct dentry *d, *parent;
	struct mount *m, *up;
	struct qstr q;
	__u32 start;

	if (!s)
		return 1;
	d = (struct dentry *)s->walk.dentry;
	m = (struct mount *)s->walk.mnt;
	if (s->walk.dentry == s->walk.root_dentry &&
	    (__u64)m + bpf_core_field_offset(struct mount, mnt) == s->walk.root_mnt) {
		s->walk.done = true;
		return 1;
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (d == parent || d == BPF_CORE_READ(m, mnt.mnt_root)) {
		up = BPF_CORE_READ(m, mnt_parent);
		if (up == m) {
			s->walk.done = true;
			return 1;
		}
		s->walk.dentry = (__u64)BPF_CORE_READ(m, mnt_mountpoint);
		s->walk.mnt = (__u64)up;
		return 0;
	}
	q = BPF_CORE_READ(d, d_name);
	start = s->walk.start;
	if (q.len == 0 || q.len > NAME_MAX || start < q.len + 1)
		return 1; /* too long to name: walk.done stays false */
	start -= q.len;
	barrier_var(start);
	start &= STK_PATH_MAX - 1;
	bpf_probe_read_kernel(&s->key.path[start], q.len & NAME_MAX, q.name);
	s->key.path[(start - 1) & (STK_PATH_MAX - 1)] = '/';
	s->walk.start = start - 1;
	s->walk.dentry = (__u64)parent;
	return 0;
}

/*
 * Name dentry under mount mnt into key.path[walk.start, STK_PATH_MAX - 1),
 * NUL-terminated; returns its length, or 0 if it cannot be named.
 */
static __u32 walk_name(struct scratch *s, struct dentry *dentry, struct vfsmount *mnt)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 len;

	s->walk.dentry = (__u64)dentry;
	s->walk.mnt = (__u64)mnt - bpf_core_field_offset(struct mount, mnt);
	s->walk.root_dentry = (__u64)BPF_CORE_READ(task, fs, root.dentry);
	s->walk.root_mnt = (__u64)BPF_CORE_READ(task, fs, root.mnt);
	s->walk.start = STK_PATH_MAX - 1;
	s->walk.done = false;
	bpf_loop(STK_PATH_MAX / 2, name_step, NULL, 0);
	if (!s->walk.done)
		return 0;
	len = STK_PATH_MAX - 1 - s->walk.start;
	if (len == 0) {
		s->key.path[STK_PATH_MAX - 2] = '/';
		s->walk.start = STK_PATH_MAX - 2;
		len = 1;
	}
	s->key.path[STK_PATH_MAX - 1] = 0;
	return len;
}

/* The path of dentry under mount mnt, into s->ev.path; false if unnameable. */
static bool dentry_path(struct scratch *s, struct dentry *dentry, struct vfsmount *mnt)
{
	__u32 len = walk_name(s, dentry, mnt);

	if (!len)
		return unnamed(s, dentry);
	barrier_var(len);
	len &= STK_PATH_MAX - 1; /* a no-op (start >= 0), for the verifier */
	bpf_probe_read_kernel(s->ev.path, len + 1, &s->key.path[s->walk.start & (STK_PATH_MAX - 1)]);
	s->len = len;
	return true;
}

/* The current task's executable into s->ev.exe, "" if unknown or too long. */
static void exe_of(struct scratch *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	__u32 len;

	s->ev.exe[0] = 0;
	if (!exe)
		return;
	len = walk_name(s, BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt));
	if (!len || len >= STK_EXE_MAX)
		return;
	barrier_var(len);
	len &= STK_EXE_MAX - 1;
	bpf_probe_read_kernel(s->ev.exe, len + 1, &s->key.path[s->walk.start & (STK_PATH_MAX - 1)]);
}

/* The name a path hook creates or removes: dentry in the directory dir. */
static bool name_of(struct scratch *s, const struct path *dir, struct dentry *dentry)
{
	return dentry_path(s, dentry, BPF_CORE_READ(dir, mnt));
}

/*
 * What a unix socket's event shows when its address holds no name a rule
 * could give: the empty abstract name, or one longer than sun_path allows.
 */
static bool unnamed_socket(struct scratch *s)
{
#define UNNAMED_SOCKET UNNAMED_PREFIX "unix socket]"
	__builtin_memcpy(s->ev.path, UNNAMED_SOCKET, sizeof(UNNAMED_SOCKET));
	s->len = sizeof(UNNAMED_SOCKET) - 1;
#undef UNNAMED_SOCKET
	return false;
}

/* A bound unix socket's name: its path, or "@name" for an abstract one. */
static bool unix_name(struct scratch *s, struct unix_sock *u, struct unix_address *addr)
{
	struct dentry *dentry = BPF_CORE_READ(u, path.dentry);
	int n;

	if (dentry)
		return dentry_path(s, dentry, BPF_CORE_READ(u, path.mnt));
	/* len counts sun_family and the leading NUL of an abstract name. */
	n = BPF_CORE_READ(addr, len) - (int)sizeof(__u16) - 1;
	if (n <= 0 || n > UNIX_NAME_MAX)
		return unnamed_socket(s);
	s->ev.path[0] = '@';
	bpf_probe_read_kernel(&s->ev.path[1], n & UNIX_NAME_MAX, &addr->name[0].sun_path[1]);
	s->ev.path[(1 + n) & UNIX_NAME_MAX] = 0;
	s->len = 1 + n;
	return true;
}

#define PROC_PID_DIGITS 10 /* a u32 in decimal */

/* Whether a /proc/PID/... file is about a task of the given subject. */
static bool proc_file_of(struct file *file, __u64 subject)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct hlist_node *first;
	struct proc_inode *pi;
	struct pid *pid;

	if (!inode || BPF_CORE_READ(inode, i_sb, s_magic) != PROC_SUPER_MAGIC)
		return false;
	pi = container_of(inode, struct proc_inode, vfs_inode);
	pid = BPF_CORE_READ(pi, pid);
	first = pid ? BPF_CORE_READ(pid, tasks[PIDTYPE_PID].first) : NULL;
	return first && task_subject(container_of(first, struct task_struct, pid_links[PIDTYPE_PID])) == subject;
}

/*
 * Name /proc/<own pid>/... as /proc/self/..., and /proc/<pid>/... of another
 * task of the same subject (of_subject) as /proc/@subject/...: the pids
 * differ every run and a rule cannot name them. /proc/self is what the
 * program opened anyway; a service's own processes reading each other's
 * entries (pg_ctlcluster checking its postmaster's cmdline) is the service's
 * business, and any other pid keeps its number. The tail moves by a few
 * bytes, bounced through the (not yet used) rule key. Pids are compared in
 * the initial pid namespace only.
 */
static __noinline void proc_self(struct scratch *s, bool of_subject)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, pid = 0, n, tail, size;
	char *p = s->ev.path;
	bool own;

	if (s->len < 7 || s->len >= STK_PATH_MAX || p[0] != '/' || p[1] != 'p' || p[2] != 'r' ||
	    p[3] != 'o' || p[4] != 'c' || p[5] != '/')
		return;
	for (n = 0; n < PROC_PID_DIGITS; n++) {
		char c = p[6 + n];

		if (c < '0' || c > '9')
			break;
		pid = pid * 10 + (__u32)(c - '0');
	}
	own = pid == tgid;
	if (n == 0 || n == PROC_PID_DIGITS || !(own || of_subject) || (p[6 + n] != '/' && p[6 + n] != 0))
		return;
	tail = s->len - 6 - n; /* from the '/' after the pid, without the NUL */
	if (tail >= STK_PATH_MAX - 16)
		return;
	size = tail + 1;
	/* Bound the very register passed as the size, for the verifier. */
	barrier_var(size);
	size &= STK_PATH_MAX - 1;
	bpf_probe_read_kernel(s->key.path, size, p + 6 + n);
	if (own) {
		__builtin_memcpy(p + 6, "self", 4);
		bpf_probe_read_kernel(p + 10, size, s->key.path);
		s->len = 10 + tail;
	} else {
		__builtin_memcpy(p + 6, "@subject", 8);
		bpf_probe_read_kernel(p + 14, size, s->key.path);
		s->len = 14 + tail;
	}
}

#endif /* STOCKADE_NAMING_H */
