/*
 * integer: hashing and mixing arithmetic, the bread and butter of an interpreter's ALU paths. Every
 * iteration runs a 32-bit finaliser (xor-shift and multiply), unsigned division and remainder by
 * divisors that change every time (so the compiler cannot turn them into multiplications), signed
 * division and remainder with negative operands half the time, and a 64-bit product's high half
 * (mulhu). About 28 instructions per iteration, 6 of them from the M extension; everything feeds the
 * next iteration, so nothing can be skipped or reordered away.
 *
 * Built with -march=rv32im: no compressed instructions.
 */
#define BENCH_NAME "integer"
#define BENCH_EXPECTED 0x759F6E52u
#include "bench.h"

#define ITERATIONS 10700000u

uint32_t bench_run(void)
{
    uint32_t h = bench_seed, acc = 1;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        h += i;
        h ^= h >> 16;
        h *= 0x7feb352du;
        h ^= h >> 15;
        h *= 0x846ca68bu;
        h ^= h >> 16;

        uint32_t divisor = (h >> 20) | 1u;            /* 1..4095, never zero */
        acc += h / divisor;
        acc ^= h % (divisor + 3u);

        int32_t s = (int32_t)(h ^ acc);
        acc += (uint32_t)(s / 7 - s % 13);            /* signed: negative half the time */

        acc ^= (uint32_t)(((uint64_t)h * acc) >> 32); /* mulhu */
        acc = (acc << 7) | (acc >> 25);
    }
    return acc ^ h;
}
