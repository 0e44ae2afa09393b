/**
 * What `/apt status` reports: how many actors and cards, from which sources, and the newest
 * change in the data. A stale catalog otherwise looks exactly like a fresh one.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadedCard } from '../cards/model.js';
// What /apt status answers is part of the core's contract: defined there.
import type { CatalogStatus, SourceCount } from '../core/types.js';
import type { Catalog } from './catalog.js';

export type { CatalogStatus, SourceCount };

/** The import manifest's file name (src/import/writer.ts writes it; read here without it). */
const MANIFEST_FILE = '.aptcard-import.json';

const SOURCE_NAMES: Record<string, string> = {
  etda: 'ETDA',
  'misp-galaxy': 'MISP galaxy',
  sample: 'bundled sample',
};

/** ATT&CK's STIX bundles by the name the importer gives them (their collection's name). */
const ATTACK_DOMAINS: Record<string, string> = {
  'enterprise-att-ck': 'Enterprise',
  'mobile-att-ck': 'Mobile',
  'ics-att-ck': 'ICS',
};

/** A manifest's source as /apt status names it: "MISP galaxy (threat-actor)". */
export function sourceName(key: string): string {
  const [kind = key, detail] = key.split(':');
  const domain = kind === 'stix' && detail ? ATTACK_DOMAINS[detail] : undefined;
  if (domain) return `MITRE ATT&CK ${domain} (STIX)`;
  const name = SOURCE_NAMES[kind] ?? kind;
  return detail ? `${name} (${detail})` : name;
}

/** file name -> source, from the manifest of one folder ({} when it has none or a bad one). */
function manifestSources(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const json = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as {
      cards?: Record<string, { file?: unknown }>;
    };
    for (const [key, entry] of Object.entries(json.cards ?? {})) {
      const at = key.lastIndexOf(':');
      if (at > 0 && typeof entry?.file === 'string') out.set(entry.file, key.slice(0, at));
    }
  } catch {
    // No manifest (hand-made or copied folder): the cards' own fields say the rest.
  }
  return out;
}

/**
 * The import manifest says where an imported card came from. Otherwise: a card with a
 * "MISP galaxy" section was made from MISP; a card with a "Source last modified" date is in
 * the layout of ETDA's export (the field is ETDA's last-card-change); anything else is local.
 */
function sourceOf(entry: LoadedCard, manifests: Map<string, Map<string, string>>): string {
  const dir = dirname(resolve(entry.source.file));
  let manifest = manifests.get(dir);
  if (!manifest) {
    manifest = manifestSources(dir);
    manifests.set(dir, manifest);
  }
  const recorded = manifest.get(basename(entry.source.file));
  if (recorded) return sourceName(recorded);
  const { card } = entry;
  if (card.extraSections.some((s) => s.heading === 'MISP galaxy')) return 'MISP galaxy';
  if (/^\d{4}-\d{2}/.test(card.lastModified)) return 'ETDA';
  return 'hand-written';
}

const statusByCatalog = new WeakMap<Catalog, CatalogStatus>();

export function catalogStatus(catalog: Catalog): CatalogStatus {
  const known = statusByCatalog.get(catalog);
  if (known) return known;
  const manifests = new Map<string, Map<string, string>>();
  const counts = new Map<string, number>();
  let newest = '';
  for (const entry of catalog.cards) {
    const source = sourceOf(entry, manifests);
    counts.set(source, (counts.get(source) ?? 0) + 1);
    const changed = entry.card.lastModified.trim();
    if (/^\d{4}(?:-\d{2}){0,2}$/.test(changed) && changed > newest) newest = changed;
  }
  const status: CatalogStatus = {
    actors: catalog.actors.length,
    cards: catalog.cards.length,
    sources: [...counts]
      .map(([name, cards]) => ({ name, cards }))
      .sort((a, b) => b.cards - a.cards || a.name.localeCompare(b.name)),
    newestChange: newest,
    skipped: catalog.issues.filter((i) => i.level === 'error').length,
  };
  statusByCatalog.set(catalog, status);
  return status;
}
