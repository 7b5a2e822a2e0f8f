// SPDX-License-Identifier: GPL-2.0
/*
 * stockade's kernel side: one set of LSM programs serves every subject in
 * every mode. Each hook asks which subject the current task belongs to (one
 * cache lookup for a task that belongs to none), then records, complains or
 * enforces according to that subject's mode.
 *
 * One object, one translation unit: this file is the subject lookup, and
 * each other concern is a header it includes, in the order they use each
 * other: maps.h (the shared maps and scratch), naming.h (naming files and
 * sockets), emit.h (events, each observation once, the mode's verdict),
 * hook.h (one definition for a hook's LSM program and fentry twin), then
 * the concerns with their hooks: privileges.h, files.h, peers.h, tasks.h,
 * received.h. The decisions themselves are decide.h, walk.h and net.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "abi.h"
#include "net.h"
#include "walk.h"

char LICENSE[] SEC("license") = "GPL";

/* The kernel's constants, which BTF (so vmlinux.h) does not carry. */
#define EPERM 1
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_EXEC 0x20
#define __FMODE_EXEC 040 /* in f_flags: the open is execve()'s */
#define O_APPEND 02000
#define NAME_MAX 255
#define VM_EXEC 0x4
#define RENAME_EXCHANGE (1 << 1)
#define AF_INET 2
#define AF_INET6 10
#define TCP_LISTEN 10
#define MAY_WRITE 0x2
#define CGROUP2_SUPER_MAGIC 0x63677270
#define S_IFMT 00170000
#define S_IFSOCK 0140000

#include "verdict_cache.h"

#include "maps.h"

/* Bumped by user space whenever the set of subjects changes. */
__u32 subjects_gen;
/* How many user subjects exist: while none, no task pays for a uid lookup. */
__u32 user_subjects;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STK_SUBJECTS_MAX);
	__type(key, __u64);
	__type(value, struct stk_subject);
} subjects SEC(".maps");

/* Written by user space: cgroup subjects by their path (see abi.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STK_SUBJECTS_MAX);
	__type(key, struct stk_cgroup_name);
	__type(value, __u64);
} subject_names SEC(".maps");

/*
 * Written by the cgroup programs below: a cgroup made anew at a subject's
 * path, by id, to the subject's key. One live cgroup per path, so at most
 * one entry per subject name.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STK_SUBJECTS_MAX);
	__type(key, __u64);
	__type(value, __u64);
} cgroup_aliases SEC(".maps");

/*
 * Which subject a cgroup belongs to (0: none), as of generation gen: a
 * direct-mapped cache, a slot per cgroup id's low bits. Every hook of every
 * task asks it first, so it is an array, whose lookup the verifier writes
 * inline, not a hash, whose lookup is a call and a hash: a task outside
 * every subject pays this and nothing more. Two cgroups sharing a slot only
 * cost each other a walk (subject_resolve()). A writer takes the slot by
 * making its count odd; a reader keeps what it read only if the count was
 * even and the same before and after (a seqcount, as in verdict_cache.h),
 * so a slot is never read half written, on another CPU or in an interrupt.
 */
#define SUBJECT_SLOTS 16384
struct subject_slot {
	__u32 seq;
	__u32 gen;
	__u64 cgroup;
	__u64 subject;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SUBJECT_SLOTS);
	__type(key, __u32);
	__type(value, struct subject_slot);
} subject_cache SEC(".maps");

/* Walk up the task's cgroup ancestors to the nearest subject; 0 for none. */
static __u64 subject_resolve(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	int level = BPF_CORE_READ(task, cgroups, dfl_cgrp, level);
	__u64 id, *alias;

	for (int i = 0; i < STK_CGROUP_DEPTH_MAX; i++) {
		if (level - i < 0)
			break;
		id = bpf_get_current_ancestor_cgroup_id(level - i);
		if (bpf_map_lookup_elem(&subjects, &id))
			return id;
		alias = bpf_map_lookup_elem(&cgroup_aliases, &id);
		if (alias && bpf_map_lookup_elem(&subjects, alias))
			return *alias;
	}
	return 0;
}

/* The cgroup's subject as the cache holds it at generation gen; false on a miss. */
static __always_inline bool subject_cached(struct subject_slot *slot, __u64 cgroup, __u32 gen,
					   __u64 *subject)
{
	__u32 seq = *(volatile __u32 *)&slot->seq;
	bool hit;

	barrier();
	hit = slot->cgroup == cgroup && slot->gen == gen;
	*subject = slot->subject;
	barrier();
	return hit && !(seq & 1) && *(volatile __u32 *)&slot->seq == seq;
}

/* Remember the cgroup's subject at generation gen, unless another writer has the slot. */
static __always_inline void subject_remember(struct subject_slot *slot, __u64 cgroup, __u32 gen,
					     __u64 subject)
{
	__u32 seq = *(volatile __u32 *)&slot->seq;

	if ((seq & 1) || __sync_val_compare_and_swap(&slot->seq, seq, seq + 1) != seq)
		return;
	slot->cgroup = cgroup;
	slot->gen = gen;
	slot->subject = subject;
	barrier();
	*(volatile __u32 *)&slot->seq = seq + 2;
}

/*
 * The task's subject: its cgroup's (a service is the more specific answer),
 * else its user's, by real uid.
 */
static const struct stk_subject *current_subject(__u64 *subject)
{
	__u64 cgroup = bpf_get_current_cgroup_id();
	__u32 gen = subjects_gen, index = (__u32)cgroup & (SUBJECT_SLOTS - 1);
	struct subject_slot *slot = bpf_map_lookup_elem(&subject_cache, &index);
	const struct stk_subject *subj;

	if (!slot)
		return NULL;
	if (!subject_cached(slot, cgroup, gen, subject)) {
		*subject = subject_resolve();
		subject_remember(slot, cgroup, gen, *subject);
	}
	if (*subject && (subj = bpf_map_lookup_elem(&subjects, subject)))
		return subj;
	if (!user_subjects)
		return NULL;
	*subject = STK_SUBJECT_USER | (__u32)bpf_get_current_uid_gid();
	return bpf_map_lookup_elem(&subjects, subject);
}

/*
 * The current task's subject and scratch memory, or NULL when the task
 * belongs to no subject or to one whose mode is off.
 */
static struct scratch *watched(const struct stk_subject **subj, __u64 *subject)
{
	*subj = current_subject(subject);
	if (!*subj || (*subj)->mode == STK_MODE_OFF)
		return NULL;
	return scratch_get();
}

/* The nearest subject of a cgroup and its ancestors; 0 for none. */
static __u64 cgroup_subject(struct cgroup *cgrp)
{
	int level = BPF_CORE_READ(cgrp, level);
	struct cgroup *anc;
	__u64 id, *alias;

	for (int i = 0; i < STK_CGROUP_DEPTH_MAX; i++) {
		if (level - i < 0)
			break;
		anc = NULL;
		bpf_probe_read_kernel(&anc, sizeof(anc), &cgrp->ancestors[level - i]);
		id = BPF_CORE_READ(anc, kn, id);
		if (bpf_map_lookup_elem(&subjects, &id))
			return id;
		alias = bpf_map_lookup_elem(&cgroup_aliases, &id);
		if (alias && bpf_map_lookup_elem(&subjects, alias))
			return *alias;
	}
	return 0;
}

/* The subject of a task in cgroup cgrp with real uid uid, as current_subject() finds it. */
static __u64 subject_of(struct cgroup *cgrp, __u32 uid)
{
	__u64 id = cgroup_subject(cgrp);

	if (id || !user_subjects)
		return id;
	id = STK_SUBJECT_USER | uid;
	return bpf_map_lookup_elem(&subjects, &id) ? id : 0;
}

/* The subject another task belongs to. */
static __u64 task_subject(struct task_struct *t)
{
	return subject_of(BPF_CORE_READ(t, cgroups, dfl_cgrp), BPF_CORE_READ(t, cred, uid.val));
}

/* ---- a subject's cgroup, made anew --------------------------------------- */

/*
 * cgroup_mkdir fires inside mkdir(2) on cgroupfs, after the cgroup exists and
 * before mkdir returns, so before systemd (or anyone) can move a task in: a
 * restarted service is its subject from its first instruction. The path is
 * the cgroup's from the cgroup2 root, as user space names the subject.
 */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(stockade_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	struct stk_cgroup_name name = {};
	__u64 id, *subject;

	if (bpf_probe_read_kernel_str(name.path, sizeof(name.path), path) <= 0)
		return 0;
	subject = bpf_map_lookup_elem(&subject_names, &name);
	if (!subject)
		return 0;
	id = BPF_CORE_READ(cgrp, kn, id);
	bpf_map_update_elem(&cgroup_aliases, &id, subject, BPF_ANY);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(stockade_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	__u64 id = BPF_CORE_READ(cgrp, kn, id);

	bpf_map_delete_elem(&cgroup_aliases, &id);
	return 0;
}

#include "naming.h"
#include "emit.h"
#include "hook.h"
#include "privileges.h"
#include "files.h"
#include "peers.h"
#include "tasks.h"
#include "received.h"
