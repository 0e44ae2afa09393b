/** Reading an import's input: a local file, or a URL downloaded with a timeout and a size cap. */
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_MAX_BYTES, formatBytes, ImportError } from './json.js';

export const DEFAULT_TIMEOUT_MS = 60_000;

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface FetchOptions {
  /** Abort when the server sends no response, or no data, for this long. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Where the progress bar goes (stderr); drawn only when this is a TTY. */
  progress?: ProgressStream;
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** Why a fetch failed, in words: "connect ECONNREFUSED 127.0.0.1:9" rather than "fetch failed". */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err.message;
}

class Progress {
  private last = 0;
  private drawn = false;
  constructor(
    private readonly out: ProgressStream | undefined,
    private readonly total: number,
  ) {}

  update(received: number, force = false): void {
    if (!this.out?.isTTY) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.drawn = true;
    if (this.total > 0) {
      const ratio = Math.min(1, received / this.total);
      const width = 30;
      const filled = Math.round(ratio * width);
      this.out.write(
        `\rdownloading [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(
          ratio * 100,
        )
          .toString()
          .padStart(3)}% ${formatBytes(received)} of ${formatBytes(this.total)}   `,
      );
    } else this.out.write(`\rdownloading ${formatBytes(received)}   `);
  }

  done(): void {
    if (this.drawn) this.out?.write('\n');
  }
}

/**
 * Download a URL (Node 20's global fetch). Fails with a clear ImportError on a network error,
 * an HTTP error status, a server that stalls for `timeoutMs`, or a body over `maxBytes`
 * (checked against Content-Length first, then while reading).
 */
export async function download(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const fail = (why: string) => new ImportError(`cannot download ${url}: ${why}`);
  const stalled = () =>
    fail(`no data for ${timeoutMs / 1000} s (timed out; --timeout sets the limit)`);
  arm();
  let progress: Progress | undefined;
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        signal: controller.signal,
        redirect: 'follow',
        headers: { accept: 'application/json, */*;q=0.5', 'user-agent': 'aptcard-import' },
      });
    } catch (err) {
      throw timedOut ? stalled() : fail(reason(err));
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const length = Number(res.headers.get('content-length') ?? '');
    if (Number.isFinite(length) && length > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw fail(`${formatBytes(length)} is over the ${formatBytes(maxBytes)} limit (--max-size)`);
    }
    if (!res.body) return new Uint8Array();
    progress = new Progress(options.progress, Number.isFinite(length) ? length : 0);
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (err) {
          throw timedOut ? stalled() : fail(reason(err));
        }
        if (step.done) break;
        arm();
        received += step.value.byteLength;
        if (received > maxBytes) {
          controller.abort();
          throw fail(`more than the ${formatBytes(maxBytes)} limit (--max-size)`);
        }
        chunks.push(step.value);
        progress.update(received);
      }
    } finally {
      reader.releaseLock();
    }
    progress.update(received, true);
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
    progress?.done();
  }
}

/** The input's bytes: a URL is downloaded, anything else read as a file (size checked first). */
export async function readInput(input: string, options: FetchOptions = {}): Promise<Uint8Array> {
  if (isUrl(input)) return download(input, options);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const stat = statSync(input);
    if (!stat.isFile()) throw new ImportError(`${input}: not a file`);
    if (stat.size > maxBytes) {
      throw new ImportError(
        `${input}: ${formatBytes(stat.size)} is over the ${formatBytes(maxBytes)} limit (--max-size)`,
      );
    }
    return readFileSync(input);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(
      `cannot read ${input}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}
