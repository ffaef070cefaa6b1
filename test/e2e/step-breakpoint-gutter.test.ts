/**
 * A step breakpoint's gutter marker: stopped at #BP_MAIN, a step breakpoint added at the current step
 * shows a blue diamond in the gutter at that line; Step Over moves off its step and the marker goes;
 * Reverse Continue comes back to the step and the marker is there again.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';
import { screenshot } from './whole-run-views';

const ICON = 'step-breakpoint';

scenario('a step breakpoint shows a gutter marker at its line while stopped at its step', async (workbench) => {
  const main = markerLine('MAIN');
  await workbench.clickGutter(main);
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_MAIN');
  const { step } = await workbench.statusStep();
  assert.deepEqual(await workbench.gutterIconLines(ICON), [], 'no step breakpoint yet');

  await workbench.runCommand('Rewind: Add Step Breakpoint', String(step));
  await workbench.waitFor(async () => (await workbench.gutterIconLines(ICON)).includes(main), `the step breakpoint's marker at line ${main}`);
  await screenshot(workbench, 'step-breakpoint-gutter');

  await workbench.afterStop(() => workbench.toolbar('Step Over'), 'Step Over');
  await workbench.waitFor(async () => (await workbench.gutterIconLines(ICON)).length === 0, 'the marker to go once the session left the step');

  await workbench.afterStop(() => workbench.toolbar('Reverse'), 'Reverse Continue');
  assert.equal((await workbench.statusStep()).step, step, 'Reverse Continue stops at the step breakpoint');
  await workbench.waitFor(async () => (await workbench.gutterIconLines(ICON)).includes(main), 'the marker to come back with the step');
});
