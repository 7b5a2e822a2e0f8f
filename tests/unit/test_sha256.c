/* SHA-256 against the FIPS 180-4 examples, whole and fed in pieces. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../common/sha256.h"

static void digest_in_chunks(const char *data, size_t len, size_t chunk, char hex[65])
{
	struct sha256 c;
	uint8_t sum[32];

	sha256_init(&c);
	for (size_t off = 0; off < len; off += chunk)
		sha256_update(&c, data + off, len - off < chunk ? len - off : chunk);
	sha256_final(&c, sum);
	sha256_hex(sum, hex);
}

static void check(const char *data, size_t len, const char *want)
{
	static const size_t chunks[] = { 1, 55, 56, 63, 64, 65, 1000, (size_t)-1 };
	char hex[65];

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		digest_in_chunks(data, len, chunks[i], hex);
		cr_assert_str_eq(hex, want, "fed %zu bytes at a time", chunks[i]);
	}
}

Test(sha256, fips_examples)
{
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, one_million_a)
{
	size_t n = 1000000;
	char *a = malloc(n);

	cr_assert_not_null(a);
	memset(a, 'a', n);
	check(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
