/** The launcher as users run it: `npx aptcard ...` and `npm start` on a pipe. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';

const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const env = {
  ...process.env,
  CACHE_DIR: 'off',
  CARDS_DIR: '',
  SLACK_BOT_TOKEN: '',
  DISCORD_TOKEN: '',
  LOG_LEVEL: 'silent',
  SYNC_ON_START: 'false',
  SYNC_INTERVAL: '0',
};

describe('bin/aptcard.js', () => {
  it('lists the commands', () => {
    const out = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env });
    expect(out).toMatch(/Usage: aptcard <command>/);
    expect(out).toMatch(/ search /);
  });

  it('says which Node.js it needs where ES modules cannot be required (Node < 20.19)', () => {
    // The flag switches off what Node 20.19 turned on: the same as an older Node here.
    const run = spawnSync(process.execPath, ['--no-experimental-require-module', BIN, '--help'], {
      encoding: 'utf8',
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/needs Node\.js 20\.19 or newer/);
  });

  it('searches the bundled seeds as JSON', () => {
    const out = execFileSync(process.execPath, [BIN, 'search', '--json', 'apt21'], {
      encoding: 'utf8',
      env,
    });
    expect(JSON.parse(out)).toMatchObject({
      outcome: 'profile',
      results: [{ uuid: '8650e8c5-55a5-4441-8903-0f2bf5753ef1', name: 'NetTraveler' }],
    });
  });

  it('runs the console chat on a pipe and exits at end of input, as npm start runs it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const start = /^node((?:\s+--\S+)*)\s+bin\/aptcard\.js start$/.exec(pkg.scripts.start);
    expect(start, 'the start script runs the launcher').not.toBeNull();
    const flags = start?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
    const run = spawnSync(process.execPath, [...flags, BIN, 'start'], {
      input: '/apt apt 21\n',
      encoding: 'utf8',
      env,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^NetTraveler, APT 21, Hammer Panda\n/);
    expect(run.stdout).toMatch(
      /Aliases: NetTraveler \(Kaspersky\), APT 21 \(Mandiant\), Hammer Panda \(CrowdStrike\), TEMP\.Zhenbao \(FireEye\)/,
    );
    expect(run.stdout).toMatch(/2014-08 {2}NetTraveler Gets a Makeover/);
  });
});
