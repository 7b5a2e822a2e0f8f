# A confined service, even as root and with a profile that lets it read and
# write almost anything, use the capabilities it needs to, and signal and
# inspect other processes, cannot switch stockade off: bpf(), loading modules,
# changing the pins, the profile directory or the denial log, and signalling
# or tracing the daemon all fail with EPERM, each beside a twin that works,
# and enforcement is still in force afterwards.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/secret profiles /sys/fs/bpf/other
echo key > /srv/secret/key
cat > wide.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /
  access: [read, write, append, create, unlink]
- subtree: /srv/secret
  access: [read]
  deny: true
exec:
- subtree: /
privileges: [ptrace-read, signal]
capabilities: [sys_module, sys_admin, bpf]
EOY
approve wide.yaml
cp wide.yaml profiles/app.yaml
stockade enforce --dir profiles --log denials.db > daemon.out 2> daemon.err &
DAEMON=$!
said 'applied app.yaml'
expect_eperm in_svc 'read x < /srv/secret/key'

# bpf(): no program, map or link can be reached, listed or detached.
expect_eperm in_svc 'bpftool prog show'
expect_ok bpftool prog show > /dev/null                       # outside

# Kernel modules.
head -c 4096 /dev/zero > junk.ko
expect_eperm in_svc "insmod $PWD/junk.ko"
insmod junk.ko > insmod.out 2>&1 && fail "junk loaded as a module"
grep -q 'Operation not permitted' insmod.out && fail "insmod was refused outside the service"

# The pins: removing one is refused; another bpffs directory is the twin.
expect_eperm in_svc 'rm /sys/fs/bpf/stockade/link-stockade_file_open'
expect_ok in_svc 'rmdir /sys/fs/bpf/other'

# The profile directory and the denial log; the scenario's folder is the twin.
expect_eperm in_svc "echo '# gone' > $PWD/profiles/app.yaml"
expect_eperm in_svc "rm $PWD/profiles/app.yaml"
expect_eperm in_svc "echo junk >> $PWD/denials.db"
expect_ok in_svc "echo fine > $PWD/note.txt"

# Signalling or tracing the daemon; another process is the twin.
expect_eperm in_svc "kill -TERM $DAEMON"
expect_eperm in_svc "kill -0 $DAEMON"
# procfs reports a refused ptrace check as EACCES.
in_svc "read x < /proc/$DAEMON/environ" 2> environ.err && fail "read the daemon's environment"
grep -q 'Permission denied' environ.err || { cat environ.err; fail "the daemon's environment: wrong failure"; }
sleep $HELPER_SECS &
OTHER=$!
expect_ok in_svc "kill -0 $OTHER && read x < /proc/$OTHER/environ; true"
kill $OTHER
expect_ok kill -0 $DAEMON                                      # outside

# A profile that grants changing stockade's own files is refused.
printf '%s\n' "version: 1" "subject:" "  cgroup: $SVC" "files:" "- subtree: $PWD/profiles" "  access: [write]" > grab.yaml
approve grab.yaml
cp grab.yaml profiles/.n && mv profiles/.n profiles/app.yaml
for _ in $(seq 50); do grep -q "which is stockade's own" daemon.err && break; sleep 0.1; done
grep -q "the rule for $PWD/profiles would let the service change .*, which is stockade's own; the version in force stays" daemon.err ||
	{ cat daemon.err; fail "a profile granting the profile directory was not refused"; }

# Still in force, and every attempt was logged.
kill -0 $DAEMON || fail "the daemon died"
expect_eperm in_svc 'read x < /srv/secret/key'
sleep 0.5
grep -q '"kind":"privilege","object":"","access":"bpf"' daemon.out || { cat daemon.out; fail "bpf() denial not logged"; }
grep -q '"access":"modules"' daemon.out || fail "module denial not logged"
grep -q '"access":"tamper-with-stockade"' daemon.out || { cat daemon.out; fail "tampering not logged"; }
kill $DAEMON
wait $DAEMON
stockade disable > /dev/null || fail "disable"
