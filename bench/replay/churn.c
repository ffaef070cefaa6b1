/*
 * churn: a memory-heavy program for the replay engine (issue 20): every round it writes one word in
 * each page of a 100 MiB buffer (so 100 MiB of RAM differs from the round before), then computes for
 * about two million steps, CHURN_ROUNDS times. Snapshots store the pages written since the one before,
 * so every snapshot of this program costs 100 MiB: the case where the snapshot budget, not the snapshot
 * interval, decides how far a seek replays (bench/sections/replay-churn.ts,
 * test/replay/memory-heavy.test.ts).
 *
 * The buffer is RAM past the program image, not a C array, so that the ELF stays small and its loaded
 * image (the first snapshot) is a few pages. In a subfolder: not an emulation benchmark.
 */
#define BENCH_NAME "churn"
#define BENCH_EXPECTED 0x54DC1599u
#include "../bench.h"

#ifndef CHURN_ROUNDS
#define CHURN_ROUNDS 50u
#endif
#define BUFFER ((volatile uint32_t *)0x81000000u)   /* 16 MiB into RAM, well past the image and stack */
#define PAGES (100u * 256u)                          /* 100 MiB of 4 KiB pages */
#define COMPUTE 470000u                              /* about 2 million steps of arithmetic */

uint32_t bench_run(void)
{
    uint32_t sum = bench_seed;
    for (uint32_t round = 0; round < CHURN_ROUNDS; round++) {
        for (uint32_t page = 0; page < PAGES; page++)
            BUFFER[page * 1024u + (round & 1023u)] = sum ^ page;
        for (uint32_t i = 0; i < COMPUTE; i++)
            sum = sum * 1664525u + 1013904223u;
    }
    return sum;
}
