/*
 * startup: a C program with no C library, run by crt0.S. It checks what the start-up code promised
 * (a cleared .bss, initialised .data, a working stack), makes "system calls" with ecall that crt0's
 * trap vector hands to handle_trap() below, and returns its status to crt0, which passes it to the test
 * finisher. Expected output on the UART:
 *
 *     startup: .bss is clear, .data says 0xC0FFEE42
 *     sum of 1..100 = 0x000013BA
 *     system calls made: 3
 *
 * and exit status 0.
 */
#include <stdint.h>

#define UART_BASE 0x10000000u
#define UART_THR (*(volatile uint8_t *)(UART_BASE + 0))
#define UART_LSR (*(volatile uint8_t *)(UART_BASE + 5))
#define LSR_THRE 0x20u

#define MCAUSE_ECALL_FROM_M 11u

/* Our tiny system call numbers (in a7, as on Linux). */
enum { SYS_PUTS = 1, SYS_COUNT = 2 };

void finish(int status) __attribute__((noreturn)); /* crt0.S */

uint32_t initialised = 0xC0FFEE42u; /* in .data: proves the image was loaded */
uint32_t cleared[16];               /* in .bss: proves crt0 cleared it */
static uint32_t syscalls;           /* counted by the trap handler */

static void uart_putc(char c)
{
    while ((UART_LSR & LSR_THRE) == 0)
        ;
    UART_THR = (uint8_t)c;
}

static void uart_puts(const char *s)
{
    while (*s != '\0')
        uart_putc(*s++);
}

static void uart_put_hex(uint32_t value)
{
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc("0123456789ABCDEF"[(value >> shift) & 0xf]);
}

/* Traps into machine mode with ecall; the handler reads the call number from a7 and the argument from
   a0, and answers in a0, exactly like an operating system would. */
static uint32_t syscall1(uint32_t number, uint32_t arg)
{
    register uint32_t a0 __asm__("a0") = arg;
    register uint32_t a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

/* Called by crt0's trap_vector; returns the address to resume at. */
uint32_t handle_trap(uint32_t mcause, uint32_t mepc, uint32_t regs[32])
{
    if (mcause == MCAUSE_ECALL_FROM_M) {
        syscalls++;
        switch (regs[17]) { /* a7 */
        case SYS_PUTS: uart_puts((const char *)regs[10]); regs[10] = 0; break;
        case SYS_COUNT: regs[10] = syscalls; break;
        default: regs[10] = (uint32_t)-1; break;
        }
        return mepc + 4; /* skip the ecall, which is always 4 bytes (there is no compressed ecall) */
    }
    /* A real fault: report it and fail with a status that says so. */
    uart_puts("unexpected trap, mcause ");
    uart_put_hex(mcause);
    uart_puts(" at ");
    uart_put_hex(mepc);
    uart_putc('\n');
    finish(2);
}

int main(void)
{
    for (int i = 0; i < 16; i++)
        if (cleared[i] != 0)
            return 3;
    uart_puts("startup: .bss is clear, .data says ");
    uart_put_hex(initialised);
    uart_putc('\n');

    uint32_t sum = 0;
    for (uint32_t i = 1; i <= 100; i++)
        sum += i;
    syscall1(SYS_PUTS, (uint32_t)"sum of 1..100 = ");
    uart_put_hex(sum);
    syscall1(SYS_PUTS, (uint32_t)"\n");

    uint32_t count = syscall1(SYS_COUNT, 0);
    uart_puts("system calls made: ");
    uart_putc((char)('0' + count));
    uart_putc('\n');
    return count == 3 ? 0 : 4;
}
