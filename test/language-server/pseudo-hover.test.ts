/**
 * Every pseudo-instruction's hover, checked against the table: the expansion the assembler uses, and
 * operands described as what they are (`la` loads an address anywhere, it does not jump; `call`
 * reaches ±2 GiB, not the 21 bits of `jal`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { PSEUDO_INSTRUCTIONS } from '../../emulator/isa/instructions';
import { LspClient, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;
const URI = uriOf(join(WORKSPACE, 'scratch', 'pseudo-hover.S'));
const TEXT = PSEUDO_INSTRUCTIONS.map((p) => `    ${p.name}`).join('\n');

before(async () => {
  client = await LspClient.start();
  client.open(URI, TEXT);
});
after(() => client.stop());

async function hoverOn(line: number): Promise<string> {
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: { line, character: 5 } });
  return hover ? (hover.contents as MarkupContent).value : '';
}

test('every pseudo-instruction hover shows its expansion and describes each operand', async () => {
  for (const [line, pseudo] of PSEUDO_INSTRUCTIONS.entries()) {
    const text = await hoverOn(line);
    assert.ok(text.includes(`Pseudo-instruction: \`${pseudo.expansion}\``), `${pseudo.name}: ${text}`);
    if (pseudo.operands !== 'any') {
      for (const kind of new Set(pseudo.operands)) assert.match(text, /- `[^`]+`: \S/, `${pseudo.name} describes ${kind}`);
    }
    // Only what expands to a plain jal or branch has a jal/branch-sized reach.
    if (/auipc/.test(pseudo.expansion)) assert.doesNotMatch(text, /21-bit|13-bit/, `${pseudo.name} reaches ±2 GiB: ${text}`);
  }
});

test('la: the address of a symbol, loaded pc-relatively, not a jump', async () => {
  const la = await hoverOn(PSEUDO_INSTRUCTIONS.findIndex((p) => p.name === 'la'));
  assert.match(la, /^```riscv-asm\nla rd, symbol\n```/);
  assert.match(la, /`symbol`: the symbol whose address is loaded: a label, a C global or a linker-script symbol, anywhere within ±2 GiB/);
  assert.doesNotMatch(la, /jump/);
  const call = await hoverOn(PSEUDO_INSTRUCTIONS.findIndex((p) => p.name === 'call'));
  assert.match(call, /`symbol`: the function or label to reach, anywhere within ±2 GiB of the instruction \(auipc \+ jalr\)/);
  const neg = await hoverOn(PSEUDO_INSTRUCTIONS.findIndex((p) => p.name === 'neg'));
  assert.match(neg, /neg rd, rs1/);
});
