import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import { renderCard } from '../../src/cards/render.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { importStix } from '../../src/import/stix.js';
import { cardView } from '../../src/reply/build.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../import/helpers.js';
import { domainBundle, GROUP_UUID, smallBundle } from '../import/stix-bundle.js';

let dir: string;
let cleanup: () => void;
let index: SearchIndex;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('aptcard-techniques-'));
  mkdirSync(join(dir, 'cards'));
  for (const { card, uuid } of importStix(smallBundle(), 'bundle.json').cards) {
    writeFileSync(join(dir, 'cards', `${uuid}.md`), renderCard(card));
  }
  index = new SearchIndex(loadCatalog(join(dir, 'cards'), { cacheDir: false }));
});
afterAll(() => cleanup());

const names = (query: string) => index.search(query).results.map((r) => r.name);

describe('technique:, tactic: and tool: filters over STIX cards', () => {
  it('technique:T1566 matches its sub-techniques; technique:T1566.001 only that one', () => {
    expect(names('technique:T1566')).toEqual(['Copper Lantern']);
    expect(names('technique:t1566.001')).toEqual(['Copper Lantern']);
    expect(names('technique:T1566.002')).toEqual([]);
    expect(names('technique:T156')).toEqual([]);
    expect(names('technique:"custom lure"')).toEqual(['Copper Lantern']);
  });

  it('tactic: matches a kill chain phase, however it is written', () => {
    expect(names('tactic:initial-access')).toEqual(['Copper Lantern']);
    expect(names('tactic:"Initial Access"')).toEqual(['Copper Lantern']);
    expect(names('tactic:exfiltration')).toEqual([]);
  });

  it('tool: matches STIX software as well as ETDA tools', () => {
    expect(names('tool:mimikatz')).toEqual(['Copper Lantern']);
    expect(names('tool:LanternRAT')).toEqual(['Brass Owl']);
  });

  it('asks for a value when the filter has none', () => {
    expect(index.search('technique:').errors ?? []).toEqual(
      expect.arrayContaining([expect.stringContaining('technique:T1566')]),
    );
  });
});

describe('cards show techniques, software and references on every platform', () => {
  const view = () => cardView(index.catalog.byUuid.get(GROUP_UUID)!, index.catalog);

  it('groups techniques by tactic, largest first, with the ATT&CK page', () => {
    const v = view();
    expect(v.techniques.total).toBe(3);
    expect(v.techniques.attackUrl).toBe('https://attack.mitre.org/groups/G9901');
    expect(v.techniques.tactics.map((t) => [t.tactic, t.techniques.length])).toEqual([
      ['initial-access', 2],
      ['execution', 1],
      ['other', 1],
    ]);
    expect(v.references.map((r) => r.label)).toEqual([
      'MITRE ATT&CK G9901',
      'Lantern Report 2020',
      'Mimikatz',
    ]);
  });

  const full = () => ({ kind: 'card' as const, card: view(), part: 'full' as const });
  const part = (p: 'techniques' | 'sources') => ({ kind: 'card' as const, card: view(), part: p });

  it('console: the top techniques on the first screen, all of them on the full card', () => {
    const first = renderText({ kind: 'card', card: view() });
    expect(first).toContain(
      'ATT&CK techniques: 3 · https://attack.mitre.org/groups/G9901\n  initial-access: T1566 Phishing, T1566.001 Phishing: Spearphishing Attachment',
    );
    const text = renderText(full());
    expect(text).toContain('Software: S0002 Mimikatz');
    expect(text).toContain(
      'ATT&CK techniques: 3 · https://attack.mitre.org/groups/G9901\n  initial-access: T1566 Phishing, T1566.001 Phishing: Spearphishing Attachment',
    );
    expect(text).toContain(
      'References: 3\n  - MITRE ATT&CK G9901: https://attack.mitre.org/groups/G9901',
    );
  });

  it('console: the techniques part lists every technique by tactic, the sources part every reference', () => {
    const techniques = renderText(part('techniques'));
    expect(techniques).toContain(
      'initial-access (2):\n  - T1566 Phishing\n  - T1566.001 Phishing: Spearphishing Attachment',
    );
    expect(techniques).toContain('Software: S0002 Mimikatz');
    const sources = renderText(part('sources'));
    expect(sources).toContain('References: 3');
    expect(sources).toContain('  - Mimikatz: ');
  });

  it('Slack', () => {
    const json = JSON.stringify(renderSlack(full()).blocks);
    expect(json).toContain(
      '*ATT&amp;CK techniques* (3) · <https://attack.mitre.org/groups/G9901|attack.mitre.org>',
    );
    expect(json).toContain(
      '• *initial-access*: T1566 Phishing, T1566.001 Phishing: Spearphishing Attachment',
    );
    expect(json).toContain('*Software* (1): Mimikatz (S0002)');
    expect(json).toContain('References (3):');
    expect(json).toContain('Lantern Report 2020 (<https://example.com/lantern|example.com>)');
    const techniques = JSON.stringify(renderSlack(part('techniques')).blocks);
    expect(techniques).toContain('*initial-access* (2)\\n• T1566 Phishing\\n• T1566.001');
    const sources = JSON.stringify(renderSlack(part('sources')).blocks);
    expect(sources).toContain('*References* (3)');
    expect(sources).toContain('• Lantern Report 2020 (<https://example.com/lantern|example.com>)');
  });

  it('Discord', () => {
    const embeds = renderDiscord(full()).embeds;
    const fields = Object.fromEntries(
      embeds.flatMap((e) => e.fields ?? []).map((f) => [f.name, f.value]),
    );
    expect(fields['ATT&CK techniques (3)']).toContain(
      '• **initial-access**: T1566 Phishing, T1566.001 Phishing: Spearphishing Attachment',
    );
    expect(fields['ATT&CK techniques (3)']).toContain('attack.mitre.org');
    expect(fields.Software).toBe('Mimikatz (S0002)');
    expect(fields['References (3)']).toContain(
      'Lantern Report 2020 ([example.com](https://example.com/lantern))',
    );
    const techniques = renderDiscord(part('techniques')).embeds[0]?.fields ?? [];
    expect(techniques.find((f) => f.name === 'initial-access (2)')?.value).toBe(
      '• T1566 Phishing\n• T1566.001 Phishing: Spearphishing Attachment',
    );
    const sources = renderDiscord(part('sources')).embeds[0]?.fields ?? [];
    expect(sources[0]?.name).toBe('References (3)');
    expect(sources[0]?.value).toContain(
      'Lantern Report 2020 ([example.com](https://example.com/lantern))',
    );
  });

  it('a label cannot ping anyone or disguise its link', () => {
    const v = view();
    const hostile = {
      ...v,
      references: [
        {
          label: '@everyone <!channel> [google.com](https://evil.example)',
          url: 'https://evil.example/x',
        },
      ],
    };
    for (const p of ['full', 'sources'] as const) {
      const slack = JSON.stringify(renderSlack({ kind: 'card', card: hostile, part: p }).blocks);
      expect(slack).not.toContain('<!channel>');
      expect(slack).toContain('|evil.example>');
      const discord = JSON.stringify(renderDiscord({ kind: 'card', card: hostile, part: p }));
      expect(discord).toContain('evil.example');
      expect(discord).not.toMatch(/\[google\.com\]\(https:\/\/evil/);
    }
  });
});

describe('aptcard show --format json', () => {
  it('includes techniques with tactics and software', async () => {
    const r = await runCli(['show', '--cards', join(dir, 'cards'), '--format', 'json', 'G9901']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.techniques).toContainEqual({
      id: 'T1566.001',
      name: 'Phishing: Spearphishing Attachment',
      tactics: ['initial-access', 'execution'],
    });
    expect(json.software).toEqual([{ id: 'S0002', name: 'Mimikatz' }]);
  });
});

describe('a group in several ATT&CK domains (Sandworm Team is in Enterprise, ICS and Mobile)', () => {
  let domains: { dir: string; cleanup: () => void };
  let merged: SearchIndex;
  beforeAll(async () => {
    domains = tempDir('aptcard-domains-');
    const bundles = {
      ics: domainBundle('mitre-ics-attack', 'T0819', 'initial-access'),
      mobile: domainBundle('mitre-mobile-attack', 'T1660', 'initial-access'),
      enterprise: domainBundle('mitre-attack', 'T1566', 'initial-access'),
    };
    // Imported as a user does, one folder per bundle: each its own source, merged by UUID.
    for (const [name, bundle] of Object.entries(bundles)) {
      const file = join(domains.dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(bundle));
      const out = join(domains.dir, 'cards', name);
      expect((await runCli(['import', 'stix', file, '--out', out])).code).toBe(0);
    }
    const catalog = loadCatalog(join(domains.dir, 'cards'), { cacheDir: false });
    expect(catalog.issues.filter((i) => i.level === 'error')).toEqual([]);
    merged = new SearchIndex(catalog);
  });
  afterAll(() => domains.cleanup());

  it('lists each domain under its own tactic, and tactic: finds the group in any of them', () => {
    expect(merged.catalog.actors).toHaveLength(1);
    const entry = merged.catalog.profileOf(GROUP_UUID)!;
    const tactics = cardView(entry, merged.catalog).techniques.tactics;
    expect(tactics.map((t) => [t.tactic, t.techniques.map((x) => x.id)])).toEqual([
      ['initial-access', ['T1566']],
      ['initial-access (ICS)', ['T0819']],
      ['initial-access (Mobile)', ['T1660']],
    ]);
    const text = renderText({ kind: 'card', card: cardView(entry, merged.catalog) });
    expect(text).toContain('  initial-access (ICS): T0819 Technique T0819');
    for (const q of ['tactic:initial-access', 'tactic:"Initial Access"']) {
      expect(merged.search(q).results.map((r) => r.name)).toEqual(['Copper Lantern']);
    }
  });
});
