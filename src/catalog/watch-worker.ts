/**
 * Entry point of the reload worker thread (started by worker-load.ts): loads the cards folder
 * and builds its search index off the main thread, then hands back the cards, their issues and
 * the serialized index. The main thread only rebuilds the catalog's lookup tables and
 * deserializes the index (see watch.ts).
 */
import { parentPort } from 'node:worker_threads';
import { buildForRequest } from './build.js';
import type { BuildRequest } from './protocol.js';

parentPort?.on('message', (request: BuildRequest) => {
  parentPort?.postMessage(buildForRequest(request));
});
