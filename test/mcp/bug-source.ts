/** What bug.c says, read from the source itself: its `#BP_` marker lines and the ledger's journal. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUG_C } from './mcp-client';

const source = (): string => readFileSync(BUG_C, 'utf8');

/** The 1-based line of the `// #BP_NAME` marker in bug.c. */
export function markerLine(name: string): number {
  const index = source().split('\n').findIndex((l) => l.includes(`// #${name}`));
  assert.ok(index >= 0, `marker #${name} not found in ${BUG_C}`);
  return index + 1;
}

/** The 1-based line of the first line of bug.c containing `text`. */
export function lineOf(text: string): number {
  const index = source().split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `"${text}" not found in ${BUG_C}`);
  return index + 1;
}

/** The postings of `journal[]`, in order: {ALICE, 500}, {BOB, 120}, ... */
export function journal(): Array<{ account: string; amount: number }> {
  const body = /journal\[\]\s*=\s*\{([\s\S]*?)\};/.exec(source());
  assert.ok(body, 'bug.c defines journal[]');
  const postings = [...body[1].matchAll(/\{\s*([A-Z]+)\s*,\s*(-?\d+)\s*\}/g)].map((m) => ({ account: m[1], amount: Number(m[2]) }));
  assert.ok(postings.length > 0);
  return postings;
}
