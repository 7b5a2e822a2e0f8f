# Booted without bpf in lsm=: LSM programs would attach yet never run, so
# recording goes through fentry programs, while enforce refuses up front
# with one line that names the fix. doctor says both.
. /tests/e2e/common.inc
svc_setup
if stockade doctor > out; then cat out; fail "doctor passed without BPF LSM"; fi
grep -q 'FAIL  BPF LSM  *not active: add bpf to the lsm= kernel parameter to enforce' out ||
	{ cat out; fail "doctor did not name the fix"; }
grep -q 'ok    fentry programs  *loaded and attached' out || { cat out; fail "fentry trial not reported"; }
grep -q 'can record here (through fentry), but cannot enforce' out || { cat out; fail "no verdict"; }

# Recording works, name operations included.
mkdir -p /srv/app
echo data > /srv/app/f
bg_stockade rec.out record --cgroup $SVC --db rec.db
grep -q 'through fentry (BPF LSM is not active)' rec.out || { cat rec.out; fail "record did not say it uses fentry"; }
in_svc 'read x < /srv/app/f && echo y > /srv/app/new && mv /srv/app/new /srv/app/moved' ||
	fail "recording through fentry refused an access"
# Capabilities, socket families, other processes, executable memory, the
# kernel log and netlink to a process go through fentry too.
sleep $HELPER_SECS &
echo 0 > /proc/sys/kernel/dmesg_restrict # the log without CAP_SYSLOG: the syslog twin alone
stk-escape nl-listen $HELPER_SECS > nl.out &
for _ in $(seq 50); do [ -s nl.out ] && break; sleep 0.1; done
in_svc "chown 1234 /srv/app/f && stk-priv route > /dev/null && kill -0 $! && stk-escape anon-exec mmap &&
	stk-escape klogctl && stk-escape nl-send sendto $(head -n 1 nl.out) 0" || fail "recording through fentry refused a grant"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -A1 'path: /srv/app/f$' p.yaml | grep -q 'access: \[read\]' || { cat p.yaml; fail "read not recorded"; }
grep -A1 'path: /srv/app/new$' p.yaml | grep -q 'access: \[write, create, unlink\]' || { cat p.yaml; fail "create/rename not recorded"; }
grep -q '^capabilities: \[chown\]$' p.yaml || { cat p.yaml; fail "chown not recorded through fentry"; }
grep -q '^sockets: \[netlink-route, netlink-usersock\]$' p.yaml || { cat p.yaml; fail "the netlink sockets not recorded through fentry"; }
grep -q '^privileges: \[signal, anon-exec, syslog, netlink-send\]$' p.yaml ||
	{ cat p.yaml; fail "the privileges not recorded through fentry"; }

# Enforcing is refused before anything is loaded.
stockade approve p.yaml > /dev/null || fail "cannot approve p.yaml"
if stockade enforce p.yaml > stdout 2> err; then fail "enforce ran without BPF LSM"; fi
[ "$(wc -l < err)" -eq 1 ] || { cat err; fail "enforce: expected one line"; }
grep -q 'BPF LSM is not active (active LSMs: lockdown,capability,landlock), so nothing can be denied; add bpf to the lsm= kernel parameter' err ||
	{ cat err; fail "enforce: wrong diagnosis"; }
[ -z "$(ls /sys/fs/bpf)" ] || fail "something was left loaded in /sys/fs/bpf"
