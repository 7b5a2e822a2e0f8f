# Creating, removing, renaming, linking and truncating names: each recorded
# with its path and access, and each enforced with an allowed twin. Renaming
# or hard-linking a denied file into the allowed tree is refused.
. /tests/e2e/common.inc
svc_setup
mkdir -p /srv/app/in /srv/app/out /srv/secret
echo key > /srv/secret/key
echo old > /srv/app/in/victim
echo long > /srv/app/in/shrink

# -- record: every name operation lands with its path and access
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc 'cd /srv/app/in && echo a > made && mkdir dir && rmdir dir && ln -s made sym &&
	mv made moved && ln moved hard && rm hard && : > victim && stk-open --truncate shrink' ||
	fail "workload refused while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
rule() { grep -A1 "path: $1\$" p.yaml | grep -q "access: \[$2\]" || { cat p.yaml; fail "expected $1 with [$2]"; }; }
rule /srv/app/in/made 'write, create, unlink'
rule /srv/app/in/dir 'create, unlink'
rule /srv/app/in/sym 'create'
rule /srv/app/in/moved 'create'
rule /srv/app/in/hard 'unlink, link'
rule /srv/app/in/victim 'write'
rule /srv/app/in/shrink 'write'      # truncate(2), never opened

# -- enforce: a hand-written profile, twin by twin
cat > e.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /srv/app/in
  access: [read, write, create, unlink]
- subtree: /srv/app/out
  access: [read]
- path: /srv/app/in/linkable
  access: [link]
$RUN_RULES
$RUN_EXEC
EOY
echo x > /srv/app/out/keep
approve e.yaml
bg_stockade enf.out enforce e.yaml
expect_ok in_svc 'echo a > /srv/app/in/new'                 # create
expect_eperm in_svc 'echo a > /srv/app/out/new'
expect_ok in_svc 'mkdir /srv/app/in/d && rmdir /srv/app/in/d'  # mkdir, rmdir
expect_eperm in_svc 'mkdir /srv/app/out/d'
expect_ok in_svc 'rm /srv/app/in/new'                       # unlink
expect_eperm in_svc 'rm /srv/app/out/keep'
expect_ok in_svc 'ln -s x /srv/app/in/s'                     # symlink
expect_eperm in_svc 'ln -s x /srv/app/out/s'
expect_ok in_svc ': > /srv/app/in/victim'                    # truncate (open O_TRUNC)
expect_ok in_svc 'stk-open --truncate /srv/app/in/shrink'   # truncate(2)
expect_eperm in_svc 'stk-open --truncate /srv/app/out/keep'
expect_ok in_svc 'mv /srv/app/in/victim /srv/app/in/renamed' # rename inside the tree
expect_eperm in_svc 'mv /srv/app/in/renamed /srv/app/out/renamed'  # target not creatable
expect_eperm in_svc 'mv /srv/app/out/keep /srv/app/in/keep'  # source not removable
# bypasses: bring a denied file into the tree under an allowed name
expect_eperm in_svc 'mv /srv/secret/key /srv/app/in/key'
expect_eperm in_svc 'mv /srv/secret/key /srv/app/in/renamed' # over an allowed name
expect_eperm in_svc 'ln /srv/secret/key /srv/app/in/hard'
expect_ok in_svc 'ln /srv/app/in/renamed /srv/app/in/linkable'  # link allowed by name
bg_stop enf.out
[ "$(cat /srv/secret/key)" = key ] || fail "the secret moved"
[ -e /srv/app/out/keep ] || fail "a refused unlink removed the file"
