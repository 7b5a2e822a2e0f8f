# A unit that is not running yet can be recorded and enforced: the subject
# waits for the cgroup systemd will make for it, and the kernel takes that
# cgroup as the subject's inside mkdir(2), before its first process. The
# guest has no systemd, so a stand-in systemctl says where the unit's cgroup
# will be, as `systemctl show` does for a stopped unit.
. /tests/e2e/common.inc
UNIT=stk-later.service
UNITDIR=$CGROOT/system.slice/$UNIT
mkdir -p "$CGROOT/system.slice" /srv/app bin profiles
echo ok > /srv/app/ok
echo secret > /srv/app/secret
printf '#!/bin/sh\nprintf "LoadState=loaded\\nSlice=system.slice\\n"\n' > bin/systemctl
chmod +x bin/systemctl
PATH=$PWD/bin:$PATH

in_unit() { sh -c 'echo $$ > '"$UNITDIR"'/cgroup.procs && '"$1"; }

# Recording from before the start: the unit's first reads are recorded.
bg_stockade rec.out record --service $UNIT --db rec.db
grep -q "recording service $UNIT (cgroup /system.slice/$UNIT, not running yet" rec.out ||
	{ cat rec.out; fail "record did not say it waits for the unit"; }
mkdir "$UNITDIR"
expect_ok in_unit 'read x < /srv/app/ok'
rmdir "$UNITDIR" && mkdir "$UNITDIR"   # a restart: a new cgroup, the same subject
expect_ok in_unit 'read x < /srv/app/secret'
bg_stop rec.out
for f in /srv/app/ok /srv/app/secret; do
	[ "$(sqlite3 rec.db "SELECT count(*) FROM observations o JOIN subjects s ON s.id = o.subject
		WHERE s.name = '$UNIT' AND o.object = '$f'")" -eq 1 ] ||
		{ cat rec.out; sqlite3 rec.db 'SELECT * FROM observations'; fail "$f was not recorded for $UNIT"; }
done
rmdir "$UNITDIR"

# Enforcing before the start: the first process is already confined.
{
	printf 'version: 1\nsubject:\n  service: %s\nfiles:\n- path: /srv/app/ok\n  access: [read]\n' $UNIT
	printf '%s\n%s\n' "$RUN_RULES" "$RUN_EXEC"
} > profiles/later.yaml
approve profiles/later.yaml
stockade enforce --dir profiles --log denials.db > daemon.out 2> daemon.err &
DAEMON=$!
said "applied later.yaml to service $UNIT: .*(not running: in force from its first process when it starts)"
stockade status > st.out
grep -q "service $UNIT (not running) *enforce" st.out || { cat st.out; fail "status does not say the unit is not running"; }
mkdir "$UNITDIR"
expect_eperm in_unit 'read x < /srv/app/secret'
expect_ok in_unit 'read x < /srv/app/ok'
stockade status > st.out
grep -q "service $UNIT  *enforce" st.out || { cat st.out; fail "status does not name the started unit"; }
sleep 0.5
grep -q "\"subject\":\"service $UNIT\",\"verdict\":\"denied\",\"kind\":\"file\",\"object\":\"/srv/app/secret\"" daemon.out ||
	{ cat daemon.out; fail "the denial was not logged under the unit's name"; }

# A restarted daemon finds the same subject by its now running cgroup.
kill $DAEMON; wait $DAEMON
stockade enforce --dir profiles --log denials.db > daemon.out 2> daemon.err &
DAEMON=$!
said 'enforcing the profiles'
stockade status > st.out
[ "$(grep -c 'profile [0-9]' st.out)" -eq 1 ] || { cat st.out; fail "the restarted daemon made a second subject"; }
expect_eperm in_unit 'read x < /srv/app/secret'
kill $DAEMON; wait $DAEMON
expect_ok stockade disable --service $UNIT
expect_ok in_unit 'read x < /srv/app/secret'
expect_ok stockade disable

# A unit systemd does not know is an error, not a silent wait.
printf '#!/bin/sh\nprintf "LoadState=not-found\\nSlice=\\n"\n' > bin/systemctl
one_line_error "unknown service 'stk-ngnix.service': systemd has no such unit" stockade record --service stk-ngnix --db x.db
