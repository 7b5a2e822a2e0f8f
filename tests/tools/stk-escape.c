/*
 * stk-escape: what code running inside a confined process tries in order
 * to get a secret out (issue 21), one system call at a time, for the VM
 * scenarios. Nothing is exec'd: each call is this process's own. Exits 0
 * if the call worked, else prints "stk-escape: WHAT: <strerror>", exits 1.
 *
 *   stk-escape clone-into DIR         clone3(CLONE_INTO_CGROUP) into cgroup DIR
 *   stk-escape move-to DIR            write our pid to DIR/cgroup.procs
 *   stk-escape udp-unspec ADDR PORT [LEN]  sendto() on an IPv4 UDP socket,
 *                                     with sin_family AF_UNSPEC (read as
 *                                     AF_INET), LEN bytes of it (16)
 *   stk-escape short6 connect|send tcp|udp ADDR PORT
 *                                     connect() or sendto() an IPv6 peer in
 *                                     the 24-byte RFC 2133 sockaddr_in6
 *   stk-escape bind-unspec tcp|udp PORT  bind() AF_UNSPEC 0.0.0.0:PORT
 *   stk-escape anon-exec mmap|mprotect  make anonymous memory executable
 *                                     (mmap PROT_EXEC, or mprotect adding it)
 *                                     and run the code put there
 *   stk-escape klogctl                read the kernel log (SYSLOG_ACTION_READ_ALL)
 *   stk-escape kmsg NODE              read a record from a /dev/kmsg node
 *   stk-escape sethostname NAME
 *   stk-escape nl-listen SECONDS      bind a NETLINK_USERSOCK socket, print
 *                                     its port, print what arrives
 *   stk-escape nl-send connect|sendto PORT GROUPS  send "secret" to a
 *                                     NETLINK_USERSOCK port or groups
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SIN6_LEN_RFC2133 24
#define SYSLOG_ACTION_READ_ALL 3

static int fail(const char *what)
{
	fprintf(stderr, "stk-escape: %s: %s\n", what, strerror(errno));
	return 1;
}

static int clone_into(const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), status;
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)fd,
	};
	long pid;

	if (fd < 0)
		return fail(dir);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return fail("clone3");
	if (pid == 0)
		_exit(0); /* the child: outside the subject, were it allowed */
	if (waitpid((pid_t)pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return fail("the child");
	return 0;
}

static int move_to(const char *dir)
{
	char path[4096], pid[16];
	int fd, n = snprintf(pid, sizeof(pid), "%d\n", getpid());

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return fail(path);
	if (write(fd, pid, (size_t)n) != n)
		return fail("write cgroup.procs");
	return close(fd);
}

static int sock_type(const char *proto)
{
	return strcmp(proto, "tcp") ? SOCK_DGRAM : SOCK_STREAM;
}

/* A payload sent to a peer: where the kernel takes it, it arrives. */
static const char secret[] = "secret";

static int udp_unspec(const char *addr, int port, socklen_t len)
{
	struct sockaddr_in in = { .sin_family = AF_UNSPEC, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &in.sin_addr) != 1)
		return fail("socket");
	if (sendto(fd, secret, sizeof(secret), 0, (struct sockaddr *)&in, len) < 0)
		return fail("sendto");
	return 0;
}

static int short6(const char *op, const char *proto, const char *addr, int port)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int fd = socket(AF_INET6, sock_type(proto), 0);

	if (fd < 0 || inet_pton(AF_INET6, addr, &in6.sin6_addr) != 1)
		return fail("socket");
	if (!strcmp(op, "connect")) {
		if (connect(fd, (struct sockaddr *)&in6, SIN6_LEN_RFC2133))
			return fail("connect");
	} else if (sendto(fd, secret, sizeof(secret), 0, (struct sockaddr *)&in6, SIN6_LEN_RFC2133) < 0) {
		return fail("sendto");
	}
	return 0;
}

static int bind_unspec(const char *proto, int port)
{
	struct sockaddr_in in = { .sin_family = AF_UNSPEC, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, sock_type(proto), 0);

	if (fd < 0)
		return fail("socket");
	if (bind(fd, (struct sockaddr *)&in, sizeof(in)))
		return fail("bind");
	return 0;
}

/* x86-64 "mov eax, 42; ret": code that never was in a file. */
static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };

static int anon_exec(const char *how)
{
	int mprotect_it = !strcmp(how, "mprotect");
	int prot = PROT_READ | PROT_WRITE | (mprotect_it ? 0 : PROT_EXEC);
	void *mem = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int (*fn)(void);

	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem, code, sizeof(code));
	if (mprotect_it && mprotect(mem, 4096, PROT_READ | PROT_EXEC))
		return fail("mprotect");
	fn = (int (*)(void))mem;
	if (fn() != 42) {
		errno = EINVAL;
		return fail("the code");
	}
	return 0;
}

static int read_klog(void)
{
	char buf[4096];

	if (klogctl(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf)) < 0)
		return fail("klogctl");
	return 0;
}

static int kmsg(const char *node)
{
	char buf[8192];
	int fd = open(node, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return fail(node);
	if (read(fd, buf, sizeof(buf)) < 0)
		return fail("read");
	return 0;
}

static int nl_listen(int seconds)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct timeval tv = { .tv_sec = seconds };
	socklen_t len = sizeof(me);
	char buf[256];
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
	ssize_t n;

	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) || getsockname(fd, (struct sockaddr *)&me, &len))
		return fail("netlink");
	printf("%u\n", me.nl_pid);
	fflush(stdout);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = 0;
		printf("%s\n", buf);
		fflush(stdout);
	}
	return 0;
}

static int nl_send(const char *how, unsigned port, unsigned groups)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = port, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);

	if (fd < 0)
		return fail("socket");
	if (!strcmp(how, "connect")) {
		if (connect(fd, (struct sockaddr *)&to, sizeof(to)))
			return fail("connect");
		if (send(fd, secret, sizeof(secret), 0) < 0)
			return fail("send");
	} else if (sendto(fd, secret, sizeof(secret), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		return fail("sendto");
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "clone-into") && argc == 3)
		return clone_into(argv[2]);
	if (!strcmp(op, "move-to") && argc == 3)
		return move_to(argv[2]);
	if (!strcmp(op, "udp-unspec") && (argc == 4 || argc == 5))
		return udp_unspec(argv[2], atoi(argv[3]), argc == 5 ? (socklen_t)atoi(argv[4]) : sizeof(struct sockaddr_in));
	if (!strcmp(op, "short6") && argc == 6)
		return short6(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (!strcmp(op, "bind-unspec") && argc == 4)
		return bind_unspec(argv[2], atoi(argv[3]));
	if (!strcmp(op, "anon-exec") && argc == 3)
		return anon_exec(argv[2]);
	if (!strcmp(op, "klogctl") && argc == 2)
		return read_klog();
	if (!strcmp(op, "kmsg") && argc == 3)
		return kmsg(argv[2]);
	if (!strcmp(op, "sethostname") && argc == 3)
		return sethostname(argv[2], strlen(argv[2])) ? fail("sethostname") : 0;
	if (!strcmp(op, "nl-listen") && argc == 3)
		return nl_listen(atoi(argv[2]));
	if (!strcmp(op, "nl-send") && argc == 5)
		return nl_send(argv[2], (unsigned)strtoul(argv[3], NULL, 0), (unsigned)strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: see the comment at the top of tests/tools/stk-escape.c\n");
	return 2;
}
