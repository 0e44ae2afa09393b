import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/reply/wrap.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('wrapText', () => {
  it('breaks at spaces, within the width, losing no word', () => {
    const text =
      'Lazarus Group is a threat group attributed to North Korea, active since at least 2009, known for destructive attacks.';
    const wrapped = wrapText(text, 40);
    expect(widest(wrapped)).toBeLessThanOrEqual(40);
    expect(wrapped.replace(/\n/g, ' ')).toBe(text);
  });

  it('never cuts a UUID or a URL: a word longer than the line stands alone, whole', () => {
    const url =
      'https://apt.etda.or.th/cgi-bin/showcard.cgi?g=Lazarus%20Group%2C%20Hidden%20Cobra&n=1';
    const wrapped = wrapText(`Source: ${url} and 8650e8c5-55a5-4441-8903-0f2bf5753ef1 here`, 30);
    const lines = wrapped.split('\n');
    expect(lines).toContain(url);
    expect(lines.some((l) => l.includes('8650e8c5-55a5-4441-8903-0f2bf5753ef1'))).toBe(true);
  });

  it('keeps indentation, and continues a list item under its text', () => {
    const wrapped = wrapText(
      '  - 2024-05 Operation Dream Job: fake job offers sent to engineers',
      30,
    );
    const [first, ...rest] = wrapped.split('\n');
    expect(first?.startsWith('  - 2024-05')).toBe(true);
    for (const line of rest) expect(line.startsWith('    ') && line[4] !== ' ').toBe(true);
    expect(widest(wrapped)).toBeLessThanOrEqual(30);
  });

  it('keeps the spaces between words inside a line, so a wrapped operation stays aligned', () => {
    const wrapped = wrapText(
      '- 2022-09  In the footsteps of the Fancy Bear: a mouse-over event',
      30,
    );
    expect(wrapped.split('\n')[0]).toBe('- 2022-09  In the footsteps of');
    // A break drops the spaces where it falls: no line starts or ends with them.
    for (const line of wrapped.split('\n').slice(1)) expect(line).toMatch(/^ {2}\S.*\S$/);
  });

  it('leaves short lines, blank lines and width 0 (a pipe) alone', () => {
    expect(wrapText('a\n\nb', 10)).toBe('a\n\nb');
    const long = 'word '.repeat(40).trim();
    expect(wrapText(long, 0)).toBe(long);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(wrapText('Ωμέγα 🐼 panda', 14)).toBe('Ωμέγα 🐼 panda');
  });
});

describe('aptcard show on a terminal', () => {
  it('wraps to the terminal width, and not when writing to a pipe', async () => {
    const { main } = await import('../../app/cli.js');
    const { fakeIO } = await import('../helpers/cli.js');
    const { SEEDS_DIR } = await import('../helpers/corpus.js');
    const run = async (tty: boolean) => {
      const fake = fakeIO({ CACHE_DIR: 'off' });
      const stdout = fake.io.stdout as { isTTY?: boolean; columns?: number };
      if (tty) Object.assign(stdout, { isTTY: true, columns: 50 });
      expect(await main(['show', '--cards', SEEDS_DIR, 'APT 21'], fake.io)).toBe(0);
      return fake.out();
    };
    const piped = await run(false);
    const onTerminal = await run(true);
    expect(widest(piped)).toBeGreaterThan(50);
    expect(widest(onTerminal.replace(/\S{50,}/g, ''))).toBeLessThanOrEqual(50);
    expect(onTerminal.replace(/\s+/g, ' ')).toBe(piped.replace(/\s+/g, ' '));
  });
});
