/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps every concern shares (the subjects' own are with the subject
 * lookup): the rules, what was delivered, the events and counters, and
 * each CPU's working memory.
 */
#ifndef STOCKADE_MAPS_H
#define STOCKADE_MAPS_H

#define RULE_MAP(name, class, entries)                                   \
	struct {                                                         \
		__uint(type, BPF_MAP_TYPE_HASH);                         \
		__uint(map_flags, BPF_F_NO_PREALLOC);                    \
		__uint(max_entries, entries);                            \
		__uint(key_size, sizeof(struct stk_rule_key) + (class)); \
		__uint(value_size, sizeof(struct stk_rule));             \
	} name SEC(".maps")

RULE_MAP(rules_64, 64, 131072);
RULE_MAP(rules_256, 256, 65536);
RULE_MAP(rules_1024, 1024, 8192);
RULE_MAP(rules_4096, STK_PATH_MAX, 1024);

/* Network rules; sleepable programs cannot use LPM tries, socket hooks can. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, struct stk_net_key);
	__type(value, struct stk_net_rule);
} net_rules SEC(".maps");

/*
 * Observations already delivered, so that a hot loop over one file costs no
 * ring-buffer traffic. Keyed by a hash of the path: a collision can only hide
 * an observation from the recording, never allow an access.
 */
struct seen_key {
	__u64 subject;
	__u64 object_hash; /* of the path, or of the network peer */
	__u32 access;
	__u32 type;        /* enum stk_event_type */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct seen_key);
	__type(value, __u8);
} seen SEC(".maps");

/* Each thread's last refused file access (repeated_denial()). */
#define REPEAT_NS 1000000000ULL
struct last_denial {
	__u64 hash; /* of the path */
	__u64 at;   /* bpf_ktime_get_ns() */
	__u32 access;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct last_denial);
} last_denials SEC(".maps");

/* The tgids of stockade's daemon: no confined task may signal or trace them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STK_PROTECTED_MAX);
	__type(key, __u32);
	__type(value, __u8);
} protected SEC(".maps");

/* Written by user space only (see struct stk_subject_info). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STK_SUBJECTS_MAX);
	__type(key, __u64);
	__type(value, struct stk_subject_info);
} subject_info SEC(".maps");

/* Denials per subject; user space creates a subject's entry when it applies it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, STK_SUBJECTS_MAX);
	__type(key, __u64);
	__type(value, struct stk_subject_counters);
} subject_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stk_counters);
} counters SEC(".maps");

/* Per-CPU working memory: the event being built, and the rule key (walk.h). */
struct scratch {
	struct stk_subject entry; /* the judging subject's entry, as watched() found it */
	struct stk_event ev;
	__u32 len; /* strlen of ev.path */
	__u64 hash;
	bool settled; /* check_access(): allowed, or in the recording; no need to ask again */
	struct stk_match match;
	struct {
		/* Kernel pointers, as plain values: only ever read through probes. */
		__u64 dentry, mnt, root_dentry, root_mnt;
		__u32 start; /* the name built so far is key.path[start, STK_PATH_MAX - 1) */
		bool done;
	} walk;
	struct stk_walk_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

static __always_inline void counter_inc(enum stk_counter c)
{
	__u32 zero = 0;
	struct stk_counters *cs = bpf_map_lookup_elem(&counters, &zero);

	if (cs)
		__sync_fetch_and_add(&cs->n[c], 1);
}

#endif /* STOCKADE_MAPS_H */
