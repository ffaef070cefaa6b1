/**
 * Warm blocks in WebAssembly, one small function each, as QEMU makes every translation block: the
 * compiler of the cases of hot switches (which blocks, and when: warm-cases.ts). Each function is in
 * the chain (wasm-chain.ts): the switch's region tail-calls the case, the case the next block, back to
 * the region after the switch.
 *
 * Cheap to make: many blocks are compiled together in one module (one compile, one instance), and each
 * function is small, so that V8's Liftoff code for it is all it ever runs unless it gets hot (V8
 * charges a function's tier-up budget by the size of the code before each return: a small function
 * must be called thousands of times before V8 optimizes it, and then optimizing it takes little). A
 * region made later of hot blocks takes in the warm blocks it reaches (Region.warm), whose functions
 * then go.
 *
 * A block's function (REGION_TYPE: `run(pc, steps, end) -> pc`, pc its start), with the guest's
 * registers in memory rather than locals (nothing to load on entry or to spill where control merges):
 *
 *   if steps + count > end: EXIT_STEPS = steps; return pc      // does not fit in the slice
 *   block $slow
 *     instructions (a load or store off the fast path: pc, steps before it, br $slow)
 *     next pc (the branch, jump or fall-through)
 *     tail-call the region or warm block at next pc, if any (chainOn), else return it
 *   end
 *   slow flag; return the pc of the instruction left to the interpreter
 *
 * Exactness is the regions' (region.ts): a block runs only when it fits in the slice, never calls out,
 * and leaves whatever it cannot run to the interpreter, before that instruction. Blocks that end in
 * anything but a branch, a jump or a straight-line instruction (CSR access, ecall...) stay interpreted.
 */
import { REGISTERS_BYTES } from '../../memory/ram';
import { Region, RegionBlock, RegionHost } from '../region';
import { isStraightLine } from '../region-instructions';
import { Code, I32, memoryImport, ModuleBuilder } from './wasm-binary';
import { BRANCHES, emitWasmInstruction } from './wasm-instructions';
import { chainOn, EXIT_SLOW, EXIT_STEPS, REGION_TYPE, WasmChain } from './wasm-chain';

/** Whether a block can be compiled on its own: every instruction straight-line but a branch or jump at its end. */
export function warmCompilable(block: RegionBlock): boolean {
  const decoded = block.decoded;
  if (decoded === null || decoded.length === 0) return false;
  for (let i = 0; i < decoded.length; i++) {
    const name = decoded[i]?.spec.name;
    if (name === undefined) return false;
    if (isStraightLine(name)) continue;
    if (i !== decoded.length - 1 || !(name in BRANCHES || name === 'jal' || name === 'jalr')) return false;
  }
  return true;
}

/**
 * Compiles `blocks` (each `warmCompilable`) into one module, a function per block, and adds each to the
 * chain; returns each block's region (undefined for one the chain had no room for).
 */
export function compileWarmBlocks(blocks: readonly RegionBlock[], m: RegionHost, chain: WasmChain): Array<Region | undefined> {
  const ram = m.ram;
  const first = chain.reserve(blocks.length);
  if (first === undefined) return blocks.map(() => undefined);
  const builder = new ModuleBuilder(memoryImport('m', 'memory', ram.memory));
  builder.importTable('m', 'table', 1);
  builder.placeInTable('m', 'first');
  const regionType = builder.typeIndex(REGION_TYPE);
  // One Code for all: a function's bytes go into the module as soon as it is defined.
  const c = new Code(3);
  blocks.forEach((block, j) => {
    c.reset();
    blockFunction(c, block, m, regionType);
    builder.define(`b${j}`, REGION_TYPE, c, false);
  });
  // Instantiating puts the functions in the table at ids first, first + 1, ...
  new WebAssembly.Instance(new WebAssembly.Module(builder.encode()), { m: { memory: ram.memory, table: chain.table, first } });
  return blocks.map((block, j) => {
    const id = first + j;
    chain.placed(id, [block]);
    let attached = true;
    const detach = (): void => {
      if (attached) chain.remove(id);
      attached = false;
    };
    return { run: chain.run, blocks: [block], detach, warm: true };
  });
}

function blockFunction(c: Code, block: RegionBlock, m: RegionHost, regionType: number): void {
  const ram = m.ram;
  const decoded = block.decoded!;
  const count = decoded.length;
  const PC = 0, STEPS = 1, END = 2;
  const s = c.local(I32), offset = c.local(I32), id = c.local(I32), scratch = c.local(I32);
  const xBase = ram.size;
  const exitBase = ram.size + REGISTERS_BYTES;
  const memoryRegisters = { base: xBase, scratch };
  const read = (r: number): void => { if (r === 0) c.i32(0); else c.i32(0).mem('i32.load', xBase + 4 * r); };
  const link = (rd: number, next: number): void => { if (rd !== 0) c.i32(0).i32(next | 0).mem('i32.store', xBase + 4 * rd); };

  // The whole block must fit in the slice.
  c.get(STEPS).i32(count).op('i32.add').tee(s).get(END).op('i32.gt_s').if();
  c.i32(0).get(STEPS).mem('i32.store', exitBase + 4 * EXIT_STEPS).get(PC).op('return');
  c.end();
  c.block();
  for (let i = 0; i < count; i++) {
    const d = decoded[i]!;
    const pc = block.pcs[i];
    const name = d.spec.name;
    const next = (pc + d.length) >>> 0;
    if (isStraightLine(name)) {
      emitWasmInstruction(d, {
        code: c, registers: NO_LOCALS, memoryRegisters, offset, pc, ramBase: ram.base, ramSize: ram.size,
        writeBarrierOffset: ram.writeBarrierOffset, readWatchedOffset: ram.readWatchedOffset, watchingReads: m.watchingReads,
        exit: (nesting) => { c.get(STEPS).i32(i).op('i32.add').set(s).i32(pc | 0).set(PC).br(nesting); },
      });
      if (i === count - 1) c.i32(next | 0).set(PC);
    } else if (name in BRANCHES) {
      c.i32(((pc + d.imm) >>> 0) | 0).i32(next | 0);
      read(d.rs1); read(d.rs2); c.op(BRANCHES[name]).op('select').set(PC);
    } else if (name === 'jal') {
      link(d.rd, next);
      c.i32(((pc + d.imm) >>> 0) | 0).set(PC);
    } else {
      // jalr: the target from rs1 before rd is written (they may be the same register).
      read(d.rs1); c.i32(d.imm).op('i32.add').i32(-2).op('i32.and').set(PC);
      link(d.rd, next);
    }
  }
  chainOn(c, ram, regionType, { pc: PC, steps: s, end: END, offset, id });
  c.i32(0).get(s).mem('i32.store', exitBase + 4 * EXIT_STEPS).get(PC).op('return');
  c.end(); // $slow: an instruction left to the interpreter
  c.i32(0).get(s).mem('i32.store', exitBase + 4 * EXIT_STEPS);
  c.i32(0).i32(1).mem('i32.store', exitBase + 4 * EXIT_SLOW);
  c.get(PC);
}

const NO_LOCALS: readonly number[] = [];
