/**
 * What an actor does, as cards show it: ATT&CK techniques grouped by tactic (the tactics with
 * the most techniques first), the software it uses, its ATT&CK group page, and its references.
 */
import type { ActorCard } from '../cards/model.js';
import type { ReferenceView, TechniquesView } from '../core/types.js';

const GROUP_ID_RE = /^G\d{4}$/;
const URL_RE = /^https?:\/\/\S+$/;
/** "- Label: https://..." or "https://..." (one reference per line, bullet optional). */
const REFERENCE_LINE_RE = /^(?:[-*+]\s+)?(?:(.*?):?\s+)?(https?:\/\/\S+)$/;
/** Extra sections whose lines are references (STIX and MISP imports; ETDA's "Information"). */
const REFERENCE_HEADINGS = new Set(['references', 'information']);

/** The ATT&CK group page, from the alias "G0007 (MITRE ATT&CK)" that STIX and MISP cards carry. */
export function attackGroupUrl(card: ActorCard): string {
  const alias = card.aliases.find((a) => a.vendor === 'MITRE ATT&CK' && GROUP_ID_RE.test(a.name));
  return alias ? `https://attack.mitre.org/groups/${alias.name}` : '';
}

export function techniquesView(card: ActorCard): TechniquesView {
  const groups = new Map<string, { id: string; name: string }[]>();
  for (const t of card.techniques) {
    for (const tactic of t.tactics.length ? t.tactics : ['other']) {
      const list = groups.get(tactic) ?? [];
      list.push({ id: t.id, name: t.name });
      groups.set(tactic, list);
    }
  }
  const tactics = [...groups]
    .map(([tactic, techniques]) => ({ tactic, techniques }))
    .sort((a, b) => b.techniques.length - a.techniques.length || (a.tactic < b.tactic ? -1 : 1));
  return { total: card.techniques.length, tactics, attackUrl: attackGroupUrl(card) };
}

/** The card's references: label and URL, de-duplicated, in card order. */
export function referencesOf(card: ActorCard): ReferenceView[] {
  const out: ReferenceView[] = [];
  const seen = new Set<string>();
  for (const section of card.extraSections) {
    if (!REFERENCE_HEADINGS.has(section.heading.trim().toLowerCase())) continue;
    for (const line of section.body.split('\n')) {
      const m = REFERENCE_LINE_RE.exec(line.trim());
      const url = m?.[2];
      if (!url || !URL_RE.test(url) || seen.has(url)) continue;
      seen.add(url);
      out.push({ label: (m?.[1] ?? '').trim(), url });
    }
  }
  return out;
}

export interface TechniqueSummary {
  /** One line per tactic shown: the tactic and its first techniques. */
  lines: { tactic: string; items: string[]; more: number }[];
  /** Techniques in no line shown. */
  more: number;
}

/** The compact form every platform shows: a few tactics, a few techniques each, "+N more". */
export function summarizeTechniques(
  view: TechniquesView,
  maxTactics = 4,
  perTactic = 3,
): TechniqueSummary {
  const shown = new Set<string>();
  const lines = view.tactics.slice(0, maxTactics).map((group) => {
    const items = group.techniques.slice(0, perTactic);
    for (const t of items) shown.add(`${t.id}\u0000${t.name}`);
    return {
      tactic: group.tactic,
      items: items.map((t) => (t.id ? `${t.id} ${t.name}` : t.name)),
      more: group.techniques.length - items.length,
    };
  });
  const all = new Set(
    view.tactics.flatMap((g) => g.techniques.map((t) => `${t.id}\u0000${t.name}`)),
  );
  return { lines, more: all.size - shown.size };
}
