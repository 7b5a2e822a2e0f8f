# Executable memory backed by no file (issue 21): mmap(PROT_EXEC) of
# anonymous memory, or mprotect() adding PROT_EXEC to it, runs code that
# never was a file. It needs the anon-exec privilege, which recording learns
# from a workload that does it (a JIT); without it both are refused with
# EPERM, while programs from files run as ever.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok

work='stk-escape anon-exec mmap && stk-escape anon-exec mprotect && cat /srv/app/ok'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" > /dev/null || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
grep -q '^privileges: \[anon-exec\]$' p.yaml || { cat p.yaml; fail "anon-exec not learned"; }
approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" > /dev/null || { cat enf.out; fail "the learned profile refused the workload"; }
bg_stop enf.out
! grep -q 'denied:' enf.out || { cat enf.out; fail "the learned profile denied something"; }

app_profile none.yaml
approve none.yaml
bg_stockade enf.out enforce none.yaml
expect_eperm in_svc 'stk-escape anon-exec mmap'
expect_eperm in_svc 'stk-escape anon-exec mprotect'
expect_ok in_svc 'cat /srv/app/ok' > /dev/null                  # code from files: exec rules
expect_ok stk-escape anon-exec mmap                              # outside the subject
bg_stop enf.out
[ "$(grep -c 'denied: anon-exec by stk-escape' enf.out)" -eq 2 ] || { cat enf.out; fail "anon-exec denials not printed"; }
