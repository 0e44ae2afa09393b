import { replyFor } from '../reply/build.js';
import { renderText } from '../reply/text.js';
import type { SearchAnswer, SearchIndex } from '../search/index.js';
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
    suggestions: answer.suggestions.map(({ uuid, name, uuids, sources }) => ({
      uuid,
      name,
      uuids,
      sources,
    })),
    ...(answer.errors.length ? { errors: answer.errors } : {}),
  });
}

function answerText(index: SearchIndex, answer: SearchAnswer): string {
  const reply =
    answer.errors.length && answer.results.length === 0
      ? ({ kind: 'error', message: answer.errors.join('\n') } as const)
      : replyFor(answer, index);
  return `${renderText(reply, 'aptcard search')}\n`;
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'search the catalog (free text and filters)',
  usage: `aptcard search [--cards DIR] [--json] QUERY
aptcard search [--cards DIR] --stdin     one query per line, one JSON line per query

Filters: country: sector: target: tool: motivation: sponsor: since: until:
JSON: {"query","outcome":"profile|ambiguous|list|none","results":[{"uuid","name","score","uuids","sources"}],"suggestions":[{"uuid","name","uuids","sources"}]}
  uuid is the shown card's; uuids every card merged into that actor (shown one first), sources theirs`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      ...CARDS_OPTION,
      json: { type: 'boolean' },
      stdin: { type: 'boolean' },
    });
    const query = positionals.join(' ');
    if (values.stdin && query) throw new UsageError('give a QUERY or --stdin, not both');
    if (!values.stdin && !query.trim()) throw new UsageError('missing QUERY');
    const index = openCliIndex(io, values.cards);
    if (values.stdin) {
      for await (const line of inputLines(io)) {
        if (line.trim()) io.stdout.write(`${answerJson(index.search(line))}\n`);
      }
      return 0;
    }
    const answer = index.search(query);
    io.stdout.write(values.json ? `${answerJson(answer)}\n` : answerText(index, answer));
    return 0;
  },
};
