/*
 * stk-open: open a file the ways a confined service might try to get around
 * a path check, for the VM scenarios. Exits 0 if the open succeeded, else
 * prints "stk-open: PATH: <strerror>" and exits 1.
 *
 *   stk-open [-w] PATH                  open(2) for reading (-w: writing)
 *   stk-open [-w] --dirfd DIR NAME      openat(2) relative to an fd on DIR
 *   stk-open [-w] --uring PATH          IORING_OP_OPENAT through io_uring
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>

static int uring_open(const char *path, int flags)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_queue_init(2, &ring, 0);
	if (ret < 0)
		return ret;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, path, flags, 0);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret == 0) {
		ret = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ret;
}

int main(int argc, char **argv)
{
	int flags = O_RDONLY, i = 1, fd;
	const char *path;

	if (i < argc && !strcmp(argv[i], "-w")) {
		flags = O_WRONLY;
		i++;
	}
	if (i + 3 == argc && !strcmp(argv[i], "--dirfd")) {
		int dir = open(argv[i + 1], O_RDONLY | O_DIRECTORY);

		path = argv[i + 2];
		fd = dir < 0 ? -1 : openat(dir, path, flags);
	} else if (i + 2 == argc && !strcmp(argv[i], "--uring")) {
		path = argv[i + 1];
		fd = uring_open(path, flags);
		if (fd < 0) {
			errno = -fd;
			fd = -1;
		}
	} else if (i + 1 == argc) {
		path = argv[i];
		fd = open(path, flags);
	} else {
		fputs("usage: stk-open [-w] [--dirfd DIR NAME | --uring PATH | PATH]\n", stderr);
		return 2;
	}
	if (fd < 0) {
		fprintf(stderr, "stk-open: %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
