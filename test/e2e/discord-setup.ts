/** Shared set-up for the Discord end-to-end tests: a small catalog, a bot, a quiet logger. */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Enricher } from '../../src/bot.js';
import { allNames } from '../../src/cards/model.js';
import type { Library } from '../../src/catalog/library.js';
import { openLibrary } from '../../src/catalog/open.js';
import type { Logger } from '../../src/log.js';
import { compactActor } from '../../src/reply/build.js';
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

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A deliberately simple enricher for the tests (exact names, word boundaries, case-sensitive).
 * The real one lives in src/detect/; this one only proves the adapter's side of the contract.
 */
export const testEnricher: Enricher = {
  enrich(request, index) {
    const actors = [];
    for (const entry of index.catalog.cards) {
      const matched = allNames(entry.card).filter((n) =>
        new RegExp(`(?<![\\w])${escapeRe(n)}(?![\\w])`).test(request.text),
      );
      if (matched.length) actors.push(compactActor(entry.card, entry, matched));
    }
    return actors.length ? { kind: 'enrichment', actors } : null;
  },
};

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
