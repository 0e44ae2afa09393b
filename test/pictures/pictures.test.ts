import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actorPictures, pictureSubject } from '../../src/pictures/index.js';
import { MAP_COLORS, MAP_HEIGHT, MAP_WIDTH, mapPoint, mapSvg } from '../../src/pictures/map.js';
import { PNG_SIGNATURE, svgToPng } from '../../src/pictures/png.js';
import { startYear, TIMELINE_COLORS, timelineSvg } from '../../src/pictures/timeline.js';
import { COPPER, cardsFolder } from '../helpers/cards.js';
import { runCli } from '../helpers/cli.js';
import { decodePng, pixelHex } from '../helpers/png.js';

/** Pixel of a longitude/latitude on a decoded map. */
function at(image: ReturnType<typeof decodePng>, lon: number, lat: number): string {
  const p = mapPoint(lon, lat);
  if (!p) throw new Error('point off the map');
  return pixelHex(image, p[0], p[1]);
}

describe('targets map', () => {
  const picture = mapSvg({ origin: ['Russia'], targets: ['Brazil', 'USA', 'Singapore', 'NATO'] });
  const image = decodePng(svgToPng(picture.svg));

  it('is a PNG of the map size', () => {
    const png = svgToPng(picture.svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([image.width, image.height]).toEqual([MAP_WIDTH, MAP_HEIGHT]);
  });

  it('fills targeted countries and marks the origin; other countries stay land', () => {
    expect(at(image, -51, -10)).toBe(MAP_COLORS.target); // Brazil
    expect(at(image, -100, 40)).toBe(MAP_COLORS.target); // USA
    expect(at(image, 100, 62)).toBe(MAP_COLORS.origin); // Russia
    expect(at(image, 134, -25)).toBe(MAP_COLORS.land); // Australia: not targeted
    expect(at(image, 22, 3)).toBe(MAP_COLORS.land); // Central African Republic
    expect(at(image, -140, 0)).toBe(MAP_COLORS.ocean);
  });

  it('puts a dot on a country too small for the base shapes, and lists what is no country', () => {
    expect(at(image, 103.82, 1.35)).toBe(MAP_COLORS.target); // Singapore
    expect(picture.filled).toBe(3);
    expect(picture.notOnMap).toEqual(['NATO']);
  });

  it('maps the cards’ own spellings of countries', () => {
    const uk = mapSvg({ origin: [], targets: ['UK', 'Czech', 'South Korea', '[Unknown]'] });
    expect(uk.filled).toBe(3);
    expect(uk.notOnMap).toEqual([]);
    const img = decodePng(svgToPng(uk.svg));
    expect(at(img, -1.5, 52.5)).toBe(MAP_COLORS.target); // England
    expect(at(img, 15.5, 49.8)).toBe(MAP_COLORS.target); // Czechia
    expect(at(img, 127.9, 36.4)).toBe(MAP_COLORS.target); // South Korea
    expect(at(img, 127.5, 40.2)).toBe(MAP_COLORS.land); // North Korea
  });

  it('escapes card text in the SVG', () => {
    expect(mapSvg({ origin: [], targets: ['<script>'] }).svg).not.toContain('<script>');
  });
});

describe('activity timeline', () => {
  const operations = [
    { date: '2014-08' },
    { date: '2014' },
    { date: '2016 Late' },
    { date: '2019/2020' },
    { date: 'unknown' },
  ];
  const counterOperations = [{ date: '2020-03' }];

  it('reads the year a date starts in', () => {
    expect(['2014-08', '2017 Late', '2019/2020', 'Early 2021', '12345', ''].map(startYear)).toEqual(
      [2014, 2017, 2019, 2021, undefined, undefined],
    );
  });

  it('has one bar per year with operations, of its count, and marks counter-operations', () => {
    const t = timelineSvg({ operations, counterOperations });
    expect(t.bars.filter((b) => b.count > 0).map((b) => [b.year, b.count])).toEqual([
      [2014, 2],
      [2016, 1],
      [2019, 1],
    ]);
    expect(t.bars.find((b) => b.year === 2020)?.counter).toBe(1);
    expect(t.undated).toBe(1);
    const image = decodePng(svgToPng(t.svg));
    for (const bar of t.bars.filter((b) => b.count > 0)) {
      expect(pixelHex(image, bar.x + bar.width / 2, bar.y + bar.height - 2)).toBe(
        TIMELINE_COLORS.bar,
      );
    }
    const [tall, short] = [t.bars[0]!, t.bars[1]!];
    expect(tall.height).toBeCloseTo(short.height * 2, 5);
    // No bar in a year without operations.
    const gap = t.bars[0]!.x + (t.bars[1]!.x - t.bars[0]!.x) / 2;
    expect(pixelHex(image, gap + t.bars[0]!.width / 2, 200)).toBe('#ffffff');
  });

  it('says so when nothing is dated', () => {
    const t = timelineSvg({ operations: [{ date: '' }], counterOperations: [] });
    expect(t.bars).toEqual([]);
    expect(t.svg).toContain('No dated operations');
  });
});

describe('actorPictures', () => {
  it('draws both pictures of a card and caches them by content', () => {
    const subject = pictureSubject(COPPER);
    const first = actorPictures(subject);
    expect(first.map?.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(first.timeline?.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(actorPictures({ ...subject })).toBe(first);
    expect(actorPictures({ ...subject, targets: ['France'] })).not.toBe(first);
  });

  it('leaves out a picture that cannot be drawn instead of failing the card', () => {
    const broken = actorPictures(pictureSubject({ ...COPPER, targets: ['Peru'] }), () => {
      throw new Error('renderer down');
    });
    expect(broken).toEqual({});
  });
});

describe('aptcard show --map --timeline', () => {
  const { dir, cleanup } = cardsFolder();
  const out = mkdtempSync(join(tmpdir(), 'aptcard-pictures-'));
  afterAll(() => {
    cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes both PNG files and still prints the card', async () => {
    const map = join(out, 'map.png');
    const timeline = join(out, 'timeline.png');
    const r = await runCli([
      'show',
      '--cards',
      dir,
      '--map',
      map,
      '--timeline',
      timeline,
      COPPER.uuid,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Copper Lantern');
    expect(r.stderr).toContain(`wrote the map to ${map}`);
    expect(r.stderr).toContain(`wrote the timeline to ${timeline}`);
    const image = decodePng(readFileSync(map));
    expect(at(image, 31, 49)).toBe(MAP_COLORS.target); // Ukraine, a target of Copper Lantern
    expect(readFileSync(timeline).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('names the file it cannot write, with exit status 2', async () => {
    const r = await runCli([
      'show',
      '--cards',
      dir,
      '--map',
      join(out, 'no/such/dir/m.png'),
      COPPER.uuid,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*m\.png/);
  });
});
