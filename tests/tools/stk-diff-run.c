/*
 * stk-diff-run: inside a confined service, try each access of a cases file
 * written by stk-diff-gen ("OP PATH ALLOWED") and compare what the kernel
 * did with what the YAML semantics expect: an allowed access must open, a
 * denied one must fail with EPERM. "cap N" uses capability N in a call that
 * only it decides; "sock F.P" creates a socket of family F, protocol P (an
 * allowed one may still fail, for a family this kernel lacks, but never with
 * EPERM). Prints every disagreement and a summary;
 * exits 1 if there was any.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* Use capability cap, undoing what it changed: 0 or -1 with errno. */
static int use_capability(int cap)
{
	char name[256];
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	struct rlimit rl;
	int err;

	switch (cap) {
	case 0: /* chown: give a file away, and take it back */
		if ((err = chown("/tests/diff", 1, -1)) == 0)
			chown("/tests/diff", 0, -1);
		return err;
	case 21: /* sys_admin: set the host name it already has */
		gethostname(name, sizeof(name));
		return sethostname(name, strlen(name));
	case 23: /* sys_nice: a real-time policy */
		if ((err = sched_setscheduler(0, SCHED_FIFO, &fifo)) == 0)
			sched_setscheduler(0, SCHED_OTHER, &other);
		return err;
	case 24: /* sys_resource: raise a hard limit (in this process only) */
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_max++;
		return setrlimit(RLIMIT_NOFILE, &rl);
	default:
		errno = EINVAL;
		return -1;
	}
}

static int make_socket(const char *spec)
{
	int family = atoi(spec), protocol = strchr(spec, '.') ? atoi(strchr(spec, '.') + 1) : 0;
	int fd = socket(family, family == 16 ? SOCK_RAW : SOCK_STREAM, protocol);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

/* One "cap" or "sock" case: 0 done, -1 with errno. */
static int grant_case(const char *op, const char *what)
{
	return !strcmp(op, "cap") ? use_capability(atoi(what)) : make_socket(what);
}

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
		bool grant = !strcmp(op, "cap") || !strcmp(op, "sock");
		int flags = flags_of(op), fd, err;

		errno = 0;
		fd = grant ? grant_case(op, path) : flags < 0 ? -1 : open(path, flags);
		err = errno;
		n++;
		if (fd > 0)
			close(fd);
		if (grant && (expected ? !(fd < 0 && err == EPERM) : (fd < 0 && err == EPERM)))
			continue;
		if (!grant && (flags >= 0 && expected ? fd >= 0 : (fd < 0 && err == EPERM)))
			continue;
		bad++;
		printf("stk-diff-run: %s %s: expected %s, got %s\n", op, path, expected ? "allowed" : "EPERM",
		       fd >= 0 ? "allowed" : strerror(err));
	}
	fclose(f);
	printf("stk-diff-run: %d cases, %d disagreements\n", n, bad);
	return bad || !n ? 1 : 0;
}
