/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which subject a task belongs to, as the BPF programs find it and as `make
 * prove` proves it (docs/proof.md, "The subject lookup"): the nearest
 * ancestor of its cgroup (itself included) that is a subject, by its own
 * id or through the alias of a cgroup made anew at a subject's path; else
 * the user subject of its real uid. A task that PID 1 forked is in no
 * subject until its first execve() (docs/rules.md, "Subjects").
 *
 * What this reads of the kernel and of the maps is reached through small
 * functions that this file only declares, each with the contract the proof
 * assumes of it; the part under __bpf__ at the end defines them with BPF
 * helpers, and holds the maps and the programs that keep them.
 */
#ifndef STOCKADE_SUBJECT_H
#define STOCKADE_SUBJECT_H

#include "decide.h"

struct cgroup;
struct task_struct;

/* Bumped by user space whenever the set of subjects changes. */
__u32 subjects_gen;
/* How many user subjects exist: while none, no task pays for a uid lookup. */
__u32 user_subjects;

/*
 * Which subject a cgroup belongs to (0: none), as of generation gen: a
 * direct-mapped cache, a slot per cgroup id's low bits. Every hook of every
 * task asks it first, so it is an array, whose lookup the verifier writes
 * inline, not a hash, whose lookup is a call and a hash: a task outside
 * every subject pays this and nothing more. A slot also holds a copy of the
 * subject's entry (mode, profile, grants) as of gen, so a task in a cgroup
 * subject pays no hash lookup of it either: user space advances
 * subjects_gen after every change of an entry, which makes the copy a miss.
 * Two cgroups sharing a slot only
 * cost each other a walk (stk_nearest_subject()). A writer takes the slot by
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
	struct stk_subject entry; /* subject's entry, when subject is not 0 */
};

/*@ axiomatic Cgroups {
      // The cgroup tree, by cgroup id (a kernfs id: 64 bits, never reused,
      // so one id names one cgroup for as long as the kernel runs).
      // cg_level(c) is c's depth (the root's is 0); cg_ancestor(c, l) the
      // id of c's ancestor at depth l, c itself at depth cg_level(c).
      logic integer cg_level(integer c);
      logic integer cg_ancestor(integer c, integer l);
      logic integer cg_of(struct cgroup *cg);
      // A task's cgroup (v2) and real uid.
      logic struct cgroup *task_cgroup(struct task_struct *t);
      logic integer task_uid(struct task_struct *t);
      // The task was forked by PID 1 and has not exec'd since (map "exec_pending").
      predicate exec_pending(struct task_struct *t);
      logic struct task_struct *current_task;
      // The subject cache's slot for cgroup id c.
      logic struct subject_slot *cache_slot(integer c);
    }

    axiomatic Subjects {
      // Map "subjects": the keys stored, and each one's entry (its value).
      logic boolean is_subject(integer key);
      logic struct stk_subject entry_value(integer key);
      // Map "cgroup_aliases": a cgroup made at a subject's path, to its key.
      logic boolean has_alias(integer c);
      logic integer alias_of(integer c);
      // Cgroup ids start at 1 (kernfs), user subjects have bit 63 set,
      // named ones bit 62: user space never stores key 0.
      axiom no_subject_zero: !is_subject(0);
    }

    // The subject that cgroup c (an id) is, 0 for none: its own id, else
    // the subject of its alias.
    logic integer own_subject(integer c) =
      is_subject(c) ? c : (has_alias(c) && is_subject(alias_of(c)) ? alias_of(c) : 0);

    // The levels searched for c: c itself and its ancestors, the
    // STK_CGROUP_DEPTH_MAX nearest of them.
    predicate searched(integer c, integer l) =
      0 <= l <= cg_level(c) && cg_level(c) - l < STK_CGROUP_DEPTH_MAX;

    // s is c's subject: the subject of the nearest level searched that is
    // one, or 0 when none is.
    predicate nearest_subject(integer c, integer s) =
      (s == 0 && \forall integer l; searched(c, l) ==> own_subject(cg_ancestor(c, l)) == 0) ||
      (\exists integer l; searched(c, l) && s == own_subject(cg_ancestor(c, l)) && s != 0 &&
        \forall integer m; l < m && searched(c, m) ==> own_subject(cg_ancestor(c, m)) == 0);

    logic integer user_key(integer uid) = STK_SUBJECT_USER | uid;

    // s is the subject of a task whose cgroup's nearest subject is n, with
    // real uid uid, while users user subjects exist: n, else the uid's.
    predicate or_user(integer n, integer uid, integer users, integer s) =
      n != 0 ? s == n : (users != 0 && is_subject(user_key(uid)) ? s == user_key(uid) : s == 0);

    // s is the subject of a task in cgroup c with real uid uid.
    predicate user_or_cgroup(integer c, integer uid, integer users, integer s) =
      \exists integer n; nearest_subject(c, n) && or_user(n, uid, users, s);

    // a and b hold the same entry: mode, profile and grants.
    predicate same_value(struct stk_subject a, struct stk_subject b) =
      a.mode == b.mode && a.profile == b.profile &&
      a.grants.privileges == b.grants.privileges && a.grants.netlink == b.grants.netlink &&
      a.grants.capabilities == b.grants.capabilities && a.grants.families == b.grants.families;
    // *e is a copy of subject key's entry.
    predicate entry_of{L}(struct stk_subject *e, integer key) = same_value(*e, entry_value(key));
    // *a and *b hold the same entry.
    predicate same_entry{L}(struct stk_subject *a, struct stk_subject *b) = same_value(*a, *b);

    lemma own_is_subject: \forall integer c; own_subject(c) != 0 ==> is_subject(own_subject(c));
    lemma nearest_is_subject: \forall integer c, s; nearest_subject(c, s) && s != 0 ==> is_subject(s);
    // Each cgroup has one nearest subject, so each task one subject.
    lemma nearest_unique: \forall integer c, s1, s2;
      nearest_subject(c, s1) && nearest_subject(c, s2) ==> s1 == s2;
    lemma subject_unique: \forall integer c, uid, users, s1, s2;
      user_or_cgroup(c, uid, users, s1) && user_or_cgroup(c, uid, users, s2) ==> s1 == s2;
    // A cgroup's nearest subject is its tasks' subject, whatever their uid.
    lemma cgroup_first: \forall integer c, uid, users, n;
      nearest_subject(c, n) && n != 0 ==> user_or_cgroup(c, uid, users, n);

    // s is task t's subject: none while t is PID 1's child before its
    // exec, else its cgroup's or its user's.
    predicate task_subject_is(struct task_struct *t, integer users, integer s) =
      exec_pending(t) ? s == 0 : user_or_cgroup(cg_of(task_cgroup(t)), task_uid(t), users, s);

    // A cache slot at generation gen holds the nearest subject of the
    // cgroup it names and, if there is one, a copy of its entry. Every
    // writer keeps this (stk_subject_remember()); user space bumps
    // subjects_gen whenever map "subjects" changes (a key or an entry),
    // which makes every slot a miss.
    predicate slot_holds{L}(struct subject_slot *slot, integer gen) =
      slot->gen == gen ==> nearest_subject(slot->cgroup, slot->subject) &&
        (slot->subject != 0 ==> entry_of(&slot->entry, slot->subject));
*/

/* ---- what is read of the kernel and the maps ------------------------------ */

/* The current task; its cgroup v2, and that cgroup's id in *id. */
/*@ assigns \nothing;
    ensures \result == current_task;
*/
STK_INLINE struct task_struct *stk_current_task(void);

/*
 * Task t's cgroup and its id, t's real uid: for the current task with plain
 * loads (every hook of every task asks), for any other with probe reads.
 */
/*@ requires \valid(id);
    assigns *id;
    ensures \result == task_cgroup(t) && *id == cg_of(\result);
*/
STK_INLINE struct cgroup *stk_current_cgroup(struct task_struct *t, __u64 *id);

/*@ requires \valid(id);
    assigns *id;
    ensures \result == task_cgroup(t) && *id == cg_of(\result);
*/
STK_INLINE struct cgroup *stk_task_cgroup(struct task_struct *t, __u64 *id);

/*@ assigns \nothing;
    ensures \result == task_uid(t);
*/
STK_INLINE __u32 stk_task_uid(struct task_struct *t);

/*@ assigns \nothing;
    ensures \result == task_uid(t);
*/
STK_INLINE __u32 stk_current_uid(struct task_struct *t);

/* The kernel's cgroup->level: 0 for the root, never negative. */
/*@ assigns \nothing;
    ensures \result == cg_level(cg_of(cg)) && 0 <= \result;
*/
STK_INLINE int stk_cgroup_level(struct cgroup *cg);

/* The id of cg's ancestor at depth level (cg->ancestors[level]). */
/*@ requires 0 <= level <= cg_level(cg_of(cg));
    assigns \nothing;
    ensures \result == cg_ancestor(cg_of(cg), level);
*/
STK_INLINE __u64 stk_cgroup_ancestor(struct cgroup *cg, int level);

/* Map "subjects": the entry stored under key, or NULL. */
/*@ assigns \nothing;
    ensures \result == \null <==> !is_subject(key);
    ensures \result != \null ==> \valid_read(\result) && entry_of(\result, key);
*/
STK_INLINE const struct stk_subject *stk_subject_get(__u64 key);

/* Map "cgroup_aliases": the subject key a remade cgroup stands for, or NULL. */
/*@ assigns \nothing;
    ensures \result == \null <==> !has_alias(c);
    ensures \result != \null ==> \valid_read(\result) && *\result == alias_of(c);
*/
STK_INLINE const __u64 *stk_cgroup_alias(__u64 c);

/* Map "exec_pending": t was forked by PID 1 and has not exec'd since. */
/*@ assigns \nothing;
    ensures \result != 0 <==> exec_pending(t);
*/
STK_INLINE int stk_exec_pending(struct task_struct *t);

/*
 * The cache's slot for cgroup id c, which holds at the current generation
 * (stk_subject_remember() keeps it so; docs/proof.md says why the rest does).
 */
/*@ assigns \nothing;
    ensures \result == \null || (\result == cache_slot(c) && \valid(\result) && slot_holds(\result, subjects_gen));
*/
STK_INLINE struct subject_slot *stk_cache_slot(__u64 c);

/*
 * The seqcount of a slot: the count read before a read of the slot, whether
 * it is even and unchanged after it; taking the slot for a write (false if
 * another writer has it) and handing it back.
 */
/*@ assigns \nothing; */
STK_INLINE __u32 stk_seq_begin(struct subject_slot *slot);
/*@ assigns \nothing; */
STK_INLINE int stk_seq_unchanged(struct subject_slot *slot, __u32 seq);
/*@ requires \valid(slot);
    assigns slot->seq;
*/
STK_INLINE int stk_seq_take(struct subject_slot *slot);
/*@ requires \valid(slot);
    assigns slot->seq;
*/
STK_INLINE void stk_seq_release(struct subject_slot *slot);

/* ---- the lookup ------------------------------------------------------------ */

/* The subject that cgroup level level of cg is by itself: its id, its alias's subject, or 0. */
/*@ requires 0 <= level <= cg_level(cg_of(cg));
    assigns \nothing;
    ensures \result == own_subject(cg_ancestor(cg_of(cg), level));
*/
STK_INLINE __u64 stk_level_subject(struct cgroup *cg, int level)
{
	__u64 c = stk_cgroup_ancestor(cg, level);
	const __u64 *alias;

	if (stk_subject_get(c))
		return c;
	alias = stk_cgroup_alias(c);
	if (alias && stk_subject_get(*alias))
		return *alias;
	return 0;
}

/*
 * Walk up from cg to the nearest subject; 0 for none. Only the
 * STK_CGROUP_DEPTH_MAX nearest levels are searched: a cgroup deeper below
 * its subject is in none, and a confined task can move no task there
 * (docs/rules.md, "Leaving the subject").
 */
/*@ assigns \nothing;
    ensures nearest: nearest_subject(cg_of(cg), \result);
*/
static __u64 stk_nearest_subject(struct cgroup *cg)
{
	int level = stk_cgroup_level(cg);
	__u64 subject;

	/*@ loop invariant 0 <= i <= STK_CGROUP_DEPTH_MAX;
	    loop invariant below: \forall integer m; level - i < m && searched(cg_of(cg), m) ==>
	      own_subject(cg_ancestor(cg_of(cg), m)) == 0;
	    loop assigns i, subject;
	    loop variant STK_CGROUP_DEPTH_MAX - i;
	*/
	for (int i = 0; i < STK_CGROUP_DEPTH_MAX; i++) {
		if (level - i < 0)
			break;
		subject = stk_level_subject(cg, level - i);
		if (subject)
			return subject;
	}
	return 0;
}

/*
 * The cgroup's subject as the cache holds it at generation gen, and the
 * copy of its entry in *entry; false on a miss.
 */
/*@ requires \valid(slot) && \valid(subject) && \valid(entry);
    requires \separated(slot, subject, entry);
    assigns *subject, *entry;
    ensures hit: \result != 0 ==> slot->cgroup == c && slot->gen == gen && *subject == slot->subject &&
      same_entry(entry, &slot->entry);
*/
STK_INLINE int stk_subject_cached(struct subject_slot *slot, __u64 c, __u32 gen, __u64 *subject,
				  struct stk_subject *entry)
{
	__u32 seq = stk_seq_begin(slot);
	int hit = slot->cgroup == c && slot->gen == gen;

	*subject = slot->subject;
	*entry = slot->entry;
	return hit && stk_seq_unchanged(slot, seq);
}

/*
 * Remember the cgroup's subject, and a copy of its entry, at generation gen,
 * unless another writer has the slot.
 */
/*@ requires \valid(slot) && slot_holds(slot, gen) && nearest_subject(c, subject);
    requires \valid_read(entry) && \separated(slot, entry);
    requires subject != 0 ==> entry_of(entry, subject);
    assigns slot->seq, slot->cgroup, slot->gen, slot->subject, slot->entry;
    ensures kept: slot_holds(slot, gen);
*/
STK_INLINE void stk_subject_remember(struct subject_slot *slot, __u64 c, __u32 gen, __u64 subject,
				     const struct stk_subject *entry)
{
	if (!stk_seq_take(slot))
		return;
	slot->cgroup = c;
	slot->gen = gen;
	slot->subject = subject;
	if (subject)
		slot->entry = *entry;
	stk_seq_release(slot);
}

/* What the subject cache was asked for a task: its cgroup, that cgroup's id, its slot. */
struct subject_ask {
	struct cgroup *cg;
	__u64 cgroup;
	struct subject_slot *slot; /* NULL if the cache has none */
};

/*
 * The subject cache's answer for task t (the current one) at generation gen,
 * the current one: its cgroup's nearest subject in *subject and, if there
 * is one, a copy of its entry in *entry; true on a hit. On a miss nothing
 * is resolved: *ask has what the caller needs to walk and remember. Loads
 * only, and the array's lookup, which the verifier writes inline: a task
 * outside every subject pays this and nothing more.
 */
/*@ requires \valid(ask) && \valid(subject) && \valid(entry) && \separated(ask, subject, entry);
    requires \separated(ask, cache_slot(cg_of(task_cgroup(t))));
    requires \separated(subject, cache_slot(cg_of(task_cgroup(t))));
    requires \separated(entry, cache_slot(cg_of(task_cgroup(t))));
    requires gen == subjects_gen;
    assigns *ask, *subject, *entry;
    ensures asked: ask->cg == task_cgroup(t) && ask->cgroup == cg_of(ask->cg);
    ensures slot: ask->slot == \null ||
      (ask->slot == cache_slot(ask->cgroup) && \valid(ask->slot) && slot_holds(ask->slot, gen));
    ensures hit: \result != 0 ==> nearest_subject(ask->cgroup, *subject) &&
      (*subject != 0 ==> entry_of(entry, *subject));
*/
STK_INLINE int stk_subject_peek(struct task_struct *t, __u32 gen, struct subject_ask *ask, __u64 *subject,
				struct stk_subject *entry)
{
	ask->cg = stk_current_cgroup(t, &ask->cgroup);
	ask->slot = stk_cache_slot(ask->cgroup);
	return ask->slot && stk_subject_cached(ask->slot, ask->cgroup, gen, subject, entry);
}

/* Copy subject key's entry into *entry; false if it has none. */
/*@ requires \valid(entry);
    assigns *entry;
    ensures \result != 0 <==> is_subject(key);
    ensures \result != 0 ==> entry_of(entry, key);
*/
STK_INLINE int stk_entry_copy(__u64 key, struct stk_subject *entry)
{
	const struct stk_subject *subj = stk_subject_get(key);

	if (!subj)
		return 0;
	*entry = *subj;
	return 1;
}

/*
 * The subject of a task whose cgroup's nearest subject is n (0: none) and
 * whose real uid is uid: its cgroup's (a service is the more specific
 * answer), else its user's; 0 for none. Its entry in *subj (NULL for none).
 */
/*@ requires \valid(subj);
    requires n != 0 ==> is_subject(n);
    assigns *subj;
    ensures or_user(n, uid, user_subjects, \result);
    ensures \result != 0 ==> \valid_read(*subj) && entry_of(*subj, \result);
    ensures \result == 0 ==> *subj == \null;
*/
STK_INLINE __u64 stk_or_user(__u64 n, __u32 uid, const struct stk_subject **subj)
{
	if (n && (*subj = stk_subject_get(n)))
		return n;
	*subj = NULL;
	if (!user_subjects)
		return 0;
	n = STK_SUBJECT_USER | uid;
	*subj = stk_subject_get(n);
	return *subj ? n : 0;
}

/* The subject of a task in cgroup cg with real uid uid. */
/*@ assigns \nothing;
    ensures user_or_cgroup(cg_of(cg), uid, user_subjects, \result);
*/
static __u64 subject_of(struct cgroup *cg, __u32 uid)
{
	const struct stk_subject *subj;

	return stk_or_user(stk_nearest_subject(cg), uid, &subj);
}

/* The subject of another task's cgroup and real uid (t may be a pointer read by probes). */
/*@ assigns \nothing;
    ensures user_or_cgroup(cg_of(task_cgroup(t)), task_uid(t), user_subjects, \result);
*/
static __u64 task_subject(struct task_struct *t)
{
	__u64 c;
	struct cgroup *cg = stk_task_cgroup(t, &c);

	return subject_of(cg, stk_task_uid(t));
}

/*
 * The subject of a task a hook hands over, as stk_judge() finds the current
 * task's: none while it is PID 1's child before its exec, so a confined
 * task reaches it only as a task of no subject (docs/rules.md).
 */
/*@ assigns \nothing;
    ensures task_subject_is(t, user_subjects, \result);
*/
static __u64 target_subject(struct task_struct *t)
{
	return stk_exec_pending(t) ? 0 : task_subject(t);
}

/*
 * The nearest subject of task t's cgroup (t the current task), and a copy
 * of its entry in *entry: the cache's answer, else walked and remembered.
 */
/*@ requires \valid(entry) && \separated(entry, cache_slot(cg_of(task_cgroup(t))));
    assigns *entry, *cache_slot(cg_of(task_cgroup(t)));
    ensures nearest_subject(cg_of(task_cgroup(t)), \result);
    ensures \result != 0 ==> entry_of(entry, \result);
*/
STK_INLINE __u64 stk_cgroup_subject(struct task_struct *t, struct stk_subject *entry)
{
	__u32 gen = subjects_gen;
	struct subject_ask ask;
	__u64 subject;

	if (stk_subject_peek(t, gen, &ask, &subject, entry))
		return subject;
	subject = stk_nearest_subject(ask.cg);
	/* Removed since the walk (user space then advances subjects_gen): none. */
	if (subject && !stk_entry_copy(subject, entry))
		subject = 0;
	if (ask.slot)
		stk_subject_remember(ask.slot, ask.cgroup, gen, subject, entry);
	return subject;
}

/*
 * Whether a subject judges the current task: its key in *subject and a copy
 * of its entry in *entry; false when none does: the task is in no subject,
 * or in one whose mode is off. The cache answers for the cgroup, with the
 * entry; only a task whose cgroup or user is a subject pays for the
 * exec_pending look-up, and only one in no cgroup subject, while user
 * subjects exist, for a lookup of its user's entry.
 */
/*@ requires \valid(subject) && \valid(entry) && \separated(subject, entry);
    requires \separated(subject, cache_slot(cg_of(task_cgroup(current_task))));
    requires \separated(entry, cache_slot(cg_of(task_cgroup(current_task))));
    assigns *subject, *entry, *cache_slot(cg_of(task_cgroup(current_task)));
    ensures judged_by: \result != 0 ==>
      *subject != 0 && task_subject_is(current_task, user_subjects, *subject) &&
      entry_of(entry, *subject) && entry->mode != STK_MODE_OFF;
    ensures only: \result == 0 ==> \forall integer s; task_subject_is(current_task, user_subjects, s) ==>
      s == 0 || entry_value(s).mode == STK_MODE_OFF;
*/
STK_INLINE int stk_judge(__u64 *subject, struct stk_subject *entry)
{
	struct task_struct *task = stk_current_task();
	const struct stk_subject *subj;
	__u64 user;

	*subject = stk_cgroup_subject(task, entry);
	if (!*subject) {
		user = stk_or_user(0, stk_current_uid(task), &subj);
		if (!subj)
			return 0;
		*entry = *subj;
		*subject = user;
	}
	return !stk_exec_pending(task) && entry->mode != STK_MODE_OFF;
}

/* Whether a fork by tgid parent of a process (tgid child) marks it exec_pending. */
/*@ assigns \nothing;
    ensures \result != 0 <==> parent == 1 && child != 1;
*/
STK_INLINE int stk_fork_marks(__u32 parent, __u32 child)
{
	return parent == 1 && child != 1;
}

#ifdef __bpf__
/* ---- the BPF side: maps, what the contracts above stand for, programs ----- */

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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SUBJECT_SLOTS);
	__type(key, __u32);
	__type(value, struct subject_slot);
} subject_cache SEC(".maps");

/*
 * The processes PID 1 forked that have not exec'd yet: systemd's children
 * before they run the service's program (docs/rules.md, "Subjects"), by
 * pid, to their start time, so that a pid used again is not one of them.
 * Written only by stockade_fork, for a child of PID 1; cleared when an exec
 * commits. One that exits without an exec stays until the LRU needs room.
 * (Not task local storage: with it, 6.1 locked up under systemd.)
 */
#define EXEC_PENDING_MAX 4096
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, EXEC_PENDING_MAX);
	__type(key, __u32);
	__type(value, __u64);
} exec_pending SEC(".maps");

STK_INLINE struct task_struct *stk_current_task(void)
{
	return bpf_get_current_task_btf();
}

STK_INLINE struct cgroup *stk_current_cgroup(struct task_struct *t, __u64 *id)
{
	struct cgroup *cg = t->cgroups->dfl_cgrp;

	*id = cg->kn->id;
	return cg;
}

STK_INLINE struct cgroup *stk_task_cgroup(struct task_struct *t, __u64 *id)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);

	*id = BPF_CORE_READ(cg, kn, id);
	return cg;
}

STK_INLINE __u32 stk_task_uid(struct task_struct *t)
{
	return BPF_CORE_READ(t, cred, uid.val);
}

STK_INLINE __u32 stk_current_uid(struct task_struct *t)
{
	return t->cred->uid.val;
}

STK_INLINE int stk_cgroup_level(struct cgroup *cg)
{
	return BPF_CORE_READ(cg, level);
}

STK_INLINE __u64 stk_cgroup_ancestor(struct cgroup *cg, int level)
{
	struct cgroup *anc = NULL;

	bpf_probe_read_kernel(&anc, sizeof(anc), &cg->ancestors[level]);
	return BPF_CORE_READ(anc, kn, id);
}

STK_INLINE const struct stk_subject *stk_subject_get(__u64 key)
{
	return bpf_map_lookup_elem(&subjects, &key);
}

STK_INLINE const __u64 *stk_cgroup_alias(__u64 c)
{
	return bpf_map_lookup_elem(&cgroup_aliases, &c);
}

/*
 * t: the current task, or one a hook hands over (plain loads). Not while
 * in execve(): the program's open (read, exec) and its interpreter's come
 * before the exec commits, and are the service's; a failed exec ends that.
 */
STK_INLINE int stk_exec_pending(struct task_struct *t)
{
	__u32 pid = t->pid;
	__u64 *born = bpf_map_lookup_elem(&exec_pending, &pid);

	return born && *born == t->start_time && !BPF_CORE_READ_BITFIELD(t, in_execve);
}

STK_INLINE struct subject_slot *stk_cache_slot(__u64 c)
{
	__u32 index = (__u32)c & (SUBJECT_SLOTS - 1);

	return bpf_map_lookup_elem(&subject_cache, &index);
}

STK_INLINE __u32 stk_seq_begin(struct subject_slot *slot)
{
	__u32 seq = *(volatile __u32 *)&slot->seq;

	barrier();
	return seq;
}

STK_INLINE int stk_seq_unchanged(struct subject_slot *slot, __u32 seq)
{
	barrier();
	return !(seq & 1) && *(volatile __u32 *)&slot->seq == seq;
}

STK_INLINE int stk_seq_take(struct subject_slot *slot)
{
	__u32 seq = *(volatile __u32 *)&slot->seq;

	return !(seq & 1) && __sync_val_compare_and_swap(&slot->seq, seq, seq + 1) == seq;
}

STK_INLINE void stk_seq_release(struct subject_slot *slot)
{
	barrier();
	*(volatile __u32 *)&slot->seq = slot->seq + 1;
}

static __always_inline struct scratch *scratch_get(void);

/*
 * The current task's subject and scratch memory, or NULL when no subject
 * judges the task (none, or one whose mode is off). *subj is the copy of
 * the subject's entry that stk_judge() made, kept in the scratch memory.
 */
static struct scratch *watched(const struct stk_subject **subj, __u64 *subject)
{
	struct stk_subject entry;
	struct scratch *s;

	if (!stk_judge(subject, &entry) || !(s = scratch_get()))
		return NULL;
	s->entry = entry;
	*subj = &s->entry;
	return s;
}

/*
 * A process PID 1 forks is in no subject until its first execve(): systemd
 * 252 moves its child into the service's cgroup while the child runs
 * systemd's own code, and which of the two moves first is a race. The
 * tracepoint fires once the fork can no longer fail and before the child
 * first runs, whether BPF LSM is active or not.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(stockade_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 pid = child->pid;
	__u64 born = child->start_time;

	if (stk_fork_marks(parent->tgid, child->tgid))
		bpf_map_update_elem(&exec_pending, &pid, &born, BPF_ANY);
	return 0;
}

/*
 * Past the point of no return of an execve(), with the new credentials and
 * before the new program is mapped: from here on the task is its cgroup's.
 */
static __always_inline void exec_committed(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 pid = task->pid;

	/* Only a child of PID 1 can be marked: other execs pay two loads. */
	if (task->real_parent->tgid == 1)
		bpf_map_delete_elem(&exec_pending, &pid);
}

SEC("lsm/bprm_committed_creds")
int BPF_PROG(stockade_bprm_committed_creds, struct linux_binprm *bprm)
{
	exec_committed();
	return 0;
}

SEC("fentry/security_bprm_committed_creds")
int BPF_PROG(record_bprm_committed_creds, struct linux_binprm *bprm)
{
	exec_committed();
	return 0;
}

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
#endif /* __bpf__ */

#endif
