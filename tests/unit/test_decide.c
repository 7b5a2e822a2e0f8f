/* The pure decision functions that the kernel runs, tested directly. */
#include <criterion/criterion.h>
#include <linux/types.h>
#include "../../bpf/decide.h"

static struct stk_match after(__u32 requested, const struct stk_rule *rules, int n, int object_first)
{
	struct stk_match m;

	stk_match_init(&m, requested);
	for (int i = 0; i < n && !stk_match_decided(&m); i++)
		stk_match_apply(&m, &rules[i], object_first && i == 0);
	return m;
}

Test(decide, off_and_record_never_deny)
{
	cr_assert_eq(stk_decide(STK_MODE_OFF, 0), STK_PASS);
	cr_assert_eq(stk_decide(STK_MODE_RECORD, 0), STK_LOG_SEEN);
	cr_assert_eq(stk_decide(STK_MODE_RECORD, 1), STK_LOG_SEEN);
}

Test(decide, complain_logs_what_enforce_denies)
{
	cr_assert_eq(stk_decide(STK_MODE_COMPLAIN, 0), STK_LOG_WOULD);
	cr_assert_eq(stk_decide(STK_MODE_COMPLAIN, 1), STK_PASS);
	cr_assert_eq(stk_decide(STK_MODE_ENFORCE, 0), STK_DENY);
	cr_assert_eq(stk_decide(STK_MODE_ENFORCE, 1), STK_PASS);
}

Test(decide, unknown_mode_denies_nothing)
{
	cr_assert_eq(stk_decide(STK_MODE_COUNT, 0), STK_PASS);
}

Test(match, self_bits_apply_only_at_the_object)
{
	struct stk_rule r = { .allow_self = STK_ACC_READ };
	struct stk_match at = after(STK_ACC_READ, &r, 1, 1), above = after(STK_ACC_READ, &r, 1, 0);

	cr_assert(stk_match_allowed(&at));
	cr_assert_not(stk_match_decided(&above));
	cr_assert_not(stk_match_allowed(&above));
}

Test(match, tree_bits_apply_at_and_above_the_object)
{
	struct stk_rule r = { .allow_tree = STK_ACC_READ };
	struct stk_match at = after(STK_ACC_READ, &r, 1, 1), above = after(STK_ACC_READ, &r, 1, 0);

	cr_assert(stk_match_allowed(&at));
	cr_assert(stk_match_allowed(&above));
}

Test(match, deny_beats_allow_at_the_same_level)
{
	struct stk_rule r = { .allow_tree = STK_ACC_READ, .deny_self = STK_ACC_READ };
	struct stk_match m = after(STK_ACC_READ, &r, 1, 1);

	cr_assert(stk_match_decided(&m));
	cr_assert_not(stk_match_allowed(&m));
}

Test(match, deny_subtree_inside_allowed_subtree_denies)
{
	struct stk_rule levels[] = { { .deny_tree = STK_ACC_READ }, { .allow_tree = STK_ACC_READ } };
	struct stk_match m = after(STK_ACC_READ, levels, 2, 0);

	cr_assert_not(stk_match_allowed(&m));
}

Test(match, exact_allow_inside_denied_subtree_allows)
{
	struct stk_rule levels[] = { { .allow_self = STK_ACC_READ }, { .deny_tree = STK_ACC_READ } };
	struct stk_match m = after(STK_ACC_READ, levels, 2, 1);

	cr_assert(stk_match_allowed(&m));
}

Test(match, write_implies_append_not_the_reverse)
{
	struct stk_rule w = { .allow_self = STK_ACC_WRITE }, a = { .allow_self = STK_ACC_APPEND };
	struct stk_match m1 = after(STK_ACC_APPEND, &w, 1, 1), m2 = after(STK_ACC_WRITE, &a, 1, 1);

	cr_assert(stk_match_allowed(&m1));
	cr_assert_not(stk_match_allowed(&m2));
}

Test(match, every_requested_bit_must_be_allowed)
{
	struct stk_rule r = { .allow_tree = STK_ACC_READ };
	struct stk_match m = after(STK_ACC_READ | STK_ACC_WRITE, &r, 1, 1);

	cr_assert_not(stk_match_decided(&m));
	cr_assert_not(stk_match_allowed(&m));
}

Test(match, bits_decided_by_a_deeper_level_are_not_reopened)
{
	/* read allowed deep, write allowed higher up: both granted together */
	struct stk_rule levels[] = { { .allow_self = STK_ACC_READ }, { .allow_tree = STK_ACC_WRITE } };
	struct stk_match m = after(STK_ACC_READ | STK_ACC_WRITE, levels, 2, 1);

	cr_assert(stk_match_allowed(&m));
}

Test(match, no_access_requested_is_allowed)
{
	struct stk_match m = after(0, NULL, 0, 1);

	cr_assert(stk_match_allowed(&m));
}

Test(keys, length_classes_have_exact_boundaries)
{
	cr_assert_eq(stk_key_class(1), 64);
	cr_assert_eq(stk_key_class(64), 64);
	cr_assert_eq(stk_key_class(65), 256);
	cr_assert_eq(stk_key_class(256), 256);
	cr_assert_eq(stk_key_class(257), 1024);
	cr_assert_eq(stk_key_class(1024), 1024);
	cr_assert_eq(stk_key_class(1025), STK_PATH_MAX);
	cr_assert_eq(stk_key_class(STK_PATH_MAX - 1), STK_PATH_MAX);
}

Test(paths, parent_stops_at_component_boundaries)
{
	cr_assert_eq(stk_path_parent_len("/a/b", 4), 2);
	cr_assert_eq(stk_path_parent_len("/a", 2), 1);
	cr_assert_eq(stk_path_parent_len("/", 1), 0);
	cr_assert_eq(stk_path_parent_len("/etc/foobar/x", 13), 11);
	cr_assert_eq(stk_path_parent_len("/etc/foobar/x", 11), 4);
}

Test(paths, relative_names_have_no_parent)
{
	cr_assert_eq(stk_path_parent_len("pipe:[1]", 8), 0);
}
