/*
 * The kernel contract by name: every map user space finds by an abi.h name
 * is in the BPF object under that name, and so are the programs `stockade
 * status` knows an instance by. Opening the object needs no privilege.
 */
#include <criterion/criterion.h>
#include <bpf/libbpf.h>
#include "../../kernel/internal.h"
#include "stockade.skel.h"

static struct stockade_bpf *skel;

static void setup(void)
{
	skel = stockade_bpf__open();
	cr_assert_not_null(skel, "cannot open the BPF object");
}

static void teardown(void)
{
	stockade_bpf__destroy(skel);
}

TestSuite(abi, .init = setup, .fini = teardown);

Test(abi, every_map_user_space_names_is_in_the_object)
{
	for (int m = 0; m < M_COUNT; m++) {
		struct bpf_map *map = object_map(skel->obj, m);

		cr_assert_not_null(map, "no map %s", kmap_names[m].name);
		cr_assert_neq(kmap_names[m].pin[0], '.', "pin %s would be hidden", kmap_names[m].pin);
	}
}

Test(abi, the_globals_are_the_skeleton_bss)
{
	cr_assert_eq(object_map(skel->obj, M_BSS), skel->maps.bss);
	cr_assert_eq(object_map(skel->obj, M_SUBJECTS), skel->maps.subjects);
}

Test(abi, status_finds_instances_by_their_file_open_program)
{
	struct bpf_program *lsm = bpf_object__find_program_by_name(skel->obj, STK_PROG_FILE_OPEN_LSM);
	struct bpf_program *fentry = bpf_object__find_program_by_name(skel->obj, STK_PROG_FILE_OPEN_FENTRY);

	cr_assert_not_null(lsm);
	cr_assert_not_null(fentry);
	cr_assert_str_eq(bpf_program__section_name(lsm), "lsm/file_open");
	cr_assert_str_eq(bpf_program__section_name(fentry), "fentry/security_file_open");
}
