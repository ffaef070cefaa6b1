/** Types and variables against objdump's DIE dump, and bug.c's declarations read by name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareTypesWithObjdump, typeName } from './dwarf-comparison';
import { EXAMPLES, examplePath, exampleSymbols } from './examples';
import { Frame, TypeInfo } from '../../debugger/symbols/api';

for (const name of EXAMPLES) {
  test(`every variable's type and every struct layout of ${name} matches objdump`, () => {
    const { variables, members } = compareTypesWithObjdump(examplePath(name));
    // uart.S is assembly (no variables); startup's main.c has a few variables but no structs.
    if (!name.startsWith('uart/')) assert.ok(variables > 3, `${variables} variables`);
    if (!name.startsWith('uart/') && !name.startsWith('startup/')) assert.ok(members > 5, `${members} members`);
  });
}

/** A frame 0 at pc (registers unused: only scopes are asked). */
const at = (pc: number): Frame => ({ pc, cfa: 0, register: () => 0 });

test("bug.c's globals and file statics, by name and type", () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const ours = symbols.globals().filter((g) => g.declaration?.file === examplePath('bug/bug.c'));
  assert.deepEqual(ours.map((g) => [g.name, typeName(g.type), g.kind]), [
    ['bank_name', 'char *', 'global'],
    ['bank', 'struct ledger', 'global'],
    ['busiest', 'struct account *', 'global'],
    ['journal', 'struct posting[16]', 'global'],
  ]);
  const bank = ours[1].type;
  assert.ok(bank.kind === 'struct');
  assert.equal(bank.size, 4 * 36 + 8);
  const account = (bank.members[0].type as TypeInfo & { kind: 'array' }).element;
  assert.ok(account.kind === 'struct');
  assert.deepEqual(account.members.map((m) => [m.name, m.offset, typeName(m.type)]), [
    ['balance', 0, 'int32_t'], ['postings', 4, 'uint32_t'], ['owner', 8, 'char[8]'], ['next', 16, 'int32_t *'],
    ['recent', 20, 'int32_t[4]'],
  ]);
  assert.equal(symbols.sizeOf(account), 36);
  assert.equal(symbols.sizeOf(ours[3].type), 16 * 8);
  // int32_t → __int32_t → long int: typedefs are kept for display.
  const balance = account.members[0].type;
  assert.ok(balance.kind === 'typedef' && balance.target.kind === 'typedef' && balance.target.target.kind === 'base');
  assert.equal(balance.target.target.encoding, 'signed');
  assert.equal(symbols.sizeOf(balance), 4);
});

test("bug.c's parameters and locals, by scope", () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const locals = (fn: string, offset = 0): Array<[string, string, string]> => {
    const f = symbols.functionNamed(fn)!;
    return symbols.localsAt(at(f.low + offset)).map((v) => [v.name, typeName(v.type), v.kind]);
  };
  assert.deepEqual(locals('remember'), [['a', 'struct account *', 'parameter'], ['amount', 'int32_t', 'parameter']]);
  assert.deepEqual(locals('post'), [['l', 'struct ledger *', 'parameter'], ['p', 'struct posting *', 'parameter'],
    ['a', 'struct account *', 'local']]);
  // At -O1 audit's loop block starts at the function's first instruction: i is in scope there already.
  assert.deepEqual(locals('audit'), [['l', 'struct ledger *', 'parameter'], ['i', 'int', 'local'], ['sum', 'int32_t', 'local']]);
  // open_bank's function-level static, and the loop counter only inside the loop's block.
  assert.deepEqual(locals('open_bank'), [['l', 'struct ledger *', 'parameter'], ['owners', 'char *[4]', 'local']]);
  const main = symbols.functionNamed('main')!;
  assert.deepEqual(symbols.localsAt(at(main.low)).map((v) => v.name), ['difference']);
  const inLoop = symbols.resolveLine(examplePath('bug/bug.c'), lineOf('post(&bank, &journal[i]);'))!.addresses[0];
  assert.deepEqual(symbols.localsAt(at(inLoop)).map((v) => [v.name, typeName(v.type)]), [['i', 'uint32_t'], ['difference', 'int32_t']]);
});

function lineOf(text: string): number {
  const lines = readFileSync(examplePath('bug/bug.c'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`bug.c no longer contains "${text}"`);
  return i + 1;
}
