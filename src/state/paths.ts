import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * $XDG_STATE_HOME/aptcard, else ~/.local/state/aptcard (like the cache's default). A leaf, so the
 * configuration can name the default without loading the stores.
 */
export function defaultStateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'aptcard');
}
