/**
 * The hot-reload watcher's reload worker thread (watch-worker.ts): started on the first reload,
 * one request at a time. An incremental watcher keeps it between reloads (it remembers the
 * files it read, folder-memo.ts) and ends it after IDLE_MS without a reload, so a bot whose
 * cards rarely change does not keep a second copy of them; the next reload starts it again
 * and reads every file once more. A full-rebuild watcher ends it after each build.
 */
import type { Worker } from 'node:worker_threads';
import type { BuildReply, BuildRequest } from './protocol.js';
import { type ReplyTaken, receiveReplies } from './reply-parts.js';

/** How long an idle reload worker is kept (it holds the parsed cards: ~50 MB at 10,000 cards). */
export const IDLE_MS = 10 * 60_000;

export class ReloadWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (reply: BuildReply) => void>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly start: () => Worker,
    private readonly onError: (message: string) => void,
    private readonly idleMs = IDLE_MS,
  ) {}

  request(req: BuildRequest): Promise<BuildReply> {
    clearTimeout(this.idle);
    return new Promise((resolve, reject) => {
      const worker = this.ensure();
      const onExit = (code: number) => {
        this.pending.delete(req.id);
        reject(new Error(`reload worker exited (code ${code})`));
      };
      worker.once('exit', onExit);
      this.pending.set(req.id, (reply) => {
        worker.off('exit', onExit);
        resolve(reply);
      });
      worker.postMessage(req);
    });
  }

  /**
   * The reply `id` is taken in (its catalog serves, or was turned down): the worker may now
   * do its own work after it (fill the caches), which would otherwise share the cores with
   * taking the catalog in.
   */
  taken(id: number): void {
    this.worker?.postMessage({ taken: id } satisfies ReplyTaken);
  }

  /** After a reply: keep the worker for the next reload, or end it now (`keep` false). */
  done(keep: boolean): void {
    clearTimeout(this.idle);
    if (!keep) {
      this.end();
      return;
    }
    this.idle = setTimeout(() => this.end(), this.idleMs);
    this.idle.unref();
  }

  /** End the worker (its heap goes with it); a request in flight fails. */
  end(): Promise<number> | undefined {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    return worker?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.unref();
    receiveReplies(worker, (reply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    worker.on('error', (err) => this.onError(err.message));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
