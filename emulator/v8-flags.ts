/**
 * Sets V8 flags at run time, in Node, without loading node:v8: the command line's interrupt budget
 * (cli/start.ts) and warm modules' tiering budget (cpu/wasm/warm-tiering.ts). node:v8 loads Node's streams (internal/heap_utils and ~25 modules this
 * Node compiles from source): ~25M instructions under cachegrind, ~3 ms, for one function. Its binding,
 * which node:v8 calls, is reachable through process.binding, which prints a deprecation warning
 * (DEP0111) unless deprecations are silenced: they are, for that one call. Where the binding is not there
 * (a later Node), node:v8 does it; outside Node, nothing (undefined).
 */
import { nodeBuiltin } from './replay/node-builtin';

export type FlagSetter = (flags: string) => void;

let setter: FlagSetter | null | undefined;

/** The setter of V8's flags (flags as on Node's command line), undefined where there is none. */
export function v8FlagSetter(): FlagSetter | undefined {
  setter ??= bindingSetter() ?? nodeBuiltin<typeof import('node:v8')>('node:v8')?.setFlagsFromString ?? null;
  return setter ?? undefined;
}

function bindingSetter(): FlagSetter | undefined {
  const host = (globalThis as { process?: { binding?: (name: string) => { setFlagsFromString?: unknown }; noDeprecation?: boolean } }).process;
  if (typeof host?.binding !== 'function') return undefined;
  const silenced = host.noDeprecation;
  host.noDeprecation = true;
  try {
    const set = host.binding('v8').setFlagsFromString;
    return typeof set === 'function' ? (set as FlagSetter) : undefined;
  } catch {
    return undefined;
  } finally {
    host.noDeprecation = silenced;
  }
}
