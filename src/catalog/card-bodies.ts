/**
 * The parsed-card cache file (card-cache.ts) kept open for the card bodies after its first
 * line: a body is read from the file when its card is first read, not held as text all along.
 * Holding the whole file as one string (its bodies were slices of it, and a slice keeps all of
 * it) cost its size in heap until the last card was parsed: 22 MB for 10,000 cards, at the top
 * of a start's peak. The file stays open while its cards live (a parsed card reads its large
 * text from its body again when asked for, lazy-card.ts), and is closed by the collector once
 * nothing holds it: the cards of an older cache file, dropped after a reload, let it go. A
 * cache file is only ever replaced (writeAtomic renames), never written in place, so the open
 * file keeps the bytes its first line describes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Files nothing holds any more are closed by the collector. */
const closing = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already.
  }
});

function readFully(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

const CHUNK = 1 << 20;

export class CardBodies {
  private fd: number | undefined;

  private constructor(
    fd: number,
    /** The file's size in bytes. */
    readonly size: number,
    /** Where the bodies start: just after the first line. */
    readonly start: number,
  ) {
    this.fd = fd;
    closing.register(this, fd, this);
  }

  /** The file's first line and the file kept open for its bodies, or undefined (no file). */
  static open(path: string): { head: string; bodies: CardBodies } | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fstatSync(fd).size;
      const chunks: Buffer[] = [];
      for (let at = 0; at < size; ) {
        const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - at));
        const n = readFully(fd, chunk, at);
        const end = chunk.subarray(0, n).indexOf(10); // "\n"
        if (end >= 0) {
          chunks.push(chunk.subarray(0, end));
          const head = Buffer.concat(chunks).toString('utf8');
          return { head, bodies: new CardBodies(fd, size, at + end + 1) };
        }
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
        at += n;
      }
    } catch {
      // Unreadable: a miss, as a missing file.
    }
    closeSync(fd);
    return undefined;
  }

  /** Does the file hold `length` bytes from `offset` (after the first line)? */
  holds(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && this.start + offset + length <= this.size;
  }

  /** The body at `offset` (after the first line), `length` bytes. */
  read(offset: number, length: number): string {
    if (this.fd === undefined) throw new Error('parsed-card cache file already closed');
    const buffer = Buffer.allocUnsafe(length);
    if (readFully(this.fd, buffer, this.start + offset) !== length)
      throw new Error('parsed-card cache file shorter than its first line says');
    return buffer.toString('utf8');
  }

  /** Close the file now (no card will read from it). */
  close(): void {
    if (this.fd === undefined) return;
    closing.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
