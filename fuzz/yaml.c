/*
 * Fuzz the profile parser: any bytes either fail with an error or give a
 * profile whose canonical form parses back to the same bytes, and that
 * compiles (or fails) without a memory error.
 */
#include <stdlib.h>
#include <string.h>
#include "../profile/profile.h"
#include "../enforcer/enforcer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p, again;
	struct compiled c;
	char *text, *text2;
	size_t len, len2;

	if (profile_parse("fuzz.yaml", (const char *)data, size, &p))
		return 0;
	if (profile_format(&p, &text, &len))
		abort();
	if (profile_parse("canonical.yaml", text, len, &again) || profile_format(&again, &text2, &len2))
		abort(); /* what we write, we must read */
	if (len != len2 || memcmp(text, text2, len))
		abort(); /* the canonical form is a fixed point */
	if (!rules_compile(&p, &c))
		compiled_free(&c);
	free(text);
	free(text2);
	profile_free(&again);
	profile_free(&p);
	return 0;
}
