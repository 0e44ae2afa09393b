/**
 * Fitting embeds into Discord's limits: every title, field and footer capped, and the texts
 * that can be shortened sharing the room left under the 6000-character total. Pure.
 */
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { truncate } from '../shared/truncate.js';
import { LIMITS } from './limits.js';
import { balanceBold } from './text.js';

/** A text that can be shortened: `render(max)` returns at most `max` characters. */
export interface Flex {
  length: number;
  /** Share of the room this text gets when the embed is over the total limit. */
  weight: number;
  render(max: number): string;
}

export function flex(text: string, weight = 1): Flex {
  // Whole texts are balanced as built; only a cut can leave half a `**name**`.
  return {
    length: text.length,
    weight,
    render: (max) => (text.length <= max ? text : balanceBold(truncate(text, max))),
  };
}

/**
 * A list that can be shortened: as many whole items as fit, then "+N more", so a cut list
 * always says how much is left. Items are already escaped.
 */
export function listFlex(items: readonly string[], weight = 1, sep = ', '): Flex {
  const all = items.join(sep);
  return {
    length: all.length,
    weight,
    render(max) {
      if (all.length <= max) return all;
      const more = (n: number) => (n > 0 ? `${sep}+${n} more` : '');
      let out = '';
      for (let i = 0; i < items.length; i++) {
        const next = out ? `${out}${sep}${items[i]}` : (items[i] ?? '');
        if (next.length + more(items.length - i - 1).length > max) {
          if (out) return `${out}${more(items.length - i)}`;
          const tail = more(items.length - 1);
          return `${balanceBold(truncate(items[0] ?? '', max - tail.length))}${tail}`;
        }
        out = next;
      }
      return out;
    },
  };
}

export interface DraftField {
  name: string;
  value: string | Flex;
  inline?: boolean;
}

export interface DraftEmbed {
  title?: string;
  /** Where the title links to (an http(s) URL: the main source's page). */
  url?: string;
  description?: string | Flex;
  color: number;
  fields?: DraftField[];
  footer?: string;
}

const asFlex = (v: string | Flex): Flex => (typeof v === 'string' ? flex(v) : v);

/**
 * Turn drafts into embeds within every limit: fixed parts (title, field names, footer) are capped
 * first; the flexible parts (descriptions, field values) then share the room left under the
 * 6000-character total in proportion to their weights (water-filling: short texts keep all of
 * theirs, long ones are shortened to a common cap).
 */
export function fitEmbeds(drafts: DraftEmbed[]): APIEmbed[] {
  const kept = drafts.slice(0, LIMITS.embeds);
  type Slot = { flex: Flex; cap: number };
  const slots: Slot[] = [];
  let fixed = 0;
  const shaped = kept.map((d) => {
    const title = d.title ? truncate(d.title, LIMITS.title) : undefined;
    const footer = d.footer ? truncate(d.footer, LIMITS.footer) : undefined;
    fixed += (title?.length ?? 0) + (footer?.length ?? 0);
    const description: Slot | undefined = d.description
      ? { flex: asFlex(d.description), cap: LIMITS.description }
      : undefined;
    if (description) slots.push(description);
    const fields = (d.fields ?? []).slice(0, LIMITS.fields).map((f) => {
      const name = truncate(f.name, LIMITS.fieldName) || '\u200b';
      fixed += name.length;
      const slot: Slot = { flex: asFlex(f.value), cap: LIMITS.fieldValue };
      slots.push(slot);
      return { name, slot, inline: f.inline ?? false };
    });
    return { d, title, footer, description, fields };
  });

  const natural = slots.map((s) => Math.min(s.flex.length, s.cap));
  const room = Math.max(0, LIMITS.total - fixed);
  const sum = (c: number) =>
    slots.reduce((acc, s, i) => acc + Math.min(natural[i] ?? 0, Math.floor(s.flex.weight * c)), 0);
  let allowance = natural;
  if (natural.reduce((a, b) => a + b, 0) > room) {
    let lo = 0;
    let hi = Math.max(...natural);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (sum(mid) <= room) lo = mid;
      else hi = mid - 1;
    }
    allowance = slots.map((s, i) => Math.min(natural[i] ?? 0, Math.floor(s.flex.weight * lo)));
  }
  const rendered = new Map<Slot, string>();
  slots.forEach((s, i) => {
    rendered.set(s, s.flex.render(allowance[i] ?? 0));
  });

  const embeds = shaped.map(({ d, title, footer, description, fields }) => {
    const embed: APIEmbed = { color: d.color };
    if (title) embed.title = title;
    if (title && d.url) embed.url = d.url;
    const desc = description ? rendered.get(description) : undefined;
    if (desc) embed.description = desc;
    const out: APIEmbedField[] = [];
    for (const f of fields) {
      const value = rendered.get(f.slot);
      if (value) out.push({ name: f.name, value, ...(f.inline ? { inline: true } : {}) });
    }
    if (out.length) embed.fields = out;
    if (footer) embed.footer = { text: footer };
    return embed;
  });
  // Belt and braces: should rounding ever leave the total over, drop trailing fields.
  while (embedsLength(embeds) > LIMITS.total) {
    const withFields = [...embeds].reverse().find((e) => e.fields?.length);
    if (!withFields?.fields) break;
    withFields.fields.pop();
  }
  return embeds;
}

/** The characters Discord counts towards the 6000 total. */
export function embedsLength(embeds: readonly APIEmbed[]): number {
  let n = 0;
  for (const e of embeds) {
    n += (e.title?.length ?? 0) + (e.description?.length ?? 0);
    n += (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  }
  return n;
}
