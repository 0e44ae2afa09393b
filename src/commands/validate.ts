import { loadCatalog } from '../catalog/load.js';
import type { Command } from './command.js';
import { CARDS_OPTION, catalogSettings, parse } from './shared.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a cards folder: errors (exit 1) and warnings',
  usage: `aptcard validate [--cards DIR] [--json]

Errors: a file that is not a card (no title, no or invalid UUID, over 1 MB, not UTF-8), a UUID twice
in one folder (across folders it is one actor's), an unreadable actor-overrides.json.
Warnings: an alias shared by several actors (not by the cards of one actor), a cross-link to no
card, an empty alias list.`,
  async run(args, io) {
    const { values } = parse(args, { ...CARDS_OPTION, json: { type: 'boolean' } });
    const { cardsDir } = catalogSettings(io, values.cards);
    // Validation parses every file afresh: a cached parse could hide a parser change.
    const catalog = loadCatalog(cardsDir, { cacheDir: false });
    const errors = catalog.issues.filter((i) => i.level === 'error');
    const warnings = catalog.issues.filter((i) => i.level === 'warning');
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          { cards: catalog.cards.length, actors: catalog.actors.length, errors, warnings },
          null,
          2,
        )}\n`,
      );
    } else {
      for (const i of catalog.issues) {
        io.stdout.write(`${i.level}: ${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}\n`);
      }
      io.stdout.write(
        `${catalog.cards.length} cards loaded from ${cardsDir}; ${errors.length} error(s), ${warnings.length} warning(s); ${catalog.actors.length} actors\n`,
      );
    }
    return errors.length > 0 ? 1 : 0;
  },
};
