/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files: what an open, a mapping or a change of names asks, the path's rule
 * walk (walk.h) reaching the rule maps, and recording, complaining about or
 * enforcing each access; and their hooks.
 */
#ifndef STOCKADE_FILES_H
#define STOCKADE_FILES_H

/* The accesses an open file is for, as rules name them. */
static __always_inline __u32 file_access(struct file *file)
{
	__u32 fmode = file->f_mode, acc = 0;

	if (fmode & FMODE_READ)
		acc |= STK_ACC_READ;
	if (fmode & FMODE_WRITE)
		acc |= (file->f_flags & O_APPEND) ? STK_ACC_APPEND : STK_ACC_WRITE;
	if ((fmode & FMODE_EXEC) || (file->f_flags & __FMODE_EXEC))
		acc |= STK_ACC_EXEC;
	return acc;
}

/* One step of path_hash(): FNV-1a over s->ev.path. */
static long hash_step(__u32 i, void *ctx)
{
	struct scratch *s = scratch_get();

	if (!s || i >= s->len)
		return 1;
	s->hash = (s->hash ^ (__u8)s->ev.path[i & (STK_PATH_MAX - 1)]) * FNV64_PRIME;
	return 0;
}

static __always_inline __u64 path_hash(struct scratch *s)
{
	s->hash = FNV64_OFFSET;
	bpf_loop(s->len, hash_step, NULL, 0);
	return s->hash;
}

static bool record_access(struct scratch *s, __u64 subject, __u32 access)
{
	return record_once(s, subject, STK_EV_FILE, access, path_hash(s));
}

/*
 * Is this refusal the thread's last one again: the same file, no access
 * it was not just refused, within a second? bash, when execve() of a
 * program fails, opens the program to read its first line and explain the
 * failure; that read is the same refused launch, so it is refused without
 * a second log line or count. Any other refusal becomes the thread's last.
 */
static bool repeated_denial(struct scratch *s, __u32 access)
{
	__u64 thread = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct last_denial fresh = { .hash = path_hash(s), .access = access, .at = now };
	struct last_denial *last = bpf_map_lookup_elem(&last_denials, &thread);

	if (last && last->hash == fresh.hash && !(access & ~last->access) && now - last->at < REPEAT_NS)
		return true;
	bpf_map_update_elem(&last_denials, &thread, &fresh, BPF_ANY);
	return false;
}

/* What walk.h declares and the walk reaches the kernel through. */
STK_INLINE const struct stk_rule *stk_rule_lookup(const struct stk_walk_key *key, __u32 len)
{
	switch (stk_key_class(len)) {
	case 64:
		return bpf_map_lookup_elem(&rules_64, key);
	case 256:
		return bpf_map_lookup_elem(&rules_256, key);
	case 1024:
		return bpf_map_lookup_elem(&rules_1024, key);
	default:
		return bpf_map_lookup_elem(&rules_4096, key);
	}
}

STK_INLINE void stk_copy(char *dst, const char *src, __u32 n)
{
	bpf_probe_read_kernel(dst, n, src);
}

static const char zeros[STK_PATH_MAX];

STK_INLINE void stk_zero(char *buf, __u32 from, __u32 n)
{
	bpf_probe_read_kernel(buf + from, n, zeros);
}

/*
 * path_allowed() walks s->len bytes of s->ev.path with s->match and s->key;
 * ctx is stk_walk()'s position.
 */
static long stk_stem_cb(__u32 j, void *ctx)
{
	struct scratch *s = scratch_get();

	return s ? stk_stem_step(&s->match, &s->key, ctx, s->len) : 1;
}

static long stk_walk_up_cb(__u32 j, void *ctx)
{
	struct scratch *s = scratch_get();

	return s ? stk_walk_up(&s->match, &s->key, ctx, s->len) : 1;
}

/* Does the subject's profile allow this access to s->ev.path? */
static bool path_allowed(struct scratch *s, __u32 profile, __u32 access)
{
	return stk_walk(&s->match, &s->key, s->ev.path, s->len, profile, access);
}

/* Record, complain about or enforce one access to the path in s->ev.path. */
static int check_access(struct scratch *s, const struct stk_subject *subj, __u64 subject,
			__u32 access, bool named)
{
	s->settled = false;
	if (!named) {
		/*
		 * A path we cannot name cannot be allowed by name. Its event
		 * (ev.path is what unnamed() could tell) still says what was
		 * refused, or recorded: the learner reports that no rule can
		 * name it, rather than it going unseen.
		 */
		counter_inc(STK_CNT_PATH_ERRORS);
		if (subj->mode == STK_MODE_RECORD) {
			record_access(s, subject, access);
			return 0;
		}
		return act(s, subj, subject, STK_EV_FILE, access, false);
	}
	proc_self(s, false);
	if (subj->mode == STK_MODE_RECORD) {
		s->settled = record_access(s, subject, access);
		return 0;
	}
	s->settled = path_allowed(s, subj->profile, access);
	if (!s->settled && repeated_denial(s, access))
		return subj->mode == STK_MODE_ENFORCE ? -EPERM : 0;
	return act(s, subj, subject, STK_EV_FILE, access, s->settled);
}

/* An access to a name under dir, by the current task: 0 or -EPERM. */
static int check_name(const struct path *dir, struct dentry *dentry, __u32 access)
{
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (!(s = watched(&subj, &subject)))
		return 0;
	return check_access(s, subj, subject, access, name_of(s, dir, dentry));
}

/*
 * An open: answered from the verdict cache on the file's inode where cached
 * (BPF LSM only) and a verdict there still holds, else named and checked.
 */
static __always_inline int on_file_open(struct file *file, bool cached)
{
	/* Before the subject is looked up: a verdict is as old as this. */
	__u32 gen = subjects_gen, access = file_access(file);
	/* No later than the counts in the key. */
	__u64 subject, born = cached ? verdict_clock() : 0;
	struct task_struct *task = bpf_get_current_task_btf();
	const struct stk_subject *subj = NULL;
	struct stk_subject entry;
	struct subject_ask ask;
	struct verdict_key key;
	struct scratch *s = NULL;
	bool named;
	int ret;

	/*
	 * A repeated open is settled by the subject's id and the file's inode
	 * alone: the subject cache's answer, without resolving a miss. The
	 * scratch memory is looked up only when the file must be named. A task
	 * of no cgroup subject goes the whole way while user subjects exist
	 * (its subject is its uid's).
	 */
	if (!cached || !stk_subject_peek(task, gen, &ask, &subject, &entry) || (!subject && user_subjects)) {
		if (!(s = watched(&subj, &subject)))
			return 0;
	} else if (!subject) {
		return 0; /* in no subject, as stk_judge() would answer */
	}
	cached = cached && verdict_key_take(&key, task, &file->f_path, subject, gen);
	if (cached && verdict_settled(&file->f_path, &key, access)) {
		counter_inc(STK_CNT_CACHED);
		return 0;
	}
	if (!s && !(s = watched(&subj, &subject)))
		return 0;
	/* The subjects changed since the peek: decide, but remember nothing. */
	cached = cached && key.subject == subject;
	named = path_of(s, &file->f_path);
	/* Only an open has the file, and so the task, behind a /proc/PID path. */
	if (named)
		proc_self(s, proc_file_of(file, subject));
	ret = check_access(s, subj, subject, access, named);
	if (cached && s->settled)
		verdict_remember(&file->f_path, &key, born, access, subj->mode == STK_MODE_RECORD);
	return ret;
}

/* Mapping a file executable runs its code as surely as execve() does. */
static __always_inline int on_exec_mapping(struct file *file, bool sleepable)
{
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;
	bool named;

	if (!(s = watched(&subj, &subject)))
		return 0;
	/* bpf_d_path() only in sleepable hooks; elsewhere the dentry walk. */
	named = sleepable ? path_of(s, &file->f_path)
			  : dentry_path(s, file->f_path.dentry, file->f_path.mnt);
	return check_access(s, subj, subject, STK_ACC_EXEC, named);
}

/*
 * Memory made executable: a file's code is an exec of that file, code from
 * no file (a JIT's) needs anon-exec.
 */
static __always_inline int on_mapping(struct file *file, unsigned long prot, bool was_exec,
				      bool sleepable)
{
	switch (stk_exec_mapping(file != NULL, prot, was_exec)) {
	case STK_EXEC_FILE:
		return on_exec_mapping(file, sleepable);
	case STK_EXEC_ANON:
		return check_privilege(STK_PRIV_ANON_EXEC, NULL);
	default:
		return 0;
	}
}

static __always_inline int on_path_truncate(const struct path *path)
{
	const struct stk_subject *subj;
	struct scratch *s;
	__u64 subject;

	if (!(s = watched(&subj, &subject)))
		return 0;
	return check_access(s, subj, subject, STK_ACC_WRITE,
			    dentry_path(s, BPF_CORE_READ(path, dentry), BPF_CORE_READ(path, mnt)));
}

/*
 * A rename removes the old name and creates the new one; replacing an
 * existing file removes that one too, and an exchange does both both ways.
 */
static __always_inline int on_path_rename(const struct path *old_dir, struct dentry *old_dentry,
					  const struct path *new_dir, struct dentry *new_dentry,
					  unsigned int flags)
{
	__u32 to_new = STK_ACC_CREATE, to_old = STK_ACC_UNLINK;

	if (flags & RENAME_EXCHANGE)
		to_new = to_old = STK_ACC_CREATE | STK_ACC_UNLINK;
	else if (BPF_CORE_READ(new_dentry, d_inode))
		to_new |= STK_ACC_UNLINK;
	return check_name(old_dir, old_dentry, to_old) ?: check_name(new_dir, new_dentry, to_new);
}

/* Not sleepable: the verdict cache takes a spin lock. bpf_d_path() is allowed all the same. */
HOOK(file_open, struct file *file)
{
	/* The verdict cache is inode storage, which is BPF LSM's alone. */
	return on_file_open(file, lsm);
}

/*
 * security_mmap_file() is given only the protection asked for; the hook
 * also gets the one the kernel applies (READ_IMPLIES_EXEC adds PROT_EXEC),
 * which the twin cannot know and takes to be the same.
 */
HOOK_SLEEPABLE_ADAPTED(mmap_file, (struct file *file, unsigned long prot, unsigned long flags),
		       (file, prot, prot, flags),
		       struct file *file, unsigned long reqprot, unsigned long prot, unsigned long flags)
{
	return on_mapping(file, prot, false, sleepable);
}

HOOK(file_mprotect, struct vm_area_struct *vma, unsigned long reqprot, unsigned long prot)
{
	return on_mapping(vma->vm_file, prot, vma->vm_flags & VM_EXEC, sleepable);
}

HOOK(path_truncate, const struct path *path)
{
	return on_path_truncate(path);
}

HOOK(path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode, unsigned int dev)
{
	return check_name(dir, dentry, STK_ACC_CREATE);
}

HOOK(path_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode)
{
	return check_name(dir, dentry, STK_ACC_CREATE);
}

HOOK(path_symlink, const struct path *dir, struct dentry *dentry, const char *old_name)
{
	return check_name(dir, dentry, STK_ACC_CREATE);
}

HOOK(path_unlink, const struct path *dir, struct dentry *dentry)
{
	return check_name(dir, dentry, STK_ACC_UNLINK);
}

HOOK(path_rmdir, const struct path *dir, struct dentry *dentry)
{
	return check_name(dir, dentry, STK_ACC_UNLINK);
}

/*
 * A hard link gives the old file a new name, and the old name's path is not
 * at hand (only its dentry): the new name must allow "link" outright.
 */
HOOK(path_link, struct dentry *old_dentry, const struct path *new_dir, struct dentry *new_dentry)
{
	return check_name(new_dir, new_dentry, STK_ACC_LINK);
}

HOOK(path_rename, const struct path *old_dir, struct dentry *old_dentry,
     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags)
{
	return on_path_rename(old_dir, old_dentry, new_dir, new_dentry, flags);
}

#endif /* STOCKADE_FILES_H */
