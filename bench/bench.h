/*
 * bench.h: what every benchmark program shares. A program defines BENCH_NAME and BENCH_EXPECTED and a
 * function `uint32_t bench_run(void)` that does the work and returns a checksum of it, then includes
 * this header, which supplies main().
 *
 * main prints "<name>: checksum 0x<hex>" on the UART and returns 0 if the checksum is the expected
 * one (found by running the program on QEMU), 1 otherwise. So a run checks the emulator as well as
 * timing it: a wrong result fails loudly, and the printed line lets a harness compare two emulators'
 * output.
 *
 * Built with -DMEASURE, main also reads the CLINT's mtime before and after bench_run and prints the
 * difference times 100. Under `qemu-system-riscv32 -icount shift=0` each instruction advances QEMU's
 * virtual clock by 1 ns and mtime counts at 10 MHz, so that figure is the number of instructions
 * bench_run executed (to within 100). The normal build must not print it: it depends on the host clock
 * without -icount.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

#define UART_BASE 0x10000000u
#define UART_THR (*(volatile uint8_t *)(UART_BASE + 0))
#define UART_LSR (*(volatile uint8_t *)(UART_BASE + 5))
#define UART_LSR_THRE 0x20u

/* Every program's work starts from this value. Reading it from a volatile keeps the compiler from
   evaluating a benchmark at compile time, which it could otherwise do for the smaller loops. */
static volatile uint32_t bench_seed = 0x9e3779b9u;

uint32_t bench_run(void);

static void bench_putc(char c)
{
    while ((UART_LSR & UART_LSR_THRE) == 0)
        ;
    UART_THR = (uint8_t)c;
}

static void bench_puts(const char *s)
{
    while (*s != '\0')
        bench_putc(*s++);
}

static void bench_put_hex(uint32_t value)
{
    bench_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        bench_putc("0123456789ABCDEF"[(value >> shift) & 0xf]);
}

#ifdef MEASURE
#define MTIME_LO (*(volatile uint32_t *)0x0200bff8u)
#define MTIME_HI (*(volatile uint32_t *)0x0200bffcu)

static uint64_t bench_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

/* Decimal, so that the figure can be pasted into a table; 64-bit division would need libgcc, so the
   digits come from repeated subtraction of powers of ten. */
static void bench_put_dec(uint64_t value)
{
    static const uint64_t powers[] = {
        10000000000000ull, 1000000000000ull, 100000000000ull, 10000000000ull, 1000000000ull,
        100000000ull, 10000000ull, 1000000ull, 100000ull, 10000ull, 1000ull, 100ull, 10ull, 1ull,
    };
    int started = 0;
    for (unsigned i = 0; i < sizeof powers / sizeof powers[0]; i++) {
        char digit = '0';
        while (value >= powers[i]) {
            value -= powers[i];
            digit++;
        }
        if (digit != '0' || started || powers[i] == 1) {
            bench_putc(digit);
            started = 1;
        }
    }
}
#endif

int main(void)
{
#ifdef MEASURE
    uint64_t start = bench_mtime();
#endif
    uint32_t checksum = bench_run();
#ifdef MEASURE
    uint64_t ticks = bench_mtime() - start;
    bench_puts(BENCH_NAME ": about ");
    bench_put_dec(ticks * 100);
    bench_puts(" instructions (valid under -icount shift=0)\n");
#endif
    bench_puts(BENCH_NAME ": checksum ");
    bench_put_hex(checksum);
    bench_putc('\n');
    if (checksum != BENCH_EXPECTED) {
        bench_puts(BENCH_NAME ": WRONG, expected ");
        bench_put_hex(BENCH_EXPECTED);
        bench_putc('\n');
        return 1;
    }
    return 0;
}

#endif
