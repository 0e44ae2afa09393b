import type { SmallTalk } from '../core/types.js';

export type { SmallTalk };

/**
 * "thanks", "hello", "good morning team", "ok", "lol": said to the bot, not asked of the
 * catalog. Searching them finds actors whose prose says "hello" (and fuzzy names like "Infy"
 * for "ok"), which reads as if the bot had an answer. A card that really has such a name still
 * wins: callers check the exact name table first.
 */

const AUDIENCE =
  "(?:\\s+(?:team|all|everyone|everybody|folks|guys|y'?all|there|bot|aptcard|mate))?";

const ACK_RE =
  /^(?:ok|okay|k|kk|okey|sure|yes|yep|yeah|no|nope|nice|cool|great|awesome|perfect|got\s+it|lol|lmao|rofl|haha+|hehe+|wow|hmm+|oh|ah|\+1|👍|🙏|😂|🙂|😀)$/u;

const PATTERNS: [SmallTalk, RegExp][] = [
  [
    'greeting',
    new RegExp(
      `^(?:(?:hi|hello|hey|hiya|howdy|yo|sup|gm|morning|greetings|good\\s+(?:morning|afternoon|evening|day))${AUDIENCE}|what'?s\\s+up|how\\s+are\\s+you(?:\\s+doing)?)$`,
      'u',
    ),
  ],
  [
    'thanks',
    new RegExp(
      `^(?:thanks?(?:\\s+(?:a\\s+lot|so\\s+much|again))?|thank\\s+you(?:\\s+(?:so\\s+much|very\\s+much))?|thx|ty|tyvm|cheers|much\\s+appreciated|appreciated)${AUDIENCE}$`,
      'u',
    ),
  ],
  [
    'farewell',
    new RegExp(
      `^(?:bye|goodbye|good\\s+night|gn|see\\s+you|see\\s+ya|cya|later|ttyl)${AUDIENCE}$`,
      'u',
    ),
  ],
  ['ack', ACK_RE],
];

/** Emoji codes and punctuation around small talk ("thanks!", "hi :wave:", "ok 👍"). */
function tidy(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/gu, "'")
    .replace(/:[a-z0-9_+-]+:/gu, ' ')
    .replace(/[!?.,;~…]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** What kind of small talk the whole text is, or undefined for anything else. */
export function smallTalkOf(text: string): SmallTalk | undefined {
  const t = tidy(text);
  if (!t || t.length > 40) return undefined;
  for (const [kind, re] of PATTERNS) if (re.test(t)) return kind;
  // "ok thanks", "cool, thank you": an acknowledgement and one more small-talk phrase.
  const [first, ...rest] = t.split(' ');
  if (first && rest.length > 0 && ACK_RE.test(first)) return smallTalkOf(rest.join(' '));
  return undefined;
}
