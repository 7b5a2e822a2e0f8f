# Debian's PostgreSQL 15 under systemd: the cluster's unit recorded from its
# first start (clients outside the unit create, insert and select; a
# checkpoint; a restart), learned, approved and enforced by the installed
# daemon. The same work replayed has no denial; a superuser inside the
# database cannot read a secret file or run a program through the server.
. /tests/e2e-systemd/common.inc
U=postgresql@15-main.service
DB=$WORK/postgresql.db

[ -d /var/lib/postgresql/15/main ] || fail "the image has no initdb'd cluster"
# Readable by the postgres user: only stockade stands in the way.
mkdir -p /srv/private
echo 'card=4111111111111111' > /srv/private/secret.txt
chmod 644 /srv/private/secret.txt
systemctl is-active -q $U && fail "$U runs already: the image should leave it stopped"

psql_do() { su postgres -c "psql -X -q -t -A -v ON_ERROR_STOP=1 -c \"$1\"" 2>&1; }
# The clients' work, from outside the unit, and what the server does for it.
workload() {
	psql_do "CREATE TABLE IF NOT EXISTS t(id serial PRIMARY KEY, v text)" || fail "CREATE failed"
	for i in 1 2 3; do
		psql_do "INSERT INTO t(v) SELECT md5(g::text) FROM generate_series(1, 2000) g" > /dev/null ||
			fail "INSERT failed"
	done
	[ "$(psql_do "SELECT count(*) > 0 FROM t")" = t ] || fail "SELECT failed"
	# A sort bigger than work_mem spills to a temporary file.
	psql_do "SET work_mem = '64kB'; SELECT count(DISTINCT v) FROM t" > /dev/null || fail "big sort failed"
	psql_do "CHECKPOINT" || fail "CHECKPOINT failed"
	psql_do "VACUUM ANALYZE t" || fail "VACUUM failed"
}
day() {
	workload
	systemctl restart $U || fail "restart failed"
	workload
}

record_start $U "$DB"
systemctl start $U || fail "$U did not start while recorded"
day
record_stop
learn_approved $U "$DB" "$WORK/$U.yaml"
echo "postgresql profile: $(rules_by_kind "$WORK/$U.yaml")"
save_profile "$WORK/$U.yaml"

systemctl stop $U
enforce_with_daemon "$WORK/$U.yaml"
systemctl start $U || { show_denials $U; fail "$U does not start under its profile"; }
day
expect_no_denials $U "a day of work (checkpoint, vacuum, restart)"

# A superuser's SQL runs in the server's processes, inside the unit.
expect_ok psql_do "SELECT length(pg_read_file('postgresql.auto.conf')) > 0"
out=$(psql_do "SELECT pg_read_file('/srv/private/secret.txt')") && fail "pg_read_file('/srv/private/secret.txt') succeeded: $out"
echo "$out" | grep -q 'Operation not permitted' || fail "pg_read_file failed otherwise: $out"
out=$(psql_do "COPY (SELECT 1) TO PROGRAM 'id > /tmp/pwned'") && fail "COPY TO PROGRAM succeeded: $out"
[ -e /tmp/pwned ] && fail "the program ran"
journalctl -q --no-pager -o cat STOCKADE_SUBJECT=$U STOCKADE_OBJECT=/srv/private/secret.txt | grep -q 'denied read' ||
	{ show_denials $U; fail "the read of the secret is not in the journal"; }
[ "$(denials $U)" -ge 2 ] || { show_denials $U; fail "the refused program is not in the journal"; }
expect_ok psql_do "SELECT 1"
