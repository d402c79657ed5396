import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The module a thread or process of the index runs (`./read-worker.js`, beside this file), or
 * undefined when it is not there, as when the sources run untranspiled under vitest: the caller then
 * does the work on its own thread.
 */
export function compiledModule(name: string): URL | undefined {
  const url = new URL(name, import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}
