/** Enrichment settings for tests: on everywhere, three actors a message, no lists. */
import type { EnrichmentConfig } from '../../src/config.js';

export function enrichmentConfig(overrides: Partial<EnrichmentConfig> = {}): EnrichmentConfig {
  return {
    enabled: true,
    disabledChannels: [],
    maxActors: 3,
    cooldownMinutes: 30,
    allow: [],
    deny: [],
    ...overrides,
  };
}
