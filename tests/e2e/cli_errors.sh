# Bad input gives one line naming what is wrong and a non-zero exit, and a
# failed enforce leaves nothing applied.
. /tests/e2e/common.inc
svc_setup

printf 'version: 1\nsubject:\n  cgroup: %s\nfiles:\n- path: /etc/passwd\n  access: [wirte]\n' $SVC > typo.yaml
one_line_error "typo.yaml:6:12: unknown access 'wirte'" stockade enforce typo.yaml
printf 'version: 1\nsubject: {cgroup: %s}\nfiles: [\n' $SVC > broken.yaml
one_line_error "broken.yaml:" stockade enforce broken.yaml
one_line_error "missing.yaml: cannot open profile" stockade enforce missing.yaml
one_line_error "unknown service 'nope.service'" stockade record --service nope
one_line_error "unknown cgroup '/nope'" stockade record --cgroup /nope
one_line_error "no such recording" stockade learn --db none.db --cgroup $SVC
printf 'version: 1\nsubject: {service: nope.service}\nfiles: []\n' > nosvc.yaml
approve nosvc.yaml
one_line_error "unknown service 'nope.service'" stockade enforce nosvc.yaml

# Not root: refused before anything is loaded.
echo 'nobody:x:65534:65534::/:/bin/sh' >> /etc/passwd
printf 'version: 1\nsubject: {cgroup: %s}\nfiles: []\n' $SVC > empty.yaml
approve empty.yaml
chmod 644 empty.yaml; chmod 755 .
one_line_error "must run as root" su nobody -c "/usr/local/bin/stockade enforce $PWD/empty.yaml"

# A rule the kernel cannot take (path over 4095 bytes is rejected at parse).
long=$(awk 'BEGIN { s = ""; for (i = 0; i < 420; i++) s = s "/abcdefghi"; print s }')
printf 'version: 1\nsubject: {cgroup: %s}\nfiles:\n- path: %s\n  access: [read]\n' $SVC "$long" > long.yaml
one_line_error "the kernel names at most 4095" stockade enforce long.yaml
# Nothing half-applied: the service still reads anything.
expect_ok in_svc 'read x < /etc/passwd'
