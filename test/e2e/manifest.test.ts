/**
 * package.json's contributions agree with the code: the launch schema VS Code validates is the one the
 * adapter reads, every contributed command is registered by the extension and every registered one is
 * contributed, keybindings and menus name real commands, and the bundle leaves only `vscode` outside.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAUNCH_ATTRIBUTES } from '../../adapter/launch-arguments';
import * as ids from '../../src/command-ids';
import { MCP_PROVIDER_ID } from '../../src/mcp-provider-id';
import { REPO } from './paths';

interface Manifest {
  main: string;
  engines: { vscode: string };
  contributes: {
    debuggers: Array<{ type: string; label: string; configurationAttributes: { launch: { properties: object } }; configurationSnippets: Array<{ label: string }> }>;
    commands: Array<{ command: string; title: string; category?: string }>;
    keybindings: Array<{ command: string; key: string; when?: string }>;
    menus: Record<string, Array<{ command: string }>>;
    breakpoints: Array<{ language: string }>;
    languages: Array<{ id: string; extensions: string[] }>;
    mcpServerDefinitionProviders: Array<{ id: string; label: string }>;
  };
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

test('the launch.json schema is exactly the adapter\'s launch attributes', () => {
  const [rewind] = manifest.contributes.debuggers;
  assert.equal(rewind.type, 'rewind');
  assert.equal(rewind.label, 'Rewind (RISC-V time travel)');
  assert.deepEqual(rewind.configurationAttributes.launch.properties, LAUNCH_ATTRIBUTES);
  assert.deepEqual(rewind.configurationSnippets.map((s) => s.label), ['Rewind: replay a recording', 'Rewind: record and debug a program']);
});

test('every command the extension registers is contributed, and the other way round', () => {
  assert.deepEqual([...contributed].sort(), Object.values(ids).sort());
  const titles = manifest.contributes.commands.filter((c) => c.command !== ids.SEEK_COMMAND).map((c) => `${c.category}: ${c.title}`);
  assert.deepEqual(titles.sort(), [
    'Rewind: Add Bookmark…', 'Rewind: Add Step Breakpoint…', 'Rewind: Go to Last Change', 'Rewind: Go to Last Write', 'Rewind: Go to Step of Console Output…',
    'Rewind: Go to Step…', 'Rewind: Record Program…', 'Rewind: Remove Step Breakpoint…', 'Rewind: Reverse Step Into',
    'Rewind: Reverse Step Out', 'Rewind: Show Every Execution of This Line', 'Rewind: Show Value History',
  ]);
});

test('menus name contributed commands; Go to Last Write (memory), Go to Last Change (registers) and Show Value History are on the Variables view, history on Watch, executions in the editor', () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(contributed.has(item.command), `menu ${menu} names ${item.command}, which is not contributed`);
  }
  const variables = manifest.contributes.menus['debug/variables/context'] as Array<{ command: string; when: string }>;
  assert.deepEqual(variables.map((i) => i.command), [ids.GO_TO_LAST_WRITE_COMMAND, ids.GO_TO_LAST_CHANGE_COMMAND, ids.SHOW_VALUE_HISTORY_COMMAND]);
  // The adapter marks registers, CSRs and their fields with the menu context "register" (adapter/variables.ts).
  assert.match(variables[0].when, /debugProtocolVariableMenuContext != 'register'/);
  assert.match(variables[1].when, /debugProtocolVariableMenuContext == 'register'/);
  assert.deepEqual(manifest.contributes.menus['debug/watch/context'].map((i) => i.command), [ids.SHOW_VALUE_HISTORY_COMMAND]);
  assert.deepEqual(manifest.contributes.menus['editor/context'].map((i) => i.command), [ids.SHOW_EXECUTIONS_COMMAND]);
});

test('every reverse action has its own icon, and the reverse buttons come after the forward ones (Step Out is 40, Step Back 50)', () => {
  const commands = manifest.contributes.commands as Array<{ command: string; icon?: string | { light: string; dark: string }; enablement?: string }>;
  const toolbar = manifest.contributes.menus['debug/toolBar'] as Array<{ command: string; group: string }>;
  for (const id of [ids.REVERSE_STEP_IN_COMMAND, ids.REVERSE_STEP_OUT_COMMAND]) {
    const contribution = commands.find((c) => c.command === id)!;
    const icon = contribution.icon;
    assert.ok(typeof icon === 'object', `${id} has its own icon files, not a forward codicon`);
    for (const file of [icon.light, icon.dark]) assert.match(readFileSync(join(REPO, file), 'utf8'), /^<svg /);
    assert.match(contribution.enablement ?? '', /!rewind\.atStart/, `${id} greys out at step 0`);
    const order = Number(/^navigation@(\d+)$/.exec(toolbar.find((t) => t.command === id)!.group)![1]);
    assert.ok(order > 50 && order < 60, `${id} sits with Step Back (50) and Reverse Continue (55), before Restart (60): ${order}`);
  }
  const icons = commands.map((c) => JSON.stringify(c.icon)).filter((i) => i !== undefined);
  assert.equal(new Set(icons).size, icons.length, 'no two Rewind commands share an icon');
  assert.ok(!icons.some((i) => /debug-step-(into|out|over)/.test(i)), 'no Rewind command borrows a forward step icon');
});

test('Step Back and Reverse Continue have keys, only in a stopped Rewind session, on distinct keys', () => {
  const keys = manifest.contributes.keybindings;
  const byCommand = new Map(keys.map((k) => [k.command, k]));
  for (const command of ['workbench.action.debug.stepBack', 'workbench.action.debug.reverseContinue']) {
    assert.match(byCommand.get(command)?.when ?? '', /debugType == 'rewind'/, `${command} is bound for Rewind sessions`);
  }
  for (const k of keys) {
    assert.ok(contributed.has(k.command) || k.command.startsWith('workbench.action.debug.'), `keybinding for unknown command ${k.command}`);
  }
  assert.equal(new Set(keys.map((k) => k.key)).size, keys.length, 'no two Rewind keybindings share a key');
  // VS Code's defaults that these must not take over: Shift+F5 stops, Ctrl+Shift+F5 restarts, Shift+F10 opens the context menu.
  for (const taken of ['shift+f5', 'ctrl+shift+f5', 'shift+f10', 'f5', 'f10', 'f11', 'shift+f11']) {
    assert.ok(!keys.some((k) => k.key === taken), `${taken} is one of VS Code's own debug keys`);
  }
});

test('breakpoints are allowed in C and RISC-V assembly; the assembly language covers .s .S .asm', () => {
  assert.deepEqual(manifest.contributes.breakpoints.map((b) => b.language).sort(), ['c', 'riscv-asm']);
  const asm = manifest.contributes.languages.find((l) => l.id === 'riscv-asm');
  assert.deepEqual(asm?.extensions.sort(), ['.S', '.asm', '.s']);
});

test('the extension bundle requires nothing but `vscode` and Node built-ins at run time', () => {
  assert.equal(manifest.main, './dist/extension.js');
  const bundle = readFileSync(join(REPO, manifest.main), 'utf8');
  const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
  const outside = [...required].filter((name) => name !== 'vscode' && !name.startsWith('node:') && !isBuiltin(name));
  assert.deepEqual(outside, [], 'everything else is bundled (the .vsix has no node_modules)');
  assert.ok(required.has('vscode'));
});

function isBuiltin(name: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:module') as typeof import('node:module')).builtinModules.includes(name);
}

test('the MCP server definition provider the extension registers is the one contributed', () => {
  assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id), [MCP_PROVIDER_ID]);
});
