# Record mode denies nothing, and the kernel sends a repeated access once.
. /tests/e2e/common.inc
svc_setup
echo data > /tmp/hot

bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc 'i=0; while [ $i -lt 500 ]; do read x < /tmp/hot; i=$((i+1)); done' ||
	fail "record mode refused an access"
in_svc 'echo y > /tmp/new-file' || fail "record mode refused a write"
bg_stop rec.out
# One read of /tmp/hot (not 500), one create and one write of /tmp/new-file.
grep -q 'recorded 3 events, 2 distinct objects, 0 lost' rec.out ||
	{ cat rec.out; fail "500 reads of one file should be one event"; }
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -A1 'path: /tmp/hot' p.yaml | grep -q 'access: \[read\]' || { cat p.yaml; fail "hot file not learned as read"; }
grep -A1 'path: /tmp/new-file' p.yaml | grep -q 'access: \[write, create\]' || { cat p.yaml; fail "create and write not learned"; }
