# Enforce mode against the ways a confined service might try to reach a
# denied file by another name or another route, or run code it may not. Every attempt must fail with
# EPERM while its twin on an allowed file succeeds: the kernel checks the
# file actually opened, whatever name or route led to it.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app /srv/secret
echo ok > /srv/app/ok
echo key > /srv/secret/key
ln -s /srv/secret/key /srv/app/link-bad
ln -s /srv/app/ok /srv/app/link-ok
cat > p.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /srv/app
  access: [read]
- path: /srv/secret      # the directory itself may be opened (for openat)
  access: [read]
$RUN_RULES
- subtree: /etc
  access: [read]
- path: /dev/null        # a background job's stdin
  access: [read]
- subtree: /tmp/daemon   # where the daemon test reports
  access: [write, create]
$RUN_EXEC
EOY
approve p.yaml
bg_stockade enf.out enforce p.yaml

# 1. A symlink inside the allowed tree pointing out of it.
expect_eperm in_svc 'read x < /srv/app/link-bad'
expect_ok in_svc 'read x < /srv/app/link-ok'
# 2. A relative path after chdir.
expect_eperm in_svc 'cd /srv/secret && read x < key'
expect_ok in_svc 'cd /srv/app && read x < ok'
# 3. openat() relative to a directory fd.
expect_eperm in_svc 'exec stk-open --dirfd /srv/secret key'
expect_ok in_svc 'exec stk-open --dirfd /srv/app ok'
# 4. Reopening, through /proc/self/fd, a descriptor opened before joining.
expect_eperm sh -c 'exec 3< /srv/secret/key; echo $$ > '"$SVCDIR"'/cgroup.procs && exec stk-open /proc/self/fd/3'
expect_ok sh -c 'exec 3< /srv/app/ok; echo $$ > '"$SVCDIR"'/cgroup.procs && exec stk-open /proc/self/fd/3'
# 5. io_uring's IORING_OP_OPENAT, which does not go through open(2).
expect_eperm in_svc 'exec stk-open --uring /srv/secret/key'
expect_ok in_svc 'exec stk-open --uring /srv/app/ok'
# 6. A child that daemonizes (double fork, setsid) to leave the service.
mkdir -p /tmp/daemon
daemon() {
	rm -f /tmp/daemon/rc /tmp/daemon/err
	in_svc '(setsid sh -c "read x < '"$1"'; echo \$? > /tmp/daemon/rc" 2>/tmp/daemon/err &) ; exit 0'
	for _ in $(seq 50); do [ -s /tmp/daemon/rc ] && break; sleep 0.1; done
	cat /tmp/daemon/rc
}
[ "$(daemon /srv/secret/key)" != 0 ] || fail "a daemonized child read the secret"
grep -q 'Operation not permitted' /tmp/daemon/err || { cat /tmp/daemon/err; fail "daemon: not EPERM"; }
[ "$(daemon /srv/app/ok)" = 0 ] || { cat /tmp/daemon/err; fail "a daemonized child lost an allowed read"; }

# 7. Running code the profile does not name: from an anonymous memfd, or by
#    mapping a readable (not executable) file PROT_EXEC.
expect_eperm in_svc 'exec stk-open --memfd-exec /bin/busybox true'
expect_ok in_svc 'exec /bin/busybox true'
expect_eperm in_svc 'exec stk-open --mmap-exec /srv/app/ok'
expect_ok in_svc 'exec stk-open --mmap-exec /bin/busybox'
expect_eperm in_svc 'exec stk-open --mprotect-exec /srv/app/ok'
expect_ok in_svc 'exec stk-open --mprotect-exec /bin/busybox'

bg_stop enf.out
grep -q 'denied: read,exec /memfd:stk (deleted)' enf.out || { cat enf.out; fail "memfd exec not logged"; }
grep -q 'denied: exec /srv/app/ok' enf.out || { cat enf.out; fail "exec mapping not logged"; }
grep -q 'denied: read /srv/secret/key' enf.out || { cat enf.out; fail "no denial logged for the secret"; }
