import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Set by the CLI bundle (bin/build.js): where the compiled modules are, from the bundle's files.
 * The bundle (dist/cli/) holds copies of these modules in other files, so a module there cannot
 * find its siblings (worker scripts, the modules a cache key stats) by its own URL.
 */
declare const APTCARD_SRC_ROOT: string | undefined;

/**
 * The root of this code's modules: dist/src/ when compiled (bundled or not), src/ when run from
 * the TypeScript sources. This file sits at that root.
 */
export const SRC_ROOT: URL =
  typeof APTCARD_SRC_ROOT === 'string'
    ? new URL(APTCARD_SRC_ROOT, import.meta.url)
    : new URL('./', import.meta.url);

/** How the modules' files end here: '.js' compiled, '.ts' from the sources. */
export const MODULE_EXT = typeof APTCARD_SRC_ROOT === 'string' ? '.js' : extOf(import.meta.url);

function extOf(url: string): string {
  return url.slice(url.lastIndexOf('.'));
}

/**
 * The path of a compiled script under the root, as `catalog/watch-worker.js` (the entry points
 * of the worker threads and the priming process); undefined when running from the TypeScript
 * sources, where only the .ts file is there.
 */
export function compiledModule(path: string): string | undefined {
  const url = new URL(path, SRC_ROOT);
  if (url.protocol !== 'file:') return undefined;
  const file = fileURLToPath(url);
  return existsSync(file) ? file : undefined;
}
