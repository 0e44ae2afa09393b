/** What every StateStore must do; run against each implementation by its own test file. */
import { expect, it } from 'vitest';
import type { StateStore } from '../../src/state/store.js';

export function storeContract(
  make: () => StateStore | Promise<StateStore>,
  sleep: (ms: number) => Promise<void>,
) {
  it('sets a key only when absent, until its TTL runs out', async () => {
    const store = await make();
    // TTLs of a few hundred ms: the test machine is shared and may pause a process for 100 ms.
    expect(await store.setIfAbsent('k:claim', 'a', 500)).toBe(true);
    expect(await store.setIfAbsent('k:claim', 'b', 500)).toBe(false);
    expect(await store.get('k:claim')).toBe('a');
    await sleep(700);
    expect(await store.get('k:claim')).toBeUndefined();
    expect(await store.setIfAbsent('k:claim', 'c', 500)).toBe(true);
    expect(await store.get('k:claim')).toBe('c');
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const store = await make();
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.setIfAbsent('k:race', String(i), 10_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('gets, sets (with and without TTL), overwrites and deletes', async () => {
    const store = await make();
    expect(await store.get('k:none')).toBeUndefined();
    await store.set('k:doc', '{"a":1}');
    await store.set('k:doc', '{"a":2}');
    expect(await store.get('k:doc')).toBe('{"a":2}');
    await store.set('k:short', 'x', 500);
    expect(await store.get('k:short')).toBe('x');
    await sleep(700);
    expect(await store.get('k:short')).toBeUndefined();
    await store.delete('k:doc');
    expect(await store.get('k:doc')).toBeUndefined();
    expect(await store.setIfAbsent('k:doc', 'again', 1000)).toBe(true);
  });

  it('lists live entries under a prefix, in key order, taking the prefix literally', async () => {
    const store = await make();
    await store.set('set:slack:C2', 'two');
    await store.set('set:slack:C1', 'one');
    await store.set('set:slack*:C3', 'glob');
    await store.set('set:discord:D1', 'other');
    await store.set('set:slack:gone', 'x', 100);
    await sleep(300);
    expect(await store.entries('set:slack:')).toEqual([
      ['set:slack:C1', 'one'],
      ['set:slack:C2', 'two'],
    ]);
    expect(await store.entries('set:slack*')).toEqual([['set:slack*:C3', 'glob']]);
  });
}
