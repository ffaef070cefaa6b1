/**
 * V8's optimizing compilers (TurboFan, for wasm regions and for our JavaScript) take their working
 * memory from malloc: ~1-2 MB of zone segments for each region they compile, freed at its end. glibc
 * gives memory at the top of a heap back to the kernel once more than its trim threshold (128 KiB at
 * first) is free there, so each compile took the same pages from the kernel again: on this VM a page
 * fault costs ~14 µs of CPU, and bench/mathlib's process took 13.4K faults, 5K of them in compiles.
 *
 * glibc raises its thresholds for good when a block it had to mmap (one over the mmap threshold) is
 * freed: the mmap threshold to that block's size, the trim threshold to twice that (mallopt(3),
 * "dynamic mmap threshold", up to 32 MiB). A 16 MiB ArrayBuffer that nothing keeps is such a block
 * (calloc maps it, and its zero pages are never touched); V8 frees it at its next scavenge, within the
 * first milliseconds of a run. After that, freed compile memory stays in the process for the next
 * compile. `rewind run`, CPU medians of 5 interleaved processes (load ~8): mathlib 0.74 -> 0.58 s
 * (faults 13.4K -> 8.2K, threads other than the main one 322 -> 225 ms), tree 0.53 -> 0.42 s.
 * Elsewhere (another malloc) the buffer costs a map and an unmap of untouched memory.
 */

/** Bytes of the buffer: over glibc's first mmap threshold (128 KiB), at most its largest (32 MiB). */
const DROPPED_BYTES = 16 << 20;

/** Call once, early in a process that compiles (the command line, the debug adapter). */
export function keepCompilerMemory(): void {
  // Made and dropped: only its free matters.
  void new ArrayBuffer(DROPPED_BYTES);
}
