# Leaving the subject (issue 21): a confined task may move tasks between the
# cgroups of its own subject, never out of it, by any path: clone3() with
# CLONE_INTO_CGROUP and a descriptor of another cgroup, or a write to
# another cgroup's cgroup.procs or cgroup.threads, even where the file rules
# allow writing all of /sys/fs/cgroup. Refused with EPERM, logged as
# leave-subject; no profile grants it.
. /tests/e2e/common.inc
svc_setup
mkdir -p "$SVCDIR/worker" "$CGROOT/elsewhere"

cat > p.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /sys/fs/cgroup
  access: [read, write]
$RUN_RULES
$RUN_EXEC
EOY
approve p.yaml
bg_stockade enf.out enforce p.yaml
expect_ok in_svc "stk-escape clone-into $SVCDIR/worker"          # within the subject
expect_ok in_svc "stk-escape move-to $SVCDIR/worker"
expect_eperm in_svc "stk-escape clone-into $CGROOT/elsewhere"
expect_eperm in_svc "stk-escape clone-into $CGROOT"
expect_eperm in_svc "stk-escape move-to $CGROOT/elsewhere"
expect_eperm in_svc "echo \$\$ > $CGROOT/elsewhere/cgroup.threads"
[ -z "$(cat "$CGROOT/elsewhere/cgroup.procs")" ] || fail "a task left the subject"
expect_ok stk-escape clone-into "$CGROOT/elsewhere"              # outside the subject: as ever
bg_stop enf.out
grep -q 'denied: leave-subject elsewhere by stk-escape' enf.out || { cat enf.out; fail "clone3 denial not printed"; }
[ "$(grep -c 'denied: leave-subject' enf.out)" -eq 4 ] || { cat enf.out; fail "expected 4 leave-subject denials"; }
grep -q 'denied: leave-subject elsewhere by sh' enf.out || { cat enf.out; fail "cgroup.threads denial not printed"; }

# The production daemon logs the refusal as every other: a JSON line, a row
# in its database, the subject's denial counter.
mkdir profiles
cp p.yaml profiles/app.yaml
stockade enforce --dir profiles --log denials.db > daemon.out 2> daemon.err &
DAEMON=$!
said 'applied app.yaml to cgroup /stockade-test/app.service: .* enforce mode'
expect_eperm in_svc "stk-escape clone-into $CGROOT/elsewhere"
sleep 0.5
grep -q '"verdict":"denied","kind":"privilege","object":"elsewhere","access":"leave-subject","exe":"/usr/local/bin/stk-escape"' daemon.out ||
	{ cat daemon.out; fail "no JSON line for leave-subject"; }
[ "$(sqlite3 denials.db "SELECT count(*) FROM denials WHERE access = 'leave-subject' AND object = 'elsewhere'")" -eq 1 ] ||
	fail "leave-subject not in the database"
stockade status | grep -q 'denied 1, would deny 0' || { stockade status; fail "leave-subject not counted"; }
kill $DAEMON
wait $DAEMON
expect_ok stockade disable
