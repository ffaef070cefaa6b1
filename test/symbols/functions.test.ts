/** Functions against objdump's DIE dump (every subprogram's name and range) and the ELF symbols of assembly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dieDump } from './objdump-output';
import { objdumpSubprograms as subprograms } from './dwarf-comparison';
import { EXAMPLES, examplePath, exampleSymbols } from './examples';

for (const name of EXAMPLES) {
  test(`every subprogram of ${name} is found with its name and range`, () => {
    const symbols = exampleSymbols(name);
    const expected = subprograms(dieDump(examplePath(name)));
    if (name.startsWith('uart/')) assert.equal(expected.length, 0, 'uart.S has no DWARF functions');
    else assert.ok(expected.length > 3, `objdump found only ${expected.length} subprograms`);
    for (const f of expected) {
      for (const pc of [f.low, f.high - 1]) {
        // libgcc's save/restore routines nest (__riscv_save_4 is an entry into __riscv_save_12): the
        // innermost (latest start) is the one to name.
        const containing = expected.filter((e) => pc >= e.low && pc < e.high);
        const innermost = containing.reduce((a, b) => (b.low > a.low ? b : a));
        const found = symbols.functionAt(pc);
        assert.deepEqual(found && { low: found.low, high: found.high }, { low: innermost.low, high: innermost.high },
          `functionAt(0x${pc.toString(16)})`);
        // Aliases (__riscv_save_4 … _7 share one range): any of their names will do.
        const aliases = containing.filter((e) => e.low === innermost.low && e.high === innermost.high).map((e) => e.name);
        assert.ok(found && aliases.includes(found.name), `functionAt(0x${pc.toString(16)}) is ${found?.name}, not one of ${aliases.join(', ')}`);
      }
      assert.ok(symbols.functionNamed(f.name), `functionNamed(${f.name})`);
    }
  });
}

test('bug.c functions have their declarations and are found by name', () => {
  const symbols = exampleSymbols('bug/bug.elf');
  for (const fn of ['main', 'remember', 'post', 'audit', 'open_bank', 'open_account', 'print_statement']) {
    const info = symbols.functionNamed(fn);
    assert.ok(info, fn);
    assert.equal(info.declaration?.file, examplePath('bug/bug.c'), fn);
    assert.equal(symbols.addressOf(fn), info.low, `addressOf(${fn})`);
    assert.deepEqual(symbols.symbolAt(info.low + 2), { name: fn, offset: 2 });
  }
  assert.equal(symbols.addressOf('no_such_symbol'), undefined);
  assert.ok(symbols.addressOf('bank'));
  assert.equal(symbols.symbolAt(symbols.addressOf('bank')! + 40)?.name, 'bank');
});

test('assembly without DWARF functions: functions come from global labels, local labels stay inside them', () => {
  const symbols = exampleSymbols('uart/uart.elf');
  const start = symbols.functionNamed('_start');
  const putc = symbols.functionNamed('uart_putc');
  const puts = symbols.functionNamed('uart_puts');
  assert.ok(start && putc && puts);
  assert.equal(start.low, 0x80000000);
  // fib_loop and halt are local labels inside _start: they do not end it.
  assert.equal(start.high, putc.low);
  assert.equal(symbols.functionAt(0x80000018)?.name, '_start');
  assert.equal(symbols.functionAt(putc.low + 2)?.name, 'uart_putc');
  assert.equal(symbols.symbolAt(putc.low + 4)?.name, 'uart_putc');
  assert.equal(symbols.locationAt(putc.low)?.file, examplePath('uart/uart.S'));
});
