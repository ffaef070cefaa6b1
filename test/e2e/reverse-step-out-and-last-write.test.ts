/**
 * Scenario 6: stopped in remember() (#BP_CORRUPT), "Rewind: Reverse Step Out" from the palette goes back
 * to the call in post(), one frame up; then "Go to Last Write" from the Variables view's context menu on
 * the posting counter of the account being posted to jumps back to the line that wrote it, `a->postings++`;
 * stepped over remember() again, "Rewind: Reverse Step Into" from the line after the call goes back into
 * remember(), to its last line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUG_SOURCE, markerLine } from './markers';
import { scenario } from './scenario';
import type { Workbench } from './workbench';

/** The 1-based line of bug.c whose code (comments aside) is exactly `code`; there must be one. */
function sourceLine(code: string): number {
  const lines = readFileSync(BUG_SOURCE, 'utf8').split('\n');
  const found = lines.flatMap((l, i) => (l.replace(/\/\/.*$/, '').trim() === code ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`examples/bug/bug.c has ${found.length} lines "${code}"; this scenario needs exactly one`);
  return found[0];
}

/** How many frames the Call Stack lists. */
async function stackDepth(workbench: Workbench): Promise<number> {
  return workbench.page.locator('.debug-call-stack .monaco-list-row .stack-frame').count();
}

/** Waits until the Call Stack has settled on `depth` frames (VS Code fetches the frames below the top late). */
async function stackDepthBecomes(workbench: Workbench, depth: number): Promise<void> {
  let seen = -1;
  try {
    await workbench.waitFor(async () => (seen = await stackDepth(workbench)) === depth, `the Call Stack to list ${depth} frames`);
  } catch {
    throw new Error(`the Call Stack lists ${seen} frames, expected ${depth}`);
  }
}

scenario('Reverse Step Out returns to the caller, Go to Last Write finds the writing line, Reverse Step Into re-enters the callee', async (workbench) => {
  const corrupt = markerLine('CORRUPT'); // `*a->next = amount;` in remember(), called from post()
  const call = sourceLine('remember(a, p->amount);'); // post()'s call of remember()
  const counted = sourceLine('a->postings++;'); // the only line that writes an account's posting counter
  const total = sourceLine('l->control_total += p->amount;'); // the line after the call
  assert.ok(counted < call && call + 1 === total, 'post() counts the posting, calls remember(), then adds to the control total');
  // remember() ends at the first closing brace after #BP_CORRUPT.
  const rememberEnd = corrupt + readFileSync(BUG_SOURCE, 'utf8').split('\n').slice(corrupt).findIndex((l) => l === '}') + 1;

  await workbench.clickGutter(corrupt);
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  assert.deepEqual(await workbench.topFrame(), { name: 'remember', file: 'bug.c', line: corrupt });
  await workbench.variableBecomes('amount', '500'); // the first posting: Alice's 500
  // remember, post, main and whatever is below main: wait until the lazily fetched frames are all there.
  await workbench.waitFor(async () => (await stackDepth(workbench)) >= 3, 'the Call Stack to list remember, post and main');
  await workbench.page.waitForTimeout(500);
  const depth = await stackDepth(workbench);
  const inRemember = await workbench.statusStep();

  await workbench.afterStop(() => workbench.runCommand('Rewind: Reverse Step Out'), 'Reverse Step Out');
  assert.deepEqual(await workbench.topFrame(), { name: 'post', file: 'bug.c', line: call }, 'the Call Stack shows the caller at its call');
  assert.equal(await workbench.editorStoppedLine(), call, 'the editor arrow is on the call of remember()');
  await stackDepthBecomes(workbench, depth - 1);
  const atCall = await workbench.statusStep();
  assert.ok(atCall.step < inRemember.step, `Reverse Step Out went back (from step ${inRemember.step} to ${atCall.step})`);

  // Alice is accounts[0]; her first posting has been counted already, by the line `a->postings++`.
  const postings = await workbench.variableRow(['bank', 'accounts', '[0]', 'postings']);
  assert.equal((await postings.locator('.value').first().innerText()).trim(), '1', "Alice's first posting is counted");
  await workbench.afterStop(() => workbench.contextMenu(postings, 'Go to Last Write'), 'Go to Last Write');
  assert.deepEqual(await workbench.topFrame(), { name: 'post', file: 'bug.c', line: counted }, 'the Call Stack shows the line that wrote the counter');
  assert.equal(await workbench.editorStoppedLine(), counted, 'the editor arrow is on the line that wrote the counter');
  await stackDepthBecomes(workbench, depth - 1);
  const written = await workbench.statusStep();
  assert.ok(written.step < atCall.step, `Go to Last Write went back (from step ${atCall.step} to ${written.step})`);
  assert.ok(atCall.step - written.step < 100, `the write is a few steps before the call, not elsewhere in the recording (step ${written.step})`);

  // Forward past the call of remember() to the next line (the breakpoint in remember() stops Step Over
  // there; Step Out finishes it), then back into remember().
  for (let i = 0; i < 8; i++) {
    const frame = await workbench.topFrame();
    if (frame.name === 'post' && frame.line === total) break;
    const button = frame.name === 'remember' ? 'Step Out' : 'Step Over';
    await workbench.afterStop(() => workbench.toolbar(button), button);
  }
  assert.deepEqual(await workbench.topFrame(), { name: 'post', file: 'bug.c', line: total }, 'Step Over reaches the line after the call');
  await stackDepthBecomes(workbench, depth - 1);
  const afterCall = await workbench.statusStep();
  await workbench.afterStop(() => workbench.runCommand('Rewind: Reverse Step Into'), 'Reverse Step Into');
  const inside = await workbench.topFrame();
  assert.equal(inside.name, 'remember', 'Reverse Step Into goes back into the function called on the line before');
  assert.ok(inside.line > corrupt && inside.line <= rememberEnd, `it lands on a line of remember() after #BP_CORRUPT (line ${inside.line})`);
  assert.equal(await workbench.editorStoppedLine(), inside.line);
  await stackDepthBecomes(workbench, depth);
  const back = await workbench.statusStep();
  assert.ok(back.step < afterCall.step && afterCall.step - back.step < 20, `Reverse Step Into went a few steps back (from step ${afterCall.step} to ${back.step})`);
  await workbench.variableBecomes('amount', '500'); // still Alice's first posting
});
