/**
 * Finding the files the index reads: assembly sources, linker scripts and C sources under the workspace
 * folders. Build output, dependencies and hidden folders are skipped, and the walk is bounded so that
 * opening a huge folder cannot stall the server.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';

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

const ANCESTOR_LEVELS = 3;
const ANCESTOR_DEPTH = 2;

/**
 * Linker scripts just outside the workspace folders: a user who opens `examples/uart` builds it with
 * `-T ../common/virt.ld`, and the symbols that script assigns (`__stack_top`) must not read as
 * undefined. Each folder's ancestors are searched (up to the repository root, at most three levels),
 * each to a depth of two folders.
 */
export async function findNearbyLinkerScripts(folders: readonly string[]): Promise<FoundFile[]> {
  const found = new Map<string, FoundFile>();
  const inWorkspace = (path: string): boolean => folders.some((f) => path === f || path.startsWith(`${f}/`));
  const walk = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || found.size >= 100) continue;
      const path = join(folder, entry.name);
      if (inWorkspace(path)) continue;
      if (entry.isDirectory() && depth > 0 && !SKIPPED_FOLDERS.has(entry.name)) await walk(path, depth - 1);
      else if (entry.isFile() && languageOf(entry.name) === 'linker') found.set(path, { path, language: 'linker' });
    }
  };
  for (const folder of folders) {
    let ancestor = folder;
    for (let level = 0; level < ANCESTOR_LEVELS; level++) {
      if (await exists(join(ancestor, '.git'))) break;   // the repository's root: nothing of the project is above it
      const parent = dirname(ancestor);
      if (parent === ancestor) break;
      ancestor = parent;
      await walk(ancestor, ANCESTOR_DEPTH);
    }
  }
  return [...found.values()];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
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
