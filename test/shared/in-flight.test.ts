/** The replies-in-flight tracker every chat adapter's shutdown relies on. */
import { describe, expect, it } from 'vitest';
import { DroppedError, InFlight } from '../../adapters/shared/in-flight.js';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('InFlight', () => {
  it('waits for work that finishes before the deadline and drops none', async () => {
    const inFlight = new InFlight();
    let finished = 0;
    for (let i = 0; i < 3; i++) {
      void inFlight.run(async () => {
        await later(50);
        finished++;
      });
    }
    expect(inFlight.size).toBe(3);
    expect(await inFlight.drain(5000)).toBe(0);
    expect(finished).toBe(3);
    expect(inFlight.signal.aborted).toBe(false);
  });

  it('drops what is left at the deadline, aborting the signal, and refuses new work', async () => {
    const inFlight = new InFlight();
    void inFlight.run(() => later(10));
    const stuck = inFlight.run(
      () =>
        new Promise<void>((_resolve, reject) => {
          inFlight.signal.addEventListener('abort', () => reject(inFlight.signal.reason));
        }),
    );
    const started = performance.now();
    expect(await inFlight.drain(200)).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(inFlight.dropping).toBe(true);
    await expect(stuck).rejects.toBeInstanceOf(DroppedError);
    let ran = false;
    expect(
      await inFlight.run(async () => {
        ran = true;
        return 'ran';
      }),
    ).toBeUndefined();
    expect(ran).toBe(false);
    expect(inFlight.refused).toBe(1);
  });

  it('passes a result or a rejection through, a synchronous throw included', async () => {
    const inFlight = new InFlight();
    expect(await inFlight.run(async () => 42)).toBe(42);
    await expect(
      inFlight.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(inFlight.size).toBe(0);
    expect(await inFlight.drain(0)).toBe(0);
  });
});
