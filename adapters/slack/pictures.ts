/**
 * A card's map and timeline on Slack. The PNGs are uploaded with the files API (Bolt's client,
 * `files.uploadV2`: files.getUploadURLExternal, the upload URL, files.completeUploadExternal)
 * without a channel, so they are the bot's own files and no file message appears; then one
 * chat.postMessage shows them in image blocks (`slack_file: { id }`) in the channel, in the
 * thread the button was pressed in. Slack has no private file message, so they are posted like
 * a shared answer.
 *
 * How Slack behaves (its SDKs' issue trackers): a file uploaded without a channel can be shown
 * in an image block by the app that uploaded it, but only once Slack has processed it, which
 * takes "a few moments" after files.completeUploadExternal returns; until then chat.postMessage
 * answers `invalid_blocks` ("invalid slack file"). Knowing when a file is ready needs files.info
 * (and the files:read scope), so the post is tried again after short pauses instead. When it
 * still fails, the pictures go out as before: a file message (the same files uploaded again,
 * shared in the channel), and the unshared copies are deleted. The log says why each time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../src/core/types.js';
import { MESSAGES } from '../../src/reply/messages.js';
import { pictureFileName } from '../shared/pictures.js';
import { slackError } from './bolt.js';
import type { SlackContext } from './context.js';
import {
  type PictureFiles,
  type PictureKind,
  type PicturesReply,
  pictureAlt,
  pictureTitle,
} from './picture-blocks.js';
import { renderReply } from './render.js';

/** Where the pictures go: the channel, and the thread when the button was in one. */
export interface PicturesDestination {
  channel: string | undefined;
  thread: string | undefined;
}

interface Upload {
  what: PictureKind;
  file: Buffer;
  filename: string;
  title: string;
  alt_text: string;
}

function uploads(reply: PicturesReply): Upload[] {
  const { name } = reply.actor;
  const out: Upload[] = [];
  for (const what of ['map', 'timeline'] as const) {
    const picture = reply[what];
    if (!picture) continue;
    out.push({
      what,
      file: picture.png,
      filename: pictureFileName(name, what),
      title: pictureTitle(name, what),
      alt_text: pictureAlt(name, what),
    });
  }
  return out;
}

const fileUploads = (files: Upload[]) => files.map(({ what: _what, ...upload }) => upload);

/** Upload the files to nobody (the bot's own files) and say which id each got. */
async function uploadUnshared(client: webApi.WebClient, files: Upload[]): Promise<PictureFiles> {
  const result = await client.filesUploadV2({ file_uploads: fileUploads(files) });
  // One completion (no channel, no message), its files in the order they were given.
  const ids = result.files.flatMap((done) => (done.files ?? []).map((f) => f.id));
  if (ids.length !== files.length || ids.some((id) => !id)) {
    throw new Error(`Slack completed ${ids.length} of ${files.length} uploads`);
  }
  const out: PictureFiles = {};
  files.forEach((f, i) => {
    out[f.what] = ids[i];
  });
  return out;
}

/** Slack has not processed a file the blocks refer to (or refused the blocks for another reason). */
const notReady = (err: unknown) => slackError(err) === 'invalid_blocks';

/**
 * Post the pictures in image blocks; while Slack says the blocks are invalid (the files are not
 * processed yet), wait and try again, `ctx.fileWaitsMs` at a time. Resolves with the last error
 * when every try failed, undefined once posted.
 */
async function postImages(
  ctx: SlackContext,
  client: webApi.WebClient,
  reply: PicturesReply,
  files: PictureFiles,
  where: { channel: string; thread: string | undefined },
): Promise<unknown> {
  let message: ReturnType<typeof renderReply>;
  try {
    message = renderReply(reply, { pictureFiles: files });
  } catch (err) {
    return err;
  }
  const waits = [...ctx.fileWaitsMs];
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.post(client, where.channel, where.thread, message);
      return undefined;
    } catch (err) {
      const wait = waits.shift();
      if (!notReady(err) || wait === undefined || ctx.abort.aborted) return err;
      ctx.logger.debug(
        { actor: reply.actor.uuid, attempt, waitMs: wait, error: slackError(err) },
        'slack has not processed the pictures yet; trying again',
      );
      await sleep(wait, undefined, { signal: ctx.abort, ref: false }).catch(() => {});
    }
  }
}

/** Delete the unshared copies once the pictures went out another way (best effort). */
async function deleteUnshared(ctx: SlackContext, client: webApi.WebClient, files: PictureFiles) {
  for (const file of Object.values(files)) {
    await client.files.delete({ file }).catch((err: unknown) => {
      ctx.logger.warn({ err, file }, 'could not delete an unshared picture');
    });
  }
}

/**
 * Show the pictures in `where.channel` (in `where.thread` when given). Without a channel or a
 * picture, or when neither the image blocks nor the file message can be posted, `privately`
 * tells the presser (the log says why).
 */
export async function postPictures(
  ctx: SlackContext,
  client: webApi.WebClient,
  reply: PicturesReply,
  where: PicturesDestination,
  privately: (reply: Reply) => Promise<unknown>,
): Promise<void> {
  const files = uploads(reply);
  const { channel, thread } = where;
  if (files.length === 0 || !channel) return void (await privately(reply));
  const actor = reply.actor.uuid;
  let ids: PictureFiles;
  try {
    ids = await uploadUnshared(client, files);
  } catch (err) {
    ctx.logger.error({ err, actor }, 'uploading the pictures failed');
    return void (await privately({ kind: 'error', message: MESSAGES.picturesFailed }));
  }
  const failed = await postImages(ctx, client, reply, ids, { channel, thread });
  if (failed === undefined) return;
  if (ctx.abort.aborted) return;
  ctx.logger.warn(
    { err: failed, actor, files: ids, error: slackError(failed) },
    'posting the pictures in image blocks failed; sharing them as a file message instead',
  );
  try {
    await client.filesUploadV2({
      channel_id: channel,
      ...(thread ? { thread_ts: thread } : {}),
      blocks: ctx.render(reply).blocks,
      file_uploads: fileUploads(files),
    });
  } catch (err) {
    ctx.logger.error({ err, actor }, 'uploading the pictures failed');
    await privately({ kind: 'error', message: MESSAGES.picturesFailed });
  } finally {
    await deleteUnshared(ctx, client, ids);
  }
}
