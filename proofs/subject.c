/*
 * The subject lookup (bpf/subject.h), exactly as the BPF programs include
 * it, with the kernel's integer types: the nearest subject of a cgroup, the
 * cache, and which subject judges the current task. What it reads of the
 * kernel and the maps is abstract (the contracts in bpf/subject.h).
 */
#include <stddef.h>
#include "include/linux/types.h"
#include "../bpf/subject.h"
