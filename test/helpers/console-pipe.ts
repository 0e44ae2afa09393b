/** The real launcher's console (`aptcard start` with no platform token) on a pipe. */
import { SEEDS_DIR } from './corpus.js';
import { type LauncherRun, runLauncher } from './launcher.js';

/** Run `aptcard start` on a pipe with these lines; kill it at the deadline. */
export function consoleOnPipe(
  lines: string[],
  env: Record<string, string> = {},
  deadlineMs = 20_000,
): Promise<LauncherRun> {
  return runLauncher(['start'], {
    env: { CARDS_DIR: SEEDS_DIR, WATCH: 'false', ...env },
    stdin: lines.map((l) => `${l}\n`).join(''),
    deadlineMs,
  });
}
