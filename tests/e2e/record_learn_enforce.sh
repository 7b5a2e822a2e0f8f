# The whole loop on a workload in a test cgroup: recorded, learned, enforced.
# Its own accesses keep working, anything else fails with EPERM for the
# service and its children, and the same access from outside still works.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/data /srv/other
echo conf > /srv/app/config
echo item > /srv/app/data/item
echo secret > /srv/other/secret

workload='cat /srv/app/config >/dev/null && echo line >> /srv/app/log &&
	sh -c "read x < /srv/app/data/item"'

bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$workload" || fail "workload failed while recorded"
bg_stop rec.out
grep -q 'distinct objects, 0 lost' rec.out || { cat rec.out; fail "no summary line"; }

expect_ok stockade learn --db rec.db --cgroup $SVC -o app.yaml
grep -q 'path: /srv/app/config' app.yaml || { cat app.yaml; fail "config not learned"; }
grep -q 'path: /srv/app/data/item' app.yaml || { cat app.yaml; fail "child's read not learned"; }
expect_ok stockade learn --exact --db rec.db --cgroup $SVC -o exact.yaml
grep -q 'subtree' exact.yaml && fail "--exact must write exact paths only"

approve app.yaml
bg_stockade enf.out enforce app.yaml
in_svc "$workload" || { cat enf.out; fail "the service's own accesses were refused"; }
expect_eperm in_svc 'cat /srv/other/secret'
expect_eperm in_svc 'read x < /srv/other/secret'
expect_eperm in_svc 'echo x > /srv/app/config'    # recorded read only
expect_eperm in_svc 'sh -c "read x < /srv/other/secret"'
expect_ok cat /srv/other/secret                    # outside the service
mkdir -p "$SVCDIR/worker"                          # a delegated sub-cgroup
expect_eperm sh -c 'echo $$ > '"$SVCDIR"'/worker/cgroup.procs && read x < /srv/other/secret'
bg_stop enf.out
grep -q 'denied: read /srv/other/secret' enf.out || { cat enf.out; fail "denial not printed"; }

# Released: the service reads freely again.
expect_ok in_svc 'read x < /srv/other/secret'
