import { loadCatalog } from '../catalog/load.js';
import type { Command } from './command.js';
import { CARDS_OPTION, catalogSettings, checkCardsFolder, parse } from './shared.js';

export const validateCommand: Command = {
  name: 'validate',
  usage: `aptcard validate [--cards DIR] [--json]

Errors: a file that is not a card (no title, no or invalid UUID, over 1 MB, not UTF-8, over a
parsing limit: 4,000 lines, 20,000-character lines, nesting over 16, 500 emphasis markers or
brackets in a paragraph), a UUID twice in one folder (across folders it is one actor's), an
unreadable actor-overrides.json.
Warnings: an alias shared by several actors (not by the cards of one actor), an alias too long
or with no letter or digit, a cross-link to no card, an empty alias list.
Exit status: 0 ok, 1 an error or no card at all, 2 a missing or unreadable folder.`,
  async run(args, io) {
    const { values } = parse(args, { ...CARDS_OPTION, json: { type: 'boolean' } });
    const { cardsDir } = catalogSettings(io, values.cards);
    checkCardsFolder(cardsDir);
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
    if (catalog.cards.length === 0) {
      io.stderr.write(
        `aptcard validate: no card in ${cardsDir}: a card is a .md file that starts "# Threat actor: NAME" (see seeds/ for one); import some with "aptcard import"\n`,
      );
      return 1;
    }
    return errors.length > 0 ? 1 : 0;
  },
};
