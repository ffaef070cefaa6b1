/**
 * Retroactive logpoints and console line → moment: after F5 replays bug.rewind to its end, a logpoint
 * set on remember()'s store prints all 16 past hits at once in the Debug Console; then "Rewind: Go to
 * Step of Console Output…" takes a logpoint line back to the step of that hit.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';
import { consoleLines, screenshot } from './whole-run-views';

scenario('a logpoint set at the end of a replay prints every past hit; choosing a console line seeks to its step', async (workbench) => {
  await workbench.startDebugging();
  await workbench.waitForStop('F5 replays bug.rewind to its end');
  // F5 lands on the last line of bug.c that ran (the recording goes on into picolibc's exit).
  const end = await workbench.statusStep();
  assert.ok(end.step > 0 && end.step <= end.last, `F5 stopped at step ${end.step} of ${end.last}`);

  // Add a logpoint on #BP_CORRUPT from the palette (the breakpoint widget opens on the cursor's line).
  await workbench.openFile('bug/bug.c'); // the end of the recording is in picolibc's exit, another file
  await workbench.goToLine(markerLine('CORRUPT'));
  await workbench.runCommand('Debug: Add Logpoint');
  // Type only once the widget's own editor has the focus (keys before that go to bug.c).
  await workbench.page.locator('.breakpoint-widget .monaco-editor.focused').first().waitFor({ timeout: 30_000 });
  await workbench.page.keyboard.type('posting {amount} to {a->owner}');
  await workbench.page.keyboard.press('Enter');
  await workbench.page.locator('.breakpoint-widget').first().waitFor({ state: 'hidden', timeout: 30_000 });

  let logged: string[] = [];
  let problem = '';
  await workbench.waitFor(async () => {
    try {
      // A row's text also holds its source link ("bug.c:68"): take the message out of it.
      logged = (await consoleLines(workbench)).flatMap((l) => /posting -?\d+ to "\w+"/.exec(l)?.[0] ?? []);
    } catch (e) {
      problem = (e as Error).message;
    }
    return logged.length === 16;
  }, 'the Debug Console to show the 16 hits of the logpoint').catch((e) => { throw new Error(`${(e as Error).message}; seen: ${JSON.stringify(logged)} ${problem}`); });
  assert.equal(logged[0], 'posting 500 to "alice"');
  assert.equal((await workbench.statusStep()).step, end.step, 'setting the logpoint did not move the position');
  await screenshot(workbench, 'retroactive-logpoint');

  // Choose the fourth hit's line ("posting -40 to alice") from the palette: back to that step.
  await workbench.runCommand('Rewind: Go to Step of Console Output');
  const row = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'posting -40 to "alice"' }).first();
  await row.waitFor({ timeout: 30_000 });
  const description = await row.innerText();
  const step = Number(/step ([\d,]+)/.exec(description)![1].replace(/,/g, ''));
  assert.ok(step < end.step);
  await workbench.afterStop(() => row.click(), 'choosing a console line');
  assert.equal((await workbench.statusStep()).step, step);
  await workbench.variableBecomes('amount', '-40');
  await screenshot(workbench, 'console-line-seeks');
});
