/**
 * Stepping in code without line information (picolibc's printf in bug.elf): next, step in, step back
 * and reverse step in leave it for the nearest caller with source, as gdb does ("single stepping until
 * exit from function printf, which has no line number information"): forward just after the call,
 * backward on the call itself. Instruction steps still move one instruction.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { BUG_C, info, launchAndStop, lineOf, record, startClient, topFrame, travel } from './fixture';

let dc: DebugClient;
let callStep: number;
let returnStep: number;
let inPrintf: number;
let deeper: { name: string; step: number } | undefined;
const PRINTF = lineOf(BUG_C, 'printf("%s: %lu postings');

async function where(): Promise<{ name: string; line: number; step: number }> {
  const f = await topFrame(dc);
  return { name: f.name, line: f.line, step: (await info(dc)).step };
}
const step = (send: () => Promise<unknown>) => travel(dc, send);
const seek = (to: number) => step(() => dc.customRequest('rewind/seek', { step: to }));
const instruction = () => step(() => dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));

before(async () => {
  dc = await startClient();
  await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
    () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: PRINTF }] }));
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
  // Instruction by instruction to the call of printf, into it, and on into whatever it calls.
  for (let i = 0; i < 200 && (await where()).name === 'main'; i++) {
    callStep = (await where()).step;
    await instruction();
  }
  for (let i = 0; i < 5; i++) await instruction();
  inPrintf = (await where()).step;
  for (let i = 0; i < 500 && !deeper; i++) {
    await instruction();
    const here = await where();
    if (here.name !== 'printf' && here.name !== 'main') deeper = here;
  }
  await seek(callStep);
  await step(() => dc.nextRequest({ threadId: 1 }));
  returnStep = (await where()).step;
});
after(() => dc.stop());

test('the example stops inside printf, which has no line information, and it calls further library code', async () => {
  await seek(inPrintf);
  const f = await topFrame(dc);
  assert.equal(f.name, 'printf');
  assert.equal(f.source, undefined);
  assert.ok(deeper, 'printf calls another routine within 500 instructions');
  assert.ok(returnStep > inPrintf, 'next over the printf line ran printf');
});

const moves = {
  next: () => dc.nextRequest({ threadId: 1 }),
  stepIn: () => dc.stepInRequest({ threadId: 1 }),
  stepBack: () => dc.stepBackRequest({ threadId: 1 }),
  reverseStepIn: () => dc.customRequest('rewind/reverseStepIn', { threadId: 1 }),
};
for (const [name, send] of Object.entries(moves)) {
  const backward = name === 'stepBack' || name === 'reverseStepIn';
  test(`${name} in printf leaves it for main: ${backward ? 'on the call' : 'just after it returns'}`, async () => {
    for (const from of [inPrintf, deeper!.step]) {
      await seek(from);
      const stop = await step(send);
      assert.equal(stop.body.reason, 'step');
      const here = await where();
      assert.equal(here.name, 'main', `from step ${from}`);
      assert.equal(here.step, backward ? callStep : returnStep, `from step ${from}`);
    }
  });
}

test('instruction steps in printf still move one instruction', async () => {
  await seek(inPrintf);
  await step(() => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, inPrintf + 1);
  await step(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, inPrintf);
});

test('where no caller has source (the end, after main returned) step back and reverse step in both go to main\'s last line that ran', async () => {
  const last = (await info(dc)).lastStep;
  const landed: number[] = [];
  for (const send of [moves.stepBack, moves.reverseStepIn]) {
    await seek(last);
    assert.notEqual((await where()).name, 'main');
    await step(send);
    const here = await where();
    assert.equal(here.name, 'main');
    assert.ok(here.step < last && here.step > returnStep);
    landed.push(here.step);
  }
  assert.equal(landed[0], landed[1]);
});
