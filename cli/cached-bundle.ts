/**
 * Runs one of dist/'s CommonJS bundles from V8's code cache of it when there is one: the command line's
 * (cli/start.ts) and the GDB stub's and MCP server's, which it loads when they run (cli/lazy-command.ts).
 *
 * Node compiles a script it loads from scratch at every start: pre-parsing the whole bundle, then each
 * function at its first call. A code cache taken at a process's exit holds the bytecode of every function
 * that process compiled, so later starts skip that work (the command line: hello.elf ~9% less CPU; the
 * MCP server, whose minified bundle holds the MCP SDK, zod and ajv, answers `initialize` ~0.1 s sooner).
 *
 * A cache's name holds its bundle's content hash (scripts/bundle.mjs puts it in), V8's version and the
 * architecture: a cache never meets code it was not made from (V8 itself checks only the source's
 * length, its own version and its flags). A start that finds none makes one at its exit, for the next;
 * one that V8 still rejects (other V8 flags) is not replaced, so that two kinds of start cannot take
 * turns rewriting it, and the bundle compiles as without one. Only Node's own modules are loaded here.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** What a CommonJS module fills in. */
export interface BundleModule {
  exports: unknown;
}

/** The code cache of the bundle `name`.js in `dir` whose content hash is `id`. */
export function cacheFileOf(dir: string, name: string, id: string): string {
  return `${dir}/${name}.${id}.v8-${process.versions.v8}-${process.arch}.cache`;
}

/** Runs the bundle `file` as the CommonJS module `module`, whose requires go to `require`. */
export function runCachedBundle(file: string, cacheFile: string, module: BundleModule, require: NodeJS.Require): void {
  // Both files are read into one buffer, the bundle's text first (copied into a string at once), then
  // the cache over it: every 4 KiB page of fresh memory a process touches costs a page fault (~13 µs
  // on the 2-core VM of bench/LOG.md), and a buffer of its own for each was ~90 more of them. The
  // buffer is larger than either file (malloc maps it; only the pages read into are touched), and each
  // is read to its end without asking its size: statSync and fstatSync make a Stats object (four Dates),
  // in Node's fs code run cold, ~0.3 ms each, four of them at every start until session 18.
  const scratch = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  // The bundle is Node's own wrapper of a CommonJS module, a function expression, as written
  // (scripts/bundle.mjs): compiled as read, without a copy. The bundles are ASCII (scripts/bundle.mjs
  // escapes the rest): one byte a character, nothing to decode.
  const source = readWhole(file, scratch).toString('latin1');
  let cached: Buffer | undefined;
  try {
    cached = readWhole(cacheFile, scratch);
  } catch {
    cached = undefined; // none yet
  }
  const script = new Script(source, { filename: file, cachedData: cached });
  if (cached === undefined) process.once('exit', () => saveCache(script, cacheFile));
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
}

/** The read buffer's size: above the bundles and their caches (cli-main.js ~460 KB, mcp-command.js ~1.2 MB). */
const READ_BUFFER_BYTES = 2 << 20;

/** The whole file at `path`, read into the start of `into` (into a larger buffer if it does not fit). */
function readWhole(path: string, into: Buffer): Buffer {
  const fd = openSync(path, 'r');
  try {
    let buffer = into;
    let done = 0;
    for (;;) {
      if (done === buffer.length) {
        const larger = Buffer.allocUnsafeSlow(2 * buffer.length);
        buffer.copy(larger);
        buffer = larger;
      }
      const n = readSync(fd, buffer, done, buffer.length - done, done);
      if (n === 0) return buffer.subarray(0, done);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes the cache of what this run compiled, whole or not at all (another start may be reading it). */
function saveCache(compiled: Script, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, compiled.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // A folder we may not write to: every start compiles, as before.
    try {
      rmSync(partial, { force: true });
    } catch {
      // nothing was written
    }
  }
}
