/**
 * The part of the WebAssembly JavaScript API the emulator uses (Node has it; @types/node 20 does not
 * declare it, and the DOM library would bring the whole browser with it).
 */
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Table {
    constructor(descriptor: { element: 'anyfunc'; initial: number });
    readonly length: number;
    get(index: number): unknown;
    set(index: number, value: unknown): void;
    grow(delta: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
