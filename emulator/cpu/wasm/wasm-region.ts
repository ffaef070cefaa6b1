/**
 * Compiles a region (region.ts: hot blocks, with every promise of exactness stated there) to one
 * WebAssembly function instead of JavaScript: V8 compiles it with Liftoff at once and optimizes it in
 * the background, i32 arithmetic needs no type guards, and control passes from region to region without
 * returning to the run loop (wasm-chain.ts). Measured on the bench programs (CPU time), this runs hot
 * loops 1.3–5× faster than JavaScript regions, and no program slower.
 *
 * The function's shape (`run(pc, steps, end) -> pc`: steps the chain has taken before, and the steps the
 * slice allows the chain, capped; see wasm-chain.ts):
 *
 *   r1 = x[1]; ...; s = steps                      // the registers the region uses most, from memory
 *   block $chain
 *     block $return
 *       loop $dispatch
 *         br_if $return (s + most steps ahead > end)  // the slice has no room (slice-room.ts)
 *         block $default  block $b(n-1) ... block $b0
 *           br_table ((pc - first block) / 2) ...   // each block start to its label, the rest $default
 *         end $b0   code of block 0   end $b1   code of block 1 ...
 *         end $default  br $chain                    // pc outside the region
 *       end
 *     end
 *     back = 1
 *   end
 *   x[1] = r1; ...                                  // the ones of those it wrote, to memory
 *   if !back and s > steps: tail-call the region at pc, if any (wasm-chain.ts chainOut)
 *   steps and slow flag to memory; return pc
 *
 * A block's code runs its instructions, adds its length to the step count `s` and goes on: to a later
 * block of the region by a branch straight to its label, to an earlier one (or a computed target)
 * through the dispatch, to anything else by chaining on. Where the slice may not hold the longest path
 * on (checked at the dispatch and where a block loops on itself) the region returns to the run loop,
 * and so does an instruction left to the interpreter, before it, with the slow flag set and `s`
 * counting the steps before it.
 */
import { EXIT_WORDS, REGISTERS_BYTES } from '../../memory/ram';
import { Decoded } from '../../isa/decode';
import { Region, RegionBlock } from '../region';
import { TimerHost } from './wasm-timer';
import { Code, I32, Mem, Op } from './wasm-binary';
import { ModuleBuilder } from './wasm-module';
import { branchTarget, I32_CONST, jumpsBack, keepRegisters, loadRegisters, LOCAL_GET, RegisterFile, storeRegisters } from './region-registers';
import { ACCESS, accessGroup, emitAccessGroup, emitWasmInstruction, Kind, kindOf, RD, RS1, RS2, WasmKind, WasmSite } from './wasm-instructions';
import { emitDispatch } from './wasm-dispatch';
import { sliceRoom } from './slice-room';
import { csrRunsInRegion } from './wasm-csr';
import { emitClintAccess, emitCsr, emitTrapCall, emitWait } from './region-calls';
import { RegionWriter } from './region-writer';
import { TrapHost } from '../trap-entry';
import { compileWarmModule } from './warm-tiering';
import { sharedChainer } from './warm-chainer';
import { chainOut, EXIT_SLOW, EXIT_STEPS, EXIT_SWITCH, REGION_TYPE, WasmChain } from './wasm-chain';

/** The return address register: a jump through it is a return, not a switch. */
const RA = 1;
/** A region's function's parameters (pc, steps, end). */
const PARAMS = 3;
const BLOCK = 0x02, LOOP = 0x03; // the opcodes of a block and of a loop
/** By `parts.warm`: local.get in a hot region, i32.const in a warm case (indexed: see regionFunction). */
const GET_OR_CONST = [LOCAL_GET, I32_CONST];

/**
 * `blocks` (each with its decoded instructions) may lie in any pages; the dispatch table covers the
 * addresses from the first block's start to the last one's.
 */
export function compileWasmRegion(blocks: RegionBlock[], m: TimerHost & TrapHost, chain: WasmChain): Region | undefined {
  const ram = m.ram;
  const builder = new ModuleBuilder(chain.memory);
  builder.importTable('m', 'table', 1);
  const regionType = builder.typeIndex(REGION_TYPE);
  const csrImport = builder.importFunction('m', 'csr', { params: [I32, I32, I32], results: [I32] });
  const csrSites: CsrSite[] = [];
  const { code, sorted, room } = regionFunction(blocks, m, chain, { regionType, csrImport, csrSites, warm: false, chainer: -1, code: new Code(3) });
  builder.define('run', REGION_TYPE, code);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(builder.encode(true)), {
    m: { memory: ram.memory, table: chain.table, csr: (site: number, operand: number, steps: number) => csrSites[site](operand, steps) },
  });
  const id = chain.add(instance.exports.run, sorted);
  if (id === undefined) return undefined;
  return attach(chain, id, sorted, room, false);
}

/**
 * Compiles each of `units` (blocks as for compileWasmRegion) into a region of its own, all in one module
 * (one compile, one instance: what a module costs is shared), its functions put in the chain's table by
 * the instance itself; returns each unit's region (undefined for all when the chain has no room): the
 * cases of hot switches (warm-cases.ts), each region `warm`, left for a region of hot code that takes
 * one of its blocks.
 */
export function compileWasmRegions(units: ReadonlyArray<RegionBlock[]>, m: TimerHost & TrapHost, chain: WasmChain): Array<Region | undefined> {
  const ram = m.ram;
  const first = chain.reserve(units.length);
  if (first === undefined) return units.map(() => undefined);
  const builder = new ModuleBuilder(chain.memory);
  builder.importTable('m', 'table', 1);
  builder.placeInTable('m', 'first');
  const regionType = builder.typeIndex(REGION_TYPE);
  const csrImport = builder.importFunction('m', 'csr', { params: [I32, I32, I32], results: [I32] });
  // The chain-on the cases share, imported (warm-chainer.ts).
  const chainer = builder.importFunction('m', 'chain', REGION_TYPE);
  const csrSites: CsrSite[] = [];
  // One body buffer for all the module's functions (each is copied into the module when defined).
  const parts = { regionType, csrImport, csrSites, warm: true, chainer, code: new Code(3) };
  const sortedUnits = units.map((blocks) => {
    const { code, sorted, room } = regionFunction(blocks, m, chain, parts);
    builder.define('r', REGION_TYPE, code, false); // not exported: no name written, none made
    return { sorted, room };
  });
  // Instantiating puts the functions in the table at ids first, first + 1, ...
  new WebAssembly.Instance(compileWarmModule(builder.encode(true)), {
    m: { memory: ram.memory, table: chain.table, first, chain: sharedChainer(chain, ram), csr: (site: number, operand: number, steps: number) => csrSites[site](operand, steps) },
  });
  return sortedUnits.map(({ sorted, room }, j) => {
    chain.placed(first + j, sorted);
    return attach(chain, first + j, sorted, room, true);
  });
}

/** A region whose function is in the chain's table at `id`. */
function attach(chain: WasmChain, id: number, sorted: RegionBlock[], room: number, warm: boolean): Region {
  // Detached once: a dropped region may be detached again when its blocks go into a new one, whose id
  // may by then be this one's.
  let attached = true;
  const region: Region = {
    run: chain.run, blocks: sorted, room, warm, chained: true,
    detach: (): void => {
      if (attached) chain.remove(id);
      attached = false;
      // A warm region's other blocks go back to the interpreter (and count towards regions again).
      if (warm) for (const b of sorted) if (b.region === region) b.region = null;
    },
  };
  return region;
}

type CsrSite = (operand: number, steps: number) => number;
/** Where a straight-line instruction is written: one for a whole function, its pc set for each. */
type Site = { -readonly [K in keyof WasmSite]: WasmSite[K] };

/** What a region's function shares with the others of its module. */
interface ModuleParts {
  readonly regionType: number; readonly csrImport: number; readonly csrSites: CsrSite[];
  /**
   * A warm case's (compileWasmRegions), which V8 mostly runs as Liftoff made it: the block is found by
   * comparing the pc with each start, the case's first block first, whatever the span (Liftoff's code for
   * a table is a compare and a jump for every halfword of the span: half of a case's code, which V8 also
   * charges against its tier-up budget), and a jump through a register (a return, mostly) leaves at once
   * instead of through the dispatch. (The guest's registers in memory instead of locals, as one-block
   * cases had them, ran no faster: bench/statemachine 133-135 ms against 128-153.)
   */
  readonly warm: boolean;
  /** The module's shared chain-on function (wasm-chain.ts chainFunction), -1 for none: a warm module's. */
  readonly chainer: number;
  /**
   * Where the function is written (emptied first): one for all of a module's functions, so that each
   * does not allocate and grow a buffer of its own.
   */
  readonly code: Code;
}

/** `blocks` by start (a new array: the region keeps it), their starts into `starts`: no comparator's closure or sort's work array, each start (a getter) read once. */
function byStart(blocks: readonly RegionBlock[], starts: number[]): RegionBlock[] {
  const sorted = blocks.slice();
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i], start = b.start;
    let k = i - 1;
    for (; k >= 0 && starts[k] > start; k--) { sorted[k + 1] = sorted[k]; starts[k + 1] = starts[k]; }
    sorted[k + 1] = b; starts[k + 1] = start;
  }
  return sorted;
}

/** The code of a region's function (see the top of this file), and its blocks by start. */
function regionFunction(blocks: RegionBlock[], m: TimerHost & TrapHost, chain: WasmChain, parts: ModuleParts): { code: Code; sorted: RegionBlock[]; room: number } {
  const ram = m.ram;
  const starts = new Array<number>(blocks.length), sorted = byStart(blocks, starts);
  const n = sorted.length;

  const c = parts.code;
  c.reset();
  const PC = 0, STEPS = 1, END = 2;
  const s = parts.warm ? STEPS : c.local(I32); // a warm case counts in its steps parameter: see $return
  // The registers the instructions use, in the order of first use (x0's bit set: it has no local), and
  // those they write, in the order of first write (a bit each, and a list).
  let usedSet = 1, writtenSet = 0;
  const used: number[] = [];
  const written: number[] = [];
  // Whether a jump through a register that is no return (a switch) ends a block: only then is its
  // target kept and the exit word EXIT_SWITCH written. Whether any instruction loads or stores.
  let switches = false, accesses = false;
  // Whether a block's last branch or jal goes back to one of the region (region-registers.ts): hot regions' question only.
  let loops = false;
  const selfLoops: boolean[] = []; // whether each block loops on itself (branchTarget)
  const targets: number[] = [], ends: number[] = []; // each block's branchTarget and end (a getter's call each), for sliceRoom too
  // Indexed loops, no arrays or closures made per instruction: this runs cold for thousands of them.
  for (let k = 0; k < n; k++) {
    const decoded = sorted[k].decoded!, end = sorted[k].end; ends.push(end);
    const target = branchTarget(sorted[k], end); selfLoops.push(target === starts[k]); targets.push(target);
    if (!loops && target >= 0 && !parts.warm) loops = jumpsBack(starts, k, target);
    for (let i = 0, count = decoded.length; i < count; i++) {
      const d = decoded[i];
      if (d === undefined) continue;
      // The fields an instruction's format has: the others hold bits of its immediate (rs2 of an addi,
      // rd of a sw), registers it does not use, which took a local and a load at every entry (bench/mathlib:
      // ~4 of its regions' ~24 loads an entry). rs2 (no field of most formats) tested only where it is one.
      const kind = kindOf(d), fields = kind.fields;
      const rd = (fields & RD) !== 0 ? d.rd : 0;
      const rs1 = (fields & RS1) !== 0 ? d.rs1 : 0;
      if ((usedSet & (1 << rd)) === 0) { usedSet |= 1 << rd; used.push(rd); }
      if ((usedSet & (1 << rs1)) === 0) { usedSet |= 1 << rs1; used.push(rs1); }
      if ((fields & RS2) !== 0) { const rs2 = d.rs2; if ((usedSet & (1 << rs2)) === 0) { usedSet |= 1 << rs2; used.push(rs2); } }
      if (rd !== 0 && (writtenSet & (1 << rd)) === 0) { writtenSet |= 1 << rd; written.push(rd); }
      if (kind.kind === Kind.Jalr && rd === 0 && rs1 !== RA) switches = true;
      if ((fields & ACCESS) !== 0) accesses = true;
    }
  }
  // The guest's registers in locals (the most used), the others in memory: see region-registers.ts.
  const { registers, scratch } = keepRegisters(sorted, used, c, parts.warm, loops);
  // The locals only some functions use, last, so that a warm case keeps those it needs and no more
  // (Code.keepLocals: Liftoff, which runs nearly all of a case's calls, zeroes each at every call): a
  // load or store's offset and slow flag; the inline chain-on's region id (offset too) and a switch's
  // target (the last switch this region took); the CSR calls' old value (never in a case: warm-cases.ts
  // warmCompilable); the address of the guest's registers in memory (after RAM), from which the
  // prologue's loads and the epilogue's stores take 3 bytes fewer each than from 0, where a case
  // addresses them from 0 instead (in Liftoff's code, a reload of the local from its stack slot at
  // each store after a merge).
  const offset = c.local(I32), slow = c.local(I32), regionId = c.local(I32), switchTarget = c.local(I32), old = c.local(I32), registerFile = c.local(I32);
  c.keepLocals(offset - PARAMS + (!parts.warm ? 6 : switches ? 4 : accesses ? 2 : 0));
  const xBase = ram.size;
  const file: RegisterFile = { op: GET_OR_CONST[parts.warm ? 1 : 0], local: parts.warm ? 0 : registerFile, base: parts.warm ? xBase : 0 };
  const exitBase = ram.size + REGISTERS_BYTES;
  const csrBase = exitBase + 4 * EXIT_WORDS;
  const w = new RegionWriter(c, { pc: PC, steps: STEPS, end: END, s, slow, offset, old, registers, registerBase: xBase, scratch }, starts, m, chain.entry,
    { exitBase, csrBase, csrImport: parts.csrImport, csrSites: parts.csrSites });
  if (!parts.warm) c.i32(xBase).set(registerFile);
  loadRegisters(c, registers, file);
  if (s !== STEPS) c.get(STEPS).set(s);
  if (switches) c.i32(1).set(switchTarget); // no pc

  // Every entry and every jump back goes through the dispatch: the longest path on from any block must
  // fit in the slice, or the region leaves at the pc (slice-room.ts).
  const room = sliceRoom(sorted, w, selfLoops, targets, ends);
  // V8 peels this loop when it holds no other (its first turn compiled twice): kept from that by an
  // empty inner loop, TurboFan's work fell 5.6% but jpeg's steady run took 2.7% more instructions.
  c.block().block();
  const dispatchAt = c.body.length;
  c.loop();
  if (room.dispatch !== 0) c.get(s).i32(room.dispatch).op(Op.I32Add).get(END).op(Op.I32GtS).brIf(1);
  c.block();
  for (let j = n - 1; j >= 0; j--) c.block();
  // Dispatch: to the label of the block that starts at pc (wasm-dispatch.ts); a warm case's first block first.
  // Asked for hot regions too (no branch only warm cases take): V8 optimizes this function on hot
  // regions first, and a call it had never seen run threw that code away at a program's first warm case.
  const entry = w.caseAt(blocks[0].start);
  emitDispatch(c, PC, starts, parts.warm ? entry : -1);

  // One site for every straight-line instruction: its pc is set for each.
  const site: Site = {
    code: c, registers, memoryRegisters: scratch < 0 ? undefined : { base: xBase, scratch }, offset, pc: 0, exit: w.exit, ramBase: ram.base, ramSize: ram.size,
    writeBarrierOffset: ram.writeBarrierOffset, readWatchedOffset: ram.readWatchedOffset, watchingReads: m.watchingReads,
  };
  for (let j = 0; j < n; j++) writeBlock(w, site, sorted[j], j, selfLoops[j], room.checks[j], parts.warm, switchTarget);
  // A warm case that never goes back through the dispatch (most go on forward only) has a block there
  // instead of the loop: Liftoff, which runs nearly all of a case's calls, spills every local and
  // parameter at a loop's start and reads each from its stack slot at every use after it. (A warm case's
  // returns and calls through a register leave through $default, its calls in region-calls.ts are none.)
  // No load, store or call that warm cases reach only (backJumps read first here): V8 optimizes this
  // on hot regions, and one it had no feedback for threw that code away at a process's first warm case
  // (bench/statemachine after 9 programs: ~55 ms of TurboFan compiling it again).
  c.body.patch(dispatchAt, w.backJumps || !parts.warm ? LOOP : BLOCK);
  c.end(); // $default: the pc is outside the region
  c.br(2).end();
  c.end(); // $return
  // No chaining on from here (no local for a flag): a hot region takes the steps at entry as this many; a
  // warm case, counting in its steps parameter (a local fewer: Liftoff zeroes every local at each call
  // beyond six), sets the slice's end to 0 (every path to $chain took a step within it: the end is >= 1).
  c.body.two(GET_OR_CONST[parts.warm ? 1 : 0], parts.warm ? 0 : s);
  c.set(parts.warm ? END : STEPS);
  c.end(); // $chain
  storeRegisters(c, registers, written, file);
  // Chain on only after a step: a region entered where it has no block (never, unless an invariant
  // broke) returns, so that the run loop's interpreter goes first (a warm case's dispatch: to $return).
  c.get(parts.warm ? END : s);
  if (s !== STEPS) c.get(STEPS).op(Op.I32Ne);
  c.if();
  chainOut(c, ram, parts.regionType, { pc: PC, steps: s, end: END, offset, id: regionId }, switches ? -1 : parts.chainer);
  c.end();
  const exits = file.base + REGISTERS_BYTES; // from the register file's address
  c.body.two(file.op, file.local);
  c.get(s).mem(Mem.I32Store, exits + 4 * EXIT_STEPS);
  // The chain's entry (WasmChain.run) cleared both words; only the region that returns writes them.
  if (w.slowExits) { c.body.two(file.op, file.local); c.get(slow).mem(Mem.I32Store, exits + 4 * EXIT_SLOW); }
  // Returning at the target of its switch: a case no compiled code runs yet (see warm-cases.ts).
  if (switches) {
    c.body.two(file.op, file.local);
    c.get(PC).get(switchTarget).op(Op.I32Eq);
    if (w.slowExits) c.get(slow).op(Op.I32Eqz).op(Op.I32And);
    c.mem(Mem.I32Store, exits + 4 * EXIT_SWITCH);
  }
  c.get(PC);
  return { code: c, sorted, room: room.entry };
}

/**
 * Block j's code (see the top of this file), after the end of its label: `check` is the steps its slice
 * check asks for (0: none, slice-room.ts), `switchTarget` the local that keeps a switch's target. A
 * function of its own, not a closure per block: see region-writer.ts. Each pc is counted from the start,
 * signed (as the store's), not read from the block's `pcs` (a list made at first use, of heap numbers above 2^31).
 */
function writeBlock(w: RegionWriter, site: Site, block: RegionBlock, j: number, selfLoop: boolean, check: number, warm: boolean, switchTarget: number): void {
  const c = w.c;
  const { s, end: END } = w.l;
  c.end();
  const decoded = block.decoded!;
  const count = decoded.length;
  w.startBlock(j, selfLoop);
  if (selfLoop) c.loop();
  // A loop on itself checks at each turn, for the longest path on from here; so do blocks where a
  // path from the last check would grow too long (slice-room.ts).
  if (check !== 0) {
    c.get(s).i32(check).op(Op.I32Add).get(END).op(Op.I32GtS).if();
    w.leave(block.start, 1);
    c.end();
  }
  const bases = w.bases;
  for (let i = 0, next = block.start | 0; i < count; i++) {
    const d = decoded[i], pc = next; next = (next + (d !== undefined ? d.length : 4)) | 0;
    const k = d !== undefined ? kindOf(d) : undefined;
    const kind = k !== undefined ? k.kind : Kind.Other;
    // Straight-line code that neither accesses memory nor leaves first (statemachine's warm cases: ~9,800 of ~11,600
    // instructions), with the fewest tests and no slow exit's place set (cold code; bench/LOG.md, session 30).
    if (kind > Kind.Store && kind <= Kind.Fence) {
      if (bases.known !== 0 || kind === Kind.Lui) bases.after(d, kind); // else nothing to forget or learn: no call (cold code)
      site.pc = pc; emitWasmInstruction(d!, k!, site);
    } else {
      w.exitIndex = i; w.exitPc = pc;
      const clint = d !== undefined && k !== undefined && (kind === Kind.Load || kind === Kind.Store) ? bases.clintAddress(d, k) : undefined;
      if (bases.known !== 0 || kind === Kind.Lui) bases.after(d, kind);
      if (d !== undefined && clint !== undefined) {
        // A timer tick's mtime read or new deadline (wasm-timer.ts): outcome 2, the slice end moved.
        emitClintAccess(w, d, pc >>> 0, i, clint);
      } else if (d !== undefined && k !== undefined && k.kind <= Kind.Fence) {
        site.pc = pc;
        // Loads and stores through one base register are checked once (a trap handler's register saves).
        const group = k.kind === Kind.Load || k.kind === Kind.Store ? accessGroup(decoded, i, k, w.plain) : 1;
        if (group === 1) emitWasmInstruction(d, k, site);
        else { emitAccessGroup(decoded, i, group, site); for (let m = 1; m < group; m++) { bases.after(decoded[i + m], Kind.Load /* an access: no lui */); next = (next + decoded[i + m]!.length) | 0; } i += group - 1; }
      } else {
        // The block's last instruction: a function of its own, for a short loop body (V8 charges its whole
        // body at each turn towards optimizing this function; bench/LOG.md, session 17 locals helper).
        writeBlockEnd(w, d, k, pc, i, count, warm, switchTarget);
        break;
      }
    }
    // A block that ends without a jump of its own (a page's or the length limit's end) falls through.
    if (i === count - 1) { w.addSteps(count); w.goTo(block.end, 0, true); }
  }
  if (selfLoop) c.end();
}

/** The code of the instruction `d` at `pc` (signed) that ends a block of `count` (see writeBlock). */
function writeBlockEnd(w: RegionWriter, d: Decoded | undefined, k: WasmKind | undefined, pc: number, i: number, count: number, warm: boolean, switchTarget: number): void {
  const c = w.c;
  const PC = w.l.pc;
  const name = d?.spec.name;
  const next = (pc + (d?.length ?? 4)) >>> 0;
  if (d !== undefined && k !== undefined && k.kind === Kind.Branch) {
    w.addSteps(count);
    w.compare(d.rs1, d.rs2, k.op);
    w.goTo((pc + d.imm) >>> 0, 1, false);
    c.end();
    w.goTo(next, 0, true);
  } else if (d !== undefined && k !== undefined && k.kind === Kind.Jal) {
    if (d.rd !== 0) { c.i32(next | 0); w.write(d.rd); }
    w.addSteps(count);
    w.goTo((pc + d.imm) >>> 0, 0, false);
  } else if (d !== undefined && k !== undefined && k.kind === Kind.Jalr) {
    w.read(d.rs1); c.i32(d.imm).op(Op.I32Add).i32(-2).op(Op.I32And).set(PC);
    if (d.rd === 0 && d.rs1 !== RA) c.get(PC).set(switchTarget);
    if (d.rd !== 0) { c.i32(next | 0); w.write(d.rd); }
    w.addSteps(count);
    // A warm case's returns and calls through a register leave it: straight to the chain.
    // (One subtraction for both: an arithmetic V8 had seen only on hot regions threw writeBlock away.)
    c.br(w.dispatchDepth - (warm ? 1 : 0));
  } else if (d !== undefined && name !== undefined && name.startsWith('csrr') && csrRunsInRegion(d)) {
    // Critical sections (csrc/csrs mstatus, 8) and trap handlers' CSRs stay in the region: see wasm-csr.ts.
    emitCsr(w, d, pc >>> 0, i, count, next);
  } else if (d !== undefined && (name === 'ecall' || name === 'mret')) {
    // System calls and returns from traps stay in the region too (wasm-csr.ts).
    emitTrapCall(w, d, pc >>> 0, i, count);
  } else if (d !== undefined && name === 'wfi') {
    // An idle task's wfi stays in the region (wasm-csr.ts).
    emitWait(w, pc >>> 0, i, count, next);
  } else {
    // Anything else: the interpreter runs it, outside the region.
    w.slowExit(0);
  }
}
