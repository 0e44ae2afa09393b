import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { SEEDS_DIR } from '../helpers/corpus.js';

const seed = readFileSync(join(SEEDS_DIR, 'nettraveler-apt-21-hammer-panda.md'), 'utf8');

/** The seed card with sections inserted before its operations. */
function withSections(sections: string): string {
  return seed.replace(
    '## Reported hacking operations',
    `${sections}## Reported hacking operations`,
  );
}

describe('Techniques and Software sections', () => {
  it('are absent from a card that has none (ETDA layout unchanged)', () => {
    const card = parseCard(seed, 'seed.md');
    expect(card.techniques).toEqual([]);
    expect(card.software).toEqual([]);
    expect(card.layout).toBeUndefined();
    expect(renderCard(card)).toBe(seed);
  });

  it('parse ids, names with colons, tactics, and entries without an id', () => {
    const text = withSections(
      '## Techniques\n\n- T1566.001: Phishing: Spearphishing Attachment [initial-access, execution]\n- T0817: Drive-by Compromise [initial-access]\n- Custom Lure\n- T1027: Obfuscated Files or Information\n\n## Software\n\n- S0002: Mimikatz\n- Home-made loader\n\n',
    );
    const card = parseCard(text, 'card.md');
    expect(card.techniques).toEqual([
      {
        id: 'T1566.001',
        name: 'Phishing: Spearphishing Attachment',
        tactics: ['initial-access', 'execution'],
      },
      { id: 'T0817', name: 'Drive-by Compromise', tactics: ['initial-access'] },
      { id: '', name: 'Custom Lure', tactics: [] },
      { id: 'T1027', name: 'Obfuscated Files or Information', tactics: [] },
    ]);
    expect(card.software).toEqual([
      { id: 'S0002', name: 'Mimikatz' },
      { id: '', name: 'Home-made loader' },
    ]);
    // Canonical: no layout needed, and the same bytes come back.
    expect(card.layout).toBeUndefined();
    expect(renderCard(card)).toBe(text);
  });

  it('keep hand-written variants byte for byte (other bullets, headings, order)', () => {
    const text = withSections(
      '## Software used\n\n* S0002: Mimikatz\n\n## ATT&CK techniques\n\n+ T1059 : odd spacing [execution]\nnot a list line\n\n',
    );
    const card = parseCard(text, 'card.md');
    expect(card.software).toEqual([{ id: 'S0002', name: 'Mimikatz' }]);
    expect(card.techniques).toEqual([
      { id: '', name: 'T1059 : odd spacing', tactics: ['execution'] },
    ]);
    expect(renderCard(card)).toBe(text);
  });
});
