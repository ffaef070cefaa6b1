/**
 * Unwinding and variable values on the real Machine: bug.elf stopped at the `// #BP_...` markers; the
 * frames must be the source's call chain with return addresses just after the calls, and the values
 * read through `locate` (in every frame, registers recovered by CFI) must be what the program uses and
 * prints. uart.elf (assembly, no CFI) unwinds from its code: ra in a leaf, the prologue's stack slots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { examplePath, exampleSymbols, markerLine } from './examples';
import { int32, readLocation, runToBreakpoint, startMachine, viewOf } from './machine-view';

const BUG_C = examplePath('bug/bug.c');

function lineOf(source: string, text: string, after = 0): number {
  const lines = readFileSync(source, 'utf8').split('\n');
  const i = lines.findIndex((l, n) => n >= after && l.includes(text));
  if (i < 0) throw new Error(`${source} no longer contains "${text}"`);
  return i + 1;
}

test('at #BP_CORRUPT the stack is remember ← post ← main ← start-up, with every posting and loop index right', () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const { machine } = startMachine(examplePath('bug/bug.elf'));
  const at = symbols.resolveLine(BUG_C, markerLine(BUG_C, '#BP_CORRUPT'))!;
  machine.setBreakpoints(at.addresses);
  const bank = symbols.addressOf('bank')!;
  const journal = symbols.addressOf('journal')!;
  const journalBytes = machine.peek(journal, 16 * 8);
  const amountOf = (k: number): number => new DataView(journalBytes.buffer).getInt32(k * 8 + 4, true);
  const accountOf = (k: number): number => journalBytes[k * 8];

  for (let k = 0; k < 16; k++) {
    runToBreakpoint(machine);
    const view = viewOf(machine);
    const frames = symbols.unwind(view);
    const names = frames.map((f) => f.function?.name);
    assert.deepEqual(names.slice(0, 3), ['remember', 'post', 'main'], `hit ${k}: ${names.join(' ← ')}`);
    assert.ok(names.length >= 4 && names.length <= 8, `the chain goes on into the start-up code and ends: ${names.join(' ← ')}`);
    assert.ok(names.includes('_start') || names.includes('_cstart'), names.join(' ← '));
    assert.equal(frames[0].pc, view.pc);
    assert.equal(frames[0].location?.line, markerLine(BUG_C, '#BP_CORRUPT'));
    // Outer frames: the return address, and the call's line.
    assert.equal(frames[1].location?.line, lineOf(BUG_C, 'remember(a, p->amount);'));
    assert.equal(frames[2].location?.line, lineOf(BUG_C, 'post(&bank, &journal[i]);'));
    assert.equal(symbols.functionAt(frames[1].pc - 2)?.name, 'post');
    assert.ok(frames.every((f, i) => i === 0 || f.cfa >= frames[i - 1].cfa), 'CFAs grow outwards');
    // The callers' sp is the callee's CFA, and their ra is gone (the call overwrote it).
    assert.equal(frames[1].register(2), frames[0].cfa);
    assert.equal(frames[1].register(1), undefined);

    // Values, in all three frames.
    assert.equal(int32(symbols, frames[0], 'amount', view), amountOf(k), `amount at hit ${k}`);
    assert.equal(int32(symbols, frames[0], 'a', view)! >>> 0, bank + 36 * accountOf(k), `a at hit ${k}`);
    assert.equal(int32(symbols, frames[1], 'p', view)! >>> 0, journal + 8 * k, `p at hit ${k}`);
    assert.equal(int32(symbols, frames[1], 'l', view)! >>> 0, bank, `l at hit ${k}`);
    // main's loop runs on a pointer (s0 = &journal[i], s1 = &bank, per its disassembly); i itself is
    // optimized out inside the loop (its location list covers only the instructions before it). post
    // saved main's s0 and s1 on its stack: CFI finds them there.
    assert.equal(int32(symbols, frames[2], 'i', view), undefined, `main's i at hit ${k}`);
    assert.equal(frames[2].register(8), journal + 8 * k, `main's s0 at hit ${k}`);
    assert.equal(frames[2].register(9), bank, `main's s1 at hit ${k}`);
  }
});

test("at #BP_REPORT, main's difference is what the program prints; globals read through their locations", () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const { machine, console } = startMachine(examplePath('bug/bug.elf'));
  machine.setBreakpoints(symbols.resolveLine(BUG_C, markerLine(BUG_C, '#BP_REPORT'))!.addresses);
  runToBreakpoint(machine);
  const view = viewOf(machine);
  const frames = symbols.unwind(view);
  assert.equal(frames[0].function?.name, 'main');
  const difference = int32(symbols, frames[0], 'difference', view);
  // Without a frame, globals are found all the same. GCC folded the constant bank_name into its uses
  // and left it at DW_OP_addr 0: unavailable, not a read of address 0.
  const global = (name: string) => symbols.globals().find((g) => g.name === name)!;
  assert.deepEqual(symbols.locate(global('bank_name'), undefined, view), { kind: 'unavailable' });
  const busiestBytes = readLocation(symbols.locate(global('busiest'), undefined, view), 4, view)!;
  const busiest = new DataView(busiestBytes.buffer, busiestBytes.byteOffset).getUint32(0, true);
  const owner = Buffer.from(view.readMemory(busiest + 8, 8)).toString().replace(/\0.*$/s, '');
  const bankBytes = readLocation(symbols.locate(global('bank'), undefined, view), 152, view)!;
  const controlTotal = new DataView(bankBytes.buffer, bankBytes.byteOffset).getInt32(144, true);

  const end = machine.run(10_000_000);
  assert.equal(end.kind, 'exit');
  const printed = /balances are off by (-?\d+)/.exec(console.text);
  assert.ok(printed, console.text);
  assert.equal(difference, Number(printed[1]));
  assert.ok(console.text.includes(`busiest account: ${owner}\n`), `${owner} in ${console.text}`);
  assert.ok(console.text.includes(`postings, control total ${controlTotal}\n`), `${controlTotal} in ${console.text}`);
});

test('assembly without CFI: a leaf unwinds through ra, a function with a prologue through its stack slots', () => {
  const symbols = exampleSymbols('uart/uart.elf');
  const { machine } = startMachine(examplePath('uart/uart.elf'));
  const putc = symbols.functionNamed('uart_putc')!;
  const puts = symbols.functionNamed('uart_puts')!;
  machine.setBreakpoints([putc.low]);
  runToBreakpoint(machine);
  let frames = symbols.unwind(viewOf(machine));
  assert.deepEqual(frames.map((f) => f.function?.name), ['uart_putc', 'uart_puts', '_start']);
  const source = examplePath('uart/uart.S');
  assert.equal(frames[1].location?.line, lineOf(source, 'call uart_putc', lineOf(source, 'uart_puts:')));
  assert.equal(frames[1].pc, machine.x[1] >>> 0);
  // uart_puts saved ra 12 bytes into its 16-byte frame: _start's pc comes from there, its sp is the CFA.
  const sp = machine.x[2] >>> 0;
  assert.equal(frames[1].cfa, sp + 16);
  assert.equal(frames[2].pc, new DataView(machine.peek(sp + 12, 4).buffer).getUint32(0, true));
  assert.equal(symbols.functionAt(frames[2].pc - 2)?.name, '_start');

  // One instruction in (the device poll loop), ra still holds the return address: the same stack.
  machine.setBreakpoints([]);
  machine.run(1);
  frames = symbols.unwind(viewOf(machine));
  assert.deepEqual(frames.map((f) => f.function?.name), ['uart_putc', 'uart_puts', '_start']);
  assert.ok(puts.low < frames[1].pc && frames[1].pc < puts.high);
});
