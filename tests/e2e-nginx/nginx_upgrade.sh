# A package upgrade under an approved profile. Debian's nginx is recorded,
# learned and approved; then zlib and PCRE2 are upgraded in place the way
# dpkg does it (the new version unpacked under its own name, the soname link
# repointed, the old file removed). nginx still starts and serves under the
# same approved profile with no denial, because its library rules name the
# sonames with their versions (`versions:`); a library the profile never
# named, another major of zlib included, is still refused with EPERM, and
# so is a program it never ran, each attempt logged once.
# Runs in the boot with Debian's nginx unpacked (tests/vm/vmtest).
. /tests/e2e/common.inc
UNIT=nginx.service
CGDIR=$CGROOT/system.slice/$UNIT
LIB=/lib/x86_64-linux-gnu
LOGS=/var/log/nginx

setup() {
	grep -q '^www-data:' /etc/passwd || {
		echo 'www-data:x:33:33:www-data:/var/www:/bin/sh' >> /etc/passwd
		echo 'www-data:x:33:' >> /etc/group
	}
	mkdir -p $LOGS /var/lib/nginx /srv/www "$CGDIR"
	# An nginx killed by an earlier scenario leaves its pid file behind.
	rm -f /run/nginx.pid
	echo hello > /srv/www/index.html
	rm -f /etc/nginx/sites-enabled/*
	cat > /etc/nginx/sites-enabled/site <<'CONF'
server {
	listen 8080;
	root /srv/www;
}
CONF
}

as_unit() { sh -c 'echo $$ > '"$CGDIR"'/cgroup.procs && exec "$@"' sh "$@"; }
in_unit() { sh -c 'echo $$ > '"$CGDIR"'/cgroup.procs && '"$1"; }
served() { printf 'GET / HTTP/1.0\r\n\r\n' | nc 127.0.0.1 8080 | head -n 1 | grep -q ' 200 '; }
start() {
	rmdir "$CGDIR" 2>/dev/null; mkdir -p "$CGDIR"
	as_unit nginx || { cat $LOGS/error.log; fail "nginx did not start"; }
	for _ in $(seq 50); do served && return 0; sleep 0.1; done
	cat $LOGS/error.log; fail "nginx does not answer"
}
stop() {
	pid=$(cat /run/nginx.pid)
	as_unit nginx -s quit
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
# upgrade PACKAGE NAME OLD NEW SONAME: what dpkg does to $LIB/NAME.OLD when
# PACKAGE ships NAME.NEW, its list of files in dpkg's database included.
upgrade() {
	cp "$LIB/$2.$3" "$LIB/$2.$4.dpkg-new" && mv "$LIB/$2.$4.dpkg-new" "$LIB/$2.$4" &&
		ln -s "$2.$4" "$LIB/$5.dpkg-new" && mv -f "$LIB/$5.dpkg-new" "$LIB/$5" &&
		rm "$LIB/$2.$3" || fail "cannot upgrade $1"
	[ "$(readlink "$LIB/$5")" = "$2.$4" ] || fail "$5 does not point to $2.$4"
	mkdir -p /var/lib/dpkg/info
	printf '%s\n' "$LIB/$2.$4" "$LIB/$5" > "/var/lib/dpkg/info/$1.list"
}

setup
[ -f $LIB/libz.so.1.2.13 ] && [ -f $LIB/libpcre2-8.so.0.11.2 ] || { ls $LIB; fail "not the libraries this test upgrades"; }
bg_stockade rec.out record --service $UNIT --db rec.db
start
served || fail "not served"
# The service maps zlib itself too (a plugin would): learned like nginx's own load.
as_unit stk-open --mmap-exec $LIB/libz.so.1 || fail "stk-open cannot map zlib while recorded"
stop
start # a restart finds what the last run left
stop
bg_stop rec.out

stockade learn --db rec.db --service $UNIT -o nginx.yaml 2> learn.err || { cat learn.err; fail "learn failed"; }
cat learn.err
grep -q "exec versions $LIB/libz.so.1 \[exec\] replaces 1 path: versions" learn.err ||
	fail "learn did not report zlib's versions rule"
for lib in libz.so.1 libpcre2-8.so.0; do
	grep -A1 -- "- versions: $LIB/$lib\$" nginx.yaml | grep -q 'access: \[read\]' || { cat nginx.yaml; fail "no file versions rule for $lib"; }
	sed -n '/^exec:/,/^[a-z]/p' nginx.yaml | grep -q -- "- versions: $LIB/$lib\$" || { cat nginx.yaml; fail "no exec versions rule for $lib"; }
done
grep -q "libz.so.1.2.13$" nginx.yaml && { cat nginx.yaml; fail "a rule still names zlib's full version"; }
# What the operator reviews: the library rules (on the console, for the record).
grep -A1 -e '- versions:' -e '- path: /lib/' nginx.yaml | grep -v -e '--' -e evidence > /dev/console 2>&1 || true
# The same recording learned the old way, naming each file exactly.
stockade learn --exact --db rec.db --service $UNIT -o exact.yaml 2> /dev/null || fail "learn --exact failed"
grep -q "^- path: $LIB/libz.so.1.2.13\$" exact.yaml || fail "the exact profile does not name zlib's file"
approve nginx.yaml exact.yaml
digest=$(grep 'digest:' nginx.yaml)
expect_ok stockade check-upgrade nginx.yaml exact.yaml

bg_stockade enf.out enforce nginx.yaml
start
served || fail "not served before the upgrade"
stop

sleep 1 # dpkg's database tells what changed since the approval by the second
upgrade zlib1g:amd64 libz.so 1.2.13 1.2.99 libz.so.1
upgrade libpcre2-8-0:amd64 libpcre2-8.so 0.11.2 0.11.9 libpcre2-8.so.0
# The rollout gate: the exact profile would break nginx, the learned one holds.
stockade check-upgrade exact.yaml > check.out 2> check.err && { cat check.out check.err; fail "check-upgrade passed the exact profile"; }
[ $? -eq 1 ] || { cat check.err; fail "check-upgrade failed otherwise than by exit status 1"; }
grep -qx "exact.yaml: missing: exec path $LIB/libz.so.1.2.13" check.out || { cat check.out; fail "the missing library was not listed"; }
grep -q "exact.yaml: 4 rules name no file now" check.err || { cat check.err; fail "check-upgrade miscounted"; }
stockade check-upgrade nginx.yaml > check.out 2> check.err || { cat check.out check.err; fail "check-upgrade refused the versions profile"; }
grep -qx "nginx.yaml: changed: exec versions $LIB/libz.so.1" check.out &&
	grep -q "now $LIB/libz.so.1.2.99, of zlib1g:amd64 installed" check.out || { cat check.out; fail "the upgraded package was not listed"; }
# A library nginx never used, and another major of zlib: not in the profile.
cp $LIB/libz.so.1.2.99 $LIB/libz.so.2.0.0
cp $LIB/libz.so.1.2.99 $LIB/libqz.so.1.2.99

start
served || fail "not served after the upgrade"
expect_ok as_unit stk-open --mmap-exec $LIB/libz.so.1
stop
grep 'digest:' nginx.yaml | grep -qxF "$digest" || fail "the approved profile changed"
[ "$(grep -c '^denied' enf.out)" -eq 0 ] || { cat enf.out; fail "nginx's own work was denied after the upgrade"; }

expect_eperm as_unit stk-open --mmap-exec $LIB/libz.so.2.0.0
expect_eperm as_unit stk-open --mmap-exec $LIB/libqz.so.1.2.99
expect_eperm in_unit "exec stk-net"
# bash reads a program whose execve() was refused, to say why: still one attempt.
expect_eperm as_unit stk-open --exec-as-bash /usr/local/bin/stk-priv stk-priv
expect_ok as_unit stk-open --mmap-exec $LIB/libpcre2-8.so.0
sleep 0.5
bg_stop enf.out
cat enf.out
grep -q "denied: read $LIB/libz.so.2.0.0 by stk-open" enf.out || fail "the other major's denial was not logged"
grep -q "denied: read $LIB/libqz.so.1.2.99 by stk-open" enf.out || fail "the unknown library's denial was not logged"
grep -q "denied: read,exec /usr/local/bin/stk-net" enf.out || fail "the program's denial was not logged"
grep -q "denied: read,exec /usr/local/bin/stk-priv by stk-open" enf.out || fail "the launch bash would make was not logged"
# One refused attempt, one denial.
[ "$(grep -c '^denied' enf.out)" -eq 4 ] || fail "expected exactly 4 denials, one per refused attempt"
