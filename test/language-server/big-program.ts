/**
 * A valid, varied 10,000-line assembly program (functions with frames, loops, CSR access, calls, data
 * tables, comments): what the language server's analysis is measured on (`npm run bench --
 * language-server`) and checked against (test/language-server/big-file.test.ts).
 */
export const BIG_PROGRAM_LINES = 10_000;

/** A valid, varied program: functions with frames, loops, CSR access, calls, data tables, comments. */
export function generateProgram(lines: number): string {
  const out = [
    '# generated for the analysis-time test',
    '    .equ UART_BASE, 0x10000000',
    '    .equ FRAME, 32',
    '    .section .text.init, "ax", @progbits',
    '    .globl _start',
    '_start:',
    '    la sp, stack_top',
    '    call function_0',
    '    j _start',
  ];
  let n = 0;
  while (out.length < lines - 40) {
    out.push(
      `    .globl function_${n}`,
      `    .type function_${n}, @function`,
      `function_${n}:                     # function ${n}`,
      '    addi sp, sp, -FRAME',
      '    sw ra, 28(sp)',
      '    sw s0, 24(sp)',
      `    li s0, ${(n * 7919) % 100_000}`,
      `    lui t0, %hi(table_${n % 20})`,
      `    lw t1, %lo(table_${n % 20})(t0)`,
      `1:  beqz t1, 2f                     # loop ${n}`,
      `    addi t1, t1, -${1 + (n % 7)}`,
      `    andi t2, t1, ${n % 2048}`,
      '    csrr t3, mstatus; csrw mscratch, t3',
      '    j 1b',
      `2:  ${n % 3 === 0 ? 'amoadd.w.aq' : 'amoswap.w'} t4, t1, (t0)`,
      `    ${n % 2 ? 'c.addi' : 'addi'} a0, ${n % 2 ? '' : 'a0, '}${(n % 31) + 1}`,
      `    call function_${n + 1}`,
      '    lw s0, 24(sp)',
      '    lw ra, 28(sp)',
      '    addi sp, sp, FRAME',
      '    ret',
      `    .size function_${n}, . - function_${n}`,
      '',
    );
    n++;
  }
  out.push(`function_${n}:`, '    ret', '    .data');
  for (let i = 0; i < 20; i++) out.push(`table_${i}: .word ${i}, function_${i}, table_${(i + 1) % 20}`);
  out.push('message: .asciz "analysis time test\\n"', '    .bss', '    .balign 16', '    .space 4096', 'stack_top:');
  while (out.length < lines) out.push('    # padding');
  return out.join('\n');
}

