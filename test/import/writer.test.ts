import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { importEtda } from '../../src/import/etda.js';
import { ImportError, parseJson } from '../../src/import/json.js';
import type { ImportBatch } from '../../src/import/model.js';
import {
  allocateName,
  applyPlan,
  type ChangeKind,
  formatPlan,
  MANIFEST_FILE,
  planImport,
  readManifest,
  slugFor,
} from '../../src/import/writer.js';
import { fixtureText, tempDir } from './helpers.js';

type Rec = Record<string, unknown>;
const records = (): Rec[] => JSON.parse(fixtureText('etda-small.json')) as Rec[];
const batchOf = (recs: Rec[]): ImportBatch => importEtda(parseJson(JSON.stringify(recs), 'x'), 'x');

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function run(recs: Rec[], options = {}) {
  const plan = planImport(dir, batchOf(recs), options);
  applyPlan(plan);
  return plan;
}

const kinds = (plan: ReturnType<typeof planImport>) =>
  Object.fromEntries(plan.changes.map((c) => [c.file, c.kind])) as Record<string, ChangeKind>;

const mdFiles = () =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();

describe('import writer', () => {
  it('writes one file per card, named from the title, and a manifest with source, UUID and hash', () => {
    const plan = run(records());
    expect(mdFiles()).toEqual(['copper-lantern-apt-901.md', 'spaced-uuid.md', 'tin-kettle.md']);
    expect(new Set(plan.changes.map((c) => c.kind))).toEqual(new Set(['added']));
    const manifest = readManifest(dir);
    expect(Object.keys(manifest.cards).sort()).toEqual([
      'etda:0b6c3a52-7d2e-4f1a-9c2b-1a2b3c4d5e6f',
      'etda:1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70',
      'etda:2d8e5c74-9f40-4b3c-9e4d-3c4d5e6f7081',
    ]);
    expect(manifest.cards['etda:1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70']?.file).toBe('tin-kettle.md');
    // No import metadata inside the cards.
    expect(readFileSync(join(dir, 'tin-kettle.md'), 'utf8')).not.toMatch(/etda:|manifest/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([MANIFEST_FILE]);
  });

  it('on a re-run updates what changed at the source, adds new cards, and reports each', () => {
    run(records());
    const next = records();
    (next[1] as Rec).description = 'Now we know more.';
    next.push({
      actor: 'New Comer',
      names: [{ name: 'New Comer', 'name-giver': 'x' }],
      uuid: '3e9f6d85-a051-4c4d-8f5e-4d5e6f708192',
    });
    const plan = run(next);
    expect(kinds(plan)).toEqual({
      'copper-lantern-apt-901.md': 'unchanged',
      'tin-kettle.md': 'updated',
      'spaced-uuid.md': 'unchanged',
      'new-comer.md': 'added',
    });
    expect(readFileSync(join(dir, 'tin-kettle.md'), 'utf8')).toContain('Now we know more.');
    const report = formatPlan(plan);
    expect(report).toMatch(/^added {4}new-comer\.md {2}New Comer$/m);
    expect(report).toMatch(/^updated {2}tin-kettle\.md {2}Tin Kettle$/m);
    expect(report).toMatch(/4 card\(s\) in the source: 1 added, 1 updated, 2 unchanged/);
  });

  it('leaves a card edited by hand alone (and says so), unless --force', () => {
    run(records());
    const path = join(dir, 'tin-kettle.md');
    const edited = `${readFileSync(path, 'utf8')}My own notes.\n`;
    writeFileSync(path, edited);
    const next = records();
    (next[1] as Rec).description = 'Changed at the source.';
    const plan = run(next);
    expect(kinds(plan)['tin-kettle.md']).toBe('kept');
    expect(formatPlan(plan)).toMatch(/^kept {5}tin-kettle\.md .*edited by hand/m);
    expect(readFileSync(path, 'utf8')).toBe(edited);
    // Still kept on the next run: the manifest remembers what the import wrote.
    expect(kinds(run(next))['tin-kettle.md']).toBe('kept');
    expect(kinds(run(next, { force: true }))['tin-kettle.md']).toBe('updated');
    expect(readFileSync(path, 'utf8')).toContain('Changed at the source.');
  });

  it('does not bring back a card deleted by hand, unless --force', () => {
    run(records());
    rmSync(join(dir, 'tin-kettle.md'));
    expect(kinds(run(records()))['tin-kettle.md']).toBe('kept');
    expect(existsSync(join(dir, 'tin-kettle.md'))).toBe(false);
    expect(kinds(run(records(), { force: true }))['tin-kettle.md']).toBe('restored');
    expect(existsSync(join(dir, 'tin-kettle.md'))).toBe(true);
  });

  it('leaves a hand-written card with the same UUID alone, and takes over an identical one', () => {
    const recs = records();
    const mine =
      '# Threat actor: Tin Kettle\n\n**UUID**: 1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70\n\nMine.\n';
    writeFileSync(join(dir, 'my-kettle.md'), mine);
    const copper = batchOf(recs).cards[0]!.card;
    writeFileSync(join(dir, 'copper.md'), renderCard(copper)); // a lost manifest, say
    const plan = run(recs);
    expect(kinds(plan)).toMatchObject({
      'my-kettle.md': 'skipped',
      'copper.md': 'unchanged',
      'spaced-uuid.md': 'added',
    });
    expect(readFileSync(join(dir, 'my-kettle.md'), 'utf8')).toBe(mine);
    expect(mdFiles()).toEqual(['copper.md', 'my-kettle.md', 'spaced-uuid.md']);
    expect(readManifest(dir).cards['etda:0b6c3a52-7d2e-4f1a-9c2b-1a2b3c4d5e6f']?.file).toBe(
      'copper.md',
    );
  });

  it('reports cards that left the source, and removes them only with --prune', () => {
    run(records());
    const fewer = records().slice(0, 2);
    expect(kinds(run(fewer))['spaced-uuid.md']).toBe('gone');
    expect(existsSync(join(dir, 'spaced-uuid.md'))).toBe(true);
    expect(kinds(run(fewer, { prune: true }))['spaced-uuid.md']).toBe('removed');
    expect(existsSync(join(dir, 'spaced-uuid.md'))).toBe(false);
    expect(Object.keys(readManifest(dir).cards)).toHaveLength(2);
  });

  it('gives unique, safe file names: no separators, no "..", length-limited', () => {
    expect(slugFor(['../../etc/passwd'])).toBe('etc-passwd');
    expect(slugFor(['[Vault 7/8]'])).toBe('vault-7-8');
    expect(slugFor(['Ünïcödé Bear'])).toBe('unicode-bear');
    expect(slugFor(['中文'])).toBe('actor');
    expect(slugFor(['con'])).toBe('con-actor');
    expect(slugFor(['x'.repeat(500)]).length).toBeLessThanOrEqual(60);
    const taken = new Set<string>(['apt1.md']);
    expect(allocateName(['APT1'], 'abcdef12-0000-4000-8000-000000000000', taken)).toBe(
      'apt1-abcdef12.md',
    );
    expect(allocateName(['APT1'], 'abcdef12-0000-4000-8000-000000000000', taken)).toBe(
      'apt1-abcdef12-2.md',
    );
  });

  it('never writes outside the folder, even with a tampered manifest', () => {
    run(records());
    const path = join(dir, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.cards['etda:1c7d4b63-8e3f-4a2b-8d3c-2b3c4d5e6f70'].file = '../escape.md';
    writeFileSync(path, JSON.stringify(manifest));
    expect(() => planImport(dir, batchOf(records()))).toThrow(/plain \.md file name/);
    writeFileSync(path, '{ not json');
    expect(() => planImport(dir, batchOf(records()))).toThrow(ImportError);
  });

  it('writes nothing when a card would be over the card size limit', () => {
    const recs = records();
    (recs[2] as Rec).description = 'x'.repeat(1024 * 1024 + 10);
    expect(() => planImport(dir, batchOf(recs))).toThrow(/over the 1048576-byte card limit/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves the folder untouched when writing fails part way (no partial import)', () => {
    run(records().slice(0, 1));
    const before = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const next = records();
    (next[0] as Rec).description = 'Updated.';
    const plan = planImport(dir, batchOf(next));
    // A file name that cannot be created makes the write fail after others were written.
    plan.writes.push({ file: 'zz-bad.md', content: 'x' });
    plan.writes.push({ file: 'zz-bad.md', content: 'y' }); // second create of the same temp file
    expect(() => applyPlan(plan)).toThrow();
    const after = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    expect(after).toEqual(before);
  });
});
