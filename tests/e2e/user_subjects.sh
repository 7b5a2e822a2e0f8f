# A user as a subject: every task whose real uid is the user's is recorded
# and confined, whatever cgroup it runs in, unless it belongs to a service or
# cgroup subject: then that subject's profile applies instead.
. /tests/e2e/common.inc
svc_setup
grep -q '^alice:' /etc/passwd || echo 'alice:x:1000:1000::/tmp:/bin/sh' >> /etc/passwd
mkdir -p /srv/u
for f in a b c; do echo $f > /srv/u/$f; done
chmod 755 /srv/u; chmod 644 /srv/u/*
as_alice() { su alice -s /bin/sh -c "$1"; }

bg_stockade rec.out record --user alice --db rec.db
grep -q 'recording user alice (uid 1000)' rec.out || { cat rec.out; fail "record did not resolve alice"; }
as_alice 'read x < /srv/u/a' || fail "alice refused while recorded"
read x < /srv/u/c                                  # root: not alice, not recorded
bg_stop rec.out
expect_ok stockade learn --db rec.db --user alice -o alice.yaml
grep -q '^  user: alice$' alice.yaml || { cat alice.yaml; fail "no user subject"; }
grep -q 'path: /srv/u/a$' alice.yaml || { cat alice.yaml; fail "alice's read not learned"; }
grep -q 'path: /srv/u/c$' alice.yaml && fail "root's read was recorded as alice's"

# The service's profile allows everything but /srv/u/a, and su's switch to
# alice (setgroups, setgid, setuid) that runs inside it.
cat > svc.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /
  access: [read, write, append, create, unlink]
- path: /srv/u/a
  access: [read]
  deny: true
exec:
- subtree: /
capabilities: [setgid, setuid]
EOY
approve alice.yaml svc.yaml
bg_stockade enf.out enforce alice.yaml svc.yaml
expect_ok as_alice 'read x < /srv/u/a'
expect_eperm as_alice 'read x < /srv/u/b'
expect_ok sh -c 'read x < /srv/u/b'                 # root is not alice
# alice inside the service: the service's profile, not alice's, applies.
in_svc_as_alice() { sh -c 'echo $$ > '"$SVCDIR"'/cgroup.procs && exec su alice -s /bin/sh -c "$1"' sh "$1"; }
expect_ok in_svc_as_alice 'read x < /srv/u/b'
expect_eperm in_svc_as_alice 'read x < /srv/u/a'
bg_stop enf.out
grep -q 'denied: read /srv/u/b by sh (pid [0-9]*, uid 1000, exe /bin/busybox)' enf.out || { cat enf.out; fail "alice's denial not printed"; }
