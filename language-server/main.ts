/**
 * The RISC-V assembly language server: its own process, spoken to over LSP (stdio or Node IPC, as the
 * client chooses with --stdio / --node-ipc). This file only wires requests to the modules that answer
 * them; each answer is a function of the workspace index and a position.
 */
import {
  createConnection, DidChangeWatchedFilesNotification, FileChangeType, InitializeResult, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completion } from './completion';
import { definition, references } from './definitions';
import { documentDiagnostics } from './diagnostics';
import { documentSymbols } from './document-symbols';
import { documentKey, pathToUri, uriToPath } from './document-uri';
import { hover } from './hover';
import { IndexedFile, WorkspaceIndex } from './workspace-index';
import { FileLanguage, findNearbyLinkerScripts, findWorkspaceFiles, languageOf, readWorkspaceFile } from './workspace-files';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const index = new WorkspaceIndex();
let folders: string[] = [];
let watchFilesDynamically = false;
/** Resolves once the workspace scan is done: diagnostics wait for it, so no symbol looks undefined early. */
let indexed: Promise<void> = Promise.resolve();

/** Other open documents are checked again a little after an edit, since a label may have come or gone. */
const OTHERS_DELAY_MS = 250;

connection.onInitialize((params): InitializeResult => {
  folders = (params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [params.rootUri ? uriToPath(params.rootUri) : undefined])
    .filter((p): p is string => p !== undefined);
  index.setFolders(folders);
  watchFilesDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      // Send edits as deltas; TextDocuments applies them.
      textDocumentSync: TextDocumentSyncKind.Incremental,
      // Make VS Code show instruction, register, CSR, directive and symbol documentation on hover.
      hoverProvider: true,
      // Make "Go to Definition" jump to labels, .equ/.set symbols, macros, #defines across the workspace.
      definitionProvider: true,
      // Make "Find All References" list uses of a symbol in every assembly file of the workspace.
      referencesProvider: true,
      // Make the Outline view and breadcrumbs show sections and labels.
      documentSymbolProvider: true,
      // Offer mnemonics, directives, registers, CSRs, symbols; `.` starts a directive, `%` a relocation.
      completionProvider: { triggerCharacters: ['.', '%'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'rewind-riscv-asm' },
  };
});

connection.onInitialized(() => {
  indexed = scan(folders).then(() => validateAll());
  if (watchFilesDynamically) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{s,S,asm,ld,lds,c,h,inc}' }],
    });
  }
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    const removed = event.removed.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    const added = event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    folders = [...folders.filter((f) => !removed.includes(f)), ...added];
    index.setFolders(folders);
    for (const file of [...index.allFiles()]) {
      if (file.path && removed.some((r) => file.path!.startsWith(r)) && !documents.get(file.uri)) index.remove(file.uri);
    }
    indexed = indexed.then(() => scan(added)).then(() => validateAll());
  });
});

async function scan(paths: readonly string[]): Promise<void> {
  for (const found of [...await findWorkspaceFiles(paths), ...await findNearbyLinkerScripts(paths)]) {
    const uri = pathToUri(found.path);
    const text = await readWorkspaceFile(found.path);
    // The editor's text wins over the disk's; the file may have been opened while it was read.
    if (text !== undefined && !openDocument(uri)) index.update(uri, found.language, text);
  }
}

function openDocument(uri: string): TextDocument | undefined {
  const key = documentKey(uri);
  return documents.all().find((d) => documentKey(d.uri) === key);
}

function languageOfDocument(document: TextDocument): FileLanguage {
  const path = uriToPath(document.uri);
  const byName = path ? languageOf(path) : undefined;
  return byName === 'linker' || byName === 'c' ? byName : 'asm';
}

// Validation: the edited document at once (after the scan), the others a little later.
const pending = new Set<string>();
let timer: NodeJS.Timeout | undefined;

function schedule(uris: Iterable<string>, delay: number): void {
  for (const uri of uris) pending.add(uri);
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    void indexed.then(() => batch.forEach(validate));
  }, delay);
}

function validate(uri: string): void {
  const document = documents.get(uri);
  const file = index.file(uri);
  if (!document || !file || file.language !== 'asm') return;
  try {
    const diagnostics = documentDiagnostics(file.parsed, index.environment(file));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  } catch (error) {
    connection.console.error(`riscv-asm: could not check ${uri}: ${String(error)}`);
  }
}

function validateAll(): void {
  for (const document of documents.all()) validate(document.uri);
}

documents.onDidChangeContent(({ document }) => {
  index.update(document.uri, languageOfDocument(document), document.getText());
  void indexed.then(() => validate(document.uri));
  schedule(documents.all().map((d) => d.uri).filter((u) => u !== document.uri), OTHERS_DELAY_MS);
});

documents.onDidClose(({ document }) => {
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  // Back to the file's text on disk (or out of the index, if it was never saved).
  const path = uriToPath(document.uri);
  index.remove(document.uri);
  if (path) {
    void readWorkspaceFile(path).then((text) => {
      if (text !== undefined && !openDocument(document.uri)) index.update(pathToUri(path), languageOfDocument(document), text);
    });
  }
});

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  for (const change of changes) {
    const path = uriToPath(change.uri);
    if (!path) continue;
    index.includes.invalidate(path);
    const language = languageOf(path);
    if (!language || openDocument(change.uri)) continue;
    if (change.type === FileChangeType.Deleted) {
      index.remove(change.uri);
    } else {
      const text = await readWorkspaceFile(path);
      if (text !== undefined && !openDocument(change.uri)) index.update(pathToUri(path), language, text);
    }
  }
  schedule(documents.all().map((d) => d.uri), 0);
});

/**
 * Runs a request handler on an indexed document, once the workspace scan is done (an answer from a
 * half-built index would miss definitions); a failure is logged and answered with `fallback`.
 */
async function withFile<T>(uri: string, fallback: T, answer: (file: IndexedFile, document: TextDocument) => T): Promise<T> {
  await indexed;
  const file = index.file(uri);
  const document = documents.get(uri);
  if (!file || !document) return fallback;
  try {
    return answer(file, document);
  } catch (error) {
    connection.console.error(`riscv-asm: request failed on ${uri}: ${String(error)}`);
    return fallback;
  }
}

connection.onHover(({ textDocument, position }) =>
  withFile(textDocument.uri, null, (file) => hover(file, index, position.line, position.character)));

connection.onDefinition(({ textDocument, position }) =>
  withFile(textDocument.uri, [], (file) => definition(file, index, position.line, position.character)));

connection.onReferences(({ textDocument, position, context }) =>
  withFile(textDocument.uri, [], (file) => references(file, index, position.line, position.character, context.includeDeclaration)));

connection.onDocumentSymbol(({ textDocument }) =>
  withFile(textDocument.uri, [], (file, document) => documentSymbols(file.parsed, (line) => lineText(document, line).length)));

connection.onCompletion(({ textDocument, position }) =>
  withFile(textDocument.uri, null, (file, document) => {
    const result = completion(file, index, lineText(document, position.line), position.line, position.character);
    return { isIncomplete: result.incomplete, items: result.items };
  }));

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

documents.listen(connection);
connection.listen();
