# The kernel applies hand-written rules exactly as README defines them:
# subtrees stop at component boundaries, deny carves exceptions, the most
# specific path wins, and access sets are honoured bit by bit.
. /tests/e2e/common.inc
svc_setup
mkdir -p /data/foo/deep /data/foobar /data/foo/private
for f in /data/foo/a /data/foo/deep/b /data/foobar/c /data/foo/private/d /data/foo/private/open /data/log; do
	echo x > $f
done
cat > p.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /data/foo
  access: [read]
- subtree: /data/foo/private
  access: [read]
  deny: true
- path: /data/foo/private/open
  access: [read]
- path: /data/log
  access: [write]
- subtree: /bin
  access: [read]
exec:
- subtree: /bin
EOY
approve p.yaml
bg_stockade enf.out enforce p.yaml
expect_ok in_svc 'read x < /data/foo/a'
expect_ok in_svc 'read x < /data/foo/deep/b'
expect_eperm in_svc 'read x < /data/foobar/c'          # sibling prefix, not a child
expect_eperm in_svc 'echo y > /data/foo/a'             # read only
expect_eperm in_svc 'read x < /data/foo/private/d'     # denied subtree
expect_ok in_svc 'read x < /data/foo/private/open'     # exact rule beats the deny above it
expect_ok in_svc 'echo y >> /data/log'                 # write covers append
expect_eperm in_svc 'read x < /data/log'               # write does not cover read
expect_ok in_svc 'exec cat /data/foo/a'              # exec allowed under /bin
bg_stop enf.out

# Complain mode: the same profile denies nothing and logs what it would deny.
bg_stockade enf.out enforce --complain p.yaml
grep -q 'in complain mode: nothing is denied' enf.out || { cat enf.out; fail "complain mode not announced"; }
expect_ok in_svc 'read x < /data/foobar/c'
expect_ok in_svc 'read x < /data/foo/a'
bg_stop enf.out
grep -q 'would deny: read /data/foobar/c by sh' enf.out || { cat enf.out; fail "would-be denial not logged"; }
grep -q 'would deny: read /data/foo/a' enf.out && { cat enf.out; fail "an allowed access was logged"; }
grep -q 'released 1 subject: 0 denied' enf.out || { cat enf.out; fail "complain mode counted a denial"; }
