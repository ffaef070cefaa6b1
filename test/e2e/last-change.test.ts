/**
 * Go to Last Change from the Variables view: stopped in remember() at #BP_CORRUPT, the context menu of
 * sp in the Registers scope offers "Go to Last Change" (and not Go to Last Write); choosing it goes back
 * to the step whose instruction last moved the stack pointer, and the status bar says the change.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';
import { screenshot } from './whole-run-views';

scenario('Go to Last Change on sp in the Registers scope goes back to the instruction that moved the stack', async (workbench) => {
  await workbench.clickGutter(markerLine('CORRUPT'));
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  const before = await workbench.statusStep();
  // The Registers scope opens by its row (a scope row has no name cell for variableRow to match).
  const registers = workbench.page.locator('.debug-variables .monaco-list-row[aria-label="Scope Registers"]');
  await workbench.waitFor(async () => {
    if (await registers.getAttribute('aria-expanded') === 'false') await registers.click();
    return await registers.getAttribute('aria-expanded') === 'true';
  }, 'the Registers scope to open');
  const sp = await workbench.variableRow(['sp']);
  await workbench.afterStop(() => workbench.contextMenu(sp, 'Go to Last Change'), 'Go to Last Change');
  const after = await workbench.statusStep();
  assert.ok(after.step < before.step, `Go to Last Change went back (from step ${before.step} to ${after.step})`);
  const status = workbench.page.locator('.statusbar');
  await workbench.waitFor(async () => (await status.textContent() ?? '').includes(`sp changed at step ${after.step.toLocaleString('en-US')} (`),
    'the status bar to say where sp changed');
  assert.match(await status.textContent() ?? '', /sp changed at step [\d,]+ \(\(void \*\) 0x[0-9a-f]{8} → \(void \*\) 0x[0-9a-f]{8}\)/);
  await screenshot(workbench, 'last-change-of-sp');
});
