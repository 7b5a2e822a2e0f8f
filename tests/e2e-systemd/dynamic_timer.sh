# Two units whose processes only exist for a moment: one with DynamicUser=
# (a uid allocated at each start, a state directory under /var/lib/private)
# and one started by a .timer. Each is recorded before it ever runs, learned,
# enforced, and run again with no denial; the same unit changed to read a
# secret is refused.
. /tests/e2e-systemd/common.inc
mkdir -p /srv/dyn /srv/private
echo 'input' > /srv/dyn/input
echo 'db-password=hunter2' > /srv/private/secret.txt
chmod 644 /srv/private/secret.txt   # readable by any uid: only stockade stands in the way
cat > /etc/systemd/system/stk-dyn.service <<'UNIT'
[Service]
Type=oneshot
DynamicUser=yes
StateDirectory=stk-dyn
ExecStart=/bin/sh -c 'cat /srv/dyn/input > /var/lib/stk-dyn/out; id -u >> /var/lib/stk-dyn/uids'
UNIT
cat > /etc/systemd/system/stk-tick.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'date +%%s >> /var/log/stk-tick.log'
UNIT
cat > /etc/systemd/system/stk-tick.timer <<'UNIT'
[Timer]
OnActiveSec=1s
AccuracySec=100ms
UNIT
systemctl daemon-reload

# tick N: let the timer start stk-tick.service once more; N runs in all.
tick() {
	systemctl restart stk-tick.timer
	for _ in $(seq 100); do
		[ -f /var/log/stk-tick.log ] && [ "$(wc -l < /var/log/stk-tick.log)" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "the timer did not start stk-tick.service (run $1)"
}
dyn() {
	systemctl start stk-dyn.service ||
		{ journalctl -q --no-pager -u stk-dyn.service | tail -n 5; stockade status; cat "$WORK/stk-dyn.service.yaml" 2>/dev/null; fail "stk-dyn.service failed"; }
}

# A daemon-reload lets go of the dynamic user, and the next start takes a
# uid afresh: it reopens and unlinks the old uid's lock file and cleans
# its IPC objects. Enforcement starts after one (enforce_with_daemon), so
# the recording must see that path too, or those are false denials.
record_start stk-dyn.service "$WORK/dyn.db"
dyn; systemctl daemon-reload; dyn; systemctl daemon-reload; dyn
record_stop
record_start stk-tick.service "$WORK/tick.db"
tick 1; tick 2
record_stop
learn_approved stk-dyn.service "$WORK/dyn.db" "$WORK/stk-dyn.service.yaml"
learn_approved stk-tick.service "$WORK/tick.db" "$WORK/stk-tick.service.yaml"

enforce_with_daemon "$WORK/stk-dyn.service.yaml" "$WORK/stk-tick.service.yaml"
stockade status > "$WORK/st.out"
for u in stk-dyn.service stk-tick.service; do
	grep -q "service $u (not running) *enforce" "$WORK/st.out" ||
		{ cat "$WORK/st.out"; fail "status does not show $u waiting under its profile"; }
done
dyn; dyn
tick 3; tick 4
expect_no_denials stk-dyn.service "two runs with a fresh dynamic uid"
expect_no_denials stk-tick.service "two runs started by the timer"
[ "$(sort -u /var/lib/private/stk-dyn/uids | grep -c .)" -ge 1 ] || fail "stk-dyn.service left no uid"

# The same units, changed to read a secret, are refused.
for u in stk-dyn stk-tick; do
	mkdir -p /etc/systemd/system/$u.service.d
	printf '[Service]\nExecStart=\nExecStart=/bin/sh -c "read -r x < /srv/private/secret.txt"\n' \
		> /etc/systemd/system/$u.service.d/steal.conf
done
systemctl daemon-reload
systemctl start stk-dyn.service && fail "stk-dyn.service read the secret"
[ "$(denials stk-dyn.service)" -ge 1 ] || { show_denials stk-dyn.service; fail "no denial for stk-dyn.service"; }
systemctl restart stk-tick.timer
for _ in $(seq 100); do [ "$(denials stk-tick.service)" -ge 1 ] && break; sleep 0.1; done
[ "$(denials stk-tick.service)" -ge 1 ] || { show_denials stk-tick.service; fail "no denial for stk-tick.service"; }
journalctl -q --no-pager -o cat STOCKADE_SUBJECT=stk-tick.service | grep -q 'denied .*/srv/private/secret.txt' ||
	{ show_denials stk-tick.service; fail "the timer's refused read is not named"; }
