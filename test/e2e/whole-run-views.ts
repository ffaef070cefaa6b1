/**
 * Hands and eyes on the whole-run views: the Replay Timeline webview in Run and Debug, the value-history
 * plot panel, and the Debug Console. Webviews are two nested iframes in the workbench (the host frame,
 * then `#active-frame` with the page); screenshots of the moments that matter go to out/e2e-screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { SCREENSHOTS } from './paths';
import { Workbench } from './workbench';

const UI_TIMEOUT_MS = 30_000;

/** Saves what the page shows now, as evidence beside the failure screenshots. */
export async function screenshot(workbench: Workbench, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await workbench.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The Replay Timeline page, its pane opened in Run and Debug, once it holds a timeline. */
export async function timelinePage(workbench: Workbench): Promise<FrameLocator> {
  const page = workbench.page;
  if (!(await page.locator('.debug-call-stack').first().isVisible())) await page.keyboard.press('Control+Shift+D');
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Replay Timeline' }) }).first();
  await pane.waitFor({ timeout: UI_TIMEOUT_MS });
  const header = pane.locator('.pane-header').first();
  if (await header.getAttribute('aria-expanded') === 'false') await header.click();
  const frame = await webviewPage(workbench, '#strip', 'the Replay Timeline page');
  await frame.locator('body[data-events]').waitFor({ timeout: UI_TIMEOUT_MS });
  return frame;
}

/** The value-history panel's page (an editor tab beside the source). */
export function valuePlotPage(workbench: Workbench): Promise<FrameLocator> {
  return webviewPage(workbench, '#chart', 'the value-history panel');
}

/**
 * The page of the webview that has `selector`. The workbench draws webviews in an overlay outside their
 * pane or editor, each an `iframe.webview` holding the page in `#active-frame`.
 */
async function webviewPage(workbench: Workbench, selector: string, what: string): Promise<FrameLocator> {
  const frames = workbench.page.frameLocator('iframe.webview');
  const end = Date.now() + UI_TIMEOUT_MS;
  while (Date.now() < end) {
    const count = await workbench.page.locator('iframe.webview').count();
    for (let i = 0; i < count; i++) {
      const page = frames.nth(i).frameLocator('#active-frame');
      if (await page.locator(selector).count().catch(() => 0)) return page;
    }
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(`${what} did not appear`);
}

/**
 * The Debug Console's distinct lines, top to bottom. The console draws only the rows on screen, so this
 * scrolls it from the top to the bottom with the wheel and collects what passes by.
 */
export async function consoleLines(workbench: Workbench): Promise<string[]> {
  const page = workbench.page;
  const repl = page.locator('.repl');
  if (!(await repl.first().isVisible())) await page.keyboard.press('Control+Shift+Y');
  await repl.first().waitFor({ timeout: UI_TIMEOUT_MS });
  const box = await repl.locator('.monaco-list-row').last().boundingBox();
  if (!box) throw new Error('the Debug Console shows no line');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -100_000);
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const rows = await repl.locator('.monaco-list-row').evaluateAll((elements) => elements
      .map((r) => ({ top: r.getBoundingClientRect().top, text: (r.textContent ?? '').trim() }))
      .sort((a, b) => a.top - b.top).map((r) => r.text));
    const before = seen.size;
    for (const row of rows) seen.add(row);
    if (i > 0 && seen.size === before) break;
    await page.mouse.wheel(0, box.height * 4);
  }
  return [...seen];
}

/** Clicks `locator` at a fraction of its width, halfway down. */
export async function clickAt(locator: Locator, fraction: number): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element to click is not on screen');
  await locator.click({ position: { x: box.width * fraction, y: box.height / 2 } });
}
