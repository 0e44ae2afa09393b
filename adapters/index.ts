/**
 * Every chat adapter, in the order `aptcard start` starts them. A new platform is one folder
 * here with an adapter.ts of the shape in ./adapter.ts, and one line in this list.
 */
import type { Settings } from '../src/config.js';
import type { Adapter, ConfigOf } from './adapter.js';
import { consoleAdapter } from './console/adapter.js';
import { discordAdapter } from './discord/adapter.js';
import { slackAdapter } from './slack/adapter.js';

export const ADAPTERS = [consoleAdapter, slackAdapter, discordAdapter] as const;

type Listed = (typeof ADAPTERS)[number];

/** Each adapter's settings by its name; absent: the adapter is not configured. */
export type AdapterConfigs = { [A in Listed as A['name']]?: ConfigOf<A> };

/** Every adapter's settings; their problems go to `settings`, with the core's. */
export function readAdapterConfigs(settings: Settings): AdapterConfigs {
  const configs: Partial<Record<string, unknown>> = {};
  for (const adapter of ADAPTERS as readonly Adapter<unknown>[]) {
    const config = adapter.readConfig(settings);
    if (config !== undefined) configs[adapter.name] = config;
  }
  return configs as AdapterConfigs;
}

/** An adapter to start, with its settings. */
export interface Startable {
  adapter: Adapter<unknown>;
  config: unknown;
}

/**
 * The adapters `aptcard start` runs: every configured one, or, when none is, the fallbacks
 * (the console chat).
 */
export function adaptersToStart(configs: AdapterConfigs): Startable[] {
  const byName: Partial<Record<string, unknown>> = configs;
  const listed = (ADAPTERS as readonly Adapter<unknown>[]).flatMap((adapter) => {
    const config = byName[adapter.name];
    return config === undefined ? [] : [{ adapter, config }];
  });
  const platforms = listed.filter((s) => !s.adapter.fallback);
  return platforms.length > 0 ? platforms : listed.filter((s) => s.adapter.fallback);
}
