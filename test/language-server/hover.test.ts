/**
 * Hover, over LSP against the server process, on the fixture workspace (a start-up file, a UART
 * library, a program using both, a header, a linker script and a C file).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LspClient, positionOf, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;
const CRT0 = join(WORKSPACE, 'startup', 'crt0.S');
const GREETING = join(WORKSPACE, 'app', 'greeting.S');
const UART = join(WORKSPACE, 'lib', 'uart.S');
const SCRATCH = uriOf(join(WORKSPACE, 'scratch', 'hover.S'));
const SCRATCH_TEXT = [
  '    c.addi4spn a0, sp, 16',
  '    amoswap.w.aqrl a0, a1, (a2)',
  '    csrrw a0, mstatus, a1',
  '    rdcycle a0',
  '    mret',
  '    li a0, 0x12345678',
  '    csrr a1, cycle',
  '    mv fp, x10',
  '    lui a0, %hi(buffer)',
  '    .word 1',
  '1:  j 1b   # addi in a comment',
  'buffer: .zero 4',
].join('\n');

before(async () => {
  client = await LspClient.start();
  client.openFile(CRT0);
  client.openFile(GREETING);
  client.openFile(UART);
  client.open(SCRATCH, SCRATCH_TEXT);
});
after(() => client.stop());

async function hoverText(path: string | undefined, uri: string, marker: string, word = marker, occurrence = 0): Promise<string> {
  const text = path ? readFileSync(path, 'utf8') : SCRATCH_TEXT;
  const position = positionOf(text, marker, word, occurrence);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  return hover ? (hover.contents as MarkupContent).value : '';
}

test('hover on a mnemonic shows its operands, what it does, its format and extension, from the table', async () => {
  const text = await hoverText(CRT0, uriOf(CRT0), 'addi t0, t0, 4', 'addi');
  assert.match(text, /addi rd, rs1, imm12/);
  assert.match(text, /rd = rs1 \+ imm/);
  assert.match(text, /RV32I base integer instruction set · I-type · 32-bit/);
  assert.match(text, /`imm12`: a signed 12-bit immediate \(in -2048\.\.2047\)/);
});

test('hover on compressed, atomic, CSR, privileged and pseudo-instructions names their extension', async () => {
  const compressed = await hoverText(undefined, SCRATCH, 'c.addi4spn');
  assert.match(compressed, /c\.addi4spn rd', sp, cnzuimm10/);
  assert.match(compressed, /C extension .* 16-bit, expands to `addi`/);
  const atomic = await hoverText(undefined, SCRATCH, 'amoswap.w.aqrl');
  assert.match(atomic, /A extension/);
  assert.match(atomic, /Ordering suffixes/);
  assert.match(await hoverText(undefined, SCRATCH, 'csrrw'), /Zicsr extension/);
  assert.match(await hoverText(undefined, SCRATCH, 'mret'), /privileged architecture/);
  const pseudo = await hoverText(undefined, SCRATCH, 'rdcycle');
  assert.match(pseudo, /Pseudo-instruction: `csrrs rd, cycle, x0`/);
  assert.match(await hoverText(undefined, SCRATCH, 'li a0'), /any 32-bit constant/);
});

test('hover on a register shows its ABI role and who saves it', async () => {
  const sp = await hoverText(CRT0, uriOf(CRT0), 'la sp, _stack_top', 'sp');
  assert.match(sp, /\*\*sp\*\* \(x2\) — stack pointer/);
  assert.match(sp, /callee-saved/);
  const t0 = await hoverText(CRT0, uriOf(CRT0), 'csrr t0, mhartid', 't0');
  assert.match(t0, /temporary/);
  assert.match(t0, /caller-saved/);
  assert.match(await hoverText(undefined, SCRATCH, 'mv fp', 'fp'), /\*\*fp\*\* \(x8, s0\) — saved register \/ frame pointer/);
  assert.match(await hoverText(undefined, SCRATCH, 'mv fp', 'x10'), /\*\*x10\*\* \(a0\) — function argument \/ return value/);
});

test('hover on a CSR shows its number, description, privilege level and access', async () => {
  const mstatus = await hoverText(undefined, SCRATCH, 'csrrw', 'mstatus');
  assert.match(mstatus, /\*\*mstatus\*\* — CSR 0x300/);
  assert.match(mstatus, /machine status/);
  assert.match(mstatus, /machine level, read\/write/);
  assert.match(await hoverText(undefined, SCRATCH, 'csrr a1, cycle', 'cycle'), /user level, read-only/);
});

test('hover on a directive and on a relocation operator explains them', async () => {
  assert.match(await hoverText(undefined, SCRATCH, '.word'), /emit each expression as 32-bit words/);
  assert.match(await hoverText(undefined, SCRATCH, '%hi', 'hi'), /\*\*%hi\*\*\(symbol\) — upper 20 bits of an absolute address/);
});

test('hover on a symbol says how and where it is defined, in this file or another', async () => {
  assert.match(await hoverText(GREETING, uriOf(GREETING), 'call uart_puts', 'uart_puts'), /global function \*\*uart_puts\*\* in \.text \(uart\.S:\d+\)/);
  assert.match(await hoverText(GREETING, uriOf(GREETING), 'li a0, NEWLINE', 'NEWLINE'), /symbol \*\*NEWLINE\*\* = `10` \(0xa\) \(greeting\.S:2\)/);
  assert.match(await hoverText(UART, uriOf(UART), 'li t0, UART_BASE', 'UART_BASE'), /`#define UART_BASE 0x10000000` \(platform\.h:5\)/);
  assert.match(await hoverText(CRT0, uriOf(CRT0), 'la sp, _stack_top', '_stack_top'), /linker-script symbol \*\*_stack_top\*\* \(link\.ld:\d+\)/);
  assert.match(await hoverText(CRT0, uriOf(CRT0), 'call main', 'main'), /C definition \*\*main\*\* \(main\.c:7\)/);
  assert.match(await hoverText(CRT0, uriOf(CRT0), '__global_pointer$', '__global_pointer$'), /__global_pointer\$/);
});

test('hover on a local label reference names the label it means', async () => {
  assert.match(await hoverText(undefined, SCRATCH, 'j 1b', '1b'), /local label \*\*1:\*\* on line 11/);
});

test('hover in a comment, on punctuation or past the end of the file is empty', async () => {
  assert.equal(await hoverText(undefined, SCRATCH, '# addi in a comment', 'addi'), '');
  assert.equal(await hoverText(undefined, SCRATCH, 'amoswap.w.aqrl', '('), '');
  const far = await client.request('textDocument/hover', { textDocument: { uri: SCRATCH }, position: { line: 999, character: 3 } });
  assert.equal(far, null);
});
