import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, listCardFiles } from './catalog/load.js';
import { SRC_ROOT } from './code-location.js';
import { parseSyncSources, type SyncSource, SyncSourcesError } from './import/sync-sources.js';
import { defaultStateDir } from './state/paths.js';

/** The repository (or installed package) root: seeds/ lives there. */
export const PACKAGE_ROOT = resolve(
  fileURLToPath(SRC_ROOT),
  fileURLToPath(SRC_ROOT).includes(`${join('dist', 'src')}`) ? '../..' : '..',
);
export const DEFAULT_CARDS_DIR = join(PACKAGE_ROOT, 'seeds');

/**
 * Where `aptcard sync` puts the public catalogs when CARDS_DIR is not set: a data folder outside
 * the repository (never the bundled seeds/), $XDG_DATA_HOME/aptcard/cards.
 */
export function defaultDataDir(env: Env = process.env): string {
  const base = env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share');
  return resolve(base, 'aptcard', 'cards');
}

/** The folder synced catalogs go to: --cards, else CARDS_DIR, else the data folder. */
export function syncCardsDir(env: Env, cliCardsDir?: string): string {
  return resolve(cliCardsDir ?? (env.CARDS_DIR?.trim() || defaultDataDir(env)));
}

/** Does the data folder hold any card (has `aptcard sync` landed)? */
function holdsCards(dir: string): boolean {
  try {
    return existsSync(dir) && listCardFiles(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * The cards folder when neither --cards nor CARDS_DIR names one: the data folder once a sync has
 * filled it, else the bundled sample (seeds/).
 */
export function defaultCardsDir(env: Env = process.env): string {
  const data = defaultDataDir(env);
  return holdsCards(data) ? data : DEFAULT_CARDS_DIR;
}

export interface SyncConfig {
  sources: SyncSource[];
  /** Sync in the background at start when only the bundled sample is there. */
  onStart: boolean;
  /** 0: no periodic sync. */
  intervalMs: number;
  /** Where synced cards go: CARDS_DIR, else the data folder. */
  dir: string;
}

export interface EnrichmentConfig {
  enabled: boolean;
  /** Channels (ids or names) where enrichment is off. */
  disabledChannels: string[];
  maxActors: number;
  cooldownMinutes: number;
  /** Aliases that always fire, even if they are English words. */
  allow: string[];
  /** Aliases that never fire. */
  deny: string[];
}

/** Where what the bot remembers lives (src/state). */
export interface StateConfig {
  /** Folder of the embedded state file (STATE_DIR). */
  dir: string;
  /** Set: state in Redis (several replicas), instead of the file. */
  redisUrl?: string;
  /** Namespace of every Redis key. */
  redisPrefix: string;
  /** Deadline of one store call (STATE_TIMEOUT_MS). */
  timeoutMs: number;
}

export interface Config {
  cardsDir: string;
  /** Read together with cardsDir: the bundled sample beside the synced catalogs. */
  extraCardsDirs: string[];
  /** The cards folder is the bundled sample because nothing else was named or synced. */
  sampleOnly: boolean;
  sync: SyncConfig;
  /** Parsed-card cache folder; false when CACHE_DIR=off. */
  cacheDir: string | false;
  watch: boolean;
  logLevel: string;
  enrichment: EnrichmentConfig;
  state: StateConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The shared engine every section of the configuration reads through (the core's here, each
 * adapter's in its own folder): typed readers over the environment that never throw but note
 * each wrong value, with what was expected, so that all of them are reported at once and a new
 * user fixes `.env` in one go. Token values never appear in a problem.
 */
export class Settings {
  readonly problems: string[] = [];

  constructor(readonly env: Env) {}

  /** Note a problem that no single reader can see (two settings that go together). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** The trimmed value; undefined when unset or blank. */
  get(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.get(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problem(`${name} must be true or false (got "${v.slice(0, 20)}")`);
    return fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problem(
        `${name} must be a whole number from ${min} to ${max} (got "${v.slice(0, 20)}")`,
      );
      return fallback;
    }
    return n;
  }

  url(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return v;
    } catch {
      this.problem(`${name} must be an http(s) URL`);
      return undefined;
    }
  }

  /** A token: checked for its usual prefix, never repeated in a problem. */
  secret(name: string, prefix?: string): string | undefined {
    const v = this.get(name);
    if (v !== undefined && prefix && !v.startsWith(prefix)) {
      this.problem(`${name} should start with "${prefix}" (check you copied the right token)`);
    }
    return v;
  }

  /** "24h", "30m", "90s", or a number of hours; 0 turns it off. */
  duration(name: string, fallbackMs: number): number {
    const v = this.get(name);
    if (v === undefined) return fallbackMs;
    const m = /^(\d+(?:\.\d+)?)\s*(h|m|s)?$/i.exec(v);
    const unit = { h: 3_600_000, m: 60_000, s: 1000 }[(m?.[2] ?? 'h').toLowerCase() as 'h'];
    const ms = m ? Number(m[1]) * unit : Number.NaN;
    if (!Number.isFinite(ms) || (ms > 0 && ms < 60_000) || ms > 2 ** 31 - 1) {
      this.problem(
        `${name} must be 0 (off) or a duration from 1m to 24d, e.g. 24h, 30m (got "${v.slice(0, 20)}")`,
      );
      return fallbackMs;
    }
    return ms;
  }

  /** A comma-separated list, each entry trimmed, empty ones dropped. */
  list(name: string): string[] {
    return (this.env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/**
 * Where the cards and their cache live: all that the CLI's catalog commands need. With neither
 * --cards nor CARDS_DIR, the synced data folder is read together with the bundled sample (once a
 * sync has filled it), so the sample's card is one of its sources, never lost.
 */
export function catalogConfig(
  env: Env,
  cliCardsDir?: string,
): Pick<Config, 'cardsDir' | 'cacheDir' | 'extraCardsDirs'> {
  const cacheSetting = env.CACHE_DIR?.trim();
  const named = cliCardsDir ?? env.CARDS_DIR?.trim();
  const cardsDir = resolve(named || defaultCardsDir(env));
  return {
    cardsDir,
    extraCardsDirs: !named && cardsDir !== DEFAULT_CARDS_DIR ? [DEFAULT_CARDS_DIR] : [],
    cacheDir: cacheSetting === 'off' ? false : resolve(cacheSetting || defaultCacheDir()),
  };
}

/** STATE_DIR, REDIS_URL, REDIS_PREFIX, STATE_TIMEOUT_MS; problems are pushed onto `problems`. */
export function stateConfig(env: Env, problems: string[] = []): StateConfig {
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined) {
    let ok = false;
    try {
      ok = ['redis:', 'rediss:'].includes(new URL(redisUrl).protocol);
    } catch {}
    if (!ok) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const prefix = env.REDIS_PREFIX?.trim() || 'aptcard:';
  if (prefix.length > 100) problems.push('REDIS_PREFIX must be at most 100 characters');
  const timeoutText = env.STATE_TIMEOUT_MS?.trim();
  const timeout = timeoutText ? Number(timeoutText) : 500;
  if (!Number.isInteger(timeout) || timeout < 10 || timeout > 10_000) {
    problems.push(
      `STATE_TIMEOUT_MS must be a whole number from 10 to 10000 (got "${timeoutText?.slice(0, 20)}")`,
    );
  }
  return {
    dir: resolve(env.STATE_DIR?.trim() || defaultStateDir()),
    ...(redisUrl ? { redisUrl } : {}),
    redisPrefix: prefix,
    timeoutMs: Number.isInteger(timeout) && timeout >= 10 && timeout <= 10_000 ? timeout : 500,
  };
}

/** The enrichment policy's settings (src/detect): ENRICH, ENRICH_*. */
function enrichmentConfig(settings: Settings): EnrichmentConfig {
  return {
    enabled: settings.bool('ENRICH', true),
    disabledChannels: settings.list('ENRICH_DISABLED_CHANNELS'),
    maxActors: settings.int('ENRICH_MAX_ACTORS', 3, 1, 10),
    cooldownMinutes: settings.int('ENRICH_COOLDOWN_MINUTES', 30, 0, 7 * 24 * 60),
    allow: settings.list('ENRICH_ALLOW'),
    deny: settings.list('ENRICH_DENY'),
  };
}

/**
 * Read and check the configuration: the core's sections, then `more` (the settings of the chat
 * adapters, which the application layer reads through the same Settings). Every wrong value of
 * all of them is reported at once, in one ConfigError.
 */
export function loadConfig(env?: Env, cliCardsDir?: string): Config;
export function loadConfig<T extends object>(
  env: Env,
  cliCardsDir: string | undefined,
  more: (settings: Settings) => T,
): Config & T;
export function loadConfig<T extends object>(
  env: Env = process.env,
  cliCardsDir?: string,
  more?: (settings: Settings) => T,
): Config | (Config & T) {
  const settings = new Settings(env);
  let sources: SyncSource[] = [];
  try {
    sources = parseSyncSources(env.SYNC_SOURCES);
  } catch (err) {
    if (!(err instanceof SyncSourcesError)) throw err;
    settings.problem(err.message);
  }

  const logLevel = settings.get('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    settings.problem(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const config: Config = {
    ...catalogConfig(env, cliCardsDir),
    sampleOnly:
      !cliCardsDir && !settings.get('CARDS_DIR') && defaultCardsDir(env) === DEFAULT_CARDS_DIR,
    sync: {
      sources,
      onStart: settings.bool('SYNC_ON_START', true),
      intervalMs: settings.duration('SYNC_INTERVAL', 24 * 3_600_000),
      dir: syncCardsDir(env, cliCardsDir),
    },
    watch: settings.bool('WATCH', true),
    logLevel,
    enrichment: enrichmentConfig(settings),
    state: stateConfig(env, settings.problems),
  };
  const extra = more?.(settings);
  if (settings.problems.length > 0) throw new ConfigError(settings.problems);
  return extra ? { ...config, ...extra } : config;
}
