/**
 * The adapter list and the boundaries around it: each adapter reads its own settings through
 * the core's engine (problems reported together), `aptcard start` picks what to run from the
 * list, and the core (src/) imports nothing of adapters/ or app/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adaptersToStart } from '../adapters/index.js';
import { loadConfig } from '../app/config.js';
import { ConfigError } from '../src/config.js';
import { REPO_ROOT } from './helpers/corpus.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const names = (env: Record<string, string>) =>
  adaptersToStart(loadConfig({ CACHE_DIR: 'off', ...env })).map((s) => s.adapter.name);

describe('the adapter list', () => {
  it('lists console, slack and discord, each with its name', () => {
    expect(ADAPTERS.map((a) => a.name)).toEqual(['console', 'slack', 'discord']);
  });

  it('starts the console only when no platform is configured', () => {
    expect(names({})).toEqual(['console']);
    expect(names({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['slack']);
    expect(
      names({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        DISCORD_TOKEN: 'd',
        DISCORD_APPLICATION_ID: '123456789012345678',
      }),
    ).toEqual(['slack', 'discord']);
  });

  it("reports the adapters' problems together with the core's, in one error", () => {
    let problems: string[] = [];
    try {
      loadConfig({ WATCH: 'maybe', SLACK_SIGNING_SECRET: 's', DISCORD_APPLICATION_ID: 'abc' });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems;
    }
    expect(problems).toEqual([
      'WATCH must be true or false (got "maybe")',
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not',
      'DISCORD_APPLICATION_ID must be the numeric application id',
    ]);
  });
});

describe('the console settings', () => {
  const consoleConfig = (env: Record<string, string>) =>
    adaptersToStart(loadConfig({ CACHE_DIR: 'off', ...env })).find(
      (s) => s.adapter.name === 'console',
    )?.config;

  it('reads LOG_FORMAT (text by default, or json), and reports anything else', () => {
    expect(consoleConfig({})).toEqual({ logFormat: 'text' });
    expect(consoleConfig({ LOG_FORMAT: 'JSON' })).toEqual({ logFormat: 'json' });
    expect(() => loadConfig({ CACHE_DIR: 'off', LOG_FORMAT: 'yaml' })).toThrow(
      'LOG_FORMAT must be text or json (got "yaml")',
    );
  });
});

describe('boundaries', () => {
  it('nothing under src/ imports adapters/, app/ or a platform SDK', () => {
    const offending = files(join(REPO_ROOT, 'src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const bad = [
        ...text.matchAll(/from\s+'([^']*(?:\/adapters\/|\/app\/|@slack\/bolt|discord\.js)[^']*)'/g),
        ...text.matchAll(/import\(\s*'([^']*(?:\/adapters\/|\/app\/)[^']*)'/g),
      ];
      return bad.map((m) => `${relative(REPO_ROOT, file)}: ${m[1]}`);
    });
    expect(offending).toEqual([]);
  });

  it('no source file under adapters/ or app/ is over 500 lines', () => {
    const long = ['adapters', 'app'].flatMap((dir) =>
      files(join(REPO_ROOT, dir)).flatMap((file) => {
        const lines = readFileSync(file, 'utf8').split('\n').length - 1;
        return lines > 500 ? [`${relative(REPO_ROOT, file)}: ${lines} lines`] : [];
      }),
    );
    expect(long).toEqual([]);
  });
});

describe('the lint rules that keep the boundaries', () => {
  // Probe files under src/ run through the project's own biome.json; the test fails if the
  // rules are turned off or no longer reach src/. (This file is the only one that scans src/,
  // and its tests run in order, so no other test sees the probes.)
  it('an import cycle (types included) or an adapter/SDK import under src/ fails `npm run lint`', () => {
    const dir = join(REPO_ROOT, 'src', '__lint_probe__');
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(
        join(dir, 'a.ts'),
        "import type { B } from './b.js';\nexport type A = B | 1;\n",
      );
      writeFileSync(
        join(dir, 'b.ts'),
        "import type { A } from './a.js';\nexport type B = A | 2;\n",
      );
      writeFileSync(
        join(dir, 'c.ts'),
        "import { App } from '@slack/bolt';\nimport { ADAPTERS } from '../../adapters/index.js';\n\nexport const c = [App, ADAPTERS];\n",
      );
      const biome = join(REPO_ROOT, 'node_modules/@biomejs/biome/bin/biome');
      const run = spawnSync(process.execPath, [biome, 'lint', dir], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      const out = run.stdout + run.stderr;
      expect(run.status).not.toBe(0);
      expect(out).toMatch(/a\.ts.*noImportCycles/);
      expect(out).toMatch(/c\.ts:1:\d+ lint\/style\/noRestrictedImports/);
      expect(out).toMatch(/c\.ts:2:\d+ lint\/style\/noRestrictedImports/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
