#!/bin/sh
# `make installtest`: `make install` into a scratch DESTDIR puts the binary,
# a unit that runs that binary as the daemon, and the profile directory in
# place; PREFIX moves all of it.
set -eu
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
make -s install DESTDIR="$dest" PREFIX=/opt/stk > /dev/null
[ -x "$dest/opt/stk/bin/stockade" ] || fail "no binary"
unit=$dest/opt/stk/lib/systemd/system/stockade.service
[ -f "$unit" ] || fail "no unit"
grep -qx 'ExecStart=/opt/stk/bin/stockade enforce --dir /etc/stockade/profiles --log /var/lib/stockade/denials.db' "$unit" ||
	fail "ExecStart does not run the installed binary as the daemon"
grep -q '@' "$unit" && fail "unsubstituted placeholder in the unit"
[ -d "$dest/etc/stockade/profiles" ] || fail "no profile directory"
"$dest/opt/stk/bin/stockade" enforce --help | grep -q -- '--dir DIR' || fail "the installed binary has no daemon mode"
if command -v systemd-analyze > /dev/null; then
	# Only the binary's absence from the real /opt may be reported.
	out=$(systemd-analyze verify "$unit" 2>&1 | grep -v 'is not executable' || true)
	[ -z "$out" ] || fail "systemd-analyze: $out"
fi
echo "install: ok"
