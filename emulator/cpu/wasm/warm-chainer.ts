/**
 * The chain-on that warm cases share (wasm-chain.ts chainFunction): one function for a chain, in a small
 * module of its own compiled as V8 compiles any module, which every warm module imports and tail-calls.
 * Warm modules stay in Liftoff's code (warm-tiering.ts), and until session 26 each had its own copy of
 * this function there too: the map lookup and the tail call of nearly every case's exit (bench/statemachine
 * ~1.5M a run) ran in Liftoff's code, its locals in stack slots. Imported, it reaches TurboFan once its
 * calls have used up V8's budget, and a warm module has one function fewer to compile.
 */
import { Ram } from '../../memory/ram';
import { ModuleBuilder } from './wasm-module';
import { chainFunction, REGION_TYPE, WasmChain } from './wasm-chain';

/** The shared chain-on of each chain, made at its first warm module. */
const chainers = new WeakMap<WasmChain, unknown>();

/** The chain-on warm modules of `chain` (whose RAM is `ram`) import. */
export function sharedChainer(chain: WasmChain, ram: Ram): unknown {
  let chainer = chainers.get(chain);
  if (chainer === undefined) {
    const builder = new ModuleBuilder(chain.memory);
    builder.importTable('m', 'table', 1);
    builder.define('chain', REGION_TYPE, chainFunction(ram, builder.typeIndex(REGION_TYPE)));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(builder.encode()), { m: { memory: ram.memory, table: chain.table } });
    chainer = instance.exports.chain;
    chainers.set(chain, chainer);
  }
  return chainer;
}
