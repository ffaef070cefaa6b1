/**
 * `rewind` itself (dist/cli.js, the package's bin): starts the command line, whose code is the bundle
 * beside it (dist/cli-main.js, from cli/main.ts), from V8's code cache of that bundle (cli/cached-bundle.ts).
 * `npm run build` makes the cache with a run of examples/hello (scripts/bundle.mjs); a start that finds
 * none (another Node, a fresh copy of dist/) makes one at its exit. This file takes no arguments of its own.
 */
import { cacheFileOf, runCachedBundle } from './cached-bundle';
import { v8FlagSetter } from '../emulator/v8-flags';

// V8 optimizes a function once it has run about 66 KB of its bytecode a few times over (its "interrupt
// budget"). Much of the command line's code runs that much while a program is young and hardly again:
// choosing a region's blocks (parts, regionCandidates), decoding a large program's blocks (buildBlock).
// TurboFan took 10-60 ms of a background thread for each, which on two cores competes with the run,
// for code that ran a few ms in all. Twice the budget leaves most of them to the baseline tiers; the
// engine's loops (run loop, block interpreter, chain of regions) still get optimized early. Set before
// the bundle is compiled, so that its code cache is made and checked under the same flags. rewind run,
// fresh processes, medians of 11 interleaved runs on the loaded 2-core machine, CPU of the threads
// other than the main one, before -> after: mathlib 186 -> 157 ms, softfloat 127 -> 101, cipher 51 ->
// 37, tree 120 -> 103, qrcode 70 -> 62, statemachine 251 -> 229; main thread within 0-3%. Only on V8 11
// (Node 20), where the flag and its default are known: later V8s tier up through Maglev and have no such
// flag (Node 24 printed "Error: unrecognized flag" at every start).
if (process.versions.v8.startsWith('11.')) v8FlagSetter()?.('--interrupt-budget=135168');

/** The main bundle's content hash (scripts/bundle.mjs defines it). */
declare const BUNDLE_ID: string;

runCachedBundle(`${__dirname}/cli-main.js`, cacheFileOf(__dirname, 'cli-main', BUNDLE_ID), module, require);
