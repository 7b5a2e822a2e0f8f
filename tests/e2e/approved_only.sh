# Production loads reviewed rules only: an unapproved or tampered profile is
# refused with a way forward, the approved one is enforced, and --complain
# loads even a tampered one without denying anything.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app
echo ok > /srv/app/ok
echo secret > /srv/app/secret
app_profile p.yaml
one_line_error "p.yaml is not approved: review it with \`stockade review p.yaml\`" stockade enforce p.yaml

approve p.yaml
bg_stockade enf.out enforce p.yaml
expect_ok in_svc 'read x < /srv/app/ok'
expect_eperm in_svc 'read x < /srv/app/secret'
bg_stop enf.out

# Someone widens the approved profile by hand: refused until reviewed again.
sed -i 's|^- path: /srv/app/ok$|- subtree: /srv/app|' p.yaml
one_line_error "p.yaml: its rules changed since e2e approved them" stockade enforce p.yaml
stockade status | grep -q 'no stockade programs are loaded' || fail "a refused profile left programs loaded"

# In complain mode nothing is denied, so the tampered version may run there.
bg_stockade enf.out enforce --complain p.yaml
grep -q 'p.yaml is not approved: loading it in complain mode' enf.out || { cat enf.out; fail "no warning"; }
expect_ok in_svc 'read x < /srv/app/secret'
expect_ok in_svc 'read x < /etc/passwd'
bg_stop enf.out
grep -q 'would deny: read /etc/passwd' enf.out || { cat enf.out; fail "would-be denial not logged"; }
