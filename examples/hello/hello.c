/*
 * hello: the smallest useful picolibc program. Everything it prints goes through RISC-V semihosting
 * (picolibc's --oslib=semihost turns each character of stdout into a SYS_WRITEC call), and returning
 * from main ends the run through SYS_EXIT_EXTENDED with the status, so the debugger (or QEMU) exits
 * with 0.
 *
 * It prints a few formatted numbers on purpose: printf's integer and floating-point conversion is a
 * decent amount of real code (division, 64-bit arithmetic, soft-float), which makes this a cheap
 * smoke test of an emulator, not just of its console.
 */
#include <stdio.h>
#include <stdint.h>

/* Sum of the squares 1..n, in a loop rather than the closed form so that there is something to step
   through in a debugger. */
static uint32_t sum_of_squares(uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 1; i <= n; i++)
        sum += i * i;
    return sum;
}

int main(void)
{
    const uint32_t n = 10;
    uint32_t squares = sum_of_squares(n);

    printf("Hello from RISC-V!\n");
    printf("sum of squares 1..%lu = %lu (0x%08lx)\n", (unsigned long)n, (unsigned long)squares,
           (unsigned long)squares);
    printf("signed: %d, padded: [%5d], char: '%c'\n", -42, 7, 'R');
    /* A double needs soft-float here (rv32imac has no F/D), so this exercises a lot of libgcc. */
    printf("pi is about %.5f\n", 355.0 / 113.0);
    printf("goodbye\n");
    return 0;
}
