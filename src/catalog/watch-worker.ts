/**
 * Entry point of the reload worker thread (started by worker-load.ts): loads the cards folder
 * and builds its search index off the main thread, then hands back the cards, their issues and
 * the serialized index. The main thread only rebuilds the catalog's lookup tables and
 * deserializes the index (see watch.ts). An incremental request (hot reload) is answered by
 * the ReloadBuilder this worker keeps between requests, mostly with a small delta.
 */
import { parentPort } from 'node:worker_threads';
import { buildForRequest } from './build.js';
import type { BuildRequest } from './protocol.js';
import { ReloadBuilder } from './reload-builder.js';
import { isNextPlease, type NextPlease, ReplySender } from './reply-parts.js';

const builder = new ReloadBuilder();
const sender = new ReplySender((message) => parentPort?.postMessage(message));

parentPort?.on('message', (request: BuildRequest | NextPlease) => {
  if (isNextPlease(request)) {
    sender.next();
    return;
  }
  if (!request.incremental) {
    sender.send(buildForRequest(request));
    return;
  }
  // Once the reply is on its way; a newer request abandons it.
  sender.send(builder.build(request), () => setImmediate(() => void builder.saveCaches()));
});
