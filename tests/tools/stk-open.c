/*
 * stk-open: reach a file the ways a confined service might try to get around
 * a path check, for the VM scenarios. Exits 0 if the access succeeded, else
 * prints "stk-open: PATH: <strerror>" and exits 1.
 *
 *   stk-open [-w] PATH                 open(2) for reading (-w: writing)
 *   stk-open [-w] --dirfd DIR NAME     openat(2) relative to an fd on DIR
 *   stk-open [-w] --uring PATH         IORING_OP_OPENAT through io_uring
 *   stk-open --mmap-exec PATH          map the file PROT_EXEC
 *   stk-open --mprotect-exec PATH      map it readable, then mprotect PROT_EXEC
 *   stk-open --memfd-exec PATH ARG...  copy it into a memfd and fexecve() that
 *   stk-open --exec-as-bash PATH ARG... execve() it; if refused, read its first
 *                                      line to say why, as bash does
 *   stk-open --truncate PATH           truncate(2) it, by path, to 0 bytes
 *   stk-open --bind-tree SRC DST       bind SRC on DST with open_tree() and
 *                                      move_mount(), the mount API without mount(2)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/mount.h>
#include <liburing.h>

extern char **environ;

/* Each returns 0 or -errno. */
static int do_open(char **args, int flags)
{
	int fd = open(args[0], flags);

	return fd < 0 ? -errno : close(fd);
}

static int do_dirfd(char **args, int flags)
{
	int dir = open(args[0], O_RDONLY | O_DIRECTORY), fd;

	if (dir < 0)
		return -errno;
	fd = openat(dir, args[1], flags);
	return fd < 0 ? -errno : close(fd);
}

static int do_uring(char **args, int flags)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int ret = io_uring_queue_init(2, &ring, 0);

	if (ret < 0)
		return ret;
	io_uring_prep_openat(io_uring_get_sqe(&ring), AT_FDCWD, args[0], flags, 0);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret == 0) {
		ret = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ret < 0 ? ret : close(ret);
}

static int map_exec(const char *path, int first_prot, int then_prot)
{
	int fd = open(path, O_RDONLY), ret = 0;
	void *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, first_prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		ret = -errno;
	else if (then_prot && mprotect(p, 4096, then_prot))
		ret = -errno;
	close(fd);
	return ret;
}

static int do_mmap_exec(char **args, int flags)
{
	(void)flags;
	return map_exec(args[0], PROT_READ | PROT_EXEC, 0);
}

static int do_mprotect_exec(char **args, int flags)
{
	(void)flags;
	return map_exec(args[0], PROT_READ, PROT_READ | PROT_EXEC);
}

static int do_memfd_exec(char **args, int flags)
{
	int src = open(args[0], O_RDONLY), mem = memfd_create("stk", MFD_CLOEXEC);
	struct stat st;

	(void)flags;
	if (src < 0 || mem < 0 || fstat(src, &st) ||
	    sendfile(mem, src, NULL, (size_t)st.st_size) != st.st_size)
		return -errno;
	fexecve(mem, args + 1, environ);
	return -errno;
}

/* bash's shell_execve(): a refused execve() is followed by a look at the file. */
static int do_exec_as_bash(char **args, int flags)
{
	char line[80];
	int err, fd;

	(void)flags;
	execve(args[0], args + 1, environ);
	err = errno;
	fd = open(args[0], O_RDONLY);
	if (fd >= 0) {
		if (read(fd, line, sizeof(line)) < 0)
			err = errno;
		close(fd);
	}
	return -err;
}

static int do_truncate(char **args, int flags)
{
	(void)flags;
	return truncate(args[0], 0) ? -errno : 0;
}

static int do_bind_tree(char **args, int flags)
{
	int tree = (int)syscall(SYS_open_tree, AT_FDCWD, args[0], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	(void)flags;
	if (tree < 0 || syscall(SYS_move_mount, tree, "", AT_FDCWD, args[1], MOVE_MOUNT_F_EMPTY_PATH))
		return -errno;
	return close(tree);
}

static const struct mode {
	const char *flag;
	int nargs; /* -1: at least one */
	int (*fn)(char **args, int flags);
} modes[] = {
	{ "--dirfd", 2, do_dirfd },
	{ "--uring", 1, do_uring },
	{ "--mmap-exec", 1, do_mmap_exec },
	{ "--mprotect-exec", 1, do_mprotect_exec },
	{ "--memfd-exec", -1, do_memfd_exec },
	{ "--exec-as-bash", -1, do_exec_as_bash },
	{ "--truncate", 1, do_truncate },
	{ "--bind-tree", 2, do_bind_tree },
};

static const struct mode *find_mode(char **args, int n)
{
	for (size_t m = 0; n > 0 && m < sizeof(modes) / sizeof(modes[0]); m++)
		if (!strcmp(args[0], modes[m].flag) &&
		    (modes[m].nargs == n - 1 || (modes[m].nargs < 0 && n > 1)))
			return &modes[m];
	return NULL;
}

int main(int argc, char **argv)
{
	int flags = O_RDONLY, i = 1, ret;
	const struct mode *mode;

	if (i < argc && !strcmp(argv[i], "-w")) {
		flags = O_WRONLY;
		i++;
	}
	if (i + 1 == argc && argv[i][0] != '-') {
		ret = do_open(argv + i, flags);
	} else if ((mode = find_mode(argv + i, argc - i))) {
		ret = mode->fn(argv + i + 1, flags);
	} else {
		fputs("usage: stk-open [-w] PATH | --dirfd DIR NAME | --uring PATH |\n"
		      "       --mmap-exec PATH | --mprotect-exec PATH | --memfd-exec PATH ARG... |\n"
		      "       --exec-as-bash PATH ARG... |\n"
		      "       --truncate PATH | --bind-tree SRC DST\n", stderr);
		return 2;
	}
	if (ret < 0) {
		fputs("stk-open:", stderr);
		for (; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, ": %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
