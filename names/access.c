/* Access bits by name, and one-bit values named from a table. */
#include <stdio.h>
#include <string.h>
#include "names.h"

static const char *const access_names[] = {
	"read", "write", "append", "exec", "create", "unlink", "link", "connect",
};
#define NACCESS (sizeof(access_names) / sizeof(access_names[0]))

/* names[i] names bit 1 << i. */
const char *bit_name(const char *const *names, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (bit == 1u << i)
			return names[i];
	return "?";
}

int bit_parse(const char *const *names, size_t n, const char *name, uint32_t *bit)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, names[i])) {
			*bit = 1u << i;
			return 0;
		}
	return -1;
}

int access_parse(const char *name, uint32_t *bit)
{
	return bit_parse(access_names, NACCESS, name, bit);
}

const char *access_name(uint32_t bit)
{
	return bit_name(access_names, NACCESS, bit);
}

const char *access_format(uint32_t access, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < NACCESS && used < len; i++)
		if (access & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 access_names[i]);
	return buf;
}
