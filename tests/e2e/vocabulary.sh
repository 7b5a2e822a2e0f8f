# One vocabulary. A service's cgroup named by path (/system.slice/app.service)
# is "service app.service" in what record, learn, the daemon, status and
# every denial say; learn, the daemon, status and enforce count its rules
# the same way, stockade's self-protection apart; and each denial line says
# where to look it up: the profile file and `stockade status`.
. /tests/e2e/common.inc
CG=/system.slice/app.service
WHO='service app.service'
mkdir -p $CGROOT$CG /srv/app profiles
echo ok > /srv/app/ok
echo secret > /srv/app/secret
in_unit() { sh -c 'echo $$ > '"$CGROOT$CG"'/cgroup.procs && '"$1"; }

bg_stockade rec.out record --cgroup $CG --db rec.db
grep -q "recording $WHO (cgroup $CG)" rec.out || { cat rec.out; fail "record names the subject otherwise"; }
in_unit 'read x < /srv/app/ok; cat /srv/app/ok > /dev/null'
bg_stop rec.out
stockade learn --db rec.db --cgroup $CG -o app.yaml 2> learn.err || { cat learn.err; fail "learn failed"; }
n=$(sed -n "s/^stockade: wrote \([0-9]*\) rules (.*) for $WHO (1 host) to app.yaml\$/\1/p" learn.err)
[ -n "$n" ] && [ "$n" -gt 0 ] || { cat learn.err; fail "learn did not say how many rules it wrote for $WHO"; }
approve app.yaml
cp app.yaml profiles/app.yaml

stockade enforce --dir profiles > daemon.out 2> daemon.err &
DAEMON=$!
said 'enforcing the profiles in profiles'
said "applied app.yaml to $WHO: $n rules (and [1-9][0-9]* of stockade's self-protection), enforce mode"
own=$(sed -n "s/.*applied app.yaml to $WHO: $n rules (and \([0-9]*\) of .*/\1/p" daemon.err)
stockade status > st.out
grep -q "^  $WHO  *enforce" st.out || { cat st.out; fail "status names the subject otherwise"; }
grep -q "from app.yaml, $n rules (and $own of stockade's self-protection)" st.out || { cat st.out; fail "status counts otherwise"; }
expect_eperm in_unit 'read x < /srv/app/secret'
sleep 0.5
kill $DAEMON
wait $DAEMON
grep -q "\"subject\":\"$WHO\",\"verdict\":\"denied\",\"kind\":\"file\",\"object\":\"/srv/app/secret\".*\"profile\":\"profiles/app.yaml\",\"status\":\"stockade status\"}" daemon.out ||
	{ cat daemon.out; fail "the daemon's denial line does not say where to look"; }
stockade disable > /dev/null || fail "disable"

bg_stockade enf.out enforce app.yaml
grep -q "enforcing app.yaml on $WHO ($n rules)" enf.out || { cat enf.out; fail "enforce counts or names otherwise"; }
expect_eperm in_unit 'read x < /srv/app/secret'
sleep 0.5
bg_stop enf.out
grep -q "^denied: read /srv/app/secret by sh (.*); $WHO, profile app.yaml, \`stockade status\`\$" enf.out ||
	{ cat enf.out; fail "enforce's denial line does not say where to look"; }
[ "$(grep -c '^denied' enf.out)" -eq 1 ] || { cat enf.out; fail "one attempt, one denial"; }
