import type { LoadedCard } from '../cards/model.js';
import { displayName } from '../cards/model.js';
import type { ActorLink } from '../catalog/actors.js';
import type { Catalog, CatalogActor } from '../catalog/catalog.js';
import { type Command, UsageError } from './command.js';
import { CARDS_OPTION, openCliIndex, parse } from './shared.js';

function cardLine(entry: LoadedCard, source: string): string {
  return `  - ${source}: ${displayName(entry.card)}  ${entry.card.uuid}  ${entry.source.file}`;
}

function actorText(actor: CatalogActor): string {
  const lines = [
    `${displayName(actor.profile.entry.card)} (${actor.cards.length} card${actor.cards.length === 1 ? '' : 's'})`,
    ...actor.cards.map((c, i) => cardLine(c, actor.sources[i] ?? 'local')),
    ...actor.folded.map((c) => cardLine(c, `${c.source.origin ?? 'local'} (revoked, folded in)`)),
  ];
  return lines.join('\n');
}

function actorJson(actor: CatalogActor) {
  return {
    uuid: actor.id,
    name: displayName(actor.profile.entry.card),
    uuids: actor.cards.map((c) => c.card.uuid),
    sources: [...actor.sources],
    files: actor.cards.map((c) => c.source.file),
    folded: actor.folded.map((c) => c.card.uuid),
    disagreements: actor.profile.disagreements,
  };
}

function linkText(link: ActorLink): string {
  const side = (e: LoadedCard) =>
    `${displayName(e.card)} [${e.source.origin ?? 'local'}] ${e.card.uuid}`;
  const score = Number.isFinite(link.score) ? ` score ${Math.round(link.score * 100) / 100}` : '';
  return [
    `${link.merged ? 'merged' : 'kept apart'}: ${side(link.a)}  ~  ${side(link.b)}${score}`,
    `    rule: ${link.rule}`,
    `    evidence: ${link.evidence.map((e) => `${e.detail} (${Number.isFinite(e.weight) ? e.weight : 'override'})`).join('; ')}`,
  ].join('\n');
}

/** The actors a name picks out: every actor holding a card that answers to it exactly. */
function actorsNamed(catalog: Catalog, lookup: (name: string) => LoadedCard[], name: string) {
  const out = new Set<CatalogActor>();
  for (const profile of lookup(name)) {
    const actor = catalog.actorOf(profile.card.uuid);
    if (actor) out.add(actor);
  }
  return [...out];
}

export const actorsCommand: Command = {
  name: 'actors',
  usage: `aptcard actors [--cards DIR] [--json] [NAME]
aptcard actors [--cards DIR] --explain NAME

Without NAME, every actor with its cards and their sources; with NAME, the actors answering to it.
--explain says why cards were merged or kept apart: the evidence, and the rule that decided.
Analyst overrides go in actor-overrides.json in the cards folder:
  {"same": [["<uuid>", "<uuid>"]], "apart": [["<uuid>", "<uuid>"]]}`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      ...CARDS_OPTION,
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
    });
    const name = positionals.join(' ').trim();
    if (values.explain && !name) throw new UsageError('--explain needs a NAME');
    const index = openCliIndex(io, values.cards);
    const { catalog } = index;
    const actors = name ? actorsNamed(catalog, (n) => index.lookup(n), name) : [...catalog.actors];
    if (name && actors.length === 0) {
      io.stderr.write(`aptcard: no actor is named "${name.slice(0, 100)}"\n`);
      return 1;
    }
    if (values.explain) {
      const cards = new Set(actors.flatMap((a) => [...a.cards, ...a.folded]));
      const links = catalog.links.filter((l) => cards.has(l.a) || cards.has(l.b));
      if (values.json) {
        const side = (e: LoadedCard) => ({ uuid: e.card.uuid, source: e.source.origin ?? 'local' });
        const json = links.map((l) => ({
          a: side(l.a),
          b: side(l.b),
          merged: l.merged,
          rule: l.rule,
          score: Number.isFinite(l.score) ? l.score : null,
          evidence: l.evidence.map((e) => ({
            ...e,
            weight: Number.isFinite(e.weight) ? e.weight : null,
          })),
        }));
        io.stdout.write(
          `${JSON.stringify({ actors: actors.map(actorJson), links: json }, null, 2)}\n`,
        );
        return 0;
      }
      const out = actors.map(actorText);
      out.push(
        links.length
          ? links.map(linkText).join('\n')
          : 'No card of another source shares evidence with these cards.',
      );
      io.stdout.write(`${out.join('\n\n')}\n`);
      return 0;
    }
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ cards: catalog.cards.length, actors: actors.map(actorJson) }, null, 2)}\n`,
      );
      return 0;
    }
    io.stdout.write(
      `${actors.map(actorText).join('\n')}\n${name ? '' : `${catalog.actors.length} actors from ${catalog.cards.length} cards\n`}`,
    );
    return 0;
  },
};
