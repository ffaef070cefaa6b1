/**
 * The recordings committed in examples/ (the one F5 opens in `npm start`) must replay on this version of
 * Rewind. Any change to the machine's saved state changes the state hashes, and a stale recording then
 * stops with "the replay diverged": re-record it (`node dist/cli.js record examples/bug/bug.elf -o
 * examples/bug/bug.rewind`) in the same commit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, rewind } from './rewind-cli';

function recordingsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith('.') ? [] : recordingsUnder(path);
    return name.endsWith('.rewind') ? [path] : [];
  });
}

test('every committed example recording replays without diverging', () => {
  const recordings = recordingsUnder(EXAMPLES);
  assert.ok(recordings.some((p) => p.endsWith('bug/bug.rewind')), 'examples/bug/bug.rewind is committed for F5 in npm start');
  for (const path of recordings) {
    const r = rewind(['replay', path, '--verbose']);
    // A replay that matches exits as its run did: the status `rewind info` says the program exited with.
    const recorded = /^complete +yes \(the program exited with status (\d+)\)$/m.exec(rewind(['info', path]).stdout);
    assert.equal(r.status, recorded ? Number(recorded[1]) : 0, `${path}: ${r.stderr}`);
    assert.match(r.stderr, /final state hash [0-9a-f]+ matches/, path);
  }
});
