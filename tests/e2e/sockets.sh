# Socket families beyond unix, inet and inet6 are granted by name. A
# netlink route dump (what `ip route` does) is recorded as netlink-route,
# learned, and keeps working in enforce mode, while every other netlink
# protocol and family (vsock, xdp) is refused with EPERM.
. /tests/e2e/common.inc
svc_setup

work='stk-priv route && ip route && ip link'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" > /dev/null || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -q '^sockets: \[netlink-route\]$' p.yaml || { cat p.yaml; fail "netlink-route not learned"; }

approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" > route.out || { cat enf.out; fail "the learned profile refused the route query"; }
grep -q '^[1-9][0-9]* routes$' route.out || { cat route.out; fail "no routes came back"; }
expect_eperm in_svc 'stk-priv socket 16 9'                  # netlink-audit
expect_eperm in_svc 'stk-priv socket 16 15'                 # netlink-kobject-uevent
expect_eperm in_svc 'stk-priv socket 40'                    # vsock: the channel to the host
expect_eperm in_svc 'stk-priv socket 44'                    # xdp
expect_ok stk-priv socket 16 9                              # outside the subject
bg_stop enf.out
grep -q 'denied: socket netlink-audit by stk-priv' enf.out || { cat enf.out; fail "netlink-audit denial not printed"; }
grep -q 'denied: socket vsock by stk-priv' enf.out || { cat enf.out; fail "vsock denial not printed"; }

# Without the rule, the route query itself is refused.
app_profile none.yaml
approve none.yaml
bg_stockade enf.out enforce none.yaml
expect_eperm in_svc 'stk-priv route'
bg_stop enf.out
