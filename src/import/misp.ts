/**
 * MISP galaxy clusters -> cards in the seed layout: the threat-actor galaxy
 * (threat-actor.json) and the MITRE ATT&CK groups in galaxy form (mitre-intrusion-set.json,
 * "APT28 - G0007").
 *
 * Mapping (what has a place in the layout):
 *   value                          -> title name (MITRE: "APT28 - G0007" -> "APT28")
 *   value + meta.synonyms          -> aliases; the vendor from meta "origin:<alias>" when given,
 *                                     else empty; MITRE adds "G0007 (MITRE ATT&CK)"
 *   description                    -> description paragraphs
 *   meta.country (ISO code)        -> country of origin, as ETDA names it ("KP" -> "North Korea")
 *   meta.cfr-suspected-state-sponsor -> sponsor "State-sponsored, <country>"
 *   meta.cfr-type-of-incident, meta.motive -> motivations
 *   meta.cfr-target-category, meta.targeted-sector -> observed sectors
 *   meta.cfr-suspected-victims, meta.suspected-victims -> observed (targeted) countries
 *   meta.since                     -> first seen
 * What has no place is kept so that nothing is lost, in extra sections after the standard ones:
 *   "References"   meta.refs, one URL per line (MITRE: and the links of the description)
 *   "Cited sources" MITRE: the names the description cited with "(Citation: X)"
 *   "MISP galaxy"  the galaxy, every other meta key and top-level field ("- key: value" lines)
 *   "Related"      related[] ("- similar <uuid> (tags)")
 */
import { type ActorCard, type Alias, type ExtraSection, emptyCard } from '../cards/model.js';
import { parseAlias } from '../cards/parse.js';
import { formatAlias } from '../cards/render.js';
import { cleanAttackText } from './attack-text.js';
import { countryFromCode, countryFromName } from './countries.js';
import { describe, FieldReader, ImportError, isObject, type Json } from './json.js';
import {
  type ImportBatch,
  type ImportedCard,
  MAX_RECORDS,
  normalizeUuid,
  problemList,
} from './model.js';
import { oneLine, paragraphs, safeBlock } from './text.js';

export const MISP_SOURCE = 'misp-galaxy';

/** meta keys the layout has a place for. */
const MAPPED_META = new Set([
  'synonyms',
  'country',
  'cfr-suspected-state-sponsor',
  'cfr-type-of-incident',
  'motive',
  'cfr-target-category',
  'targeted-sector',
  'cfr-suspected-victims',
  'suspected-victims',
  'since',
  'refs',
  'external_id',
]);
const MAPPED_TOP = new Set(['value', 'uuid', 'description', 'meta', 'related']);

const MITRE_VALUE_RE = /^(.*\S)\s+-\s+(G\d{4,})$/;

/** A name as a list entry: one line, trimmed, no stray commas at its ends ("APT-Q-27,"). */
function cleanName(text: string): string {
  return oneLine(text)
    .trim()
    .replace(/^[,;\s]+|[,;\s]+$/g, '');
}

function uniq(items: string[]): string[] {
  return [...new Set(items.filter((s) => s.length > 0))];
}

function metaLine(key: string, value: Json): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `- ${oneLine(key)}: ${oneLine(text)}`;
}

/** The galaxy a file holds, from its "type" ("threat-actor", "mitre-intrusion-set"). */
function galaxyType(json: Json): string {
  const type = isObject(json) ? json.type : undefined;
  return typeof type === 'string' && /^[a-z0-9][a-z0-9-]{0,60}$/i.test(type) ? type : '';
}

export function importMisp(json: Json, what: string): ImportBatch {
  let values: Json[];
  if (isObject(json) && Array.isArray(json.values)) values = json.values;
  else {
    throw new ImportError(
      `${what}: not a MISP galaxy cluster: expected an object with "values" ` +
        `(a list of {value, uuid, description, meta}); got ${isObject(json) ? `${describe(json.values)} for "values"` : describe(json)}`,
    );
  }
  if (values.length > MAX_RECORDS) {
    throw new ImportError(`${what}: ${values.length} values is over the limit of ${MAX_RECORDS}`);
  }
  const galaxy = galaxyType(json);
  const mitreGalaxy = galaxy === 'mitre-intrusion-set';
  const problems: string[] = [];
  const cards: ImportedCard[] = [];
  const seen = new Map<string, number>();

  values.forEach((entry, index) => {
    if (!isObject(entry)) {
      problems.push(`values[${index}]: must be an object (got ${describe(entry)})`);
      return;
    }
    const valueRaw = typeof entry.value === 'string' ? entry.value : '';
    const where = `values[${index}]${valueRaw ? ` ("${oneLine(valueRaw).slice(0, 60)}")` : ''}`;
    const r = new FieldReader(entry, where, problems);
    const before = problems.length;
    const value = cleanName(r.string('value', true));
    if (r.has('value') && typeof entry.value === 'string' && !value) {
      problems.push(`${where}: "value" is empty`);
    }
    const uuidRaw = oneLine(r.string('uuid', true));
    const uuid = normalizeUuid(uuidRaw);
    if (typeof entry.uuid === 'string' && !uuid) {
      problems.push(`${where}: "uuid" must be a UUID (got "${uuidRaw.slice(0, 60)}")`);
    }
    const metaRaw = entry.meta ?? {};
    if (!isObject(metaRaw)) {
      problems.push(`${where}: "meta" must be an object (got ${describe(metaRaw)})`);
      return;
    }
    const m = new FieldReader(metaRaw, `${where} meta`, problems);

    // MITRE ATT&CK groups: "APT28 - G0007" is the group APT28, ATT&CK id G0007.
    const mitre = MITRE_VALUE_RE.exec(value);
    const externalId = cleanName(m.string('external_id'));
    const attackId = mitre && (mitreGalaxy || externalId === mitre[2]) ? mitre[2] : '';
    const name = attackId && mitre?.[1] ? mitre[1] : value;

    const card: ActorCard = emptyCard(uuid ?? '');
    card.names = [name];
    // "origin:APT-C-20": "QiAnXin" names who coined a synonym: the alias's vendor.
    const origins = new Set<string>();
    const aliases: Alias[] = uniq([name, ...m.strings('synonyms').map(cleanName)]).map((n) => {
      const origin = metaRaw[`origin:${n}`];
      if (typeof origin !== 'string' || !cleanName(origin)) {
        // "APT-C-38 (QiAnXin)" is what every card alias means by "name (vendor)": say so, so the
        // card reads back as written. "NoName057(16)" is not; it stays as written.
        const parsed = parseAlias(n);
        return parsed.vendor && formatAlias(parsed) === n ? parsed : { name: n, vendor: '' };
      }
      origins.add(`origin:${n}`);
      return { name: n, vendor: cleanName(origin) };
    });
    const id = attackId || (mitreGalaxy ? externalId : '');
    if (id && !aliases.some((a) => a.name === id))
      aliases.push({ name: id, vendor: 'MITRE ATT&CK' });
    card.aliases = aliases;
    // ATT&CK prose: markdown links become text (their URLs join the references) and
    // "(Citation: X)" markers leave the text (the names are listed under "Cited sources").
    const attackText = id ? cleanAttackText(r.string('description')) : undefined;
    card.description = paragraphs(attackText?.text ?? r.string('description'));
    card.firstSeen = cleanName(m.string('since'));
    card.countries = uniq(
      m.strings('country').map((c) => {
        const t = cleanName(c);
        return /^[A-Za-z]{2}$/.test(t) ? countryFromCode(t) : countryFromName(t);
      }),
    );
    const sponsor = cleanName(m.string('cfr-suspected-state-sponsor'));
    const unknownSponsor = /^unknown$/i.test(sponsor);
    if (sponsor && !unknownSponsor) card.sponsor = `State-sponsored, ${countryFromName(sponsor)}`;
    card.motivations = uniq(
      [...m.strings('motive'), ...m.strings('cfr-type-of-incident')].map(cleanName),
    );
    card.sectors = uniq(
      [...m.strings('cfr-target-category'), ...m.strings('targeted-sector')].map(cleanName),
    );
    card.targets = uniq(
      [...m.strings('cfr-suspected-victims'), ...m.strings('suspected-victims')].map((v) =>
        countryFromName(cleanName(v)),
      ),
    );

    const extras: ExtraSection[] = [];
    const refs = uniq(
      [...m.strings('refs'), ...(attackText?.links.map((l) => l.url) ?? [])].map((u) =>
        oneLine(u).trim(),
      ),
    );
    if (refs.length) extras.push({ heading: 'References', body: refs.join('\n') });
    if (attackText?.citations.length) {
      // The galaxy lists its references as bare URLs, so a cited name cannot be paired with one.
      extras.push({
        heading: 'Cited sources',
        body: safeBlock(attackText.citations.map((c) => `- ${oneLine(c)}`).join('\n')),
      });
    }
    const meta: string[] = [];
    if (galaxy) meta.push(metaLine('galaxy', galaxy));
    if (attackId) meta.push(metaLine('value', value));
    if (unknownSponsor) meta.push(metaLine('cfr-suspected-state-sponsor', sponsor));
    for (const [key, v] of Object.entries(metaRaw)) {
      if (MAPPED_META.has(key) || origins.has(key) || v === null) continue;
      if (Array.isArray(v)) for (const item of v) meta.push(metaLine(key, item));
      else meta.push(metaLine(key, v));
    }
    for (const [key, v] of Object.entries(entry)) {
      if (MAPPED_TOP.has(key) || v === null) continue;
      meta.push(metaLine(key, v));
    }
    if (meta.length) extras.push({ heading: 'MISP galaxy', body: safeBlock(meta.join('\n')) });
    const related = r.objects('related').map((rel) => {
      const type = typeof rel.type === 'string' ? rel.type : 'related';
      const dest = typeof rel['dest-uuid'] === 'string' ? rel['dest-uuid'] : '?';
      const tags = Array.isArray(rel.tags) ? rel.tags.filter((t) => typeof t === 'string') : [];
      return `- ${oneLine(type)} ${oneLine(dest)}${tags.length ? ` (${oneLine(tags.join(', '))})` : ''}`;
    });
    if (related.length) extras.push({ heading: 'Related', body: related.join('\n') });
    card.extraSections = extras;

    if (problems.length > before || !uuid) return;
    const prior = seen.get(uuid);
    if (prior !== undefined) {
      problems.push(`${where}: UUID ${uuid} is also values[${prior}]'s`);
      return;
    }
    seen.set(uuid, index);
    cards.push({ index, uuid, card });
  });

  if (problems.length > 0) throw new ImportError(problemList(what, problems));
  return { source: galaxy ? `${MISP_SOURCE}:${galaxy}` : MISP_SOURCE, cards, warnings: [] };
}
