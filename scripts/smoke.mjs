// `npm start -- --smoke` (or REWIND_SMOKE=1 npm start): what CI runs to prove README's first command works
// on a fresh machine. With code-server already started by scripts/start.mjs, it opens the workspace in
// Debian's Chromium (playwright-core), waits for the workbench, and checks that the Rewind extension
// activated (its extension host log says so, and its commands are in the palette). Answers a list of
// what it saw, or throws one sentence saying what did not come up; a screenshot is kept either way.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
const EXTENSION_ID = 'rewind-dev.rewind-riscv';
const TIMEOUT_MS = 90_000;

/** Opens `address` in Chromium and checks the workbench and the extension; saves `screenshot`. */
export async function smokeTest({ address, userData, screenshot }) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the smoke test drives Debian's Chromium at ${CHROMIUM}, which is not installed: sudo apt-get install -y chromium`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const seen = [];
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const started = Date.now();
    await page.goto(address);
    await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT_MS });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: TIMEOUT_MS });
    seen.push(`workbench up with the examples/ folder in the Explorer (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const activation = await waitForActivation(userData, started + TIMEOUT_MS);
    seen.push(`extension ${EXTENSION_ID} activated (${activation})`);

    // Its commands are in the palette: F1, a title, and the row that names it.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: TIMEOUT_MS });
    await input.pressSequentially('Rewind: Record Program', { delay: 10 });
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Rewind: Record Program' }).first().waitFor({ timeout: TIMEOUT_MS });
    await page.keyboard.press('Escape');
    seen.push('command "Rewind: Record Program…" in the palette');
  } finally {
    mkdirSync(join(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot }).catch(() => undefined);
    await browser.close().catch(() => undefined);
  }
  return seen;
}

/**
 * The extension host writes "ExtensionService#_doActivateExtension <id>, ..." when it activates an
 * extension, and "Activating extension '<id>' failed ..." when activation throws. Polls its logs.
 */
async function waitForActivation(userData, deadline) {
  for (;;) {
    const logs = extensionHostLogs(join(userData, 'logs'));
    for (const text of logs) {
      const failed = new RegExp(`Activating extension '?${EXTENSION_ID}'? failed[^\\n]*`, 'i').exec(text);
      if (failed) throw new Error(`the Rewind extension failed to activate: ${failed[0]}`);
    }
    for (const text of logs) {
      const line = new RegExp(`_doActivateExtension ${EXTENSION_ID}[^\\n]*`).exec(text);
      if (line) return line[0].replace(/^.*?activationEvent:\s*/, 'by ').replace(/[,}\s]+$/, '');
    }
    if (Date.now() > deadline) {
      throw new Error(`the Rewind extension (${EXTENSION_ID}) did not activate within ${TIMEOUT_MS / 1000} s (no activation in the extension host log under ${join(userData, 'logs')})`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function extensionHostLogs(folder) {
  const texts = [];
  const walk = (dir) => {
    let entries = [];
    try { entries = readdirSync(dir); } catch { return; }
    for (const name of entries) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/exthost/i.test(path) && name.endsWith('.log')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  return texts;
}
