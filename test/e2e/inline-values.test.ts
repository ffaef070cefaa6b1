/**
 * Inline values in the real editor (src/inline-values.ts, with VS Code's default "debug.inlineValues":
 * "auto"): stopped in remember() at #BP_CORRUPT, the lines of the function show the values of the names
 * used there, as the Variables view shows them; at the next call (Continue) they show the new moment's.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';
import { Workbench } from './workbench';
import { screenshot } from './whole-run-views';

/**
 * The editor's visible lines as text, inline values included (VS Code injects them into the line,
 * padded with no-break spaces): "    *a->next = amount; // #BP_CORRUPT a->next = (int32_t *) 0x… , amount = 500".
 */
async function editorText(workbench: Workbench): Promise<string> {
  const lines = await workbench.page.locator('.monaco-editor .view-lines .view-line').evaluateAll((elements) =>
    elements.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ')));
  return lines.join('\n');
}

/** The value of a->next shown inline (a pointer into the account's ring), if shown. */
const nextShown = (text: string): string | undefined => /a->next = \(int32_t \*\) (0x[0-9a-f]{8})/.exec(text)?.[1];

scenario('inline values: stopped in remember(), its lines show the values of the names used there', async (workbench) => {
  await workbench.clickGutter(markerLine('CORRUPT'));
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_CORRUPT');
  const amount = await workbench.variable('amount');
  let text = '';
  await workbench.waitFor(async () => (text = await editorText(workbench)).includes(`amount = ${amount}`), `the editor to show amount = ${amount} inline`);
  assert.match(text, /\ba = \(struct account \*\) 0x[0-9a-f]{8} <bank/, 'the pointer a, shown as gdb would');
  assert.ok(nextShown(text), `a member chain, a->next, is shown: ${text}`);
  assert.ok(!/\b(static|void|int32_t|struct|if) = /.test(text), 'no keywords or type names get values');
  await screenshot(workbench, 'inline-values-in-remember');

  // At the next call of remember(), the inline values are the new moment's.
  await workbench.afterStop(() => workbench.toolbar('Continue'), 'Continue');
  await workbench.waitFor(async () => (await workbench.variable('amount')) !== amount, 'the Variables view to show the next call\'s amount');
  const next = await workbench.variable('amount');
  await workbench.waitFor(async () => (text = await editorText(workbench)).includes(`amount = ${next}`), `the editor to show amount = ${next} inline`);
  assert.doesNotMatch(text, new RegExp(`amount = ${amount.replace(/[-]/g, '\\$&')}(?![0-9])`), `the old amount ${amount} is gone`);
});
