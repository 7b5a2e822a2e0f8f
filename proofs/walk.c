/*
 * The walk of bpf/stockade.bpf.c's path_allowed(), over an array instead of
 * the rule maps, so that "the most specific rule wins" is a theorem about
 * the whole walk and not only about one step. levels[0] is the rule stored
 * for the path itself, levels[i] the one for its i-th ancestor directory
 * (all-zero where no rule is stored: applying it changes nothing, as not
 * finding one does). The steps are decide.h's, called as the kernel calls
 * them, including the early stop once every bit is decided.
 */
#include "decide.c"

/*@ logic integer model_at_object(integer level) = level == 0 ? 1 : 0;

    // Level k is the first, walking up from the path, whose rule names bit b.
    predicate model_first_names(struct stk_rule *lv, integer k, integer b) =
      has_bit(named_at(lv[k], model_at_object(k)), b) &&
      \forall integer j; 0 <= j < k ==> !has_bit(named_at(lv[j], model_at_object(j)), b);

*/

/*@ requires 1 <= n <= STK_PATH_MAX;
    requires \valid_read(levels + (0 .. n - 1));
    assigns \nothing;
    ensures most_specific_wins: \result != 0 <==>
      \forall integer b; 0 <= b < 32 && has_bit(requested & STK_ACC_ALL, b) ==>
        \exists integer k; 0 <= k < n && model_first_names(levels, k, b) &&
          !has_bit(deny_at(levels[k], model_at_object(k)), b);
*/
int stk_walk_model(const struct stk_rule *levels, __u32 n, __u32 requested)
{
	struct stk_match m;
	__u32 i;

	stk_match_init(&m, requested);
	/*@ loop invariant 0 <= i <= n;
	    loop invariant open: \forall integer b; 0 <= b < 32 ==>
	      (has_bit(m.undecided, b) <==> (has_bit(requested & STK_ACC_ALL, b) &&
	        \forall integer j; 0 <= j < i ==> !has_bit(named_at(levels[j], model_at_object(j)), b)));
	    loop invariant decided: \forall integer b; 0 <= b < 32 ==>
	      has_bit(requested & STK_ACC_ALL, b) && !has_bit(m.undecided, b) ==>
	        \exists integer k; 0 <= k < i && model_first_names(levels, k, b);
	    loop invariant denied: \forall integer b; 0 <= b < 32 ==>
	      (has_bit(m.denied, b) <==> (has_bit(requested & STK_ACC_ALL, b) &&
	        \exists integer k; 0 <= k < i && model_first_names(levels, k, b) &&
	          has_bit(deny_at(levels[k], model_at_object(k)), b)));
	    loop assigns i, m;
	    loop variant n - i;
	*/
	for (i = 0; i < n && !stk_match_decided(&m); i++) {
	before:
		stk_match_apply(&m, &levels[i], i == 0);
		/*@ assert step_open: \forall integer b; 0 <= b < 32 ==>
		      (has_bit(m.undecided, b) <==> (has_bit(\at(m.undecided, before), b) &&
		        !has_bit(named_at(levels[i], model_at_object(i)), b)));
		*/
		/*@ assert step_denied: \forall integer b; 0 <= b < 32 ==>
		      (has_bit(m.denied, b) <==> (has_bit(\at(m.denied, before), b) ||
		        (has_bit(\at(m.undecided, before), b) &&
		         has_bit(deny_at(levels[i], model_at_object(i)), b))));
		*/
	}
	//@ assert stopped: m.undecided == 0 || i == n;
	/*@ assert only_if: m.undecided == 0 && m.denied == 0 ==>
	      \forall integer b; 0 <= b < 32 && has_bit(requested & STK_ACC_ALL, b) ==>
	        \exists integer k; 0 <= k < n && model_first_names(levels, k, b) &&
	          !has_bit(deny_at(levels[k], model_at_object(k)), b);
	*/
	/*@ assert if_open: (\forall integer b; 0 <= b < 32 && has_bit(requested & STK_ACC_ALL, b) ==>
	        \exists integer k; 0 <= k < n && model_first_names(levels, k, b) &&
	          !has_bit(deny_at(levels[k], model_at_object(k)), b)) ==>
	      no_bit(m.undecided);
	*/
	/*@ assert if_denied: (\forall integer b; 0 <= b < 32 && has_bit(requested & STK_ACC_ALL, b) ==>
	        \exists integer k; 0 <= k < n && model_first_names(levels, k, b) &&
	          !has_bit(deny_at(levels[k], model_at_object(k)), b)) ==>
	      no_bit(m.denied);
	*/
	return stk_match_allowed(&m);
}
