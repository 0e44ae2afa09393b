/**
 * The analyst's word on actors: `actor-overrides.json` in the cards folder, kept by hand.
 *
 *   {
 *     "same":  [["<uuid>", "<uuid>", ...]],   these cards are one actor
 *     "apart": [["<uuid>", "<uuid>", ...]]    no two of these cards are one actor
 *   }
 *
 * It wins over every rule of src/catalog/actors.ts (an "apart" over a "same" that contradicts
 * it), and the folder watcher reloads on its changes as on a card's. A file that cannot be read
 * as this shape is reported and ignored: the cards still load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogIssue } from './issues.js';

export const OVERRIDES_FILE = 'actor-overrides.json';

export interface ActorOverrides {
  same: string[][];
  apart: string[][];
}

export const NO_OVERRIDES: ActorOverrides = { same: [], apart: [] };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Parse the file's text; problems are returned, never thrown. */
export function parseOverrides(
  text: string,
  file: string,
): { overrides: ActorOverrides; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const problem = (message: string) => issues.push({ level: 'error', file, line: 0, message });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problem(`not valid JSON (${(err as Error).message}); overrides ignored`);
    return { overrides: NO_OVERRIDES, issues };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problem('must be an object {"same": [[uuid, ...]], "apart": [[uuid, ...]]}; overrides ignored');
    return { overrides: NO_OVERRIDES, issues };
  }
  const record = json as Record<string, unknown>;
  const lists = (key: 'same' | 'apart'): string[][] => {
    const value = record[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(`"${key}" must be a list of lists of card UUIDs; ignored`);
      return [];
    }
    const out: string[][] = [];
    value.forEach((group, i) => {
      if (!Array.isArray(group)) {
        problem(`"${key}"[${i}] must be a list of card UUIDs; ignored`);
        return;
      }
      const uuids = group
        .filter((u): u is string => typeof u === 'string')
        .map((u) => u.trim().toLowerCase());
      const bad = uuids.filter((u) => !UUID_RE.test(u));
      if (bad.length || uuids.length !== group.length) {
        problem(`"${key}"[${i}] holds something that is not a UUID; ignored`);
        return;
      }
      if (uuids.length >= 2) out.push([...new Set(uuids)].sort());
    });
    return out;
  };
  for (const key of Object.keys(record)) {
    if (key !== 'same' && key !== 'apart') {
      issues.push({ level: 'warning', file, line: 0, message: `unknown key "${key}" ignored` });
    }
  }
  return { overrides: { same: lists('same'), apart: lists('apart') }, issues };
}

/** The overrides of a cards folder; none when the file is absent. */
export function readOverrides(dir: string): { overrides: ActorOverrides; issues: CatalogIssue[] } {
  const path = join(dir, OVERRIDES_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { overrides: NO_OVERRIDES, issues: [] };
  }
  return parseOverrides(text, path);
}
