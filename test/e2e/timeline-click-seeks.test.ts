/**
 * The Replay Timeline view: after F5 replays bug.rewind to its end, the view shows the whole run with
 * marks (the program's output lines and its exit), a click on the strip seeks there, and choosing an
 * output line below the strip seeks to the step that printed it.
 */
import assert from 'node:assert/strict';
import { scenario } from './scenario';
import { clickAt, screenshot, timelinePage } from './whole-run-views';

scenario('the timeline shows the run with marks; a click on the strip and on an output line seeks', async (workbench) => {
  await workbench.startDebugging();
  await workbench.waitForStop('F5 replays bug.rewind to its end');
  // F5 lands on the last line of bug.c that ran (the recording goes on into picolibc's exit).
  const end = await workbench.statusStep();
  assert.ok(end.step > 0 && end.step <= end.last, `F5 stopped at step ${end.step} of ${end.last}`);
  const page = await timelinePage(workbench);
  const marks = Number(await page.locator('body').getAttribute('data-events'));
  // bug.c prints a summary line and one statement per account, then the audit; the exit is a mark too.
  assert.ok(marks >= 6, `the strip has marks (${marks})`);
  const lines = page.locator('#output .line');
  assert.ok(await lines.count() >= 5);
  await screenshot(workbench, 'timeline-at-end');

  // A click in the first quarter of the strip goes to a step there.
  await workbench.afterStop(() => clickAt(page.locator('#strip'), 0.25), 'a click on the timeline');
  const clicked = (await workbench.statusStep()).step;
  assert.ok(clicked > 0 && clicked < end.last * 0.3, `the click at a quarter of the strip went to step ${clicked} of ${end.last}`);
  // The lines printed at or after the new step are dimmed, the others not.
  const steps = (await lines.evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-step')))));
  const after = steps.filter((s) => s >= clicked).length;
  assert.ok(after > 0 && after < steps.length, `the click lands between output lines (step ${clicked}; lines at ${steps.join(', ')})`);
  await workbench.waitFor(async () => (await page.locator('#output .line.after').count()) === after, `${after} output lines to be dimmed`);
  await screenshot(workbench, 'timeline-after-click');

  // Choosing the third output line goes to the step that printed it.
  const third = lines.nth(2);
  const step = Number(await third.getAttribute('data-step'));
  await workbench.afterStop(() => third.click(), 'choosing an output line');
  assert.equal((await workbench.statusStep()).step, step);
  await workbench.waitFor(async () => (await page.locator('#output .line.after').count()) === (await lines.count()) - 2, 'the first two lines to be printed by now');
});
