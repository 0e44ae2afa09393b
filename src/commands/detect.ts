import { usableCacheDir } from '../catalog/cache.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Detection } from '../detect/detector.js';
import { rememberedEnglish } from '../detect/english-memo.js';
import { type Explained, explain } from '../detect/explain.js';
import { cachedDetector } from '../detect/scanner-cache.js';
import { settleSharedNames } from '../detect/settle.js';
import {
  CARDS_OPTION,
  catalogSettings,
  inputLines,
  openCliCatalog,
  parse,
  reportErrors,
} from './cli-io.js';
import { type Command, UsageError } from './command.js';

/**
 * The stable JSON line: {"text", "mentions": [{"uuid", "name", "alias", "start", "end"}]}.
 * One mention per place an alias was found (a shared alias: one per actor that has it), in
 * text order; `alias` as the card writes it; `start`/`end` are UTF-16 offsets into the line
 * (JavaScript string indices; the same as code points for text without emoji or astral
 * characters), end exclusive. Fields are only ever added.
 */
export function detectionJson(text: string, detection: Detection, catalog?: Catalog): string {
  return JSON.stringify({
    text,
    mentions: detection.mentions.map(({ uuid, name, alias, start, end }) => ({
      uuid,
      name,
      alias,
      start,
      end,
      uuids: catalog?.actorOf(uuid)?.cards.map((c) => c.card.uuid) ?? [uuid],
    })),
  });
}

/** One line per mention ("no actor named" for none), each after `prefix`. */
function detectionText(text: string, detection: Detection, prefix = ''): string {
  if (detection.mentions.length === 0) return `${prefix}no actor named\n`;
  return detection.mentions
    .map(
      (m) =>
        `${prefix}"${text.slice(m.start, m.end)}" at ${m.start}-${m.end}: ${m.name}${m.alias !== m.name ? ` (as ${m.alias})` : ''}  ${m.uuid}\n`,
    )
    .join('');
}

/** --explain: each candidate name, its risk class, how it was written, and the verdict. */
function explanationText(items: readonly Explained[], prefix = ''): string {
  if (items.length === 0) return `${prefix}no candidate name\n`;
  return items
    .map(
      (e) =>
        `${prefix}"${e.written}" at ${e.start}-${e.end}: ${e.cards.join(' / ')}${e.alias !== e.cards[0] ? ` (as ${e.alias})` : ''}\n` +
        `${prefix}  risk: ${e.risk}; written: ${e.how}\n` +
        `${prefix}  ${e.fired ? 'fires' : 'does not fire'}: ${e.why}\n`,
    )
    .join('');
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const detectCommand: Command = {
  name: 'detect',
  usage: `aptcard detect [--cards DIR] [--json] MESSAGE
aptcard detect [--cards DIR] [--json] --stdin    one message per line, in order
aptcard detect [--cards DIR] [--json] --explain MESSAGE   why each candidate name fires or not

The same rules as automatic enrichment: whole words, longest match, aliases that are English
words only when written as a name, nothing in code, URLs, mention tokens or emoji codes.
--explain prints, for each candidate name, its risk class, how it was written and why it fired
or not (with --json: {"text","candidates":[{"written","start","end","alias","cards","risk","how","fired","why"}]}).
ENRICH_ALLOW and ENRICH_DENY (comma-separated aliases) apply as in "aptcard start".
JSON, one line per message (empty lines too): {"text","mentions":[{"uuid","name","alias","start","end","uuids"}]}
(start/end: UTF-16 offsets in the line, end exclusive; one mention per actor for a shared alias;
uuids: every card merged into that actor, the shown one first)`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      ...CARDS_OPTION,
      json: { type: 'boolean' },
      stdin: { type: 'boolean' },
      explain: { type: 'boolean' },
    });
    const message = positionals.join(' ');
    if (values.stdin && message) throw new UsageError('give a MESSAGE or --stdin, not both');
    if (!values.stdin && !message.trim()) throw new UsageError('missing MESSAGE');
    const catalog = openCliCatalog(io, values.cards);
    reportErrors(io, catalog);
    const cacheDir = usableCacheDir(catalogSettings(io, values.cards).cacheDir);
    const english = rememberedEnglish(cacheDir);
    // Actors, not cards: one mention per actor where several sources hold it. A warm run
    // wraps the tables an earlier run saved for this catalog and policy (scanner-cache.ts).
    const detector = cachedDetector(
      catalog,
      { allow: list(io.env.ENRICH_ALLOW), deny: list(io.env.ENRICH_DENY) },
      { words: english.words, frequencies: english.frequencies },
      cacheDir,
    );
    const answer = (text: string, prefix?: string) => {
      if (values.explain) {
        const items = explain(detector, text);
        if (!values.json) return explanationText(items, prefix);
        const candidates = items.map(({ words: _words, ...rest }) => rest);
        return `${JSON.stringify({ text, candidates })}\n`;
      }
      const detection = settleSharedNames(detector.detect(text), catalog);
      return values.json
        ? `${detectionJson(text, detection, catalog)}\n`
        : detectionText(text, detection, prefix);
    };
    if (values.stdin) {
      let n = 0;
      for await (const line of inputLines(io)) io.stdout.write(answer(line, `line ${++n}: `));
      english.save();
      return 0;
    }
    io.stdout.write(answer(message));
    english.save();
    return 0;
  },
};
