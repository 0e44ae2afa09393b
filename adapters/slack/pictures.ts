/**
 * A card's map and timeline on Slack: the PNGs uploaded with the files API (Bolt's client,
 * `files.uploadV2`: files.getUploadURLExternal, the upload URL, files.completeUploadExternal)
 * and shared in the channel, in the thread the button was pressed in, with a message saying
 * what they show. Slack has no private file message, so they are posted like a shared answer.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../src/core/types.js';
import { MESSAGES } from '../../src/reply/messages.js';
import { pictureFileName } from '../shared/pictures.js';
import type { SlackContext } from './context.js';

type PicturesReply = Extract<Reply, { kind: 'pictures' }>;

function uploads(reply: PicturesReply) {
  const { name } = reply.actor;
  const files: { file: Buffer; filename: string; title: string; alt_text: string }[] = [];
  if (reply.map) {
    const title = `Targets map of ${name}`;
    files.push({
      file: reply.map.png,
      filename: pictureFileName(name, 'map'),
      title,
      alt_text: title,
    });
  }
  if (reply.timeline) {
    const title = `Activity timeline of ${name}`;
    files.push({
      file: reply.timeline.png,
      filename: pictureFileName(name, 'timeline'),
      title,
      alt_text: title,
    });
  }
  return files;
}

/**
 * Upload the pictures to `channel` (in `thread` when given). Without a channel or a picture,
 * or when the upload fails, `privately` tells the presser (the log says why).
 */
export async function postPictures(
  ctx: SlackContext,
  client: webApi.WebClient,
  reply: PicturesReply,
  where: { channel: string | undefined; thread: string | undefined },
  privately: (reply: Reply) => Promise<unknown>,
): Promise<void> {
  const files = uploads(reply);
  const message = ctx.render(reply);
  if (files.length === 0 || !where.channel) return void (await privately(reply));
  const destination = where.thread
    ? { channel_id: where.channel, thread_ts: where.thread }
    : { channel_id: where.channel };
  try {
    await client.filesUploadV2({ ...destination, blocks: message.blocks, file_uploads: files });
  } catch (err) {
    ctx.logger.error({ err, actor: reply.actor.uuid }, 'uploading the pictures failed');
    await privately({ kind: 'error', message: MESSAGES.picturesFailed });
  }
}
