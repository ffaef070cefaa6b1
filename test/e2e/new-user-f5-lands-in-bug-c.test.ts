/**
 * A new user's first minute, in the real VS Code: the bug demo is open, one F5 replays bug.rewind, and
 * the editor shows bug.c at the line where the program ended, with the Call Stack saying "exited with
 * status 1". No "could not be opened" editor appears anywhere in the run (picolibc's sources are not on
 * this machine): a watcher in the page records any such text, and a screenshot of the stop is kept in
 * out/e2e-screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenario } from './scenario';
import { SCREENSHOTS } from './paths';

const DEAD_EDITOR = /could not be opened|was not found|Unable to (open|read file)/i;

scenario('a new user presses F5 once on the bug demo and lands in bug.c, with no "could not be opened" editor', async (wb) => {
  const page = wb.page;
  // Everything the workbench ever shows, as it appears: a dead editor may flash and be replaced.
  await page.evaluate(`(() => {
    const pattern = new RegExp(${JSON.stringify(DEAD_EDITOR.source)}, 'i');
    const seen = window.deadEditors = [];
    const check = (node) => {
      const text = node.innerText ?? node.textContent ?? '';
      if (pattern.test(text)) seen.push(text.slice(0, 300));
    };
    new MutationObserver((changes) => {
      for (const change of changes) for (const node of change.addedNodes) check(node);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);

  // One F5, once the window is up: it must not be lost.
  await page.keyboard.press('F5');
  await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
  await wb.waitForStop('F5 on the demo');

  const top = await wb.topFrame();
  assert.equal(top.file, 'bug.c', `the Call Stack's first frame with source is in bug.c: ${JSON.stringify(top)}`);
  assert.equal(top.name, 'main');
  const line = await wb.editorStoppedLine();
  assert.ok(line >= 115 && line <= 126, `the editor shows the end of main (line ${line})`);
  const tab = (await page.locator('.tab.active').first().getAttribute('aria-label')) ?? '';
  assert.match(tab, /^bug\.c/, `the active editor is bug.c, not ${tab}`);
  // The Call Stack pane's header carries the stop's description ("exited with status 1").
  const header = await page.locator('.pane-header', { hasText: /Call Stack/i }).first().innerText().catch(() => '');
  assert.match(header, /exited with status 1/i, `the Call Stack says how the program ended: "${header}"`);

  await page.waitForTimeout(2000); // anything VS Code would open late
  const dead = await page.evaluate('window.deadEditors') as string[];
  const visible = (await page.locator('.monaco-workbench').innerText()).match(DEAD_EDITOR);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'new-user-f5-lands-in-bug-c.png') });
  assert.deepEqual(dead, [], 'no "could not be opened" editor appeared during the run');
  assert.equal(visible, null, 'no "could not be opened" text is on screen');
});
