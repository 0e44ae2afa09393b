/** Every card reply a surface can be asked for about one actor, for the corpus checks. */
import type { LoadedCard } from '../../src/cards/model.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { Reply } from '../../src/core/types.js';
import { cardView } from '../../src/reply/build.js';

export type CardReply = Extract<Reply, { kind: 'card' }>;

/** Each part of the card (first screen, full, techniques, sources) and every operations page. */
export function cardReplies(
  entry: LoadedCard,
  catalog: Catalog,
): { reply: CardReply; what: string }[] {
  const first = cardView(entry, catalog);
  const out: { reply: CardReply; what: string }[] = (
    ['first', 'full', 'techniques', 'sources'] as const
  ).map((part) => ({ reply: { kind: 'card', card: first, part }, what: part }));
  for (let page = 0; page < first.operationsPageCount; page++) {
    const card = page === 0 ? first : cardView(entry, catalog, page);
    out.push({ reply: { kind: 'card', card, part: 'operations' }, what: `operations p${page}` });
  }
  return out;
}
