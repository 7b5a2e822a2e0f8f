/*
 * What `make prove` hands to Frama-C: the decision functions exactly as the
 * BPF programs include them (bpf/decide.h), with the kernel's integer types.
 * Every function is a proof entry point: WP proves each contract, and RTE
 * adds a goal for every possible runtime error.
 */
#include <stdint.h>

/* <linux/types.h>'s names, from Frama-C's own libc. */
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;

#include "../bpf/decide.h"
