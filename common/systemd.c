/* systemd's notify and journal protocols, as documented in sd_notify(3) and
 * systemd's "Native Journal Protocol". */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include "systemd.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_FIELDS_MAX 16

/* A datagram to a unix socket path; '@' starts an abstract name. */
static int send_datagram(const char *path, const struct iovec *iov, size_t n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct msghdr msg = { .msg_name = &sa, .msg_iov = (struct iovec *)iov, .msg_iovlen = n };
	size_t len = strlen(path);
	int fd, err;

	if (len >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = 0;
	msg.msg_namelen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	err = sendmsg(fd, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
	close(fd);
	return err;
}

void systemd_notify_ready(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct iovec iov = { .iov_base = "READY=1", .iov_len = 7 };

	if (path && *path)
		send_datagram(path, &iov, 1);
}

bool journal_is_stdout(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 && fstat(STDOUT_FILENO, &st) == 0 &&
	       st.st_dev == dev && st.st_ino == ino;
}

/*
 * Each field as NAME, '\n', its length as 64-bit little-endian, the value,
 * '\n': the binary form, so that a path with a newline in it cannot forge
 * another field.
 */
int journal_send_to(const char *socket, const struct journal_field *fields, size_t n)
{
	struct iovec iov[JOURNAL_FIELDS_MAX * 5];
	uint64_t lens[JOURNAL_FIELDS_MAX];
	size_t k = 0;

	if (n > JOURNAL_FIELDS_MAX) {
		errno = E2BIG;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(fields[i].value);

		for (int b = 0; b < 8; b++)
			((unsigned char *)&lens[i])[b] = (unsigned char)(len >> (8 * b));
		iov[k++] = (struct iovec){ (void *)fields[i].name, strlen(fields[i].name) };
		iov[k++] = (struct iovec){ "\n", 1 };
		iov[k++] = (struct iovec){ &lens[i], sizeof(lens[i]) };
		iov[k++] = (struct iovec){ (void *)fields[i].value, len };
		iov[k++] = (struct iovec){ "\n", 1 };
	}
	return send_datagram(socket, iov, k);
}

int journal_send(const struct journal_field *fields, size_t n)
{
	return journal_send_to(JOURNAL_SOCKET, fields, n);
}
