/**
 * The Disassembly view is objdump quality: every instruction of the bug example's code reads as
 * riscv64-unknown-elf-objdump prints it (pseudo-instructions, `<symbol+0x..>` on targets, `# <busiest>`
 * notes on auipc pairs), and overlapping requests around a far-away pc agree row by row.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, EXAMPLES, launchAndStop, markerLine, record, startClient, travel } from './fixture';

let dc: DebugClient;

before(async () => {
  dc = await startClient();
  await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
    () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_CORRUPT') }] }));
});
after(() => dc.stop());

interface ObjdumpRow { address: number; bytes: string; text: string }

/** objdump's rows for the ELF's code, its 2.40 spelling of immediate forms (`add a5,a5,4`) as the ISA names them (`addi`). */
function objdump(elf: string): ObjdumpRow[] {
  const out = execFileSync('riscv64-unknown-elf-objdump', ['-d', elf], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const rows: ObjdumpRow[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]+)\s*\t(\S+)(?:\t(.*))?$/.exec(line);
    if (!m) continue;
    let mnemonic = m[3];
    const operands = m[4] ?? '';
    const last = operands.split(' ')[0].split(',').pop() ?? '';
    if (['add', 'sll', 'srl', 'sra', 'and', 'or', 'xor', 'slt', 'sltu'].includes(mnemonic) && /^-?(0x)?[0-9a-f]+$/.test(last) && !/^[a-z]/.test(last)) {
      mnemonic = mnemonic === 'sltu' ? 'sltiu' : `${mnemonic}i`;
    }
    const word = m[2];
    const bytes = (word.match(/../g) ?? []).reverse().join(' ');
    rows.push({ address: parseInt(m[1], 16), bytes, text: operands ? `${mnemonic} ${operands}` : mnemonic });
  }
  return rows;
}

test('every instruction of the bug example reads as objdump prints it', async () => {
  const expected = objdump(join(EXAMPLES, 'bug/bug.elf'));
  assert.ok(expected.length > 3000);
  const got = (await dc.disassembleRequest({ memoryReference: `0x${expected[0].address.toString(16)}`, instructionCount: expected.length + 200 })).body!.instructions;
  const mismatches: string[] = [];
  let k = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    // objdump writes "..." for zero-filled padding between functions: those rows are c.unimp here.
    while (k < got.length && parseInt(got[k].address, 16) < e.address) {
      if (got[k].instruction !== 'unimp') mismatches.push(`${got[k].address}: Rewind "${got[k].instruction}" where objdump skips zero padding`);
      k++;
    }
    const g = got[k++];
    const line = `${e.address.toString(16)}: objdump "${e.text}" (${e.bytes}), Rewind "${g.instruction}" (${g.instructionBytes}) at ${g.address}`;
    if (parseInt(g.address, 16) !== e.address || g.instructionBytes !== e.bytes || g.instruction !== e.text) mismatches.push(line);
  }
  assert.deepEqual(mismatches.slice(0, 20), []);
  const text = got.map((g) => g.instruction).join('\n');
  assert.match(text, /^jal [0-9a-f]+ <remember>$/m);
  assert.match(text, /^lw a5,-?\d+\(a5\) # [0-9a-f]+ <busiest>$/m);
  for (const pseudo of ['mv', 'li', 'ret', 'j', 'beqz', 'bnez', 'neg', 'seqz', 'not', 'csrr', 'zext.b']) {
    assert.match(text, new RegExp(`^${pseudo.replace('.', '\\.')}\\b`, 'm'), `${pseudo} appears`);
  }
});

test('rows are stable: windows around a far pc agree with each other and end on the pc', async () => {
  // A long jump: to the last step of the recording, far from where the view was.
  const last = (await dc.customRequest('rewind/info')).body.lastStep as number;
  await travel(dc, () => dc.customRequest('rewind/seek', { step: last - 3 }));
  const pc = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].instructionPointerReference!;
  const windows: DebugProtocol.DisassembledInstruction[][] = [];
  for (const [instructionOffset, instructionCount] of [[-50, 100], [-7, 20], [-1, 3], [0, 10], [-200, 250]]) {
    const rows = (await dc.disassembleRequest({ memoryReference: pc, instructionOffset, instructionCount })).body!.instructions;
    assert.equal(rows.length, instructionCount);
    assert.equal(rows[-instructionOffset].address, pc, `window ${instructionOffset}/${instructionCount} holds the pc where asked`);
    for (let i = 1; i < rows.length; i++) assert.ok(parseInt(rows[i].address, 16) > parseInt(rows[i - 1].address, 16), 'ascending');
    windows.push(rows);
  }
  const byAddress = new Map<string, string>();
  for (const rows of windows) {
    for (const r of rows) {
      const shown = JSON.stringify([r.instruction, r.instructionBytes, r.line, r.location?.path, r.symbol]);
      assert.equal(byAddress.get(r.address) ?? shown, shown, `row ${r.address} is the same in every window`);
      byAddress.set(r.address, shown);
    }
  }
});

test('rows before an address of 2 GiB and more, where nothing is mapped, are answered (found by the DAP fuzz: it never answered)', async () => {
  // `-1` is 0xffffffff; the anchor before it was computed as a negative number, and decoding from it ran for ever.
  for (const memoryReference of ['-1', '0xffffffff', '0xc0000000']) {
    const rows = (await dc.disassembleRequest({ memoryReference, instructionOffset: -10, instructionCount: 50 })).body!.instructions;
    assert.equal(rows.length, 50, memoryReference);
    assert.ok(rows.every((r) => r.presentationHint === 'invalid' && r.instruction === '(not in memory)'), memoryReference);
  }
});
