/*
 * Private to the kernel stage: the loaded (or adopted) instance that
 * load.c and pin.c share. Other stages use kernel.h.
 */
#ifndef STOCKADE_KERNEL_INTERNAL_H
#define STOCKADE_KERNEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"

struct bpf_object;

/*
 * The maps user space works with, each once: its index, its name in the
 * object and among the kernel's maps, and the name it is pinned under
 * (abi.h): its own name (KMAP()), but for the globals, whose ".bss" pin
 * would be hidden. The rule maps and the network rules come in this order.
 */
#define KMAP(X, index, name) X(index, name, name)
#define KERNEL_MAPS(X)                                          \
	KMAP(X, M_SUBJECTS, STK_MAP_SUBJECTS)                   \
	KMAP(X, M_RULES_64, STK_MAP_RULES_64)                   \
	KMAP(X, M_RULES_256, STK_MAP_RULES_256)                 \
	KMAP(X, M_RULES_1024, STK_MAP_RULES_1024)               \
	KMAP(X, M_RULES_4096, STK_MAP_RULES_4096)               \
	KMAP(X, M_NET_RULES, STK_MAP_NET_RULES)                 \
	KMAP(X, M_COUNTERS, STK_MAP_COUNTERS)                   \
	KMAP(X, M_EVENTS, STK_MAP_EVENTS)                       \
	X(M_BSS, STK_MAP_GLOBALS, STK_PIN_GLOBALS)              \
	KMAP(X, M_INFO, STK_MAP_SUBJECT_INFO)                   \
	KMAP(X, M_SUBJECT_COUNTERS, STK_MAP_SUBJECT_COUNTERS)   \
	KMAP(X, M_PROTECTED, STK_MAP_PROTECTED)                 \
	KMAP(X, M_NAMES, STK_MAP_SUBJECT_NAMES)                 \
	KMAP(X, M_ALIASES, STK_MAP_CGROUP_ALIASES)

enum kmap {
#define KMAP_INDEX(index, name, pin) index,
	KERNEL_MAPS(KMAP_INDEX)
#undef KMAP_INDEX
	M_COUNT,
};

struct kmap_names {
	const char *name; /* in the object */
	const char *pin;  /* under STK_PIN_DIR */
};
extern const struct kmap_names kmap_names[M_COUNT];

struct kernel {
	struct stockade_bpf *skel; /* NULL when adopted from the pins */
	int fd[M_COUNT];
	struct ring_buffer *rb;
	event_fn fn;
	void *ctx;
	uint32_t last_profile;
	bool lsm;
};

/* The object's map of that index; NULL (with stk_error() set) if it has none. */
struct bpf_map *object_map(struct bpf_object *obj, enum kmap m);
/* An instance with no map open yet. */
struct kernel *kernel_alloc(void);

#endif
