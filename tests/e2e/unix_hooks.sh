# Connecting or sending to unix sockets, by path or abstract name: recorded,
# learned and enforced. A symlink to a denied socket is denied, since the
# kernel checks the socket's own path. Servers listen on every name, so EPERM
# comes from stockade and not from a missing socket.
. /tests/e2e/common.inc
svc_setup
mkdir -p /run/app
for name in /run/app/ok.sock /run/app/bad.sock @ok @bad @; do
	stk-net unix listen $name $HELPER_SECS &
done
stk-net unix recv /run/app/log.sock $HELPER_SECS &
stk-net unix recv /run/app/other.sock $HELPER_SECS &
sleep 0.5
ln -s /run/app/bad.sock /run/app/link.sock

work='stk-net unix connect /run/app/ok.sock && stk-net unix connect @ok && stk-net unix send /run/app/log.sock'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -q '^- unix: /run/app/ok.sock$' p.yaml || { cat p.yaml; fail "path socket not learned"; }
grep -q "^- unix: '@ok'$" p.yaml || { cat p.yaml; fail "abstract socket not learned"; }
grep -q '^- unix: /run/app/log.sock$' p.yaml || { cat p.yaml; fail "datagram socket not learned"; }

approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" || { cat enf.out; fail "the learned profile refused the workload"; }
expect_eperm in_svc 'stk-net unix connect /run/app/bad.sock'
expect_eperm in_svc 'stk-net unix connect /run/app/link.sock'
expect_eperm in_svc 'stk-net unix connect @bad'
expect_eperm in_svc 'stk-net unix send /run/app/other.sock'
# The empty abstract name ("@": sun_path one NUL) is a name no rule can
# give: refused, and the event says what it was.
expect_eperm in_svc 'stk-net unix connect @'
# A socketpair's other end has no name to allow or refuse: it is a channel
# the service made, not a file (systemd hands a DynamicUser's lock over one).
in_svc 'stk-net unix pair' || { cat enf.out; fail "a datagram over a socketpair was refused"; }
expect_ok stk-net unix connect /run/app/bad.sock       # outside the service
bg_stop enf.out
grep -q 'denied: connect @bad by stk-net' enf.out || { cat enf.out; fail "abstract denial not printed"; }
grep -qF 'denied: connect [unnamed: unix socket] by stk-net' enf.out ||
	{ cat enf.out; fail "the empty abstract name's denial not printed as such"; }
