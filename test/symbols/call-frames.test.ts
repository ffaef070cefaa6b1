/** .debug_frame CFI against `objdump --dwarf=frames-interp`: every row of every FDE. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { CallFrames, FrameRow } from '../../debugger/symbols/call-frames';
import { ABI_NAMES, frameTable } from './objdump-output';
import { EXAMPLES, examplePath } from './examples';

/** Our row in objdump's notation: CFA "sp+16", registers "c-4" (saved at CFA-4) or "u" (no rule). */
function cfaText(row: FrameRow): string {
  return row.cfa.kind === 'register' ? `${ABI_NAMES[row.cfa.register]}+${row.cfa.offset}` : 'exp';
}
function registerText(row: FrameRow, name: string): string {
  const rule = row.registers.get(ABI_NAMES.indexOf(name));
  if (!rule || rule.kind === 'undefined') return 'u';
  if (rule.kind === 'offset') return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
  if (rule.kind === 'sameValue') return 's';
  return rule.kind;
}

for (const name of EXAMPLES) {
  test(`every CFI row of ${name} matches objdump`, () => {
    const path = examplePath(name);
    const frames = new CallFrames(parseElf(readFileSync(path)).section('.debug_frame')?.data ?? new Uint8Array(0));
    assert.deepEqual(frames.problems, []);
    const fdes = frameTable(path);
    if (name.startsWith('uart/')) {
      assert.equal(fdes.length, 0, 'uart.S has no CFI');
      assert.equal(frames.fdes.length, 0);
      return;
    }
    assert.ok(fdes.length > 3, `objdump found only ${fdes.length} FDEs`);
    assert.equal(frames.fdes.length, fdes.length);
    let rows = 0;
    for (const fde of fdes) {
      if (fde.low === 0) continue; // a function the linker discarded: its FDE is left at address 0
      assert.equal(frames.fdeAt(fde.low)?.high, fde.high, `FDE at 0x${fde.low.toString(16)}`);
      fde.rows.forEach((expected, i) => {
        // objdump prints a row at the FDE's end when the program advances there: it covers no code.
        if (expected.location >= fde.high) return;
        // The row holds from its location up to the next row's.
        const end = fde.rows[i + 1]?.location ?? fde.high;
        for (const pc of [expected.location, end - 1]) {
          const row = frames.rowAt(pc);
          assert.ok(row, `no row at 0x${pc.toString(16)}`);
          assert.equal(cfaText(row), expected.cfa, `CFA at 0x${pc.toString(16)}`);
          for (const [register, text] of expected.registers) {
            assert.equal(registerText(row, register), text, `${register} at 0x${pc.toString(16)}`);
          }
        }
        rows++;
      });
    }
    assert.ok(rows > 10);
    assert.equal(frames.rowAt(0x10), undefined, 'no FDE covers address 0x10');
  });
}
