# Rules name paths as the task sees them, through its root and the mounts,
# so a confined service must not rearrange either to put a denied file under
# an allowed name: mount, bind mounts through the new mount API, and chroot
# are refused unless the profile grants the privilege, and work when it does.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/mnt /srv/app/tree /srv/app/bin /srv/secret
echo key > /srv/secret/key
cp /bin/busybox /srv/app/bin/busybox
profile() {
	cat <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /srv/app
  access: [read]
$RUN_RULES
- subtree: /etc
  access: [read]
- subtree: /proc
  access: [read]
$1
$RUN_EXEC
- subtree: /srv/app
EOY
}

# Both hold the capabilities, so that the privilege is what decides.
caps='capabilities: [sys_chroot, sys_admin]'
profile "$caps" > deny.yaml
approve deny.yaml
bg_stockade enf.out enforce deny.yaml
# busybox mount reports EPERM as "permission denied (are you root?)": the
# denial log below shows it was stockade.
in_svc 'mount --bind /srv/secret /srv/app/mnt' 2>/dev/null && fail "mount --bind succeeded"
expect_eperm in_svc 'exec stk-open --bind-tree /srv/secret /srv/app/tree'
expect_eperm in_svc 'chroot /srv/app /bin/busybox true'
[ ! -e /srv/app/mnt/key ] && [ ! -e /srv/app/tree/key ] || fail "a refused mount happened"
bg_stop enf.out
grep -q 'denied: mount /srv/app/mnt by mount' enf.out || { cat enf.out; fail "mount denial not printed"; }
grep -q 'denied: mount /srv/app/tree by stk-open' enf.out || { cat enf.out; fail "move_mount denial not printed"; }
grep -q 'denied: chroot /srv/app by chroot' enf.out || { cat enf.out; fail "chroot denial not printed"; }

profile "privileges: [mount, chroot]
$caps" > grant.yaml
approve grant.yaml
bg_stockade enf.out enforce grant.yaml
expect_ok in_svc 'mount --bind /srv/secret /srv/app/mnt'
expect_ok in_svc 'exec stk-open --bind-tree /srv/secret /srv/app/tree'
expect_ok in_svc 'chroot /srv/app /bin/busybox true'
bg_stop enf.out
umount /srv/app/mnt /srv/app/tree
