#!/bin/bash
# Counts the host instructions of a fresh `rewind run` of bench programs, in millions, the same in every
# run of one tree (bench/LOG.md, session 27, clock27): cachegrind of `node --predictable dist/cli.js
# run`, with valgrind's --fair-sched=yes.
#
#   bench/count-instructions.sh prog...                    this tree (the one the script is in)
#   BASE=/path/to/tree bench/count-instructions.sh prog... BASE and this tree, alternating (an A/B pair)
#   R=3 ...                                                each pair R times (default 1)
#
# prog is a bench/*.elf name without .elf, or hello (examples/hello/hello.elf); the trees must be built
# (dist/). Prints "prog tree M" (millions, one decimal). Guest output, steps and state do not depend on this; for those, compare
# `node dist/cli.js run --hash ELF` between trees.
#
# Why each flag:
# - node --predictable: V8's seeds fixed, its GC on a fixed schedule and JavaScript optimized on the main
#   thread (plain or --single-threaded runs of one tree moved up to 8% with GC timing). It also rejects
#   dist/'s code cache (V8's flags differ): a constant in every tree, so add nothing for it.
# - --fair-sched=yes: --predictable leaves V8's wasm compile threads on (the regions' TurboFan tier-ups),
#   and valgrind runs one thread at a time; with its default lock the kernel picked which thread ran next,
#   so a tier-up landed at another point of the run each time (core 1,988 or 2,506M in one tree, kernel
#   2,404-2,740M, bigcode 3,738-3,893M). Its ticket lock hands turns over in order.
# - not --single-threaded: with --predictable it turns wasm tier-up off, so the regions would run Liftoff's
#   code only (repeatable too, but not what a user runs: core 2,079M against 1,988M).
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
R=${R:-1}
TREES=("$HERE")
[ -n "${BASE:-}" ] && TREES=("$(cd "$BASE" && pwd)" "$HERE")
for p in "$@"; do
  elf=bench/$p.elf
  [ "$p" = hello ] && elf=examples/hello/hello.elf
  for _ in $(seq "$R"); do
    for d in "${TREES[@]}"; do
      n=$(cd "$d" && valgrind --tool=cachegrind --cache-sim=no --fair-sched=yes --cachegrind-out-file=/dev/null \
        node --predictable dist/cli.js run "$elf" 2>&1 >/dev/null | grep -E 'I\s+refs' | sed -E 's/.*refs: *//; s/,//g')
      echo "$p $(basename "$d") $(awk "BEGIN { printf \"%.1f\", ${n:-0} / 1e6 }")"
    done
  done
done
