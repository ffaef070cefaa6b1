/**
 * Compiles the hot blocks of one page into one JavaScript function (see region.ts for what a region
 * is and promises). The function's shape, for blocks at page offsets 0x160 and 0x17c:
 *
 *   s0 = m.step; s = 0; end = slice end - s0; p = pc - page; c = index[p / 2];
 *   let r1 = x[1], r2 = x[2], ...;                            // the registers the region uses
 *   run: for (;;) switch (c) {                                 // c: the block's case number
 *     case 0: block: for (;;) {                                // (only a block that loops on itself)
 *       if (s + 7 > end) { p = 0x160; break run; }            // the block must fit in the slice
 *       ...straight-line instructions on r1..r31...
 *       s += 7;
 *       if (r5 !== r6) continue block;                         // a loop on itself stays in its `for`
 *       break block; }                                         // not taken: into the next case (0x17c)
 *     case 1: { ...; c = 0; continue run; }                    // a jump to another block of the region
 *     default: break run;                                      // pc outside the region
 *   }
 *   x[1] = r1; ...; m.step = s0 + s; return page + p;
 *
 * Step counts and pcs are small integers relative to the entry and the page (absolute pcs above 2^31
 * would be heap numbers), and cases are numbered 0..n-1 so that V8 makes the switch a jump table.
 * CSR instructions on mstatus (critical sections) run inside the region (mstatusAccess). Instructions
 * the compiler does not emit inline (other CSR access, ecall, ebreak, mret, fence.i, atomics,
 * illegal encodings) and the slow paths of loads and stores leave the region before the instruction,
 * with `slow` set: the run loop then executes it with the interpreter (see region-instructions.ts).
 */
import { emitInstruction, isStraightLine, read, Site, STEP_CAP, write } from './region-instructions';
import { Region, REGION_SHIFT, RegionBlock, RegionHost } from './region';
import { Decoded } from '../isa/decode';

const MSTATUS = 0x300;
/** mstatus' SIE and MIE bits. */
const INTERRUPT_ENABLES = (1 << 1) | (1 << 3);

/**
 * A CSR instruction on mstatus (the last of its block), in machine mode, run inside the region through
 * the CSR file (the same semantics as the interpreter's): the machine's step is set to this
 * instruction's first, so that the interrupt re-check sees where it is. Clearing MIE never ends the
 * slice; setting it moves the slice end only when an enabled interrupt is due before it, and then the
 * region leaves after this instruction (see Machine.recheckInterrupts). In user mode the instruction
 * traps: the interpreter runs it.
 */
function mstatusAccess(d: Decoded, pc: number, index: number, exit: string): string {
  const kind = d.spec.name.replace(/i$/, '');
  if ((d.spec.name === 'csrrsi' || d.spec.name === 'csrrci') && (d.rs1 & ~INTERRUPT_ENABLES) === 0) {
    // csrsi/csrci of MIE or SIE (critical sections), directly: mstatus holds only legal values, so the CSR
    // file's write would store exactly this, and the address mode stays as it is. Clearing an enable can
    // bring no interrupt sooner, so only setting one needs the re-check.
    const set = kind === 'csrrs';
    return `if (m.privilege !== 3) ${exit}
{ const c = m.csr, o = c.mstatus; c.mstatus = ${set ? `o | ${d.rs1}` : `o & ~${d.rs1}`};
${d.rd !== 0 ? `${write(d.rd)} = o;` : ''}${set ? ` m.step = s0 + s + ${index}; m.accessPc = ${pc}; m.recheckInterrupts();` : ''} }`;
  }
  const operand = d.spec.name.endsWith('i') ? String(d.rs1) : read(d.rs1);
  const reads = kind !== 'csrrw' || d.rd !== 0;
  const writes = kind === 'csrrw' || d.rs1 !== 0;
  const updated = kind === 'csrrw' ? operand : kind === 'csrrs' ? `o | ${operand}` : `o & ~${operand}`;
  return `if (m.privilege !== 3) ${exit}
m.step = s0 + s + ${index}; m.accessPc = ${pc};
{ const o = ${reads ? `m.csr.read(${MSTATUS}, ${d.raw}, ${pc})` : '0'};
${writes ? `m.csr.write(${MSTATUS}, ${updated}, ${d.raw}, ${pc});` : ''}
${d.rd !== 0 ? `${write(d.rd)} = o;` : ''} m.recheckInterrupts(); }`;
}

const BRANCHES: Record<string, string> = {
  beq: '===', bne: '!==', blt: '<', bge: '>=', bltu: '<', bgeu: '>=',
};

/** Whether the block ends in a branch or jump to its own start. */
function loopsOnItself(block: RegionBlock): boolean {
  const decoded = block.decoded!;
  const last = decoded[decoded.length - 1];
  if (last === undefined || !(last.spec.name in BRANCHES || last.spec.name === 'jal')) return false;
  return ((block.pcs[decoded.length - 1] + last.imm) >>> 0) === block.start;
}

/** `blocks` all start in the page at `pageBase`; each has its decoded instructions. */
export function compileRegion(pageBase: number, blocks: RegionBlock[], m: RegionHost): Region {
  const sorted = [...blocks].sort((a, b) => a.start - b.start);
  const starts = new Set(sorted.map((b) => b.start));
  const used = new Set<number>();
  for (const block of sorted) {
    for (const d of block.decoded!) if (d) for (const r of [d.rd, d.rs1, d.rs2]) if (r !== 0) used.add(r);
  }
  const registers = [...used].sort((a, b) => a - b);
  // On the way out only the registers some instruction writes go back: regions of kernels and library
  // code are entered often for a few steps each, and the exit should cost what the region changed.
  const written = new Set<number>();
  for (const block of sorted) for (const d of block.decoded!) if (d && d.spec.format !== 'S' && d.spec.format !== 'B' && d.rd !== 0) written.add(d.rd);
  const flush = registers.filter((r) => written.has(r)).map((r) => `x[${r}] = r${r};`).join(' ');
  const relative = (pc: number): number => (pc - pageBase) | 0;
  // Cases are numbered densely (block j is case j), so that V8 compiles the switch to a jump table;
  // `index` maps a page offset (in halfwords) to its case, for jumps whose target is computed.
  const caseOf = new Map(sorted.map((b, j) => [b.start, j]));
  const index = new Int16Array(1 << (REGION_SHIFT - 1)).fill(-1);
  sorted.forEach((b, j) => { index[relative(b.start) >>> 1] = j; });

  const lines: string[] = [];
  sorted.forEach((block, j) => {
    const following = sorted[j + 1]?.start;
    /** Continue at `target` after this block: fall into the next case, dispatch, or leave. */
    const decoded = block.decoded!;
    const n = decoded.length;
    // A loop on itself (the hottest code there is) spins in its own `for`, without the switch. Other
    // blocks get no loop of their own: V8 peels every innermost loop (compiles its body twice), which
    // made regions of many blocks slow to optimize.
    const selfLoop = loopsOnItself(block);
    const goTo = (target: number, last: boolean): string => {
      if (last && target === following) return selfLoop ? 'break block;' : '';
      if (target === block.start && selfLoop) return 'continue block;';
      return starts.has(target) ? `c = ${caseOf.get(target)}; continue run;` : `p = ${relative(target)}; break run;`;
    };
    lines.push(`case ${j}: ${selfLoop ? 'block: for (;;)' : ''} { if (s + ${n} > end) { p = ${relative(block.start)}; break run; }`);
    for (let i = 0; i < n; i++) {
      const d = decoded[i];
      const pc = block.pcs[i];
      const name = d?.spec.name;
      const exit = `{ p = ${relative(pc)}; k = ${i}; slow = true; break run; }`;
      if (d !== undefined && isStraightLine(d.spec.name)) {
        const site: Site = { pc, exit, ramBase: m.ram.base, ramSize: m.ram.size, watchingReads: m.watchingReads };
        lines.push(emitInstruction(d, site));
        if (i === n - 1) lines.push(`s += ${n};`, goTo(block.end, true), '}');
        continue;
      }
      if (d !== undefined && name !== undefined && name in BRANCHES) {
        const [a, b] = name.endsWith('u') ? [`(${read(d.rs1)} >>> 0)`, `(${read(d.rs2)} >>> 0)`] : [read(d.rs1), read(d.rs2)];
        lines.push(`s += ${n};`, `if (${a} ${BRANCHES[name]} ${b}) { ${goTo((pc + d.imm) >>> 0, false)} }`, goTo((pc + d.length) >>> 0, true), '}');
        break;
      }
      if (d !== undefined && name === 'jal') {
        if (d.rd !== 0) lines.push(`${write(d.rd)} = ${(pc + d.length) | 0};`);
        lines.push(`s += ${n};`, goTo((pc + d.imm) >>> 0, false), '}');
        break;
      }
      if (d !== undefined && name === 'jalr') {
        lines.push(`{ const j = (${read(d.rs1)} + ${d.imm}) & -2; ${write(d.rd)} = ${(pc + d.length) | 0}; p = (j - ${pageBase | 0}) | 0; }`,
          `s += ${n};`, `c = p >>> 0 < ${1 << REGION_SHIFT} ? index[p >>> 1] : -1; continue run; }`);
        break;
      }
      if (d !== undefined && name !== undefined && name.startsWith('csrr') && d.imm === MSTATUS) {
        // Critical sections (csrc/csrs mstatus, 8) stay in the region: see mstatusAccess.
        lines.push(mstatusAccess(d, pc, i, exit), `s += ${n};`,
          `if (m.sliceEnd !== e0) { p = ${relative((pc + d.length) >>> 0)}; break run; }`, goTo((pc + d.length) >>> 0, true), '}');
        break;
      }
      // Anything else: the interpreter runs it, outside the region.
      lines.push(`${exit} }`);
      break;
    }
  });

  const source = `'use strict';
return function region(pc) {
const s0 = m.step;
const e0 = m.sliceEnd;
const end = Math.min(e0 - s0, ${STEP_CAP}) | 0;
let s = 0, k = 0, slow = false, p = (pc - ${pageBase | 0}) | 0, t = 0;
let c = p >>> 0 < ${1 << REGION_SHIFT} ? index[p >>> 1] : -1;
${registers.map((r) => `let r${r} = x[${r}];`).join(' ')}
run: for (;;) {
switch (c) {
${lines.join('\n')}
default: break run;
}
}
${flush}
m.step = s0 + s + k;
m.slowExit = slow;
return (p + ${pageBase | 0}) | 0;
};`;
  const factory = new Function('m', 'x', 'index', 'u8', 'i8', 'u16', 'i16', 'i32', 'wb', 'rw', source);
  const { u8, i8, u16, i16, i32, writeBarrier, readWatchedPages } = m.ram;
  const run = factory(m, m.x, index, u8, i8, u16, i16, i32, writeBarrier, readWatchedPages) as (pc: number) => number;
  // Each block checks that it fits: the longest is what an entry needs.
  return { run, blocks: sorted, room: sorted.reduce((most, b) => Math.max(most, b.pcs.length), 0) };
}

