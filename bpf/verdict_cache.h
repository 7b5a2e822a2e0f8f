/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict cache: what a subject may do with a file, remembered on the
 * file's inode (BPF inode storage), so that opening the same file again
 * costs a lookup instead of naming it with bpf_d_path() and walking its
 * rules. Included by stockade.bpf.c, after its constants (S_IFMT); only BPF
 * LSM programs may use it (inode storage is theirs alone on 6.1).
 *
 * A verdict is a function of the path the kernel would print for the file
 * and of the subject's profile. A slot is used only while everything that
 * path and that profile depend on is provably unchanged (docs/rules.md,
 * "The verdict cache"):
 *   - the inode has one name: a directory, or a file with one link, reached
 *     through a connected, hashed dentry, or the root of its mount; not in
 *     /proc, whose paths stockade rewrites per task, nor where a name can
 *     change without a dentry moving (NFS, FUSE: revalidated dentries);
 *   - the same mount, and the same root for the task (pointers, whose reuse
 *     needs a chroot, counted in roots_gen, or a mount change, below);
 *   - no dentry moved anywhere: rename_lock's sequence count, which d_move()
 *     advances after every rename and which d_path() itself relies on;
 *   - no mount changed anywhere: mount_lock's sequence count, likewise;
 *   - the same subject, profile and mode: subjects_gen, which user space
 *     advances after every change of either;
 *   - at most VERDICT_TTL_JIFFIES old, so that no 32-bit count can wrap
 *     around to the value a slot holds: 2^31 renames (or mount changes),
 *     each a write section of one global seqlock, take far longer.
 * Each count is read before the path is named and stored with the verdict,
 * so a change racing with the naming leaves a slot that never matches.
 */
#ifndef STOCKADE_VERDICT_CACHE_H
#define STOCKADE_VERDICT_CACHE_H

#define VERDICT_SLOTS 4 /* subjects remembered per inode (a power of 2) */
#define VERDICT_RECORDED 4 /* access values a slot remembers as recorded */
/* 60 s at HZ=250, 150 s at HZ=100: far too soon for a count to wrap (below). */
#define VERDICT_TTL_JIFFIES 15000
#define PROC_SUPER_MAGIC 0x9fa0
#define DCACHE_OP_REVALIDATE 0x4
#define DCACHE_DISCONNECTED 0x20
#define DCACHE_OP_WEAK_REVALIDATE 0x800
#define S_IFDIR 0040000

/* The kernel's seqlocks behind d_path(); absent (0) if kallsyms hides them. */
extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

/* Bumped at every chroot(), by any task: the only other way a root changes. */
__u32 roots_gen SEC(".data.roots");

/* What a verdict was reached under; a slot matches only an identical key. */
struct verdict_key {
	__u64 subject;
	__u64 mnt;                    /* the mount the file is reached through */
	__u64 root_dentry, root_mnt;  /* the task's root, where its paths begin */
	__u32 subjects_gen;           /* the subject's profile and mode */
	__u32 roots_gen;
	__u32 renames;                /* rename_lock's sequence count */
	__u32 mounts;                 /* mount_lock's sequence count */
};

struct verdict_slot {
	__u32 seq;       /* odd while a writer changes the slot */
	__u32 pad0;
	struct verdict_key key;
	__u64 born;      /* verdict_clock() when the key was taken */
	__u8 allowed;    /* access bits the profile allows (each bit is decided alone) */
	/*
	 * Record mode: access values already in the recording, the latest
	 * first, 0 for none; a few, so that a file opened one way and another
	 * in turn (read, then read-write) is not named at each open.
	 */
	__u8 recorded[VERDICT_RECORDED];
	__u8 pad[3];
};

/*
 * Writers take the lock; a reader takes nothing, and keeps what it read only
 * if the slot's seq was even and the same before and after (a seqcount: on
 * x86, loads are not reordered with loads nor stores with stores, so the
 * compiler barriers suffice, as they do for the kernel's own seqcounts).
 */
struct verdict_cache {
	struct bpf_spin_lock lock;
	struct verdict_slot slot[VERDICT_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct verdict_cache);
} verdicts SEC(".maps");

#define verdict_barrier() asm volatile("" ::: "memory")

/* jiffies: one load, which the verifier writes in place of the call. */
static __always_inline __u64 verdict_clock(void)
{
	return bpf_jiffies64();
}

/* A seqlock's count, or an odd number (never a match) if it cannot be read. */
static __always_inline __u32 seqlock_count(const void *lock)
{
	__u32 seq = 1;

	if (lock)
		bpf_core_read(&seq, sizeof(seq), &((seqlock_t *)lock)->seqcount.seqcount.sequence);
	return seq;
}

/*
 * Is the path of dentry under mnt a function of the inode, mount and root
 * alone: one name in its file system, connected to the mount's root? A file
 * system whose names can change behind the kernel's back (NFS, FUSE, sysfs:
 * its dentries must be revalidated) never is: a rename there moves no dentry.
 */
static __always_inline bool one_name(struct dentry *dentry, struct vfsmount *mnt)
{
	struct inode *inode = dentry->d_inode;

	if (!inode || inode->i_sb->s_magic == PROC_SUPER_MAGIC ||
	    (dentry->d_flags & (DCACHE_OP_REVALIDATE | DCACHE_OP_WEAK_REVALIDATE)))
		return false;
	if (dentry == mnt->mnt_root)
		return true;
	if ((inode->i_mode & S_IFMT) != S_IFDIR && inode->i_nlink != 1)
		return false;
	return dentry->d_parent != dentry && dentry->d_hash.pprev &&
	       !(dentry->d_flags & DCACHE_DISCONNECTED);
}

/*
 * The key for an access to path by the current task's subject, taken before
 * the path is named; false when no verdict about it can be cached.
 */
static __always_inline bool verdict_key_take(struct verdict_key *k, struct task_struct *task,
					     const struct path *path, __u64 subject, __u32 subjects_gen)
{
	struct fs_struct *fs = task->fs;

	if (!fs || !one_name(path->dentry, path->mnt))
		return false;
	k->subject = subject;
	k->mnt = (__u64)path->mnt;
	k->root_dentry = (__u64)fs->root.dentry;
	k->root_mnt = (__u64)fs->root.mnt;
	k->subjects_gen = subjects_gen;
	k->roots_gen = roots_gen;
	k->renames = seqlock_count(&rename_lock);
	k->mounts = seqlock_count(&mount_lock);
	/* An odd count: a rename or mount change under way, nothing is settled. */
	return !((k->renames | k->mounts) & 1);
}

static __always_inline bool verdict_key_equal(const struct verdict_key *a, const struct verdict_key *b)
{
	return a->subject == b->subject && a->mnt == b->mnt && a->root_dentry == b->root_dentry &&
	       a->root_mnt == b->root_mnt && a->subjects_gen == b->subjects_gen &&
	       a->roots_gen == b->roots_gen && a->renames == b->renames && a->mounts == b->mounts;
}

static __always_inline struct verdict_slot *verdict_slot_of(struct verdict_cache *c, __u64 subject)
{
	return &c->slot[(__u32)subject & (VERDICT_SLOTS - 1)];
}

/*
 * Has access to the file at path already been settled under key k: allowed
 * by the profile, or (record mode) delivered to the recording? Which of the
 * two a slot holds is the subject's mode under k's subjects_gen; a slot
 * whose key changes starts empty, so it never holds both.
 */
static __always_inline bool verdict_settled(const struct path *path, const struct verdict_key *k,
					    __u32 access)
{
	struct verdict_cache *c = bpf_inode_storage_get(&verdicts, path->dentry->d_inode, NULL, 0);
	struct verdict_slot *slot, seen;
	__u32 seq;

	if (!c || !access)
		return false;
	slot = verdict_slot_of(c, k->subject);
	seq = *(volatile __u32 *)&slot->seq;
	verdict_barrier();
	seen = *slot;
	verdict_barrier();
	if ((seq & 1) || *(volatile __u32 *)&slot->seq != seq || !verdict_key_equal(&seen.key, k) ||
	    verdict_clock() - seen.born >= VERDICT_TTL_JIFFIES)
		return false;
	if ((seen.allowed & access) == access)
		return true;
	for (int i = 0; i < VERDICT_RECORDED; i++)
		if (seen.recorded[i] == access)
			return true;
	return false;
}

/* Put access first among the slot's recorded values, unless it is there already. */
static __always_inline void verdict_recorded_add(struct verdict_slot *slot, __u8 access)
{
	for (int i = 0; i < VERDICT_RECORDED; i++)
		if (slot->recorded[i] == access)
			return;
	for (int i = VERDICT_RECORDED - 1; i > 0; i--)
		slot->recorded[i] = slot->recorded[i - 1];
	slot->recorded[0] = access;
}

/* Remember that access to the file at path was settled under key k. */
static __always_inline void verdict_remember(const struct path *path, const struct verdict_key *k,
					     __u64 born, __u32 access, bool record)
{
	struct verdict_cache *c = bpf_inode_storage_get(&verdicts, path->dentry->d_inode, NULL,
							BPF_LOCAL_STORAGE_GET_F_CREATE);
	struct verdict_slot *slot;

	if (!c)
		return;
	slot = verdict_slot_of(c, k->subject);
	bpf_spin_lock(&c->lock);
	slot->seq++;
	verdict_barrier();
	/* Bits gathered under one key share its first verdict's birth. */
	if (!verdict_key_equal(&slot->key, k) || born - slot->born >= VERDICT_TTL_JIFFIES) {
		slot->key = *k;
		slot->born = born;
		slot->allowed = 0;
		__builtin_memset(slot->recorded, 0, sizeof(slot->recorded));
	}
	if (record)
		verdict_recorded_add(slot, access);
	else
		slot->allowed |= access;
	verdict_barrier();
	slot->seq++;
	bpf_spin_unlock(&c->lock);
}

#endif
