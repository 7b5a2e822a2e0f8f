#!/bin/sh
# Run the user-space commands that work on any kernel under valgrind:
# learning from a recording, and the error paths of every command.
# Fails on any memory error or leak.
set -eu
bin=${1:-build/stockade}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
vg() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		--suppressions=tests/valgrind.supp "$bin" "$@" >/dev/null 2>"$dir/err" || {
		rc=$?
		if [ $rc -eq 99 ]; then cat "$dir/err"; echo "valgrind: errors in stockade $*"; exit 1; fi
	}
	echo "valgrind clean: stockade $*"
}

sqlite3 "$dir/rec.db" <<'SQL'
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE subjects(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name));
CREATE TABLE observations(subject INTEGER NOT NULL, kind TEXT NOT NULL, object TEXT NOT NULL,
  access INTEGER NOT NULL, count INTEGER NOT NULL, first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, exe TEXT NOT NULL, uid INTEGER NOT NULL,
  PRIMARY KEY (subject, kind, object, access)) WITHOUT ROWID;
INSERT INTO subjects VALUES (1, 'service', 'app.service');
INSERT INTO observations VALUES (1, 'file', '/etc/passwd', 1, 2, 100, 200, '/bin/app', 0),
  (1, 'file', '/etc/passwd', 2, 1, 150, 150, '/bin/app', 0), (1, 'file', 'pipe:[3]', 1, 1, 1, 1, '/bin/app', 0),
  (1, 'file', '/srv/a b: "c"', 1, 1, 1, 1, '/bin/app', 0);
INSERT INTO observations VALUES (1, 'file', '/tmp/w/tmp.a8Zk3qW1', 18, 1, 1, 1, '/bin/app', 0),
  (1, 'file', '/tmp/w/tmp.Q2w9Lx7p', 18, 1, 1, 1, '/bin/app', 0), (1, 'file', '/tmp/w/tmp.m4Nb8Vc2', 18, 1, 1, 1, '/bin/app', 0),
  (1, 'net', 'tcp 192.0.2.1:443', 1, 1, 1, 1, '/bin/app', 0), (1, 'net', 'tcp 192.0.2.2:443', 1, 1, 1, 1, '/bin/app', 0),
  (1, 'net', 'tcp 0.0.0.0:40000', 2, 1, 1, 1, '/bin/app', 0), (1, 'privilege', 'mount', 4, 1, 1, 1, '/bin/app', 0),
  (1, 'file', '/usr/lib/libz.so.1.2.13', 9, 1, 1, 1, '/bin/app', 0), (1, 'file', '/usr/lib/libz.so.1', 1, 1, 1, 1, '/bin/app', 0);
PRAGMA user_version = 1;
SQL
sqlite3 "$dir/rec.db" .dump | sed "s/'\/etc\/passwd'/'\/etc\/group'/" | sqlite3 "$dir/rec2.db"
sqlite3 "$dir/rec2.db" "INSERT INTO meta VALUES ('host', 'stage-2'); PRAGMA user_version = 1;"
mkdir "$dir/all"
printf 'version: 1\nsubject: {service: app}\nfiles:\n- path: /a\n  access: [wirte]\n' > "$dir/bad.yaml"

vg learn --db "$dir/rec.db" --service app -o "$dir/app.yaml"
vg learn --db "$dir/rec.db" --service app
vg learn --db "$dir/rec.db" --service other
vg learn --db "$dir/missing.db" --service app
vg learn --db "$dir/rec.db" --db "$dir/rec2.db" --service app --net-siblings 2 --min-hosts 2 -o "$dir/two.yaml"
vg learn --db "$dir/rec2.db" --service app --diff "$dir/app.yaml"
vg learn --db "$dir/rec.db" --db "$dir/rec2.db" --all -o "$dir/all"
vg learn --db "$dir/rec.db" --service app --exact --siblings 2
vg learn --check "$dir/rec.db" "$dir/app.yaml"
vg learn --check "$dir/rec2.db" "$dir/app.yaml"
vg learn --check "$dir/rec.db" "$dir/bad.yaml"
vg approve --by ci "$dir/app.yaml"
vg review "$dir/app.yaml"
vg approve "$dir/bad.yaml"
vg enforce "$dir/bad.yaml"
vg enforce "$dir/app.yaml"
vg record --cgroup /stockade-no-such-cgroup
vg enforce --dir "$dir/no-such-dir"
vg disable
vg disable --cgroup /stockade-no-such-cgroup
vg doctor
vg check-upgrade "$dir/app.yaml" "$dir/two.yaml"
vg check-upgrade --root "$dir" --dir "$dir/all"
vg check-upgrade "$dir/bad.yaml"
vg status
vg --help
