/**
 * A person's hands and eyes on the VS Code workbench (code-server in Chromium, driven by playwright-core):
 * open a file, click the gutter, press F5, click the debug toolbar, run a palette command, and read what
 * the editor, the Call Stack, the Variables view, the status bar and the Replay Step view show.
 * Selectors are VS Code's own DOM classes (see /work/shared/E2E.md).
 */
import type { Locator, Page } from 'playwright-core';

/** How long one UI reaction may take on a busy 2-core machine before the scenario fails. */
const UI_TIMEOUT_MS = 30_000;
/** How long afterStop waits for the status bar and the Call Stack both to show where the session is. */
const BEFORE_TIMEOUT_MS = 5_000;
/** How long the stop signature must stay the same for afterStop to take the session as stopped there. */
const SETTLE_MS = 400;

interface Box { x: number; y: number; width: number; height: number }

export interface Frame {
  name: string;
  file: string;
  line: number;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits until the workbench is up and the Rewind extension has put its language in the status bar. */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: UI_TIMEOUT_MS });
    // The explorer shows the workspace once the file service is up; before that keys go nowhere.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Ctrl+P, the path, Enter; waits for the editor to show the file. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    await this.quickInput('Control+P', relativePath, name);
    await this.page.locator(`.tab[aria-label^="${name}"]`).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await this.page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: UI_TIMEOUT_MS });
  }

  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.lineNumber(line).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /** Clicks the glyph margin left of `line` (the red dot appears there) and waits for the breakpoint. */
  async clickGutter(line: number): Promise<void> {
    await this.goToLine(line);
    // The editor re-renders its margin as it scrolls (slowly on a busy machine): measure once it holds still.
    const boxes = { number: null as Box | null, glyphs: null as Box | null };
    await this.waitFor(async () => {
      boxes.number = await this.lineNumber(line).boundingBox({ timeout: 2000 }).catch(() => null);
      boxes.glyphs = await this.page.locator('.monaco-editor .margin .glyph-margin').first().boundingBox({ timeout: 2000 }).catch(() => null);
      return boxes.number !== null && boxes.glyphs !== null;
    }, `line ${line} and the editor's glyph margin to be on screen`);
    const { number, glyphs } = boxes;
    if (!number || !glyphs) throw new Error(`line ${line} or the editor's glyph margin is not on screen`);
    const x = glyphs.x + glyphs.width / 2;
    const y = number.y + number.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.click(x, y);
    await this.waitFor(async () => (await this.glyphLines('.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified')).includes(line),
      `a breakpoint dot on line ${line} after clicking the gutter`);
  }

  /** F5, again every few seconds: the first F5 is lost until the extension host has registered the debuggers. */
  async startDebugging(): Promise<void> {
    const toolbar = this.page.locator('.debug-toolbar');
    const dialog = this.page.locator('.monaco-dialog-box');
    for (let attempt = 0; attempt < 6; attempt++) {
      if (await this.dismissSecondInstance()) { await toolbar.waitFor({ timeout: UI_TIMEOUT_MS }); return; }
      if (await dialog.isVisible()) throw new Error(`F5 showed a dialog instead of debugging: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
      if (attempt === 0) {
        await this.page.keyboard.press('F5');
      } else {
        // Never F5 again: a session that stopped at its breakpoint just as the wait gave up takes a second F5
        // as Continue (CI at 5d5acbb, load 18: the first stop then showed Bob's 120, not Alice's 500). The
        // palette's Start Debugging asks whether to start another instance instead, which is answered above.
        await this.runCommand('Debug: Start Debugging').catch(() => this.page.keyboard.press('Escape'));
      }
      try {
        await toolbar.waitFor({ timeout: 10_000 });
        // A second start asked while the first session was slow to show its toolbar asks whether to start
        // another instance, and under load it asks seconds after the toolbar showed (CI at 2647a3e, load 25:
        // 1.5 s was too short, the modal then ate Ctrl+Shift+D): wait for it up to 10 s, then answer it.
        if (attempt > 0) { await this.secondInstanceDialog().waitFor({ timeout: 10_000 }).catch(() => undefined); await this.dismissSecondInstance(); }
        return;
      } catch {
        // not yet: ask again
      }
    }
    throw new Error('F5 did not start a debug session within 60 s (no debug toolbar appeared)');
  }

  /**
   * Answers Cancel when F5 asked whether to start a second instance of a running session; whether it did.
   * Each F5 pressed while the first session was slow to show its toolbar asks once, and the dialogs stack:
   * Cancel shows the next (CI at 8370ab5, load 13-15: one Cancel, then 30 s of a dialog "still" visible).
   */
  private async dismissSecondInstance(): Promise<boolean> {
    const dialog = this.secondInstanceDialog();
    let dismissed = false;
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while (await dialog.isVisible()) {
      if (Date.now() > deadline) throw new Error('the dialog asking to start another instance would not close');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click({ timeout: 5000 }).catch(() => undefined);
      await dialog.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
      dismissed = true;
    }
    return dismissed;
  }

  private secondInstanceDialog(): Locator {
    return this.page.locator('.monaco-dialog-box', { hasText: 'already running' });
  }

  /** Clicks a debug toolbar button ("Step Back", "Reverse", "Continue", "Step Over", ...) once it is enabled. */
  async toolbar(label: string): Promise<void> {
    // Exactly this button: "Reverse" must not find Rewind's own "Reverse Step Out"; a key may follow in brackets.
    const button = this.page.locator(`.debug-toolbar .action-label:is([aria-label="${label}"], [aria-label^="${label} ("]):not(.disabled)`);
    await button.first().waitFor({ timeout: UI_TIMEOUT_MS });
    await button.first().click();
  }

  /** Runs `action` and waits until the session has stopped somewhere that looks different from before. */
  async afterStop(action: () => Promise<void>, what: string): Promise<void> {
    // Whole signatures only, before and after: on a loaded machine one of the two reads can time out,
    // and a half signature differs from the whole one with no new stop (a Continue was taken as done
    // while it still ran, and the test read the old step).
    let before: string | undefined;
    await this.waitFor(async () => (before = await this.stopSignature(true)) !== undefined, `the session's place before ${what}`, BEFORE_TIMEOUT_MS)
      .catch(async () => { before = await this.stopSignature(); });
    const complete = before?.split('|').every((part) => part !== '') ?? false;
    await action();
    await this.waitFor(async () => {
      const now = await this.stopSignature(complete);
      return now !== undefined && now !== before;
    }, `the session to stop after ${what}`);
    // The status bar and the Call Stack are updated by different messages: one may show the new stop a
    // moment before the other (seen on a loaded machine: the next action's "before" was taken half way,
    // the late half was taken for its stop, and the test read the old step). Wait until both are still.
    await this.waitForSettled(complete, `the session's place after ${what} to settle`);
  }

  /** Waits until the stop signature reads the same twice in a row, SETTLE_MS apart. */
  private async waitForSettled(complete: boolean, what: string): Promise<void> {
    let last = await this.stopSignature(complete);
    await this.waitFor(async () => {
      await this.page.waitForTimeout(SETTLE_MS);
      const now = await this.stopSignature(complete);
      const same = now !== undefined && now === last;
      last = now;
      return same;
    }, what);
  }

  /** Waits for the first stop of a session (status bar step shown, a frame in the Call Stack). */
  async waitForStop(what: string): Promise<void> {
    await this.waitFor(async () => (await this.stopSignature()) !== undefined, `the session to stop (${what})`);
  }

  /** The Call Stack's top frame: function, file and line. */
  async topFrame(): Promise<Frame> {
    await this.showRunAndDebug();
    const frame = this.page.locator('.debug-call-stack .monaco-list-row .stack-frame').first();
    await frame.waitFor({ timeout: UI_TIMEOUT_MS });
    const name = (await frame.locator('.expression, .label').first().innerText()).trim();
    const file = (await frame.locator('.file-name').first().innerText()).trim();
    const position = (await frame.locator('.line-number').first().innerText()).trim();
    return { name, file, line: Number.parseInt(position, 10) };
  }

  /** The line the editor marks with the yellow "current statement" arrow. */
  async editorStoppedLine(): Promise<number> {
    let lines: number[] = [];
    await this.waitFor(async () => {
      lines = await this.glyphLines('.codicon-debug-stackframe, .codicon-debug-stackframe-focused');
      return lines.length === 1;
    }, 'the editor to show one current-statement arrow');
    return lines[0];
  }

  /** The editor's cursor line from the status bar ("Ln 107, Col 5"); VS Code puts the cursor on the stop. */
  async cursorLine(): Promise<number> {
    const text = await this.page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText();
    return Number(/Ln (\d+)/.exec(text)![1]);
  }

  /** The Rewind status bar item: "Step N / M". */
  async statusStep(): Promise<{ step: number; last: number }> {
    const item = this.page.locator('.statusbar-item', { hasText: /Step [\d,]+ \/ [\d,]+/ }).first();
    await item.waitFor({ timeout: UI_TIMEOUT_MS });
    const match = /Step ([\d,]+) \/ ([\d,]+)/.exec(await item.innerText())!;
    return { step: Number(match[1].replace(/,/g, '')), last: Number(match[2].replace(/,/g, '')) };
  }

  /** F1, a command's title, Enter; then, when it asks, the text and Enter. */
  async runCommand(title: string, input?: string): Promise<void> {
    await this.quickInput('F1', title, title);
    if (input === undefined) return;
    const box = this.page.locator('.quick-input-widget .quick-input-box input');
    // The palette's list goes away when the command's own input box replaces it.
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await box.fill(input);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Names and values of the rows the Variables view shows now. */
  async variables(): Promise<Map<string, string>> {
    await this.showRunAndDebug();
    // Read in one go: a locator per row would wait its full timeout on scope rows, which have no value.
    const rows = await this.page.locator('.debug-variables .monaco-list-row').evaluateAll((elements) =>
      elements.map((e) => [e.querySelector('.name')?.textContent ?? '', e.querySelector('.value')?.textContent ?? '']));
    const result = new Map<string, string>();
    // VS Code 1.139 renders the name as "amount =" (older versions "amount:").
    for (const [name, value] of rows) if (name.trim()) result.set(name.trim().replace(/\s*[=:]$/, ''), value.trim());
    return result;
  }

  /** Waits until the Variables view shows `name` (a local) with a value, and answers the value. */
  async variable(name: string): Promise<string> {
    let value: string | undefined;
    await this.waitFor(async () => {
      // VS Code does not always open the first scope by itself at the first stop.
      const locals = this.page.locator('.debug-variables .monaco-list-row[aria-level="1"][aria-expanded="false"]', { hasText: /^Locals$/ });
      if (await locals.count() > 0) await locals.first().click();
      value = (await this.variables()).get(name);
      return value !== undefined && value !== '';
    }, `the Variables view to show "${name}"`);
    return value!;
  }

  /**
   * Waits until the Variables view shows `name` = `expected`: after a stop the view keeps the old values
   * for a moment, so a single read could see the previous moment. Fails naming the last value seen.
   */
  async variableBecomes(name: string, expected: string): Promise<void> {
    let seen: string | undefined;
    try {
      await this.waitFor(async () => (seen = await this.variable(name)) === expected, `"${name}" to be ${expected}`);
    } catch {
      throw new Error(`the Variables view shows ${name} = ${seen ?? '(nothing)'}, expected ${expected}`);
    }
  }

  /**
   * Expands the Variables view along `path` (e.g. bank, accounts, [1], balance), opening scopes as
   * needed, and answers the last row.
   */
  async variableRow(path: string[]): Promise<Locator> {
    await this.showRunAndDebug();
    const rowNamed = (name: string) => this.page.locator('.debug-variables .monaco-list-row').filter({
      has: this.page.locator('.name', { hasText: new RegExp(`^${name.replace(/[[\]]/g, '\\$&')}\\s*[=:]?$`) }),
    }).first();
    // Scopes (Locals, Globals, Registers) may be collapsed, and right after a stop the view may not list
    // them yet: keep opening collapsed scopes until the first name shows (a single look could see an empty
    // view, give up, and then wait in vain for a name inside a scope nobody opened).
    const scopes = this.page.locator('.debug-variables .monaco-list-row[aria-level="1"][aria-expanded="false"]');
    await this.waitFor(async () => {
      if (await rowNamed(path[0]).isVisible()) return true;
      if (await scopes.count() > 0) await scopes.first().click();
      return false;
    }, `the Variables view to show "${path[0]}"`);
    let row = rowNamed(path[0]);
    for (const name of path.slice(1)) {
      const parent = row;
      row = rowNamed(name);
      // A click on a row the view is re-rendering can be lost: click again while it stays collapsed.
      await this.waitFor(async () => {
        if (await row.isVisible()) return true;
        if (await parent.getAttribute('aria-expanded') === 'false') await parent.click();
        return false;
      }, `the Variables view to show "${name}" inside "${path.slice(0, path.indexOf(name)).join('.')}"`);
    }
    return row;
  }

  /** Right-clicks `row` and picks `item` from the context menu. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.locator('.action-label', { hasText: item }).first();
    await entry.waitFor({ timeout: UI_TIMEOUT_MS });
    // The menu may still be laying itself out and swallow the first click: then choose by keyboard.
    await entry.click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 3000 });
    } catch {
      await entry.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    }
  }

  /** How many data breakpoints the Breakpoints view lists. */
  async dataBreakpointCount(): Promise<number> {
    return this.page.locator('.debug-breakpoints .monaco-list-row .codicon-debug-breakpoint-data').count();
  }

  /** The Replay Step view's rows, each as "label" or "label — description". */
  async replayStepView(): Promise<string[]> {
    await this.showRunAndDebug();
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: 'Replay Step' }) }).first();
    await pane.waitFor({ timeout: UI_TIMEOUT_MS });
    const header = pane.locator('.pane-header').first();
    if (await header.getAttribute('aria-expanded') === 'false') await header.click();
    return pane.locator('.monaco-list-row').evaluateAll((elements) => elements.map((e) => {
      const label = (e.querySelector('.label-name')?.textContent ?? '').trim();
      const description = (e.querySelector('.label-description')?.textContent ?? '').trim();
      return description ? `${label} — ${description}` : label;
    }));
  }

  /** Polls `condition` until it holds; fails with `what` after the UI timeout. */
  async waitFor(condition: () => Promise<boolean>, what: string, timeout = UI_TIMEOUT_MS): Promise<void> {
    const end = Date.now() + timeout;
    for (;;) {
      if (await condition().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
      await this.page.waitForTimeout(200);
    }
  }

  private async showRunAndDebug(): Promise<void> {
    if (await this.page.locator('.debug-call-stack').first().isVisible()) return;
    await this.page.keyboard.press('Control+Shift+D');
    await this.page.locator('.debug-call-stack, .debug-variables').first().waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /** Status bar step and top frame together: changes whenever the session stops somewhere new. */
  private async stopSignature(complete = false): Promise<string | undefined> {
    const continueShown = await this.page.locator('.debug-toolbar .action-label[aria-label^="Continue"]').first().isVisible();
    if (!continueShown) return undefined;
    const status = await this.page.locator('.statusbar-item', { hasText: /Step [\d,]+ \// }).first().innerText({ timeout: 500 }).catch(() => '');
    const frame = await this.page.locator('.debug-call-stack .monaco-list-row .stack-frame').first().innerText({ timeout: 500 }).catch(() => '');
    if (complete ? !status || !frame : !status && !frame) return undefined;
    return `${status}|${frame}`;
  }

  private lineNumber(line: number): Locator {
    return this.page.locator('.monaco-editor .margin .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
  }

  /** The editor lines whose margin shows a decoration's gutter icon with `file` in its image URL. */
  async gutterIconLines(file: string): Promise<number[]> {
    const ys = await this.page.evaluate(`[...document.querySelectorAll('.monaco-editor .margin *')]
      .filter((e) => getComputedStyle(e).backgroundImage.includes(${JSON.stringify(file)}))
      .map((e) => { const r = e.getBoundingClientRect(); return r.height > 0 ? r.y + r.height / 2 : -1; })
      .filter((y) => y >= 0)`) as number[];
    const numbers = await this.lineNumberPositions();
    return [...new Set(ys.flatMap((y) => {
      const nearest = numbers.reduce<{ line: number; y: number } | undefined>((best, n) => (!best || Math.abs(n.y - y) < Math.abs(best.y - y) ? n : best), undefined);
      return nearest && Math.abs(nearest.y - y) < 10 ? [nearest.line] : [];
    }))];
  }

  private async lineNumberPositions(): Promise<Array<{ line: number; y: number }>> {
    const numbers: Array<{ line: number; y: number }> = [];
    for (const element of await this.page.locator('.monaco-editor .margin .line-numbers').all()) {
      const box = await element.boundingBox();
      const text = (await element.textContent())?.trim();
      if (box && text && /^\d+$/.test(text)) numbers.push({ line: Number(text), y: box.y + box.height / 2 });
    }
    return numbers;
  }

  /** The editor lines whose glyph margin shows `selector` (matched by vertical position). */
  private async glyphLines(selector: string): Promise<number[]> {
    const numbers = await this.lineNumberPositions();
    const lines: number[] = [];
    for (const glyph of await this.page.locator(`.monaco-editor ${selector.split(', ').join(', .monaco-editor ')}`).all()) {
      const box = await glyph.boundingBox();
      if (!box) continue;
      const y = box.y + box.height / 2;
      const nearest = numbers.reduce<{ line: number; y: number } | undefined>((best, n) => (!best || Math.abs(n.y - y) < Math.abs(best.y - y) ? n : best), undefined);
      if (nearest && Math.abs(nearest.y - y) < 10) lines.push(nearest.line);
    }
    return [...new Set(lines)];
  }

  /** Opens a quick input with `key`, types `text`, waits for a row mentioning `expect`, presses Enter. */
  private async quickInput(key: string, text: string, expect: string): Promise<void> {
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.pressSequentially(text, { delay: 10 });
    // Enter takes the focused (first) row; wait until that is the one meant, as results arrive late.
    const meant = new RegExp(expect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: meant }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
  }
}
