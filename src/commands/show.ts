import { writeFileSync } from 'node:fs';
import type { ActorCard } from '../cards/model.js';
import { renderCard } from '../cards/render.js';
import { cardView, fullCardView } from '../reply/build.js';
import { forScreen, forTerminal } from '../reply/terminal.js';
import { renderText } from '../reply/text.js';
import { type CliIO, type Command, UsageError } from './command.js';
import { CARDS_OPTION, openCliIndex, parse } from './shared.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

/** Writes the asked-for pictures; says on stderr where, so stdout keeps the card itself. */
async function writePictures(
  io: CliIO,
  card: ActorCard,
  mapFile: string | undefined,
  timelineFile: string | undefined,
): Promise<number> {
  // Loaded only when asked for: the map libraries and resvg slow every other `show`.
  const { actorPictures, pictureSubject } = await import('../pictures/index.js');
  const pictures = actorPictures(pictureSubject(card));
  const jobs = [
    ['map', mapFile, pictures.map?.png],
    ['timeline', timelineFile, pictures.timeline?.png],
  ] as const;
  for (const [what, file, png] of jobs) {
    if (file === undefined) continue;
    if (!file) throw new UsageError(`--${what} needs a file name, e.g. --${what} ${what}.png`);
    if (!png) {
      io.stderr.write(`aptcard: could not draw the ${what} (see the log above)\n`);
      return 1;
    }
    try {
      writeFileSync(file, png);
    } catch (err) {
      io.stderr.write(`aptcard: cannot write ${file}: ${(err as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`aptcard: wrote the ${what} to ${file} (${Math.ceil(png.length / 1024)} KB)\n`);
  }
  const missing = pictures.map?.notOnMap ?? [];
  if (mapFile && missing.length > 0) {
    io.stderr.write(`aptcard: not on the map: ${missing.join(', ')}\n`);
  }
  return 0;
}

export const showCommand: Command = {
  name: 'show',
  usage: `aptcard show [--cards DIR] [--format text|markdown|json] [--all] [--map FILE.png] [--timeline FILE.png] ALIAS_OR_UUID

An actor held by several sources shows as one merged profile; --format markdown prints each of
its card files as on disk (only that card, given a card's UUID), json adds uuids and sources.
Text shows the newest operations (one page); --all prints every one. JSON and markdown always
hold all of them. --map and --timeline also write the targets map and the activity timeline
as PNG files. Exit status: 0 shown, 1 no card or several actors have that name, 2 usage or folder.`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      ...CARDS_OPTION,
      format: { type: 'string' },
      all: { type: 'boolean' },
      map: { type: 'string' },
      timeline: { type: 'string' },
    });
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
          `aptcard: "${name}" names ${found.length} different actors; use a UUID:\n${found.map((e) => `  ${e.card.uuid}  ${e.card.names.join(', ')}`).join('\n')}\n`,
        ),
      );
      return 1;
    }
    const entry = found[0]!;
    if (values.map !== undefined || values.timeline !== undefined) {
      const written = await writePictures(io, entry.card, values.map, values.timeline);
      if (written !== 0) return written;
    }
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
    } else {
      const card = values.all ? fullCardView(entry, index.catalog) : cardView(entry, index.catalog);
      // The command line asked for the card: the full card, opening as every surface does.
      const text = renderText({ kind: 'card', card, part: 'full' });
      io.stdout.write(`${forScreen(text, io.stdout)}\n`);
      if (card.operationsPageCount > 1) {
        io.stdout.write(
          `\n(${card.operations.length} of ${card.operationsTotal} operations shown: aptcard show --all ${name} prints every one)\n`,
        );
      }
    }
    return 0;
  },
};
