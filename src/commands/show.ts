import { renderCard } from '../cards/render.js';
import { cardView } from '../reply/build.js';
import { forTerminal } from '../reply/terminal.js';
import { renderText } from '../reply/text.js';
import { type Command, UsageError } from './command.js';
import { CARDS_OPTION, openCliIndex, parse } from './shared.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

export const showCommand: Command = {
  name: 'show',
  summary: 'print one card (text, the original markdown, or JSON)',
  usage: 'aptcard show [--cards DIR] [--format text|markdown|json] ALIAS_OR_UUID',
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
        forTerminal(
          `aptcard: no card has the name or UUID "${name}" (try: aptcard search ${name})\n`,
        ),
      );
      return 1;
    }
    if (found.length > 1) {
      io.stderr.write(
        forTerminal(
          `aptcard: "${name}" names ${found.length} cards; use a UUID:\n${found.map((e) => `  ${e.card.uuid}  ${e.card.names.join(', ')}`).join('\n')}\n`,
        ),
      );
      return 1;
    }
    const entry = found[0]!;
    if (format === 'markdown') io.stdout.write(renderCard(entry.card));
    else if (format === 'json') {
      const { layout: _layout, ...card } = entry.card;
      io.stdout.write(`${JSON.stringify({ ...card, file: entry.source.file }, null, 2)}\n`);
    } else
      io.stdout.write(
        `${forTerminal(renderText({ kind: 'card', card: cardView(entry, index.catalog) }))}\n`,
      );
    return 0;
  },
};
