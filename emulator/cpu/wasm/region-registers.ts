/**
 * Which guest registers a region's wasm function (wasm-region.ts) keeps in wasm locals, loaded from
 * memory at its entry and stored back at its exit; the others are read and written in memory where used
 * (region-writer.ts, wasm-instructions.ts).
 */
import { RegionBlock } from '../region';
import { Code, I32, Mem } from './wasm-binary';
import { Kind, kindOf } from './wasm-instructions';

/**
 * A hot region's function keeps at most this many guest registers in wasm locals, those its instructions
 * use most (weighted by their blocks' runs), and reads and writes the others in memory where used. Each
 * local is loaded at every entry and, if written, stored at every exit, and TurboFan spills most of ~15-20
 * live across the dispatch loop: bench/mathlib enters regions 2.19M times a run for ~25 steps, loading
 * ~15 registers and storing ~14 each time. Steady (second run in a process, cachegrind): mathlib 1,296M
 * instructions with all in locals, 1,255M with 12, 1,195M with 8, 1,170M with 5, 1,165M with 2; main-thread
 * CPU (medians of 8 pairs) mathlib 141 -> 123 ms, softfloat 64 -> 57, qrcode 64 -> 56. A fresh `rewind
 * run` (cachegrind, --single-threaded): mathlib 2,435 -> 2,318M, softfloat 1,901 -> 1,825M, tree 1,736 ->
 * 1,619M, qrcode 1,666 -> 1,580M, jpeg 1,572 -> 1,512M (with 5: 2,294 / 1,800 / 1,598 / 1,561 / 1,508M,
 * the others not measured). Warm cases keep every register in a local and weigh no block: weights
 * computed for each of statemachine's ~590 cases while V8 runs this unoptimized, cost that fresh run
 * +43-50M. Loading only the registers live at the block entered and storing only those a path may have
 * written (branch entry-experiment-liveness) ran no faster, and its larger functions cost TurboFan more.
 */
const LOCAL_REGISTERS = 8;
/**
 * A hot region keeps LOCAL_REGISTERS only when it is a small loop (at most LOOP_BLOCKS blocks, one of
 * them jumping back to itself or an earlier one), else at most OTHER_REGISTERS. A small loop is where a
 * program stays for many turns an entry (bench/cipher ~360 steps an entry, memory, integer): a register
 * in memory there is a load or store at every use. A larger region is mostly entered for a pass or two
 * (bench/mathlib, softfloat: every 25-45 steps), where each local's load at entry and store at exit cost
 * more than its uses save. Nearly every region has some jump back (mathlib: 24 of 25), so a loop alone
 * decided nothing. Fresh `rewind run` (cachegrind, 8 everywhere -> this): mathlib 2,228/2,232M ->
 * 2,213/2,213M, softfloat 1,653/1,639 -> 1,618/1,625, compressed 2,521 -> 2,404, core 2,140/2,124 ->
 * 2,101/2,102, jpeg 1,467 -> 1,439, qrcode 1,506 -> 1,482; memory, cipher, integer not worse (with 5
 * everywhere +1-3%).
 */
const OTHER_REGISTERS = 5;
const LOOP_BLOCKS = 8;

/** Each register's weight (weigh): one array for every function, zeroed for each. */
const weights = new Float64Array(32);

/**
 * Each register's local in `c` (-1: read and written in memory, or not used), and a scratch local for a
 * value on its way to a register in memory (-1: none, every used register has a local): locals for the
 * LOCAL_REGISTERS (OTHER_REGISTERS unless the region is a small loop: `loops`, one of its blocks' last
 * branch or jal goes back to a block of it) most used of `used` (the registers `sorted`'s instructions
 * use, in the order of first use) in a hot region (weigh), for every one in a `warm` case, in that order.
 *
 * One path for both kinds, only numbers differ (a warm case weighs no block: its weights are all 0): a
 * branch only warm cases took threw away the code V8 had optimized on hot regions at a program's first
 * warm case (--trace-deopt, a process that runs mathlib then statemachine, as the bench does). The pass
 * over the instructions that finds `used` stays in wasm-region.ts: in a function of its own, small and
 * hot, V8 optimized it while the bench ran mathlib (~60M more instructions, single-threaded cachegrind).
 */
export function keepRegisters(sorted: readonly RegionBlock[], used: number[], c: Code, warm: boolean, loops: boolean): { registers: number[]; scratch: number } {
  // A literal, copied by a builtin, not filled by the runtime's Array.prototype.fill (cold, per function).
  const registers: number[] = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
  // A warm case weighs nothing and keeps its order of first use: no weights cleared (`fill`, a C++
  // builtin through V8's runtime entry) and none compared (bench/LOG.md, session 30).
  const weighed = warm ? 0 : sorted.length;
  if (weighed !== 0) weights.fill(0);
  weigh(sorted, weighed, weights);
  const kept = keepMostUsed(weights, used, weighed !== 0 ? used.length : 0, warm ? 31 : loops && sorted.length <= LOOP_BLOCKS ? LOCAL_REGISTERS : OTHER_REGISTERS);
  const first = c.addLocals(kept, I32);
  for (let j = 0; j < kept; j++) registers[used[j]] = first + j;
  const scratch = kept < used.length ? c.local(I32) : -1;
  return { registers, scratch };
}

/**
 * Adds to each register's `weight` its uses in the first `count` of `sorted`, each weighing its block's
 * runs (+1: a block new to the region), and to each used one a fraction under 1/2 that is larger the
 * lower the register: ties go to the lower register.
 */
function weigh(sorted: readonly RegionBlock[], count: number, weight: Float64Array): void {
  for (let k = 0; k < count; k++) {
    const decoded = sorted[k].decoded!;
    const runs = sorted[k].runs + 1;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i];
      if (d === undefined) continue;
      const format = d.spec.format; // the fields its format has, as in wasm-region.ts
      weight[format !== 'S' && format !== 'B' ? d.rd : 0] += runs;
      weight[format !== 'U' && format !== 'J' ? d.rs1 : 0] += runs;
      weight[format === 'R' || format === 'S' || format === 'B' ? d.rs2 : 0] += runs;
    }
  }
  for (let r = 1; r < 32 && count > 0; r++) if (weight[r] > 0) weight[r] += (32 - r) / 64;
}

/**
 * The target of the branch or jal that ends `block` (which ends at `end`), or -1: its own start if it
 * loops on itself (a wasm loop of its own, wasm-region.ts), and a successor whose steps the slice's room
 * counts (slice-room.ts).
 */
export function branchTarget(block: RegionBlock, end: number): number {
  const decoded = block.decoded!;
  const last = decoded[decoded.length - 1];
  const kind = last !== undefined ? kindOf(last).kind : Kind.Other;
  if (last === undefined || (kind !== Kind.Branch && kind !== Kind.Jal)) return -1;
  return (end - last.length + last.imm) >>> 0; // its pc from the end (see writeBlock)
}

/** Whether block k (of a region's blocks with sorted `starts`), whose last branch or jal goes to `target`, goes to its own start or an earlier block's. */
export function jumpsBack(starts: readonly number[], k: number, target: number): boolean {
  if (target > starts[k]) return false;
  let lo = 0, hi = k; // a block start among starts[0..k]
  while (lo < hi) { const mid = (lo + hi) >> 1; if (starts[mid] < target) lo = mid + 1; else hi = mid; }
  return starts[lo] === target;
}

/**
 * Sorts the first `sorting` of `used` (registers in the order of first use) by `weight`, most first, ties
 * in the order of first use (a stable insertion sort: a warm case's list, all weights 0, is left as it
 * is); returns how many of them get a local, at most `limit`.
 */
function keepMostUsed(weight: Float64Array, used: number[], sorting: number, limit: number): number {
  for (let i = 1; i < sorting; i++) {
    const r = used[i];
    let k = i - 1;
    for (; k >= 0 && weight[used[k]] < weight[r]; k--) used[k + 1] = used[k];
    used[k + 1] = r;
  }
  return used.length < limit ? used.length : limit;
}

/**
 * Where a function finds the guest's registers in memory: at `base` from what the two-byte instruction
 * `op local` pushes (local.get of a local that holds their address, or i32.const 0).
 */
export interface RegisterFile { readonly op: number; readonly local: number; readonly base: number }
export const LOCAL_GET = 0x20;
export const I32_CONST = 0x41;

/** The function's prologue part: each register with a local loaded from memory at `file`. */
export function loadRegisters(c: Code, registers: readonly number[], file: RegisterFile): void {
  accessAll(c, file, false, registers, null);
}

/** The function's epilogue part: each of the `written` registers with a local stored to memory at `file`. */
export function storeRegisters(c: Code, registers: readonly number[], written: readonly number[], file: RegisterFile): void {
  accessAll(c, file, true, registers, written);
}

/**
 * Each register of `order` (null: x1..x31 in order, the prologue's, without a list to read: each read of
 * one is a keyed load, ~300 host instructions in cold code) that has a local, loaded from `file` into it
 * (`store` false) or stored from it:
 * Bytes.fileAccess's bytes, written here in one call for all (where the locals fit a byte), not three
 * calls a register (this, Bytes.fileAccess and its LEB128's): the writer runs cold, for every warm case
 * (~10-20 registers each way; bench/LOG.md, session 29). Each register's bytes are copied from its
 * template (fileTemplates) and its local and the file's local put in: the offset's LEB128 loop and seven
 * stores a register, each a call into V8's baseline builtins, were ~2.5K host instructions a register
 * (bench/statemachine: accessAll's 1,199 calls 16.5M; bench/LOG.md, session 30).
 */
function accessAll(c: Code, file: RegisterFile, store: boolean, registers: readonly number[], order: readonly number[] | null): void {
  const b = c.body, pushed = file.local;
  const t = fileTemplates(file);
  const templates = store ? t.stores : t.loads, sizes = t.sizes;
  const count = order !== null ? order.length : 31;
  if (b.length + 12 * count > b.capacity) b.reserve(12 * count);
  let buffer = b.buffer, at = b.length;
  for (let k = 0; k < count; k++) {
    const r = order !== null ? order[k] : k + 1, l = registers[r];
    if (l < 0) continue;
    if ((l | pushed) >>> 0 >= 0x80) { b.length = at; access(c, file, store, r, l); buffer = b.buffer; at = b.length; continue; }
    const size = sizes[r];
    buffer.set(templates[r], at);
    buffer[at + 1] = pushed;
    buffer[at + (store ? 3 : size - 1)] = l;
    at += size;
  }
  b.length = at;
}

/**
 * Each register's load (`op 0 i32.load offset local.set 0`) and store (`op 0 local.get 0 i32.store
 * offset`) from a register file pushed by `op` at `base`, with their sizes (a plain array: a typed array's
 * length is a getter in V8's first tiers), the locals 0 (accessAll puts them in). One set each for a hot
 * region's file (local.get, base 0) and a warm case's (i32.const, base after RAM), made again when the
 * base changes (another RAM's size).
 */
interface FileTemplates { readonly op: number; readonly base: number; readonly loads: Uint8Array[]; readonly stores: Uint8Array[]; readonly sizes: number[] }
const TEMPLATES: FileTemplates[] = [];

function fileTemplates(file: RegisterFile): FileTemplates {
  const slot = file.op === LOCAL_GET ? 0 : 1;
  const t = TEMPLATES[slot];
  if (t !== undefined && t.op === file.op && t.base === file.base) return t;
  const made: FileTemplates = { op: file.op, base: file.base, loads: [], stores: [], sizes: [] };
  for (let r = 0; r < 32; r++) {
    const offset: number[] = [];
    let v = (file.base + 4 * r) >>> 0;
    while (v >= 0x80) { offset.push((v & 0x7f) | 0x80); v >>>= 7; }
    offset.push(v);
    const align = Mem.I32Load >> 8; // both align 2
    made.loads.push(Uint8Array.from([file.op, 0, Mem.I32Load & 0xff, align, ...offset, 0x21, 0]));
    made.stores.push(Uint8Array.from([file.op, 0, 0x20, 0, Mem.I32Store & 0xff, align, ...offset]));
    made.sizes.push(offset.length + 6);
  }
  TEMPLATES[slot] = made;
  return made;
}

/** Register r's load from `file` into its local l, or store from it (locals beyond a byte: Code's methods). */
function access(c: Code, file: RegisterFile, store: boolean, r: number, l: number): void {
  const offset = file.base + 4 * r;
  if (store) { c.body.two(file.op, file.local); c.get(l).mem(Mem.I32Store, offset); }
  else { c.body.two(file.op, file.local); c.mem(Mem.I32Load, offset).set(l); }
}
