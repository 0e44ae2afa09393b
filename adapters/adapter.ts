/**
 * The one shape of a chat adapter (Hubot's adapter, reduced). An adapter is a folder under
 * adapters/ with a definition of this shape: its name, how it reads its own settings from the
 * environment (through the core's Settings, so its problems are reported with every other
 * one), and how it starts. adapters/index.ts lists them; `aptcard start` loops over that list.
 */
import type { Readable } from 'node:stream';
import type { Bot } from '../src/bot.js';
import type { EnrichmentConfig, Settings } from '../src/config.js';

/** What a stop left undone. */
export interface StopReport {
  /** Replies still in flight at the deadline, dropped (their outgoing calls aborted). */
  dropped: number;
}

/** A running chat surface: started by `aptcard start`, stopped on SIGTERM. */
export interface RunningAdapter {
  name: string;
  /** Resolves when the adapter ends by itself (the console at end of input) or is stopped. */
  done: Promise<void>;
  /**
   * Stop taking new work, wait for the replies in flight up to `deadlineMs` (default: the
   * adapter's own, 10 s), drop what is left, disconnect. Never waits much past the deadline.
   */
  stop(deadlineMs?: number): Promise<StopReport>;
}

/** What `aptcard start` hands every adapter besides the bot and its own settings. */
export interface AdapterDeps {
  /** The process's terminal: the console chat reads and writes it. */
  stdin: Readable;
  stdout: { write(chunk: string): unknown };
  /** The enrichment policy's settings (Discord's opt-in channels follow ENRICH too). */
  enrichment: EnrichmentConfig;
}

export interface Adapter<Config, Name extends string = string> {
  readonly name: Name;
  /** Started only when no other adapter is configured (the console chat). */
  readonly fallback?: boolean;
  /**
   * This adapter's settings, or undefined when they leave it off (no token). Problems go to
   * `settings`, never thrown, so that they are reported together with all the others.
   */
  readConfig(settings: Settings): Config | undefined;
  /**
   * Connect and answer until stopped. The adapter module itself, with its platform SDK, is
   * loaded here, so that the CLI's other commands never load Bolt or discord.js.
   * (Each adapter's own start function takes only the narrow part of Bot it uses.)
   */
  start(bot: Bot, config: Config, deps: AdapterDeps): Promise<RunningAdapter>;
}

/** An adapter's settings type. */
export type ConfigOf<A> = A extends Adapter<infer C> ? C : never;
