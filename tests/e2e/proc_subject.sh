# A service's processes reading each other's /proc entries (as
# pg_ctlcluster reads its postmaster's cmdline) see them named
# /proc/@subject/...: the pids change every run, the subject does not. Any
# other process's entries keep their pid, so a rule for /proc/@subject
# never reaches outside the service.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok
sh -c 'echo $$ > '"$SVCDIR"'/cgroup.procs && exec sleep 300' &
INSIDE=$!
sleep 300 &
OUTSIDE=$!
sleep 0.3
grep -qx "0::$SVC" /proc/$INSIDE/cgroup || fail "the sleeper did not join the service"

# Recorded under the subject's name, not the pid.
bg_stockade rec.out record --cgroup $SVC --db rec.db
expect_ok in_svc "exec 3< /proc/$INSIDE/cmdline"
bg_stop rec.out
[ "$(sqlite3 rec.db "SELECT count(*) FROM observations WHERE object = '/proc/@subject/cmdline'")" -eq 1 ] ||
	{ sqlite3 rec.db 'SELECT object FROM observations'; fail "the read was not recorded as /proc/@subject/cmdline"; }

app_profile app.yaml /proc/@subject/cmdline
approve app.yaml
bg_stockade enf.out enforce app.yaml
expect_ok in_svc "exec 3< /proc/$INSIDE/cmdline"
expect_eperm in_svc "exec 3< /proc/$OUTSIDE/cmdline"
expect_eperm in_svc "exec 3< /proc/$INSIDE/environ"
bg_stop enf.out
kill $INSIDE $OUTSIDE
