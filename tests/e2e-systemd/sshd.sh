# Debian's OpenSSH server under systemd: recorded from its first start
# through key logins and a restart, learned, approved, enforced by the
# installed daemon. Logins still work with no denial. A login's session does
# not run in ssh.service: pam_systemd moves it to a session scope of its
# user's slice, so sshd's profile is about sshd, and the session belongs to
# the user's subject, if one is defined.
. /tests/e2e-systemd/common.inc
U=ssh.service
DB=$WORK/ssh.db

systemctl is-active -q $U && fail "$U runs already: the image should leave it stopped"
mkdir -p /root/.ssh /root/private
chmod 700 /root/.ssh
echo 'db-password=hunter2' > /root/private/secret.txt
rm -f /root/.ssh/id_stk /root/.ssh/id_stk.pub
ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_stk || fail "ssh-keygen failed"
cat /root/.ssh/id_stk.pub > /root/.ssh/authorized_keys

# login CMD: run CMD in a key-authenticated session over the loopback.
login() {
	ssh -q -i /root/.ssh/id_stk -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null root@127.0.0.1 "$1"
}
day() {
	for i in 1 2 3; do
		[ "$(login 'echo hello')" = hello ] || fail "login $i failed"
	done
	systemctl restart $U || fail "restart failed"
	[ "$(login 'id -u')" = 0 ] || fail "login after restart failed"
}

record_start $U "$DB"
systemctl start $U || fail "$U did not start while recorded"
day
record_stop
learn_approved $U "$DB" "$WORK/$U.yaml"
echo "sshd profile: $(rules_by_kind "$WORK/$U.yaml")"
save_profile "$WORK/$U.yaml"

systemctl stop $U
enforce_with_daemon "$WORK/$U.yaml"
systemctl start $U || { show_denials $U; fail "$U does not start under its profile"; }
day
expect_no_denials $U "logins and a restart"

session=$(login 'cat /proc/self/cgroup')
case $session in
*/ssh.service*) fail "the session runs inside ssh.service: $session" ;;
*session-*.scope*) echo "a login's session runs in its own scope: $session" ;;
*) fail "the session's cgroup is unexpected: $session" ;;
esac
expect_ok in_unit $U 'read -r x < /etc/ssh/sshd_config'
expect_eperm in_unit $U 'read -r x < /root/private/secret.txt'
expect_eperm in_unit $U 'exec /usr/bin/id'
