/**
 * The workspace index: every assembly source, linker script and C source of the workspace folders,
 * parsed, with which files define and which refer to each symbol. Open documents replace their copy on
 * disk on every change. Definition, references and the undefined-symbol check all resolve names here,
 * the way the assembler and linker would: a file's own definition first, then the headers it includes,
 * then a global definition in another file.
 */
import { cDefinitions } from './c-symbols';
import { constantsOf, Constants } from './constants';
import { documentKey, pathToUri, uriToPath } from './document-uri';
import { IncludedDefinitions, IncludeResolver } from './include-files';
import { DEFAULT_LINKER_SYMBOLS } from './linker-symbols';
import { linkerScriptDefinitions } from './linker-script';
import { parseDocument } from './parser';
import type { ParsedDocument, Span, SymbolDefinition } from './parsed-document';
import type { FileLanguage } from './workspace-files';

export interface IndexedFile {
  readonly key: string;
  /** As the client names it when open, else the file URL of the scanned file. */
  readonly uri: string;
  readonly path: string | undefined;
  readonly language: FileLanguage;
  readonly parsed: ParsedDocument;
}

export interface Located {
  readonly uri: string;
  readonly definition: SymbolDefinition;
}

export interface ReferenceLocation {
  readonly uri: string;
  readonly span: Span;
}

/** What the diagnostics of one file need to know about the rest of the workspace. */
export interface SymbolEnvironment {
  readonly constants: Constants;
  /** False when an #include could not be found: the file's symbols cannot all be known. */
  readonly checkSymbols: boolean;
  isKnown(name: string): boolean;
  isAddress(name: string): boolean;
  isMacro(name: string): boolean;
}

/** Kinds whose definitions other files can see (a #define belongs to its own translation unit). */
const SHARED_KINDS = new Set(['label', 'equate', 'common', 'macro', 'c', 'linker']);
const ADDRESS_KINDS = new Set(['label', 'common', 'c']);

function definitionsOnly(definitions: SymbolDefinition[], lineCount: number): ParsedDocument {
  return {
    lineCount, statements: [], definitions, localLabels: [], references: [], localReferences: [],
    exported: new Set(definitions.map((d) => d.name)), declared: new Set(), functions: new Set(), sections: [], includes: [],
  };
}

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly definers = new Map<string, Set<string>>();
  private readonly referrers = new Map<string, Set<string>>();
  private folders: string[] = [];
  readonly includes = new IncludeResolver(() => this.folders);

  setFolders(paths: readonly string[]): void {
    this.folders = [...paths];
  }

  /** Parses and indexes a file's text, replacing what the index had for it. */
  update(uri: string, language: FileLanguage, text: string): IndexedFile {
    const key = documentKey(uri);
    const lineCount = text.length === 0 ? 1 : text.split('\n').length;
    const parsed = language === 'asm' ? parseDocument(text)
      : definitionsOnly(language === 'c' ? cDefinitions(text) : linkerScriptDefinitions(text), lineCount);
    const file: IndexedFile = { key, uri, path: uriToPath(uri), language, parsed };
    this.remove(uri);
    this.files.set(key, file);
    for (const d of parsed.definitions) if (SHARED_KINDS.has(d.kind)) addTo(this.definers, d.name, key);
    for (const r of parsed.references) addTo(this.referrers, r.name, key);
    return file;
  }

  remove(uri: string): void {
    const key = documentKey(uri);
    const old = this.files.get(key);
    if (!old) return;
    this.files.delete(key);
    for (const d of old.parsed.definitions) removeFrom(this.definers, d.name, key);
    for (const r of old.parsed.references) removeFrom(this.referrers, r.name, key);
  }

  file(uri: string): IndexedFile | undefined {
    return this.files.get(documentKey(uri));
  }

  allFiles(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  /** The #defines a file gets from its #includes. */
  included(file: IndexedFile): IncludedDefinitions {
    return this.includes.resolve(file.path, file.parsed.includes);
  }

  /** Where `name`, used in `file`, is defined. */
  definitionsOf(name: string, file: IndexedFile): Located[] {
    const own = file.parsed.definitions.filter((d) => d.name === name);
    if (own.length > 0) return own.map((definition) => ({ uri: file.uri, definition }));
    const fromHeaders = this.included(file).definitions.filter((h) => h.definition.name === name);
    if (fromHeaders.length > 0) return fromHeaders.map((h) => ({ uri: pathToUri(h.path), definition: h.definition }));
    const others: Array<Located & { exported: boolean }> = [];
    for (const key of this.definers.get(name) ?? []) {
      const other = this.files.get(key);
      if (!other || other === file) continue;
      for (const definition of other.parsed.definitions) {
        if (definition.name === name && SHARED_KINDS.has(definition.kind)) {
          others.push({ uri: other.uri, definition, exported: other.parsed.exported.has(name) });
        }
      }
    }
    const exported = others.filter((o) => o.exported);
    return (exported.length > 0 ? exported : others).map(({ uri, definition }) => ({ uri, definition }));
  }

  /** Every use of `name` in the workspace that resolves to one of `targets` (with none: that resolves to nothing). */
  referencesTo(name: string, targets: readonly Located[]): ReferenceLocation[] {
    const same = (a: Located, b: Located) => a.uri === b.uri && a.definition.line === b.definition.line
      && a.definition.start === b.definition.start;
    const found: ReferenceLocation[] = [];
    for (const key of this.referrers.get(name) ?? []) {
      const file = this.files.get(key);
      if (!file) continue;
      const resolved = this.definitionsOf(name, file);
      const matches = targets.length === 0 ? resolved.length === 0 : resolved.some((r) => targets.some((t) => same(r, t)));
      if (!matches) continue;
      for (const ref of file.parsed.references) if (ref.name === name) found.push({ uri: file.uri, span: ref });
    }
    return found;
  }

  /** Names defined in other files, for completion. */
  sharedNames(): IterableIterator<string> {
    return this.definers.keys();
  }

  environment(file: IndexedFile): SymbolEnvironment {
    const own = new Map<string, SymbolDefinition[]>();
    for (const d of file.parsed.definitions) {
      const list = own.get(d.name);
      if (list) list.push(d); else own.set(d.name, [d]);
    }
    const included = this.included(file);
    const fromHeaders = new Set(included.definitions.map((h) => h.definition.name));
    const constants = constantsOf([...included.definitions.map((h) => h.definition), ...file.parsed.definitions]);
    const elsewhere = (name: string, kinds: ReadonlySet<string>): boolean => {
      for (const key of this.definers.get(name) ?? []) {
        if (key === file.key) continue;
        if (this.files.get(key)?.parsed.definitions.some((d) => d.name === name && kinds.has(d.kind))) return true;
      }
      return false;
    };
    const macroKinds = new Set(['macro']);
    const lowerMacros = new Set([...own.values()].flat().filter((d) => d.kind === 'macro').map((d) => d.name.toLowerCase()));
    return {
      constants,
      checkSymbols: !included.unresolved,
      isKnown: (name) => own.has(name) || file.parsed.declared.has(name) || fromHeaders.has(name)
        || DEFAULT_LINKER_SYMBOLS.has(name) || elsewhere(name, SHARED_KINDS),
      isAddress: (name) => {
        const mine = own.get(name);
        if (mine) return mine.some((d) => ADDRESS_KINDS.has(d.kind));
        return !fromHeaders.has(name) && elsewhere(name, ADDRESS_KINDS);
      },
      isMacro: (name) => lowerMacros.has(name.toLowerCase()) || fromHeaders.has(name)
        || (own.get(name)?.some((d) => d.kind === 'define') ?? false) || elsewhere(name, macroKinds),
    };
  }
}

function addTo(map: Map<string, Set<string>>, name: string, key: string): void {
  const set = map.get(name);
  if (set) set.add(key); else map.set(name, new Set([key]));
}

function removeFrom(map: Map<string, Set<string>>, name: string, key: string): void {
  const set = map.get(name);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) map.delete(name);
}
