# The production daemon: profiles in a directory, hot reload without a gap,
# a bad update kept out, enforcement that outlives the daemon and is adopted
# by the next one, denials logged with every field, and disable as the way out.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app profiles
echo ok > /srv/app/ok
echo new > /srv/app/new
echo secret > /srv/app/secret
# profile V: the approved profile allowing /srv/app/ok, plus /srv/app/new if V is 2.
profile() {
	if [ "$1" = 2 ]; then app_profile staged.yaml /srv/app/new; else app_profile staged.yaml; fi
	approve staged.yaml
}
# Put a file into the directory the way configuration management does.
install_profile() { cp "$1" profiles/.tmp && mv profiles/.tmp profiles/app.yaml; }
start_daemon() {
	stockade enforce --dir profiles --log denials.db >> daemon.out 2>> daemon.err &
	DAEMON=$!
	said 'enforcing the profiles in profiles' "$1"
}

profile 1
install_profile staged.yaml
start_daemon 1
said 'loaded the programs and pinned them in /sys/fs/bpf/stockade'
said 'applied app.yaml to cgroup /stockade-test/app.service: .* enforce mode'
expect_ok in_svc 'read x < /srv/app/ok'
expect_eperm in_svc 'read x < /srv/app/new'
stockade status > st.out
grep -q 'pinned in /sys/fs/bpf/stockade' st.out || { cat st.out; fail "status: not pinned"; }
grep -q "from app.yaml, [0-9]* rules (and [0-9]* of stockade's self-protection), sha256:" st.out || { cat st.out; fail "status: no profile file or digest"; }
grep -q 'denied 1, would deny 0' st.out || { cat st.out; fail "status: denial not counted for the subject"; }

# Every denial is a JSON line with every field, and a row in the database.
sleep 0.5
grep -q '"subject":"cgroup /stockade-test/app.service","verdict":"denied","kind":"file","object":"/srv/app/new","access":"read","exe":"/bin/busybox","comm":"sh","pid":[0-9]*,"uid":0,"profile":"profiles/app.yaml","status":"stockade status"}' daemon.out ||
	{ cat daemon.out; fail "denial JSON line lacks a field"; }
[ "$(sqlite3 denials.db "SELECT count(*) FROM denials WHERE object = '/srv/app/new' AND verdict = 'denied' AND exe = '/bin/busybox' AND pid > 0")" -ge 1 ] ||
	fail "denial not in the database"

# Hot reload: allowed reads in a loop never fail while the profile is swapped.
# (The loop reports through a descriptor opened outside the service.)
in_svc 'n=0; while [ ! -e stop-loop ]; do read x < /srv/app/ok || echo gap; n=$((n + 1)); done; echo "reads $n"' > loop.out &
LOOP=$!
applies=1
for v in 2 1 2 1 2; do
	profile $v
	install_profile staged.yaml
	applies=$((applies + 1))
	said 'applied app.yaml' $applies
done
touch stop-loop
wait $LOOP
grep -q gap loop.out && fail "an allowed read failed during a reload ($(grep -c gap loop.out) times)"
grep -q '^reads [1-9]' loop.out || { cat loop.out; fail "the loop never read"; }
expect_ok in_svc 'read x < /srv/app/new'               # version 2 is in force

# A bad update is refused and the version in force stays.
printf 'version: 1\nsubject: {cgroup: %s}\nfiles:\n- path: /srv/app/secret\n  access: [raed]\n' $SVC > profiles/.bad
mv profiles/.bad profiles/app.yaml
said "unknown access 'raed'.*; the version in force stays"
expect_ok in_svc 'read x < /srv/app/new'
expect_eperm in_svc 'read x < /srv/app/secret'
profile 1
sed -i 's|/srv/app/ok$|/srv/app/secret|' staged.yaml      # changed after approval
install_profile staged.yaml
said 'its rules changed since e2e approved them.*; the version in force stays'
expect_eperm in_svc 'read x < /srv/app/secret'

# Killing the daemon leaves enforcement in place; a new one adopts it.
profile 1
install_profile staged.yaml
said 'applied app.yaml' 7
kill -9 $DAEMON
wait $DAEMON 2>/dev/null
expect_eperm in_svc 'read x < /srv/app/new'
expect_ok in_svc 'read x < /srv/app/ok'
start_daemon 2
said 'adopted the programs pinned in /sys/fs/bpf/stockade'
expect_eperm in_svc 'read x < /srv/app/secret'
sleep 0.5
grep -q '"object":"/srv/app/secret"' daemon.out || fail "the adopting daemon did not log the denial"
stockade status > st.out
[ "$(grep -c '^instance with BPF LSM' st.out)" -eq 1 ] || { cat st.out; fail "the restart loaded a second instance"; }

# Removing the profile releases the subject.
rm profiles/app.yaml
said 'app.yaml was removed: cgroup /stockade-test/app.service released'
expect_ok in_svc 'read x < /srv/app/secret'

# A profile in complain mode logs what it would deny, and denies nothing.
profile 1
sed -i 's/^mode: enforce$/mode: complain/' staged.yaml
approve staged.yaml
install_profile staged.yaml
said 'applied app.yaml to cgroup /stockade-test/app.service: .* complain mode'
expect_ok in_svc 'read x < /srv/app/secret'
sleep 0.5
grep -q '"verdict":"would deny","kind":"file","object":"/srv/app/secret"' daemon.out || { cat daemon.out; fail "no would-deny line"; }

# disable: per subject, then everything.
profile 1
install_profile staged.yaml
said 'applied app.yaml' 9
kill $DAEMON
wait $DAEMON
expect_eperm in_svc 'read x < /srv/app/secret'
expect_ok stockade disable --cgroup $SVC
expect_ok in_svc 'read x < /srv/app/secret'
expect_ok stockade disable
[ ! -e /sys/fs/bpf/stockade ] || fail "pins left after disable"
stockade status | grep -q 'no stockade programs are loaded' || { stockade status; fail "programs left loaded after disable"; }
