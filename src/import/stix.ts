/**
 * STIX 2.1 bundles -> cards: MITRE ATT&CK (Enterprise, Mobile, ICS) and the exports of other
 * tools that speak STIX (OpenCTI, MISP).
 *
 * Mapping, for each `intrusion-set` and `threat-actor` that is neither revoked nor deprecated:
 *   id "intrusion-set--<uuid>"   -> the card's UUID (the MISP galaxy's MITRE card has the same)
 *   name, aliases                -> title name and aliases; the ATT&CK id as "G0007 (MITRE ATT&CK)"
 *   description                  -> paragraphs, ATT&CK markdown links and "(Citation: X)" removed
 *   first_seen                   -> first seen; modified -> source last modified
 *   primary/secondary_motivation(s) -> motivations
 *   uses -> attack-pattern       -> Techniques (ATT&CK id, name, tactics from kill_chain_phases;
 *                                   an ICS or Mobile tactic says so: "initial-access (ICS)")
 *   uses -> malware | tool       -> Software (ATT&CK S-id, name)
 *   campaign attributed-to it    -> Reported hacking operations (dated from first/last seen)
 *   originates-from -> location  -> country of origin; targets -> location | identity: targets, sectors
 * And, as extra sections: "References" (the ATT&CK page, then every cited or linked source
 * with its URL) and "STIX" (id, type, dates, version, domains, contributors).
 * Revoked and deprecated objects and relationships are skipped; a group that is revoked or
 * deprecated is listed in the batch's `retired`, so a re-run removes its earlier card.
 */
import {
  type ActorCard,
  emptyCard,
  type Operation,
  type Software,
  type Technique,
} from '../cards/model.js';
import { parseAlias } from '../cards/parse.js';
import { formatAlias } from '../cards/render.js';
import { cleanAttackText, type LabelledLink } from './attack-text.js';
import { countryFromCode, countryFromName } from './countries.js';
import { describe, ImportError, isObject, type Json } from './json.js';
import { type ImportBatch, type ImportedCard, problemList } from './model.js';
import { oneLine, paragraphs, safeBlock } from './text.js';
import { slugFor } from './writer.js';

export const STIX_SOURCE = 'stix';

/** Enterprise ATT&CK holds about 24,000 objects; this is far past any real bundle. */
export const MAX_STIX_OBJECTS = 2_000_000;

type StixObject = { [key: string]: Json };

const STIX_ID_RE =
  /^([a-z0-9][a-z0-9-]{0,60})--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** ATT&CK's own external references: mitre-attack, mitre-mobile-attack, mitre-ics-attack. */
const ATTACK_SOURCE_RE = /^mitre-(?:[a-z]+-)?attack$/;
const GROUP_TYPES = new Set(['intrusion-set', 'threat-actor']);
const SOFTWARE_TYPES = new Set(['malware', 'tool']);

const text = (o: StixObject, key: string): string => {
  const v = o[key];
  return typeof v === 'string' ? v : '';
};
const texts = (o: StixObject, key: string): string[] => {
  const v = o[key];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};
const active = (o: StixObject) => o.revoked !== true && o.x_mitre_deprecated !== true;
const uniq = (items: string[]) => [...new Set(items.filter((s) => s.length > 0))];

/**
 * A name as one list entry of a card: one line; brackets become parentheses, since a trailing
 * "[...]" in a Techniques line holds the tactics.
 */
function entryName(raw: string): string {
  return oneLine(raw).replace(/\[/g, '(').replace(/\]/g, ')').trim();
}

/** The ATT&CK id and page of an object, from its mitre-* external reference. */
function attackRef(o: StixObject): { id: string; url: string } {
  const refs = Array.isArray(o.external_references) ? o.external_references : [];
  for (const ref of refs) {
    if (!isObject(ref) || typeof ref.source_name !== 'string') continue;
    if (!ATTACK_SOURCE_RE.test(ref.source_name)) continue;
    const id = typeof ref.external_id === 'string' ? oneLine(ref.external_id).trim() : '';
    const url = typeof ref.url === 'string' && /^https?:\/\/\S+$/.test(ref.url) ? ref.url : '';
    if (/^[A-Z]{1,3}\d{4}(?:\.\d{3})?$/.test(id)) return { id, url };
  }
  return { id: '', url: '' };
}

/** source_name -> URL of an object's external references (the targets of its citations). */
function citedUrls(o: StixObject): Map<string, string> {
  const out = new Map<string, string>();
  const refs = Array.isArray(o.external_references) ? o.external_references : [];
  for (const ref of refs) {
    if (!isObject(ref) || typeof ref.source_name !== 'string' || typeof ref.url !== 'string') {
      continue;
    }
    const url = oneLine(ref.url).trim();
    if (/^https?:\/\/\S+$/.test(url) && !out.has(ref.source_name)) out.set(ref.source_name, url);
  }
  return out;
}

/** "2015-12-01T00:00:00.000Z" -> "2015-12-01" (or "" when it is not a STIX timestamp). */
function day(timestamp: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(timestamp) ? timestamp.slice(0, 10) : '';
}

interface Index {
  byId: Map<string, StixObject>;
  /** group id -> relationships it is the source of (or the target of, for attributed-to). */
  uses: Map<string, StixObject[]>;
  campaigns: Map<string, StixObject[]>;
  /** ATT&CK technique id -> name, for "Parent: Sub-technique" names. */
  techniqueNames: Map<string, string>;
  danglingRelationships: number;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexBundle(objects: StixObject[]): Index {
  const byId = new Map<string, StixObject>();
  for (const o of objects) if (typeof o.id === 'string') byId.set(o.id, o);
  const index: Index = {
    byId,
    uses: new Map(),
    campaigns: new Map(),
    techniqueNames: new Map(),
    danglingRelationships: 0,
  };
  for (const o of objects) {
    if (o.type === 'attack-pattern' && active(o)) {
      const { id } = attackRef(o);
      if (id) index.techniqueNames.set(id, entryName(text(o, 'name')));
    }
    if (o.type !== 'relationship' || !active(o)) continue;
    const source = text(o, 'source_ref');
    const target = text(o, 'target_ref');
    const kind = text(o, 'relationship_type');
    const groupSide = kind === 'attributed-to' ? target : source;
    if (!GROUP_TYPES.has(groupSide.split('--')[0] ?? '')) continue;
    if (!byId.has(source) || !byId.has(target)) {
      index.danglingRelationships++;
      continue;
    }
    if (kind === 'attributed-to') {
      if (source.startsWith('campaign--')) push(index.campaigns, target, o);
    } else push(index.uses, source, o);
  }
  return index;
}

function techniqueOf(o: StixObject, index: Index): Technique {
  const { id } = attackRef(o);
  let name = entryName(text(o, 'name'));
  const parent = id.includes('.') ? index.techniqueNames.get(id.split('.')[0] ?? '') : undefined;
  if (parent && !name.startsWith(`${parent}:`)) name = `${parent}: ${name}`;
  const phases = Array.isArray(o.kill_chain_phases) ? o.kill_chain_phases : [];
  const tactics = uniq(
    phases.flatMap((p) =>
      isObject(p) && typeof p.phase_name === 'string'
        ? [tacticIn(entryName(p.phase_name).replace(/,/g, ' '), p.kill_chain_name)]
        : [],
    ),
  );
  return { id, name, tactics };
}

/**
 * ICS and Mobile name their tactics as Enterprise does ("initial-access" in all three), so a
 * profile merged from several bundles (Sandworm Team is in each) listed ICS's T0819 and Mobile's
 * T1660 under one "initial-access". Their tactics carry the domain: "initial-access (ICS)".
 * Enterprise's, and those of kill chains ATT&CK does not name, stay as written.
 */
const DOMAIN_OF_KILL_CHAIN: ReadonlyMap<string, string> = new Map([
  ['mitre-ics-attack', 'ICS'],
  ['mitre-mobile-attack', 'Mobile'],
]);

function tacticIn(tactic: string, killChain: Json | undefined): string {
  const domain = typeof killChain === 'string' ? DOMAIN_OF_KILL_CHAIN.get(killChain) : undefined;
  return domain ? `${tactic} (${domain})` : tactic;
}

function byIdThenName<T extends { id: string; name: string }>(a: T, b: T): number {
  if (a.id !== b.id) {
    if (!a.id || !b.id) return a.id ? -1 : 1;
    return a.id < b.id ? -1 : 1;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** "2015-12" or "2015-12/2016-03": a campaign's dates as an operation date. */
function campaignDate(campaign: StixObject): string {
  const first = day(text(campaign, 'first_seen')).slice(0, 7);
  const last = day(text(campaign, 'last_seen')).slice(0, 7);
  if (!first) return last;
  return last && last !== first ? `${first}/${last}` : first;
}

function campaignOperation(campaign: StixObject): Operation {
  const { id, url } = attackRef(campaign);
  const name = entryName(text(campaign, 'name')) || 'Unnamed campaign';
  // One line: the operation's text must not open a new entry or end in what reads as a source.
  const description = oneLine(cleanAttackText(text(campaign, 'description')).text)
    .replace(/\s+/g, ' ')
    .trim();
  return {
    date: campaignDate(campaign),
    title: id ? `${name} (${id})` : name,
    text: /^https?:\/\/\S+$/.test(description) ? `<${description}>` : description,
    sources: url ? [url] : [],
  };
}

function referenceLines(refs: LabelledLink[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { label, url } of refs) {
    if (seen.has(url)) continue;
    seen.add(url);
    const l = oneLine(label).replace(/:\s*$/, '').trim();
    lines.push(l && l !== url ? `- ${l}: ${url}` : `- ${url}`);
  }
  return safeBlock(lines.join('\n'));
}

function stixLines(o: StixObject): string {
  const lines: string[] = [`- id: ${oneLine(text(o, 'id'))}`];
  for (const key of ['created', 'modified', 'first_seen', 'last_seen']) {
    const v = day(text(o, key));
    if (v) lines.push(`- ${key}: ${v}`);
  }
  for (const key of [
    'x_mitre_version',
    'x_mitre_domains',
    'x_mitre_contributors',
    'goals',
    'resource_level',
    'sophistication',
    'threat_actor_types',
    'roles',
  ]) {
    const values = texts(o, key).map((v) => oneLine(v).trim());
    if (values.length) lines.push(`- ${key}: ${values.join(', ')}`);
  }
  return safeBlock(lines.join('\n'));
}

function groupCard(group: StixObject, uuid: string, index: Index): ActorCard {
  const card = emptyCard(uuid);
  const name = entryName(text(group, 'name'));
  card.names = [name];
  const attack = attackRef(group);
  // "BlackEnergy (Group)" reads back from a card as name and vendor: say so, as MISP's importer does.
  const aliases = uniq([name, ...texts(group, 'aliases').map(entryName)]).map((n) => {
    const parsed = parseAlias(n);
    return parsed.vendor && formatAlias(parsed) === n ? parsed : { name: n, vendor: '' };
  });
  if (attack.id && !aliases.some((a) => a.name === attack.id)) {
    aliases.push({ name: attack.id, vendor: 'MITRE ATT&CK' });
  }
  card.aliases = aliases;
  const cleaned = cleanAttackText(text(group, 'description'));
  card.description = paragraphs(cleaned.text);
  card.firstSeen = day(text(group, 'first_seen'));
  card.lastModified = day(text(group, 'modified'));
  card.motivations = uniq(
    [...texts(group, 'primary_motivation'), ...texts(group, 'secondary_motivations')].map(
      entryName,
    ),
  );

  const techniques = new Map<string, Technique>();
  const software = new Map<string, Software>();
  const countries: string[] = [];
  const targets: string[] = [];
  const sectors: string[] = [];
  for (const rel of index.uses.get(text(group, 'id')) ?? []) {
    const target = index.byId.get(text(rel, 'target_ref'));
    if (!target || !active(target)) continue;
    const kind = text(rel, 'relationship_type');
    const type = text(target, 'type');
    if (kind === 'uses' && type === 'attack-pattern') {
      const t = techniqueOf(target, index);
      if (t.name || t.id) techniques.set(`${t.id}\u0000${t.name}`, t);
    } else if (kind === 'uses' && SOFTWARE_TYPES.has(type)) {
      const s = { id: attackRef(target).id, name: entryName(text(target, 'name')) };
      if (s.name || s.id) software.set(`${s.id}\u0000${s.name}`, s);
    } else if (type === 'location') {
      const code = text(target, 'country');
      const place = /^[A-Za-z]{2}$/.test(code)
        ? countryFromCode(code)
        : countryFromName(entryName(text(target, 'name')));
      if (kind === 'originates-from') countries.push(place);
      else if (kind === 'targets') targets.push(place);
    } else if (kind === 'targets' && type === 'identity') {
      sectors.push(...texts(target, 'sectors').map(entryName), entryName(text(target, 'name')));
    }
  }
  card.techniques = [...techniques.values()].sort(byIdThenName);
  card.software = [...software.values()].sort(byIdThenName);
  card.countries = uniq(countries);
  card.targets = uniq(targets);
  card.sectors = uniq(sectors);
  card.operations = (index.campaigns.get(text(group, 'id')) ?? [])
    .flatMap((rel) => {
      const campaign = index.byId.get(text(rel, 'source_ref'));
      return campaign && active(campaign) ? [campaignOperation(campaign)] : [];
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const urls = citedUrls(group);
  const refs: LabelledLink[] = [];
  if (attack.url) refs.push({ label: `MITRE ATT&CK ${attack.id}`, url: attack.url });
  for (const cited of cleaned.citations) {
    const url = urls.get(cited);
    if (url) refs.push({ label: cited, url });
  }
  for (const [label, url] of urls) refs.push({ label, url });
  refs.push(...cleaned.links);
  if (refs.length) card.extraSections.push({ heading: 'References', body: referenceLines(refs) });
  card.extraSections.push({ heading: 'STIX', body: stixLines(group) });
  return card;
}

/** The collection a bundle is ("stix:enterprise-att-ck"), so two bundles in one folder stay apart. */
function sourceOf(objects: StixObject[]): string {
  const collection = objects.find((o) => o.type === 'x-mitre-collection');
  const name = collection ? text(collection, 'name') : '';
  return name ? `${STIX_SOURCE}:${slugFor([name])}` : STIX_SOURCE;
}

export function importStix(json: Json, what: string): ImportBatch {
  if (!isObject(json) || !Array.isArray(json.objects)) {
    throw new ImportError(
      `${what}: not a STIX 2.1 bundle: expected an object with "type": "bundle" and "objects" ` +
        `(a list of STIX objects); got ${isObject(json) ? `${describe(json.objects)} for "objects"` : describe(json)}`,
    );
  }
  if (json.type !== undefined && json.type !== 'bundle') {
    throw new ImportError(`${what}: "type" is ${describe(json.type)}, not "bundle"`);
  }
  const raw = json.objects;
  if (raw.length > MAX_STIX_OBJECTS) {
    throw new ImportError(
      `${what}: ${raw.length} objects is over the limit of ${MAX_STIX_OBJECTS}`,
    );
  }
  const objects = raw.filter(isObject);
  const warnings: string[] = [];
  if (objects.length < raw.length) {
    warnings.push(`${raw.length - objects.length} entries of "objects" are not objects; skipped`);
  }
  const index = indexBundle(objects);
  const problems: string[] = [];
  const cards: ImportedCard[] = [];
  const retired: string[] = [];
  const seen = new Map<string, number>();
  raw.forEach((o, i) => {
    if (!isObject(o) || typeof o.type !== 'string' || !GROUP_TYPES.has(o.type)) return;
    const nameRaw = text(o, 'name');
    const where = `objects[${i}]${nameRaw ? ` ("${oneLine(nameRaw).slice(0, 60)}")` : ''}`;
    const id = STIX_ID_RE.exec(text(o, 'id'));
    if (!id || id[1] !== o.type) {
      problems.push(`${where}: "id" must be "${o.type}--<uuid>" (got ${describe(o.id)})`);
      return;
    }
    const uuid = (id[2] ?? '').toLowerCase();
    if (!active(o)) {
      retired.push(uuid);
      return;
    }
    if (!entryName(nameRaw)) {
      problems.push(`${where}: "name" must be a non-empty text (got ${describe(o.name)})`);
      return;
    }
    const prior = seen.get(uuid);
    if (prior !== undefined) {
      problems.push(`${where}: UUID ${uuid} is also objects[${prior}]'s`);
      return;
    }
    seen.set(uuid, i);
    cards.push({ index: i, uuid, card: groupCard(o, uuid, index) });
  });
  if (problems.length > 0) throw new ImportError(problemList(what, problems));
  if (index.danglingRelationships > 0) {
    warnings.push(
      `${index.danglingRelationships} relationship(s) of a group refer to objects not in the bundle; skipped`,
    );
  }
  return { source: sourceOf(objects), cards, warnings, retired };
}
