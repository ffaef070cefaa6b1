/*
 * long: the program behind the replay benchmark (bench/sections/replay.ts): 1.2 billion
 * instructions of hashing and random read-modify-write over a 256 KiB table, so that a recording of it
 * is long and every snapshot interval dirties memory (snapshots store the pages written since the one
 * before). It reads no input: its recording's log is a few bytes.
 *
 * long10.elf is the same program run 670 million times round its loop (-DITERATIONS, Makefile): ten
 * billion steps, the "long recording" of issue 19 (bench/sections/replay-long.ts).
 *
 * In a subfolder so that the emulation benchmark, which runs every ELF in bench/, does not take it.
 */
#ifndef ITERATIONS
#define BENCH_NAME "long"
#define BENCH_EXPECTED 0xC30CD6D7u
#define ITERATIONS 80000000u
#endif
#include "../bench.h"

#define WORDS (64u * 1024u)            /* 256 KiB */

static uint32_t table[WORDS];

uint32_t bench_run(void)
{
    uint32_t state = bench_seed, sum = 0;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        state = state * 1664525u + 1013904223u;
        uint32_t j = state >> 16;
        uint32_t v = table[j] + (state ^ sum);
        table[j] = v;
        sum = ((sum << 5) | (sum >> 27)) ^ v;
    }
    return sum;
}
