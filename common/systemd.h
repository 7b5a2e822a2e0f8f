/*
 * What a daemon under systemd says to it, spoken natively (no libsystemd):
 * readiness on $NOTIFY_SOCKET, and structured journal entries on journald's
 * socket, so that `journalctl STOCKADE_SUBJECT=nginx.service` finds them.
 */
#ifndef STOCKADE_SYSTEMD_H
#define STOCKADE_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>

struct journal_field {
	const char *name; /* upper case, digits and '_', as journald requires */
	const char *value;
};

/* Tell systemd the unit is up (Type=notify); nothing if not started by it. */
void systemd_notify_ready(void);
/* Whether standard output is the journal (systemd's $JOURNAL_STREAM). */
bool journal_is_stdout(void);
/* Send one entry; -1 (errno set) if journald is not there or refused it. */
int journal_send(const struct journal_field *fields, size_t n);
/* The same, to another socket than journald's. */
int journal_send_to(const char *socket, const struct journal_field *fields, size_t n);

#endif
