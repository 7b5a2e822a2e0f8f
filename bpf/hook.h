/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One definition for each hook's two programs. Where BPF LSM is active, the
 * LSM program on the hook returns the verdict; where it is not, an fentry
 * program on the same security_*() function runs the same check to record,
 * and its verdict goes nowhere (recording denies nothing, and user space
 * refuses to enforce without BPF LSM). kernel/load.c loads one set or the
 * other, by section.
 *
 *	HOOK(hook, args...) { body }
 *
 * takes the hook's arguments as include/linux/lsm_hook_defs.h lists them,
 * and defines
 *   stockade_<hook>	on SEC("lsm/<hook>"): an earlier program's refusal
 *			(the ret argument) stands, else the body's verdict;
 *   record_<hook>	on SEC("fentry/security_<hook>"), which the kernel
 *			calls with the same arguments: runs the body, returns 0.
 * Besides its arguments the body sees two constants, which fold away:
 *   lsm		true in the LSM program;
 *   sleepable		true in a sleepable program.
 *
 * HOOK_NAMED() gives the programs another name than the hook's, and
 * HOOK_SLEEPABLE_ADAPTED() makes the LSM program sleepable and builds the
 * hook's arguments from those of a security_*() function that is called
 * with others. A hook with no twin (nothing to record) is a plain BPF_PROG.
 * The hooks are in the header of their concern: files.h, privileges.h,
 * peers.h, tasks.h, received.h.
 */
#ifndef STOCKADE_HOOK_H
#define STOCKADE_HOOK_H

#define STK_UNPAREN(...) __VA_ARGS__

#define HOOK_BODY_(name, args...)                                                 \
	static __always_inline int hook_##name(const bool lsm, const bool sleepable, \
					       unsigned long long *ctx, ##args)

/*
 * The wrappers unpack their context into the body's typed arguments with
 * libbpf's own ___bpf_ctx_cast() (ctx first), and silence the warning its
 * casts of integers raise, both as BPF_PROG() does. An LSM program's
 * context is the hook's arguments, then ret.
 */
#define HOOK_LSM_(name, sec, sleepable_, args...)                                 \
	SEC(sec)                                                                  \
	int stockade_##name(unsigned long long *ctx)                              \
	{                                                                         \
		int ret = ctx[___bpf_narg(args)];                                 \
                                                                                  \
		_Pragma("GCC diagnostic push")                                    \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")            \
		return ret ?: hook_##name(true, sleepable_, ___bpf_ctx_cast(args)); \
		_Pragma("GCC diagnostic pop")                                     \
	}

#define HOOK_TWIN_(name, hook, args...)                                           \
	SEC("fentry/security_" #hook)                                             \
	int record_##name(unsigned long long *ctx)                                \
	{                                                                         \
		_Pragma("GCC diagnostic push")                                    \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")            \
		hook_##name(false, false, ___bpf_ctx_cast(args));                 \
		_Pragma("GCC diagnostic pop")                                     \
		return 0;                                                         \
	}

#define HOOK_NAMED(name, hook, args...)                                           \
	HOOK_BODY_(name, args);                                                   \
	HOOK_LSM_(name, "lsm/" #hook, false, args)                                \
	HOOK_TWIN_(name, hook, args)                                              \
	HOOK_BODY_(name, args)

#define HOOK(hook, args...) HOOK_NAMED(hook, hook, args)

/*
 * twin_args are security_<hook>()'s arguments, and hook_args the hook's as
 * the twin makes them from those.
 */
#define HOOK_SLEEPABLE_ADAPTED(hook, twin_args, hook_args, args...)               \
	HOOK_BODY_(hook, args);                                                   \
	HOOK_LSM_(hook, "lsm.s/" #hook, true, args)                               \
	HOOK_TWIN_ADAPTED_(hook, hook_args, STK_UNPAREN twin_args)                \
	HOOK_BODY_(hook, args)

/*
 * twin_args arrives as one argument, and is unpacked as it is substituted,
 * before BPF_PROG counts its arguments.
 */
#define HOOK_TWIN_ADAPTED_(hook, hook_args, twin_args...)                         \
	SEC("fentry/security_" #hook)                                             \
	int BPF_PROG(record_##hook, twin_args)                                    \
	{                                                                         \
		hook_##hook(false, false, ctx, STK_UNPAREN hook_args);            \
		return 0;                                                         \
	}

#endif /* STOCKADE_HOOK_H */
