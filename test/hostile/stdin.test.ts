/** `--stdin` commands on hostile lines: one answer per input line, lines end at LF or CRLF. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { fakeIO } from '../helpers/cli.js';
import { CONTROL_INPUTS, PING_INPUTS } from '../helpers/hostile.js';

async function run(argv: string[], input: string) {
  const fake = fakeIO({ CACHE_DIR: 'off' }, Readable.from([Buffer.from(input)]));
  const code = await main(argv, fake.io);
  return { code, lines: fake.out().split('\n').slice(0, -1) };
}

describe('--stdin', () => {
  it('search answers every line, blank ones too, with one JSON line each', async () => {
    const inputs = ['apt 21', '', '   ', ...PING_INPUTS.map((i) => i.text), 'hammer panda'];
    const { code, lines } = await run(['search', '--stdin'], `${inputs.join('\n')}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(inputs.length);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('detect keeps a message with a lone CR whole, and ends lines at CRLF', async () => {
    const { lines } = await run(['detect', '--stdin'], 'apt 21\rhammer panda\r\nnothing here\n');
    const numbered = lines.filter((l) => /^line \d+:/.test(l)).map((l) => l.split(':')[0]);
    expect([...new Set(numbered)]).toEqual(['line 1', 'line 2']);
  });

  it('search survives every control input', async () => {
    const inputs = CONTROL_INPUTS.map((i) => i.text.replace(/[\r\n]/g, ' '));
    const { lines } = await run(['search', '--stdin'], `${inputs.join('\r\n')}\r\n`);
    expect(lines).toHaveLength(inputs.length);
  });
});
