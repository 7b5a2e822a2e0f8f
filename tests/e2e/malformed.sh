# Every malformed profile (tests/malformed/) dropped into the daemon's
# directory is refused with one logged line, and the profile in force stays
# in force: the allowed read still works, the denied one is still EPERM.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app profiles
echo ok > /srv/app/ok
echo secret > /srv/app/secret
cat > good.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- path: /srv/app/ok
  access: [read]
$RUN_RULES
$RUN_EXEC
EOY
approve good.yaml
cp good.yaml profiles/app.yaml
stockade enforce --dir profiles > daemon.out 2> daemon.err &
DAEMON=$!
for _ in $(seq 100); do grep -q 'enforcing the profiles' daemon.err && break; sleep 0.1; done
grep -q 'applied app.yaml' daemon.err || { cat daemon.err; fail "the good profile was not applied"; }
n=0
for f in /tests/malformed/*.yaml; do
	n=$((n + 1))
	cp "$f" profiles/.next && mv profiles/.next profiles/app.yaml
	for _ in $(seq 50); do [ "$(grep -c 'the version in force stays' daemon.err)" -ge $n ] && break; sleep 0.1; done
	[ "$(grep -c 'the version in force stays' daemon.err)" -ge $n ] || { cat daemon.err; fail "$f was not refused"; }
	expect_ok in_svc 'read x < /srv/app/ok'
	expect_eperm in_svc 'read x < /srv/app/secret'
done
grep -q 'applied app.yaml' daemon.err && [ "$(grep -c 'applied app.yaml' daemon.err)" -eq 1 ] ||
	{ cat daemon.err; fail "a malformed profile was applied"; }
kill $DAEMON
wait $DAEMON
stockade disable > /dev/null || fail "disable"
