/**
 * Fields that change while a program runs, said so before V8 optimizes code that reads them.
 *
 * V8 takes an object's field that nothing has written since its constructor for a constant ("const"
 * field tracking, per map): optimized code that reads it may rely on that, and at the field's next write
 * V8 throws every such piece of code away, to be optimized again. A field the guest first changes after
 * the run loop got optimized cost a whole second optimization of it: bench/kernel's first write of the
 * UART's IER threw away `run`, `nextInterruptStep` and `recheckInterrupts`, and a growing block store's
 * `ints` threw away `runSlice`, `interpretAt` and the block encoder (bench/mathlib, bigcode,
 * statemachine), each tens of ms of TurboFan on a fresh process's other thread.
 *
 * Writing such a field a second time in its constructor, with another value of the same kind (a field's
 * kind, small integer or which class of object, is tracked apart and must not widen), makes it a plain
 * field of that map from the first object on. `--trace-deopt` shows the dependent code thrown away
 * ("marking dependent code ... code dependencies"), `--no-sparkplug --trace-generalization` the field.
 */
export function markMutable(object: object, others: Record<string, unknown>): void {
  // Keys as strings: the fields are mostly private, which TypeScript's keyof does not see.
  const fields = object as Record<string, unknown>;
  for (const [key, other] of Object.entries(others)) {
    if (!(key in fields)) throw new Error(`markMutable: ${object.constructor.name} has no field ${key}`);
    const value = fields[key];
    fields[key] = other;
    fields[key] = value;
  }
}
