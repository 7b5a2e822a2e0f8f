# Capabilities: each one a root service uses is recorded and learned, and in
# enforce mode any other is refused with EPERM. Device nodes ride on this:
# mknod of a block or character device needs CAP_MKNOD, which no profile
# gets unless the service was recorded making one (docs/rules.md).
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok
echo data > /srv/app/owned

# The workload uses CAP_CHOWN (giving a file away) and nothing else.
work='chown 1234 /srv/app/owned && cat /srv/app/ok'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" > /dev/null || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -q '^capabilities: \[chown\]$' p.yaml || { cat p.yaml; fail "chown not learned (alone)"; }

approve p.yaml
bg_stockade enf.out enforce p.yaml
chown 0 /srv/app/owned
in_svc "$work" > /dev/null || { cat enf.out; fail "the learned profile refused the workload"; }
[ "$(stat -c %u /srv/app/owned)" = 1234 ] || fail "chown did not happen"
expect_eperm in_svc 'hostname confined'                   # CAP_SYS_ADMIN
[ "$(hostname)" != confined ] || fail "the hostname changed"
expect_eperm in_svc 'chmod 600 /srv/app/owned'            # CAP_FOWNER: not the owner
expect_ok chmod 600 /srv/app/owned                         # outside the subject: root as ever
bg_stop enf.out
grep -q 'denied: capability sys_admin by hostname' enf.out || { cat enf.out; fail "sys_admin denial not printed"; }
grep -q 'denied: capability fowner by chmod' enf.out || { cat enf.out; fail "fowner denial not printed"; }

# Device nodes: a FIFO needs no capability, a block device CAP_MKNOD.
cat > dev.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /srv/app
  access: [read, create]
$RUN_RULES
$RUN_EXEC
EOY
approve dev.yaml
bg_stockade enf.out enforce dev.yaml
expect_ok in_svc 'mknod /srv/app/fifo p'
expect_eperm in_svc 'mknod /srv/app/sda b 8 0'
[ ! -e /srv/app/sda ] || fail "the refused block device exists"
expect_eperm in_svc 'mknod /srv/app/kmsg c 1 11'
bg_stop enf.out
grep -q 'denied: capability mknod by mknod' enf.out || { cat enf.out; fail "mknod denial not printed"; }

printf 'capabilities: [mknod]\n' >> dev.yaml
approve dev.yaml
bg_stockade enf.out enforce dev.yaml
expect_ok in_svc 'mknod /srv/app/sda b 8 0'                 # granted: the twin works
bg_stop enf.out
