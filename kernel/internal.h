/*
 * Private to the kernel stage: the loaded (or adopted) instance that
 * load.c and pin.c share. Other stages use kernel.h.
 */
#ifndef STOCKADE_KERNEL_INTERNAL_H
#define STOCKADE_KERNEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"

struct stockade_bpf;

/* The maps user space works with, by the name they are pinned under. */
enum kmap {
	M_SUBJECTS,
	M_RULES_64,
	M_RULES_256,
	M_RULES_1024,
	M_RULES_4096,
	M_NET_RULES,
	M_COUNTERS,
	M_EVENTS,
	M_BSS,
	M_INFO,
	M_SUBJECT_COUNTERS,
	M_PROTECTED,
	M_NAMES,
	M_ALIASES,
	M_COUNT,
};

struct kernel {
	struct stockade_bpf *skel; /* NULL when adopted from the pins */
	int fd[M_COUNT];
	struct ring_buffer *rb;
	event_fn fn;
	void *ctx;
	uint32_t last_profile;
	bool lsm;
};

/* The object's map of that index. */
struct bpf_map *skel_map(struct stockade_bpf *skel, enum kmap m);
/* An instance with no map open yet. */
struct kernel *kernel_alloc(void);

#endif
