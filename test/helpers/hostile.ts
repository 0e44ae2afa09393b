/**
 * The hostile-input corpus: long and nested inputs, control characters, and every mention and
 * link syntax of Slack and Discord. Every surface's test runs all of it (test/hostile/).
 */
export interface HostileInput {
  name: string;
  text: string;
}

const ESC = '\u001b';
const BEL = '\u0007';

/** Inputs that once took quadratic time on some path, at Slack's 40,000-character limit. */
export const LONG_INPUTS: HostileInput[] = [
  { name: '40k spaces then a letter', text: `${' '.repeat(39_990)}x` },
  { name: '40k question marks then a letter', text: `${'?'.repeat(39_990)}x` },
  { name: 'spaces and punctuation', text: `${' ?'.repeat(19_995)}x` },
  { name: 'spaces before a bot mention', text: `${' '.repeat(39_980)}<@UBOT` },
  { name: 'unclosed bot mentions', text: '<@UBOT|'.repeat(5_700) },
  { name: 'unclosed links', text: '<https://a|'.repeat(3_600) },
  { name: 'emphasis run', text: '*a'.repeat(20_000) },
  { name: 'nested quotes', text: '>'.repeat(40_000) },
  { name: 'brackets', text: '['.repeat(40_000) },
  { name: 'parentheses', text: '('.repeat(20_000) + ')'.repeat(20_000) },
  { name: 'quotes', text: '"'.repeat(39_999) },
  { name: 'filter-like words', text: 'country:'.repeat(5_000) },
  { name: 'surrogate pairs', text: '😀'.repeat(20_000) },
  { name: 'combining marks', text: `a${'\u0301'.repeat(39_999)}` },
  { name: 'zero-width run', text: `apt${'\u200b'.repeat(39_990)}21` },
  { name: 'words', text: 'who is apt '.repeat(3_600) },
];

/** Beyond every platform's limit: must be cut before any pattern sees it. */
export const OVERSIZED_INPUTS: HostileInput[] = [
  { name: '100k spaces then a letter', text: `${' '.repeat(100_000)}x` },
  { name: '100k mixed punctuation', text: `${'.,;: !'.repeat(20_000)}x` },
];

export const CONTROL_INPUTS: HostileInput[] = [
  { name: 'terminal title', text: `${ESC}]0;owned${BEL} apt 21` },
  { name: 'clipboard write (OSC 52)', text: `${ESC}]52;c;ZWNobyBvd25lZA==${BEL}` },
  { name: 'screen clear', text: `${ESC}[2J${ESC}[H apt 21` },
  { name: 'NUL and C0', text: 'apt\u000021\u0001\u0002\u007f' },
  { name: 'C1 controls', text: '\u009b31m apt 21 \u009d0;x\u009c' },
  { name: 'bidi override', text: '\u202eapt 21\u202c' },
  { name: 'lone CR', text: 'apt 21\rhammer panda' },
];

/** Every mention, ping and link syntax of both platforms. */
export const PING_INPUTS: HostileInput[] = [
  { name: 'Slack specials', text: 'who is <!channel> <!here> <!everyone>?' },
  { name: 'Slack user and group', text: '<@U123> <@U123|bob> <!subteam^S123|@team> apt 21' },
  { name: 'Slack channel and link', text: '<#C123|general> <https://evil.example|slack.com>' },
  { name: 'plain words', text: '@everyone @here @channel apt 21' },
  { name: 'Discord user, role, channel', text: '<@123456789> <@!123456789> <@&987654321> <#1234>' },
  { name: 'Discord markdown link', text: '[click](https://evil.example) apt 21' },
  { name: 'masked and escaped', text: '&lt;!channel&gt; &amp;lt;!here&amp;gt;' },
];

export const HOSTILE_INPUTS: HostileInput[] = [
  ...LONG_INPUTS,
  ...OVERSIZED_INPUTS,
  ...CONTROL_INPUTS,
  ...PING_INPUTS,
];

/** Pings that must never reach a platform unescaped, nor a terminal. */
export const LIVE_PINGS = ['<!channel>', '<!here>', '<!everyone>', '@everyone', '@here'];
