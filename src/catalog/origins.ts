/**
 * Where each card came from, read from the import manifests (`.aptcard-import.json`, written by
 * src/import/writer.ts) of the folders that hold cards. The manifest keys cards by
 * "source:uuid" and may carry the ATT&CK ids a source linked the card to; a card no manifest
 * lists was written by hand: "local".
 *
 * Read leniently: a damaged manifest is the importer's to report (it refuses to run on one);
 * for the catalog its cards are simply local, with a warning.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The file name src/import/writer.ts writes (kept here so the catalog does not import the importer). */
export const MANIFEST_FILE = '.aptcard-import.json';
export const LOCAL_SOURCE = 'local';

export interface CardOrigin {
  source: string;
  ids: string[];
}

export class OriginReader {
  private readonly folders = new Map<string, Map<string, CardOrigin>>();
  readonly problems: { file: string; message: string }[] = [];

  /** The origin of the card file at `abs`. */
  originOf(abs: string): CardOrigin {
    const dir = dirname(abs);
    let folder = this.folders.get(dir);
    if (!folder) {
      folder = this.read(dir);
      this.folders.set(dir, folder);
    }
    return folder.get(abs.slice(dir.length + 1)) ?? { source: LOCAL_SOURCE, ids: [] };
  }

  private read(dir: string): Map<string, CardOrigin> {
    const out = new Map<string, CardOrigin>();
    const path = join(dir, MANIFEST_FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return out; // no manifest: every card here is local
    }
    try {
      const json = JSON.parse(text) as {
        cards?: Record<string, { file?: unknown; ids?: unknown }>;
      };
      for (const [key, entry] of Object.entries(json.cards ?? {})) {
        const colon = key.lastIndexOf(':');
        if (colon <= 0 || typeof entry?.file !== 'string') continue;
        const ids = Array.isArray(entry.ids)
          ? entry.ids.filter((id): id is string => typeof id === 'string' && /^G\d{4,}$/.test(id))
          : [];
        out.set(entry.file, { source: key.slice(0, colon), ids });
      }
    } catch (err) {
      this.problems.push({
        file: path,
        message: `import manifest unreadable (${(err as Error).message}); its cards count as local`,
      });
    }
    return out;
  }
}
