/* systemd's notify and native journal protocols, spoken to a socket of the test's own. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../common/systemd.h"

static char sock_path[108];

static int listener(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	cr_assert_geq(fd, 0);
	snprintf(sock_path, sizeof(sock_path), "/tmp/stk-test-journal-%d", getpid());
	unlink(sock_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* The value of field name in a binary-form entry, or NULL. */
static char *field(const unsigned char *buf, size_t n, const char *name, char *out, size_t cap)
{
	size_t i = 0, nlen = strlen(name);

	while (i < n) {
		const unsigned char *nl = memchr(buf + i, '\n', n - i);
		uint64_t len = 0;

		cr_assert_not_null(nl, "field without a newline");
		size_t klen = (size_t)(nl - (buf + i));
		i += klen + 1;
		for (int b = 0; b < 8; b++)
			len |= (uint64_t)buf[i + b] << (8 * b);
		i += 8;
		cr_assert_leq(i + len + 1, n);
		cr_assert_eq(buf[i + len], '\n');
		if (klen == nlen && !memcmp(nl - klen, name, nlen)) {
			snprintf(out, cap, "%.*s", (int)len, (const char *)buf + i);
			return out;
		}
		i += len + 1;
	}
	return NULL;
}

Test(systemd, journal_entry_carries_every_field)
{
	const struct journal_field f[] = {
		{ "MESSAGE", "stockade: denied" }, { "STOCKADE_SUBJECT", "nginx.service" }, { "STOCKADE_PID", "42" },
	};
	unsigned char buf[4096];
	char value[256];
	int fd = listener();
	ssize_t n;

	cr_assert_eq(journal_send_to(sock_path, f, 3), 0);
	n = recv(fd, buf, sizeof(buf), 0);
	cr_assert_gt(n, 0);
	cr_assert_str_eq(field(buf, (size_t)n, "STOCKADE_SUBJECT", value, sizeof(value)), "nginx.service");
	cr_assert_str_eq(field(buf, (size_t)n, "STOCKADE_PID", value, sizeof(value)), "42");
	cr_assert_str_eq(field(buf, (size_t)n, "MESSAGE", value, sizeof(value)), "stockade: denied");
	unlink(sock_path);
}

Test(systemd, newline_in_a_value_cannot_forge_a_field)
{
	const struct journal_field f[] = { { "STOCKADE_OBJECT", "/tmp/x\nSTOCKADE_SUBJECT=forged" } };
	unsigned char buf[4096];
	char value[256];
	int fd = listener();
	ssize_t n;

	cr_assert_eq(journal_send_to(sock_path, f, 1), 0);
	n = recv(fd, buf, sizeof(buf), 0);
	cr_assert_str_eq(field(buf, (size_t)n, "STOCKADE_OBJECT", value, sizeof(value)),
			 "/tmp/x\nSTOCKADE_SUBJECT=forged");
	cr_assert_null(field(buf, (size_t)n, "STOCKADE_SUBJECT", value, sizeof(value)));
	unlink(sock_path);
}

Test(systemd, no_journal_is_an_error_not_a_crash)
{
	const struct journal_field f[] = { { "MESSAGE", "x" } };

	cr_assert_eq(journal_send_to("/tmp/stk-no-such-journal-socket", f, 1), -1);
}

Test(systemd, ready_goes_to_notify_socket)
{
	char buf[64] = "";
	int fd = listener();

	setenv("NOTIFY_SOCKET", sock_path, 1);
	systemd_notify_ready();
	cr_assert_eq(recv(fd, buf, sizeof(buf) - 1, 0), 7);
	cr_assert_str_eq(buf, "READY=1");
	unlink(sock_path);
}

Test(systemd, stdout_is_journal_only_when_stream_matches)
{
	char stream[64];
	FILE *f = tmpfile();

	cr_assert_not_null(f);
	dup2(fileno(f), STDOUT_FILENO);
	setenv("JOURNAL_STREAM", "1:2", 1);
	cr_assert_not(journal_is_stdout());
	struct stat st;
	fstat(STDOUT_FILENO, &st);
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", stream, 1);
	cr_assert(journal_is_stdout());
}
