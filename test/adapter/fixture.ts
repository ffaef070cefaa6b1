/**
 * A DAP client on the real adapter process (out/adapter/main.js under node) and the real examples:
 * recordings are made here with the Recorder, breakpoint lines come from `// #BP_` markers.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ElfImage } from '../../emulator/elf';
import { Recorder } from '../../emulator/replay/recorder';
import { ScriptedOutside } from '../../emulator/outside';

export const ROOT = resolve(__dirname, '../../..');
export const EXAMPLES = join(ROOT, 'examples');
export const BUG_C = join(EXAMPLES, 'bug/bug.c');
const ADAPTER = join(ROOT, 'out/adapter/main.js');

/** The 1-based line of the `// #BP_NAME` marker in a source file. */
export function markerLine(file: string, name: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// #${name}`));
  assert.ok(index >= 0, `marker #${name} not found in ${file}`);
  return index + 1;
}

/** The 1-based line of the first line containing `text`. */
export function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `"${text}" not found in ${file}`);
  return index + 1;
}

export const scratch = (): string => mkdtempSync(join(tmpdir(), 'rewind-dap-'));

/** Records an example ELF (with `stdin` as its input) into a fresh .rewind file beside nothing else. */
export function record(elf: string, stdin = '', dir = scratch()): string {
  const program = readFileSync(join(EXAMPLES, elf));
  const parts: Uint8Array[] = [];
  const name = elf.split('/').pop()!;
  const recorder = new Recorder(program, name, new ScriptedOutside(new TextEncoder().encode(stdin)), { write: () => undefined }, (b) => parts.push(b.slice()));
  const reason = recorder.run(50_000_000);
  recorder.finish(reason);
  const path = join(dir, name.replace(/\.elf$/, '.rewind'));
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export async function startClient(): Promise<DebugClient> {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: build first with "npx tsc -p ."`);
  const dc = new DebugClient('node', ADAPTER, 'rewind');
  dc.defaultTimeout = 60_000;
  await dc.start();
  return dc;
}

/** Launches with `args` and returns the error's message ('launched' if the launch succeeded). */
export async function launchError(args: Record<string, unknown>): Promise<string> {
  const dc = await startClient();
  try {
    await dc.initializeRequest();
    return await dc.launch(args).then(() => 'launched', (e: Error) => e.message);
  } finally {
    await dc.stop();
  }
}

/** Launches and waits for the first stop; returns it. */
export async function launchAndStop(dc: DebugClient, args: Record<string, unknown>, configure: () => Promise<unknown> = async () => undefined): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
  return stopped;
}

/** Sends a travel request and returns the stop it leads to. */
export async function travel(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await send();
  return stopped;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0];
}

export async function info(dc: DebugClient): Promise<{ step: number; lastStep: number; [k: string]: unknown }> {
  return (await dc.customRequest('rewind/info')).body;
}

export async function evaluate(dc: DebugClient, expression: string, frameId?: number): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

/**
 * The little-endian 32-bit word at `address` in `image`'s loaded bytes (an instruction, or a compressed
 * one and the half after it), or undefined where no segment holds all four bytes.
 */
export function wordAt(image: ElfImage, address: number): number | undefined {
  const segment = image.segments.find((s) => s.paddr <= address && address + 4 <= s.paddr + s.data.length);
  if (segment === undefined) return undefined;
  const o = address - segment.paddr;
  return (segment.data[o] | (segment.data[o + 1] << 8) | (segment.data[o + 2] << 16) | (segment.data[o + 3] << 24)) >>> 0;
}
