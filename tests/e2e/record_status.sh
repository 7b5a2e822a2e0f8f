# The hooks not recorded elsewhere (exec mappings, memfd exec, mount and
# chroot) land in the recording and the learned profile; stockade status
# shows each running instance's subjects, modes and counters.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/mnt /srv/app/tree /srv/app/bin /srv/src
echo lib > /srv/app/lib
echo lib > /srv/app/lib2
echo other > /srv/src/other
cp /bin/busybox /srv/app/bin/busybox

bg_stockade rec.out record --cgroup $SVC --db rec.db
stockade status > st.out
grep -q "cgroup $SVC  *record  *profile 0" st.out || { cat st.out; fail "status: subject not in record mode"; }
in_svc 'stk-open --mmap-exec /srv/app/lib && stk-open --mprotect-exec /srv/app/lib2 &&
	stk-open --memfd-exec /bin/busybox true && mount --bind /srv/src /srv/app/mnt &&
	chroot /srv/app /bin/busybox true' || fail "the workload failed while recorded"
stockade status > st.out
grep -q 'events: [1-9][0-9]* delivered, 0 lost' st.out || { cat st.out; fail "status: no events counted"; }
bg_stop rec.out
umount /srv/app/mnt
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
rule() { grep -A1 -F -- "$1" p.yaml | grep -q "access: \[$2\]" || { cat p.yaml; fail "expected $1 with [$2]"; }; }
exec_rule() { sed -n '/^exec:/,/^[a-z]/p' p.yaml | grep -qxF -- "- path: $1" || { cat p.yaml; fail "expected exec $1"; }; }
rule '- path: /srv/app/lib' 'read'
exec_rule /srv/app/lib
exec_rule /srv/app/lib2
rule '- path: /memfd:stk (deleted)' 'read'
exec_rule '/memfd:stk (deleted)'
grep -q '^privileges: \[mount, chroot\]$' p.yaml || { cat p.yaml; fail "mount and chroot not learned"; }

# The new mount API alone (one recording: mount would be deduplicated).
bg_stockade rec2.out record --cgroup $SVC --db rec2.db
in_svc 'stk-open --bind-tree /srv/src /srv/app/tree' || fail "move_mount refused while recorded"
bg_stop rec2.out
umount /srv/app/tree
expect_ok stockade learn --db rec2.db --cgroup $SVC -o p2.yaml
grep -q '^privileges: \[mount\]$' p2.yaml || { cat p2.yaml; fail "move_mount not recorded"; }

approve p.yaml
bg_stockade enf.out enforce p.yaml
expect_eperm in_svc 'read x < /srv/src/other'
stockade status > st.out
grep -q "cgroup $SVC  *enforce  *profile 1" st.out || { cat st.out; fail "status: subject not enforced"; }
grep -q 'denied: 1, 0 not delivered' st.out || { cat st.out; fail "status: denial not counted"; }
bg_stop enf.out
stockade status | grep -q 'no stockade programs are loaded' || fail "programs left loaded after stop"
