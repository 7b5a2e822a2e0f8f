/* One-line errors. */
#include <criterion/criterion.h>
#include "../../common/error.h"

Test(error, context_can_wrap_the_previous_message)
{
	stk_fail("unknown service '%s'", "x.service");
	stk_fail("%s: %s", "p.yaml", stk_error());
	cr_assert_str_eq(stk_error(), "p.yaml: unknown service 'x.service'");
}
