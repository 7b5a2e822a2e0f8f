/*
 * stk-priv: what a root process may do beyond files and IP peers, one call
 * at a time, for the VM scenarios. Exits 0 if it worked, else prints
 * "stk-priv: WHAT: <strerror>" and exits 1.
 *
 *   stk-priv hold FILE SECONDS     open FILE as fd 3, print "PID ADDR" (ADDR
 *                                  holds "stockade"), then sleep
 *   stk-priv vmread PID ADDR       process_vm_readv() 8 bytes at ADDR
 *   stk-priv procmem PID ADDR      read 8 bytes at ADDR of /proc/PID/mem
 *   stk-priv ptrace PID            PTRACE_ATTACH, then detach
 *   stk-priv getfd PID FD          pidfd_getfd(), then read a line from it
 *   stk-priv route                 dump the routing table over netlink
 *                                  (RTM_GETROUTE), print how many routes
 *   stk-priv socket FAMILY [PROTO] socket(FAMILY, SOCK_RAW or STREAM, PROTO)
 *   stk-priv sendfd SOCK FILE SECONDS  serve FILE's descriptor on unix
 *                                  socket SOCK to each client, for a while
 *   stk-priv sendsock SOCK ADDR PORT SECONDS  likewise, a TCP socket
 *                                  connected to IPv4 ADDR:PORT
 *   stk-priv sendnl SOCK PORT SECONDS  likewise, a NETLINK_USERSOCK socket
 *                                  connected to netlink port PORT
 *   stk-priv recvfd SOCK           connect to SOCK, receive a descriptor,
 *                                  print its first line ("socket" for one)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/ptrace.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

static char secret[16] = "stockade";

static int fail(const char *what)
{
	fprintf(stderr, "stk-priv: %s: %s\n", what, strerror(errno));
	return 1;
}

static int hold(const char *file, int seconds)
{
	int fd = open(file, O_RDONLY);

	if (fd < 0 || dup2(fd, 3) < 0)
		return fail(file);
	printf("%d %p\n", getpid(), (void *)secret);
	fflush(stdout);
	sleep((unsigned)seconds);
	return 0;
}

static int print_word(const char *buf)
{
	printf("%.8s\n", buf);
	return 0;
}

static int vmread(pid_t pid, void *addr)
{
	char buf[9] = { 0 };
	struct iovec local = { buf, 8 }, remote = { addr, 8 };

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != 8)
		return fail("process_vm_readv");
	return print_word(buf);
}

static int procmem(const char *pid, void *addr)
{
	char path[64], buf[9] = { 0 };
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return fail(path);
	if (pread(fd, buf, 8, (off_t)(uintptr_t)addr) != 8)
		return fail("pread");
	return print_word(buf);
}

static int trace(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return fail("ptrace");
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

static int print_line(int fd)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return fail("read");
	buf[n] = 0;
	printf("%s", buf);
	return 0;
}

static int getfd(pid_t pid, int target)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), fd;

	if (pidfd < 0)
		return fail("pidfd_open");
	if ((fd = (int)syscall(SYS_pidfd_getfd, pidfd, target, 0)) < 0)
		return fail("pidfd_getfd");
	return print_line(fd);
}

/* One RTM_GETROUTE dump, as `ip route` asks for it; count the routes. */
static int route(void)
{
	struct {
		struct nlmsghdr nh;
		struct rtmsg rt;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.rt = { .rtm_family = AF_INET },
	};
	char buf[16384];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), routes = 0;

	if (fd < 0)
		return fail("socket(AF_NETLINK, NETLINK_ROUTE)");
	if (send(fd, &req, sizeof(req), 0) < 0)
		return fail("send");
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0)
			return fail("recv");
		for (struct nlmsghdr *nh = (void *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				printf("%d routes\n", routes);
				return 0;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				return fail("RTM_GETROUTE");
			}
			routes += nh->nlmsg_type == RTM_NEWROUTE;
		}
	}
}

static int make_socket(int family, int protocol)
{
	int type = family == AF_NETLINK ? SOCK_RAW : SOCK_STREAM;

	if (socket(family, type, protocol) < 0)
		return fail("socket");
	return 0;
}

static socklen_t unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
	return sizeof(*sun);
}

/* A TCP socket connected to addr:port, or -1. */
static int connected(const char *addr, int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &in.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&in, sizeof(in)))
		return -1;
	return fd;
}

static int netlink_connected(unsigned port)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = port };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);

	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return -1;
	return fd;
}

/* Serve descriptor fd to each client of unix socket sock, for a while. */
static int sendfd(const char *sock, int fd, int seconds)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(sock, &sun);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	time_t end = time(NULL) + seconds;
	struct timeval tv = { .tv_sec = 1 };

	if (s < 0 || fd < 0 || bind(s, (struct sockaddr *)&sun, len) || listen(s, 4))
		return fail("sendfd");
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end) {
		char data = 'f', ctl[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { &data, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				      .msg_controllen = sizeof(ctl) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		int client = accept(s, NULL, NULL);

		if (client < 0)
			continue;
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		sendmsg(client, &msg, 0);
		close(client);
	}
	return 0;
}

/*
 * A descriptor the kernel refuses to install (file_receive) does not fail
 * recvmsg(): the message arrives with MSG_CTRUNC and no descriptor.
 */
static int recvfd(const char *sock)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(sock, &sun);
	char data, ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	struct stat st;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), fd;

	if (s < 0 || connect(s, (struct sockaddr *)&sun, len))
		return fail("connect");
	if (recvmsg(s, &msg, 0) != 1)
		return fail("recvmsg");
	c = CMSG_FIRSTHDR(&msg);
	if ((msg.msg_flags & MSG_CTRUNC) || !c || c->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "stk-priv: recvfd: no descriptor arrived (MSG_CTRUNC)\n");
		return 1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
		printf("socket\n");
		return 0;
	}
	return print_line(fd);
}

static void *addr_arg(const char *s)
{
	return (void *)(uintptr_t)strtoull(s, NULL, 16);
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "hold") && argc == 4)
		return hold(argv[2], atoi(argv[3]));
	if (!strcmp(op, "vmread") && argc == 4)
		return vmread(atoi(argv[2]), addr_arg(argv[3]));
	if (!strcmp(op, "procmem") && argc == 4)
		return procmem(argv[2], addr_arg(argv[3]));
	if (!strcmp(op, "ptrace") && argc == 3)
		return trace(atoi(argv[2]));
	if (!strcmp(op, "getfd") && argc == 4)
		return getfd(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(op, "route") && argc == 2)
		return route();
	if (!strcmp(op, "socket") && (argc == 3 || argc == 4))
		return make_socket(atoi(argv[2]), argc == 4 ? atoi(argv[3]) : 0);
	if (!strcmp(op, "sendfd") && argc == 5)
		return sendfd(argv[2], open(argv[3], O_RDONLY), atoi(argv[4]));
	if (!strcmp(op, "sendsock") && argc == 6)
		return sendfd(argv[2], connected(argv[3], atoi(argv[4])), atoi(argv[5]));
	if (!strcmp(op, "sendnl") && argc == 5)
		return sendfd(argv[2], netlink_connected((unsigned)atoi(argv[3])), atoi(argv[4]));
	if (!strcmp(op, "recvfd") && argc == 3)
		return recvfd(argv[2]);
	fprintf(stderr, "usage: stk-priv hold|vmread|procmem|ptrace|getfd|route|socket|sendfd|sendsock|recvfd ...\n");
	return 2;
}
