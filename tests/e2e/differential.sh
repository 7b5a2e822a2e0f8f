# The real kernel agrees with the YAML semantics: random approved profiles
# (tests/tools/stk-diff-gen) are swapped into the daemon one after another,
# and stk-diff-run, inside the confined service, tries each access the
# generator wrote and expects EPERM exactly where the parsed profile denies.
. /tests/e2e/common.inc
svc_setup
[ -d /tests/diff ] || fail "no generated cases in /tests/diff (make vmtest generates them)"
mkdir -p /srv/diff/a/b /srv/diff/ab profiles
for f in /srv/diff/f /srv/diff/af /srv/diff/a/f /srv/diff/a/fg /srv/diff/a/b/f /srv/diff/ab/f \
	/srv/diff/l.so.1 /srv/diff/l.so.1.2 /srv/diff/l.so.1.2.3 /srv/diff/l.so.10; do echo x > "$f"; done
stockade enforce --dir profiles > daemon.out 2> daemon.err &
DAEMON=$!
said 'enforcing the profiles'
k=0 total=0
while [ -f /tests/diff/p-$k.yaml ]; do
	cp /tests/diff/p-$k.yaml profiles/.next && mv profiles/.next profiles/app.yaml
	for _ in $(seq 100); do [ "$(grep -c 'applied app.yaml' daemon.err)" -gt $k ] && break; sleep 0.05; done
	[ "$(grep -c 'applied app.yaml' daemon.err)" -gt $k ] || { cat daemon.err; fail "profile $k was not applied"; }
	in_svc "stk-diff-run /tests/diff/c-$k.txt" > run.out || { cat run.out; fail "the kernel disagrees under profile $k (/tests/diff/p-$k.yaml)"; }
	total=$((total + $(sed -n 's/^stk-diff-run: \([0-9]*\) cases.*/\1/p' run.out)))
	k=$((k + 1))
done
kill $DAEMON
wait $DAEMON
stockade disable > /dev/null || fail "disable"
[ $k -ge 10 ] && [ $total -ge 300 ] || fail "only $k profiles and $total cases ran"
echo "differential: $k profiles, $total accesses, the kernel agreed on every one" >&2
