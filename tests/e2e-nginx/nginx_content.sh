# Debian's nginx as a user would run it: a nested web root, a proxy to a
# local backend, a unix-socket listener, reload, log rotation and a restart
# in a new cgroup. Recorded, learned, approved, enforced; then the site is
# updated and the logs rotated twice more, and nothing nginx does is denied,
# while a secret outside the web root, and a write into it, are refused.
# Runs in the boot with Debian's nginx unpacked (tests/vm/vmtest).
. /tests/e2e/common.inc
UNIT=nginx.service
CGDIR=$CGROOT/system.slice/$UNIT
LOGS=/var/log/nginx

setup() {
	grep -q '^www-data:' /etc/passwd || {
		echo 'www-data:x:33:33:www-data:/var/www:/bin/sh' >> /etc/passwd
		echo 'www-data:x:33:' >> /etc/group
	}
	mkdir -p $LOGS /var/lib/nginx /run/nginx /srv/backend "$CGDIR"
	rm -rf /srv/www $LOGS/* /run/nginx/*
	for page in index.html about.html css/site.css css/print.css img/logo.png img/icons/home.svg \
		docs/guide.html docs/faq.html docs/v2/api.html docs/v2/changes.html; do
		mkdir -p "/srv/www/$(dirname $page)"
		echo "page $page" > "/srv/www/$page"
	done
	echo 'the database password' > /srv/secret.txt
	ln -s /srv/secret.txt /srv/www/leak.txt # nginx follows symlinks by default
	echo backend-ok > /srv/backend/status
	cat > /etc/nginx/sites-enabled/site <<'CONF'
server {
	listen 8080;
	listen unix:/run/nginx/site.sock;
	root /srv/www;
	location /api/ { proxy_pass http://127.0.0.1:8081/; }
}
CONF
	# The backend is another service: it is not nginx's subject.
	httpd -p 127.0.0.1:8081 -h /srv/backend
}

# Run a command as nginx.service would: in its cgroup from its first exec.
as_unit() { sh -c 'echo $$ > '"$CGDIR"'/cgroup.procs && exec "$@"' sh "$@"; }
# Run shell code inside the unit, as code injected into nginx would, without an exec.
in_unit() { sh -c 'echo $$ > '"$CGDIR"'/cgroup.procs && '"$1"; }
# busybox nc closes its side once the request is sent, which nginx takes for a
# client that went away (499) while it waits for the backend: hold it open.
status_of() {
	{ printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1"; case $1 in /api/*) sleep 0.5;; esac; } |
		nc 127.0.0.1 8080 | head -n 1
}
# fetch PATH: it is served (200), or the scenario fails.
fetch() {
	got=$(status_of "$1")
	case $got in *' 200 '*) ;; *) cat $LOGS/error.log; fail "GET $1: $got";; esac
}
site() {
	for page in $(cd /srv/www && find . -type f | sed 's|^\.||'); do fetch "$page"; done
	fetch /
	fetch /api/status
}
start() {
	as_unit nginx || fail "nginx did not start"
	for _ in $(seq 50); do status_of / | grep -q 200 && return 0; sleep 0.1; done
	cat $LOGS/error.log; fail "nginx does not answer"
}
# nginx -s SIGNAL, run the way systemd's ExecReload runs it: in the unit.
signal() { as_unit nginx -s "$1" 2>/dev/null || fail "nginx -s $1"; sleep 1; }
stop() {
	pid=$(cat /run/nginx.pid)
	signal quit
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
# Start it in its cgroup made anew, with a new id, as systemd does at each start.
fresh_start() {
	rmdir "$CGDIR" && mkdir "$CGDIR" || fail "cannot make $CGDIR anew"
	start
}
restart() { stop; fresh_start; }
# logrotate's way: shift the old logs, compress, move the live one, reopen.
ROTATIONS=0
rotate() {
	ROTATIONS=$((ROTATIONS + 1))
	for log in access error; do
		[ -f $LOGS/$log.log.1 ] && gzip -c $LOGS/$log.log.1 > $LOGS/$log.log.$((ROTATIONS)).gz && rm $LOGS/$log.log.1
		mv $LOGS/$log.log $LOGS/$log.log.1
	done
	signal reopen
	[ -f $LOGS/access.log ] || fail "nginx did not reopen its log"
}

setup
bg_stockade rec.out record --service $UNIT --db rec.db
start
site
signal reload
site
rotate
site
restart
site
bg_stop rec.out
stop

stockade learn --db rec.db --service $UNIT -o nginx.yaml 2> learn.err || { cat learn.err; fail "learn failed"; }
cat learn.err nginx.yaml
grep -q 'file subtree /srv/www \[read\] replaces 10 paths: content-tree, 10 files in 6 folders' learn.err ||
	fail "the web root was not learned as a content tree"
grep -q "generalised: 'content-tree, 10 files in 6 folders'" nginx.yaml || fail "the rule does not say why"
expect_ok stockade learn --check rec.db nginx.yaml
approve nginx.yaml

bg_stockade enf.out enforce nginx.yaml
fresh_start
site
# The site is updated: new pages, in new folders too.
mkdir -p /srv/www/news/2026 /srv/www/docs/v3
echo news > /srv/www/news/2026/launch.html
echo intro > /srv/www/docs/v3/intro.html
echo png > /srv/www/img/banner.png
site
rotate
site
rotate
site
signal reload
restart
site
[ -f $LOGS/access.log.3.gz ] || { ls $LOGS; fail "the logs were not rotated three times"; }
grep -q '^denied' enf.out && { cat enf.out; fail "nginx's own work was denied"; }

# A secret outside the web root, through a symlink in it: refused, logged.
got=$(status_of /leak.txt)
case $got in *' 403 '*|*' 500 '*) ;; *) fail "GET /leak.txt: $got (expected 403 or 500)";; esac
expect_ok cat /srv/secret.txt # outside the service
# Only reads of the content tree were learned: a write into it is refused.
expect_eperm in_unit 'echo defaced > /srv/www/index.html'
expect_eperm in_unit 'echo new > /srv/www/news/evil.html'
expect_ok in_unit 'read x < /srv/www/news/2026/launch.html'
fetch /index.html
sleep 0.5
bg_stop enf.out
grep -q 'denied: read /srv/secret.txt by nginx .*exe /usr/sbin/nginx' enf.out || { cat enf.out; fail "the secret's denial was not logged"; }
grep -q 'denied: write /srv/www/index.html' enf.out && grep -q 'denied: create /srv/www/news/evil.html' enf.out || { cat enf.out; fail "the write's denial was not logged"; }
[ "$(grep -c '^denied' enf.out)" -eq 3 ] || { cat enf.out; fail "expected exactly 3 denials"; }
cat enf.out
