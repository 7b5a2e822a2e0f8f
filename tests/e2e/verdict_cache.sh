# The verdict cache answers a repeated open without naming the file, and
# never answers for a path that changed since: a file renamed over an
# allowed name or away from it, a directory moved into or out of an allowed
# subtree, a second link, a bind mount, a chroot, a new profile. Each
# decision changes at once, for a file the cache had already settled.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/pub/e /srv/other/d /srv/jail/bin /srv/jail/data profiles
for f in /srv/app/ok /srv/app/new /srv/app/secret /srv/app/pub/e/g /srv/other/d/f /srv/jail/data/x; do
	echo x > $f
done
cp /bin/busybox /srv/jail/bin/busybox

# profile V: version 1 allows /srv/app/ok, version 2 /srv/app/new instead;
# both the subtree /srv/app/pub, and /srv/jail/data/x by its name outside the
# jail only (inside, it is /data/x).
profile() {
	[ "$1" = 1 ] && file=/srv/app/ok || file=/srv/app/new
	cat > staged.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- path: $file
  access: [read]
- subtree: /srv/app/pub
  access: [read]
- path: /srv/jail/data/x
  access: [read]
$RUN_RULES
$RUN_EXEC
privileges: [chroot]
capabilities: [sys_chroot]
EOY
	approve staged.yaml
	cp staged.yaml profiles/.tmp && mv profiles/.tmp profiles/app.yaml
}
# Open FILE twice in the service: the second open is the cache's to answer.
twice() { in_svc "read x < $1 && read x < $1"; }
cached() { stockade status | sed -n 's/.*opens settled by the verdict cache: \([0-9]*\).*/\1/p'; }

profile 1
stockade enforce --dir profiles >> daemon.out 2>> daemon.err &
DAEMON=$!
said 'applied app.yaml'
before=$(cached)
expect_ok twice /srv/app/ok
expect_ok twice /srv/app/pub/e/g
after=$(cached)
[ "$after" -ge $((before + 2)) ] || fail "the cache settled no repeated open ($before, then $after)"

# A file the cache allowed, renamed to a name no rule allows: refused.
mv /srv/app/ok /srv/app/ok-moved
expect_eperm in_svc 'read x < /srv/app/ok-moved'
# A denied file renamed over the allowed name: allowed.
expect_eperm twice /srv/app/secret
mv /srv/app/secret /srv/app/ok
expect_ok twice /srv/app/ok

# A directory moved out of the allowed subtree: what it holds is refused;
# one moved into it: allowed.
mv /srv/app/pub/e /srv/other/e
expect_eperm in_svc 'read x < /srv/other/e/g'
expect_eperm twice /srv/other/d/f
mv /srv/other/d /srv/app/pub/d
expect_ok twice /srv/app/pub/d/f

# A second name for a file the cache allowed, by a hard link or a bind
# mount: refused under that name, still allowed under its own.
ln /srv/app/pub/d/f /srv/other/hard
expect_eperm in_svc 'read x < /srv/other/hard'
expect_ok twice /srv/app/pub/d/f
mkdir /srv/other/bind
mount --bind /srv/app/pub /srv/other/bind
expect_eperm in_svc 'read x < /srv/other/bind/d/f'
expect_ok in_svc 'read x < /srv/app/pub/d/f'
umount /srv/other/bind

# The same file from a chroot is /data/x, which no rule allows.
expect_ok twice /srv/jail/data/x
expect_eperm in_svc 'chroot /srv/jail /bin/busybox sh -c "read x < /data/x"'
expect_ok twice /srv/jail/data/x

# A new profile: the file version 1 allowed (settled by the cache just
# before) is refused the moment version 2 is in force.
expect_ok twice /srv/app/ok
profile 2
said 'applied app.yaml' 2
expect_eperm in_svc 'read x < /srv/app/ok'
expect_ok twice /srv/app/new
kill $DAEMON
wait $DAEMON
expect_ok stockade disable

# Record mode: a file the cache knows as recorded, once renamed, is recorded
# again under its new name.
echo x > /srv/app/rec
bg_stockade rec.out record --cgroup $SVC --db rec.db
expect_ok twice /srv/app/rec
mv /srv/app/rec /srv/app/rec-moved
expect_ok twice /srv/app/rec-moved
# A file opened one way and the other in turn is named once each way: the
# other four opens are the cache's.
echo x > /srv/app/alt
before=$(cached)
expect_ok in_svc 'for i in 1 2 3; do read x < /srv/app/alt && read x <> /srv/app/alt; done'
after=$(cached)
[ "$after" -ge $((before + 4)) ] || fail "recording named a file at each change of access ($before, then $after settled)"
bg_stop rec.out
for f in /srv/app/rec /srv/app/rec-moved /srv/app/alt; do
	[ "$(sqlite3 rec.db "SELECT count(*) FROM observations WHERE object = '$f'")" -ge 1 ] ||
		{ sqlite3 rec.db 'SELECT * FROM observations' | tail; fail "$f not recorded"; }
done
