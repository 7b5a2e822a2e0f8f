/*
 * stk-diff-run: inside a confined service, try each access of a cases file
 * written by stk-diff-gen ("OP PATH ALLOWED") and compare what the kernel
 * did with what the YAML semantics expect: an allowed access must open, a
 * denied one must fail with EPERM. Prints every disagreement and a summary;
 * exits 1 if there was any.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int flags_of(const char *op)
{
	if (!strcmp(op, "r"))
		return O_RDONLY;
	if (!strcmp(op, "w"))
		return O_WRONLY;
	if (!strcmp(op, "a"))
		return O_WRONLY | O_APPEND;
	if (!strcmp(op, "rw"))
		return O_RDWR;
	return -1;
}

int main(int argc, char **argv)
{
	char op[8], path[4096];
	int expected, n = 0, bad = 0;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: stk-diff-run CASES (a readable file)\n");
		return 2;
	}
	while (fscanf(f, "%7s %4095s %d", op, path, &expected) == 3) {
		int flags = flags_of(op), fd = flags < 0 ? -1 : open(path, flags);
		int err = errno;

		n++;
		if (fd >= 0)
			close(fd);
		if (flags >= 0 && expected ? fd >= 0 : (fd < 0 && err == EPERM))
			continue;
		bad++;
		printf("stk-diff-run: %s %s: expected %s, got %s\n", op, path, expected ? "allowed" : "EPERM",
		       fd >= 0 ? "allowed" : strerror(err));
	}
	fclose(f);
	printf("stk-diff-run: %d cases, %d disagreements\n", n, bad);
	return bad || !n ? 1 : 0;
}
