/**
 * Filling the caches of a large folder in separate processes (src/catalog/prime-process.ts),
 * for a first start: the garbage of parsing thousands of cards never enters the bot's heap.
 * One process per stage, one after the other, each reading what the one before saved: in one
 * process the parse's cards were still held while the indexes were built, and both while the
 * scanner was (10,000 cards: 279 MB peak, against about 150-200 MB for each stage alone).
 */
import { createRequire } from 'node:module';
import { compiledModule } from '../code-location.js';
import type { BuildPolicy } from '../detect/scanner-build.js';
import { log } from '../log.js';
import { PRIME_STAGES, type PrimeStage } from './prime-stages.js';

/** What priming reports: how long it took and the highest peak RSS of its processes. */
export interface PrimeStats {
  ms: number;
  peakRssMB: number;
  /** Each stage's process's peak RSS. */
  stages?: Partial<Record<PrimeStage, number>>;
}

/**
 * child_process read when a priming process is started, not when this module is: a warm
 * `aptcard search` never primes, and loads only what answering needs (test/cli/lean-start).
 */
const childProcess = () =>
  createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

/**
 * V8 limits for a priming process: a small young generation, and an old-space cap that grows
 * with the folder (264 MB for 10,000 cards; each stage stays far below it, 150-185 MB RSS).
 * The cap only makes a runaway stage fail early; a stage that fails is run again without it.
 */
function memoryFlags(files: number): string[] {
  const oldSpaceMB = Math.max(256, 64 + Math.ceil(files / 50));
  return ['--max-semi-space-size=4', `--max-old-space-size=${oldSpaceMB}`];
}

function runPrime(
  script: string,
  flags: string[],
  stage: PrimeStage,
  dir: string,
  cacheDir: string,
  scanner: BuildPolicy | undefined,
) {
  return new Promise<PrimeStats>((resolve, reject) => {
    // Our pid, so that the child dies with this process (src/catalog/die-with-parent.ts).
    const args = [...flags, script, stage, dir, cacheDir, String(process.pid)];
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
 * scanner's tables) in separate processes only to fill the caches, so that the caller's own
 * load is a cache hit: all the memory a process took goes back to the system when it ends (a
 * worker thread's would stay in this process). Undefined when the compiled script is not there.
 * A stage that fails stops the rest (the caller then loads in its own process).
 */
export async function primeCachesInProcess(
  dir: string,
  cacheDir: string,
  files: number,
  script: string | undefined = compiledModule('catalog/prime-process.js'),
  scanner?: BuildPolicy,
): Promise<PrimeStats | undefined> {
  if (!script) return undefined;
  const total: PrimeStats = { ms: 0, peakRssMB: 0, stages: {} };
  for (const stage of PRIME_STAGES) {
    if (stage === 'scanner' && !scanner) continue;
    const stats = await primeStage(script, stage, dir, cacheDir, files, scanner);
    total.ms += stats.ms;
    total.peakRssMB = Math.max(total.peakRssMB, stats.peakRssMB);
    if (total.stages) total.stages[stage] = stats.peakRssMB;
  }
  return total;
}

async function primeStage(
  script: string,
  stage: PrimeStage,
  dir: string,
  cacheDir: string,
  files: number,
  scanner: BuildPolicy | undefined,
): Promise<PrimeStats> {
  try {
    return await runPrime(script, memoryFlags(files), stage, dir, cacheDir, scanner);
  } catch (err) {
    // Most likely the old-space cap (an unusually large catalog): once more without it.
    log.warn(
      { err: (err as Error).message, stage },
      'card loader process failed; retrying without its memory cap',
    );
    return await runPrime(script, [], stage, dir, cacheDir, scanner);
  }
}
