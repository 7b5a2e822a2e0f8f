/*
 * stk-loop: the syscall loops the VM benchmark times (bench/vm.sh). Each
 * timed mode prints the mean cost of one iteration in nanoseconds.
 *
 *   stk-loop open PATH N             open(2) and close(2) PATH, N times
 *   stk-loop connect PORT N          connect to 127.0.0.1:PORT and close, N
 *                                    times (a child accepts)
 *   stk-loop mkfiles DIR N           create DIR/f0 .. DIR/f(N-1), untimed
 *   stk-loop burst DIR FILES N       open DIR/f(i % FILES) for i < N
 *   stk-loop flood DIR N             open DIR/f0 .. DIR/f(N-1) once each, going
 *                                    on past failures; prints how many were
 *                                    refused with EPERM
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int open_loop(const char *path, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	printf("%.0f\n", (now_ns() - t0) / (double)n);
	return 0;
}

static int connect_loop(int port, long n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, srv = socket(AF_INET, SOCK_STREAM, 0);
	double t0;
	pid_t child;

	setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1024)) {
		perror("listen");
		return 1;
	}
	if ((child = fork()) == 0) {
		for (;;) {
			int c = accept(srv, NULL, NULL);

			if (c >= 0)
				close(c);
		}
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
			perror("connect");
			kill(child, SIGKILL);
			return 1;
		}
		close(s);
	}
	printf("%.0f\n", (now_ns() - t0) / (double)n);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}

static int mkfiles(const char *dir, long n)
{
	char path[4096];

	mkdir(dir, 0755);
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int burst(const char *dir, long files, long n)
{
	char path[4096];
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%ld", dir, i % files);
		if ((fd = open(path, O_RDONLY)) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	printf("%.0f\n", (now_ns() - t0) / (double)n);
	return 0;
}

static int flood(const char *dir, long n)
{
	char path[4096];
	long refused = 0;

	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if ((fd = open(path, O_RDONLY)) >= 0)
			close(fd);
		else
			refused += errno == EPERM;
	}
	printf("%ld\n", refused);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "open"))
		return open_loop(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "connect"))
		return connect_loop(atoi(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mkfiles"))
		return mkfiles(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "flood"))
		return flood(argv[2], atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "burst"))
		return burst(argv[2], atol(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: stk-loop open PATH N | connect PORT N | mkfiles DIR N | burst DIR FILES N | flood DIR N\n");
	return 2;
}
