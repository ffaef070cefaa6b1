/**
 * Finding the files the index reads: assembly sources, linker scripts and C sources under the workspace
 * folders. Build output, dependencies and hidden folders are skipped, and the walk is bounded so that
 * opening a huge folder cannot stall the server.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export type FileLanguage = 'asm' | 'linker' | 'c';

const LANGUAGES: Readonly<Record<string, FileLanguage>> = {
  '.s': 'asm', '.S': 'asm', '.asm': 'asm',
  '.ld': 'linker', '.lds': 'linker',
  '.c': 'c',
};

const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist', 'build']);
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The language of a file by its name, or undefined if the index does not read such files. */
export const languageOf = (path: string): FileLanguage | undefined => LANGUAGES[extname(path)];

export interface FoundFile {
  readonly path: string;
  readonly language: FileLanguage;
}

export async function findWorkspaceFiles(folders: readonly string[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;   // unreadable folder: nothing to index there
    }
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path);
      } else if (entry.isFile()) {
        const language = languageOf(entry.name);
        if (language) found.push({ path, language });
      }
    }
  };
  for (const folder of folders) await walk(folder);
  return found;
}

/** The text of a found file, or undefined if it is too big or cannot be read. */
export async function readWorkspaceFile(path: string): Promise<string | undefined> {
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
