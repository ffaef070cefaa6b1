/**
 * The #defines a `.S` file gets from the headers it includes (`#include "platform.h"` with
 * `#define UART_BASE 0x10000000`), following nested includes. A header is looked for next to the
 * including file, then in each workspace folder and its `include/` folder, as `-I` flags usually say.
 * A header that cannot be found (a system header, or one from a build directory) makes the file's
 * symbols unknowable, so the undefined-symbol check stands down for that file rather than guess.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseDocument } from './parser';
import type { IncludeDirective, SymbolDefinition } from './parsed-document';

export interface HeaderDefinition {
  readonly path: string;
  readonly definition: SymbolDefinition;
}

export interface IncludedDefinitions {
  readonly definitions: readonly HeaderDefinition[];
  /** Some include could not be found. */
  readonly unresolved: boolean;
}

interface CachedHeader {
  readonly mtimeMs: number;
  readonly defines: readonly SymbolDefinition[];
  readonly includes: readonly IncludeDirective[];
}

const MAX_DEPTH = 16;

export class IncludeResolver {
  private readonly cache = new Map<string, CachedHeader | null>();

  constructor(private readonly searchFolders: () => readonly string[]) {}

  /** Forget a header that changed on disk. */
  invalidate(path: string): void {
    this.cache.delete(path);
  }

  /** The #defines reachable through `includes`, written in a file at `fromPath`. */
  resolve(fromPath: string | undefined, includes: readonly IncludeDirective[]): IncludedDefinitions {
    const definitions: HeaderDefinition[] = [];
    const seen = new Set<string>();
    let unresolved = false;
    const visit = (from: string | undefined, list: readonly IncludeDirective[], depth: number) => {
      for (const include of list) {
        const path = this.find(from, include.path);
        if (path === undefined) { unresolved = true; continue; }
        if (seen.has(path) || depth > MAX_DEPTH) continue;
        seen.add(path);
        const header = this.read(path);
        if (header === null) { unresolved = true; continue; }
        for (const definition of header.defines) definitions.push({ path, definition });
        visit(path, header.includes, depth + 1);
      }
    };
    visit(fromPath, includes, 0);
    return { definitions, unresolved };
  }

  private find(from: string | undefined, name: string): string | undefined {
    const candidates = isAbsolute(name) ? [name] : [
      ...(from ? [join(dirname(from), name)] : []),
      ...this.searchFolders().flatMap((folder) => [join(folder, name), join(folder, 'include', name)]),
    ];
    return candidates.find((path) => this.stat(path) !== undefined);
  }

  private stat(path: string): number | undefined {
    try {
      const s = statSync(path);
      return s.isFile() ? s.mtimeMs : undefined;
    } catch {
      return undefined;
    }
  }

  private read(path: string): CachedHeader | null {
    const mtimeMs = this.stat(path);
    const cached = this.cache.get(path);
    if (cached !== undefined && (cached === null || cached.mtimeMs === mtimeMs)) return cached;
    let header: CachedHeader | null = null;
    try {
      const parsed = parseDocument(readFileSync(path, 'utf8'));
      header = {
        mtimeMs: mtimeMs ?? 0,
        defines: parsed.definitions.filter((d) => d.kind === 'define' || d.kind === 'equate'),
        includes: parsed.includes,
      };
    } catch {
      header = null;
    }
    this.cache.set(path, header);
    return header;
  }
}
