/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel/user ABI of stockade: every constant, map key and value, and
 * event that crosses the bpf() boundary. Included by the BPF programs (after
 * vmlinux.h) and by user space (after <linux/types.h>).
 */
#ifndef STOCKADE_ABI_H
#define STOCKADE_ABI_H

#define STK_PATH_MAX 4096      /* PATH_MAX: what d_path can return */
#define STK_COMM_LEN 16
#define STK_EXE_MAX 256 /* longer executable paths are sent as "" */
#define STK_SUBJECTS_MAX 1024
#define STK_CGROUP_DEPTH_MAX 32 /* ancestors searched for a subject */

/* Processes no confined task may signal or trace (map "protected"). */
#define STK_PROTECTED_MAX 16

/* Where the programs, links and maps live once pinned. */
#define STK_PIN_DIR "/sys/fs/bpf/stockade"

/*
 * The names user space finds the programs' maps by, in the object and among
 * the kernel's maps, and pins each under in STK_PIN_DIR. The kernel keeps
 * BPF_OBJ_NAME_LEN - 1 characters of a name ("subject_counters" is listed
 * as "subject_counter"): compare what it reports by that many.
 */
#define STK_MAP_SUBJECTS "subjects"
#define STK_MAP_SUBJECT_NAMES "subject_names"
#define STK_MAP_CGROUP_ALIASES "cgroup_aliases"
#define STK_MAP_RULES_64 "rules_64"
#define STK_MAP_RULES_256 "rules_256"
#define STK_MAP_RULES_1024 "rules_1024"
#define STK_MAP_RULES_4096 "rules_4096"
#define STK_MAP_NET_RULES "net_rules"
#define STK_MAP_PROTECTED "protected"
#define STK_MAP_SUBJECT_INFO "subject_info"
#define STK_MAP_SUBJECT_COUNTERS "subject_counters"
#define STK_MAP_EVENTS "events"
#define STK_MAP_COUNTERS "counters"
#define STK_MAP_GLOBALS ".bss" /* the programs' globals */
#define STK_PIN_GLOBALS "bss"  /* pinned without the dot, which would hide it */
/* A pinned link is "link-" and its program's name. */
#define STK_PIN_LINK_PREFIX "link-"
#define STK_PIN(name) STK_PIN_DIR "/" name

/* The program every instance has, by which `stockade status` finds them:
 * the file_open hook as a BPF LSM program, or (recording only) fentry. */
#define STK_PROG_FILE_OPEN_LSM "stockade_file_open"
#define STK_PROG_FILE_OPEN_FENTRY "record_file_open"

enum stk_mode {
	STK_MODE_OFF,
	STK_MODE_RECORD,   /* log new observations, deny nothing */
	STK_MODE_COMPLAIN, /* log what the profile would deny, deny nothing */
	STK_MODE_ENFORCE,  /* deny and log what the profile does not allow */
	STK_MODE_COUNT,
};

/*
 * Access bits: what a task does to a file by its path. A unix socket is named
 * by the path it is bound to, or "@name" for an abstract one.
 */
enum stk_access {
	STK_ACC_READ = 1 << 0,
	STK_ACC_WRITE = 1 << 1,  /* open for writing, truncate */
	STK_ACC_APPEND = 1 << 2, /* opened for writing with O_APPEND */
	STK_ACC_EXEC = 1 << 3,   /* opened by execve() to run it */
	STK_ACC_CREATE = 1 << 4, /* a new name: create, mkdir, mknod, symlink, rename's target */
	STK_ACC_UNLINK = 1 << 5, /* a name removed: unlink, rmdir, rename's source */
	STK_ACC_LINK = 1 << 6,   /* a hard link made at this name */
	STK_ACC_CONNECT = 1 << 7, /* connecting or sending to the unix socket bound here */
	STK_ACC_ALL = (1 << 8) - 1,
};

/*
 * Operations that would let a task around the rules, which a profile grants
 * outright or not: sockets below TCP and UDP, where network rules cannot
 * follow, and changes to what paths mean (a rule names a path as seen from
 * the task's root, through the mounts).
 */
enum stk_privilege {
	STK_PRIV_RAW_SOCKET = 1 << 0,    /* SOCK_RAW in AF_INET or AF_INET6 */
	STK_PRIV_PACKET_SOCKET = 1 << 1, /* AF_PACKET */
	STK_PRIV_MOUNT = 1 << 2,         /* mount, move_mount, pivot_root */
	STK_PRIV_CHROOT = 1 << 3,        /* chroot */
	STK_PRIV_BPF = 1 << 4,           /* the bpf() system call */
	STK_PRIV_MODULES = 1 << 5,       /* loading a kernel module */
	/* Another process, one outside the task's own subject: */
	STK_PRIV_PTRACE_READ = 1 << 6,   /* ptrace read checks: /proc/PID/environ, maps, fd, ... */
	STK_PRIV_PTRACE = 1 << 7,        /* ptrace, process_vm_*, /proc/PID/mem, pidfd_getfd */
	STK_PRIV_SIGNAL = 1 << 8,        /* kill(), tgkill(), pidfd_send_signal(), ... */
	STK_PRIV_ANON_EXEC = 1 << 9,     /* executable memory backed by no file (JITs) */
	STK_PRIV_SYSLOG = 1 << 10,       /* the kernel log: klogctl(), /dev/kmsg, /proc/kmsg */
	STK_PRIV_NETLINK_SEND = 1 << 11, /* netlink to a process or a multicast group */
	STK_PRIV_ALL = (1 << 12) - 1,
	/* Never granted, only logged: */
	STK_PRIV_TAMPER = 1 << 12,        /* signalling or tracing stockade's daemon */
	STK_PRIV_LEAVE_SUBJECT = 1 << 13, /* moving a task to a cgroup of another subject */
	STK_PRIV_NEVER = STK_PRIV_TAMPER | STK_PRIV_LEAVE_SUBJECT,
};

/* Capabilities are Linux's numbers, 0 to STK_CAP_MAX - 1 (6.1 has 41). */
#define STK_CAP_MAX 64
/* Socket families are Linux's AF_* numbers; netlink protocols NETLINK_*. */
#define STK_FAMILY_MAX 64
#define STK_NETLINK_MAX 32
#define STK_AF_UNIX 1
#define STK_AF_INET 2
#define STK_AF_INET6 10
#define STK_AF_NETLINK 16
#define STK_AF_PACKET 17

/*
 * Map "subjects" is keyed by the subject's cgroup v2 id, or, for a user, by
 * STK_SUBJECT_USER | uid (cgroup ids never reach bit 63). A cgroup subject
 * applied before its cgroup exists (a unit that is not running yet) has no
 * id to go by: it is keyed STK_SUBJECT_NAMED | a hash of its path, and the
 * kernel finds it through "subject_names" once the cgroup is made.
 */
#define STK_SUBJECT_USER (1ULL << 63)
#define STK_SUBJECT_NAMED (1ULL << 62)

/*
 * systemd makes a service's cgroup anew, with a new id, each time it starts
 * the service. Map "subject_names" holds the cgroup path (from the cgroup2
 * root, as the kernel names it, zero-padded) of each cgroup subject; when a
 * cgroup of that path is made again, the kernel maps the new cgroup's id to
 * the subject's key in map "cgroup_aliases", before any task can enter it.
 */
#define STK_CGROUP_NAME_MAX 256
struct stk_cgroup_name {
	char path[STK_CGROUP_NAME_MAX];
};

/* What a profile grants outright, beside its rules. */
struct stk_grants {
	__u32 privileges;   /* enum stk_privilege bits */
	__u32 netlink;      /* bit n: netlink sockets of protocol n */
	__u64 capabilities; /* bit n: capability n */
	__u64 families;     /* bit n: sockets of family n (not unix, inet, inet6, packet, netlink) */
};

/* Value of map "subjects". */
struct stk_subject {
	__u32 mode;    /* enum stk_mode */
	__u32 profile; /* id that the subject's rules carry in their keys */
	struct stk_grants grants;
};

/*
 * Key of the rule maps: a profile id and an absolute path, zero-padded to the
 * key size of the map for the path's length class (stk_key_class()). Paths
 * are compared whole, never by hash: a rule matches its exact bytes only.
 */
#define STK_KEY_CLASSES 4
struct stk_rule_key {
	__u32 profile;
	char path[];
};

/*
 * Versioned rules (stk_version_stem_len() in decide.h) are keyed by their
 * stem under the profile id with this bit set, their bits in the "tree"
 * fields: the stem is one more level of the walk. Profile ids never reach it.
 */
#define STK_PROFILE_VERSIONS (1U << 31)

/*
 * Value of the rule maps: access bits per kind of match. A "self" bit applies
 * to the path itself, a "tree" bit to the path and everything below it.
 */
struct stk_rule {
	__u8 allow_self;
	__u8 allow_tree;
	__u8 deny_self;
	__u8 deny_tree;
};

/* Network operations: the access bits of a network rule or event. */
enum stk_net_op {
	STK_NET_CONNECT = 1 << 0, /* connect() */
	STK_NET_BIND = 1 << 1,    /* bind() */
	STK_NET_SEND = 1 << 2,    /* sendto()/sendmsg() naming a destination */
	STK_NET_ALL = (1 << 3) - 1,
};

#define STK_PROTO_TCP 6
#define STK_PROTO_UDP 17
#define STK_PORT_RANGES 8

/*
 * Key of the network rule trie. Addresses are IPv6; an IPv4 address is
 * stored as the IPv4-mapped IPv6 address it is (::ffff:a.b.c.d), so one rule
 * covers both spellings. prefixlen counts the bits after itself: 64 for
 * profile, proto, op and pad, plus the address prefix.
 */
struct stk_net_key {
	__u32 prefixlen;
	__u32 profile;
	__u8 proto; /* STK_PROTO_TCP or STK_PROTO_UDP */
	__u8 op;    /* one enum stk_net_op bit */
	__u8 pad[2];
	__u8 addr[16];
};
#define STK_NET_KEY_FIXED_BITS 64

/* The ports allowed at a prefix: its own rules' and every wider prefix's. */
struct stk_port_range {
	__u16 lo, hi;
};

struct stk_net_rule {
	__u32 n;
	struct stk_port_range ports[STK_PORT_RANGES];
};

enum stk_event_type {
	STK_EV_FILE = 1, /* the path of a file; access says what was done */
	STK_EV_NET,      /* addr, port, proto; access is an enum stk_net_op bit */
	STK_EV_PRIVILEGE, /* access is an enum stk_privilege bit; path, if any,
			     is the mount point or new root */
	STK_EV_CAPABILITY, /* access is the capability's number */
	STK_EV_SOCKET,     /* access is the socket family; proto the netlink protocol */
};

enum stk_verdict {
	STK_VERDICT_SEEN = 1,   /* record mode: a new observation */
	STK_VERDICT_WOULD_DENY, /* complain mode */
	STK_VERDICT_DENIED,     /* enforce mode: the call failed with EPERM */
};

/*
 * One ring-buffer record. Only offsetof(path) + path_len + 1 bytes are
 * sent; path is NUL-terminated.
 */
struct stk_event {
	__u64 subject; /* cgroup id of the subject, not of the task */
	__u32 type;    /* enum stk_event_type */
	__u32 verdict; /* enum stk_verdict */
	__u32 access;  /* enum stk_access bits */
	__u32 pid;     /* thread-group id */
	__u32 uid;
	__u32 path_len; /* 0 for network events */
	__u8 addr[16];  /* network events: IPv6, or IPv4-mapped */
	__u16 port;     /* network events, host order */
	__u8 proto;
	__u8 pad;
	char comm[STK_COMM_LEN];
	char exe[STK_EXE_MAX]; /* the task's executable, "" if unknown */
	char path[STK_PATH_MAX];
};

/* Per-CPU counters, summed by user space. */
enum stk_counter {
	STK_CNT_EVENTS,        /* events delivered to the ring buffer */
	STK_CNT_EVENTS_LOST,   /* observations the ring buffer had no room for */
	STK_CNT_DENIED,        /* accesses refused with EPERM */
	STK_CNT_DENIALS_LOST,  /* denials (or would-be denials) not delivered */
	STK_CNT_PATH_ERRORS,   /* accesses whose path could not be resolved */
	STK_CNT_CACHED,        /* opens settled by the verdict cache, the path unnamed */
	STK_CNT_MAX,
};

struct stk_counters {
	__u64 n[STK_CNT_MAX];
};

/*
 * Value of map "subject_info": what user space applied to a subject, kept
 * with the pinned maps for `stockade status` and for a restarted daemon.
 * The programs never read it.
 */
#define STK_INFO_FILE_MAX 256
struct stk_subject_info {
	char file[STK_INFO_FILE_MAX]; /* the profile it came from */
	char digest[72];              /* "sha256:..." of the rules applied */
	__u32 rules;                  /* the profile's rules (profile_rule_count()) */
	__u32 protection;             /* deny rules the daemon added to protect itself */
	__u64 applied_at;             /* seconds since the epoch */
};

/* Value of map "subject_counters" (per CPU): what each subject was refused. */
struct stk_subject_counters {
	__u64 denied;
	__u64 would_deny;
};

#endif
