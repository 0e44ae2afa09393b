import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateSetupError, type StateStore } from './store.js';

/** The state file inside STATE_DIR. */
export const STATE_FILE = 'state.sqlite';

/** How often expired rows are deleted, so the file stays small. */
const SWEEP_MS = 60_000;
/**
 * How long a write waits for another process holding the file (two bots on one STATE_DIR):
 * short, so a locked file makes a call fail fast (the caller skips enrichment) instead of stalling.
 */
const BUSY_TIMEOUT_MS = 200;

/**
 * The embedded default: one SQLite file (better-sqlite3) that survives restarts and can be shared
 * by processes on one machine (SQLite's file locking makes setIfAbsent atomic between them).
 * Calls are synchronous underneath; WAL mode keeps each write to a fraction of a millisecond.
 */
export class SqliteStore implements StateStore {
  readonly name: string;
  private readonly db: Database.Database;
  private readonly timer: NodeJS.Timeout;
  private readonly claim: Database.Statement<[string, string, number, number]>;
  private readonly read: Database.Statement<[string, number], { value: string }>;
  private readonly write: Database.Statement<[string, string, number | null]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly scan: Database.Statement<
    [number, string, number],
    { key: string; value: string }
  >;
  private readonly sweepExpired: Database.Statement<[number]>;

  private constructor(
    readonly path: string,
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.name = path;
    this.db = db;
    // A row whose time is past counts as absent: replace it, else leave the live one alone.
    this.claim = db.prepare(
      `INSERT INTO kv (key, value, expires) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires
       WHERE kv.expires IS NOT NULL AND kv.expires <= ?`,
    );
    this.read = db.prepare(
      'SELECT value FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)',
    );
    this.write = db.prepare('INSERT OR REPLACE INTO kv (key, value, expires) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM kv WHERE key = ?');
    this.scan = db.prepare(
      `SELECT key, value FROM kv WHERE substr(key, 1, ?) = ? AND (expires IS NULL OR expires > ?)
       ORDER BY key`,
    );
    this.sweepExpired = db.prepare('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?');
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_MS).unref();
  }

  /**
   * Open (or create) STATE_DIR/state.sqlite. A folder that cannot be created, a file that is not
   * a database or cannot be written: a StateSetupError saying which and what to do.
   */
  static open(dir: string, now: () => number = Date.now): SqliteStore {
    const path = join(dir, STATE_FILE);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StateSetupError(
        `STATE_DIR ${dir} cannot be created (${errorText(err)}): set STATE_DIR to a writable folder`,
        { cause: err },
      );
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      // WAL with synchronous=NORMAL survives a crash of the process, not always a power cut: a
      // lost cooldown is one repeated enrichment line, not worth an fsync per message.
      db.pragma('synchronous = NORMAL');
      db.exec(
        'CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)',
      );
      // Prove it is writable now, not at the first message.
      db.prepare('INSERT OR REPLACE INTO kv (key, value, expires) VALUES (?, ?, NULL)').run(
        'meta:opened',
        new Date(now()).toISOString(),
      );
      return new SqliteStore(path, db, now);
    } catch (err) {
      db?.close();
      const code = typeof err === 'object' && err && 'code' in err ? String(err.code) : '';
      const hint =
        code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
          ? 'it is not a usable SQLite database: move it away (the bot starts with empty state)'
          : code === 'SQLITE_BUSY'
            ? 'another process holds it locked'
            : 'check that STATE_DIR is writable';
      throw new StateSetupError(`state file ${path} cannot be used (${errorText(err)}): ${hint}`, {
        cause: err,
      });
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    return this.claim.run(key, value, t + ttlMs, t).changes === 1;
  }

  async get(key: string): Promise<string | undefined> {
    return this.read.get(key, this.now())?.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.write.run(key, value, ttlMs === undefined ? null : this.now() + ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.remove.run(key);
  }

  async entries(prefix: string): Promise<[string, string][]> {
    return this.scan.all(prefix.length, prefix, this.now()).map((r) => [r.key, r.value]);
  }

  /** Delete expired rows (also on open). A locked file just waits for the next round. */
  sweep(): number {
    try {
      return this.sweepExpired.run(this.now()).changes;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.db.open) this.db.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
