#!/bin/sh
# `make tuitest`: drive the real `stockade review` in tmux (send-keys), and
# assert on what the screen shows (capture-pane) and on the YAML it saves.
set -eu
bin=$(realpath "${1:-build/stockade}")
dir=$(mktemp -d)
sock=stockade-tui-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
# tmux exits when its last session ends: a new-session right after
# kill-session can reach a server on its way out ("server exited
# unexpectedly"). This session keeps the server up until kill-server.
T new-session -d -s keep 'sleep 3600'
fail() { echo "FAIL: $*" >&2; exit 1; }
screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
# Wait (at most 5 s) until the screen shows TEXT.
wait_for() {
	i=0
	until screen | grep -qF -- "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { screen >&2; fail "the screen never showed: $1"; }
		sleep 0.05
	done
}
# Start the review of $1 in a terminal of $2 columns and $3 lines, and go
# past the overview it opens with to the rules.
start() {
	T kill-session -t t 2>/dev/null || true
	T new-session -d -s t -x "$2" -y "$3" "$bin review $1; echo REVIEW-EXIT=\$?; sleep 60"
	wait_for 'press any key for the rules'
	keys Enter
	wait_for '? help'
}
profile() {
	cat > "$dir/p.yaml" <<'EOY'
version: 1
subject: {service: app.service}
files:
- path: /etc/app.conf
  access: [read]
  evidence: {count: 4, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 2}
- path: /root/.ssh/id_rsa
  access: [read]
- path: /var/log/app.log
  access: [read, append]
exec:
- path: /usr/bin/app
network:
- connect: 192.0.2.7
  protocol: tcp
  ports: 5432
EOY
	rm -f "$dir/p.yaml.approved"
}

# 1. Open, navigate, delete a rule, narrow one, approve, quit.
profile
start "$dir/p.yaml" 80 24
screen | grep -q '^files (3)$' || { screen; fail "no files heading"; }
screen | grep -q '^+  path /etc/app.conf  \[read\] .* 4x 2h$' || { screen; fail "rule line without mark or evidence"; }
screen | grep -q '5 rules, 5 to judge' || { screen; fail "status line"; }
keys j
wait_for 'note: -'
screen | grep -q 'written by hand' || { screen; fail "detail pane does not follow the cursor"; }
keys d
wait_for 'deleted (u undoes)'
screen | grep -q 'id_rsa' && { screen; fail "deleted rule still shown"; }
screen | grep -q '\[modified\]' || true
keys n
wait_for 'narrow: drop which access'
keys read Enter
wait_for 'narrowed'
screen | grep -q 'path /var/log/app.log  \[append\]' || { screen; fail "rule not narrowed"; }
keys A
wait_for 'approve anyway? (y/n)'
keys y
wait_for 'approved and saved'
screen | grep -q '^approved by .* UTC$' || { screen; fail "approval not shown"; }
keys k
wait_for '4 rules, 0 to judge'
screen | grep -q '^+' && { screen; fail "rules still marked new after approval"; }
keys q
wait_for 'REVIEW-EXIT=0'
grep -q 'id_rsa' "$dir/p.yaml" && fail "the deleted rule was saved"
grep -A1 -x -- '- path: /var/log/app.log' "$dir/p.yaml" | grep -qx '  access: \[append\]' || { cat "$dir/p.yaml"; fail "narrowed rule not saved"; }
grep -q '^  digest: sha256:[0-9a-f]\{64\}$' "$dir/p.yaml" || { cat "$dir/p.yaml"; fail "no digest saved"; }
grep -q '^  by: ' "$dir/p.yaml" || fail "no approver saved"
cmp -s "$dir/p.yaml" "$dir/p.yaml.approved" || fail "the approved copy differs"
echo "ok: navigate, delete, narrow, approve, quit"

# 2. A change since approval stands out; q asks before discarding it.
start "$dir/p.yaml" 80 24
keys G
wait_for 'connect tcp 192.0.2.7 port 5432'
keys w
wait_for 'widened'
screen | grep -q '^>\* connect tcp 192.0.2.0/24 port 5432' || { screen; fail "widened rule not marked"; }
keys q
wait_for 'unsaved changes'
keys c
sleep 0.2
screen | grep -q 'REVIEW-EXIT' && fail "cancel quit anyway"
keys q
wait_for 'unsaved changes'
keys d
wait_for 'REVIEW-EXIT=0'
cmp -s "$dir/p.yaml" "$dir/p.yaml.approved" || fail "discarded changes were saved"
echo "ok: changes marked, quit asks, discard keeps the file"

# 3. Help, resize, filter, undo.
start "$dir/p.yaml" 80 24
keys '?'
wait_for 'stockade review: keys'
keys x
wait_for '? help'
T resize-window -t t -x 120 -y 40
sleep 0.3
[ "$(screen | wc -l)" -eq 40 ] || fail "the screen did not follow the resize"
screen | sed -n 40p | grep -q '? help' || { screen; fail "status line not on the last line after resize"; }
keys /
wait_for 'filter:'
keys app.log Enter
wait_for 'filter: app.log'
screen | grep -q 'etc/app.conf' && { screen; fail "filter shows other rules"; }
keys q
wait_for 'REVIEW-EXIT=0'
echo "ok: help, resize, filter"

# 4. A learned profile: the overview first (rules by what they are for, what
# was generalised and why, who did it), then each rule says why and who.
cat > "$dir/web.yaml" <<'EOY'
version: 1
subject: {service: nginx.service}
files:
- path: /etc/nginx/nginx.conf
  access: [read]
  evidence: {count: 2, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx]}
- subtree: /srv/www
  access: [read]
  evidence: {count: 10, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 1, samples: [/srv/www/a.html], exe: [/usr/sbin/nginx], generalised: 'content-tree, 10 files in 6 folders'}
- path: /var/log/nginx/access.log
  access: [append, create]
  evidence: {count: 2, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx]}
exec:
- path: /usr/sbin/nginx
  evidence: {count: 1, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 1, exe: [/bin/sh]}
network:
- bind: 0.0.0.0
  protocol: tcp
  ports: 8080
EOY
T kill-session -t t 2>/dev/null || true
T new-session -d -s t -x 80 -y 24 "$bin review $dir/web.yaml; echo REVIEW-EXIT=\$?; sleep 60"
wait_for 'press any key for the rules'
for line in '^service nginx.service: 5 rules$' '^  configuration *1  /etc/nginx/nginx.conf$' '^  content *1  subtree /srv/www$' \
	'^  logs *1  /var/log/nginx/access.log$' '^  libraries *1  exec /usr/sbin/nginx$' '^  network *1  bind tcp 0.0.0.0 port 8080$' \
	'^generalised (1 rule):$' '^  content-tree *subtree /srv/www \[read\]: 10 files in 6 folders$' \
	'^executables: /usr/sbin/nginx (3 rules), /bin/sh (1 rule)$'; do
	screen | grep -q -- "$line" || { screen; fail "overview: no line $line"; }
done
keys Enter
wait_for '? help'
keys j
wait_for 'generalised: content-tree'
screen | grep -q 'subtree /srv/www  \[read\]  (content-tree)' || { screen; fail "the rule line does not say why"; }
screen | grep -q '^by /usr/sbin/nginx; generalised: content-tree, 10 files in 6 folders$' || { screen; fail "detail: who and why"; }
keys o
wait_for 'press any key for the rules'
keys Enter
wait_for '? help'
keys q
wait_for 'REVIEW-EXIT=0'
echo "ok: overview first, each rule says why and who"

# 5. Without a terminal, review says what to use instead.
out=$("$bin" review "$dir/p.yaml" < /dev/null 2>&1) && fail "review ran without a terminal"
echo "$out" | grep -q 'review needs a terminal; `stockade approve`' || fail "no hint without a terminal: $out"
"$bin" approve --by ci "$dir/p.yaml" | grep -q "approved $dir/p.yaml as ci: sha256:" || fail "approve"
echo "ok: approve without a terminal"

# 6. The interactive screen under valgrind: no memory errors, no definite
# leaks (ncurses keeps its screen after endwin(): "possibly lost", not ours).
if command -v valgrind > /dev/null; then
	profile
	T kill-session -t t 2>/dev/null || true
	T new-session -d -s t -x 80 -y 24 "valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-possibly-lost=no --error-exitcode=99 --log-file=$dir/vg.log \
		$bin review $dir/p.yaml; echo REVIEW-EXIT=\$?; sleep 60"
	i=0
	until screen | grep -qF 'press any key for the rules'; do i=$((i + 1)); [ $i -lt 400 ] || fail "valgrind run never drew"; sleep 0.05; done
	keys Enter
	until screen | grep -qF '? help'; do i=$((i + 1)); [ $i -lt 400 ] || fail "valgrind run never drew the rules"; sleep 0.05; done
	keys j d u n
	keys append Enter
	keys w e
	keys 'a note' Enter
	keys / conf Enter
	keys q d
	i=0
	until screen | grep -q 'REVIEW-EXIT='; do i=$((i + 1)); [ $i -lt 400 ] || fail "valgrind run never ended"; sleep 0.05; done
	screen | grep -q 'REVIEW-EXIT=0' || { cat "$dir/vg.log"; fail "valgrind found errors in review"; }
	echo "ok: valgrind clean"
fi
echo "tui: all passed"
