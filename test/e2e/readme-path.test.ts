/**
 * CI takes README's own path: the first code block of README.md is the new user's two commands (open VS
 * Code, run the tests), and .ci/run runs exactly those (the first one in smoke mode) from an empty
 * code-server cache, so the day `npm ci && npm start` breaks on a fresh machine, CI is red.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './paths';

const commands = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

test("README starts with the two commands, and .ci/run runs them from an empty cache", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /^# [^\n]*\n+```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md starts with its title and then a ```sh block');
  assert.deepEqual(commands(block[1]), ['npm ci && npm start', 'npm test']);

  const ci = commands(readFileSync(join(REPO, '.ci', 'run'), 'utf8'));
  const start = ci.indexOf('npm ci && npm start -- --smoke');
  const tests = ci.indexOf('npm test');
  assert.ok(start >= 0 && tests > start, '.ci/run runs `npm ci && npm start -- --smoke`, then `npm test`');
  const cache = ci.findIndex((l) => /^REWIND_E2E_CACHE="\$\(mktemp -d/.test(l));
  assert.ok(cache >= 0 && cache < start, '.ci/run points REWIND_E2E_CACHE at a fresh temporary folder before npm start');
  assert.ok(!ci.some((l) => l.includes('install-code-server.sh')), '.ci/run leaves installing code-server to npm start, as a new user does');
});

test('npm start passes --smoke through to scripts/start.mjs', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(manifest.scripts.start, /node scripts\/start\.mjs$/, 'npm start -- --smoke appends --smoke to start.mjs');
});
