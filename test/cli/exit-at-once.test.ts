/**
 * `rewind run`, `record` and `replay` end, when a V8 worker thread is still compiling, through WASI's
 * proc_exit (cli/exit-at-once.ts) instead of Node's exit, which would wait for that compile: the status
 * must be the same either way, and the 'exit' listeners (the code cache's save, the end of youth) must
 * have run before.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const MODULE = join(__dirname, '../../cli/exit-at-once.js');

test("the exit through WASI ends the process with the status process.exit would give, after the other 'exit' listeners", () => {
  for (const status of [0, 1, 2, 63, 64, 70, 124, 127, 128, 141, 255, 256, 300]) {
    const script = `process.on('exit', () => require('fs').writeSync(1, 'listener ran\\n'));
      process.on('exit', require(${JSON.stringify(MODULE)}).exitThroughWasi);
      process.on('exit', () => require('fs').writeSync(1, 'Node exited\\n'));
      process.exit(${status});`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, status & 0xff, `status ${status}: ${child.stderr}`);
    assert.equal(child.stdout, 'listener ran\n', 'the listeners before ran, and the process ended in WASI (not in Node\'s exit)');
    assert.equal(child.stderr, '', 'no warning (WASI is experimental in Node 20) and nothing else');
  }
});
