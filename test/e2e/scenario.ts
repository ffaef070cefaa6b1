/**
 * One end-to-end scenario: a fresh code-server with the .vsix installed, a throwaway copy of examples/
 * (with its launch.json and bug.rewind) as the workspace, Debian's Chromium on it, and bug.c open.
 * On failure the page is saved as a screenshot in out/e2e-screenshots/ (CI keeps that folder) and
 * code-server's output is printed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import type * as CodeServerModule from '../../scripts/code-server.mjs' with { 'resolution-mode': 'import' };
import { CHROMIUM, REPO, SCREENSHOTS, VSIX } from './paths';
import { Workbench } from './workbench';

/**
 * One scenario may take this long (workbench load and the clicks); then it fails, saves its screenshot and
 * ends code-server and Chromium itself. node:test's own timeout comes later: when it fires, nothing
 * cleans up, and code-server and Chromium would outlive the test.
 */
const SCENARIO_BUDGET_MS = 150_000;
const TEST_TIMEOUT_MS = SCENARIO_BUDGET_MS + 60_000;

/** Packages the .vsix unless it is newer than every bundle in dist/ (scripts/package.mjs checks them). */
function ensureVsix(): void {
  const bundles = readdirSync(join(REPO, 'dist')).filter((f) => f.endsWith('.js')).map((f) => statSync(join(REPO, 'dist', f)).mtimeMs);
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs > Math.max(...bundles)) return;
  execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs')], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
}

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The end-to-end tests drive Debian's Chromium at ${CHROMIUM}, which is not installed: apt-get install -y chromium libkrb5-dev pkg-config`);
  }
}

/** The workspace: a copy of examples/, so breakpoints and edits never touch the repository. */
function copyExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-e2e-workspace-'));
  cpSync(join(REPO, 'examples'), dir, { recursive: true, filter: (source) => !source.endsWith('.o') });
  if (!existsSync(join(dir, 'bug', 'bug.rewind'))) {
    throw new Error('examples/bug/bug.rewind is missing; make it with: node dist/cli.js record examples/bug/bug.elf -o examples/bug/bug.rewind');
  }
  return dir;
}

/** Declares a node:test test that gets a Workbench with examples/bug/bug.c open. */
export function scenario(name: string, body: (workbench: Workbench) => Promise<void>): void {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    requireChromium();
    ensureVsix();
    const { startCodeServer } = (await import(pathToFileURL(join(REPO, 'scripts', 'code-server.mjs')).href)) as typeof CodeServerModule;
    const workspace = copyExamples();
    const server = await startCodeServer({ vsix: VSIX });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const workbench = new Workbench(page);
    let budget: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await page.goto(server.folderUrl(workspace));
          await workbench.ready();
          await workbench.openFile('bug/bug.c');
          await body(workbench);
        })(),
        new Promise<never>((_, reject) => {
          budget = setTimeout(() => reject(new Error(`the scenario took longer than ${SCENARIO_BUDGET_MS / 1000} s`)), SCENARIO_BUDGET_MS);
        }),
      ]);
    } catch (error) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      process.stderr.write(`\n[e2e] "${name}" failed; screenshot: ${file}\n[e2e] code-server output:\n${server.log().slice(-4000)}\n`);
      throw error;
    } finally {
      clearTimeout(budget);
      await browser.close().catch(() => undefined);
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
}
