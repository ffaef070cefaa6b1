/**
 * The first-run walkthrough (package.json: contributes.walkthroughs) goes through the bug demo in four
 * steps, each checked off by doing it: a Rewind session starting, Step Back, Reverse Continue, Go to Step.
 * Its pages exist and its links and completion events name commands that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './paths';

interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: Array<{ id: string; steps: Step[] }>; commands: Array<{ command: string }> };
};
const BUILT_IN = new Set(['workbench.action.debug.stepBack', 'workbench.action.debug.reverseContinue', 'workbench.action.quickOpen']);

test('the walkthrough has four steps on the bug demo, each completed by doing it', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(walkthrough.id, 'rewind.firstRun');
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['replay', 'stepBack', 'strayWrite', 'goToStep']);
  const ours = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const step of walkthrough.steps) {
    assert.ok(step.media.markdown && existsSync(join(REPO, step.media.markdown)), `${step.id}: its page ${step.media.markdown} exists`);
    assert.ok(step.completionEvents.length > 0, `${step.id} is checked off by an event`);
    const commands = [...step.completionEvents.map((e) => /^onCommand:(.+)$/.exec(e)?.[1]),
      ...[...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1])].filter((c): c is string => c !== undefined);
    for (const command of commands) assert.ok(ours.has(command) || BUILT_IN.has(command), `${step.id} names the command ${command}, which exists`);
  }
  assert.deepEqual(walkthrough.steps[0].completionEvents, ["onContext:debugType == 'rewind'"]);
});
