# Debian's nginx under systemd: recorded from its first start (static files
# in nested folders, a reverse proxy to a local backend, access and error
# logs, reload, logrotate's postrotate, restart), learned, approved and
# enforced by the installed daemon. The same work replayed under the profile
# has no denial and every request served; code run inside nginx's cgroup
# cannot read a secret, connect to an unlisted port or run a new program.
. /tests/e2e-systemd/common.inc
U=nginx.service
DB=$WORK/nginx.db

mkdir -p /srv/www/docs/guide/2026 /srv/www/img/icons /srv/backend /root/private
for f in index.html docs/index.html docs/guide/intro.html docs/guide/2026/notes.html; do
	echo "<p>$f</p>" > "/srv/www/$f"
done
printf 'PNG' > /srv/www/img/icons/home.png
printf 'body {}' > /srv/www/img/site.css
echo 'backend says hi' > /srv/backend/hello.txt
echo 'db-password=hunter2' > /root/private/secret.txt
# The image's own site comes back however this ends: other scenarios use it.
cp /etc/nginx/sites-available/default "$WORK/default.site"
trap 'cp "$WORK/default.site" /etc/nginx/sites-available/default' EXIT
cat > /etc/nginx/sites-available/default <<'CONF'
server {
	listen 80 default_server;
	listen [::]:80 default_server;
	root /srv/www;
	index index.html;
	location /api/ { proxy_pass http://127.0.0.1:8081/; }
}
CONF
# The backend is a unit of its own: its work is not nginx's.
systemd-run -q --unit=stk-backend busybox httpd -f -p 127.0.0.1:8081 -h /srv/backend ||
	fail "cannot start the backend"
systemctl is-active -q nginx && fail "nginx runs already: the image should leave it stopped"

served=0
# get PATH CODE: the page is answered with CODE.
get() {
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1$1")
	[ "$code" = "$2" ] || { tail -n 5 /var/log/nginx/error.log; fail "GET $1: $code, expected $2"; }
	served=$((served + 1))
}
workload() {
	for p in / /docs/ /docs/guide/intro.html /docs/guide/2026/notes.html /img/icons/home.png /img/site.css; do
		get "$p" 200
	done
	get /api/hello.txt 200
	get /nothing-here.html 404
}
# The whole day of a web server: work, reload, rotation, restart, work.
day() {
	workload
	systemctl reload nginx || fail "reload failed"
	workload
	logrotate -f /etc/logrotate.d/nginx || fail "logrotate failed"
	sleep 1
	workload
	systemctl restart nginx || fail "restart failed"
	workload
}

record_start $U "$DB"
systemctl start nginx || fail "nginx did not start while recorded"
day
record_stop
learn_approved $U "$DB" "$WORK/nginx.service.yaml"
echo "nginx profile: $(rules_by_kind "$WORK/nginx.service.yaml")"
save_profile "$WORK/nginx.service.yaml"

# Enforce with the daemon as installed. nginx is stopped first, so its
# profile waits for the unit and holds from its first process.
systemctl stop nginx
enforce_with_daemon "$WORK/nginx.service.yaml"
stockade status | grep -q "service $U (not running) *enforce" ||
	{ stockade status; fail "the daemon does not hold nginx's profile while it is stopped"; }
systemctl start nginx || { show_denials $U; fail "nginx does not start under its profile"; }
served=0
day
echo "requests served under enforcement: $served"
expect_no_denials $U "a day of work (reload, logrotate, restart)"
[ -s /var/log/nginx/access.log ] || fail "nothing logged after the rotation"
ls /var/log/nginx/access.log.1 > /dev/null || fail "logrotate did not rotate"

# Code injected into nginx: each attempt is refused beside its allowed twin.
expect_ok in_unit $U 'read -r x < /srv/www/index.html'
expect_eperm in_unit $U 'read -r x < /root/private/secret.txt'
expect_ok in_unit $U 'exec 3<>/dev/tcp/127.0.0.1/8081'
expect_eperm in_unit $U 'exec 3<>/dev/tcp/127.0.0.1/22'
expect_ok in_unit $U 'exec /usr/sbin/nginx -v'
expect_eperm in_unit $U 'exec /usr/bin/id'
for object in /root/private/secret.txt 'tcp 127.0.0.1:22' /usr/bin/id; do
	journalctl -q --no-pager -o cat STOCKADE_SUBJECT=$U STOCKADE_OBJECT="$object" | grep -q "denied .* of $object by /usr/bin/bash" ||
		{ show_denials $U; fail "the journal has no denial of $object"; }
done
objects=$(journalctl -q --no-pager -o export STOCKADE_SUBJECT=$U | sed -n 's/^STOCKADE_OBJECT=//p' | sort -u | grep -c .)
[ "$objects" -eq 3 ] || { show_denials $U; fail "expected denials of 3 objects, the journal has $objects"; }
# bash reads a program whose execve() was refused, to say why: one launch, one denial.
launches=$(journalctl -q --no-pager -o cat STOCKADE_SUBJECT=$U STOCKADE_OBJECT=/usr/bin/id | grep -c .)
[ "$launches" -eq 1 ] || { show_denials $U; fail "one refused launch of /usr/bin/id logged $launches times"; }
[ "$(sqlite3 /var/lib/stockade/denials.db "SELECT count(*) FROM denials WHERE object = '/usr/bin/id'")" -ge 1 ] ||
	fail "the denial log database does not have the refused exec"
get / 200
