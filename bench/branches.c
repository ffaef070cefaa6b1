/*
 * branches: control flow that a branch predictor (or an emulator's block chaining) cannot guess:
 * Collatz sequences (odd or even: a coin toss every step) and a quicksort of random data (every
 * comparison with the pivot is a coin toss too), plus a binary search over the sorted result.
 *
 * Built with -march=rv32im: no compressed instructions.
 */
#define BENCH_NAME "branches"
#define BENCH_EXPECTED 0x855D9D54u
#include "bench.h"

#define COLLATZ_LIMIT 300000u
#define SORT_LEN 8192u
#define SORT_ROUNDS 16u

static uint32_t data[SORT_LEN];

/* Number of steps to reach 1 from n (n > 0). The values stay below 2^32 for n < 300000. */
static uint32_t collatz_steps(uint32_t n)
{
    uint32_t steps = 0;
    while (n != 1) {
        if (n & 1)
            n = 3 * n + 1;
        else
            n >>= 1;
        steps++;
    }
    return steps;
}

/* Recursive quicksort with the middle element as pivot (Hoare partition). */
static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        /* Recurse into the smaller side and loop on the larger: the stack stays O(log n). */
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
}

static int binary_search(const uint32_t *a, uint32_t len, uint32_t key)
{
    uint32_t lo = 0, hi = len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < len && a[lo] == key;
}

uint32_t bench_run(void)
{
    uint32_t sum = 0, longest = 0;
    uint32_t state = bench_seed;

    for (uint32_t n = 1; n < COLLATZ_LIMIT; n++) {
        uint32_t steps = collatz_steps(n);
        sum += steps;
        if (steps > longest)
            longest = steps;
    }

    for (uint32_t round = 0; round < SORT_ROUNDS; round++) {
        for (uint32_t i = 0; i < SORT_LEN; i++) {
            state ^= state << 13;             /* xorshift32 */
            state ^= state >> 17;
            state ^= state << 5;
            data[i] = state % 100000u;        /* duplicates on purpose */
        }
        quicksort(data, 0, SORT_LEN - 1);
        uint32_t found = 0;
        for (uint32_t key = 0; key < 100000u; key += 37u)
            found += (uint32_t)binary_search(data, SORT_LEN, key);
        sum = sum * 31u + found + data[round * 101u % SORT_LEN];
    }
    return sum ^ longest;
}
