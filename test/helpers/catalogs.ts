/**
 * The public catalogs of ../shared/corpus imported together with the project's own importers,
 * as a user running `aptcard import` on each file into one folder would.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { importEtda } from '../../src/import/etda.js';
import { type Json, parseJson } from '../../src/import/json.js';
import { importMisp } from '../../src/import/misp.js';
import type { ImportBatch } from '../../src/import/model.js';
import { importStix } from '../../src/import/stix.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { CORPUS_DIR, ETDA_JSON, MISP_DIR, noteSkipped } from './corpus.js';

/** A public catalog file and the project's importer for it (what `aptcard import` runs). */
export interface CatalogFile {
  path: string;
  importer: (json: Json, what: string) => ImportBatch;
}

export const ETDA_CATALOG: CatalogFile = { path: ETDA_JSON, importer: importEtda };
export const MISP_THREAT_ACTOR: CatalogFile = {
  path: join(MISP_DIR, 'threat-actor.json'),
  importer: importMisp,
};
export const MISP_MITRE: CatalogFile = {
  path: join(MISP_DIR, 'mitre-intrusion-set.json'),
  importer: importMisp,
};
export const ATTACK_ICS: CatalogFile = {
  path: join(CORPUS_DIR, 'attack-stix/ics-attack.json'),
  importer: importStix,
};

/** Whether every file is there; says which is missing (the tests over them then skip). */
export function hasCatalogFiles(what: string, files: readonly CatalogFile[]): boolean {
  for (const f of files) noteSkipped(what, f.path);
  return files.every((f) => existsSync(f.path));
}

/** Import the files into `dir` one after the other and load the catalog they make (no cache). */
export function importCatalogs(dir: string, files: readonly CatalogFile[]): Catalog {
  for (const { path, importer } of files) {
    applyPlan(planImport(dir, importer(parseJson(readFileSync(path), path), path)));
  }
  return loadCatalog(dir, { cacheDir: false });
}
