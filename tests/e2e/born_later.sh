# Names that are born later: a service that, at each start, writes a pid
# file, binds its control socket anew, makes a per-pid state file, reads its
# own thread's /proc/thread-self, and rotates and compresses its own log.
# Recorded over two starts and learned, the profile holds for the names the
# third and fourth starts choose: `learn --check` counts 0 false denials on a
# third recording, and enforcing it denies nothing of the fourth start,
# while a read outside it is still refused.
. /tests/e2e/common.inc
svc_setup
mkdir -p /run/app /var/log/app /srv/app
echo secret > /srv/app/secret
: > /var/log/app/app.log

# One start of the service, then its stop: every name it uses is chosen anew.
run='echo $$ > /run/app.pid &&
	rm -f /run/app.sock && stk-net unix recv /run/app.sock 0 &&
	echo up > /run/app/worker.$$.state &&
	read comm < /proc/thread-self/comm &&
	echo "start $$ $comm" >> /var/log/app/app.log &&
	n=$(ls /var/log/app | grep gz | wc -l) && mv /var/log/app/app.log /var/log/app/app.log.$n &&
	gzip /var/log/app/app.log.$n && echo "rotated" >> /var/log/app/app.log &&
	rm /run/app/worker.$$.state /run/app.pid'

bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$run" || fail "start 1 failed while recorded"
in_svc "$run" || fail "start 2 failed while recorded"
bg_stop rec.out
stockade learn --db rec.db --cgroup $SVC -o app.yaml 2> learn.err || { cat learn.err; fail "learn failed"; }
for why in 'subtree /run/app \[.*numbered-names, 2 names like worker.N.state' \
	'subtree /var/log/app \[.*numbered-names, [0-9]* names like app.log.N' \
	'subtree /proc/self/task \[read\] .*per-thread'; do
	grep -q "$why" learn.err || { cat learn.err app.yaml; fail "not learned: $why"; }
done
for name in /run/app.pid /run/app.sock; do
	grep -q "path: $name" app.yaml || { cat app.yaml; fail "$name is not an exact rule"; }
done

# The next day's traffic, checked offline: nothing would be denied.
bg_stockade rec2.out record --cgroup $SVC --db rec2.db
in_svc "$run" || fail "start 3 failed while recorded"
in_svc 'read x < /srv/app/secret' || fail "reading the secret failed while recorded"
bg_stop rec2.out
stockade learn --check rec2.db app.yaml > check.out 2> check.err && fail "--check missed the secret"
[ "$(cat check.out)" = "deny file /srv/app/secret [read]  by /bin/busybox, seen 1x" ] ||
	{ cat check.out check.err; fail "--check must name the one access the profile denies"; }
grep -q 'app.yaml would deny 1 of [0-9]* observations of cgroup /stockade-test/app.service in rec2.db' check.err ||
	{ cat check.err; fail "--check must count"; }
stockade learn --check rec.db app.yaml > check.out 2> check.err || { cat check.out check.err; fail "--check of the learned recording"; }
grep -q 'would deny 0 of' check.err || { cat check.err; fail "--check: 0 expected"; }

approve app.yaml
bg_stockade enf.out enforce app.yaml
in_svc "$run" || { cat enf.out; fail "start 4 was refused something"; }
expect_eperm in_svc 'read x < /srv/app/secret'
expect_ok in_svc 'read x < /var/log/app/app.log'
bg_stop enf.out
[ "$(grep -c '^denied' enf.out)" -eq 1 ] || { cat enf.out; fail "expected the secret's denial only"; }
[ "$(ls /var/log/app | grep -c gz)" -eq 4 ] || { ls /var/log/app; fail "expected 4 rotations"; }
