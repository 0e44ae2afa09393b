import { renderCard } from '../cards/render.js';
import { cardView } from '../reply/build.js';
import { renderText } from '../reply/text.js';
import { type Command, UsageError } from './command.js';
import { CARDS_OPTION, openCliIndex, parse } from './shared.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const showCommand: Command = {
  name: 'show',
  summary: 'print one card (text, the original markdown, or JSON)',
  usage: `aptcard show [--cards DIR] [--format text|markdown|json] ALIAS_OR_UUID

An actor held by several sources shows as one merged profile; --format markdown prints each of
its card files as on disk (only that card, given a card's UUID), json adds uuids and sources.`,
  async run(args, io) {
    const { values, positionals } = parse(args, { ...CARDS_OPTION, format: { type: 'string' } });
    const format = values.format ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    }
    const name = positionals.join(' ').trim();
    if (!name) throw new UsageError('missing ALIAS_OR_UUID');
    const index = openCliIndex(io, values.cards);
    const found = index.lookup(name);
    if (found.length === 0) {
      io.stderr.write(
        `aptcard: no card has the name or UUID "${name}" (try: aptcard search ${name})\n`,
      );
      return 1;
    }
    if (found.length > 1) {
      io.stderr.write(
        `aptcard: "${name}" names ${found.length} cards; use a UUID:\n${found.map((e) => `  ${e.card.uuid}  ${e.card.names.join(', ')}`).join('\n')}\n`,
      );
      return 1;
    }
    const entry = found[0]!;
    const actor = index.catalog.actorOf(entry.card.uuid);
    if (format === 'markdown') {
      // The card files of that actor, each as on disk; only the one asked for by its UUID.
      const byUuid = actor?.cards.filter((c) => c.card.uuid === name.toLowerCase()) ?? [];
      const files = byUuid.length ? byUuid : (actor?.cards ?? [entry]);
      io.stdout.write(files.map((c) => renderCard(c.card)).join('\n'));
    } else if (format === 'json') {
      const { layout: _layout, ...card } = entry.card;
      const merged = actor
        ? {
            uuids: actor.cards.map((c) => c.card.uuid),
            sources: [...actor.sources],
            files: actor.cards.map((c) => c.source.file),
            sourceLinks: actor.profile.sources,
            disagreements: actor.profile.disagreements,
          }
        : {};
      io.stdout.write(
        `${JSON.stringify({ ...card, file: entry.source.file, ...merged }, null, 2)}\n`,
      );
    } else
      io.stdout.write(`${renderText({ kind: 'card', card: cardView(entry, index.catalog) })}\n`);
    return 0;
  },
};
