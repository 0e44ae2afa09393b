import { describe, expect, it } from 'vitest';
import { ELLIPSIS, truncate } from '../../adapters/shared/truncate.js';
import {
  escapeMrkdwn,
  fitText,
  joinFit,
  safeLink,
  slackToPlain,
  stripBotMention,
  truncateEscaped,
} from '../../adapters/slack/text.js';

describe('escapeMrkdwn', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('a & b <!channel> <@U123> "q" \'s\'')).toBe(
      'a &amp; b &lt;!channel&gt; &lt;@U123&gt; "q" \'s\'',
    );
  });

  it('escapes an already escaped entity again, so it shows as typed', () => {
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });
});

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('hammer panda', 12)).toBe('hammer panda');
  });

  it('cuts on a word boundary and ends with an ellipsis', () => {
    const out = truncate('the quick brown fox jumps over the lazy dog', 20);
    expect(out).toBe(`the quick brown fox${ELLIPSIS}`);
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it('cuts inside a word only when no boundary is near', () => {
    const out = truncate('a'.repeat(50), 10);
    expect(out).toBe(`${'a'.repeat(9)}${ELLIPSIS}`);
  });

  it('drops trailing punctuation before the ellipsis', () => {
    expect(truncate('alpha, beta, gamma, delta', 14)).toBe(`alpha, beta${ELLIPSIS}`);
  });

  it('never splits a surrogate pair', () => {
    const out = truncate(`${'x'.repeat(8)}😀😀😀`, 10);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out).toBe(`${'x'.repeat(8)}${ELLIPSIS}`);
  });

  it('handles tiny limits', () => {
    // One rule for Slack and Discord: no room for any text, no text (callers fill empty slots).
    expect(truncate('abc', 1)).toBe('');
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('truncateEscaped and fitText', () => {
  it('never leaves half an entity', () => {
    const escaped = escapeMrkdwn(`${'x'.repeat(7)}&&&&`);
    for (let max = 2; max < escaped.length; max++) {
      const out = truncateEscaped(escaped, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.slice(0, -1)).not.toMatch(/&(?!amp;)/);
    }
  });

  it('fits escaped text within the limit', () => {
    const out = fitText('<'.repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).not.toContain('<');
    expect(out.endsWith(ELLIPSIS)).toBe(true);
  });
});

describe('joinFit', () => {
  it('keeps whole items and counts the rest', () => {
    const out = joinFit(['aaaa', 'bbbb', 'cccc', 'dddd'], ', ', 20);
    expect(out).toBe('aaaa, bbbb +2 more');
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it('joins everything when it fits', () => {
    expect(joinFit(['a', 'b'], ', ', 10)).toBe('a, b');
  });

  it('shortens a first item that alone is too long', () => {
    const out = joinFit(['x'.repeat(40), 'y'], ', ', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.endsWith(' +1 more')).toBe(true);
  });
});

describe('safeLink', () => {
  it('links http and https URLs, labelled with the host name', () => {
    expect(safeLink('https://www.example.com/a')).toBe('<https://www.example.com/a|example.com>');
    expect(safeLink('http://example.org')).toBe('<http://example.org/|example.org>');
  });

  it('refuses other schemes and non-URLs', () => {
    expect(safeLink('javascript:alert(1)')).toBeUndefined();
    expect(safeLink('ftp://files.example.com/x')).toBeUndefined();
    expect(safeLink('mailto:a@example.com')).toBeUndefined();
    expect(safeLink('not a url')).toBeUndefined();
  });

  it('cannot be broken out of by |, <, > or &', () => {
    const link = safeLink('https://example.com/a?x=1&y=<2>|three') ?? '';
    expect(link).toBe('<https://example.com/a?x=1&amp;y=%3C2%3E%7Cthree|example.com>');
    expect(link.match(/\|/g)).toHaveLength(1);
  });

  it('drops credentials, whose user part could pose as another site', () => {
    expect(safeLink('https://slack.com@evil.example/x')).toBe(
      '<https://evil.example/x|evil.example>',
    );
  });

  it('skips absurdly long URLs', () => {
    expect(safeLink(`https://example.com/${'a'.repeat(2000)}`)).toBeUndefined();
  });
});

describe('slackToPlain', () => {
  it('turns Slack markup back into what the user typed', () => {
    expect(slackToPlain('see <https://x.example/a|x.example> and <https://y.example>')).toBe(
      'see x.example and https://y.example',
    );
    expect(slackToPlain('hi <@U123> in <#C1|general> <!here> <!subteam^S1|@sec>')).toBe(
      'hi @U123 in #general @here @sec',
    );
    expect(slackToPlain('AT&amp;T &lt;b&gt;')).toBe('AT&T <b>');
  });
});

describe('stripBotMention', () => {
  it('removes every mention of the bot and nothing else', () => {
    expect(stripBotMention('<@UBOT> who is <@U999>?', 'UBOT')).toBe('who is <@U999>?');
    expect(stripBotMention('hey <@UBOT|aptcard>: APT 21', 'UBOT')).toBe('hey APT 21');
  });

  it('without a known bot id removes a leading mention', () => {
    expect(stripBotMention('<@UBOT> apt 21', undefined)).toBe('apt 21');
  });
});
