/**
 * Scenario 1: F5 on the bug example's recording (examples/.vscode/launch.json, first configuration)
 * stops at a breakpoint set by clicking the gutter of bug.c.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';

scenario('F5 on the recording stops at a breakpoint set by clicking the gutter', async (workbench) => {
  const main = markerLine('MAIN');
  await workbench.clickGutter(main);
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_MAIN');

  assert.deepEqual(await workbench.topFrame(), { name: 'main', file: 'bug.c', line: main });
  assert.equal(await workbench.editorStoppedLine(), main);
  const { step, last } = await workbench.statusStep();
  assert.ok(step > 0 && step < last, `stopped inside the recording, not at its ends (step ${step} of ${last})`);
  assert.equal(last, 34_102, 'the recording of bug.elf ends at step 34,102 (examples/README.md)');
});
