#!/bin/sh
# Inside the systemd guest (run by profiles/regenerate): the service
# scenarios of tests/e2e-systemd record, learn and enforce Debian's nginx,
# PostgreSQL and OpenSSH under systemd, and check each profile lets its
# service do a day's work with nothing denied. Each learned profile is then
# printed between "=== BEGIN NAME" and "=== END NAME".
set -eu
sh /tests/vm/scenarios-systemd nginx postgresql sshd
for f in /var/tmp/stockade-profiles/*.yaml; do
	echo "=== BEGIN $(basename "$f")"
	cat "$f"
	echo "=== END $(basename "$f")"
done
