import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCard } from '../../src/cards/parse.js';
import { fakeIO } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';

export const FIXTURES = resolve(REPO_ROOT, 'test/fixtures/import');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}

/** A fresh temp folder; remove it with the returned cleanup. */
export function tempDir(prefix = 'aptcard-import-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every card file of a folder (top level), by the UUID the parser reads from it. */
export function cardsByUuid(dir: string): Map<string, { file: string; text: string }> {
  const out = new Map<string, { file: string; text: string }>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    // The header's UUID as the parser reads it (spaces dropped, lower case), without a full parse.
    const m = /^\*\*UUID\*\*: (.*)$/m.exec(text);
    const uuid = m ? (m[1] ?? '').replace(/\s+/g, '').toLowerCase() : parseCard(text, file).uuid;
    out.set(uuid, { file, text });
  }
  return out;
}

/** An in-memory CliIO for main(), with the cache off. */
export function memoryIO(env: Record<string, string | undefined> = {}) {
  return fakeIO({ CACHE_DIR: 'off', ...env });
}
