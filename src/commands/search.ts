import { Bot } from '../bot.js';
import { Library } from '../catalog/library.js';
import type { Reply } from '../core/types.js';
import { forTerminal } from '../reply/terminal.js';
import { renderText } from '../reply/text.js';
import type { SearchAnswer } from '../search/index.js';
import { type Command, UsageError } from './command.js';
import { CARDS_OPTION, inputLines, openCliIndex, parse } from './shared.js';

/** The stable JSON line: other tools parse it, so fields are only ever added. */
export function answerJson(answer: SearchAnswer): string {
  return JSON.stringify({
    query: answer.query,
    outcome: answer.outcome,
    results: answer.results.map(({ uuid, name, score, uuids, sources }) => ({
      uuid,
      name,
      score,
      uuids,
      sources,
    })),
    suggestions: answer.suggestions.map(({ uuid, name, why, alias, uuids, sources }) => ({
      uuid,
      name,
      why,
      ...(alias ? { alias } : {}),
      uuids,
      sources,
    })),
    // A name several actors carry, answered with the one most sources call so: the others.
    ...(answer.alsoNamed?.length
      ? {
          alsoNamed: answer.alsoNamed.map(({ uuid, name, uuids, sources }) => ({
            uuid,
            name,
            uuids,
            sources,
          })),
        }
      : {}),
    ...(answer.match ? { match: answer.match } : {}),
    ...(answer.closestName ? { closestName: answer.closestName } : {}),
    ...(answer.identifier ? { identifier: answer.identifier } : {}),
    ...(answer.errors.length ? { errors: answer.errors } : {}),
  });
}

/** 0 found, 1 not found, 2 a query the user must fix (a bad filter). */
function replyCode(reply: Reply): number {
  if (reply.kind === 'error') return 2;
  return reply.kind === 'none' ? 1 : 0;
}

function pageNumber(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--page takes a page number: 1, 2, ...');
  return n;
}

export const searchCommand: Command = {
  name: 'search',
  usage: `aptcard search [--cards DIR] [--json] [--page N] QUERY
aptcard search [--cards DIR] --stdin     one query per line, one JSON line per query
aptcard search help                      the query grammar, as /apt help shows it
aptcard search status                    how many actors, which sources, how recent the data is
                                         (with --json: {"outcome":"status","status":{actors,cards,sources,newestChange,skipped}})

Filters: country: sector: target: tool: motivation: sponsor: since: until:
JSON: {"query","outcome":"profile|ambiguous|list|none","results":[{"uuid","name","score","uuids","sources"}],"suggestions":[{"uuid","name","why","uuids","sources"}]}
  uuid is the shown card's; uuids every card merged into that actor (shown one first), sources theirs
  profile: "match" is "exact" (a name of the card) or "closest" (fuzzy; "closestName" is the name it is like);
  "alsoNamed" lists the other actors that carry the name, when most sources give it to this one
  none: "identifier" when the query was an id (ATT&CK, UUID) that no card has; "why" of a
  suggestion is same-prefix, same-number or similar-name
Exit status: 0 found, 1 no card, 2 usage, a query to fix (a bad filter) or a missing folder;
with --stdin, 0 when every line was answered (each line's outcome is in its JSON).`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      ...CARDS_OPTION,
      json: { type: 'boolean' },
      stdin: { type: 'boolean' },
      page: { type: 'string' },
    });
    const query = positionals.join(' ');
    if (values.stdin && query) throw new UsageError('give a QUERY or --stdin, not both');
    if (!values.stdin && !query.trim()) throw new UsageError('missing QUERY');
    const page = pageNumber(values.page);
    if (page > 1 && (values.json || values.stdin)) {
      throw new UsageError('--page is for text output: --json always lists every result');
    }
    const index = openCliIndex(io, values.cards);
    if (values.stdin) {
      for await (const line of inputLines(io)) {
        // One JSON line per input line, blank ones included, so outputs pair with inputs.
        io.stdout.write(`${answerJson(index.search(line))}\n`);
      }
      return 0;
    }
    // Answered as the bot answers /apt: help, status, small talk and query errors included.
    const bot = new Bot(new Library(index));
    if (values.json) {
      const looked = bot.lookup(query);
      if (looked.reply.kind === 'status') {
        // The same facts as `/apt status`, for monitoring scripts (is the data stale?).
        const { status } = looked.reply;
        io.stdout.write(`${JSON.stringify({ query, outcome: 'status', status })}\n`);
        return 0;
      }
      // JSON always reports a search: help and small talk are searched as written.
      const { reply, answer } = looked.answer
        ? { reply: looked.reply, answer: looked.answer }
        : bot.search(query);
      io.stdout.write(`${answerJson(answer)}\n`);
      return replyCode(reply);
    }
    const reply = bot.query(query, page - 1);
    io.stdout.write(forTerminal(`${renderText(reply, 'aptcard search')}\n`));
    if (reply.kind === 'list' && reply.page + 1 < reply.pageCount) {
      io.stdout.write(`(more: aptcard search --page ${reply.page + 2} ${query})\n`);
    }
    if (reply.kind === 'list' && page > reply.pageCount) {
      io.stderr.write(
        `aptcard search: there are ${reply.pageCount} page(s); page ${reply.pageCount} is shown\n`,
      );
    }
    return replyCode(reply);
  },
};
