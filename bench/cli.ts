/**
 * Lean CLI (issue 19): what a warm `aptcard search`, `detect` and `show` process costs over a
 * bare `node -e ''` start, measured in the same run, alternating so both see the same load.
 * Warm: the catalog's caches were filled by a first run (in a temporary cache folder). Over the
 * ETDA corpus when present, else the bundled sample. Target: at most 150 ms over bare node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const BIN = join(REPO, 'bin/aptcard.js');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');
const RUNS = 15;
const TARGET_MS = 150;

function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return ms;
}

export async function run(): Promise<void> {
  const cards = existsSync(CORPUS) ? CORPUS : join(REPO, 'seeds');
  if (cards !== CORPUS) console.log(`corpus ${CORPUS} not found: using seeds/`);
  const cache = mkdtempSync(join(tmpdir(), 'aptcard-bench-cli-'));
  const env = {
    ...process.env,
    CACHE_DIR: cache,
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: '',
    DISCORD_TOKEN: '',
  };
  const commands: [string, string[]][] = [
    ['search', ['search', '--cards', cards, 'hammer panda']],
    ['detect', ['detect', '--cards', cards, 'infra overlaps with TEMP.Zhenbao again']],
    ['show', ['show', '--cards', cards, 'apt 21']],
  ];
  try {
    // Fill the caches, and let the OS page cache hold node and the modules.
    for (const [, args] of commands) timed([BIN, ...args], env);
    const bare: number[] = [];
    const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let i = 0; i < RUNS; i++) {
      bare.push(timed(['-e', ''], env));
      for (const [name, args] of commands) times.get(name)?.push(timed([BIN, ...args], env));
    }
    bare.sort((a, b) => a - b);
    const base = percentile(bare, 50);
    console.log(
      `bare node -e '': median ${fmt(base)} ms (n=${RUNS}, alternated with the commands)`,
    );
    for (const [name, list] of times) {
      list.sort((a, b) => a - b);
      const over = percentile(list, 50) - base;
      console.log(
        `warm aptcard ${name}: median ${fmt(percentile(list, 50))} ms, ${fmt(over)} ms over bare node (${fmt(percentile(list, 50) / base, 1)}x) [target <= ${TARGET_MS} ms over: ${over <= TARGET_MS ? 'met' : 'NOT met'}]`,
      );
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
