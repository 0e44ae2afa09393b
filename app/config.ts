/**
 * The whole configuration `aptcard start` needs: the core's sections (src/config.ts) and every
 * adapter's settings (adapters/index.ts), read through one Settings so that every problem of
 * all of them is reported at once.
 */

import { type AdapterConfigs, readAdapterConfigs } from '../adapters/index.js';
import { type Config, loadConfig as loadCoreConfig } from '../src/config.js';

export type AppConfig = Config & AdapterConfigs;

/** Throws ConfigError (from src/config.ts) with every problem found. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cliCardsDir?: string,
): AppConfig {
  return loadCoreConfig(env, cliCardsDir, readAdapterConfigs);
}
