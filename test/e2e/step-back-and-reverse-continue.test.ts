/**
 * Scenario 2: the Step Back toolbar button moves the current line back (editor and Call Stack agree), and
 * Reverse Continue returns to the previous hit of the breakpoint.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';

scenario('Step Back moves the line back and Reverse Continue returns to the previous breakpoint hit', async (workbench) => {
  const corrupt = markerLine('CORRUPT'); // `*a->next = amount;` in remember(), reached once per posting
  await workbench.clickGutter(corrupt);
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  assert.deepEqual(await workbench.topFrame(), { name: 'remember', file: 'bug.c', line: corrupt });
  const firstHit = await workbench.statusStep();

  await workbench.afterStop(() => workbench.toolbar('Step Over'), 'Step Over');
  const after = await workbench.topFrame();
  assert.equal(after.line, corrupt + 1, 'Step Over goes to the next line of remember()');

  await workbench.afterStop(() => workbench.toolbar('Step Back'), 'Step Back');
  assert.deepEqual(await workbench.topFrame(), { name: 'remember', file: 'bug.c', line: corrupt }, 'the Call Stack is back on the breakpoint line');
  assert.equal(await workbench.editorStoppedLine(), corrupt, 'the editor arrow is back on the breakpoint line');
  assert.equal(await workbench.cursorLine(), corrupt);

  await workbench.afterStop(() => workbench.toolbar('Continue'), 'Continue');
  const secondHit = await workbench.statusStep();
  assert.equal((await workbench.topFrame()).line, corrupt);
  assert.ok(secondHit.step > firstHit.step, `the second hit (step ${secondHit.step}) comes after the first (step ${firstHit.step})`);

  await workbench.afterStop(() => workbench.toolbar('Reverse'), 'Reverse Continue');
  assert.deepEqual(await workbench.topFrame(), { name: 'remember', file: 'bug.c', line: corrupt });
  assert.equal((await workbench.statusStep()).step, firstHit.step, 'Reverse Continue lands on the first hit again');
  await workbench.variableBecomes('amount', '500'); // the first posting is Alice's 500
});
