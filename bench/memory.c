/*
 * memory: loads and stores over a 256 KiB working set, far beyond what fits in any small software TLB
 * or block cache of an emulator: filling, copying word by word and byte by byte, shuffling (random
 * access), and a sieve of Eratosthenes over bytes (strided stores).
 *
 * Built with -march=rv32im: no compressed instructions. The Makefile passes
 * -fno-tree-loop-distribute-patterns so that the copy and fill loops stay loops instead of becoming
 * calls to memcpy/memset, which do not exist here.
 */
#define BENCH_NAME "memory"
#define BENCH_EXPECTED 0xC7D73E05u
#include "bench.h"

#define WORDS (64u * 1024u)            /* 256 KiB */
#define ROUNDS 60u

static uint32_t words[WORDS];
static uint32_t copy[WORDS / 2];
static uint8_t sieve[WORDS * 4];     /* the same 256 KiB again, as bytes */

/* A 32-bit linear congruential generator (Numerical Recipes constants): cheap and good enough to
   scatter the accesses. */
static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

uint32_t bench_run(void)
{
    uint32_t state = bench_seed, sum = 0;
    for (uint32_t round = 0; round < ROUNDS; round++) {
        /* Fill with a pattern that depends on the round. */
        for (uint32_t i = 0; i < WORDS; i++)
            words[i] = i * 2654435761u + round;

        /* Fisher-Yates shuffle of a quarter of the array: random reads and writes. */
        for (uint32_t i = WORDS / 4 - 1; i > 0; i--) {
            uint32_t j = lcg(&state) % (i + 1);
            uint32_t t = words[i];
            words[i] = words[j];
            words[j] = t;
        }

        /* Copy the upper half down word by word, then sum it with a stride. */
        for (uint32_t i = 0; i < WORDS / 2; i++)
            copy[i] = words[i + WORDS / 2] ^ words[i];
        for (uint32_t i = 0; i < WORDS / 2; i += 7)
            sum += copy[i];

        /* Byte copy with an odd offset: unaligned relative to the words, so it must go byte by byte. */
        const uint8_t *src = (const uint8_t *)words + 3;
        uint8_t *dst = (uint8_t *)copy;
        for (uint32_t i = 0; i < sizeof copy - 3; i++)
            dst[i] = src[i];
        sum += copy[round * 97u % (WORDS / 2)];

        /* Sieve: count the primes below 256 Ki, marking with strided byte stores. */
        for (uint32_t i = 0; i < sizeof sieve; i++)
            sieve[i] = 1;
        uint32_t primes = 0;
        for (uint32_t i = 2; i < sizeof sieve; i++) {
            if (!sieve[i])
                continue;
            primes++;
            for (uint32_t k = i * i; k < sizeof sieve; k += i)
                sieve[k] = 0;
        }
        sum = (sum << 3 | sum >> 29) + primes;
    }
    return sum;
}
