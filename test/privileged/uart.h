/*
 * The NS16550A UART's console, as the UART test programs use it: addresses, the received-data interrupt
 * routed through the PLIC (source 10, context 0), and (uart-print.inc) printing a byte or a number.
 */
#define UART 0x10000000
#define PLIC 0x0c000000
#define ENABLE0 0x0c002000
#define THRESHOLD0 0x0c200000
#define CLAIM0 0x0c200004

/*
 * The UART's received-data interrupt on (IER bit 0), PLIC source 10 at priority 1, enabled for context 0
 * at threshold 0. Needs s3 = UART; uses t0 and t2. mie.MEIE and mstatus.MIE are the program's to set.
 */
#define UART_RX_INTERRUPT     \
  li t0, 1;                   \
  sb t0, 1(s3);               \
  li t2, PLIC;                \
  sw t0, 40(t2);              \
  li t2, ENABLE0;             \
  li t0, 1 << 10;             \
  sw t0, 0(t2);               \
  li t2, THRESHOLD0;          \
  sw zero, 0(t2)
