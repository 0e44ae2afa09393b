import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from './catalog/load.js';
import { defaultStateDir } from './state/open.js';

/** The repository (or installed package) root: seeds/ lives there. */
export const PACKAGE_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  fileURLToPath(import.meta.url).includes(`${join('dist', 'src')}`) ? '../..' : '..',
);
export const DEFAULT_CARDS_DIR = join(PACKAGE_ROOT, 'seeds');

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

export interface SlackConfig {
  botToken: string;
  /** Set: Socket Mode. Unset: HTTP mode on `port` with `signingSecret`. */
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  port: number;
  /** Interface to listen on (SLACK_HOST); unset: all interfaces. */
  host?: string;
  /** Answer /apt in the channel for everyone instead of privately. */
  answerInChannel: boolean;
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  answerInChannel: boolean;
  /** Channel ids where automatic enrichment runs; empty: none (Discord enrichment is opt-in). */
  enrichChannels: string[];
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
  /** Parsed-card cache folder; false when CACHE_DIR=off. */
  cacheDir: string | false;
  watch: boolean;
  logLevel: string;
  enrichment: EnrichmentConfig;
  state: StateConfig;
  slack?: SlackConfig;
  discord?: DiscordConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Where the cards and their cache live: all that the CLI's catalog commands need. */
export function catalogConfig(
  env: Env,
  cliCardsDir?: string,
): Pick<Config, 'cardsDir' | 'cacheDir'> {
  const cacheSetting = env.CACHE_DIR?.trim();
  return {
    cardsDir: resolve(cliCardsDir ?? (env.CARDS_DIR?.trim() || DEFAULT_CARDS_DIR)),
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

/**
 * Read and check the configuration. Every wrong value is reported at once, each with what
 * was expected, so a new user fixes `.env` in one go. Token values never appear in messages.
 */
export function loadConfig(env: Env = process.env, cliCardsDir?: string): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const bool = (name: string, fallback: boolean) => {
    const v = get(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    problems.push(`${name} must be true or false (got "${v.slice(0, 20)}")`);
    return fallback;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(
        `${name} must be a whole number from ${min} to ${max} (got "${v.slice(0, 20)}")`,
      );
      return fallback;
    }
    return n;
  };
  const url = (name: string) => {
    const v = get(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return v;
    } catch {
      problems.push(`${name} must be an http(s) URL`);
      return undefined;
    }
  };
  const secret = (name: string, prefix?: string) => {
    const v = get(name);
    if (v !== undefined && prefix && !v.startsWith(prefix)) {
      problems.push(`${name} should start with "${prefix}" (check you copied the right token)`);
    }
    return v;
  };

  const logLevel = get('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const config: Config = {
    ...catalogConfig(env, cliCardsDir),
    watch: bool('WATCH', true),
    logLevel,
    enrichment: {
      enabled: bool('ENRICH', true),
      disabledChannels: list(env.ENRICH_DISABLED_CHANNELS),
      maxActors: int('ENRICH_MAX_ACTORS', 3, 1, 10),
      cooldownMinutes: int('ENRICH_COOLDOWN_MINUTES', 30, 0, 7 * 24 * 60),
      allow: list(env.ENRICH_ALLOW),
      deny: list(env.ENRICH_DENY),
    },
    state: stateConfig(env, problems),
  };

  const botToken = secret('SLACK_BOT_TOKEN', 'xoxb-');
  const appToken = secret('SLACK_APP_TOKEN', 'xapp-');
  const signingSecret = secret('SLACK_SIGNING_SECRET');
  const slackApiUrl = url('SLACK_API_URL');
  const port = int('PORT', 3000, 0, 65535);
  const slackHost = get('SLACK_HOST');
  if (botToken) {
    if (!appToken && !signingSecret) {
      problems.push(
        'SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is',
      );
    }
    config.slack = {
      botToken,
      ...(appToken ? { appToken } : {}),
      ...(signingSecret ? { signingSecret } : {}),
      ...(slackApiUrl ? { apiUrl: slackApiUrl } : {}),
      port,
      ...(slackHost ? { host: slackHost } : {}),
      answerInChannel: bool('SLACK_ANSWER_IN_CHANNEL', false),
    };
  } else if (appToken || signingSecret) {
    problems.push('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not');
  }

  const discordToken = secret('DISCORD_TOKEN');
  const applicationId = get('DISCORD_APPLICATION_ID');
  const discordApiUrl = url('DISCORD_API_URL');
  if (applicationId !== undefined && !/^\d{5,25}$/.test(applicationId)) {
    problems.push('DISCORD_APPLICATION_ID must be the numeric application id');
  }
  if (discordToken) {
    if (!applicationId) problems.push('DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not');
    config.discord = {
      token: discordToken,
      applicationId: applicationId ?? '',
      ...(discordApiUrl ? { apiUrl: discordApiUrl } : {}),
      answerInChannel: bool('DISCORD_ANSWER_IN_CHANNEL', false),
      enrichChannels: list(env.DISCORD_ENRICH_CHANNELS),
    };
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
