/**
 * One first screen everywhere: the console, Slack and Discord open a card with the first
 * screen's items in its order (src/reply/first-screen.ts), nothing before the title, and the
 * description one action away.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import { Bot } from '../../src/bot.js';
import { openLibrary } from '../../src/catalog/open.js';
import type { CardView, Reply } from '../../src/core/types.js';
import { firstScreen } from '../../src/reply/first-screen.js';
import { renderText } from '../../src/reply/text.js';
import { ETDA_CARDS_DIR, hasEtdaCards } from '../helpers/corpus.js';
import { slackLibrary, UUID } from '../slack/fixtures.js';
import { allText } from '../slack/limits.js';

type Surface = 'text' | 'slack' | 'discord';

/** What a surface shows, top to bottom, as one string, its own escaping undone. */
function shown(reply: Reply, surface: Surface): string {
  if (surface === 'text') return renderText(reply);
  if (surface === 'slack') {
    return allText({ blocks: renderSlack(reply).blocks })
      .trimStart()
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return renderDiscord(reply)
    .embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ])
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

/** The first screen's items as each surface labels them, in the first screen's order. */
function labels(card: CardView, surface: Surface): string[] {
  const screen = firstScreen(card);
  const label = (name: string) =>
    surface === 'text' ? `${name}:` : surface === 'slack' ? `*${name}*` : name;
  return [
    ...(screen.sources ? ['Sources: '] : []),
    ...(screen.aliases.items.length
      ? [surface === 'discord' ? '**Aliases**' : label('Aliases')]
      : []),
    ...screen.facts.map((f) => label(f.label)),
    ...(screen.operations.items.length
      ? [surface === 'slack' ? '*Latest operations*' : 'Latest operations']
      : []),
    ...(screen.tools.items.length ? [label('Tools')] : []),
    ...(screen.techniques
      ? [surface === 'slack' ? '*ATT&CK techniques*' : 'ATT&CK techniques']
      : []),
  ];
}

function expectFirstScreen(reply: Extract<Reply, { kind: 'card' }>): void {
  const { card } = reply;
  for (const surface of ['text', 'slack', 'discord'] as const) {
    const text = shown(reply, surface);
    // (A header may be shortened to its platform's limit: its start is enough.)
    expect(text.startsWith(card.name.slice(0, 40)), `${surface}: ${card.name} first`).toBe(true);
    let at = 0;
    for (const needle of labels(card, surface)) {
      const found = text.indexOf(needle, at);
      expect(
        found,
        `${surface}: "${needle}" after position ${at} for ${card.name}`,
      ).toBeGreaterThan(at);
      at = found;
    }
    const description = card.description[0]?.map((s) => s.text).join('') ?? '';
    const snippet = description.slice(0, 100);
    // (A fixture whose operations repeat its description's words proves nothing here.)
    const reused = card.operations.some((op) => `${op.title} ${op.text}`.includes(snippet));
    if (description.length > 100 && !reused) {
      expect(text, `${surface}: no description on the first screen`).not.toContain(snippet);
    }
  }
}

let corpusBot: Bot | undefined;
/** A bot over the ETDA corpus, opened once for this file. */
function corpus(): Bot {
  corpusBot ??= new Bot(openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache')));
  return corpusBot;
}

describe('one first screen on every surface', () => {
  const bot = new Bot(slackLibrary());

  it('the seed card and the fixture cards', () => {
    for (const query of ['hammer panda', UUID.giant, UUID.injection, 'twin storm alpha']) {
      const reply = bot.query(query);
      if (reply.kind !== 'card') throw new Error(`expected a card for ${query}`);
      expectFirstScreen(reply);
    }
  });

  it('a shortened list says how much is left, on every surface', () => {
    const reply = bot.query(UUID.giant);
    if (reply.kind !== 'card') throw new Error('expected a card');
    expect(reply.card.tools).toHaveLength(300);
    for (const surface of ['text', 'slack', 'discord'] as const) {
      const text = shown(reply, surface);
      expect(text, surface).toContain('+290 more tools');
      expect(text, surface).toContain('+52 more aliases');
      expect(text, surface).toContain('+5 more operations');
    }
  });

  it.skipIf(!hasEtdaCards)(
    "Lazarus's 145 tools: the ones its latest operations name, and +N more",
    () => {
      const corpus = new Bot(openLibrary(ETDA_CARDS_DIR, false));
      const reply = corpus.query('lazarus group');
      if (reply.kind !== 'card') throw new Error('expected a card');
      const { tools } = reply.card;
      expect(tools.length).toBeGreaterThan(100);
      for (const surface of ['text', 'slack', 'discord'] as const) {
        const text = shown(reply, surface);
        expect(text, surface).toContain(`+${tools.length - 10} more tools`);
        expect(text, surface).toContain('WannaCry');
      }
    },
  );

  it.skipIf(!hasEtdaCards)('every card of the ETDA corpus', () => {
    const bot = corpus();
    let n = 0;
    for (const entry of bot.library.current.catalog.cards) {
      const reply = bot.handle({
        kind: 'action',
        text: `show:${entry.card.uuid}`,
        platform: 't',
      });
      if (reply?.kind !== 'card') throw new Error(`expected a card for ${entry.card.uuid}`);
      expectFirstScreen(reply);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(447);
  });
});
