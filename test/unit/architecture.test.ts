/**
 * The layering README and ARCHITECTURE.md promise, checked on the sources: no import cycle, `emulator/`
 * imports nothing outside itself, only the extension (`src/`) imports `vscode`, no source file over 400
 * lines, and MANUAL.md names every launch attribute and every command the extension contributes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(__dirname, '../../..');
/** Folders that are not product sources (tests, benchmarks, build output, dependencies). */
const NOT_SOURCES = new Set(['node_modules', 'out', 'dist', 'test', 'bench', '.git', 'examples']);

function sources(dir = REPO): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (NOT_SOURCES.has(name) && (dir === REPO || name === 'node_modules')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

const FILES = sources();
const rel = (path: string): string => relative(REPO, path).split('\\').join('/');

/** Module specifiers a file imports or re-exports from. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return base;
}

const GRAPH = new Map(FILES.map((f) => [f, specifiers(f).filter((s) => s.startsWith('.')).map((s) => resolveLocal(f, s))]));

test('the sources were found (the checks below look at something)', () => {
  assert.ok(FILES.length > 100, `${FILES.length} source files`);
  assert.ok(FILES.some((f) => rel(f) === 'emulator/machine.ts'));
});

test('no import cycle among the sources', () => {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'visiting');
    path.push(file);
    for (const dep of GRAPH.get(file) ?? []) {
      if (!GRAPH.has(dep)) continue;
      if (state.get(dep) === 'visiting') cycles.push([...path.slice(path.indexOf(dep)), dep].map(rel).join(' → '));
      else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('emulator/ imports nothing outside itself (it runs in a browser build too)', () => {
  const outside = FILES.filter((f) => rel(f).startsWith('emulator/'))
    .flatMap((f) => (GRAPH.get(f) ?? []).filter((d) => !rel(d).startsWith('emulator/')).map((d) => `${rel(f)} imports ${rel(d)}`));
  assert.deepEqual(outside, []);
});

test('only the extension (src/) imports vscode', () => {
  const wrong = FILES.filter((f) => !rel(f).startsWith('src/') && specifiers(f).includes('vscode')).map(rel);
  assert.deepEqual(wrong, []);
});

test('no source file is over 400 lines (one concept per file)', () => {
  const long = FILES.map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > 400).map((f) => `${f.file} (${f.lines})`);
  assert.deepEqual(long, []);
});

test('MANUAL.md names every launch attribute and every command', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    contributes: {
      debuggers: Array<{ configurationAttributes: { launch: { properties: Record<string, unknown> } } }>;
      commands: Array<{ command: string; title: string }>;
    };
  };
  const manual = readFileSync(join(REPO, 'MANUAL.md'), 'utf8');
  const attributes = Object.keys(manifest.contributes.debuggers[0].configurationAttributes.launch.properties);
  assert.ok(attributes.length > 5);
  assert.deepEqual(attributes.filter((a) => !manual.includes(`\`${a}\``)), [], 'launch attributes missing from MANUAL.md');
  const commands = manifest.contributes.commands.filter((c) => !manual.includes(c.title) && !manual.includes(c.command));
  assert.deepEqual(commands.map((c) => c.title), [], 'commands missing from MANUAL.md');
});
