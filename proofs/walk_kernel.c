/*
 * What `make prove` hands to Frama-C: the decision functions (bpf/decide.h)
 * and the walk (bpf/walk.h), exactly as the BPF programs include them, with
 * the kernel's integer types (decide.c).
 */
#include "decide.c"
#include "../bpf/walk.h"
