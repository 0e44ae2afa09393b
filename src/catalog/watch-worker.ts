/**
 * Entry point of the reload worker thread (started by worker-load.ts): loads the cards folder
 * and builds its search index off the main thread, then hands back the cards, their issues and
 * the serialized index. The main thread only rebuilds the catalog's lookup tables and
 * deserializes the index (see watch.ts). An incremental request (hot reload) is answered by
 * the ReloadBuilder this worker keeps between requests, mostly with a small delta. The thread
 * runs at a lower priority than the serving one (background-priority.ts).
 */
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from './background-priority.js';
import { buildForRequest } from './build.js';
import type { BuildRequest } from './protocol.js';
import { ReloadBuilder } from './reload-builder.js';
import {
  isNextPlease,
  isReplyTaken,
  type NextPlease,
  ReplySender,
  type ReplyTaken,
} from './reply-parts.js';

lowerThisThreadsPriority();
const builder = new ReloadBuilder();
const sender = new ReplySender((message) => parentPort?.postMessage(message));
/** The incremental reply whose caches are filled once the main thread has taken it in. */
let toSave: number | undefined;

parentPort?.on('message', (request: BuildRequest | NextPlease | ReplyTaken) => {
  if (isNextPlease(request)) {
    sender.next();
    return;
  }
  if (isReplyTaken(request)) {
    // A newer request abandons an older reply's filling (ReloadBuilder.saveCaches).
    if (request.taken !== toSave) return;
    toSave = undefined;
    setImmediate(() => void builder.saveCaches());
    return;
  }
  if (!request.incremental) {
    sender.send(buildForRequest(request));
    return;
  }
  toSave = request.id;
  sender.send(builder.build(request));
});
