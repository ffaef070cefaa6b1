/**
 * A minimal LSP client for the tests: spawns the language server as VS Code would (`--stdio`), frames
 * JSON-RPC messages with Content-Length headers, and collects the diagnostics the server publishes.
 * Hand-rolled on purpose: the test then checks the server's wire format, not a library's.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';

/** The repository root (this file runs from out/test/language-server). */
export const REPO = resolve(__dirname, '..', '..', '..');
export const SERVER = join(REPO, 'out', 'language-server', 'main.js');
export const FIXTURES = join(REPO, 'test', 'language-server', 'fixtures');
export const WORKSPACE = join(FIXTURES, 'workspace');

export const uriOf = (path: string): string => pathToFileURL(path).href;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const TIMEOUT_MS = 10_000;

export class LspClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly published = new Map<string, Array<{ version?: number; diagnostics: Diagnostic[] }>>();
  private readonly waiters: Array<() => void> = [];
  stderr = '';

  private constructor(private readonly server: ChildProcessWithoutNullStreams) {
    server.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    server.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    server.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`the language server exited; its stderr:\n${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Starts a server on `rootPath` and completes the initialize handshake. */
  static async start(rootPath = WORKSPACE, capabilities: object = {}): Promise<LspClient> {
    const client = new LspClient(spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' }));
    await client.request('initialize', {
      processId: process.pid,
      rootUri: uriOf(rootPath),
      workspaceFolders: [{ uri: uriOf(rootPath), name: 'fixture' }],
      capabilities,
    });
    client.notify('initialized', {});
    return client;
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (value) => { clearTimeout(timer); resolvePromise(value as T); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends raw bytes, for the tests of malformed input. */
  sendRaw(bytes: string): void {
    this.server.stdin.write(bytes);
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'riscv-asm', version, text } });
  }

  /** Opens a file of the fixture workspace with its text on disk. */
  openFile(path: string): string {
    const uri = uriOf(path);
    this.open(uri, readFileSync(path, 'utf8'));
    return uri;
  }

  change(uri: string, text: string, version: number): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** The diagnostics published for `uri` for document version `version` (waits for them). */
  async diagnostics(uri: string, version = 1): Promise<Diagnostic[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const found = this.published.get(uri)?.find((p) => p.version === version);
      if (found) return found.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} version ${version}; stderr:\n${this.stderr}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
  }

  /** Waits until the latest diagnostics published for `uri` satisfy `accept`, and returns them. */
  async waitForDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const list = this.published.get(uri);
      const latest = list?.[list.length - 1];
      if (latest && accept(latest.diagnostics)) return latest.diagnostics;
      if (Date.now() > deadline) {
        throw new Error(`the diagnostics of ${uri} never became as expected; latest: ${JSON.stringify(latest?.diagnostics)}`);
      }
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
  }

  async stop(): Promise<void> {
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } finally {
      await new Promise<void>((r) => {
        if (this.server.exitCode !== null) return r();
        const timer = setTimeout(() => { this.server.kill(); r(); }, 2000);
        this.server.on('exit', () => { clearTimeout(timer); r(); });
      });
    }
  }

  /** True while the server process runs. */
  get running(): boolean {
    return this.server.exitCode === null && this.server.signalCode === null;
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.server.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: { id?: number; method?: string; params?: { uri: string; version?: number; diagnostics: Diagnostic[] }; result?: unknown; error?: { message: string } }): void {
    if (message.method === 'textDocument/publishDiagnostics' && message.params) {
      const list = this.published.get(message.params.uri) ?? [];
      list.push({ version: message.params.version, diagnostics: message.params.diagnostics });
      this.published.set(message.params.uri, list);
      this.waiters.splice(0).forEach((w) => w());
    } else if (message.method !== undefined && message.id !== undefined) {
      // A request from the server (client/registerCapability, workspace/configuration): accept it.
      this.send({ jsonrpc: '2.0', id: message.id, result: null });
    } else if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    }
  }
}

/** The zero-based line of the first line of `text` containing `marker`, and the column of `word` on it. */
export function positionOf(text: string, marker: string, word = marker, occurrence = 0): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(marker));
  if (line < 0) throw new Error(`marker ${JSON.stringify(marker)} is not in the text`);
  let character = -1;
  for (let i = 0; i <= occurrence; i++) character = lines[line].indexOf(word, character + 1);
  if (character < 0) throw new Error(`${JSON.stringify(word)} is not on the line of ${JSON.stringify(marker)}`);
  return { line, character };
}
