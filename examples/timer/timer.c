/*
 * timer: machine timer interrupts from the CLINT. The timer fires TICKS_WANTED times, every
 * INTERVAL ticks of the 10 MHz `mtime` counter, while main counts primes; each interrupt re-arms
 * the timer from the handler, and the last one switches it off.
 *
 * The point for a time-travel debugger is that the interrupts land in the middle of ordinary code (the
 * prime loop), at steps decided by the timer and not by the program. On Rewind `mtime` follows the
 * step count, so they land on the same steps in every replay; on QEMU they follow the host clock.
 * The printed output is the same either way: the handler only counts, and main prints one line per
 * interrupt in order, whenever it notices new ones, and the result of a computation that does not
 * depend on where the interrupts fell.
 *
 * The trap entry and the CSR accesses are in timer_trap.S (see there why they are not in C).
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* QEMU virt's CLINT (SiFive layout); the registers are 64 bits wide but we are a 32-bit hart. */
#define CLINT_BASE 0x02000000u
#define MTIMECMP_LO (*(volatile uint32_t *)(CLINT_BASE + 0x4000))
#define MTIMECMP_HI (*(volatile uint32_t *)(CLINT_BASE + 0x4004))
#define MTIME_LO (*(volatile uint32_t *)(CLINT_BASE + 0xbff8))
#define MTIME_HI (*(volatile uint32_t *)(CLINT_BASE + 0xbffc))

#define TIMER_HZ 10000000u          /* the `timebase-frequency` of QEMU virt */
#define INTERVAL 1000u              /* ticks between interrupts: 100 microseconds */
#define TICKS_WANTED 5u
#define PRIME_LIMIT 3000u

#define MCAUSE_MACHINE_TIMER 0x80000007u /* interrupt bit | cause 7 */

/* Defined in timer_trap.S. */
void interrupts_init(void);
void interrupts_enable(void);
void interrupts_disable(void);
void wait_for_interrupt(void);

/* Written by the handler, read by main: volatile so that main re-reads it every time. */
static volatile uint32_t interrupts_taken;

/* Reads the 64-bit mtime with 32-bit loads: if the high half changed between the two reads of it, the
   low half wrapped in between, so read again. */
static uint64_t read_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

/* Writes the 64-bit compare register without ever passing through a value that is earlier than both
   the old and the new one (which could raise a spurious interrupt): park the high half at the maximum,
   write the low half, then the real high half. */
static void set_mtimecmp(uint64_t when)
{
    MTIMECMP_HI = 0xffffffffu;
    MTIMECMP_LO = (uint32_t)when;
    MTIMECMP_HI = (uint32_t)(when >> 32);
}

/* Called from timer_trap_entry with interrupts off (the hart clears mstatus.MIE on a trap). */
void timer_trap(uint32_t mcause, uint32_t mepc)
{
    if (mcause == MCAUSE_MACHINE_TIMER) {
        interrupts_taken++;
        if (interrupts_taken < TICKS_WANTED)
            set_mtimecmp(read_mtime() + INTERVAL); /* re-arm relative to now: no backlog if we were slow */
        else
            set_mtimecmp(UINT64_MAX);              /* never again; this also clears the pending bit */
        return;
    }
    /* Anything else is a bug in this program: say what happened and stop with a distinct status. */
    printf("unexpected trap: mcause=0x%08lx mepc=0x%08lx\n", (unsigned long)mcause, (unsigned long)mepc);
    _exit(2);
}

/* One unit of main's work, small enough that interrupts arrive between and inside units. */
static int is_prime(uint32_t n)
{
    if (n < 2)
        return 0;
    for (uint32_t d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

int main(void)
{
    printf("timer: %u interrupts, one every %u ticks of the %u Hz timer\n", TICKS_WANTED, INTERVAL, TIMER_HZ);

    interrupts_init();
    set_mtimecmp(read_mtime() + INTERVAL);
    interrupts_enable();

    uint32_t seen = 0, candidate = 0, primes = 0;
    for (;;) {
        if (candidate < PRIME_LIMIT) {
            primes += is_prime(candidate++);
        } else if (seen < TICKS_WANTED) {
            /* Nothing left to do but wait. Checking and sleeping with interrupts off closes the race
               where the last interrupt arrives between the check and the wfi and we sleep forever;
               wfi still wakes up on the pending interrupt, which is taken as soon as we re-enable. */
            interrupts_disable();
            if (interrupts_taken == seen)
                wait_for_interrupt();
            interrupts_enable();
        }
        /* Possibly several at once if the host was slow (QEMU): print each, in order. */
        while (seen < interrupts_taken)
            printf("tick %lu\n", (unsigned long)++seen);
        if (seen >= TICKS_WANTED && candidate >= PRIME_LIMIT)
            break;
    }
    interrupts_disable();

    printf("%lu primes below %u, counted between interrupts\n", (unsigned long)primes, PRIME_LIMIT);
    return 0;
}
