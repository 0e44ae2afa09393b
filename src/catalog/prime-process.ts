/**
 * Entry point of a priming process (started by prime.ts), which fills one part of a cards
 * folder's caches in a process of its own: `node prime-process.js STAGE DIR CACHE_DIR
 * [PARENT_PID [SCANNER_POLICY_JSON]]`. Each stage runs in a fresh process that reads what the
 * ones before saved, so none holds another's memory (10,000 cards: 150-210 MB each):
 *   cards    the parsed-card cache, a part of the files at a time (fill-card-cache.ts)
 *   names    the grouping into actors and the names index
 *   text     the prose index (the largest of the indexes to build)
 *   scanner  the enrichment scanner's tables under the policy (the bot then wraps them instead
 *            of building them in its scanner worker, whose memory would stay in the bot's RSS)
 * Prints one JSON line with its time and peak RSS; exits 1 with the reason on stderr when the
 * folder cannot be loaded. Dies with PARENT_PID (default: the process that started it).
 */
import type { BuildPolicy } from '../detect/scanner-build.js';
import { cachedDetector } from '../detect/scanner-cache.js';
import { buildIndex } from './catalog-index.js';
import { dieWithParent } from './die-with-parent.js';
import { fillCardCache } from './fill-card-cache.js';
import { loadCatalog } from './load.js';
import { PRIME_STAGES, type PrimeStage } from './prime-stages.js';

const [stage, dir, cacheDir, parentPid, scannerPolicy] = process.argv.slice(2);
if (!PRIME_STAGES.includes(stage as PrimeStage) || !dir || !cacheDir) {
  process.stderr.write(
    `usage: prime-process ${PRIME_STAGES.join('|')} DIR CACHE_DIR [PARENT_PID [POLICY]]\n`,
  );
  process.exit(2);
}
dieWithParent(Number(parentPid) || process.ppid);
const started = performance.now();
try {
  if (stage === 'cards') {
    if (fillCardCache(dir, cacheDir) === undefined)
      throw new Error(`cannot list the cards folder ${dir}`);
  } else if (stage === 'scanner') {
    const policy = JSON.parse(scannerPolicy ?? '{}') as BuildPolicy;
    // The catalog the bot loads, from the caches the stages before filled: the same key.
    cachedDetector(loadCatalog(dir, { cacheDir }), policy, {}, cacheDir);
  } else {
    buildIndex(loadCatalog(dir, { cacheDir }), cacheDir).prime(
      stage === 'names' ? 'names' : 'text',
    );
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, peakRssMB })}\n`);
