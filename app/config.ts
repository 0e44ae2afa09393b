/**
 * The whole configuration `aptcard start` needs: the core's sections (src/config.ts) and every
 * adapter's settings (adapters/index.ts), read through one Settings so that every problem of
 * all of them is reported at once.
 */

import { type AdapterConfigs, readAdapterConfigs } from '../adapters/index.js';
import { type Config, loadConfig as loadCoreConfig } from '../src/config.js';

export interface RunConfig {
  /**
   * SHUTDOWN_TIMEOUT (seconds, default 10): on SIGTERM, how long replies in flight may still
   * take before they are dropped and the bot exits anyway. Keep it below the grace period of
   * whatever sends the signal (Kubernetes: 30 s; `docker stop`: 10 s, raise it with --time).
   */
  shutdownMs: number;
}

export type AppConfig = Config & AdapterConfigs & RunConfig;

/** Throws ConfigError (from src/config.ts) with every problem found. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cliCardsDir?: string,
): AppConfig {
  return loadCoreConfig(env, cliCardsDir, (settings) => ({
    ...readAdapterConfigs(settings),
    shutdownMs: settings.int('SHUTDOWN_TIMEOUT', 10, 0, 600) * 1000,
  }));
}
