# A descriptor passed in over a unix socket (SCM_RIGHTS) is checked against
# the file rules as if the service had opened the file itself. The kernel
# drops a refused descriptor from the message (MSG_CTRUNC) rather than
# failing recvmsg(), so the denial shows in the log.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app /srv/secret
echo ok > /srv/app/ok
echo key > /srv/secret/key
stk-priv sendfd /srv/app/ok.sock /srv/app/ok 60 &
stk-priv sendfd /srv/app/key.sock /srv/secret/key 60 &
for _ in $(seq 50); do [ -S /srv/app/ok.sock ] && [ -S /srv/app/key.sock ] && break; sleep 0.1; done

bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc 'stk-priv recvfd /srv/app/ok.sock' > /dev/null || fail "receiving failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -A1 '^- path: /srv/app/ok$' p.yaml | grep -q 'access: \[read\]' || { cat p.yaml; fail "the received file not learned"; }
grep -q '^- unix: /srv/app/key.sock$' p.yaml && fail "key.sock was never used"
printf -- '- unix: /srv/app/key.sock\n' >> p.yaml   # the service may talk to it, not read what it passes
approve p.yaml
bg_stockade enf.out enforce p.yaml
[ "$(in_svc 'stk-priv recvfd /srv/app/ok.sock')" = ok ] || { cat enf.out; fail "the allowed descriptor did not arrive"; }
in_svc 'stk-priv recvfd /srv/app/key.sock' > got 2> err && fail "a descriptor for /srv/secret/key arrived: $(cat got)"
grep -q 'no descriptor arrived' err || { cat err; fail "expected the descriptor to be dropped"; }
bg_stop enf.out
grep -q 'denied: read /srv/secret/key by stk-priv' enf.out || { cat enf.out; fail "the refused descriptor not logged"; }
