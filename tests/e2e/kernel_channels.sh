# Kernel-wide channels (issue 21): reading the kernel log (klogctl(), or a
# /dev/kmsg node made anywhere) needs the syslog privilege; a netlink
# message to another process or to a multicast group, by sendto() or
# connect(), needs netlink-send (messages to the kernel need nothing more
# than their socket rule); setting the hostname needs CAP_SYS_ADMIN.
# A netlink socket passed in is checked as the connect() that aimed it.
# Recording learns what a workload used; without it each is refused with EPERM.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok
mknod /srv/app/kmsg c 1 11
# Unrestricted, the kernel asks no capability for the log: the syslog hook alone decides.
restrict=$(cat /proc/sys/kernel/dmesg_restrict)
trap 'echo $restrict > /proc/sys/kernel/dmesg_restrict; rm -f /srv/app/kmsg /srv/app/nl-*.sock' EXIT
echo 0 > /proc/sys/kernel/dmesg_restrict
stk-escape nl-listen $HELPER_SECS > nl.out &
for _ in $(seq 50); do [ -s nl.out ] && break; sleep 0.1; done
PORT=$(head -n 1 nl.out)
[ -n "$PORT" ] || fail "the netlink listener did not start"

# Netlink sockets an unconfined process aims and hands over: at the kernel
# (port 0) and at the listener.
stk-priv sendnl /srv/app/nl-kernel.sock 0 $HELPER_SECS &
stk-priv sendnl /srv/app/nl-port.sock "$PORT" $HELPER_SECS &
for _ in $(seq 50); do [ -S /srv/app/nl-port.sock ] && [ -S /srv/app/nl-kernel.sock ] && break; sleep 0.1; done

work="stk-escape klogctl && stk-escape kmsg /srv/app/kmsg && stk-escape nl-send sendto $PORT 0 && stk-priv route &&
	stk-priv recvfd /srv/app/nl-kernel.sock && stk-priv recvfd /srv/app/nl-port.sock"
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" > /dev/null || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -q '^privileges: \[syslog, netlink-send\]$' p.yaml || { cat p.yaml; fail "syslog, netlink-send not learned"; }
approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" > /dev/null || { cat enf.out; fail "the learned profile refused the workload"; }
expect_eperm in_svc 'stk-escape sethostname confined'              # CAP_SYS_ADMIN, not learned
[ "$(hostname)" != confined ] || fail "the hostname changed"
bg_stop enf.out
[ "$(grep -c 'denied:' enf.out)" -eq 1 ] || { cat enf.out; fail "the learned profile denied its own work"; }
grep -q 'denied: capability sys_admin by stk-escape' enf.out || { cat enf.out; fail "sethostname denial not printed"; }
grep -q '^secret$' nl.out || { cat nl.out; fail "the granted netlink message did not arrive"; }

# The same sockets and files without the privileges.
grep -v '^privileges:' p.yaml > none.yaml
approve none.yaml
cp nl.out nl.out.before
bg_stockade enf.out enforce none.yaml
expect_eperm in_svc 'stk-escape klogctl'
expect_eperm in_svc 'stk-escape kmsg /srv/app/kmsg'
expect_eperm in_svc "stk-escape nl-send sendto $PORT 0"             # to a process
expect_eperm in_svc "stk-escape nl-send connect $PORT 0"
expect_eperm in_svc 'stk-escape nl-send sendto 0 1'                 # to a multicast group
expect_ok in_svc 'stk-priv route' > /dev/null                       # to the kernel: the socket rule
[ "$(in_svc 'stk-priv recvfd /srv/app/nl-kernel.sock')" = socket ] || { cat enf.out; fail "the socket aimed at the kernel did not arrive"; }
in_svc 'stk-priv recvfd /srv/app/nl-port.sock' > got 2> err && fail "a netlink socket aimed at a process arrived"
grep -q 'MSG_CTRUNC' err || { cat err; fail "recvfd: expected the descriptor dropped"; }
expect_ok stk-escape klogctl                                        # outside the subject
bg_stop enf.out
cmp -s nl.out nl.out.before || { cat nl.out; fail "a refused netlink message arrived"; }
[ "$(grep -c 'denied: syslog by stk-escape' enf.out)" -eq 2 ] || { cat enf.out; fail "syslog denials not printed"; }
[ "$(grep -c 'denied: netlink-send by stk-escape' enf.out)" -eq 3 ] || { cat enf.out; fail "netlink-send denials not printed"; }
grep -q 'denied: netlink-send by stk-priv' enf.out || { cat enf.out; fail "the received socket's denial not printed"; }
