/**
 * The message that carries a card's pictures on Slack: what they show, an image block for each
 * uploaded PNG (referenced by its Slack file id, with a title and alt text), and the targets no
 * map can show. Without file ids (the fallback file message, a picture that failed to draw) it
 * is the same message with no image blocks. Pure.
 */
import type { types } from '@slack/bolt';
import type { Reply } from '../../src/core/types.js';
import { truncate } from '../shared/truncate.js';
import { context, type KnownBlock, plain, section } from './blocks.js';
import { LIMITS } from './limits.js';
import { fitText } from './text.js';

export type PicturesReply = Extract<Reply, { kind: 'pictures' }>;
export type PictureKind = 'map' | 'timeline';

/** The Slack file id of each uploaded picture. */
export type PictureFiles = Partial<Record<PictureKind, string>>;

/** A picture's title: the file's title on upload and the image block's title. */
export function pictureTitle(name: string, what: PictureKind): string {
  return what === 'map' ? `Targets map of ${name}` : `Activity timeline of ${name}`;
}

/** What a picture shows, for whoever cannot see it (screen readers, notifications). */
export function pictureAlt(name: string, what: PictureKind): string {
  return what === 'map'
    ? `World map of the countries ${name} targeted, filled in; its country of origin marked.`
    : `Bar chart of the operations of ${name} per year; counter-operations marked.`;
}

/** An image block showing the uploaded Slack file `id` (never a public URL). */
export function imageBlock(id: string, name: string, what: PictureKind): types.ImageBlock {
  return {
    type: 'image',
    slack_file: { id },
    alt_text: fitText(pictureAlt(name, what), LIMITS.imageAltText),
    title: plain(pictureTitle(name, what), LIMITS.imageTitle),
  };
}

export function picturesMessage(
  reply: PicturesReply,
  files: PictureFiles = {},
): { text: string; blocks: KnownBlock[] } {
  // A name of any length leaves room for what the picture shows.
  const raw = truncate(reply.actor.name.trim(), 200);
  const name = fitText(raw, 200);
  const shown = [reply.map ? 'targets map' : '', reply.timeline ? 'activity timeline' : '']
    .filter(Boolean)
    .join(' and ');
  const head = shown
    ? `The ${shown} of *${name}*`
    : `Could not draw the pictures of *${name}*; the log says why.`;
  const missing = reply.map?.notOnMap ?? [];
  const notOnMap = missing.length
    ? [context(`Not on the map: ${missing.map((m) => fitText(m, 100)).join(', ')}`)]
    : [];
  const image = (what: PictureKind) => {
    const id = reply[what] ? files[what] : undefined;
    return id ? [imageBlock(id, raw, what)] : [];
  };
  return {
    text: shown ? `The ${shown} of ${name}` : `No pictures of ${name}`,
    // The note on the map under the map, the timeline after it.
    blocks: [section(head), ...image('map'), ...notOnMap, ...image('timeline')],
  };
}
