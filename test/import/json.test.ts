import { describe, expect, it } from 'vitest';
import { countryFromCode, countryFromName } from '../../src/import/countries.js';
import { checkDepth, ImportError, parseJson } from '../../src/import/json.js';
import { oneLine, paragraphs, safeBlock } from '../../src/import/text.js';

describe('parseJson on untrusted input', () => {
  it('refuses input over the size limit before parsing it', () => {
    expect(() => parseJson('[1,2,3]', 'small.json', { maxBytes: 4 })).toThrow(
      /small\.json: 7 B is over the 4 B limit \(--max-size\)/,
    );
  });

  it('refuses a 100,000-deep array with a clear error, not a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => parseJson(deep, 'deep.json')).toThrow(ImportError);
    expect(() => parseJson(deep, 'deep.json')).toThrow(/nested deeper than 64 levels \(line 1\)/);
    const deepObject = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    expect(() => parseJson(deepObject, 'o.json', { maxDepth: 10 })).toThrow(/deeper than 10/);
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const text = JSON.stringify({ s: '[[[[[[[[[[{{{{{{{{{{ \\" [[[[' });
    expect(() => checkDepth(text, 2, 'x')).not.toThrow();
    expect(parseJson(text, 'x')).toEqual({ s: '[[[[[[[[[[{{{{{{{{{{ \\" [[[[' });
  });

  it('says where JSON is broken, and what an empty or binary file is', () => {
    expect(() => parseJson('[\n{"a": 1},\n{"a": }\n]', 'broken.json')).toThrow(
      /broken\.json: not valid JSON \(line 3\)/,
    );
    expect(() => parseJson('  \n', 'empty.json')).toThrow(/empty\.json: empty file/);
    expect(() => parseJson(new Uint8Array([0xff, 0xfe, 0x00]), 'bin.json')).toThrow(
      /not UTF-8 text/,
    );
  });

  it('reads UTF-8 bytes with a BOM', () => {
    expect(parseJson(Buffer.from('\uFEFF{"a":"é"}'), 'bom.json')).toEqual({ a: 'é' });
  });
});

describe('country names in ETDA style', () => {
  it('turns ISO codes into the names ETDA uses', () => {
    expect(countryFromCode('US')).toBe('USA');
    expect(countryFromCode('GB')).toBe('UK');
    expect(countryFromCode('KP')).toBe('North Korea');
    expect(countryFromCode('KR')).toBe('South Korea');
    expect(countryFromCode('cn')).toBe('China');
    expect(countryFromCode('IR')).toBe('Iran');
    expect(countryFromCode('RU')).toBe('Russia');
    expect(countryFromCode('TR')).toBe('Turkey');
    expect(countryFromCode('AE')).toBe('UAE');
    expect(countryFromCode('PS')).toBe('Palestine');
    expect(countryFromCode('BA')).toBe('Bosnia and Herzegovina');
    expect(countryFromCode('DE')).toBe('Germany');
    expect(countryFromCode('QQ')).toBe('QQ'); // not a region: kept
    expect(countryFromCode('Narnia')).toBe('Narnia');
  });

  it('turns other spellings of a country into the ETDA name, and leaves the rest', () => {
    expect(countryFromName('United States')).toBe('USA');
    expect(countryFromName('United Kingdom')).toBe('UK');
    expect(countryFromName('Russian Federation')).toBe('Russia');
    expect(countryFromName('Iran (Islamic Republic of)')).toBe('Iran');
    expect(countryFromName('Korea (Republic of)')).toBe('South Korea');
    expect(countryFromName("Korea (Democratic People's Republic of)")).toBe('North Korea');
    expect(countryFromName('Czech Republic')).toBe('Czech');
    expect(countryFromName('  germany ')).toBe('Germany');
    expect(countryFromName('NATO')).toBe('NATO');
    expect(countryFromName('Bank of America')).toBe('Bank of America');
  });
});

describe('text that cannot break a card', () => {
  it('puts single-line fields on one line and leaves ordinary text as it is', () => {
    expect(oneLine('APT\n 28')).toBe('APT 28');
    expect(oneLine('plain')).toBe('plain');
  });

  it('escapes lines markdown would read as headings, fences or raw HTML blocks', () => {
    expect(safeBlock('a\n## Tools\nb')).toBe('a\n\\## Tools\nb');
    expect(safeBlock('Title\n---')).toBe('Title\n\\---');
    expect(safeBlock('```\ncode')).toBe('\\```\ncode');
    expect(safeBlock('<!-- open')).toBe('\\<!-- open');
    expect(safeBlock('C# and #hashtag, 1 - 2')).toBe('C# and #hashtag, 1 - 2');
    expect(paragraphs('one\r\n\r\n\r\ntwo  \n')).toEqual(['one', 'two']);
  });
});
