/**
 * Filling the caches of a large folder in a separate process (src/catalog/prime-process.ts),
 * for a first start: the garbage of parsing thousands of cards never enters the bot's heap.
 */
import { createRequire } from 'node:module';
import { compiledModule } from '../code-location.js';
import type { BuildPolicy } from '../detect/scanner-build.js';
import { log } from '../log.js';

/** What a priming process reports: how long it took and its peak RSS. */
export interface PrimeStats {
  ms: number;
  peakRssMB: number;
}

/**
 * V8 limits for the priming process. Parsing thousands of cards makes far more garbage than it
 * keeps; with the default limits the heap grows to about 400 MB for 10,000 cards before V8
 * collects, with these it stays near 270 MB (collected more often, about 15% slower). The
 * old-space cap grows with the folder: 264 MB for 10,000 generated cards, about 40% above the
 * 185 MB of heap they use at the end. A folder that needs more is primed again without it.
 */
/**
 * child_process read when a priming process is started, not when this module is: a warm
 * `aptcard search` never primes, and loads only what answering needs (test/cli/lean-start).
 */
const childProcess = () =>
  createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

function memoryFlags(files: number): string[] {
  const oldSpaceMB = Math.max(256, 64 + Math.ceil(files / 50));
  return ['--max-semi-space-size=4', `--max-old-space-size=${oldSpaceMB}`];
}

function runPrime(
  script: string,
  flags: string[],
  dir: string,
  cacheDir: string,
  scanner: BuildPolicy | undefined,
) {
  return new Promise<PrimeStats>((resolve, reject) => {
    // Our pid, so that the child dies with this process (src/catalog/die-with-parent.ts).
    const args = [...flags, script, dir, cacheDir, String(process.pid)];
    if (scanner)
      args.push(JSON.stringify({ allow: scanner.allow ?? [], deny: scanner.deny ?? [] }));
    const child = childProcess().spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out = (out + s).slice(-4096);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err = (err + s).slice(-4096);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(out) as PrimeStats);
        } catch {
          resolve({ ms: Number.NaN, peakRssMB: Number.NaN });
        }
        return;
      }
      const why = err.trim().split('\n').slice(-3).join(' | ') || `signal ${signal}`;
      reject(new Error(`card loader process exited (code ${code}): ${why}`));
    });
  });
}

/**
 * Parse a folder and build its indexes (and, given the enrichment policy `scanner`, the
 * scanner's tables) in a separate process only to fill the caches, so that
 * the caller's own load is a cache hit: all the memory the process took goes back to the
 * system when it ends (a worker thread's would stay in this process). Undefined when the
 * compiled script is not there.
 */
export async function primeCachesInProcess(
  dir: string,
  cacheDir: string,
  files: number,
  script: string | undefined = compiledModule('catalog/prime-process.js'),
  scanner?: BuildPolicy,
): Promise<PrimeStats | undefined> {
  if (!script) return undefined;
  try {
    return await runPrime(script, memoryFlags(files), dir, cacheDir, scanner);
  } catch (err) {
    // Most likely the old-space cap (an unusually large catalog): once more without it.
    log.warn(
      { err: (err as Error).message },
      'card loader process failed; retrying without its memory cap',
    );
    return await runPrime(script, [], dir, cacheDir, scanner);
  }
}
