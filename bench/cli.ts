/**
 * Lean CLI (issue 19): what a warm `aptcard search`, `detect` and `show` process costs over a
 * bare `node -e ''` start, measured in the same run, alternating so both see the same load.
 * Warm: the catalog's caches were filled by a first run (in a temporary cache folder). Over the
 * ETDA corpus when present, else the bundled sample. Target: at most 150 ms over bare node.
 * The launcher runs the CLI bundle (bin/build.js); the unbundled modules are timed beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, percentile } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const BIN = join(REPO, 'bin/aptcard.js');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');
const RUNS = 15;
/** `node` arguments that run dist/app/cli.js's main with the arguments after them. */
const UNBUNDLED = [
  '--input-type=module',
  '-e',
  `const { main } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/app/cli.js')).href)}); process.exitCode = await main(process.argv.slice(1));`,
];
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
  const asked: [string, string[]][] = [
    ['search', ['search', '--cards', cards, 'hammer panda']],
    ['detect', ['detect', '--cards', cards, 'infra overlaps with TEMP.Zhenbao again']],
    ['show', ['show', '--cards', cards, 'apt 21']],
  ];
  // What the launcher runs (the bundle from bin/build.js), and for comparison the same commands
  // through the modules as tsc emitted them, unbundled.
  const commands: [string, string[]][] = [
    ...asked.map(([name, argv]): [string, string[]] => [name, [BIN, ...argv]]),
    ...asked.map(([name, argv]): [string, string[]] => [
      `${name}, unbundled`,
      [...UNBUNDLED, ...argv],
    ]),
  ];
  try {
    // Fill the caches, and let the OS page cache hold node and the modules.
    for (const [, args] of commands) timed(args, env);
    const bare: number[] = [];
    const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let i = 0; i < RUNS; i++) {
      bare.push(timed(['-e', ''], env));
      for (const [name, args] of commands) times.get(name)?.push(timed(args, env));
    }
    bare.sort((a, b) => a - b);
    const base = percentile(bare, 50);
    console.log(
      `bare node -e '': median ${fmt(base)} ms (n=${RUNS}, alternated with the commands)`,
    );
    const median = (name: string) => percentile(times.get(name)?.sort((a, b) => a - b) ?? [], 50);
    for (const [name] of asked) {
      const ms = median(name);
      const over = ms - base;
      console.log(
        `warm aptcard ${name}: median ${fmt(ms)} ms, ${fmt(over)} ms over bare node (${fmt(ms / base, 1)}x) [target <= ${TARGET_MS} ms over: ${over <= TARGET_MS ? 'met' : 'NOT met'}]`,
      );
    }
    for (const [name] of asked) {
      const ms = median(`${name}, unbundled`);
      console.log(
        `  unbundled, for comparison: ${name} median ${fmt(ms)} ms, ${fmt(ms - base)} ms over bare node; the bundle ${fmt(median(name) / ms, 2)}x of it`,
      );
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
