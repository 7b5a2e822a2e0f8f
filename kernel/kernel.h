/*
 * The kernel stage: loading and attaching stockade's BPF programs, their maps
 * (subjects, rules, counters, events), pinning them for the daemon, the
 * status of every loaded instance, and the doctor's probe. Every function
 * that can fail returns -1 with stk_error() set.
 */
#ifndef STOCKADE_KERNEL_H
#define STOCKADE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "../bpf/abi.h"
#include "../subject/subject.h"

struct kernel;

enum kernel_use {
	KERNEL_RECORD,  /* fentry programs will do where BPF LSM is not active */
	KERNEL_ENFORCE, /* only BPF LSM programs can refuse an access */
};

/* Loaded, attached programs; refuses with a diagnosis where they cannot run. */
int kernel_open(enum kernel_use use, struct kernel **out);
/* Whether the programs are BPF LSM ones (false: fentry, record only). */
bool kernel_is_lsm(const struct kernel *k);
void kernel_close(struct kernel *k);
/* A cgroup subject stays one when its cgroup is made anew (a restarted
 * service): the kernel knows it by path, and keeps its first id as its key. */
int kernel_subject_set(struct kernel *k, const struct subject *subject, enum stk_mode mode,
		       uint32_t profile, const struct stk_grants *grants);
int kernel_subject_remove(struct kernel *k, uint64_t subject_id);
bool kernel_subject_exists(struct kernel *k, uint64_t subject_id);
/* The key a cgroup subject already has in the kernel (it may have been
 * applied under an earlier cgroup of its path, or before its cgroup existed);
 * else the subject's own id. */
uint64_t kernel_subject_key(struct kernel *k, const struct subject *s);
/* A profile id no loaded rule uses yet. */
uint32_t kernel_profile_new(struct kernel *k);
/* A rule map entry; the key holds class bytes of path (compiled_rule_key()). */
int kernel_rule_add(struct kernel *k, const struct stk_rule_key *key, uint32_t class,
		    const struct stk_rule *rule);
int kernel_rule_remove(struct kernel *k, const struct stk_rule_key *key, uint32_t class);
int kernel_net_rule_add(struct kernel *k, const struct stk_net_key *key,
			const struct stk_net_rule *rule);
int kernel_net_rule_remove(struct kernel *k, const struct stk_net_key *key);
int kernel_counters(struct kernel *k, struct stk_counters *out);
/* Make tgid the one process confined tasks may not signal or trace. */
int kernel_protect(struct kernel *k, uint32_t tgid);
/* What a subject was given (for status and for a restarted daemon). */
int kernel_subject_info_set(struct kernel *k, uint64_t subject_id, const struct stk_subject_info *info);
typedef int (*kernel_subject_fn)(uint64_t id, const struct stk_subject *s,
				 const struct stk_subject_info *info, void *ctx);
/* Every subject of this instance, with what was applied to it. */
int kernel_subjects(struct kernel *k, kernel_subject_fn fn, void *ctx);
/* Remove every rule of one profile id, or of every id no subject uses. */
int kernel_profile_drop(struct kernel *k, uint32_t profile);
int kernel_rules_gc(struct kernel *k);

/*
 * The production instance, pinned under STK_PIN_DIR so enforcement survives
 * its daemon: adopts what is pinned (*adopted), or with load, loads,
 * attaches and pins (without, *out is NULL when nothing is pinned).
 */
int kernel_open_pinned(struct kernel **out, bool load, bool *adopted);
/* Unpin everything: once no process holds them, the programs detach. */
int kernel_unpin(void);
/* Sum the per-CPU counters map open as fd. */
int counters_read(int fd, struct stk_counters *out);

typedef int (*event_fn)(const struct stk_event *ev, void *ctx);
/* Deliver ring-buffer events to fn for up to timeout_ms; returns the count. */
int kernel_poll(struct kernel *k, event_fn fn, void *ctx, int timeout_ms);

/* A running instance of stockade's programs, as `stockade status` shows it. */
struct instance_status {
	__u32 prog_id; /* its file_open program */
	bool lsm;      /* false: fentry, recording only */
	bool pinned;   /* the production instance, pinned under STK_PIN_DIR */
	struct {
		__u64 id; /* cgroup id, or STK_SUBJECT_USER | uid */
		struct stk_subject state;
		struct stk_subject_info info; /* zero if none was recorded */
		struct stk_subject_counters refused;
		char cgroup[STK_CGROUP_NAME_MAX]; /* a pinned cgroup subject's path, else "" */
	} subjects[STK_SUBJECTS_MAX];
	size_t nsubjects;
	struct stk_counters counters;
};
typedef int (*status_fn)(const struct instance_status *st, void *ctx);
/* Call fn for each instance loaded on this machine; returns how many. */
int kernel_status(status_fn fn, void *ctx);

/* What `stockade doctor` checks, without printing. */
struct kernel_report {
	bool root, btf, cgroup2, lsm_known, bpf_lsm;
	int load_error;   /* 0, or the -errno of loading the programs */
	int attach_error; /* 0, or the -errno of attaching them */
	bool fentry;      /* the trial used the fentry (record-only) programs */
	char lsm_list[256];
};
void kernel_probe(struct kernel_report *r);

/* Check a raw ring-buffer record; fills *out (path NUL-terminated). */
int event_decode(const void *data, size_t size, struct stk_event *out);

#endif
