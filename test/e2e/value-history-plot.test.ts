/**
 * Rewind: Show Value History: at a breakpoint in bug.c, the history of bank.posted is plotted over the
 * whole run (one point per posting), hovering reads a write's step and value, and a click seeks there.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';
import { clickAt, screenshot, valuePlotPage } from './whole-run-views';

scenario('a value-history plot is drawn over the whole run and a click on it seeks to that write', async (workbench) => {
  await workbench.clickGutter(markerLine('CORRUPT'));
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  await workbench.runCommand('Rewind: Show Value History', 'bank.posted');
  const page = await valuePlotPage(workbench);
  await page.locator('.uplot canvas').first().waitFor({ timeout: 30_000 });
  const title = await page.locator('#title').innerText();
  // One write per journal entry (16), after the zeroing of .bss at start-up (a few byte or word stores).
  const writes = /^bank\.posted \(4 bytes at 0x[0-9a-f]{8}\): (\d+) writes over [\d,]+ steps$/.exec(title);
  assert.ok(writes && Number(writes[1]) >= 16 && Number(writes[1]) <= 20, `the title counts the writes: ${title}`);
  await screenshot(workbench, 'value-history-plot');

  // Hover three quarters of the way along: the readout names a write; a click goes to its step.
  const over = page.locator('.uplot .u-over');
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: box.width * 0.75, y: box.height / 2 } });
  await workbench.waitFor(async () => /^Step [\d,]+: \d+/.test(await page.locator('#readout').innerText()), 'the readout to show a write');
  const readout = await page.locator('#readout').innerText();
  const step = Number(/^Step ([\d,]+)/.exec(readout)![1].replace(/,/g, ''));
  await workbench.afterStop(() => clickAt(over, 0.75), 'a click on the plot');
  assert.equal((await workbench.statusStep()).step, step);
  await screenshot(workbench, 'value-history-after-click');
});
