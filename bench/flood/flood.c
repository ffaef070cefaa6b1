/*
 * flood: a program that does nothing but print, for the debug adapter's output flood figures (bench
 * section "dap") and its regression tests (test/adapter/output-flood.test.ts). It prints FLOOD_BYTES
 * bytes on the UART as fast as it can (about 7 instructions a byte), then exits with status 0.
 *
 * FLOOD_LINE 1: lines of 64 bytes, "flood line 00000000 ........\n", numbered so that a reader can
 * tell which ones arrived. FLOOD_LINE 0: no newline at all, one endless line of 'x'.
 * FLOOD_BYTES 0: never stop (a live session that must still answer `pause`).
 *
 * Built three ways by the Makefile: flood-1m.elf (1 MiB of lines), flood-16m.elf (16 MiB of lines),
 * flood-endless.elf (no newline, never ends). In a subfolder so that the emulation benchmark, which
 * runs every ELF in bench/, does not take them.
 */
#include <stdint.h>

#define UART_THR (*(volatile uint8_t *)0x10000000u)
#define UART_LSR (*(volatile uint8_t *)0x10000005u)
#define UART_LSR_THRE 0x20u

static void put(char c)
{
    while ((UART_LSR & UART_LSR_THRE) == 0)
        ;
    UART_THR = (uint8_t)c;
}

#if FLOOD_BYTES == 0
#define MORE(sent) 1
#else
#define MORE(sent) ((sent) < FLOOD_BYTES)
#endif

int main(void)
{
    char line[64];
    for (int i = 0; i < 64; i++)
        line[i] = FLOOD_LINE ? '.' : 'x';
    for (uint32_t n = 0, sent = 0; MORE(sent); n++, sent += 64) {
        if (FLOOD_LINE) {
            const char *head = "flood line ";
            for (int i = 0; head[i]; i++)
                line[i] = head[i];
            for (uint32_t i = 0, v = n; i < 8; i++, v /= 10)
                line[18 - i] = (char)('0' + v % 10);
            line[19] = ' ';
            line[63] = '\n';
        }
        for (int i = 0; i < 64; i++)
            put(line[i]);
    }
    return 0;
}
