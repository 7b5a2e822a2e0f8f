/*
 * SHA-256 (FIPS 180-4), for the digest of a profile's rules: an approved
 * profile is recognised by it. Small enough that no crypto library needs to
 * be a dependency.
 */
#ifndef STOCKADE_SHA256_H
#define STOCKADE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;     /* hashed so far */
	uint8_t block[64];  /* a partial block */
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lowercase hex, NUL-terminated. */
void sha256_hex(const uint8_t digest[32], char out[65]);

#endif
