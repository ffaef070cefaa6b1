/**
 * Scenario 5: at the failed audit, a write data breakpoint on Bob's balance (bank.accounts[1].balance)
 * plus Reverse Continue lands on the line that corrupted it: the stray write in remember() (#BP_CORRUPT)
 * while posting Alice's -35.
 */
import assert from 'node:assert/strict';
import { markerLine } from './markers';
import { scenario } from './scenario';

scenario('a data breakpoint on the corrupted balance plus Reverse Continue finds the stray write', async (workbench) => {
  await workbench.clickGutter(markerLine('REPORT'));
  await workbench.startDebugging();
  await workbench.waitForStop('F5 with a breakpoint on #BP_REPORT');
  assert.equal((await workbench.topFrame()).line, markerLine('REPORT'));

  const balance = await workbench.variableRow(['bank', 'accounts', '[1]', 'balance']);
  assert.equal((await balance.locator('.value').first().innerText()).trim(), '-35', "Bob's balance is wrong at the audit");
  await workbench.contextMenu(balance, 'Break on Value Change');
  await workbench.waitFor(async () => (await workbench.dataBreakpointCount()) === 1, 'the Breakpoints view to list the data breakpoint');

  await workbench.afterStop(() => workbench.toolbar('Reverse'), 'Reverse Continue');
  assert.deepEqual(await workbench.topFrame(), { name: 'remember', file: 'bug.c', line: markerLine('CORRUPT') });
  assert.equal(await workbench.editorStoppedLine(), markerLine('CORRUPT'));
  await workbench.variableBecomes('amount', '-35'); // the stray write stores Alice's fifth posting
});
