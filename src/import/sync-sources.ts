/**
 * SYNC_SOURCES: which public catalogs `aptcard sync` imports, and into which sub-folder. Apart
 * from the importers so that reading the settings (every command does) loads none of them.
 */
import { isUrl } from './download.js';

export const SYNC_KINDS = ['etda', 'misp-galaxy', 'stix'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export interface SyncSource {
  kind: SyncKind;
  /** An http(s) URL or a local path. */
  url: string;
  /** Sub-folder of the cards folder the source's cards go to. */
  folder: string;
}

/** The public catalogs: ETDA Threat Group Cards, the MISP galaxy, MITRE ATT&CK Enterprise. */
export const DEFAULT_SYNC_SOURCES =
  'etda=https://apt.etda.or.th/cgi-bin/getcard.cgi?g=all&o=j,' +
  'misp-galaxy=https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/threat-actor.json,' +
  'stix=https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json';

/** A problem with SYNC_SOURCES; the message says what an entry should look like. */
export class SyncSourcesError extends Error {
  override name = 'SyncSourcesError';
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\.[a-z0-9]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'source'
  );
}

/**
 * "KIND=URL,KIND=URL" -> sources. The first source of a kind goes to the folder named after the
 * kind ("etda"); another of the same kind to "KIND-<file name>" ("stix-mobile-attack").
 */
export function parseSyncSources(value: string | undefined): SyncSource[] {
  const text = value?.trim() ? value : DEFAULT_SYNC_SOURCES;
  const sources: SyncSource[] = [];
  const folders = new Set<string>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const kind = (eq > 0 ? entry.slice(0, eq) : '').trim().toLowerCase();
    const url = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!(SYNC_KINDS as readonly string[]).includes(kind) || !url) {
      throw new SyncSourcesError(
        `SYNC_SOURCES: "${entry.slice(0, 80)}" is not KIND=URL with KIND one of ${SYNC_KINDS.join(', ')} ` +
          '(e.g. stix=https://example.org/enterprise-attack.json, or a local path)',
      );
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !isUrl(url)) {
      throw new SyncSourcesError(
        `SYNC_SOURCES: "${url.slice(0, 80)}": only http(s) URLs or local paths`,
      );
    }
    let folder = kind;
    if (folders.has(folder)) {
      const name = url.split(/[?#]/)[0]?.split(/[\\/]/).filter(Boolean).pop() ?? '';
      folder = `${kind}-${slug(name)}`;
      for (let n = 2; folders.has(folder); n++) folder = `${kind}-${slug(name)}-${n}`;
    }
    folders.add(folder);
    sources.push({ kind: kind as SyncKind, url, folder });
  }
  if (sources.length === 0) throw new SyncSourcesError('SYNC_SOURCES lists no source');
  return sources;
}
