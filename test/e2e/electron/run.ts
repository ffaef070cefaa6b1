/**
 * `npm run test:electron`: the same extension in a desktop VS Code that @vscode/test-electron downloads
 * (so it needs internet; CI has none and uses code-server instead, see test/e2e/scenario.ts). Nothing runs
 * on import: `node --test out/test/` loads this file too.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../paths';

export async function main(): Promise<void> {
  const { runTests } = await import('@vscode/test-electron');
  const workspace = mkdtempSync(join(tmpdir(), 'rewind-electron-workspace-'));
  cpSync(join(REPO, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: join(__dirname, 'suite.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--disable-workspace-trust'],
    });
  } catch (error) {
    console.error(`test:electron failed: ${error instanceof Error ? error.message : String(error)}\n`
      + '(It downloads VS Code from update.code.visualstudio.com; without internet use `npm run test:e2e`, which runs code-server.)');
    process.exit(1);
  }
}
