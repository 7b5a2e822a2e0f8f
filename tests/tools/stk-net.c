/*
 * stk-net: make one socket call, for the VM scenarios. Exits 0 if it
 * succeeded, else prints "stk-net: OP PROTO ADDR PORT: <strerror>", exits 1.
 *
 *   stk-net connect|bind|sendto tcp|udp ADDR PORT
 *   stk-net listen tcp ADDR PORT SECONDS   accept connections for a while
 *   stk-net listen-unbound tcp ADDR PORT   listen() without bind() (ADDR's family)
 *   stk-net socket raw|packet              create a raw IPv4 or a packet socket
 *   stk-net unix connect|send NAME         to a unix stream/datagram socket
 *   stk-net unix listen|recv NAME SECONDS  serve one for a while
 *   stk-net unix pair                      a datagram over a socketpair()
 * A unix NAME is a path, or @name for an abstract socket.
 *
 * ADDR is IPv4 or IPv6; an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is
 * used through an IPv6 socket, as a program trying to dodge IPv4 rules would.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/if_ether.h>
#include <netinet/in.h>

static socklen_t peer(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)port);
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		return sizeof(*in6);
	}
	return 0;
}

/* Accept and close connections until the time is up. */
static int serve(int fd, int seconds)
{
	time_t end = time(NULL) + seconds;
	struct timeval tv = { .tv_sec = 1 };

	if (listen(fd, 16))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
	return 0;
}

static socklen_t unix_addr(const char *name, struct sockaddr_un *un)
{
	size_t len = strlen(name);

	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	if (len >= sizeof(un->sun_path))
		return 0;
	memcpy(un->sun_path, name, len);
	if (name[0] == '@')
		un->sun_path[0] = 0; /* abstract: the name after a NUL */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] != '@'));
}

/* Receive datagrams until the time is up. */
static int drain(int fd, int seconds)
{
	time_t end = time(NULL) + seconds;
	struct timeval tv = { .tv_sec = 1 };
	char buf[64];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end)
		recv(fd, buf, sizeof(buf), 0);
	return 0;
}

static int unix_main(int argc, char **argv)
{
	const char *op = argv[2], *name = argv[3];
	bool dgram = !strcmp(op, "send") || !strcmp(op, "recv");
	struct sockaddr_un un;
	socklen_t len = unix_addr(name, &un);
	int fd = socket(AF_UNIX, dgram ? SOCK_DGRAM : SOCK_STREAM, 0), ret;

	if (!len || fd < 0)
		return -1;
	if (!strcmp(op, "connect") && argc == 4)
		ret = connect(fd, (struct sockaddr *)&un, len);
	else if (!strcmp(op, "send") && argc == 4)
		ret = sendto(fd, "x", 1, 0, (struct sockaddr *)&un, len) == 1 ? 0 : -1;
	else if (!strcmp(op, "listen") && argc == 5)
		ret = bind(fd, (struct sockaddr *)&un, len) ?: serve(fd, atoi(argv[4]));
	else if (!strcmp(op, "recv") && argc == 5)
		ret = bind(fd, (struct sockaddr *)&un, len) ?: drain(fd, atoi(argv[4]));
	else
		ret = -1, errno = EINVAL;
	close(fd);
	return ret;
}

/* One datagram from one end of a socketpair() to the other, neither bound. */
static int unix_pair(void)
{
	int sv[2];
	char c;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return -1;
	return send(sv[1], "x", 1, 0) == 1 && recv(sv[0], &c, 1, 0) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	const char *op, *proto;
	socklen_t len;
	int fd, ret, one = 1;

	if (argc == 3 && !strcmp(argv[1], "unix") && !strcmp(argv[2], "pair")) {
		if (unix_pair()) {
			fprintf(stderr, "stk-net: unix pair: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "unix")) {
		if (unix_main(argc, argv)) {
			fprintf(stderr, "stk-net: unix %s %s: %s\n", argv[2], argv[3], strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "socket") && (!strcmp(argv[2], "raw") || !strcmp(argv[2], "packet"))) {
		fd = !strcmp(argv[2], "raw") ? socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)
					     : socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
		if (fd < 0) {
			fprintf(stderr, "stk-net: socket %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		close(fd);
		return 0;
	}
	if (argc < 5 || !(len = peer(argv[3], atoi(argv[4]), &ss))) {
		fputs("usage: stk-net connect|bind|sendto|listen tcp|udp ADDR PORT [SECONDS]\n"
		      "       stk-net socket raw|packet\n"
		      "       stk-net unix connect|send NAME | unix listen|recv NAME SECONDS | unix pair\n", stderr);
		return 2;
	}
	op = argv[1];
	proto = argv[2];
	fd = socket(ss.ss_family, strcmp(proto, "udp") ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("stk-net: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!strcmp(op, "connect"))
		ret = connect(fd, (struct sockaddr *)&ss, len);
	else if (!strcmp(op, "bind"))
		ret = bind(fd, (struct sockaddr *)&ss, len);
	else if (!strcmp(op, "sendto"))
		ret = sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len) == 1 ? 0 : -1;
	else if (!strcmp(op, "listen-unbound"))
		ret = listen(fd, 1);
	else if (!strcmp(op, "listen") && argc == 6)
		ret = bind(fd, (struct sockaddr *)&ss, len) ?: serve(fd, atoi(argv[5]));
	else
		ret = -1, errno = EINVAL;
	if (ret) {
		fprintf(stderr, "stk-net: %s %s %s %s: %s\n", op, proto, argv[3], argv[4], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
