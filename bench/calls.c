/*
 * calls: many small functions that really are called: recursive Fibonacci (deep stacks, lots of jal/ret
 * and saving and restoring registers; GCC turns the second recursive call into a loop around the first,
 * which still leaves millions of real calls) and indirect calls through a table of function pointers
 * (jalr to a target known only at run time).
 *
 * `noipa` stops GCC from inlining, cloning or otherwise looking through these functions, so every call
 * in the source is a call in the program. Built with -march=rv32im: no compressed instructions.
 */
#define BENCH_NAME "calls"
#define BENCH_EXPECTED 0x8F555579u
#include "bench.h"

#define FIB_N 30u
#define FIB_REPEATS 4u
#define INDIRECT_CALLS 8500000u

__attribute__((noipa)) static uint32_t fib(uint32_t n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

typedef uint32_t (*op_fn)(uint32_t, uint32_t);

__attribute__((noipa)) static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
__attribute__((noipa)) static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
__attribute__((noipa)) static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1u); }
__attribute__((noipa)) static uint32_t op_rot(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> ((32 - b) & 31)); }

static const op_fn ops[4] = {op_add, op_xor, op_mul, op_rot};

/* Two levels of calls per step: apply() calls through the table. */
__attribute__((noipa)) static uint32_t apply(uint32_t selector, uint32_t a, uint32_t b)
{
    return ops[selector & 3u](a, b);
}

uint32_t bench_run(void)
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < FIB_REPEATS; r++)
        sum = sum * 3u + fib(FIB_N);  /* noipa: GCC may not assume fib is pure, so each call runs */

    uint32_t acc = bench_seed;
    for (uint32_t i = 0; i < INDIRECT_CALLS; i++)
        acc = apply(acc >> 29 ^ i, acc, i);
    return sum ^ acc;
}
