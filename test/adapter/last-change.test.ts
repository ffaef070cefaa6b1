/**
 * "When did this last change?" over DAP: the Registers and CSR scopes mark what can be searched
 * (VS Code then offers Go to Last Change on it), and `rewind/lastChange` goes back to the step that
 * changed a register or a CSR field, with the value before and after; what cannot be searched says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, evaluate, info, launchAndStop, record, startClient, topFrame, travel } from './fixture';

type MenuVariable = DebugProtocol.Variable & { __vscodeVariableMenuContext?: string };

async function scope(dc: DebugClient, name: string): Promise<Map<string, MenuVariable>> {
  const scopes = (await dc.scopesRequest({ frameId: (await topFrame(dc)).id })).body.scopes;
  const reference = scopes.find((s) => s.name === name)!.variablesReference;
  return new Map((await dc.variablesRequest({ variablesReference: reference })).body.variables.map((v) => [v.name, v]));
}

async function fields(dc: DebugClient, v: DebugProtocol.Variable): Promise<Map<string, MenuVariable>> {
  return new Map((await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables.map((c) => [c.name, c]));
}

test('in the timer interrupt handler: Go to Last Change of mstatus.MIE goes to the trap that cleared it', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: record('timer/timer.elf'), sourceRoot: join(EXAMPLES, 'timer') },
      () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'timer_trap' }] }));
    const registers = await scope(dc, 'Registers');
    assert.equal(registers.get('sp')!.__vscodeVariableMenuContext, 'register');
    assert.equal(registers.get('pc')!.__vscodeVariableMenuContext, undefined, 'pc changes at every step');
    const csrs = await scope(dc, 'CSRs');
    assert.equal(csrs.get('mstatus')!.__vscodeVariableMenuContext, 'register');
    assert.equal(csrs.get('mip')!.__vscodeVariableMenuContext, undefined, 'mip follows the devices');
    assert.equal(csrs.get('mcycle')!.__vscodeVariableMenuContext, undefined, 'mcycle counts steps');
    const mie = (await fields(dc, csrs.get('mstatus')!)).get('MIE')!;
    assert.equal(mie.__vscodeVariableMenuContext, 'register');
    assert.equal(mie.value, '0');

    const from = (await info(dc)).step;
    let body: { step: number; before: string; after: string } | undefined;
    const stopped = await travel(dc, async () => { body = (await dc.customRequest('rewind/lastChange', { expression: mie.evaluateName })).body; });
    assert.ok(body && body.step < from, `the change at step ${body?.step} is before step ${from}`);
    assert.deepEqual({ before: body.before, after: body.after }, { before: '1', after: '0' });
    assert.match(stopped.body.description ?? '', /last changed at step [\d,]+: 1 → 0/);
    assert.equal((await info(dc)).step, body.step);
    assert.equal(await evaluate(dc, mie.evaluateName!, (await topFrame(dc)).id), '1', 'before the change MIE was still set');

    await assert.rejects(dc.customRequest('rewind/lastChange', { expression: '$pc' }), /\$pc changes at every step/);
    await assert.rejects(dc.customRequest('rewind/lastChange', { expression: 'ticks' }), /reads no register/);
    assert.equal((await info(dc)).step, body.step, 'a refused search leaves the position');
  } finally {
    await dc.stop();
  }
});
