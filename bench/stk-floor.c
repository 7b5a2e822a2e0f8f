/*
 * stk-floor: attach bench/floor.bpf.c's programs that do nothing, so that
 * bench/vm.sh can time a loop over hooks that have a program but no work.
 *
 *   stk-floor OBJECT    load OBJECT, attach every program in it, print
 *                       "attached", and hold them until SIGINT or SIGTERM
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: stk-floor OBJECT\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "stk-floor: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if ((err = bpf_object__load(obj))) {
		fprintf(stderr, "stk-floor: cannot load %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "stk-floor: cannot attach %s: %s\n", bpf_program__name(prog),
				strerror(errno));
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("attached\n");
	fflush(stdout);
	while (!stop)
		pause();
	bpf_object__close(obj);
	return 0;
}
