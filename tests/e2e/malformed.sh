# Every malformed profile (tests/malformed/) dropped into the daemon's
# directory is refused with one logged line, and the profile in force stays
# in force: the allowed read still works, the denied one is still EPERM.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app profiles
echo ok > /srv/app/ok
echo secret > /srv/app/secret
app_profile good.yaml
approve good.yaml
cp good.yaml profiles/app.yaml
stockade enforce --dir profiles > daemon.out 2> daemon.err &
DAEMON=$!
said 'applied app.yaml'
n=0
for f in /tests/malformed/*.yaml; do
	n=$((n + 1))
	cp "$f" profiles/.next && mv profiles/.next profiles/app.yaml
	said 'the version in force stays' $n
	expect_ok in_svc 'read x < /srv/app/ok'
	expect_eperm in_svc 'read x < /srv/app/secret'
done
grep -q 'applied app.yaml' daemon.err && [ "$(grep -c 'applied app.yaml' daemon.err)" -eq 1 ] ||
	{ cat daemon.err; fail "a malformed profile was applied"; }
kill $DAEMON
wait $DAEMON
stockade disable > /dev/null || fail "disable"
