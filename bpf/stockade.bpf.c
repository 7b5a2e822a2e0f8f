// SPDX-License-Identifier: GPL-2.0
/*
 * stockade's kernel side: one set of LSM programs serves every subject in
 * every mode. Each hook asks which subject the current task belongs to (one
 * cache lookup for a task that belongs to none), then records, complains or
 * enforces according to that subject's mode.
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

#define EPERM 1
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_EXEC 0x20
#define __FMODE_EXEC 040 /* in f_flags: the open is execve()'s */
#define O_APPEND 02000
#define NAME_MAX 255
#define VM_EXEC 0x4
#define RENAME_EXCHANGE (1 << 1)
#define UNIX_NAME_MAX 127 /* a mask above the 107 bytes an abstract name can have */
#define AF_INET 2
#define AF_INET6 10
#define TCP_LISTEN 10
#define MAY_WRITE 0x2
#define CGROUP2_SUPER_MAGIC 0x63677270
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

#include "verdict_cache.h"

#include "subject.h"

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

/* The lookup bpf/net.h's decision is proved against. */
static __always_inline const struct stk_net_rule *stk_net_lookup(const struct stk_net_key *key)
{
	return bpf_map_lookup_elem(&net_rules, key);
}

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

static const char zeros[STK_PATH_MAX];

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

/* Count a denial (or, in complain mode, a would-be denial) for its subject. */
static __always_inline void subject_refused(__u64 subject, bool denied)
{
	struct stk_subject_counters *c = bpf_map_lookup_elem(&subject_counters, &subject);

	if (!c)
		return;
	if (denied)
		c->denied++;
	else
		c->would_deny++;
}

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

static void exe_of(struct scratch *s);
static int check_privilege(__u32 priv, const struct path *where);

/* Send ev (with its path) to user space; false when the ring buffer is full. */
static bool emit(struct scratch *s, __u64 subject, __u32 type, __u32 verdict, __u32 access)
{
	struct stk_event *ev = &s->ev;
	__u32 len = s->len;

	if (len >= STK_PATH_MAX)
		return false;
	ev->subject = subject;
	ev->type = type;
	ev->verdict = verdict;
	ev->access = access;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->uid = (__u32)bpf_get_current_uid_gid();
	ev->path_len = len;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	exe_of(s); /* only now: naming it costs a walk, and events are rare */
	if (bpf_ringbuf_output(&events, ev, offsetof(struct stk_event, path) + len + 1, 0))
		return false;
	counter_inc(STK_CNT_EVENTS);
	return true;
}

static long hash_step(__u32 i, void *ctx)
{
	struct scratch *s = scratch_get();

	if (!s || i >= s->len)
		return 1;
	s->hash = (s->hash ^ (__u8)s->ev.path[i & (STK_PATH_MAX - 1)]) * FNV64_PRIME;
	return 0;
}

/* Record an observation unless it was delivered before; false if it is lost. */
static bool record_once(struct scratch *s, __u64 subject, __u32 type, __u32 access, __u64 hash)
{
	struct seen_key key = { .subject = subject, .object_hash = hash, .access = access, .type = type };
	__u8 one = 1;

	if (bpf_map_lookup_elem(&seen, &key))
		return true;
	/* Mark it seen only once delivered, so a lost observation is retried. */
	if (emit(s, subject, type, STK_VERDICT_SEEN, access)) {
		bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
		return true;
	}
	counter_inc(STK_CNT_EVENTS_LOST);
	return false;
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

/* What the subject's mode makes of an access that its profile allows or not. */
static __always_inline int act(struct scratch *s, const struct stk_subject *subj,
			       __u64 subject, __u32 type, __u32 access, bool allowed)
{
	switch (stk_decide(subj->mode, allowed)) {
	case STK_LOG_WOULD:
		subject_refused(subject, false);
		if (!emit(s, subject, type, STK_VERDICT_WOULD_DENY, access))
			counter_inc(STK_CNT_DENIALS_LOST);
		return 0;
	case STK_DENY:
		subject_refused(subject, true);
		counter_inc(STK_CNT_DENIED);
		if (!emit(s, subject, type, STK_VERDICT_DENIED, access))
			counter_inc(STK_CNT_DENIALS_LOST);
		return -EPERM;
	default:
		return 0;
	}
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
	__u8 v4[4];

	if ((family != AF_INET && family != AF_INET6) || !(s = watched(&subj, &subject)))
		return 0;
	if (family == AF_INET) {
		bpf_probe_read_kernel(v4, sizeof(v4), &sk->skc_rcv_saddr);
		stk_addr_from_v4(s->ev.addr, v4);
	} else {
		bpf_probe_read_kernel(s->ev.addr, sizeof(s->ev.addr), &sk->skc_v6_rcv_saddr);
	}
	s->ev.port = BPF_CORE_READ(sk, skc_num);
	return check_peer(s, subj, subject, BPF_CORE_READ(sock, sk, sk_protocol), STK_NET_BIND);
}

/* The destination a sendmsg() names, if any (unconnected UDP, TCP fast open). */
static int check_send(struct socket *sock, struct msghdr *msg)
{
	struct sockaddr *name = BPF_CORE_READ(msg, msg_name);

	return name ? check_net(sock, name, BPF_CORE_READ(msg, msg_namelen), STK_NET_SEND) : 0;
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
 * What each hook checks. An LSM program returns the verdict; where BPF LSM is
 * not active, an fentry program on the same security_*() function runs the
 * same check to record, and its verdict goes nowhere (recording denies
 * nothing, and user space refuses to enforce without BPF LSM).
 */
/*
 * The subject cache's answer for task (the current one) at generation gen,
 * without resolving a miss or looking up the subject's entry: all that a
 * verdict cache hit needs is the subject's id. False when the slot does not
 * know. The cgroup id is bpf_get_current_cgroup_id()'s, read through the
 * task the key needs anyway: loads, not another helper call.
 */
static __always_inline bool subject_peek(struct task_struct *task, __u32 gen, __u64 *subject)
{
	struct subject_slot *slot;
	__u64 cgroup;

	stk_current_cgroup(task, &cgroup);
	slot = stk_cache_slot(cgroup);
	return slot && stk_subject_cached(slot, cgroup, gen, subject);
}

static __always_inline int on_file_open(struct file *file, bool cached)
{
	/* Before the subject is looked up: a verdict is as old as this. */
	__u32 gen = subjects_gen, access = file_access(file);
	/* No later than the counts in the key. */
	__u64 subject, born = cached ? verdict_clock() : 0;
	struct task_struct *task = bpf_get_current_task_btf();
	const struct stk_subject *subj = NULL;
	struct verdict_key key;
	struct scratch *s = NULL;
	bool named;
	int ret;

	/*
	 * A repeated open is settled by the subject's id and the file's inode
	 * alone; the subject's entry and the scratch memory are looked up only
	 * when the file must be named. A task of no cgroup subject goes the
	 * whole way while user subjects exist (its subject is its uid's).
	 */
	if (!cached || !subject_peek(task, gen, &subject) || (!subject && user_subjects)) {
		if (!(s = watched(&subj, &subject)))
			return 0;
	} else if (!subject) {
		return 0; /* in no subject, as current_subject() would answer */
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

/* ---- BPF LSM: enforce, complain and record ------------------------------ */

/* Not sleepable: the verdict cache takes a spin lock. bpf_d_path() is allowed all the same. */
SEC("lsm/file_open")
int BPF_PROG(stockade_file_open, struct file *file, int ret)
{
	return ret ?: on_file_open(file, true);
}

SEC("lsm.s/mmap_file")
int BPF_PROG(stockade_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	return ret ?: on_mapping(file, prot, false, true);
}

SEC("lsm/file_mprotect")
int BPF_PROG(stockade_file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot, int ret)
{
	return ret ?: on_mapping(vma->vm_file, prot, vma->vm_flags & VM_EXEC, false);
}

SEC("lsm/path_truncate")
int BPF_PROG(stockade_path_truncate, const struct path *path, int ret)
{
	return ret ?: on_path_truncate(path);
}

SEC("lsm/path_mknod")
int BPF_PROG(stockade_path_mknod, const struct path *dir, struct dentry *dentry,
	     umode_t mode, unsigned int dev, int ret)
{
	return ret ?: check_name(dir, dentry, STK_ACC_CREATE);
}

SEC("lsm/path_mkdir")
int BPF_PROG(stockade_path_mkdir, const struct path *dir, struct dentry *dentry,
	     umode_t mode, int ret)
{
	return ret ?: check_name(dir, dentry, STK_ACC_CREATE);
}

SEC("lsm/path_symlink")
int BPF_PROG(stockade_path_symlink, const struct path *dir, struct dentry *dentry,
	     const char *old_name, int ret)
{
	return ret ?: check_name(dir, dentry, STK_ACC_CREATE);
}

SEC("lsm/path_unlink")
int BPF_PROG(stockade_path_unlink, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ?: check_name(dir, dentry, STK_ACC_UNLINK);
}

SEC("lsm/path_rmdir")
int BPF_PROG(stockade_path_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	return ret ?: check_name(dir, dentry, STK_ACC_UNLINK);
}

/*
 * A hard link gives the old file a new name, and the old name's path is not
 * at hand (only its dentry): the new name must allow "link" outright.
 */
SEC("lsm/path_link")
int BPF_PROG(stockade_path_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, int ret)
{
	return ret ?: check_name(new_dir, new_dentry, STK_ACC_LINK);
}

SEC("lsm/path_rename")
int BPF_PROG(stockade_path_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	return ret ?: on_path_rename(old_dir, old_dentry, new_dir, new_dentry, flags);
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
		return unnamed(s, NULL);
	s->ev.path[0] = '@';
	bpf_probe_read_kernel(&s->ev.path[1], n & UNIX_NAME_MAX, &addr->name[0].sun_path[1]);
	s->ev.path[(1 + n) & UNIX_NAME_MAX] = 0;
	s->len = 1 + n;
	return true;
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

SEC("lsm/unix_stream_connect")
int BPF_PROG(stockade_unix_stream_connect, struct sock *sock, struct sock *other,
	     struct sock *newsk, int ret)
{
	return ret ?: check_unix(other);
}

SEC("lsm/unix_may_send")
int BPF_PROG(stockade_unix_may_send, struct socket *sock, struct socket *other, int ret)
{
	return ret ?: check_unix(BPF_CORE_READ(other, sk));
}

SEC("lsm/sb_mount")
int BPF_PROG(stockade_sb_mount, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	return ret ?: check_privilege(STK_PRIV_MOUNT, path);
}

SEC("lsm/move_mount")
int BPF_PROG(stockade_move_mount, const struct path *from_path, const struct path *to_path, int ret)
{
	return ret ?: check_privilege(STK_PRIV_MOUNT, to_path);
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(stockade_sb_pivotroot, const struct path *old_path, const struct path *new_path,
	     int ret)
{
	return ret ?: check_privilege(STK_PRIV_MOUNT, new_path);
}

SEC("lsm/path_chroot")
int BPF_PROG(stockade_path_chroot, const struct path *path, int ret)
{
	/* Any task's: a cached verdict names the root it was reached from. */
	__sync_fetch_and_add(&roots_gen, 1);
	return ret ?: check_privilege(STK_PRIV_CHROOT, path);
}

SEC("lsm/bpf")
int BPF_PROG(stockade_bpf, int cmd, union bpf_attr *attr, unsigned int size, int ret)
{
	return ret ?: check_privilege(STK_PRIV_BPF, NULL);
}

SEC("lsm/kernel_read_file")
int BPF_PROG(stockade_kernel_read_file, struct file *file, enum kernel_read_file_id id, bool contents, int ret)
{
	return ret ?: id == READING_MODULE ? check_privilege(STK_PRIV_MODULES, NULL) : 0;
}

SEC("lsm/kernel_load_data")
int BPF_PROG(stockade_kernel_load_data, enum kernel_load_data_id id, bool contents, int ret)
{
	return ret ?: id == LOADING_MODULE ? check_privilege(STK_PRIV_MODULES, NULL) : 0;
}

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
	__u8 v4[4];

	if (BPF_CORE_READ(sk, skc_state) == TCP_LISTEN)
		return check_listen(sock);
	if ((family != AF_INET && family != AF_INET6) || !BPF_CORE_READ(sk, skc_dport) ||
	    !(s = watched(&subj, &subject)))
		return 0;
	if (family == AF_INET) {
		bpf_probe_read_kernel(v4, sizeof(v4), &sk->skc_daddr);
		stk_addr_from_v4(s->ev.addr, v4);
	} else {
		bpf_probe_read_kernel(s->ev.addr, sizeof(s->ev.addr), &sk->skc_v6_daddr);
	}
	s->ev.port = bpf_ntohs(BPF_CORE_READ(sk, skc_dport));
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

SEC("lsm/task_kill")
int BPF_PROG(stockade_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	/* cred: sent for another task's credentials (USB async I/O), not ours. */
	return ret ?: cred ? 0 : check_other_task(p, STK_PRIV_SIGNAL);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(stockade_ptrace, struct task_struct *child, unsigned int mode, int ret)
{
	return ret ?: check_other_task(child, stk_ptrace_privilege(mode));
}

SEC("lsm/syslog")
int BPF_PROG(stockade_syslog, int type, int ret)
{
	return ret ?: check_privilege(STK_PRIV_SYSLOG, NULL);
}

/* The hottest hook of all: only a write permission asked on cgroupfs counts. */
SEC("lsm/inode_permission")
int BPF_PROG(stockade_inode_permission, struct inode *inode, int mask, int ret)
{
	return ret ?: (mask & MAY_WRITE) ? check_cgroup_move(inode) : 0;
}

SEC("lsm/capable")
int BPF_PROG(stockade_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	return ret ?: check_capability(cred, cap, opts);
}

SEC("lsm/file_receive")
int BPF_PROG(stockade_file_receive, struct file *file, int ret)
{
	return ret ?: on_file_receive(file);
}

SEC("lsm/socket_create")
int BPF_PROG(stockade_socket_create, int family, int type, int protocol, int kern, int ret)
{
	return ret ?: check_socket(family, type, protocol, kern);
}

SEC("lsm/socket_connect")
int BPF_PROG(stockade_socket_connect, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	return ret ?: check_net(sock, address, addrlen, STK_NET_CONNECT);
}

SEC("lsm/socket_bind")
int BPF_PROG(stockade_socket_bind, struct socket *sock, struct sockaddr *address, int addrlen,
	     int ret)
{
	return ret ?: check_net(sock, address, addrlen, STK_NET_BIND);
}

SEC("lsm/socket_listen")
int BPF_PROG(stockade_socket_listen, struct socket *sock, int backlog, int ret)
{
	return ret ?: check_listen(sock);
}

SEC("lsm/socket_sendmsg")
int BPF_PROG(stockade_socket_sendmsg, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	return ret ?: check_send(sock, msg);
}

/* ---- fentry: record only, where BPF LSM is not active ------------------- */

SEC("fentry/security_file_open")
int BPF_PROG(record_file_open, struct file *file)
{
	on_file_open(file, false);
	return 0;
}

SEC("fentry/security_mmap_file")
int BPF_PROG(record_mmap_file, struct file *file, unsigned long prot, unsigned long flags)
{
	on_mapping(file, prot, false, false);
	return 0;
}

SEC("fentry/security_file_mprotect")
int BPF_PROG(record_file_mprotect, struct vm_area_struct *vma, unsigned long reqprot,
	     unsigned long prot)
{
	on_mapping(vma->vm_file, prot, vma->vm_flags & VM_EXEC, false);
	return 0;
}

SEC("fentry/security_path_truncate")
int BPF_PROG(record_path_truncate, const struct path *path)
{
	on_path_truncate(path);
	return 0;
}

SEC("fentry/security_path_mknod")
int BPF_PROG(record_path_mknod, const struct path *dir, struct dentry *dentry)
{
	check_name(dir, dentry, STK_ACC_CREATE);
	return 0;
}

SEC("fentry/security_path_mkdir")
int BPF_PROG(record_path_mkdir, const struct path *dir, struct dentry *dentry)
{
	check_name(dir, dentry, STK_ACC_CREATE);
	return 0;
}

SEC("fentry/security_path_symlink")
int BPF_PROG(record_path_symlink, const struct path *dir, struct dentry *dentry)
{
	check_name(dir, dentry, STK_ACC_CREATE);
	return 0;
}

SEC("fentry/security_path_unlink")
int BPF_PROG(record_path_unlink, const struct path *dir, struct dentry *dentry)
{
	check_name(dir, dentry, STK_ACC_UNLINK);
	return 0;
}

SEC("fentry/security_path_rmdir")
int BPF_PROG(record_path_rmdir, const struct path *dir, struct dentry *dentry)
{
	check_name(dir, dentry, STK_ACC_UNLINK);
	return 0;
}

SEC("fentry/security_path_link")
int BPF_PROG(record_path_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry)
{
	check_name(new_dir, new_dentry, STK_ACC_LINK);
	return 0;
}

SEC("fentry/security_path_rename")
int BPF_PROG(record_path_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags)
{
	on_path_rename(old_dir, old_dentry, new_dir, new_dentry, flags);
	return 0;
}

SEC("fentry/security_socket_connect")
int BPF_PROG(record_socket_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	check_net(sock, address, addrlen, STK_NET_CONNECT);
	return 0;
}

SEC("fentry/security_socket_bind")
int BPF_PROG(record_socket_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	check_net(sock, address, addrlen, STK_NET_BIND);
	return 0;
}

SEC("fentry/security_socket_sendmsg")
int BPF_PROG(record_socket_sendmsg, struct socket *sock, struct msghdr *msg, int size)
{
	check_send(sock, msg);
	return 0;
}

SEC("fentry/security_socket_create")
int BPF_PROG(record_socket_create, int family, int type, int protocol, int kern)
{
	check_socket(family, type, protocol, kern);
	return 0;
}

SEC("fentry/security_unix_stream_connect")
int BPF_PROG(record_unix_stream_connect, struct sock *sock, struct sock *other, struct sock *newsk)
{
	check_unix(other);
	return 0;
}

SEC("fentry/security_unix_may_send")
int BPF_PROG(record_unix_may_send, struct socket *sock, struct socket *other)
{
	check_unix(BPF_CORE_READ(other, sk));
	return 0;
}

SEC("fentry/security_socket_listen")
int BPF_PROG(record_socket_listen, struct socket *sock, int backlog)
{
	check_listen(sock);
	return 0;
}

SEC("fentry/security_sb_mount")
int BPF_PROG(record_sb_mount, const char *dev_name, const struct path *path)
{
	check_privilege(STK_PRIV_MOUNT, path);
	return 0;
}

SEC("fentry/security_move_mount")
int BPF_PROG(record_move_mount, const struct path *from_path, const struct path *to_path)
{
	check_privilege(STK_PRIV_MOUNT, to_path);
	return 0;
}

SEC("fentry/security_sb_pivotroot")
int BPF_PROG(record_sb_pivotroot, const struct path *old_path, const struct path *new_path)
{
	check_privilege(STK_PRIV_MOUNT, new_path);
	return 0;
}

SEC("fentry/security_path_chroot")
int BPF_PROG(record_path_chroot, const struct path *path)
{
	check_privilege(STK_PRIV_CHROOT, path);
	return 0;
}

SEC("fentry/security_bpf")
int BPF_PROG(record_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	check_privilege(STK_PRIV_BPF, NULL);
	return 0;
}

SEC("fentry/security_kernel_read_file")
int BPF_PROG(record_kernel_read_file, struct file *file, enum kernel_read_file_id id, bool contents)
{
	if (id == READING_MODULE)
		check_privilege(STK_PRIV_MODULES, NULL);
	return 0;
}

SEC("fentry/security_kernel_load_data")
int BPF_PROG(record_kernel_load_data, enum kernel_load_data_id id, bool contents)
{
	if (id == LOADING_MODULE)
		check_privilege(STK_PRIV_MODULES, NULL);
	return 0;
}

SEC("fentry/security_task_kill")
int BPF_PROG(record_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred)
{
	if (!cred)
		check_other_task(p, STK_PRIV_SIGNAL);
	return 0;
}

SEC("fentry/security_ptrace_access_check")
int BPF_PROG(record_ptrace, struct task_struct *child, unsigned int mode)
{
	check_other_task(child, stk_ptrace_privilege(mode));
	return 0;
}

SEC("fentry/security_syslog")
int BPF_PROG(record_syslog, int type)
{
	check_privilege(STK_PRIV_SYSLOG, NULL);
	return 0;
}

SEC("fentry/security_capable")
int BPF_PROG(record_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts)
{
	check_capability(cred, cap, opts);
	return 0;
}

SEC("fentry/security_file_receive")
int BPF_PROG(record_file_receive, struct file *file)
{
	on_file_receive(file);
	return 0;
}
