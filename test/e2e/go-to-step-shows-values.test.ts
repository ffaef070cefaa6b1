/**
 * Scenario 4: "Rewind: Go to Step…" jumps, and the Variables view shows the values of that moment: the
 * amount of the posting remember() was storing at that step.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';

scenario('Go to Step jumps and the Variables view shows the values of that moment', async (workbench) => {
  const corrupt = markerLine('CORRUPT');
  await workbench.clickGutter(corrupt);
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  const first = (await workbench.statusStep()).step;
  await workbench.variableBecomes('amount', '500'); // journal[0] is Alice's 500
  await workbench.afterStop(() => workbench.toolbar('Continue'), 'Continue');
  const second = (await workbench.statusStep()).step;
  await workbench.variableBecomes('amount', '120'); // journal[1] is Bob's 120
  await workbench.afterStop(() => workbench.toolbar('Continue'), 'Continue');
  await workbench.variableBecomes('amount', '75'); // journal[2] is Carol's 75

  await workbench.afterStop(() => workbench.runCommand('Rewind: Go to Step…', String(first)), 'Go to Step');
  assert.equal((await workbench.statusStep()).step, first);
  assert.equal((await workbench.topFrame()).line, corrupt);
  await workbench.variableBecomes('amount', '500');

  await workbench.afterStop(() => workbench.runCommand('Rewind: Go to Step…', String(second)), 'Go to Step');
  assert.equal((await workbench.statusStep()).step, second);
  await workbench.variableBecomes('amount', '120');
  const position = `Step ${second.toLocaleString('en-US')} of 34,102`;
  await workbench.waitFor(async () => (await workbench.replayStepView()).some((row) => row.startsWith(position)),
    `the Replay Step view to show "${position}"`);
});
