/**
 * Entry point of the scanner worker thread (started by scanner-client.ts): builds the
 * enrichment scanner's tables off the main thread and hands them back as transferable buffers.
 * It keeps the names of every actor it was sent, so after a reload the main thread sends only
 * the actors that are new to it (a changed card: one). The thread runs at a lower priority
 * than the serving one (background-priority.ts).
 */
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../catalog/background-priority.js';
import { englishFrequencies } from './frequency.js';
import { DEFAULT_THRESHOLDS } from './risk.js';
import { buildScannerTables } from './scanner-build.js';
import type { ScannerMessage, ScannerReply } from './scanner-client.js';
import type { AliasSource } from './scanner-tables.js';
import { transferList } from './scanner-tables.js';
import { englishWords } from './words.js';

lowerThisThreadsPriority();
const sources = new Map<number, AliasSource>();

function build(message: Extract<ScannerMessage, { kind: 'build' }>): ScannerReply {
  const list: AliasSource[] = new Array(message.ids.length);
  for (let i = 0; i < message.ids.length; i++) {
    const source = sources.get(message.ids[i]!);
    if (!source) return { id: message.id, ok: false, error: `no actor ${message.ids[i]}` };
    list[i] = source;
  }
  // Only the newest catalog's actors are sent again by reference: forget the others.
  const wanted = new Set(message.ids);
  for (const id of sources.keys()) if (!wanted.has(id)) sources.delete(id);
  const english = {
    words: englishWords(),
    frequencies: englishFrequencies(),
    thresholds: DEFAULT_THRESHOLDS,
  };
  const tables = buildScannerTables(list, message.policy, english);
  return { id: message.id, ok: true, tables };
}

parentPort?.on('message', (message: ScannerMessage) => {
  if (message.kind === 'add') {
    for (const [id, uuid, name, names] of message.actors) sources.set(id, { uuid, name, names });
    return;
  }
  let reply: ScannerReply;
  try {
    reply = build(message);
  } catch (err) {
    reply = { id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply, reply.ok ? transferList(reply.tables) : []);
});
