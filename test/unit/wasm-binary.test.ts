/**
 * The hand-written WebAssembly writer (emulator/cpu/wasm/wasm-binary.ts): its number encodings against
 * the spec's examples, and modules it writes that V8 validates, instantiates and runs with the results
 * the instructions define.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bytes, Code, I32, Mem, Op } from '../../emulator/cpu/wasm/wasm-binary';
import { ModuleBuilder } from '../../emulator/cpu/wasm/wasm-module';

const hex = (b: Bytes): string => Buffer.from(b.view()).toString('hex');

test('LEB128 numbers are encoded as the spec shows', () => {
  assert.equal(hex(new Bytes().u32(0)), '00');
  assert.equal(hex(new Bytes().u32(127)), '7f');
  assert.equal(hex(new Bytes().u32(128)), '8001');
  assert.equal(hex(new Bytes().u32(624485)), 'e58e26');
  assert.equal(hex(new Bytes().u32(0xffffffff)), 'ffffffff0f');
  assert.equal(hex(new Bytes().s32(-1)), '7f');
  assert.equal(hex(new Bytes().s32(63)), '3f');
  assert.equal(hex(new Bytes().s32(64)), 'c000');
  assert.equal(hex(new Bytes().s32(-64)), '40');
  assert.equal(hex(new Bytes().s32(-65)), 'bf7f');
  assert.equal(hex(new Bytes().s32(-123456)), 'c0bb78');
  assert.equal(hex(new Bytes().s32(-0x80000000)), '8080808078');
});

/** A module with imported memory and an imported function, and two exported functions. */
function build(reuse = false): Uint8Array {
  const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: 1 });
  const twice = builder.importFunction('m', 'twice', { params: [I32], results: [I32] });
  // sum(n): 1 + 2 + ... + n in a loop, stored at memory address 8, returned after the imported call doubles it.
  const sum = new Code(1);
  const total = sum.local(I32);
  sum.block().loop();
  sum.get(0).op(Op.I32Eqz).brIf(1);
  sum.get(total).get(0).op(Op.I32Add).set(total);
  sum.get(0).i32(1).op(Op.I32Sub).set(0).br(0);
  sum.end().end();
  sum.i32(0).get(total).mem(Mem.I32Store, 8);
  sum.get(total).call(twice);
  builder.define('sum', { params: [I32], results: [I32] }, sum);
  // pick(i): 10, 20 or 30 through br_table (anything out of range: 30); and a signed byte from memory.
  const pick = new Code(1);
  pick.block().block().block();
  pick.get(0).brTable([0, 1], 2);
  pick.end().i32(10).op(Op.Return);
  pick.end().i32(20).op(Op.Return);
  pick.end().i32(4).mem(Mem.I32Load8S).i32(30).op(Op.I32Add);
  builder.define('pick', { params: [I32], results: [I32] }, pick);
  return builder.encode(reuse);
}

test('written modules validate and run as their instructions say', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = build();
  assert.ok(WebAssembly.validate(bytes), 'the module should be valid');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { memory, twice: (v: number) => 2 * v } });
  const sum = instance.exports.sum as (n: number) => number;
  const pick = instance.exports.pick as (i: number) => number;
  assert.equal(sum(100), 10100);
  assert.equal(new Int32Array(memory.buffer)[2], 5050, 'the store should reach the imported memory');
  new Int8Array(memory.buffer)[4] = -1;
  assert.deepEqual([pick(0), pick(1), pick(2), pick(-1)], [10, 20, 29, 29]);
});

test('a tail call through an imported table replaces the frame: a million calls return once, without stack growth', () => {
  // countdown(n, acc): n = 0 returns acc, else tail-calls the function at table[0] with (n - 1, acc + 2).
  const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: 1 });
  builder.importTable('m', 'table', 1);
  const type = builder.typeIndex({ params: [I32, I32], results: [I32] });
  const c = new Code(2);
  c.get(0).op(Op.I32Eqz).if().get(1).op(Op.Return).end();
  c.get(0).i32(1).op(Op.I32Sub).get(1).i32(2).op(Op.I32Add).i32(0).returnCallIndirect(type);
  builder.define('countdown', { params: [I32, I32], results: [I32] }, c);
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(builder.encode()), { m: { memory: new WebAssembly.Memory({ initial: 1 }), table } });
  table.set(0, instance.exports.countdown);
  const countdown = instance.exports.countdown as (n: number, acc: number) => number;
  assert.equal(countdown(1_000_000, 5), 2_000_005, 'a call per step would overflow the stack long before a million');
});

test('functions placed in a table by the instance sit at the imported index, in order, and run', () => {
  const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: 1 });
  builder.importTable('m', 'table', 1);
  builder.placeInTable('m', 'first');
  const type = { params: [I32], results: [I32] };
  // One Code for both: each function's bytes are taken when it is defined.
  const code = new Code(1);
  code.get(0).i32(10).op(Op.I32Add);
  builder.define('plus10', type, code, false);
  code.reset();
  code.get(0).i32(3).op(Op.I32Mul);
  builder.define('times3', type, code, false);
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 8 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(builder.encode()), {
    m: { memory: new WebAssembly.Memory({ initial: 1 }), table, first: 5 },
  });
  assert.deepEqual(Object.keys(instance.exports), [], 'nothing exported');
  assert.equal(table.get(4), null);
  assert.equal((table.get(5) as (n: number) => number)(7), 17);
  assert.equal((table.get(6) as (n: number) => number)(7), 21);
  assert.equal(table.get(7), null);
});

test('an imported function that no code calls is left out of the module, and the functions after it keep working', () => {
  const make = (calls: boolean): WebAssembly.Module => {
    const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: 1 });
    const twice = builder.importFunction('m', 'twice', { params: [I32], results: [I32] });
    const c = new Code(1);
    c.get(0).i32(1).op(Op.I32Add);
    if (calls) c.call(twice);
    builder.define('next', { params: [I32], results: [I32] }, c);
    return new WebAssembly.Module(builder.encode());
  };
  const memory = new WebAssembly.Memory({ initial: 1 });
  // Without `twice` to import, only the module that calls it fails to instantiate.
  const unused = new WebAssembly.Instance(make(false), { m: { memory } });
  assert.equal((unused.exports.next as (n: number) => number)(4), 5);
  assert.throws(() => new WebAssembly.Instance(make(true), { m: { memory } }), /twice/);
  const used = new WebAssembly.Instance(make(true), { m: { memory, twice: (v: number) => 2 * v } });
  assert.equal((used.exports.next as (n: number) => number)(4), 10);
});

test('a module encoded into the reused buffers is byte for byte the same, module after module', () => {
  const fresh = build();
  // The first takes new buffers, the next the ones the first gave back (its bodies, the output).
  assert.deepEqual(Buffer.from(build(true)), Buffer.from(fresh));
  assert.deepEqual(Buffer.from(build(true)), Buffer.from(fresh));
  // Locals, depths and constants past one byte take the writer's longer paths: the same bytes as LEB128 says.
  const wide = (reuse: boolean): Uint8Array => {
    const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: 1 });
    const c = new Code(1);
    let last = 0;
    for (let i = 0; i < 200; i++) last = c.local(I32);
    c.i32(-0x80000000).set(last).get(last).tee(130).i32(64).op(Op.I32Add).i32(-65).op(Op.I32Add).set(0);
    c.get(0).i32(0).mem(Mem.I32Load, 4096).op(Op.I32Add);
    builder.define('f', { params: [I32], results: [I32] }, c);
    return builder.encode(reuse);
  };
  const expected = Buffer.from(wide(false));
  assert.ok(WebAssembly.validate(expected));
  assert.ok(expected.includes(Buffer.from([0x21, 0xc8, 0x01])), 'local.set 200 as a two-byte index');
  assert.deepEqual(Buffer.from(wide(true)), expected);
  assert.deepEqual(Buffer.from(build(true)), Buffer.from(fresh));
});
