/**
 * Writing an import into a cards folder, and re-running it.
 *
 * The folder's manifest, `.aptcard-import.json` (a dot file: the catalog skips it), records for
 * each imported card its source and UUID, its file name and the sha256 of the bytes the import
 * wrote. No import metadata goes inside the cards, so an ETDA card stays byte-identical to
 * ETDA's. On a re-run, for each card of the input:
 *   - in the manifest, file unchanged since the import: rewritten if the source changed
 *     ("updated"), else left as is ("unchanged");
 *   - in the manifest, file edited (or deleted) by hand since: left alone and reported ("kept"),
 *     unless --force;
 *   - not in the manifest: written under a new name ("added"), unless another card in the folder
 *     already has that UUID: then that file is left alone ("skipped"), or taken over if it is
 *     exactly what the import would write (an earlier import whose manifest was lost).
 * Cards in the manifest that are no longer in the source are reported ("gone") and kept, or
 * removed with --prune when not edited by hand.
 *
 * Everything is checked and rendered before the first write. Files are then written into a
 * temporary folder inside the target and renamed into place, the manifest last, so a failure
 * leaves no half-written file, and nothing at all changes unless every file could be written.
 *
 * A kill between the first rename and the manifest's would leave cards newer than the manifest
 * (reported "edited by hand" ever after). So before the first rename a journal records what is
 * about to move; the next import (under the folder's lock) finishes that work before planning
 * (see ./journal.ts), and sweeps the temporary folders of runs killed earlier still.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { displayName } from '../cards/model.js';
import { MAX_CARD_BYTES } from '../cards/parse.js';
import { renderCard } from '../cards/render.js';
import { listCardFiles } from '../catalog/load.js';
import { hasJournal, recoverFolder, removeJournal, TEMP_PREFIX, writeJournal } from './journal.js';
import { ImportError, isObject, type Json } from './json.js';
import { withImportLock } from './lock.js';
import { type ImportBatch, normalizeUuid, problemList } from './model.js';

export const MANIFEST_FILE = '.aptcard-import.json';
const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  /** File name inside the output folder (no folders). */
  file: string;
  /** sha256 of the bytes the import wrote. */
  hash: string;
  /** ATT&CK group ids the source links the card to (ETDA's `mitre-attack`); read by the catalog. */
  ids?: string[];
}

export interface Manifest {
  version: number;
  /** "source:uuid" -> entry. */
  cards: Record<string, ManifestEntry>;
}

export type ChangeKind =
  | 'added'
  | 'updated'
  | 'unchanged'
  | 'kept'
  | 'skipped'
  | 'gone'
  | 'removed'
  | 'restored';

export interface Change {
  kind: ChangeKind;
  /** Path relative to the output folder. */
  file: string;
  uuid: string;
  name: string;
  reason?: string;
}

export interface ImportPlan {
  outDir: string;
  source: string;
  changes: Change[];
  writes: { file: string; content: string }[];
  deletes: string[];
  manifest: Manifest;
  warnings: string[];
  /** What finishing an interrupted import did first (runImport); also among the warnings. */
  recovered?: string[];
}

export interface WriteOptions {
  /** Remove cards that left the source (unless edited by hand). */
  prune?: boolean;
  /** Overwrite imported cards edited or deleted by hand. */
  force?: boolean;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

const SAFE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.md$/;
const RESERVED_RE = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A manifest (or generated) file name that stays inside the folder. */
function isSafeName(file: string): boolean {
  return SAFE_NAME_RE.test(file) && !file.includes('..') && basename(file) === file;
}

/** "NetTraveler, APT 21, Hammer Panda" -> "nettraveler-apt-21-hammer-panda". */
export function slugFor(names: string[]): string {
  const slug = names
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (!slug) return 'actor';
  return RESERVED_RE.test(slug) ? `${slug}-actor` : slug;
}

/** A file name for a new card, unique in `taken` (lower-cased names, for case-blind disks). */
export function allocateName(names: string[], uuid: string, taken: Set<string>): string {
  const base = slugFor(names);
  const short = uuid.replace(/-/g, '').slice(0, 8);
  const candidates = [`${base}.md`, `${base}-${short}.md`];
  for (let n = 2; candidates.length < 1000; n++) candidates.push(`${base}-${short}-${n}.md`);
  const name = candidates.find((c) => !taken.has(c.toLowerCase())) ?? `${short}-${Date.now()}.md`;
  taken.add(name.toLowerCase());
  return name;
}

export function readManifest(outDir: string): Manifest {
  const path = join(outDir, MANIFEST_FILE);
  if (!existsSync(path)) return { version: MANIFEST_VERSION, cards: {} };
  const damaged = (why: string) =>
    new ImportError(
      `${path}: ${why}. It records which cards an import wrote; fix it, or delete it to start afresh ` +
        '(cards identical to the import are then taken over again; others are left alone)',
    );
  let json: Json;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw damaged(`not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(json) || json.version !== MANIFEST_VERSION || !isObject(json.cards)) {
    throw damaged(`not an aptcard import manifest (version ${MANIFEST_VERSION})`);
  }
  const cards: Record<string, ManifestEntry> = {};
  for (const [key, entry] of Object.entries(json.cards)) {
    if (
      !isObject(entry) ||
      typeof entry.file !== 'string' ||
      typeof entry.hash !== 'string' ||
      !isSafeName(entry.file)
    ) {
      throw damaged(`entry "${key.slice(0, 80)}" is not {file, hash} with a plain .md file name`);
    }
    const ids = Array.isArray(entry.ids)
      ? entry.ids.filter((id): id is string => typeof id === 'string')
      : [];
    cards[key] = { file: entry.file, hash: entry.hash, ...(ids.length ? { ids } : {}) };
  }
  return { version: MANIFEST_VERSION, cards };
}

const UUID_LINE_RE = /^\s*\*\*UUID\*\*\s*:[ \t]?(.*)$/im;

interface FolderCard {
  hash: string;
  uuid: string | undefined;
}

/** Every card file below the folder: relative path -> hash and header UUID. */
function scanFolder(outDir: string): Map<string, FolderCard> {
  const out = new Map<string, FolderCard>();
  if (!existsSync(outDir)) return out;
  for (const abs of listCardFiles(outDir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch {
      continue;
    }
    const head = bytes.subarray(0, 4096).toString('utf8');
    const m = UUID_LINE_RE.exec(head);
    out.set(relative(outDir, abs), {
      hash: sha256(bytes),
      uuid: m ? normalizeUuid(m[1] ?? '') : undefined,
    });
  }
  return out;
}

/** Work out what an import would change, reading the folder but writing nothing. */
export function planImport(
  outDir: string,
  batch: ImportBatch,
  options: WriteOptions = {},
): ImportPlan {
  const dir = resolve(outDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new ImportError(`${outDir}: exists and is not a folder`);
  }
  const manifest = readManifest(dir);
  const folder = scanFolder(dir);
  const warnings = hasJournal(dir)
    ? [
        'an earlier import into this folder was interrupted; the next import finishes it before planning (this plan reads the folder as it is)',
        ...batch.warnings,
      ]
    : batch.warnings;
  const byUuid = new Map<string, string>();
  for (const [file, info] of folder)
    if (info.uuid && !byUuid.has(info.uuid)) byUuid.set(info.uuid, file);
  const taken = new Set<string>([...folder.keys()].map((f) => f.toLowerCase()));
  for (const entry of Object.values(manifest.cards)) taken.add(entry.file.toLowerCase());

  const next: Manifest = { version: MANIFEST_VERSION, cards: { ...manifest.cards } };
  const changes: Change[] = [];
  const writes: ImportPlan['writes'] = [];
  const deletes: string[] = [];
  const problems: string[] = [];
  const inBatch = new Set<string>();

  for (const { uuid, card, index, ids } of batch.cards) {
    const key = `${batch.source}:${uuid}`;
    const extra = ids?.length ? { ids } : {};
    inBatch.add(key);
    const name = displayName(card);
    const content = renderCard(card);
    const size = Buffer.byteLength(content);
    if (size > MAX_CARD_BYTES) {
      problems.push(
        `record ${index} ("${name.slice(0, 60)}"): its card would be ${size} bytes, over the ${MAX_CARD_BYTES}-byte card limit`,
      );
      continue;
    }
    const hash = sha256(content);
    const entry = manifest.cards[key];
    const write = (file: string, kind: ChangeKind, reason?: string) => {
      writes.push({ file, content });
      next.cards[key] = { file, hash, ...extra };
      changes.push({ kind, file, uuid, name, ...(reason ? { reason } : {}) });
    };
    /** The hand-edited (or hand-deleted) file stays as it is. */
    const keep = (file: string, reason: string) => {
      changes.push({ kind: 'kept', file, uuid, name, reason });
    };
    if (entry) {
      const onDisk = folder.get(entry.file);
      if (onDisk?.hash === hash) {
        next.cards[key] = { file: entry.file, hash, ...extra };
        changes.push({ kind: 'unchanged', file: entry.file, uuid, name });
      } else if (!onDisk) {
        if (options.force) write(entry.file, 'restored', 'deleted by hand; --force');
        else keep(entry.file, 'deleted by hand since the last import (--force restores it)');
      } else if (onDisk.hash === entry.hash) write(entry.file, 'updated');
      else if (options.force) write(entry.file, 'updated', 'edited by hand; overwritten (--force)');
      else keep(entry.file, 'edited by hand since the last import (--force overwrites it)');
      continue;
    }
    const existing = byUuid.get(uuid);
    if (existing !== undefined) {
      const info = folder.get(existing);
      if (info?.hash === hash && isSafeName(existing)) {
        next.cards[key] = { file: existing, hash, ...extra };
        changes.push({ kind: 'unchanged', file: existing, uuid, name, reason: 'taken over' });
      } else {
        changes.push({
          kind: 'skipped',
          file: existing,
          uuid,
          name,
          reason: 'a card not written by this import already has this UUID; left alone',
        });
      }
      continue;
    }
    write(allocateName(card.names, uuid, taken), 'added');
  }
  if (problems.length > 0) throw new ImportError(problemList(batch.source, problems));

  const prefix = `${batch.source}:`;
  const retired = new Set(batch.retired ?? []);
  for (const [key, entry] of Object.entries(manifest.cards)) {
    if (!key.startsWith(prefix) || inBatch.has(key)) continue;
    const uuid = key.slice(prefix.length);
    const onDisk = folder.get(entry.file);
    if (onDisk && retired.has(uuid) && onDisk.hash === entry.hash) {
      delete next.cards[key];
      deletes.push(entry.file);
      changes.push({
        kind: 'removed',
        file: entry.file,
        uuid,
        name: '',
        reason: 'revoked or deprecated at the source',
      });
      continue;
    }
    if (!onDisk) {
      delete next.cards[key];
      changes.push({
        kind: 'gone',
        file: entry.file,
        uuid,
        name: '',
        reason: 'no longer in the source; file already deleted',
      });
    } else if (options.prune && onDisk.hash === entry.hash) {
      delete next.cards[key];
      deletes.push(entry.file);
      changes.push({
        kind: 'removed',
        file: entry.file,
        uuid,
        name: '',
        reason: 'no longer in the source (--prune)',
      });
    } else {
      changes.push({
        kind: 'gone',
        file: entry.file,
        uuid,
        name: '',
        reason:
          onDisk.hash === entry.hash
            ? 'no longer in the source; kept (--prune removes it)'
            : 'no longer in the source; kept (edited by hand)',
      });
    }
  }
  return {
    outDir: dir,
    source: batch.source,
    changes,
    writes,
    deletes,
    manifest: next,
    warnings,
  };
}

/** True when applying the plan would change the folder. */
export function planChangesFolder(plan: ImportPlan): boolean {
  return (
    plan.writes.length > 0 ||
    plan.deletes.length > 0 ||
    JSON.stringify(plan.manifest) !== JSON.stringify(readManifest(plan.outDir))
  );
}

/**
 * Write the plan: every file into a temporary folder first, then renamed into place (each
 * rename is atomic), the manifest last. A failure before the renames changes nothing; a kill
 * during them is finished by the next import, from the journal (./journal.ts).
 */
export function applyPlan(plan: ImportPlan): void {
  const dir = plan.outDir;
  for (const w of plan.writes) {
    if (!isSafeName(w.file) || dirname(resolve(dir, w.file)) !== dir) {
      throw new ImportError(`refusing to write "${w.file}": not a plain file name inside ${dir}`);
    }
  }
  if (!planChangesFolder(plan)) return;
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(dir, TEMP_PREFIX));
  let committed = false;
  let done = false;
  try {
    for (const w of plan.writes) writeFileSync(join(tmp, w.file), w.content, { flag: 'wx' });
    const sorted = Object.fromEntries(
      Object.entries(plan.manifest.cards).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    writeFileSync(
      join(tmp, MANIFEST_FILE),
      `${JSON.stringify({ version: MANIFEST_VERSION, cards: sorted }, null, 1)}\n`,
    );
    const moves = plan.writes.map((w) => w.file);
    writeJournal(dir, {
      temp: basename(tmp),
      moves,
      deletes: plan.deletes,
      manifest: MANIFEST_FILE,
    });
    committed = true;
    for (const file of moves) renameSync(join(tmp, file), join(dir, file));
    for (const file of plan.deletes) rmSync(join(dir, file), { force: true });
    renameSync(join(tmp, MANIFEST_FILE), join(dir, MANIFEST_FILE));
    removeJournal(dir);
    done = true;
  } finally {
    // Past the commit point an error (not a kill) leaves the journal and the staged files for
    // the next import to finish; removing them would leave cards newer than the manifest.
    if (!committed || done) rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Plan and apply an import under the folder's lock, after finishing whatever an interrupted
 * import left (its notes become warnings of the plan, so the report shows them).
 */
export function runImport(
  outDir: string,
  batch: ImportBatch,
  options: WriteOptions = {},
): ImportPlan {
  return withImportLock(outDir, () => {
    const notes = recoverFolder(resolve(outDir));
    const plan = planImport(outDir, batch, options);
    applyPlan(plan);
    return { ...plan, warnings: [...notes, ...plan.warnings], recovered: notes };
  });
}

const ORDER: ChangeKind[] = [
  'added',
  'updated',
  'restored',
  'removed',
  'kept',
  'skipped',
  'gone',
  'unchanged',
];

/** "added    apt28.md  APT28" lines (unchanged cards only counted), then a one-line summary. */
export function formatPlan(plan: ImportPlan, dryRun = false): string {
  const lines: string[] = [];
  for (const w of plan.warnings) lines.push(`warning  ${w}`);
  const counts = new Map<ChangeKind, number>();
  for (const kind of ORDER) {
    for (const c of plan.changes) {
      if (c.kind !== kind) continue;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      if (kind === 'unchanged') continue;
      const label = [c.name, c.reason].filter(Boolean).join(': ');
      lines.push(`${kind.padEnd(9)}${c.file}${label ? `  ${label}` : ''}`);
    }
  }
  const total = plan.changes.filter((c) => c.kind !== 'gone' && c.kind !== 'removed').length;
  const summary = ORDER.filter((k) => counts.get(k)).map((k) => `${counts.get(k)} ${k}`);
  lines.push(
    `${plan.source}: ${total} card(s) in the source${summary.length ? `: ${summary.join(', ')}` : ''}` +
      `${dryRun ? ' (dry run: nothing written)' : ''} -> ${plan.outDir}`,
  );
  return `${lines.join('\n')}\n`;
}
