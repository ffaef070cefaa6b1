/*
 * uart: bare-metal RISC-V assembly, no C library, no start-up code but this file.
 *
 * It prints a greeting on the NS16550A UART of QEMU's `virt` board, computes the 24th Fibonacci
 * number in a loop and prints it in hex, then ends the run through the SiFive test finisher, which
 * makes QEMU (and Rewind) exit with status 0. Expected output:
 *
 *     Hello from bare-metal RISC-V!
 *     fib(24) = 0x0000B520
 *
 * The UART needs no set-up for output on QEMU (and on Rewind): writing a byte to the transmit holding
 * register sends it. We still wait for "transmitter holding register empty" before each byte, as real
 * hardware requires, so the program is correct beyond emulators.
 *
 * Calling convention: the standard one (arguments in a0.., return address in ra, s-registers preserved),
 * so each routine here could be called from C.
 */

    /* Memory-mapped devices of the virt board. */
    .equ UART_BASE,     0x10000000
    .equ UART_THR,      0           /* transmit holding register (write) */
    .equ UART_LSR,      5           /* line status register (read) */
    .equ LSR_THRE,      0x20        /* bit 5: the transmit holding register is empty */
    .equ TEST_FINISHER, 0x00100000
    .equ FINISH_PASS,   0x5555      /* exit status 0; (code << 16) | 0x3333 would fail with `code` */

    .equ FIB_N,         24

/* ------------------------------------------------------------------------------------------------ */
    .section .text.init            /* placed first by virt.ld, so _start is at 0x80000000 */
    .globl _start
_start:
    /* Without a stack no routine could save ra before calling another one. The linker script reserves
       one above .bss; it grows down from __stack_top. */
    la sp, __stack_top

    la a0, greeting
    call uart_puts

    /* fib(FIB_N) iteratively: (a, b) = (0, 1), then FIB_N times (a, b) = (b, a + b); a is the answer. */
    li t0, 0                       /* a */
    li t1, 1                       /* b */
    li t2, FIB_N                   /* iterations left */
fib_loop:
    add t3, t0, t1                 /* a + b */
    mv t0, t1
    mv t1, t3
    addi t2, t2, -1
    bnez t2, fib_loop
    mv s0, t0                      /* keep the result across calls (s-registers survive calls) */

    la a0, fib_label
    call uart_puts
    mv a0, s0
    call uart_put_hex
    li a0, '\n'
    call uart_putc

    /* Done: ask the test finisher to end the run. The store is the last thing this hart does. */
    li t0, TEST_FINISHER
    li t1, FINISH_PASS
    sw t1, 0(t0)
halt:
    /* Only reached if nothing listens at the finisher's address: wait forever, quietly. */
    wfi
    j halt

/* ------------------------------------------------------------------------------------------------ */
/* uart_putc(a0 = byte): waits until the UART can take a byte, then sends it. Leaf routine: no stack. */
    .section .text
    .globl uart_putc
uart_putc:
    li t0, UART_BASE
1:  lbu t1, UART_LSR(t0)
    andi t1, t1, LSR_THRE
    beqz t1, 1b                    /* still busy: poll again */
    sb a0, UART_THR(t0)
    ret

/* uart_puts(a0 = address of a NUL-terminated string): sends each byte. Saves ra and s1 because it
   calls uart_putc, which overwrites ra and may overwrite the argument registers. */
    .globl uart_puts
uart_puts:
    addi sp, sp, -16               /* the ABI keeps sp 16-byte aligned */
    sw ra, 12(sp)
    sw s1, 8(sp)
    mv s1, a0                      /* cursor */
2:  lbu a0, 0(s1)
    beqz a0, 3f                    /* the terminating NUL is not sent */
    call uart_putc
    addi s1, s1, 1
    j 2b
3:  lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

/* uart_put_hex(a0 = value): prints "0x" and eight upper-case hex digits, most significant first. */
    .globl uart_put_hex
uart_put_hex:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s1, 8(sp)
    sw s2, 4(sp)
    mv s1, a0                      /* the value, shifted left by 4 after each digit */
    li s2, 8                       /* digits left */
    li a0, '0'
    call uart_putc
    li a0, 'x'
    call uart_putc
4:  srli t0, s1, 28                /* top nibble */
    la t1, hex_digits
    add t1, t1, t0
    lbu a0, 0(t1)
    call uart_putc
    slli s1, s1, 4
    addi s2, s2, -1
    bnez s2, 4b
    lw s2, 4(sp)
    lw s1, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret

/* ------------------------------------------------------------------------------------------------ */
    .section .rodata
greeting:
    .asciz "Hello from bare-metal RISC-V!\n"
fib_label:
    .asciz "fib(24) = "
hex_digits:
    .ascii "0123456789ABCDEF"
