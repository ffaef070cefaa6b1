/*
 * Prints its command line and the date it sees: the program arguments given after `--` to
 * `rewind run`, `record` and `gdb` (or the launch attribute "args"), and the date set with --date
 * (the host's date at the start otherwise). picolibc's start-up asks semihosting SYS_GET_CMDLINE for
 * argv, and time() asks SYS_TIME.
 */
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] \"%s\"\n", i, argv[i]);
    printf("time %lld\n", (long long)time(NULL));
    return 0;
}
