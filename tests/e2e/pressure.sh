# Event pressure: with the recorder frozen (SIGSTOP) while a recorded
# service opens 100,000 distinct files, the ring buffer fills; the kernel
# counts every event it could not deliver, status shows the loss, and the
# recorder, thawed, finishes and reports it. Likewise in enforce mode: every
# denial is still a denial (EPERM), counted even when it cannot be delivered.
. /tests/e2e/common.inc
svc_setup
N=100000
mkdir -p /srv/flood && stk-loop mkfiles /srv/flood $N || fail "cannot create the files"

bg_stockade rec.out record --cgroup $SVC --db rec.db
kill -STOP $BG_PID
in_svc "stk-loop flood /srv/flood $N" > flood.out || fail "the flood failed while recorded"
[ "$(cat flood.out)" = 0 ] || fail "record mode refused $(cat flood.out) opens"
stockade status > st.out
grep -q 'events: [0-9]* delivered, [1-9][0-9]* lost' st.out || { cat st.out; fail "status shows no loss"; }
kill -CONT $BG_PID
bg_stop rec.out
grep -q "^stockade: recorded [0-9]* events, [0-9]* distinct objects, [1-9][0-9]* lost$" rec.out ||
	{ cat rec.out; fail "the recorder's summary shows no loss"; }

cat > p.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
$RUN_RULES
$RUN_EXEC
EOY
approve p.yaml
bg_stockade enf.out enforce p.yaml
kill -STOP $BG_PID
in_svc "stk-loop flood /srv/flood $N" > flood.out || fail "the flood failed while enforced"
[ "$(cat flood.out)" = $N ] || fail "only $(cat flood.out) of $N opens were refused"
stockade status > st.out
grep -q "denied: \([0-9]*\), [1-9][0-9]* not delivered" st.out || { cat st.out; fail "status shows no undelivered denials"; }
denied=$(sed -n 's/.*denied: \([0-9]*\), [0-9]* not delivered.*/\1/p' st.out)
[ "$denied" -ge $N ] || { cat st.out; fail "the kernel counted $denied denials, not $N"; }
kill -CONT $BG_PID
bg_stop enf.out
grep -q "stockade: released 1 subject: [0-9]* denied, [1-9][0-9]* denials (or would-be denials) not delivered" enf.out ||
	{ tail -3 enf.out; fail "enforce's summary shows no undelivered denials"; }
