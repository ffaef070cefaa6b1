/*
 * pico.h: bench.h for the programs linked with picolibc (semihosting console and exit), the way users
 * build Embench and CoreMark for the virt board. A program defines BENCH_NAME, BENCH_EXPECTED and
 * `uint32_t bench_run(void)`; main prints "<name>: checksum 0x<hex>" with printf and returns 0 if the
 * checksum is the expected one (found by running the program on QEMU), 1 otherwise, which picolibc's
 * exit passes on through semihosting SYS_EXIT_EXTENDED.
 */
#ifndef PICO_H
#define PICO_H

#include <stdint.h>
#include <stdio.h>

/* Every program's work starts from this value, read from a volatile so that nothing is folded at compile time. */
static volatile uint32_t bench_seed = 0x9e3779b9u;

uint32_t bench_run(void);

int main(void)
{
    uint32_t checksum = bench_run();
    printf("%s: checksum 0x%08lX\n", BENCH_NAME, (unsigned long)checksum);
    if (checksum != BENCH_EXPECTED) {
        printf("%s: WRONG, expected 0x%08lX\n", BENCH_NAME, (unsigned long)BENCH_EXPECTED);
        return 1;
    }
    return 0;
}

#endif
