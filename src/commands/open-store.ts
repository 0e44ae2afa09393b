/** The state store for a command, or undefined after saying on stderr why it cannot be used. */

import type { StateConfig } from '../config.js';
import type { GuardedStore } from '../state/guarded.js';
import { openStateStore } from '../state/open.js';
import { StateSetupError } from '../state/store.js';
import type { CliIO } from './command.js';

export async function openCommandStore(
  io: CliIO,
  config: StateConfig,
): Promise<GuardedStore | undefined> {
  try {
    return await openStateStore(config);
  } catch (err) {
    if (!(err instanceof StateSetupError)) throw err;
    io.stderr.write(`aptcard: ${err.message}\n`);
    return undefined;
  }
}
