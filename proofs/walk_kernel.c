/*
 * The walk the BPF programs run (bpf/walk.h), with the kernel's integer
 * types: proofs/prove proves its functions and lemmas here, decide.h's in
 * proofs/walk.c.
 */
#include "decide.c"
#include "../bpf/walk.h"
