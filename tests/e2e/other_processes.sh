# Other processes: a task may trace, read the memory of, take descriptors
# from and signal the tasks of its own subject; a task outside it only with
# the ptrace, ptrace-read or signal privilege, which recording learns.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app /srv/secret
echo ok > /srv/app/ok
echo key > /srv/secret/key

# holder OUT FILE [IN]: start stk-priv hold FILE, moved into the subject
# with IN; sets PID and ADDR (where it keeps "stockade").
holder() {
	stk-priv hold "$2" $HELPER_SECS > "$1" &
	for _ in $(seq 50); do [ -s "$1" ] && break; sleep 0.1; done
	read -r PID ADDR < "$1"
	[ -n "${3:-}" ] && echo "$PID" > "$SVCDIR/cgroup.procs"
}
holder out.pid /srv/secret/key;      OUT=$PID OUT_ADDR=$ADDR
holder in.pid /srv/app/ok in;        IN=$PID IN_ADDR=$ADDR
holder in2.pid /srv/secret/key in;   IN_SECRET=$PID

cat > p.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- path: /srv/app/ok
  access: [read]
- subtree: /proc
  access: [read]
$RUN_RULES
$RUN_EXEC
EOY
approve p.yaml
bg_stockade enf.out enforce p.yaml
# Within the subject: everything works.
expect_ok in_svc "stk-priv vmread $IN $IN_ADDR" > /dev/null
expect_ok in_svc "stk-priv procmem $IN $IN_ADDR" > /dev/null
expect_ok in_svc "stk-priv getfd $IN 3" > /dev/null
expect_ok in_svc "kill -0 $IN"
expect_ok in_svc "cat /proc/$IN/environ" > /dev/null
# Outside it: refused.
expect_eperm in_svc "stk-priv vmread $OUT $OUT_ADDR"       # process_vm_readv
expect_eperm in_svc "stk-priv ptrace $OUT"
expect_eperm in_svc "stk-priv getfd $OUT 3"                # pidfd_getfd
expect_eperm in_svc "kill -0 $OUT"
expect_eperm in_svc "kill -TERM $OUT"
kill -0 $OUT || fail "the refused signal arrived"
# /proc/PID/mem and environ: the kernel turns the refusal into EACCES.
in_svc "stk-priv procmem $OUT $OUT_ADDR" 2> mem.err && fail "/proc/PID/mem of another subject was read"
grep -q 'Permission denied' mem.err || { cat mem.err; fail "/proc/PID/mem: expected EACCES"; }
in_svc "cat /proc/$OUT/environ" 2> env.err > /dev/null && fail "another subject's environ was read"
# A descriptor taken from a task of the subject still obeys the file rules.
expect_eperm in_svc "stk-priv getfd $IN_SECRET 3"
bg_stop enf.out
for what in 'ptrace stk-priv by stk-priv' 'signal stk-priv by sh' 'ptrace-read stk-priv by cat' \
	'read /srv/secret/key by stk-priv'; do
	grep -q "denied: $what" enf.out || { cat enf.out; fail "not printed: denied: $what"; }
done

# Recording learns the privileges from a workload that needs them.
work="kill -0 $OUT && stk-priv vmread $OUT $OUT_ADDR && cat /proc/$OUT/environ"
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" > /dev/null || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o learned.yaml
grep -q '^privileges: \[ptrace-read, ptrace, signal\]$' learned.yaml || { cat learned.yaml; fail "privileges not learned"; }
approve learned.yaml
bg_stockade enf.out enforce learned.yaml
in_svc "$work" > /dev/null || { cat enf.out; fail "the learned profile refused the workload"; }
bg_stop enf.out
