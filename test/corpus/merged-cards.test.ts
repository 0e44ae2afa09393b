/**
 * Every merged actor of the three public catalogs (ETDA, the MISP galaxy's threat actors and
 * ATT&CK groups, the ATT&CK for ICS STIX bundle), imported together with the project's own
 * importers into one folder, through the same checks as the ETDA cards: on Discord by the limit
 * checker and discord.js's builders, on Slack by the Block Kit checker, on the console wrapped
 * to 80 columns and paged with "more". Merged profiles are what the ETDA corpus alone never
 * shows: several sources' aliases, descriptions, references and techniques on one card.
 * One import, shared by every check (it takes most of the time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { SearchIndex } from '../../src/search/index.js';
import { consoleProblemsOver } from '../console/card-checks.js';
import { discordCardProblems } from '../discord/card-checks.js';
import { cardReplies } from '../helpers/card-replies.js';
import {
  ATTACK_ICS,
  ETDA_CATALOG,
  hasCatalogFiles,
  importCatalogs,
  MISP_MITRE,
  MISP_THREAT_ACTOR,
} from '../helpers/catalogs.js';
import { slackCardProblems } from '../slack/card-checks.js';

const CATALOGS = [ETDA_CATALOG, MISP_THREAT_ACTOR, MISP_MITRE, ATTACK_ICS];
const present = hasCatalogFiles('card checks over the merged public catalogs', CATALOGS);

describe.skipIf(!present)('every merged actor of the public catalogs, on every surface', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-merged-'));
  let catalog: Catalog;
  let bot: Bot;
  beforeAll(() => {
    const started = performance.now();
    catalog = importCatalogs(dir, CATALOGS);
    bot = new Bot(new Library(new SearchIndex(catalog)));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const multi = catalog.actors.filter((a) => a.cards.length > 1).length;
    console.log(
      `[corpus] merged catalogs: ${catalog.cards.length} cards -> ${catalog.actors.length} actors (${multi} from several sources), imported in ${seconds} s`,
    );
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every card reply of every merged profile, each with who it is about. */
  const everyReply = () =>
    catalog.profiles.flatMap((entry) =>
      cardReplies(entry, catalog).map(({ reply, what }) => ({
        reply,
        name: `${reply.card.name} ${what}`,
      })),
    );

  it("merges the four files into actors, the ICS groups with the other catalogs' cards of them", () => {
    expect(catalog.issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(catalog.actors.length).toBeGreaterThan(1000);
    const sources = new Set(catalog.actors.flatMap((a) => a.sources));
    expect([...sources].sort()).toEqual([
      'etda',
      'misp-galaxy:mitre-intrusion-set',
      'misp-galaxy:threat-actor',
      'stix:ics-att-ck',
    ]);
    // The MISP galaxy's ATT&CK groups carry ATT&CK's own UUIDs, so the ICS bundle's groups it
    // already holds are left alone by the import (a card of another import has that UUID); the
    // rest (ALLANITE, CyberAv3ngers) are added, and merge with the other catalogs' cards.
    const stix = catalog.actors.filter((a) => a.sources.includes('stix:ics-att-ck'));
    expect(stix.length).toBeGreaterThanOrEqual(2);
    for (const actor of stix) expect(actor.sources.length, actor.id).toBeGreaterThan(1);
  });

  it('puts a card two sources keep apart with the actor it names first (APT17, Whitefly)', () => {
    // ETDA's cards join what ATT&CK and the MISP galaxy keep as two actors (APT17 and
    // Elderwood, Whitefly and Mofang): each goes with the one the other sources name as it does.
    const members = (name: string) => {
      const actor = catalog.actors.find((a) =>
        a.cards.some((e) => e.source.origin === 'etda' && e.card.names[0] === name),
      );
      return (actor?.cards ?? []).map((e) => `${e.source.origin}: ${e.card.names[0]}`).sort();
    };
    expect(members('APT 17')).toEqual([
      'etda: APT 17',
      'misp-galaxy:mitre-intrusion-set: APT17',
      'misp-galaxy:threat-actor: APT17',
    ]);
    expect(members('Whitefly')).toEqual([
      'etda: Whitefly',
      'misp-galaxy:mitre-intrusion-set: Whitefly',
      'misp-galaxy:threat-actor: Whitefly',
    ]);
    const elderwood = catalog.actors.find((a) =>
      a.cards.some((e) => e.card.names[0] === 'Elderwood'),
    );
    expect(elderwood?.cards.map((e) => e.card.names[0]).sort()).toEqual([
      'Beijing Group',
      'Elderwood',
    ]);
  });

  it('Discord: every part and operations page within the limits and accepted by discord.js', () => {
    const problems: string[] = [];
    let shortened = 0;
    const replies = everyReply();
    for (const { reply, name } of replies) {
      const checked = discordCardProblems(reply);
      for (const p of checked.problems) problems.push(`${name}: ${p}`);
      if (checked.shortened) shortened++;
    }
    expect(problems).toEqual([]);
    expect(replies.length).toBeGreaterThan(catalog.actors.length * 4);
    expect(shortened).toBeGreaterThan(0);
    // What only merging gives was rendered: full cards with the other sources' descriptions.
    const merged = replies.filter(
      ({ reply }) => reply.part === 'full' && (reply.card.otherDescriptions?.length ?? 0) > 0,
    );
    expect(merged.length).toBeGreaterThan(300);
  });

  it('Slack: every part and operations page within the Block Kit limits, escaped', () => {
    const problems: string[] = [];
    for (const { reply, name } of everyReply()) {
      for (const p of slackCardProblems(reply)) problems.push(`${name}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('console: every answer wrapped to 80 columns, "more" paging each operation once', async () => {
    const { problems, pages, expectedPages } = await consoleProblemsOver(
      bot,
      catalog,
      catalog.profiles,
    );
    expect(problems).toEqual([]);
    expect(pages).toBe(expectedPages);
    expect(pages).toBeGreaterThan(300);
  }, 120_000);
});
