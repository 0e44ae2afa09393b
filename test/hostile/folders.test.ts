/**
 * Card folders that fight back, through `aptcard validate` (the real launcher): an unreadable
 * sub-folder is reported and skipped while the rest load, and cards that are links (a
 * Kubernetes ConfigMap's layout, every card a link through `..data`) load like files.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEEDS_DIR } from '../helpers/corpus.js';
import { runLauncher } from '../helpers/launcher.js';

const SEED = join(SEEDS_DIR, 'nettraveler-apt-21-hammer-panda.md');
/** Permissions mean nothing to root: run the child as nobody then. */
const NOBODY = process.getuid?.() === 0 ? 65534 : undefined;

const second = (uuidTail: string) =>
  `# Threat actor: Second Actor\n\n**UUID**: 0badc0de-0000-4000-8000-${uuidTail}\n\n## Summary\n\nText.\n`;

let dir: string;
afterEach(() => {
  chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  cards: number;
  errors: { file: string; line: number; message: string }[];
}

async function validate(folder: string): Promise<Report> {
  const run = await runLauncher(['validate', '--cards', folder, '--json'], {
    ...(NOBODY !== undefined ? { uid: NOBODY } : {}),
    env: { HOME: folder },
  });
  expect(run.killed).toBe(false);
  return JSON.parse(run.out) as Report;
}

describe('hostile card folders', () => {
  it('reports an unreadable sub-folder and loads the rest', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aptcard-folders-'));
    chmodSync(dir, 0o755);
    copyFileSync(SEED, join(dir, 'seed.md'));
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'second.md'), second('000000000002'));
    chmodSync(join(dir, 'locked'), 0o000);
    const report = await validate(dir);
    expect(report.cards).toBe(1);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.file).toMatch(/locked$/);
    expect(report.errors[0]?.message).toContain('unreadable folder');
  });

  it('loads cards that are links, as a ConfigMap mounts them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aptcard-folders-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'locked')); // for afterEach
    const data = join(dir, '..2026_12_01_10_00_00.1');
    mkdirSync(data);
    copyFileSync(SEED, join(data, 'seed.md'));
    writeFileSync(join(data, 'second.md'), second('000000000003'));
    symlinkSync('..2026_12_01_10_00_00.1', join(dir, '..data'));
    symlinkSync('..data/seed.md', join(dir, 'seed.md'));
    symlinkSync('..data/second.md', join(dir, 'second.md'));
    symlinkSync('..data/missing.md', join(dir, 'gone.md'));
    const report = await validate(dir);
    expect(report.cards).toBe(2);
    expect(report.errors.map((e) => e.message)).toEqual([expect.stringContaining('broken link')]);
  });
});
