# The systemd guest is what the service scenarios rely on: systemd is PID 1,
# the services are installed but not started, no timer fires mid-scenario,
# nginx starts and serves, the journal records, and stockade can record and
# enforce.
. /tests/vm/lib.sh

[ "$(readlink /proc/1/exe)" = /usr/lib/systemd/systemd ] || fail "PID 1 is $(readlink /proc/1/exe), not systemd"
[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || fail "/sys/fs/cgroup is not cgroup2 (systemd's unified hierarchy)"
[ "$(findmnt -n -o FSTYPE /sys/fs/bpf)" = bpf ] || fail "bpffs is not mounted at /sys/fs/bpf"
[ "$(findmnt -n -o FSTYPE /sys/kernel/security)" = securityfs ] || fail "securityfs is not mounted"

# A recording must be able to see a service's first start.
for unit in nginx.service postgresql.service ssh.service; do
	[ "$(systemctl is-enabled "$unit")" = disabled ] || fail "$unit is enabled at boot"
	! systemctl -q is-active "$unit" || fail "$unit is running before the scenario started it"
done
[ -z "$(systemctl list-timers --no-legend)" ] || { systemctl list-timers; fail "a timer is waiting to fire"; }
# make vmtest-systemd installs stockade as `make install` does.
[ "$(systemctl show -P ExecStart stockade.service | grep -o 'path=[^ ;]*')" = path=/usr/local/bin/stockade ] ||
	fail "stockade.service is not installed to run /usr/local/bin/stockade"
[ "$(systemctl is-enabled stockade.service)" = disabled ] || fail "stockade.service is enabled at boot"
[ -f /var/lib/postgresql/15/main/PG_VERSION ] || fail "no postgresql cluster 15/main"

expect_ok systemctl start nginx.service
echo "smoke $$" > /var/www/html/smoke.html
[ "$(curl -fsS http://127.0.0.1/smoke.html)" = "smoke $$" ] || fail "nginx did not serve /smoke.html"
journalctl -u nginx.service -o cat | grep -q 'Started' || { journalctl -u nginx.service; fail "the journal has no line for nginx.service"; }
logger -t stockade-smoke "token $$"
journalctl --sync
journalctl -t stockade-smoke -o cat | grep -qx "token $$" || fail "a line sent to the journal did not reach it"

stockade doctor > out || { cat out; fail "stockade doctor failed in the systemd guest"; }
grep -q 'ok    BPF LSM programs       loaded and attached' out || { cat out; fail "BPF LSM programs not attached"; }
