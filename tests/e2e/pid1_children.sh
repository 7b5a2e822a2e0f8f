# Only a fork by PID 1 puts a process outside every subject until its exec
# (docs/rules.md, "Subjects"): a process of the service whose parent exits
# is reparented to PID 1 (the guest's init here) without being PID 1's fork,
# and stays judged: its own reads, with no exec, are refused with EPERM
# outside the profile and allowed inside it. (That PID 1's own children are
# in no subject until their exec is shown under systemd, where PID 1 starts
# services: tests/e2e-systemd/dynamic_timer.sh and nginx.sh.)
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok
echo secret > /srv/app/secret
app_profile p.yaml /proc/self/stat /dev/null   # a background job's stdin
approve p.yaml
bg_stockade enf.out enforce p.yaml

# The middle subshell exits at once; the inner one, orphaned, reads its
# parent pid and both files with shell redirections only (no exec).
in_svc '( ( sleep 1
	read -r _ _ _ ppid _ < /proc/self/stat && echo "ppid $ppid"
	read -r x < /srv/app/ok && echo "ok: $x"
	read -r x < /srv/app/secret && echo "secret: $x" || echo "secret refused" ) & )' > orphan.out 2>&1
for _ in $(seq 100); do
	grep -q '^secret' orphan.out && break
	sleep 0.1
done
grep -q '^ppid 1$' orphan.out || { cat orphan.out; fail "the orphan was not reparented to PID 1"; }
grep -q '^ok: ok$' orphan.out || { cat orphan.out; fail "the orphan could not read what its profile allows"; }
grep -q '^secret refused$' orphan.out || { cat orphan.out; fail "the orphan of a confined task read the secret"; }
grep -q 'Operation not permitted' orphan.out || { cat orphan.out; fail "the refused read did not fail with EPERM"; }
bg_stop enf.out
grep -q 'denied: read /srv/app/secret' enf.out || { cat enf.out; fail "the orphan's denial was not logged"; }
