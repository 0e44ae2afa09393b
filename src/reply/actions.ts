import type { BotAction } from './model.js';

/** Discord's custom_id limit; Slack allows more, one encoding serves both. */
export const MAX_ACTION_LENGTH = 100;

/**
 * Encode a button action as "show:<uuid>", "ops:<page>:<uuid>" or "list:<page>:<query>".
 * Returns undefined when it would not fit (a very long list query): the button is then left out.
 */
export function encodeAction(action: BotAction): string | undefined {
  let s: string;
  switch (action.type) {
    case 'show':
      s = `show:${action.uuid}`;
      break;
    case 'ops':
      s = `ops:${action.page}:${action.uuid}`;
      break;
    case 'list':
      s = `list:${action.page}:${action.query}`;
      break;
  }
  return s.length <= MAX_ACTION_LENGTH ? s : undefined;
}

export function decodeAction(value: string): BotAction | undefined {
  const [type, ...rest] = value.split(':');
  if (type === 'show' && rest.length === 1 && rest[0]) return { type: 'show', uuid: rest[0] };
  const page = Number(rest[0]);
  if (!Number.isInteger(page) || page < 0) return undefined;
  const tail = rest.slice(1).join(':');
  if (type === 'ops' && tail) return { type: 'ops', uuid: tail, page };
  if (type === 'list' && tail) return { type: 'list', query: tail, page };
  return undefined;
}
