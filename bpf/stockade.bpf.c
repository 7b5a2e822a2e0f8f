// SPDX-License-Identifier: GPL-2.0
/*
 * stockade's kernel side: one set of LSM programs serves every subject in
 * every mode. Each hook asks which subject the current task belongs to (one
 * cache lookup for a task that belongs to none), then records, complains or
 * enforces according to that subject's mode.
 *
 * One object, one translation unit: each concern is a header this file
 * includes, in the order they use each other: maps.h (the shared maps and
 * scratch), subject.h (which subject a task is in), naming.h (naming files and
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
#include "subject.h"
#include "naming.h"
#include "emit.h"
#include "hook.h"
#include "privileges.h"
#include "files.h"
#include "peers.h"
#include "tasks.h"
#include "received.h"
