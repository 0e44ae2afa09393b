import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a compiled script next to this module (the entry points of the worker thread and
 * the priming process); undefined when running from the TypeScript sources, where only the
 * .ts file is there.
 */
export function compiledSibling(file: string): string | undefined {
  const url = new URL(file, import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  const path = fileURLToPath(url);
  return existsSync(path) ? path : undefined;
}
