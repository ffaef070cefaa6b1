/**
 * Random programs shaped like firmware (issue 19's "a recording differed from its run"): a loop of
 * random RV32IMAC instructions, as in random-programs.ts, among what firmware does around them: CLINT
 * timer interrupts at random mtimecmp deadlines, software interrupts (msip), critical sections
 * (`csrc/csrs mstatus, 8` and FreeRTOS' save-and-restore shape), the timer masked in mie, `wfi` alone and
 * in an idle loop awaiting the next tick, delay loops polling mtime, reads of every counter, ecall and
 * mret round trips, illegal instructions, ebreak and access faults, misaligned loads and stores (across a
 * page too), LR/SC, calls, a jump-table switch (warm cases), `li` of 32-bit constants (fused kinds), UART
 * and semihosting output, and an exit through the test finisher or semihosting. Seeded: a failure names
 * its seed and repeats.
 *
 * What a program prints tells apart what depends on when interrupts land from what does not:
 * - the body's registers and buffer, and each exception's cause and mtval, never depend on it (the trap
 *   handler keeps every register the body uses): the `s=` line, the letters printed on the way
 *   (lowercase through the UART, uppercase through semihosting) and the exit status. QEMU
 *   (`-icount shift=0,sleep=off`) takes interrupts a few instructions late and sleeps in `wfi`, so these
 *   are what it must agree on;
 * - the `t=` line mixes every counter and mtime read, the pc each interrupt came at, and how many timer
 *   and software interrupts were taken: a run, a recording, its replay and every compiled tier must agree
 *   on it too, to the step.
 */
import { assemble } from '../support/toolchain';
import { Program } from './programs';
import { Prng } from './prng';

/** Registers the random instructions use; the trap handler saves t0-t3 and touches none of the others. */
const REGS = ['t0', 't1', 't2', 't3', 't4', 't5', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
const ALU = ['add', 'sub', 'xor', 'or', 'and', 'sll', 'srl', 'sra', 'slt', 'sltu', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const ALU_IMM = ['addi', 'xori', 'ori', 'andi', 'slti', 'sltiu'];
const SHIFT_IMM = ['slli', 'srli', 'srai'];
const LOADS: Array<[string, number]> = [['lw', 4], ['lh', 2], ['lhu', 2], ['lb', 1], ['lbu', 1]];
const STORES: Array<[string, number]> = [['sw', 4], ['sh', 2], ['sb', 1]];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const COUNTERS = ['cycle', 'time', 'instret', 'cycleh', 'timeh', 'instreth', 'mcycle', 'minstret', 'mcycleh', 'minstreth'];
/**
 * The buffer's bytes: it starts 128 bytes before a page boundary, so that misaligned accesses cross
 * pages too.
 */
const BUFFER_BYTES = 256;

/** The CLINT's registers (s2 holds its base, s10 mtime's address). */
const CLINT = 0x02000000;
const MTIMECMP = 0x02004000;
const MTIME = 0x0200bff8;
const UART = 0x10000000;

const SEMIHOST = ['.option push', '.option norvc', 'slli x0, x0, 0x1f', 'ebreak', 'srai x0, x0, 7', '.option pop'];

/** How the program ends: each gives the status QEMU 7.2 gives (test/diff/exit-status.test.ts). */
export type FirmwareExit = 'finisher pass' | 'finisher fail' | 'semihosting exit' | 'semihosting exit extended';
const EXITS: FirmwareExit[] = ['finisher pass', 'finisher fail', 'semihosting exit', 'semihosting exit extended'];

export interface FirmwareProgram extends Program {
  seed: number;
  exit: FirmwareExit;
  /** Iterations of the loop. */
  iterations: number;
  /** Bytes of never-run code after the program (64 KiB or more makes `rewind run` fuse kinds: block-interpreter.ts). */
  padding: number;
}

export interface FirmwareOptions {
  /** Iterations of the loop (random, 300-2,000, unless given). */
  iterations?: number;
  /** Never-run code appended, in bytes (random: none, or 64 KiB, unless given). */
  padding?: number;
}

class Generator {
  private labels = 0;
  /** Leaf functions and switch tables, placed after the loop. */
  readonly functions: string[][] = [];
  readonly tables: string[][] = [];

  /**
   * The kinds of item (of `item`'s 19; plain instructions always) this program has: about half of them,
   * so that some programs loop tightly enough to get hot (no idle or delay loop) and others idle.
   */
  private readonly kinds: number[];

  constructor(private readonly prng: Prng) {
    this.kinds = Array.from({ length: 19 }, (_, k) => k).filter(() => prng.below(2) === 0);
  }

  label(): string { return `L${this.labels++}`; }
  reg(): string { return REGS[this.prng.below(REGS.length)]; }
  offset(size: number, aligned = true): number {
    return aligned ? this.prng.below(BUFFER_BYTES / size) * size : this.prng.below(BUFFER_BYTES - size + 1);
  }

  /** One instruction that touches only the body's registers and buffer. */
  plain(): string[] {
    const p = this.prng;
    const r = (): string => this.reg();
    switch (p.below(8)) {
      case 0: case 1: return [`${ALU[p.below(ALU.length)]} ${r()}, ${r()}, ${r()}`];
      case 2: return [`${ALU_IMM[p.below(ALU_IMM.length)]} ${r()}, ${r()}, ${p.between(-2048, 2047)}`];
      case 3: return [`${SHIFT_IMM[p.below(SHIFT_IMM.length)]} ${r()}, ${r()}, ${p.below(32)}`];
      case 4: { const [op, size] = LOADS[p.below(LOADS.length)]; return [`${op} ${r()}, ${this.offset(size, p.below(4) !== 0)}(s0)`]; }
      case 5: { const [op, size] = STORES[p.below(STORES.length)]; return [`${op} ${r()}, ${this.offset(size, p.below(4) !== 0)}(s0)`]; }
      case 6: {
        // li of a 32-bit constant and an instruction using it (the fused kinds of large programs).
        const rd = r();
        return [`li ${rd}, ${p.between(-0x80000000, 0x7fffffff)}`, `${['add', 'mul', 'xor', 'and'][p.below(4)]} ${r()}, ${r()}, ${rd}`];
      }
      default: {
        // The commonest pairs of warm code, fused in large programs.
        const pairs = [['addi', 'add'], ['addi', 'mul'], ['add', 'xor'], ['xor', 'andi'], ['andi', 'addi'], ['srli', 'xor'], ['slli', 'xor']];
        const [a, b] = pairs[p.below(pairs.length)];
        const rd = r();
        const first = ['addi', 'andi'].includes(a) ? `${a} ${rd}, ${r()}, ${p.between(-100, 100)}` : ['srli', 'slli'].includes(a)
          ? `${a} ${rd}, ${r()}, ${p.below(32)}` : `${a} ${rd}, ${r()}, ${r()}`;
        const second = ['addi', 'andi'].includes(b) ? `${b} ${r()}, ${rd}, ${p.between(-100, 100)}` : `${b} ${r()}, ${rd}, ${r()}`;
        return [first, second];
      }
    }
  }

  plainRun(most: number): string[] {
    return Array.from({ length: this.prng.between(1, most) }, () => this.plain()).flat();
  }

  /** t6 mixed into the timing checksum s5 (s9 is scratch). */
  mixTiming(): string[] {
    return ['xor s5, s5, t6', 'slli s9, s5, 3', 'add s5, s5, s9'];
  }

  /** One item of the loop's body. */
  item(): string[] {
    const p = this.prng;
    const r = (): string => this.reg();
    const kind = p.below(3) === 0 && this.kinds.length > 0 ? this.kinds[p.below(this.kinds.length)] : -1;
    switch (kind) {
      case 0: {
        const target = this.label();
        return [`${BRANCHES[p.below(BRANCHES.length)]} ${r()}, ${r()}, ${target}`, ...this.plainRun(2), `${target}:`];
      }
      case 1: return [`addi t6, s0, ${this.offset(4)}`, `${['amoadd.w', 'amoswap.w', 'amoxor.w', 'amomaxu.w', 'amominu.w', 'amoor.w', 'amoand.w'][p.below(7)]} ${r()}, ${r()}, (t6)`];
      case 2: return [`csrr t6, ${COUNTERS[p.below(COUNTERS.length)]}`, ...this.mixTiming()];
      case 3: return [`lw t6, ${p.below(2) * 4}(s10)`, ...this.mixTiming()];
      // Critical sections: plain, and FreeRTOS' portENTER_CRITICAL shape (mstatus saved, then restored).
      case 4: return ['csrci mstatus, 8', ...this.plainRun(4), 'csrsi mstatus, 8'];
      case 5: return ['csrrci s9, mstatus, 8', ...this.plainRun(4), 'csrw mstatus, s9'];
      case 6: return ['li t6, 0x80', 'csrc mie, t6', ...this.plainRun(3), 'csrs mie, t6'];
      case 7: return p.below(2) === 0 ? ['wfi'] : [`mv t6, s4`, `${this.label()}:`, 'wfi', `beq t6, s4, L${this.labels - 1}`];
      case 8: {
        // A delay loop on mtime (FreeRTOS' and CoreMark's ports): 1-3 ticks.
        const loop = this.label();
        return ['lw t6, 0(s10)', `addi t6, t6, ${p.between(1, 3)}`, `${loop}:`, 'lw s9, 0(s10)', `bltu s9, t6, ${loop}`];
      }
      case 9: return ['li t6, 1', 'sw t6, 0(s2)'];
      case 10: return ['ecall'];
      case 11: {
        const faults = [['.half 0'], ['.word 0xffffffff'], ['csrw mhartid, t6'], ['csrr t6, 0x7ff'], ['li t6, 0x00300000', `lw t6, ${p.below(64) * 4}(t6)`],
          ['li t6, 0x00300000', `sh s9, ${p.below(64) * 2}(t6)`], ['ebreak'], ['c.ebreak']];
        return faults[p.below(faults.length)];
      }
      case 12: {
        // An mret round trip in machine mode, interrupts off while mepc is ours.
        const back = this.label();
        return ['csrci mstatus, 8', `la t6, ${back}`, 'csrw mepc, t6', 'li t6, 0x1880', 'csrs mstatus, t6', 'mret', `${back}:`];
      }
      case 13: return ['la s9, scword', 'lr.w t6, (s9)', `add t6, t6, ${r()}`, 'sc.w t6, t6, (s9)', ...this.mixTiming()];
      case 14: return [`call ${this.leaf()}`];
      case 15: return this.jumpTable();
      case 18: return this.stateMachine();
      case 16: return this.every(['andi t6, ' + r() + ', 15', 'addi t6, t6, 97', 'sb t6, 0(s11)']);
      case 17: return this.every(this.semihostingLetter());
      default: return this.plain();
    }
  }

  /** Lines run once every 2^k iterations (output should not flood). */
  private every(lines: string[]): string[] {
    const skip = this.label();
    return [`andi t6, s1, ${(1 << this.prng.between(2, 6)) - 1}`, `bnez t6, ${skip}`, ...lines, `${skip}:`];
  }

  /** SYS_WRITEC of an uppercase letter from a body register; a0 and a1 kept in s9 and t6. */
  private semihostingLetter(): string[] {
    return ['mv s9, a0', 'mv t6, a1', `andi a0, ${this.reg()}, 15`, 'addi a0, a0, 65', 'la a1, letter', 'sb a0, 0(a1)', 'li a0, 3', ...SEMIHOST, 'mv a0, s9', 'mv a1, t6'];
  }

  private leaf(): string {
    const name = `leaf${this.functions.length}`;
    this.functions.push([`${name}:`, ...this.plainRun(6), 'ret']);
    return name;
  }

  /** A switch on a body register through a table of 8 cases (block-ended indirect jumps). */
  private jumpTable(): string[] {
    const n = this.tables.length;
    const join = this.label();
    return [`andi t6, ${this.reg()}, 7`, ...this.cases(n, 8, join), `${join}:`];
  }

  /**
   * A state machine's shape: a loop of 8 turns through a switch of 128 cases picked by a generator (gp),
   * so that the switch gets hot and each case stays warm: the warm cases of a hot switch
   * (wasm/warm-cases.ts). tp counts the turns.
   */
  private stateMachine(): string[] {
    const n = this.tables.length;
    const turn = this.label(), join = this.label();
    return ['li tp, 8', `${turn}:`, 'li t6, 1103515245', 'mul gp, gp, t6', 'addi gp, gp, 1013', 'srli t6, gp, 16', 'andi t6, t6, 127',
      ...this.cases(n, 128, join), `${join}:`, 'addi tp, tp, -1', `bnez tp, ${turn}`];
  }

  /** A jump through table `n` of `size` cases at index t6, each case going on at `join`. */
  private cases(n: number, size: number, join: string): string[] {
    const cases = Array.from({ length: size }, (_, i) => [`case${n}_${i}:`, ...this.plainRun(3), `j ${join}`]).flat();
    this.tables.push([`table${n}:`, ...Array.from({ length: size }, (_, i) => `.word case${n}_${i}`)]);
    return ['slli t6, t6, 2', `la s9, table${n}`, 'add t6, t6, s9', 'lw t6, 0(t6)', 'jr t6', ...cases];
  }
}

/** The trap handler: exceptions skip their instruction, timer interrupts re-arm mtimecmp, msip is cleared. */
function handler(mask: number): string[] {
  return [
    '.align 2',
    'trap:',
    'addi sp, sp, -16', 'sw t0, 0(sp)', 'sw t1, 4(sp)', 'sw t2, 8(sp)', 'sw t3, 12(sp)',
    'csrr t0, mcause',
    'bltz t0, trap_interrupt',
    // An exception: its cause and mtval in the sync checksum (not ebreak's mtval: QEMU gives 0, Rewind the pc).
    'csrr t1, mepc', 'csrr t2, mtval',
    'li t3, 3', 'beq t0, t3, 1f', 'xor s3, s3, t2',
    '1: slli t3, s3, 5', 'sub s3, t3, s3', 'add s3, s3, t0',
    'li t3, 11', 'bne t0, t3, 2f', 'addi s8, s8, 1',
    // Past the instruction: 2 or 4 bytes, from its low bits.
    '2: lhu t2, 0(t1)', 'andi t2, t2, 3', 'li t3, 3', 'addi t1, t1, 2', 'bne t2, t3, 3f', 'addi t1, t1, 2',
    '3: csrw mepc, t1',
    'j trap_out',
    'trap_interrupt:',
    'slli t0, t0, 1', 'srli t0, t0, 1',
    'csrr t1, mepc', 'xor s5, s5, t1', 'slli t2, s5, 7', 'srli s5, s5, 25', 'or s5, s5, t2',
    'li t1, 7', 'bne t0, t1, 4f',
    'addi s4, s4, 1',
    'li t1, 1103515245', 'mul s7, s7, t1', 'li t1, 12345', 'add s7, s7, t1',
    `srli t1, s7, 16`, `andi t1, t1, ${mask}`, 'addi t1, t1, 1',
    'lw t2, 0(s10)', 'xor s5, s5, t2', 'add t2, t2, t1',
    `li t0, ${MTIMECMP}`, 'li t3, -1', 'sw t3, 0(t0)', 'sw zero, 4(t0)', 'sw t2, 0(t0)',
    'j trap_out',
    '4: li t1, 3', 'bne t0, t1, trap_unexpected',
    'sw zero, 0(s2)', 'addi s6, s6, 1',
    'trap_out:',
    'lw t0, 0(sp)', 'lw t1, 4(sp)', 'lw t2, 8(sp)', 'lw t3, 12(sp)', 'addi sp, sp, 16',
    'mret',
    'trap_unexpected:',
    'li t6, 0x100000', 'li t5, 0x633333', 'sw t5, 0(t6)', '5: j 5b',
  ];
}

/** The sync checksum into s3, then the two lines through the UART. */
function epilogue(): string[] {
  const mix = (reg: string): string[] => ['slli s9, s3, 5', 'sub s3, s9, s3', `add s3, s3, ${reg}`];
  return [
    'finish:',
    'csrci mstatus, 8', 'csrw mie, zero',
    ...REGS.flatMap(mix), ...mix('s8'),
    'mv t0, s0', `addi t1, s0, ${BUFFER_BYTES}`,
    '6: lw t2, 0(t0)', ...mix('t2'), 'addi t0, t0, 4', 'bltu t0, t1, 6b',
    'li t0, 10', 'sb t0, 0(s11)',
    ...[...'s='].map((c) => `li t0, ${c.charCodeAt(0)}\nsb t0, 0(s11)`), 'mv s9, s3', 'call puthex',
    'li t0, 10', 'sb t0, 0(s11)',
    ...[['t=', 's5'], [' n=', 's4'], [' m=', 's6']].flatMap(([text, reg]) => [...[...text].map((c) => `li t0, ${c.charCodeAt(0)}\nsb t0, 0(s11)`), `mv s9, ${reg}`, 'call puthex']),
    'li t0, 10', 'sb t0, 0(s11)',
  ];
}

function exitCode(exit: FirmwareExit): string[] {
  switch (exit) {
    case 'finisher pass': return ['li t6, 0x100000', 'li t5, 0x5555', 'sw t5, 0(t6)'];
    case 'finisher fail': return ['li t6, 0x100000', 'andi t5, s3, 0xff', 'slli t5, t5, 16', 'li t4, 0x3333', 'or t5, t5, t4', 'sw t5, 0(t6)'];
    case 'semihosting exit': return ['li a0, 0x18', 'li a1, 0x20026', ...SEMIHOST];
    case 'semihosting exit extended': return ['la a1, exitblock', 'andi t5, s3, 0xff', 'sw t5, 4(a1)', 'li a0, 0x20', ...SEMIHOST];
  }
}

/** The exit status QEMU and Rewind give the program whose sync checksum is `sync`. */
export function expectedStatus(exit: FirmwareExit, sync: number): number {
  return exit === 'finisher fail' || exit === 'semihosting exit extended' ? sync & 0xff : 0;
}

export function firmwareSource(seed: number, options: FirmwareOptions = {}): { source: string; exit: FirmwareExit; iterations: number; padding: number } {
  const prng = new Prng(seed);
  const g = new Generator(prng);
  // Most programs loop long enough for regions of hot code; a third run a long body a few hundred
  // times, so that most of its blocks stay warm (the interpreter, and warm cases compiled in batches).
  const warm = prng.below(3) === 0;
  const items = Array.from({ length: warm ? prng.between(100, 250) : prng.between(15, 45) }, () => g.item()).flat();
  const iterations = options.iterations ?? (warm ? prng.between(40, 250) : prng.between(300, 2_000));
  const padding = options.padding ?? (prng.below(3) === 0 ? 64 << 10 : 0);
  const exit = EXITS[prng.below(EXITS.length)];
  const mask = [3, 15, 63, 255][prng.below(4)];
  const vectored = prng.below(2) === 0;
  const firstDelta = prng.between(1, 50);
  const lines = [
    'la sp, stack_top',
    `la t0, ${vectored ? 'vectors + 1' : 'trap'}`, 'csrw mtvec, t0',
    `li s2, ${CLINT}`, `li s10, ${MTIME}`, `li s11, ${UART}`, 'la s0, buffer', `li s1, ${iterations}`,
    'li s3, 0', 'li s4, 0', 'li s5, 0', 'li s6, 0', `li s7, ${seed}`, 'li s8, 0', `li gp, ${seed * 7}`,
    ...REGS.map((reg, i) => `li ${reg}, ${prng.between(-100000, 100000) * (i + 1)}`),
    // The first deadline, then the timer and software interrupts on.
    'lw t6, 0(s10)', `addi t6, t6, ${firstDelta}`, `li s9, ${MTIMECMP}`, 'sw zero, 4(s9)', 'sw t6, 0(s9)',
    'li t6, 0x88', 'csrs mie, t6', 'csrsi mstatus, 8',
    'loop:',
    ...items,
    'addi s1, s1, -1',
    'beqz s1, finish',
    'j loop',
    ...epilogue(),
    ...exitCode(exit),
    '7: j 7b',
    'puthex:', 'li t0, 8',
    '8: srli t1, s9, 28', 'slli s9, s9, 4', 'li t2, 10', 'blt t1, t2, 9f', 'addi t1, t1, 39', '9: addi t1, t1, 48', 'sb t1, 0(s11)',
    'addi t0, t0, -1', 'bnez t0, 8b', 'ret',
    ...g.functions.flat(),
    ...handler(mask),
    '.align 8', 'vectors:', '.option push', '.option norvc', ...Array.from({ length: 16 }, () => 'j trap'), '.option pop',
    ...(padding > 0 ? [`.fill ${padding / 4}, 4, 0x00000013`] : []),
    '.data',
    '.align 2', ...g.tables.flat(),
    'scword: .word 0',
    'exitblock: .word 0x20026, 0',
    'letter: .word 0',
    '.align 12', `.space ${4096 - 128}`, `buffer: .space ${BUFFER_BYTES}`,
    '.align 4', '.space 1024', 'stack_top:',
  ];
  const source = lines.map((line) => (line.endsWith(':') ? line : `  ${line}`)).join('\n');
  return { source, exit, iterations, padding };
}

export function firmwareProgram(seed: number, options: FirmwareOptions = {}): FirmwareProgram {
  const { source, exit, iterations, padding } = firmwareSource(seed, options);
  return { name: `firmware-${seed}.elf`, elf: assemble(source), input: new Uint8Array(0), seed, exit, iterations, padding };
}

/** The lines a program printed: `s=` (what QEMU must agree on) and `t= n= m=` (timing). */
export function summary(output: string): { sync: number; timing: string; letters: string } | undefined {
  const m = /\ns=([0-9a-f]{8})\n(t=[0-9a-f]{8} n=[0-9a-f]{8} m=[0-9a-f]{8})\n$/.exec(output);
  if (!m) return undefined;
  return { sync: parseInt(m[1], 16), timing: m[2], letters: output.slice(0, m.index) };
}
