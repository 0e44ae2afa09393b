/**
 * What the user can do next with a reply, decided once for every surface: open another part of
 * a card (the full card, its techniques, its sources, its map and timeline), page a list or a
 * card's operations back and forth, share the answer, open a candidate, a list item, a
 * suggestion, a related actor or an actor a message mentioned. Data, not buttons: the console
 * turns it into "more", "full", ... and numbers, Slack into Block Kit buttons, Discord into
 * buttons and select menus, each with its own labels and within its own limits.
 */
import type {
  ActorRef,
  BotAction,
  CardPart,
  CardView,
  CompactActor,
  OtherPart,
  Reply,
  SuggestionRef,
} from '../core/types.js';
import { FIRST_SCREEN } from './first-screen.js';

type ShowAction = Extract<BotAction, { type: 'show' }>;

/** The previous or next page of a list (`of: 'list'`) or of a card's operations. */
export interface PageAction {
  kind: 'page';
  of: 'list' | 'operations';
  /** back: the previous (for operations: newer) page; forward: the next (older) one. */
  direction: 'back' | 'forward';
  /** The page it opens, from 0, of `pages`. */
  page: number;
  pages: number;
  action: BotAction;
}

/** The actor each kind of open action carries, by where in the reply it stands. */
interface OpenRefs {
  /** One of the actors an ambiguous name may mean. */
  candidate: ActorRef;
  /** An actor of a list page. */
  item: ActorRef;
  /** An actor a channel message named (enrichment). */
  mentioned: CompactActor;
  /** A did-you-mean card for a query that found none. */
  suggestion: SuggestionRef;
  /** An actor the card links to. */
  related: ActorRef & { subgroup: boolean };
}

export type OpenRole = keyof OpenRefs;

/** Open one actor's card. `role` says where in the reply the actor stands. */
export type OpenAction = {
  [K in OpenRole]: { kind: 'open'; role: K; ref: OpenRefs[K]; action: ShowAction };
}[OpenRole];

/** Post this answer for everyone: `action` re-creates it. */
export interface ShareAction {
  kind: 'share';
  action: BotAction;
  /**
   * The reply asks back (the candidates of an ambiguous name) rather than answers. Discord
   * offers to share those too, so others can pick; Slack shares answers only.
   */
  question: boolean;
}

/** "Not this actor" on an enrichment line: mutes the actor's name in that channel. */
export interface MuteAction {
  kind: 'mute';
  ref: CompactActor;
  action: Extract<BotAction, { type: 'mute' }>;
}

/** Another part of the card shown (Full card, Techniques, Sources), or its pictures. */
export interface PartAction {
  kind: 'part';
  part: OtherPart | 'pictures';
  action: BotAction;
}

export type NextAction = PartAction | PageAction | OpenAction | ShareAction | MuteAction;

export interface NextOptions {
  /**
   * The query this reply answers, when the adapter knows it: Share then asks it again, so the
   * shared answer keeps what only a query gives (the closest-match line, the other actors of
   * the name). Without it, Share shows what the reply shows (the card, its page, the list).
   */
  query?: string;
}

const show = (uuid: string): ShowAction => ({ type: 'show', uuid });

function pages(
  of: PageAction['of'],
  page: number,
  count: number,
  at: (page: number) => BotAction,
): PageAction[] {
  const out: PageAction[] = [];
  if (page > 0) {
    out.push({
      kind: 'page',
      of,
      direction: 'back',
      page: page - 1,
      pages: count,
      action: at(page - 1),
    });
  }
  if (page + 1 < count) {
    out.push({
      kind: 'page',
      of,
      direction: 'forward',
      page: page + 1,
      pages: count,
      action: at(page + 1),
    });
  }
  return out;
}

const partAction = (card: CardView, part: PartAction['part']): PartAction => ({
  kind: 'part',
  part,
  action:
    part === 'pictures'
      ? { type: 'pictures', uuid: card.uuid }
      : { type: 'part', part, uuid: card.uuid },
});

/**
 * Where a card can go from the part shown, in the order the surfaces offer them: Full card,
 * More operations, Techniques, Sources, Map & timeline. Each is offered only when it shows
 * something the part does not: operations past the first screen's few, techniques or software,
 * sources or references, targets or operations to draw.
 */
function cardMoves(card: CardView, part: CardPart): NextAction[] {
  const ops = (page: number): BotAction => ({ type: 'ops', uuid: card.uuid, page });
  const count = card.operationsPageCount;
  const operations =
    part === 'first'
      ? // The first screen shows a few of page 0: "More operations" opens page 0 itself.
        card.operationsTotal > FIRST_SCREEN.operations
        ? pages('operations', -1, count, ops)
        : []
      : pages('operations', card.operationsPage, count, ops);
  const moves: NextAction[] = [];
  if (part !== 'full') moves.push(partAction(card, 'full'));
  if (part === 'first' || part === 'full' || part === 'operations') moves.push(...operations);
  if (part === 'first' || part === 'full') {
    if (card.techniques.total > 0 || card.software.length > 0) {
      moves.push(partAction(card, 'techniques'));
    }
    if ((card.sources?.length ?? 0) > 0 || card.references.length > 0) {
      moves.push(partAction(card, 'sources'));
    }
    if (card.targets.length > 0 || card.operationsTotal > 0) {
      moves.push(partAction(card, 'pictures'));
    }
  }
  return moves;
}

/** What re-creates `reply` for everyone, or undefined for replies nobody else needs. */
export function shareAction(reply: Reply, options: NextOptions = {}): ShareAction | undefined {
  if (reply.kind !== 'card' && reply.kind !== 'list' && reply.kind !== 'ambiguous')
    return undefined;
  const question = reply.kind === 'ambiguous';
  if (options.query !== undefined) {
    return { kind: 'share', action: { type: 'list', query: options.query, page: 0 }, question };
  }
  let action: BotAction;
  if (reply.kind === 'card') {
    const { uuid, operationsPage } = reply.card;
    const part = reply.part ?? 'first';
    if (part === 'first') action = show(uuid);
    else if (part === 'operations') action = { type: 'ops', uuid, page: operationsPage };
    else action = { type: 'part', part, uuid };
  } else if (reply.kind === 'list') {
    action = { type: 'list', query: reply.query, page: reply.page };
  } else {
    action = { type: 'list', query: reply.query, page: 0 };
  }
  return { kind: 'share', action, question };
}

/** Every action the reply offers, in the order the surfaces show them. */
export function nextActions(reply: Reply, options: NextOptions = {}): NextAction[] {
  const share = shareAction(reply, options);
  const shared = share ? [share] : [];
  switch (reply.kind) {
    case 'card': {
      const part = reply.part ?? 'first';
      const related =
        part === 'first' || part === 'full'
          ? reply.card.related.map(
              (ref): OpenAction => ({ kind: 'open', role: 'related', ref, action: show(ref.uuid) }),
            )
          : [];
      return [...cardMoves(reply.card, part), ...shared, ...related];
    }
    case 'ambiguous':
      return [
        ...reply.candidates.map(
          (ref): OpenAction => ({ kind: 'open', role: 'candidate', ref, action: show(ref.uuid) }),
        ),
        ...shared,
      ];
    case 'list':
      return [
        ...reply.items.map(
          (ref): OpenAction => ({ kind: 'open', role: 'item', ref, action: show(ref.uuid) }),
        ),
        ...pages('list', reply.page, reply.pageCount, (page) => ({
          type: 'list',
          query: reply.query,
          page,
        })),
        ...shared,
      ];
    case 'none':
      return reply.suggestions.map(
        (ref): OpenAction => ({ kind: 'open', role: 'suggestion', ref, action: show(ref.uuid) }),
      );
    case 'enrichment':
      return [
        ...reply.actors.map(
          (ref): OpenAction => ({ kind: 'open', role: 'mentioned', ref, action: show(ref.uuid) }),
        ),
        ...(reply.asked ? [] : reply.actors).map(
          (ref): MuteAction => ({ kind: 'mute', ref, action: { type: 'mute', uuid: ref.uuid } }),
        ),
      ];
    case 'help':
    case 'smalltalk':
    case 'status':
    case 'settings':
    case 'pictures':
    case 'error':
      return [];
  }
}

/** The part actions (Full card, Techniques, Sources, Map & timeline), in order. */
export function partActions(actions: readonly NextAction[]): PartAction[] {
  return actions.filter((a): a is PartAction => a.kind === 'part');
}

/** The page actions of a list of next actions (back first). */
export function pageActions(actions: readonly NextAction[]): PageAction[] {
  return actions.filter((a): a is PageAction => a.kind === 'page');
}

/** The open actions of one role, in order. */
export function openActions<R extends OpenRole>(
  actions: readonly NextAction[],
  role: R,
): Extract<OpenAction, { role: R }>[] {
  return actions.filter(
    (a): a is Extract<OpenAction, { role: R }> => a.kind === 'open' && a.role === role,
  );
}

/** The share action, if the reply offers one. */
export function shareOf(actions: readonly NextAction[]): ShareAction | undefined {
  return actions.find((a): a is ShareAction => a.kind === 'share');
}

/** The "Not this actor" action of each enrichment line, in order. */
export function muteActions(actions: readonly NextAction[]): MuteAction[] {
  return actions.filter((a): a is MuteAction => a.kind === 'mute');
}
