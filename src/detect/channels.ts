/**
 * Where automatic enrichment may run: the channel part of the enrichment policy. Everywhere a
 * platform delivers messages, except the disabled channels (ENRICH_DISABLED_CHANNELS; the
 * enricher applies it); on a platform where enrichment is opt-in (Discord), only in the
 * channels listed for it. ENRICH=false turns it off everywhere.
 */
import type { EnrichmentConfig } from '../config.js';

/** Channels compare by id or name, case-insensitively, with or without '#'. */
export function channelKey(channel: string): string {
  return channel.trim().replace(/^#/, '').toLowerCase();
}

/**
 * The channels of an opt-in platform where enrichment runs: those listed ('*' for every one)
 * and the threads under them; none when enrichment is off or nothing is listed.
 */
export class OptInChannels {
  private readonly listed: ReadonlySet<string>;

  constructor(enrichment: Pick<EnrichmentConfig, 'enabled'>, listed: readonly string[]) {
    this.listed = new Set(enrichment.enabled ? listed : []);
  }

  /** Does enrichment run in any channel (Discord then needs the Message Content intent)? */
  get any(): boolean {
    return this.listed.size > 0;
  }

  /** The listed channels, for the start-up log. */
  get channels(): string[] {
    return [...this.listed];
  }

  /** May a message in `channel` (a thread of `parent`, when it is one) be enriched? */
  allows(channel: string, parent?: string | null): boolean {
    const { listed } = this;
    if (listed.has('*') || listed.has(channel)) return true;
    return parent !== undefined && parent !== null && listed.has(parent);
  }
}
