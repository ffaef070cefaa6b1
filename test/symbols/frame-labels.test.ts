/**
 * Frames in assembly are named by the nearest label before their code, local labels included, as gdb
 * names them: the kernel example's M-mode trap handler is `machine_trap` (and its `machine_exception`
 * part), not `_start`, the only global label before it. Stepping still takes `_start` as the function
 * that holds that code (a local label does not start a function).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameName } from '../../debugger/frame-name';
import { examplePath, exampleSymbols } from './examples';
import { runToBreakpoint, startMachine, viewOf } from './machine-view';

test('a frame in the kernel\'s M-mode trap handler is named by its label, and the trap frame follows', () => {
  const symbols = exampleSymbols('kernel/kernel.elf');
  const { machine } = startMachine(examplePath('kernel/kernel.elf'));
  const exception = symbols.addressOf('machine_exception')!;
  // The second instruction of machine_exception (after a compressed `li`): set_timer's ecall from S-mode.
  machine.setBreakpoints([exception + 2]);
  runToBreakpoint(machine);
  const frames = symbols.unwind(viewOf(machine));
  const names = frames.map((f) => frameName(f, symbols));
  assert.equal(names[0], 'machine_exception', names.join(' ← '));
  assert.match(names[1], /^<trap: environment call from S-mode, handled in M-mode> at 0x[0-9a-f]{8}$/);
  assert.equal(names[2], 'set_timer', 'the S-mode code that made the call has a sized function');
  assert.equal(symbols.functionAt(exception + 2)?.name, '_start', 'stepping still sees the global label\'s span');
});

test('a label names code only within its own section', () => {
  const symbols = exampleSymbols('kernel/kernel.elf');
  assert.equal(symbols.labelAt?.(symbols.addressOf('machine_trap')! + 2), 'machine_trap');
  assert.equal(symbols.labelAt?.(symbols.addressOf('supervisor_trap')!), 'supervisor_trap');
  // Past the end of the code, in data: no code label names it.
  assert.equal(symbols.labelAt?.(symbols.addressOf('switches')!), undefined);
});
