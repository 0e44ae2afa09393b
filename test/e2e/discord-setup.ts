/** Shared set-up for the Discord end-to-end tests: a small catalog, a bot, a quiet logger. */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Library } from '../../src/catalog/library.js';
import { openLibrary } from '../../src/catalog/open.js';
import type { EnrichmentConfig } from '../../src/config.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import type { Logger } from '../../src/log.js';
import type { StateStore } from '../../src/state/store.js';
import { REPO_ROOT, SEEDS_DIR } from '../helpers/corpus.js';

export const FIXTURES_DIR = join(REPO_ROOT, 'test/fixtures/discord');

export const SEED_UUID = '8650e8c5-55a5-4441-8903-0f2bf5753ef1';
export const RED_ALPHA_UUID = '6a1c3a4e-1f0b-4c39-9a43-5d2f0c7e9b11';
export const TRAP_UUID = '7f3e2d1c-0b9a-4876-8543-21fedcba9876';

/** The seed card and the Discord fixture cards, in a temporary folder (removed by `cleanup`). */
export function fixtureLibrary(): { library: Library; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-discord-'));
  for (const from of [SEEDS_DIR, FIXTURES_DIR]) {
    for (const f of readdirSync(from))
      if (f.endsWith('.md')) copyFileSync(join(from, f), join(dir, f));
  }
  const library = openLibrary(dir, false);
  return { library, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The real enricher (src/detect) with the default policy, except no cooldown: these tests name
 * the same actor in several messages of one channel on purpose. (Cooldown, caps and word-like
 * aliases are the core's policy, tested in test/detect.)
 */
export function discordEnricher(
  overrides: Partial<EnrichmentConfig> = {},
  store?: StateStore,
): AliasEnricher {
  return new AliasEnricher(
    {
      enabled: true,
      disabledChannels: [],
      maxActors: 3,
      cooldownMinutes: 0,
      allow: [],
      deny: [],
      ...overrides,
    },
    store ? { store } : {},
  );
}

/** A logger that keeps its lines, for asserting on start-up messages. */
export function memoryLogger(): {
  logger: Logger;
  lines: () => { msg?: string; level?: number }[];
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'info' }, stream) as unknown as Logger;
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg?: string; level?: number }),
  };
}
