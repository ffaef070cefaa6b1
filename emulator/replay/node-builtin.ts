/**
 * One of Node's own modules, loaded on demand where the engine runs in a Node that can
 * (`process.getBuiltinModule`, Node 20.16 and later); undefined elsewhere (a browser, an older Node).
 * The engine imports nothing of Node at load: a short command pays only for the modules it uses.
 */
export function nodeBuiltin<Module>(id: string): Module | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return host?.getBuiltinModule?.(id) as Module | undefined;
}
