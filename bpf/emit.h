/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What reaches user space: an event on the ring buffer, each observation
 * once (seen), and what a subject's mode makes of an access that its
 * profile allows or not (act()).
 */
#ifndef STOCKADE_EMIT_H
#define STOCKADE_EMIT_H

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

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

#endif /* STOCKADE_EMIT_H */
