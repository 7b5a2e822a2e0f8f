# A descriptor passed in over a unix socket (SCM_RIGHTS) is checked against
# the file rules as if the service had opened the file itself, and a
# connected TCP socket against the network rules as a connect(). The kernel
# drops a refused descriptor from the message (MSG_CTRUNC) rather than
# failing recvmsg(), so the denial shows in the log.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app /srv/secret
echo ok > /srv/app/ok
echo key > /srv/secret/key
stk-priv sendfd /srv/app/ok.sock /srv/app/ok $HELPER_SECS &
stk-priv sendfd /srv/app/key.sock /srv/secret/key $HELPER_SECS &
stk-net listen tcp 127.0.0.1 8081 $HELPER_SECS &
stk-net listen tcp 127.0.0.1 8082 $HELPER_SECS &
sleep 0.5
stk-priv sendsock /srv/app/net-ok.sock 127.0.0.1 8081 $HELPER_SECS &
stk-priv sendsock /srv/app/net-no.sock 127.0.0.1 8082 $HELPER_SECS &
for s in ok key net-ok net-no; do
	for _ in $(seq 50); do [ -S /srv/app/$s.sock ] && break; sleep 0.1; done
done

bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc 'stk-priv recvfd /srv/app/ok.sock && stk-priv recvfd /srv/app/net-ok.sock' > /dev/null ||
	fail "receiving failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -A1 '^- path: /srv/app/ok$' p.yaml | grep -q 'access: \[read\]' || { cat p.yaml; fail "the received file not learned"; }
grep -A2 '^- connect: 127.0.0.1$' p.yaml | grep -q 'ports: 8081' || { cat p.yaml; fail "the received socket's peer not learned"; }
grep -q '^- unix: /srv/app/key.sock$' p.yaml && fail "key.sock was never used"
# The service may talk to these, not use what they pass.
printf -- '- unix: /srv/app/key.sock\n- unix: /srv/app/net-no.sock\n' >> p.yaml
approve p.yaml
bg_stockade enf.out enforce p.yaml
[ "$(in_svc 'stk-priv recvfd /srv/app/ok.sock')" = ok ] || { cat enf.out; fail "the allowed descriptor did not arrive"; }
in_svc 'stk-priv recvfd /srv/app/key.sock' > got 2> err && fail "a descriptor for /srv/secret/key arrived: $(cat got)"
grep -q 'no descriptor arrived' err || { cat err; fail "expected the descriptor to be dropped"; }
[ "$(in_svc 'stk-priv recvfd /srv/app/net-ok.sock')" = socket ] || { cat enf.out; fail "the allowed socket did not arrive"; }
in_svc 'stk-priv recvfd /srv/app/net-no.sock' > got 2> err && fail "a socket connected to port 8082 arrived"
grep -q 'no descriptor arrived' err || { cat err; fail "expected the socket to be dropped"; }
bg_stop enf.out
grep -q 'denied: read /srv/secret/key by stk-priv' enf.out || { cat enf.out; fail "the refused descriptor not logged"; }
grep -q 'denied: connect tcp 127.0.0.1:8082 by stk-priv' enf.out || { cat enf.out; fail "the refused socket not logged"; }
