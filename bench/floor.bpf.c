// SPDX-License-Identifier: GPL-2.0
/*
 * The floor under stockade's cost (bench/vm.sh): LSM programs that decide
 * nothing, on the hooks every task enters (file_open and inode_permission).
 * What a loop pays with these attached is what any BPF LSM design on 6.1
 * pays while a hook has a program: the trampoline and a program's entry and
 * exit. What stockade costs a task outside every subject beyond that is
 * its own code.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/file_open")
int BPF_PROG(floor_file_open, struct file *file, int ret)
{
	return ret;
}

SEC("lsm/inode_permission")
int BPF_PROG(floor_inode_permission, struct inode *inode, int mask, int ret)
{
	return ret;
}
