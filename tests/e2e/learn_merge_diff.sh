# Two staging hosts record the same service; their recordings merge into one
# profile whose rules count hosts, --min-hosts drops one-host oddities,
# --diff shows what re-learning changed, and the generalised rules hold in
# the kernel: new temporary files and the service's own /proc/self are
# allowed, another process's /proc entry is not.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/tmp
echo conf > /srv/app/config
echo log > /srv/app/log
echo a > /srv/app/only-a
echo b > /srv/app/only-b
for t in tmp.a8Zk3qW1 tmp.Q2w9Lx7p tmp.m4Nb8Vc2 tmp.Z9y8X7w6; do echo t > /srv/app/tmp/$t; done

work='read x < /srv/app/config && read x < /proc/self/status &&
	for t in tmp.a8Zk3qW1 tmp.Q2w9Lx7p tmp.m4Nb8Vc2; do read x < /srv/app/tmp/$t; done'

# Host a reads the log; host b appends to it too, and each has a file of its own.
hostname stage-a
bg_stockade rec.out record --cgroup $SVC --db a.db
in_svc "$work && read x < /srv/app/log && read x < /srv/app/only-a" || fail "workload failed on stage-a"
bg_stop rec.out
hostname stage-b
bg_stockade rec.out record --cgroup $SVC --db b.db
in_svc "$work && read x < /srv/app/log && echo more >> /srv/app/log && read x < /srv/app/only-b" ||
	fail "workload failed on stage-b"
bg_stop rec.out

expect_ok stockade learn --db a.db --cgroup $SVC -o old.yaml
stockade learn --db a.db --db b.db --cgroup $SVC -o p.yaml 2> learn.err || { cat learn.err; fail "merged learn failed"; }
cat learn.err
grep -q '^  hosts: \[stage-a, stage-b\]$' p.yaml || { cat p.yaml; fail "hosts not listed"; }
grep -A2 '^- path: /srv/app/config$' p.yaml | grep -q 'hosts: 2[,}]' || { cat p.yaml; fail "config not seen on 2 hosts"; }
grep -A2 '^- path: /srv/app/only-a$' p.yaml | grep -q 'hosts: 1[,}]' || { cat p.yaml; fail "only-a not seen on 1 host"; }
grep -q '^- path: /proc/self/status$' p.yaml || { cat p.yaml; fail "/proc/<own pid> not named /proc/self"; }
grep -q '^- subtree: /srv/app/tmp$' p.yaml || { cat p.yaml; fail "random names not generalised"; }
grep -q 'file subtree /srv/app/tmp \[read\] replaces 3 paths: random-names, 3 random-looking names' learn.err ||
	fail "generalisation not reported"

expect_ok stockade learn --db a.db --db b.db --cgroup $SVC --min-hosts 2 -o two.yaml
grep -q 'only-' two.yaml && { cat two.yaml; fail "--min-hosts 2 kept a one-host rule"; }
grep -q '^- path: /srv/app/config$' two.yaml || fail "--min-hosts 2 dropped a two-host rule"

stockade learn --db a.db --db b.db --cgroup $SVC --diff old.yaml > diff.out 2>/dev/null || fail "learn --diff failed"
cat diff.out
grep -qx '+ files path /srv/app/only-b \[read\]' diff.out || fail "added rule not shown"
grep -qx '> files path /srv/app/log \[read,append\]' diff.out || fail "widened rule not shown"
grep -qx '    was files path /srv/app/log \[read\]' diff.out || fail "widened rule's old form not shown"
grep -qx '# 1 added, 0 removed, 1 widened, 0 narrowed' diff.out || fail "wrong diff summary"

# In the kernel: a temporary file never seen falls under the learned subtree;
# /proc/self is the reader's own, whatever its pid; init's entry is not.
approve p.yaml
bg_stockade enf.out enforce p.yaml
expect_ok in_svc "$work"
expect_ok in_svc 'read x < /srv/app/tmp/tmp.Z9y8X7w6'
expect_eperm in_svc 'read x < /proc/1/status'
expect_ok read x < /proc/1/status                     # outside the service
bg_stop enf.out
grep -q 'denied: read /proc/1/status' enf.out || { cat enf.out; fail "denial not printed"; }
