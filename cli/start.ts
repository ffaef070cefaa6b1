/**
 * `rewind` itself (dist/cli.js, the package's bin): starts the command line, whose code is the bundle
 * beside it (dist/cli-main.js, from cli/main.ts), from V8's code cache of that bundle when there is one.
 *
 * Node compiles a script it loads from scratch at every start: for the ~360 KB bundle, ~7 ms to pre-parse
 * it, then each function the run calls on its first call (the decoder, the block interpreter, the wasm
 * emitter...). A code cache taken after a run holds the bytecode of every function that run compiled, so
 * a short program's whole process spends that time once, not at every start (hello.elf ~9% less CPU,
 * cipher, mathlib 3-7%). `npm run build` makes the cache with a run of examples/hello (scripts/bundle.mjs);
 * a start that finds none (another Node, a fresh copy of dist/) makes one at its exit, for the next.
 *
 * The cache's name holds the bundle's content hash (put in here by scripts/bundle.mjs), V8's version and
 * the architecture: a cache never meets code it was not made from (V8 itself checks only the source's
 * length, its own version and its flags). One that V8 still rejects (different V8 flags) is not replaced,
 * so that two kinds of start cannot take turns rewriting it; the run then compiles as without one. This
 * file loads nothing of the rest (the bundle has it all) and takes no arguments of its own.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// V8 optimizes a function once it has run about 66 KB of its bytecode a few times over (its "interrupt
// budget"). Much of the command line's code runs that much while a program is young and hardly again:
// choosing a region's blocks (parts, regionCandidates), decoding a large program's blocks (buildBlock).
// TurboFan took 10-60 ms of a background thread for each, which on two cores competes with the run,
// for code that ran a few ms in all. Twice the budget leaves most of them to the baseline tiers; the
// engine's loops (run loop, block interpreter, chain of regions) still get optimized early. Set before
// the bundle is compiled, so that its code cache is made and checked under the same flags. rewind run,
// fresh processes, medians of 11 interleaved runs on the loaded 2-core machine, CPU of the threads
// other than the main one, before -> after: mathlib 186 -> 157 ms, softfloat 127 -> 101, cipher 51 ->
// 37, tree 120 -> 103, qrcode 70 -> 62, statemachine 251 -> 229; main thread within 0-3%.
setFlagsFromString('--interrupt-budget=135168');

/** The main bundle's content hash (scripts/bundle.mjs defines it). */
declare const BUNDLE_ID: string;

const main = `${__dirname}/cli-main.js`;
const cacheFile = `${__dirname}/cli-main.${BUNDLE_ID}.v8-${process.versions.v8}-${process.arch}.cache`;

let cached: Buffer | undefined;
try {
  cached = readFileSync(cacheFile);
} catch {
  cached = undefined; // none yet
}
// Node's own wrapper for a CommonJS module, on the bundle's first line so that its line numbers hold.
// The bundle is ASCII (scripts/bundle.mjs escapes the rest): one byte a character, nothing to decode.
const source = readFileSync(main, 'latin1');
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: main, cachedData: cached });
if (cached === undefined) process.once('exit', () => saveCache(script));
(script.runInThisContext() as (...args: unknown[]) => void)(exports, require, module, main, __dirname);

/** Writes the cache of what this run compiled, whole or not at all (another start may be reading it). */
function saveCache(compiled: Script): void {
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
