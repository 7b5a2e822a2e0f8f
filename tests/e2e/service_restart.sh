# A restarted service is still confined. systemd makes a service's cgroup
# anew, with a new id, each time it starts it; here the test removes the
# cgroup and makes it again, as systemd does. The new cgroup is the same
# subject from its first task: denied where it was, allowed where it was,
# its denials logged and counted under its name. A remade cgroup is also
# still recorded, and disable still finds it.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app profiles
echo ok > /srv/app/ok
echo secret > /srv/app/secret
app_profile app.yaml
approve app.yaml
cp app.yaml profiles/app.yaml

# Remove the service's cgroup and make it again; check it got a new id.
remake() {
	before=$(stat -c %i "$SVCDIR")
	rmdir "$SVCDIR" || fail "cannot remove $SVCDIR"
	mkdir "$SVCDIR" || fail "cannot make $SVCDIR again"
	[ "$(stat -c %i "$SVCDIR")" != "$before" ] || fail "the remade cgroup kept its id"
}

stockade enforce --dir profiles --log denials.db > daemon.out 2> daemon.err &
DAEMON=$!
said 'applied app.yaml to cgroup /stockade-test/app.service'
expect_eperm in_svc 'read x < /srv/app/secret'

for round in 1 2 3; do
	remake
	expect_eperm in_svc 'read x < /srv/app/secret'
	expect_ok in_svc 'read x < /srv/app/ok'
done
# Only the live cgroup is an alias: the removed ones' entries went with them.
aliases=$(bpftool map dump pinned /sys/fs/bpf/stockade/cgroup_aliases | grep -c '"key"')
[ "$aliases" -eq 1 ] || { bpftool map dump pinned /sys/fs/bpf/stockade/cgroup_aliases; fail "$aliases aliases, expected 1"; }

sleep 0.5
[ "$(grep -c '"subject":"cgroup /stockade-test/app.service","verdict":"denied","kind":"file","object":"/srv/app/secret"' daemon.out)" -eq 4 ] ||
	{ cat daemon.out; fail "expected 4 denials logged under the service's name"; }
stockade status > st.out
grep -q 'cgroup /stockade-test/app.service .*enforce' st.out || { cat st.out; fail "status does not name the remade subject"; }
grep -q 'denied 4, would deny 0' st.out || { cat st.out; fail "status: the remade cgroup's denials were not counted"; }
[ "$(grep -c 'profile [0-9]' st.out)" -eq 1 ] || { cat st.out; fail "status shows more than one subject"; }

# A changed profile reaches the remade cgroup, still as one subject.
sed -i 's|/srv/app/ok$|/srv/app/secret|' app.yaml
approve app.yaml
cp app.yaml profiles/.tmp && mv profiles/.tmp profiles/app.yaml
said 'applied app.yaml' 2
expect_ok in_svc 'read x < /srv/app/secret'
expect_eperm in_svc 'read x < /srv/app/ok'
stockade status > st.out
[ "$(grep -c 'profile [0-9]' st.out)" -eq 1 ] || { cat st.out; fail "the update made a second subject"; }

# disable finds the subject by the remade cgroup's path.
kill $DAEMON
wait $DAEMON
remake
expect_eperm in_svc 'read x < /srv/app/ok'
expect_ok stockade disable --cgroup $SVC
expect_ok in_svc 'read x < /srv/app/ok'
one_line_error "cgroup /stockade-test/app.service is not under production enforcement" stockade disable --cgroup $SVC
expect_ok stockade disable

# Recording follows the remade cgroup too.
bg_stockade rec.out record --cgroup $SVC --db rec.db
remake
expect_ok in_svc 'read x < /srv/app/ok'
bg_stop rec.out
[ "$(sqlite3 rec.db "SELECT count(*) FROM observations WHERE object = '/srv/app/ok'")" -ge 1 ] ||
	{ cat rec.out; fail "the remade cgroup's read was not recorded"; }
