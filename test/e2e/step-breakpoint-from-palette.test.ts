/**
 * Scenario 3: "Rewind: Add Step Breakpoint…" from the command palette with a step number, then Continue,
 * stops at exactly that step; the status bar and the Replay Step view show it.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';

const STEP = 20_000;

scenario('a step breakpoint added from the palette stops Continue at exactly that step', async (workbench) => {
  await workbench.clickGutter(markerLine('MAIN'));
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_MAIN');
  assert.ok((await workbench.statusStep()).step < STEP, 'main is reached before the step breakpoint');

  await workbench.runCommand('Rewind: Add Step Breakpoint', String(STEP));
  await workbench.waitFor(async () => (await workbench.replayStepView()).includes('Step 20,000'),
    'the Replay Step view to list the step breakpoint');

  await workbench.afterStop(() => workbench.toolbar('Continue'), 'Continue');
  assert.deepEqual(await workbench.statusStep(), { step: STEP, last: 34_102 });
  const rows = await workbench.replayStepView();
  assert.ok(rows.some((row) => row.startsWith('Step 20,000 of 34,102')), `the view shows the position; it shows: ${rows.join(' | ')}`);
});
