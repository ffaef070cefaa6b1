/**
 * The instructions a region's function (wasm-region.ts) runs through a call into JavaScript, or inline
 * where nothing but a few words of memory changes: a timer tick's CLINT word (wasm-timer.ts), CSR
 * accesses (wasm-csr.ts, wasm-csr-inline.ts), ecall and mret, wfi. Each call's site is a function in
 * the module's `csrSites`, called with the site's index; the exit word EXIT_CSR then says 1 (left to the
 * interpreter: a slow exit before the instruction) or 2 (done, and the slice end moved: leave after it).
 * Functions of their own, outside the loop over a block's instructions: closures made there for these
 * rare instructions made V8 allocate a context for every instruction of every block.
 */
import { Decoded } from '../../isa/decode';
import { clintAccess } from './wasm-timer';
import { csrAccess, trapAccess, waitAccess } from './wasm-csr';
import { emitCsrInline, emitEcallInline, emitMretInline, csrInline } from './wasm-csr-inline';
import { EXIT_CSR, EXIT_IDLE } from './wasm-chain';
import { RegionWriter } from './region-writer';
import { Mem, Op } from './wasm-binary';

/** Pushes the exit word EXIT_CSR compared with `outcome`. */
function outcomeIs(w: RegionWriter, outcome: number): void {
  w.c.i32(0).mem(Mem.I32Load, w.exitBase + 4 * EXIT_CSR).i32(outcome).op(Op.I32Eq);
}

/** The `lw` or `sw` `d` (the i-th instruction, at `pc`) of the CLINT word at `address`: outcome 2, the slice end moved. */
export function emitClintAccess(w: RegionWriter, d: Decoded, pc: number, i: number, address: number): void {
  const c = w.c;
  const name = d.spec.name;
  w.csrSites.push(clintAccess(d, pc, address, w.m, w.entry));
  c.i32(w.csrSites.length - 1);
  w.read(name === 'sw' ? d.rs2 : 0);
  c.get(w.l.s).i32(i).op(Op.I32Add).call(w.csrImport);
  if (name === 'lw' && d.rd !== 0) w.write(d.rd); else c.op(Op.Drop);
  outcomeIs(w, 2);
  c.if();
  w.addSteps(i + 1);
  w.leave((pc + d.length) >>> 0, 1);
  c.end();
}

/** A CSR access that runs in the region (csrRunsInRegion), the last of its block of `count`, going on at `next`. */
export function emitCsr(w: RegionWriter, d: Decoded, pc: number, i: number, count: number, next: number): void {
  const c = w.c;
  const l = w.l;
  w.csrSites.push(csrAccess(d, pc, w.m, w.entry));
  const site = w.csrSites.length - 1;
  const immediate = d.spec.name.endsWith('i');
  const operand = (): void => { if (immediate) c.i32(d.rs1); else w.read(d.rs1); };
  // Outcome 1: not in machine mode, the interpreter runs it (it traps); 2: the slice end moved.
  const call = (nesting: number): void => {
    c.i32(site); operand(); c.get(l.s).i32(i).op(Op.I32Add).call(w.csrImport).set(l.old);
    outcomeIs(w, 1);
    c.if();
    w.slowExit(nesting + 1);
    c.end();
    outcomeIs(w, 2);
    c.if();
    if (d.rd !== 0) { c.get(l.old); w.write(d.rd); }
    w.addSteps(count);
    w.leave(next, nesting + 1);
    c.end();
  };
  // Most without a call (wasm-csr-inline.ts).
  if (csrInline(d)) emitCsrInline(d, { code: c, operand, old: l.old, scratch: l.offset, exitBase: w.exitBase, csrBase: w.csrBase }, () => call(1)); else call(0);
  if (d.rd !== 0) { c.get(l.old); w.write(d.rd); }
  w.addSteps(count);
  w.goTo(next, 0, true);
}

/**
 * ecall or mret, the last of its block of `count`: then on at the pc the call returns, through the
 * dispatch, as a computed jump goes (the handler, the interrupted task).
 */
export function emitTrapCall(w: RegionWriter, d: Decoded, pc: number, i: number, count: number): void {
  const c = w.c;
  const l = w.l;
  w.csrSites.push(trapAccess(d, pc, w.m, w.entry));
  const site = w.csrSites.length - 1;
  const call = (nesting: number): void => {
    c.i32(site).i32(0).get(l.s).i32(i).op(Op.I32Add).call(w.csrImport).set(l.old);
    outcomeIs(w, 1);
    c.if();
    w.slowExit(nesting + 1);
    c.end();
    outcomeIs(w, 2);
    c.if();
    w.addSteps(count);
    c.get(l.old).set(l.pc).br(w.returnDepth + nesting + 1);
    c.end();
  };
  // A return to a machine-mode task and a machine-mode system call mostly without a call (wasm-csr-inline.ts).
  const at = { code: c, operand: (): void => undefined, old: l.old, scratch: l.offset, exitBase: w.exitBase, csrBase: w.csrBase };
  if (d.spec.name === 'mret') emitMretInline(at, () => call(1)); else emitEcallInline(at, pc, () => call(1));
  w.addSteps(count);
  c.get(l.old).set(l.pc);
  c.br(w.dispatchDepth);
}

/** An idle task's wfi, the last of its block of `count`: a call until one finds it changes nothing (wasm-csr.ts). */
export function emitWait(w: RegionWriter, pc: number, i: number, count: number, next: number): void {
  const c = w.c;
  w.csrSites.push(waitAccess(pc, w.m, w.entry));
  c.i32(0).mem(Mem.I32Load, w.exitBase + 4 * EXIT_IDLE).op(Op.I32Eqz).if();
  c.i32(w.csrSites.length - 1).i32(0).get(w.l.s).i32(i).op(Op.I32Add).call(w.csrImport).op(Op.Drop);
  outcomeIs(w, 1);
  c.if();
  w.slowExit(2);
  c.end();
  outcomeIs(w, 2);
  c.if();
  w.addSteps(count);
  w.leave(next, 2);
  c.end();
  c.end();
  w.addSteps(count);
  w.goTo(next, 0, true);
}
