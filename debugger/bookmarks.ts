/**
 * Bookmarks: named steps of one recording, kept beside it in `NAME.rewind.json` so that they survive
 * sessions. The file is the only state: each change rewrites it whole (it holds a few dozen entries).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { countText } from './count-text';

export interface Bookmark {
  step: number;
  name: string;
}

export class Bookmarks {
  constructor(private readonly file: string | undefined) {}

  /** The bookmarks file of a recording. */
  static beside(recordingPath: string | undefined): Bookmarks {
    return new Bookmarks(recordingPath ? `${recordingPath}.json` : undefined);
  }

  list(): Bookmark[] {
    if (!this.file) return [];
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return []; // no bookmarks yet
    }
    try {
      const data = JSON.parse(text) as { bookmarks?: unknown };
      const list = Array.isArray(data.bookmarks) ? data.bookmarks : [];
      return list.filter((b): b is Bookmark => typeof b?.step === 'number' && typeof b?.name === 'string').sort((a, b) => a.step - b.step);
    } catch (e) {
      throw new Error(`the bookmarks file ${this.file} is not valid JSON (${(e as Error).message}); fix or delete it`);
    }
  }

  /** Adds (or renames) the bookmark at `step`. */
  add(step: number, name: string): Bookmark[] {
    const list = this.list().filter((b) => b.step !== step);
    list.push({ step, name: name.trim() || `Step ${countText(step)}` });
    return this.save(list);
  }

  remove(step: number): Bookmark[] {
    const list = this.list();
    if (!list.some((b) => b.step === step)) throw new Error(`there is no bookmark at step ${countText(step)}`);
    return this.save(list.filter((b) => b.step !== step));
  }

  private save(list: Bookmark[]): Bookmark[] {
    if (!this.file) throw new Error('this session has no recording file to keep bookmarks beside');
    list.sort((a, b) => a.step - b.step);
    try {
      writeFileSync(this.file, `${JSON.stringify({ bookmarks: list }, null, 2)}\n`);
    } catch (e) {
      throw new Error(`cannot save bookmarks to ${this.file}: ${(e as Error).message}`);
    }
    return list;
  }
}
