import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/helpers/corpus.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Real data lives beside the repository, never inside it: ../shared/corpus. */
export const CORPUS_DIR = resolve(REPO_ROOT, '../shared/corpus');
export const ETDA_CARDS_DIR = resolve(CORPUS_DIR, 'etda-cards');
export const ETDA_JSON = resolve(CORPUS_DIR, 'etda-json/threat-group-cards.json');
export const MISP_DIR = resolve(CORPUS_DIR, 'misp-galaxy');
export const SEEDS_DIR = resolve(REPO_ROOT, 'seeds');

export const hasEtdaCards = existsSync(ETDA_CARDS_DIR);

/** Say clearly, once per file, that corpus tests were skipped and why. */
export function noteSkipped(what: string, path: string): void {
  if (!existsSync(path)) {
    console.warn(`[corpus] SKIPPED ${what}: ${path} does not exist`);
  }
}
