/**
 * Debugging a program that runs in S-mode with Sv32 paging (test/privileged/sv32.elf): an instruction
 * breakpoint on a virtual address stops there, and the stop says which mode the hart is in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugProtocol } from '@vscode/debugprotocol';
import { launchAndStop, record, startClient } from './fixture';

test('a breakpoint on a virtual address in S-mode code stops there, and the stop names the mode', async () => {
  const recording = record('../test/privileged/sv32.elf');
  const dc = await startClient();
  try {
    // sv32.S maps an execute-only page holding `ret` at 0x40002000 and calls it from S-mode.
    const stop = await launchAndStop(dc, { recording }, () =>
      dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x40002000' }] }));
    assert.equal(stop.body.reason, 'instruction breakpoint');
    assert.match(stop.body.description ?? '', /0x40002000.* in S-mode \(supervisor\)$/);
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames as DebugProtocol.StackFrame[];
    assert.equal(frames[0].instructionPointerReference, '0x40002000');
  } finally {
    await dc.stop();
  }
});
