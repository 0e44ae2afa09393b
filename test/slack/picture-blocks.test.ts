/**
 * The pictures message: image blocks that show the uploaded Slack files by id, with a title and
 * alt text, within Block Kit's limits for any actor name; and the limit checker refuses what
 * Slack refuses in an image block.
 */
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/slack/render.js';
import type { Reply } from '../../src/core/types.js';
import { allText, blockKitProblems } from './limits.js';

type Json = Record<string, unknown>;

const png = Buffer.from('not really a png');
const pictures = (name: string, notOnMap: string[] = []): Extract<Reply, { kind: 'pictures' }> => ({
  kind: 'pictures',
  actor: { uuid: '00000000-0000-4000-8000-000000000001', name },
  map: { png, notOnMap },
  timeline: { png },
});
const FILES = { map: 'F0000000011', timeline: 'F0000000012' };

const images = (m: { blocks: unknown[] }) => m.blocks.filter((b) => (b as Json).type === 'image');

describe('the pictures message on Slack', () => {
  it('shows each uploaded file in an image block: slack_file by id, title and alt text', () => {
    const m = renderReply(pictures('NetTraveler', ['Atlantis']), { pictureFiles: FILES });
    expect(blockKitProblems(m)).toEqual([]);
    expect(m.blocks.map((b) => b.type)).toEqual(['section', 'image', 'context', 'image']);
    expect(images(m)).toEqual([
      {
        type: 'image',
        slack_file: { id: 'F0000000011' },
        alt_text:
          'World map of the countries NetTraveler targeted, filled in; its country of origin marked.',
        title: { type: 'plain_text', text: 'Targets map of NetTraveler', emoji: false },
      },
      {
        type: 'image',
        slack_file: { id: 'F0000000012' },
        alt_text: 'Bar chart of the operations of NetTraveler per year; counter-operations marked.',
        title: { type: 'plain_text', text: 'Activity timeline of NetTraveler', emoji: false },
      },
    ]);
    expect(allText(m)).toContain('Not on the map: Atlantis');
  });

  it('without file ids is the file message of before: no image blocks', () => {
    const m = renderReply(pictures('NetTraveler'));
    expect(blockKitProblems(m)).toEqual([]);
    expect(images(m)).toEqual([]);
    expect(allText(m)).toContain('The targets map and activity timeline of *NetTraveler*');
  });

  it('a picture that failed to draw has no image block, even with an id', () => {
    const { map: _map, ...timelineOnly } = pictures('NetTraveler');
    const m = renderReply(timelineOnly, { pictureFiles: FILES });
    expect(blockKitProblems(m)).toEqual([]);
    expect(images(m).map((b) => (b as Json).slack_file)).toEqual([{ id: 'F0000000012' }]);
    expect(allText(m)).toContain('The activity timeline of *NetTraveler*');
  });

  it('stays within the limits for a very long name with markup, escaped', () => {
    const name = `<!channel> & ${'Very Long Name '.repeat(300)}`;
    const m = renderReply(pictures(name, ['x'.repeat(500), '<b>']), { pictureFiles: FILES });
    expect(blockKitProblems(m)).toEqual([]);
    for (const b of images(m)) {
      const block = b as { alt_text: string; title: { text: string } };
      expect(block.alt_text.length).toBeLessThanOrEqual(2000);
      expect(block.title.text.length).toBeLessThanOrEqual(2000);
      expect(block.alt_text).toContain('&lt;!channel&gt; &amp; Very Long Name');
      expect(block.alt_text).toMatch(/marked\.$/);
    }
  });

  it('the checker refuses image blocks Slack refuses', () => {
    const image = (extra: Json): Json => ({ type: 'image', alt_text: 'a map', ...extra });
    const problems = (block: Json) => blockKitProblems({ text: 'pictures', blocks: [block] });
    expect(problems(image({ slack_file: { id: 'F0000000011' } }))).toEqual([]);
    expect(problems(image({ slack_file: { id: 'F1' } }))).toEqual([
      'block 0 (image): slack_file must be { id } with a Slack file id',
    ]);
    expect(problems(image({}))).toContain(
      'block 0 (image): needs exactly one of slack_file and image_url',
    );
    expect(
      problems(image({ slack_file: { id: 'F0000000011' }, image_url: 'https://x.test/a.png' })),
    ).toContain('block 0 (image): needs exactly one of slack_file and image_url');
    expect(
      problems({ type: 'image', alt_text: 'x'.repeat(2001), slack_file: { id: 'F0000000011' } }),
    ).toEqual(['block 0 (image): alt_text must be 1-2000 characters']);
    expect(
      problems(
        image({
          slack_file: { id: 'F0000000011' },
          title: { type: 'mrkdwn', text: 'a', verbatim: true },
        }),
      ),
    ).toEqual(['block 0 (image): title not plain_text']);
  });
});
