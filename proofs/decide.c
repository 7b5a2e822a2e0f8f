/*
 * What `make prove` hands to Frama-C: the decision functions exactly as the
 * BPF programs include them (bpf/decide.h), with the kernel's integer types.
 * Every function is a proof entry point: WP proves each contract, and RTE
 * adds a goal for every possible runtime error.
 */
#include "include/linux/types.h"
#include "../bpf/decide.h"
