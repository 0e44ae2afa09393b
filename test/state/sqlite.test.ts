import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, STATE_FILE } from '../../src/state/sqlite.js';
import { StateSetupError } from '../../src/state/store.js';
import { storeContract } from './contract.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const root = mkdtempSync(join(tmpdir(), 'aptcard-sqlite-'));
let n = 0;
const open: SqliteStore[] = [];
const fresh = () => {
  const store = SqliteStore.open(join(root, `s${++n}`));
  open.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SqliteStore', () => {
  storeContract(fresh, sleep);

  it('keeps what it was told over a close and a reopen (a restart)', async () => {
    const dir = join(root, 'restart');
    const first = SqliteStore.open(dir);
    expect(await first.setIfAbsent('slack:event:E1', '1', 60_000)).toBe(true);
    await first.set('settings:slack:C1', '{"enabled":false}');
    await first.close();
    const second = SqliteStore.open(dir);
    open.push(second);
    expect(await second.setIfAbsent('slack:event:E1', '1', 60_000)).toBe(false);
    expect(await second.get('settings:slack:C1')).toBe('{"enabled":false}');
  });

  it('is one store for two processes on one file: one claim wins', async () => {
    const dir = join(root, 'shared');
    const a = SqliteStore.open(dir);
    const b = SqliteStore.open(dir);
    open.push(a, b);
    expect(await a.setIfAbsent('k', 'a', 60_000)).toBe(true);
    expect(await b.setIfAbsent('k', 'b', 60_000)).toBe(false);
    expect(await b.get('k')).toBe('a');
  });

  it('deletes expired rows, so the file stays small', async () => {
    let now = 1_000_000;
    const dir = join(root, 'sweep');
    const store = SqliteStore.open(dir, () => now);
    open.push(store);
    for (let i = 0; i < 100; i++) await store.setIfAbsent(`k${i}`, 'x', 1000);
    await store.set('kept', 'y');
    now += 1001;
    expect(store.sweep()).toBe(100);
    const db = new Database(join(dir, STATE_FILE), { readonly: true });
    const rows = db.prepare('SELECT key FROM kv ORDER BY key').all() as { key: string }[];
    db.close();
    expect(rows.map((r) => r.key)).toEqual(['kept', 'meta:opened']);
  });

  it('says clearly, at open, that a corrupt state file cannot be used and what to do', () => {
    const dir = join(root, 'corrupt');
    SqliteStore.open(dir).close();
    writeFileSync(join(dir, STATE_FILE), 'this is not a database '.repeat(200));
    for (const f of ['-wal', '-shm']) rmSync(join(dir, STATE_FILE + f), { force: true });
    expect(() => SqliteStore.open(dir)).toThrow(StateSetupError);
    expect(() => SqliteStore.open(dir)).toThrow(/not a usable SQLite database: move it away/);
  });

  it('says clearly that a STATE_DIR it cannot create is unusable', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => SqliteStore.open(join(file, 'state'))).toThrow(
      /STATE_DIR .*plain-file\/state cannot be created .*set STATE_DIR to a writable folder/,
    );
  });
});
